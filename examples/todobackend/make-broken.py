#!/usr/bin/env python3
"""Regenerates broken/*.yml from stack.yml: one copy per mistake, each with exactly one mistake.

Run from anywhere: python3 examples/todobackend/make-broken.py
Every edit must match stack.yml exactly once; if stack.yml changes so that an
edit no longer applies, the script stops and names the edit.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STACK = open(os.path.join(HERE, "stack.yml")).read()

# Pieces of stack.yml the edits work on.
NETCONF = """\
      NetworkConfiguration:
        AwsvpcConfiguration:
          SecurityGroups:
            - !Ref ApplicationSecurityGroup
          Subnets:
            - !Ref PrivateSubnet
            - !Ref PrivateSubnetB
"""
NETMODE = "      NetworkMode: awsvpc\n"
TARGET_TYPE = "      TargetType: ip\n"
PORT = "          PortMappings:\n            - ContainerPort: 8000\n"
LOAD_BALANCERS = """\
      LoadBalancers:
        - ContainerName: todobackend
          ContainerPort: 8000
          TargetGroupArn: !Ref ApplicationServiceTargetGroup
"""
NO_ROLE = "      # No Role: a service that uses awsvpc gets the ECS service-linked role\n"
ROLE = ("      Role: !Sub arn:aws:iam::${AWS::AccountId}:role/aws-service-role/"
        "ecs.amazonaws.com/AWSServiceRoleForECS\n")
SERVICE_SG = "            - !Ref ApplicationSecurityGroup\n"
SERVICE_SUBNET_B = "            - !Ref PrivateSubnetB\n"
BEFORE_ROUTE_TABLE = "  PrivateRouteTable:\n    Type: AWS::EC2::RouteTable\n"
BEFORE_SG_RULES = "  ApplicationLoadBalancerToApplicationIngress:\n"
BEFORE_APP_LOG_GROUP = "  ApplicationLogGroup:\n"

OTHER_VPC = """\
  OtherVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.50.0.0/16
      EnableDnsSupport: true
      EnableDnsHostnames: true
      Tags:
        - Key: Name
          Value: !Sub ${AWS::StackName}-other-vpc
"""


def edit(text, old, new, name):
    n = text.count(old)
    if n != 1:
        sys.exit(f"{name}: expected exactly one match of {old!r}, found {n}")
    return text.replace(old, new)


def edits(*pairs):
    def apply(text, name):
        for old, new in pairs:
            text = edit(text, old, new, name)
        return text
    return apply


def seventeen_subnets():
    subnets = ""
    refs = ""
    for i in range(1, 16):
        subnets += f"""\
  TaskSubnet{i:02d}:
    Type: AWS::EC2::Subnet
    Properties:
      AvailabilityZone: !Select [0, !GetAZs '']
      CidrBlock: 172.31.112.{(i - 1) * 16}/28
      VpcId: !Ref VpcId
      Tags:
        - Key: Name
          Value: !Sub ${{AWS::StackName}}-task-{i:02d}
"""
        refs += f"            - !Ref TaskSubnet{i:02d}\n"
    return edits((BEFORE_ROUTE_TABLE, subnets + BEFORE_ROUTE_TABLE),
                 (SERVICE_SUBNET_B, SERVICE_SUBNET_B + refs))


def six_security_groups():
    groups = ""
    refs = ""
    for name, purpose in [("Monitoring", "monitoring agents"), ("Cache", "Redis clients"),
                          ("Queue", "queue workers"), ("Search", "search clients"),
                          ("Admin", "admin access")]:
        groups += f"""\
  {name}SecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub ${{AWS::StackName}} {purpose}
      VpcId: !Ref VpcId
"""
        refs += f"            - !Ref {name}SecurityGroup\n"
    return edits((BEFORE_SG_RULES, groups + BEFORE_SG_RULES),
                 (SERVICE_SG, SERVICE_SG + refs))


def eleven_containers():
    containers = ""
    for name in ["log-router", "metrics", "xray-daemon", "envoy", "config-reloader",
                 "cron", "healthcheck", "debug-shell", "cache-warmer"]:
        containers += f"""\
        - Name: {name}
          Essential: false
          Image: public.ecr.aws/docker/library/busybox:1.36
          MemoryReservation: 5
          Cpu: 5
          Command:
            - sleep
            - "86400"
"""
    return edits((BEFORE_APP_LOG_GROUP, containers + BEFORE_APP_LOG_GROUP))


BROKEN = [
    ("awsvpc-without-network-configuration.yml", "TN2001",
     "the task definition uses awsvpc but ApplicationService has no NetworkConfiguration",
     edits((NETCONF, ""))),
    ("network-configuration-with-bridge.yml", "TN2002",
     "ApplicationService keeps its NetworkConfiguration but the task definition is back in bridge mode "
     "(NetworkMode removed; the target group is back to the default instance type, consistent with bridge)",
     edits((NETMODE, ""), (TARGET_TYPE, ""), (NO_ROLE, ""))),
    ("awsvpc-host-port-zero.yml", "TN2003",
     "the awsvpc task definition kept the dynamic port mapping HostPort: 0 from the bridge version",
     edits((PORT, PORT + "              HostPort: 0\n"))),
    ("awsvpc-host-port-differs.yml", "TN2003",
     "the awsvpc task definition maps host port 8080 to container port 8000",
     edits((PORT, PORT + "              HostPort: 8080\n"))),
    ("target-group-instance-type.yml", "TN2004",
     "TargetType removed: the target group is of type instance (the default) behind the awsvpc service",
     edits((TARGET_TYPE, ""))),
    ("ip-target-group-with-bridge-service.yml", "TN2005",
     "the service is bridge again (NetworkMode and NetworkConfiguration removed) but the target group is still TargetType ip",
     edits((NETMODE, ""), (NETCONF, ""), (NO_ROLE, ""))),
    ("role-on-awsvpc-service.yml", "TN2006",
     "ApplicationService sets Role although its task definition uses awsvpc",
     edits((NO_ROLE, ROLE))),
    ("role-without-load-balancers.yml", "TN2007",
     "ApplicationService is a bridge service without LoadBalancers but sets Role",
     edits((NETMODE, ""), (NETCONF, ""), (LOAD_BALANCERS, ""), (NO_ROLE, ROLE))),
    ("public-ip-with-ec2-launch-type.yml", "TN2008",
     "AssignPublicIp: ENABLED on a service with LaunchType EC2",
     edits(("      DesiredCount: !Ref ApplicationDesiredCount\n",
            "      DesiredCount: !Ref ApplicationDesiredCount\n      LaunchType: EC2\n"),
           ("        AwsvpcConfiguration:\n",
            "        AwsvpcConfiguration:\n          AssignPublicIp: ENABLED\n"))),
    ("seventeen-subnets.yml", "TN2009",
     "17 subnets in AwsvpcConfiguration (PrivateSubnet, PrivateSubnetB and 15 /28 task subnets); the limit is 16",
     seventeen_subnets()),
    ("six-security-groups.yml", "TN2010",
     "6 security groups in AwsvpcConfiguration; the limit is 5",
     six_security_groups()),
    ("security-group-other-vpc.yml", "TN2011",
     "the service's second security group belongs to another VPC than its subnets",
     edits((BEFORE_SG_RULES, OTHER_VPC + """\
  OtherVpcSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub ${AWS::StackName} group in the other VPC
      VpcId: !Ref OtherVpc
""" + BEFORE_SG_RULES),
           (SERVICE_SG, SERVICE_SG + "            - !Ref OtherVpcSecurityGroup\n"))),
    ("target-group-other-vpc.yml", "TN2012",
     "the target group's VpcId is another VPC than the service's subnets and the load balancer",
     edits(("      Port: 8000\n      VpcId: !Ref VpcId\n", "      Port: 8000\n      VpcId: !Ref OtherVpc\n"),
           (BEFORE_SG_RULES, OTHER_VPC + BEFORE_SG_RULES))),
    ("target-group-without-listener.yml", "TN2013",
     "the listener answers with a fixed response, so the service's target group has no load balancer",
     edits(("""\
      DefaultActions:
        - TargetGroupArn: !Ref ApplicationServiceTargetGroup
          Type: forward
""", """\
      DefaultActions:
        - Type: fixed-response
          FixedResponseConfig:
            StatusCode: "503"
            ContentType: text/plain
            MessageBody: Down for maintenance
"""))),
    ("load-balancer-unknown-container.yml", "TN2014",
     "LoadBalancers names container todo-backend, which the task definition does not have (it is todobackend)",
     edits(("        - ContainerName: todobackend\n", "        - ContainerName: todo-backend\n"))),
    ("load-balancer-unknown-container-port.yml", "TN2015",
     "LoadBalancers names container port 8080, which container todobackend does not map (it maps 8000)",
     edits(("          ContainerPort: 8000\n          TargetGroupArn:",
            "          ContainerPort: 8080\n          TargetGroupArn:"))),
    ("eleven-containers.yml", "TN2016",
     "the todobackend task definition has 11 containers; the limit is 10",
     eleven_containers()),
    ("private-subnet-outside-vpc.yml", "TN3001",
     "PrivateSubnet's CIDR 10.30.1.0/24 is outside the VPC's 172.31.0.0/16",
     edits(("      CidrBlock: 172.31.96.0/20\n", "      CidrBlock: 10.30.1.0/24\n"))),
    ("private-subnet-overlaps-default-subnet.yml", "TN3002",
     "PrivateSubnet's CIDR 172.31.16.0/20 overlaps one of the default subnets",
     edits(("      CidrBlock: 172.31.96.0/20\n", "      CidrBlock: 172.31.16.0/20\n"))),
    ("route-to-gateway-in-other-vpc.yml", "TN3003",
     "the private default route points at an internet gateway attached to another VPC",
     edits(("      NatGatewayId: !Ref NatGateway\n", "      GatewayId: !Ref OtherInternetGateway\n"),
           ("  PrivateRouteTableDefaultRoute:\n    Type: AWS::EC2::Route\n",
            "  PrivateRouteTableDefaultRoute:\n    Type: AWS::EC2::Route\n"
            "    DependsOn: OtherVpcGatewayAttachment\n"),
           (BEFORE_SG_RULES, OTHER_VPC + """\
  OtherInternetGateway:
    Type: AWS::EC2::InternetGateway
  OtherVpcGatewayAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref OtherVpc
      InternetGatewayId: !Ref OtherInternetGateway
""" + BEFORE_SG_RULES))),
    ("unrecognized-resource-type.yml", "TN1001",
     "NatGateway has Type AWS::EC2::NATGateway (the type is AWS::EC2::NatGateway)",
     edits(("    Type: AWS::EC2::NatGateway\n", "    Type: AWS::EC2::NATGateway\n"))),
    ("unresolved-ref.yml", "TN1002",
     "the private default route refers to PrivateRoutingTable, which does not exist",
     edits(("      RouteTableId: !Ref PrivateRouteTable\n      NatGatewayId",
            "      RouteTableId: !Ref PrivateRoutingTable\n      NatGatewayId"))),
    ("circular-dependency.yml", "TN1003",
     "NatGateway DependsOn PrivateRouteTableDefaultRoute, which refers to NatGateway",
     edits(("  NatGateway:\n    Type: AWS::EC2::NatGateway\n",
            "  NatGateway:\n    Type: AWS::EC2::NatGateway\n    DependsOn: PrivateRouteTableDefaultRoute\n"))),
    ("unsupported-property.yml", "TN1004",
     "the target group has TargetTyp: ip (a typo for TargetType); CloudFormation rejects the property "
     "before ECS ever sees the target group's type",
     edits((TARGET_TYPE, "      TargetTyp: ip\n"))),
    ("unsupported-property-retention.yml", "TN1004",
     "ApplicationLogGroup has RetentionInDay (a typo for RetentionInDays)",
     edits(("      LogGroupName: !Sub /${AWS::StackName}/ecs/todobackend\n      RetentionInDays: 7\n",
            "      LogGroupName: !Sub /${AWS::StackName}/ecs/todobackend\n      RetentionInDay: 7\n"))),
    # Reachability (tasknet reach; plan and deploy print these findings too).
    ("rules-on-instance-group.yml", "TN5001",
     "the load balancer's rules still aim at the container instances' group, as in bridge mode: "
     "awsvpc tasks carry ApplicationSecurityGroup, so the load balancer cannot reach them (chapter question 4)",
     edits(("      GroupId: !Ref ApplicationSecurityGroup\n      SourceSecurityGroupId: !Ref ApplicationLoadBalancerSecurityGroup\n",
            "      GroupId: !Ref ApplicationAutoscalingSecurityGroup\n      SourceSecurityGroupId: !Ref ApplicationLoadBalancerSecurityGroup\n"),
           ("      GroupId: !Ref ApplicationLoadBalancerSecurityGroup\n      DestinationSecurityGroupId: !Ref ApplicationSecurityGroup\n",
            "      GroupId: !Ref ApplicationLoadBalancerSecurityGroup\n      DestinationSecurityGroupId: !Ref ApplicationAutoscalingSecurityGroup\n"))),
    ("private-subnet-without-nat-route.yml", "TN5002",
     "the private route table has no 0.0.0.0/0 route to the NAT gateway: the tasks cannot reach the internet (chapter question 5)",
     edits(("""  PrivateRouteTableDefaultRoute:
    Type: AWS::EC2::Route
    Properties:
      DestinationCidrBlock: 0.0.0.0/0
      RouteTableId: !Ref PrivateRouteTable
      NatGatewayId: !Ref NatGateway
""", ""))),
    ("tasks-in-public-subnets.yml", "TN5002",
     "the tasks run in the public default subnets: awsvpc tasks on EC2 get no public IP, "
     "so the internet gateway cannot carry their traffic (chapter question 5)",
     edits(("          Subnets:\n            - !Ref PrivateSubnet\n            - !Ref PrivateSubnetB\n",
            "          Subnets: !Ref ApplicationSubnets\n"))),
    ("nat-gateway-in-private-subnet.yml", "TN5002",
     "the NAT gateway sits in a private subnet, whose route table sends 0.0.0.0/0 back to the NAT gateway, not to the internet gateway",
     edits(("""      SubnetId:
        Fn::Select:
          - 0
          - !Ref ApplicationSubnets
""", "      SubnetId: !Ref PrivateSubnet\n"))),
    ("unknown-subnet-id.yml", "TN4001",
     "the service lists subnet-0123456789abcdef0, a subnet the account does not have",
     edits((SERVICE_SUBNET_B, "            - subnet-0123456789abcdef0\n"))),
]


def main():
    out = os.path.join(HERE, "broken")
    os.makedirs(out, exist_ok=True)
    for name, code, mistake, apply in BROKEN:
        body = apply(STACK, name)
        assert body != STACK, name
        with open(os.path.join(out, name), "w") as f:
            f.write(f"# Mistake: {mistake}\n# Expect: {code}\n{body}")
    print(f"wrote {len(BROKEN)} broken stacks to {out}")


if __name__ == "__main__":
    main()
