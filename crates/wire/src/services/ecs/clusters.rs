//! Clusters, container instances, account settings and tags.

use super::{aws, cluster_of, ecs_page, input, invalid};
use crate::dispatch::{Read, Write};
use crate::error::WireError;
use control::ecs;
use serde_json::{json, Value};
use shapes::{Query, Selection};

/// ListClusters: the ACTIVE clusters' ARNs (inferred: a deleted, INACTIVE
/// cluster is only found by DescribeClusters). AWS doc: "ListClusters"
/// (maxResults 1..=100, default 100).
pub fn list_clusters(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let arns: Vec<&str> = r
        .account
        .clusters
        .values()
        .filter(|c| c.status == account::ClusterStatus::Active)
        .map(|c| c.cluster_arn.as_str())
        .collect();
    let (page, next) = ecs_page(&arns, input, 100, 100)?;
    Ok(json!({ "clusterArns": page, "nextToken": next }))
}

/// True when `include` asks for `what` (`TAGS`, `SETTINGS`, …).
fn includes(input: &Value, what: &str) -> bool {
    input::texts(input, "include").iter().any(|i| i == what)
}

/// DescribeClusters: the clusters named (none: `default`), unknown ones `MISSING`.
pub fn describe_clusters(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let query = Query::default();
    let sel = Selection::new(r.account, &query, "DescribeClusters").map_err(|e| aws(&e))?;
    Ok(shapes::ecs::describe_clusters(&sel, &input::texts(input, "clusters"), includes(input, "TAGS")))
}

/// ECS's `[{"key": …, "value": …}]` as pairs (a tag without a key is skipped).
fn tag_pairs(input: &Value, member: &str) -> Vec<(String, String)> {
    input
        .get(member)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| Some((input::text(t, "key")?.to_string(), input::text(t, "value").unwrap_or("").to_string())))
        .collect()
}

/// CreateCluster (`default` when unnamed; AWS doc: "CreateCluster").
pub fn create_cluster(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "clusterName").unwrap_or("default");
    let cluster = ecs::create_cluster(&mut w.session.account, name, &tag_pairs(input, "tags"));
    Ok(json!({ "cluster": shapes::ecs::cluster_json(&w.session.account, &cluster, true) }))
}

/// DeleteCluster: the cluster as it is left, INACTIVE.
pub fn delete_cluster(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let cluster = ecs::delete_cluster(&mut w.session.account, &cluster_of(input)).map_err(|e| aws(&e))?;
    Ok(json!({ "cluster": shapes::ecs::cluster_json(&w.session.account, &cluster, false) }))
}

/// ListContainerInstances: the cluster's instances, by `status` when given
/// (inferred: INACTIVE ones only when asked for). A cluster query language
/// `filter` is refused: tasknet does not evaluate it.
pub fn list_container_instances(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    if input::text(input, "filter").is_some() {
        return Err(invalid("tasknet does not evaluate the cluster query language (filter)."));
    }
    let query = Query { cluster: Some(cluster_of(input)), ..Query::default() };
    let sel = Selection::new(r.account, &query, "ListContainerInstances").map_err(|e| aws(&e))?;
    let list = shapes::ecs::container_instances(&sel).map_err(|e| aws(&e))?;
    let status = input::text(input, "status");
    let arns: Vec<&str> = list
        .iter()
        .filter(|c| match status {
            Some(s) => c.status == s,
            None => c.status != account::ContainerInstanceStatus::Inactive,
        })
        .map(|c| c.container_instance_arn.as_str())
        .collect();
    // AWS doc: "ListContainerInstances" (maxResults 1..=100, default 100).
    let (page, next) = ecs_page(&arns, input, 100, 100)?;
    Ok(json!({ "containerInstanceArns": page, "nextToken": next }))
}

/// DescribeContainerInstances: those named (ARNs or IDs), unknown ones `MISSING`.
pub fn describe_container_instances(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let query = Query { cluster: Some(cluster_of(input)), ..Query::default() };
    let sel = Selection::new(r.account, &query, "DescribeContainerInstances").map_err(|e| aws(&e))?;
    let wanted = input::texts(input, "containerInstances");
    shapes::ecs::describe_container_instances_named(&sel, &wanted).map_err(|e| aws(&e))
}

/// ListAccountSettings. AWS doc: "ListAccountSettings" (maxResults 1..=10, default 10).
pub fn list_account_settings(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let settings = ecs::list_account_settings(r.account, input::text(input, "name"), input::text(input, "value"));
    let (page, next) = ecs_page(&settings, input, 10, 10)?;
    Ok(json!({ "settings": page, "nextToken": next }))
}

/// PutAccountSetting (for the account's root, whatever `principalArn` says).
pub fn put_account_setting(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "name").unwrap_or_default();
    let value = input::text(input, "value").unwrap_or_default();
    let setting = ecs::put_account_setting(&mut w.session.account, name, value).map_err(|e| aws(&e))?;
    Ok(json!({ "setting": setting }))
}

/// ListTagsForResource.
pub fn list_tags_for_resource(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let arn = input::text(input, "resourceArn").unwrap_or_default();
    let tags = ecs::list_tags_for_resource(r.account, arn).map_err(|e| aws(&e))?;
    let tags: Vec<Value> = tags.iter().map(|(k, v)| json!({"key": k, "value": v})).collect();
    Ok(json!({ "tags": tags }))
}

/// TagResource.
pub fn tag_resource(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let arn = input::text(input, "resourceArn").unwrap_or_default();
    ecs::tag_resource(&mut w.session.account, arn, &tag_pairs(input, "tags")).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

/// UntagResource.
pub fn untag_resource(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let arn = input::text(input, "resourceArn").unwrap_or_default();
    ecs::untag_resource(&mut w.session.account, arn, &input::texts(input, "tagKeys")).map_err(|e| aws(&e))?;
    Ok(json!({}))
}
