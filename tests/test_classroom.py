"""Grading a class: naltrexone-course grade and feedback against a corpus of real-world
submissions, checked against plain sequential nbgrader."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from corpus import EX, build_corpus, make_course

from naltrexone_lab.tooling import cli
from naltrexone_lab.tooling.classroom import grade_class
from naltrexone_lab.tooling.classroom_feedback import hidden_lines
from naltrexone_lab.tooling.grading import nbgrader_command, nbgrader_env, solution_notebook

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The corpus graded by `grade --jobs 2`, and the expected outcome of each submission."""
    course = make_course(tmp_path_factory.mktemp("class") / "course", cell_timeout_s=5)
    expected = build_corpus(course)
    pristine = tmp_path_factory.mktemp("pristine") / "course"
    shutil.copytree(course, pristine)
    results = grade_class(course, jobs=2)
    return course, pristine, expected, {r.student: r for r in results}


def test_every_submission_gets_its_score_or_a_clear_status(graded):
    _, _, expected, results = graded
    assert set(results) == set(expected)
    for student, (status, score) in expected.items():
        r = results[student]
        assert r.status == status, (student, r.status, r.message)
        if score is not None:
            assert r.score == score, (student, r.score)
        if status not in ("graded",):
            assert r.message, f"{student}: a status other than graded must say why"


def test_grades_equal_plain_sequential_nbgrader(graded, tmp_path):
    """The gradable submissions, graded one after another by `nbgrader autograde` itself."""
    _, pristine, expected, results = graded
    course = tmp_path / "seq"
    shutil.copytree(pristine, course)
    for student, (status, _) in expected.items():
        if status not in ("graded", "timed out"):
            shutil.rmtree(course / "submitted" / student)
    subprocess.run(nbgrader_command(["autograde", EX, "--log-level=WARN"]),
                   cwd=course, env=nbgrader_env(), check=True, capture_output=True)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, (status, _) in expected.items():
            if status in ("graded", "timed out"):
                sub = gb.find_submission(EX, student)
                per_cell = {g.name: g.score for g in sub.notebooks[0].grades}
                assert results[student].score == sub.score, student
                assert sum(per_cell.values()) == sub.score


def test_resume_skips_graded_and_force_regrades(graded):
    course, _, _, _ = graded
    again = {r.student: r for r in grade_class(course, jobs=2)}
    assert again["s02_solved"].status == "already graded" and again["s02_solved"].score == 12.0
    forced = {r.student: r for r in grade_class(course, [EX], jobs=1, force=True)}
    assert forced["s02_solved"].status == "graded" and forced["s02_solved"].score == 12.0


def test_cli_grade_prints_progress_and_a_table(graded, capsys):
    course, _, _, _ = graded
    code = cli.main(["grade", "--course", str(course), "--jobs", "2"])
    out = capsys.readouterr()
    assert code == 0
    assert "10/10" in out.err, "a progress line per submission"
    assert "s02_solved" in out.out and "12/16" in out.out
    assert "s08_kernel_exits ex01_antagonism: kernel died" in out.out


def test_feedback_replaces_hidden_tests_with_results(graded, capsys):
    course, _, _, _ = graded
    code = cli.main(["feedback", EX, "--course", str(course), "--force"])
    assert code == 0, capsys.readouterr().err
    pages = sorted((course / "feedback").glob(f"*/{EX}/*.html"))
    assert pages
    secret = hidden_lines(solution_notebook(EX))
    solved = (course / "feedback" / "s02_solved" / EX / f"{EX}.html").read_text()
    assert "this question passed" in solved
    edited = (course / "feedback" / "s04_tests_edited" / EX / f"{EX}.html").read_text()
    assert "this question failed with AssertionError" in edited
    for page in pages:
        text = page.read_text()
        assert not any(line in text for line in secret), page
        assert "----&gt;" not in text and "---->" not in text, f"{page} quotes a traceback's source"


def test_feedback_refuses_a_course_without_the_safe_preprocessor(graded, tmp_path, capsys):
    course, _, _, _ = graded
    bare = tmp_path / "bare"
    shutil.copytree(course, bare)
    config = (bare / "nbgrader_config.py").read_text()
    (bare / "nbgrader_config.py").write_text(
        config + "\nc.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor]\n")
    code = cli.main(["feedback", EX, "--course", str(bare), "--force"])
    assert code == 2
    assert "shows hidden test code" in capsys.readouterr().err


def test_grade_rejects_a_folder_that_is_not_a_course(tmp_path, capsys):
    code = cli.main(["grade", "--course", str(tmp_path)])
    assert code == 2
    assert "is not an nbgrader course" in capsys.readouterr().err
    Path(tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    code = cli.main(["grade", "--course", str(tmp_path)])
    assert code == 2 and "no submitted/ folder" in capsys.readouterr().err
