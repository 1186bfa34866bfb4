//! Warm execution environments per function, and the invocation in Lambda's terms.

use crate::api::Event;
use crate::code::{task_root, Language};
use crate::env::{Ended, Environment, Launch, Ran};
use crate::util::{hex, iso_ms, log_stream_name, now_ms, random_bytes, sha256_hex, uuid4};
use crate::{Code, FunctionSpec, Invocation, InvokeContext, Outcome, RunnerError};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Idle environments kept per function; more are stopped when they come back (our choice).
const MAX_IDLE_PER_FUNCTION: usize = 16;
/// How long an idle environment is kept. Lambda keeps idle environments for an unspecified
/// time (minutes to hours; not documented): 15 minutes is our choice, checked at each invoke.
const IDLE_LIMIT: Duration = Duration::from_secs(15 * 60);

/// The credentials and endpoint an environment was started with. An environment's variables
/// cannot change after start, so an invocation whose context differs (new STS credentials,
/// another endpoint) gets a fresh environment, and the old one is stopped.
#[derive(Clone, PartialEq, Eq)]
struct Identity {
    endpoint_url: String,
    region: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Identity {
    fn of(ctx: &InvokeContext) -> Identity {
        Identity {
            endpoint_url: ctx.endpoint_url.clone(),
            region: ctx.region.clone(),
            access_key_id: ctx.access_key_id.clone(),
            secret_access_key: ctx.secret_access_key.clone(),
            session_token: ctx.session_token.clone(),
        }
    }
}

struct Idle {
    config: String,
    identity: Identity,
    env: Environment,
    /// The key of the environment in `Runner::live`.
    id: u64,
    /// When it went idle.
    since: Instant,
}

#[derive(Default)]
struct FunctionPool {
    /// Bumped by `retire`: environments started before it are not taken back.
    generation: u64,
    idle: Vec<Idle>,
}

/// How a runtime is started, found once per runtime identifier.
#[derive(Clone)]
struct Launcher {
    program: PathBuf,
    /// Arguments before the handler (Python: `-m awslambdaric`), or the bootstrap (Node).
    args: Vec<String>,
    /// LAMBDA_RUNTIME_DIR.
    runtime_dir: PathBuf,
    /// Whether the handler is passed as the last argument (awslambdaric) or only in `_HANDLER`.
    handler_arg: bool,
}

/// Warm execution environments per function, reused across invocations like Lambda's.
/// `Send + Sync`; `invoke` blocks the calling thread until the invocation ends; many threads
/// may invoke at once (a second concurrent invocation of a function gets its own environment).
pub struct Runner {
    cache_dir: PathBuf,
    pools: Mutex<HashMap<String, FunctionPool>>,
    /// Process ids of every running environment, idle or busy, for `shutdown`.
    live: Mutex<HashMap<u64, u32>>,
    next_env: AtomicU64,
    launchers: Mutex<HashMap<String, Launcher>>,
    closed: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Everything of a spec that an environment bakes in at start (code, handler, limits,
/// variables), hashed: a different value means a different environment.
fn config_key(spec: &FunctionSpec) -> String {
    let code = match &spec.code {
        Code::Inline(s) => format!("inline:{}", sha256_hex(s.as_bytes())),
        Code::Zip(b) if spec.code_sha256.is_empty() => format!("zip:{}", sha256_hex(b)),
        Code::Zip(_) => format!("zip:{}", spec.code_sha256),
        Code::Dir(d) => format!("dir:{}", d.display()),
    };
    let text = serde_json::json!([
        code,
        spec.arn,
        spec.version,
        spec.runtime,
        spec.handler,
        spec.timeout_s,
        spec.memory_mb,
        spec.environment,
    ])
    .to_string();
    sha256_hex(text.as_bytes())
}

fn trace_id() -> String {
    let secs = now_ms() / 1000;
    format!("Root=1-{secs:08x}-{};Parent={};Sampled=0", hex(&random_bytes::<12>()), hex(&random_bytes::<8>()))
}

impl Runner {
    /// Environments are built and cached under `cache_dir` (venvs per Python version with
    /// awslambdaric and boto3 from PyPI; unpacked code by its hash).
    pub fn new(cache_dir: PathBuf) -> Runner {
        Runner {
            cache_dir,
            pools: Mutex::new(HashMap::new()),
            live: Mutex::new(HashMap::new()),
            next_env: AtomicU64::new(1),
            launchers: Mutex::new(HashMap::new()),
            closed: AtomicBool::new(false),
        }
    }

    /// The default cache dir: $TASKNET_CACHE_DIR, else $XDG_CACHE_HOME/tasknet, else ~/.cache/tasknet.
    pub fn default_cache_dir() -> PathBuf {
        if let Some(d) = std::env::var_os("TASKNET_CACHE_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(d);
        }
        if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            return PathBuf::from(d).join("tasknet");
        }
        let home = std::env::var_os("HOME").unwrap_or_else(|| "/tmp".into());
        PathBuf::from(home).join(".cache").join("tasknet")
    }

    /// The cache dir this runner uses.
    pub fn cache_dir(&self) -> &std::path::Path {
        &self.cache_dir
    }

    /// Makes sure `runtime` can start (its interpreter found, the Python venv built), so the
    /// first invocation's cold start does not include building it.
    pub fn prepare(&self, runtime: &str) -> Result<(), RunnerError> {
        self.launcher(runtime).map(|_| ())
    }

    fn launcher(&self, runtime: &str) -> Result<Launcher, RunnerError> {
        if let Some(l) = lock(&self.launchers).get(runtime) {
            return Ok(l.clone());
        }
        let launcher = match Language::of(runtime)? {
            Language::Python => {
                let interp = crate::python::find_interpreter(&self.cache_dir, runtime)?;
                let python = crate::python::ensure_venv(&self.cache_dir, runtime, &interp)?;
                let runtime_dir = python.parent().and_then(|b| b.parent()).map(PathBuf::from).unwrap_or_default();
                Launcher {
                    program: python,
                    args: vec!["-m".into(), "awslambdaric".into()],
                    runtime_dir,
                    handler_arg: true,
                }
            }
            Language::Node => {
                let node = crate::node::find_node(runtime)?;
                let bootstrap = crate::node::bootstrap(&self.cache_dir)?;
                Launcher {
                    program: node,
                    args: vec![bootstrap.display().to_string()],
                    runtime_dir: bootstrap.parent().map(PathBuf::from).unwrap_or_default(),
                    handler_arg: false,
                }
            }
        };
        lock(&self.launchers).insert(runtime.to_string(), launcher.clone());
        Ok(launcher)
    }

    /// The variables of a new environment (research: Lambda's "Defined runtime environment
    /// variables"): the host's PATH, HOME and LANG, then the function's variables, then the
    /// reserved ones, which the function's cannot override.
    fn variables(
        &self,
        spec: &FunctionSpec,
        ctx: &InvokeContext,
        lang: Language,
        launcher: &Launcher,
        root: &std::path::Path,
        stream: &str,
    ) -> Result<BTreeMap<String, String>, RunnerError> {
        let mut env = BTreeMap::new();
        for k in ["PATH", "HOME", "LANG"] {
            if let Ok(v) = std::env::var(k) {
                env.insert(k.to_string(), v);
            }
        }
        env.insert("TZ".into(), ":UTC".into());
        if !ctx.endpoint_url.is_empty() {
            env.insert("AWS_ENDPOINT_URL".into(), ctx.endpoint_url.clone());
        }
        env.extend(spec.environment.clone());
        let reserved = [
            ("AWS_REGION", ctx.region.clone()),
            ("AWS_DEFAULT_REGION", ctx.region.clone()),
            ("AWS_LAMBDA_FUNCTION_NAME", spec.name.clone()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", spec.memory_mb.to_string()),
            ("AWS_LAMBDA_FUNCTION_VERSION", spec.version.clone()),
            ("_HANDLER", spec.handler.clone()),
            ("AWS_EXECUTION_ENV", format!("AWS_Lambda_{}", spec.runtime)),
            ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{}", spec.name)),
            ("AWS_LAMBDA_LOG_STREAM_NAME", stream.to_string()),
            ("LAMBDA_TASK_ROOT", root.display().to_string()),
            ("LAMBDA_RUNTIME_DIR", launcher.runtime_dir.display().to_string()),
            ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".into()),
            ("AWS_ACCESS_KEY_ID", ctx.access_key_id.clone()),
            ("AWS_SECRET_ACCESS_KEY", ctx.secret_access_key.clone()),
        ];
        for (k, v) in reserved {
            env.insert(k.to_string(), v);
        }
        match &ctx.session_token {
            Some(t) => env.insert("AWS_SESSION_TOKEN".into(), t.clone()),
            None => env.remove("AWS_SESSION_TOKEN"),
        };
        // It would switch awslambdaric to its multi-concurrency mode.
        env.remove("AWS_LAMBDA_MAX_CONCURRENCY");
        if lang == Language::Python {
            let mut path = root.display().to_string();
            if matches!(spec.code, Code::Inline(_)) {
                // cfnresponse is provided only for Code.ZipFile ("cfn-response module").
                let dir = crate::python::cfnresponse_dir(&self.cache_dir)?;
                path.push(':');
                path.push_str(&dir.display().to_string());
            }
            env.insert("PYTHONPATH".into(), path);
        }
        Ok(env)
    }

    fn start_env(&self, spec: &FunctionSpec, ctx: &InvokeContext) -> Result<Environment, RunnerError> {
        let lang = Language::of(&spec.runtime)?;
        let launcher = self.launcher(&spec.runtime)?;
        let root = task_root(&self.cache_dir, spec, lang)?;
        let stream = log_stream_name(&spec.version, now_ms());
        let env = self.variables(spec, ctx, lang, &launcher, &root, &stream)?;
        let mut args = launcher.args.clone();
        if launcher.handler_arg {
            args.push(spec.handler.clone());
        }
        let launch = Launch { program: launcher.program.clone(), args, cwd: root, env };
        Environment::start(launch, stream)
            .map_err(|e| RunnerError::Io(format!("cannot start the {} runtime: {e}", spec.runtime)))
    }

    /// Runs one invocation, blocking the calling thread until it ends.
    pub fn invoke(&self, spec: &FunctionSpec, ctx: &InvokeContext, payload: &[u8]) -> Result<Invocation, RunnerError> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(RunnerError::Io("the Lambda runner is shut down".into()));
        }
        Language::of(&spec.runtime)?;
        let config = config_key(spec);
        let identity = Identity::of(ctx);
        let (found, stale, generation) = {
            let mut pools = lock(&self.pools);
            let mut stale = Vec::new();
            // Environments idle too long, anywhere, are stopped.
            for pool in pools.values_mut() {
                if pool.idle.iter().any(|i| i.since.elapsed() > IDLE_LIMIT) {
                    let (old, keep): (Vec<Idle>, Vec<Idle>) =
                        std::mem::take(&mut pool.idle).into_iter().partition(|i| i.since.elapsed() > IDLE_LIMIT);
                    pool.idle = keep;
                    stale.extend(old.into_iter().map(|i| (i.env, i.id)));
                }
            }
            let pool = pools.entry(spec.name.clone()).or_default();
            let mut found = None;
            for idle in std::mem::take(&mut pool.idle) {
                if !idle.env.is_usable() {
                    stale.push((idle.env, idle.id));
                } else if idle.config == config && idle.identity == identity {
                    if found.is_none() {
                        found = Some((idle.env, idle.id));
                    } else {
                        pool.idle.push(idle);
                    }
                } else {
                    // Other credentials (superseded), or the function's code or configuration
                    // changed: never taken again.
                    stale.push((idle.env, idle.id));
                }
            }
            (found, stale, pool.generation)
        };
        for env in stale {
            self.forget(env);
        }
        let (mut env, mut id) = match found {
            Some((env, id)) => (env, id),
            None => self.fresh(spec, ctx)?,
        };
        let request_id = ctx.request_id.clone().filter(|r| !r.is_empty()).unwrap_or_else(uuid4);
        // An empty payload reaches the handler as `{}`, as Invoke without --payload does
        // (observed; not stated on an AWS page).
        let payload: &[u8] = if payload.iter().all(u8::is_ascii_whitespace) { b"{}" } else { payload };
        let event = || Event {
            request_id: request_id.clone(),
            payload: payload.to_vec(),
            timeout_ms: u64::from(spec.timeout_s) * 1000,
            function_arn: spec.arn.clone(),
            trace_id: trace_id(),
            version: spec.version.clone(),
            client_context: None,
            cognito_identity: None,
        };
        let timeout = Duration::from_secs(u64::from(spec.timeout_s));
        let mut ran = env.run(event(), timeout, spec.memory_mb);
        if ran.died_idle {
            // The warm environment had died while idle; Lambda would use another one.
            self.forget((env, id));
            (env, id) = self.fresh(spec, ctx)?;
            ran = env.run(event(), timeout, spec.memory_mb);
        }
        let invocation = assemble(spec, &request_id, &env.log_stream_name, ran);
        self.give_back(spec, config, identity, generation, env, id);
        Ok(invocation)
    }

    fn fresh(&self, spec: &FunctionSpec, ctx: &InvokeContext) -> Result<(Environment, u64), RunnerError> {
        let env = self.start_env(spec, ctx)?;
        let id = self.next_env.fetch_add(1, Ordering::SeqCst);
        lock(&self.live).insert(id, env.pid());
        Ok((env, id))
    }

    fn give_back(
        &self,
        spec: &FunctionSpec,
        config: String,
        identity: Identity,
        generation: u64,
        env: Environment,
        id: u64,
    ) {
        if env.is_usable() && !self.closed.load(Ordering::SeqCst) {
            let mut pools = lock(&self.pools);
            let pool = pools.entry(spec.name.clone()).or_default();
            if pool.generation == generation && pool.idle.len() < MAX_IDLE_PER_FUNCTION {
                pool.idle.push(Idle { config, identity, env, id, since: Instant::now() });
                return;
            }
        }
        self.forget((env, id));
    }

    fn forget(&self, (env, id): (Environment, u64)) {
        lock(&self.live).remove(&id);
        drop(env);
    }

    /// Drops the warm environments of a function (its code or configuration changed, or it was deleted).
    pub fn retire(&self, function_name: &str) {
        let idle = {
            let mut pools = lock(&self.pools);
            let pool = pools.entry(function_name.to_string()).or_default();
            pool.generation += 1;
            std::mem::take(&mut pool.idle)
        };
        for i in idle {
            self.forget((i.env, i.id));
        }
    }

    /// Stops every environment (the server is stopping). Also done on Drop.
    pub fn shutdown(&self) {
        self.closed.store(true, Ordering::SeqCst);
        let idle: Vec<Idle> = lock(&self.pools).values_mut().flat_map(|p| std::mem::take(&mut p.idle)).collect();
        for i in idle {
            self.forget((i.env, i.id));
        }
        // Busy environments: their invocations end as the runtime exits.
        for pid in lock(&self.live).values() {
            // SAFETY: signalling the process group of an environment we started.
            unsafe {
                libc::kill(-(*pid as i32), libc::SIGKILL);
            }
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn exit_payload(request_id: &str, status: &str, error_type: &str) -> Vec<u8> {
    serde_json::json!({
        "errorType": error_type,
        "errorMessage": format!("RequestId: {request_id} Error: Runtime exited with error: {status}"),
    })
    .to_string()
    .into_bytes()
}

/// Puts a run in Lambda's terms: outcome, payload, `X-Amz-Function-Error`, and the log lines
/// with START/END/REPORT as Lambda writes them.
fn assemble(spec: &FunctionSpec, request_id: &str, stream: &str, ran: Ran) -> Invocation {
    let Ran { ended, mut logs, duration, init_duration, max_memory_mb, .. } = ran;
    if !logs.iter().any(|(_, l)| l.starts_with("START RequestId: ")) {
        // The runtime never took the event (its init failed): Lambda still logs START.
        logs.push((now_ms(), format!("START RequestId: {request_id} Version: {}", spec.version)));
    }
    let duration_ms = duration.as_secs_f64() * 1000.0;
    let unhandled = Some("Unhandled".to_string());
    let mut after = Vec::new();
    let (outcome, payload, function_error) = match ended {
        Ended::Response(body) => (Outcome::Success, body, None),
        Ended::Error(body) => (Outcome::FunctionError, body, unhandled),
        Ended::InitError(body) => (Outcome::InitError, body, unhandled),
        Ended::Exited { status, during_init } => {
            logs.push((now_ms(), format!("RequestId: {request_id} Error: Runtime exited with error: {status}")));
            logs.push((now_ms(), "Runtime.ExitError".into()));
            let outcome = if during_init { Outcome::InitError } else { Outcome::FunctionError };
            (outcome, exit_payload(request_id, &status, "Runtime.ExitError"), unhandled)
        }
        Ended::OutOfMemory => {
            // A function over its memory is killed; Invoke then returns Runtime.ExitError with
            // "signal: killed" (observed in public reports, not on an AWS page; newer REPORT
            // lines add "Error Type: Runtime.OutOfMemory", which we do not write).
            let status = "signal: killed";
            logs.push((now_ms(), format!("RequestId: {request_id} Error: Runtime exited with error: {status}")));
            logs.push((now_ms(), "Runtime.ExitError".into()));
            (Outcome::FunctionError, exit_payload(request_id, status, "Runtime.ExitError"), unhandled)
        }
        Ended::TimedOut => {
            // Lambda's timeout payload and log line as observed in public reports:
            // `{"errorMessage":"<ISO time> <request id> Task timed out after 3.00 seconds"}`
            // (the seconds are the elapsed time, to 2 decimals). Newer Lambda may add
            // errorType "Sandbox.Timedout" (unverified), so we keep the observed shape.
            let secs = duration.as_secs_f64().max(f64::from(spec.timeout_s));
            let line = format!("{} {request_id} Task timed out after {secs:.2} seconds", iso_ms(now_ms()));
            after.push((now_ms(), line.clone()));
            (Outcome::TimedOut, serde_json::json!({ "errorMessage": line }).to_string().into_bytes(), unhandled)
        }
    };
    let at = now_ms();
    logs.push((at, format!("END RequestId: {request_id}")));
    let billed = (duration_ms.ceil() as u64).max(1);
    let mut report = format!(
        "REPORT RequestId: {request_id}\tDuration: {duration_ms:.2} ms\tBilled Duration: {billed} ms\tMemory Size: {} MB\tMax Memory Used: {max_memory_mb} MB\t",
        spec.memory_mb
    );
    if let Some(init) = init_duration {
        report.push_str(&format!("Init Duration: {:.2} ms\t", init.as_secs_f64() * 1000.0));
    }
    logs.push((at, report));
    logs.extend(after);
    // In the order Lambda writes them, never back in time (the timeout line is stamped before
    // END and REPORT but follows them; CloudWatch Logs takes events in time order).
    let mut last = 0;
    for (t, _) in logs.iter_mut() {
        last = (*t).max(last);
        *t = last;
    }
    Invocation {
        request_id: request_id.to_string(),
        outcome,
        payload,
        function_error,
        log_stream_name: stream.to_string(),
        log_lines: logs,
        duration_ms,
        init_duration_ms: init_duration.map(|d| d.as_secs_f64() * 1000.0),
    }
}
