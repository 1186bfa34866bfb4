//! The registry of diagnostic codes: every code any layer reports, with the
//! severity it is usually reported with, a title and what to do about it.
//!
//! The codes themselves stay string literals where the findings are made (so
//! a finding reads as its README row); the `codes` integration test checks
//! that every literal in the crates' sources is registered here and that the
//! README's table lists exactly these codes. SARIF's rule table is read from
//! here.
//!
//! Ranges: `TN0xxx` input that cannot be read and commands that cannot run
//! (exit 2), `TN10xx` template structure and references, `TN11xx`
//! parameters, `TN20xx` ECS and ELB rules (`TN21xx` capacity warnings),
//! `TN23xx` Lambda, `TN30xx` EC2/VPC rules, `TN40xx` IDs the account lacks, `TN50xx`
//! reachability findings of a stack, `TN51xx` audit dangers.

use crate::diag::Severity;

/// One registered code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    /// The stable code, e.g. `TN2004`.
    pub code: &'static str,
    /// The severity it is reported with; a few are errors in one case and warnings in another (the finding decides).
    pub severity: Severity,
    /// A one-line title.
    pub title: &'static str,
    /// What to do about it.
    pub help: &'static str,
}

const fn error(code: &'static str, title: &'static str, help: &'static str) -> Code {
    Code { code, severity: Severity::Error, title, help }
}

const fn warning(code: &'static str, title: &'static str, help: &'static str) -> Code {
    Code { code, severity: Severity::Warning, title, help }
}

/// Every code tasknet reports, in code order.
pub static CODES: &[Code] = &[
    error(
        "TN0001",
        "Input that cannot be read",
        "Fix the file named: not text, YAML or JSON not well formed, past the loader's limits, or a parameter, custom outputs or account file in the wrong shape.",
    ),
    error(
        "TN0002",
        "The command could not run",
        "Fix what the message names (the state directory, the account store, the stack or resource asked for) and run it again.",
    ),
    error("TN1001", "Unrecognized resource type", "Check the type name's spelling and case against the AWS resource type reference."),
    error(
        "TN1002",
        "Unresolved reference or dependency",
        "Ref, Fn::GetAtt, Fn::Sub and DependsOn must name a resource, parameter or pseudo parameter the template declares.",
    ),
    error(
        "TN1003",
        "Circular dependency between resources",
        "Break the cycle: move a rule or attachment into a resource of its own, or drop a DependsOn.",
    ),
    error(
        "TN1004",
        "Property not supported by the resource type",
        "Check the property's spelling and case against the resource type's reference, or remove it.",
    ),
    error(
        "TN1005",
        "Property value of the wrong type",
        "Give the property the type its reference names (a list where a list is expected, and so on).",
    ),
    error("TN1006", "Required property missing", "Add the property the resource type requires."),
    error(
        "TN1008",
        "Malformed template or parameter declaration",
        "Fix the template's structure (sections, Type members, parameter declarations); nothing else is checked until it reads.",
    ),
    error(
        "TN1009",
        "Intrinsic function or output that cannot be evaluated",
        "Check the function's arguments (indices, names, exports) against what the template and the account have.",
    ),
    error(
        "TN1010",
        "Export name already exported by another stack",
        "Choose an export name no other stack exports, or delete that stack's export first.",
    ),
    warning(
        "TN1011",
        "Nested stack template not checked",
        "Give TemplateURL a local file so the nested stack can be checked too.",
    ),
    error(
        "TN1012",
        "Nested stack template not in S3",
        "Upload the template to the bucket TemplateURL names (aws s3 cp, aws cloudformation package), or give TemplateURL a local file.",
    ),
    error("TN1101", "Parameter without a value", "Pass a value for the parameter, or give it a Default."),
    error("TN1102", "Parameter value not among AllowedValues", "Pass one of the parameter's AllowedValues."),
    error(
        "TN1103",
        "Parameter value does not match AllowedPattern",
        "Pass a value that matches the parameter's AllowedPattern (or fix the pattern).",
    ),
    error(
        "TN1104",
        "Parameter value of the wrong length or out of range",
        "Pass a value within the parameter's MinLength/MaxLength or MinValue/MaxValue.",
    ),
    error("TN1105", "Parameter value not a number", "Pass a number for a Number or List<Number> parameter."),
    error(
        "TN1106",
        "Parameter given that the template does not declare",
        "Remove the parameter, or declare it in the template's Parameters.",
    ),
    error(
        "TN1107",
        "Parameter names an AWS resource the account does not have",
        "Pass the ID of a resource that exists in the account.",
    ),
    error("TN1108", "SSM parameter not found", "Create the SSM parameter, or pass the name of one that exists."),
    warning(
        "TN1109",
        "Parameter default fails its own constraints",
        "Change the Default so it meets the parameter's constraints, or always pass a value.",
    ),
    error(
        "TN2001",
        "awsvpc task definition on a service without NetworkConfiguration",
        "Give the service a NetworkConfiguration with AwsvpcConfiguration (subnets and security groups).",
    ),
    error(
        "TN2002",
        "NetworkConfiguration on a service whose task definition is not awsvpc",
        "Remove the NetworkConfiguration, or set NetworkMode: awsvpc on the task definition.",
    ),
    error(
        "TN2003",
        "awsvpc host port differs from the container port",
        "With awsvpc, leave HostPort out or make it equal to ContainerPort.",
    ),
    error(
        "TN2004",
        "Target group of type instance behind an awsvpc service",
        "Set TargetType: ip on the target group (awsvpc tasks register by IP address).",
    ),
    error(
        "TN2005",
        "Target group of type ip behind a bridge or host service",
        "Set TargetType: instance on the target group, or use awsvpc tasks.",
    ),
    error(
        "TN2006",
        "Service role set on an awsvpc service",
        "Remove the service's Role: awsvpc services use the service-linked role.",
    ),
    error(
        "TN2007",
        "Service role set on a service without load balancers",
        "Remove the service's Role, or give the service LoadBalancers.",
    ),
    error(
        "TN2008",
        "AssignPublicIp on a service that is not Fargate",
        "Set AssignPublicIp: DISABLED (tasks on EC2 instances get no public IP); reach the internet through a NAT gateway.",
    ),
    error("TN2009", "More than 16 subnets in AwsvpcConfiguration", "List at most 16 subnets."),
    error("TN2010", "More than 5 security groups in AwsvpcConfiguration", "List at most 5 security groups."),
    error(
        "TN2011",
        "Security groups and subnets in different VPCs",
        "Use security groups and subnets of one VPC.",
    ),
    error(
        "TN2012",
        "Target group in another VPC than the service",
        "Create the target group in the VPC of the service's subnets.",
    ),
    error(
        "TN2013",
        "Target group not associated with a load balancer",
        "Attach the target group to a load balancer through a listener (or listener rule) before the service uses it; add DependsOn on the listener.",
    ),
    error(
        "TN2014",
        "Load balancer names a container the task definition does not have",
        "Name a container of the task definition in the service's LoadBalancers.",
    ),
    error(
        "TN2015",
        "Load balancer names a container port the container does not map",
        "Name a ContainerPort that the container's PortMappings list.",
    ),
    error("TN2016", "Too many containers in a task definition", "Split the containers over more task definitions (at most 10 each)."),
    error(
        "TN2017",
        "Fargate launch type with a task definition that is not Fargate-compatible",
        "Give the task definition NetworkMode: awsvpc and RequiresCompatibilities: [FARGATE], or use the EC2 launch type.",
    ),
    error("TN2018", "Launch type ECS does not know", "Use LaunchType EC2, FARGATE or EXTERNAL."),
    error("TN2019", "AwsvpcConfiguration without subnets", "List the subnets the tasks' network interfaces go in."),
    error(
        "TN2020",
        "Load balancer needs subnets in two Availability Zones",
        "List subnets from at least two Availability Zones.",
    ),
    error("TN2021", "More than 5 target groups on a service", "List at most 5 target groups in LoadBalancers."),
    warning(
        "TN2101",
        "Desired tasks do not fit on the cluster's instances",
        "Lower DesiredCount, or give the cluster more or larger instances (each awsvpc task takes an ENI).",
    ),
    warning(
        "TN2102",
        "Subnets lack addresses for the tasks' network interfaces",
        "Use larger subnets, or more of them, for the service.",
    ),
    warning(
        "TN2103",
        "A rolling deployment cannot make progress",
        "Raise MaximumPercent or lower MinimumHealthyPercent so a deployment can start a new task, or add capacity.",
    ),
    error("TN2300", "Lambda refuses the function", "Change the function so Lambda accepts it; the message is Lambda's."),
    error(
        "TN2301",
        "Lambda runtime past its block-create date",
        "Use the newest runtime of the family (the finding names it); --allow-deprecated-runtimes makes this a warning and runs the function anyway.",
    ),
    warning(
        "TN2302",
        "Lambda code in a local folder",
        "Run `aws cloudformation package` before deploying to AWS; tasknet deploy runs the folder as it is.",
    ),
    error("TN3000", "EC2 refuses the resource", "Change the resource so EC2 accepts it; the message is EC2's."),
    error("TN3001", "Subnet CIDR outside its VPC's range", "Choose a subnet CIDR inside the VPC's CIDR block."),
    error("TN3002", "Subnet CIDR overlaps another subnet", "Choose a subnet CIDR no other subnet of the VPC overlaps."),
    error(
        "TN3003",
        "Route target in another network",
        "Route to a gateway attached to (or created in) the route table's own VPC.",
    ),
    error(
        "TN3004",
        "NAT gateway cannot reach the internet",
        "Place the NAT gateway in a public subnet of a VPC with an attached internet gateway.",
    ),
    warning(
        "TN3005",
        "NAT gateway may be created before its gateway attachment",
        "Add DependsOn on the VPC's gateway attachment to the NAT gateway.",
    ),
    error("TN4001", "Subnet ID the account does not have", "Name a subnet that exists in the account."),
    error("TN4002", "VPC ID the account does not have", "Name a VPC that exists in the account."),
    error("TN4003", "Security group ID the account does not have", "Name a security group that exists in the account."),
    error("TN4004", "Cluster the account does not have", "Create the cluster, or name one that exists in the account."),
    error(
        "TN4005",
        "Task definition the account does not have",
        "Name a task definition that exists in the account, or the stack's own.",
    ),
    error(
        "TN4006",
        "Target group the account does not have",
        "Name a target group that exists in the account, or the stack's own.",
    ),
    error(
        "TN4007",
        "Load balancer the account does not have",
        "Name a load balancer that exists in the account, or the stack's own.",
    ),
    error("TN4008", "Listener the account does not have", "Name a listener that exists in the account, or the stack's own."),
    error(
        "TN4009",
        "Secrets Manager, KMS or SSM refuses the resource",
        "Change the property so the service accepts it (a name no other secret, alias or parameter has; a key the account has).",
    ),
    error(
        "TN4010",
        "Dynamic reference that cannot be resolved",
        "Create the secret or parameter the {{resolve:…}} reference names, or declare it in the template before its users.",
    ),
    error(
        "TN4011",
        "Certificate the account does not have",
        "Name an ACM certificate that exists in the account, or the stack's own AWS::CertificateManager::Certificate.",
    ),
    warning(
        "TN5001",
        "A load balancer cannot reach the targets of its own listener",
        "Allow the load balancer's security group on the targets' port in the targets' groups (and their ACLs).",
    ),
    warning(
        "TN5002",
        "Egress to the internet that no route delivers",
        "Route the subnet to a NAT gateway (private subnets) or an internet gateway with public IPs, or drop the egress rule.",
    ),
    warning(
        "TN5003",
        "A rule on the container instances' group for a port only awsvpc tasks serve",
        "Put the rule on the tasks' own security group: awsvpc tasks have their own ENIs.",
    ),
    warning(
        "TN5004",
        "A service's tasks cannot reach an AWS API their start needs",
        "Give the subnets a route to a NAT gateway (or an internet gateway with public IPs), or add VPC endpoints for the services (interface endpoints with private DNS and a group allowing 443 from the tasks; an S3 gateway endpoint for ECR's layers).",
    ),
    warning(
        "TN5101",
        "A database reachable from the internet",
        "Allow the database's port only from the application's security group, not from internet addresses.",
    ),
    warning(
        "TN5102",
        "0.0.0.0/0 allowed on an administration port",
        "Allow SSH, RDP and database ports only from known addresses or security groups.",
    ),
    error("TN6001", "S3 refuses the bucket", "Change the bucket so S3 accepts it; the message is S3's."),
];

/// The registered code `code`, if it is one.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_in_order_once_and_well_formed() {
        for pair in CODES.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} before {}", pair[0].code, pair[1].code);
        }
        for c in CODES {
            let digits = c.code.strip_prefix("TN").unwrap_or_default();
            assert!(digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()), "{}", c.code);
            assert!(!c.title.is_empty() && !c.help.is_empty(), "{}", c.code);
        }
        assert_eq!(lookup("TN2004").map(|c| c.severity), Some(Severity::Error));
        assert!(lookup("TN9999").is_none());
    }
}
