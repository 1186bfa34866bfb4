//! Naming the ends of a question: a logical or physical ID (a service means
//! its tasks' ENIs, a load balancer its nodes, a database its ENI, an auto
//! scaling group its instances), an ENI, an IP address or CIDR, `internet`,
//! or an AWS service (`secretsmanager`, `ecr.dkr`, a hostname like
//! `ssm.us-east-1.amazonaws.com`).

use crate::topology::{awsvpc_groups, cidr_set, internet, Topology};
use crate::trace::{Place, ServiceTarget};
use account::endpoints;
use account::{Ipv4Cidr, Service};
use std::net::Ipv4Addr;

/// Why a name does not make an endpoint.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EndpointError {
    /// Nothing has that name.
    #[error("no resource, ENI or address matches '{name}'{}", candidates_text(.candidates))]
    Unknown {
        /// The name given.
        name: String,
        /// Names that would match.
        candidates: Vec<String>,
    },
    /// Several resources have that name.
    #[error("'{name}' is ambiguous: it names {}; give --stack or a physical ID", .matches.join(", "))]
    Ambiguous {
        /// The name given.
        name: String,
        /// What it names.
        matches: Vec<String>,
    },
    /// It names something without a network interface.
    #[error("'{name}' is an {resource_type}: it has no network interface (endpoints are services, load balancers, databases, instances, auto scaling groups, NAT gateways, security groups, subnets, ENIs, addresses and `internet`)")]
    NoNetwork {
        /// The name given.
        name: String,
        /// Its type.
        resource_type: String,
    },
    /// It names an address no VPC or internet holds.
    #[error("{name} is in no VPC of the account and is not an internet address")]
    Nowhere {
        /// The address given.
        name: String,
    },
}

fn candidates_text(c: &[String]) -> String {
    if c.is_empty() {
        String::new()
    } else {
        format!("; endpoints here: {}", c.join(", "))
    }
}

/// A named end: what was asked for and the places it stands for.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The name as given, or the resource's logical ID.
    pub label: String,
    /// Its places (a service's tasks, a load balancer's nodes, …; an AWS service: its public endpoint).
    pub places: Vec<Place>,
    /// An AWS service: as a destination it stands for what the source's VPC DNS answers.
    pub service: Option<ServiceTarget>,
}

impl Endpoint {
    /// An end that is its places.
    pub fn of(label: impl Into<String>, places: Vec<Place>) -> Self {
        Endpoint { label: label.into(), places, service: None }
    }
}

/// Resource types that stand for network places.
const NETWORK_TYPES: &[&str] = &[
    "AWS::ECS::Service",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::RDS::DBInstance",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::EC2::Instance",
    "AWS::EC2::NatGateway",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Subnet",
    "AWS::EC2::NetworkInterface",
    "AWS::EC2::VPCEndpoint",
];

/// Resolves `name`; `stack` narrows logical IDs to one stack.
pub fn resolve(topo: &Topology<'_>, name: &str, stack: Option<&str>) -> Result<Endpoint, EndpointError> {
    let name = name.trim();
    if name.eq_ignore_ascii_case("internet") {
        return Ok(Endpoint::of("internet", vec![Place::internet(internet())]));
    }
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return address(topo, name, ip);
    }
    if name.contains('/') && !name.starts_with("arn:") {
        if let Ok(c) = name.parse::<Ipv4Cidr>() {
            return cidr(topo, name, &c);
        }
    }
    // Logical IDs first: they are what the template says.
    let mut logical: Vec<(&String, &crate::topology::Owner)> =
        topo.owners().filter(|(_, o)| o.logical_id == name && stack.is_none_or(|s| o.stack_name == s)).collect();
    logical.dedup_by(|a, b| a.1 == b.1);
    if logical.len() > 1 {
        return Err(EndpointError::Ambiguous {
            name: name.into(),
            matches: logical.iter().map(|(p, o)| format!("{}/{} ({p})", o.stack_name, o.logical_id)).collect(),
        });
    }
    if let Some((physical, owner)) = logical.first() {
        if !NETWORK_TYPES.contains(&owner.resource_type.as_str()) {
            return Err(EndpointError::NoNetwork { name: name.into(), resource_type: owner.resource_type.clone() });
        }
        if let Some(e) = vpc_endpoint(topo, physical, name) {
            return Ok(e);
        }
        return Ok(Endpoint::of(name, physical_places(topo, physical).unwrap_or_default()));
    }
    if let Some(e) = vpc_endpoint(topo, name, topo.owner(name).map_or(name, |o| o.logical_id.as_str())) {
        return Ok(e);
    }
    if let Some(places) = physical_places(topo, name) {
        let label = topo.owner(name).map_or_else(|| name.to_string(), |o| o.logical_id.clone());
        return Ok(Endpoint::of(label, places));
    }
    if let Some(places) = by_resource_name(topo, name)? {
        return Ok(Endpoint::of(name, places));
    }
    if let Some(target) = aws_service(topo, name) {
        let places = vec![Place::aws_service(&target.host, target.service.address)];
        return Ok(Endpoint { label: target.host.clone(), places, service: Some(target) });
    }
    Err(EndpointError::Unknown { name: name.into(), candidates: candidates(topo, stack) })
}

/// An AWS service by its PrivateLink name (`secretsmanager`, `ecr.dkr`, `ecr`
/// for the API), its endpoint service name (`com.amazonaws.<region>.ssm`) or a hostname.
fn aws_service(topo: &Topology<'_>, name: &str) -> Option<ServiceTarget> {
    let a = topo.account;
    let lower = name.to_ascii_lowercase();
    if let Some(s) = endpoints::for_service_name(&lower, &a.region).or_else(|| endpoints::by_name(&lower)) {
        return Some(ServiceTarget::new(s, &a.region, &a.account_id));
    }
    ServiceTarget::at_host(&lower, &a.region)
}

/// A VPC endpoint by ID, labelled `label`. An interface endpoint is its
/// ENIs, where its service answers. A gateway endpoint has no address of
/// its own: it stands for its service as the source's VPC resolves it,
/// which the endpoint's prefix-list route then carries (AWS doc "Gateway
/// endpoints"); from a subnet whose table lacks that route the trace shows
/// the way the packets take instead.
fn vpc_endpoint(topo: &Topology<'_>, id: &str, label: &str) -> Option<Endpoint> {
    let a = topo.account;
    let e = a.vpc_endpoints.get(id)?;
    match e.vpc_endpoint_type {
        account::VpcEndpointType::Gateway => {
            let s = endpoints::for_service_name(&e.service_name, &a.region)?;
            let target = ServiceTarget::new(s, &a.region, &a.account_id);
            let places = vec![Place::aws_service(&target.host, s.address)];
            Some(Endpoint { label: label.to_string(), places, service: Some(target) })
        }
        _ => {
            let places = e
                .network_interface_ids
                .iter()
                .filter_map(|n| a.network_interfaces.get(n))
                .map(|n| Place::eni(topo, n))
                .collect();
            Some(Endpoint::of(label, places))
        }
    }
}

/// The logical IDs of every network resource, for error messages.
fn candidates(topo: &Topology<'_>, stack: Option<&str>) -> Vec<String> {
    let mut c: Vec<String> = topo
        .owners()
        .filter(|(_, o)| NETWORK_TYPES.contains(&o.resource_type.as_str()) && stack.is_none_or(|s| o.stack_name == s))
        .map(|(_, o)| o.logical_id.clone())
        .collect();
    c.sort();
    c.dedup();
    c.push("internet".into());
    c.push("an AWS service (secretsmanager, ssm, ecr.api, ecr.dkr, s3, logs, sts, …, or its hostname)".into());
    c
}

fn address(topo: &Topology<'_>, name: &str, ip: Ipv4Addr) -> Result<Endpoint, EndpointError> {
    // A public IP names its ENI too.
    let place = match topo.eni_with_public(ip) {
        Some(eni) if topo.eni_at_any(ip).is_none() => Some(Place::eni(topo, eni)),
        _ => Place::at(topo, ip, None),
    };
    match place {
        Some(p) => Ok(Endpoint::of(name, vec![p])),
        None => Err(EndpointError::Nowhere { name: name.into() }),
    }
}

fn cidr(topo: &Topology<'_>, name: &str, c: &Ipv4Cidr) -> Result<Endpoint, EndpointError> {
    let set = cidr_set(c);
    let mut places = Vec::new();
    let mut rest = set.clone();
    for s in topo.account.subnets.values() {
        let part = set.intersect(&cidr_set(&s.cidr_block));
        if !part.is_empty() {
            rest = rest.subtract(&part);
            places.push(Place::addresses(topo, &s.subnet_id, part));
        }
    }
    let public = rest.intersect(&internet());
    if !public.is_empty() {
        places.push(Place::internet(public));
    }
    if places.is_empty() {
        return Err(EndpointError::Nowhere { name: name.into() });
    }
    Ok(Endpoint::of(name, places))
}

/// Places for a physical ID or ARN.
fn physical_places(topo: &Topology<'_>, id: &str) -> Option<Vec<Place>> {
    let a = topo.account;
    let enis = |ids: Vec<&String>| -> Vec<Place> {
        ids.into_iter().filter_map(|e| a.network_interfaces.get(e)).map(|e| Place::eni(topo, e)).collect()
    };
    if let Some(e) = a.network_interfaces.get(id) {
        return Some(vec![Place::eni(topo, e)]);
    }
    if let Some(s) = a.services.get(id) {
        return Some(service_places(topo, s));
    }
    if a.load_balancers.contains_key(id) {
        return Some(load_balancer_places(topo, id));
    }
    if let Some(db) = a.db_instances.get(id) {
        return Some(enis(db.network_interface_id.iter().collect()));
    }
    if let Some(n) = a.nat_gateways.get(id) {
        return Some(enis(n.nat_gateway_addresses.iter().filter_map(|x| x.network_interface_id.as_ref()).collect()));
    }
    if let Some(i) = a.instances.get(id) {
        return Some(enis(i.network_interface_ids.iter().take(1).collect()));
    }
    if a.auto_scaling_groups.contains_key(id) {
        let ids = a
            .instances
            .values()
            .filter(|i| {
                i.auto_scaling_group_name.as_deref() == Some(id) && i.state != account::InstanceState::Terminated
            })
            .filter_map(|i| i.network_interface_ids.first())
            .collect();
        return Some(enis(ids));
    }
    if a.security_groups.contains_key(id) {
        let ids = a
            .network_interfaces
            .values()
            .filter(|e| e.groups.iter().any(|g| g == id))
            .map(|e| &e.network_interface_id)
            .collect();
        return Some(enis(ids));
    }
    if let Some(s) = a.subnets.get(id) {
        return Some(vec![Place::addresses(topo, id, cidr_set(&s.cidr_block))]);
    }
    if let Some(t) = a.tasks.values().find(|t| t.task_arn == id || t.task_arn.ends_with(&format!("/{id}"))) {
        return Some(enis(t.eni_id.iter().collect()));
    }
    None
}

/// Names that are not IDs: service, load balancer and group names.
fn by_resource_name(topo: &Topology<'_>, name: &str) -> Result<Option<Vec<Place>>, EndpointError> {
    let a = topo.account;
    let mut hits: Vec<(String, Vec<Place>)> = Vec::new();
    for s in a.services.values().filter(|s| s.service_name == name && s.status == account::ServiceStatus::Active) {
        hits.push((s.service_arn.clone(), service_places(topo, s)));
    }
    for lb in a.load_balancers.values().filter(|l| l.load_balancer_name == name) {
        hits.push((lb.load_balancer_arn.clone(), load_balancer_places(topo, &lb.load_balancer_arn)));
    }
    for g in a.security_groups.values().filter(|g| g.group_name == name) {
        let places = physical_places(topo, &g.group_id).unwrap_or_default();
        hits.push((g.group_id.clone(), places));
    }
    match hits.len() {
        0 => Ok(None),
        1 => Ok(hits.pop().map(|(_, p)| p)),
        _ => Err(EndpointError::Ambiguous { name: name.into(), matches: hits.into_iter().map(|(id, _)| id).collect() }),
    }
}

/// A load balancer's nodes (one ENI per subnet).
fn load_balancer_places(topo: &Topology<'_>, arn: &str) -> Vec<Place> {
    topo.load_balancer_enis(arn).into_iter().map(|e| Place::eni(topo, e)).collect()
}

/// A service's places: its tasks' ENIs (awsvpc), the instances its tasks
/// run on (bridge and host), or, before any task runs, the ENIs it would get.
pub fn service_places(topo: &Topology<'_>, s: &Service) -> Vec<Place> {
    let a = topo.account;
    let live: Vec<_> =
        a.tasks.values().filter(|t| t.service_arn.as_deref() == Some(&s.service_arn) && t.is_live()).collect();
    let mut places: Vec<Place> = live
        .iter()
        .filter_map(|t| t.eni_id.as_ref())
        .filter_map(|e| a.network_interfaces.get(e))
        .map(|e| Place::eni(topo, e))
        .collect();
    if places.is_empty() {
        // Bridge and host tasks use their instance's ENI.
        let mut seen = Vec::new();
        for t in live.iter().filter(|t| t.eni_id.is_none()) {
            let inst = t
                .container_instance_arn
                .as_ref()
                .and_then(|ci| a.container_instances.get(ci))
                .and_then(|ci| a.instances.get(&ci.ec2_instance_id));
            if let Some(eni) =
                inst.and_then(|i| i.network_interface_ids.first()).and_then(|e| a.network_interfaces.get(e))
            {
                if !seen.contains(&eni.network_interface_id) {
                    seen.push(eni.network_interface_id.clone());
                    places.push(Place::eni(topo, eni));
                }
            }
        }
    }
    if places.is_empty() {
        places = service_prospective(topo, s);
    }
    places
}

/// The ENIs an awsvpc service would give its tasks, one per subnet, before any exists.
pub fn service_prospective(topo: &Topology<'_>, s: &Service) -> Vec<Place> {
    let Some(cfg) = s.network_configuration.as_ref().and_then(|n| n.awsvpc_configuration.as_ref()) else {
        return Vec::new();
    };
    let label = topo.short(&s.service_arn);
    let ec2 = s.launch_type.as_deref() != Some("FARGATE");
    cfg.subnets
        .iter()
        .map(|subnet| {
            let vpc = topo.subnet(subnet).map(|x| x.vpc_id.clone()).unwrap_or_default();
            Place::prospective(topo, &label, subnet, awsvpc_groups(topo.account, cfg, &vpc), ec2)
        })
        .collect()
}
