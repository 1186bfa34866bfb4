"""One `tasknet serve` process for a test or a bench: its own state folder,
its own port, readiness by `GET /_tasknet/health`, and a kill that always
happens (the caller uses it as a context manager or calls stop())."""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("TASKNET_BIN", os.path.join(ROOT, "target", "debug", "tasknet"))
REGION = "us-east-1"
KEY, SECRET = "test", "test"

# `tasknet serve --port 0` binds a port the kernel picks (no race with other
# tests or builders on this machine) and says which on stderr.
_LISTENING = re.compile(r"serving AWS on (http://[0-9.]+:[0-9]+)")


def fresh_state_dir():
    return tempfile.mkdtemp(prefix="tasknet-wire-")


def deploy_example(state_dir):
    """The example stack, deployed by the CLI into `state_dir` (before a
    server holds the store's lock)."""
    with open(os.path.join(ROOT, "examples/todobackend/dev.cfg")) as f:
        overrides = f.read().split()
    cmd = [BIN, "deploy", "--template-file", os.path.join(ROOT, "examples/todobackend/stack.yml"),
           "--stack-name", "todobackend", "--parameter-overrides", *overrides,
           "--capabilities", "CAPABILITY_NAMED_IAM",
           # No function runs here: the custom resources' outputs are given.
           "--custom-outputs", "file://" + os.path.join(ROOT, "examples/todobackend/custom-outputs.json")]
    env = dict(os.environ, TASKNET_STATE_DIR=state_dir)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"tasknet deploy failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")


class Server:
    def __init__(self, state_dir=None, keep_state=False, args=()):
        self.state_dir = state_dir or fresh_state_dir()
        # More of `serve`'s flags (e.g. `--runtime FILE`).
        self.args = list(args)
        # The state folder is removed at cleanup unless asked to keep it.
        self.keep_state = keep_state
        self.proc = None
        self.url = None
        self.log_path = None
        self.started_at = None
        self.ready_secs = None

    def start(self, timeout=30.0):
        self.log_path = os.path.join(self.state_dir, f"serve-{int(time.time() * 1e6)}.log")
        log = open(self.log_path, "w")
        env = dict(os.environ, TASKNET_STATE_DIR=self.state_dir, RUST_LOG=os.environ.get("RUST_LOG", "warn"))
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen([BIN, "serve", "--port", "0", "--bind", "127.0.0.1", *self.args],
                                     stdout=log, stderr=log, env=env, start_new_session=True)
        log.close()
        deadline = self.started_at + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"tasknet serve exited {self.proc.returncode}:\n{self.log()}")
            if self.url is None:
                m = _LISTENING.search(self.log())
                if m:
                    self.url = m.group(1)
            if self.url is not None and self.health() == 200:
                self.ready_secs = time.monotonic() - self.started_at
                return self
            time.sleep(0.01)  # polling the readiness check itself, not a guess at a delay
        self.stop()
        raise RuntimeError(f"tasknet serve was not healthy within {timeout}s:\n{self.log()}")

    def health(self):
        try:
            with urllib.request.urlopen(self.url + "/_tasknet/health", timeout=2) as r:
                return r.status
        except (urllib.error.URLError, ConnectionError, OSError):
            return None

    def operations(self):
        with urllib.request.urlopen(self.url + "/_tasknet/operations", timeout=5) as r:
            return json.loads(r.read())

    def log(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except OSError:
            return ""

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return None

    def kill9(self):
        """SIGKILL, no chance to save or clean up (the durability test)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def cleanup(self):
        self.stop()
        if not self.keep_state:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    def client(self, service, **kw):
        import boto3
        from botocore.config import Config
        cfg = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30,
                     max_pool_connections=kw.pop("pool", 10))
        return boto3.session.Session().client(
            service, endpoint_url=self.url, region_name=kw.pop("region", REGION),
            aws_access_key_id=kw.pop("key", KEY), aws_secret_access_key=kw.pop("secret", SECRET),
            config=cfg, **kw)
