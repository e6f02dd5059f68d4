"""Build the static course site (``make site``): Jupyter Book 1 over the course, offline.

What it does, in a staging folder (never in course/ or exercises/):

1. copies every ready chapter's notebook (naltrexone_lab.tooling.syllabus.CHAPTERS, so a new
   chapter is picked up by itself), the glossary, the references and each exercise's *student*
   version from exercises/ (never solutions/);
2. gives every cell that shows an interactive model (``SomeWidget()``) a static explorer as its
   output: the widget itself is driven over a grid of its main control (the same package code
   that runs in JupyterLab: controls -> model -> plots), each state's figure is merged by
   :func:`naltrexone_lab.plots.explorer.stepped_figure` into one plotly figure with a slider, and
   the readouts and the figure's text alternative (plots/describe.py, via the widget) are kept
   for every step;
3. adds a "run it live" note to each chapter and exercise page;
4. vendors plotly.js (plotly's package data) and MathJax 2 (the jupyter-server-mathjax package)
   into the site's _static/, so no page requests anything from another host;
5. runs ``jupyter-book build`` without executing notebooks and fails on any Sphinx warning
   (broken cross-references, missing figures or documents).

Usage: ``python book/build_site.py [--out DIR] [--repository OWNER/NAME] [--branch main]``;
the site is DIR/html (default: site/_build/html). ``SITE_REPOSITORY`` sets the repository whose
environment.yml Binder builds (the "run it live" links).
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BOOK = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from naltrexone_lab import widgets as course_widgets  # noqa: E402
from naltrexone_lab.plots.explorer import stepped_figure  # noqa: E402
from naltrexone_lab.tooling.syllabus import CHAPTERS  # noqa: E402

#: each widget's main control: the one the static explorer steps through (a widget not listed
#: uses its first slider)
MAIN_CONTROL = {
    "SetupCheckWidget": "naltrexone_nM",
    "OccupancyWidget": "conc_nM",
    "CurveShiftWidget": "naltrexone_nM",
    "EfficacyWidget": "tau",
    "SelectivityWidget": "conc_nM",
    "SchildWidget": "noise_sd",
    "KiVersusPA2Widget": "naltrexone",
    "RegimenExplorerWidget": "dose_mg",
    "HalfLifeWidget": "dose_mg",
    "DoseOccupancyWidget": "dose_mg",
    "TransientBlockadeWidget": "threshold",
    "BrakeCircuitWidget": "peak_occupancy_percent",
    "OpioidChallengeWidget": "naltrexone_mg",
    "SurgeCrashWidget": "naltrexone_mg",
    "RegulationWidget": "naltrexone_percent",
    "TransientBlockadeReboundWidget": "dose_mg",
    "ReboundMapWidget": "gain",
    "MicrogliaWidget": "conc_nM",
    "TLR4GapWidget": "dose_mg",
    "TrialSizeWidget": "n_per_arm",
    "PrecipitatedWithdrawalWidget": "days",
    "AlcoholDopamineWidget": "dose_mg",
    "CravingLearningWidget": "treatment_weeks",
}
#: at most this many slider steps per explorer (keeps each under 2 MB)
MAX_STEPS = 15
MAX_EXPLORER_BYTES = 2_000_000
WIDGET_CELL = re.compile(r"^\s*([A-Z][A-Za-z0-9]*Widget)\(\s*\)\s*;?\s*$")
BINDER = "https://mybinder.org/v2/gh/{repository}/{branch}?labpath={path}"


# -- explorers ----------------------------------------------------------------------------------
def _main_control(widget) -> str:
    name = MAIN_CONTROL.get(type(widget).__name__)
    if name in widget.controls:
        return name
    for key, control in widget.controls.items():
        if hasattr(control, "options") and type(control).__name__ == "SelectionSlider":
            return key
        if hasattr(control, "min") and hasattr(control, "max"):
            return key
    return next(iter(widget.controls))


def _grid(control, max_steps: int = MAX_STEPS) -> tuple[list[tuple[str, object]], int]:
    """(label, value) of the steps over one control, always holding its current value; and the
    index of that value."""
    current = control.value
    if hasattr(control, "options"):
        labels = list(getattr(control, "_options_labels", None) or [str(o) for o in control.options])
        values = list(getattr(control, "_options_values", None) or control.options)
        pairs = list(zip(labels, values))
    elif type(control).__name__ == "Checkbox":
        pairs = [("off", False), ("on", True)]
    else:
        lo, hi, step = control.min, control.max, control.step
        count = int(round((hi - lo) / step)) + 1
        pairs = []
        for k in range(count):
            v = lo + k * step
            v = int(round(v)) if isinstance(current, int) else float(f"{v:.10g}")
            pairs.append((format(v, getattr(control, "readout_format", None) or "g")
                          if not isinstance(v, int) else str(v), v))
    if len(pairs) > max_steps:
        idx = {round(k * (len(pairs) - 1) / (max_steps - 1)) for k in range(max_steps)}
        keep = [p for i, p in enumerate(pairs) if i in idx]
        if not any(v == current for _, v in keep):
            keep.append(next(p for p in pairs if p[1] == current))
            order = [v for _, v in pairs]
            keep.sort(key=lambda p: order.index(p[1]))
        pairs = keep
    active = next(i for i, (_, v) in enumerate(pairs) if v == current)
    return pairs, active


def explorer_states(widget_name: str, max_steps: int = MAX_STEPS) -> dict:
    """Drive the widget over its main control: the figure, readouts and text alternative at each
    value (values the model refuses are left out)."""
    cls = getattr(course_widgets, widget_name)
    widget = cls()
    control_name = _main_control(widget)
    control = widget.controls[control_name]
    pairs, active = _grid(control, max_steps)
    default = control.value
    states, readouts, summaries, labels = [], [], [], []
    for label, value in pairs:
        control.value = value
        if widget.refused:
            continue
        states.append((label, widget.figure.to_plotly_json()))
        readouts.append([[widget.readout_labels[name], widget.readout_text(name)]
                         for name in widget.readout_labels])
        summaries.append(widget.summary)
        labels.append(label)
        if value == default:
            active = len(states) - 1
    control.value = default
    description = re.sub(r"\s+", " ", control.description or control_name)
    return {"widget": widget_name, "title": widget.title or widget_name, "doc": (cls.__doc__ or "").strip(),
            "control": description, "states": states, "readouts": readouts, "summaries": summaries,
            "labels": labels, "active": active, "others": {k: c.value for k, c in widget.controls.items()
                                                          if k != control_name}}


def explorer_html(widget_name: str, number: int, max_steps: int = MAX_STEPS) -> tuple[str, int]:
    """The HTML of one static explorer and its size in bytes (fewer steps if it would pass
    :data:`MAX_EXPLORER_BYTES`)."""
    s = explorer_states(widget_name, max_steps)
    fig = stepped_figure(s["states"], control=s["control"], active=s["active"])
    div_id = f"ntx-explorer-{number}-{widget_name}"
    plot = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id + "-plot",
                       config={"responsive": True, "displaylogo": False})
    first = s["doc"].split("\n\n")[0]
    first = re.sub(r"\s+", " ", first).replace("``", "")
    others = ", ".join(f"{k} = {v}" for k, v in s["others"].items())
    a = s["active"]
    shown = "".join(f'<div class="ntx-readout"><b>{html.escape(k)}</b>: {html.escape(v)}</div>'
                    for k, v in s["readouts"][a])
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(lbl)}</th><td>"
        + "<br>".join(f"<b>{html.escape(k)}</b>: {html.escape(v)}" for k, v in ro)
        + f"</td><td>{html.escape(summ)}</td></tr>"
        for lbl, ro, summ in zip(s["labels"], s["readouts"], s["summaries"]))
    data = json.dumps({"readouts": s["readouts"], "summaries": s["summaries"]}).replace("</", "<\\/")
    out = f"""<div class="ntx-explorer" id="{div_id}" data-widget="{widget_name}">
<p class="ntx-explorer-intro"><b>Static explorer</b> ({html.escape(widget_name)}): {html.escape(first)}
Move the slider <i>{html.escape(s['control'])}</i> ({len(s['labels'])} precomputed values); the other
controls stay at their defaults ({html.escape(others) or 'none'}). To move every control,
<a href="#run-it-live">run it live</a>.</p>
<div class="ntx-explorer-readouts" aria-live="polite">{shown}</div>
<p class="ntx-explorer-summary" aria-live="polite">{html.escape(s['summaries'][a])}</p>
{plot}
<details class="ntx-explorer-steps"><summary>Every step as text ({html.escape(s['control'])})</summary>
<table><thead><tr><th scope="col">{html.escape(s['control'])}</th><th scope="col">readouts</th>
<th scope="col">what the figure shows</th></tr></thead><tbody>{rows}</tbody></table></details>
<script type="application/json" class="ntx-explorer-data">{data}</script>
</div>"""
    size = len(out.encode())
    if size > MAX_EXPLORER_BYTES and max_steps > 5:
        return explorer_html(widget_name, number, max(5, int(max_steps * 0.8)))
    if size > MAX_EXPLORER_BYTES:
        raise RuntimeError(f"the explorer of {widget_name} is {size / 1e6:.2f} MB (limit 2 MB): "
                           "lower MAX_STEPS or SIGNIFICANT_DIGITS")
    return out, size


# -- staging ------------------------------------------------------------------------------------
def _run_live(nb_path: str, repository: str | None, branch: str) -> str:
    name = Path(nb_path).name
    local = ("locally: clone the repository and run `make lab` (it installs everything into `.venv` "
             f"and opens JupyterLab on your own copy, `my_work/{nb_path}`)")
    if repository:
        link = BINDER.format(repository=repository, branch=branch, path=f"my_work/{nb_path}")
        binder = (f"or in the browser with no install: [launch `{name}` on Binder]({link}) (Binder builds "
                  "the course from the repository's `environment.yml` and `postBuild`)")
    else:
        binder = ("or in the browser with no install: open the repository on https://mybinder.org "
                  "(Binder builds it from `environment.yml` and `postBuild`) and open "
                  f"`my_work/{nb_path}`")
    return ('<div id="run-it-live"></div>\n\n:::{admonition} Run it live\n:class: tip\n'
            "The figures on this page are static explorers: one control steps through precomputed "
            "values, and code cells show no results. To run the code and move every control, run "
            f"the notebook {local}; {binder}.\n:::\n")


def stage(src: Path, repository: str | None, branch: str) -> dict:
    """Write the book's sources into ``src``; return the explorer sizes."""
    if src.exists():
        shutil.rmtree(src)
    (src / "course").mkdir(parents=True)
    sizes: dict[str, int] = {}
    chapters, exercises = [], []
    number = 0
    for chapter in CHAPTERS:
        if not chapter.ready:
            continue
        nb = nbformat.read(ROOT / chapter.notebook, as_version=4)
        nb.cells.insert(1, nbformat.v4.new_markdown_cell(_run_live(chapter.notebook, repository, branch)))
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            m = WIDGET_CELL.match(cell.source)
            if not m or not hasattr(course_widgets, m.group(1)):
                continue
            number += 1
            body, size = explorer_html(m.group(1), number)
            sizes[f"{Path(chapter.notebook).stem}: {m.group(1)}"] = size
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": body})]
        nbformat.write(nb, src / chapter.notebook)
        chapters.append(chapter.notebook)
        if chapter.exercise:
            folder = ROOT / "exercises" / chapter.exercise
            notebook = folder / f"{chapter.exercise}.ipynb"
            if notebook.exists():
                rel = f"exercises/{chapter.exercise}/{chapter.exercise}.ipynb"
                ex = nbformat.read(notebook, as_version=4)
                ex.cells.insert(1, nbformat.v4.new_markdown_cell(_run_live(rel, repository, branch)))
                (src / rel).parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(ex, src / rel)
                exercises.append(rel)
    for md in ("glossary.md", "references.md"):
        if (ROOT / "course" / md).exists():
            shutil.copy(ROOT / "course" / md, src / "course" / md)
    # table of contents: start page, chapters, exercises, glossary and references
    root, rest = chapters[0], chapters[1:]
    toc = [f"format: jb-book\nroot: {root[:-6]}\nparts:\n- caption: Chapters\n  chapters:"]
    toc += [f"  - file: {c[:-6]}" for c in rest]
    if exercises:
        toc += ["- caption: Exercises (student versions)\n  chapters:"]
        toc += [f"  - file: {e[:-6]}" for e in exercises]
    toc += ["- caption: Reference\n  chapters:"]
    toc += [f"  - file: course/{md[:-3]}" for md in ("glossary.md", "references.md")
            if (src / "course" / md).exists()]
    (src / "_toc.yml").write_text("\n".join(toc) + "\n")
    shutil.copy(BOOK / "_config.yml", src / "_config.yml")
    shutil.copy(BOOK / "ntx_site.py", src / "ntx_site.py")
    # not "_static": Jupyter Book adds every .js/.css file found there to every page
    shutil.copytree(BOOK / "site_static", src / "site_static")
    vendor(src / "site_static" / "vendor")
    return sizes


def vendor(dest: Path) -> None:
    """plotly.js and MathJax from installed PyPI packages (nothing is downloaded)."""
    import plotly

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", dest / "plotly.min.js")
    spec = importlib.util.find_spec("jupyter_server_mathjax")
    if spec is None or not spec.origin:
        raise SystemExit("MathJax is missing: pip install -e '.[site]' "
                         "(jupyter-server-mathjax ships MathJax 2)")
    mathjax = Path(spec.origin).parent / "static"
    shutil.copytree(mathjax, dest / "mathjax", ignore=shutil.ignore_patterns("localization", "*.md"))


def _write_start_page(html_dir: Path) -> None:
    """Replace Jupyter Book's bare redirect at the site's root (one meta tag) with a small page
    that says where it goes, in words and a link (for a reader whose browser does not follow
    the redirect), and names an empty inline icon: without one, a browser asks for
    /favicon.ico and gets a 404 before the redirect happens, and with the site's icon file the
    redirect aborts that request half-way (both console errors the site test saw now and then);
    a ``data:`` icon is no request at all. The pages the redirect leads to have the real icon."""
    index = html_dir / "index.html"
    match = re.search(r'url=([^"\s]+)"', index.read_text())
    if not match:
        raise SystemExit(f"{index}: no redirect found in Jupyter Book's start page")
    target = html.escape(match.group(1), quote=True)
    index.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Refresh\" content=\"0; url={target}\">\n"
        "<link rel=\"icon\" href=\"data:,\">\n"
        "<title>Naltrexone and the brain</title>\n</head>\n<body>\n"
        f"<p>The course starts at <a href=\"{target}\">Start here</a>.</p>\n</body>\n</html>\n")


def build(out: Path, repository: str | None = None, branch: str = "main") -> dict:
    """Stage and build; return timings and explorer sizes. Raises on any Sphinx warning."""
    start = time.perf_counter()
    src = out / "src"
    sizes = stage(src, repository, branch)
    staged = time.perf_counter() - start
    html_dir = out / "html"
    if html_dir.exists():
        shutil.rmtree(html_dir)
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(src), "--path-output", str(out / "jb"),
           "--builder", "html", "-W", "-n", "--keep-going", "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    log = proc.stdout + proc.stderr
    (out / "build.log").write_text(log)
    warnings = [line for line in log.splitlines() if re.search(r"WARNING|ERROR", line)]
    if proc.returncode != 0 or warnings:
        raise SystemExit(f"jupyter-book build failed (exit {proc.returncode}); warnings:\n"
                         + "\n".join(warnings[:50]) + f"\nfull log: {out / 'build.log'}")
    shutil.move(str(out / "jb" / "_build" / "html"), html_dir)
    shutil.rmtree(out / "jb", ignore_errors=True)
    _write_start_page(html_dir)
    return {"seconds": time.perf_counter() - start, "staging_seconds": staged, "sizes": sizes,
            "html": str(html_dir)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "site" / "_build"),
                        help="build folder (the site is OUT/html)")
    parser.add_argument("--repository", default=os.environ.get("SITE_REPOSITORY"),
                        help="OWNER/NAME on GitHub, for the Binder links (default: $SITE_REPOSITORY)")
    parser.add_argument("--branch", default=os.environ.get("SITE_BRANCH", "main"))
    args = parser.parse_args(argv)
    result = build(Path(args.out).resolve(), args.repository, args.branch)
    for name, size in result["sizes"].items():
        print(f"  explorer {name}: {size / 1024:.0f} KB")
    print(f"site built in {result['seconds']:.0f} s (staging and explorers "
          f"{result['staging_seconds']:.0f} s): {result['html']}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
