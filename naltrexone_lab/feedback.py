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

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

__all__ = ["HideHiddenTests", "hidden_test_summary"]

_BEGIN = re.compile(r"^\s*#+\s*BEGIN HIDDEN TESTS\s*$")
_END = re.compile(r"^\s*#+\s*END HIDDEN TESTS\s*$")


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
        lines, kept, inside, replaced = cell.source.splitlines(), [], False, False
        for line in lines:
            if _BEGIN.match(line):
                inside = True
                continue
            if _END.match(line):
                inside = False
                if not replaced:
                    kept.append(hidden_test_summary(cell))
                    replaced = True
                continue
            if not inside:
                kept.append(line)
        if inside:  # an unterminated region: drop the rest rather than show it
            kept.append(hidden_test_summary(cell))
        cell.source = "\n".join(kept)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        return cell, resources
