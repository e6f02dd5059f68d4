"""Learner mode (issue 17): ``make lab`` switches nbgrader's instructor menus off and keeps
solutions/ out of the file browser; ``make lab-instructor`` shows both. Checked on a real
JupyterLab started with the Makefile's own settings: the page configuration the browser
receives and the folder listing the file browser shows."""

from __future__ import annotations

import html
import json
import re
import secrets
import subprocess
import sys
import urllib.request

import pytest
from helpers import ROOT, free_port, jupyter_env, start_server, stop_server

pytestmark = pytest.mark.slow

# (the Nbgrader menu only opens those; with them off it would list blank items)
INSTRUCTOR_ONLY = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                   "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:assignment-list",
                   "@jupyter/nbgrader:menu"}


def _make_variable(name: str) -> str:
    """The value ``make`` gives a Makefile variable (what `make lab` really runs)."""
    out = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(ROOT), "-p", "-n", "help"],
                         capture_output=True, text=True).stdout
    m = re.search(rf"^{name} :?= (.*)$", out, flags=re.M)
    assert m, f"the Makefile no longer defines {name}"
    return m.group(1)


def _lab(tmp_path, learner: bool):
    (tmp_path / "solutions" / "ex01_antagonism").mkdir(parents=True)
    (tmp_path / "my_work").mkdir()
    port, token = free_port(), secrets.token_hex(8)
    env = jupyter_env()
    if learner:
        value = _make_variable("LEARNER_CONFIG").split("=", 1)[1].strip('"')
        env["JUPYTER_CONFIG_PATH"] = value.replace("$(CURDIR)", str(ROOT)).split("$(if")[0]
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", "--allow-root",
           f"--ServerApp.root_dir={tmp_path}"]
    base = f"http://127.0.0.1:{port}/"
    proc = start_server(cmd, f"{base}api/status?token={token}", env=env, what="JupyterLab")

    def get(path):
        with urllib.request.urlopen(f"{base}{path}?token={token}", timeout=30) as r:
            return r.read().decode()

    try:
        page = get("lab")
        data = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                         page, flags=re.S)
        config = json.loads(html.unescape(data.group(1)))
        listing = {item["name"] for item in json.loads(get("api/contents/"))["content"]}
    finally:
        stop_server(proc)
    disabled = config.get("disabledExtensions", {})
    disabled = set(disabled) if isinstance(disabled, (list, dict)) else set()
    return disabled, listing


def test_learner_mode_hides_instructor_menus_and_solutions(tmp_path):
    disabled, listing = _lab(tmp_path, learner=True)
    assert INSTRUCTOR_ONLY <= disabled, f"still on for learners: {INSTRUCTOR_ONLY - disabled}"
    assert "@jupyter/nbgrader:validate-assignment" not in disabled, "Validate stays for a class"
    assert "solutions" not in listing and "my_work" in listing


def test_instructor_mode_shows_everything(tmp_path):
    disabled, listing = _lab(tmp_path, learner=False)
    assert not INSTRUCTOR_ONLY & disabled
    assert "solutions" in listing
