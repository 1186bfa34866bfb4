//! Types with no networking behaviour: realistic physical IDs and the
//! attributes templates read from them, nothing else.
//! Formats follow each type's "Return values" section in the CloudFormation
//! resource reference (AWS doc: "AWS::IAM::Role", "AWS::Logs::LogGroup", …).

use super::kind::{kind, Kind};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{Account, InertResource, StackResource};
use cfn::Diagnostic;

/// The inert types the engine knows more of: which property changes
/// replace them, and how a few are deleted. Any other type is planned by
/// [`plan`] and deleted by forgetting its record.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        replacing: &["RoleName", "Path"],
        ..kind("AWS::IAM::Role", |p, props| plan(p, props, "AWS::IAM::Role"), forget)
    },
    // Nested stacks are deleted by the engine, stack by stack.
    kind("AWS::CloudFormation::Stack", |p, props| plan(p, props, "AWS::CloudFormation::Stack"), |_, _, _| Ok(())),
];

/// Deletes a resource without behaviour: its record goes.
pub fn forget(a: &mut Account, r: &StackResource, id: &str) -> Result<(), String> {
    a.delete_inert(&r.resource_type, id);
    Ok(())
}

/// Plans an inert (or unmodelled) resource.
pub fn plan(p: &mut Planner, props: &Props<'_>, resource_type: &str) -> Planned {
    let region = p.account.region.clone();
    let acct = p.account.account_id.clone();
    let id = props.logical_id;
    let name_or = |p: &mut Planner, key: &str, max: usize| props.str(key).unwrap_or_else(|| p.generated_name(id, max));
    let planned = match resource_type {
        "AWS::IAM::Role" => {
            let name = name_or(p, "RoleName", 64);
            let path = props.str("Path").unwrap_or_else(|| "/".into());
            let role_id = format!("AROA{}", p.account.new_hex(id, 17).to_ascii_uppercase());
            Planned::new(name.clone())
                .attr("Arn", format!("arn:aws:iam::{acct}:role{path}{name}"))
                .attr("RoleId", role_id)
        }
        "AWS::IAM::InstanceProfile" => {
            let name = name_or(p, "InstanceProfileName", 128);
            let path = props.str("Path").unwrap_or_else(|| "/".into());
            Planned::new(name.clone()).attr("Arn", format!("arn:aws:iam::{acct}:instance-profile{path}{name}"))
        }
        "AWS::IAM::ManagedPolicy" => {
            let name = name_or(p, "ManagedPolicyName", 128);
            let arn = format!("arn:aws:iam::{acct}:policy/{name}");
            Planned::new(arn.clone()).attr("PolicyArn", arn)
        }
        "AWS::IAM::User" => {
            let name = name_or(p, "UserName", 64);
            Planned::new(name.clone()).attr("Arn", format!("arn:aws:iam::{acct}:user/{name}"))
        }
        // Inert records of a function's permission and published version (AWS doc
        // "AWS::Lambda::Permission": Ref is the permission's ID, its shape inferred;
        // "AWS::Lambda::Version": Ref is the version's ARN, GetAtt Version the number).
        "AWS::Lambda::Permission" => {
            let permission = p.generated_name(id, 128);
            Planned::new(permission.clone()).attr("Id", permission)
        }
        "AWS::Lambda::Version" => {
            let given = props.str("FunctionName").unwrap_or_default();
            let name = given.rsplit(':').next().unwrap_or(&given).to_string();
            let function_arn = format!("arn:aws:lambda:{region}:{acct}:function:{name}");
            let prefix = format!("{function_arn}:");
            let published = p
                .account
                .inert
                .values()
                .filter(|r| r.resource_type == "AWS::Lambda::Version" && r.physical_id.starts_with(&prefix))
                .count();
            let version = (published + 1).to_string();
            Planned::new(format!("{prefix}{version}")).attr("Version", version).attr("FunctionArn", function_arn)
        }
        "AWS::SNS::Topic" => {
            let name = name_or(p, "TopicName", 256);
            let arn = format!("arn:aws:sns:{region}:{acct}:{name}");
            Planned::new(arn.clone()).attr("TopicArn", arn).attr("TopicName", name)
        }
        "AWS::SQS::Queue" => {
            let name = name_or(p, "QueueName", 80);
            Planned::new(format!("https://sqs.{region}.amazonaws.com/{acct}/{name}"))
                .attr("Arn", format!("arn:aws:sqs:{region}:{acct}:{name}"))
                .attr("QueueName", name.clone())
                .attr("QueueUrl", format!("https://sqs.{region}.amazonaws.com/{acct}/{name}"))
        }
        "AWS::ECR::Repository" => {
            let name = props.str("RepositoryName").unwrap_or_else(|| p.generated_name(id, 256).to_ascii_lowercase());
            Planned::new(name.clone())
                .attr("Arn", format!("arn:aws:ecr:{region}:{acct}:repository/{name}"))
                .attr("RepositoryUri", format!("{acct}.dkr.ecr.{region}.amazonaws.com/{name}"))
        }
        "AWS::Events::Rule" => {
            let name = name_or(p, "Name", 64);
            Planned::new(name.clone()).attr("Arn", format!("arn:aws:events:{region}:{acct}:rule/{name}"))
        }
        "AWS::CloudWatch::Alarm" => {
            let name = name_or(p, "AlarmName", 255);
            Planned::new(name.clone()).attr("Arn", format!("arn:aws:cloudwatch:{region}:{acct}:alarm:{name}"))
        }
        "AWS::ServiceDiscovery::PrivateDnsNamespace"
        | "AWS::ServiceDiscovery::PublicDnsNamespace"
        | "AWS::ServiceDiscovery::HttpNamespace" => {
            let ns = format!("ns-{}", p.account.new_hex(id, 16));
            let zone = format!("Z{}", p.account.new_hex("zone", 13).to_ascii_uppercase());
            Planned::new(ns.clone())
                .attr("Id", ns.clone())
                .attr("Arn", format!("arn:aws:servicediscovery:{region}:{acct}:namespace/{ns}"))
                .attr("HostedZoneId", zone)
        }
        "AWS::ServiceDiscovery::Service" => {
            let srv = format!("srv-{}", p.account.new_hex(id, 16));
            Planned::new(srv.clone())
                .attr("Id", srv.clone())
                .attr("Arn", format!("arn:aws:servicediscovery:{region}:{acct}:service/{srv}"))
                .attr("Name", props.str("Name").unwrap_or_else(|| id.to_string()))
        }
        "AWS::CloudFormation::WaitConditionHandle" => {
            let stack = p.pseudo.stack_id.replace(':', "%3A").replace('/', "%2F");
            Planned::new(format!("https://cloudformation-waitcondition-{region}.s3.amazonaws.com/{stack}/{id}"))
        }
        t if cfn::spec::is_custom_type(t) => custom(p, props),
        _ => {
            // Real types tasknet does not model: a generated name as physical ID.
            let name = p.generated_name(id, 128);
            let service = resource_type.split("::").nth(1).unwrap_or("unknown").to_ascii_lowercase();
            Planned::new(name.clone())
                .attr("Arn", format!("arn:aws:{service}:{region}:{acct}:{}", name.to_ascii_lowercase()))
        }
    };
    let arn = planned.attributes.get("Arn").and_then(cfn::Node::scalar_string);
    let attributes = planned.attributes.iter().filter_map(|(k, v)| v.scalar_string().map(|s| (k.clone(), s))).collect();
    p.account.put_inert(InertResource {
        resource_type: resource_type.to_string(),
        physical_id: planned.ref_value.clone(),
        arn,
        attributes,
    });
    planned
}

/// Custom resources: attributes come from the user's outputs file
/// (`--custom-outputs`), keyed by logical ID; `PhysicalResourceId` there
/// sets what Ref returns.
fn custom(p: &mut Planner, props: &Props<'_>) -> Planned {
    let id = props.logical_id;
    if props.str("ServiceToken").is_none() {
        p.report(
            Diagnostic::error("TN1006", format!("Properties validation failed for resource {id} with message: [#: required key [ServiceToken] not found]"))
                .resource(id)
                .path(format!("Resources/{id}/Properties"))
                .at(props.resource_pos)
                .hint("give the custom resource a ServiceToken (a Lambda function or SNS topic ARN)"),
        );
    }
    let given = p.custom_attributes.get(id).cloned().unwrap_or_default();
    let physical = given
        .get("PhysicalResourceId")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| p.generated_name(id, 128));
    let mut planned = Planned::new(physical);
    for (k, v) in &given {
        if k == "PhysicalResourceId" {
            continue;
        }
        let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
        planned = planned.attr(k, text);
    }
    planned
}
