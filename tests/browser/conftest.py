"""The browser tests' fixtures: one JupyterLab and one browser per test file (so that the three
files run side by side under xdist), and each course notebook's page, run once per file."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

# the checks in browser_support.py report their values as the tests' own asserts do
pytest.register_assert_rewrite("browser_support")

from browser_support import CHROMIUM, VALIDATED, _open_and_run, _require_browser  # noqa: E402
from helpers import ROOT  # noqa: E402


@pytest.fixture(scope="module")
def lab():
    """JupyterLab on a free localhost port with a random token, serving a throw-away copy of the
    course (JupyterLab saves notebooks it runs; the checkout must stay clean).

    The copy is a small course root: nbgrader's Validate runs in the server and reads
    ``nbgrader_config.py`` from the server's working directory, so the server starts there."""
    _require_browser()
    served = Path(tempfile.mkdtemp(prefix="ntx-lab-root-"))
    shutil.copytree(ROOT / "course", served / "course")
    shutil.copy2(ROOT / "nbgrader_config.py", served / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / VALIDATED, served / "solutions" / VALIDATED)
    shutil.copytree(ROOT / "exercises", served / "exercises")  # every student version: scanned
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    workspaces = tempfile.mkdtemp(prefix="ntx-lab-ws-")
    # no "get notified about Jupyter news?" toast over the plots in the screenshots
    settings = Path(workspaces) / "settings"
    notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text('{"fetchNews": "false"}')
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
               JUPYTERLAB_SETTINGS_DIR=str(settings))
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={served}", f"--LabApp.workspaces_dir={workspaces}",
           "--LabApp.expose_app_in_browser=True", "--allow-root"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            cwd=served)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield url, token
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(workspaces, ignore_errors=True)
        shutil.rmtree(served, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    """One browser context for the module, as a learner has one browser: JupyterLab's scripts are
    fetched and compiled once and then come from its cache. (A new context per notebook loaded
    them again for each of the module's 12 pages.) Each page still has its own workspace."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        context = b.new_context(viewport={"width": 1400, "height": 1000})
        yield context
        context.close()
        b.close()


@pytest.fixture(scope="module")
def run_page(lab, browser):
    """Function: course notebook path -> its page, opened and run on first use, then reused."""
    pages = {}

    def get(path: Path):
        if path.name not in pages:
            pages[path.name] = _open_and_run(browser, lab, f"course/{path.name}")
        return pages[path.name]

    yield get
    for page in pages.values():
        page.close()
