"""Feedback pages a student can be handed: what failed, never the hidden tests or the mark scheme.

nbgrader's stock feedback renders the autograded notebook, in which the hidden tests have been put
back into the test cells, the written questions' task cells carry their full mark scheme again
(nbgrader restores locked cells from the gradebook, which keeps the instructor's version), and
failed cells carry IPython tracebacks that quote the failing lines. :class:`HideHiddenTests` is an
nbconvert preprocessor for ``GenerateFeedback`` that

* replaces each hidden-test region by one comment saying what actually ran there (passed; failed
  with the check's message; did not run because a visible check above failed first; stopped at
  the time limit);
* removes every mark-scheme region, in any cell;
* shortens error outputs to their exception and message, and explains a cell stopped at the time
  limit (nbgrader shows only ``KeyboardInterrupt:`` or ``CellTimeoutError:``);
* turns links to other course files into plain text naming the file (from
  ``feedback/<student>/<exercise>/`` a relative link points nowhere).

The course's ``nbgrader_config.py`` installs it, so plain ``nbgrader generate_feedback``,
formgrader's feedback button and ``naltrexone-course feedback`` all produce the same pages;
``naltrexone-course feedback`` then scans them for anything of the instructor version
(:mod:`.classroom_feedback`).
"""

from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .markers import (
    BEGIN_HIDDEN,
    BEGIN_MARK_SCHEME,
    END_HIDDEN,
    END_MARK_SCHEME,
    hidden_regions,
    strip_regions,
)

__all__ = ["HideHiddenTests", "hidden_test_summary", "timeout_explanation"]

TIMEOUT_ERRORS = ("CellTimeoutError", "KeyboardInterrupt", "TimeoutError")
MARK_SCHEME_NOTE = "*(The marking guide for this question is not shown.)*"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\s*\[\d*\],\s*line (\d+)")
# a Markdown link (not an image) to a relative path: no scheme (https:, mailto:), no bare #anchor
_LOCAL_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s]+)\)", re.IGNORECASE)


def timeout_explanation(limit_s: float | None) -> str:
    """What a learner should know about a cell stopped at the time limit."""
    limit = f"{limit_s:g} s" if limit_s else "the time limit"
    return (f"this cell was stopped after {limit} and its question scored 0: an answer that never "
            "finishes (an endless loop, a grid far too fine) takes the whole time. Run your "
            "notebook top to bottom and check that every answer finishes in a few seconds.")


def _failing_line(error) -> int | None:
    """The line of the cell at which ``error`` left it (IPython's ``Cell In[n], line k``)."""
    for entry in error.get("traceback", []):
        m = _CELL_LINE.search(_ANSI.sub("", entry))
        if m:
            return int(m.group(1))
    return None


def _hidden_start(source: str) -> int | None:
    """1-based line of the first hidden-test marker in ``source``."""
    for number, (_line, inside) in enumerate(hidden_regions(source.splitlines()), start=1):
        if inside:
            return number
    return None


def hidden_test_summary(cell, limit_s: float | None = None) -> str:
    """One comment line saying what ran in the test cell's hidden region and how it ended.

    Call it on the cell as executed (hidden tests still in its source, traceback intact)."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return "# Hidden tests ran here (not shown): this question passed."
    e = errors[0]
    if e.get("ename") in TIMEOUT_ERRORS:
        return "# Hidden tests (not shown) did not finish: " + timeout_explanation(limit_s)
    message = f"{e.get('ename', 'Error')}: {e.get('evalue', '')}".strip().rstrip(":")
    line, start = _failing_line(e), _hidden_start(cell.source)
    if line is not None and start is not None and line < start:
        return ("# Hidden tests (not shown) did not run: a visible check above failed first "
                f"({message}).")
    return f"# Hidden tests ran here (not shown): this question failed with {message}"


def _plain_link(match: re.Match) -> str:
    target = match.group(2).split("#")[0].rstrip("/").rsplit("/", 1)[-1]
    return f"{match.group(1)} ({target}, in the course)" if target else match.group(1)


class HideHiddenTests(Preprocessor):
    """Make an autograded notebook safe and self-explanatory as a feedback page (see module)."""

    enabled = Bool(True, help="on by default: it is registered without enabled=True").tag(config=True)

    def _limit_s(self) -> float | None:
        try:
            value = self.config.Execute.timeout
        except AttributeError:
            return None
        return float(value) if isinstance(value, (int, float)) and value > 0 else None

    def preprocess_cell(self, cell, resources, index):
        cell.source, _ = strip_regions(cell.source, MARK_SCHEME_NOTE, BEGIN_MARK_SCHEME,
                                       END_MARK_SCHEME)
        if cell.cell_type == "markdown":
            cell.source = _LOCAL_LINK.sub(_plain_link, cell.source)
            return cell, resources
        if cell.cell_type != "code":
            return cell, resources
        limit = self._limit_s()
        cell.source, _ = strip_regions(cell.source, hidden_test_summary(cell, limit),
                                       BEGIN_HIDDEN, END_HIDDEN)
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            if out.get("ename") in TIMEOUT_ERRORS:
                out["evalue"] = timeout_explanation(limit)
            out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        return cell, resources
