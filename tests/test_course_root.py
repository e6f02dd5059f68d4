"""Where the tooling finds the course: ``$NALTREXONE_COURSE``, else the current directory or a
folder above it, else the editable checkout (an installed package works in any course copy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from naltrexone_lab.tooling.grading import COURSE_ENV, course_root, exercise_names

CHECKOUT = Path(__file__).resolve().parents[1]


def _course(folder: Path, *exercises: str) -> Path:
    (folder / "solutions").mkdir(parents=True)
    (folder / "nbgrader_config.py").write_text("c = get_config()\n")
    for ex in exercises:
        (folder / "solutions" / ex).mkdir()
    return folder


def test_the_named_course_wins(tmp_path, monkeypatch):
    course = _course(tmp_path / "hub-copy", "ex09_custom")
    monkeypatch.setenv(COURSE_ENV, str(course))
    monkeypatch.chdir(CHECKOUT)
    assert course_root() == course.resolve() and exercise_names() == ["ex09_custom"]


def test_a_named_folder_that_is_not_a_course_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(COURSE_ENV, str(tmp_path))
    with pytest.raises(ValueError, match="NALTREXONE_COURSE=.*nbgrader_config.py and solutions/"):
        course_root()


def test_the_course_around_the_current_directory(tmp_path, monkeypatch):
    course = _course(tmp_path / "course-copy", "ex01_antagonism")
    inner = course / "my_work" / "ex01_antagonism"
    inner.mkdir(parents=True)
    monkeypatch.delenv(COURSE_ENV, raising=False)
    monkeypatch.chdir(inner)
    assert course_root() == course.resolve()


def test_outside_any_course_the_editable_checkout(tmp_path, monkeypatch):
    monkeypatch.delenv(COURSE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert course_root() == CHECKOUT
