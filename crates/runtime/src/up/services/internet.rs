//! The emulated internet's echo servers and DNS, and every VPC's resolver.

use super::{Services, DNS_ADDR};
use account::Account;
use dataplane::wiring::{EniKind, Wiring, INTERNET_HOSTS};
use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::sync::Arc;

impl Services {
    /// Echo on 80 and 443 at every internet host, DNS at the internet's server
    /// and at every VPC's resolver (VPC + 2). The zone: the internet's hosts,
    /// load balancers' DNS names (public IPs for internet-facing ones, private
    /// for internal) and ENIs' private DNS names.
    pub(super) fn sync_internet(&mut self, account: &Account, wiring: &Wiring, wanted: &mut BTreeSet<String>) {
        let zone = zone(account, wiring);
        if self.zone.as_ref() != Some(&zone) {
            // Names changed: DNS servers restart with the new zone.
            self.stop_servers(|k| !k.starts_with("dns "));
            self.zone = Some(zone.clone());
        }
        let inet = wiring.internet.ns.clone();
        let key = "internet echo".to_string();
        wanted.insert(key.clone());
        if !self.servers.contains_key(&key) {
            if let Some(ns) = self.ns(&inet) {
                let mut hs = Vec::new();
                for (addr, name) in INTERNET_HOSTS.iter().filter(|(a, _)| *a != DNS_ADDR && *a != super::CLIENT_ADDR) {
                    for port in [80u16, 443] {
                        let l = match workload::tcp_listener(&ns, SocketAddrV4::new(*addr, port)) {
                            Ok(l) => l,
                            Err(e) => {
                                tracing::warn!("the internet's echo cannot listen on {addr}:{port}: {e}");
                                continue;
                            }
                        };
                        let name = name.to_string();
                        hs.push(self.handle.spawn(async move {
                            if let Ok(l) = tokio::net::TcpListener::from_std(l) {
                                workload::internet::serve_echo(l, name).await;
                            }
                        }));
                    }
                }
                self.servers.insert(key, hs);
            }
        }
        let zone = Arc::new(workload::dns::Zone::new(zone));
        let mut dns: Vec<(String, String, Ipv4Addr)> = vec![("dns internet".into(), inet, DNS_ADDR)];
        for r in wiring.routers.values() {
            dns.push((format!("dns {}", r.vpc_id), r.ns.clone(), r.resolver));
        }
        for (key, ns, addr) in dns {
            wanted.insert(key.clone());
            if self.servers.contains_key(&key) {
                continue;
            }
            let Some(n) = self.ns(&ns) else { continue };
            let s = match workload::udp_socket(&n, SocketAddrV4::new(addr, 53)) {
                Ok(s) => s,
                Err(e) => {
                    // Tried again next tick.
                    tracing::warn!("{key}: DNS cannot listen on {addr}:53 in {ns}: {e}");
                    continue;
                }
            };
            let zone = zone.clone();
            let h = self.handle.spawn(async move {
                if let Ok(s) = tokio::net::UdpSocket::from_std(s) {
                    workload::dns::serve_dns(s, zone).await;
                }
            });
            self.servers.insert(key, vec![h]);
        }
    }
}

/// Every name the emulated DNS answers.
fn zone(account: &Account, wiring: &Wiring) -> Vec<(String, Ipv4Addr)> {
    let mut names: Vec<(String, Ipv4Addr)> = INTERNET_HOSTS.iter().map(|(a, n)| (n.to_string(), *a)).collect();
    for l in account.load_balancers.values() {
        for e in wiring.enis.values() {
            if matches!(&e.kind, EniKind::LoadBalancer { load_balancer_arn } if *load_balancer_arn == l.load_balancer_arn)
            {
                let ip = if l.scheme == "internet-facing" { e.public_ip } else { Some(e.address) };
                if let Some(ip) = ip {
                    names.push((l.dns_name.clone(), ip));
                }
            }
        }
    }
    for eni in account.network_interfaces.values() {
        if !eni.private_dns_name.is_empty() {
            names.push((eni.private_dns_name.clone(), eni.private_ip_address));
        }
    }
    names.sort();
    names
}
