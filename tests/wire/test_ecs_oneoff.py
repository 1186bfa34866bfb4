"""One-off ECS tasks through boto3, as the book's migration custom
resource runs them: `run_task` of a task definition whose essential
container has a command and no ports, then boto3's `tasks_stopped`
waiter, then `tasks[0].containers[0].exitCode`. Without `up` the task runs
a few simulated seconds and exits with the code `serve --runtime`'s file
gives its image (default 0)."""

import os
import tempfile

import pytest

import tnserver

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/todobackend:migrate"


def run_migration(server, family="migrate", command=("python3", "manage.py", "migrate"), ports=()):
    ecs, ec2 = server.client("ecs"), server.client("ec2")
    ecs.create_cluster(clusterName="oneoff")
    container = {"name": "app", "image": IMAGE, "essential": True, "command": list(command),
                 "portMappings": [{"containerPort": p} for p in ports]}
    ecs.register_task_definition(family=family, networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                                 cpu="256", memory="512", containerDefinitions=[container])
    subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"] if s["DefaultForAz"]][:2]
    # The default VPC's subnets are public: without a public IP the task could not
    # reach ECR to pull its image (ResourceInitializationError), as on AWS.
    out = ecs.run_task(cluster="oneoff", taskDefinition=family, launchType="FARGATE", count=1,
                       networkConfiguration={"awsvpcConfiguration": {"subnets": subnets,
                                                                     "assignPublicIp": "ENABLED"}})
    assert not out["failures"], out["failures"]
    return ecs, out["tasks"][0]["taskArn"]


def wait_stopped(ecs, arn):
    ecs.get_waiter("tasks_stopped").wait(cluster="oneoff", tasks=[arn],
                                         WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    return ecs.describe_tasks(cluster="oneoff", tasks=[arn])["tasks"][0]


def test_the_waiter_ends_and_the_exit_code_is_zero(server):
    ecs, arn = run_migration(server)
    task = wait_stopped(ecs, arn)
    c = task["containers"][0]
    assert (c["lastStatus"], c["exitCode"]) == ("STOPPED", 0)
    assert task["lastStatus"] == "STOPPED" and task["desiredStatus"] == "STOPPED"
    assert task["stopCode"] == "EssentialContainerExited"
    assert task["stoppedReason"] == "Essential container in task exited"
    assert task["startedAt"] < task["stoppingAt"] <= task["executionStoppedAt"] <= task["stoppedAt"]


def test_a_task_with_ports_keeps_running(server):
    ecs, arn = run_migration(server, family="web", command=("gunicorn",), ports=(8000,))
    task = ecs.describe_tasks(cluster="oneoff", tasks=[arn])["tasks"][0]
    assert task["lastStatus"] == "RUNNING" and "exitCode" not in task["containers"][0]
    ecs.stop_task(cluster="oneoff", task=arn)


@pytest.fixture(scope="module")
def failing_server():
    """A server whose runtime file says the migration image exits 1."""
    fd, path = tempfile.mkstemp(suffix=".toml")
    with os.fdopen(fd, "w") as f:
        f.write('[images."todobackend"]\nexit_code = 1\nrun_seconds = 30\n')
    try:
        with tnserver.Server(args=["--runtime", path]) as s:
            yield s
    finally:
        os.unlink(path)


def test_the_runtime_file_gives_the_exit_code(failing_server):
    ecs, arn = run_migration(failing_server)
    task = wait_stopped(ecs, arn)
    assert task["containers"][0]["exitCode"] == 1
    assert task["stopCode"] == "EssentialContainerExited"
    run = (task["stoppingAt"] - task["startedAt"]).total_seconds()
    assert run == 30, run


def test_a_bad_runtime_file_stops_serve_before_it_listens(tmp_path):
    bad = tmp_path / "runtime.toml"
    bad.write_text('[images."x"]\nexit_code = 300\n')
    s = tnserver.Server(args=["--runtime", str(bad)])
    try:
        with pytest.raises(RuntimeError, match="exit_code: must be between 0 and 255"):
            s.start(timeout=10)
    finally:
        s.cleanup()
