"""Inputs for any operation, built from botocore's model of its input and
real values found in the account (IDs from Describe calls, the example
stack's resources), so the conformance walk can call operations that others
add later without a hand-written request each. Operations whose input a
model cannot tell (a template, a change set's name) have an entry in
SPECIAL."""

import json
import os

import tnserver

TEMPLATE = os.path.join(tnserver.ROOT, "examples/todobackend/stack.yml")


class Context:
    """Facts about the account, found once through the endpoint itself."""

    def __init__(self, server, ops):
        self.server = server
        self.ops = ops
        self.v = {}
        self.made = {}  # what the walk's own writes created (to delete later)
        self._discover()

    def has(self, service, op):
        return op in self.ops.get(service, [])

    def _discover(self):
        s = self.server
        v = self.v
        v["stack"] = "todobackend"
        if self.has("cloudformation", "DescribeStackResources"):
            res = s.client("cloudformation").describe_stack_resources(StackName="todobackend")["StackResources"]
            by_type = {}
            for r in res:
                by_type.setdefault(r["ResourceType"], []).append(r)
            v["resources"] = by_type
            v["logical_id"] = res[0]["LogicalResourceId"]

            def phys(t):
                return [r["PhysicalResourceId"] for r in by_type.get(t, [])]
            v["lb_arns"] = phys("AWS::ElasticLoadBalancingV2::LoadBalancer")
            v["tg_arns"] = phys("AWS::ElasticLoadBalancingV2::TargetGroup")
            v["listener_arns"] = phys("AWS::ElasticLoadBalancingV2::Listener")
            v["asg_names"] = phys("AWS::AutoScaling::AutoScalingGroup")
            v["lc_names"] = phys("AWS::AutoScaling::LaunchConfiguration")
            v["db_ids"] = phys("AWS::RDS::DBInstance")
            v["db_subnet_groups"] = phys("AWS::RDS::DBSubnetGroup")
            v["role_names"] = phys("AWS::IAM::Role")
            v["instance_profiles"] = phys("AWS::IAM::InstanceProfile")
            v["service_arns"] = phys("AWS::ECS::Service")
            v["task_definitions"] = phys("AWS::ECS::TaskDefinition")
        if self.has("ec2", "DescribeSubnets"):
            subnets = s.client("ec2").describe_subnets()["Subnets"]
            v["subnets"] = [x["SubnetId"] for x in subnets]
            v["vpc"] = next(x["VpcId"] for x in subnets if x.get("DefaultForAz"))
        if self.has("ec2", "DescribeSecurityGroups"):
            groups = s.client("ec2").describe_security_groups()["SecurityGroups"]
            v["groups"] = [g["GroupId"] for g in groups]
            v["default_group"] = next(g["GroupId"] for g in groups if g["GroupName"] == "default")
        if self.has("ec2", "DescribeRouteTables"):
            v["route_tables"] = [r["RouteTableId"] for r in s.client("ec2").describe_route_tables()["RouteTables"]]
        if self.has("ec2", "DescribeNatGateways"):
            v["nat_gateways"] = [n["NatGatewayId"] for n in s.client("ec2").describe_nat_gateways()["NatGateways"]]
        if self.has("ec2", "DescribeNetworkInterfaces"):
            enis = s.client("ec2").describe_network_interfaces()["NetworkInterfaces"]
            v["enis"] = [e["NetworkInterfaceId"] for e in enis]
        if self.has("sts", "GetCallerIdentity"):
            v["account"] = s.client("sts").get_caller_identity()["Account"]
            v["role_arns"] = [f"arn:aws:iam::{v['account']}:role/{n}" for n in v.get("role_names", [])]
        if self.has("ec2", "DescribeImages"):
            v["images"] = [i["ImageId"] for i in s.client("ec2").describe_images()["Images"]]
        if self.has("ec2", "DescribeInstances"):
            v["instances"] = [i["InstanceId"] for r in s.client("ec2").describe_instances()["Reservations"]
                              for i in r["Instances"]]
        if self.has("ecs", "ListClusters"):
            ecs = s.client("ecs")
            v["clusters"] = ecs.list_clusters()["clusterArns"]
            v["cluster"] = v["clusters"][0]
            if self.has("ecs", "ListTasks"):
                v["tasks"] = ecs.list_tasks(cluster=v["cluster"])["taskArns"]
            if self.has("ecs", "ListContainerInstances"):
                v["container_instances"] = ecs.list_container_instances(cluster=v["cluster"])[
                    "containerInstanceArns"]
            if self.has("ecs", "DescribeServices") and v.get("service_arns"):
                svc = ecs.describe_services(cluster=v["cluster"], services=v["service_arns"][:1])["services"][0]
                v["service"] = svc
                v["task_definitions"] = [svc["taskDefinition"]] + [
                    t for t in v.get("task_definitions", []) if t != svc["taskDefinition"]]

    def first(self, key):
        val = self.v.get(key)
        if isinstance(val, list):
            return val[0] if val else None
        return val


# Member names whose value is a fact of the account: name → (context key,
# whether the member is a list). Looked up for required members, and for the
# optional ones in OPTIONAL_TOO (so a Describe is narrowed to a real thing).
BY_NAME = {
    "StackName": ("stack", False),
    "LogicalResourceId": ("logical_id", False),
    "VpcId": ("vpc", False), "VpcIds": ("vpc", True),
    "SubnetId": ("subnets", False), "SubnetIds": ("subnets", True),
    "GroupId": ("default_group", False), "GroupIds": ("groups", True),
    "RouteTableId": ("route_tables", False), "RouteTableIds": ("route_tables", True),
    "NatGatewayId": ("nat_gateways", False), "NatGatewayIds": ("nat_gateways", True),
    "NetworkInterfaceId": ("enis", False), "NetworkInterfaceIds": ("enis", True),
    "cluster": ("cluster", False), "clusters": ("clusters", True),
    "services": ("service_arns", True), "service": ("service_arns", False),
    "tasks": ("tasks", True), "task": ("tasks", False),
    "taskDefinition": ("task_definitions", False),
    "LoadBalancerArn": ("lb_arns", False), "LoadBalancerArns": ("lb_arns", True),
    "TargetGroupArn": ("tg_arns", False), "TargetGroupArns": ("tg_arns", True),
    "ListenerArn": ("listener_arns", False), "ListenerArns": ("listener_arns", True),
    "AutoScalingGroupName": ("asg_names", False), "AutoScalingGroupNames": ("asg_names", True),
    "LaunchConfigurationName": ("lc_names", False), "LaunchConfigurationNames": ("lc_names", True),
    "DBInstanceIdentifier": ("db_ids", False),
    "DBSubnetGroupName": ("db_subnet_groups", False),
    "RoleName": ("role_names", False),
    "InstanceProfileName": ("instance_profiles", False),
    "RoleArn": ("role_arns", False),
    "ResourceArns": ("lb_arns", True),
    "containerInstances": ("container_instances", True),
    "containerInstance": ("container_instances", False),
    "InstanceId": ("instances", False), "InstanceIds": ("instances", True),
    "ImageId": ("images", False), "ImageIds": ("images", True),
    "Resources": ("groups", True),
}
OPTIONAL_TOO = {"StackName", "cluster"}


class NotBuildable(Exception):
    pass


def _value(ctx, name, shape, depth=0):
    if name in BY_NAME:
        key, is_list = BY_NAME[name]
        val = ctx.v.get(key)
        if val is None or val == []:
            raise NotBuildable(f"no value in the account for {name} ({key})")
        if is_list:
            return val if isinstance(val, list) else [val]
        return val[0] if isinstance(val, list) else val
    t = shape.type_name
    if depth > 6:
        raise NotBuildable(f"{name}: nested too deep")
    if t == "structure":
        return {m: _value(ctx, m, shape.members[m], depth + 1) for m in shape.required_members}
    if t == "list":
        return [_value(ctx, name.rstrip("s"), shape.member, depth + 1)]
    if t == "map":
        return {"tasknet": _value(ctx, "value", shape.value, depth + 1)}
    if t == "string":
        if shape.enum:
            return shape.enum[0]
        n = shape.metadata.get("min", 1)
        return ("tasknet-conformance" + "x" * n)[: max(n, 19)]
    if t in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if t in ("float", "double"):
        return 1.0
    if t == "boolean":
        return False
    raise NotBuildable(f"{name}: cannot build a {t}")


def _template_body():
    with open(TEMPLATE) as f:
        return f.read()


def _parameters():
    with open(os.path.join(tnserver.ROOT, "examples/todobackend/dev.cfg")) as f:
        pairs = [line.strip().split("=", 1) for line in f if "=" in line]
    return [{"ParameterKey": k, "ParameterValue": v} for k, v in pairs]


def _ecs_network(ctx):
    svc = ctx.v.get("service") or {}
    net = svc.get("networkConfiguration")
    return {"networkConfiguration": net} if net else {}


def _change_set_to_delete(c):
    """A change set of its own (the walk's first one was executed)."""
    cfn = c.server.client("cloudformation")
    cfn.create_change_set(
        StackName="todobackend", ChangeSetName="conformance-delete", ChangeSetType="UPDATE",
        UsePreviousTemplate=True, Capabilities=["CAPABILITY_NAMED_IAM"],
        Parameters=[{"ParameterKey": p["ParameterKey"], "UsePreviousValue": True} for p in _parameters()])
    return {"StackName": "todobackend", "ChangeSetName": "conformance-delete"}


def _container_definitions():
    return [{"name": "app", "image": "nginx", "essential": True, "memory": 128, "cpu": 64}]


def _role_policy(c):
    iam = c.server.client("iam")
    role = c.v["role_names"][0]
    names = iam.list_role_policies(RoleName=role)["PolicyNames"]
    if not names:
        raise NotBuildable(f"role {role} has no inline policy")
    return {"RoleName": role, "PolicyName": names[0]}


# What the walk's writes made, kept for the operations after them.
AFTER = {
    ("ec2", "CreateSecurityGroup"): lambda c, out: c.made.__setitem__("group", out["GroupId"]),
    ("ec2", "RunInstances"): lambda c, out: c.made.__setitem__("instance", out["Instances"][0]["InstanceId"]),
    # A RunTask may place nothing (failures: RESOURCE:MEMORY on a full
    # cluster, as AWS answers); StopTask then stops one of the service's.
    ("ecs", "RunTask"): lambda c, out: out["tasks"] and c.made.__setitem__("run_task", out["tasks"][0]["taskArn"]),
}


# Operations whose input the model alone cannot give: (service, op) →
# function of the context returning the kwargs.
SPECIAL = {
    ("ecs", "UpdateService"): lambda c: {
        "cluster": c.v["cluster"], "service": c.v["service_arns"][0],
        "desiredCount": c.v["service"]["desiredCount"]},
    ("ecs", "RunTask"): lambda c: {
        "cluster": c.v["cluster"], "taskDefinition": c.v["service"]["taskDefinition"], "count": 1,
        **_ecs_network(c)},
    ("ecs", "StopTask"): lambda c: {
        "cluster": c.v["cluster"], "task": c.made.get("run_task") or c.v["tasks"][0],
        "reason": "tasknet conformance walk"},
    ("cloudformation", "CreateChangeSet"): lambda c: {
        "StackName": "conformance", "ChangeSetName": "conformance-1", "ChangeSetType": "CREATE",
        "TemplateBody": _template_body(), "Parameters": _parameters(),
        "Capabilities": ["CAPABILITY_NAMED_IAM"]},
    ("cloudformation", "DescribeChangeSet"): lambda c: {
        "StackName": "conformance", "ChangeSetName": "conformance-1"},
    ("cloudformation", "ExecuteChangeSet"): lambda c: {
        "StackName": "conformance", "ChangeSetName": "conformance-1"},
    ("cloudformation", "ListChangeSets"): lambda c: {"StackName": "conformance"},
    ("cloudformation", "DeleteChangeSet"): lambda c: _change_set_to_delete(c),
    ("cloudformation", "GetTemplate"): lambda c: {"StackName": "todobackend"},
    ("cloudformation", "GetTemplateSummary"): lambda c: {"StackName": "todobackend"},
    ("cloudformation", "ValidateTemplate"): lambda c: {"TemplateBody": _template_body()},
    ("cloudformation", "CreateStack"): lambda c: {
        "StackName": "conformance-created", "TemplateBody": _template_body(), "Parameters": _parameters(),
        "Capabilities": ["CAPABILITY_NAMED_IAM"]},
    ("cloudformation", "UpdateStack"): lambda c: {
        "StackName": "todobackend", "UsePreviousTemplate": True,
        "Parameters": [{"ParameterKey": p["ParameterKey"], "UsePreviousValue": True} for p in _parameters()],
        "Capabilities": ["CAPABILITY_NAMED_IAM"]},
    ("cloudformation", "DeleteStack"): lambda c: {"StackName": "conformance-created"},
    ("cloudformation", "DescribeStackResource"): lambda c: {
        "StackName": "todobackend", "LogicalResourceId": c.v["logical_id"]},
    ("ec2", "AuthorizeSecurityGroupIngress"): lambda c: {
        "GroupId": c.v["default_group"], "IpPermissions": [{
            "IpProtocol": "tcp", "FromPort": 4611, "ToPort": 4611, "IpRanges": [{"CidrIp": "198.51.100.7/32"}]}]},
    ("ec2", "RevokeSecurityGroupIngress"): lambda c: {
        "GroupId": c.v["default_group"], "IpPermissions": [{
            "IpProtocol": "tcp", "FromPort": 4611, "ToPort": 4611, "IpRanges": [{"CidrIp": "198.51.100.7/32"}]}]},
    ("ec2", "CreateSecurityGroup"): lambda c: {
        "GroupName": "tasknet-conformance", "Description": "made by the conformance walk", "VpcId": c.v["vpc"]},
    ("ec2", "DeleteSecurityGroup"): lambda c: {"GroupId": c.made["group"]},
    ("ec2", "AuthorizeSecurityGroupEgress"): lambda c: {
        "GroupId": c.v["default_group"], "IpPermissions": [{
            "IpProtocol": "tcp", "FromPort": 4612, "ToPort": 4612, "IpRanges": [{"CidrIp": "198.51.100.8/32"}]}]},
    ("ec2", "RevokeSecurityGroupEgress"): lambda c: {
        "GroupId": c.v["default_group"], "IpPermissions": [{
            "IpProtocol": "tcp", "FromPort": 4612, "ToPort": 4612, "IpRanges": [{"CidrIp": "198.51.100.8/32"}]}]},
    ("ec2", "CreateTags"): lambda c: {"Resources": [c.v["default_group"]],
                                      "Tags": [{"Key": "tasknet", "Value": "conformance"}]},
    ("ec2", "DeleteTags"): lambda c: {"Resources": [c.v["default_group"]], "Tags": [{"Key": "tasknet"}]},
    ("ec2", "RunInstances"): lambda c: {
        "ImageId": c.v.get("images", ["ami-0b9a214f40c38d5eb"])[0], "InstanceType": "t3.micro",
        "MinCount": 1, "MaxCount": 1, "SubnetId": c.v["subnets"][0]},
    ("ec2", "TerminateInstances"): lambda c: {"InstanceIds": [c.made["instance"]]},
    ("ecs", "RegisterTaskDefinition"): lambda c: {
        "family": "tasknet-conformance", "containerDefinitions": _container_definitions()},
    ("ecs", "CreateService"): lambda c: {
        "cluster": c.v["cluster"], "serviceName": "tasknet-conformance",
        "taskDefinition": c.v["task_definitions"][-1], "desiredCount": 0},
    ("ecs", "DeleteService"): lambda c: {"cluster": c.v["cluster"], "service": "tasknet-conformance",
                                         "force": True},
    ("iam", "GetRolePolicy"): _role_policy,
    ("sts", "AssumeRole"): lambda c: {"RoleArn": c.v["role_arns"][0], "RoleSessionName": "conformance"},
    ("ssm", "PutParameter"): lambda c: {"Name": "/tasknet/conformance", "Value": "1", "Type": "String",
                                        "Overwrite": True},
    ("ssm", "GetParameter"): lambda c: {"Name": "/tasknet/conformance"},
    ("ssm", "GetParameters"): lambda c: {"Names": ["/tasknet/conformance"]},
    ("ssm", "GetParametersByPath"): lambda c: {"Path": "/tasknet"},
    ("ssm", "DeleteParameter"): lambda c: {"Name": "/tasknet/conformance"},
}


def build(ctx, service, op_model):
    key = (service, op_model.name)
    if key in SPECIAL:
        try:
            return SPECIAL[key](ctx)
        except (KeyError, IndexError, TypeError) as e:
            raise NotBuildable(f"the account has no {e} for {op_model.name}") from e
    shape = op_model.input_shape
    if shape is None:
        return {}
    kwargs = {m: _value(ctx, m, shape.members[m]) for m in shape.required_members}
    for m in OPTIONAL_TOO & set(shape.members) - set(kwargs):
        if m in BY_NAME and ctx.first(BY_NAME[m][0]) is not None:
            kwargs[m] = _value(ctx, m, shape.members[m])
    return kwargs


# Walk order: what makes things first (so reads and deletes find them),
# then reads, then changes, then what removes things.
def phase(op):
    for i, prefixes in enumerate([
        ("Create", "Put", "Register", "Authorize", "Run", "Tag", "Add", "Validate"),
        ("Describe", "List", "Get"),
        ("Update", "Modify", "Execute", "Set", "Attach"),
        ("Stop", "Delete", "Revoke", "Deregister", "Terminate", "Remove", "Detach", "Untag"),
    ]):
        if op.startswith(prefixes):
            return i
    return 2


def dumps(v):
    return json.dumps(v, default=str)[:600]
