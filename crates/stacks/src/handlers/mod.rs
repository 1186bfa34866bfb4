//! Resource handlers: resolved properties in, account actions out, the Ref
//! value and GetAtt attributes back. One module per service, and in it one
//! [`Kind`] per type with everything the engine does with that type
//! (create, refresh, replacement rules, update in place, delete, wait);
//! every handler is small and alike. A handler never fails the plan: what AWS would refuse
//! becomes a finding, and the resource still gets a physical ID so the
//! resources that depend on it can be checked too.

mod acm;
mod autoscaling;
mod ec2;
mod ec2_rules;
mod ec2_vpce;
pub(crate) mod ecs;
mod elbv2;
pub(crate) mod inert;
pub(crate) mod kind;
mod lambda;
pub use lambda::local_code_folder;
mod logs;
mod rds;
mod s3;
mod secrets;

pub(crate) use inert::forget;
pub(crate) use kind::{Kind, Moved, Wait};

use crate::planner::{Planned, Planner, ResolvedResource};
use crate::props::Props;
use account::{Declared, Ec2Error, Origin};
use cfn::{Diagnostic, Pos};

/// Every modelled type's record, by service.
fn kinds() -> impl Iterator<Item = &'static Kind> {
    [
        acm::KINDS,
        ec2::KINDS,
        ec2_rules::KINDS,
        ec2_vpce::KINDS,
        autoscaling::KINDS,
        ecs::KINDS,
        elbv2::KINDS,
        rds::KINDS,
        lambda::KINDS,
        logs::KINDS,
        s3::KINDS,
        secrets::KINDS,
        inert::KINDS,
    ]
    .into_iter()
    .flatten()
}

/// The record of `resource_type`; `None` for a type planned as inert. A map
/// built once: the lookup sits in the engine's wait predicates.
pub(crate) fn kind_of(resource_type: &str) -> Option<&'static Kind> {
    static BY_NAME: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static Kind>> =
        std::sync::OnceLock::new();
    BY_NAME.get_or_init(|| kinds().map(|k| (k.type_name, k)).collect()).get(resource_type).copied()
}

/// Plans one resource: its dynamic references resolved against the
/// account first (the handler alone sees their values, which are masked
/// again in what it hands back), then its type's create.
pub fn plan(p: &mut Planner, r: &ResolvedResource) -> Planned {
    // Most resources hold no reference: they are read as resolved, without a copy.
    let custom = cfn::spec::is_custom_type(&r.resource_type);
    let resolved = match crate::dynamic::has_references(&r.properties) {
        false => None,
        // AWS doc: "Get a secure string value from Systems Manager Parameter Store":
        // secure references are not supported in custom resources (text inferred).
        true if custom && r.properties.to_json().to_string().contains("{{resolve:ssm-secure:") => {
            p.report(
                Diagnostic::error("TN4010", "Dynamic references to secure values (ssm-secure) are not supported in custom resources.")
                    .resource(r.logical_id.clone())
                    .path(format!("Resources/{}/Properties", r.logical_id))
                    .at(r.pos)
                    .hint("pass the parameter's name to the custom resource and read it there, or use a secretsmanager reference"),
            );
            None
        }
        true => match crate::dynamic::resolve(&p.account, &r.properties) {
            Ok(resolved) => Some(resolved),
            Err(e) => {
                let path = format!("Resources/{}/Properties", r.logical_id);
                let hint = match e.missing.as_deref().and_then(|m| declared_later(p, m)) {
                    Some(declarer) => format!("{declarer} of this template makes it, but nothing orders it before {}: CloudFormation infers no dependency from a dynamic reference, so add DependsOn: {declarer} or build the reference with its Ref", r.logical_id),
                    None => "create the secret or parameter the reference names, or fix the reference".to_string(),
                };
                p.report(
                    Diagnostic::error("TN4010", e.message)
                        .resource(r.logical_id.clone())
                        .path(path)
                        .at(e.pos)
                        .hint(hint),
                );
                None
            }
        },
    };
    let node = resolved.as_ref().map_or(&r.properties, |x| &x.node);
    let props = Props { logical_id: &r.logical_id, node, resource_pos: r.pos };
    let mut planned = match kind_of(&r.resource_type) {
        Some(k) => (k.create)(p, &props),
        None => inert::plan(p, &props, &r.resource_type),
    };
    if let Some(resolved) = resolved.filter(|x| !x.values.is_empty()) {
        for v in planned.attributes.values_mut() {
            if let cfn::Value::String(s) = &mut v.value {
                *s = resolved.mask(s);
            }
        }
        for (_, d) in &mut planned.details {
            *d = resolved.mask(d);
        }
        // The inert record keeps the attributes too.
        let key = account::inert_key(&r.resource_type, &planned.ref_value);
        if let Some(rec) = p.account.inert.get_mut(&key) {
            for v in rec.attributes.values_mut() {
                *v = resolved.mask(v);
            }
        }
    }
    planned
}

/// The resource of this template, not made yet, whose written `Name` is `name`.
fn declared_later(p: &Planner, name: &str) -> Option<String> {
    p.written
        .iter()
        .find(|(id, props)| !p.planned.contains_key(*id) && props.get("Name").and_then(cfn::Node::as_str) == Some(name))
        .map(|(id, _)| id.clone())
}

/// Points the rules, route or entry of a kept resource at their places in the new template.
pub fn refresh_origins(p: &mut Planner, r: &ResolvedResource, kept: &Planned) {
    // A kept resource is not created again, but the lines above it may have moved.
    let props = Props { logical_id: &r.logical_id, node: &r.properties, resource_pos: r.pos };
    if let Some(k) = kind_of(&r.resource_type) {
        (k.refresh)(p, &props, kept);
    }
}

/// Where this stack's template declares something of `props`'s resource.
pub(crate) fn origin(p: &Planner, props: &Props<'_>, path: String, pos: Pos) -> Origin {
    // No position: properties read back from the stack's record to revert an update.
    if pos == Pos::default() {
        return Origin::none();
    }
    Origin::from(Declared {
        stack_name: p.pseudo.stack_name.clone(),
        logical_id: props.logical_id.to_string(),
        path,
        line: pos.line,
        column: pos.col,
    })
}

/// The origin of a standalone rule, route or entry: its resource.
pub(crate) fn resource_origin(p: &Planner, props: &Props<'_>) -> Origin {
    let path = format!("Resources/{}", props.logical_id);
    origin(p, props, path, props.resource_pos)
}

/// A finding from an EC2 error, with AWS's message verbatim and its code.
pub(crate) fn ec2_error(props: &Props<'_>, property: &str, e: &Ec2Error) -> Diagnostic {
    let code = match e {
        Ec2Error::SubnetNotFound(_) => "TN4001",
        Ec2Error::VpcNotFound(_) => "TN4002",
        Ec2Error::GroupNotFound(_) => "TN4003",
        Ec2Error::SubnetRange(_) => "TN3001",
        Ec2Error::SubnetConflict(_) => "TN3002",
        Ec2Error::InvalidParameterValue(m) if m.contains("belong to different networks") => "TN3003",
        _ => "TN3000",
    };
    let fix = match code {
        "TN4001" | "TN4002" | "TN4003" => {
            "use an ID the account has (tasknet account show), or declare it in the account file"
        }
        "TN3001" => "choose a CIDR block inside the VPC's CIDR block",
        "TN3002" => "choose a CIDR block that overlaps no other subnet of the VPC (tasknet account show lists them)",
        "TN3003" => "route to a gateway or interface of the same VPC",
        _ => "change the property so EC2 accepts it",
    };
    Diagnostic::error(code, e.to_string())
        .resource(props.logical_id)
        .path(props.path(property))
        .at(props.pos(property))
        .hint(format!("{fix} (EC2 error code {})", e.code()))
}

/// For unrecognized types: the nearest known name, when one is close.
pub fn type_hint<'a>(unknown: impl Iterator<Item = &'a str>) -> String {
    let mut hints = Vec::new();
    for t in unknown {
        let best = cfn::spec::KNOWN_TYPES
            .iter()
            .map(|k| (edit_distance(&t.to_ascii_lowercase(), &k.to_ascii_lowercase()), *k))
            .min();
        match best {
            Some((d, k)) if d <= 3 => hints.push(format!("{t} → {k}")),
            _ => hints.push(format!("{t}: no such resource type")),
        }
    }
    format!("fix the type names: {}", hints.join("; "))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_type_has_one_kind() {
        let names: Vec<&str> = super::kinds().map(|k| k.type_name).collect();
        let unique: std::collections::BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(names.len(), unique.len(), "a type with two Kind records: {names:?}");
        assert!(super::kind_of("AWS::ECS::Service").is_some_and(|k| k.type_name == "AWS::ECS::Service"));
        assert!(super::kind_of("AWS::SNS::Topic").is_none());
    }
}
