"""Lambda through real clients: boto3 creates functions from zips built
here, invokes them (RequestResponse, Event with Lambda's retries, DryRun),
reads, pages and deletes them, and gets Lambda's errors as botocore's own
exception classes; the aws CLI invokes; a function's boto3 calls back into
tasknet with its execution role's temporary credentials; STS sessions'
tokens are checked."""

import base64
import io
import json
import os
import sqlite3
import subprocess
import time
import urllib.request
import zipfile

import pytest
from botocore.exceptions import ClientError

import tnserver
from deploy import aws_env

ROLE = "arn:aws:iam::123456789012:role/fn-role"

HANDLER = '''
import json, os, time

def handler(event, context):
    kind = event.get("kind")
    if kind == "fail":
        raise ValueError("asked to fail")
    if kind == "mark":
        # Appends one line per attempt to the file the event names.
        with open(event["path"], "a") as f:
            f.write(context.aws_request_id + "\\n")
        if event.get("fail"):
            raise RuntimeError("attempt failed")
        return {"marked": True}
    if kind == "whoami":
        import boto3
        ident = boto3.client("sts").get_caller_identity()
        return {"Arn": ident["Arn"], "UserId": ident["UserId"], "Account": ident["Account"]}
    print("event", json.dumps(event))
    return {"echo": event, "function": context.function_name, "memory": context.memory_limit_in_mb}
'''


def zip_of(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


@pytest.fixture(scope="module")
def lam_server():
    # Event retries a few hundred milliseconds apart instead of Lambda's minutes.
    old = os.environ.get("TASKNET_LAMBDA_RETRY_DELAYS_MS")
    os.environ["TASKNET_LAMBDA_RETRY_DELAYS_MS"] = "300,300"
    try:
        with tnserver.Server() as s:
            yield s
    finally:
        if old is None:
            os.environ.pop("TASKNET_LAMBDA_RETRY_DELAYS_MS", None)
        else:
            os.environ["TASKNET_LAMBDA_RETRY_DELAYS_MS"] = old


@pytest.fixture(scope="module")
def lam(lam_server):
    return lam_server.client("lambda")


@pytest.fixture(scope="module")
def fn(lam):
    """A python3.12 function from a zip built here."""
    lam.create_function(FunctionName="echo", Runtime="python3.12", Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": zip_of({"app.py": HANDLER})}, Timeout=30,
                        Environment={"Variables": {"STAGE": "test"}})
    return "echo"


def test_create_function_answers_lambdas_configuration(lam, fn):
    conf = lam.get_function_configuration(FunctionName=fn)
    assert conf["FunctionArn"] == "arn:aws:lambda:us-east-1:123456789012:function:echo"
    assert (conf["Runtime"], conf["Handler"], conf["Timeout"], conf["MemorySize"]) == ("python3.12", "app.handler", 30, 128)
    assert conf["State"] == "Active" and conf["Version"] == "$LATEST" and conf["PackageType"] == "Zip"
    assert conf["Environment"]["Variables"] == {"STAGE": "test"}
    assert len(base64.b64decode(conf["CodeSha256"])) == 32


def test_invoke_request_response_returns_the_handlers_value_and_the_log_tail(lam, fn):
    out = lam.invoke(FunctionName=fn, Payload=json.dumps({"a": 1}), LogType="Tail")
    assert out["StatusCode"] == 200
    assert "FunctionError" not in out
    assert out["ExecutedVersion"] == "$LATEST"
    assert json.loads(out["Payload"].read()) == {"echo": {"a": 1}, "function": "echo", "memory": "128"}
    log = base64.b64decode(out["LogResult"]).decode()
    assert "START RequestId: " in log and "REPORT RequestId: " in log
    assert 'event {"a": 1}' in log
    assert len(out["LogResult"]) <= 4 * 1024 * 4 // 3 + 4


def test_a_raised_exception_is_a_function_error(lam, fn):
    out = lam.invoke(FunctionName=fn, Payload=json.dumps({"kind": "fail"}))
    assert out["StatusCode"] == 200
    assert out["FunctionError"] == "Unhandled"
    err = json.loads(out["Payload"].read())
    assert (err["errorType"], err["errorMessage"]) == ("ValueError", "asked to fail")


def test_dry_run_is_204_and_runs_nothing(lam, fn, tmp_path):
    path = tmp_path / "dry"
    out = lam.invoke(FunctionName=fn, InvocationType="DryRun",
                     Payload=json.dumps({"kind": "mark", "path": str(path)}))
    assert out["StatusCode"] == 204
    time.sleep(0.5)
    assert not path.exists()


def _lines_within(path, n, secs):
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().splitlines()) >= n:
            return path.read_text().splitlines()
        time.sleep(0.05)
    return path.read_text().splitlines() if path.exists() else []


def test_an_event_runs_in_the_background(lam, fn, tmp_path):
    path = tmp_path / "event"
    out = lam.invoke(FunctionName=fn, InvocationType="Event", Payload=json.dumps({"kind": "mark", "path": str(path)}))
    assert out["StatusCode"] == 202
    assert out["Payload"].read() == b""
    assert len(_lines_within(path, 1, 60)) == 1
    time.sleep(1)  # no retry after a success
    assert len(path.read_text().splitlines()) == 1


def test_a_failing_event_is_retried_twice_with_its_request_id(lam, fn, tmp_path):
    path = tmp_path / "retried"
    out = lam.invoke(FunctionName=fn, InvocationType="Event",
                     Payload=json.dumps({"kind": "mark", "path": str(path), "fail": True}))
    assert out["StatusCode"] == 202
    attempts = _lines_within(path, 3, 60)
    assert len(attempts) == 3, attempts
    assert len(set(attempts)) == 1  # the same request ID, as Lambda retries it
    time.sleep(1.5)
    assert len(path.read_text().splitlines()) == 3  # and no fourth attempt


def test_a_function_calls_back_with_its_roles_credentials(lam, fn):
    out = lam.invoke(FunctionName=fn, Payload=json.dumps({"kind": "whoami"}))
    body = json.loads(out["Payload"].read())
    assert "FunctionError" not in out, body
    assert body["Arn"] == "arn:aws:sts::123456789012:assumed-role/fn-role/echo"
    assert body["UserId"].startswith("AROA") and body["UserId"].endswith(":echo")
    assert body["Account"] == "123456789012"


def test_list_functions_pages_with_the_paginator(lam, fn):
    for i in range(3):
        lam.create_function(FunctionName=f"page-{i}", Runtime="python3.12", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": HANDLER})})
    pages = list(lam.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 2}))
    names = [f["FunctionName"] for p in pages for f in p["Functions"]]
    assert {"echo", "page-0", "page-1", "page-2"} <= set(names)
    assert len(names) == len(set(names))
    assert len(pages) >= 2 and all(len(p["Functions"]) <= 2 for p in pages)


def test_get_function_gives_a_url_for_the_package(lam, fn):
    out = lam.get_function(FunctionName=fn)
    assert out["Configuration"]["FunctionName"] == fn
    assert out["Code"]["RepositoryType"] == "S3"
    with urllib.request.urlopen(out["Code"]["Location"], timeout=10) as r:
        package = r.read()
    assert zipfile.ZipFile(io.BytesIO(package)).read("app.py").decode() == HANDLER


def test_lambdas_errors_are_botocores_exceptions(lam, fn):
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as e:
        lam.get_function(FunctionName="tasknet-no-such-function")
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert e.value.response["Error"]["Message"] == (
        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:tasknet-no-such-function")
    with pytest.raises(lam.exceptions.ResourceConflictException) as e:
        lam.create_function(FunctionName=fn, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": HANDLER})})
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert e.value.response["Error"]["Message"] == f"Function already exist: {fn}"
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.create_function(FunctionName="old", Runtime="python3.6", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": HANDLER})})
    assert e.value.response["Error"]["Message"] == (
        "The runtime parameter of python3.6 is no longer supported for creating or updating AWS Lambda functions. "
        "We recommend you use the new runtime (python3.14) while creating or updating functions.")
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as e:
        lam.create_function(FunctionName="notzip", Runtime="python3.12", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": b"certainly not a zip"})
    assert e.value.response["Error"]["Message"] == (
        "Could not unzip uploaded file. Please check your file, then try to upload again.")
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.invoke(FunctionName="tasknet-no-such-function", Payload=b"{}")


def test_update_then_delete(lam):
    lam.create_function(FunctionName="doomed", Runtime="python3.12", Role=ROLE, Handler="app.handler",
                        Code={"ZipFile": zip_of({"app.py": HANDLER})})
    new_code = "def handler(event, context):\n    return 'v2'\n"
    lam.update_function_code(FunctionName="doomed", ZipFile=zip_of({"app.py": new_code}))
    out = lam.invoke(FunctionName="doomed", Payload=b"{}")
    assert json.loads(out["Payload"].read()) == "v2"
    conf = lam.update_function_configuration(FunctionName="doomed", Timeout=9, Environment={"Variables": {"X": "y"}})
    assert conf["Timeout"] == 9 and conf["Environment"]["Variables"] == {"X": "y"}
    assert lam.delete_function(FunctionName="doomed")["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName="doomed")


def test_aws_lambda_invoke_through_the_cli(lam_server, fn, tmp_path):
    out_file = tmp_path / "out.json"
    # CLI v1 sends --payload as given (v2 would need --cli-binary-format raw-in-base64-out).
    run = subprocess.run(["aws", "lambda", "invoke", "--function-name", fn, "--payload", '{"cli": true}',
                          str(out_file)],
                         env=aws_env(lam_server.url), capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["StatusCode"] == 200
    assert json.loads(out_file.read_text())["echo"] == {"cli": True}


def test_assumed_role_keys_are_checked_with_their_token(lam_server):
    sts = lam_server.client("sts")
    creds = sts.assume_role(RoleArn=ROLE, RoleSessionName="tester")["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["AccessKeyId"]) == 20
    as_role = lam_server.client("sts", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                                aws_session_token=creds["SessionToken"])
    assert as_role.get_caller_identity()["Arn"] == "arn:aws:sts::123456789012:assumed-role/fn-role/tester"
    forged = lam_server.client("sts", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                               aws_session_token="IQoJb3JpZ2luX2VjNOTTHETOKEN")
    with pytest.raises(ClientError) as e:
        forged.get_caller_identity()
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert e.value.response["Error"]["Message"] == "The security token included in the request is invalid."
    lam = lam_server.client("lambda", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"])
    with pytest.raises(ClientError) as e:
        lam.list_functions()
    assert (e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "UnrecognizedClientException", 403)


def test_an_expired_session_is_refused_as_expired():
    """A session whose time is up, in the store before the server opens it."""
    d = tnserver.fresh_state_dir()
    with tnserver.Server(state_dir=d, keep_state=True) as first:
        # A write, so the account is in the store.
        first.client("ssm").put_parameter(Name="/tasknet/made", Value="1", Type="String")
    key, secret, token = "ASIAEXPIREDEXPIRED12", "s" * 40, "IQoJb3JpZ2luX2VjEXPIRED"
    session = {"AccessKeyId": key, "SecretAccessKey": secret, "SessionToken": token, "RoleArn": ROLE,
               "SessionName": "old", "AssumedRoleArn": "arn:aws:sts::123456789012:assumed-role/fn-role/old",
               "AssumedRoleId": "AROAEXAMPLE:old", "ExpirationMs": int(time.time() * 1000) - 60_000}
    db = sqlite3.connect(os.path.join(d, "account.db"))
    db.execute("INSERT INTO resources (kind, id, json) VALUES ('role_sessions', ?, ?)", (key, json.dumps(session)))
    db.commit()
    db.close()
    with tnserver.Server(state_dir=d) as s:
        with pytest.raises(ClientError) as e:
            s.client("sts", key=key, secret=secret, aws_session_token=token).get_caller_identity()
        assert e.value.response["Error"]["Code"] == "ExpiredToken"
        assert e.value.response["Error"]["Message"] == "The security token included in the request is expired"
        with pytest.raises(ClientError) as e:
            s.client("lambda", key=key, secret=secret, aws_session_token=token).list_functions()
        assert (e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]) == (
            "ExpiredTokenException", 403)


def test_a_package_larger_than_other_requests_may_be_is_accepted(lam):
    """Lambda takes zips up to 50 MB directly; other requests are capped at 1 MiB."""
    blob = os.urandom(3 << 20)  # incompressible: the zip stays over 3 MB
    package = zip_of({"app.py": HANDLER, "data.bin": blob.hex()[: 3 << 20]})
    assert len(package) > 1 << 20
    conf = lam.create_function(FunctionName="big", Runtime="python3.12", Role=ROLE, Handler="app.handler",
                               Code={"ZipFile": package})
    assert conf["CodeSize"] == len(package)
    lam.delete_function(FunctionName="big")
