"""The grading cache (tooling/grading.py: cache_dir, _generated) never serves a stale exercise."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from helpers import ROOT

from naltrexone_lab.tooling import grading
from naltrexone_lab.tooling.grading import (
    CACHE_ENV,
    COURSE_ENV,
    autograde_notebook,
    cache_dir,
    fill_in_solutions,
    generate_release,
)

EX = "ex01_antagonism"


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A copy of the course with one exercise, and an empty cache of its own."""
    root = tmp_path / "course"
    (root / "solutions").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / EX, root / "solutions" / EX)
    monkeypatch.setenv(COURSE_ENV, str(root))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return root


def _edit_solution(root, edit):
    (path,) = sorted((root / "solutions" / EX).glob("*.ipynb"))
    nb = nbformat.read(str(path), as_version=4)
    edit(nb)
    nbformat.write(nb, str(path))
    return nb


def _counting(monkeypatch):
    calls = []
    real = grading._run_nbgrader

    def run(args, cwd, timeout_s=None):
        calls.append(args[0])
        return real(args, cwd, timeout_s)

    monkeypatch.setattr(grading, "_run_nbgrader", run)
    return calls


@pytest.mark.slow
def test_unchanged_exercise_is_generated_once_and_an_edit_is_never_served_stale(course, monkeypatch,
                                                                               tmp_path):
    calls = _counting(monkeypatch)
    first = grading._generated(EX)
    assert grading._generated(EX) == first
    generate_release(EX, tmp_path / "out")
    assert calls == ["generate_assignment"], "an unchanged exercise is generated once"

    # The instructor changes a hidden test so that no answer can pass it.
    def break_first_test(nb):
        test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
                    and c.cell_type == "code")
        test.source += "\nassert False, 'changed by the instructor'"

    solution = _edit_solution(course, break_first_test)
    second = grading._generated(EX)
    assert second != first and not first.exists(), "the old generation is replaced"
    assert calls == ["generate_assignment", "generate_assignment"]

    broken = next(c.metadata["nbgrader"]["grade_id"] for c in solution.cells
                  if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code")
    released = nbformat.read(str(next((second / "release" / EX).glob("*.ipynb"))), as_version=4)
    report = autograde_notebook(fill_in_solutions(released, solution), EX)
    assert report.score_of(broken) == 0, "grading used the edited tests"
    assert all(q.score == q.max_score for q in report.questions if q.auto and q.grade_id != broken)


@pytest.mark.slow
def test_processes_needing_the_same_exercise_at_once_generate_it_once(course, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    calls = _counting(monkeypatch)
    with ThreadPoolExecutor(3) as pool:  # flock holds between threads' own open files too
        folders = list(pool.map(lambda _: grading._generated(EX), range(3)))
    assert len(set(folders)) == 1 and folders[0].is_dir()
    assert calls == ["generate_assignment"]


def test_key_follows_every_input_of_generation(course):
    key = grading._generation_key(EX)
    assert grading._generation_key(EX) == key
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\n# an instructor's change\n")
    assert grading._generation_key(EX) != key, "the configuration is part of the key"
    key = grading._generation_key(EX)
    (course / "solutions" / EX / "data.csv").write_text("dose_mg\n50\n")
    assert grading._generation_key(EX) != key, "every file of the exercise is part of the key"
    key = grading._generation_key(EX)
    (course / "solutions" / EX / ".ipynb_checkpoints").mkdir()
    (course / "solutions" / EX / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    assert grading._generation_key(EX) == key, "autosaves are not part of the exercise"


def test_no_writable_cache_means_temporary_folders(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    assert cache_dir() is None
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "fine"))
    assert cache_dir() == tmp_path / "fine" and (tmp_path / "fine").is_dir()
