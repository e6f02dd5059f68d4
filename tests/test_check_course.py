"""The students' self-check course (issue 22): ``naltrexone-course student-check``.

On a JupyterHub the students' image holds the installed package and no ``solutions/``. The check
course it gets holds the tests and hints but no answer and no mark scheme; nbgrader makes the same
student version from it, and a check there scores what it scores in the full course.
"""

from __future__ import annotations

import json
import stat

import nbformat
import pytest
from helpers import EXERCISE_NOTEBOOKS, ROOT
from misconceptions.ex01_antagonism import MISCONCEPTIONS

from naltrexone_lab.tooling import hints as H
from naltrexone_lab.tooling.feedback import normalised_words, secret_fragments
from naltrexone_lab.tooling.grading import (
    COURSE_ENV,
    autograde_notebooks,
    fill_in_solutions,
    solution_notebook,
)
from naltrexone_lab.tooling.kit import (
    SECRET_FILE,
    is_check_course,
    make_check_course,
    make_kit,
)
from naltrexone_lab.tooling.markers import BEGIN_HIDDEN, END_HIDDEN, region_lines

EX = "ex01_antagonism"
ALL = [p.parent.name for p in EXERCISE_NOTEBOOKS]


def _text_of(folder) -> str:
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".ipynb":
            parts += [c.source for c in nbformat.read(str(path), as_version=4).cells]
        elif path.is_file():
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def _sources(path) -> list[str]:
    return [c.source for c in nbformat.read(str(path), as_version=4).cells]


def test_no_answer_or_mark_scheme_reaches_the_check_course_and_every_test_does(tmp_path):
    made = make_check_course(tmp_path / "check", generate=False)
    assert made["exercises"] == ALL and is_check_course(made["path"])
    for name in ALL:
        instructor = nbformat.read(str(solution_notebook(name)), as_version=4)
        release = "\n".join(_sources(ROOT / "exercises" / name / f"{name}.ipynb"))
        fragments = secret_fragments(instructor.cells, release)
        text = _text_of(made["path"] / "solutions" / name)
        answers = [f for f, kind in fragments.items() if kind != "hidden test code"]
        hidden = [f for f, kind in fragments.items() if kind == "hidden test code"]
        assert answers and hidden, name
        words = normalised_words(text)
        # a line of an answer that a hidden test repeats (the same time grid) stays, as a test
        tested = normalised_words("\n".join(
            line for c in instructor.cells for line in region_lines(c.source, BEGIN_HIDDEN,
                                                                     END_HIDDEN)))
        leaked = [f for f in answers if f in words and f not in tested]
        assert not leaked, f"{name}: answer lines in the check course: {leaked[:3]}"
        lost = [f for f in hidden if f not in words]
        assert not lost, f"{name}: hidden tests missing from the check course: {lost[:3]}"
        assert (made["path"] / "solutions" / name / "hints.toml").is_file()


def test_check_course_refuses_a_private_kit_and_a_bad_key(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="key must be a class key"):
        make_check_course(tmp_path / "a", key="not-a-key", generate=False)
    kit = make_kit(tmp_path / "kit", course_id="pharm301", exercises=[EX], secret="s3cret",
                   generate=False)["path"]
    assert (kit / SECRET_FILE).is_file()
    monkeypatch.setenv(COURSE_ENV, str(kit))
    with pytest.raises(ValueError, match="is a private kit"):
        make_check_course(tmp_path / "b", generate=False)


@pytest.mark.slow
@pytest.mark.notebook
def test_a_check_in_the_check_course_scores_what_the_full_course_scores(tmp_path, monkeypatch):
    made = make_check_course(tmp_path / "check", exercises=[EX])
    check = made["path"]
    assert _sources(check / "exercises" / EX / f"{EX}.ipynb") == _sources(
        ROOT / "exercises" / EX / f"{EX}.ipynb"), "nbgrader made another student version"
    mode = {p.relative_to(check): stat.S_IMODE(p.stat().st_mode) for p in check.rglob("*")}
    assert all(m & 0o004 for m in mode.values()), "every user must be able to read it"
    released = nbformat.read(str(ROOT / "exercises" / EX / f"{EX}.ipynb"), as_version=4)
    instructor = nbformat.read(str(solution_notebook(EX)), as_version=4)
    (label, wrong), = MISCONCEPTIONS["q1_tests"][:1]
    notebooks = {"right": fill_in_solutions(released, instructor),
                 "wrong": fill_in_solutions(released, instructor, wrong),
                 "blank": released}
    monkeypatch.setenv(COURSE_ENV, str(check))
    there = autograde_notebooks(notebooks, EX)
    # what the full course gives these three (tests/test_grading.py grades them there): full
    # marks, nothing, and the misconception's question lost with every other kept
    assert there["right"].auto_score == there["right"].auto_max == 12
    assert there["blank"].auto_score == 0
    lost = {q.grade_id: q.score for q in there["wrong"].questions if q.auto and q.score < q.max_score}
    assert lost == {"q1_tests": 0}, (label, lost)

    # hints open there as in the full course; the worked solution does not exist there
    folder = tmp_path / "my_work" / EX
    folder.mkdir(parents=True)
    nb = folder / f"{EX}.ipynb"
    nbformat.write(released, str(nb))
    (folder / ".naltrexone-variant").write_text("local: abc123\n")
    home = tmp_path / "home"
    home.mkdir()
    (home / "progress.json").write_text(json.dumps({EX: {
        "score": 0, "max_score": 12, "notebook": str(nb.resolve()), "failed": ["q1_tests"],
        "passed": [], "attempts": {"q1_tests": ["a", "b", "c"]}}}))
    steps = [H.next_hint(nb, "1", home=home, environ={}) for _ in range(3)]
    assert [len(s.hints) for s in steps] == [1, 2, 2]
    assert not steps[2].solution and "holds no solutions" in steps[2].note


def test_the_hub_students_nbgrader_ignores_what_the_course_ignores():
    """A student's ``nbgrader submit`` reads jupyter-config/hub-student/nbgrader_config.py, not the
    course's: the same patterns keep the self-check's report out of every submission."""
    from traitlets.config import PyFileConfigLoader

    course = PyFileConfigLoader("nbgrader_config.py", str(ROOT)).load_config()
    hub = PyFileConfigLoader("nbgrader_config.py",
                             str(ROOT / "jupyter-config" / "hub-student")).load_config()
    assert "*.feedback.html" in course.CourseDirectory.ignore
    assert hub.CourseDirectory.ignore == course.CourseDirectory.ignore
