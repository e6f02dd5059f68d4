"""Issue 21, the instructor's per-question limit on self-checks (NALTREXONE_CHECK_LIMIT)."""

from __future__ import annotations

import datetime as dt

import nbformat
import pytest

from naltrexone_lab.tooling import cli
from naltrexone_lab.tooling.checklimit import CheckLimit, CheckLog, answer_fingerprints
from naltrexone_lab.tooling.grading import fill_in_solutions
from naltrexone_lab.tooling.selfcheck import ProgressStore

EX = "ex01_antagonism"
T0 = dt.datetime(2026, 12, 3, 9, 0)


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NALTREXONE_COURSE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NALTREXONE_CHECK_LIMIT", raising=False)
    return tmp_path / "home"


@pytest.mark.parametrize("text", ["3", "three/60", "0/60", "3/0", "3/-5", "2000/60", "3/99999"])
def test_a_malformed_or_impossible_limit_is_refused_by_name(text):
    with pytest.raises(ValueError, match="NALTREXONE_CHECK_LIMIT|attempts|window_min"):
        CheckLimit.parse(text)


def test_no_variable_means_no_limit_and_a_set_one_is_read():
    assert CheckLimit.from_environment({}) is None
    assert CheckLimit.from_environment({"NALTREXONE_CHECK_LIMIT": " "}) is None
    assert CheckLimit.from_environment({"NALTREXONE_CHECK_LIMIT": "3/60"}) == CheckLimit(3, 60.0)


def test_each_question_shows_at_most_n_different_answers_per_window(private_home):
    log, limit = CheckLog(private_home), CheckLimit(2, 60)
    assert log.admit(EX, {"q1": "a", "q2": "x"}, limit, T0) == {}
    assert log.admit(EX, {"q1": "b", "q2": "x"}, limit, T0 + dt.timedelta(minutes=5)) == {}
    third = log.admit(EX, {"q1": "c", "q2": "x"}, limit, T0 + dt.timedelta(minutes=10))
    assert third == {"q1": T0 + dt.timedelta(minutes=60)}, "q2 was not changed and must stay shown"
    again = log.admit(EX, {"q1": "a", "q2": "y"}, limit, T0 + dt.timedelta(minutes=11))
    assert again == {}, "an answer already shown in the window reveals nothing new"
    assert log.admit(EX, {"q1": "d"}, limit, T0 + dt.timedelta(minutes=61)) == {}, "the window moved on"
    assert log.admit("ex02_pharmacokinetics", {"q1": "z"}, limit, T0 + dt.timedelta(minutes=12)) == {}


def test_a_damaged_log_is_treated_as_empty(private_home):
    private_home.mkdir(parents=True)
    (private_home / "checks.json").write_text("{not json")
    assert CheckLog(private_home).admit(EX, {"q1": "a"}, CheckLimit(1, 60), T0) == {}


def test_fingerprints_follow_each_questions_own_answer(released, solution):
    blank, solved = released(EX), fill_in_solutions(released(EX), solution(EX))
    fp_blank, fp_solved = answer_fingerprints(blank), answer_fingerprints(solved)
    assert fp_blank.keys() == fp_solved.keys() and len(fp_blank) >= 4
    assert all(fp_blank[g] != fp_solved[g] for g in fp_blank)
    one_changed = fill_in_solutions(released(EX), solution(EX),
                                    {"q2_gaddum": "def gaddum_occupancy(a, b, ka, kb):\n    return 0.5"})
    order = list(fp_solved)
    changed = [g for g, f in answer_fingerprints(one_changed).items() if f != fp_solved[g]]
    assert changed and changed == order[order.index(changed[0]):], "later questions may use q2"
    assert order.index(changed[0]) > 0, "an answer below a question's tests does not change it"
    assert answer_fingerprints(solved) == fp_solved


@pytest.mark.slow
def test_over_the_limit_a_question_shows_when_not_what(tmp_path, capsys, released, solution, monkeypatch):
    monkeypatch.setenv("NALTREXONE_CHECK_LIMIT", "1/60")
    path = tmp_path / f"{EX}.ipynb"

    def check(q2_body):
        wrong = {"q2_gaddum": f"def gaddum_occupancy(a, b, ka, kb):\n    return {q2_body}"}
        nbformat.write(fill_in_solutions(released(EX), solution(EX), wrong), str(path))
        code = cli.main(["check", str(path)])
        out = capsys.readouterr().out
        assert code == 0
        return out, path.with_name(f"{EX}.feedback.html").read_text()

    out, _ = check("a / (a + ka + b / kb)")
    assert "the factor (1 + B/KB) multiplies KA" in out and "limits self-checks: 1 different" in out
    baseline_total = ProgressStore().load()[EX]["score"]

    out, page = check("a / (a + ka * b)")
    assert "limit   ?/" in out and "check it again after" in out
    assert "multiplies KA" not in out and "multiplies KA" not in page, "a withheld message was shown"
    assert "questions shown" in out and "not shown" in page and "FAIL" not in out
    assert "Progress not updated" in out and ProgressStore().load()[EX]["score"] == baseline_total

    out, _ = check("a / (a + ka + b / kb)")
    assert "multiplies KA" in out, "re-checking an answer already seen must stay free"
