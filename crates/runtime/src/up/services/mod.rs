//! What runs in the namespaces, driven from the account on every tick: task
//! stand-ins or runtime processes, databases, load balancers, the internet's
//! echo and DNS servers, the VPC resolvers, AWS's APIs (on the internet and
//! at VPC endpoints), and the forward from 127.0.0.1.

use account::{Account, HealthCheckOutcome};
use dataplane::wiring::{EniKind, Wiring};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tokio::task::JoinHandle;
use workload::{NetNs, RuntimeFile, Supervisor};

/// The address the host's forwarded connections come from, on the emulated internet.
pub const CLIENT_ADDR: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 100);
/// The internet's DNS server.
pub const DNS_ADDR: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 53);

/// A forward from 127.0.0.1 to a load balancer's listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forward {
    /// The port on 127.0.0.1.
    pub local_port: u16,
    /// The load balancer's name.
    pub load_balancer: String,
    /// Its DNS name.
    pub dns_name: String,
    /// The listener's port.
    pub listener_port: u16,
    /// Whether the listener is HTTPS (the forward carries its TLS through).
    pub https: bool,
}

impl Forward {
    /// The URL a user opens on this machine.
    pub fn url(&self) -> String {
        format!("{}://127.0.0.1:{}/", if self.https { "https" } else { "http" }, self.local_port)
    }
}

/// Something the data plane saw that the control plane must hear about.
#[derive(Debug)]
pub enum Report {
    /// A container process exited.
    Exited { task_arn: String, container: String, exit_code: i32 },
    /// A container could not start.
    CannotStart { task_arn: String, container: String, reason: String },
    /// A container wrote lines (stdout and stderr) its awslogs driver sends on: (when read, ms; text).
    Output { task_arn: String, container: String, lines: Vec<(u64, String)> },
    /// A task's start-time connections got through.
    PullsConnected { task_arn: String },
    /// A task's start-time connection did not.
    PullBlocked { task_arn: String, blocker: control::ecs::pulls::PullBlocker },
}

/// The report of `lines` a container wrote, when its task definition sends
/// its output to CloudWatch Logs (the `awslogs` driver); other drivers' output stays in the log file only.
pub fn output_report(
    account: &Account,
    task_arn: &str,
    container: &str,
    lines: Vec<String>,
    now_ms: u64,
) -> Option<Report> {
    if lines.is_empty() {
        return None;
    }
    let task = account.tasks.get(task_arn)?;
    account::logs::awslogs::target(account, task, container)?;
    Some(Report::Output {
        task_arn: task_arn.to_string(),
        container: container.to_string(),
        lines: lines.into_iter().map(|l| (now_ms, l)).collect(),
    })
}

/// The last health check outcome per (target group, target ID, port).
type HealthOutcomes = HashMap<(String, String, u16), HealthCheckOutcome>;

/// Every server and process `up` runs.
pub struct Services {
    handle: Handle,
    runtime: Option<RuntimeFile>,
    logs: std::path::PathBuf,
    namespaces: HashMap<String, Arc<NetNs>>,
    /// Servers per key (a task, a database, an LB node listener, the internet, a resolver).
    servers: BTreeMap<String, Vec<JoinHandle<()>>>,
    processes: BTreeSet<String>,
    supervisor: Supervisor,
    /// The container processes' log files, read as they grow (for awslogs).
    follower: workload::LogFollower,
    /// Each process's log file, by (task ARN, container).
    followed: BTreeMap<(String, String), std::path::PathBuf>,
    /// Each load balancer's proxy state and the configuration it was last given.
    lbs: HashMap<String, (Arc<lb::Shared>, lb::LbConfig)>,
    /// The threads the load balancers' proxies run on (made with the first listener).
    lb_workers: Option<lbs::Workers>,
    forwards: Vec<(Forward, JoinHandle<()>)>,
    publish_from: u16,
    stack: Option<String>,
    /// Each DNS server's names and the zone it answers from (by server key).
    zones: HashMap<String, (internet::Names, Arc<workload::dns::LiveZone>)>,
    api: api::Api,
    health: Arc<Mutex<HealthOutcomes>>,
    next_probe: HashMap<(String, String, u16), Instant>,
    /// What each credentials endpoint serves, by its server key (updated every tick).
    credentials_tables: HashMap<String, metadata::CredentialsTable>,
    /// What each instance's metadata answers, by its server key (updated every tick).
    imds_views: HashMap<String, metadata::ImdsView>,
    /// Reports for the next account step.
    pub reports: Vec<Report>,
    /// Tasks whose start-time connections are being tried.
    pulls_started: BTreeSet<String>,
    /// What those tries found, as they finish.
    pull_reports: Arc<Mutex<Vec<Report>>>,
}

/// A load balancer's connector: outbound sockets made inside its node's namespace.
struct NsConnector(Arc<NetNs>);

impl lb::Connector for NsConnector {
    fn connect(&self, addr: SocketAddrV4) -> lb::ConnectFuture {
        let ns = self.0.clone();
        Box::pin(async move { workload::connect_tcp(&ns, addr, None, Duration::from_secs(10)).await })
    }
}

impl Services {
    /// Nothing running yet.
    pub fn new(
        handle: Handle,
        runtime: Option<RuntimeFile>,
        logs: std::path::PathBuf,
        publish_from: u16,
        stack: Option<String>,
    ) -> std::io::Result<Services> {
        Ok(Services {
            handle,
            runtime,
            logs,
            namespaces: HashMap::new(),
            servers: BTreeMap::new(),
            processes: BTreeSet::new(),
            supervisor: Supervisor::new()?,
            follower: workload::LogFollower::new(),
            followed: BTreeMap::new(),
            lbs: HashMap::new(),
            lb_workers: None,
            forwards: Vec::new(),
            publish_from,
            stack,
            zones: HashMap::new(),
            api: api::Api::default(),
            health: Arc::new(Mutex::new(HashMap::new())),
            next_probe: HashMap::new(),
            credentials_tables: HashMap::new(),
            imds_views: HashMap::new(),
            reports: Vec::new(),
            pulls_started: BTreeSet::new(),
            pull_reports: Arc::new(Mutex::new(Vec::new())),
        })
    }

    /// The forwards from 127.0.0.1.
    pub fn forwards(&self) -> Vec<Forward> {
        self.forwards.iter().map(|(f, _)| f.clone()).collect()
    }

    /// Health check outcomes seen so far, by (target group, target ID, port).
    pub fn health(&self) -> HealthOutcomes {
        self.health.lock().map(|h| h.clone()).unwrap_or_default()
    }

    fn ns(&mut self, name: &str) -> Option<Arc<NetNs>> {
        if let Some(n) = self.namespaces.get(name) {
            return Some(n.clone());
        }
        let n = match NetNs::open(name) {
            Ok(n) => Arc::new(n),
            Err(e) => {
                // Its servers are tried again next tick.
                tracing::warn!("cannot enter namespace {name}: {e}");
                return None;
            }
        };
        self.namespaces.insert(name.to_string(), n.clone());
        Some(n)
    }

    /// Makes what runs match the account and the wiring.
    pub fn sync(&mut self, account: &Account, wiring: &Wiring) {
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        self.sync_internet(account, wiring, &mut wanted);
        self.sync_api(account, wiring, &mut wanted);
        self.sync_lb_configs(account);
        self.sync_pulls(account, wiring);
        for e in wiring.enis.values() {
            match &e.kind {
                EniKind::Task { task_arn } => {
                    self.sync_task_credentials(account, task_arn, &e.ns, &mut wanted);
                    self.sync_task(account, task_arn, e, &mut wanted)
                }
                EniKind::Database { db_instance_identifier, port } => {
                    let key = format!("db {}", e.eni_id);
                    wanted.insert(key.clone());
                    if !self.servers.contains_key(&key) {
                        let identity = workload::Identity {
                            task_arn: String::new(),
                            task_id: db_instance_identifier.clone(),
                            container: "database".into(),
                            address: e.address,
                            port: *port,
                            cluster: String::new(),
                            family_revision: String::new(),
                        };
                        self.start_http(&key, &e.ns, *port, identity);
                    }
                }
                EniKind::Instance { instance_id } => {
                    self.sync_instance_metadata(account, instance_id, &e.ns, &mut wanted);
                    self.sync_bridge_tasks(account, instance_id, e, &mut wanted)
                }
                EniKind::LoadBalancer { load_balancer_arn } => {
                    self.sync_lb_node(load_balancer_arn, &e.eni_id, &e.ns, &mut wanted)
                }
                // Interface endpoints answer in `sync_api`.
                EniKind::NatGateway { .. } | EniKind::VpcEndpoint { .. } | EniKind::Other => {}
            }
        }
        self.stop_servers(|k| wanted.contains(k));
        self.forget_metadata();
        let gone: Vec<String> = self.processes.iter().filter(|k| !wanted.contains(*k)).cloned().collect();
        for task_arn in gone {
            self.processes.remove(&task_arn);
            // Its task is stopping already: these exits are not news to the control plane.
            let exits = self.handle.block_on(self.supervisor.stop_task(&task_arn, Duration::from_secs(2)));
            tracing::debug!("stopped {} container process(es) of {task_arn}", exits.len());
        }
        // What the processes wrote, before their exits (a process's last words come first).
        self.read_output(account, |_| true);
        let running: BTreeSet<String> = self.processes.clone();
        self.followed.retain(|(task, _), path| {
            let keep = running.contains(task);
            if !keep {
                self.follower.forget(path);
            }
            keep
        });
        for x in self.supervisor.poll_exits() {
            if self.processes.contains(&x.task_arn) {
                self.reports.push(Report::Exited {
                    task_arn: x.task_arn,
                    container: x.container,
                    exit_code: x.exit_code,
                });
            }
        }
        let names: BTreeSet<String> = wiring.namespaces().into_iter().collect();
        self.namespaces.retain(|n, _| names.contains(n));
        self.sync_forwards(account, wiring);
        self.probe_targets(account, wiring);
    }

    /// Reads the followed log files and reports the new lines of containers with the awslogs driver.
    fn read_output(&mut self, account: &Account, which: impl Fn(&str) -> bool) {
        let now = crate::clock::wall_clock_ms();
        for ((task, container), path) in &self.followed {
            if !which(task) {
                continue;
            }
            let lines = self.follower.read_new(path);
            if let Some(r) = output_report(account, task, container, lines, now) {
                self.reports.push(r);
            }
        }
    }

    /// Stops the servers whose key `keep` rejects.
    fn stop_servers(&mut self, keep: impl Fn(&str) -> bool) {
        self.servers.retain(|k, hs| {
            let kept = keep(k);
            if !kept {
                hs.iter().for_each(JoinHandle::abort);
            }
            kept
        });
    }

    fn start_http(&mut self, key: &str, ns: &str, port: u16, identity: workload::Identity) {
        let Some(n) = self.ns(ns) else { return };
        let l = match workload::tcp_listener(&n, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port)) {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("{key}: no stand-in on tcp port {port} in {ns}: {e}");
                return;
            }
        };
        let identity = Arc::new(identity);
        let h = self.handle.spawn(async move {
            match tokio::net::TcpListener::from_std(l) {
                Ok(l) => workload::standin::serve_http(l, identity).await,
                Err(e) => tracing::warn!("a stand-in cannot listen: {e}"),
            }
        });
        self.servers.entry(key.to_string()).or_default().push(h);
    }

    fn start_udp(&mut self, key: &str, ns: &str, port: u16, identity: workload::Identity) {
        let Some(n) = self.ns(ns) else { return };
        let s = match workload::udp_socket(&n, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port)) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!("{key}: no stand-in on udp port {port} in {ns}: {e}");
                return;
            }
        };
        let identity = Arc::new(identity);
        let h = self.handle.spawn(async move {
            match tokio::net::UdpSocket::from_std(s) {
                Ok(s) => workload::standin::serve_udp(s, identity).await,
                Err(e) => tracing::warn!("a stand-in cannot listen: {e}"),
            }
        });
        self.servers.entry(key.to_string()).or_default().push(h);
    }
}

mod api;
mod internet;
mod lbs;
pub mod metadata;
mod pulls;
mod tasks;

impl Services {
    /// Stops every server and process.
    pub async fn stop_all(&mut self) {
        for (_, hs) in std::mem::take(&mut self.servers) {
            for h in hs {
                h.abort();
            }
        }
        for (_, h) in self.forwards.drain(..) {
            h.abort();
        }
        let exits = self.supervisor.stop_all(Duration::from_secs(2)).await;
        tracing::debug!("stopped {} container process(es)", exits.len());
    }
}
