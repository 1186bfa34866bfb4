//! The response body the proxy writes: either bytes it made itself or a
//! target's body streamed through, which hands its connection back to the
//! pool once the target has sent all of it.

use crate::pool::Release;
use bytes::Bytes;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use std::pin::Pin;
use std::task::{Context, Poll};

/// A response body of the load balancer.
#[derive(Debug)]
pub enum LbBody {
    /// A body the load balancer wrote (error pages, fixed responses, redirects).
    Full(Option<Bytes>),
    /// A target's body.
    Upstream(UpstreamBody),
}

impl LbBody {
    /// A body of these bytes.
    pub fn full(bytes: Bytes) -> LbBody {
        if bytes.is_empty() {
            LbBody::Full(None)
        } else {
            LbBody::Full(Some(bytes))
        }
    }
}

/// A target's body and the connection it came on.
#[derive(Debug)]
pub struct UpstreamBody {
    inner: Incoming,
    release: Option<Release>,
}

impl UpstreamBody {
    /// Wraps `inner`; `release` goes back to the pool when the body ends.
    pub(crate) fn new(inner: Incoming, release: Release) -> UpstreamBody {
        let mut body = UpstreamBody { inner, release: Some(release) };
        // hyper never polls a body that is already complete (HEAD, 204,
        // Content-Length: 0): hand the connection back right away.
        if body.inner.is_end_stream() {
            body.finish();
        }
        body
    }

    fn finish(&mut self) {
        if let Some(r) = self.release.take() {
            r.give_back();
        }
    }
}

impl Drop for UpstreamBody {
    fn drop(&mut self) {
        // A body dropped before its end leaves the connection mid-response:
        // it is unusable and closes with the `Release` it holds.
        if self.inner.is_end_stream() {
            self.finish();
        }
    }
}

impl Body for LbBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        match self.get_mut() {
            LbBody::Full(data) => Poll::Ready(data.take().map(|d| Ok(Frame::data(d)))),
            LbBody::Upstream(up) => {
                let mut polled = Pin::new(&mut up.inner).poll_frame(cx);
                if polled.is_pending() {
                    // The connection fills the body only when driven, and
                    // only once the body has asked for more: drive, ask again.
                    if let Some(r) = up.release.as_mut() {
                        r.drive(cx);
                        polled = Pin::new(&mut up.inner).poll_frame(cx);
                    }
                }
                match &polled {
                    Poll::Ready(None) => up.finish(),
                    Poll::Ready(Some(Ok(_))) if up.inner.is_end_stream() => up.finish(),
                    Poll::Ready(Some(Err(_))) => up.release = None,
                    _ => {}
                }
                polled
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            LbBody::Full(data) => data.is_none(),
            LbBody::Upstream(up) => up.inner.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            LbBody::Full(data) => SizeHint::with_exact(data.as_ref().map_or(0, |d| d.len() as u64)),
            LbBody::Upstream(up) => up.inner.size_hint(),
        }
    }
}
