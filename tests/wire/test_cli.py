"""The aws CLI (v1, from the pinned venv, with the botocore it brings) as a
user types it, AWS_ENDPOINT_URL pointing at tasknet: read commands print
JSON the model describes, and a refusal is the CLI's error with AWS's text."""

import json
import subprocess

import pytest

from deploy import aws_env

READS = [
    ("sts", "get-caller-identity", [], "Account"),
    ("ec2", "describe-subnets", [], "Subnets"),
    ("ec2", "describe-security-groups", [], "SecurityGroups"),
    ("ecs", "list-clusters", [], "clusterArns"),
    ("cloudformation", "describe-stacks", [], "Stacks"),
    ("secretsmanager", "list-secrets", [], "SecretList"),
    ("kms", "list-keys", [], "Keys"),
    ("kms", "list-aliases", [], "Aliases"),
]


def aws(server, *args):
    return subprocess.run(["aws", *args, "--output", "json"], env=aws_env(server.url),
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("service,command,args,key", READS, ids=[f"{r[0]}-{r[1]}" for r in READS])
def test_a_read_command_prints_the_answer(server, service, command, args, key):
    op = "".join(w.capitalize() for w in command.split("-"))
    if op not in server.operations().get(service, []):
        pytest.skip(f"{service}.{op} is not implemented yet")
    out = aws(server, service, command, *args)
    assert out.returncode == 0, out.stderr
    assert key in json.loads(out.stdout)


def test_a_missing_stack_is_the_clis_error_with_aws_text(server):
    out = aws(server, "cloudformation", "describe-stacks", "--stack-name", "tasknet-no-such-stack")
    assert out.returncode == 255, (out.returncode, out.stderr)  # CLI v1: 255 for a service error
    assert ("An error occurred (ValidationError) when calling the DescribeStacks operation: "
            "Stack with id tasknet-no-such-stack does not exist") in out.stderr


def test_filters_reach_the_endpoint(server):
    out = aws(server, "ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true")
    assert out.returncode == 0, out.stderr
    subnets = json.loads(out.stdout)["Subnets"]
    assert subnets and all(s["DefaultForAz"] for s in subnets)
    none = aws(server, "ec2", "describe-subnets", "--filters", "Name=vpc-id,Values=vpc-00000000000000000")
    assert none.returncode == 0 and json.loads(none.stdout)["Subnets"] == []
