//! An HTTPS listener under `up`, for real (root, ip and nft): the stack's
//! ACM certificate is issued by tasknet's local CA, the load balancer's
//! nodes terminate TLS with it, and the forward from 127.0.0.1 carries TLS
//! through, so a client that trusts the CA (`<state>/ca`) gets the answer
//! for the certificate's names and a name mismatch for any other.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// The first port `up` publishes here (other `up` tests use other ports).
const PUBLISH: u16 = 18443;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Down(PathBuf);
impl Drop for Down {
    fn drop(&mut self) {
        let _ = run_in(&fixtures(), &self.0, &args(&["down"]));
    }
}

/// curl of https://NAME:PUBLISH/ resolved to 127.0.0.1, trusting `ca`: (exit code, output).
fn curl(ca: &Path, name: &str) -> (Option<i32>, String) {
    let out = std::process::Command::new("curl")
        .args(["-sS", "-m", "10", "--cacert"])
        .arg(ca)
        .args(["--resolve", &format!("{name}:{PUBLISH}:127.0.0.1"), &format!("https://{name}:{PUBLISH}/")])
        .output()
        .unwrap_or_else(|e| panic!("curl: {e}"));
    (out.status.code(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
#[ignore = "needs root: runs `up` in network namespaces"]
fn an_https_listener_serves_tls_with_the_stacks_certificate() {
    if let Err(e) = dataplane::preflight::check() {
        panic!("run as root, with ip and nft installed: {e}");
    }
    let st = state();
    let run = run_in(
        &fixtures(),
        st.path(),
        &args(&["deploy", "--template-file", "https.yml", "--stack-name", "web", "--quiet"]),
    );
    assert_eq!(run.code, Some(0), "{}", run.all());
    let _down = Down(st.path().to_path_buf());
    let publish = PUBLISH.to_string();
    let run = run_in(&fixtures(), st.path(), &args(&["up", "--detach", "--no-endpoint", "--publish", &publish]));
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.contains(&format!("https://127.0.0.1:{PUBLISH}/")), "{}", run.all());
    let ca = st.path().join("ca").join(workload::ca::CA_CERT_FILE);
    // The listener's nodes may still be starting their servers.
    let mut answer = (None, String::new());
    for _ in 0..50 {
        answer = curl(&ca, "app.example.com");
        if answer.0 == Some(0) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(answer, (Some(0), "secure".to_string()));
    assert_eq!(curl(&ca, "www.example.com"), (Some(0), "secure".to_string()), "the certificate's other name");
    // HTTP/2 by ALPN, as the ALB offers it on HTTPS listeners.
    let out = std::process::Command::new("curl")
        .args(["-sS", "-m", "10", "--http2", "-o", "/dev/null", "-w", "%{http_version}", "--cacert"])
        .arg(&ca)
        .args([
            "--resolve",
            &format!("app.example.com:{PUBLISH}:127.0.0.1"),
            &format!("https://app.example.com:{PUBLISH}/"),
        ])
        .output()
        .unwrap_or_else(|e| panic!("curl: {e}"));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2", "{}", String::from_utf8_lossy(&out.stderr));
    // Any other name does not match the certificate: curl refuses it (60: peer certificate cannot be authenticated).
    let (code, text) = curl(&ca, "other.example.org");
    assert_eq!(code, Some(60), "{text}");
}
