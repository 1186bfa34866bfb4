//! Live pages: a page's script opens `GET /_console/live?page=<its URL>&rev=<its revision>`
//! (server-sent events); the server draws that page's `<main>` again every
//! quarter second and sends it whenever it differs from what the browser
//! has, so an event, a task or a counter shows up without a reload.
//!
//! Why the server redraws instead of diffing the account: the page's HTML is
//! exactly what changed for the reader (a new service event, a task's
//! state), it costs milliseconds to draw, and the browser swaps one element.

use crate::{pages, Console, Host};
use std::time::{Duration, Instant};

/// How often an open page is drawn again: an event reaches it within this
/// plus one drawing.
const POLL: Duration = Duration::from_millis(250);

/// A page that takes long to draw (a large account) is drawn at most this often.
const SLOWEST_POLL: Duration = Duration::from_secs(2);

/// A comment is sent at least this often, so a closed tab is noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// A stream ends after this long; the browser's EventSource reconnects at
/// once, so no stream (and no thread) is held forever by a forgotten tab.
const LIFETIME: Duration = Duration::from_secs(30 * 60);

/// One open page's stream.
pub struct Live {
    token: String,
    path: String,
    query: String,
    rev: String,
    started: Instant,
    last_sent: Instant,
    /// The first call answers at once: the stream's opening (and a retry delay for reconnects).
    opened: bool,
}

impl Live {
    /// A stream for the page at `path?query`, whose browser has revision `rev`, for the session `token`.
    pub fn new(token: String, path: String, query: String, rev: String) -> Live {
        let now = Instant::now();
        Live { token, path, query, rev, started: now, last_sent: now, opened: false }
    }

    /// One step of the stream, without blocking: something to send now
    /// (the page's new `<main>` as event `main`, or a heartbeat comment),
    /// a time to wait before the next step, or the end (its time is up, the
    /// session ended, or the page is gone). The server waits between steps
    /// on its own timers, so an open page holds no thread.
    pub fn step(&mut self, console: &Console, host: &dyn Host) -> Step {
        if !self.opened {
            self.opened = true;
            return Step::Send("retry: 500\n: open\n\n".into());
        }
        if self.started.elapsed() > LIFETIME || !console.sessions().alive(&self.token) {
            return Step::End;
        }
        let began = Instant::now();
        let Some(drawn) = pages::draw_main(console, host, &self.token, &self.path, &self.query) else {
            return Step::End;
        };
        let took = began.elapsed();
        if drawn.rev != self.rev {
            self.rev = drawn.rev;
            self.last_sent = Instant::now();
            return Step::Send(event("main", &drawn.main));
        }
        if self.last_sent.elapsed() >= HEARTBEAT {
            self.last_sent = Instant::now();
            return Step::Send(": still here\n\n".into());
        }
        Step::Wait(POLL.max(took * 2).min(SLOWEST_POLL))
    }
}

/// What a stream does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Send this text now, then step again.
    Send(String),
    /// Step again after this long.
    Wait(Duration),
    /// Close the stream.
    End,
}

/// One server-sent event: each line of `data` on a `data:` line of its own.
pub fn event(name: &str, data: &str) -> String {
    let mut out = format!("event: {name}\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line.strip_suffix('\r').unwrap_or(line));
        out.push('\n');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_an_event_is_data() {
        assert_eq!(event("main", "a\nb\r\nc"), "event: main\ndata: a\ndata: b\ndata: c\n\n");
    }
}
