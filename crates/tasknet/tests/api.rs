//! AWS's APIs from inside a VPC, for real (root, ip and nft): boto3 in a
//! namespace resolves `secretsmanager.us-east-1.amazonaws.com` through its
//! VPC's resolver and reaches tasknet's endpoint over HTTPS only along a real
//! path (internet gateway with a public IP, NAT gateway, interface endpoint,
//! gateway endpoint route), never without one. Scope `tn-xnet<pid>-`, swept
//! when the test ends, also when it fails.

use account::{Account, CreateNetworkInterface, RouteTarget, SecurityGroupRule};
use dataplane::{Kernel, Scope, Wiring};
use runtime::up::services::Services;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use workload::{Launch, NetNs, Supervisor};

/// The lead's virtualenv with boto3 (a symlink in the workspace's target folder).
fn python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/venv/bin/python")
}

/// Removes the scope's namespaces and what the servers hold, also when the test fails.
struct Net {
    kernel: Kernel,
    services: Option<Services>,
    rt: tokio::runtime::Runtime,
    /// Client runs so far (each writes a log of its own).
    runs: u32,
}

impl Drop for Net {
    fn drop(&mut self) {
        if let Some(mut s) = self.services.take() {
            self.rt.block_on(s.stop_all());
        }
        if let Err(e) = self.kernel.teardown() {
            eprintln!("teardown: {e}");
        }
    }
}

impl Net {
    /// Makes the kernel and the servers follow `a` (twice: servers start in
    /// namespaces the first pass made).
    fn apply(&mut self, a: &Account) {
        let w = Wiring::from_account(a, self.kernel.scope());
        self.kernel.apply(&w).expect("the wiring applies");
        if let Some(s) = self.services.as_mut() {
            s.sync(a, &w);
            s.sync(a, &w);
        }
    }

    /// Runs `script` with boto3 inside `eni`'s namespace as a container
    /// process of `up` would run (its VPC's resolv.conf, the CA variables,
    /// no endpoint URL); its output.
    fn python_in(&mut self, a: &Account, eni: &str, script: &str, dir: &Path) -> String {
        let services = self.services.as_ref().expect("services");
        let vpc = &a.network_interfaces[eni].vpc_id;
        let mut env = vec![
            ("PATH".to_string(), "/usr/bin:/bin".to_string()),
            ("AWS_ACCESS_KEY_ID".into(), "test".into()),
            ("AWS_SECRET_ACCESS_KEY".into(), "test".into()),
            ("AWS_DEFAULT_REGION".into(), "us-east-1".into()),
            ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ];
        env.extend(services.api_trust_env());
        let launch = Launch {
            container: "client".into(),
            argv: vec![python().display().to_string(), "-c".into(), script.into()],
            env,
            working_directory: None,
            resolv_conf: services.resolv_conf(a, vpc),
        };
        let ns = NetNs::open(&self.kernel.scope().ns(eni)).expect("the ENI's namespace");
        self.runs += 1;
        let log = dir.join(format!("client-{}.log", self.runs));
        let mut supervisor = Supervisor::new().expect("a supervisor");
        supervisor.spawn("client", &ns, &launch, &log).expect("python starts");
        let deadline = Instant::now() + Duration::from_secs(60);
        while supervisor.poll_exits().is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        std::fs::read_to_string(&log).unwrap_or_default()
    }
}

/// Lists secrets and asks who it is (ending `OK` with the secret's name), or
/// says how it failed (`TIMEOUT` when the connection never opened).
const SECRETS: &str = r#"
import boto3, botocore.config, botocore.exceptions, socket
print("resolved", socket.gethostbyname("secretsmanager.us-east-1.amazonaws.com"))
cfg = botocore.config.Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 1})
try:
    names = [s["Name"] for s in boto3.client("secretsmanager", config=cfg).list_secrets()["SecretList"]]
    print("OK", names)
except botocore.exceptions.ConnectTimeoutError as e:
    print("TIMEOUT", e)
except Exception as e:
    print("FAILED", type(e).__name__, e)
"#;

/// Writes and reads an object (virtual-hosted and path style), ending `OK`.
const S3: &str = r#"
import boto3, botocore.config, botocore.exceptions
cfg = botocore.config.Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 1})
try:
    for style in ("virtual", "path"):
        s3 = boto3.client("s3", config=botocore.config.Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}, s3={"addressing_style": style}))
        s3.put_object(Bucket="tn-xnet-bucket", Key=style, Body=b"hello " + style.encode())
        print(style, s3.get_object(Bucket="tn-xnet-bucket", Key=style)["Body"].read().decode())
    print("OK")
except botocore.exceptions.ConnectTimeoutError as e:
    print("TIMEOUT", e)
except Exception as e:
    print("FAILED", type(e).__name__, e)
"#;

/// A subnet of the default VPC with its own route table: (subnet, route table).
fn subnet(a: &mut Account, vpc: &str, cidr: &str) -> (String, String) {
    let s = a.create_subnet(vpc, cidr, None).expect("a subnet").subnet_id;
    let rtb = a.create_route_table(vpc).expect("a route table").route_table_id;
    a.associate_route_table(&rtb, &s).expect("associated");
    (s, rtb)
}

fn eni(a: &mut Account, subnet: &str, public: bool) -> String {
    let mut req = CreateNetworkInterface::new(subnet);
    req.assign_public_ip = public;
    a.create_network_interface(req).expect("an ENI").network_interface_id
}

#[test]
#[ignore = "needs root: creates network namespaces and nftables rules"]
fn boto3_in_a_vpc_reaches_aws_only_along_real_routes() {
    assert!(
        dataplane::preflight::is_root() && dataplane::preflight::find("nft").is_some(),
        "run as root, with nft installed"
    );
    assert!(python().exists(), "{} (boto3) is needed", python().display());
    let st = tempfile::tempdir().expect("a state folder");
    let scope = Scope::test(&format!("net{}", std::process::id() % 10_000));
    let _ = dataplane::linux::sweep(&scope);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio");
    let services = Services::new(rt.handle().clone(), None, st.path().join("logs"), 18090, None).expect("services");
    let mut net = Net { kernel: Kernel::new(scope), services: Some(services), rt, runs: 0 };

    // The default VPC (public subnets, an internet gateway), a subnet behind a
    // NAT gateway, and one with no route out.
    let mut a = Account::new_default();
    let vpc = a.vpcs.keys().next().cloned().expect("the default VPC");
    let public_subnet = a.subnets.values().find(|s| s.vpc_id == vpc).map(|s| s.subnet_id.clone()).expect("a subnet");
    let public = eni(&mut a, &public_subnet, true);
    let (nat_subnet, nat_rtb) = subnet(&mut a, &vpc, "172.31.128.0/24");
    let eip = a.allocate_address().expect("an Elastic IP").allocation_id;
    let nat = a.create_nat_gateway(&public_subnet, Some(&eip), "public").expect("a NAT gateway").nat_gateway_id;
    a.create_route(&nat_rtb, "0.0.0.0/0", RouteTarget::NatGateway(nat)).expect("the NAT route");
    let behind_nat = eni(&mut a, &nat_subnet, false);
    let (private_subnet, private_rtb) = subnet(&mut a, &vpc, "172.31.129.0/24");
    let private = eni(&mut a, &private_subnet, false);
    let secret = account::secrets::CreateSecret { name: "tn-xnet-secret".into(), ..Default::default() };
    a.create_secret(&secret).expect("a secret");
    a.create_bucket("tn-xnet-bucket", None).expect("a bucket");
    save(st.path(), &a);
    let config = wire::Config::new(std::net::SocketAddr::from(([127, 0, 0, 1], 0)), Some(st.path().to_path_buf()));
    let endpoint = wire::server::serve_in_background(&config).expect("the wire endpoint");
    if let Some(s) = net.services.as_mut() {
        s.serve_api(st.path(), Some(endpoint.addr));
    }
    let ca = st.path().join("ca/tasknet-ca.pem");
    assert!(ca.is_file(), "the CA is made in the state folder");
    net.apply(&a);

    let out = net.python_in(&a, &public, SECRETS, st.path());
    assert!(out.contains("resolved 203.0.113.135") && out.contains("OK ['tn-xnet-secret']"), "public IP: {out}");
    let out = net.python_in(&a, &behind_nat, SECRETS, st.path());
    assert!(out.contains("OK ['tn-xnet-secret']"), "behind the NAT gateway: {out}");
    let started = Instant::now();
    let out = net.python_in(&a, &private, SECRETS, st.path());
    assert!(out.contains("resolved 203.0.113.135") && out.contains("TIMEOUT"), "no route: {out}");
    assert!(started.elapsed() < Duration::from_secs(20), "the short timeout");
    let out = net.python_in(&a, &private, S3, st.path());
    assert!(out.contains("TIMEOUT"), "no route to S3 either: {out}");

    // An interface endpoint with private DNS and a group allowing 443 from
    // the VPC; a gateway endpoint route for S3 in the private subnet's table.
    let sg = a.create_security_group(&vpc, "endpoints", "HTTPS from the VPC").expect("a group").group_id;
    let https = SecurityGroupRule {
        ip_protocol: "tcp".into(),
        from_port: Some(443),
        to_port: Some(443),
        ..SecurityGroupRule::all_to_cidr(a.vpcs[&vpc].cidr_block)
    };
    a.authorize_security_group_ingress(&sg, &[https]).expect("the rule");
    let (_, endpoint_eni) =
        testkit::endpoints::interface_endpoint(&mut a, &private_subnet, "secretsmanager", &[&sg], true);
    testkit::endpoints::gateway_endpoint(&mut a, &vpc, "s3", &[&private_rtb]);
    net.apply(&a);
    let endpoint_ip = a.network_interfaces[&endpoint_eni].private_ip_address;
    let out = net.python_in(&a, &private, SECRETS, st.path());
    assert!(
        out.contains(&format!("resolved {endpoint_ip}")) && out.contains("OK ['tn-xnet-secret']"),
        "through the interface endpoint: {out}"
    );
    let out = net.python_in(&a, &private, S3, st.path());
    assert!(out.contains("virtual hello virtual") && out.contains("path hello path") && out.contains("OK"), "{out}");

    // The endpoint's group decides: without the 443 rule the connection never opens.
    let group = a.security_groups.get_mut(&sg).expect("the group");
    group.ingress.clear();
    net.apply(&a);
    let out = net.python_in(&a, &private, SECRETS, st.path());
    assert!(out.contains("TIMEOUT"), "the endpoint's group refuses: {out}");
    drop(endpoint);
}

/// Saves `a` as the state folder's store, where the endpoint reads it.
fn save(dir: &Path, a: &Account) {
    let mut s = runtime::session::Session::open(Some(dir), "test", true).expect("a session");
    s.account = a.clone();
    s.save().expect("saved");
}
