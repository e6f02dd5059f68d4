"""The Jupyter server extension that serves plotly.js to every course figure, on a real server."""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
import urllib.error
import urllib.request

import plotly
import pytest
from helpers import free_port, jupyter_env, start_server, stop_server

from naltrexone_lab.widgets.figure import plotly_js_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    """A Jupyter server on 127.0.0.1 with a base URL (as on JupyterHub) and the extension on."""
    port, token = free_port(), secrets.token_hex(8)
    root = tempfile.mkdtemp(prefix="ntx-server-")
    cmd = [sys.executable, "-m", "jupyter", "server", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
           "--ServerApp.base_url=/user/learner/", f"--ServerApp.root_dir={root}", "--allow-root",
           '--ServerApp.jpserver_extensions={"naltrexone_lab": True}']
    base = f"http://127.0.0.1:{port}/user/learner/"
    proc = start_server(cmd, f"{base}api/status?token={token}", env=jupyter_env())
    try:
        yield base
    finally:
        stop_server(proc)
        shutil.rmtree(root, ignore_errors=True)


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
