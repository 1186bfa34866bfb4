//! `tasknet up`, `exec` and `down` on the example, for real (root, ip and nft).
//! One test: `up` owns the machine's `tn-` namespaces, so nothing here runs in parallel.

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

const PORT: u16 = 18080;

/// Where `up` serves the AWS endpoint in this test.
const ENDPOINT: u16 = 14566;

/// A signed ECS request to `up`'s endpoint: the status and the body.
fn ecs(target: &str, body: &str) -> (u16, String) {
    let now = i64::try_from(wall_ms() / 1000).unwrap_or(0);
    let mut req = wire::dispatch::HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        headers: vec![
            ("host".into(), format!("127.0.0.1:{ENDPOINT}")),
            ("content-type".into(), "application/x-amz-json-1.1".into()),
            ("x-amz-target".into(), format!("AmazonEC2ContainerServiceV20141113.{target}")),
        ],
        body: body.as_bytes().to_vec(),
        ..Default::default()
    };
    req.sign("test", "test", "us-east-1", "ecs", now);
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", ENDPOINT)) else { return (0, String::new()) };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = format!("POST / HTTP/1.1\r\nConnection: close\r\ncontent-length: {}\r\n", req.body.len());
    for (k, v) in &req.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = s.write_all(head.as_bytes()).and_then(|()| s.write_all(&req.body));
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

fn tasknet(st: &Path, list: &[&str]) -> Run {
    run_in(&todobackend(), st, &args(list))
}

/// GET / through the forward on 127.0.0.1; the body.
fn get() -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", PORT)) else { return String::new() };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n");
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    text
}

/// A plain HTTP/1.1 exchange with `up`'s endpoint: the whole answer (head and body).
fn endpoint_exchange(request: &str) -> String {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", ENDPOINT)) else { return String::new() };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = s.write_all(request.as_bytes());
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    text
}

/// The console's page at `path` (below `/_console`), logged in with the default key.
fn console_page(path: &str) -> String {
    let origin = format!("http://127.0.0.1:{ENDPOINT}");
    let form = "access_key=test&secret_key=test";
    let login = endpoint_exchange(&format!(
        "POST /_console/login HTTP/1.1\r\nHost: 127.0.0.1:{ENDPOINT}\r\nOrigin: {origin}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    ));
    let cookie = login
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_string();
    assert!(!cookie.is_empty(), "logged in: {login}");
    endpoint_exchange(&format!(
        "GET /_console{path} HTTP/1.1\r\nHost: 127.0.0.1:{ENDPOINT}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    ))
}

/// The console shows what the task group's rule for the load balancer has let in.
fn the_console_counts_the_rule_the_load_balancer_came_through(st: &Path) {
    let groups = tasknet(st, &["describe", "security-groups", "--output", "json"]).json();
    let id = groups["SecurityGroups"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|g| g["GroupName"].as_str().is_some_and(|n| n.contains("-ApplicationSecurityGroup")))
        .and_then(|g| g["GroupId"].as_str())
        .unwrap_or_default()
        .to_string();
    assert!(id.starts_with("sg-"), "{groups}");
    // The console reads the counters at most once a second.
    std::thread::sleep(Duration::from_millis(1100));
    let page = console_page(&format!("/sg/{id}"));
    let row = page.split("<tr").find(|r| r.contains("data-rule=") && r.contains("8000")).unwrap_or_default();
    let packets: u64 = row
        .split(" packets, ")
        .next()
        .and_then(|h| h.rsplit('>').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(packets >= 1, "the requests' connections were counted on the 8000 rule: {row}\n{page}");
}

fn address_in(body: &str) -> Option<String> {
    let i = body.find("\"address\":\"")? + 11;
    Some(body[i..].split('"').next()?.to_string())
}

/// `curl ARGS` inside namespace `ns`: whether it succeeded, and what it printed.
fn curl_in(ns: &str, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new("ip")
        .args(["netns", "exec", ns, "curl", "-sS", "-m", "3"])
        .args(args)
        .output()
        .expect("run ip netns exec");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Each awsvpc task's namespace answers its own task role's keys at
/// 169.254.170.2 (another task's ID is not found there) and cannot reach
/// instance metadata; each container instance's answers IMDSv2 with its
/// profile's role and its identity document.
fn credentials_are_served_where_aws_serves_them(st: &Path, scope: &str) {
    let (account, _) = runtime::state::account_for_reading(Some(st), None).expect("the account");
    let tasks: Vec<(String, String, String)> = account
        .tasks
        .values()
        .filter(|t| t.is_live())
        .filter_map(|t| {
            let c = account.task_credentials_of(&t.task_arn)?;
            Some((format!("{scope}{}", t.eni_id.clone()?), c.credentials_id.clone(), c.role_arn.clone()))
        })
        .collect();
    assert_eq!(tasks.len(), 2, "both service tasks have a task role and a credentials ID");
    for (i, (ns, id, role)) in tasks.iter().enumerate() {
        let (ok, body) = curl_in(ns, &[&format!("http://169.254.170.2/v2/credentials/{id}")]);
        assert!(
            ok && body.contains(&format!("\"RoleArn\":\"{role}\"")) && body.contains("\"AccessKeyId\":\"ASIA"),
            "{body}"
        );
        let other = &tasks[(i + 1) % tasks.len()].1;
        let (_, body) = curl_in(ns, &[&format!("http://169.254.170.2/v2/credentials/{other}")]);
        assert!(body.contains("Credentials not found"), "another task's ID: {body}");
        let (ok, body) = curl_in(ns, &["-m", "2", "http://169.254.169.254/latest/meta-data/"]);
        assert!(!ok, "awsvpc tasks cannot reach instance metadata: {body}");
        // The endpoint holds no socket on port 80: a container may listen on 0.0.0.0:80.
        let bind = "import socket; s = socket.socket(); s.bind(('0.0.0.0', 80)); s.listen()";
        let status = std::process::Command::new("ip").args(["netns", "exec", ns, "python3", "-c", bind]).status();
        assert!(status.is_ok_and(|s| s.success()), "port 80 is free in {ns}");
    }
    assert!(!account.instances.is_empty());
    for i in account.instances.values() {
        let ns = format!("{scope}{}", i.network_interface_ids[0]);
        let ttl = "X-aws-ec2-metadata-token-ttl-seconds: 60";
        let (ok, token) = curl_in(&ns, &["-X", "PUT", "-H", ttl, "http://169.254.169.254/latest/api/token"]);
        assert!(ok && token.len() == 56, "{token}");
        let auth = format!("X-aws-ec2-metadata-token: {token}");
        let (_, role) =
            curl_in(&ns, &["-H", &auth, "http://169.254.169.254/latest/meta-data/iam/security-credentials/"]);
        assert!(role.contains("ApplicationAutoscalingInstanceRole"), "{role}");
        let url = format!("http://169.254.169.254/latest/meta-data/iam/security-credentials/{role}");
        let (_, keys) = curl_in(&ns, &["-H", &auth, &url]);
        assert!(keys.contains("\"Code\" : \"Success\"") && keys.contains("ASIA"), "{keys}");
        let (_, doc) = curl_in(&ns, &["-H", &auth, "http://169.254.169.254/latest/dynamic/instance-identity/document"]);
        assert!(doc.contains(&format!("\"instanceId\" : \"{}\"", i.instance_id)), "{doc}");
    }
}

/// Stops any `up` and removes its namespaces, also when the test fails.
struct Down<'a>(&'a Path);
impl Drop for Down<'_> {
    fn drop(&mut self) {
        let _ = tasknet(self.0, &["down"]);
    }
}

#[test]
#[ignore = "needs root: tasknet up creates network namespaces and nftables rules"]
fn the_example_runs_for_real_and_leaves_nothing_behind() {
    assert!(
        dataplane::preflight::is_root() && dataplane::preflight::find("nft").is_some(),
        "run as root, with nft installed"
    );
    let st = state();
    let run = deploy_example(st.path(), &["--quiet"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let _down = Down(st.path());

    let endpoint = ENDPOINT.to_string();
    let run = tasknet(st.path(), &["up", "--detach", "--publish", &PORT.to_string(), "--endpoint-port", &endpoint]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.contains(&format!("http://127.0.0.1:{PORT}/")), "{}", run.all());

    // `up` serves the AWS endpoint too, in real time: the running tasks with their ENIs' addresses.
    let (status, body) = ecs("ListTasks", r#"{"cluster":"todobackend-cluster"}"#);
    assert_eq!(status, 200, "{body}");
    let tasks: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let (status, body) = ecs(
        "DescribeTasks",
        &serde_json::json!({"cluster": "todobackend-cluster", "tasks": tasks["taskArns"]}).to_string(),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.matches("\"privateIPv4Address\"").count(), 2, "{body}");
    let status: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(st.path().join("up.json")).unwrap_or_default())
            .unwrap_or_default();
    let scope = status["scope"].as_str().unwrap_or_default().to_string();

    // Two `up`s at once: refused.
    let run = tasknet(st.path(), &["up", "--for", "1"]);
    assert_ne!(run.code, Some(0), "{}", run.all());
    assert!(run.stderr.contains("already running"), "{}", run.all());

    // The load balancer spreads requests over the two tasks, alternating.
    let mut seen = Vec::new();
    let started = Instant::now();
    while seen.len() < 4 && started.elapsed() < Duration::from_secs(20) {
        match address_in(&get()) {
            Some(a) => seen.push(a),
            None => std::thread::sleep(Duration::from_millis(200)),
        }
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert_ne!(seen[0], seen[1], "round robin: {seen:?}");
    assert_eq!(seen[0], seen[2], "{seen:?}");
    assert_eq!(seen[1], seen[3], "{seen:?}");
    the_console_counts_the_rule_the_load_balancer_came_through(st.path());

    // A task reaches the internet on 443 through the NAT gateway (the internet sees its Elastic IP), not on 80.
    let run = tasknet(st.path(), &["describe", "nat-gateways", "--output", "json"]);
    let eip =
        run.json()["NatGateways"][0]["NatGatewayAddresses"][0]["PublicIp"].as_str().unwrap_or_default().to_string();
    let run =
        tasknet(st.path(), &["exec", "ApplicationService", "--", "curl", "-sS", "-m", "5", "http://203.0.113.10:443/"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(
        !eip.is_empty() && run.stdout.contains(&format!("\"you\":\"{eip}\"")),
        "the internet sees the NAT gateway's Elastic IP {eip}: {}",
        run.all()
    );
    // The same port speaks TLS to a client that starts a handshake, with a certificate from the local CA
    // for the internet hosts' names and addresses.
    let ca = st.path().join("ca").join(workload::ca::CA_CERT_FILE);
    let ca = ca.to_string_lossy();
    let https = |url: &str, extra: &[&str]| {
        let mut a = vec!["exec", "ApplicationService", "--", "curl", "-sS", "-m", "5", "--cacert", &*ca];
        a.extend_from_slice(extra);
        a.push(url);
        tasknet(st.path(), &a)
    };
    let run = https("https://203.0.113.10/", &[]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.contains(&format!("\"you\":\"{eip}\"")), "{}", run.all());
    let run = https("https://example.com/", &["--resolve", "example.com:443:203.0.113.10"]);
    assert!(run.code == Some(0) && run.stdout.contains("\"server\":\"example.com\""), "{}", run.all());
    let run =
        tasknet(st.path(), &["exec", "ApplicationService", "--", "curl", "-sS", "-m", "2", "http://203.0.113.10:80/"]);
    assert_ne!(run.code, Some(0), "no egress rule for 80: {}", run.all());
    credentials_are_served_where_aws_serves_them(st.path(), &scope);

    // Nothing on the internet reaches a task directly; the load balancer reaches it, not the database.
    let task = seen[0].clone();
    let run =
        tasknet(st.path(), &["exec", "internet", "--", "curl", "-sS", "-m", "2", &format!("http://{task}:8000/")]);
    assert_ne!(run.code, Some(0), "{}", run.all());
    let run = tasknet(
        st.path(),
        &["exec", "ApplicationLoadBalancer", "--", "curl", "-sS", "-m", "3", &format!("http://{task}:8000/")],
    );
    assert_eq!(run.code, Some(0), "{}", run.all());
    let run = tasknet(st.path(), &["exec", "ApplicationDatabase", "--", "hostname", "-I"]);
    let db = run.stdout.split_whitespace().next().unwrap_or_default().to_string();
    assert!(db.starts_with("172.31."), "{}", run.all());
    let run = tasknet(
        st.path(),
        &["exec", "ApplicationService", "--", "curl", "-sS", "-m", "3", &format!("http://{db}:3306/")],
    );
    assert_eq!(run.code, Some(0), "tasks reach the database: {}", run.all());
    let run = tasknet(
        st.path(),
        &["exec", "ApplicationLoadBalancer", "--", "curl", "-sS", "-m", "2", &format!("http://{db}:3306/")],
    );
    assert_ne!(run.code, Some(0), "the load balancer does not: {}", run.all());

    // One namespace per live ENI, plus the router, the internet gateway and the internet.
    let enis = tasknet(st.path(), &["describe", "network-interfaces", "--output", "json"]).json()["NetworkInterfaces"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(namespaces(&scope).len(), enis + 3, "{:?}", namespaces(&scope));

    // kill -9, then a new `up`: the same, exactly one namespace per live ENI.
    let status: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(st.path().join("up.json")).unwrap_or_default())
            .unwrap_or_default();
    let pid = status["pid"].as_u64().unwrap_or(0);
    assert!(pid > 0, "{status}");
    let _ = std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status();
    std::thread::sleep(Duration::from_millis(300));
    let run = tasknet(st.path(), &["up", "--detach", "--publish", &PORT.to_string()]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert_eq!(namespaces(&scope).len(), enis + 3, "{:?}", namespaces(&scope));
    assert!(address_in(&get()).is_some());

    // `down` leaves nothing.
    let run = tasknet(st.path(), &["down"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(namespaces(&scope).is_empty(), "{:?}", namespaces(&scope));
}
