"""Feedback that tells students what failed without showing them the hidden tests.

nbgrader's stock feedback renders the autograded notebook, in which the hidden tests have been put
back into the test cells, and failed cells carry IPython tracebacks that quote the failing lines.
:class:`HideHiddenTests` is an nbconvert preprocessor for ``GenerateFeedback`` that replaces each
hidden-test region by one comment stating the question's result, and shortens error outputs to
their exception and message. The course's ``nbgrader_config.py`` installs it, so plain
``nbgrader generate_feedback``, formgrader's feedback button and ``naltrexone-course feedback``
all produce the same, safe pages.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .markers import strip_regions

__all__ = ["HideHiddenTests", "hidden_test_summary"]

def hidden_test_summary(cell) -> str:
    """One comment line: did the test cell (visible and hidden tests together) pass?"""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return "# Hidden tests ran here (not shown): this question passed."
    e = errors[0]
    message = f"{e.get('ename', 'Error')}: {e.get('evalue', '')}".strip().rstrip(":")
    return f"# Hidden tests ran here (not shown): this question failed with {message}"


class HideHiddenTests(Preprocessor):
    """Replace hidden-test regions by a result line; keep only ``ename: evalue`` of errors."""

    enabled = Bool(True, help="on by default: it is registered without enabled=True").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        cell.source, _ = strip_regions(cell.source, hidden_test_summary(cell))
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        return cell, resources
