"""``naltrexone-course feedback``: nbgrader feedback, checked for anything of the answer key.

Runs ``nbgrader generate_feedback`` in the course folder. The course's ``nbgrader_config.py``
installs :class:`naltrexone_lab.feedback.HideHiddenTests`, so the pages carry each question's
result instead of its hidden tests and no mark scheme; this command then scans every page for
any line of the instructor version a student is never shown (hidden tests, mark schemes,
solutions), plainly or in any of the encodings :func:`naltrexone_lab.feedback.decoded_views`
reads (base64, hex, rot13, reversed, compressed...), ignoring what the student wrote themselves,
and deletes a page that shows one rather than hand it out (for example in a course whose
configuration lacks the preprocessor).
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .feedback import (
    MIN_FRAGMENT_CHARS,
    MIN_FRAGMENT_WORDS,
    REGION_KINDS,
    normalised_words,
    own_text,
    reproduced,
    secret_fragments,
)
from .grading import GradingError, course_config, explain_failure, nbgrader_command, nbgrader_env
from .markers import BEGIN_HIDDEN, END_HIDDEN, hidden_regions, is_marker

__all__ = ["FeedbackLeak", "FeedbackRun", "generate_feedback", "hidden_lines",
           "instructor_only_fragments", "page_leaks", "students_own_text"]


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


__all__ += ["MIN_FRAGMENT_CHARS", "MIN_FRAGMENT_WORDS", "REGION_KINDS"]
_words = normalised_words  # the name earlier versions used
_URL_ATTRS = re.compile(r"""\b(?:src|href|alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _page_text(page_html: str) -> str:
    """The text a page shows, and the addresses and labels in its tags (an image's data
    address can carry text too)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.DOTALL | re.IGNORECASE)
    attrs = [a or b for a, b in _URL_ATTRS.findall(body)]
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + "\n" + "\n".join(attrs))


def instructor_only_fragments(source_notebook: Path, release_notebook: Path | None = None
                              ) -> dict[str, str]:
    """Normalised lines (see :func:`naltrexone_lab.feedback.normalised_words`) of the instructor
    version that no student is shown: hidden tests, mark schemes and solutions, each mapped to
    its kind. Lines of at least five words and 25 characters only, and none that the released
    student version also contains (text a student already has is no leak)."""
    nb = nbformat.read(str(source_notebook), as_version=4)
    public = ""
    if release_notebook is not None and Path(release_notebook).is_file():
        released = nbformat.read(str(release_notebook), as_version=4)
        public = "\n".join(c.source for c in released.cells)
    return secret_fragments(nb.cells, public)


def students_own_text(submitted_notebook: Path) -> str:
    """What the student wrote themselves (answer cells and cells they added): a student's page
    may show their own code even where it equals the solution."""
    try:
        nb = nbformat.read(str(submitted_notebook), as_version=4)
    except Exception:  # noqa: BLE001 - unreadable submissions have no feedback page anyway
        return ""
    return " " + own_text(nb) + " "


def page_leaks(page_html: str, fragments: dict[str, str], own_text: str = "") -> list[tuple[str, str]]:
    """(kind, fragment) of every instructor-only fragment the page shows, plainly or encoded,
    that the student did not write themselves."""
    return [(kind, frag) for kind, frag, _how in reproduced(_page_text(page_html), fragments, own_text)]


class FeedbackLeak(ValueError):
    """Pages that would have shown instructor-only text; they were deleted, not handed out."""


@dataclass
class FeedbackRun:
    """The pages ``generate_feedback`` wrote, and those nbgrader kept from an earlier run."""

    pages: list[Path]
    skipped: list[Path] = field(default_factory=list)


def generate_feedback(course: Path, assignment: str, *, force: bool = False) -> FeedbackRun:
    """Generate feedback for every autograded submission of ``assignment``, then scan every page
    for instructor-only text (hidden tests, mark schemes, solutions). Leaking pages are deleted
    and reported by :class:`FeedbackLeak`; the others stay."""
    course = Path(course)
    if not (course / "nbgrader_config.py").is_file():
        raise ValueError(f"{course} is not an nbgrader course (no nbgrader_config.py)")
    if not any((course / "autograded").glob(f"*/{assignment}")):
        raise ValueError(f"no autograded submissions of {assignment!r}: run naltrexone-course grade first")
    before = {p: p.stat().st_mtime_ns for p in (course / "feedback").glob(f"*/{assignment}/*.html")}
    cmd = nbgrader_command(["generate_feedback", assignment, "--log-level=WARN"])
    if force:
        cmd.append("--force")
    proc = subprocess.run(cmd, cwd=course, env=nbgrader_env(), capture_output=True, text=True)
    if proc.returncode != 0:  # not the caller's input: nbgrader itself failed
        raise GradingError(explain_failure("generate_feedback", proc.stderr))
    cfg = course_config(course).CourseDirectory
    source_dir = course / cfg.get("source_directory", "source") / assignment
    release_dir = course / cfg.get("release_directory", "release") / assignment
    fragments: dict[str, str] = {}
    for nb in sorted(source_dir.glob("*.ipynb")):
        fragments.update(instructor_only_fragments(nb, release_dir / nb.name))
    pages = sorted((course / "feedback").glob(f"*/{assignment}/*.html"))
    withheld = []
    for page in pages:
        student = page.parent.parent.name
        own = students_own_text(course / "submitted" / student / assignment / f"{page.stem}.ipynb")
        leaked = page_leaks(page.read_text(encoding="utf-8"), fragments, own)
        if leaked:
            kind, fragment = leaked[0]
            withheld.append(f"{page.relative_to(course)} shows {kind} ({fragment[:60]!r})")
            page.unlink()
    if withheld:
        raise FeedbackLeak(f"withheld {len(withheld)} of {len(pages)} feedback page(s): "
                           + "; ".join(withheld[:5]) + " - is HideHiddenTests missing from "
                           "nbgrader_config.py's GenerateFeedback.preprocessors?")
    skipped = [p for p in pages if before.get(p) == p.stat().st_mtime_ns]
    return FeedbackRun(pages, skipped)
