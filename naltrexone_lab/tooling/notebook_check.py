"""Check the notebook a kernel belongs to, from a cell of that notebook (each exercise's last cell).

This module is imported by every exercise notebook, also when the notebook is graded, so it
imports nothing but the standard library and :mod:`.variants` (``naltrexone_lab.selfcheck``
takes about 2 s to import; graded hundreds of times, that was minutes of a class's grading).
The check itself runs ``naltrexone-course check`` in another process.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path

from . import variants

__all__ = ["check_this_notebook", "hint", "notebook_check", "show_progress"]


def notebook_check(timeout_s: float = 300.0) -> tuple[str, str]:
    """(header, result text) of checking the notebook this kernel belongs to: what
    :func:`check_this_notebook` shows. Nothing runs while the notebook is being graded (the
    grader sets the variant student, :mod:`.variants`), nor outside JupyterLab, where the kernel
    does not know its notebook (the text then says how to check from a terminal)."""
    import subprocess
    import sys

    if os.environ.get(variants.STUDENT_ENV):
        return "", "(the check does not run while the notebook is graded)"
    path = os.environ.get("JPY_SESSION_NAME", "")
    if not path.endswith(".ipynb") or not Path(path).is_file():
        return "", ("This kernel does not know which notebook it belongs to (it was not started "
                    "by JupyterLab). Save the notebook and run in a terminal:\n"
                    "  naltrexone-course check PATH/TO/THIS_NOTEBOOK.ipynb")
    saved = dt.datetime.fromtimestamp(Path(path).stat().st_mtime)
    env = {k: v for k, v in os.environ.items() if k != variants.STUDENT_ENV}
    try:
        proc = subprocess.run([sys.executable, "-m", "naltrexone_lab.tooling.cli", "check", path],
                              capture_output=True, text=True, timeout=timeout_s, env=env)
        text = (proc.stdout + proc.stderr).strip()
    except subprocess.TimeoutExpired:
        text = f"the check did not finish within {timeout_s:g} s; run it in a terminal instead"
    header = (f"Checked {Path(path).name} as saved at {saved:%H:%M:%S} (save with Ctrl+S before "
              "running this cell: unsaved changes are not checked).")
    return header, text


def check_this_notebook(timeout_s: float = 300.0) -> None:
    """Check the notebook this kernel belongs to, from a cell of the notebook itself.

    The check runs ``naltrexone-course check`` on the *saved* notebook in another process (so
    nothing is imported into, or changed in, this kernel) and shows its result below the cell:
    each question's points and what failed, the written answers left to the instructor, and the
    feedback page's path (:func:`notebook_check`).
    """
    header, text = notebook_check(timeout_s)
    try:
        from IPython.display import HTML, display
    except ImportError:  # outside IPython: plain text
        print((header + "\n" if header else "") + text)
        return
    lines = []
    for line in text.splitlines():
        style = ("color:#a40000;font-weight:600" if line.lstrip().startswith("FAIL")
                 else "color:#1b5e20" if line.lstrip().startswith("pass") else "")
        lines.append(f'<span style="{style}">{html.escape(line)}</span>' if style
                     else html.escape(line))
    display(HTML((f"<p>{html.escape(header)}</p>" if header else "")
                 + '<pre style="white-space:pre-wrap">' + "\n".join(lines) + "</pre>"))


def hint(question, timeout_s: float = 120.0) -> None:
    """Show the next hint for ``question`` (3, "3", "4a") of the notebook this kernel belongs to,
    or its worked solution once it opens (``naltrexone-course hint``, run in another process on
    the saved notebook; :mod:`naltrexone_lab.tooling.hints`)."""
    import subprocess
    import sys

    if os.environ.get(variants.STUDENT_ENV):
        return
    path = os.environ.get("JPY_SESSION_NAME", "")
    if not path.endswith(".ipynb") or not Path(path).is_file():
        print("This kernel does not know which notebook it belongs to; in a terminal run:\n"
              f"  naltrexone-course hint PATH/TO/THIS_NOTEBOOK.ipynb {question}")
        return
    env = {k: v for k, v in os.environ.items() if k != variants.STUDENT_ENV}
    try:
        proc = subprocess.run([sys.executable, "-m", "naltrexone_lab.tooling.cli", "hint", path,
                               str(question)], capture_output=True, text=True, timeout=timeout_s,
                              env=env)
        text = (proc.stdout + proc.stderr).strip()
    except subprocess.TimeoutExpired:
        text = f"no answer within {timeout_s:g} s; run naltrexone-course hint in a terminal"
    try:
        from IPython.display import HTML, display
    except ImportError:
        print(text)
        return
    display(HTML('<pre style="white-space:pre-wrap">' + html.escape(text) + "</pre>"))


def show_progress() -> None:
    """Show, below the cell, each exercise's latest checked score (what ``naltrexone-course
    progress`` prints): a table with the points, when it was checked and what to do next. The
    scores are those ``check`` recorded on this computer (or this hub account)."""
    from .selfcheck import ProgressStore, progress_rows

    store = ProgressStore()
    rows = progress_rows(store.load())
    try:
        from IPython.display import HTML, display
    except ImportError:
        for row in rows:
            points = "-" if row["score"] is None else f"{row['score']:g}/{row['max_score']:g}"
            print(f"{row['exercise']:24s} {points:>8s}  {row['next']}")
        return
    body = []
    for row in rows:
        points = ("not checked yet" if row["score"] is None
                  else f"{row['score']:g} / {row['max_score']:g}")
        body.append(f"<tr><th scope=\"row\">{html.escape(row['exercise'])}</th>"
                    f"<td>{html.escape(row['chapter'])}</td><td>{html.escape(points)}</td>"
                    f"<td>{html.escape(row['checked_at'] or '-')}</td>"
                    f"<td>{html.escape(row['next'])}</td></tr>")
    done = sum(1 for r in rows if r["score"] is not None and not r["failed"])
    display(HTML(
        '<table class="ntx-progress"><caption>Your progress: '
        f"{done} of {len(rows)} exercises with every autograded question passed "
        f"(kept in {html.escape(str(store.path))})</caption><thead><tr><th scope=\"col\">"
        'Exercise</th><th scope="col">Chapter</th><th scope="col">Autograded points</th>'
        '<th scope="col">Last checked</th><th scope="col">Next</th></tr></thead><tbody>'
        + "".join(body) + "</tbody></table>"))
