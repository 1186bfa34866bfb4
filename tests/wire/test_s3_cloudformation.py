"""Deployments through S3, as the aws CLI makes them: `cloudformation
deploy --s3-bucket` of a template over 51,200 bytes (uploaded, then
CreateChangeSet with TemplateURL), `cloudformation package` (local
artifacts uploaded, the template rewritten to S3 URLs), nested stacks read
from S3, and `AWS::S3::Bucket` as a real bucket."""

import json
import subprocess

import boto3
import pytest
import yaml
from botocore.config import Config
from botocore.exceptions import ClientError

import tnserver
from deploy import aws_env


def client(server, service):
    cfg = Config(retries={"max_attempts": 1, "mode": "standard"}, signature_version="s3v4")
    return boto3.session.Session().client(
        service, endpoint_url=server.url, region_name=tnserver.REGION, aws_access_key_id=tnserver.KEY,
        aws_secret_access_key=tnserver.SECRET, config=cfg)


def aws(server, *args, cwd=None, timeout=300):
    return subprocess.run(["aws", *args], env=aws_env(server.url), capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


CHILD = """
Parameters:
  Prefix: {Type: String}
Resources:
  Param:
    Type: AWS::SSM::Parameter
    Properties: {Name: !Sub "${Prefix}/child", Type: String, Value: from-child}
Outputs:
  Name: {Value: !Ref Param}
"""


def big_template(child_url):
    """A template over 51,200 bytes: many SSM parameters with long descriptions,
    a bucket with a generated name, and a nested stack read from S3."""
    resources = {
        f"Param{i:03d}": {
            "Type": "AWS::SSM::Parameter",
            "Properties": {"Name": f"/big/p{i:03d}", "Type": "String", "Value": f"v{i}",
                           "Description": f"parameter {i} " + "x" * 800},
        }
        for i in range(70)
    }
    resources["Bucket"] = {"Type": "AWS::S3::Bucket"}
    resources["Child"] = {"Type": "AWS::CloudFormation::Stack",
                          "Properties": {"TemplateURL": child_url, "Parameters": {"Prefix": "/big"}}}
    outputs = {
        "BucketName": {"Value": {"Ref": "Bucket"}},
        "BucketArn": {"Value": {"Fn::GetAtt": ["Bucket", "Arn"]}},
        "BucketDomain": {"Value": {"Fn::GetAtt": ["Bucket", "RegionalDomainName"]}},
        "ChildName": {"Value": {"Fn::GetAtt": ["Child", "Outputs.Name"]}},
    }
    return json.dumps({"Resources": resources, "Outputs": outputs}, indent=1)


def outputs(cfn, stack):
    desc = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    return desc["StackStatus"], {o["OutputKey"]: o["OutputValue"] for o in desc.get("Outputs", [])}


def test_deploy_with_s3_bucket_uploads_a_big_template(server, tmp_path):
    s3, cfn, ssm = client(server, "s3"), client(server, "cloudformation"), client(server, "ssm")
    s3.create_bucket(Bucket="deploy-artifacts")
    s3.put_object(Bucket="deploy-artifacts", Key="child.yaml", Body=CHILD.encode())
    child_url = "https://deploy-artifacts.s3.amazonaws.com/child.yaml"
    template = tmp_path / "big.json"
    template.write_text(big_template(child_url))
    assert template.stat().st_size > 51200
    no_bucket = aws(server, "cloudformation", "deploy", "--template-file", str(template), "--stack-name", "big")
    assert no_bucket.returncode != 0 and "--s3-bucket" in no_bucket.stderr
    out = aws(server, "cloudformation", "deploy", "--template-file", str(template), "--stack-name", "big",
              "--s3-bucket", "deploy-artifacts", "--s3-prefix", "tpl")
    assert out.returncode == 0, out.stdout + out.stderr
    uploaded = [o["Key"] for o in s3.list_objects_v2(Bucket="deploy-artifacts", Prefix="tpl/")["Contents"]]
    assert len(uploaded) == 1 and uploaded[0].endswith(".template")
    status, outs = outputs(cfn, "big")
    assert status == "CREATE_COMPLETE"
    bucket = outs["BucketName"]
    assert bucket.startswith("big-bucket-") and bucket == bucket.lower() and len(bucket) <= 63
    assert outs["BucketArn"] == f"arn:aws:s3:::{bucket}"
    assert outs["BucketDomain"] == f"{bucket}.s3.{tnserver.REGION}.amazonaws.com"
    assert outs["ChildName"] == "/big/child"
    assert ssm.get_parameter(Name="/big/child")["Parameter"]["Value"] == "from-child"
    assert ssm.get_parameter(Name="/big/p069")["Parameter"]["Value"] == "v69"
    # The stack's bucket is real; with an object in it, the stack's delete fails as CloudFormation's does.
    s3.put_object(Bucket=bucket, Key="keep", Body=b"x")
    cfn.delete_stack(StackName="big")
    cfn.get_waiter("stack_delete_complete").config.delay = 1
    with pytest.raises(Exception):
        cfn.get_waiter("stack_delete_complete").wait(StackName="big", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    status, _ = outputs(cfn, "big")
    assert status == "DELETE_FAILED"
    events = [e for p in cfn.get_paginator("describe_stack_events").paginate(StackName="big") for e in p["StackEvents"]]
    reasons = [e.get("ResourceStatusReason", "") for e in events
               if e["LogicalResourceId"] == "Bucket" and e["ResourceStatus"] == "DELETE_FAILED"]
    assert reasons and reasons[0].startswith("The bucket you tried to delete is not empty"), reasons
    s3.delete_object(Bucket=bucket, Key="keep")
    cfn.delete_stack(StackName="big")
    cfn.get_waiter("stack_delete_complete").wait(StackName="big", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    with pytest.raises(ClientError):
        s3.head_bucket(Bucket=bucket)


def test_template_url_errors_are_cloudformations(server):
    s3, cfn = client(server, "s3"), client(server, "cloudformation")
    s3.create_bucket(Bucket="url-errors")
    s3.put_object(Bucket="url-errors", Key="ok.yaml", Body=CHILD.encode())
    summary = cfn.get_template_summary(TemplateURL=f"{server.url}/url-errors/ok.yaml")
    assert [p["ParameterKey"] for p in summary["Parameters"]] == ["Prefix"]
    assert cfn.validate_template(TemplateURL="https://s3.amazonaws.com/url-errors/ok.yaml")["Parameters"]
    with pytest.raises(ClientError) as e:
        cfn.validate_template(TemplateURL="https://s3.amazonaws.com/url-errors/missing.yaml")
    assert e.value.response["Error"]["Code"] == "ValidationError"
    assert e.value.response["Error"]["Message"].startswith("S3 error: The specified key does not exist.")
    with pytest.raises(ClientError) as e:
        cfn.create_stack(StackName="nowhere", TemplateURL="https://example.com/t.yaml")
    assert e.value.response["Error"]["Message"] == "TemplateURL must be a supported URL."


def test_package_uploads_artifacts_and_the_packaged_template_deploys(server, tmp_path):
    s3, cfn = client(server, "s3"), client(server, "cloudformation")
    s3.create_bucket(Bucket="package-artifacts")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "index.py").write_text("def handler(event, context):\n    return 'ok'\n")
    (tmp_path / "child.yaml").write_text(CHILD)
    (tmp_path / "parent.yaml").write_text("""
Resources:
  Function:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/lambda
      Code: ./src
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child.yaml
      Parameters: {Prefix: /packaged}
Outputs:
  ChildName: {Value: !GetAtt Child.Outputs.Name}
""")
    out = aws(server, "cloudformation", "package", "--template-file", "parent.yaml", "--s3-bucket",
              "package-artifacts", "--output-template-file", "packaged.yaml", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    packaged = yaml.safe_load((tmp_path / "packaged.yaml").read_text())
    code = packaged["Resources"]["Function"]["Properties"]["Code"]
    assert code["S3Bucket"] == "package-artifacts"
    zipped = s3.get_object(Bucket="package-artifacts", Key=code["S3Key"])["Body"].read()
    assert zipped[:2] == b"PK"
    url = packaged["Resources"]["Child"]["Properties"]["TemplateURL"]
    assert url.startswith(server.url + "/package-artifacts/")
    key = url.split("/package-artifacts/", 1)[1]
    assert b"from-child" in s3.get_object(Bucket="package-artifacts", Key=key)["Body"].read()
    out = aws(server, "cloudformation", "deploy", "--template-file", "packaged.yaml", "--stack-name", "packaged",
              cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    status, outs = outputs(cfn, "packaged")
    assert (status, outs["ChildName"]) == ("CREATE_COMPLETE", "/packaged/child")


def test_a_nested_stack_whose_template_is_missing_fails(server, tmp_path):
    s3, cfn = client(server, "s3"), client(server, "cloudformation")
    s3.create_bucket(Bucket="nested-missing")
    body = yaml.safe_dump({"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {
        "TemplateURL": "https://nested-missing.s3.amazonaws.com/absent.yaml"}}}})
    cfn.create_stack(StackName="orphan", TemplateBody=body)
    with pytest.raises(Exception):
        cfn.get_waiter("stack_create_complete").wait(StackName="orphan", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    events = cfn.describe_stack_events(StackName="orphan")["StackEvents"]
    failed = [e for e in events if e["LogicalResourceId"] == "Child" and e["ResourceStatus"] == "CREATE_FAILED"]
    assert failed and "S3 error: The specified key does not exist." in failed[0]["ResourceStatusReason"]
