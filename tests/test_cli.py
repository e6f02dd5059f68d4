"""Exit codes and error output of ``naltrexone-course`` (quick: nothing is graded)."""

from __future__ import annotations

import subprocess

import pytest

from naltrexone_lab.tooling import classroom_feedback, cli
from naltrexone_lab.tooling.grading import GradingError


def test_a_bad_path_is_bad_input_in_one_line_without_traceback(capsys, tmp_path):
    code = cli.main(["check", str(tmp_path / "missing.ipynb"), "--no-record"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_BAD_INPUT and "no such file" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_debug_lets_the_traceback_through(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        cli.main(["--debug", "check", str(tmp_path / "missing.ipynb"), "--no-record"])


def test_nbgrader_failing_is_a_failure_not_bad_input(capsys, tmp_path, monkeypatch):
    """An nbgrader crash while writing feedback is not the instructor's input (exit 1, not 2)."""
    course = tmp_path / "course"
    (course / "autograded" / "s1" / "ex01_antagonism").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    failed = subprocess.CompletedProcess([], 1, "", "Traceback ...\nRuntimeError: disk full\n")
    monkeypatch.setattr(classroom_feedback.subprocess, "run", lambda *a, **k: failed)
    with pytest.raises(GradingError, match="disk full"):
        classroom_feedback.generate_feedback(course, "ex01_antagonism")
    code = cli.main(["feedback", "ex01_antagonism", "--course", str(course)])
    assert code == cli.EXIT_FAILED and "disk full" in capsys.readouterr().err
