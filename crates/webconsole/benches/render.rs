//! How long the server takes to draw each console page (what every load
//! and every live redraw costs): on the example deployed, and on a VPC of
//! about 1,000 interfaces (`testkit::gen::services_vpc`). Prints the median
//! and the slowest of repeated draws per page; the targets are
//! 100 ms for the example and 500 ms for 1,000 ENIs.

use account::Account;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use webconsole::{ApiFailure, Console, Host, Reply, Request, RuleCounters};

struct Memory(Mutex<Account>);

impl Host for Memory {
    fn read(&self, f: &mut dyn FnMut(&Account)) -> Result<(), ApiFailure> {
        f(&self.0.lock().unwrap_or_else(|p| p.into_inner()));
        Ok(())
    }
    fn call(&self, _: &str, _: &str, op: &str, _: serde_json::Value) -> Result<serde_json::Value, ApiFailure> {
        Err(ApiFailure { code: "NotHere".into(), message: format!("{op}: drawing only"), status: 400 })
    }
    fn secret_of(&self, key: &str) -> Option<String> {
        (key == "test").then(|| "test".into())
    }
    fn rule_counters(&self) -> Option<RuleCounters> {
        None
    }
}

/// Median and maximum of `runs` draws of `url`; the page's size.
fn time(
    console: &Console,
    host: &Memory,
    cookie: &[(String, String)],
    url: &str,
    runs: usize,
) -> (Duration, Duration, usize) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = format!("{}{path}", webconsole::PREFIX);
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let req = Request { method: "GET", path: &path, query, headers: cookie, body: b"" };
        let t = Instant::now();
        let reply = console.handle(host, &req);
        times.push(t.elapsed());
        if let Reply::Full(r) = reply {
            assert_eq!(r.status, 200, "{url}: {}", String::from_utf8_lossy(&r.body));
            size = r.body.len();
        }
    }
    times.sort();
    (times[times.len() / 2], times[times.len() - 1], size)
}

fn pages(a: &Account) -> Vec<String> {
    let mut out = vec!["/".to_string(), "/ecs".into(), "/lb".into(), "/sg".into(), "/vpc".into()];
    if let Some(c) = a.clusters.values().next() {
        out.push(format!("/ecs/clusters/{}", c.cluster_name));
        if let Some(s) = a.services.values().find(|s| s.cluster_arn == c.cluster_arn) {
            out.push(format!("/ecs/clusters/{}/services/{}", c.cluster_name, s.service_name));
        }
        if let Some(t) = a.tasks.values().find(|t| t.cluster_arn == c.cluster_arn && t.is_live()) {
            out.push(format!("/ecs/clusters/{}/tasks/{}", c.cluster_name, t.task_arn.rsplit('/').next().unwrap_or("")));
        }
    }
    if let Some(g) = a.security_groups.values().max_by_key(|g| g.ingress.len() + g.egress.len()) {
        out.push(format!("/sg/{}", g.group_id));
    }
    let enis: Vec<&String> = a.network_interfaces.keys().collect();
    if let (Some(from), Some(to)) = (enis.first(), enis.last()) {
        out.push(format!("/reach?from={from}&to={to}&port=443&protocol=tcp"));
    }
    out
}

fn run(name: &str, account: Account, runs: usize) {
    println!("{name}: {} ENIs", account.network_interfaces.len());
    let urls = pages(&account);
    let console = Console::new();
    let token = console.sessions().start("test");
    let cookie = vec![("Cookie".to_string(), format!("{}={token}", webconsole::auth::COOKIE))];
    let host = Memory(Mutex::new(account));
    for url in urls {
        let (median, max, size) = time(&console, &host, &cookie, &url, runs);
        println!("  {url:<70} median {:>8.2} ms  max {:>8.2} ms  {:>8} bytes", ms(median), ms(max), size);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // `cargo test --benches` runs this too: one draw each is enough to check it works.
    let runs = if std::env::args().any(|a| a == "--bench") { 21 } else { 1 };
    run("example", testkit::example::example(), runs);
    run("generated", testkit::gen::services_vpc(1000), runs.min(7));
}
