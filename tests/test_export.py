"""Grade exports an LMS accepts: every student, blanks with reasons, never a 0 that looks earned."""

from __future__ import annotations

import csv

import pytest
from corpus import EX, NB, _solved, make_course, released, submit

from naltrexone_lab.tooling.classroom import grade_class, recorded_statuses
from naltrexone_lab.tooling.export import class_table, write_export

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("export") / "course")
    submit(course, "12345", _solved(course))                 # right answers
    submit(course, "23456", released(course))                # handed in blank: a real 0
    submit(course, "34567", "this is not a notebook")        # unreadable
    killer = _solved(course, {"q2_gaddum": "import os\nos._exit(1)\n"})
    submit(course, "45678", killer)                          # kills its kernel
    submit(course, "56789", _solved(course), name="answers.ipynb")  # wrong file name
    results = grade_class(course, [EX], jobs=1)
    return course, {r.student: r for r in results}


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_statuses_are_kept_for_the_export(graded_class):
    course, results = graded_class
    recorded = {s: v[EX]["status"] for s, v in recorded_statuses(course).items()}
    assert recorded == {"12345": "graded", "23456": "graded", "34567": "unreadable",
                        "45678": "kernel died", "56789": "missing notebook"}


def test_plain_csv_has_every_student_and_tells_a_zero_from_no_grade(graded_class, tmp_path):
    course, _ = graded_class
    path, blanks = write_export(course, tmp_path / "g.csv")
    rows = {r[0]: r for r in _rows(path)[1:]}
    assert sorted(rows) == ["12345", "23456", "34567", "45678", "56789"]
    header = _rows(path)[0]
    col = {name: i for i, name in enumerate(header)}
    score, status = col[f"{EX}_score"], col[f"{EX}_status"]
    assert (rows["23456"][score], rows["23456"][status]) == ("0", "manual grading pending")
    assert (rows["34567"][score], rows["34567"][status]) == ("", "unreadable")
    assert (rows["45678"][score], rows["45678"][status]) == ("", "kernel died")
    assert rows["12345"][score] == "12" and rows["12345"][status] == "manual grading pending"
    assert any(line.startswith("34567 ") and "unreadable" in line for line in blanks)


def test_canvas_import_writes_only_final_scores(graded_class, tmp_path):
    from nbgrader.api import Gradebook

    from naltrexone_lab.tooling.classroom import _db_url

    course, _ = graded_class
    path, _ = write_export(course, tmp_path / "canvas.csv", "canvas")
    rows = _rows(path)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", EX]
    assert rows[1][0] == "Points Possible" and rows[1][5] == "16"
    assert all(r[5] == "" for r in rows[2:]), "no score is final before the written answers"
    # the instructor grades 12345's written answer: that score becomes final, the others wait
    with Gradebook(_db_url(course)) as gb:
        grade = gb.find_grade("q6_task", NB[:-len(".ipynb")], EX, "12345")
        grade.manual_score = 3
        grade.needs_manual_grade = False
        gb.db.commit()
    rows = {r[1]: r for r in _rows(write_export(course, tmp_path / "canvas2.csv", "canvas")[0])[2:]}
    assert rows["12345"][5] == "15"
    assert rows["34567"][5] == "" and rows["45678"][5] == ""


def test_moodle_worksheet_names_participants_and_says_why_a_grade_is_missing(graded_class,
                                                                             tmp_path):
    course, _ = graded_class
    rows = _rows(write_export(course, tmp_path / "moodle.csv", "moodle", [EX])[0])
    assert rows[0] == ["Identifier", "Full name", "Email address", "Grade", "Maximum Grade",
                       "Feedback comments"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["45678"][5] == "not graded: kernel died"
    with pytest.raises(ValueError, match="one assignment"):
        write_export(course, tmp_path / "x.csv", "moodle", [EX, EX])


def test_unknown_assignment_or_format_is_refused(graded_class, tmp_path):
    course, _ = graded_class
    with pytest.raises(ValueError, match="assignments must be in the gradebook"):
        class_table(course, ["ex99_none"])
    with pytest.raises(ValueError, match="format must be one of"):
        write_export(course, tmp_path / "x.csv", "blackboard")


def test_grade_one_student_again(graded_class):
    course, _ = graded_class
    results = grade_class(course, [EX], jobs=1, students=["23456"], force=True)
    assert [(r.student, r.status) for r in results] == [("23456", "graded")]
    assert recorded_statuses(course)["45678"][EX]["status"] == "kernel died"  # others kept
    with pytest.raises(ValueError, match="no submission from nobody"):
        grade_class(course, [EX], students=["nobody"])


def test_a_locked_gradebook_fails_clearly_and_keeps_the_previous_grade(graded_class, monkeypatch):
    """A long formgrader transaction holds the gradebook: grading waits, then says so in one
    line, and the student's previous autograded notebook and score are still there."""
    import sqlite3

    from naltrexone_lab.tooling.classroom import LOCK_WAIT_ENV

    course, _ = graded_class
    previous = course / "autograded" / "12345" / EX / NB
    assert previous.is_file()
    before = previous.read_bytes()
    monkeypatch.setenv(LOCK_WAIT_ENV, "6")
    holder = sqlite3.connect(str(course / "gradebook.db"), timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    notices = []
    try:
        results = grade_class(course, [EX], jobs=1, students=["12345"], force=True,
                              notify=notices.append)
    finally:
        holder.rollback()
        holder.close()
    (r,) = results
    assert r.status == "failed" and "gradebook stayed locked" in r.message, r
    assert "previous autograded notebook and grade are kept" in r.message
    assert notices and "locked" in notices[0]
    assert previous.read_bytes() == before


def test_regrading_keeps_hand_grades_of_unchanged_answers_and_flags_changed_ones(tmp_path):
    from nbgrader.api import Gradebook

    from naltrexone_lab.tooling.classroom import _db_url

    course = make_course(tmp_path / "course")
    nb = _solved(course)
    answer = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
                  and "Write your answer here" in c.source)
    nb.cells[answer].source = "Naltrexone binds the mu receptor and does not activate it."
    submit(course, "12345", nb)
    grade_class(course, [EX], jobs=1)
    with Gradebook(_db_url(course)) as gb:
        grade = gb.find_grade("q6_task", NB[:-len(".ipynb")], EX, "12345")
        grade.manual_score, grade.needs_manual_grade = 3, False
        gb.db.commit()

    def state():
        with Gradebook(_db_url(course)) as gb:
            g = gb.find_grade("q6_task", NB[:-len(".ipynb")], EX, "12345")
            return g.manual_score, g.needs_manual_grade

    # resubmitted unchanged (the LMS route rewrites files): the hand grade stands
    (r,) = grade_class(course, [EX], jobs=1, force=True)
    assert r.notes == [] and state() == (3, False)
    _, _, cells = class_table(course, [EX])
    assert cells[("12345", EX)].final and cells[("12345", EX)].score == 15
    # the written answer changed: the old score stays visible, flagged for grading again
    nb.cells[answer].source += " It also blocks endorphins."
    submit(course, "12345", nb)
    (r,) = grade_class(course, [EX], jobs=1, force=True)
    assert any("q6_task" in n and "grade it again" in n for n in r.notes), r.notes
    assert state() == (3, True)
    _, _, cells = class_table(course, [EX])
    assert cells[("12345", EX)].status == "manual grading pending"
