"""Tiered hints, then the worked solution, of one question of a learner's exercise (issue 17).

``naltrexone-course hint NOTEBOOK QUESTION`` (and ``hint(N)`` in a notebook cell, through
:mod:`.notebook_check`) gives, for an autograded question whose last check failed:

1. its first hint, then on the next request its second (``solutions/<exercise>/hints.toml``,
   written by the course's authors: the idea, then the step most learners miss; never an
   expected value or the answer's code);
2. after :data:`ATTEMPTS_FOR_SOLUTION` different answers to the question have failed a check
   (counted by the progress store from each check's answer fingerprints), the worked solution:
   the instructor version's answer cells of that question, without nbgrader's markers.

A written question's model answer (the mark scheme) is shown once the learner has saved an
answer of at least :data:`WORDS_FOR_MODEL_ANSWER` words below the question.

Solutions are revealed to self-paced learners only. They are off, with the hints still on,
when ``NALTREXONE_REVEAL=off`` is set (an instructor sets it for every user of a JupyterHub,
``c.Spawner.environment``), and by default for class members: a learner whose variant identity
is their JupyterHub user name or a student id from ``naltrexone-course start --student`` (see
:mod:`.variants`). ``NALTREXONE_REVEAL=on`` turns them back on. The class-grading route never
shows hints or solutions: feedback pages and reports are built from the graded notebooks only.

How many hints were shown is kept in ``hints.json`` in the data home, beside the progress.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib

from . import variants
from .grading import identify_exercise, solution_notebook
from .kit import is_check_course

__all__ = ["ATTEMPTS_FOR_SOLUTION", "HintStep", "REVEAL_ENV", "WORDS_FOR_MODEL_ANSWER",
           "load_hints", "next_hint", "reveal_policy"]

#: Different failing answers to a question before its worked solution opens.
ATTEMPTS_FOR_SOLUTION = 3
#: Words a written answer needs before its model answer is shown.
WORDS_FOR_MODEL_ANSWER = 20
#: Environment variable switching the reveal of solutions and model answers: "on" or "off".
REVEAL_ENV = "NALTREXONE_REVEAL"

_OFF, _ON = {"0", "off", "no", "false"}, {"1", "on", "yes", "true"}
_MARKERS = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*#*\s*$")
_SCHEME = re.compile(r"=== BEGIN MARK SCHEME ===(.*?)=== END MARK SCHEME ===", re.S)
_PLACEHOLDER = "Write your answer here"


@dataclass(frozen=True)
class HintStep:
    """What one ``hint`` request shows.

    Attributes
    ----------
    question : str
        The grade_id the request was about (a test cell, or a written question's task cell).
    title : str
        "Question N", as the notebook's heading says.
    hints : tuple of str
        Every hint shown so far for the question, oldest first (the last one is new, unless
        all were already shown).
    solution : str
        The worked solution (answer cells' code) or the model answer, when it opens; else "".
    kind : str
        What ``solution`` is: "worked solution" or "model answer".
    note : str
        What comes next, or why nothing is shown (no failed check yet, reveal off, ...).
    """

    question: str
    title: str
    hints: tuple[str, ...] = ()
    solution: str = ""
    kind: str = "worked solution"
    note: str = ""


def load_hints(assignment: str) -> dict[str, tuple[str, ...]]:
    """test cell grade_id -> its hints, from ``solutions/<assignment>/hints.toml`` ({} when the
    exercise has none)."""
    path = solution_notebook(assignment).parent / "hints.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {gid: tuple(str(h) for h in table.get("hints", ())) for gid, table in data.items()
            if isinstance(table, dict)}


def reveal_policy(environ: Mapping[str, str], folder) -> tuple[bool, str]:
    """(whether solutions and model answers may be shown, why) for a learner's environment and
    notebook folder, as the module docstring describes."""
    value = (environ.get(REVEAL_ENV) or "").strip().lower()
    if value in _OFF:
        return False, f"your instructor has switched worked solutions off ({REVEAL_ENV}=off)"
    if value in _ON:
        return True, ""
    if value:
        raise ValueError(f"{REVEAL_ENV}={value!r} is not allowed: use 'on' or 'off'")
    if (environ.get("JUPYTERHUB_USER") or "").strip():
        return False, ("worked solutions are off for a class on JupyterHub (your instructor can "
                       f"switch them on with {REVEAL_ENV}=on)")
    identity = variants.read_identity_file(folder)
    if identity is not None and not identity.startswith("local:"):
        return False, ("worked solutions are off for a class member's copy (started with "
                       f"--student; {REVEAL_ENV}=on switches them on)")
    return True, ""


def _number(grade_id: str) -> str:
    m = re.match(r"q(\d+)", grade_id)
    return m.group(1) if m else ""


def _graded_cells(nb) -> tuple[list[str], list[str]]:
    """(autograded test cells, written-question task cells) of a notebook, in order."""
    tests, tasks = [], []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("task"):
            tasks.append(meta["grade_id"])
        elif meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            tests.append(meta["grade_id"])
    return tests, tasks


def question_fingerprints(nb) -> dict[str, str]:
    """test cell grade_id -> a hash of its own question's answer cells (those whose grade_id
    starts with the same ``qN_``): a new value is a new attempt at that question, whatever
    happened to the others (unlike the cumulative fingerprints of :mod:`.checklimit`)."""
    answers: dict[str, list[str]] = {}
    tests = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        gid = str(meta.get("grade_id", ""))
        if meta.get("solution"):
            lines = str(cell.get("source", "")).strip().splitlines()
            answers.setdefault(_number(gid), []).append("\n".join(x.rstrip() for x in lines))
        elif meta.get("grade") and cell.get("cell_type") == "code":
            tests.append(gid)
    return {g: hashlib.sha256("\0".join(answers.get(_number(g), [])).encode()).hexdigest()[:16]
            for g in tests}


def resolve_question(instructor, question: str) -> str:
    """The grade_id a learner's ``question`` names: "3", "q3", "4a", "q4b_tests" or a grade_id.
    A number whose question has several test cells ("4" for q4a and q4b) must name one.

    Raises
    ------
    ValueError
        Naming the questions that exist when ``question`` matches none or several.
    """
    tests, tasks = _graded_cells(instructor)
    ids = tests + tasks
    q = str(question).strip().lower().removeprefix("question").strip()
    if q in ids:
        return q
    q = q.removeprefix("q")
    matches = [g for g in ids if re.match(rf"q{re.escape(q)}(_|$)", g)]
    if not matches and q.isdigit():
        matches = [g for g in ids if _number(g) == q]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(sorted({g.split("_")[0].removeprefix("q") for g in ids},
                             key=lambda s: (len(s), s)))
    if matches:
        parts = ", ".join(g.split("_")[0].removeprefix("q") for g in matches)
        raise ValueError(f"question {question!r} has several parts: name one of {parts}")
    raise ValueError(f"question {question!r} is not in this exercise: its questions are {names}")


def worked_solution(instructor, test_id: str) -> str:
    """The instructor version's answer cells of ``test_id``'s question (the cells whose grade_id
    starts with the same ``qN_``), without the solution markers."""
    number = _number(test_id)
    blocks = []
    for cell in instructor.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code" and _number(meta["grade_id"]) == number:
            lines = [line for line in cell.source.splitlines() if not _MARKERS.match(line)]
            blocks.append("\n".join(lines).strip())
    return "\n\n".join(blocks)


def written_answer(nb, task_id: str) -> str:
    """The learner's text in the Markdown cell below a written question ("" if still the
    placeholder or missing)."""
    for i, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == task_id:
            below = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
            if below is None or below.cell_type != "markdown" or below.metadata.get("nbgrader"):
                return ""
            text = below.source.strip()
            return "" if _PLACEHOLDER in text and len(text.split()) < 12 else text
    return ""


def model_answer(instructor, task_id: str) -> str:
    """The mark scheme of a written question, in the instructor version."""
    for cell in instructor.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == task_id:
            m = _SCHEME.search(cell.source)
            return m.group(1).strip() if m else ""
    return ""


class HintLog:
    """How many hints of each question were shown, in ``hints.json`` under ``home``."""

    def __init__(self, home: Path):
        self.path = Path(home) / "hints.json"

    def load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def shown(self, assignment: str, grade_id: str) -> int:
        value = self.load().get(assignment, {}).get(grade_id, 0)
        return value if isinstance(value, int) and value >= 0 else 0

    def set_shown(self, assignment: str, grade_id: str, count: int) -> None:
        from .selfcheck import write_json_atomic

        data = self.load()
        data.setdefault(assignment, {})[grade_id] = count
        write_json_atomic(self.path, data)


def _title(labels: Mapping[str, str], grade_id: str) -> str:
    return labels.get(grade_id, grade_id).split(":")[0]


def next_hint(path, question, *, home: Path | None = None,
              environ: Mapping[str, str] | None = None) -> HintStep:
    """The next step of help for ``question`` of the saved exercise notebook at ``path``: its
    next hint, or its worked solution once it opens (module docstring). Each call that shows a
    new hint records it in the data home (``home``, default the course's data home).

    Raises
    ------
    ValueError
        When ``path`` is no exercise notebook or ``question`` names no question of it.
    """
    from .selfcheck import ProgressStore, _data_home, question_labels, read_notebook

    environ = os.environ if environ is None else environ
    nb = read_notebook(path)
    assignment = identify_exercise(nb)
    instructor = nbformat.read(str(solution_notebook(assignment)), as_version=4)
    gid = resolve_question(instructor, question)
    title = _title(question_labels(assignment, solution_notebook(assignment)), gid)
    allowed, why_not = reveal_policy(environ, Path(path).resolve().parent)
    if allowed and is_check_course(solution_notebook(assignment).parents[2]):
        allowed, why_not = False, ("this course folder is a students' self-check course, which "
                                   "holds no solutions")
    home = Path(home or _data_home())
    _tests, tasks = _graded_cells(instructor)

    if gid in tasks:  # a written question: its model answer, once the learner has written
        words = len(written_answer(nb, gid).split())
        if words < WORDS_FOR_MODEL_ANSWER:
            return HintStep(gid, title, note=(
                f"Write your answer below {title} first (at least {WORDS_FOR_MODEL_ANSWER} words; "
                f"it has {words}) and save the notebook; then ask again for the model answer."))
        if not allowed:
            return HintStep(gid, title, note=f"No model answer: {why_not}.")
        return HintStep(gid, title, solution=model_answer(instructor, gid), kind="model answer", note=(
            "This is the instructor's mark scheme: compare your answer point by point."))

    record = ProgressStore(home).load().get(assignment, {})
    if gid not in record.get("failed", ()):
        checked = record.get("notebook") == str(Path(path).resolve())
        return HintStep(gid, title, note=(
            f"{title} passed your last check: no hint needed." if checked and gid in
            record.get("passed", ()) else
            f"Check your notebook first (the last cell, or naltrexone-course check {path}): "
            f"hints for {title} open after a check that it fails."))
    hints = load_hints(assignment).get(gid, ())
    log = HintLog(home)
    shown = min(log.shown(assignment, gid), len(hints))
    if shown < len(hints):
        shown += 1
        log.set_shown(assignment, gid, shown)
        left = len(hints) - shown
        return HintStep(gid, title, hints=hints[:shown], note=(
            f"Ask again for hint {shown + 1} of {len(hints)}." if left else
            f"That was the last hint. The worked solution opens after {ATTEMPTS_FOR_SOLUTION} "
            "different answers to this question have failed a check."))
    tries = len(record.get("attempts", {}).get(gid, ()))
    if tries < ATTEMPTS_FOR_SOLUTION:
        return HintStep(gid, title, hints=hints, note=(
            f"No more hints. The worked solution opens after {ATTEMPTS_FOR_SOLUTION} different "
            f"answers to {title} have failed a check; {tries} have so far."))
    if not allowed:
        return HintStep(gid, title, hints=hints, note=f"No worked solution: {why_not}.")
    return HintStep(gid, title, hints=hints, solution=worked_solution(instructor, gid), note=(
        "The worked solution of this question's answer cells. Type it in your own words rather "
        "than pasting it, and check again."))


def format_step(step: HintStep) -> str:
    """The plain text ``naltrexone-course hint`` prints."""
    lines = [step.title]
    for k, hint in enumerate(step.hints, 1):
        lines.append(f"  Hint {k}: {hint}")
    if step.solution:
        lines += ["", f"  {step.kind.capitalize()}:",
                  *("    " + line for line in step.solution.splitlines())]
    if step.note:
        lines += ["", f"  {step.note}"]
    return "\n".join(lines)
