"""CloudWatch Logs judged by boto3 and the aws CLI (v1): groups, streams,
events with their tokens and pagination, filter patterns, AWS's errors as
the client's own exception classes, and what `aws logs tail` does.

The pinned CLI is v1 (1.46.3), which has no `aws logs tail` (a v2
customization). v2's tail is FilterLogEvents with `interleaved` and
`startTime` (`--since`, default 10 minutes) through the paginator, printing
`<timestamp isoformat> <stream> <message>`, and for `--follow` the same
call again every 5 s from the newest timestamp seen; `tail_v2` below makes
exactly those calls, and `tasknet logs` must print the same lines."""

import datetime
import json
import os
import subprocess
import time

import pytest

import tnserver
from deploy import aws_cloudformation_deploy_template, aws_env

GROUP = "/tasknet/test-logs"


def now_ms():
    return int(time.time() * 1000)


@pytest.fixture(scope="module")
def logs(server):
    return server.client("logs")


@pytest.fixture(scope="module")
def filled(logs):
    """A group with two streams of events a second apart, interleaved."""
    logs.create_log_group(logGroupName=GROUP, tags={"team": "web"})
    t = now_ms() - 60_000
    for name, offset in (("web/app/1", 0), ("worker/app/1", 500)):
        logs.create_log_stream(logGroupName=GROUP, logStreamName=name)
        events = [{"timestamp": t + offset + i * 1000, "message": f"{name} line {i}{' ERROR' if i == 3 else ''}"}
                  for i in range(30)]
        out = logs.put_log_events(logGroupName=GROUP, logStreamName=name, logEvents=events)
        assert "rejectedLogEventsInfo" not in out
    return t


def test_groups_describe_with_prefix_pattern_and_pages(logs, filled):
    for i in range(3):
        logs.create_log_group(logGroupName=f"/tasknet/pages/{i}")
    first = logs.describe_log_groups(logGroupNamePrefix="/tasknet/pages/", limit=2)
    assert [g["logGroupName"] for g in first["logGroups"]] == ["/tasknet/pages/0", "/tasknet/pages/1"]
    rest = logs.describe_log_groups(logGroupNamePrefix="/tasknet/pages/", nextToken=first["nextToken"])
    assert [g["logGroupName"] for g in rest["logGroups"]] == ["/tasknet/pages/2"] and "nextToken" not in rest
    paged = [g["logGroupName"] for p in logs.get_paginator("describe_log_groups").paginate(
        logGroupNamePrefix="/tasknet/", PaginationConfig={"PageSize": 1}) for g in p["logGroups"]]
    assert GROUP in paged and len(paged) == 4
    g = logs.describe_log_groups(logGroupNamePattern="TEST-LOGS")["logGroups"]
    assert [x["logGroupName"] for x in g] == [GROUP]
    assert g[0]["arn"] == f"arn:aws:logs:us-east-1:123456789012:log-group:{GROUP}:*"
    assert g[0]["storedBytes"] > 0 and isinstance(g[0]["creationTime"], int)
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException) as e:
        logs.create_log_group(logGroupName=GROUP)
    assert e.value.response["Error"]["Message"] == "The specified log group already exists"


def test_retention_policy(logs, filled):
    logs.put_retention_policy(logGroupName=GROUP, retentionInDays=14)
    assert logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"][0]["retentionInDays"] == 14
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.put_retention_policy(logGroupName=GROUP, retentionInDays=10)
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        logs.put_retention_policy(logGroupName="/tasknet/none", retentionInDays=1)
    assert e.value.response["Error"]["Message"] == "The specified log group does not exist."
    logs.delete_retention_policy(logGroupName=GROUP)
    assert "retentionInDays" not in logs.describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"][0]


def test_streams_order_and_errors(logs, filled):
    by_name = logs.describe_log_streams(logGroupName=GROUP)["logStreams"]
    assert [s["logStreamName"] for s in by_name] == ["web/app/1", "worker/app/1"]
    newest = logs.describe_log_streams(logGroupName=GROUP, orderBy="LastEventTime", descending=True, limit=1)
    assert newest["logStreams"][0]["logStreamName"] == "worker/app/1" and "nextToken" in newest
    s = by_name[0]
    assert s["firstEventTimestamp"] == filled and s["lastEventTimestamp"] == filled + 29_000
    assert s["arn"].endswith(f":log-group:{GROUP}:log-stream:web/app/1")
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.describe_log_streams(logGroupName=GROUP, orderBy="LastEventTime", logStreamNamePrefix="web")
    assert e.value.response["Error"]["Message"] == "Cannot order by LastEventTime with a logStreamNamePrefix."
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_stream(logGroupName=GROUP, logStreamName="web/app/1")
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as e:
        logs.put_log_events(logGroupName=GROUP, logStreamName="nope",
                            logEvents=[{"timestamp": now_ms(), "message": "x"}])
    assert e.value.response["Error"]["Message"] == "The specified log stream does not exist."
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_put_log_events_rules(logs, filled):
    logs.create_log_stream(logGroupName=GROUP, logStreamName="rules")
    t = now_ms()
    with pytest.raises(logs.exceptions.InvalidParameterException) as e:
        logs.put_log_events(logGroupName=GROUP, logStreamName="rules",
                            logEvents=[{"timestamp": t, "message": "b"}, {"timestamp": t - 1, "message": "a"}])
    assert e.value.response["Error"]["Message"] == \
        "Log events in a single PutLogEvents request must be in chronological order."
    out = logs.put_log_events(logGroupName=GROUP, logStreamName="rules", logEvents=[
        {"timestamp": t - 15 * 86_400_000, "message": "too old"},
        {"timestamp": t - 14 * 86_400_000 - 60_000, "message": "too old too"}])
    assert out["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 1}
    out = logs.put_log_events(logGroupName=GROUP, logStreamName="rules", logEvents=[
        {"timestamp": t, "message": "fine"}, {"timestamp": t + 3 * 3_600_000, "message": "too new"}])
    assert out["rejectedLogEventsInfo"] == {"tooNewLogEventStartIndex": 1}
    got = logs.get_log_events(logGroupName=GROUP, logStreamName="rules")["events"]
    assert [e["message"] for e in got] == ["fine"]
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.put_log_events(logGroupName=GROUP, logStreamName="rules",
                            logEvents=[{"timestamp": t, "message": "x" * 1_048_576}])
    logs.delete_log_stream(logGroupName=GROUP, logStreamName="rules")


def test_get_log_events_tokens(logs, filled):
    head = logs.get_log_events(logGroupName=GROUP, logStreamName="web/app/1", startFromHead=True, limit=10)
    assert [e["message"] for e in head["events"]][:2] == ["web/app/1 line 0", "web/app/1 line 1"]
    assert head["nextForwardToken"].startswith("f/") and head["nextBackwardToken"].startswith("b/")
    seen, token = [], None
    while True:
        kw = {"nextToken": token} if token else {"startFromHead": True}
        page = logs.get_log_events(logGroupName=GROUP, logStreamName="web/app/1", limit=7, **kw)
        seen += [e["message"] for e in page["events"]]
        if page["nextForwardToken"] == token:
            break
        token = page["nextForwardToken"]
    assert len(seen) == 30 and seen == sorted(seen, key=lambda m: int(m.split()[2]))
    tail = logs.get_log_events(logGroupName=GROUP, logStreamName="web/app/1", limit=5)
    assert [e["message"].split()[-1] for e in tail["events"]] == ["25", "26", "27", "28", "29"]
    back = logs.get_log_events(logGroupName=GROUP, logStreamName="web/app/1", limit=5,
                               nextToken=tail["nextBackwardToken"])
    assert [e["message"].split()[-1] for e in back["events"]] == ["20", "21", "22", "23", "24"]
    window = logs.get_log_events(logGroupName=GROUP, logStreamName="web/app/1", startFromHead=True,
                                 startTime=filled + 5000, endTime=filled + 8000)
    assert [e["message"].split()[-1] for e in window["events"]] == ["5", "6", "7"]
    assert all(isinstance(e["ingestionTime"], int) for e in window["events"])


def test_filter_log_events_patterns_and_pages(logs, filled):
    allev = [e for p in logs.get_paginator("filter_log_events").paginate(
        logGroupName=GROUP, PaginationConfig={"PageSize": 11}) for e in p["events"]]
    assert len(allev) == 60
    assert [e["timestamp"] for e in allev] == sorted(e["timestamp"] for e in allev), "interleaved by time"
    assert allev[0]["logStreamName"] == "web/app/1" and allev[1]["logStreamName"] == "worker/app/1"
    assert len({e["eventId"] for e in allev}) == 60
    err = logs.filter_log_events(logGroupName=GROUP, filterPattern="ERROR")["events"]
    assert [e["logStreamName"] for e in err] == ["web/app/1", "worker/app/1"]
    one = logs.filter_log_events(logGroupName=GROUP, filterPattern="ERROR -worker")["events"]
    assert [e["logStreamName"] for e in one] == ["web/app/1"]
    either = logs.filter_log_events(logGroupName=GROUP, filterPattern='?"line 11" ?"line 22"',
                                    logStreamNames=["web/app/1"])["events"]
    assert [e["message"] for e in either] == ["web/app/1 line 11", "web/app/1 line 22"]
    pre = logs.filter_log_events(logGroupName=GROUP, logStreamNamePrefix="worker", startTime=filled + 20_000)
    assert {e["logStreamName"] for e in pre["events"]} == {"worker/app/1"} and len(pre["events"]) == 10
    logs.create_log_stream(logGroupName=GROUP, logStreamName="json")
    logs.put_log_events(logGroupName=GROUP, logStreamName="json", logEvents=[
        {"timestamp": now_ms(), "message": json.dumps({"level": "ERROR", "status": 503})},
        {"timestamp": now_ms(), "message": json.dumps({"level": "INFO", "status": 200})}])
    js = logs.filter_log_events(logGroupName=GROUP, filterPattern='{ $.status >= 500 }')["events"]
    assert [json.loads(e["message"])["level"] for e in js] == ["ERROR"]
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.filter_log_events(logGroupName="/tasknet/none")


def test_tags(logs, filled):
    arn = f"arn:aws:logs:us-east-1:123456789012:log-group:{GROUP}"
    assert logs.list_tags_log_group(logGroupName=GROUP)["tags"] == {"team": "web"}
    logs.tag_resource(resourceArn=arn, tags={"env": "dev"})
    assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "web", "env": "dev"}
    logs.untag_resource(resourceArn=arn, tagKeys=["env"])
    assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "web"}


def tail_v2(logs, group, since_ms):
    """`aws logs tail GROUP --since …` of CLI v2: its calls and its lines."""
    lines = []
    for page in logs.get_paginator("filter_log_events").paginate(
            logGroupName=group, interleaved=True, startTime=since_ms):
        for e in page["events"]:
            ts = datetime.datetime.fromtimestamp(e["timestamp"] / 1000.0, datetime.timezone.utc)
            lines.append(f"{ts.isoformat()} {e['logStreamName']} {e['message'].rstrip()}")
    return lines


def tasknet(server, *args, timeout=30):
    env = dict(os.environ, TASKNET_STATE_DIR=server.state_dir)
    return subprocess.run([tnserver.BIN, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_aws_logs_tail_calls_and_tasknet_logs_prints_the_same(logs, server, filled):
    expected = tail_v2(logs, GROUP, filled + 25_000)
    assert expected[0].split(" ", 2)[1:] == ["web/app/1", "web/app/1 line 25"]
    assert sum(1 for line in expected if " line " in line) == 10
    # --since 10m (the default) from now takes all of the events put a minute ago.
    assert len(tail_v2(logs, GROUP, now_ms() - 600_000)) >= 60
    out = tasknet(server, "logs", GROUP, "--since", "10m")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == tail_v2(logs, GROUP, now_ms() - 600_000)
    # A relative --since of 35 s: the last events only (v2 subtracts from the wall clock too).
    recent = tasknet(server, "logs", GROUP, "--since", "35s").stdout.splitlines()
    assert 0 < len(recent) < 60 and all(line in out.stdout.splitlines() for line in recent)
    missing = tasknet(server, "logs", "/tasknet/none")
    assert missing.returncode != 0 and "The specified log group does not exist." in missing.stderr


def test_tasknet_logs_follow_prints_new_events(logs, server, filled):
    logs.create_log_stream(logGroupName=GROUP, logStreamName="follow")
    env = dict(os.environ, TASKNET_STATE_DIR=server.state_dir)
    proc = subprocess.Popen([tnserver.BIN, "logs", GROUP, "--since", "1s", "--follow", "--interval", "0.2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.0)
        logs.put_log_events(logGroupName=GROUP, logStreamName="follow",
                            logEvents=[{"timestamp": now_ms(), "message": "followed line"}])
        deadline = time.monotonic() + 15
        line = ""
        while time.monotonic() < deadline and "followed line" not in line:
            line = proc.stdout.readline()
        assert "follow followed line" in line
    finally:
        proc.send_signal(2)
        proc.wait(timeout=10)
    assert proc.returncode == 0, proc.stderr.read()


def aws(server, *args):
    return subprocess.run(["aws", *args, "--output", "json"], env=aws_env(server.url),
                          capture_output=True, text=True, timeout=60)


def test_the_cli_reads_events(server, filled):
    out = aws(server, "logs", "filter-log-events", "--log-group-name", GROUP, "--interleaved",
              "--start-time", str(filled + 28_000), "--log-stream-names", "web/app/1")
    assert out.returncode == 0, out.stderr
    assert [e["message"] for e in json.loads(out.stdout)["events"]] == ["web/app/1 line 28", "web/app/1 line 29"]
    out = aws(server, "logs", "get-log-events", "--log-group-name", GROUP, "--log-stream-name", "web/app/1",
              "--start-from-head", "--limit", "3")
    assert [e["message"] for e in json.loads(out.stdout)["events"]][0] == "web/app/1 line 0"
    out = aws(server, "logs", "describe-log-streams", "--log-group-name", "/tasknet/none")
    # CLI v1 exits 255 on a service's error.
    assert out.returncode == 255 and "ResourceNotFoundException" in out.stderr
    assert "The specified log group does not exist." in out.stderr


TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Retention:
    Type: Number
    Default: 14
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /tasknet/stack-logs
      RetentionInDays: !Ref Retention
Outputs:
  Arn:
    Value: !GetAtt Logs.Arn
"""


def test_a_stack_makes_a_real_log_group_and_updates_its_retention(server, logs, tmp_path):
    path = tmp_path / "logs.yml"
    path.write_text(TEMPLATE)
    out = aws_cloudformation_deploy_template(server.url, str(path), "logs-stack")
    assert out.returncode == 0, out.stdout + out.stderr
    group = logs.describe_log_groups(logGroupNamePrefix="/tasknet/stack-logs")["logGroups"][0]
    assert group["retentionInDays"] == 14
    created = group["creationTime"]
    cfn = server.client("cloudformation")
    outputs = cfn.describe_stacks(StackName="logs-stack")["Stacks"][0]["Outputs"]
    assert outputs[0]["OutputValue"] == group["arn"]
    out = aws_cloudformation_deploy_template(server.url, str(path), "logs-stack", ["Retention=90"])
    assert out.returncode == 0, out.stdout + out.stderr
    group = logs.describe_log_groups(logGroupNamePrefix="/tasknet/stack-logs")["logGroups"][0]
    assert (group["retentionInDays"], group["creationTime"]) == (90, created)
    cfn.delete_stack(StackName="logs-stack")
    cfn.get_waiter("stack_delete_complete").wait(StackName="logs-stack", WaiterConfig={"Delay": 1})
    assert logs.describe_log_groups(logGroupNamePrefix="/tasknet/stack-logs")["logGroups"] == []
