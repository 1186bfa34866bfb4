//! `aws-chunked` bodies (AWS doc "Signature Calculations for the
//! Authorization Header: Transferring Payload in Multiple Chunks"): SDKs
//! that stream an upload send `<hex size>[;chunk-signature=…]\r\n<data>\r\n`
//! chunks, a zero-size one last, then optional trailers
//! (`x-amz-checksum-crc32:…`). The chunk signatures are not checked here:
//! the request's own signature, over the seed, was (a limit of tasknet's).

/// The payload of an `aws-chunked` body; `None` when it is not well formed.
pub fn decode(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let eol = rest.windows(2).position(|w| w == b"\r\n")?;
        let line = std::str::from_utf8(&rest[..eol]).ok()?;
        let size_text = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[eol + 2..];
        if size == 0 {
            // Trailers (if any) follow; the payload is complete.
            return Some(out);
        }
        let data = rest.get(..size)?;
        out.extend_from_slice(data);
        rest = rest.get(size..)?;
        rest = rest.strip_prefix(b"\r\n")?;
    }
}

/// Whether a request's body is `aws-chunked` (by its payload hash or encoding).
pub fn is_chunked(content_sha256: Option<&str>, content_encoding: Option<&str>) -> bool {
    content_sha256.is_some_and(|v| v.starts_with("STREAMING-"))
        || content_encoding.is_some_and(|v| v.split(',').any(|e| e.trim() == "aws-chunked"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_and_trailer_chunks_decode() {
        let signed =
            b"5;chunk-signature=ab12\r\nhello\r\n6;chunk-signature=cd34\r\n world\r\n0;chunk-signature=ef56\r\n\r\n";
        assert_eq!(decode(signed).as_deref(), Some(&b"hello world"[..]));
        let trailer = b"3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n\r\n";
        assert_eq!(decode(trailer).as_deref(), Some(&b"abc"[..]));
        assert_eq!(decode(b"5\r\nhel"), None);
        assert_eq!(decode(b"zz\r\n"), None);
        assert!(is_chunked(Some("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), None));
        assert!(is_chunked(None, Some("gzip, aws-chunked")));
        assert!(!is_chunked(Some("UNSIGNED-PAYLOAD"), Some("gzip")));
    }
}
