"""Browser latency of every interactive model: a control change to the plot redrawn.

Starts JupyterLab on a throw-away copy of the course, opens each course notebook in Debian's
Chromium (Playwright) and runs it. Then, for every control of every interactive model, makes
``--changes`` changes as a learner would: arrow keys on a slider (towards the middle of its
range first, then alternating), another option and back on a dropdown, clicks on a checkbox or a
toggle button. Each change is timed in the page, from the input event (keydown, mousedown or
input, caught before the widget sees it) to plotly's next ``plotly_afterplot`` on that model's
figure. The span covers the browser sending the new value, the kernel recomputing the model,
the update message and plotly redrawing. Between changes the script waits for the kernel to go
idle and the plot to stay still for a moment, so changes never queue up.

Next to it, in the same run and browser, the same interaction written the common way
(``benchmarks/matplotlib_baseline.py``: ``ipywidgets.interact`` calling a function that recomputes
the model with naltrexone_lab and draws a new matplotlib figure, shown inline as a PNG), timed
from the input event to the new ``<img>`` in the page, for chapter 1's OccupancyWidget and
CurveShiftWidget, and for every model of chapter 5: a notebook ``course/05_*.ipynb`` is picked up
by itself once it exists (its models get the generic matplotlib version). ``--all-baselines``
adds the generic version for chapter 1's other models too.

The in-kernel update time of each control (``time_control`` of ``benchmarks/widgets.py``: setting
the value to the figure and readouts updated, no browser) is printed alongside.

Bytes: every websocket frame the page receives is counted (Chrome DevTools Protocol), per
control change (from the input to the settled redraw: the patch, the kernel's status and comm
messages) and per chapter from Run All until every figure is drawn; the exact size of each
figure's first render (its widget state plus first patch) is computed in the kernel.
``--throttle`` also times Run All to every plot of chapter 1 drawn with the CPU slowed 4x
(``Emulation.setCPUThrottlingRate``).

Goals (issues 11 and 23): browser median <= 50 ms and p95 <= 100 ms per control, 16 ms median in
the kernel, at least 5 times faster than the matplotlib redraw, <= 300 KB per figure's first
render, <= 50 KB per control change, chapter 1 drawn within 20 s of Run All at 4x throttling.
Prints median and 95th percentile (ms) per control.

Run: ``.venv/bin/python benchmarks/browser.py [--changes N]`` (needs chromium and matplotlib;
about ten minutes on two cores).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests"))

import matplotlib_baseline  # noqa: E402
from helpers import (  # noqa: E402
    DISABLED_JS,
    KERNEL_STATE_JS,
    TAG_CONTROLS_JS,
    free_port,
    jupyter_env,
    start_server,
    stop_server,
)

BROWSER_GOAL_MS, BROWSER_P95_GOAL_MS, KERNEL_GOAL_MS, RATIO_GOAL = 50.0, 100.0, 16.0, 5.0
FIRST_RENDER_GOAL_B, CHANGE_GOAL_B, THROTTLED_GOAL_S = 300_000, 50_000, 20.0
_DRAWN = """() => Array.from(document.querySelectorAll('.ntx-figure')).map(f => {
  const p = f.querySelector('.js-plotly-plot');
  if (!p || !p._fullData) return -1;
  return p._fullData.filter(t => t.visible !== false && (t._length > 0 || t.z)).length;
})"""
_SCROLL = """async () => { for (const c of document.querySelectorAll('.jp-Notebook .jp-Cell')) {
  c.scrollIntoView(); await new Promise(r => setTimeout(r, 40)); } }"""
BASELINE_CHAPTERS = ("01", "05")  # chapters timed against the matplotlib way

# Once per page: remember when the learner's input reached the page (capture phase, before any
# widget handles it).
_INPUT_HOOK = """() => {
  if (window.__ntx) return;
  window.__ntx = {t0: null};
  const mark = () => { if (window.__ntx.t0 === null) window.__ntx.t0 = performance.now(); };
  for (const type of ['keydown', 'mousedown', 'input', 'change'])
    document.addEventListener(type, mark, true);
}"""
# Once per output area: remember when its plot was last redrawn (plotly) or when a new image
# arrived in it (matplotlib inline).
_REDRAW_HOOK = """([a, mode]) => {
  if (a.__ntxHooked) return;
  a.__ntxHooked = true;
  const stamp = () => { a.__ntxAfter = performance.now(); };
  if (mode === 'plotly') {
    a.querySelector('.js-plotly-plot').on('plotly_afterplot', stamp);
  } else {
    new MutationObserver(muts => {
      for (const m of muts) for (const n of m.addedNodes)
        if (n.nodeType === 1 && (n.tagName === 'IMG' || n.querySelector('img'))) stamp();
    }).observe(a, {childList: true, subtree: true});
  }
}"""
# Resolves with the latency (ms) once the area redraws after the input, or null after maxMs.
_LATENCY = """([a, before, maxMs]) => new Promise(resolve => {
  const start = performance.now();
  const tick = () => {
    const after = a.__ntxAfter || 0, t0 = window.__ntx.t0;
    if (after > before && t0 !== null) resolve(after - t0);
    else if (performance.now() - start > maxMs) resolve(null);
    else setTimeout(tick, 2);
  };
  tick();
})"""
# Resolves once the kernel is idle and the area has not redrawn for quietMs (or after maxMs).
_SETTLE = """([a, quietMs, maxMs]) => new Promise(resolve => {
  const start = performance.now();
  const tick = () => {
    const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
    const idle = !ind || (ind.dataset.status || 'idle') === 'idle';
    const now = performance.now();
    const quiet = now - Math.max(a.__ntxAfter || 0, window.__ntx.t0 || 0) >= quietMs;
    if ((idle && quiet) || now - start > maxMs) resolve(); else setTimeout(tick, 20);
  };
  tick();
})"""
# Tags an area's controls in document order (the order of the model's controls) and returns kinds.
_TAG_CONTROLS, _DISABLED = TAG_CONTROLS_JS, DISABLED_JS


def _load_time_control():
    """``time_control`` from benchmarks/widgets.py (the in-kernel benchmark), reused as is."""
    spec = importlib.util.spec_from_file_location("ntx_bench_widgets", ROOT / "benchmarks" / "widgets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.time_control


def widget_cells(path: Path) -> dict[int, str]:
    """Cell index -> class name of the interactive model that cell displays."""
    nb = nbformat.read(str(path), as_version=4)
    shows = re.compile(r"(\w+Widget)\(.*\)")
    return {i: m.group(1) for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and (m := shows.fullmatch(c.source.strip()))}


def baseline_models(notebooks: list[Path], every: bool) -> list[str]:
    """Models timed against the matplotlib way: chapter 1's hand-written ones (all of chapter 1's
    with ``every``) and all of chapter 5's, in notebook order."""
    models = []
    for path in notebooks:
        chapter = path.name[:2]
        if chapter not in BASELINE_CHAPTERS:
            continue
        for name in widget_cells(path).values():
            if chapter != "01" or every or name in matplotlib_baseline.HAND_WRITTEN:
                models.append(name)
    return models


def start_lab(served: Path):
    port, token = free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--allow-root",
           "--LabApp.expose_app_in_browser=True",
           "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={served}", f"--LabApp.workspaces_dir={served / '.ws'}"]
    try:
        proc = start_server(cmd, f"http://127.0.0.1:{port}/api/status?token={token}",
                            env=jupyter_env(), cwd=served, what="JupyterLab")
    except RuntimeError as e:
        raise SystemExit(str(e)) from None
    return proc, f"http://127.0.0.1:{port}", token


def _ws_bytes(event) -> int:
    """Bytes of one websocket frame (CDP gives binary frames base64-encoded)."""
    response = event["response"]
    n = len(response["payloadData"])
    return n * 3 // 4 if response.get("opcode") == 2 else n


def open_and_run(browser, url: str, token: str, notebook: str, expected: int, selector: str,
                 throttle: float = 1.0, workspace_prefix: str = "bench"):
    """Open ``notebook`` (path under the served root) in its own workspace, run all cells and
    wait until ``expected`` elements matching ``selector`` show (for course figures: are drawn
    with data) and no cell is busy. Returns the page, its list of websocket frame sizes (grows
    as frames arrive), the seconds from Run All to every figure drawn and the bytes received
    in that time."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    frames: list[int] = []
    cdp.on("Network.webSocketFrameReceived", lambda e: frames.append(_ws_bytes(e)))
    if throttle > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    workspace = re.sub(r"[^A-Za-z0-9]+", "-", Path(notebook).stem)
    page.goto(f"{url}/lab/workspaces/{workspace_prefix}-{workspace}/tree/{notebook}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook", state="attached", timeout=180_000)
    # Run All once the kernel is connected and idle (typed keys or a menu clicked earlier can
    # open "Select Kernel" or reach the notebook as commands: a stalled run, not a measurement)
    deadline = time.time() + 240
    while page.evaluate(KERNEL_STATE_JS) != "idle":
        if time.time() > deadline:
            raise SystemExit(f"{notebook}: kernel not ready ({page.evaluate(KERNEL_STATE_JS)})")
        time.sleep(0.25)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    start, first_frame = time.time(), len(frames)
    deadline = start + 300
    busy = ".jp-InputArea-prompt:has-text('[*]')"
    while time.time() < deadline:
        if selector == "course":
            page.evaluate(_SCROLL)
            drawn = page.evaluate(_DRAWN)
            done = len(drawn) >= expected and min(drawn) > 0
        else:
            done = page.locator(selector).count() >= expected
        if done and not page.locator(busy).count():
            break
        time.sleep(0.25)
    elapsed, received = time.time() - start, sum(frames[first_frame:])
    time.sleep(3)
    page.evaluate(_INPUT_HOOK)
    return page, frames, elapsed, received


def _actions(page, control, kind: str):
    """Function k -> make the k-th change of ``control`` (alternating, so values stay in range)."""
    if kind == "slider":
        handle = control.locator(".noUi-handle").first
        low, now, top = (float(handle.get_attribute(f"aria-value{a}")) for a in ("min", "now", "max"))
        first, back = ("ArrowRight", "ArrowLeft") if now < (low + top) / 2 else ("ArrowLeft", "ArrowRight")

        def act(k):
            handle.focus()
            page.keyboard.press(first if k % 2 == 0 else back)
        return act
    if kind == "dropdown":
        select = control.locator("select")
        current = select.input_value()
        options = select.evaluate("s => Array.from(s.options).map(o => o.value)")
        other = next(o for o in options if o != current)
        return lambda k: select.select_option(value=other if k % 2 == 0 else current)
    if kind == "checkbox":
        box = control.locator("input[type=checkbox]")
        return lambda k: box.click()
    items = control.locator("button" if kind == "toggle" else "input[type=radio]")
    chosen = items.evaluate_all("els => els.findIndex(e => e.checked || e.classList.contains('mod-active'))")
    other = 1 if chosen == 0 else 0
    return lambda k: items.nth(other if k % 2 == 0 else chosen).click()


def measure_area(page, area, mode: str, changes: int, frames: list[int] | None = None):
    """(kind, latencies in ms, websocket bytes per change) per control of one model's output
    area, in the controls' order; None for a control that is disabled (greyed out by another
    control's value)."""
    area.scroll_into_view_if_needed()
    handle = area.element_handle()
    page.evaluate(_REDRAW_HOOK, [handle, mode])
    page.evaluate(_SETTLE, [handle, 500, 30_000])
    results = []
    for i, kind in enumerate(area.evaluate(_TAG_CONTROLS)):
        control = area.locator(f"[data-ntx-control='{i}']")
        if control.evaluate(_DISABLED):
            results.append((kind, None, None))
            continue
        control.scroll_into_view_if_needed()
        act = _actions(page, control, kind)
        times, sizes = [], []
        for k in range(changes):
            before = area.evaluate("a => a.__ntxAfter || 0")
            page.evaluate("() => { window.__ntx.t0 = null; }")
            mark = len(frames) if frames is not None else 0
            act(k)
            latency = page.evaluate(_LATENCY, [handle, before, 10_000])
            if latency is not None:
                times.append(latency)
            page.evaluate(_SETTLE, [handle, 150, 30_000])
            if frames is not None:
                sizes.append(sum(frames[mark:]))
        results.append((kind, times, sizes))
    return results


def first_render_bytes(cls) -> int:
    """Exact bytes a figure of ``cls`` sends for its first render: the widget state and the
    first patch, JSON plus binary buffers (what reaches the browser, before websocket framing)."""
    import json

    from ipywidgets.widgets.widget import _remove_buffers

    w = cls()
    view = w.view
    state, _, raw = _remove_buffers(view.get_state())
    return len(json.dumps(state)) + sum(len(b) for b in raw)


def _stats(times) -> tuple[float, float] | None:
    if not times:
        return None
    return statistics.median(times), float(np.percentile(times, 95))


def _fmt(stat, width=7) -> str:
    return f"{stat:{width}.1f}" if stat is not None else f"{'-':>{width}s}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20,
                        help="changes per control (at least 20 for the issue's numbers; rounded up to even)")
    parser.add_argument("--kernel-repeats", type=int, default=40)
    parser.add_argument("--all-baselines", action="store_true",
                        help="matplotlib version of every chapter 1 model, not only the two hand-written")
    parser.add_argument("--chapters", nargs="+", metavar="NN", help="only these chapters (e.g. 01 05)")
    parser.add_argument("--throttle", action="store_true",
                        help="also time chapter 1's Run All with the CPU slowed 4x")
    args = parser.parse_args()
    # an even number of changes brings every control back to where it started, so no control is
    # left greyed out (chapter 2's injection disables the tablet schedule) or in a mode that makes
    # the next one a rejected combination (the injection with an impaired liver)
    args.changes += args.changes % 2
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    try:
        import matplotlib  # noqa: F401 - the baseline's kernel needs it
    except ImportError:
        raise SystemExit("the matplotlib baseline needs matplotlib: pip install matplotlib") from None
    from playwright.sync_api import sync_playwright

    from naltrexone_lab import widgets

    notebooks = [p for p in sorted((ROOT / "course").glob("*.ipynb"))
                 if widget_cells(p) and (not args.chapters or p.name[:2] in args.chapters)]
    models = {(p.name[:2], name) for p in notebooks for name in widget_cells(p).values()}

    # in-kernel first, with the machine otherwise idle
    time_control = _load_time_control()
    kernel, first_bytes = {}, {}
    for _, name in sorted(models):
        cls = getattr(widgets, name)
        first_bytes[name] = first_render_bytes(cls)
        for control in cls().controls:
            kernel[name, control] = _stats(time_control(cls, control, args.kernel_repeats))

    compare = baseline_models(notebooks, args.all_baselines)
    served = Path(tempfile.mkdtemp(prefix="ntx-bench-lab-"))
    shutil.copytree(ROOT / "course", served / "course")
    matplotlib_baseline.write_notebook(served / "bench" / "matplotlib_baseline.ipynb", compare)
    proc, url, token = start_lab(served)
    rows, baseline, chapters, throttled = [], {}, [], None
    try:
        with sync_playwright() as p:
            flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            browser = p.chromium.launch(executable_path=chromium, args=flags)
            for path in notebooks:
                cells = widget_cells(path)
                page, frames, elapsed, received = open_and_run(browser, url, token, f"course/{path.name}",
                                                               len(cells), "course")
                chapters.append((path.name, len(cells), elapsed, received))
                for index, name in cells.items():
                    area = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-Cell-outputArea")
                    controls = list(getattr(widgets, name)().controls)
                    measured = measure_area(page, area, "plotly", args.changes, frames)
                    if len(measured) != len(controls):
                        print(f"  {name}: {len(measured)} controls on the page, {len(controls)} in the "
                              "model: a kind of control this script does not drive?", file=sys.stderr)
                    for control, (kind, times, sizes) in zip(controls, measured):
                        rows.append((path.name[:2], name, control, kind, times, sizes))
                        print(f"  measured {path.name[:2]} {name}.{control}", file=sys.stderr, flush=True)
                page.close()
            if compare:
                page, _, _, _ = open_and_run(browser, url, token, "bench/matplotlib_baseline.ipynb",
                                             len(compare), ".jp-OutputArea img")
                for index, name in enumerate(compare, start=1):  # cell 0 is the setup
                    area = page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-Cell-outputArea")
                    controls = list(getattr(widgets, name)().controls)
                    measured = measure_area(page, area, "img", args.changes)
                    for control, (_, times, _) in zip(controls, measured):
                        baseline[name, control] = times
                        print(f"  measured matplotlib {name}.{control}", file=sys.stderr, flush=True)
                page.close()
            if args.throttle:
                first = ROOT / "course" / "01_opioid_antagonism.ipynb"
                page, _, throttled, _ = open_and_run(browser, url, token, f"course/{first.name}",
                                                     len(widget_cells(first)), "course", throttle=4.0,
                                                     workspace_prefix="throttled")
                page.close()
            browser.close()
    finally:
        stop_server(proc)
        shutil.rmtree(served, ignore_errors=True)

    print(f"\nControl change to plot redrawn, ms ({args.changes} changes per control); in-kernel update "
          f"({args.kernel_repeats} changes); matplotlib interact to new image; ratio = matplotlib / "
          f"course median. Goals: browser median {BROWSER_GOAL_MS:g}, kernel median {KERNEL_GOAL_MS:g}, "
          f"ratio {RATIO_GOAL:g}x.")
    print(f"{'ch model.control (kind)':58s} {'browser':>7s} {'p95':>7s} {'n':>3s} {'kernel':>7s} "
          f"{'mpl':>7s} {'mpl p95':>7s} {'ratio':>6s} {'KB/chg':>6s}")
    worst_browser = worst_kernel = worst_p95 = worst_change = 0.0
    ratios = []
    for chapter, name, control, kind, times, sizes in rows:
        label = f"{chapter} {name}.{control} ({kind})"
        if times is None:
            print(f"{label:58s} {'disabled by another control: not timed':>40s}")
            continue
        b = _stats(times)
        k = kernel.get((name, control))
        m = _stats(baseline.get((name, control)))
        ratio = m[0] / b[0] if b and m else None
        change_kb = max(sizes) / 1e3 if sizes else None
        if change_kb:
            worst_change = max(worst_change, change_kb)
        if b:
            worst_browser = max(worst_browser, b[0])
            worst_p95 = max(worst_p95, b[1])
        if k:
            worst_kernel = max(worst_kernel, k[0])
        if ratio:
            ratios.append(ratio)
        n_mpl = len(baseline.get((name, control)) or [])
        print(f"{label:58s} {_fmt(b and b[0])} {_fmt(b and b[1])} {len(times):3d} {_fmt(k and k[0])} "
              f"{_fmt(m and m[0])} {_fmt(m and m[1])} "
              f"{(f'{ratio:5.1f}x' if ratio else '-'):>6s} {_fmt(change_kb, 6)}"
              + (f" (mpl n={n_mpl})" if m else ""))
    met = {True: "met", False: "NOT met"}
    print(f"\nworst browser median {worst_browser:.1f} ms (goal {BROWSER_GOAL_MS:g}: "
          f"{met[worst_browser <= BROWSER_GOAL_MS]}); worst browser p95 {worst_p95:.1f} ms (goal "
          f"{BROWSER_P95_GOAL_MS:g}: {met[worst_p95 <= BROWSER_P95_GOAL_MS]}); worst kernel median "
          f"{worst_kernel:.1f} ms (goal {KERNEL_GOAL_MS:g}: {met[worst_kernel <= KERNEL_GOAL_MS]})")
    print(f"largest control change: {worst_change:.1f} KB received by the page (goal "
          f"{CHANGE_GOAL_B / 1e3:g} KB: {met[worst_change * 1e3 <= CHANGE_GOAL_B]})")
    print("\nFirst render of each figure (widget state and first patch, computed in the kernel):")
    for name, size in sorted(first_bytes.items(), key=lambda kv: -kv[1]):
        print(f"  {name:34s} {size / 1e3:7.1f} KB")
    print(f"largest {max(first_bytes.values()) / 1e3:.1f} KB (goal {FIRST_RENDER_GOAL_B / 1e3:g} KB: "
          f"{met[max(first_bytes.values()) <= FIRST_RENDER_GOAL_B]})")
    print("\nRun All to every figure of the chapter drawn (this machine, no throttling):")
    for name, n, elapsed, received in chapters:
        print(f"  {name:40s} {n:2d} figures {elapsed:6.1f} s  {received / 1e6:6.2f} MB received")
    if throttled is not None:
        print(f"chapter 1 with the CPU slowed 4x: every plot drawn {throttled:.1f} s after Run All "
              f"(goal {THROTTLED_GOAL_S:g} s: {met[throttled <= THROTTLED_GOAL_S]})")
    if ratios:
        print(f"matplotlib / course median: {min(ratios):.1f}x to {max(ratios):.1f}x "
              f"(goal {RATIO_GOAL:g}x: {met[min(ratios) >= RATIO_GOAL]})")


if __name__ == "__main__":
    main()
