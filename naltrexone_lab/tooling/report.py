"""What a class got wrong in one exercise: ``naltrexone-course report EXERCISE``.

Neither nbgrader nor Otter gives an instructor item analysis. This report reads the gradebook
(every student's score on every graded cell) and the autograded notebooks (the message of the
check each failed test cell stopped at) and writes, for the instructor:

* ``report-<exercise>.html``: per question, the score distribution (a bar chart), the share of
  students with full marks and with none, and the failed checks grouped by their message, most
  frequent first, with the count of students; then the written questions (graded, still to
  grade) and the students who have no score (and why). The charts are plotly figures drawn
  offline: plotly.js is read from the installed plotly package and written into the page.
* ``report-<exercise>.csv``: the same numbers as rows (``kind`` = ``question`` or ``check``).

Each group of failed checks is named with the known misconceptions of tests/misconceptions/ that
fail that test cell with that message (``misconceptions.json``, written by tests/test_messages.py
from the misconception lists and checked there on every run); a group no known misconception
explains says so.

A check's message states what the learner got wrong (each exercise's tests are written so, and
tests/misconceptions/ makes sure each known misconception fails with its own message); the
learner's own numbers are masked (``#``) to group them, so students who made the same mistake
with different values are counted together; the page shows the first student's message of each
group as written. Only the first failing check of a test cell is known
(nbgrader stops a cell at its first failed assert).
"""

from __future__ import annotations

import csv
import html
import importlib.util
import json
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ClassReport", "QuestionStats", "class_report", "mask_numbers", "write_report"]

_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?%?(?![\w.])")


def mask_numbers(message: str) -> str:
    """``message`` with its numbers replaced by ``#`` (digits inside names such as ``q4`` or
    ``log10`` stay), whitespace collapsed."""
    return " ".join(_NUMBER.sub("#", message).split())


@dataclass
class QuestionStats:
    grade_id: str
    label: str
    max_score: float
    auto: bool
    scores: list[float] = field(default_factory=list)
    checks: Counter = field(default_factory=Counter)  # masked message -> students
    examples: dict = field(default_factory=dict)  # masked message -> the first message as written
    known: dict = field(default_factory=dict)  # masked message -> names of known misconceptions
    pending: int = 0  # written answers not graded yet

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def full_share(self) -> float | None:
        return (sum(s >= self.max_score for s in self.scores) / len(self.scores)
                if self.scores else None)

    @property
    def zero_share(self) -> float | None:
        return sum(s <= 0 for s in self.scores) / len(self.scores) if self.scores else None


@dataclass
class ClassReport:
    assignment: str
    questions: list[QuestionStats]
    totals: dict[str, float]  # student -> autograded total
    no_score: dict[str, str]  # student -> status (kernel died, unreadable, ...)


NAMES_FILE = Path(__file__).with_name("misconceptions.json")


def known_misconceptions() -> dict[str, dict[str, dict[str, list[str]]]]:
    """exercise -> test cell -> {masked failure message: names of the misconceptions that give
    it}, written from tests/misconceptions/ by tests/test_messages.py (which fails when the file
    is out of date)."""
    try:
        return json.loads(NAMES_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _autograded_messages(course: Path, student: str, assignment: str) -> dict[str, list[str]]:
    """grade_id -> the messages of the failed checks of that test cell: its first failure, or,
    for a question of parts (:mod:`.checks`), the message of every part that failed."""
    import nbformat

    from .grading import _error_messages, parts_of_tests

    messages: dict[str, list[str]] = {}
    for path in sorted((course / "autograded" / student / assignment).glob("*.ipynb")):
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception:  # an unreadable autograded file: scores still come from the gradebook
            continue
        messages.update({gid: [text] for gid, text in _error_messages(nb, 60)[0].items()})
        for gid, parts in parts_of_tests(nb).items():
            failed = [p.message for p in parts if not p.passed]
            if failed:
                messages[gid] = failed
    return messages


def class_report(course, assignment: str) -> ClassReport:
    """The item analysis of ``assignment`` from ``course``'s gradebook and autograded notebooks."""
    from nbgrader.api import Gradebook, MissingEntry

    from .classroom import _db_url, _expected_notebooks, recorded_statuses
    from .grading import course_config
    from .selfcheck import question_labels

    course = Path(course).resolve()
    statuses = recorded_statuses(course)
    names = known_misconceptions().get(assignment, {})
    cfg_source = None
    source_dir = course / course_config(course).CourseDirectory.get("source_directory", "source")
    notebooks = _expected_notebooks(course, assignment)
    if notebooks and (source_dir / assignment / notebooks[0]).is_file():
        cfg_source = source_dir / assignment / notebooks[0]
    labels = question_labels(assignment, cfg_source) if cfg_source else {}
    with Gradebook(_db_url(course)) as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            known = ", ".join(x.name for x in gb.assignments) or "none"
            raise ValueError(f"assignment must be in the gradebook ({known}); got {assignment!r}") from None
        questions: dict[str, QuestionStats] = {}
        for nb in a.notebooks:
            cells = [(c, c.cell_type == "code") for c in nb.grade_cells]
            cells += [(c, False) for c in nb.task_cells]
            for cell, auto in cells:
                questions[cell.name] = QuestionStats(
                    cell.name, labels.get(cell.name, cell.name), float(cell.max_score), auto=auto)
        totals, no_score = {}, {}
        for student in sorted(s.id for s in gb.students):
            status = statuses.get(student, {}).get(assignment, {}).get("status")
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                if status and status not in ("graded", "timed out"):
                    no_score[student] = status
                continue
            if status in ("kernel died", "unreadable", "missing notebook", "failed"):
                no_score[student] = status
                continue
            messages = _autograded_messages(course, student, assignment)
            total = 0.0
            for nb in sub.notebooks:
                for grade in nb.grades:
                    q = questions.get(grade.name)
                    if q is None:
                        continue
                    if grade.needs_manual_grade and not q.auto:
                        q.pending += 1
                        continue
                    score = float(grade.score or 0.0)
                    q.scores.append(score)
                    if q.auto:
                        total += score
                        if score < q.max_score:
                            for text in messages.get(grade.name,
                                                     ["no message (no autograded notebook)"]):
                                key = mask_numbers(text)
                                q.checks[key] += 1
                                q.examples.setdefault(key, text)
                                q.known.setdefault(key, names.get(grade.name, {}).get(key, []))
            totals[student] = total
        for sid in statuses:  # graded elsewhere but never reached the gradebook
            status = statuses[sid].get(assignment, {}).get("status")
            if sid not in totals and sid not in no_score and status and status not in ("graded", "timed out"):
                no_score[sid] = status
    return ClassReport(assignment, list(questions.values()), totals, no_score)


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.0f}%"


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.3g}"


def _plotly_js() -> str:
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("the report's charts need the plotly package installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "package_data" / "plotly.min.js"
    return path.read_text(encoding="utf-8")


def _histogram(q: QuestionStats, index: int) -> str:
    counts = Counter(q.scores)
    xs = sorted(counts)
    fig = {"data": [{"type": "bar", "x": [f"{x:g}" for x in xs], "y": [counts[x] for x in xs],
                     "marker": {"color": "#1f5f8b"}, "hovertemplate": "%{y} students scored %{x}"
                     "<extra></extra>"}],
           "layout": {"height": 220, "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
                      "xaxis": {"title": {"text": f"points (of {q.max_score:g})"}, "type": "category"},
                      "yaxis": {"title": {"text": "students"}, "rangemode": "tozero"}}}
    alt = ", ".join(f"{counts[x]} scored {x:g}" for x in xs)
    return (f'<div id="h{index}" class="chart" role="img" aria-label="Score distribution: '
            f'{html.escape(alt)}"></div>\n<script>Plotly.newPlot("h{index}", '
            f'{json.dumps(fig["data"])}, {json.dumps(fig["layout"])}, '
            '{"displaylogo": false, "responsive": true});</script>')


def write_report(course, assignment: str, out_dir=None) -> tuple[Path, Path, ClassReport]:
    """Write ``report-<assignment>.html`` and ``.csv`` (default: in the course folder)."""
    rep = class_report(course, assignment)
    out = Path(out_dir or course)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out / f"report-{assignment}.csv", out / f"report-{assignment}.html"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle)
        w.writerow(["kind", "grade_id", "question", "max_points", "students", "mean_points",
                    "full_marks_share", "zero_share", "pending", "check_message", "check_students",
                    "check_example", "known_misconceptions"])
        for q in rep.questions:
            w.writerow(["question", q.grade_id, q.label, f"{q.max_score:g}", len(q.scores),
                        _num(q.mean), _num(q.full_share), _num(q.zero_share), q.pending, "", ""])
            for message, n in q.checks.most_common():
                w.writerow(["check", q.grade_id, q.label, f"{q.max_score:g}", len(q.scores),
                            "", "", "", "", message, n, q.examples[message],
                            "; ".join(q.known.get(message, []))])
    totals = list(rep.totals.values())
    auto_max = sum(q.max_score for q in rep.questions if q.auto)
    parts = [f"<h1>Class report: {html.escape(assignment)}</h1>",
             f"<p>{len(totals)} students graded"
             + (f"; autograded points: median {statistics.median(totals):.3g} of {auto_max:g}, "
                f"mean {statistics.fmean(totals):.3g}" if totals else "")
             + (f"; {len(rep.no_score)} without a score (listed at the end)" if rep.no_score else "")
             + ".</p>",
             "<p>Each question shows how the class scored and, for those who lost points, the "
             "check their answer failed, with the learner's own numbers masked (#), most frequent "
             "first: what to revisit in the next lecture.</p>"]
    for i, q in enumerate(rep.questions):
        parts.append(f"<section><h2>{html.escape(q.label)} <small>({html.escape(q.grade_id)}, "
                     f"{q.max_score:g} points{'' if q.auto else ', written'})</small></h2>")
        if not q.scores:
            waiting = f" ({q.pending} to grade by hand)" if q.pending else ""
            parts.append(f"<p>No scores yet{waiting}.</p></section>")
            continue
        parts.append(f"<p>{len(q.scores)} students; mean {_num(q.mean)} points; full marks "
                     f"{_pct(q.full_share)}; none {_pct(q.zero_share)}"
                     + (f"; {q.pending} still to grade by hand" if q.pending else "") + ".</p>")
        parts.append(_histogram(q, i))
        if q.checks:
            rows = "".join(f"<tr><td>{n}</td><td>{_pct(n / len(q.scores))}</td><td>"
                           f"{html.escape(q.examples[m])}</td><td>"
                           f"{html.escape('; '.join(q.known.get(m, [])) or '(none listed)')}</td></tr>"
                           for m, n in q.checks.most_common())
            parts.append("<table><caption>Failed checks (one student's message shown for each "
                         "group)</caption><thead><tr><th>students</th><th>share</th><th>message"
                         "</th><th>known misconceptions that give this message</th></tr></thead>"
                         f"<tbody>{rows}</tbody></table>")
            named: Counter = Counter()
            for m, n in q.checks.items():
                for label in q.known.get(m, []):
                    named[label] += n
            if named:
                items = "".join(f"<li>{html.escape(label)}: {n} "
                                f"student{'s' if n != 1 else ''}</li>" for label, n in named.most_common())
                parts.append(f"<p>Named misconceptions (a message several misconceptions share "
                             f"counts for each):</p><ul>{items}</ul>")
        parts.append("</section>")
    if rep.no_score:
        rows = "".join(f"<li>{html.escape(s)}: {html.escape(v)}</li>"
                       for s, v in sorted(rep.no_score.items()))
        parts.append(f"<section><h2>Students without a score</h2><ul>{rows}</ul></section>")
    page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Class report: {html.escape(assignment)}</title><style>"
            "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
            "color:#1a1a1a}table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px "
            "solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}caption{text-align:"
            "left;font-weight:600}small{color:#555;font-weight:normal}</style>"
            f"<script>{_plotly_js()}</script></head><body>" + "\n".join(parts) + "</body></html>")
    html_path.write_text(page, encoding="utf-8")
    return html_path, csv_path, rep
