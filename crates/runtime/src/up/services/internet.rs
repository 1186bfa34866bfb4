//! The emulated internet's echo servers and DNS, and every VPC's resolver.

use super::{Services, DNS_ADDR};
use account::endpoints::{self, SERVICES};
use account::Account;
use dataplane::wiring::{EniKind, Wiring, INTERNET_HOSTS};
use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::sync::Arc;

/// A zone's (name, address) pairs.
pub(super) type Names = Vec<(String, Ipv4Addr)>;

/// One DNS server `up` runs.
struct DnsServer {
    /// Its key among the servers (`dns internet`, `dns vpc-…`).
    key: String,
    /// Its namespace.
    ns: String,
    /// Its address.
    address: Ipv4Addr,
    /// What it answers.
    names: Names,
}

impl Services {
    /// Echo on 80 and 443 (TLS there too) at every internet host, DNS at the internet's server
    /// and at the resolver (VPC + 2) of every VPC with DNS support, each with
    /// its own zone ([`zones`]).
    pub(super) fn sync_internet(&mut self, account: &Account, wiring: &Wiring, wanted: &mut BTreeSet<String>) {
        let zones = zones(account, wiring);
        let servers = &self.servers;
        self.zones.retain(|k, _| servers.contains_key(k));
        for DnsServer { key, names, .. } in &zones {
            if let Some((old, live)) = self.zones.get_mut(key) {
                if old != names {
                    // A running server answers from the new zone at its next query.
                    live.replace(workload::dns::Zone::new(names.clone()));
                    *old = names.clone();
                }
            }
        }
        let inet = wiring.internet.ns.clone();
        let key = "internet echo".to_string();
        wanted.insert(key.clone());
        if !self.servers.contains_key(&key) {
            if let Some(ns) = self.ns(&inet) {
                let tls = self.internet_tls();
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
                        // TLS on 443 to a client that starts a handshake, plain HTTP otherwise.
                        let tls = if port == 443 { tls.clone() } else { None };
                        hs.push(self.handle.spawn(async move {
                            if let Ok(l) = tokio::net::TcpListener::from_std(l) {
                                workload::internet::serve_echo_tls(l, name, tls).await;
                            }
                        }));
                    }
                }
                self.servers.insert(key, hs);
            }
        }
        for DnsServer { key, ns, address: addr, names } in zones {
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
            let zone = Arc::new(workload::dns::LiveZone::new(workload::dns::Zone::new(names.clone())));
            self.zones.insert(key.clone(), (names, zone.clone()));
            let h = self.handle.spawn(async move {
                if let Ok(s) = tokio::net::UdpSocket::from_std(s) {
                    workload::dns::serve_dns(s, zone).await;
                }
            });
            self.servers.insert(key, vec![h]);
        }
    }
}

/// Every DNS server and its zone: (server key, namespace, address, names).
///
/// All zones share the names that are the same everywhere ([`common_names`]);
/// AWS's service hostnames differ. The internet's server answers their
/// public addresses; a VPC's Amazon DNS server answers what
/// [`endpoints::resolve`] says for that VPC (its interface endpoints' ENIs
/// where one has private DNS). A VPC with `enableDnsSupport` off gets no
/// server: AWS doc "DNS attributes for your VPC": with it off, the
/// Amazon-provided DNS server is not enabled.
fn zones(account: &Account, wiring: &Wiring) -> Vec<DnsServer> {
    let common = common_names(account, wiring);
    let with = |extra: Names| {
        let mut names = common.clone();
        names.extend(extra);
        names.sort();
        names
    };
    let public: Vec<(String, Ipv4Addr)> =
        SERVICES.iter().flat_map(|s| s.hostnames(&account.region).into_iter().map(|h| (h, s.address))).collect();
    let mut out = vec![DnsServer {
        key: "dns internet".to_string(),
        ns: wiring.internet.ns.clone(),
        address: DNS_ADDR,
        names: with(public),
    }];
    for r in wiring.routers.values() {
        let mut names = Vec::new();
        for s in SERVICES {
            let Some(addresses) = endpoints::resolve(account, &r.vpc_id, s) else { continue };
            for h in s.hostnames(&account.region) {
                names.extend(addresses.iter().map(|a| (h.clone(), *a)));
            }
        }
        if account.vpcs.get(&r.vpc_id).is_some_and(|v| v.enable_dns_support) {
            out.push(DnsServer {
                key: format!("dns {}", r.vpc_id),
                ns: r.ns.clone(),
                address: r.resolver,
                names: with(names),
            });
        }
    }
    out
}

/// The names every zone holds: the internet's hosts, load balancers' DNS
/// names (public IPs for internet-facing ones, private for internal), ENIs'
/// private DNS names, and interface endpoints' own DNS names (`DnsEntries`,
/// public names for private addresses, as on AWS: the regional name answers
/// every ENI of the endpoint, a zonal one, ending in its zone, that zone's).
fn common_names(account: &Account, wiring: &Wiring) -> Names {
    let mut names: Names = INTERNET_HOSTS.iter().map(|(a, n)| (n.to_string(), *a)).collect();
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
    for e in account.vpc_endpoints.values().filter(|e| e.state == "available") {
        let enis: Vec<(&str, Ipv4Addr)> = e
            .network_interface_ids
            .iter()
            .filter_map(|id| account.network_interfaces.get(id))
            .map(|n| (n.availability_zone.as_str(), n.private_ip_address))
            .collect();
        for entry in &e.dns_entries {
            // S3's names start with a wildcard label: the zone is in the next.
            let first = entry.dns_name.trim_start_matches("*.").split('.').next().unwrap_or_default();
            let zonal: Vec<Ipv4Addr> = enis
                .iter()
                .filter(|(az, _)| !az.is_empty() && first.ends_with(&format!("-{az}")))
                .map(|e| e.1)
                .collect();
            let addresses = if zonal.is_empty() { enis.iter().map(|e| e.1).collect() } else { zonal };
            names.extend(addresses.into_iter().map(|a| (entry.dns_name.clone(), a)));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use dataplane::Scope;

    fn lookup(zones: &[DnsServer], key: &str, name: &str) -> Vec<Ipv4Addr> {
        let Some(server) = zones.iter().find(|z| z.key == key) else { return Vec::new() };
        workload::dns::Zone::new(server.names.clone()).lookup(name).map(<[Ipv4Addr]>::to_vec).unwrap_or_default()
    }

    #[test]
    fn each_vpc_resolves_aws_by_its_own_endpoints_and_the_internet_by_public_addresses() {
        let mut a = Account::new_default();
        let vpc = a.vpcs.keys().next().cloned().unwrap_or_default();
        let other = a.create_vpc("10.9.0.0/16").map(|v| v.vpc_id).unwrap_or_default();
        let subnet = a.subnets.values().find(|s| s.vpc_id == vpc).map(|s| s.subnet_id.clone()).unwrap_or_default();
        let (_, eni) = testkit::endpoints::interface_endpoint(&mut a, &subnet, "secretsmanager", &[], true);
        let endpoint_ip = a.network_interfaces[&eni].private_ip_address;
        let w = Wiring::from_account(&a, &Scope::test("zones"));
        let z = zones(&a, &w);
        let sm = "secretsmanager.us-east-1.amazonaws.com";
        let public = Ipv4Addr::new(203, 0, 113, 135);
        assert_eq!(lookup(&z, "dns internet", sm), [public]);
        assert_eq!(lookup(&z, &format!("dns {vpc}"), sm), [endpoint_ip], "private DNS of its endpoint");
        assert_eq!(lookup(&z, &format!("dns {other}"), sm), [public], "another VPC: the public address");
        let ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
        assert_eq!(lookup(&z, &format!("dns {vpc}"), ecr), [Ipv4Addr::new(203, 0, 113, 134)]);
        assert_eq!(lookup(&z, "dns internet", "example.com"), [Ipv4Addr::new(203, 0, 113, 10)]);
        // No DNS support: no Amazon DNS server at VPC + 2 at all.
        if let Some(v) = a.vpcs.get_mut(&other) {
            v.enable_dns_support = false;
        }
        let z = zones(&a, &Wiring::from_account(&a, &Scope::test("zones")));
        assert!(!z.iter().any(|s| s.key == format!("dns {other}")));
        assert!(z.iter().any(|s| s.key == format!("dns {vpc}")));
    }
}
