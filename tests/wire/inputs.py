"""Inputs for any operation, built from botocore's model of its input and
real values found in the account (IDs from Describe calls, the example
stack's resources), so the conformance walk can call operations that others
add later without a hand-written request each. Operations whose input a
model cannot tell (a template, a change set's name) have an entry in
SPECIAL."""

import json
import time
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
            # One per zone: what a load balancer of the walk's own stands in.
            v["default_subnets"] = [x["SubnetId"] for x in subnets if x.get("DefaultForAz")]
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
            found = [i for r in s.client("ec2").describe_instances()["Reservations"] for i in r["Instances"]]
            v["instances"] = [i["InstanceId"] for i in found]
            # Running instances of the default VPC: targets a group of the walk's own can take.
            v["vpc_instances"] = [i["InstanceId"] for i in found
                                  if i.get("VpcId") == v.get("vpc") and i["State"]["Name"] == "running"]
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


def _subnet_acl_association(c):
    """The association of the walk's subnet with its VPC's default ACL
    (a new subnet is associated with the default ACL)."""
    ec2 = c.server.client("ec2")
    acls = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [c.made["subnet"]]}])
    return next(a["NetworkAclAssociationId"] for acl in acls["NetworkAcls"] for a in acl["Associations"]
                if a["SubnetId"] == c.made["subnet"])


# A small stack of the walk's own that imports the example stack's export
# (so ListImports has an importer) and has a parameter UpdateStack can change.
IMPORTER = "conformance-importer"
IMPORTER_TEMPLATE = """
Parameters:
  NoteValue: {Type: String, Default: one}
Resources:
  Note:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !Ref NoteValue}
Outputs:
  ImportedURL:
    Value: !ImportValue todobackend-public-url
"""


def _importer(c):
    """The importer stack, created once (complete) and its import's export name."""
    if "importer" not in c.made:
        cfn = c.server.client("cloudformation")
        cfn.create_stack(StackName=IMPORTER, TemplateBody=IMPORTER_TEMPLATE)
        cfn.get_waiter("stack_create_complete").wait(
            StackName=IMPORTER, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
        c.made["importer"] = "todobackend-public-url"
    return c.made["importer"]


def _made(key, path):
    """An AFTER entry keeping `out[path...]` under c.made[key]."""
    def keep(c, out):
        val = out
        for p in path:
            val = val[p]
        c.made[key] = val
    return keep


# What the walk's writes made, kept for the operations after them.
AFTER = {
    ("ec2", "CreateVpc"): _made("vpc", ["Vpc", "VpcId"]),
    ("ec2", "CreateSubnet"): _made("subnet", ["Subnet", "SubnetId"]),
    ("ec2", "CreateNetworkInterface"): _made("eni", ["NetworkInterface", "NetworkInterfaceId"]),
    ("ec2", "CreateRouteTable"): _made("route_table", ["RouteTable", "RouteTableId"]),
    ("ec2", "CreateInternetGateway"): _made("igw", ["InternetGateway", "InternetGatewayId"]),
    ("ec2", "CreateNatGateway"): _made("nat", ["NatGateway", "NatGatewayId"]),
    ("ec2", "CreateNetworkAcl"): _made("acl", ["NetworkAcl", "NetworkAclId"]),
    ("ec2", "AssociateRouteTable"): _made("rt_association", ["AssociationId"]),
    ("ec2", "AllocateAddress"): _made("eip", ["AllocationId"]),
    ("ec2", "AssociateAddress"): _made("eip_association", ["AssociationId"]),
    ("ec2", "CreateVpcEndpoint"): _made("vpce", ["VpcEndpoint", "VpcEndpointId"]),
    ("ecs", "CreateCluster"): _made("cluster", ["cluster", "clusterArn"]),
    ("kms", "CreateKey"): _made("kms_key", ["KeyMetadata", "KeyId"]),
    ("acm", "RequestCertificate"): _made("certificate", ["CertificateArn"]),
    ("kms", "Encrypt"): _made("kms_blob", ["CiphertextBlob"]),
    ("elbv2", "CreateLoadBalancer"): _made("lb", ["LoadBalancers", 0, "LoadBalancerArn"]),
    ("elbv2", "CreateTargetGroup"): _made("tg", ["TargetGroups", 0, "TargetGroupArn"]),
    ("elbv2", "CreateListener"): _made("listener", ["Listeners", 0, "ListenerArn"]),
    ("ec2", "CreateSecurityGroup"): lambda c, out: c.made.__setitem__("group", out["GroupId"]),
    ("ec2", "RunInstances"): lambda c, out: c.made.__setitem__("instance", out["Instances"][0]["InstanceId"]),
    # A RunTask may place nothing (failures: RESOURCE:MEMORY on a full
    # cluster, as AWS answers); StopTask then stops one of the service's.
    ("ecs", "RunTask"): lambda c, out: out["tasks"] and c.made.__setitem__("run_task", out["tasks"][0]["taskArn"]),
}


SECRET = "tasknet/conformance"
KMS_ALIAS = "alias/tasknet-conformance"


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
    ("cloudformation", "ListImports"): lambda c: {"ExportName": _importer(c)},
    # A real change (a parameter's new value) to the walk's own stack: with
    # every previous value, AWS answers "No updates are to be performed."
    ("cloudformation", "UpdateStack"): lambda c: _importer(c) and {
        "StackName": IMPORTER, "UsePreviousTemplate": True,
        "Parameters": [{"ParameterKey": "NoteValue", "ParameterValue": "two"}]},
    # EC2 networking: a VPC of the walk's own, made, changed and taken apart
    # in dependency order (WALK_NEEDS), never the example stack's network.
    ("ec2", "CreateVpc"): lambda c: {"CidrBlock": "10.99.0.0/16"},
    ("ec2", "CreateSubnet"): lambda c: {"VpcId": c.made["vpc"], "CidrBlock": "10.99.1.0/24"},
    ("ec2", "CreateNetworkInterface"): lambda c: {"SubnetId": c.made["subnet"]},
    ("ec2", "DeleteNetworkInterface"): lambda c: {"NetworkInterfaceId": c.made["eni"]},
    ("ec2", "CreateRouteTable"): lambda c: {"VpcId": c.made["vpc"]},
    ("ec2", "CreateRoute"): lambda c: {
        "RouteTableId": c.made["route_table"], "DestinationCidrBlock": "0.0.0.0/0",
        "NetworkInterfaceId": c.made["eni"]},
    ("ec2", "ReplaceRoute"): lambda c: {
        "RouteTableId": c.made["route_table"], "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": c.made["nat"]},
    ("ec2", "DeleteRoute"): lambda c: {"RouteTableId": c.made["route_table"], "DestinationCidrBlock": "0.0.0.0/0"},
    ("ec2", "AssociateRouteTable"): lambda c: {"RouteTableId": c.made["route_table"], "SubnetId": c.made["subnet"]},
    ("ec2", "DisassociateRouteTable"): lambda c: {"AssociationId": c.made["rt_association"]},
    ("ec2", "DeleteRouteTable"): lambda c: {"RouteTableId": c.made["route_table"]},
    # An S3 gateway endpoint on the walk's route table (its prefix-list route).
    ("ec2", "CreateVpcEndpoint"): lambda c: {
        "VpcId": c.made["vpc"], "ServiceName": "com.amazonaws.us-east-1.s3", "RouteTableIds": [c.made["route_table"]]},
    ("ec2", "ModifyVpcEndpoint"): lambda c: {"VpcEndpointId": c.made["vpce"], "ResetPolicy": True},
    ("ec2", "DeleteVpcEndpoints"): lambda c: {"VpcEndpointIds": [c.made["vpce"]]},
    # A private NAT gateway: a public one needs an Elastic IP and an attached internet gateway.
    ("ec2", "CreateNatGateway"): lambda c: {"SubnetId": c.made["subnet"], "ConnectivityType": "private"},
    ("ec2", "DeleteNatGateway"): lambda c: {"NatGatewayId": c.made["nat"]},
    ("ec2", "AttachInternetGateway"): lambda c: {"InternetGatewayId": c.made["igw"], "VpcId": c.made["vpc"]},
    ("ec2", "DetachInternetGateway"): lambda c: {"InternetGatewayId": c.made["igw"], "VpcId": c.made["vpc"]},
    ("ec2", "DeleteInternetGateway"): lambda c: {"InternetGatewayId": c.made["igw"]},
    ("ec2", "ModifyVpcAttribute"): lambda c: {"VpcId": c.made["vpc"], "EnableDnsHostnames": {"Value": True}},
    ("ec2", "DeleteVpc"): lambda c: {"VpcId": c.made["vpc"]},
    ("ec2", "DeleteSubnet"): lambda c: {"SubnetId": c.made["subnet"]},
    ("ec2", "CreateNetworkAcl"): lambda c: {"VpcId": c.made["vpc"]},
    ("ec2", "CreateNetworkAclEntry"): lambda c: {
        "NetworkAclId": c.made["acl"], "RuleNumber": 100, "Protocol": "6", "RuleAction": "allow",
        "Egress": False, "CidrBlock": "10.99.0.0/16", "PortRange": {"From": 443, "To": 443}},
    ("ec2", "DeleteNetworkAclEntry"): lambda c: {"NetworkAclId": c.made["acl"], "RuleNumber": 100, "Egress": False},
    ("ec2", "ReplaceNetworkAclAssociation"): lambda c: {
        "AssociationId": _subnet_acl_association(c), "NetworkAclId": c.made["acl"]},
    ("ec2", "DeleteNetworkAcl"): lambda c: {"NetworkAclId": c.made["acl"]},
    ("ec2", "AssociateAddress"): lambda c: {"AllocationId": c.made["eip"], "NetworkInterfaceId": c.made["eni"]},
    ("ec2", "DisassociateAddress"): lambda c: {"AssociationId": c.made["eip_association"]},
    ("ec2", "ReleaseAddress"): lambda c: {"AllocationId": c.made["eip"]},
    # ECS: a cluster of the walk's own to delete; tags on the example's cluster.
    ("ecs", "CreateCluster"): lambda c: {"clusterName": "tasknet-conformance"},
    ("ecs", "DeleteCluster"): lambda c: {"cluster": c.made["cluster"]},
    ("ecs", "TagResource"): lambda c: {"resourceArn": c.v["cluster"],
                                       "tags": [{"key": "tasknet", "value": "conformance"}]},
    ("ecs", "ListTagsForResource"): lambda c: {"resourceArn": c.v["cluster"]},
    ("ecs", "UntagResource"): lambda c: {"resourceArn": c.v["cluster"], "tagKeys": ["tasknet"]},
    # ELBv2: a balancer, group and listener of the walk's own in the default
    # VPC; reads name the example's (DescribeListeners and DescribeRules need
    # a balancer or listener: AWS doc "DescribeListeners", "DescribeRules").
    ("elbv2", "CreateLoadBalancer"): lambda c: {
        "Name": "tasknet-conformance", "Subnets": c.v["default_subnets"][:2], "SecurityGroups": [c.v["default_group"]]},
    ("elbv2", "DeleteLoadBalancer"): lambda c: {"LoadBalancerArn": c.made["lb"]},
    ("elbv2", "CreateTargetGroup"): lambda c: {
        "Name": "tasknet-conformance", "Protocol": "HTTP", "Port": 80, "VpcId": c.v["vpc"]},
    ("elbv2", "DeleteTargetGroup"): lambda c: {"TargetGroupArn": c.made["tg"]},
    ("elbv2", "RegisterTargets"): lambda c: {"TargetGroupArn": c.made["tg"], "Targets": [{"Id": c.v["vpc_instances"][0]}]},
    ("elbv2", "DeregisterTargets"): lambda c: {
        "TargetGroupArn": c.made["tg"], "Targets": [{"Id": c.v["vpc_instances"][0]}]},
    ("elbv2", "ModifyTargetGroupAttributes"): lambda c: {
        "TargetGroupArn": c.made["tg"], "Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]},
    ("elbv2", "CreateListener"): lambda c: {
        "LoadBalancerArn": c.made["lb"], "Protocol": "HTTP", "Port": 8080,
        "DefaultActions": [{"Type": "forward", "TargetGroupArn": c.made["tg"]}]},
    ("elbv2", "DeleteListener"): lambda c: {"ListenerArn": c.made["listener"]},
    ("elbv2", "DescribeListeners"): lambda c: {"LoadBalancerArn": c.v["lb_arns"][0]},
    ("elbv2", "DescribeRules"): lambda c: {"ListenerArn": c.v["listener_arns"][0]},
    ("sts", "AssumeRole"): lambda c: {"RoleArn": c.v["role_arns"][0], "RoleSessionName": "conformance"},
    # Lambda: a function of the walk's own, from a zip built here, run once.
    ("lambda", "CreateFunction"): lambda c: {
        "FunctionName": "tasknet-conformance", "Runtime": "python3.12", "Role": c.v["role_arns"][0],
        "Handler": "index.handler", "Code": {"ZipFile": _function_zip()}},
    ("lambda", "GetFunction"): lambda c: {"FunctionName": "tasknet-conformance"},
    ("lambda", "GetFunctionConfiguration"): lambda c: {"FunctionName": "tasknet-conformance"},
    ("lambda", "UpdateFunctionCode"): lambda c: {"FunctionName": "tasknet-conformance", "ZipFile": _function_zip()},
    ("lambda", "UpdateFunctionConfiguration"): lambda c: {"FunctionName": "tasknet-conformance", "Timeout": 10},
    ("lambda", "Invoke"): lambda c: {"FunctionName": "tasknet-conformance", "Payload": b'{"walk": true}',
                                     "LogType": "Tail"},
    ("lambda", "DeleteFunction"): lambda c: {"FunctionName": "tasknet-conformance"},
    ("ssm", "PutParameter"): lambda c: {"Name": "/tasknet/conformance", "Value": "1", "Type": "String",
                                        "Overwrite": True},
    ("ssm", "GetParameter"): lambda c: {"Name": "/tasknet/conformance"},
    ("ssm", "GetParameters"): lambda c: {"Names": ["/tasknet/conformance"]},
    ("ssm", "GetParametersByPath"): lambda c: {"Path": "/tasknet"},
    ("ssm", "DeleteParameter"): lambda c: {"Name": "/tasknet/conformance"},
    ("logs", "CreateLogGroup"): lambda c: {"logGroupName": LOG_GROUP, "tags": {"k": "v"}},
    ("logs", "CreateLogStream"): lambda c: {"logGroupName": LOG_GROUP, "logStreamName": "s"},
    ("logs", "PutRetentionPolicy"): lambda c: {"logGroupName": LOG_GROUP, "retentionInDays": 7},
    ("logs", "PutLogEvents"): lambda c: {
        "logGroupName": LOG_GROUP, "logStreamName": "s",
        # The second is more than 2 hours ahead: rejectedLogEventsInfo is in the answer too.
        "logEvents": [{"timestamp": int(time.time() * 1000), "message": "hello"},
                      {"timestamp": int(time.time() * 1000) + 3 * 3600 * 1000, "message": "too new"}]},
    ("logs", "DescribeLogGroups"): lambda c: {"logGroupNamePrefix": LOG_GROUP},
    ("logs", "DescribeLogStreams"): lambda c: {"logGroupName": LOG_GROUP},
    ("logs", "GetLogEvents"): lambda c: {"logGroupName": LOG_GROUP, "logStreamName": "s"},
    ("logs", "FilterLogEvents"): lambda c: {"logGroupName": LOG_GROUP, "limit": 1},
    ("logs", "TagLogGroup"): lambda c: {"logGroupName": LOG_GROUP, "tags": {"k2": "v2"}},
    ("logs", "UntagLogGroup"): lambda c: {"logGroupName": LOG_GROUP, "tags": ["k2"]},
    ("logs", "ListTagsLogGroup"): lambda c: {"logGroupName": LOG_GROUP},
    ("logs", "TagResource"): lambda c: {"resourceArn": LOG_GROUP_ARN, "tags": {"k3": "v3"}},
    ("logs", "UntagResource"): lambda c: {"resourceArn": LOG_GROUP_ARN, "tagKeys": ["k3"]},
    ("logs", "ListTagsForResource"): lambda c: {"resourceArn": LOG_GROUP_ARN},
    ("logs", "DeleteRetentionPolicy"): lambda c: {"logGroupName": LOG_GROUP},
    ("logs", "DeleteLogStream"): lambda c: {"logGroupName": LOG_GROUP, "logStreamName": "s"},
    ("logs", "DeleteLogGroup"): lambda c: {"logGroupName": LOG_GROUP},
    # Secrets Manager: a secret of the walk's own, deleted (with a window) at the end.
    ("secretsmanager", "CreateSecret"): lambda c: {
        "Name": SECRET, "SecretString": "one", "Tags": [{"Key": "tasknet", "Value": "conformance"}]},
    ("secretsmanager", "PutSecretValue"): lambda c: {"SecretId": SECRET, "SecretString": "two"},
    ("secretsmanager", "TagResource"): lambda c: {"SecretId": SECRET, "Tags": [{"Key": "walk", "Value": "1"}]},
    ("secretsmanager", "GetSecretValue"): lambda c: {"SecretId": SECRET},
    ("secretsmanager", "DescribeSecret"): lambda c: {"SecretId": SECRET},
    ("secretsmanager", "ListSecretVersionIds"): lambda c: {"SecretId": SECRET, "IncludeDeprecated": True},
    ("secretsmanager", "ListSecrets"): lambda c: {"MaxResults": 10},
    ("secretsmanager", "UpdateSecret"): lambda c: {"SecretId": SECRET, "Description": "updated by the walk"},
    ("secretsmanager", "RestoreSecret"): lambda c: {"SecretId": SECRET},
    ("secretsmanager", "UntagResource"): lambda c: {"SecretId": SECRET, "TagKeys": ["walk"]},
    ("secretsmanager", "DeleteSecret"): lambda c: {"SecretId": SECRET, "RecoveryWindowInDays": 7},
    ("secretsmanager", "GetRandomPassword"): lambda c: {"PasswordLength": 20},
    # KMS: a key and alias of the walk's own; the key is scheduled for deletion at the end.
    ("kms", "CreateKey"): lambda c: {"Description": "tasknet conformance"},
    ("acm", "RequestCertificate"): lambda c: {"DomainName": "conformance.example.com", "ValidationMethod": "DNS"},
    ("acm", "ImportCertificate"): lambda c: {"Certificate": _fixture_bytes("imported.pem"),
                                             "PrivateKey": _fixture_bytes("imported.key")},
    ("acm", "DescribeCertificate"): lambda c: {"CertificateArn": c.made["certificate"]},
    ("acm", "ListTagsForCertificate"): lambda c: {"CertificateArn": c.made["certificate"]},
    ("acm", "DeleteCertificate"): lambda c: {"CertificateArn": c.made["certificate"]},
    ("kms", "CreateAlias"): lambda c: {"AliasName": KMS_ALIAS, "TargetKeyId": c.made["kms_key"]},
    ("kms", "DescribeKey"): lambda c: {"KeyId": KMS_ALIAS},
    ("kms", "GetKeyRotationStatus"): lambda c: {"KeyId": c.made["kms_key"]},
    ("kms", "Encrypt"): lambda c: {"KeyId": KMS_ALIAS, "Plaintext": b"conformance"},
    ("kms", "Decrypt"): lambda c: {"CiphertextBlob": c.made["kms_blob"]},
    ("kms", "GenerateDataKey"): lambda c: {"KeyId": c.made["kms_key"], "KeySpec": "AES_256"},
    ("kms", "EnableKeyRotation"): lambda c: {"KeyId": c.made["kms_key"]},
    ("kms", "DisableKeyRotation"): lambda c: {"KeyId": c.made["kms_key"]},
    ("kms", "DisableKey"): lambda c: {"KeyId": c.made["kms_key"]},
    ("kms", "EnableKey"): lambda c: {"KeyId": c.made["kms_key"]},
    ("kms", "ScheduleKeyDeletion"): lambda c: {"KeyId": c.made["kms_key"], "PendingWindowInDays": 7},
    ("kms", "CancelKeyDeletion"): lambda c: {"KeyId": c.made["kms_key"]},
    ("kms", "DeleteAlias"): lambda c: {"AliasName": KMS_ALIAS},
}

# The conformance walk's log group (CloudWatch Logs).
LOG_GROUP = "/tasknet/conformance"
LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/tasknet/conformance"


def _function_zip():
    """A deployment package: one handler that echoes its event."""
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return {'event': event}\n")
    return buf.getvalue()


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


def _fixture_bytes(name):
    import os
    with open(os.path.join(os.path.dirname(__file__), "fixtures", name), "rb") as f:
        return f.read()


# Walk order: what makes things first (so reads and deletes find them),
# then reads, then changes, then what removes things.
def phase(op):
    for i, prefixes in enumerate([
        ("Create", "Put", "Register", "Authorize", "Run", "Tag", "Add", "Validate", "Request"),
        ("Describe", "List", "Get"),
        ("Update", "Modify", "Execute", "Set", "Attach"),
        ("Stop", "Delete", "Revoke", "Deregister", "Terminate", "Remove", "Detach", "Untag"),
    ]):
        if op.startswith(prefixes):
            return i
    return 2


# Within a phase, what must come first: (service, op) → the operations of
# the same phase it depends on (a resource made before its parts, parts
# removed before their container). Otherwise the listing's order stays.
WALK_NEEDS = {
    ("secretsmanager", "PutSecretValue"): ["CreateSecret"],
    ("secretsmanager", "TagResource"): ["CreateSecret"],
    ("secretsmanager", "DeleteSecret"): ["UntagResource"],
    ("kms", "CreateAlias"): ["CreateKey"],
    ("kms", "Decrypt"): ["Encrypt"],
    # The key's state: used while enabled, disabled and enabled again, then scheduled and cancelled.
    ("kms", "DisableKey"): ["Encrypt", "Decrypt", "GenerateDataKey", "EnableKeyRotation", "DisableKeyRotation"],
    ("kms", "EnableKey"): ["DisableKey"],
    ("kms", "ScheduleKeyDeletion"): ["EnableKey"],
    ("kms", "CancelKeyDeletion"): ["ScheduleKeyDeletion"],
    ("ec2", "CreateSubnet"): ["CreateVpc"],
    ("ec2", "CreateRouteTable"): ["CreateVpc"],
    ("ec2", "CreateNetworkAcl"): ["CreateVpc"],
    ("ec2", "CreateNetworkInterface"): ["CreateSubnet"],
    ("ec2", "CreateNatGateway"): ["CreateSubnet"],
    ("ec2", "CreateRoute"): ["CreateRouteTable", "CreateNetworkInterface"],
    ("ec2", "CreateNetworkAclEntry"): ["CreateNetworkAcl"],
    ("ec2", "CreateVpcEndpoint"): ["CreateRouteTable"],
    ("ec2", "ModifyVpcEndpoint"): ["CreateVpcEndpoint"],
    ("ec2", "DeleteVpcEndpoints"): ["ModifyVpcEndpoint"],
    ("elbv2", "RegisterTargets"): ["CreateTargetGroup"],
    ("elbv2", "CreateListener"): ["CreateLoadBalancer", "CreateTargetGroup"],
    ("ec2", "DisassociateRouteTable"): ["AssociateRouteTable"],
    ("ec2", "AssociateAddress"): ["AllocateAddress", "AttachInternetGateway"],
    ("ec2", "DisassociateAddress"): ["AssociateAddress"],
    ("ec2", "ReleaseAddress"): ["DisassociateAddress"],
    ("ec2", "DeleteSubnet"): ["DeleteNetworkInterface", "DeleteNatGateway"],
    ("ec2", "DeleteRouteTable"): ["DeleteRoute", "DeleteVpcEndpoints"],
    ("ec2", "DeleteInternetGateway"): ["DetachInternetGateway"],
    ("ec2", "DeleteNetworkAcl"): ["DeleteNetworkAclEntry", "DeleteSubnet"],
    ("ec2", "DeleteVpc"): ["DeleteSubnet", "DeleteRouteTable", "DetachInternetGateway", "DeleteInternetGateway",
                           "DeleteNetworkAcl", "DeleteNatGateway", "DeleteNetworkInterface"],
    ("elbv2", "DeleteLoadBalancer"): ["DeleteListener"],
    ("logs", "CreateLogStream"): ["CreateLogGroup"],
    ("logs", "PutLogEvents"): ["CreateLogStream"],
    ("logs", "PutRetentionPolicy"): ["CreateLogGroup"],
    ("logs", "TagLogGroup"): ["CreateLogGroup"],
    ("logs", "TagResource"): ["CreateLogGroup"],
    ("logs", "DeleteLogGroup"): ["DeleteLogStream", "DeleteRetentionPolicy", "UntagLogGroup", "UntagResource"],
    ("elbv2", "DeleteTargetGroup"): ["DeleteListener", "DeregisterTargets"],
}


def walk_order(ops):
    """`ops` ((service, op) pairs) by phase, and within a phase each after
    what it needs (WALK_NEEDS), otherwise in the order given."""
    out = []
    for p in sorted({phase(o) for _, o in ops}):
        pending = [so for so in ops if phase(so[1]) == p]
        while pending:
            names = {so for so in pending}
            ready = next((so for so in pending
                          if not any((so[0], n) in names for n in WALK_NEEDS.get(so, []))), pending[0])
            out.append(ready)
            pending.remove(ready)
    return out


def dumps(v):
    return json.dumps(v, default=str)[:600]
