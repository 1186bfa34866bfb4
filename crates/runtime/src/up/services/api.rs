//! AWS's APIs as places on the emulated network: listeners at every
//! service's address on the internet, on interface endpoints' ENIs and in
//! gateway endpoints' namespaces, each forwarding to the wire endpoint `up`
//! serves on 127.0.0.1 ([`workload::api`]); and what a container process
//! needs to use them as on AWS: its VPC's resolver and trust in tasknet's CA.
//!
//! An endpoint answers whatever request reaches it (the wire endpoint picks
//! the service by the request's signature, as it does on loopback), so an
//! interface endpoint of one service would also serve another's request;
//! AWS's would refuse it. Endpoint policies are not enforced.

use super::Services;
use account::endpoints::SERVICES;
use account::Account;
use dataplane::wiring::{EniKind, Wiring};
use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::task::JoinHandle;
use workload::api::{ServerConfig, Upstream};

/// The plain HTTP port every service address also answers on.
const HTTP_PORT: u16 = 80;
/// The HTTPS port.
const HTTPS_PORT: u16 = 443;

/// What the API listeners need: where the wire endpoint is, the CA, the
/// certificate made from it for the account's region.
#[derive(Default)]
pub(super) struct Api {
    endpoint: Option<SocketAddr>,
    ca: Option<workload::ca::LocalCa>,
    tls: Option<(String, Arc<ServerConfig>)>,
    resolv_dir: Option<PathBuf>,
    /// HTTPS listeners' configurations, by [`lb::ListenerTls::identity`].
    listeners: std::collections::HashMap<String, Arc<ServerConfig>>,
}

impl Services {
    /// Serves AWS's APIs on the emulated network, forwarding to the wire
    /// endpoint at `endpoint` (none: `up --no-endpoint`, nothing answers
    /// there); the CA lives in `<state_dir>/ca`, the VPCs' resolver files in
    /// `<state_dir>/resolv`.
    pub fn serve_api(&mut self, state_dir: &Path, endpoint: Option<SocketAddr>) {
        self.api.endpoint = endpoint;
        self.api.resolv_dir = Some(state_dir.join("resolv"));
        match workload::ca::LocalCa::open_or_create(&state_dir.join("ca")) {
            Ok(ca) => self.api.ca = Some(ca),
            // Plain HTTP on port 80 still answers; HTTPS cannot.
            Err(e) => tracing::warn!("no local CA, so no HTTPS for AWS's APIs in the VPCs: {e}"),
        }
    }

    /// The TLS configuration of an HTTPS listener: its imported certificate,
    /// or one for its ACM certificate's names issued by the local CA (made
    /// once per setup), in its policy's versions. `None`
    /// without a CA or with material rustls refuses.
    pub(super) fn listener_tls(&mut self, tls: &lb::ListenerTls) -> Option<Arc<ServerConfig>> {
        let key = tls.identity();
        if let Some(c) = self.api.listeners.get(&key) {
            return Some(c.clone());
        }
        let made = match &tls.imported {
            // An imported certificate is served as the user gave it.
            Some((chain, key)) => {
                lb::tls::server_config(workload::ca::provider(), chain, key, &tls.policy).map_err(|e| e.to_string())
            }
            None => {
                let ca = self.api.ca.as_ref()?;
                ca.issue(&tls.names).map_err(|e| e.to_string()).and_then(|(leaf, key)| {
                    let chain = format!("{leaf}{}", ca.cert_pem());
                    lb::tls::server_config(workload::ca::provider(), &chain, &key.serialize_pem(), &tls.policy)
                        .map_err(|e| e.to_string())
                })
            }
        };
        match made {
            Ok(c) => {
                self.api.listeners.insert(key, c.clone());
                Some(c)
            }
            Err(e) => {
                tracing::warn!("no certificate for the HTTPS listener of {}: {e}", tls.certificate_arn);
                None
            }
        }
    }

    /// The TLS configuration of the internet's echo servers on 443: a
    /// certificate for every internet host's name and address from the local CA.
    pub(super) fn internet_tls(&self) -> Option<Arc<ServerConfig>> {
        let ca = self.api.ca.as_ref()?;
        let names: Vec<String> = dataplane::wiring::INTERNET_HOSTS
            .iter()
            .flat_map(|(addr, name)| [name.to_string(), addr.to_string()])
            .collect();
        match ca.server_config_for(&names) {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::warn!("no certificate for the internet's 443, so it speaks plain HTTP only: {e}");
                None
            }
        }
    }

    /// The CA certificate's file, once the CA exists.
    pub fn ca_path(&self) -> Option<&Path> {
        self.api.ca.as_ref().map(|c| c.cert_path())
    }

    /// The variables a container process gets so that its SDK trusts the
    /// endpoints' certificates (none without a CA). Credentials are not here.
    pub fn api_trust_env(&self) -> Vec<(String, String)> {
        self.ca_path().map(workload::ca::trust_env).unwrap_or_default()
    }

    /// The resolv.conf a process in `vpc_id` gets: its Amazon DNS server (VPC
    /// + 2) and the region's private domain, written once per VPC.
    pub fn resolv_conf(&self, account: &Account, vpc_id: &str) -> Option<PathBuf> {
        let dir = self.api.resolv_dir.as_ref()?;
        let vpc = account.vpcs.get(vpc_id)?;
        let resolver = vpc.cidr_block.nth(2)?;
        // The domain the DHCP options name by default, as in the ENIs' private DNS names.
        let dns_name = account::ids::private_dns_name(resolver, &account.region);
        let domain = dns_name.split_once('.').map_or("", |(_, d)| d);
        let text = format!("search {domain}\nnameserver {resolver}\n");
        let path = dir.join(format!("{vpc_id}.conf"));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            let written = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, &text));
            if let Err(e) = written {
                tracing::warn!("cannot write {}: {e}", path.display());
                return None;
            }
        }
        Some(path)
    }

    /// The TLS configuration for `region`'s names, made once.
    fn tls(&mut self, region: &str) -> Option<Arc<ServerConfig>> {
        if let Some((r, config)) = &self.api.tls {
            if r == region {
                return Some(config.clone());
            }
        }
        let config = match self.api.ca.as_ref()?.server_config(region) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("no certificate for AWS's APIs in {region}: {e}");
                return None;
            }
        };
        self.api.tls = Some((region.to_string(), config.clone()));
        Some(config)
    }

    /// The API's listeners: every service address on the internet, every
    /// interface endpoint's ENI, every gateway endpoint's service address.
    pub(super) fn sync_api(&mut self, account: &Account, wiring: &Wiring, wanted: &mut BTreeSet<String>) {
        let Some(endpoint) = self.api.endpoint else { return };
        let tls = self.tls(&account.region);
        let mut places: Vec<(String, String, Ipv4Addr)> = Vec::new();
        for s in SERVICES {
            places.push((format!("api internet {}", s.name), wiring.internet.ns.clone(), s.address));
        }
        for e in wiring.enis.values() {
            if matches!(e.kind, EniKind::VpcEndpoint { .. }) {
                places.push((format!("api {}", e.eni_id), e.ns.clone(), e.address));
            }
        }
        for g in wiring.gateway_endpoints.values() {
            places.push((format!("api {}", g.vpc_endpoint_id), g.ns.clone(), g.address));
        }
        for (key, ns, address) in places {
            wanted.insert(key.clone());
            if self.servers.contains_key(&key) {
                continue;
            }
            if let Some(handles) = self.api_listeners(&key, &ns, address, endpoint, tls.clone()) {
                self.servers.insert(key, handles);
            }
        }
    }

    /// Listeners on `address`:443 (TLS, when there is a certificate) and :80
    /// in `ns`; None (tried again next tick) unless all could listen.
    fn api_listeners(
        &mut self,
        key: &str,
        ns: &str,
        address: Ipv4Addr,
        endpoint: SocketAddr,
        tls: Option<Arc<ServerConfig>>,
    ) -> Option<Vec<JoinHandle<()>>> {
        let n = self.ns(ns)?;
        let mut ports = vec![(HTTP_PORT, None)];
        if let Some(tls) = tls {
            ports.push((HTTPS_PORT, Some(tls)));
        }
        let mut handles = Vec::new();
        for (port, tls) in ports {
            let l = match workload::tcp_listener(&n, SocketAddrV4::new(address, port)) {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!("{key}: cannot listen on {address}:{port} in {ns}: {e}");
                    handles.iter().for_each(JoinHandle::abort);
                    return None;
                }
            };
            let upstream = Upstream { endpoint, tls };
            handles.push(self.handle.spawn(async move {
                if let Ok(l) = tokio::net::TcpListener::from_std(l) {
                    workload::api::serve_api(l, upstream).await;
                }
            }));
        }
        Some(handles)
    }
}
