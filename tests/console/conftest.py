"""Fixtures: a `tasknet serve` with the example deployed (or the chapter's
question-4 variant), and a headless Chromium logged in to its console;
everything is killed at the end even when a test failed."""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(__file__)
sys.path.insert(0, os.path.join(HERE, "..", "wire"))

import tnserver  # noqa: E402

CHROMIUM = os.environ.get("TASKNET_CHROMIUM", "/usr/bin/chromium")
SHOTS = os.environ.get("TASKNET_SCREENSHOTS", os.path.join(tnserver.ROOT, "target", "console-screenshots"))
# What works on this machine's closed network (no background requests to Google's hosts).
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def deploy(state_dir, template):
    with open(os.path.join(tnserver.ROOT, "examples/todobackend/dev.cfg")) as f:
        overrides = f.read().split()
    cmd = [tnserver.BIN, "deploy", "--template-file", os.path.join(tnserver.ROOT, template),
           "--stack-name", "todobackend", "--parameter-overrides", *overrides,
           "--capabilities", "CAPABILITY_NAMED_IAM",
           "--custom-outputs", "file://" + os.path.join(tnserver.ROOT, "examples/todobackend/custom-outputs.json")]
    out = subprocess.run(cmd, env=dict(os.environ, TASKNET_STATE_DIR=state_dir), capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, f"deploy failed:\n{out.stdout}\n{out.stderr}"


def served(template):
    state = tnserver.fresh_state_dir()
    deploy(state, template)
    return tnserver.Server(state_dir=state)


@pytest.fixture(scope="module")
def example():
    with served("examples/todobackend/stack.yml") as s:
        yield s


@pytest.fixture(scope="module")
def question4():
    with served("examples/todobackend/broken/rules-on-instance-group.yml") as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


def login(browser, server, width=1280, height=800):
    """A new page logged in through the login form, as a user does; page errors are collected."""
    # The console's CSP forbids eval; Playwright's wait_for_function evaluates strings, so the test's own scripts bypass it.
    ctx = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.set_default_timeout(15000)
    page.goto(server.url + "/_console/")
    page.fill("#access-key", "test")
    page.fill("#secret-key", "test")
    page.click("button[type=submit]")
    page.wait_for_url("**/_console/")
    return page


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
