//! tasknet's own commands sent by its CLI to the running server, so the
//! server stays the account's one writer: `serve.json` in the state folder
//! says where it listens (with a token only its owner can read), and
//! `POST /_tasknet/command` runs the command on the server's session, lent
//! to it for the run.

use super::{Backend, State};
use crate::dispatch::{self, HttpRequest, HttpResponse};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// A tasknet command its CLI sent to the running server (the one writer).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CommandRequest {
    /// The arguments after the program's name.
    pub args: Vec<String>,
    /// The caller's working folder (relative paths are its).
    pub cwd: PathBuf,
}

/// What a forwarded command printed, and its exit code.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CommandOutput {
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// Its exit code.
    pub code: u8,
}

/// Runs a forwarded command on the server's session (lent for the run,
/// handed back with the output).
pub type CommandRunner =
    Arc<dyn Fn(&CommandRequest, runtime::Session) -> (runtime::Session, CommandOutput) + Send + Sync>;

/// The file in the state folder that tells tasknet's CLI where the server
/// listens (`{"addr", "pid", "token"}`, readable by its owner only).
pub const SERVER_FILE: &str = "serve.json";

/// The header carrying the token of [`SERVER_FILE`].
pub const TOKEN_HEADER: &str = "x-tasknet-token";

/// Where a running server of a state folder listens.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ServerFile {
    /// Its address.
    pub addr: SocketAddr,
    /// Its process.
    pub pid: u32,
    /// The secret a command must carry (whoever can read the file may command the server).
    pub token: String,
}

/// A fresh secret for [`ServerFile`] (not guessable: keyed by the hasher's random keys, the time and the pid).
pub(super) fn token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut parts = String::new();
    for _ in 0..4 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        h.write_u32(std::process::id());
        parts.push_str(&format!("{:016x}", h.finish()));
    }
    crate::sigv4::sha256_hex(parts.as_bytes())
}

impl State {
    /// Runs a command tasknet's CLI forwarded, with the account lent to it.
    pub(super) fn command(&self, req: &HttpRequest) -> HttpResponse {
        let answer = |status: u16, out: &CommandOutput| HttpResponse {
            status,
            content_type: "application/json",
            body: serde_json::to_string(out).unwrap_or_default(),
            request_id: dispatch::request_id(),
            ..HttpResponse::default()
        };
        let refuse = |status: u16, why: &str| {
            answer(status, &CommandOutput { stderr: format!("tasknet: {why}\n"), code: 2, ..CommandOutput::default() })
        };
        let given = req.header(TOKEN_HEADER).unwrap_or_default();
        let same = given.len() == self.token.len()
            && given.bytes().zip(self.token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if !same {
            return refuse(403, "the server refused the command: wrong or missing token");
        }
        let (Some(runner), Backend::Held(m)) = (&self.commands, &self.backend) else {
            return refuse(400, "this server does not run tasknet commands");
        };
        let Ok(request) = serde_json::from_slice::<CommandRequest>(&req.body) else {
            return refuse(400, "the server could not read the command");
        };
        self.wait_for_jobs();
        let ran = self.lend(
            m,
            || {},
            |session| {
                let (session, out) = runner(&request, session);
                // `account load` may have brought other keys.
                self.refresh_keys(&session.account);
                (session, out)
            },
        );
        match ran {
            Some(out) => answer(200, &out),
            None => refuse(503, "the account is busy"),
        }
    }
}

/// Writes [`SERVER_FILE`] (owner-only) so tasknet's CLI sends its commands here; its path.
pub(super) fn write_server_file(state: &State, addr: SocketAddr) -> Option<PathBuf> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt;
    state.commands.as_ref()?;
    let path = state.dir()?.join(SERVER_FILE);
    let text = serde_json::to_string(&ServerFile { addr, pid: std::process::id(), token: state.token.clone() }).ok()?;
    let _ = std::fs::remove_file(&path);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    match written {
        Ok(()) => Some(path),
        Err(e) => {
            tracing::warn!("cannot write {}: tasknet's commands will not reach this server: {e}", path.display());
            None
        }
    }
}
