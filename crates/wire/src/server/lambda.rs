//! What the server keeps for Lambda: one [`lambda::Runner`] for its life
//! (shut down when it stops), the address functions call back to, the
//! `--allow-deprecated-runtimes` option with its one warning per function,
//! the download URLs of deployment packages (GetFunction's `Code.Location`),
//! and short account writes for handlers that run outside the account.

use super::{not_opened, not_saved, unavailable, Backend, State, SHARED_WAIT};
use crate::dispatch::{HttpRequest, HttpResponse};
use crate::error::WireError;
use account::FunctionCode;
use base64::Engine as _;
use std::sync::Arc;

/// The path deployment packages are served under.
pub(super) const CODE_PATH: &str = "/_tasknet/lambda/code/";

impl State {
    /// The Lambda runner (one per server).
    pub fn runner(&self) -> &Arc<lambda::Runner> {
        &self.runner
    }

    /// Whether functions on runtimes past their block-create date may be created and run.
    pub fn allow_deprecated_runtimes(&self) -> bool {
        self.allow_deprecated
    }

    /// Warns once per function that it runs on a deprecated runtime.
    pub fn warn_deprecated(&self, function: &str, runtime: &str) {
        let mut warned = self.warned.lock().unwrap_or_else(|p| p.into_inner());
        if warned.insert(function.to_string()) {
            tracing::warn!(
                "function {function} uses {runtime}, past its block-create date (AWS doc \"Lambda runtimes\"); it runs only because of --allow-deprecated-runtimes"
            );
        }
    }

    /// Records the address the server listens on.
    pub(super) fn set_address(&self, addr: std::net::SocketAddr) {
        let _ = self.addr.set(addr);
    }

    /// The URL functions reach the endpoint at (loopback when bound to every address).
    pub fn endpoint_url(&self) -> String {
        match self.addr.get() {
            Some(a) if a.ip().is_unspecified() => format!("http://127.0.0.1:{}", a.port()),
            Some(a) => format!("http://{a}"),
            // Not listening (tests that call `handle` directly): nothing answers callbacks.
            None => "http://127.0.0.1:9".to_string(),
        }
    }

    /// Runs `f` on the account alone and saves it, as a write does, for
    /// handlers that run outside the account; any value comes back.
    pub fn mutate<T>(&self, f: impl FnOnce(&mut runtime::Session) -> Result<T, WireError>) -> Result<T, WireError> {
        self.wait_for_jobs();
        let run = |s: &mut runtime::Session| -> Result<T, WireError> {
            runtime::clock::catch_up(&mut s.account);
            let out = f(s)?;
            s.save().map_err(|e| not_saved(&e))?;
            self.refresh_keys(&s.account);
            Ok(out)
        };
        match &self.backend {
            Backend::Held(m) => match self.held(m, true)? {
                super::lend::Turn::Held(mut guard) => {
                    let Some(s) = guard.as_mut() else { return Err(unavailable()) };
                    run(s)
                }
                super::lend::Turn::Session(mut s) => run(&mut s),
                super::lend::Turn::Store(_) => Err(unavailable()),
            },
            Backend::Shared(dir) => {
                let mut s =
                    runtime::Session::open_waiting(Some(dir), "serve", SHARED_WAIT).map_err(|e| not_opened(&e))?;
                self.equip(&mut s);
                run(&mut s)
            }
        }
    }

    /// The signature of a package's download URL (a presigned URL's role:
    /// whoever has it may download the package, nobody can guess it).
    fn code_signature(&self, name: &str, sha: &str) -> String {
        crate::sigv4::sha256_hex(format!("{}/{name}/{sha}", self.token).as_bytes())
    }

    /// GetFunction's `Code.Location` for a function: a URL of this server.
    pub fn code_location(&self, f: &account::Function) -> String {
        let sig = self.code_signature(&f.function_name, &f.code_sha256);
        format!("{}{CODE_PATH}{}?signature={sig}", self.endpoint_url(), f.function_name)
    }

    /// Serves a deployment package (`GET /_tasknet/lambda/code/<name>?signature=…`).
    pub(super) fn serve_code(&self, req: &HttpRequest) -> HttpResponse {
        let name = req.path.trim_start_matches(CODE_PATH).to_string();
        let sig = crate::decode::form(&req.query).and_then(|q| q.get("signature").cloned()).unwrap_or_default();
        let found = self.read_account(|a| {
            let f = a.functions.get(&name).filter(|f| self.code_signature(&f.function_name, &f.code_sha256) == sig);
            f.and_then(|f| package(&f.code, &f.runtime))
        });
        match found {
            Some(Some(bytes)) => HttpResponse {
                status: 200,
                content_type: "application/zip",
                binary: Some(bytes),
                request_id: crate::dispatch::request_id(),
                ..HttpResponse::default()
            },
            // S3's answer to a URL that is not (or no longer) valid.
            _ => HttpResponse {
                status: 403,
                content_type: "application/xml",
                body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>".into(),
                request_id: crate::dispatch::request_id(),
                ..HttpResponse::default()
            },
        }
    }

    /// Reads the account as of now, for the server's own uses.
    fn read_account<T>(&self, f: impl FnOnce(&account::Account) -> T) -> Option<T> {
        match &self.backend {
            Backend::Held(m) => match self.held(m, false).ok()? {
                super::lend::Turn::Held(guard) => guard.as_ref().map(|s| f(&s.account)),
                super::lend::Turn::Session(s) => Some(f(&s.account)),
                super::lend::Turn::Store(dir) => {
                    runtime::state::account_for_reading(Some(&dir), None).ok().map(|(a, _)| f(&a))
                }
            },
            Backend::Shared(dir) => runtime::state::account_for_reading(Some(dir), None).ok().map(|(a, _)| f(&a)),
        }
    }
}

/// The zip of a function's code: its package, or its inline source as
/// `index.py`/`index.js` (as CloudFormation packs `ZipFile`); `None` for
/// code tasknet does not hold as bytes (a folder, an S3 object).
pub fn package(code: &FunctionCode, runtime: &str) -> Option<Vec<u8>> {
    match code {
        FunctionCode::Zip { zip_base64 } => base64::engine::general_purpose::STANDARD.decode(zip_base64).ok(),
        FunctionCode::Inline { source } => {
            let name = if runtime.starts_with("nodejs") { "index.js" } else { "index.py" };
            Some(stored_zip(name, source.as_bytes()))
        }
        FunctionCode::Dir { .. } | FunctionCode::S3 { .. } => None,
    }
}

/// CRC-32 (IEEE), as zip archives carry it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A zip archive holding one file, stored uncompressed (PKWARE APPNOTE 4.3).
fn stored_zip(name: &str, data: &[u8]) -> Vec<u8> {
    let (crc, size, n) = (crc32(data), data.len() as u32, name.len() as u16);
    let mut z = Vec::with_capacity(data.len() + 2 * name.len() + 100);
    // Local file header.
    z.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&[0, 0]);
    z.extend_from_slice(name.as_bytes());
    z.extend_from_slice(data);
    let central = z.len() as u32;
    // Central directory header.
    z.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 3, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&size.to_le_bytes());
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(name.as_bytes());
    let dir_size = z.len() as u32 - central;
    // End of central directory.
    z.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
    z.extend_from_slice(&dir_size.to_le_bytes());
    z.extend_from_slice(&central.to_le_bytes());
    z.extend_from_slice(&[0, 0]);
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_and_zip_have_the_standard_form() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let z = stored_zip("index.py", b"print(1)\n");
        assert!(z.starts_with(b"PK\x03\x04"));
        assert_eq!(&z[z.len() - 22..z.len() - 18], b"PK\x05\x06");
        let code = FunctionCode::Inline { source: "x".into() };
        assert!(package(&code, "nodejs20.x").is_some_and(|z| z.windows(8).any(|w| w == b"index.js")));
    }
}
