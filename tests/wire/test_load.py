"""Load and durability: 16 threads, each with its own boto3 clients, make
10,000 mixed calls (reads: EC2 DescribeSubnets, ECS DescribeTasks and
ListClusters, STS GetCallerIdentity; writes: ECS RunTask and StopTask on the
example's cluster, and EC2 AuthorizeSecurityGroupIngress of distinct rules
once it is implemented) with no error, every write found afterwards. Then a
`kill -9` in the middle of such a load: every write that got its 200 is
there after a restart on the same state folder."""

import threading
import time

import pytest

import tnserver

THREADS = 16
CALLS = 10_000
# A bridge task definition with a port (so RunTask needs no network
# configuration, and its task runs until told to stop: a one-off task with
# a command and no ports, such as the example's migration, ends by itself).
TASK_DEF = "tasknet-load"
DEADLINE_SECS = 150


def _clients(server):
    return {s: server.client(s, pool=2) for s in ("ec2", "ecs", "sts")}


class Worker:
    """One client's share of the load; every acknowledged write recorded."""

    def __init__(self, server, cluster, n, index, group, known_task, stop_at):
        self.c = _clients(server)
        self.cluster, self.n, self.index, self.group = cluster, n, index, group
        self.known_task = known_task
        self.stop_at = stop_at
        self.ran, self.stopped, self.rules = [], [], []
        self.errors = []
        self.calls = 0

    def step(self, j):
        ecs, ec2, sts = self.c["ecs"], self.c["ec2"], self.c["sts"]
        k = j % 20
        if k == 0:
            out = ecs.run_task(cluster=self.cluster, taskDefinition=TASK_DEF, count=1,
                               startedBy=f"load-{self.index}")
            assert not out["failures"], out["failures"]
            self.ran.append(out["tasks"][0]["taskArn"])
        elif k == 10 and len(self.ran) > len(self.stopped) + 1:
            arn = self.ran[len(self.stopped)]
            ecs.stop_task(cluster=self.cluster, task=arn, reason="load test")
            self.stopped.append(arn)
        elif k == 5 and self.group:
            # A distinct rule per call: the port encodes thread and step.
            port = 10_000 + self.index * 1000 + j // 20
            ec2.authorize_security_group_ingress(GroupId=self.group, IpPermissions=[{
                "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                "IpRanges": [{"CidrIp": "198.51.100.0/24"}]}])
            self.rules.append(port)
        elif k < 8:
            assert ec2.describe_subnets()["Subnets"]
        elif k < 13:
            arn = self.ran[-1] if self.ran else self.known_task
            out = ecs.describe_tasks(cluster=self.cluster, tasks=[arn])
            assert not out["failures"], out["failures"]
        elif k < 17:
            assert ecs.list_clusters()["clusterArns"]
        else:
            assert sts.get_caller_identity()["Account"]
        self.calls += 1

    def run(self):
        for j in range(self.n):
            if time.monotonic() > self.stop_at:
                self.errors.append(f"thread {self.index}: out of time after {j} calls")
                return
            try:
                self.step(j)
            except Exception as e:  # noqa: BLE001 - every failure is reported, none hidden
                self.errors.append(f"thread {self.index} call {j}: {type(e).__name__}: {e}")
                if len(self.errors) > 5:
                    return


def _setup():
    d = tnserver.fresh_state_dir()
    tnserver.deploy_example(d)
    return d


def _facts(server):
    ecs = server.client("ecs")
    ecs.register_task_definition(family=TASK_DEF, containerDefinitions=[{
        "name": "web", "image": "nginx", "cpu": 5, "memoryReservation": 5, "essential": True,
        "portMappings": [{"containerPort": 80, "hostPort": 0}]}])
    cluster = ecs.list_clusters()["clusterArns"][0]
    tasks = ecs.list_tasks(cluster=cluster)["taskArns"]
    group = None
    if "AuthorizeSecurityGroupIngress" in server.operations()["ec2"]:
        groups = server.client("ec2").describe_security_groups()["SecurityGroups"]
        group = next(g["GroupId"] for g in groups if g["GroupName"] == "default")
    return cluster, tasks[0], group


def _check_tasks(server, cluster, ran, stopped):
    """Every acknowledged RunTask is there and still meant to run; every
    acknowledged StopTask took: its task is not meant to run any more.
    (AWS keeps stopped tasks describable for at least an hour of its clock.
    Under `tasknet serve` each of the thousand writes here plays its change
    out in simulated time, seconds each, so by the end the clock has passed
    that hour for the first ones: a stopped task may be STOPPED or MISSING
    here, never RUNNING. test_a_stopped_task_is_still_described_a_few_writes_later
    holds the hour for a few writes.)"""
    ecs = server.client("ecs")
    found, missing = {}, []
    for i in range(0, len(ran), 100):
        out = ecs.describe_tasks(cluster=cluster, tasks=ran[i:i + 100])
        missing += [f["arn"] for f in out["failures"]]
        found.update({t["taskArn"]: t for t in out["tasks"]})
    lost = [a for a in missing if a not in stopped]
    assert not lost, f"{len(lost)} of {len(ran)} acknowledged RunTask tasks are missing, e.g. {lost[:3]}"
    for arn in ran:
        if arn in stopped:
            assert arn not in found or found[arn]["desiredStatus"] == "STOPPED", (arn, found[arn])
        else:
            assert found[arn]["desiredStatus"] == "RUNNING", (arn, found[arn]["desiredStatus"])


# Each ECS write plays its change out only until the account is settled, so
# successive RunTask answers made a moment apart are stamped a moment apart
# (it used to carry the clock 15 minutes ahead every time).
def test_two_run_tasks_a_moment_apart_are_stamped_a_moment_apart(loaded):
    cluster, _, _ = _facts(loaded)
    ecs = loaded.client("ecs")
    first = ecs.run_task(cluster=cluster, taskDefinition=TASK_DEF, count=1)["tasks"][0]["createdAt"]
    second = ecs.run_task(cluster=cluster, taskDefinition=TASK_DEF, count=1)["tasks"][0]["createdAt"]
    assert abs((second - first).total_seconds()) < 60, (first, second)


# ECS's DescribeTasks reference says "stopped tasks appear in the returned
# results for at least one hour" (the tasks-stopped waiter relies on it); a
# few more writes must not carry the clock past that.
def test_a_stopped_task_is_still_described_a_few_writes_later(loaded):
    cluster, _, _ = _facts(loaded)
    ecs = loaded.client("ecs")
    arn = ecs.run_task(cluster=cluster, taskDefinition=TASK_DEF, count=1)["tasks"][0]["taskArn"]
    ecs.stop_task(cluster=cluster, task=arn, reason="still described?")
    assert ecs.describe_tasks(cluster=cluster, tasks=[arn])["tasks"][0]["desiredStatus"] == "STOPPED"
    for _ in range(5):
        ecs.run_task(cluster=cluster, taskDefinition=TASK_DEF, count=1)
    out = ecs.describe_tasks(cluster=cluster, tasks=[arn])
    assert out["failures"] == []
    assert out["tasks"][0]["desiredStatus"] == "STOPPED"


def _ingress_ports(server, group):
    g = server.client("ec2").describe_security_groups(GroupIds=[group])["SecurityGroups"][0]
    return {p.get("FromPort") for p in g["IpPermissions"]}


@pytest.fixture(scope="module")
def loaded():
    s = tnserver.Server(state_dir=_setup(), keep_state=False)
    with s:
        yield s


def test_ten_thousand_mixed_calls_from_sixteen_clients(loaded):
    cluster, known, group = _facts(loaded)
    stop_at = time.monotonic() + DEADLINE_SECS
    workers = [Worker(loaded, cluster, CALLS // THREADS, i, group, known, stop_at) for i in range(THREADS)]
    threads = [threading.Thread(target=w.run) for w in workers]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE_SECS + 30)
    took = time.monotonic() - t0
    errors = [e for w in workers for e in w.errors]
    assert not errors, "\n".join(errors[:20])
    assert sum(w.calls for w in workers) == CALLS
    ran = [a for w in workers for a in w.ran]
    stopped = {a for w in workers for a in w.stopped}
    assert len(ran) == len(set(ran)) == THREADS * len(range(0, CALLS // THREADS, 20))
    _check_tasks(loaded, cluster, ran, stopped)
    if group:
        ports = _ingress_ports(loaded, group)
        missing = [p for w in workers for p in w.rules if p not in ports]
        assert not missing, f"ingress rules acknowledged but absent: {missing[:10]}"
    print(f"\n{CALLS} calls from {THREADS} clients in {took:.1f}s ({CALLS / took:.0f}/s), "
          f"{len(ran)} RunTask, {len(stopped)} StopTask")


def test_kill_9_in_the_middle_of_a_load_loses_no_acknowledged_write():
    d = _setup()
    s = tnserver.Server(state_dir=d, keep_state=True)
    try:
        s.start()
        cluster, known, group = _facts(s)
        stop_at = time.monotonic() + 60
        workers = [Worker(s, cluster, 4000, i, group, known, stop_at) for i in range(8)]
        threads = [threading.Thread(target=w.run) for w in workers]
        for t in threads:
            t.start()
        # Kill once enough writes were acknowledged, while all threads still work.
        deadline = time.monotonic() + 60
        while sum(len(w.ran) + len(w.stopped) for w in workers) < 120 and time.monotonic() < deadline:
            assert all(t.is_alive() for t in threads), [w.errors for w in workers]
            time.sleep(0.02)  # polling the workers' progress, not waiting for a guess
        assert all(t.is_alive() for t in threads), "the load ended before the kill"
        s.kill9()
        for t in threads:
            t.join(30)
        ran = [a for w in workers for a in w.ran]
        stopped = {a for w in workers for a in w.stopped}
        rules = [p for w in workers for p in w.rules]
        assert len(ran) + len(stopped) >= 120

        s.url = None
        s.start()
        assert "rolled back" not in s.log(), s.log()
        _check_tasks(s, cluster, ran, stopped)
        if group:
            ports = _ingress_ports(s, group)
            assert all(p in ports for p in rules)
        # The reopened store takes writes and keeps them across a clean stop.
        out = s.client("ecs").run_task(cluster=cluster, taskDefinition=TASK_DEF, count=1)
        after = out["tasks"][0]["taskArn"]
        listed = sorted(s.client("ecs").list_tasks(cluster=cluster)["taskArns"])
        s.stop()
        s.url = None
        s.start()
        assert sorted(s.client("ecs").list_tasks(cluster=cluster)["taskArns"]) == listed
        assert after in listed
    finally:
        s.keep_state = False
        s.cleanup()
