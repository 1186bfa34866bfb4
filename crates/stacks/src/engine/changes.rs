//! Change sets: what an update does to each resource, and whether a changed
//! property forces CloudFormation to replace the resource.

use account::{ResourceChange, ResourceChangeDetail};
use serde_json::Value as Json;

/// True when changing `property` of a `resource_type` replaces the resource
/// (the type's `replacing` list, from the resource schemas'
/// `createOnlyProperties`, facts: "Change sets"; `*` means every property).
/// Types that list none update every property in place: tasknet's
/// assumption for them (unverified per type).
pub fn forces_replacement(resource_type: &str, property: &str) -> bool {
    crate::handlers::kind_of(resource_type).is_some_and(|k| k.replacing.iter().any(|p| *p == "*" || *p == property))
}

/// The top-level properties that differ between two resolved property maps.
pub fn changed_properties(old: &Json, new: &Json) -> Vec<String> {
    let empty = serde_json::Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let mut names: Vec<String> = old.keys().chain(new.keys()).filter(|k| old.get(*k) != new.get(*k)).cloned().collect();
    names.sort();
    names.dedup();
    names
}

/// A `Modify` change for one resource.
pub fn modify(logical_id: &str, physical_id: Option<&str>, resource_type: &str, changed: &[String]) -> ResourceChange {
    let details: Vec<ResourceChangeDetail> = changed
        .iter()
        .map(|name| ResourceChangeDetail {
            name: name.clone(),
            requires_recreation: if forces_replacement(resource_type, name) { "Always" } else { "Never" }.into(),
            evaluation: "Static".into(),
            change_source: "DirectModification".into(),
        })
        .collect();
    let replace = details.iter().any(|d| d.requires_recreation == "Always");
    ResourceChange {
        action: "Modify".into(),
        logical_resource_id: logical_id.to_string(),
        physical_resource_id: physical_id.map(str::to_string),
        resource_type: resource_type.to_string(),
        replacement: Some(if replace { "True" } else { "False" }.into()),
        scope: vec!["Properties".into()],
        details,
    }
}

/// An `Add` or `Remove` change.
pub fn add_or_remove(action: &str, logical_id: &str, physical_id: Option<&str>, resource_type: &str) -> ResourceChange {
    ResourceChange {
        action: action.to_string(),
        logical_resource_id: logical_id.to_string(),
        physical_resource_id: physical_id.map(str::to_string),
        resource_type: resource_type.to_string(),
        replacement: None,
        scope: Vec::new(),
        details: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replacement_follows_create_only_properties() {
        assert!(forces_replacement("AWS::EC2::Subnet", "CidrBlock"));
        assert!(!forces_replacement("AWS::EC2::Subnet", "MapPublicIpOnLaunch"));
        assert!(forces_replacement("AWS::ECS::TaskDefinition", "Cpu"));
        assert!(!forces_replacement("AWS::ECS::Service", "DesiredCount"));
        assert!(!forces_replacement("AWS::SNS::Topic", "TopicName"));
    }

    #[test]
    fn changes_are_listed_with_recreation() {
        let old = json!({"DesiredCount": 1, "Cluster": "a", "Same": [1]});
        let new = json!({"DesiredCount": 2, "Cluster": "b", "Same": [1], "New": true});
        let changed = changed_properties(&old, &new);
        assert_eq!(changed, ["Cluster", "DesiredCount", "New"]);
        let c = modify("Svc", Some("arn"), "AWS::ECS::Service", &changed);
        assert_eq!(c.replacement.as_deref(), Some("True"));
        assert_eq!(c.details[0].requires_recreation, "Always");
        assert_eq!(c.details[1].requires_recreation, "Never");
        let in_place = modify("Svc", Some("arn"), "AWS::ECS::Service", &["DesiredCount".to_string()]);
        assert_eq!(in_place.replacement.as_deref(), Some("False"));
    }
}
