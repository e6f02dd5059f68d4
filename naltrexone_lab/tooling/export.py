"""Grades an LMS accepts, with every student and the reason behind every blank.

``nbgrader export`` writes one row per student *and assignment* from the gradebook alone: a
student whose only submission was unreadable never reached the gradebook and is missing, a
kernel death reads 0.0 like a real zero, and an ungraded written answer is not marked. This
export joins the gradebook with the statuses ``naltrexone-course grade`` recorded
(:func:`.classroom.recorded_statuses`) and writes, per student, each chosen assignment's score,
maximum and status, in three shapes:

``csv``
    ``student_id, first_name, last_name, email`` then ``<assignment>_score``, ``_max`` and
    ``_status`` for each assignment: everything, for the instructor's own records.
``canvas``
    Canvas's gradebook import: ``Student, ID, SIS User ID, SIS Login ID, Section`` and one column
    per assignment, with a ``Points Possible`` row. ``ID`` is the student id, which is the Canvas
    user id when the submissions came through ``naltrexone-course collect --from canvas``. A
    score is written only when it is final (autograded and nothing left to grade by hand);
    otherwise the cell stays empty, which Canvas leaves unchanged, and the status file says why.
``moodle``
    Moodle's offline grading worksheet for one assignment: ``Identifier, Full name, Email address,
    Grade, Maximum Grade, Feedback comments``; ``Identifier`` is ``Participant N`` for students
    collected from Moodle (``participant<N>``). Blanks as for Canvas, with the reason in the
    comments.

Statuses: ``graded``, ``manual grading pending``, ``not submitted``, and those of class grading
(``timed out`` is graded, with the cells it stopped; ``kernel died``, ``unreadable``, ``missing
notebook``, ``failed`` have no score, never a 0 that looks earned).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FORMATS", "Cell", "class_table", "write_export"]

FORMATS = ("csv", "canvas", "moodle")
_NO_SCORE = ("kernel died", "unreadable", "missing notebook", "failed", "not submitted")


@dataclass(frozen=True)
class Cell:
    """One student's result in one assignment."""

    score: float | None
    max_score: float
    status: str
    message: str = ""

    @property
    def final(self) -> bool:
        """Whether the score can go to the LMS as it is."""
        return self.score is not None and self.status in ("graded", "timed out")


@dataclass(frozen=True)
class Student:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.id


def class_table(course, assignments=None) -> tuple[list[str], list[Student], dict]:
    """(assignments, students, {(student id, assignment): Cell}) for every student of the
    gradebook and every student with a recorded grading status."""
    from nbgrader.api import Gradebook, MissingEntry

    from .classroom import _db_url, recorded_statuses

    course = Path(course).resolve()
    statuses = recorded_statuses(course)
    with Gradebook(_db_url(course)) as gb:
        known = [a.name for a in gb.assignments]
        chosen = list(assignments) if assignments else known
        unknown = [a for a in chosen if a not in known]
        if unknown:
            raise ValueError(f"assignments must be in the gradebook ({', '.join(known) or 'none'});"
                             f" got {', '.join(unknown)}")
        maxima = {a: float(gb.find_assignment(a).max_score) for a in chosen}
        students = {s.id: Student(s.id, s.first_name or "", s.last_name or "", s.email or "")
                    for s in gb.students}
        for sid in statuses:
            students.setdefault(sid, Student(sid))
        cells = {}
        for sid in students:
            for a in chosen:
                recorded = statuses.get(sid, {}).get(a, {})
                status, message = recorded.get("status"), recorded.get("message", "")
                try:
                    sub = gb.find_submission(a, sid)
                except MissingEntry:
                    sub = None
                if status in _NO_SCORE:
                    cells[(sid, a)] = Cell(None, maxima[a], status, message)
                elif sub is None:
                    cells[(sid, a)] = Cell(None, maxima[a], status or "not submitted", message)
                elif sub.needs_manual_grade:
                    cells[(sid, a)] = Cell(float(sub.score), maxima[a], "manual grading pending",
                                           "a written answer is not graded yet")
                else:
                    cells[(sid, a)] = Cell(float(sub.score), maxima[a], status or "graded",
                                           message)
    return chosen, sorted(students.values(), key=lambda s: s.id), cells


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_export(course, dest, fmt: str = "csv", assignments=None) -> tuple[Path, list[str]]:
    """Write the export to ``dest``; returns the path and one line per blank (student,
    assignment, reason) that the instructor should look at."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    chosen, students, cells = class_table(course, assignments)
    if fmt == "moodle" and len(chosen) != 1:
        raise ValueError("a Moodle grading worksheet holds one assignment; name exactly one "
                         f"(got {', '.join(chosen)})")
    dest = Path(dest)
    blanks = [f"{s.id} {a}: {c.status}" + (f" ({c.message})" if c.message else "")
              for s in students for a in chosen
              for c in [cells[(s.id, a)]] if not c.final]
    with dest.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        if fmt == "csv":
            out.writerow(["student_id", "first_name", "last_name", "email"]
                         + [f"{a}_{k}" for a in chosen for k in ("score", "max", "status")])
            for s in students:
                row = [s.id, s.first_name, s.last_name, s.email]
                for a in chosen:
                    c = cells[(s.id, a)]
                    row += [_fmt(c.score), _fmt(c.max_score), c.status]
                out.writerow(row)
        elif fmt == "canvas":
            out.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *chosen])
            out.writerow(["Points Possible", "", "", "", "", *(_fmt(cells[(students[0].id, a)].max_score)
                                                              if students else "" for a in chosen)])
            for s in students:
                out.writerow([f"{s.last_name}, {s.first_name}" if s.last_name else s.id, s.id, "",
                              "", "", *(_fmt(cells[(s.id, a)].score) if cells[(s.id, a)].final
                                        else "" for a in chosen)])
        else:
            (a,) = chosen
            out.writerow(["Identifier", "Full name", "Email address", "Grade", "Maximum Grade",
                          "Feedback comments"])
            for s in students:
                c = cells[(s.id, a)]
                m = re.fullmatch(r"participant(\d+)", s.id)
                out.writerow([f"Participant {m.group(1)}" if m else s.id, s.full_name, s.email,
                              _fmt(c.score) if c.final else "", _fmt(c.max_score),
                              "" if c.final else f"not graded: {c.status}"])
    return dest, blanks
