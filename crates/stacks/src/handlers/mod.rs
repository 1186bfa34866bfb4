//! Resource handlers: resolved properties in, account actions out, the Ref
//! value and GetAtt attributes back. One module per service; every handler
//! is small and alike. A handler never fails the plan: what AWS would refuse
//! becomes a finding, and the resource still gets a physical ID so the
//! resources that depend on it can be checked too.

mod autoscaling;
mod ec2;
mod ec2_rules;
pub(crate) mod ecs;
mod elbv2;
mod inert;
mod rds;

use crate::planner::{Planned, Planner, ResolvedResource};
use crate::props::Props;
use account::{Declared, Ec2Error, Origin};
use cfn::{Diagnostic, Pos};

/// Plans one resource.
pub fn plan(p: &mut Planner, r: &ResolvedResource) -> Planned {
    let props = Props { logical_id: &r.logical_id, node: &r.properties, resource_pos: r.pos };
    match r.resource_type.as_str() {
        "AWS::EC2::VPC" => ec2::vpc(p, &props),
        "AWS::EC2::Subnet" => ec2::subnet(p, &props),
        "AWS::EC2::RouteTable" => ec2::route_table(p, &props),
        "AWS::EC2::Route" => ec2::route(p, &props),
        "AWS::EC2::SubnetRouteTableAssociation" => ec2::subnet_route_table_association(p, &props),
        "AWS::EC2::InternetGateway" => ec2::internet_gateway(p, &props),
        "AWS::EC2::VPCGatewayAttachment" => ec2::gateway_attachment(p, &props),
        "AWS::EC2::EIP" => ec2::eip(p, &props),
        "AWS::EC2::NatGateway" => ec2::nat_gateway(p, &props),
        "AWS::EC2::SecurityGroup" => ec2_rules::security_group(p, &props),
        "AWS::EC2::SecurityGroupIngress" => ec2_rules::security_group_rule(p, &props, false),
        "AWS::EC2::SecurityGroupEgress" => ec2_rules::security_group_rule(p, &props, true),
        "AWS::EC2::NetworkAcl" => ec2_rules::network_acl(p, &props),
        "AWS::EC2::NetworkAclEntry" => ec2_rules::network_acl_entry(p, &props),
        "AWS::EC2::SubnetNetworkAclAssociation" => ec2_rules::subnet_network_acl_association(p, &props),
        "AWS::EC2::NetworkInterface" => ec2::network_interface(p, &props),
        "AWS::EC2::Instance" => ec2::instance(p, &props),
        "AWS::EC2::LaunchTemplate" => autoscaling::launch_template(p, &props),
        "AWS::AutoScaling::AutoScalingGroup" => autoscaling::auto_scaling_group(p, &props),
        "AWS::AutoScaling::LaunchConfiguration" => autoscaling::launch_configuration(p, &props),
        "AWS::ECS::Cluster" => ecs::cluster(p, &props),
        "AWS::ECS::TaskDefinition" => ecs::task_definition(p, &props),
        "AWS::ECS::Service" => ecs::service(p, &props),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => elbv2::load_balancer(p, &props),
        "AWS::ElasticLoadBalancingV2::TargetGroup" => elbv2::target_group(p, &props),
        "AWS::ElasticLoadBalancingV2::Listener" => elbv2::listener(p, &props),
        "AWS::ElasticLoadBalancingV2::ListenerRule" => elbv2::listener_rule(p, &props),
        "AWS::RDS::DBSubnetGroup" => rds::db_subnet_group(p, &props),
        "AWS::RDS::DBInstance" => rds::db_instance(p, &props),
        other => inert::plan(p, &props, other),
    }
}

/// Points the rules, route or entry of a kept resource at their places in the new template.
pub fn refresh_origins(p: &mut Planner, r: &ResolvedResource, kept: &Planned) {
    let props = Props { logical_id: &r.logical_id, node: &r.properties, resource_pos: r.pos };
    // A kept resource is not created again, but the lines above it may have moved.
    match r.resource_type.as_str() {
        "AWS::EC2::SecurityGroup" => {
            // Ref is the group name for a group of the default VPC; GroupId is always the ID.
            let gid = kept.attributes.get("GroupId").and_then(cfn::Node::scalar_string);
            if let Some(gid) = gid {
                ec2_rules::refresh_group(p, &props, &gid);
            }
        }
        "AWS::EC2::SecurityGroupIngress" => ec2_rules::refresh_rule(p, &props, false),
        "AWS::EC2::SecurityGroupEgress" => ec2_rules::refresh_rule(p, &props, true),
        "AWS::EC2::NetworkAclEntry" => ec2_rules::refresh_entry(p, &props),
        "AWS::EC2::Route" => ec2::refresh_route(p, &props),
        _ => {}
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
