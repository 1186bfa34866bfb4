"""The wire endpoint's benchmark (scripts/bench-wire.sh runs it): requests
per second and p99 latency of EC2 DescribeSubnets, ECS DescribeTasks and
ListClusters against tasknet and against moto's server, on this machine in
the same run with the same client: wrk (C, keep-alive) replaying one
request signed by botocore's own SigV4 signer (a signature stays valid for
15 minutes; each measurement lasts seconds). The client's own ceiling is
measured against the cheapest answer there is (tasknet's health check).
Also: `aws cloudformation deploy` of the example (when the endpoint has
change sets), idle RSS and start time (process start to health 200)."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))

import rawhttp  # noqa: E402
import tnserver  # noqa: E402

SECS = int(os.environ.get("BENCH_SECS", "5"))
CONNS = int(os.environ.get("BENCH_CONNS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
ECS_TARGET = "AmazonEC2ContainerServiceV20141113"
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


def ecs_headers(op):
    return {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"{ECS_TARGET}.{op}"}


def lua_string(b):
    return '"' + "".join(c if c.isalnum() or c in " -_.:/=;,&{}[]()*+" else f"\\{ord(c)}" for c in b) + '"'


def wrk(url, method="POST", body=b"", headers=None, path="/"):
    """One wrk run; (requests/s, p99 ms, non-2xx count, requests)."""
    lines = [f"wrk.method = {lua_string(method)}", f"wrk.path = {lua_string(path)}"]
    if body:
        lines.append(f"wrk.body = {lua_string(body.decode())}")
    for k, v in (headers or {}).items():
        lines.append(f"wrk.headers[{lua_string(k)}] = {lua_string(v)}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        script = f.name
    try:
        out = subprocess.run(["wrk", f"-t{THREADS}", f"-c{CONNS}", f"-d{SECS}s", "--latency", "-s", script, url],
                             capture_output=True, text=True, timeout=SECS + 60).stdout
    finally:
        os.unlink(script)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Socket errors:.*", out)
    return rps, p99, int(bad.group(1)) if bad else 0, total, errors.group(0) if errors else ""


def signed_headers(url, service, body, headers):
    req, _ = rawhttp.signed(url, service, body, headers)
    h = {k: v for k, v in req.headers.items()}
    host = url.split("//", 1)[1]
    h["Host"] = host
    return h


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Moto:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self, timeout=60):
        exe = os.path.join(os.path.dirname(sys.executable), "moto_server")
        t0 = time.monotonic()
        self.proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError("moto_server exited")
            try:
                with urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=2) as r:
                    if r.status == 200:
                        self.ready_secs = time.monotonic() - t0
                        return self
            except OSError:
                pass
            time.sleep(0.05)  # polling moto's readiness
        raise RuntimeError("moto_server did not answer")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def client(self, service):
        import boto3
        return boto3.session.Session().client(service, endpoint_url=self.url, region_name=tnserver.REGION,
                                              aws_access_key_id="test", aws_secret_access_key="test")


def moto_task(m):
    """moto needs a cluster, a container instance and a task of its own for
    DescribeTasks (the instance's identity document as moto's own docs
    reads it: the EC2 instance's facts)."""
    ecs = m.client("ecs")
    ec2 = m.client("ec2")
    cluster = ecs.create_cluster(clusterName="bench")["cluster"]["clusterArn"]
    image = ec2.describe_images()["Images"][0]["ImageId"]
    inst = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]
    zone = inst["Placement"]["AvailabilityZone"]
    doc = json.dumps({"availabilityZone": zone, "region": zone[:-1], "instanceId": inst["InstanceId"],
                      "instanceType": inst["InstanceType"], "imageId": inst["ImageId"],
                      "privateIp": inst.get("PrivateIpAddress"), "accountId": "123456789012",
                      "architecture": "x86_64", "version": "2010-8-31"})
    ecs.register_container_instance(cluster="bench", instanceIdentityDocument=doc)
    ecs.register_task_definition(family="bench", containerDefinitions=[
        {"name": "app", "image": "nginx", "essential": True, "memory": 128, "cpu": 64}])
    out = ecs.run_task(cluster=cluster, taskDefinition="bench", count=1)
    return cluster, out["tasks"][0]["taskArn"]


def tasknet_task(s):
    ecs = s.client("ecs")
    cluster = ecs.list_clusters()["clusterArns"][0]
    return cluster, ecs.list_tasks(cluster=cluster)["taskArns"][0]


def measure(url, cluster, task):
    cases = {
        "EC2 DescribeSubnets": ("ec2", b"Action=DescribeSubnets&Version=2016-11-15", FORM),
        "ECS DescribeTasks": ("ecs", json.dumps({"cluster": cluster, "tasks": [task]}).encode(),
                              ecs_headers("DescribeTasks")),
        "ECS ListClusters": ("ecs", b"{}", ecs_headers("ListClusters")),
    }
    out = {}
    for name, (service, body, headers) in cases.items():
        # Checked once through a real client path first: a bench of errors is no bench.
        probe = rawhttp.send(url, body, signed_headers(url, service, body, headers))
        assert probe.status_code == 200, f"{name} at {url}: {probe.status_code} {probe.text[:300]}"
        out[name] = wrk(url, body=body, headers=signed_headers(url, service, body, headers))
    return out


def main():
    if not shutil.which("wrk"):
        sys.exit("bench-wire: wrk is not installed (apt-get install -y wrk)")
    rows = []
    # tasknet: start time and idle RSS on an empty account, then with the example.
    empty = tnserver.Server()
    with empty:
        rows.append(("tasknet start → health 200 (empty account)", f"{empty.ready_secs * 1000:.0f} ms", ""))
        rows.append(("tasknet idle RSS (empty account)", f"{empty.rss_kib() / 1024:.1f} MiB", ""))
        ops = empty.operations()
    d = tnserver.fresh_state_dir()
    tnserver.deploy_example(d)
    s = tnserver.Server(state_dir=d)
    m = Moto()
    try:
        s.start()
        rows.append(("tasknet start → health 200 (example deployed)", f"{s.ready_secs * 1000:.0f} ms", ""))
        time.sleep(0.5)  # idle means idle: let start-up allocations settle before reading RSS
        rows.append(("tasknet idle RSS (example deployed)", f"{s.rss_kib() / 1024:.1f} MiB", ""))
        m.start()
        rows.append(("moto_server start → first answer", f"{m.ready_secs * 1000:.0f} ms", ""))
        rows.append(("moto_server idle RSS", f"{rss_kib(m.proc.pid) / 1024:.1f} MiB", ""))
        ceiling = wrk(s.url, method="GET", path="/_tasknet/health")
        results = {"tasknet": measure(s.url, *tasknet_task(s)), "moto": measure(m.url, *moto_task(m))}
        rows.append(("tasknet RSS after the load", f"{s.rss_kib() / 1024:.1f} MiB", ""))
    finally:
        s.cleanup()
        shutil.rmtree(d, ignore_errors=True)
        m.stop()

    deploy = "not measured: CreateChangeSet is not implemented yet"
    if "CreateChangeSet" in ops.get("cloudformation", []):
        import deploy as dep
        with tnserver.Server() as fresh:
            dep.create_example_secret(fresh.url)
            # Its two custom resources run their functions, and the CLI's waiter polls every 30 s.
            deploy = f"{dep.aws_cloudformation_deploy(fresh.url):.2f} s"

    print(f"\nwrk -t{THREADS} -c{CONNS} -d{SECS}s, one request signed once and replayed; same machine, same run")
    print(f"{'measurement':<34} {'target':<8} {'req/s':>9} {'p99 ms':>8} {'non-2xx':>8}")
    print(f"{'client ceiling (GET /_tasknet/health)':<34} {'tasknet':<8} {ceiling[0]:>9.0f} {ceiling[1]:>8.2f} "
          f"{ceiling[2]:>8}")
    for name in results["tasknet"]:
        for target in ("tasknet", "moto"):
            rps, p99, bad, total, errs = results[target][name]
            print(f"{name:<34} {target:<8} {rps:>9.0f} {p99:>8.2f} {bad:>8} {errs}")
    print()
    for k, v, _ in rows:
        print(f"{k:<48} {v}")
    print(f"{'aws cloudformation deploy (example), wall time':<48} {deploy}")
    failed = [(t, n) for t, r in results.items() for n, v in r.items() if v[2]]
    if failed or ceiling[2]:
        sys.exit(f"bench-wire: non-2xx answers during the runs: {failed}")


if __name__ == "__main__":
    main()
