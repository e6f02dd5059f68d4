"""The Jupyter server extension that serves plotly.js to every course figure, on a real server."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import plotly
import pytest

from naltrexone_lab.widgets.figure import plotly_js_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    """A Jupyter server on 127.0.0.1 with a base URL (as on JupyterHub) and the extension on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(8)
    root = tempfile.mkdtemp(prefix="ntx-server-")
    cmd = [sys.executable, "-m", "jupyter", "server", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
           "--ServerApp.base_url=/user/learner/", f"--ServerApp.root_dir={root}", "--allow-root",
           '--ServerApp.jpserver_extensions={"naltrexone_lab": True}']
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}/user/learner/"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("jupyter server did not start within 60 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_plotly_js_is_served_below_the_base_url_and_cacheable(server):
    url = f"{server}naltrexone-lab/static/plotly.min.js?v={plotly.__version__}"
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
        assert response.status == 200
        assert "javascript" in response.headers["Content-Type"]
        assert "max-age" in response.headers.get("Cache-Control", "")
    assert body == plotly_js_path().read_bytes()


def test_nothing_else_of_the_package_folder_is_served(server):
    for name in ("widgetbundle.js", "../__init__.py", "templates/plotly.json"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{server}naltrexone-lab/static/{name}", timeout=30)
        assert err.value.code in (403, 404)
