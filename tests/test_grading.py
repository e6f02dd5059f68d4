"""Grading round trips through real nbgrader: the released notebook scores 0, the filled-in
solution full marks, and every misconception answer loses its question's points."""

from __future__ import annotations

import importlib

import pytest

from naltrexone_lab.tooling.grading import (
    autograde_notebook,
    autograde_notebooks,
    exercise_names,
    fill_in_solutions,
)

pytestmark = pytest.mark.slow


def _rounds(assignment):
    """Misconceptions packed into rounds: one graded notebook applies several misconceptions of
    different questions at once (questions are graded independently), never two that rewrite
    the same answer cell."""
    cases = importlib.import_module(f"misconceptions.{assignment}").MISCONCEPTIONS
    rounds: list[dict] = []
    for test_id, variants in cases.items():
        for label, cells in variants:
            for round_ in rounds:
                used = {c for _, (_, cs) in round_.items() for c in cs}
                if test_id not in round_ and not used & set(cells):
                    round_[test_id] = (label, cells)
                    break
            else:
                rounds.append({test_id: (label, cells)})
    return rounds


_GRADED: dict = {}


def _graded(assignment, released, solution):
    """Every notebook this module checks for ``assignment``, graded in one nbgrader run: the
    released version, the filled-in solution and one notebook per round of misconceptions."""
    if assignment not in _GRADED:
        notebooks = {"released": released(assignment),
                     "solution": fill_in_solutions(released(assignment), solution(assignment))}
        for k, round_ in enumerate(_rounds(assignment)):
            replacements = {}
            for _test_id, (_label, cells) in round_.items():
                replacements.update(cells)
            notebooks[f"round{k}"] = fill_in_solutions(released(assignment), solution(assignment),
                                                       replacements)
        _GRADED[assignment] = autograde_notebooks(notebooks, assignment)
    return _GRADED[assignment]


@pytest.mark.parametrize("assignment", exercise_names())
def test_released_scores_zero(assignment, released, solution):
    report = _graded(assignment, released, solution)["released"]
    assert report.auto_max >= 8, "each exercise carries real autograded points"
    assert sum(1 for q in report.questions if q.auto) >= 4, "at least four autograded questions"
    assert report.manual_max > 0, "at least one manually graded written answer"
    assert report.auto_score == 0, [q for q in report.questions if q.score]


@pytest.mark.parametrize("assignment", exercise_names())
def test_filled_in_solution_scores_full_marks(assignment, released, solution):
    report = _graded(assignment, released, solution)["solution"]
    failed = [q for q in report.questions if q.auto and q.score < q.max_score]
    assert failed == []
    assert report.auto_score == report.auto_max


CASES = [(a, k) for a in exercise_names() for k in range(len(_rounds(a)))]


@pytest.mark.parametrize(("assignment", "round_index"), CASES)
def test_misconceptions_lose_points(assignment, round_index, released, solution):
    round_ = _rounds(assignment)[round_index]
    report = _graded(assignment, released, solution)[f"round{round_index}"]
    kept = [f"{test_id}: {label}" for test_id, (label, _) in round_.items()
            if report.score_of(test_id) > 0]
    assert kept == [], "these misconceptions kept their points"


def test_one_notebook_grades_the_same_alone_and_in_a_batch(released, solution):
    """The batch grader used above gives what grading a single notebook gives."""
    assignment = exercise_names()[0]
    alone = autograde_notebook(fill_in_solutions(released(assignment), solution(assignment)),
                               assignment)
    batch = _graded(assignment, released, solution)["solution"]
    assert [(q.grade_id, q.score) for q in alone.questions] == \
        [(q.grade_id, q.score) for q in batch.questions]


def _validate(path, *extra):
    import subprocess

    from naltrexone_lab.tooling.grading import nbgrader_command, nbgrader_env

    proc = subprocess.run(nbgrader_command(["validate", *extra, str(path)]),
                          capture_output=True, text=True, env=nbgrader_env(), cwd=path.parent)
    return proc.stdout + proc.stderr


@pytest.mark.parametrize("assignment", exercise_names())
def test_nbgrader_validate_passes_solution_and_inverted_release(assignment, release_dir):
    from naltrexone_lab.tooling.grading import solution_notebook

    assert "Success! Your notebook passes all the tests." in _validate(solution_notebook(assignment))
    (released_path,) = sorted((release_dir / assignment).glob("*.ipynb"))
    assert "Success! The notebook does not pass any tests." in _validate(released_path, "--invert")
