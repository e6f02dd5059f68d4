"""`naltrexone-course collect`: LMS downloads into submitted/, with the names Canvas and Moodle
write (see naltrexone_lab/tooling/collect.py for the shapes and where they come from)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from naltrexone_lab.tooling.collect import collect, parse_name
from naltrexone_lab.tooling.grading import course_root, seed_gradebook, solution_notebook

pytestmark = pytest.mark.slow  # each collect loads the course configuration, which imports nbgrader

EX = "ex01_antagonism"
NB = f"{EX}.ipynb"


def _notebook(marker: str) -> bytes:
    nb = nbformat.read(str(solution_notebook(EX)), as_version=4)
    nb.cells[0].source += f"\n<!-- {marker} -->"
    return nbformat.writes(nb).encode()


@pytest.fixture
def course(tmp_path):
    folder = tmp_path / "course"
    (folder / "solutions").mkdir(parents=True)
    shutil.copy(course_root() / "nbgrader_config.py", folder / "nbgrader_config.py")
    shutil.copytree(course_root() / "solutions" / EX, folder / "solutions" / EX)
    return folder


def _zip(path: Path, members: dict[str, bytes], when=(2026, 11, 20, 10, 0, 0)) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


def _canvas_download(tmp_path: Path) -> Path:
    inner = tmp_path / "inner.zip"
    _zip(inner, {"ex01/ex01_antagonism.ipynb": _notebook("lee"), "__MACOSX/ex01/._x": b"junk"})
    return _zip(tmp_path / "submissions.zip", {
        "smithjane_12345_950_ex01_antagonism.ipynb": _notebook("smith old"),
        "smithjane_12345_987_ex01_antagonism.ipynb": _notebook("smith new"),
        "obrienpat_LATE_23456_988_ex01_antagonism-1.ipynb": _notebook("obrien"),
        "doejohn_34567_989_my_answers.ipynb": _notebook("doe"),
        "leekim_45678_990_ex01.zip": inner.read_bytes(),
        "zhangwei_56789_991_notes.txt": b"notes",
        "random.ipynb": _notebook("stray"),
    })


def test_canvas_names_are_parsed_as_canvas_writes_them():
    p = parse_name("canvas", "obrienpat_LATE_23456_988_ex01_antagonism-1.ipynb")
    assert (p.student, p.file, p.late, p.order) == ("23456", "ex01_antagonism-1.ipynb", True, 988)
    assert parse_name("canvas", "ex01_antagonism.ipynb") is None
    p = parse_name("moodle", "Pat O'Brien_2345678_assignsubmission_file_/ex01 (1).ipynb")
    assert (p.student, p.file) == ("participant2345678", "ex01 (1).ipynb")
    p = parse_name("moodle", "Kim Lee_3456789_assignsubmission_file_ex01_antagonism.ipynb")
    assert (p.student, p.file) == ("participant3456789", "ex01_antagonism.ipynb")
    with pytest.raises(ValueError, match="preset must be one of"):
        parse_name("blackboard", "x")


def test_a_canvas_download_lands_by_student_with_every_problem_reported(course, tmp_path):
    report = collect(course, EX, [_canvas_download(tmp_path)], preset="canvas")
    placed = {p.student: p for p in report.placed}
    assert sorted(placed) == ["12345", "23456", "34567", "45678"]
    for student, marker in (("12345", "smith new"), ("23456", "obrien"), ("34567", "doe"),
                            ("45678", "lee")):
        text = (course / "submitted" / student / EX / NB).read_text()
        assert marker in text and "smith old" not in text, student
    assert placed["23456"].late and (course / "submitted/23456" / EX / "lms_late_flag.txt").exists()
    assert placed["34567"].renamed and not placed["12345"].renamed
    reasons = dict(report.skipped)
    assert "not a notebook" in reasons["zhangwei_56789_991_notes.txt"]
    assert "does not look like a canvas" in reasons["random.ipynb"]
    assert "older upload" in reasons["smithjane_12345_950_ex01_antagonism.ipynb"]
    assert not any("__MACOSX" in entry for entry, _ in report.skipped)
    stamp = (course / "submitted" / "12345" / EX / "timestamp.txt").read_text()
    assert stamp.startswith("2026-11-20 10:00:00")


def test_collecting_again_rewrites_only_what_changed(course, tmp_path):
    download = _canvas_download(tmp_path)
    collect(course, EX, [download], preset="canvas")
    target = course / "submitted" / "12345" / EX / NB
    os.utime(target, (1_000_000_000, 1_000_000_000))
    again = collect(course, EX, [download], preset="canvas")
    assert {p.status for p in again.placed} == {"unchanged"}
    assert target.stat().st_mtime == 1_000_000_000  # so `grade` does not regrade it
    changed = _zip(tmp_path / "second.zip",
                   {"smithjane_12345_999_ex01_antagonism-2.ipynb": _notebook("smith fixed")})
    third = collect(course, EX, [changed], preset="canvas")
    assert [(p.student, p.status) for p in third.placed] == [("12345", "changed")]
    assert "smith fixed" in target.read_text()


def test_canvas_late_flag_sets_the_submission_past_the_due_date(course, tmp_path):
    from nbgrader.api import Gradebook

    seed_gradebook(course / "gradebook.db")
    due = dt.datetime(2026, 11, 25, 23, 59)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(EX, duedate=due)
    # the download's file times (Nov 20) say "on time" for everyone; Canvas says one was late
    collect(course, EX, [_canvas_download(tmp_path)], preset="canvas")
    late = dt.datetime.fromisoformat((course / "submitted/23456" / EX / "timestamp.txt").read_text())
    on_time = dt.datetime.fromisoformat((course / "submitted/12345" / EX / "timestamp.txt").read_text())
    assert late > due >= on_time


def test_a_moodle_download_in_folders_and_flat(course, tmp_path):
    download = tmp_path / "moodle"
    for rel, marker in (("Jane Smith_1234567_assignsubmission_file_/ex01_antagonism.ipynb", "js"),
                        ("Pat O'Brien_2345678_assignsubmission_file_/ex01 (1).ipynb", "pob"),
                        ("Kim Lee_3456789_assignsubmission_file_ex01_antagonism.ipynb", "kl")):
        (download / rel).parent.mkdir(parents=True, exist_ok=True)
        (download / rel).write_bytes(_notebook(marker))
    (download / ".DS_Store").write_bytes(b"x")
    report = collect(course, EX, [download], preset="moodle")
    assert sorted(p.student for p in report.placed) == [
        "participant1234567", "participant2345678", "participant3456789"]
    assert "pob" in (course / "submitted/participant2345678" / EX / NB).read_text()
    assert report.skipped == []


def test_the_command_prints_what_it_placed(course, tmp_path, capsys):
    from naltrexone_lab.tooling.cli import main

    assert main(["collect", EX, str(_canvas_download(tmp_path)), "--from", "canvas",
                 "--course", str(course)]) == 0
    out = capsys.readouterr().out
    assert "4 students (4 new); 3 entries not placed" in out
    assert "renamed from my_answers.ipynb" in out and "next: naltrexone-course grade" in out
