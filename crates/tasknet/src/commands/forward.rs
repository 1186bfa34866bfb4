//! One writer: while `tasknet serve` runs a state folder, tasknet's own
//! commands that change the account are sent to it and run there, on the
//! server's session, instead of waiting for a lock the server holds for
//! its whole life. The CLI is then only a way of asking; the server's
//! process is the one that changes the account.
//!
//! The channel is the server's `POST /_tasknet/command` with the token of
//! its `serve.json` (readable by its owner only). Inside the server the
//! command's output is collected (its stdout and the exit code go back
//! whole, after the command ends) and [`super::open_session`] hands the
//! server's session to the command instead of opening the store.

use crate::cli::{Cli, Command};
use crate::error::CliError;
use runtime::Session;
use std::cell::RefCell;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::time::Duration;
use wire::server::{CommandOutput, CommandRequest, ServerFile, SERVER_FILE, TOKEN_HEADER};

thread_local! {
    /// The server's session while a forwarded command runs on this thread.
    static LENT: RefCell<Option<Session>> = const { RefCell::new(None) };
    /// The forwarded command's stdout, while it runs on this thread.
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A session a command changes: its own, or the server's lent one (given
/// back when the handle drops).
pub struct SessionHandle {
    session: Option<Session>,
    lent: bool,
}

impl SessionHandle {
    /// A session the command opened itself.
    pub fn owned(session: Session) -> SessionHandle {
        SessionHandle { session: Some(session), lent: false }
    }
}

impl Deref for SessionHandle {
    type Target = Session;
    fn deref(&self) -> &Session {
        // Always Some until drop.
        self.session.as_ref().unwrap_or_else(|| unreachable!("a handle holds its session until dropped"))
    }
}

impl DerefMut for SessionHandle {
    fn deref_mut(&mut self) -> &mut Session {
        self.session.as_mut().unwrap_or_else(|| unreachable!("a handle holds its session until dropped"))
    }
}

impl Drop for SessionHandle {
    fn drop(&mut self) {
        if self.lent {
            let session = self.session.take();
            LENT.with(|l| *l.borrow_mut() = session);
        }
    }
}

/// The server's session, if a forwarded command runs on this thread.
pub fn borrow() -> Option<SessionHandle> {
    LENT.with(|l| l.borrow_mut().take()).map(|s| SessionHandle { session: Some(s), lent: true })
}

/// Collects `text` when a forwarded command runs on this thread (true), else leaves it to stdout.
pub fn capture(text: &str) -> bool {
    CAPTURED.with(|c| match c.borrow_mut().as_mut() {
        Some(buf) => {
            buf.push_str(text);
            true
        }
        None => false,
    })
}

/// Whether `command` changes the stored account, and so goes to a running server.
fn forwarded(command: &Command) -> bool {
    use crate::cli::AccountCommand;
    matches!(
        command,
        Command::Deploy(_)
            | Command::DeleteStack(_)
            | Command::RunTask(_)
            | Command::StopTask(_)
            | Command::UpdateService(_)
            | Command::Account(AccountCommand::Load { .. } | AccountCommand::Import { .. } | AccountCommand::Reset)
    )
}

/// Sends the command to the state folder's running server, if one runs:
/// its exit code after its output was printed; `None` to run it here.
pub fn to_server(cli: &Cli, args: &[String]) -> Option<Result<u8, CliError>> {
    if !forwarded(&cli.command) || cli.account_file.is_some() {
        return None;
    }
    let dir = runtime::state::state_dir(cli.state_dir.as_deref()).ok()?;
    let file: ServerFile = serde_json::from_slice(&std::fs::read(dir.join(SERVER_FILE)).ok()?).ok()?;
    if !runtime::lock::alive(file.pid) {
        return None;
    }
    let cwd = std::env::current_dir().ok()?;
    let body = serde_json::to_vec(&CommandRequest { args: args.to_vec(), cwd }).ok()?;
    Some(post(&file, &body).map(|out| {
        print!("{}", out.stdout);
        eprint!("{}", out.stderr);
        let _ = std::io::stdout().flush();
        out.code
    }))
}

/// One HTTP/1.1 request to the server, read to its end.
fn post(file: &ServerFile, body: &[u8]) -> Result<CommandOutput, CliError> {
    let fail = |e: std::io::Error| {
        CliError::Refused(format!("cannot reach the tasknet server at {} (pid {}): {e}", file.addr, file.pid))
    };
    let mut stream = TcpStream::connect_timeout(&file.addr, Duration::from_secs(5)).map_err(fail)?;
    let head = format!(
        "POST /_tasknet/command HTTP/1.1\r\nHost: {}\r\n{TOKEN_HEADER}: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        file.addr,
        file.token,
        body.len()
    );
    stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body)).map_err(fail)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).map_err(fail)?;
    let text = String::from_utf8_lossy(&answer);
    let (_, json) = text.split_once("\r\n\r\n").unwrap_or(("", ""));
    serde_json::from_str(json).map_err(|e| CliError::Refused(format!("the tasknet server's answer is unreadable: {e}")))
}

/// Makes relative paths of the forwarded command the caller's.
fn rebase(cli: &mut Cli, cwd: &Path) {
    let abs = |p: &mut std::path::PathBuf| {
        if p.is_relative() {
            *p = cwd.join(&*p);
        }
    };
    let abs_text = |t: &mut Option<String>| {
        if let Some(text) = t {
            let (prefix, path) = text.strip_prefix("file://").map_or(("", text.as_str()), |p| ("file://", p));
            if Path::new(path).is_relative() {
                *text = format!("{prefix}{}", cwd.join(path).display());
            }
        }
    };
    if let Some(d) = cli.state_dir.as_mut() {
        abs(d);
    }
    match &mut cli.command {
        Command::Deploy(a) => {
            abs(&mut a.stack.template_file);
            abs_text(&mut a.stack.parameters);
            abs_text(&mut a.stack.custom_outputs);
        }
        Command::Account(crate::cli::AccountCommand::Load { file }) => abs(file),
        Command::Account(crate::cli::AccountCommand::Import { folder }) => abs(folder),
        _ => {}
    }
}

/// What `tasknet serve` runs a forwarded command with.
pub fn runner() -> wire::server::CommandRunner {
    std::sync::Arc::new(|request: &CommandRequest, session: Session| {
        let argv = std::iter::once("tasknet".to_string()).chain(request.args.iter().cloned());
        let mut cli = match <Cli as clap::Parser>::try_parse_from(argv) {
            Ok(cli) => cli,
            Err(e) => return (session, CommandOutput { stderr: e.to_string(), code: 2, ..CommandOutput::default() }),
        };
        if !forwarded(&cli.command) {
            let stderr = "tasknet: the server runs only the commands that change the account\n".to_string();
            return (session, CommandOutput { stderr, code: 2, ..CommandOutput::default() });
        }
        rebase(&mut cli, &request.cwd);
        LENT.with(|l| *l.borrow_mut() = Some(session));
        CAPTURED.with(|c| *c.borrow_mut() = Some(String::new()));
        let result = crate::run(&cli);
        let stdout = CAPTURED.with(|c| c.borrow_mut().take()).unwrap_or_default();
        let session = LENT.with(|l| l.borrow_mut().take());
        let (code, stderr) = match result {
            Ok(code) => (code, String::new()),
            Err(e) => (e.exit_code(), e.render(crate::output::text::Style::detect(false))),
        };
        match session {
            Some(session) => (session, CommandOutput { stdout, stderr, code }),
            // A handle is given back on drop, and the command has returned: never reached.
            None => unreachable!("the lent session came back when the command's handle dropped"),
        }
    })
}
