"""Questions of independent parts (issue 17): each part checked on its own, every failed part
reported, partial credit that plain nbgrader and the course's grader give alike, and no way for
an answer to raise its own grade through the mechanism."""

from __future__ import annotations

import subprocess

import nbformat
import pytest
from corpus import make_course, submit

from naltrexone_lab.tooling import checks as C
from naltrexone_lab.tooling import cli
from naltrexone_lab.tooling.classroom_feedback import hidden_lines
from naltrexone_lab.tooling.grading import (
    autograde_notebooks,
    course_root,
    fill_in_solutions,
    nbgrader_command,
    nbgrader_env,
    solution_notebook,
)

EX = "ex03_disinhibition"
TEST = "q5_tests"


@pytest.fixture(autouse=True)
def _empty_ledger():
    C.LEDGER.clear()
    yield
    C.LEDGER.clear()


def _three(first_ok=True, second_ok=True, third=None):
    checks = C.Checks(points=3)
    with checks.part("a", points=1):
        if not first_ok:
            raise AssertionError("a is wrong")
    with checks.part("b", points=1.5):
        if not second_ok:
            raise AssertionError("b is wrong")
    with checks.part("c", points=0.5):
        if third is not None:
            raise third
    return checks


def test_all_parts_passing_gives_no_value_and_full_credit():
    assert _three().result() is None
    assert C.earned_points(C.LEDGER[-1]) == (3.0, 3.0)


def test_some_parts_failing_give_the_points_of_the_others_and_every_message():
    checks = _three(second_ok=False, third=NameError("name 'x' is not defined"))
    score = checks.result()
    assert score == 1.0 and repr(score) == "1.0"  # what nbgrader reads as partial credit
    parts = C.LEDGER[-1]["parts"]
    assert [p["passed"] for p in parts] == [True, False, False]
    assert parts[1]["message"] == "b is wrong"
    assert parts[2]["message"] == "NameError: name 'x' is not defined"
    text = checks.text()
    assert "1 of 3 points" in text and "FAILED  b (1.5 pt): b is wrong" in text
    assert "passed  a (1 pt)" in text


def test_no_part_passing_fails_the_cell_with_the_first_parts_error():
    checks = _three(first_ok=False, second_ok=False, third=TypeError("c is not a number"))
    with pytest.raises(AssertionError, match="a is wrong"):
        checks.result()
    assert C.earned_points(C.LEDGER[-1]) == (0.0, 3.0)
    partial = _three(first_ok=False, second_ok=False)
    assert partial.result() == 0.5, "the one part that passed keeps its half point"

    nothing = C.Checks(points=1)
    with nothing.part("only", points=1):
        raise ValueError("dose_mg must be positive")
    with pytest.raises(ValueError, match="dose_mg must be positive"):
        nothing.result()


def test_a_timeout_is_not_caught_by_a_part():
    checks = C.Checks(points=1)
    with pytest.raises(KeyboardInterrupt), checks.part("slow", points=1):
        raise KeyboardInterrupt  # how the grader interrupts a cell at its time limit


@pytest.mark.parametrize("build, error", [
    (lambda: C.Checks(points=0), "points must be a positive number of points; got 0"),
    (lambda: C.Checks(points=float("nan")), "points must be a positive number"),
    (lambda: C.Checks(points=True), "points must be a positive number"),
])
def test_bad_points_are_refused_by_name(build, error):
    with pytest.raises(ValueError, match=error):
        build()


def test_parts_must_add_up_and_differ_in_name():
    checks = C.Checks(points=2)
    with checks.part("a", points=1):
        pass
    with pytest.raises(ValueError, match="add up to points=2; they add up to 1"):
        checks.result()
    with pytest.raises(ValueError, match="'a' is used twice"), checks.part("a", points=1):
        pass
    with pytest.raises(ValueError, match="a Checks needs at least one part"):
        C.Checks(points=1).result()


# -- graded for real: the course's grader and plain nbgrader --------------------------------------
WRONG_RISE = '''
ntx_trough_occupancy = naltrexone_trough_occupancy(ntx_daily_dose_mg)
rise_with_naltrexone_percent = percent_rise(max(morphine_occupancy - ntx_trough_occupancy, 0.0))
share_of_surge_blocked = 1 - ((rise_with_naltrexone_percent - percent_rise(0.0, ntx_trough_occupancy))
                              / percent_rise(morphine_occupancy))


def share_blocked_at(x):
    occ = x / (1 + x)
    return 1 - ((percent_rise(occ, ntx_trough_occupancy) - percent_rise(0.0, ntx_trough_occupancy))
                / percent_rise(occ))


challenge_half_blocked_x_kd = brentq(lambda x: share_blocked_at(x) - 0.5, 1e-4, 1e3)
'''
# Each tries to turn the two points that WRONG_RISE keeps into four.
_SILENCE = '''
import naltrexone_lab.tooling.checks as _c


class _Quiet(float):
    def __float__(self):
        _c.Checks.result = lambda self, *args: None  # no ledger entry, no partial value
        return float.__float__(self)


ntx_trough_occupancy = _Quiet(ntx_trough_occupancy)
'''
_DISPLAYED = '''
import sys as _sys

from IPython.display import display as _display


class _Loud(float):
    def __float__(self):
        _sys.displayhook(4.0)  # an execute_result "4.0" in the middle of the test cell
        _display({"text/plain": "4.0", "application/vnd.naltrexone.checks+json":
                  {"points": 4.0, "parts": [{"name": "all", "points": 4.0, "passed": True}]}},
                 raw=True)  # and a forged summary of the parts
        return float.__float__(self)


ntx_trough_occupancy = _Loud(ntx_trough_occupancy)
'''
# Each notebook is graded (about 7 s), so the display tricks share one, and the silenced record
# is tried together with a forged record of its own (without the forgery the same code path
# ends in the same GradingIntegrityError).
ATTEMPTS = {"displayed": _DISPLAYED, "forged_record": _SILENCE}
PLAIN = ("right", "wrong_rise")


def _notebooks():
    released = nbformat.read(str(course_root() / "exercises" / EX / f"{EX}.ipynb"), as_version=4)
    solution = nbformat.read(str(solution_notebook(EX)), as_version=4)
    books = {"right": fill_in_solutions(released, solution),
             "wrong_rise": fill_in_solutions(released, solution, {"q5_blocked": WRONG_RISE})}
    for name, extra in ATTEMPTS.items():
        books[name] = fill_in_solutions(released, solution, {"q5_blocked": WRONG_RISE + extra})
    # the silenced record, and a full-marks record of its own written into the test cell's
    # metadata (nbgrader restores the cell's source from the gradebook, not this)
    forged = books["forged_record"]
    for cell in forged.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == TEST:
            cell.metadata["naltrexone"] = {"parts": [{"points": 4.0, "parts": [
                {"name": "all", "points": 4.0, "passed": True, "error": "", "message": ""}]}]}
    return books


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every notebook graded by the course's grader; the right and the wrong answer also by
    plain `nbgrader autograde` in a course of their own (the escapes run through the same
    GuardedExecute either way, so grading them twice would add time and no check)."""
    books = _notebooks()
    ours = autograde_notebooks(books, EX, keep_dir=tmp_path_factory.mktemp("kept"))
    course = make_course(tmp_path_factory.mktemp("plain") / "course", EX)
    for student in PLAIN:
        submit(course, student, books[student], name=f"{EX}.ipynb", assignment=EX)
    subprocess.run(nbgrader_command(["autograde", EX, "--log-level=ERROR"]), cwd=course,
                   env=nbgrader_env(), check=True, capture_output=True)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        plain = {s: {g.name: g.score for g in gb.find_submission(EX, s).notebooks[0].grades}
                 for s in PLAIN}
    return ours, plain, course


def _q(report):
    return next(q for q in report.questions if q.grade_id == TEST)


@pytest.mark.slow
@pytest.mark.notebook
def test_a_wrong_part_costs_its_points_and_every_failed_part_is_named(graded):
    ours, plain, _ = graded
    assert _q(ours["right"]).score == 4.0 and all(p.passed for p in _q(ours["right"]).parts)
    q = _q(ours["wrong_rise"])
    # the occupancy and the half-blocked challenge are right; the rise and the share built on it
    # are wrong, and each says why
    assert q.score == 2.0, q
    assert [(p.name, p.passed) for p in q.parts] == [
        ("ntx_trough_occupancy", True), ("rise_with_naltrexone_percent", False),
        ("share_of_surge_blocked", False), ("challenge_half_blocked_x_kd", True)]
    assert "compete" in q.parts[1].message and "share_of_surge_blocked" in q.parts[2].message
    assert q.message == q.parts[1].message, "the question's message is its first failed part's"


@pytest.mark.slow
@pytest.mark.notebook
def test_plain_nbgrader_gives_the_same_partial_credit(graded):
    ours, plain, _ = graded
    for student in PLAIN:
        report = ours[student]
        assert {q.grade_id: q.score for q in report.questions if q.auto} == \
            {k: v for k, v in plain[student].items() if k in {q.grade_id for q in report.questions
                                                                if q.auto}}, student


@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.parametrize("attempt", sorted(ATTEMPTS))
def test_an_answer_cannot_raise_its_partial_credit(graded, attempt):
    ours, plain, _ = graded
    assert _q(ours[attempt]).score <= 2.0, attempt
    if attempt == "forged_record":  # not recorded: the test fails as tampered
        assert _q(ours[attempt]).score == 0.0
        assert "GradingIntegrityError" in _q(ours[attempt]).message


@pytest.mark.slow
@pytest.mark.notebook
def test_the_feedback_page_names_the_failed_parts_and_shows_no_hidden_test(graded, capsys):
    _, _, course = graded
    assert cli.main(["feedback", EX, "--course", str(course), "--force"]) == 0, \
        capsys.readouterr().err
    page = (course / "feedback" / "wrong_rise" / EX / f"{EX}.html").read_text()
    assert "these parts failed, the others passed: rise_with_naltrexone_percent" in page
    assert "this question passed" in (course / "feedback" / "right" / EX / f"{EX}.html").read_text()
    assert not any(line in page for line in hidden_lines(solution_notebook(EX)))


@pytest.mark.slow
@pytest.mark.notebook
def test_the_learner_reads_each_failed_parts_message_after_the_scrub(graded):
    """check scrubs messages that reproduce hidden tests; a message a hidden test prints on
    purpose, written as a parenthesised string on its own line, is not such a reproduction."""
    from naltrexone_lab.tooling.selfcheck import scrub_report

    ours, _, _ = graded
    q = _q(scrub_report(ours["wrong_rise"]))
    failed = [p for p in q.parts if not p.passed]
    assert failed and all("not shown" not in p.message for p in failed), failed
    assert "compete" in failed[0].message


@pytest.mark.slow
@pytest.mark.notebook
def test_the_class_report_counts_every_failed_part(graded):
    """The instructor's report (issue 18) groups failed checks by message; a question of parts
    contributes the message of each part that failed, not only the first."""
    from naltrexone_lab.tooling.report import class_report

    _, _, course = graded
    q = next(q for q in class_report(course, EX).questions if q.grade_id == TEST)
    assert sorted(q.scores) == [2.0, 4.0]
    texts = [q.examples[m] for m in q.checks]
    assert len(texts) == 2 and all(q.checks[m] == 1 for m in q.checks), q.checks
    assert any("compete" in t for t in texts) and any("share_of_surge_blocked" in t for t in texts)
