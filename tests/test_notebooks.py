"""Every course and solution notebook: clean when committed, and runs on a fresh kernel."""

from __future__ import annotations

import pytest
from helpers import (
    COURSE_NOTEBOOKS,
    EXERCISE_NOTEBOOKS,
    SOLUTION_NOTEBOOKS,
    error_outputs,
    execute_notebook,
    hygiene_problems,
    rel,
)

ALL = COURSE_NOTEBOOKS + SOLUTION_NOTEBOOKS + EXERCISE_NOTEBOOKS


def test_the_course_has_notebooks():
    assert any(p.name == "00_start_here.ipynb" for p in COURSE_NOTEBOOKS)
    assert SOLUTION_NOTEBOOKS, "no exercises in solutions/"


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_notebook_hygiene(path):
    assert hygiene_problems(path) == []


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=rel)
def test_course_notebook_states_models_are_not_dosing_guidance(path):
    text = path.read_text().lower()
    assert "not for dosing" in text or "not dosing guidance" in text


@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.parametrize("path", COURSE_NOTEBOOKS + SOLUTION_NOTEBOOKS, ids=rel)
def test_notebook_runs_top_to_bottom(path):
    nb = execute_notebook(path)
    assert error_outputs(nb) == []
