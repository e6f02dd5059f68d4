"""exercises/ is exactly what nbgrader makes from solutions/, and leaks nothing."""

from __future__ import annotations

import pytest
from helpers import EXERCISE_NOTEBOOKS, ROOT, SOLUTION_NOTEBOOKS, comparable, leaks, rel

from naltrexone_lab.tooling.grading import exercise_names


def test_every_solution_has_a_released_exercise_and_back():
    sol = {p.relative_to(ROOT / "solutions") for p in SOLUTION_NOTEBOOKS}
    ex = {p.relative_to(ROOT / "exercises") for p in EXERCISE_NOTEBOOKS}
    assert sol == ex, "run `make release` after changing solutions/"


@pytest.mark.parametrize("path", EXERCISE_NOTEBOOKS, ids=rel)
def test_no_instructor_content_in_student_version(path):
    solution = ROOT / "solutions" / path.relative_to(ROOT / "exercises")
    assert leaks(path, solution) == []


@pytest.mark.slow
@pytest.mark.parametrize("assignment", exercise_names())
def test_committed_exercise_equals_fresh_release(assignment, release_dir):
    fresh = sorted((release_dir / assignment).rglob("*"))
    committed = sorted((ROOT / "exercises" / assignment).rglob("*"))
    assert [p.relative_to(release_dir) for p in fresh] == [
        p.relative_to(ROOT / "exercises") for p in committed
    ], "the released file list differs: run `make release`"
    for new, old in zip(fresh, committed):
        if new.suffix == ".ipynb":
            assert comparable(new) == comparable(old), f"{rel(old)} is stale: run `make release`"
        elif new.is_file():
            assert new.read_bytes() == old.read_bytes(), f"{rel(old)} is stale: run `make release`"


def test_leak_scan_catches_a_leak(tmp_path):
    """The scanner itself must fail on a student notebook that carries a hidden test."""
    (path,) = [p for p in EXERCISE_NOTEBOOKS if "ex01" in p.name]
    solution = ROOT / "solutions" / path.relative_to(ROOT / "exercises")
    leaked = tmp_path / path.name
    leaked.write_text(solution.read_text())
    assert leaks(leaked, solution)
