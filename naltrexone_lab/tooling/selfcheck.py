"""A self-paced learner's check: grade a saved exercise with the full tests, report, remember.

:func:`check_notebook` reads a notebook, works out which exercise it is, grades it with the
instructor version's tests (hidden ones included) through :mod:`naltrexone_lab.grading`, and
returns the report with a label for each question. :func:`write_html_report` writes feedback a
learner can open in a browser; it carries the questions, points and the failed checks' messages,
never the hidden tests' code. :class:`ProgressStore` keeps the latest score of each exercise in a
small JSON file outside the repository.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import variants
from .checklimit import CheckLog, answer_fingerprints
from .feedback import WITHHELD_MESSAGE, own_text, reproduced, secret_fragments
from .grading import (
    GradeReport,
    NotAnExercise,
    autograde_notebook,
    course_root,
    exercise_names,
    identify_exercise,
    solution_notebook,
)
from .hints import question_fingerprints
from .markers import MAX_NOTEBOOK_BYTES, graded_cell_problem, notebook_shape_problem
from .syllabus import chapter_for_exercise

__all__ = [
    "CheckResult",
    "ProgressStore",
    "check_notebook",
    "question_labels",
    "read_notebook",
    "scrub_report",
    "start_exercise",
    "write_html_report",
    "write_json_atomic",
]


@dataclass(frozen=True)
class CheckResult:
    """A graded notebook with the label of each question."""

    path: Path
    report: GradeReport
    labels: dict[str, str]
    #: questions over the instructor's self-check limit (checklimit.py) -> when they can be
    #: checked again; their score and message are not shown
    withheld: dict[str, dt.datetime] = dataclasses.field(default_factory=dict)

    @property
    def assignment(self) -> str:
        return self.report.assignment

    @property
    def shown_score(self) -> float:
        """Autograded points of the questions whose result is shown."""
        return sum(q.score for q in self.report.questions if q.auto and q.grade_id not in self.withheld)

    @property
    def shown_max(self) -> float:
        return sum(q.max_score for q in self.report.questions if q.auto and q.grade_id not in self.withheld)


def read_notebook(path) -> nbformat.NotebookNode:
    """Read a notebook, or raise ValueError with one line saying what is wrong with the file."""
    p = Path(path)
    if not p.exists():
        raise ValueError(f"no such file: {p}")
    if p.is_dir():
        raise ValueError(f"{p} is a folder; give the path of the exercise notebook (.ipynb) inside it")
    if not p.is_file():
        raise ValueError(f"{p} is not a regular file (a pipe, socket or device), so not a notebook")
    size = p.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise ValueError(f"{p} is {size / 1024 ** 2:.0f} MB; notebooks over "
                         f"{MAX_NOTEBOOK_BYTES / 1024 ** 2:.0f} MB are not graded (clear large "
                         "outputs, save, and check again)")
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{p} is not a notebook: it is not a text file") from None
    except OSError as err:
        raise ValueError(f"{p} cannot be read: {err.strerror or err}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        if p.suffix != ".ipynb":
            raise ValueError(f"{p} is not a notebook (expected a .ipynb file saved by Jupyter)") from None
        raise ValueError(f"{p} is not valid notebook JSON (line {err.lineno}: {err.msg}); "
                         "was it saved completely?") from None
    except RecursionError:
        raise ValueError(f"{p} is not a notebook: its JSON is nested too deeply") from None
    if not isinstance(data, dict) or "cells" not in data or "nbformat" not in data:
        raise ValueError(f"{p} is JSON but not a Jupyter notebook (no cells / nbformat)")
    problem = notebook_shape_problem(data)
    if problem:
        raise ValueError(f"{p} cannot be graded: {problem} (copy your answers into a fresh copy "
                         "made with naltrexone-course start --fresh)")
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # nbformat raises several types for malformed notebooks
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ValueError(f"{p} is not a valid Jupyter notebook: {first[:200]}") from None
    return nb


def question_labels(assignment: str, notebook=None) -> dict[str, str]:
    """grade_id -> "Question N: <what the test cell checks>" from the instructor notebook
    (``notebook``, default the course's own of ``assignment``).

    Uses the nearest heading above each graded cell and the test cell's one-line docstring,
    both of which students see too.
    """
    nb = nbformat.read(str(notebook or solution_notebook(assignment)), as_version=4)
    labels, heading = {}, ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.match(r"#+\s*(.+)", cell.source.strip())
            if m and m.group(1).lower().startswith("question"):
                heading = re.split(r"\s*[:(]", m.group(1), maxsplit=1)[0]
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("grade") or meta.get("task")):
            continue
        if meta.get("task"):
            labels[meta["grade_id"]] = f"{heading}: written answer (graded by your instructor)"
            continue
        doc = re.match(r'\s*"""(.+?)"""', cell.source)
        what = doc.group(1).strip() if doc else meta["grade_id"]
        labels[meta["grade_id"]] = f"{heading}: {what}" if heading else what
    return labels


def check_notebook(path, *, cell_timeout_s: int = 60, limit=None,
                   now: dt.datetime | None = None) -> CheckResult:
    """Grade a saved exercise notebook with the full tests.

    With ``limit`` (a :class:`~naltrexone_lab.tooling.checklimit.CheckLimit`), each question's
    result is shown for at most that many different answers per window; the others are listed
    in ``CheckResult.withheld`` (the log is kept in the data home).

    Raises
    ------
    ValueError
        A one-line message when the file cannot be graded (missing, not a notebook, corrupt,
        another course's, cells deleted or renamed).
    naltrexone_lab.grading.GradingError
        When nbgrader could not grade it (for example the kernel died).
    """
    nb = read_notebook(path)
    try:
        assignment = identify_exercise(nb)
    except NotAnExercise as err:
        raise ValueError(f"{Path(path)}: {err}") from None
    instructor = nbformat.read(str(solution_notebook(assignment)), as_version=4)
    problem = graded_cell_problem(nb, instructor.cells)
    if problem:
        raise ValueError(f"{Path(path)} cannot be graded: {problem}")
    # the values the learner's own kernel drew (the notebook's folder, or JupyterHub's user)
    environ = {k: v for k, v in os.environ.items() if k != variants.STUDENT_ENV}
    identity = variants.identity_from(environ, Path(path).resolve().parent)
    report = autograde_notebook(nb, assignment, cell_timeout_s=cell_timeout_s,
                                variant_identity=identity)
    report = scrub_report(report, own_text(nb))
    withheld = {}
    if limit is not None:

        auto = {q.grade_id for q in report.questions if q.auto}
        prints = {g: f for g, f in answer_fingerprints(nb).items() if g in auto}
        withheld = CheckLog(_data_home()).admit(assignment, prints, limit, now or dt.datetime.now())
    return CheckResult(path=Path(path), report=report, labels=question_labels(assignment),
                       withheld=withheld)


def _fragments(assignment: str) -> dict[str, str]:
    """Instructor-only lines of ``assignment`` (hidden tests, mark scheme, solutions) that the
    released exercise does not show."""
    release = course_root() / "exercises" / assignment / solution_notebook(assignment).name
    public = ""
    if release.is_file():
        public = "\n".join(c.source for c in nbformat.read(str(release), as_version=4).cells)
    return secret_fragments(nbformat.read(str(solution_notebook(assignment)), as_version=4).cells,
                            public)


def scrub_report(report: GradeReport, own: str = "") -> GradeReport:
    """``report`` with every message and note that reproduces hidden-test, mark-scheme or solution
    text (plainly or encoded: a test cell's message is its exception's, and answer code can raise
    one carrying the tests it read) replaced by a line saying it was withheld."""
    fragments = _fragments(report.assignment)

    def clean(text: str) -> str:
        hits = reproduced(text, fragments, own)
        if not hits:
            return text
        name = text.split(":", 1)[0] if re.match(r"\w+:", text) else "message"
        return f"{name}: " + WITHHELD_MESSAGE.format(how=hits[0][2])

    questions = tuple(dataclasses.replace(
        q, message=clean(q.message),
        parts=tuple(dataclasses.replace(p, name=clean(p.name), message=clean(p.message))
                    for p in q.parts)) for q in report.questions)
    return dataclasses.replace(report, questions=questions,
                               notes=tuple(clean(n) for n in report.notes))


# -- the HTML report ---------------------------------------------------------------------------------
_CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:60em;margin:2em auto;color:#222;line-height:1.45}
table{border-collapse:collapse;width:100%} th,td{border:1px solid #bbb;padding:.45em .6em;
text-align:left;vertical-align:top} th{background:#eef3f8} .ok{color:#006e4f;font-weight:bold}
.no{color:#b3470b;font-weight:bold} .manual{color:#555} .total{font-size:1.25em}
"""


def write_html_report(result: CheckResult, dest) -> Path:
    """Write a self-contained, inert feedback page (every text from the notebook is escaped and no
    script runs); returns its path. No test source is included, and a message that reproduces
    instructor-only text is withheld (:func:`scrub_report`)."""
    r = scrub_report(result.report)
    chapter = chapter_for_exercise(r.assignment)
    rows = []
    for q in r.questions:
        label = html.escape(result.labels.get(q.grade_id, q.grade_id))
        if q.grade_id in result.withheld:
            status, points = '<span class="manual">not shown</span>', f"? / {q.max_score:g}"
            detail = (f"Checked with the limit of different answers your instructor set; check "
                      f"it again after {result.withheld[q.grade_id]:%Y-%m-%d %H:%M}.")
        elif not q.auto:
            status, detail = '<span class="manual">to be graded</span>', (
                "Your instructor grades this written answer; compare it with the chapter's "
                "summary and \"What the evidence says\".")
            points = f"– / {q.max_score:g}"
        elif q.score >= q.max_score:
            status, detail, points = '<span class="ok">passed</span>', "", f"{q.score:g} / {q.max_score:g}"
        else:
            status = '<span class="no">not yet</span>'
            detail = html.escape(q.message or "a check failed")
            if q.parts:  # a question of independent parts: each of them, passed or not
                detail = "<ul>" + "".join(
                    f"<li>{'passed' if p.passed else '<b>failed</b>'}: "
                    f"<code>{html.escape(p.name)}</code> ({p.points:g} pt)"
                    + ("" if p.passed else f" &mdash; {html.escape(p.message)}") + "</li>"
                    for p in q.parts) + "</ul>"
            points = f"{q.score:g} / {q.max_score:g}"
        rows.append(f"<tr><td>{label}</td><td>{points}</td><td>{status}</td><td>{detail}</td></tr>")
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Feedback: {html.escape(r.assignment)}</title>
<style>{_CSS}</style></head><body>
<h1>Feedback: {html.escape(r.assignment)}</h1>
<p>Chapter {chapter.number}: {html.escape(chapter.title)}. Checked {when} from
<code>{html.escape(str(result.path))}</code> with the full tests, hidden ones included.</p>
<p class="total">Autograded: <b>{result.shown_score:g} / {result.shown_max:g}</b> points
({100 * result.shown_score / result.shown_max if result.shown_max else 0:.0f}%){
" of the questions shown" if result.withheld else ""}; written answers: {r.manual_max:g} points, graded by an
instructor.</p>
<table><thead><tr><th>Question</th><th>Points</th><th>Result</th><th>What failed</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
{"".join(f"<p><b>Note:</b> {html.escape(n)}</p>" for n in r.notes)}
<p>A message tells you what a check expected, not how the check is written. Fix the answer,
save the notebook, and check again.</p>
</body></html>
"""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(page, encoding="utf-8")
    return dest


# -- progress -----------------------------------------------------------------------------------------
def _data_home() -> Path:
    if os.environ.get("NALTREXONE_COURSE_HOME"):
        return Path(os.environ["NALTREXONE_COURSE_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "naltrexone-course"


#: Failing answers remembered per question (more than any reveal needs).
ATTEMPTS_KEPT = 20


class ProgressStore:
    """The latest checked score of each exercise, in ``progress.json`` under the data home.

    The data home is ``$NALTREXONE_COURSE_HOME`` if set, else ``$XDG_DATA_HOME/naltrexone-course``
    (default ``~/.local/share/naltrexone-course``): outside the repository, so it survives
    restarts, re-clones and ``git clean``.
    """

    def __init__(self, home: Path | None = None):
        self.path = Path(home or _data_home()) / "progress.json"

    def load(self) -> dict:
        """All records: exercise -> {score, max_score, checked_at, notebook}. A damaged file is
        moved aside (``progress.json.damaged``) and treated as empty."""
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
            return data
        except (ValueError, OSError):
            shutil.move(str(self.path), str(self.path) + ".damaged")
            return {}

    def record(self, result: CheckResult, when: dt.datetime | None = None) -> dict:
        """Store the result as the exercise's latest; written atomically."""
        data = self.load()
        auto = [q for q in result.report.questions if q.auto]
        failed = [q.grade_id for q in auto if q.score < q.max_score]
        # the different failing answers to each question (its answer fingerprints), which
        # open its worked solution (hints.py); a re-check of the same answer adds none
        previous = data.get(result.assignment, {}).get("attempts", {})
        attempts = {g: list(v)[-ATTEMPTS_KEPT:] for g, v in previous.items() if isinstance(v, list)}
        try:
            prints = question_fingerprints(read_notebook(result.path))
        except (OSError, ValueError):
            prints = {}
        for gid in failed:
            seen = attempts.setdefault(gid, [])
            if gid in prints and prints[gid] not in seen:
                seen.append(prints[gid])
        entry = {
            "score": result.report.auto_score,
            "max_score": result.report.auto_max,
            "manual_points": result.report.manual_max,
            "checked_at": (when or dt.datetime.now()).isoformat(timespec="seconds"),
            "notebook": str(Path(result.path).resolve()),
            "failed": failed,
            "passed": [q.grade_id for q in auto if q.score >= q.max_score],
            "attempts": attempts,
        }
        data[result.assignment] = entry
        write_json_atomic(self.path, data)
        return entry


def progress_rows(data: dict) -> list[dict]:
    """One row per exercise of the syllabus, in order, from :meth:`ProgressStore.load` data:
    ``exercise``, ``chapter`` (number and title), ``score`` and ``max_score`` (None before the
    first check), ``checked_at`` (``YYYY-MM-DD HH:MM`` or ""), ``failed`` (grade ids of the
    questions still failing) and ``next`` (what to do now, in words)."""
    from .syllabus import CHAPTERS

    rows = []
    for ch in CHAPTERS:
        if not ch.exercise:
            continue
        entry = data.get(ch.exercise)
        entry = entry if isinstance(entry, dict) else None
        try:
            score = float(entry["score"]) if entry else None
            top = float(entry["max_score"]) if entry else None
            when = dt.datetime.fromisoformat(entry["checked_at"]).strftime("%Y-%m-%d %H:%M") \
                if entry else ""
        except (KeyError, TypeError, ValueError):  # a record written by hand or damaged
            score, top, when = None, None, ""
        failed = [str(g) for g in (entry or {}).get("failed", []) if isinstance(g, str)]
        if score is None:
            step = f"start it: naltrexone-course start {ch.exercise}"
        elif failed:
            step = (f"{len(failed)} question{'s' if len(failed) > 1 else ''} to fix, then check "
                    "again (a hint: naltrexone-course hint)")
        else:
            step = "every autograded question passed; the written answer is graded by a person"
        rows.append({"exercise": ch.exercise, "chapter": f"{ch.number} {ch.title}",
                     "score": score, "max_score": top, "checked_at": when, "failed": failed,
                     "next": step})
    return rows


def write_json_atomic(path: Path, data) -> None:
    """Write ``data`` as JSON to ``path`` through a temporary file beside it, so a reader never
    sees half a file (the progress and self-check logs in the data home)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, sort_keys=True)
    os.replace(tmp, path)


# -- a learner's own copy -----------------------------------------------------------------------------
def start_exercise(exercise: str, dest_root=None, *, fresh: bool = False,
                   student: str | None = None) -> Path:
    """Copy the released exercise to the learner's work folder (default ``my_work/`` in the
    course, which git ignores) and return the notebook's path. An existing copy is kept unless
    ``fresh``, in which case it is first renamed with a timestamp, so no answer is lost. The
    folder gets a local variant identity (:mod:`.variants`), so the copy has its own numbers;
    ``fresh`` draws new ones; ``student`` (a class's grading id) is written instead."""
    chapter_for_exercise(exercise)  # validates the name
    src_dir = course_root() / "exercises" / exercise
    dest_dir = Path(dest_root or course_root() / "my_work") / exercise
    (src,) = sorted(src_dir.glob("*.ipynb"))
    dest = dest_dir / src.name
    if student is not None:  # the grading id a class's instructor gave out
        variants.write_identity_file(dest_dir, student=student)
    if dest.exists() and not fresh:
        return dest
    if dest.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        dest.rename(dest.with_name(f"{dest.stem}.before-{stamp}{dest.suffix}"))
    dest_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dest)
    # the copy's own numbers (naltrexone_lab.variants): kept with the copy, new with --fresh
    if student is None:
        variants.write_identity_file(dest_dir, fresh=fresh)
    return dest


_EXERCISE_LINK = re.compile(r"\(\.\./exercises/(ex\d\d_\w+)/")


def start_course(dest_root=None) -> Path:
    """The learner's own copy of the whole course: every chapter notebook and page of
    ``course/`` in ``my_work/course/`` and every exercise in ``my_work/exNN_topic/`` (git ignores
    ``my_work/``), so running and saving chapters never changes the tracked files and a
    ``git pull`` of a new course version never conflicts with a learner's outputs. Existing
    copies are kept. In the copies, links to ``../exercises/exNN/`` point at the learner's own
    exercise copy instead. Returns the path of the copied ``00_start_here.ipynb``."""
    root = Path(dest_root or course_root() / "my_work")
    for name in exercise_names():
        start_exercise(name, root)
    dest = root / "course"
    dest.mkdir(parents=True, exist_ok=True)
    for src in sorted((course_root() / "course").iterdir()):
        if src.suffix not in (".ipynb", ".md") or (dest / src.name).exists():
            continue
        text = src.read_text(encoding="utf-8")
        (dest / src.name).write_text(_EXERCISE_LINK.sub(r"(../\1/", text), encoding="utf-8")
    return dest / "00_start_here.ipynb"

