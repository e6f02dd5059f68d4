"""Correct answers written differently from the solution keep full marks (course contract, part
5): an exercise's misconception module may list them as ``CORRECT_VARIANTS`` (test-cell grade_id
-> [(label, {answer-cell grade_id: replacement})]). They are graded by nbgrader, packed into as
few notebooks as possible (never two variants rewriting the same answer cell in one notebook)."""

from __future__ import annotations

import importlib

import pytest
from helpers import pack_rounds

from naltrexone_lab.tooling.grading import autograde_notebooks, exercise_names, fill_in_solutions

pytestmark = pytest.mark.slow

WITH_VARIANTS = [name for name in exercise_names()
                 if getattr(importlib.import_module(f"misconceptions.{name}"), "CORRECT_VARIANTS", None)]


def _rounds(variants):
    return pack_rounds(variants)


@pytest.mark.parametrize("assignment", WITH_VARIANTS)
def test_correct_but_different_answers_keep_full_marks(assignment, released, solution):
    variants = importlib.import_module(f"misconceptions.{assignment}").CORRECT_VARIANTS
    rounds = _rounds(variants)
    notebooks = {}
    for i, round_ in enumerate(rounds):
        replacements = {}
        for _test_id, (_label, cells) in round_.items():
            replacements.update(cells)
        notebooks[f"round{i}"] = fill_in_solutions(released(assignment), solution(assignment), replacements)
    reports = autograde_notebooks(notebooks, assignment)
    lost = [f"{test_id}: {label}" for i, round_ in enumerate(rounds)
            for test_id, (label, _) in round_.items()
            if reports[f"round{i}"].score_of(test_id) < max(
                q.max_score for q in reports[f"round{i}"].questions if q.grade_id == test_id)]
    assert lost == [], "these correct answers lost points"
