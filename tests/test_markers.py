"""One reading of nbgrader's markers for every route, checked against nbgrader's own."""

from __future__ import annotations

import nbformat
import pytest
from nbgrader.preprocessors import ClearHiddenTests

from naltrexone_lab.tooling.classroom_feedback import hidden_lines
from naltrexone_lab.tooling.feedback import HideHiddenTests

FORMS = ["### BEGIN HIDDEN TESTS", "### BEGIN HIDDEN TESTS ###", "# BEGIN HIDDEN TESTS",
         "##BEGIN HIDDEN TESTS", "    ### BEGIN HIDDEN TESTS", "#### BEGIN HIDDEN TESTS  # keep out"]
SECRET = "assert abs(answer_value_that_must_never_show - 42.0) < 1e-9"


def _cell(begin: str):
    end = begin.replace("BEGIN", "END")
    source = f"assert visible_check()\n{begin}\n{SECRET}\n{end}\nprint('after')"
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "q1", "points": 1, "solution": False,
                                 "locked": True, "schema_version": 3}
    return cell


@pytest.mark.parametrize("begin", FORMS)
def test_feedback_hides_every_region_nbgrader_hides(begin):
    nb = nbformat.v4.new_notebook(cells=[_cell(begin)])
    theirs = ClearHiddenTests().preprocess(nbformat.from_dict(nb), {})[0].cells[0].source
    assert SECRET not in theirs, "nbgrader itself treats this line as a marker"
    ours = HideHiddenTests().preprocess_cell(_cell(begin), {}, 0)[0].source
    assert SECRET not in ours and "HIDDEN TESTS" not in ours
    assert [line for line in ours.splitlines() if not line.startswith("# Hidden tests ran here")] \
        == [line for line in theirs.splitlines() if line.strip()]


@pytest.mark.parametrize("begin", FORMS)
def test_class_feedback_scan_knows_every_hidden_line(begin, tmp_path):
    path = tmp_path / "source.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[_cell(begin)]), str(path))
    assert hidden_lines(path) == {SECRET}
