//! boto3's default credential chain against the link-local endpoints,
//! inside a scratch namespace (root only): the ECS credentials endpoint for
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, instance metadata with v2
//! tokens required, and new keys picked up once the served ones rotate.

mod common;

use account::credentials::{credentials_document, MetadataTree, ServedCredentials};
use account::Account;
use common::{ip, require_root};
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddrV4;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, RwLock};
use workload::metadata::credentials::CredentialsEndpoint;
use workload::metadata::imds::{Imds, InstanceView};
use workload::metadata::{Endpoint, CREDENTIALS_ADDR, IMDS_ADDR};
use workload::NetNs;

const ROLE: &str = "arn:aws:iam::123456789012:role/app-role";
const ID: &str = "3f1e6a52-8f0c-4d2b-9a57-1c0d2e3f4a5b";

/// Deletes the namespace on drop, also when the test fails.
struct Scratch(String);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

/// A namespace `tn-xcr-…` whose `lo` carries the link-local endpoints' addresses.
fn scratch(tag: &str) -> (Scratch, NetNs) {
    let name = format!("tn-xcr-{tag}-{}", std::process::id());
    let guard = Scratch(name.clone());
    ip(&["netns", "add", &name]);
    ip(&["-n", &name, "link", "set", "lo", "up"]);
    for a in [CREDENTIALS_ADDR, IMDS_ADDR] {
        ip(&["-n", &name, "addr", "add", &format!("{a}/32"), "dev", "lo"]);
    }
    let ns = NetNs::open(&name).expect("open the namespace");
    (guard, ns)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Keys for the role that expire in eleven minutes: inside botocore's
/// advisory refresh window (15 min), outside its mandatory one (10 min), so
/// every read asks the endpoint again.
fn short_keys(a: &mut Account, session: &str) -> ServedCredentials {
    let now = now_ms();
    let s = a.role_credentials_for(ROLE, session, 660, now, 11 * 60 * 1000);
    ServedCredentials { role_arn: ROLE.into(), session: s, issued_ms: now }
}

/// Prints the chain's method and keys, waits for a line, then prints the
/// key the same credentials refresh to and the key a new session finds.
const SCRIPT: &str = "
import sys, boto3
c = boto3.Session().get_credentials()
f = c.get_frozen_credentials()
print(c.method, f.access_key, f.secret_key, f.token, flush=True)
sys.stdin.readline()
fresh = boto3.Session().get_credentials().get_frozen_credentials()
print(c.get_frozen_credentials().access_key, fresh.access_key, flush=True)
";

/// Runs [`SCRIPT`] in `ns` with a clean environment plus `env`; returns the
/// first line's words, then (after `rotate` ran) the second line's.
fn boto3(ns: &str, env: &[(&str, &str)], rotate: impl FnOnce()) -> (Vec<String>, Vec<String>) {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/venv/bin/python");
    let home = tempfile::tempdir().expect("a home");
    let mut cmd = Command::new("ip");
    cmd.args(["netns", "exec", ns]).arg(&python).args(["-c", SCRIPT]);
    cmd.env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("credentials"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("python");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    out.read_line(&mut first).expect("first line");
    rotate();
    child.stdin.take().expect("stdin").write_all(b"go\n").expect("write");
    let mut second = String::new();
    out.read_line(&mut second).expect("second line");
    let status = child.wait_with_output().expect("python exits");
    assert!(status.status.success(), "python failed: {}", String::from_utf8_lossy(&status.stderr));
    let words = |l: &str| l.split_whitespace().map(str::to_string).collect();
    (words(&first), words(&second))
}

fn serve(rt: &tokio::runtime::Runtime, ns: &NetNs, addr: SocketAddrV4, endpoint: Arc<dyn Endpoint>) {
    let l = workload::tcp_listener(ns, addr).expect("listen");
    rt.spawn(async move {
        if let Ok(l) = tokio::net::TcpListener::from_std(l) {
            workload::metadata::serve(l, endpoint).await;
        }
    });
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime")
}

#[test]
#[ignore = "needs root: creates network namespaces"]
fn boto3_takes_a_task_roles_keys_from_the_credentials_endpoint_and_their_rotation() {
    require_root();
    let (guard, ns) = scratch("task");
    let mut a = Account::default();
    let first = short_keys(&mut a, "task-a");
    let table = Arc::new(RwLock::new(first.clone()));
    let reader = table.clone();
    let rt = runtime();
    let endpoint =
        CredentialsEndpoint::new(move |id| (id == ID).then(|| reader.read().ok().map(|c| c.clone())).flatten());
    serve(&rt, &ns, SocketAddrV4::new(CREDENTIALS_ADDR, 80), Arc::new(endpoint));
    let rotated = short_keys(&mut a, "task-b");
    let uri = format!("/v2/credentials/{ID}");
    let (words, second) = boto3(&guard.0, &[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", &uri)], || {
        *table.write().expect("table") = rotated.clone();
    });
    assert_eq!(words[0], "container-role", "boto3 used the container provider");
    assert_eq!(words[1], first.session.access_key_id);
    assert_eq!(words[2], first.session.secret_access_key);
    assert_eq!(words[3], first.session.session_token);
    assert_eq!(second[0], rotated.session.access_key_id, "the refreshed keys are the rotated ones");
    assert_eq!(second[1], rotated.session.access_key_id);
}

#[test]
#[ignore = "needs root: creates network namespaces"]
fn boto3_takes_an_instance_profiles_keys_from_imds_with_v2_tokens() {
    require_root();
    let (guard, ns) = scratch("imds");
    let mut a = Account::default();
    let first = short_keys(&mut a, "i-0123456789abcdef0");
    let tree = |c: &ServedCredentials| {
        let mut t = MetadataTree::new();
        t.insert("meta-data/instance-id".into(), "i-0123456789abcdef0".into());
        t.insert("meta-data/iam/security-credentials/app-role".into(), credentials_document(c));
        InstanceView { tree: t, tokens_required: true }
    };
    let view = Arc::new(RwLock::new(tree(&first)));
    let reader = view.clone();
    let rt = runtime();
    let endpoint = Imds::new(move || reader.read().ok().map(|v| v.clone()), now_ms);
    serve(&rt, &ns, SocketAddrV4::new(IMDS_ADDR, 80), Arc::new(endpoint));
    let rotated = short_keys(&mut a, "i-0fedcba9876543210");
    let (words, second) = boto3(&guard.0, &[], || {
        *view.write().expect("view") = tree(&rotated);
    });
    assert_eq!(words[0], "iam-role", "boto3 used instance metadata");
    assert_eq!(words[1], first.session.access_key_id);
    assert_eq!(words[3], first.session.session_token);
    // botocore stretches instance metadata keys close to expiry by a random
    // 12–20 minutes (its static stability), so whether the same credentials
    // refresh yet is chance; a new chain must find the rotated keys.
    assert_eq!(second[1], rotated.session.access_key_id);
}

/// What the AWS SDK for Rust's default chain finds, run inside `ns` (its
/// sockets are made on this thread, which enters the namespace) with the
/// process environment it reads set to `env` alone.
fn rust_sdk(ns: &NetNs, env: &[(&str, &str)]) -> aws_credential_types::Credentials {
    use aws_credential_types::provider::ProvideCredentials;
    let home = tempfile::tempdir().expect("a home");
    for k in
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_EC2_METADATA_DISABLED"]
    {
        std::env::remove_var(k);
    }
    std::env::remove_var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    std::env::set_var("AWS_CONFIG_FILE", home.path().join("config"));
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", home.path().join("credentials"));
    for (k, v) in env {
        std::env::set_var(k, v);
    }
    ns.run(|| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let chain = aws_config::default_provider::credentials::DefaultCredentialsChain::builder().build().await;
            chain.provide_credentials().await.expect("the default chain finds keys")
        })
    })
    .expect("enter the namespace")
}

/// One test for both endpoints: the Rust SDK reads the process environment,
/// which the two cases set differently.
#[test]
#[ignore = "needs root: creates network namespaces"]
fn the_aws_sdk_for_rusts_default_chain_takes_keys_from_both_endpoints() {
    require_root();
    let (_guard, ns) = scratch("rust");
    let mut a = Account::default();
    let task = short_keys(&mut a, "task");
    let instance = short_keys(&mut a, "i-0123456789abcdef0");
    let rt = runtime();
    let served = task.clone();
    let endpoint = CredentialsEndpoint::new(move |id| (id == ID).then(|| served.clone()));
    serve(&rt, &ns, SocketAddrV4::new(CREDENTIALS_ADDR, 80), Arc::new(endpoint));
    let mut tree = MetadataTree::new();
    tree.insert("meta-data/iam/security-credentials/app-role".into(), credentials_document(&instance));
    let view = InstanceView { tree, tokens_required: true };
    serve(&rt, &ns, SocketAddrV4::new(IMDS_ADDR, 80), Arc::new(Imds::new(move || Some(view.clone()), now_ms)));

    let uri = format!("/v2/credentials/{ID}");
    let c = rust_sdk(&ns, &[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", &uri)]);
    assert_eq!(c.access_key_id(), task.session.access_key_id);
    assert_eq!(c.secret_access_key(), task.session.secret_access_key);
    assert_eq!(c.session_token(), Some(task.session.session_token.as_str()));
    let expiry = c.expiry().and_then(|e| e.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_secs());
    assert_eq!(expiry, Some(task.session.expiration_ms / 1000));
    // Without the variable the chain falls through to instance metadata (v2 tokens required).
    let c = rust_sdk(&ns, &[]);
    assert_eq!(c.access_key_id(), instance.session.access_key_id);
    assert_eq!(c.session_token(), Some(instance.session.session_token.as_str()));
}
