"""Fixtures: a server per test module (its own state folder and port),
killed at the end even when a test failed."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import tnserver  # noqa: E402


@pytest.fixture(scope="module")
def server():
    """A fresh account, nothing deployed."""
    with tnserver.Server() as s:
        yield s


@pytest.fixture(scope="module")
def stack_server():
    """An account with the example stack: through the endpoint's own
    CloudFormation (`aws cloudformation deploy`) when it has change sets,
    else deployed by the CLI into the state folder before the server opens it."""
    probe = tnserver.Server()
    with probe:
        ops = probe.operations()
    cfn = set(ops.get("cloudformation", []))
    if {"CreateChangeSet", "ExecuteChangeSet", "DescribeChangeSet"} <= cfn:
        s = tnserver.Server()
        s.start()
        try:
            from deploy import aws_cloudformation_deploy, create_example_secret
            # The chapter's order: the secret first, then the stack, whose
            # custom resources run their own functions (Secrets, MigrateTask).
            create_example_secret(s.url)
            aws_cloudformation_deploy(s.url)
            s.deployed_by = "aws cloudformation deploy"
            yield s
        finally:
            s.cleanup()
    else:
        d = tnserver.fresh_state_dir()
        tnserver.deploy_example(d)
        s = tnserver.Server(state_dir=d, keep_state=False)
        s.deployed_by = "tasknet deploy"
        with s:
            yield s
