//! Elastic Load Balancing v2: the Describe calls over the account's
//! balancers, target groups, listeners and rules (documents from
//! `shapes::elbv2`), and in [`writes`] the target, attribute and
//! create/delete actions through `control::elb`.

mod writes;

use super::{input, pages};
use crate::dispatch::{read, write, Operation, Read};
use crate::error::WireError;
use account::{Listener, LoadBalancer, TargetGroup};
use control::elb::{self, ElbError};
use serde_json::{json, Value};
use shapes::{Query, Selection};

/// ELBv2's operations.
pub const OPERATIONS: &[Operation] = &[
    read("DescribeLoadBalancers", describe_load_balancers),
    read("DescribeTargetGroups", describe_target_groups),
    read("DescribeListeners", describe_listeners),
    read("DescribeRules", describe_rules),
    read("DescribeTargetHealth", describe_target_health),
    read("DescribeLoadBalancerAttributes", writes::describe_load_balancer_attributes),
    read("DescribeTargetGroupAttributes", writes::describe_target_group_attributes),
    read("DescribeTags", writes::describe_tags),
    write("ModifyTargetGroupAttributes", writes::modify_target_group_attributes),
    write("RegisterTargets", writes::register_targets),
    write("DeregisterTargets", writes::deregister_targets),
    write("CreateLoadBalancer", writes::create_load_balancer),
    write("DeleteLoadBalancer", writes::delete_load_balancer),
    write("CreateTargetGroup", writes::create_target_group),
    write("DeleteTargetGroup", writes::delete_target_group),
    write("CreateListener", writes::create_listener),
    write("DeleteListener", writes::delete_listener),
];

fn aws(e: &impl account::AwsError) -> WireError {
    WireError::from_aws(e)
}

/// A page by ELBv2's `Marker` and `PageSize` (AWS doc: the Describe
/// actions' PageSize, 1..=400; the default is all, up to 400).
fn elb_page<'a, T>(items: &'a [T], input: &Value) -> Result<(&'a [T], Option<String>), WireError> {
    let limits = pages::Limits { default: 400, max: 400 };
    let bad = |m: String| WireError::bad("ValidationError", m);
    pages::page(items, input::text(input, "Marker"), input::int(input, "PageSize"), limits, bad)
}

/// `doc` with the next page's marker, when there is one.
fn with_marker(mut doc: Value, next: Option<String>) -> Value {
    if let Some(m) = next {
        doc["NextMarker"] = json!(m);
    }
    doc
}

/// ELBv2's refusal of a request that names two things it may not combine
/// (inferred code and text: the API reference says the members exclude each other).
fn exclusive(a: &str, b: &str) -> WireError {
    WireError::bad("ValidationError", format!("{a} and {b} cannot be specified at the same time"))
}

/// The balancers asked for: by ARN (each must exist: `One or more load
/// balancers not found`), by name (seen: `Load balancers '[NAME]' not
/// found`), or all, by name.
fn balancers<'a>(r: &Read<'a>, input: &Value) -> Result<Vec<&'a LoadBalancer>, WireError> {
    let arns = input::texts(input, "LoadBalancerArns");
    let names = input::texts(input, "Names");
    if !arns.is_empty() && !names.is_empty() {
        return Err(exclusive("LoadBalancerArns", "Names"));
    }
    let mut list: Vec<&LoadBalancer> = Vec::new();
    for arn in &arns {
        list.push(r.account.load_balancers.get(arn).ok_or_else(|| aws(&elb::modify::load_balancer_not_found()))?);
    }
    let missing: Vec<&String> =
        names.iter().filter(|n| !r.account.load_balancers.values().any(|l| &l.load_balancer_name == *n)).collect();
    if !missing.is_empty() {
        let joined: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        let e = ElbError::new("LoadBalancerNotFound", format!("Load balancers '[{}]' not found", joined.join(", ")));
        return Err(aws(&e));
    }
    if arns.is_empty() {
        list = r
            .account
            .load_balancers
            .values()
            .filter(|l| names.is_empty() || names.contains(&l.load_balancer_name))
            .collect();
    }
    list.sort_by(|a, b| a.load_balancer_name.cmp(&b.load_balancer_name));
    Ok(list)
}

fn describe_load_balancers(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let list = balancers(r, input)?;
    let (page, next) = elb_page(&list, input)?;
    Ok(with_marker(shapes::elbv2::describe_load_balancers(r.account, page), next))
}

/// DescribeTargetGroups: by ARN or name (each must exist), of one balancer, or all.
fn describe_target_groups(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let arns = input::texts(input, "TargetGroupArns");
    let names = input::texts(input, "Names");
    let lb = input::text(input, "LoadBalancerArn");
    if !arns.is_empty() && !names.is_empty() {
        return Err(exclusive("TargetGroupArns", "Names"));
    }
    if let Some(lb) = lb {
        r.account.load_balancers.get(lb).ok_or_else(|| aws(&elb::modify::load_balancer_not_found()))?;
    }
    let known =
        |w: &String| r.account.target_groups.values().any(|g| &g.target_group_arn == w || &g.target_group_name == w);
    if arns.iter().chain(&names).any(|w| !known(w)) {
        return Err(aws(&ElbError::target_group_not_found()));
    }
    let mut list: Vec<&TargetGroup> = r
        .account
        .target_groups
        .values()
        .filter(|g| arns.is_empty() || arns.contains(&g.target_group_arn))
        .filter(|g| names.is_empty() || names.contains(&g.target_group_name))
        .filter(|g| lb.is_none_or(|l| g.load_balancer_arns.iter().any(|x| x == l)))
        .collect();
    list.sort_by(|a, b| a.target_group_name.cmp(&b.target_group_name));
    let (page, next) = elb_page(&list, input)?;
    Ok(with_marker(shapes::elbv2::describe_target_groups(page), next))
}

/// DescribeListeners: by ARN (each must exist) or of one balancer; one of
/// the two is required (AWS doc: "DescribeListeners"; the text is inferred).
fn describe_listeners(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let arns = input::texts(input, "ListenerArns");
    let lb = input::text(input, "LoadBalancerArn");
    let list: Vec<&Listener> = match (lb, arns.is_empty()) {
        (Some(_), false) => return Err(exclusive("LoadBalancerArn", "ListenerArns")),
        (None, true) => {
            return Err(WireError::bad("ValidationError", "A load balancer ARN or listener ARNs must be specified"))
        }
        (Some(lb), true) => {
            r.account.load_balancers.get(lb).ok_or_else(|| aws(&elb::modify::load_balancer_not_found()))?;
            r.account.listeners.values().filter(|l| l.load_balancer_arn == lb).collect()
        }
        (None, false) => {
            let mut found = Vec::new();
            for arn in &arns {
                found.push(r.account.listener(arn).ok_or_else(|| aws(&elb::modify::listener_not_found()))?);
            }
            found
        }
    };
    let (page, next) = elb_page(&list, input)?;
    Ok(with_marker(shapes::elbv2::describe_listeners(page), next))
}

/// DescribeRules: a listener's rules by priority and its default rule
/// last, or the rules named (each must exist: RuleNotFound).
fn describe_rules(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let arns = input::texts(input, "RuleArns");
    let listener = input::text(input, "ListenerArn");
    let rule_of = |l: &Listener| shapes::elbv2::default_rule_json(l);
    let rules: Vec<Value> = match (listener, arns.is_empty()) {
        (Some(_), false) => return Err(exclusive("ListenerArn", "RuleArns")),
        (None, true) => return Err(WireError::bad("ValidationError", "A listener ARN or rule ARNs must be specified")),
        (Some(arn), true) => {
            let l = r.account.listener(arn).ok_or_else(|| aws(&elb::modify::listener_not_found()))?;
            let mut recorded: Vec<&account::ListenerRule> =
                r.account.listener_rules.values().filter(|x| x.listener_arn == arn).collect();
            recorded.sort_by_key(|x| x.priority);
            let mut docs: Vec<Value> = recorded.iter().map(|x| shapes::elbv2::rule_json(x)).collect();
            docs.push(rule_of(l));
            docs
        }
        (None, false) => {
            let mut docs = Vec::new();
            for arn in &arns {
                let recorded = r.account.listener_rule(arn).map(shapes::elbv2::rule_json);
                let default =
                    || r.account.listeners.values().find(|l| shapes::elbv2::default_rule_arn(l) == *arn).map(rule_of);
                let doc = recorded.or_else(default);
                docs.push(doc.ok_or_else(|| aws(&account::delete_services::rule_not_found()))?);
            }
            docs
        }
    };
    let (page, next) = elb_page(&rules, input)?;
    Ok(with_marker(shapes::elbv2::describe_rules(page.to_vec()), next))
}

/// DescribeTargetHealth of one group, narrowed to `Targets` when given; a
/// target asked for that is not registered is `unused` with
/// `Target.NotRegistered` (AWS doc: "TargetHealth", reason codes).
fn describe_target_health(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let group = input::text(input, "TargetGroupArn").unwrap_or_default();
    // By ARN only: the API takes no names here.
    if !r.account.target_groups.contains_key(group) {
        return Err(aws(&ElbError::target_group_not_found()));
    }
    let query = Query { target_group: Some(group.to_string()), ..Query::default() };
    let sel = Selection::new(r.account, &query, "DescribeTargetHealth").map_err(|e| aws(&e))?;
    let mut doc = shapes::elbv2::describe_target_health(&sel).map_err(|e| aws(&e))?;
    let Some(wanted) = input.get("Targets").and_then(Value::as_array).filter(|t| !t.is_empty()) else {
        return Ok(doc);
    };
    let all = doc.get("TargetHealthDescriptions").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for t in wanted {
        let id = input::text(t, "Id").unwrap_or_default();
        let port = input::int(t, "Port");
        let matches = |d: &&Value| {
            d.pointer("/Target/Id").and_then(Value::as_str) == Some(id)
                && port.is_none_or(|p| d.pointer("/Target/Port").and_then(Value::as_i64) == Some(p))
        };
        let found: Vec<Value> = all.iter().filter(matches).cloned().collect();
        if found.is_empty() {
            out.push(json!({
                "Target": {"Id": id, "Port": port},
                "TargetHealth": {"State": "unused", "Reason": "Target.NotRegistered",
                                 "Description": "Target is not registered to the target group"},
            }));
        }
        out.extend(found);
    }
    doc["TargetHealthDescriptions"] = Value::Array(out);
    Ok(shapes::json::prune(doc))
}
