//! AWS's APIs from inside the VPC, for real (root, ip and nft): an
//! application in a private subnet reads its secret with the SDK's defaults
//! (the task role's keys from 169.254.170.2, the public hostname from the
//! VPC's resolver, TLS with tasknet's CA). Through the NAT gateway it works;
//! with the NAT route deleted it times out and a new task cannot start
//! (ResourceInitializationError, from the start's real connections); with a
//! Secrets Manager interface endpoint with private DNS it works again
//! without NAT. The commands are the real aws CLI's, against `up`'s endpoint.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Where `up` serves the AWS endpoint in this test.
const ENDPOINT: u16 = 14567;

fn example() -> PathBuf {
    root().join("examples/secret-reader")
}

fn tasknet(st: &Path, list: &[&str]) -> Run {
    run_in(&example(), st, &args(list))
}

/// The real aws CLI of the test venv against `up`'s endpoint; its JSON output.
fn aws(list: &[&str]) -> serde_json::Value {
    let cli = root().join("target/venv/bin/aws");
    let out = Command::new(&cli)
        .args(list)
        .args(["--output", "json"])
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{ENDPOINT}"))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap_or_else(|e| panic!("{} (make the venv with scripts/lib/venv.sh): {e}", cli.display()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "aws {list:?}: {}{}", text, String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

/// `ip ARGS` in the root namespace (the test's own), its output.
fn root_namespace(list: &[&str]) -> String {
    let out = Command::new("ip").args(list).output().expect("ip");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stops `up` and removes its namespaces, also when the test fails.
struct Down<'a>(&'a Path);
impl Drop for Down<'_> {
    fn drop(&mut self) {
        let _ = tasknet(self.0, &["down"]);
    }
}

/// The application's log lines so far, oldest first, from the store `up` saves.
fn app_lines(st: &Path) -> Vec<String> {
    let Some(a) = stored_account(st) else { return Vec::new() };
    let mut events: Vec<(u64, String)> = a
        .log_streams
        .iter()
        .filter(|(k, _)| k.starts_with("/ecs/secret-reader:"))
        .flat_map(|(_, s)| s.events.iter().map(|e| (e.timestamp, e.message.clone())))
        .collect();
    events.sort();
    events.into_iter().map(|(_, m)| m).collect()
}

/// Waits up to `limit` for a log line after the first `skip` that starts with `prefix`.
fn line_after(st: &Path, skip: usize, prefix: &str, limit: Duration) -> Option<String> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(l) = app_lines(st).into_iter().skip(skip).find(|l| l.starts_with(prefix)) {
            return Some(l);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    None
}

#[test]
#[ignore = "needs root: tasknet up creates network namespaces and nftables rules"]
fn an_application_in_a_private_subnet_reaches_secrets_manager_only_along_real_routes() {
    if let Err(e) = dataplane::preflight::check() {
        panic!("run as root, with ip and nft installed: {e}");
    }
    let st = state();
    let python = root().join("target/venv/bin/python");
    let runtime = st.path().join("runtime.toml");
    std::fs::write(
        &runtime,
        format!(
            "[images.\"secret-reader\"]\nentry_point = [{:?}, {:?}]\n",
            python.display().to_string(),
            example().join("read_secret.py").display().to_string()
        ),
    )
    .unwrap();
    let run = tasknet(
        st.path(),
        &["deploy", "--template-file", "stack.yml", "--stack-name", "sr", "--capabilities", "CAPABILITY_NAMED_IAM"],
    );
    assert_eq!(run.code, Some(0), "{}", run.all());
    let outputs: serde_json::Value = tasknet(st.path(), &["describe", "stacks", "--output", "json"]).json();
    let output = |key: &str| {
        outputs["Stacks"][0]["Outputs"]
            .as_array()
            .and_then(|o| o.iter().find(|x| x["OutputKey"] == key))
            .and_then(|x| x["OutputValue"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    let _down = Down(st.path());
    let root_links = root_namespace(&["-o", "link", "show"]);
    let endpoint = ENDPOINT.to_string();
    let runtime_arg = runtime.display().to_string();
    let run = tasknet(st.path(), &["up", "--detach", "--endpoint-port", &endpoint, "--runtime", &runtime_arg]);
    assert_eq!(run.code, Some(0), "{}", run.all());

    // Through the NAT gateway: the secret, from the public hostname, as the task role.
    let ok = line_after(st.path(), 0, "ok ", Duration::from_secs(60));
    let ok = ok.unwrap_or_else(|| panic!("no successful read: {:?}", app_lines(st.path())));
    assert!(ok.contains("from https://secretsmanager.us-east-1.amazonaws.com"), "{ok}");
    let who = line_after(st.path(), 0, "identity ", Duration::from_secs(20)).unwrap_or_default();
    assert!(who.contains(":assumed-role/secret-reader-task/"), "{who}: {:?}", app_lines(st.path()));

    // The root namespace gained no link, and routes none of the emulated addresses.
    let names = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.split(": ").nth(1))
            .map(|n| n.split('@').next().unwrap_or(n).to_string())
            .collect()
    };
    assert_eq!(names(&root_namespace(&["-o", "link", "show"])), names(&root_links));
    let routes = root_namespace(&["-4", "route", "show", "table", "all"]);
    assert!(!routes.contains("203.0.113.") && !routes.contains("10.20."), "{routes}");

    // Without the NAT route the same call times out, and a new task cannot start.
    aws(&[
        "ec2",
        "delete-route",
        "--route-table-id",
        &output("PrivateRouteTable"),
        "--destination-cidr-block",
        "0.0.0.0/0",
    ]);
    let seen = app_lines(st.path()).len();
    let timeout = line_after(st.path(), seen, "timeout ", Duration::from_secs(30));
    assert!(timeout.is_some(), "{:?}", app_lines(st.path()));
    aws(&[
        "ecs",
        "update-service",
        "--cluster",
        "secret-reader",
        "--service",
        "secret-reader",
        "--force-new-deployment",
    ]);
    // The deploy ran on the simulated clock, which may be ahead of the wall: `up`'s clock waits for the wall.
    let start = Instant::now();
    let mut reason = String::new();
    while start.elapsed() < Duration::from_secs(120) && reason.is_empty() {
        let stopped = aws(&["ecs", "list-tasks", "--cluster", "secret-reader", "--desired-status", "STOPPED"]);
        let arns: Vec<&str> =
            stopped["taskArns"].as_array().map(|a| a.iter().filter_map(|x| x.as_str()).collect()).unwrap_or_default();
        if !arns.is_empty() {
            let mut list = vec!["ecs", "describe-tasks", "--cluster", "secret-reader", "--tasks"];
            list.extend(arns.iter());
            let tasks = aws(&list);
            reason = tasks["tasks"]
                .as_array()
                .and_then(|t| {
                    t.iter().find_map(|t| {
                        t["stoppedReason"].as_str().filter(|r| r.starts_with("ResourceInitializationError"))
                    })
                })
                .unwrap_or_default()
                .to_string();
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    assert!(
        reason.contains("unable to retrieve secret from asm")
            && reason.contains("Please check your task network configuration."),
        "{reason:?}"
    );

    // An interface endpoint with private DNS and a group that admits 443 from the tasks: it works again, without NAT.
    let vpc = output("VpcId");
    let sg = aws(&[
        "ec2",
        "create-security-group",
        "--group-name",
        "secretsmanager-endpoint",
        "--description",
        "the endpoint",
        "--vpc-id",
        &vpc,
    ]);
    let sg = sg["GroupId"].as_str().unwrap_or_default().to_string();
    let app_sg = output("AppSecurityGroup");
    let peer = format!("IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{{GroupId={app_sg}}}]");
    aws(&["ec2", "authorize-security-group-ingress", "--group-id", &sg, "--ip-permissions", &peer]);
    let seen = app_lines(st.path()).len();
    let made = aws(&[
        "ec2",
        "create-vpc-endpoint",
        "--vpc-id",
        &vpc,
        "--vpc-endpoint-type",
        "Interface",
        "--service-name",
        "com.amazonaws.us-east-1.secretsmanager",
        "--subnet-ids",
        &output("PrivateSubnet"),
        "--security-group-ids",
        &sg,
        "--private-dns-enabled",
    ]);
    assert!(made["VpcEndpoint"]["VpcEndpointId"].as_str().is_some_and(|id| id.starts_with("vpce-")), "{made}");
    let ok = line_after(st.path(), seen, "ok ", Duration::from_secs(60));
    let ok = ok.unwrap_or_else(|| panic!("no read through the endpoint: {:?}", app_lines(st.path())));
    assert!(ok.contains("from https://secretsmanager.us-east-1.amazonaws.com"), "{ok}");

    let run = tasknet(st.path(), &["down"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
}
