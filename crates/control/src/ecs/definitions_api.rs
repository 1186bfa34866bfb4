//! RegisterTaskDefinition's request as the API takes it (camelCase, ECS's
//! defaults filled in), DeregisterTaskDefinition, DeleteCluster, the tag
//! actions and ListAccountSettings: the ECS actions a wire door calls that
//! the template door reaches through its own property readers.
//!
//! AWS doc: "RegisterTaskDefinition", "DeregisterTaskDefinition",
//! "DeleteCluster", "TagResource", "UntagResource", "ListTagsForResource",
//! "ListAccountSettings" (Amazon ECS API Reference).

use super::api::Setting;
use super::error::EcsError;
use account::{Account, Cluster, ContainerDefinition, KeyValuePair, PortMapping, TaskDefinition};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// RegisterTaskDefinition's parameters (the members tasknet models).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterTaskDefinitionRequest {
    /// The family.
    pub family: String,
    /// Its containers.
    #[serde(default)]
    pub container_definitions: Vec<ContainerDefinitionRequest>,
    /// `awsvpc`, `bridge`, `host` or `none`.
    pub network_mode: Option<String>,
    /// `EC2`, `FARGATE`, …
    #[serde(default)]
    pub requires_compatibilities: Vec<String>,
    /// Task-level CPU.
    pub cpu: Option<String>,
    /// Task-level memory.
    pub memory: Option<String>,
    /// The task role.
    pub task_role_arn: Option<String>,
    /// The execution role.
    pub execution_role_arn: Option<String>,
}

/// One container of a RegisterTaskDefinition request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinitionRequest {
    /// Its name.
    pub name: String,
    /// Its image.
    pub image: Option<String>,
    /// Whether its exit stops the task (default true).
    pub essential: Option<bool>,
    /// Port mappings.
    #[serde(default)]
    pub port_mappings: Vec<PortMappingRequest>,
    /// CPU units.
    pub cpu: Option<u32>,
    /// Hard memory limit (MiB).
    pub memory: Option<u32>,
    /// Soft memory limit (MiB).
    pub memory_reservation: Option<u32>,
    /// Environment variables.
    #[serde(default)]
    pub environment: Vec<EnvironmentRequest>,
    /// `entryPoint`.
    #[serde(default)]
    pub entry_point: Vec<String>,
    /// `command`.
    #[serde(default)]
    pub command: Vec<String>,
    /// `logConfiguration`.
    #[serde(default)]
    pub log_configuration: Option<account::LogConfiguration>,
    /// `secrets`.
    #[serde(default)]
    pub secrets: Vec<account::ContainerSecret>,
}

/// One port mapping of a request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortMappingRequest {
    /// The container's port.
    pub container_port: u16,
    /// The host's port.
    pub host_port: Option<u16>,
    /// `tcp` (default) or `udp`.
    pub protocol: Option<String>,
}

/// One environment variable of a request (both members optional in the API).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentRequest {
    /// The name.
    pub name: Option<String>,
    /// The value.
    pub value: Option<String>,
}

impl RegisterTaskDefinitionRequest {
    /// The task definition the request asks for, with ECS's defaults.
    pub fn definition(&self) -> TaskDefinition {
        let containers = self
            .container_definitions
            .iter()
            .map(|c| ContainerDefinition {
                name: c.name.clone(),
                image: c.image.clone(),
                // AWS doc: "Task definition parameters": essential defaults to true.
                essential: c.essential.unwrap_or(true),
                port_mappings: c
                    .port_mappings
                    .iter()
                    .map(|m| PortMapping {
                        container_port: m.container_port,
                        // AWS doc: "Task definition parameters": with awsvpc the host port is the container port.
                        host_port: match self.network_mode() {
                            "awsvpc" => m.host_port.or(Some(m.container_port)),
                            _ => m.host_port,
                        },
                        protocol: m.protocol.clone().unwrap_or_else(|| "tcp".into()),
                    })
                    .collect(),
                cpu: c.cpu,
                memory: c.memory,
                memory_reservation: c.memory_reservation,
                environment: c
                    .environment
                    .iter()
                    .filter_map(|e| {
                        Some(KeyValuePair { name: e.name.clone()?, value: e.value.clone().unwrap_or_default() })
                    })
                    .collect(),
                entry_point: c.entry_point.clone(),
                command: c.command.clone(),
                log_configuration: c.log_configuration.clone(),
                secrets: c.secrets.clone(),
            })
            .collect();
        TaskDefinition {
            family: self.family.clone(),
            revision: 0,
            task_definition_arn: String::new(),
            network_mode: self.network_mode().to_string(),
            requires_compatibilities: self.requires_compatibilities.clone(),
            cpu: self.cpu.clone(),
            memory: self.memory.clone(),
            container_definitions: containers,
            task_role_arn: self.task_role_arn.clone(),
            execution_role_arn: self.execution_role_arn.clone(),
            status: account::TaskDefinitionStatus::Active,
        }
    }

    /// AWS doc: "Task definition parameters": networkMode defaults to bridge
    /// (Fargate requires awsvpc, which the request then names).
    fn network_mode(&self) -> &str {
        self.network_mode.as_deref().unwrap_or("bridge")
    }
}

/// ECS's error for an account action's refusal (the account's errors carry
/// ECS's code and text already).
fn from_service(e: account::ServiceError) -> EcsError {
    EcsError::new(&e.code, e.message)
}

/// DeregisterTaskDefinition: the revision turns INACTIVE; returns it.
pub fn deregister_task_definition(account: &mut Account, reference: &str) -> Result<TaskDefinition, EcsError> {
    account.deregister_task_definition(reference).map_err(from_service)?;
    account.task_definition(reference).cloned().ok_or_else(EcsError::task_definition_not_found)
}

/// DescribeTaskDefinition: the revision `reference` names (`family` alone
/// is its latest ACTIVE revision). Unknown: ClientException, seen as
/// `Unable to describe task definition.`
pub fn describe_task_definition<'a>(account: &'a Account, reference: &str) -> Result<&'a TaskDefinition, EcsError> {
    account.task_definition(reference).ok_or_else(|| EcsError::client("Unable to describe task definition."))
}

/// DeleteCluster: the cluster turns INACTIVE once nothing runs in it; returns it.
pub fn delete_cluster(account: &mut Account, cluster: &str) -> Result<Cluster, EcsError> {
    account.delete_cluster(cluster).map_err(from_service)?;
    account.cluster(cluster).cloned().ok_or_else(EcsError::cluster_not_found)
}

/// What an ECS ARN names, for the tag actions.
enum Tagged {
    /// A cluster, by name: the one resource whose tags tasknet records.
    Cluster(String),
    /// A service, task definition, task or container instance that exists
    /// (tasknet records no tags on them).
    Untagged,
}

/// The resource `arn` names. Unknown ones are ECS's
/// InvalidParameterException (inferred: the error the tag actions document
/// for a bad ARN); the text is tasknet's.
fn tagged(account: &Account, arn: &str) -> Result<Tagged, EcsError> {
    if let Some(c) = account.clusters.values().find(|c| c.cluster_arn == arn) {
        return Ok(Tagged::Cluster(c.cluster_name.clone()));
    }
    let known = account.services.contains_key(arn)
        || account.task_definitions.contains_key(arn)
        || account.tasks.contains_key(arn)
        || account.container_instances.contains_key(arn);
    if known {
        return Ok(Tagged::Untagged);
    }
    Err(EcsError::invalid_parameter(format!("The specified resource {arn} does not exist.")))
}

/// ListTagsForResource: a cluster's tags; the other resources have none here.
pub fn list_tags_for_resource(account: &Account, arn: &str) -> Result<BTreeMap<String, String>, EcsError> {
    match tagged(account, arn)? {
        Tagged::Cluster(name) => Ok(account.clusters.get(&name).map(|c| c.tags.clone()).unwrap_or_default()),
        Tagged::Untagged => Ok(BTreeMap::new()),
    }
}

/// The refusal for tagging what tasknet keeps no tags on (tasknet's words:
/// AWS would tag it).
fn untaggable(arn: &str) -> EcsError {
    EcsError::invalid_parameter(format!("tasknet records tags on clusters only, not on {arn}"))
}

/// TagResource: adds or replaces a cluster's tags.
pub fn tag_resource(account: &mut Account, arn: &str, tags: &[(String, String)]) -> Result<(), EcsError> {
    let Tagged::Cluster(name) = tagged(account, arn)? else { return Err(untaggable(arn)) };
    if let Some(c) = account.clusters.get_mut(&name) {
        c.tags.extend(tags.iter().cloned());
    }
    Ok(())
}

/// UntagResource: removes a cluster's tags by key (absent keys are ignored).
pub fn untag_resource(account: &mut Account, arn: &str, keys: &[String]) -> Result<(), EcsError> {
    let Tagged::Cluster(name) = tagged(account, arn)? else { return Err(untaggable(arn)) };
    if let Some(c) = account.clusters.get_mut(&name) {
        c.tags.retain(|k, _| !keys.contains(k));
    }
    Ok(())
}

/// ListAccountSettings: the settings PutAccountSetting stored (without
/// `effectiveSettings`, ECS lists only settings that were set), narrowed to
/// `name` and `value` when given. The defaults `effectiveSettings` would add
/// are not modelled (unverified per setting and account age), so they are
/// not listed either way.
pub fn list_account_settings(account: &Account, name: Option<&str>, value: Option<&str>) -> Vec<Setting> {
    account
        .account_settings
        .iter()
        .filter(|(n, v)| name.is_none_or(|w| w == n.as_str()) && value.is_none_or(|w| w == v.as_str()))
        .map(|(n, v)| Setting {
            name: n.clone(),
            value: v.clone(),
            principal_arn: format!("arn:aws:iam::{}:root", account.account_id),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_gets_ecs_defaults() {
        let req: RegisterTaskDefinitionRequest = serde_json::from_value(serde_json::json!({
            "family": "web",
            "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "app", "image": "nginx", "portMappings": [{"containerPort": 80}],
                                      "environment": [{"name": "A", "value": "1"}, {"value": "orphan"}]}]
        }))
        .expect("request");
        let td = req.definition();
        let c = &td.container_definitions[0];
        assert!(c.essential);
        assert_eq!((c.port_mappings[0].host_port, c.port_mappings[0].protocol.as_str()), (Some(80), "tcp"));
        assert_eq!(c.environment.len(), 1);
        let bridge = RegisterTaskDefinitionRequest { family: "b".into(), ..Default::default() };
        assert_eq!(bridge.definition().network_mode, "bridge");
    }

    #[test]
    fn cluster_tags_round_trip_and_others_are_refused() {
        let mut a = Account::default();
        let arn = super::super::create_cluster(&mut a, "prod", &[]).cluster_arn;
        tag_resource(&mut a, &arn, &[("team".into(), "x".into()), ("env".into(), "dev".into())]).expect("tag");
        untag_resource(&mut a, &arn, &["env".into()]).expect("untag");
        let tags = list_tags_for_resource(&a, &arn).expect("list");
        assert_eq!(tags.into_iter().collect::<Vec<_>>(), vec![("team".to_string(), "x".to_string())]);
        assert_eq!(list_tags_for_resource(&a, "arn:nope").expect_err("unknown").code, "InvalidParameterException");
    }

    #[test]
    fn settings_list_what_was_put() {
        let mut a = Account::default();
        super::super::put_account_setting(&mut a, "awsvpcTrunking", "enabled").expect("put");
        assert_eq!(list_account_settings(&a, None, None).len(), 1);
        assert!(list_account_settings(&a, Some("containerInsights"), None).is_empty());
        assert_eq!(
            describe_task_definition(&a, "nope").expect_err("unknown").message,
            "Unable to describe task definition."
        );
        let deleted = delete_cluster(&mut a, "nope").expect_err("unknown");
        assert_eq!(deleted.code, "ClusterNotFoundException");
    }
}
