"""Browser latency of the interactive models: key press on a slider to the plot redrawn.

Starts JupyterLab on a throw-away copy of the course, opens each chapter notebook in Debian's
Chromium (Playwright), runs it, and for each slider in the notebook presses an arrow key
``--presses`` times (alternating right and left), timing from the key press to plotly's next
``plotly_afterplot`` event on that widget's figure. That span covers the browser sending the new
value, the kernel recomputing the model, the update message and plotly redrawing. Prints the
median and 95th percentile per slider. Goal (issue 11): 50 ms median.

Run: ``.venv/bin/python benchmarks/browser.py [--presses N]`` (needs chromium; a few minutes).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ("01_opioid_antagonism.ipynb", "02_pharmacokinetics_occupancy.ipynb")

# Records the time of every redraw of every plot on the page.
_HOOK = """() => {
  window.__afterplot = window.__afterplot || {};
  document.querySelectorAll('.js-plotly-plot').forEach((gd, i) => {
    if (!gd.__timed) {
      gd.__timed = true;
      gd.on('plotly_afterplot', () => { window.__afterplot[i] = performance.now(); });
    }
  });
}"""


def start_lab(served: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--allow-root",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
         f"--LabApp.workspaces_dir={served / '.ws'}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
            return proc, f"http://127.0.0.1:{port}", token
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("JupyterLab did not start")


def measure(page, presses: int) -> list[tuple[str, list[float]]]:
    page.evaluate(_HOOK)
    results = []
    handles = page.locator(".noUi-handle")
    for h in range(handles.count()):
        handle = handles.nth(h)
        # the figure of this slider's widget: the first plot after the slider in document order
        plot_index = page.evaluate("""(h) => {
            const handle = document.querySelectorAll('.noUi-handle')[h];
            const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
            return plots.findIndex(p => handle.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING);
        }""", h)
        label = page.evaluate("""(h) => {
            const box = document.querySelectorAll('.noUi-handle')[h].closest('.widget-slider');
            const d = box && box.querySelector('.widget-label');
            return d ? d.textContent : 'slider ' + h;
        }""", h)
        handle.scroll_into_view_if_needed()
        handle.focus()
        times = []
        for k in range(presses):
            before = page.evaluate(f"window.__afterplot[{plot_index}] || 0")
            t0 = page.evaluate("performance.now()")
            page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
            deadline = time.time() + 10
            while time.time() < deadline:
                after = page.evaluate(f"window.__afterplot[{plot_index}] || 0")
                if after > before:
                    times.append(after - t0)
                    break
                time.sleep(0.005)
            time.sleep(0.15)  # let the kernel settle before the next press
        results.append((label.strip(), times))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    served = Path(tempfile.mkdtemp(prefix="ntx-bench-lab-"))
    shutil.copytree(ROOT / "course", served / "course")
    proc, url, token = start_lab(served)
    try:
        with sync_playwright() as p:
            flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            browser = p.chromium.launch(executable_path=chromium, args=flags)
            print(f"{'notebook / slider':64s} {'median ms':>10s} {'p95 ms':>8s} {'n':>4s}")
            for nb in NOTEBOOKS:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{url}/lab/tree/course/{nb}?reset&token={token}")
                page.wait_for_selector(".jp-Notebook", state="attached", timeout=90_000)
                time.sleep(4)
                page.keyboard.press("Control+Shift+C")
                page.keyboard.type("Run All Cells")
                page.keyboard.press("Enter")
                deadline = time.time() + 120
                busy = ".jp-InputArea-prompt:has-text('[*]')"
                while time.time() < deadline and (page.locator(busy).count()
                                                  or not page.locator(".js-plotly-plot").count()):
                    time.sleep(1)
                time.sleep(3)
                for label, times in measure(page, args.presses):
                    if times:
                        print(f"{nb[:2] + ' ' + label:64s} {statistics.median(times):10.1f} "
                              f"{np.percentile(times, 95):8.1f} {len(times):4d}", flush=True)
                    else:
                        print(f"{nb[:2] + ' ' + label:64s} {'no redraw seen':>10s}", flush=True)
                page.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(15)
        shutil.rmtree(served, ignore_errors=True)


if __name__ == "__main__":
    main()
