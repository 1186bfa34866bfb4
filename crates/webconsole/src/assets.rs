//! The console's stylesheet and script, embedded in the binary (no build
//! chain at run time, no CDN: the console works offline).

use crate::Response;

const CSS: &str = include_str!("assets/console.css");
const JS: &str = include_str!("assets/console.js");

/// Serves an embedded asset by name.
pub fn serve(name: &str) -> Response {
    let (content_type, body) = match name {
        "console.css" => ("text/css; charset=utf-8", CSS),
        "console.js" => ("text/javascript; charset=utf-8", JS),
        _ => return Response::text(404, "No such asset."),
    };
    Response {
        status: 200,
        content_type,
        // The binary's assets change only with the binary: an hour of caching is safe.
        headers: vec![
            ("Cache-Control".into(), "max-age=3600".into()),
            ("X-Content-Type-Options".into(), "nosniff".into()),
        ],
        body: body.as_bytes().to_vec(),
    }
}
