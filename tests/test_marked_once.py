"""Issue 17: a mistake is marked once.

Where a later question calls a function an earlier question asked for, its tests judge the later
work with the reference function and the student's own numbers by the student's own function
(error carried forward). Each entry of a ``MARKED_ONCE`` list in tests/misconceptions/ is graded
alone by nbgrader (one run per exercise): it must lose points in its own question, and no other
question may lose a point. An entry may name correct variants of other questions to combine with
the mistake, as ``(grade_id, label of CORRECT_VARIANTS[grade_id])``.
"""

from __future__ import annotations

import importlib

import pytest

from naltrexone_lab.tooling.grading import autograde_notebooks, exercise_names, fill_in_solutions

pytestmark = pytest.mark.slow


def _module(assignment):
    return importlib.import_module(f"misconceptions.{assignment}")


def _entries(assignment) -> list[tuple]:
    return list(getattr(_module(assignment), "MARKED_ONCE", []))


def _answer(assignment, table, test_id, label) -> dict:
    (cells,) = [cells for name, cells in getattr(_module(assignment), table)[test_id] if name == label]
    return cells


def _cells(assignment, entry) -> dict:
    """The answer cells of one entry: its misconception, with the correct variants it names."""
    cells = dict(_answer(assignment, "MISCONCEPTIONS", entry[0], entry[1]))
    for other_id, variant in entry[2:]:
        cells.update(_answer(assignment, "CORRECT_VARIANTS", other_id, variant))
    return cells


CASES = [(a, e[0], e[1]) for a in exercise_names() for e in _entries(a)]
_REPORTS: dict = {}


def _report(assignment, test_id, label, released, solution):
    if assignment not in _REPORTS:
        notebooks = {f"once{i}": fill_in_solutions(released(assignment), solution(assignment),
                                                   _cells(assignment, e))
                     for i, e in enumerate(_entries(assignment))}
        _REPORTS[assignment] = autograde_notebooks(notebooks, assignment)
    i = [(e[0], e[1]) for e in _entries(assignment)].index((test_id, label))
    return _REPORTS[assignment][f"once{i}"]


def test_the_lists_name_real_misconceptions():
    assert len(CASES) >= 20
    for assignment in exercise_names():
        for entry in _entries(assignment):
            _cells(assignment, entry)  # every label exists, once


@pytest.mark.parametrize("assignment, test_id, label", CASES)
def test_a_mistake_is_marked_once(assignment, test_id, label, released, solution):
    report = _report(assignment, test_id, label, released, solution)
    own = next(q for q in report.questions if q.grade_id == test_id)
    assert own.score < own.max_score, f"{label} kept its own points"
    lost = [(q.grade_id, q.score, q.max_score) for q in report.questions
            if q.auto and q.grade_id != test_id and q.score < q.max_score]
    assert lost == [], f"{label} ({test_id}) cost points in other questions too"
