"""The figures scripts/bench-in-vpc.sh prints (see there).

1. An SDK call from inside a task (examples/secret-reader: GetSecretValue
   with boto3's defaults, timed by the application itself) through the NAT
   gateway, then, with the NAT route deleted, through a Secrets Manager
   interface endpoint with private DNS: p50 and p90 of BENCH_CALLS calls each.
2. The start-time pull checks' cost per task start, simulated: the deploy of
   a 50-task service whose container has a secret against the same service
   without it, same binary, same run (best of 3 each).

Bounded: every wait has a deadline; `tasknet down` runs whatever happens.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "secret-reader"
BIN = os.environ.get("TASKNET_BIN", str(ROOT / "target" / "release" / "tasknet"))
CALLS = int(os.environ.get("BENCH_CALLS", "40"))
PORT = 14599


def tasknet(state, *args, check=True):
    env = dict(os.environ, TASKNET_STATE_DIR=str(state), NO_COLOR="1")
    r = subprocess.run([BIN, *args], cwd=EXAMPLE, env=env, capture_output=True, text=True, timeout=600)
    if check and r.returncode != 0:
        sys.exit(f"tasknet {' '.join(args)} failed:\n{r.stdout}{r.stderr}")
    return r


def aws(*args):
    env = dict(os.environ, AWS_ENDPOINT_URL=f"http://127.0.0.1:{PORT}", AWS_ACCESS_KEY_ID="test",
               AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
    r = subprocess.run([sys.executable, "-m", "awscli", *args, "--output", "json"], env=env,
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        sys.exit(f"aws {' '.join(args)} failed:\n{r.stdout}{r.stderr}")
    return json.loads(r.stdout or "null")


def lines(state):
    out = tasknet(state, "logs", "/ecs/secret-reader", "--since", "1h", check=False).stdout
    return [l for l in out.splitlines() if " ok " in f" {l}" or "timeout" in l]


def call_ms(state, skip, n, deadline_s):
    """The per-call milliseconds of the first n successful reads after `skip` log lines."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        got = [float(m.group(1)) for l in lines(state)[skip:] if (m := re.search(r"ok .* in ([0-9.]+) ms", l))]
        if len(got) >= n:
            return got[:n]
        time.sleep(1)
    sys.exit(f"only {len(got)} of {n} reads within {deadline_s} s")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def sdk_calls():
    state = Path(tempfile.mkdtemp(prefix="tn-bench-vpc-"))
    runtime = state / "runtime.toml"
    runtime.write_text(f'[images."secret-reader"]\nentry_point = ["{sys.executable}", "{EXAMPLE / "read_secret.py"}"]\n')
    tasknet(state, "deploy", "--template-file", "stack.yml", "--stack-name", "sr", "--capabilities", "CAPABILITY_NAMED_IAM")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in json.loads(tasknet(state, "describe", "stacks", "--output", "json").stdout)["Stacks"][0]["Outputs"]}
    try:
        tasknet(state, "up", "--detach", "--endpoint-port", str(PORT), "--runtime", str(runtime))
        nat = call_ms(state, 0, CALLS, 120 + CALLS * 3)
        aws("ec2", "delete-route", "--route-table-id", outputs["PrivateRouteTable"], "--destination-cidr-block", "0.0.0.0/0")
        sg = aws("ec2", "create-security-group", "--group-name", "sm-endpoint", "--description", "bench", "--vpc-id", outputs["VpcId"])["GroupId"]
        aws("ec2", "authorize-security-group-ingress", "--group-id", sg, "--ip-permissions",
            f"IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{{GroupId={outputs['AppSecurityGroup']}}}]")
        skip = len(lines(state))
        aws("ec2", "create-vpc-endpoint", "--vpc-id", outputs["VpcId"], "--vpc-endpoint-type", "Interface",
            "--service-name", "com.amazonaws.us-east-1.secretsmanager", "--subnet-ids", outputs["PrivateSubnet"],
            "--security-group-ids", sg, "--private-dns-enabled")
        endpoint = call_ms(state, skip, CALLS, 120 + CALLS * 3)
    finally:
        tasknet(state, "down", check=False)
    for name, ms in (("through the NAT gateway", nat), ("through the interface endpoint", endpoint)):
        print(f"GetSecretValue from a task {name}: p50 {pct(ms, 50):.1f} ms, p90 {pct(ms, 90):.1f} ms ({len(ms)} calls)")


def deploy_seconds(with_pulls):
    """Best of 3: a simulated deploy of a 50-task Fargate service, with its start-time
    pulls (a container secret, the awslogs stream) or without (both left out)."""
    text = (EXAMPLE / "stack.yml").read_text().replace("DesiredCount: 1", "DesiredCount: 50")
    if not with_pulls:
        text = re.sub(r"\n          Secrets:\n            - Name: DB_PASSWORD\n              ValueFrom: [^\n]+", "", text)
        text = re.sub(r"\n          LogConfiguration:\n(            [^\n]+\n)+", "\n", text)
        assert "awslogs" not in text.split("TaskDefinition:")[1].split("Service:")[0]
    best = None
    for _ in range(3):
        state = Path(tempfile.mkdtemp(prefix="tn-bench-pulls-"))
        (state / "stack.yml").write_text(text)
        start = time.monotonic()
        tasknet(state, "deploy", "--template-file", str(state / "stack.yml"), "--stack-name", "sr", "--capabilities", "CAPABILITY_NAMED_IAM")
        took = time.monotonic() - start
        best = took if best is None else min(best, took)
    return best


def pull_checks():
    plain = deploy_seconds(False)
    secret = deploy_seconds(True)
    print(f"deploy of 50 tasks: {plain * 1000:.0f} ms without start-time pulls, {secret * 1000:.0f} ms with a container "
          f"secret and the awslogs stream checked: {(secret - plain) * 1000 / 50:+.2f} ms per task start")


if __name__ == "__main__":
    pull_checks()
    sdk_calls()
