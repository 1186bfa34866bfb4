//! Load balancers: the proxy on every node, health checks from a node, and
//! the forward from 127.0.0.1 that enters through the emulated internet.

use super::{Forward, NsConnector, Services, CLIENT_ADDR};
use account::Account;
use dataplane::wiring::{EniKind, Wiring};
use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The load balancers' own threads, one per core, each running a
/// single-threaded runtime: a proxy never shares a thread with the control
/// loop or the stand-ins, and a request is served on one thread from start
/// to end.
pub(super) struct Workers {
    balance: Balance,
    stops: Vec<tokio::sync::oneshot::Sender<()>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

/// The workers' runtimes and how many client connections each serves.
#[derive(Clone)]
struct Balance {
    handles: Arc<[tokio::runtime::Handle]>,
    loads: Arc<[AtomicUsize]>,
}

impl Balance {
    /// The worker that serves a connection accepted on worker `me`: `me`
    /// unless it serves more than one connection more than the least busy
    /// worker. The kernel spreads connections over SO_REUSEPORT listeners
    /// by a hash of their addresses, which can leave one thread with most
    /// of a client's keep-alive connections for as long as they last; a
    /// connection handed over once costs nothing per request afterwards.
    fn choose(&self, me: usize) -> usize {
        let load = |i: usize| self.loads.get(i).map_or(usize::MAX, |l| l.load(Ordering::Relaxed));
        let least = (0..self.loads.len()).min_by_key(|&i| load(i)).unwrap_or(me);
        if load(me) > load(least).saturating_add(1) {
            least
        } else {
            me
        }
    }
}

/// One connection counted on its worker while it lives.
struct Counted(Arc<[AtomicUsize]>, usize);

impl Counted {
    fn new(loads: &Arc<[AtomicUsize]>, i: usize) -> Counted {
        if let Some(l) = loads.get(i) {
            l.fetch_add(1, Ordering::Relaxed);
        }
        Counted(loads.clone(), i)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        if let Some(l) = self.0.get(self.1) {
            l.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl Workers {
    /// Starts one worker per available core (at least one).
    fn start() -> Workers {
        let n = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let (mut handles, mut stops, mut threads) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..n {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { continue };
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let handle = rt.handle().clone();
            let thread = std::thread::Builder::new().name(format!("tn-lb-{i}")).spawn(move || {
                lb::set_worker(i + 1);
                rt.block_on(async {
                    let _ = stopped.await;
                });
            });
            if let Ok(t) = thread {
                handles.push(handle);
                stops.push(stop);
                threads.push(t);
            }
        }
        let loads: Arc<[AtomicUsize]> = handles.iter().map(|_| AtomicUsize::new(0)).collect();
        Workers { balance: Balance { handles: handles.into(), loads }, stops, threads }
    }
}

/// Accepts clients on worker `me`'s listener until aborted, serving each on
/// the worker [`Balance::choose`] picks; when this ends (the listener went),
/// every connection it accepted ends too, wherever it is served.
async fn accept(listener: tokio::net::TcpListener, me: usize, service: lb::ListenerService, balance: Balance) {
    // Never sent: dropped with this future, which ends every connection's wait.
    let (_stop, stopped) = tokio::sync::watch::channel(());
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(a) => a,
            // Out of descriptors or a similar passing condition: wait instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let to = balance.choose(me);
        let counted = Counted::new(&balance.loads, to);
        let (service, mut stopped) = (service.clone(), stopped.clone());
        if to == me {
            tokio::spawn(async move {
                let _counted = counted;
                tokio::select! {
                    _ = service.serve_connection(stream, peer) => {}
                    _ = stopped.changed() => {}
                }
            });
            continue;
        }
        // Registered again with the chosen worker's reactor.
        let (Ok(std), Some(handle)) = (stream.into_std(), balance.handles.get(to)) else { continue };
        handle.spawn(async move {
            let _counted = counted;
            let Ok(stream) = tokio::net::TcpStream::from_std(std) else { return };
            tokio::select! {
                _ = service.serve_connection(stream, peer) => {}
                _ = stopped.changed() => {}
            }
        });
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        for s in self.stops.drain(..) {
            let _ = s.send(());
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Services {
    /// Every load balancer's configuration, read once per tick and handed to
    /// its proxies only when it changed.
    pub(super) fn sync_lb_configs(&mut self, account: &Account) {
        self.lbs.retain(|arn, _| account.load_balancers.contains_key(arn));
        for arn in account.load_balancers.keys() {
            let config = lb::LbConfig::from_account(account, arn);
            match self.lbs.get_mut(arn) {
                Some((shared, last)) if *last != config => {
                    shared.update(config.clone());
                    *last = config;
                }
                Some(_) => {}
                None => {
                    self.lbs.insert(arn.clone(), (Arc::new(lb::Shared::new(config.clone())), config));
                }
            }
        }
    }

    /// One node of a load balancer: a proxy per HTTP listener, in its namespace.
    pub(super) fn sync_lb_node(&mut self, arn: &str, eni_id: &str, ns: &str, wanted: &mut BTreeSet<String>) {
        let Some((shared, config)) = self.lbs.get(arn) else { return };
        let shared = shared.clone();
        let listeners: Vec<(u16, Option<lb::ListenerTls>)> =
            config.listeners.iter().map(|l| (l.port, l.tls.clone())).collect();
        let Some(n) = self.ns(ns) else { return };
        for (port, tls) in listeners {
            // An HTTPS listener's server is remade when its certificate, policy or material changes.
            let key = match &tls {
                None => format!("lb {eni_id} {port}"),
                Some(t) => format!("lb {eni_id} {port} {}", t.identity()),
            };
            wanted.insert(key.clone());
            if self.servers.contains_key(&key) {
                continue;
            }
            let tls = match &tls {
                None => None,
                Some(t) => match self.listener_tls(t) {
                    Some(c) => Some(c),
                    None => continue,
                },
            };
            let workers = self.lb_workers.get_or_insert_with(Workers::start);
            // One listener per worker thread, sharing the port (SO_REUSEPORT): the kernel spreads
            // connections over them, and the workers even out what it leaves uneven.
            let addr = SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port);
            let listeners: std::io::Result<Vec<std::net::TcpListener>> =
                workers.balance.handles.iter().map(|_| workload::tcp_listener_shared(&n, addr)).collect();
            let listeners = match listeners {
                Ok(l) => l,
                Err(e) => {
                    // Tried again next tick.
                    tracing::warn!("{key}: the load balancer cannot listen in {ns}: {e}");
                    continue;
                }
            };
            let connector: Arc<dyn lb::Connector> = Arc::new(NsConnector(n.clone()));
            let service = lb::ListenerService::new(port, shared.clone(), connector, tls);
            let mut hs = Vec::new();
            for (me, (l, handle)) in listeners.into_iter().zip(workers.balance.handles.iter()).enumerate() {
                let (service, balance) = (service.clone(), workers.balance.clone());
                hs.push(handle.spawn(async move {
                    if let Ok(l) = tokio::net::TcpListener::from_std(l) {
                        accept(l, me, service, balance).await;
                    }
                }));
            }
            self.servers.insert(key, hs);
        }
    }

    /// 127.0.0.1:PORT → an internet-facing load balancer's listener, from the
    /// emulated internet's client address, spread over the nodes' public IPs
    /// as DNS round robin would.
    pub(super) fn sync_forwards(&mut self, account: &Account, wiring: &Wiring) {
        let in_stack = |arn: &str| match &self.stack {
            None => true,
            Some(s) => account
                .stacks
                .values()
                .filter(|st| &st.stack_name == s)
                .any(|st| st.resources.iter().any(|r| r.physical_resource_id.as_deref() == Some(arn))),
        };
        let mut want: Vec<(Forward, String)> = Vec::new();
        let mut port = self.publish_from;
        for lbd in
            account.load_balancers.values().filter(|l| l.scheme == "internet-facing" && in_stack(&l.load_balancer_arn))
        {
            let mut listeners: Vec<&account::Listener> = account
                .listeners
                .values()
                .filter(|l| {
                    l.load_balancer_arn == lbd.load_balancer_arn && (l.protocol == "HTTP" || l.protocol == "HTTPS")
                })
                .collect();
            listeners.sort_by_key(|l| l.port);
            for l in listeners {
                want.push((
                    Forward {
                        local_port: port,
                        load_balancer: lbd.load_balancer_name.clone(),
                        dns_name: lbd.dns_name.clone(),
                        listener_port: l.port,
                        https: l.protocol == "HTTPS",
                    },
                    lbd.load_balancer_arn.clone(),
                ));
                port = port.saturating_add(1);
            }
        }
        let same = want.len() == self.forwards.len() && want.iter().zip(&self.forwards).all(|((a, _), (b, _))| a == b);
        if same {
            return;
        }
        for (_, h) in self.forwards.drain(..) {
            h.abort();
        }
        let Some(internet) = self.ns(&wiring.internet.ns) else { return };
        for (f, arn) in want {
            let publics: Vec<Ipv4Addr> = wiring
                .enis
                .values()
                .filter(|e| matches!(&e.kind, EniKind::LoadBalancer { load_balancer_arn } if *load_balancer_arn == arn))
                .filter_map(|e| e.public_ip)
                .collect();
            let internet = internet.clone();
            let listener_port = f.listener_port;
            let local = SocketAddrV4::new(Ipv4Addr::LOCALHOST, f.local_port);
            let h = self.handle.spawn(async move {
                let l = match tokio::net::TcpListener::bind(local).await {
                    Ok(l) => l,
                    Err(e) => {
                        tracing::warn!("cannot listen on {local} (--publish): {e}");
                        return;
                    }
                };
                let next = Arc::new(AtomicUsize::new(0));
                loop {
                    let Ok((mut client, _)) = l.accept().await else { continue };
                    if publics.is_empty() {
                        continue;
                    }
                    let ip = publics[next.fetch_add(1, Ordering::Relaxed) % publics.len()];
                    let internet = internet.clone();
                    tokio::spawn(async move {
                        let dest = SocketAddrV4::new(ip, listener_port);
                        if let Ok(mut up) = workload::connect_tcp(
                            &internet,
                            dest,
                            Some(SocketAddrV4::new(CLIENT_ADDR, 0)),
                            Duration::from_secs(10),
                        )
                        .await
                        {
                            let _ = client.set_nodelay(true);
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut up).await;
                        }
                    });
                }
            });
            self.forwards.push((f, h));
        }
    }

    /// Health checks as each target group defines them, from a node of its
    /// load balancer; outcomes go to the control plane, which counts them at
    /// its own interval (thresholds, states and reasons live there).
    pub(super) fn probe_targets(&mut self, account: &Account, wiring: &Wiring) {
        let now = Instant::now();
        for tg in account.target_groups.values() {
            let Some(lb_arn) = tg.load_balancer_arns.first() else { continue };
            let Some(node) = wiring.enis.values().find(
                |e| matches!(&e.kind, EniKind::LoadBalancer { load_balancer_arn } if load_balancer_arn == lb_arn),
            ) else {
                continue;
            };
            let Some(ns) = self.ns(&node.ns) else { continue };
            let hc = tg.health_check.clone();
            if !hc.health_check_enabled {
                continue;
            }
            for t in tg.targets.iter().filter(|t| {
                !matches!(
                    t.target_health.state,
                    account::TargetHealthState::Draining | account::TargetHealthState::UnhealthyDraining
                )
            }) {
                let Some(ip) = target_ip(account, &t.target.id) else { continue };
                let key = (tg.target_group_arn.clone(), t.target.id.clone(), t.target.port);
                if self.next_probe.get(&key).is_some_and(|at| *at > now) {
                    continue;
                }
                self.next_probe
                    .insert(key.clone(), now + Duration::from_secs(u64::from(hc.health_check_interval_seconds.max(1))));
                let port = hc.health_check_port.parse().unwrap_or(t.target.port);
                let connector = NsConnector(ns.clone());
                let hc = hc.clone();
                let health = self.health.clone();
                self.handle.spawn(async move {
                    let outcome = lb::probe(&connector, SocketAddrV4::new(ip, port), &hc, &ip.to_string()).await;
                    if let Ok(mut h) = health.lock() {
                        h.insert(key, outcome);
                    }
                });
            }
        }
        let live: BTreeSet<(String, String, u16)> = account
            .target_groups
            .values()
            .flat_map(|tg| {
                tg.targets.iter().map(move |t| (tg.target_group_arn.clone(), t.target.id.clone(), t.target.port))
            })
            .collect();
        self.next_probe.retain(|k, _| live.contains(k));
        if let Ok(mut h) = self.health.lock() {
            h.retain(|k, _| live.contains(k));
        }
    }
}

/// A target's address: an IP target's ID, or an instance's private IP.
fn target_ip(account: &Account, id: &str) -> Option<Ipv4Addr> {
    if let Ok(ip) = id.parse() {
        return Some(ip);
    }
    let i = account.instances.get(id)?;
    let eni = i.network_interface_ids.first().and_then(|e| account.network_interfaces.get(e))?;
    Some(eni.private_ip_address)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn balance(loads: &[usize]) -> Balance {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        Balance {
            handles: loads.iter().map(|_| rt.handle().clone()).collect(),
            loads: loads.iter().map(|&n| AtomicUsize::new(n)).collect(),
        }
    }

    #[test]
    fn a_connection_stays_where_it_was_accepted_unless_that_worker_is_ahead_by_more_than_one() {
        assert_eq!(balance(&[3, 3]).choose(0), 0);
        assert_eq!(balance(&[4, 3]).choose(0), 0);
        assert_eq!(balance(&[5, 3]).choose(0), 1);
        assert_eq!(balance(&[0, 9, 2]).choose(1), 0);
        assert_eq!(balance(&[1]).choose(0), 0);
    }

    #[test]
    fn connections_count_on_their_worker_while_they_live() {
        let b = balance(&[0, 0]);
        let one = Counted::new(&b.loads, 1);
        let two = Counted::new(&b.loads, 1);
        assert_eq!(b.loads[1].load(Ordering::Relaxed), 2);
        // Kernel hash put both on worker 1: the next from there goes to 0.
        assert_eq!(b.choose(1), 0);
        drop((one, two));
        assert_eq!(b.loads[1].load(Ordering::Relaxed), 0);
    }
}
