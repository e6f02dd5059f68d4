"""Tiered hints and the worked solution (issue 17): every autograded question has two hints, a
hint opens only after a failed check, the worked solution only after three different failing
answers and never where the instructor switched it off or for a class member, a written
question's model answer only after the learner wrote theirs, and nothing of it is released."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from helpers import EXERCISE_NOTEBOOKS, ROOT

from naltrexone_lab.tooling import hints as H
from naltrexone_lab.tooling.feedback import secret_fragments
from naltrexone_lab.tooling.grading import solution_notebook
from naltrexone_lab.tooling.selfcheck import ProgressStore

EX = "ex01_antagonism"


def _tests_and_tasks(assignment):
    return H._graded_cells(nbformat.read(str(solution_notebook(assignment)), as_version=4))


@pytest.mark.parametrize("assignment", [p.parent.name for p in EXERCISE_NOTEBOOKS])
def test_every_autograded_question_has_two_hints_that_hold_no_hidden_test(assignment):
    path = ROOT / "solutions" / assignment / "hints.toml"
    assert path.is_file(), f"{path} is missing"
    with path.open("rb") as fh:
        data = H.tomllib.load(fh)
    tests, _ = _tests_and_tasks(assignment)
    assert sorted(data) == sorted(tests), "one table per autograded test cell, no other"
    instructor = nbformat.read(str(solution_notebook(assignment)), as_version=4)
    release = nbformat.read(str(ROOT / "exercises" / assignment / f"{assignment}.ipynb"),
                            as_version=4)
    secret = secret_fragments(instructor.cells, "\n".join(c.source for c in release.cells))
    for gid in tests:
        given = H.load_hints(assignment)[gid]
        assert len(given) == 2, f"{gid}: {len(given)} hints"
        for text in given:
            assert 5 <= len(text.split()) <= 70, f"{gid}: a hint of {len(text.split())} words"
            shown = [f for f in secret.values() if len(f) > 25 and f in text]
            assert not shown, f"{gid}: a hint quotes instructor-only lines: {shown}"


def test_hints_are_never_released():
    """nbgrader_config ignores hints.toml, so the student version (exercises/) has none."""
    assert not list((ROOT / "exercises").glob("*/hints.toml"))
    from traitlets.config import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", str(ROOT)).load_config()
    assert "hints.toml" in cfg.CourseDirectory.ignore


@pytest.fixture
def learner(tmp_path):
    """A learner's copy of ex01 (local identity), an empty data home and a quiet environment."""
    folder = tmp_path / "my_work" / EX
    folder.mkdir(parents=True)
    nb = folder / f"{EX}.ipynb"
    shutil.copy(ROOT / "exercises" / EX / f"{EX}.ipynb", nb)
    (folder / ".naltrexone-variant").write_text("local: abc123\n")
    home = tmp_path / "home"
    return nb, home


def _record(home, nb, failed, attempts=None, passed=()):
    """What ProgressStore.record writes after a check (without running one)."""
    home.mkdir(exist_ok=True)
    (home / "progress.json").write_text(json.dumps({EX: {
        "score": 0, "max_score": 12, "notebook": str(nb.resolve()), "failed": list(failed),
        "passed": list(passed), "attempts": attempts or {}}}))


def test_no_hint_before_a_failed_check_and_none_for_a_passed_question(learner):
    nb, home = learner
    step = H.next_hint(nb, "1", home=home, environ={})
    assert not step.hints and "Check your notebook first" in step.note
    _record(home, nb, failed=["q2_tests"], passed=["q1_tests"])
    step = H.next_hint(nb, "1", home=home, environ={})
    assert not step.hints and "passed your last check" in step.note


def test_hints_come_one_at_a_time_then_the_solution_after_three_failing_answers(learner):
    nb, home = learner
    _record(home, nb, failed=["q1_tests"], attempts={"q1_tests": ["a"]})
    first = H.next_hint(nb, "q1", home=home, environ={})
    assert len(first.hints) == 1 and not first.solution and "hint 2 of 2" in first.note
    second = H.next_hint(nb, "1", home=home, environ={})
    assert second.hints[0] == first.hints[0] and len(second.hints) == 2 and not second.solution
    third = H.next_hint(nb, "1", home=home, environ={})
    assert not third.solution and "1 have so far" in third.note
    _record(home, nb, failed=["q1_tests"], attempts={"q1_tests": ["a", "b", "c"]})
    opened = H.next_hint(nb, "1", home=home, environ={})
    assert "def occupancy" in opened.solution and "BEGIN SOLUTION" not in opened.solution
    assert "HIDDEN" not in opened.solution and "assert" not in opened.solution
    text = H.format_step(opened)
    assert "Hint 2:" in text and "Worked solution:" in text


@pytest.mark.parametrize(("environ", "identity", "shown"), [
    ({"NALTREXONE_REVEAL": "off"}, "local: abc123", False),
    ({"JUPYTERHUB_USER": "alice"}, "local: abc123", False),
    ({}, "student: s042", False),
    ({"NALTREXONE_REVEAL": "on", "JUPYTERHUB_USER": "alice"}, "student: s042", True),
    ({}, "local: abc123", True),
], ids=["instructor-off", "jupyterhub-class", "class-member", "instructor-on", "self-paced"])
def test_the_solution_is_withheld_in_class_use_and_where_switched_off(learner, environ, identity,
                                                                      shown):
    nb, home = learner
    (nb.parent / ".naltrexone-variant").write_text(identity + "\n")
    _record(home, nb, failed=["q1_tests"], attempts={"q1_tests": ["a", "b", "c"]})
    for _ in range(2):
        assert H.next_hint(nb, "1", home=home, environ=environ).hints  # hints stay on
    step = H.next_hint(nb, "1", home=home, environ=environ)
    assert bool(step.solution) is shown, step.note
    if not shown:
        assert "off" in step.note


def test_a_bad_reveal_setting_is_refused_by_name():
    with pytest.raises(ValueError, match="NALTREXONE_REVEAL='maybe' is not allowed"):
        H.reveal_policy({"NALTREXONE_REVEAL": "maybe"}, "/nonexistent")


def test_a_written_question_shows_its_model_answer_only_after_the_learners_own(learner):
    nb, home = learner
    _, tasks = _tests_and_tasks(EX)
    step = H.next_hint(nb, "6", home=home, environ={})
    assert step.question == tasks[0] and not step.solution and "Write your answer" in step.note
    work = nbformat.read(str(nb), as_version=4)
    below = next(i for i, c in enumerate(work.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == tasks[0]) + 1
    work.cells[below].source = " ".join(["affinity differs from efficacy"] * 8)
    nbformat.write(work, str(nb))
    step = H.next_hint(nb, "6", home=home, environ={})
    assert "Award up to" in step.solution and "BEGIN MARK SCHEME" not in step.solution
    assert "Model answer:" in H.format_step(step)
    assert not H.next_hint(nb, "6", home=home, environ={"NALTREXONE_REVEAL": "off"}).solution


@pytest.mark.parametrize(("question", "error"), [
    ("4", "several parts: name one of 4a, 4b"), ("9", "not in this exercise"),
    ("q7_tests", "not in this exercise")])
def test_a_question_that_is_not_one_is_refused_with_the_choices(learner, question, error):
    nb, home = learner
    with pytest.raises(ValueError, match=error):
        H.next_hint(nb, question, home=home, environ={})


def test_question_names_resolve():
    instructor = nbformat.read(str(solution_notebook(EX)), as_version=4)
    for name, gid in [("1", "q1_tests"), ("q1", "q1_tests"), ("Question 3", "q3_tests"),
                      ("4b", "q4b_tests"), ("q4a_tests", "q4a_tests")]:
        assert H.resolve_question(instructor, name) == gid


def test_an_attempt_is_a_new_answer_to_that_question_only(learner):
    """The progress store counts different failing answers per question: re-checking the same
    answer adds none, and changing question 2's answer is no attempt at question 1."""
    nb, home = learner
    from naltrexone_lab.tooling.grading import GradeReport, QuestionResult
    from naltrexone_lab.tooling.selfcheck import CheckResult

    report = GradeReport(EX, (QuestionResult("q1_tests", 0, 2, True, "AssertionError: x"),
                              QuestionResult("q2_tests", 0, 2, True, "AssertionError: y")))
    store = ProgressStore(home)

    def check(q1_answer=None, q2_answer=None):
        work = nbformat.read(str(nb), as_version=4)
        for cell in work.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid == "q1_occupancy" and q1_answer:
                cell.source = q1_answer
            if gid == "q2_gaddum" and q2_answer:
                cell.source = q2_answer
        nbformat.write(work, str(nb))
        return store.record(CheckResult(path=nb, report=report, labels={}, withheld={}))

    check()
    check()
    assert len(store.load()[EX]["attempts"]["q1_tests"]) == 1
    check(q2_answer="def gaddum_occupancy(a, b, ka, kb):\n    return 0")
    assert len(store.load()[EX]["attempts"]["q1_tests"]) == 1
    assert len(store.load()[EX]["attempts"]["q2_tests"]) == 2
    check(q1_answer="def occupancy(c, k):\n    return c / k")
    entry = store.load()[EX]
    assert len(entry["attempts"]["q1_tests"]) == 2 and entry["failed"] == ["q1_tests", "q2_tests"]


@pytest.mark.slow
@pytest.mark.notebook
def test_a_learner_checks_asks_and_gets_the_first_hint_from_the_terminal(tmp_path):
    """End to end as a learner: a wrong question 1 checked with ``naltrexone-course check``
    (which says how to ask for a hint), then ``naltrexone-course hint`` shows hint 1 of the
    question, and a second request adds hint 2; a passed question needs none."""
    import subprocess
    import sys

    from naltrexone_lab.tooling import grading

    released = nbformat.read(str(ROOT / "exercises" / EX / f"{EX}.ipynb"), as_version=4)
    solution = nbformat.read(str(grading.solution_notebook(EX)), as_version=4)
    work = grading.fill_in_solutions(released, solution, {
        "q1_occupancy": "def occupancy(conc_nM, kd_nM):\n    return conc_nM / kd_nM"})
    folder = tmp_path / EX
    folder.mkdir()
    nb = folder / f"{EX}.ipynb"
    nbformat.write(work, str(nb))
    env = {**__import__("os").environ, "NALTREXONE_COURSE_HOME": str(tmp_path / "home")}
    env.pop("JUPYTERHUB_USER", None)

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "naltrexone_lab.tooling.cli", *args],
                              capture_output=True, text=True, env=env, timeout=300)

    checked = cli("check", str(nb))
    assert checked.returncode == 0, checked.stderr
    assert f"naltrexone-course hint {nb} 1" in checked.stdout, checked.stdout
    first = cli("hint", str(nb), "1")
    hints = H.load_hints(EX)["q1_tests"]
    assert first.returncode == 0 and f"Hint 1: {hints[0]}" in first.stdout
    assert "Hint 2" not in first.stdout
    second = cli("hint", str(nb), "1")
    assert f"Hint 2: {hints[1]}" in second.stdout and "Worked solution" not in second.stdout
    passed = cli("hint", str(nb), "2")
    assert "passed your last check" in passed.stdout
    bad = cli("hint", str(nb), "12")
    assert bad.returncode == 2 and "not in this exercise" in bad.stderr and "Traceback" not in bad.stderr
