//! What a task's start connects to, and whether it gets there: the
//! secrets the agent fetches, the private ECR image it pulls (registry
//! API, registry host, layers from S3) and the awslogs stream it opens,
//! each traced on TCP 443 from where the start runs. The control plane asks
//! this at task start (`ResourceInitializationError` when blocked) and
//! `plan` asks it for services before any task exists (TN5004).
//!
//! Where the start runs: on Fargate, the task's ENI ("Amazon ECS task
//! networking options for Fargate": image pull and secrets over the task
//! ENI, platform 1.4.0 and later); on EC2 the container agent on the
//! instance pulls and fetches, so the instance's primary ENI, in every
//! network mode (stated for ECS Managed Instances in "Allocate a network
//! interface for tasks on Amazon ECS Managed Instances": image downloads,
//! secrets retrieval and log uploads use the instance's primary ENI; for
//! the EC2 launch type the same agent does the same, unverified as a doc
//! sentence).

use crate::endpoint::service_prospective;
use crate::sets::PortSet;
use crate::topology::{launch_groups, Topology};
use crate::trace::{to_service, Blocker, Flow, Place, ServiceTarget};
use account::endpoints::{self, ServiceEndpoint};
use account::{Account, Service, Task, TaskDefinition};
use serde::Serialize;

/// Why a task's start connects to a service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Purpose {
    /// A container's secret: Secrets Manager or SSM Parameter Store.
    Secret {
        /// The container.
        container: String,
        /// Its `valueFrom`.
        value_from: String,
    },
    /// A private ECR image: the registry's auth token, manifest and layers.
    Image {
        /// The container.
        container: String,
        /// The image.
        image: String,
    },
    /// The awslogs driver's log stream, created before the container starts.
    Logs {
        /// The container.
        container: String,
        /// `awslogs-group`.
        group: String,
    },
}

impl Purpose {
    /// `the secret arn:… of container app`.
    pub fn text(&self) -> String {
        match self {
            Purpose::Secret { container, value_from } => format!("the secret {value_from} of container {container}"),
            Purpose::Image { container, image } => format!("the image {image} of container {container}"),
            Purpose::Logs { container, group } => format!("the awslogs group {group} of container {container}"),
        }
    }
}

/// Purposes in words, one value once: `the image X of containers a, b; the secret Y of container a`.
pub fn purposes_text(purposes: &[Purpose]) -> String {
    let mut items: Vec<(String, Vec<&str>)> = Vec::new();
    for p in purposes {
        let (what, container) = match p {
            Purpose::Secret { container, value_from } => (format!("the secret {value_from}"), container),
            Purpose::Image { container, image } => (format!("the image {image}"), container),
            Purpose::Logs { container, group } => (format!("the awslogs group {group}"), container),
        };
        match items.iter_mut().find(|(w, _)| *w == what) {
            Some((_, cs)) => cs.push(container),
            None => items.push((what, vec![container])),
        }
    }
    let parts: Vec<String> = items
        .into_iter()
        .map(|(what, cs)| format!("{what} of container{} {}", if cs.len() == 1 { "" } else { "s" }, cs.join(", ")))
        .collect();
    parts.join("; ")
}

/// A service the start needs, and what for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    /// The service and hostname.
    pub target: ServiceTarget,
    /// What needs it.
    pub purposes: Vec<Purpose>,
}

/// A needed service the start cannot reach from one place.
#[derive(Clone, Debug, Serialize)]
pub struct PullBlocker {
    /// The service's PrivateLink name (`secretsmanager`, `ecr.dkr`, `s3`, `logs`).
    pub service: &'static str,
    /// The hostname the start connects to.
    pub host: String,
    /// The service's public address (what its hostname resolves to without an interface endpoint).
    pub address: std::net::Ipv4Addr,
    /// What needs it.
    pub purposes: Vec<Purpose>,
    /// Where the start runs (the task's or instance's ENI, or a prospective one).
    pub from: String,
    /// Its subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    /// Its security groups.
    pub groups: Vec<String>,
    /// The first blocking hop's reason.
    pub reason: String,
    /// Its fix.
    pub fix: String,
    /// Every blocking hop of every path.
    pub blockers: Vec<Blocker>,
}

/// Where a start runs, as a caller knows it.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// A task that exists (its ENI, or its container instance's).
    Task(&'a Task),
    /// A service, before or between its tasks (its tasks', else the places they would get).
    Service(&'a Service),
}

/// Everything `td`'s start connects to, once per hostname, in container order.
pub fn needs(account: &Account, td: &TaskDefinition) -> Vec<Need> {
    let mut out: Vec<Need> = Vec::new();
    let mut add = |target: ServiceTarget, purpose: Purpose| match out.iter_mut().find(|n| n.target == target) {
        Some(n) if !n.purposes.contains(&purpose) => n.purposes.push(purpose),
        Some(_) => {}
        None => out.push(Need { target, purposes: vec![purpose] }),
    };
    let svc = |name: &str| endpoints::by_name(name);
    for c in &td.container_definitions {
        for s in &c.secrets {
            if let Some((service, region)) = secret_service(&s.value_from, &account.region) {
                let purpose = Purpose::Secret { container: c.name.clone(), value_from: s.value_from.clone() };
                add(ServiceTarget::new(service, &region, &account.account_id), purpose);
            }
        }
        if let Some((registry, region)) = c.image.as_deref().and_then(ecr_registry) {
            let purpose = Purpose::Image { container: c.name.clone(), image: c.image.clone().unwrap_or_default() };
            // AWS doc "Amazon ECR interface VPC endpoints (AWS PrivateLink)": ecr.api and ecr.dkr, and
            // S3 for the layers (a gateway endpoint). The layer bucket's name is seen in public error texts.
            if let Some(api) = svc("ecr.api") {
                add(ServiceTarget::new(api, &region, &account.account_id), purpose.clone());
            }
            if let Some(target) = ServiceTarget::at_host(&registry, &region) {
                add(target, purpose.clone());
            }
            let bucket = format!("prod-{region}-starport-layer-bucket.s3.{region}.amazonaws.com");
            if let Some(target) = ServiceTarget::at_host(&bucket, &region) {
                add(target, purpose);
            }
        }
        // The awslogs driver creates its stream before the container starts and fails the start
        // when it cannot (CannotStartContainerError on EC2, ResourceInitializationError on Fargate).
        if let Some(l) = c.log_configuration.as_ref().filter(|l| l.log_driver == "awslogs") {
            let region = l.options.get("awslogs-region").cloned().unwrap_or_else(|| account.region.clone());
            let group = l.options.get("awslogs-group").cloned().unwrap_or_default();
            if let Some(logs) = svc("logs") {
                add(
                    ServiceTarget::new(logs, &region, &account.account_id),
                    Purpose::Logs { container: c.name.clone(), group },
                );
            }
        }
    }
    out
}

/// The service and region a secret's `valueFrom` is fetched from (AWS doc
/// "Pass sensitive data to an Amazon ECS container"): a Secrets Manager ARN,
/// an SSM parameter ARN, or a parameter name in the task's region.
fn secret_service(value_from: &str, region: &str) -> Option<(&'static ServiceEndpoint, String)> {
    let Some(rest) = value_from.strip_prefix("arn:") else {
        return endpoints::by_name("ssm").map(|s| (s, region.to_string()));
    };
    let mut parts = rest.split(':');
    let (_partition, service, arn_region) = (parts.next()?, parts.next()?, parts.next()?);
    let region = if arn_region.is_empty() { region } else { arn_region };
    match service {
        "secretsmanager" | "ssm" => endpoints::by_name(service).map(|s| (s, region.to_string())),
        _ => None,
    }
}

/// A private ECR image's registry host and region: `<account>.dkr.ecr.<region>.amazonaws.com/repo:tag`.
fn ecr_registry(image: &str) -> Option<(String, String)> {
    let (host, _) = image.split_once('/')?;
    let host = host.split_once(':').map_or(host, |(h, _)| h).to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    match labels.as_slice() {
        [_, "dkr", "ecr", region, "amazonaws", "com"] => Some((host.clone(), region.to_string())),
        _ => None,
    }
}

/// Where a start runs for `source`: one place per ENI (or per subnet, before any exists).
pub fn sources(topo: &Topology<'_>, source: Source<'_>) -> Vec<Place> {
    let a = topo.account;
    match source {
        Source::Task(t) => {
            let eni = if t.launch_type == "FARGATE" { t.eni_id.as_ref() } else { instance_eni(a, t) };
            eni.or(t.eni_id.as_ref())
                .and_then(|e| a.network_interfaces.get(e))
                .map(|e| Place::eni(topo, e))
                .into_iter()
                .collect()
        }
        Source::Service(s) => service_sources(topo, s),
    }
}

/// The primary ENI of the instance a task runs on.
fn instance_eni<'a>(a: &'a Account, t: &Task) -> Option<&'a String> {
    let ci = a.container_instances.get(t.container_instance_arn.as_ref()?)?;
    a.instances.get(&ci.ec2_instance_id)?.network_interface_ids.first()
}

fn service_sources(topo: &Topology<'_>, s: &Service) -> Vec<Place> {
    let a = topo.account;
    let live: Vec<&Task> =
        a.tasks.values().filter(|t| t.service_arn.as_deref() == Some(&s.service_arn) && t.is_live()).collect();
    let mut places: Vec<Place> = Vec::new();
    let push = |places: &mut Vec<Place>, p: Place| {
        if !places.iter().any(|x| x.eni.is_some() && x.eni == p.eni) {
            places.push(p);
        }
    };
    for t in &live {
        for p in sources(topo, Source::Task(t)) {
            push(&mut places, p);
        }
    }
    if !places.is_empty() {
        return places;
    }
    if s.launch_type.as_deref() == Some("FARGATE") {
        return fargate_prospective(topo, s);
    }
    // EC2: the cluster's container instances, else the instances its auto scaling groups would launch.
    for ci in a
        .container_instances
        .values()
        .filter(|c| c.cluster_arn == s.cluster_arn && c.status == account::ContainerInstanceStatus::Active)
    {
        if let Some(e) = a.instances.get(&ci.ec2_instance_id).and_then(|i| i.network_interface_ids.first()) {
            if let Some(eni) = a.network_interfaces.get(e) {
                push(&mut places, Place::eni(topo, eni));
            }
        }
    }
    if places.is_empty() {
        places = prospective_instances(topo, s);
    }
    if places.is_empty() {
        // Nothing says where the instances are: the tasks' own subnets stand for them.
        places = service_prospective(topo, s);
    }
    places
}

/// A Fargate service's prospective ENIs, with a public IP when `AssignPublicIp` is ENABLED.
fn fargate_prospective(topo: &Topology<'_>, s: &Service) -> Vec<Place> {
    let public = s
        .network_configuration
        .as_ref()
        .and_then(|n| n.awsvpc_configuration.as_ref())
        .is_some_and(|c| c.assign_public_ip == "ENABLED");
    let ip = topo.account.allocate_public_ip().ok();
    service_prospective(topo, s).into_iter().map(|p| Place { public_ip: if public { ip } else { None }, ..p }).collect()
}

/// One place per subnet of each auto scaling group whose instances join the
/// service's cluster (`ECS_CLUSTER` in the launch configuration or template).
fn prospective_instances(topo: &Topology<'_>, s: &Service) -> Vec<Place> {
    let a = topo.account;
    let cluster = s.cluster_arn.rsplit('/').next().unwrap_or(&s.cluster_arn);
    let joins = |c: &Option<String>| c.as_deref().is_some_and(|c| c == cluster || c == s.cluster_arn);
    let ip = a.allocate_public_ip().ok();
    let mut out = Vec::new();
    for g in a.auto_scaling_groups.values() {
        let lc = g.launch_configuration_name.as_ref().and_then(|n| a.launch_configurations.get(n));
        let lt = g.launch_template.as_ref().and_then(|(id, _)| {
            a.launch_templates.values().find(|t| &t.launch_template_id == id || &t.launch_template_name == id)
        });
        let (public, ok) = match (lc, lt) {
            (Some(l), _) => (l.associate_public_ip_address, joins(&l.ecs_cluster)),
            (None, Some(t)) => (t.associate_public_ip_address, joins(&t.ecs_cluster)),
            (None, None) => continue,
        };
        if !ok {
            continue;
        }
        for subnet in &g.subnets {
            let Some(sub) = a.subnets.get(subnet) else { continue };
            let groups = launch_groups(a, g, &sub.vpc_id);
            let label = format!("an instance of {}", topo.short(&g.auto_scaling_group_name));
            let mut p = Place::prospective(topo, &label, subnet, groups, false);
            p.role = "instance".into();
            p.public_ip = if public.unwrap_or(sub.map_public_ip_on_launch) { ip } else { None };
            out.push(p);
        }
    }
    out
}

/// The needed services that TCP 443 from `from` cannot reach: one entry per service and place.
pub fn start_blockers(topo: &Topology<'_>, td: &TaskDefinition, from: &[Place]) -> Vec<PullBlocker> {
    let flow = Flow::tcp(PortSet::single(443));
    let mut out = Vec::new();
    for need in needs(topo.account, td) {
        for place in from {
            let paths = to_service(topo, place, &need.target, &flow);
            if paths.iter().any(|p| p.reachable) {
                continue;
            }
            let blockers: Vec<Blocker> = paths.iter().flat_map(|p| p.blockers.iter().cloned()).collect();
            let (reason, fix) = blockers.first().map_or_else(
                || (format!("nothing answers for {} in the VPC", need.target.host), String::new()),
                |b| (b.reason.clone(), b.fix.clone()),
            );
            out.push(PullBlocker {
                service: need.target.service.name,
                host: need.target.host.clone(),
                address: need.target.service.address,
                purposes: need.purposes.clone(),
                from: place.label.clone(),
                subnet: place.subnet.clone(),
                groups: place.groups.clone().unwrap_or_default(),
                reason,
                fix,
                blockers,
            });
        }
    }
    out
}

/// The blockers of a task's start (the control plane's question at start), or `None` for an unknown task definition.
pub fn task_start_blockers(account: &Account, task: &Task) -> Option<Vec<PullBlocker>> {
    let td = account.task_definitions.get(&task.task_definition_arn)?;
    let topo = Topology::new(account);
    let from = sources(&topo, Source::Task(task));
    Some(start_blockers(&topo, td, &from))
}

/// The blockers of a service's next task start, before any task exists (or `None` for an unknown task definition).
pub fn service_start_blockers(topo: &Topology<'_>, service: &Service) -> Option<Vec<PullBlocker>> {
    let td = topo.account.task_definitions.get(&service.task_definition)?;
    let from = sources(topo, Source::Service(service));
    Some(start_blockers(topo, td, &from))
}
