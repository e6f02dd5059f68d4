"""Grading a class: naltrexone-course grade and feedback against a corpus of real-world
submissions, checked against plain sequential nbgrader."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from corpus import EX, build_corpus, make_course, submit

from naltrexone_lab.tooling import cli
from naltrexone_lab.tooling.classroom import find_submissions, grade_class
from naltrexone_lab.tooling.classroom_feedback import (
    generate_feedback,
    hidden_lines,
    instructor_only_fragments,
    page_leaks,
    students_own_text,
)
from naltrexone_lab.tooling.grading import nbgrader_command, nbgrader_env, solution_notebook
from naltrexone_lab.tooling.integrity import check_class

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
    # forced, for one student (as after a regrade request); the others stay as they were
    forced = {r.student: r for r in grade_class(course, [EX], jobs=1, force=True,
                                                students=["s02_solved"])}
    assert set(forced) == {"s02_solved"}
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
    # s04 answers q2 wrongly: its visible check fails first, so the hidden ones never ran
    edited = (course / "feedback" / "s04_tests_edited" / EX / f"{EX}.html").read_text()
    assert "did not run: a visible check above failed first (AssertionError" in edited
    fragments = instructor_only_fragments(solution_notebook(EX), course / "exercises" / EX / f"{EX}.ipynb")
    assert any(kind == "the mark scheme" for kind in fragments.values())
    for page in pages:
        text = page.read_text()
        assert not any(line in text for line in secret), page
        assert "MARK SCHEME" not in text, f"{page} shows the mark scheme"
        own = students_own_text(course / "submitted" / page.parent.parent.name / EX / f"{EX}.ipynb")
        assert page_leaks(text, fragments, own) == [], page
        assert "----&gt;" not in text and "---->" not in text, f"{page} quotes a traceback's source"
    loop = (course / "feedback" / "s07_infinite_loop" / EX / f"{EX}.html").read_text()
    assert "was stopped after 5 s" in loop, "a timed-out cell is not explained"
    capsys.readouterr()
    assert cli.main(["feedback", EX, "--course", str(course)]) == 0
    assert "kept as they were" in capsys.readouterr().out, "pages nbgrader skipped go unmentioned"


def test_integrity_flags_copies_markers_and_tampering_with_evidence(graded):
    course, _, _, _ = graded
    found = {(f.student, f.kind): f.evidence for f in check_class(course, find_submissions(course))}
    assert "q2_tests" in found[("s04_tests_edited", "test cell edited")]
    assert "q3_tests" in found[("s05_tests_deleted", "test cell deleted")]
    assert "BEGIN SOLUTION" in found[("s02_solved", "solution markers")]
    assert "q4_schild" in found[("s02_solved", "copy of the instructor solution")]
    assert "s05_tests_deleted" in found[("s02_solved", "identical to another student")]
    assert not any(student == "s01_blank" for student, _ in found), "a blank notebook was flagged"


_OWN_WORDS = {  # ex01 answered correctly in a student's own words
    "q1_occupancy": ("def occupancy(conc_nM, kd_nM):\n    c = np.array(conc_nM, float)\n"
                     "    return 1 / (1 + kd_nM / c)"),
    "q2_gaddum": ("def gaddum_occupancy(agonist_nM, antagonist_nM, agonist_kd_nM, antagonist_kd_nM):\n"
                  "    shifted_kd = agonist_kd_nM * (1 + np.array(antagonist_nM, float) / antagonist_kd_nM)\n"
                  "    return occupancy(agonist_nM, shifted_kd)"),
    "q3_tenfold": ("mu = ki_nM('naltrexone', 'mu')\ntenfold_binding_nM = 9 * mu\n"
                   "tenfold_in_vivo_nmol_per_kg = 9 * 1e9 / 10 ** IN_VIVO_PA2[0].pA2"),
    "q4_schild": ("def schild_fit(antagonist_nM, dose_ratios):\n"
                  "    logs = np.log10(np.array(antagonist_nM, float) / 1e9)\n"
                  "    fit = np.polyfit(logs, np.log10(np.array(dose_ratios, float) - 1), 1)\n"
                  "    return float(fit[1] / fit[0]), float(fit[0])\n\n"
                  "data_dose_ratios = ec50_nM[1:] / ec50_nM[0]\n"
                  "data_pA2, data_slope = schild_fit(antagonist_nM, data_dose_ratios)"),
}


def test_integrity_leaves_an_own_answer_alone_but_finds_its_twin(graded, tmp_path):
    _, pristine, _, _ = graded
    course = tmp_path / "course"
    shutil.copytree(pristine, course, ignore=shutil.ignore_patterns("submitted"))
    own = nbformat.read(str(course / "exercises" / EX / f"{EX}.ipynb"), as_version=4)
    for cell in own.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell.source = _OWN_WORDS.get(gid, cell.source)
    submit(course, "honest", own)
    assert check_class(course, find_submissions(course)) == []
    submit(course, "twin", own)
    kinds = {(f.student, f.kind) for f in check_class(course, find_submissions(course))}
    assert kinds == {("honest", "identical to another student"), ("twin", "identical to another student")}


def test_grade_marks_flagged_submissions_and_lists_the_evidence(graded, capsys):
    course, _, _, _ = graded
    assert cli.main(["grade", "--course", str(course)]) == 0
    out = capsys.readouterr().out
    assert "Integrity (! above)" in out and "s04_tests_edited ex01_antagonism: test cell edited" in out
    blank_row = next(line for line in out.splitlines() if line.startswith("s01_blank"))
    assert "!" not in blank_row


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


def test_a_failed_feedback_run_names_the_error_not_nbgraders_pointer_to_it(tmp_path, monkeypatch):
    """Seen on a JupyterHub: nbgrader's last line ("Please see the above traceback") was all the
    instructor got; the exception line above it says what broke."""
    (tmp_path / "nbgrader_config.py").write_text("")
    (tmp_path / "autograded" / "s1" / EX).mkdir(parents=True)
    stderr = ("[GenerateFeedbackApp | ERROR] Traceback (most recent call last):\n"
              '      File "css_parser.py", line 1542, in selector_iter\n'
              "    soupsieve.util.SelectorSyntaxError: Invalid character 'i' position 0\n"
              "    img:not([alt])\n"
              "[GenerateFeedbackApp | ERROR] Please see the the above traceback for details on the "
              "specific errors on the above failures.\n")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1, "", stderr))
    from naltrexone_lab.tooling.grading import GradingError

    with pytest.raises(GradingError, match=r"generate_feedback failed: soupsieve\.util\."
                                           r"SelectorSyntaxError: Invalid character"):
        generate_feedback(tmp_path, EX)
