//! Start-time pulls for real: while `up` runs, the connections the agent
//! makes before a task's containers start (secrets, registry auth, the
//! image) are made from the task's own network namespace (its ENI's, or its
//! instance's for bridge and host tasks): a DNS query to the VPC's resolver
//! (VPC + 2) for the service's hostname, then a TCP connection to port 443
//! of the address it answered. What gets through is the data plane's
//! business (routes, NAT, security groups, ACLs, VPC endpoints); the result
//! goes to the control plane as a report (`control::ecs::pulls`).

use super::{Report, Services};
use account::{Account, StartPulls, Task, TaskStatus};
use control::ecs::pulls::{Need, PullBlocker};
use dataplane::wiring::{EniKind, Wiring};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::sync::Arc;
use std::time::Duration;
use workload::NetNs;

/// How long a DNS answer is waited for (tasknet's choice; the agent's own
/// deadline is longer, but nothing on the emulated network is slow).
const DNS_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a TCP connection is waited for (tasknet's choice, as above).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

impl Services {
    /// Starts the checks of tasks that reached PENDING with their pulls
    /// handed to the data plane, once per task.
    pub(super) fn sync_pulls(&mut self, account: &Account, wiring: &Wiring) {
        self.pulls_started.retain(|arn| {
            account.tasks.get(arn).is_some_and(|t| matches!(t.start_pulls, StartPulls::DataPlane { .. }))
        });
        let waiting: Vec<&Task> = account
            .tasks
            .values()
            .filter(|t| t.last_status == TaskStatus::Pending && matches!(t.start_pulls, StartPulls::DataPlane { .. }))
            .filter(|t| !self.pulls_started.contains(&t.task_arn))
            .collect();
        for task in waiting {
            let Some((ns, resolver)) = place(account, wiring, task) else { continue };
            let Some(netns) = self.ns(&ns) else { continue };
            let needs = control::ecs::pulls::needs(account, task);
            self.pulls_started.insert(task.task_arn.clone());
            let (arn, out) = (task.task_arn.clone(), self.pull_reports.clone());
            self.handle.spawn(async move {
                let report = check(&netns, resolver, &arn, needs).await;
                if let Ok(mut reports) = out.lock() {
                    reports.push(report);
                }
            });
        }
    }

    /// The checks that finished since the last call.
    pub fn take_pull_reports(&mut self) {
        let done: Vec<Report> = self.pull_reports.lock().map(|mut r| std::mem::take(&mut *r)).unwrap_or_default();
        self.reports.extend(done);
    }
}

/// The namespace a task's pulls start from and its VPC's resolver: a
/// Fargate task's own ENI; on EC2 the agent and Docker on the instance
/// fetch and pull, so the instance's ENI in every network mode (as
/// `reach::pulls` asks).
fn place(account: &Account, wiring: &Wiring, task: &Task) -> Option<(String, Ipv4Addr)> {
    let eni = match (&task.eni_id, task.launch_type.as_str()) {
        (Some(id), "FARGATE") => wiring.enis.get(id)?,
        _ => {
            let ci = account.container_instances.get(task.container_instance_arn.as_deref()?)?;
            wiring
                .enis
                .values()
                .find(|e| matches!(&e.kind, EniKind::Instance { instance_id } if *instance_id == ci.ec2_instance_id))?
        }
    };
    let vpc_id = &account.subnets.get(&eni.subnet_id)?.vpc_id;
    let router = wiring.routers.values().find(|r| &r.vpc_id == vpc_id)?;
    Some((eni.ns.clone(), router.resolver))
}

/// Every need's connection, all at once; the report names the first that failed.
async fn check(ns: &Arc<NetNs>, resolver: Ipv4Addr, task_arn: &str, needs: Vec<Need>) -> Report {
    let tries = needs.into_iter().map(|need| {
        let ns = ns.clone();
        async move {
            let address = lookup(&ns, resolver, &need.host).await;
            let through = match address {
                Some(ip) => workload::connect_tcp(&ns, SocketAddrV4::new(ip, 443), None, CONNECT_TIMEOUT).await.is_ok(),
                None => false,
            };
            (!through).then_some(PullBlocker { pull: need.pull, service: need.service, host: need.host, address })
        }
    });
    let blocked: Vec<PullBlocker> = join_all(tries).await.into_iter().flatten().collect();
    match blocked.into_iter().next() {
        Some(blocker) => Report::PullBlocked { task_arn: task_arn.to_string(), blocker },
        None => Report::PullsConnected { task_arn: task_arn.to_string() },
    }
}

/// Runs the futures concurrently and collects their outputs in order.
async fn join_all<F>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        if let Ok(v) = h.await {
            out.push(v);
        }
    }
    out
}

/// The first A record the resolver gives for `host`, asked from inside `ns`.
async fn lookup(ns: &NetNs, resolver: Ipv4Addr, host: &str) -> Option<Ipv4Addr> {
    let socket = workload::udp_socket(ns, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    let socket = tokio::net::UdpSocket::from_std(socket).ok()?;
    let id = (std::process::id() as u16) ^ (host.len() as u16);
    let query = workload::dns::build_query(id, host, workload::dns::TYPE_A).ok()?;
    socket.send_to(&query, SocketAddrV4::new(resolver, 53)).await.ok()?;
    let mut buf = [0u8; 512];
    let len = tokio::time::timeout(DNS_TIMEOUT, socket.recv(&mut buf)).await.ok()?.ok()?;
    let answer = workload::dns::parse_response(buf.get(..len)?).ok()?;
    (answer.id == id).then_some(())?;
    answer.answers.first().map(|(ip, _)| *ip)
}
