//! Bounded benchmark of the Lambda runner (`cargo bench -p lambda`):
//! - cold start of a Python function that imports boto3 at module level, against the peer
//!   `python -c 'import boto3'` on the same interpreter, in the same run;
//! - warm invoke overhead: the invoke's wall time minus the handler's own time (p50/p99),
//!   for Python and Node.js.

use lambda::{Code, FunctionSpec, InvokeContext, Runner};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

const COLD_RUNS: usize = 10;
const WARM_RUNS: usize = 1000;

fn spec(name: &str, runtime: &str, source: &str) -> FunctionSpec {
    FunctionSpec {
        name: name.into(),
        arn: format!("arn:aws:lambda:us-east-1:123456789012:function:{name}"),
        version: "$LATEST".into(),
        runtime: runtime.into(),
        handler: "index.handler".into(),
        code: Code::Inline(source.into()),
        code_sha256: String::new(),
        timeout_s: 30,
        memory_mb: 512,
        environment: BTreeMap::new(),
    }
}

fn ctx() -> InvokeContext {
    InvokeContext {
        endpoint_url: "http://127.0.0.1:4566".into(),
        region: "us-east-1".into(),
        access_key_id: "test".into(),
        secret_access_key: "test".into(),
        session_token: None,
        request_id: None,
    }
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn summary(label: &str, mut xs: Vec<f64>) {
    xs.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{label:<48} n={:<5} p50={:>8.3} ms  p99={:>8.3} ms  min={:>8.3} ms  max={:>8.3} ms",
        xs.len(),
        pct(&xs, 0.5),
        pct(&xs, 0.99),
        xs[0],
        xs[xs.len() - 1]
    );
}

fn warm(r: &Runner, s: &FunctionSpec, label: &str) {
    // The handler returns its own time in ms; the rest of the wall time is our overhead.
    r.invoke(s, &ctx(), b"{}").expect("first invoke");
    let mut overhead = Vec::with_capacity(WARM_RUNS);
    for _ in 0..WARM_RUNS {
        let t = Instant::now();
        let inv = r.invoke(s, &ctx(), b"{}").expect("invoke");
        let wall = t.elapsed().as_secs_f64() * 1000.0;
        let own: f64 = serde_json::from_slice(&inv.payload).expect("a number");
        overhead.push(wall - own);
    }
    summary(label, overhead);
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let cache = std::env::var_os("TASKNET_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/tmp/lambda-cache"));
    let r = Runner::new(cache.clone());
    let t = Instant::now();
    r.prepare("python3.12").expect("python environment");
    println!("python environment ready in {:.0} ms (cached after the first run)", t.elapsed().as_secs_f64() * 1000.0);

    // Peer: the same interpreter importing boto3, nothing else.
    let python = std::fs::read_dir(cache.join("python"))
        .expect("venvs")
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin/python"))
        .find(|p| p.is_file())
        .expect("a venv python");
    let mut peer = Vec::new();
    for _ in 0..COLD_RUNS {
        let t = Instant::now();
        let ok = std::process::Command::new(&python).args(["-c", "import boto3"]).status().expect("python").success();
        assert!(ok);
        peer.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    summary("peer: python -c 'import boto3'", peer);

    let cold = spec("bench-cold", "python3.12", "import boto3\ndef handler(event, context):\n    return 1\n");
    // A fresh runner's first invocation: it also finds the interpreter (remembered on disk).
    let mut first = Vec::new();
    for _ in 0..3 {
        let fresh = Runner::new(cache.clone());
        let t = Instant::now();
        fresh.invoke(&cold, &ctx(), b"{}").expect("cold invoke");
        first.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    summary("python first invoke of a fresh Runner", first);
    let mut wall = Vec::new();
    let mut init = Vec::new();
    for _ in 0..COLD_RUNS {
        r.retire("bench-cold");
        let t = Instant::now();
        let inv = r.invoke(&cold, &ctx(), b"{}").expect("cold invoke");
        wall.push(t.elapsed().as_secs_f64() * 1000.0);
        init.push(inv.init_duration_ms.expect("a cold start"));
    }
    summary("python cold start, imports boto3 (invoke wall)", wall);
    summary("python cold start, Init Duration", init);

    let node_cold = spec("bench-node-cold", "nodejs20.x", "exports.handler = async () => 1;");
    let mut wall = Vec::new();
    for _ in 0..COLD_RUNS {
        r.retire("bench-node-cold");
        let t = Instant::now();
        r.invoke(&node_cold, &ctx(), b"{}").expect("cold invoke");
        wall.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    summary("node cold start (invoke wall)", wall);

    warm(
        &r,
        &spec(
            "bench-warm-py",
            "python3.12",
            "import time\ndef handler(event, context):\n    t = time.perf_counter()\n    return (time.perf_counter() - t) * 1000.0\n",
        ),
        "python warm invoke overhead",
    );
    warm(
        &r,
        &spec(
            "bench-warm-js",
            "nodejs20.x",
            "exports.handler = async () => { const t = process.hrtime.bigint(); return Number(process.hrtime.bigint() - t) / 1e6; };",
        ),
        "node warm invoke overhead",
    );
    r.shutdown();
}
