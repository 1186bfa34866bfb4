"""Custom resources running their functions' own code, judged by the aws
CLI and boto3: the book's stack (its Secrets and ECS task runner functions,
inline Python with `cfnresponse` and boto3, on the book's python3.6 with
`--allow-deprecated-runtimes`) deployed with `aws cloudformation deploy`
and with `tasknet deploy`, a migration that exits 1, and each way a
provider can fail, with CloudFormation's texts."""

import json
import os
import sqlite3
import subprocess
import tempfile
import textwrap
import time

import pytest

import deploy
import tnserver
from deploy import aws_env

EXAMPLE = os.path.join(tnserver.ROOT, "examples", "todobackend")


def overrides():
    with open(os.path.join(EXAMPLE, "dev.cfg")) as f:
        return f.read().split()


def book_template(folder):
    """The example as the book has it: its functions on python3.6."""
    with open(os.path.join(EXAMPLE, "stack.yml")) as f:
        text = f.read()
    assert text.count("Runtime: python3.12") == 2
    path = os.path.join(folder, "stack.yml")
    with open(path, "w") as f:
        f.write(text.replace("Runtime: python3.12", "Runtime: python3.6"))
    return path


def cfn_deploy(url, template, stack="todobackend"):
    cmd = ["aws", "cloudformation", "deploy", "--template-file", template, "--stack-name", stack,
           "--parameter-overrides", *overrides(), "--capabilities", "CAPABILITY_NAMED_IAM"]
    return subprocess.run(cmd, env=aws_env(url), capture_output=True, text=True, timeout=400)


def stored(state_dir, kind):
    """Rows of one kind of tasknet's own store (what AWS never returns, such as a DB password)."""
    c = sqlite3.connect(os.path.join(state_dir, "account.db"))
    try:
        return [json.loads(j) for (j,) in c.execute("SELECT json FROM resources WHERE kind = ?", (kind,))]
    finally:
        c.close()


def messages(logs, group):
    out = []
    for page in logs.get_paginator("filter_log_events").paginate(logGroupName=group):
        out += [e["message"] for e in page["events"]]
    return out


def events(cfn, stack):
    return cfn.describe_stack_events(StackName=stack)["StackEvents"]


def reasons(cfn, stack, status):
    return {e["LogicalResourceId"]: e.get("ResourceStatusReason", "")
            for e in events(cfn, stack) if e["ResourceStatus"] == status}


def settled(cfn, stack, timeout=240):
    """Polls DescribeStacks until the stack is no longer in progress (a waiter with a short delay)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        if not status.endswith("_IN_PROGRESS"):
            return status
        time.sleep(0.2)
    raise AssertionError(f"{stack} still in progress after {timeout} s")


@pytest.fixture(scope="module")
def book_server():
    with tnserver.Server(args=["--allow-deprecated-runtimes"]) as s:
        yield s


def test_the_books_stack_deploys_with_aws_cloudformation_deploy(book_server):
    deploy.create_example_secret(book_server.url)
    with tempfile.TemporaryDirectory() as d:
        out = cfn_deploy(book_server.url, book_template(d))
    assert out.returncode == 0, out.stdout + out.stderr
    cfn = book_server.client("cloudformation")
    assert cfn.describe_stacks(StackName="todobackend")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    # The secret reached the database through Fn::GetAtt of the Secrets custom resource.
    dbs = stored(book_server.state_dir, "db_instances")
    assert [d["MasterUserPassword"] for d in dbs] == [deploy.EXAMPLE_PASSWORD]
    # The migration ran as an ECS task and stopped with exit code 0.
    ecs = book_server.client("ecs")
    stopped = ecs.list_tasks(cluster="todobackend-cluster", desiredStatus="STOPPED")["taskArns"]
    tasks = ecs.describe_tasks(cluster="todobackend-cluster", tasks=stopped)["tasks"]
    migrate = [t for t in tasks if t["group"] == "family:todobackend-migrate"]
    assert len(migrate) == 1
    assert migrate[0]["stopCode"] == "EssentialContainerExited"
    assert migrate[0]["containers"][0]["exitCode"] == 0
    # Its physical ID is the task's ARN, as the function answered.
    resources = cfn.describe_stack_resources(StackName="todobackend")["StackResources"]
    physical = {r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in resources}
    assert physical["MigrateTask"] == migrate[0]["taskArn"]
    # The functions' output is in their log groups, with Lambda's own lines.
    logs = book_server.client("logs")
    lines = messages(logs, "/aws/lambda/todobackend-ecsTasks")
    assert any(m.startswith("START RequestId: ") for m in lines)
    assert any(f"ECS task {migrate[0]['taskArn']} exited with code 0" in m for m in lines), lines
    assert any(m.startswith("REPORT RequestId: ") and "Init Duration" in m for m in lines)
    # NoEcho: the password is in no event and no described resource.
    shown = json.dumps(events(cfn, "todobackend"), default=str) + json.dumps(resources, default=str)
    assert deploy.EXAMPLE_PASSWORD not in shown
    # One warning per function for the deprecated runtime.
    log = book_server.log()
    assert log.count("function todobackend-ecsTasks uses python3.6") == 1, log
    assert log.count("function todobackend-secretsManager uses python3.6") == 1, log


def test_a_migration_that_exits_1_fails_the_stack_and_the_rollback_deletes_both(tmp_path):
    runtime = tmp_path / "runtime.toml"
    runtime.write_text('[images."docker-in-aws/todobackend"]\nexit_code = 1\n')
    with tnserver.Server(args=["--allow-deprecated-runtimes", "--runtime", str(runtime)]) as s:
        deploy.create_example_secret(s.url)
        out = cfn_deploy(s.url, book_template(str(tmp_path)))
        assert out.returncode != 0, out.stdout
        cfn = s.client("cloudformation")
        assert cfn.describe_stacks(StackName="todobackend")["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE"
        failed = reasons(cfn, "todobackend", "CREATE_FAILED")
        # The book's function's own reason: cfnresponse's default sentence with its log stream.
        assert failed["MigrateTask"].startswith(
            "Received response status [FAILED] from custom resource. Message returned: "
            "See the details in CloudWatch Log Stream: "), failed
        # The rollback sent Delete to both custom resources, and both answered SUCCESS.
        deleted = reasons(cfn, "todobackend", "DELETE_COMPLETE")
        assert {"MigrateTask", "Secrets"} <= set(deleted), deleted


def test_tasknet_deploy_runs_the_books_functions(tmp_path):
    state = str(tmp_path / "state")
    os.makedirs(state)
    with tnserver.Server(state_dir=state, keep_state=True) as s:
        deploy.create_example_secret(s.url)
    with tempfile.TemporaryDirectory() as d:
        template = book_template(d)
        env = dict(os.environ, TASKNET_STATE_DIR=state)
        out = subprocess.run([tnserver.BIN, "deploy", "--template-file", template, "--stack-name", "todobackend",
                              "--capabilities", "CAPABILITY_NAMED_IAM", "--allow-deprecated-runtimes",
                              "--parameter-overrides", *overrides()],
                             env=env, capture_output=True, text=True, timeout=400)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Successfully created/updated stack - todobackend" in out.stdout
    assert [d["MasterUserPassword"] for d in stored(state, "db_instances")] == [deploy.EXAMPLE_PASSWORD]
    tasks = [t for t in stored(state, "tasks") if t.get("group") == "family:todobackend-migrate"]
    assert [t["containers"][0].get("exitCode") for t in tasks] == [0], tasks


# A function and a custom resource sending it a request; `CODE` is the handler.
SMALL = """\
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: %(name)s
      Handler: index.handler
      Runtime: %(runtime)s
      Timeout: 30
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
%(code)s
  Thing:
    Type: Custom::Thing
    Properties:
      ServiceToken: !GetAtt Fn.Arn
      Size: 3
"""

RAISES = """\
import cfnresponse
def handler(event, context):
    print("attempt for", event["RequestType"])
    raise RuntimeError("boom")
"""

SILENT = """\
def handler(event, context):
    print("not answering", event["RequestId"])
"""

TOO_LONG = """\
import cfnresponse
def handler(event, context):
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {"Blob": "x" * 5000}, "thing-1")
"""

# Answers with a body of its own making (no cfnresponse), given as `BODY`.
RAW = """\
import json, urllib.request
def handler(event, context):
    body = BODY
    body.update({"StackId": event["StackId"], "RequestId": event["RequestId"],
                 "LogicalResourceId": event["LogicalResourceId"]})
    req = urllib.request.Request(event["ResponseURL"], data=json.dumps(body).encode(), method="PUT",
                                 headers={"content-type": ""})
    urllib.request.urlopen(req).read()
"""


def small_stack(server, stack, code, runtime="python3.12"):
    """Creates the stack through the endpoint and waits for it; its status."""
    body = SMALL % {"name": stack, "runtime": runtime, "code": textwrap.indent(code, " " * 10)}
    cfn = server.client("cloudformation")
    cfn.create_stack(StackName=stack, TemplateBody=body, Capabilities=["CAPABILITY_IAM"])
    return cfn, settled(cfn, stack)


@pytest.fixture(scope="module")
def plain_server():
    with tnserver.Server() as s:
        yield s


def test_a_handler_that_raises_runs_three_times_then_times_out(plain_server):
    started = time.monotonic()
    cfn, status = small_stack(plain_server, "raises", RAISES)
    assert status == "ROLLBACK_COMPLETE"
    reason = reasons(cfn, "raises", "CREATE_FAILED")["Thing"]
    assert reason.startswith("CloudFormation did not receive a response from your Custom Resource. "
                             "Please check your logs for requestId ["), reason
    assert reason.endswith("If you are using the Python cfn-response module, you may need to update your "
                           "Lambda function code so that CloudFormation can attach the updated version.")
    # Lambda's two retries after the error: three attempts, each in the log.
    lines = messages(plain_server.client("logs"), "/aws/lambda/raises")
    assert sum(m.startswith("attempt for Create") for m in lines) == 3, lines
    # The hour of ServiceTimeout and the minutes between retries passed on the simulated clock.
    assert time.monotonic() - started < 120


def test_a_handler_that_never_answers_times_out_fast(plain_server):
    started = time.monotonic()
    cfn, status = small_stack(plain_server, "silent", SILENT)
    assert status == "ROLLBACK_COMPLETE"
    assert reasons(cfn, "silent", "CREATE_FAILED")["Thing"].startswith(
        "CloudFormation did not receive a response from your Custom Resource.")
    lines = messages(plain_server.client("logs"), "/aws/lambda/silent")
    assert sum(m.startswith("not answering") for m in lines) == 1, "no error, so no retry"
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("stack, code, expected", [
    ("too-long", TOO_LONG, "Response object is too long."),
    ("no-physical", RAW.replace("BODY", '{"Status": "SUCCESS", "Data": {}}'), "Invalid PhysicalResourceId"),
    ("data-list", RAW.replace("BODY", '{"Status": "SUCCESS", "PhysicalResourceId": "p", "Data": [1]}'),
     "Data returned must be an object"),
])
def test_bad_responses_fail_with_cloudformations_text(plain_server, stack, code, expected):
    cfn, status = small_stack(plain_server, stack, code)
    assert status == "ROLLBACK_COMPLETE"
    assert reasons(cfn, stack, "CREATE_FAILED")["Thing"] == expected


def test_data_reaches_get_att_and_update_sends_the_old_properties(plain_server):
    code = RAW.replace("BODY", '{"Status": "SUCCESS", "PhysicalResourceId": "p-" + event["ResourceProperties"]'
                               '["Size"], "Data": {"Echo": json.dumps(event)}}')
    body = SMALL % {"name": "echoer", "runtime": "python3.12", "code": textwrap.indent(code, " " * 10)}
    body += "Outputs:\n  Echo:\n    Value: !GetAtt Thing.Echo\n"
    cfn = plain_server.client("cloudformation")
    cfn.create_stack(StackName="echoer", TemplateBody=body, Capabilities=["CAPABILITY_IAM"])
    assert settled(cfn, "echoer") == "CREATE_COMPLETE"
    first = json.loads(cfn.describe_stacks(StackName="echoer")["Stacks"][0]["Outputs"][0]["OutputValue"])
    assert first["RequestType"] == "Create" and "PhysicalResourceId" not in first
    assert first["ResourceProperties"]["Size"] == "3", "scalars arrive as strings"
    cfn.update_stack(StackName="echoer", TemplateBody=body.replace("Size: 3", "Size: 4"),
                     Capabilities=["CAPABILITY_IAM"])
    assert settled(cfn, "echoer") == "UPDATE_COMPLETE"
    second = json.loads(cfn.describe_stacks(StackName="echoer")["Stacks"][0]["Outputs"][0]["OutputValue"])
    assert second["RequestType"] == "Update"
    assert second["OldResourceProperties"]["Size"] == "3" and second["ResourceProperties"]["Size"] == "4"
    assert second["PhysicalResourceId"] == "p-3"
    # p-4 is a new physical ID: a replacement, so p-3 got its Delete in the cleanup.
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                for r in cfn.describe_stack_resources(StackName="echoer")["StackResources"]}
    assert physical["Thing"] == "p-4"


def test_a_function_on_a_blocked_runtime_is_refused_with_lambdas_text(plain_server):
    cfn, status = small_stack(plain_server, "old-runtime", SILENT, runtime="python3.6")
    assert status == "ROLLBACK_COMPLETE"
    reason = reasons(cfn, "old-runtime", "CREATE_FAILED")["Fn"]
    assert "The runtime parameter of python3.6 is no longer supported for creating or updating AWS Lambda functions." \
        in reason, reason


def test_tasknet_deploy_runs_a_function_from_a_local_folder(tmp_path):
    """`Code: ./src` (what `aws cloudformation package` takes) runs in place
    under tasknet's own deploy, with a warning (TN2302); `cfnresponse` is not
    added to such code, as AWS adds it only to `ZipFile` code."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(textwrap.dedent(RAW.replace(
        "BODY", '{"Status": "SUCCESS", "PhysicalResourceId": "folder-thing", "Data": {"From": __file__}}')))
    template = SMALL % {"name": "folder", "runtime": "python3.12", "code": ""}
    template = template.replace("Handler: index.handler", "Handler: app.handler")
    template = template.replace("      Code:\n        ZipFile: |\n\n", "      Code: ./src\n")
    template += "Outputs:\n  From:\n    Value: !GetAtt Thing.From\n"
    (tmp_path / "t.yml").write_text(template)
    env = dict(os.environ, TASKNET_STATE_DIR=str(tmp_path / "state"))
    checked = subprocess.run([tnserver.BIN, "validate", "--template-file", "t.yml"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and "warning[TN2302]" in checked.stdout, checked.stdout + checked.stderr
    out = subprocess.run([tnserver.BIN, "deploy", "--template-file", "t.yml", "--stack-name", "folder",
                          "--capabilities", "CAPABILITY_IAM"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    stacks = [s for s in stored(str(tmp_path / "state"), "stacks") if s["StackName"] == "folder"]
    assert stacks[0]["Outputs"][0]["OutputValue"] == str(tmp_path / "src" / "app.py")
