"""``naltrexone-course feedback``: nbgrader feedback, checked for anything of the answer key.

Runs ``nbgrader generate_feedback`` in the course folder. The course's ``nbgrader_config.py``
installs :class:`naltrexone_lab.feedback.HideHiddenTests`, so the pages carry each question's
result instead of its hidden tests and no mark scheme; this command then scans every page for
any line of the instructor version a student is never shown (hidden tests, mark schemes,
solutions), ignoring what the student wrote themselves, and deletes a page that shows one rather
than hand it out (for example in a course whose configuration lacks the preprocessor).
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .grading import GradingError, course_config, nbgrader_command, nbgrader_env
from .markers import (
    BEGIN_HIDDEN,
    BEGIN_MARK_SCHEME,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_MARK_SCHEME,
    END_SOLUTION,
    hidden_regions,
    is_marker,
    region_lines,
)

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


REGION_KINDS = {(BEGIN_HIDDEN, END_HIDDEN): "hidden test code", (BEGIN_MARK_SCHEME, END_MARK_SCHEME):
         "the mark scheme", (BEGIN_SOLUTION, END_SOLUTION): "solution code"}
MIN_FRAGMENT_WORDS, MIN_FRAGMENT_CHARS = 5, 25
# a hidden-test line that is only a (possibly f-/r-) string: an assertion message continued on its
# own line, which the page shows as the failure's message
_MESSAGE_LINE = re.compile(r"""\s*[rRfFbBuU]{0,2}["']""")


def _words(text: str) -> str:
    """``text`` as lower-case words and numbers joined by single spaces: code, Markdown and the
    HTML rendering of either compare equal whatever the markup, wrapping or highlighting."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _page_text(page_html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page_html, flags=re.DOTALL | re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def instructor_only_fragments(source_notebook: Path, release_notebook: Path | None = None
                              ) -> dict[str, str]:
    """Normalised lines (see :func:`_words`) of the instructor version that no student is shown:
    hidden tests, mark schemes and solutions, each mapped to its kind. Lines of at least five
    words and 25 characters only, and none that the released student version also contains
    (text a student already has is no leak)."""
    nb = nbformat.read(str(source_notebook), as_version=4)
    public = ""
    if release_notebook is not None and Path(release_notebook).is_file():
        released = nbformat.read(str(release_notebook), as_version=4)
        public = " " + " ".join(_words(c.source) for c in released.cells) + " "
    fragments: dict[str, str] = {}
    for cell in nb.cells:
        for (begin, end), kind in REGION_KINDS.items():
            for line in region_lines(cell.source, begin, end):
                if kind == "hidden test code" and _MESSAGE_LINE.match(line):
                    continue  # a check's message: feedback shows it on purpose when it fails
                w = _words(line)
                if (len(w.split()) >= MIN_FRAGMENT_WORDS and len(w) >= MIN_FRAGMENT_CHARS
                        and f" {w} " not in public):
                    fragments.setdefault(w, kind)
    return fragments


def students_own_text(submitted_notebook: Path) -> str:
    """What the student wrote themselves (answer cells and cells they added), normalised: a
    student's page may show their own code even where it equals the solution."""
    try:
        nb = nbformat.read(str(submitted_notebook), as_version=4)
    except Exception:  # noqa: BLE001 - unreadable submissions have no feedback page anyway
        return ""
    own = [c.source for c in nb.cells
           if c.get("metadata", {}).get("nbgrader", {}).get("solution")
           or "grade_id" not in c.get("metadata", {}).get("nbgrader", {})]
    return " " + " ".join(_words(s) for s in own) + " "


def page_leaks(page_html: str, fragments: dict[str, str], own_text: str = "") -> list[tuple[str, str]]:
    """(kind, fragment) of every instructor-only fragment the page shows that the student did not
    write themselves."""
    text = f" {_words(_page_text(page_html))} "
    return [(kind, frag) for frag, kind in fragments.items()
            if f" {frag} " in text and f" {frag} " not in own_text]


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
        last = proc.stderr.strip().splitlines()[-1:] or ["no message"]
        raise GradingError(f"nbgrader generate_feedback failed: {last[0][:300]}")
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
