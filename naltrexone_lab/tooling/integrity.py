"""Integrity evidence for an instructor: copies, pasted markers, tampered tests, shared answers.

nbgrader silently undoes tampering (it restores an edited test cell from the gradebook and puts a
deleted one back empty-handed) and warns about a changed checksum for *every* student of this
course (a released test cell lacks its hidden tests, so its checksum never matches the
gradebook's), so an instructor grading with ``naltrexone-course grade`` never learns who tampered
or copied. :func:`check_class` reads the submissions themselves and reports, with evidence:

``copy of the instructor solution``
    answer cells that repeat the instructor's solution line for line, or its comments: the course
    is open source, so ``solutions/`` is a click away. Rule: a cell counts when its lines match
    the solution's with a similarity ratio of at least 0.9 (:class:`difflib.SequenceMatcher`) and
    the solution has at least three lines, or when it repeats a solution comment of 15 or more
    characters; a submission is reported when two cells count. A short answer that can only be
    written one way (one line) never counts on its own.
``solution markers``
    a cell that still contains an nbgrader marker (``BEGIN SOLUTION``, ``BEGIN HIDDEN TESTS``,
    ``BEGIN MARK SCHEME``...): pasted from the instructor version.
``test cell edited`` / ``test cell deleted``
    a locked cell (tests, task descriptions) that differs from the released student version, or
    is missing; nbgrader graded the original either way, but the attempt is evidence.
``identical to another student``
    two submissions whose answer cells are the same, character for character after removing
    blank lines and trailing spaces, with at least two cells answered and 200 characters of
    answers in common (two blank or near-blank notebooks are not evidence).

Findings are evidence for a person to review, not a verdict; none changes a grade.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import stat
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .grading import course_config
from .markers import (
    ALL_MARKERS,
    BEGIN_SOLUTION,
    END_SOLUTION,
    MAX_NOTEBOOK_BYTES,
    is_marker,
    notebook_shape_problem,
    region_lines,
)

__all__ = ["KINDS", "Finding", "check_class", "check_submission", "normalised_lines"]

KINDS = ("copy of the instructor solution", "solution markers", "test cell edited",
         "test cell deleted", "identical to another student")
COPY_RATIO, COPY_MIN_LINES, COPY_MIN_CELLS, COMMENT_MIN_CHARS = 0.9, 3, 2, 15
SHARED_MIN_CELLS, SHARED_MIN_CHARS = 2, 200


@dataclass(frozen=True)
class Finding:
    """One piece of integrity evidence about one submission."""

    student: str
    assignment: str
    kind: str
    evidence: str

    def __str__(self) -> str:
        return f"{self.student} {self.assignment}: {self.kind} - {self.evidence}"


def normalised_lines(source: str) -> list[str]:
    """The non-blank lines of ``source`` with surrounding spaces removed."""
    return [line.strip() for line in source.splitlines() if line.strip()]


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _read(path: Path):
    """The notebook at ``path``, or None for anything grading reports as unreadable (a link, a
    folder, a pipe, a huge or malformed file): evidence is never read through a link."""
    try:
        if path.is_symlink() or any(p.is_symlink() for p in path.parents[:2]):
            return None
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_NOTEBOOK_BYTES:
            return None
        text = path.read_bytes().decode("utf-8")
        if notebook_shape_problem(json.loads(text)):
            return None
        return nbformat.reads(text, as_version=4)
    except Exception:  # noqa: BLE001 - unreadable submissions are reported by grading itself
        return None


def _folders(course: Path, assignment: str) -> tuple[Path, Path]:
    cfg = course_config(course).CourseDirectory
    return (course / cfg.get("source_directory", "source") / assignment,
            course / cfg.get("release_directory", "release") / assignment)


def _answer_cells(nb, released_answers: dict[str, str]) -> dict[str, list[str]]:
    """grade_id -> the lines of each answer cell the student changed from the released stub,
    without the stub's own lines (the given ``def`` line, docstring and comments)."""
    out = {}
    for cell in nb.cells:
        gid = _meta(cell).get("grade_id")
        if _meta(cell).get("solution") and gid:
            stub = normalised_lines(released_answers.get(gid, ""))
            lines = normalised_lines(cell.source)
            if lines != stub:
                out[gid] = [ln for ln in lines if ln not in stub
                            and not any(is_marker(ln, m) for m in ALL_MARKERS)]
    return out


def _copied_cells(answers: dict[str, list[str]], solutions: dict[str, list[str]]) -> list[str]:
    """Evidence, one string per answer cell that repeats the instructor's solution."""
    evidence = []
    for gid, mine in answers.items():
        solution = solutions.get(gid)
        if not solution:
            continue
        ratio = difflib.SequenceMatcher(None, mine, solution, autojunk=False).ratio()
        comments = [ln for ln in solution if ln.startswith("#") and len(ln) >= COMMENT_MIN_CHARS]
        shared = [ln for ln in comments if ln in mine]
        if ratio >= COPY_RATIO and len(solution) >= COPY_MIN_LINES:
            evidence.append(f"{gid} matches {ratio:.0%} of the solution's {len(solution)} lines")
        elif shared:
            evidence.append(f"{gid} repeats the solution's comment {shared[0][:50]!r}")
    return evidence


def check_submission(course: Path, student: str, assignment: str) -> list[Finding]:
    """Findings about one student's submission that need no other student (see module)."""
    course = Path(course)
    source_dir, release_dir = _folders(course, assignment)
    findings: list[Finding] = []
    for submitted in sorted((course / "submitted" / student / assignment).glob("*.ipynb")):
        nb = _read(submitted)
        released = _read(release_dir / submitted.name)
        if nb is None or released is None:
            continue
        source = _read(source_dir / submitted.name)

        def add(kind: str, evidence: str, name=submitted.name) -> None:
            findings.append(Finding(student, assignment, kind, f"{name}: {evidence}"))

        marked: dict[str, list[str]] = {}
        for number, cell in enumerate(nb.cells, start=1):
            markers = [ln.strip() for ln in cell.source.splitlines()
                       if any(is_marker(ln, m) for m in ALL_MARKERS)]
            if markers:
                marked.setdefault(markers[0][:60], []).append(_meta(cell).get("grade_id")
                                                              or f"cell {number}")
        for marker, where in marked.items():
            add("solution markers", f"{', '.join(where)} contain{'s' if len(where) == 1 else ''} "
                                    f"{marker!r}")
        theirs = {_meta(c).get("grade_id"): c for c in nb.cells if _meta(c).get("grade_id")}
        for cell in released.cells:
            gid = _meta(cell).get("grade_id")
            if not gid or not _meta(cell).get("locked"):
                continue
            if gid not in theirs:
                add("test cell deleted", f"{gid} is missing (nbgrader graded it from its copy)")
                continue
            mine, original = normalised_lines(theirs[gid].source), normalised_lines(cell.source)
            if mine != original:
                diff = [ln for ln in difflib.unified_diff(original, mine, lineterm="", n=0)
                        if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
                add("test cell edited", f"{gid} changed ({'; '.join(diff[:2])[:120]}); nbgrader "
                                        "graded the original")
        if source is not None:
            stubs = {_meta(c)["grade_id"]: c.source for c in released.cells
                     if _meta(c).get("solution") and _meta(c).get("grade_id")}
            solutions = {_meta(c)["grade_id"]: normalised_lines(
                             "\n".join(region_lines(c.source, BEGIN_SOLUTION, END_SOLUTION)))
                         for c in source.cells if _meta(c).get("solution") and _meta(c).get("grade_id")}
            copied = _copied_cells(_answer_cells(nb, stubs), solutions)
            if len(copied) >= COPY_MIN_CELLS:
                add("copy of the instructor solution",
                    f"{len(copied)} answer cells: " + "; ".join(copied[:4]))
    return findings


def _shared_answers(course: Path, pairs: list[tuple[str, str]]) -> list[Finding]:
    """Submissions of one assignment whose answers are identical (see module)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    sizes: dict[tuple[str, str], int] = {}
    for student, assignment in pairs:
        _, release_dir = _folders(course, assignment)
        parts = []
        for submitted in sorted((course / "submitted" / student / assignment).glob("*.ipynb")):
            nb, released = _read(submitted), _read(release_dir / submitted.name)
            if nb is None or released is None:
                continue
            stubs = {_meta(c)["grade_id"]: c.source for c in released.cells
                     if _meta(c).get("solution") and _meta(c).get("grade_id")}
            parts += [f"{gid}\n" + "\n".join(lines)
                      for gid, lines in sorted(_answer_cells(nb, stubs).items()) if lines]
        size = sum(len(p) for p in parts)
        if len(parts) >= SHARED_MIN_CELLS and size >= SHARED_MIN_CHARS:
            key = (assignment, hashlib.sha256("\n\0".join(parts).encode()).hexdigest())
            groups[key].append(student)
            sizes[key] = len(parts)
    findings = []
    for (assignment, _), students in sorted(groups.items()):
        if len(students) < 2:
            continue
        for s in students:
            others = ", ".join(o for o in students if o != s)
            findings.append(Finding(s, assignment, "identical to another student",
                                    f"all {sizes[(assignment, _)]} answered cells identical to "
                                    f"{others}'s"))
    return findings


def check_class(course: Path, pairs: list[tuple[str, str]]) -> list[Finding]:
    """All findings for the (student, assignment) submissions ``pairs``, sorted."""
    course = Path(course)
    findings = [f for student, assignment in pairs for f in check_submission(course, student, assignment)]
    findings += _shared_answers(course, pairs)
    return sorted(findings, key=lambda f: (f.assignment, f.student, KINDS.index(f.kind)))
