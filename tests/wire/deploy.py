"""`aws cloudformation deploy` of the example against an endpoint, as a
user would type it (the CLI from the pinned venv)."""

import os
import subprocess
import time

import tnserver


def aws_env(url):
    env = dict(os.environ, AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID=tnserver.KEY,
               AWS_SECRET_ACCESS_KEY=tnserver.SECRET, AWS_DEFAULT_REGION=tnserver.REGION,
               AWS_MAX_ATTEMPTS="1")
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        env.pop(k, None)
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
    return env


# The example's database password, in the secret the chapter creates before the stack.
EXAMPLE_PASSWORD = "todobackend-pw-1"


def create_example_secret(url):
    """`aws secretsmanager create-secret --name todobackend/credentials …`, as the chapter does first."""
    out = subprocess.run(["aws", "secretsmanager", "create-secret", "--name", "todobackend/credentials",
                          "--secret-string", '{"MYSQL_USER":"todobackend","MYSQL_PASSWORD":"%s"}' % EXAMPLE_PASSWORD],
                         env=aws_env(url), capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"create-secret failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")


def aws_cloudformation_deploy(url, stack="todobackend"):
    """Runs the deploy; returns its wall time in seconds."""
    with open(os.path.join(tnserver.ROOT, "examples/todobackend/dev.cfg")) as f:
        overrides = f.read().split()
    cmd = ["aws", "cloudformation", "deploy",
           "--template-file", os.path.join(tnserver.ROOT, "examples/todobackend/stack.yml"),
           "--stack-name", stack, "--parameter-overrides", *overrides,
           "--capabilities", "CAPABILITY_NAMED_IAM"]
    t = time.monotonic()
    out = subprocess.run(cmd, env=aws_env(url), capture_output=True, text=True, timeout=300)
    took = time.monotonic() - t
    if out.returncode != 0:
        raise RuntimeError(f"aws cloudformation deploy failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return took


def aws_cloudformation_deploy_template(url, template_path, stack, overrides=()):
    """`aws cloudformation deploy` of any template file with `Key=Value` overrides; returns the CLI's result."""
    cmd = ["aws", "cloudformation", "deploy", "--template-file", template_path, "--stack-name", stack,
           "--no-fail-on-empty-changeset"]
    if overrides:
        cmd += ["--parameter-overrides", *overrides]
    return subprocess.run(cmd, env=aws_env(url), capture_output=True, text=True, timeout=300)
