"""A custom resource's round trip inside a deploy, through the endpoint:
CreateStack of a stack whose only work is one custom resource (a Lambda
function answering with cfnresponse), timed from the call until
CREATE_COMPLETE, polled every 5 ms; then updates (the function warm, an
Update request each). The peer in the same run: the same stack with an
SSM parameter in the custom resource's place, so the difference is the
request, the function and its PUT. Bounded: ROUNDS stacks, ROUNDS updates."""

import os
import statistics
import time

import tnserver

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "8"))

FUNCTION = """\
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: %(name)s
      Handler: index.handler
      Runtime: python3.12
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          import cfnresponse
          def handler(event, context):
            cfnresponse.send(event, context, cfnresponse.SUCCESS, {"V": event["ResourceProperties"]["V"]}, "thing")
"""

WITH_CUSTOM = "Resources:\n" + FUNCTION + """\
  Thing:
    Type: Custom::Thing
    Properties:
      ServiceToken: !GetAtt Fn.Arn
      V: "%(v)s"
"""

PEER = "Resources:\n" + FUNCTION + """\
  Thing:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Name: /bench/%(name)s
      Value: "%(v)s"
"""


def until_done(cfn, stack, started):
    while True:
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        if not status.endswith("_IN_PROGRESS"):
            assert status.endswith("_COMPLETE") and "ROLLBACK" not in status, status
            return (time.monotonic() - started) * 1000
        time.sleep(0.005)


def run(cfn, template, prefix):
    creates, updates = [], []
    for i in range(ROUNDS):
        name = f"{prefix}{i}"
        t = time.monotonic()
        cfn.create_stack(StackName=name, TemplateBody=template % {"name": name, "v": "1"},
                         Capabilities=["CAPABILITY_IAM"])
        creates.append(until_done(cfn, name, t))
        t = time.monotonic()
        cfn.update_stack(StackName=name, TemplateBody=template % {"name": name, "v": "2"},
                         Capabilities=["CAPABILITY_IAM"])
        updates.append(until_done(cfn, name, t))
    return creates, updates


def fmt(xs):
    return f"p50 {statistics.median(xs):7.1f} ms  max {max(xs):7.1f} ms"


def main():
    with tnserver.Server() as s:
        cfn = s.client("cloudformation")
        # One function first, so the venv (awslambdaric, boto3) is built before timing.
        run_warmup = WITH_CUSTOM % {"name": "warmup", "v": "0"}
        t = time.monotonic()
        cfn.create_stack(StackName="warmup", TemplateBody=run_warmup, Capabilities=["CAPABILITY_IAM"])
        print(f"first stack (runtime environment built if missing): {until_done(cfn, 'warmup', t):.0f} ms")
        peer_c, peer_u = run(cfn, PEER, "peer")
        cr_c, cr_u = run(cfn, WITH_CUSTOM, "custom")
    print(f"\n{ROUNDS} stacks each, CreateStack/UpdateStack until *_COMPLETE (DescribeStacks every 5 ms)")
    print(f"  peer create (SSM parameter)         {fmt(peer_c)}")
    print(f"  custom resource create (cold fn)    {fmt(cr_c)}")
    print(f"  peer update                         {fmt(peer_u)}")
    print(f"  custom resource update (warm fn)    {fmt(cr_u)}")
    print(f"  round trip over the peer: create +{statistics.median(cr_c) - statistics.median(peer_c):.1f} ms, "
          f"update +{statistics.median(cr_u) - statistics.median(peer_u):.1f} ms")


if __name__ == "__main__":
    main()
