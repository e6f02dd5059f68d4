"""The instructor guide, followed command by command in a fresh course (LMS route)."""

from __future__ import annotations

import csv
import subprocess
import sys

import nbformat
import pytest
from corpus import EX, _solved, make_course, released

from naltrexone_lab.tooling.grading import course_root, nbgrader_env

pytestmark = pytest.mark.slow


def test_guide_commands_release_collect_grade_feedback_export(tmp_path):
    guide = (course_root() / "docs" / "instructor-guide.md").read_text()
    regexp = ".*/(?P<student_id>[^/_]+)_(?P<file_id>[^/]+)$"
    for command in ("make release", "nbgrader zip_collect ex01_antagonism --force", regexp,
                    "naltrexone-course grade ex01_antagonism", "naltrexone-course feedback ex01_antagonism",
                    "nbgrader export"):
        assert command in guide, f"the guide no longer shows: {command}"

    course = make_course(tmp_path / "course")  # = make release in a course folder
    archive = course / "downloaded" / EX / "archive"
    archive.mkdir(parents=True)
    nbformat.write(_solved(course), str(archive / f"alice_{EX}.ipynb"))
    nbformat.write(released(course), str(archive / f"bob_{EX}.ipynb"))

    def run(*args):
        proc = subprocess.run([sys.executable, "-m", *args], cwd=course, env=nbgrader_env(),
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc

    run("nbgrader", "zip_collect", EX, "--force", f"--FileNameCollectorPlugin.named_regexp={regexp}")
    assert (course / "submitted" / "alice" / EX / f"{EX}.ipynb").is_file()
    run("naltrexone_lab.tooling.cli", "grade", EX)
    run("naltrexone_lab.tooling.cli", "feedback", EX)
    assert (course / "feedback" / "bob" / EX / f"{EX}.html").is_file()
    run("nbgrader", "export")
    rows = {r["student_id"]: r for r in csv.DictReader((course / "grades.csv").open())}
    assert float(rows["alice"]["score"]) == 12.0 and float(rows["bob"]["score"]) == 0.0
    assert float(rows["alice"]["max_score"]) == 16.0
