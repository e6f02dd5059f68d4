"""The class report (issue 18): ``naltrexone-course report`` matches the gradebook and groups
the failed checks, so an instructor sees what the class misunderstood."""

from __future__ import annotations

import csv
import re

import pytest
from corpus import EX, _solved, make_course, released, submit

from naltrexone_lab.tooling import cli
from naltrexone_lab.tooling.classroom import _db_url, grade_class
from naltrexone_lab.tooling.report import mask_numbers, write_report

pytestmark = pytest.mark.slow

ADDED_NOT_MULTIPLIED = {"q2_gaddum": "def gaddum_occupancy(a, b, ka, kb):\n    return a / (a + ka + b / kb)"}
FREE_FRACTION = {"q1_occupancy": "def occupancy(conc_nM, kd_nM):\n    return kd_nM / (conc_nM + kd_nM)"}


def test_mask_numbers_keeps_names():
    assert mask_numbers("got 0.26 (q4, log10 of 1e-9) and -3%  at C=5") == \
        "got # (q4, log10 of #) and # at C=#"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("report") / "course")
    submit(course, "s1", _solved(course))
    submit(course, "s2", _solved(course, ADDED_NOT_MULTIPLIED))
    submit(course, "s3", _solved(course, ADDED_NOT_MULTIPLIED))
    submit(course, "s4", _solved(course, {**ADDED_NOT_MULTIPLIED, **FREE_FRACTION}))
    submit(course, "s5", released(course))
    submit(course, "s6", "not a notebook")
    grade_class(course, [EX], jobs=2)
    return course


def test_report_numbers_match_the_gradebook(graded, tmp_path, capsys):
    from nbgrader.api import Gradebook

    assert cli.main(["report", EX, "--course", str(graded), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "5 students in the report" in out and "1 without a score" in out
    rows = list(csv.DictReader((tmp_path / f"report-{EX}.csv").open()))
    questions = {r["grade_id"]: r for r in rows if r["kind"] == "question"}
    with Gradebook(_db_url(graded)) as gb:
        for gid, row in questions.items():
            scores = [g.score for s in ("s1", "s2", "s3", "s4", "s5")
                      for nb in gb.find_submission(EX, s).notebooks for g in nb.grades
                      if g.name == gid and not g.needs_manual_grade]
            if not scores:
                continue
            assert int(row["students"]) == len(scores) == 5, gid
            assert float(row["mean_points"]) == pytest.approx(sum(scores) / 5, rel=1e-3), gid
    assert float(questions["q2_tests"]["full_marks_share"]) == pytest.approx(0.2)  # s1 only
    assert float(questions["q1_tests"]["full_marks_share"]) == pytest.approx(0.6)  # s1-s3
    assert questions["q6_task"]["pending"] == "5", "every written answer waits for a hand grade"


def test_report_groups_one_misconception_across_students(graded, tmp_path):
    write_report(graded, EX, tmp_path)
    rows = list(csv.DictReader((tmp_path / f"report-{EX}.csv").open()))
    q2 = sorted((int(r["check_students"]), r["check_message"]) for r in rows
                if r["kind"] == "check" and r["grade_id"] == "q2_tests")
    assert q2[-1][0] == 3, f"s2, s3 and s4 made the same mistake: {q2}"
    assert "(1 + B/KB) multiplies KA" in q2[-1][1] or "KA" in q2[-1][1]
    assert sum(n for n, _ in q2) == 4, "s5's blank answer is its own group"
    named = {r["known_misconceptions"] for r in rows if r["kind"] == "check" and r["grade_id"] == "q2_tests"
             and int(r["check_students"]) == 3}
    assert named == {"antagonist term added, not multiplying KA"}, "the group carries its name"
    free = [r["known_misconceptions"] for r in rows if r["kind"] == "check" and r["grade_id"] == "q1_tests"
            and "Kd/(C+Kd)" in r["known_misconceptions"]]
    assert free, "s4's free-fraction answer is named too"
    q1 = [r for r in rows if r["kind"] == "check" and r["grade_id"] == "q1_tests"]
    assert sum(int(r["check_students"]) for r in q1) == 2


def test_report_page_is_offline_and_describes_its_charts(graded, tmp_path):
    page, _, rep = write_report(graded, EX, tmp_path)
    text = page.read_text()
    assert not re.search(r"""<script[^>]+src=|<link[^>]+href=["']https?:""", text), "no external file"
    assert "Plotly.newPlot" in text and len(text) > 1_000_000, "plotly.js is inside the page"
    assert text.count('role="img"') == sum(1 for q in rep.questions if q.scores)
    assert "s6: unreadable" in text
    assert "antagonist term added, not multiplying KA: 3 students" in text


def test_report_refuses_an_unknown_exercise(graded, tmp_path, capsys):
    assert cli.main(["report", "ex99_none", "--course", str(graded), "--out", str(tmp_path)]) == 2
    assert "ex99_none" in capsys.readouterr().err
