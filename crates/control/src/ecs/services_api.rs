//! CreateService, UpdateService and DeleteService, plus
//! what CloudFormation asks of a service: is it steady, and if not, why.
//!
//! AWS doc: "CreateService", "UpdateService", "DeleteService"
//! (Amazon ECS API Reference).

use super::api::{CreateServiceRequest, UpdateServiceRequest};
use super::deployments::{new_deployment, start_deployment};
use super::error::EcsError;
use super::validate;
use account::{Account, Cluster, Service, TaskDefinition};

/// CreateService: checks the request as ECS does and records the service
/// with its PRIMARY deployment; the scheduler starts its tasks.
pub fn create_service(account: &mut Account, req: &CreateServiceRequest) -> Result<Service, EcsError> {
    let cluster = validate::cluster(account, req.cluster.as_deref())?;
    if let Some(existing) = account.service(&cluster.cluster_name, &req.service_name) {
        if existing.status != account::ServiceStatus::Inactive {
            // Inferred text: AWS refuses a second ACTIVE or DRAINING service of the same name.
            return Err(EcsError::invalid_parameter("Creation of service was not idempotent."));
        }
    }
    validate::create_service(account, req).first()?;
    Ok(record_service(account, req))
}

/// The service `req` describes, recorded with its PRIMARY deployment and no
/// checks: what CreateService does once [`validate::create_service`] passed.
/// A plan records refused services too (so what depends on them can be
/// checked), hence the names it cannot resolve are kept as given.
pub fn record_service(account: &mut Account, req: &CreateServiceRequest) -> Service {
    let cluster_name = req.cluster.as_deref().unwrap_or("default");
    let cluster_arn = match account.cluster(cluster_name) {
        Some(c) => c.cluster_arn.clone(),
        None => account.new_cluster(cluster_name).cluster_arn,
    };
    let cluster_name = cluster_arn.rsplit_once(":cluster/").map_or(cluster_name, |(_, n)| n).to_string();
    let task_definition = account
        .task_definition(&req.task_definition)
        .map_or(req.task_definition.clone(), |t| t.task_definition_arn.clone());
    // DescribeServices shows no launchType for a service placed by capacity providers.
    let launch_type = match validate::service_launch_type(req) {
        Ok(lt) if req.launch_type.is_some() || req.capacity_provider_strategy.is_empty() => Some(lt),
        Ok(_) => None,
        Err(_) => req.launch_type.clone(),
    };
    // Inferred default: CloudFormation's DesiredCount default is 1; the API
    // requires the value for replica services.
    let desired = req.desired_count.unwrap_or(1);
    let deployment = new_deployment(account, &task_definition, desired);
    let service = Service {
        service_name: req.service_name.clone(),
        service_arn: account.service_arn(&cluster_name, &req.service_name),
        cluster_arn,
        task_definition,
        desired_count: desired,
        launch_type,
        network_configuration: req.network_configuration.clone(),
        load_balancers: req.load_balancers.clone(),
        role_arn: req.role.clone(),
        deployment_configuration: req.deployment_configuration.clone().unwrap_or_default(),
        status: account::ServiceStatus::Active,
        deployments: vec![deployment],
        events: Vec::new(),
        running_count: 0,
        pending_count: 0,
        created_at: account.clock_ms,
        start_failures: Default::default(),
    };
    account.put_service(service.clone());
    service
}

/// CreateCluster: the cluster `name` with `tags`; an existing ACTIVE
/// cluster of that name is returned as it is (AWS doc: "CreateCluster" is
/// idempotent for a cluster that exists).
pub fn create_cluster(account: &mut Account, name: &str, tags: &[(String, String)]) -> Cluster {
    if let Some(c) = account.cluster(name).filter(|c| c.status == account::ClusterStatus::Active) {
        return c.clone();
    }
    let mut cluster = account.new_cluster(name);
    cluster.tags = tags.iter().cloned().collect();
    account.put_cluster(cluster.clone());
    cluster
}

/// RegisterTaskDefinition: checks the definition as ECS does and stores it
/// as its family's next revision.
pub fn register_task_definition(account: &mut Account, td: TaskDefinition) -> Result<TaskDefinition, EcsError> {
    validate::task_definition_request(&td).first()?;
    Ok(account.register_task_definition(td))
}

/// The service a request names, with ClusterNotFound/ServiceNotFound as AWS answers.
fn find_service(account: &Account, cluster: Option<&str>, service: &str) -> Result<Service, EcsError> {
    let cluster = cluster.unwrap_or("default");
    if let Some(s) = account.service(cluster, service) {
        return Ok(s.clone());
    }
    if account.cluster(cluster).is_none() {
        return Err(EcsError::cluster_not_found());
    }
    Err(EcsError::service_not_found())
}

/// UpdateService: a new desired count takes effect at once; a new task
/// definition, network configuration or load balancers, or
/// forceNewDeployment, start a new PRIMARY deployment.
pub fn update_service(account: &mut Account, req: &UpdateServiceRequest) -> Result<Service, EcsError> {
    let svc = find_service(account, req.cluster.as_deref(), &req.service)?;
    if svc.status != account::ServiceStatus::Active {
        return Err(EcsError::service_not_active());
    }
    let td = validate::task_definition(account, req.task_definition.as_deref().unwrap_or(&svc.task_definition))?;
    let launch_type = svc.launch_type.clone().unwrap_or_else(|| "EC2".into());
    let body = validate::ServiceBody {
        td: &td,
        launch_type: &launch_type,
        network: req.network_configuration.as_ref().or(svc.network_configuration.as_ref()),
        load_balancers: req.load_balancers.as_ref().unwrap_or(&svc.load_balancers),
        role: svc.role_arn.as_deref(),
    };
    let mut refusals = validate::Refusals::default();
    validate::service(&mut refusals, account, &body);
    refusals.first()?;
    let new_revision = td.task_definition_arn != svc.task_definition;
    let new_network = req.network_configuration.as_ref().is_some_and(|n| Some(n) != svc.network_configuration.as_ref());
    let new_lbs = req.load_balancers.as_ref().is_some_and(|l| *l != svc.load_balancers);
    let arn = svc.service_arn.clone();
    if let Some(s) = account.services.get_mut(&arn) {
        s.task_definition = td.task_definition_arn.clone();
        if let Some(d) = req.desired_count {
            s.desired_count = d;
        }
        if let Some(c) = &req.deployment_configuration {
            s.deployment_configuration = c.clone();
        }
        if let Some(n) = &req.network_configuration {
            s.network_configuration = Some(n.clone());
        }
        if let Some(l) = &req.load_balancers {
            s.load_balancers = l.clone();
        }
    }
    if new_revision || new_network || new_lbs || req.force_new_deployment {
        start_deployment(account, &arn);
    }
    account.services.get(&arn).cloned().ok_or_else(EcsError::service_not_found)
}

/// DeleteService (with `force`, an active service with tasks may be
/// deleted): the service turns DRAINING with desired count 0; the scheduler
/// stops its tasks and marks it INACTIVE once they are all stopping.
pub fn delete_service(account: &mut Account, cluster: &str, service: &str, force: bool) -> Result<Service, EcsError> {
    let svc = find_service(account, Some(cluster), service)?;
    if svc.status != account::ServiceStatus::Active {
        return Err(EcsError::service_not_active());
    }
    if !force && svc.desired_count > 0 {
        // Seen (a 2015 capture, no final period); newer wording unverified.
        return Err(EcsError::invalid_parameter(
            "The service cannot be stopped while the primary deployment is scaled above 0",
        ));
    }
    let s = account.services.get_mut(&svc.service_arn).ok_or_else(EcsError::service_not_found)?;
    s.desired_count = 0;
    s.status = account::ServiceStatus::Draining;
    for d in &mut s.deployments {
        if d.status == account::DeploymentStatus::Primary {
            d.desired_count = 0;
        }
    }
    Ok(s.clone())
}

/// True when the service is steady: exactly one deployment, PRIMARY and
/// COMPLETED, with running = desired and nothing pending.
pub fn service_is_steady(account: &Account, service_arn: &str) -> bool {
    account.services.get(service_arn).is_some_and(|s| {
        s.status == account::ServiceStatus::Active
            && s.deployments.len() == 1
            && s.deployments.first().is_some_and(|d| {
                d.status == account::DeploymentStatus::Primary && d.rollout_state == account::RolloutState::Completed
            })
            && s.running_count == s.desired_count
            && s.pending_count == 0
    })
}

/// Why a service is not steady, for CloudFormation's failure reason: its
/// counts, its deployments and its latest events (newest first).
pub fn service_stability_report(account: &Account, service_arn: &str) -> String {
    let Some(s) = account.services.get(service_arn) else {
        return format!("service {service_arn} does not exist");
    };
    let deployments: Vec<String> = s
        .deployments
        .iter()
        .map(|d| {
            format!(
                "{} {} {} (running {} of {}, pending {}, failed {})",
                d.id, d.status, d.rollout_state, d.running_count, d.desired_count, d.pending_count, d.failed_tasks
            )
        })
        .collect();
    let events: Vec<&str> = s
        .events
        .iter()
        .filter(|e| !e.message.ends_with("has reached a steady state."))
        .take(5)
        .map(|e| e.message.as_str())
        .collect();
    let mut text = format!(
        "service {} is {}: desired {}, running {}, pending {}; deployments: {}",
        s.service_name,
        s.status,
        s.desired_count,
        s.running_count,
        s.pending_count,
        if deployments.is_empty() { "none".to_string() } else { deployments.join("; ") }
    );
    if !events.is_empty() {
        text.push_str("; latest events: ");
        text.push_str(&events.join(" | "));
    }
    text
}
