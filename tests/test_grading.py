"""Grading round trips through real nbgrader: the released notebook scores 0, the filled-in
solution full marks, misconception answers lose their question's points, a classmate's numbers
lose points where the student's own keep them, and nbgrader's Validate (the learner's button)
agrees.

Every misconception of tests/misconceptions/ is checked to fail its test cell in
tests/test_messages.py, which runs all 44 rounds in one kernel with the hidden tests, the code
nbgrader runs, in about 30 s. Here nbgrader itself grades the first round of each exercise (a
misconception for most questions), so the two routes are seen to agree; grading all rounds here
took 6-15 s a notebook, a third of the suite's time.
"""

from __future__ import annotations

import importlib
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from helpers import error_outputs, pack_rounds
from test_variants import classmates_notebooks

from naltrexone_lab.tooling.grading import (
    autograde_notebook,
    autograde_notebooks,
    exercise_names,
    fill_in_solutions,
)

pytestmark = pytest.mark.slow


def _rounds(assignment):
    """The misconceptions of ``assignment`` packed into rounds (:func:`helpers.pack_rounds`)."""
    return pack_rounds(importlib.import_module(f"misconceptions.{assignment}").MISCONCEPTIONS)


_GRADED: dict = {}


def _graded(assignment, released, solution, tmp_path_factory):
    """Every notebook this module checks for ``assignment``, graded in one nbgrader run: the
    released version, the filled-in solution and the first round of misconceptions; the
    autograded notebooks are kept (``keep``: label -> executed notebook)."""
    if assignment not in _GRADED:
        notebooks = {"released": released(assignment),
                     "solution": fill_in_solutions(released(assignment), solution(assignment))}
        replacements = {}
        for _test_id, (_label, cells) in _rounds(assignment)[0].items():
            replacements.update(cells)
        notebooks["round0"] = fill_in_solutions(released(assignment), solution(assignment),
                                                replacements)
        # per-student variants (tests/test_variants.py): alice's own numbers typed in, graded
        # as alice and as bob
        notebooks["alice"], _ = classmates_notebooks(assignment, released, solution)
        notebooks["bob"] = notebooks["alice"]
        keep = tmp_path_factory.mktemp(f"graded-{assignment}")
        reports = autograde_notebooks(notebooks, assignment, keep_dir=keep)
        reports["keep"] = {label: nbformat.read(str(next((keep / label).glob("*.ipynb"))), as_version=4)
                           for label in notebooks}
        _GRADED[assignment] = reports
    return _GRADED[assignment]


@pytest.mark.parametrize("assignment", exercise_names())
def test_released_scores_zero(assignment, released, solution, tmp_path_factory):
    report = _graded(assignment, released, solution, tmp_path_factory)["released"]
    assert report.auto_max >= 8, "each exercise carries real autograded points"
    assert sum(1 for q in report.questions if q.auto) >= 4, "at least four autograded questions"
    assert report.manual_max > 0, "at least one manually graded written answer"
    assert report.auto_score == 0, [q for q in report.questions if q.score]


@pytest.mark.parametrize("assignment", exercise_names())
def test_filled_in_solution_scores_full_marks_and_every_cell_runs(assignment, released, solution,
                                                                 tmp_path_factory):
    """The instructor's answers earn every point, and no cell of the notebook, graded or not
    (a demonstration plot, a worked example), raises: nbgrader ran it top to bottom with the
    hidden tests restored, so tests/test_notebooks.py does not run the solutions again."""
    graded = _graded(assignment, released, solution, tmp_path_factory)
    report = graded["solution"]
    failed = [q for q in report.questions if q.auto and q.score < q.max_score]
    assert failed == []
    assert report.auto_score == report.auto_max
    assert error_outputs(graded["keep"]["solution"]) == []
    executed = [c for c in graded["keep"]["solution"].cells if c.cell_type == "code"]
    assert executed and all(c.get("execution_count") for c in executed), "a code cell did not run"


def max_points(report, grade_id):
    return next(q.max_score for q in report.questions if q.grade_id == grade_id)


@pytest.mark.parametrize("assignment", exercise_names())
def test_misconceptions_lose_points(assignment, released, solution, tmp_path_factory):
    round_ = _rounds(assignment)[0]
    assert len(round_) >= 3, "the first round carries misconceptions of several questions"
    report = _graded(assignment, released, solution, tmp_path_factory)["round0"]
    # a question of independent parts (naltrexone_lab.tooling.checks) keeps the points of the
    # parts a misconception leaves right; every other question loses all of its points
    parted = {q.grade_id for q in report.questions if q.parts}
    kept = [f"{test_id}: {label}" for test_id, (label, _) in round_.items()
            if report.score_of(test_id) >= (max_points(report, test_id) if test_id in parted
                                            else 1e-9)]
    assert kept == [], "these misconceptions kept their points"
    others = [q.grade_id for q in report.questions
              if q.auto and q.grade_id not in round_ and q.score < q.max_score]
    assert others == [], "a misconception cost points in a question it does not answer"


@pytest.mark.parametrize("assignment", exercise_names())
def test_a_classmates_numbers_lose_points_and_own_numbers_keep_them(assignment, released, solution,
                                                                   tmp_path_factory):
    """Issue 18: numbers copied from a classmate do not fit the copier's own values."""
    graded = _graded(assignment, released, solution, tmp_path_factory)
    own, copied = graded["alice"], graded["bob"]
    assert own.auto_score == own.auto_max, [q for q in own.questions if q.auto and q.score < q.max_score]
    lost = [q.grade_id for q in copied.questions if q.auto and q.score < q.max_score]
    assert len(lost) >= 2, f"a classmate's numbers must lose at least two questions; lost {lost}"


def test_one_notebook_grades_the_same_alone_and_in_a_batch(released, solution, tmp_path_factory):
    """The batch grader used above gives what grading a single notebook gives."""
    assignment = exercise_names()[0]
    alone = autograde_notebook(fill_in_solutions(released(assignment), solution(assignment)),
                               assignment)
    batch = _graded(assignment, released, solution, tmp_path_factory)["solution"]
    assert [(q.grade_id, q.score) for q in alone.questions] == \
        [(q.grade_id, q.score) for q in batch.questions]


def _validate(paths, *extra) -> dict:
    """nbgrader validate's verdict for each notebook of ``paths``, in one nbgrader run."""
    from naltrexone_lab.tooling.grading import nbgrader_command, nbgrader_env

    # one stream, unbuffered, so that each verdict follows the log line naming its notebook
    proc = subprocess.run(nbgrader_command(["validate", *extra, *map(str, paths)]),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env={**nbgrader_env(), "PYTHONUNBUFFERED": "1"}, cwd=paths[0].parent)
    parts = re.split(r"Validating '([^']+)'", proc.stdout)
    verdicts = {Path(path).resolve(): text for path, text in zip(parts[1::2], parts[2::2])}
    return {path: verdicts.get(Path(path).resolve(), proc.stdout) for path in paths}


def test_nbgrader_validate_passes_solution_and_inverted_release(release_dir):
    """nbgrader's own Validate (the learner's button, run here from the command line) agrees
    with the grading above on one exercise: the solution passes every test and the released
    notebook none. It executes the same cells as autograde, so each exercise's scores rest on
    the tests above; the browser tests press the button in JupyterLab."""
    from naltrexone_lab.tooling.grading import solution_notebook

    assignment = exercise_names()[0]
    solution = solution_notebook(assignment)
    (released_path,) = sorted((release_dir / assignment).glob("*.ipynb"))
    passes = _validate([solution])[solution]
    assert "Success! Your notebook passes all the tests." in passes, passes
    inverted = _validate([released_path], "--invert")[released_path]
    assert "Success! The notebook does not pass any tests." in inverted, inverted
    # the check can fail: the release does not pass, and the solution is not "inverted"
    assert "Success! Your notebook passes all the tests." not in _validate([released_path])[released_path]


@pytest.mark.slow
def test_plain_autograde_warns_only_about_a_test_cell_the_student_edited(tmp_path):
    """nbgrader's checksum warning fired for every released test cell of every student (the
    stored checksum predates hidden-test removal); the course's OverwriteCells keeps the restore
    and names only a real edit (issue 21)."""
    from corpus import EX, _solved, make_course, submit

    from naltrexone_lab.tooling.grading import nbgrader_command, nbgrader_env

    course = make_course(tmp_path / "course")
    submit(course, "s01_untouched", _solved(course))
    edited = _solved(course)
    cell = next(c for c in edited.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q2_tests")
    cell.source = "assert True  # the student replaced the tests"
    submit(course, "s02_edited", edited)
    proc = subprocess.run(nbgrader_command(["autograde", EX, "--force"]), cwd=course,
                          env=nbgrader_env(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "has changed" not in proc.stderr, "nbgrader's release noise is back"
    assert proc.stderr.count("Locked cell q2_tests was edited") == 1, proc.stderr[-3000:]
    graded = nbformat.read(str(course / "autograded" / "s02_edited" / EX / f"{EX}.ipynb"), as_version=4)
    restored = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q2_tests")
    assert "the student replaced the tests" not in restored.source, "the edit was graded"
