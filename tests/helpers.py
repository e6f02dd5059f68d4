"""Helpers every chapter's tests reuse: executing notebooks, notebook hygiene, release integrity,
grading round trips and widget checks."""

from __future__ import annotations

import copy
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from naltrexone_lab.tooling.grading import course_root

ROOT = course_root()
COURSE_NOTEBOOKS = sorted((ROOT / "course").glob("*.ipynb"))
SOLUTION_NOTEBOOKS = sorted((ROOT / "solutions").glob("ex*/*.ipynb"))
EXERCISE_NOTEBOOKS = sorted((ROOT / "exercises").glob("ex*/*.ipynb"))
LEAK_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                "BEGIN MARK SCHEME", "END MARK SCHEME")


def rel(path: Path) -> str:
    return str(Path(path).relative_to(ROOT))


# -- executing --------------------------------------------------------------------------------------
def execute_notebook(path_or_nb, *, cwd: Path | None = None, timeout_s: int = 300,
                     allow_errors: bool = False) -> nbformat.NotebookNode:
    """Run a notebook top to bottom on a fresh python3 kernel; return the executed copy."""
    if isinstance(path_or_nb, (str, Path)):
        nb = nbformat.read(str(path_or_nb), as_version=4)
        cwd = cwd or Path(path_or_nb).parent
    else:
        nb = copy.deepcopy(path_or_nb)
    client = NotebookClient(nb, timeout=timeout_s, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd or ROOT)}},
                            allow_errors=allow_errors)
    client.execute()
    return nb


def error_outputs(nb) -> list[str]:
    """``ename: evalue`` of every error output in an executed notebook."""
    return [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


# -- hygiene ----------------------------------------------------------------------------------------
def hygiene_problems(path: Path) -> list[str]:
    """Outputs, execution counts, kernelspec and nbgrader metadata problems of one notebook."""
    problems = []
    nb = nbformat.read(str(path), as_version=4)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as err:
        problems.append(f"invalid notebook: {err.message}")
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append("kernelspec is not python3")
    grade_ids = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(f"cell {i} has outputs or an execution count")
        meta = cell.metadata.get("nbgrader")
        if meta:
            grade_ids.append(meta.get("grade_id"))
            if (meta.get("grade") or meta.get("task")) and not meta.get("points", 0) > 0:
                problems.append(f"graded cell {meta.get('grade_id')} has no points")
            if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
                first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
                if not re.match(r'^(""".+"""|\'\'\'.+\'\'\')$', first):
                    problems.append(f"test cell {meta.get('grade_id')} lacks a one-line docstring")
    dupes = {g for g in grade_ids if grade_ids.count(g) > 1}
    if dupes:
        problems.append(f"duplicate grade_ids {sorted(dupes)}")
    return problems


# -- release integrity ------------------------------------------------------------------------------
def comparable(path: Path) -> dict:
    """A notebook's JSON for comparison (formatting differences ignored)."""
    return json.loads(Path(path).read_text())


def solution_lines(solution: Path) -> set[str]:
    """Non-trivial lines inside solution, hidden-test and mark-scheme regions."""
    lines = set()
    nb = nbformat.read(str(solution), as_version=4)
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if re.search(r"BEGIN (SOLUTION|HIDDEN TESTS|MARK SCHEME)", line):
                inside = True
                continue
            if re.search(r"END (SOLUTION|HIDDEN TESTS|MARK SCHEME)", line):
                inside = False
                continue
            if inside and len(line.strip()) > 25:
                lines.add(line.strip())
    return lines


def leaks(exercise: Path, solution: Path) -> list[str]:
    """Instructor-only content that appears in a student notebook."""
    text = "\n".join(c.source for c in nbformat.read(str(exercise), as_version=4).cells)
    found = [f"marker {m!r}" for m in LEAK_MARKERS if m in text]
    found += [f"line {line!r}" for line in solution_lines(solution) if line in text]
    return found


# -- widgets ----------------------------------------------------------------------------------------
def figure_state(widget) -> str:
    """The figure's trace data and layout as JSON text (what the browser would receive)."""
    fig = widget.figure
    return json.dumps({"data": [t.to_plotly_json() for t in fig.data],
                       "layout": fig.layout.to_plotly_json()}, sort_keys=True, default=str)


def other_value(control):
    """A valid value of ``control`` different from its current one."""
    import ipywidgets as W

    if isinstance(control, W.Dropdown):
        labels = [o if not isinstance(o, tuple) else o[1] for o in control.options]
        return next(v for v in labels if v != control.value)
    if isinstance(control, W.FloatLogSlider):
        lo, hi = control.base ** control.min, control.base ** control.max
        target = control.value * 10 if control.value * 10 <= hi else control.value / 10
        return min(max(target, lo), hi)
    if isinstance(control, (W.FloatSlider, W.IntSlider)):
        span = control.max - control.min
        target = control.value + span / 3
        if target > control.max:
            target = control.value - span / 3
        return type(control.value)(round((target - control.min) / control.step) * control.step + control.min)
    if isinstance(control, W.SelectionSlider):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        i = control.index
        return values[i + 2 if i + 2 < len(values) else i - 2]
    if isinstance(control, (W.ToggleButtons, W.RadioButtons)):
        return next(v for v in control.options if v != control.value)
    if isinstance(control, W.Checkbox):
        return not control.value
    raise TypeError(f"no rule to pick another value for {type(control).__name__}")


# -- shared by tests/browser/ and benchmarks/browser.py ----------------------------------------
# Tags the controls of one model's output area in document order (the order of its ``controls``
# dict) with data-ntx-control="i" and returns their kinds.
TAG_CONTROLS_JS = """area => {
  const kinds = [['slider', 'widget-slider'], ['dropdown', 'widget-dropdown'],
                 ['checkbox', 'widget-checkbox'], ['toggle', 'widget-toggle-buttons'],
                 ['radio', 'widget-radio']];
  const sel = kinds.map(([, c]) => '.' + c).join(', ');
  return Array.from(area.querySelectorAll(sel)).map((el, i) => {
    el.dataset.ntxControl = String(i);
    return kinds.find(([, c]) => el.classList.contains(c))[0];
  });
}"""
DISABLED_JS = "e => !!e.querySelector('select:disabled, input:disabled, button:disabled, [disabled]')"


# Per course figure on the page (``.ntx-figure``, the FigureView of naltrexone_lab.widgets.figure):
# how many of its traces plotly actually drew with data, or -1 while plotly has not drawn it.
DRAWN_JS = """() => Array.from(document.querySelectorAll('.ntx-figure')).map(f => {
  const p = f.querySelector('.js-plotly-plot');
  if (!p || !p._fullData) return -1;
  return p._fullData.filter(t => t.visible !== false &&
    ((t._length > 0) || (t.z && t.z.length) || (t.cells && t.cells.values))).length;
})"""

# Scrolls every cell of the notebook into view once (JupyterLab renders cells lazily).
SCROLL_ALL_JS = """async () => {
  for (const c of document.querySelectorAll('.jp-Notebook .jp-Cell')) {
    c.scrollIntoView();
    await new Promise(r => setTimeout(r, 20));
  }
}"""


# The notebook's kernel as JupyterLab itself sees it (window.jupyterapp: the browser tests and
# benchmarks start JupyterLab with expose_app_in_browser). The status bar is no guide: it shows
# "Idle" beside the kernel's name before the kernel is connected, and a Run All clicked then
# opens "Select Kernel" (seen in CI on a loaded machine).
KERNEL_STATE_JS = """() => {
  const ctx = window.jupyterapp?.shell.currentWidget?.sessionContext;
  if (!ctx) return 'no notebook';
  const kernel = ctx.session?.kernel;
  if (!kernel) return ctx.isReady ? 'no kernel' : 'starting';
  return kernel.connectionStatus === 'connected' ? kernel.status : kernel.connectionStatus;
}"""


def pack_rounds(cases: dict) -> list[dict]:
    """``{test_id: [(label, cells), ...]}`` packed into rounds: one graded notebook applies several
    cases of different questions at once (questions are graded independently), never two that
    rewrite the same answer cell."""
    rounds: list[dict] = []
    for test_id, variants in cases.items():
        for label, cells in variants:
            for round_ in rounds:
                used = {c for _, (_, cs) in round_.items() for c in cs}
                if test_id not in round_ and not used & set(cells):
                    round_[test_id] = (label, cells)
                    break
            else:
                rounds.append({test_id: (label, cells)})
    return rounds


#: How the tests start Debian's Chromium: without its sandbox (CI runs as root), without a GPU,
#: and with no traffic of its own (updates, sync, first-run pages) beside what a test asks for.
CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")


# -- a Jupyter server for a test or a benchmark (tests/browser_support.py, tests/test_labserver.py,
# benchmarks/browser.py) ------------------------------------------------------------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jupyter_env(**extra: str) -> dict[str, str]:
    """This environment with this interpreter's scripts first on PATH (Jupyter starts kernels
    and nbgrader its tools by name), plus ``extra``."""
    return dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
                **extra)


def start_server(cmd: list[str], status_url: str, *, env: dict, cwd=None,
                 what: str = "the Jupyter server") -> subprocess.Popen:
    """Start ``cmd`` (output discarded) and return once ``status_url`` answers; raises
    RuntimeError, the process stopped, when it has not answered within 60 s."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    for _ in range(120):
        try:
            urllib.request.urlopen(status_url, timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError(f"{what} did not start within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Ask the server to stop; after 15 s, kill it."""
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
