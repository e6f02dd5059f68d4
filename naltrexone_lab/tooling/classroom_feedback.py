"""``naltrexone-course feedback``: nbgrader feedback, checked for hidden-test leaks.

Runs ``nbgrader generate_feedback`` in the course folder. The course's ``nbgrader_config.py``
installs :class:`naltrexone_lab.feedback.HideHiddenTests`, so the pages carry each question's
result instead of its hidden tests; this command then scans every page it wrote for any line of
a hidden test from the instructor version and refuses to report success if one appears (for
example when run in a course whose configuration lacks the preprocessor).
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import nbformat

from .grading import GradingError, course_config, nbgrader_command, nbgrader_env
from .markers import BEGIN_HIDDEN, END_HIDDEN, hidden_regions, is_marker

__all__ = ["generate_feedback", "hidden_lines"]


def hidden_lines(source_notebook: Path) -> set[str]:
    """Non-trivial code lines inside hidden-test regions of an instructor notebook."""
    nb = nbformat.read(str(source_notebook), as_version=4)
    lines = set()
    for cell in nb.cells:
        for line, inside in hidden_regions(cell.source.splitlines()):
            if (inside and not is_marker(line, BEGIN_HIDDEN) and not is_marker(line, END_HIDDEN)
                    and len(line.strip()) > 20 and not line.strip().startswith(('"', "f\""))):
                lines.add(line.strip())
    return lines


def generate_feedback(course: Path, assignment: str, *, force: bool = False) -> list[Path]:
    """Generate feedback for every autograded submission of ``assignment``; return the pages."""
    course = Path(course)
    if not (course / "nbgrader_config.py").is_file():
        raise ValueError(f"{course} is not an nbgrader course (no nbgrader_config.py)")
    if not any((course / "autograded").glob(f"*/{assignment}")):
        raise ValueError(f"no autograded submissions of {assignment!r}: run naltrexone-course grade first")
    cmd = nbgrader_command(["generate_feedback", assignment, "--log-level=WARN"])
    if force:
        cmd.append("--force")
    proc = subprocess.run(cmd, cwd=course, env=nbgrader_env(), capture_output=True, text=True)
    if proc.returncode != 0:  # not the caller's input: nbgrader itself failed
        last = proc.stderr.strip().splitlines()[-1:] or ["no message"]
        raise GradingError(f"nbgrader generate_feedback failed: {last[0][:300]}")
    source_dir = course / course_config(course).CourseDirectory.get("source_directory", "source") / assignment
    secret = set()
    for nb in source_dir.glob("*.ipynb"):
        secret |= hidden_lines(nb)
    pages = sorted((course / "feedback").glob(f"*/{assignment}/*.html"))
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        leaked = [line for line in secret if line in text]
        if leaked:
            raise ValueError(f"{page} shows hidden test code ({leaked[0][:60]!r}); is "
                             "HideHiddenTests missing from nbgrader_config.py?")
    return pages
