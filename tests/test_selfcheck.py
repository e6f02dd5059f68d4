"""The self-paced learner's command: naltrexone-course list / start / check / progress."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from helpers import ROOT, solution_lines

from naltrexone_lab.tooling import cli
from naltrexone_lab.tooling.classroom_feedback import hidden_lines
from naltrexone_lab.tooling.grading import (
    NotAnExercise,
    fill_in_solutions,
    identify_exercise,
    solution_notebook,
)
from naltrexone_lab.tooling.selfcheck import ProgressStore, question_labels, read_notebook, start_exercise
from naltrexone_lab.tooling.syllabus import CHAPTERS

EX = "ex01_antagonism"


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Progress goes to a temporary data home, never the tester's own."""
    monkeypatch.setenv("NALTREXONE_COURSE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def run_cli(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# -- syllabus and list ---------------------------------------------------------------------------
def test_syllabus_names_files_that_exist():
    for ch in CHAPTERS:
        if ch.notebook:
            assert (ROOT / ch.notebook).is_file(), ch.notebook
        if ch.exercise:
            assert (ROOT / "exercises" / ch.exercise / f"{ch.exercise}.ipynb").is_file()
            assert (ROOT / "solutions" / ch.exercise).is_dir()


def test_list_shows_chapters_times_and_paths(capsys):
    code, out, _ = run_cli(capsys, "list")
    assert code == 0
    assert "1. Opioid receptors and competitive antagonism  [60 min]" in out
    assert "exercises/ex01_antagonism/ex01_antagonism.ipynb  [45 min]" in out


# -- bad input: one line, non-zero exit, no traceback -------------------------------------------
def _bad_inputs(tmp_path):
    (tmp_path / "script.py").write_text("print('hello')\n")
    (tmp_path / "corrupt.ipynb").write_text('{"cells": [')
    (tmp_path / "plain.json").write_text('{"a": 1}')
    (tmp_path / "plain.ipynb").write_text('{"a": 1}')
    course_nb = ROOT / "course" / "01_opioid_antagonism.ipynb"
    (tmp_path / "lesson.ipynb").write_text(course_nb.read_text())
    released = nbformat.read(str(ROOT / "exercises" / EX / f"{EX}.ipynb"), as_version=4)
    other = nbformat.from_dict(json.loads(json.dumps(released)))
    for i, cell in enumerate(other.cells):
        if "nbgrader" in cell.metadata:
            cell.metadata["nbgrader"]["grade_id"] = f"other_course_{i}"
    nbformat.write(other, str(tmp_path / "other_course.ipynb"))
    renamed = nbformat.from_dict(json.loads(json.dumps(released)))
    for cell in renamed.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q2_tests":
            cell.metadata["nbgrader"]["grade_id"] = "my_q2"
    nbformat.write(renamed, str(tmp_path / "renamed.ipynb"))
    deleted = nbformat.from_dict(json.loads(json.dumps(released)))
    deleted.cells = [c for c in deleted.cells
                     if c.metadata.get("nbgrader", {}).get("grade_id") != "q4a_tests"]
    nbformat.write(deleted, str(tmp_path / "deleted.ipynb"))
    dup = nbformat.from_dict(json.loads(json.dumps(released)))
    extra = [c for c in dup.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1_tests"][0]
    dup.cells.append(nbformat.from_dict(json.loads(json.dumps(extra))))
    dup.cells[-1].id = "duplicate-cell"
    nbformat.write(dup, str(tmp_path / "duplicated.ipynb"))
    return {
        "missing.ipynb": "no such file",
        "script.py": "is not a notebook (expected a .ipynb file",
        "corrupt.ipynb": "is not valid notebook JSON (line 1",
        "plain.ipynb": "is JSON but not a Jupyter notebook",
        "lesson.ipynb": "has no nbgrader cells, so it is not an exercise of this course",
        "other_course.ipynb": "match no exercise of the naltrexone course",
        "renamed.ipynb": "missing the cells q2_tests (deleted, or their nbgrader ids changed)",
        "deleted.ipynb": "missing the cells q4a_tests",
        "duplicated.ipynb": "duplicated graded cells (q1_tests)",
        ".": "is a folder",
    }


def test_each_bad_input_gets_one_clear_line_and_exit_2(tmp_path, capsys):
    for name, expected in _bad_inputs(tmp_path).items():
        code, out, err = run_cli(capsys, "check", str(tmp_path / name))
        assert code == 2, name
        assert expected in err, (name, err)
        assert err.count("\n") == 1, f"{name}: more than one line: {err!r}"
        assert "Traceback" not in err + out


def test_identify_exercise_accepts_released_and_filled_in(released, solution):
    assert identify_exercise(released(EX)) == EX
    assert identify_exercise(fill_in_solutions(released(EX), solution(EX))) == EX
    with pytest.raises(NotAnExercise):
        identify_exercise(nbformat.v4.new_notebook())


def test_read_notebook_rejects_invalid_structure(tmp_path):
    bad = {"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "invalid.ipynb").write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="is not a valid Jupyter notebook"):
        read_notebook(tmp_path / "invalid.ipynb")


def test_question_labels_come_from_headings_and_docstrings():
    labels = question_labels(EX)
    assert labels["q1_tests"].startswith("Question 1: Check occupancy()")
    assert labels["q6_task"] == "Question 6: written answer (graded by your instructor)"


# -- progress and start ----------------------------------------------------------------------------
class _Fake:
    def __init__(self, score):
        from naltrexone_lab.tooling.grading import GradeReport, QuestionResult

        self.assignment = EX
        self.path = ROOT / "x.ipynb"
        self.report = GradeReport(EX, (QuestionResult("q1_tests", score, 2.0, True),
                                       QuestionResult("q6_task", 0.0, 4.0, False)))


def test_progress_records_the_latest_and_reads_back(private_home, capsys):
    import datetime as dt

    store = ProgressStore()
    store.record(_Fake(0.0), when=dt.datetime(2026, 1, 2, 3, 4))
    store.record(_Fake(2.0), when=dt.datetime(2026, 1, 5, 6, 7))
    assert ProgressStore().load()[EX]["score"] == 2.0
    assert store.path.parent == private_home
    code, out, _ = run_cli(capsys, "progress")
    assert code == 0
    assert "ex01_antagonism          2/2 autograded points, checked 2026-01-05 06:07" in out


def test_the_start_page_progress_view_shows_every_exercise_and_what_to_do(private_home, capsys,
                                                                          monkeypatch):
    """Issue 17: 00_start_here shows each exercise's latest score (notebook_check.show_progress)."""
    import datetime as dt

    from naltrexone_lab.tooling import notebook_check
    from naltrexone_lab.tooling.selfcheck import progress_rows
    from naltrexone_lab.tooling.syllabus import CHAPTERS

    ProgressStore().record(_Fake(0.0), when=dt.datetime(2026, 1, 2, 3, 4))
    rows = {r["exercise"]: r for r in progress_rows(ProgressStore().load())}
    assert list(rows) == [c.exercise for c in CHAPTERS if c.exercise]
    assert rows[EX]["score"] == 0.0 and rows[EX]["failed"] == ["q1_tests"]
    assert rows[EX]["next"].startswith("1 question to fix")
    other = next(e for e in rows if e != EX)
    assert rows[other]["score"] is None and f"naltrexone-course start {other}" in rows[other]["next"]

    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    notebook_check.show_progress()
    (page,) = shown
    assert "<caption>Your progress: 0 of " in page
    assert f'<th scope="row">{EX}</th>' in page and "0 / 2" in page and "2026-01-02 03:04" in page
    assert page.count("not checked yet") == len(rows) - 1

    ProgressStore().record(_Fake(2.0), when=dt.datetime(2026, 1, 5, 6, 7))
    assert progress_rows(ProgressStore().load())[0]["next"].startswith("every autograded question")


def test_damaged_progress_file_is_set_aside_not_fatal(private_home, capsys):
    private_home.mkdir(parents=True)
    (private_home / "progress.json").write_text("{not json")
    code, out, _ = run_cli(capsys, "progress")
    assert code == 0 and "not checked yet" in out
    assert (private_home / "progress.json.damaged").exists()


def test_start_copies_the_release_and_never_overwrites_work(tmp_path, capsys):
    first = start_exercise(EX, tmp_path)
    assert first.read_text() == (ROOT / "exercises" / EX / f"{EX}.ipynb").read_text()
    first.write_text(first.read_text().replace("Write your answer here", "my answer"))
    assert "my answer" in start_exercise(EX, tmp_path).read_text(), "an existing copy is kept"
    fresh = start_exercise(EX, tmp_path, fresh=True)
    assert "my answer" not in fresh.read_text()
    kept = [p for p in (tmp_path / EX).iterdir() if ".before-" in p.name]
    assert len(kept) == 1 and "my answer" in kept[0].read_text()
    code, _, err = run_cli(capsys, "start", "ex99_nothing")
    assert code == 2 and "exercise must be one of ex01_antagonism" in err


def test_exercises_end_with_a_read_only_check_your_work_cell():
    for path in sorted((ROOT / "exercises").glob("ex*/*.ipynb")):
        cells = nbformat.read(str(path), as_version=4).cells
        text, last = cells[-2], cells[-1]
        assert "naltrexone-course check" in text.source and text.metadata["nbgrader"]["locked"] is True
        assert last.cell_type == "code" and "check_this_notebook()" in last.source
        assert last.metadata["nbgrader"]["locked"] is True and not last.metadata["nbgrader"]["grade"]


def test_the_check_cell_imports_nothing_heavy_into_a_graded_kernel():
    """Every exercise's last cell imports naltrexone_lab.notebook_check, also at grading time:
    it must not pull in nbformat or nbgrader (selfcheck's 2 s import made a class with a 5 s cell
    limit time out)."""
    code = ("import sys, naltrexone_lab.notebook_check; "
            "print(sorted(m for m in ('nbformat', 'nbgrader', 'naltrexone_lab.tooling.selfcheck') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_in_notebook_check_never_runs_while_graded_or_outside_jupyterlab(monkeypatch, capsys):
    from naltrexone_lab.tooling import notebook_check as selfcheck
    from naltrexone_lab.tooling.variants import STUDENT_ENV

    def no_subprocess(*args, **kwargs):
        raise AssertionError("no check may start here")

    monkeypatch.setattr("subprocess.run", no_subprocess)
    monkeypatch.setenv(STUDENT_ENV, "s1")
    assert "does not run while the notebook is graded" in selfcheck.notebook_check()[1]
    monkeypatch.delenv(STUDENT_ENV)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert "naltrexone-course check" in selfcheck.notebook_check()[1]


@pytest.mark.slow
def test_the_in_notebook_check_grades_the_saved_notebook(tmp_path, monkeypatch, released, solution,
                                                          private_home):
    """What the exercise's last cell does in JupyterLab, where the kernel is told its notebook."""
    from naltrexone_lab.tooling import notebook_check as selfcheck

    path = tmp_path / EX / f"{EX}.ipynb"
    path.parent.mkdir()
    nbformat.write(fill_in_solutions(released(EX), solution(EX)), str(path))
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    header, text = selfcheck.notebook_check()
    assert "as saved at" in header
    assert "Autograded: 12/12 points (100%)" in text and "FAIL" not in text, text
    assert path.with_name(f"{EX}.feedback.html").is_file()
    assert ProgressStore().load()[EX]["score"] == 12.0


# -- grading for real ------------------------------------------------------------------------------
@pytest.mark.slow
def test_check_gives_full_marks_to_the_solution_and_zero_to_the_release(tmp_path, capsys, released,
                                                                        solution, private_home):
    blank = tmp_path / "blank" / f"{EX}.ipynb"
    blank.parent.mkdir()
    nbformat.write(released(EX), str(blank))
    code, out, err = run_cli(capsys, "check", str(blank))
    assert code == 0, err
    assert "Autograded: 0/12 points (0%)" in out

    solved = tmp_path / "solved" / f"{EX}.ipynb"
    solved.parent.mkdir()
    nbformat.write(fill_in_solutions(released(EX), solution(EX)), str(solved))
    code, out, err = run_cli(capsys, "check", str(solved))
    assert code == 0, err
    assert "Autograded: 12/12 points (100%)" in out
    assert "FAIL" not in out
    assert ProgressStore().load()[EX]["score"] == 12.0
    page = solved.with_name(f"{EX}.feedback.html").read_text()
    assert "12 / 12" in page


@pytest.mark.slow
def test_output_and_report_never_show_hidden_test_source(tmp_path, capsys, released, solution):
    """A partly wrong notebook fails hidden tests; their messages show, their code does not."""
    wrong = {"q2_gaddum": "def gaddum_occupancy(a, b, ka, kb):\n    return a / (a + ka + b / kb)",
             "q5_selectivity": "ntx_for_target_mu_nM = 9 * ki_nM('naltrexone', 'mu')\n"
                               "kappa_occupancy_at_target = 0.5\ndelta_occupancy_at_target = 0.5"}
    path = tmp_path / f"{EX}.ipynb"
    nbformat.write(fill_in_solutions(released(EX), solution(EX), wrong), str(path))
    report = tmp_path / "feedback.html"
    code, out, err = run_cli(capsys, "check", str(path), "--report", str(report))
    assert code == 0, err
    assert "the factor (1 + B/KB) multiplies KA" in out, "the hidden test's message is shown"
    page = report.read_text()
    for line in hidden_lines(solution_notebook(EX)) | solution_lines(solution_notebook(EX)):
        assert line not in out, f"hidden or solution source printed: {line}"
        assert line not in page, f"hidden or solution source in the report: {line}"


@pytest.mark.slow
def test_kernel_death_and_infinite_loop(tmp_path, capsys, released, solution):
    dies = tmp_path / "dies.ipynb"
    nbformat.write(fill_in_solutions(released(EX), solution(EX), {"q2_gaddum": "import os\nos._exit(3)"}),
                   str(dies))
    code, _, err = run_cli(capsys, "check", str(dies), "--no-record")
    assert code == 1
    assert "the Python kernel died" in err and err.count("\n") == 1

    loops = tmp_path / "loops.ipynb"
    nbformat.write(fill_in_solutions(released(EX), solution(EX), {"q1_occupancy": "while True:\n    pass"}),
                   str(loops))
    code, out, err = run_cli(capsys, "check", str(loops), "--no-record", "--timeout", "3")
    assert code == 0, err
    assert "your cell 'q1_occupancy' ran longer than 3 s" in out
    assert "FAIL    0/2  Question 1" in out


@pytest.mark.slow
def test_check_works_from_any_directory(tmp_path, released):
    nb = tmp_path / "elsewhere" / "copy.ipynb"
    nb.parent.mkdir()
    nbformat.write(released(EX), str(nb))
    proc = subprocess.run([sys.executable, "-m", "naltrexone_lab.tooling.cli", "check", "copy.ipynb",
                           "--no-record"], cwd=nb.parent, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Autograded: 0/12" in proc.stdout


def test_setup_gives_the_learner_a_copy_of_every_chapter_and_exercise_with_links_to_the_copies(tmp_path):
    """`make lab` opens my_work/course/00_start_here.ipynb: running and saving chapters there
    never changes a tracked notebook, and the syllabus links lead to the learner's own exercise
    copies, not to the released exercises/ that `git pull` updates."""
    import re as _re

    from naltrexone_lab.tooling.grading import course_root, exercise_names
    from naltrexone_lab.tooling.selfcheck import start_course

    start = start_course(tmp_path)
    assert start == tmp_path / "course" / "00_start_here.ipynb"
    tracked = sorted(p.name for p in (course_root() / "course").iterdir() if p.suffix in (".ipynb", ".md"))
    assert sorted(p.name for p in (tmp_path / "course").iterdir()) == tracked
    text = start.read_text(encoding="utf-8")
    assert "../exercises/" not in text
    linked = set(_re.findall(r"\(\.\./(ex\d\d_\w+)/(\w+\.ipynb)\)", text))
    assert {name for name, _ in linked} == set(exercise_names())
    for name, notebook in linked:
        assert (tmp_path / name / notebook).is_file()
    # a learner's saved work is never overwritten by running setup again
    start.write_text("my notes", encoding="utf-8")
    start_course(tmp_path)
    assert start.read_text(encoding="utf-8") == "my notes"
