"""The course in a real browser: Debian's Chromium driven by Playwright against JupyterLab.

In-kernel widget tests cannot see a widget that never renders or a plot whose colours the
front end dropped; these can. They skip, saying why, where Chromium or Playwright is missing;
``.ci/run`` installs Chromium so CI runs them. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
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
from helpers import COURSE_NOTEBOOKS, ROOT, rel

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"


def _require_browser():
    if CHROMIUM is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium; .ci/run does)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[dev]')")


@pytest.fixture(scope="module")
def lab():
    """JupyterLab on a free localhost port with a random token, serving a throw-away copy of the
    course (JupyterLab saves notebooks it runs; the checkout must stay clean)."""
    _require_browser()
    served = Path(tempfile.mkdtemp(prefix="ntx-lab-root-"))
    shutil.copytree(ROOT / "course", served / "course")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    workspaces = tempfile.mkdtemp(prefix="ntx-lab-ws-")
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={served}", f"--LabApp.workspaces_dir={workspaces}",
           "--allow-root"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
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
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def _open_and_run(browser, lab, notebook: str):
    url, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/lab/tree/{notebook}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook", state="attached", timeout=90_000)
    time.sleep(4)  # let the notebook render and the kernel connect
    page.keyboard.press("Control+Shift+C")  # command palette
    page.keyboard.type("Run All Cells")
    page.keyboard.press("Enter")
    return page


def _plot_count(page, expected: int) -> int:
    deadline = time.time() + 120
    count = 0
    while time.time() < deadline:
        count = page.locator(".js-plotly-plot").count()
        busy = page.locator(".jp-InputArea-prompt:has-text('[*]')").count()
        if count >= expected and busy == 0:
            return count
        time.sleep(1)
    return count


def _widget_cells(path) -> int:
    """How many plots a notebook should show: one per code cell that displays a widget."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    shows = re.compile(r"\w+Widget\(.*\)")
    return sum(1 for c in nb.cells if c.cell_type == "code" and shows.fullmatch(c.source.strip()))


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=rel)
def test_notebook_runs_in_jupyterlab_and_every_plot_renders(path, lab, browser):
    page = _open_and_run(browser, lab, f"course/{path.name}")
    try:
        expected = _widget_cells(path)
        assert expected >= 1, "every course notebook shows at least one interactive model"
        assert _plot_count(page, expected) >= expected, "not every interactive model rendered"
        assert page.locator(".jp-OutputArea-output[data-mime-type*='error']").count() == 0
        assert page.locator("text=Traceback").count() == 0
        # trace colours survived the trip to the browser (they once fell back to defaults)
        strokes = page.eval_on_selector_all(
            ".js-plotly-plot .scatterlayer path.js-line", "els => els.map(e => e.style.stroke)")
        assert "rgb(240, 228, 66)" not in strokes, "Okabe-Ito yellow is never used for a line"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{path.stem}.png"), full_page=False)
    finally:
        page.close()


def test_keyboard_moves_a_slider_and_the_plot_and_readout_follow(lab, browser):
    page = _open_and_run(browser, lab, "course/00_start_here.ipynb")
    try:
        assert _plot_count(page, 1) >= 1
        plot = page.locator(".js-plotly-plot").first
        readout = page.locator(".widget-html-content:has-text('mu receptors occupied')").first
        readout.wait_for(timeout=60_000)
        time.sleep(2)  # let the first render settle before taking the "before" state
        before_plot, before_text = plot.inner_html(), readout.inner_text()
        page.locator(".noUi-handle").first.focus()
        for _ in range(8):
            page.keyboard.press("ArrowRight")
        deadline = time.time() + 30
        while time.time() < deadline and readout.inner_text() == before_text:
            time.sleep(0.5)
        assert readout.inner_text() != before_text, "the readout did not change after keyboard input"
        assert plot.inner_html() != before_plot, "the plot did not redraw after keyboard input"
    finally:
        page.close()
