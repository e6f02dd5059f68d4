"""A class of submissions for grading tests and the grading benchmark.

:func:`make_course` builds a throw-away nbgrader course from the checkout's configuration and
instructor notebooks; :func:`build_corpus` fills ``submitted/`` with the kinds of notebook a real
class hands in, and returns what grading each one must give.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import nbformat

from naltrexone_lab.tooling.grading import (
    course_root,
    fill_in_solutions,
    nbgrader_command,
    nbgrader_env,
    seed_gradebook,
    solution_notebook,
)

EX = "ex01_antagonism"
NB = f"{EX}.ipynb"


def make_course(dest: Path, assignment: str = EX, *, cell_timeout_s: int = 60) -> Path:
    """A fresh course at ``dest`` with ``assignment`` generated (gradebook filled)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    config = (course_root() / "nbgrader_config.py").read_text()
    (dest / "nbgrader_config.py").write_text(config + f"\nc.Execute.timeout = {int(cell_timeout_s)}\n")
    shutil.copytree(course_root() / "solutions" / assignment, dest / "solutions" / assignment)
    seed_gradebook(dest / "gradebook.db")
    subprocess.run(nbgrader_command(["generate_assignment", assignment, "--force", "--log-level=WARN"]),
                   cwd=dest, env=nbgrader_env(), check=True, capture_output=True)
    (dest / "submitted").mkdir(exist_ok=True)
    return dest


def released(course: Path, assignment: str = EX) -> nbformat.NotebookNode:
    return nbformat.read(str(Path(course) / "exercises" / assignment / f"{assignment}.ipynb"), as_version=4)


def submit(course: Path, student: str, content, *, name: str = NB, assignment: str = EX) -> None:
    folder = Path(course) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if isinstance(content, str):
        target.write_text(content)
    else:
        nbformat.write(content, str(target))


def _solved(course, replacements=None):
    sol = nbformat.read(str(solution_notebook(EX)), as_version=4)
    return fill_in_solutions(released(course), sol, replacements or {})


def build_corpus(course: Path) -> dict[str, tuple[str, float | None]]:
    """Submit one notebook of each kind; return student -> (status, autograded score or None)."""
    rel = released(course)
    expected = {}

    submit(course, "s01_blank", rel)
    expected["s01_blank"] = ("graded", 0.0)

    submit(course, "s02_solved", _solved(course))
    expected["s02_solved"] = ("graded", 12.0)

    partial = _solved(course)
    blank_ids = {c.metadata["nbgrader"]["grade_id"]: c.source for c in rel.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in partial.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in blank_ids and gid not in ("q1_occupancy", "q2_gaddum"):
            cell.source = blank_ids[gid]
    submit(course, "s03_partial", partial)
    expected["s03_partial"] = ("graded", 4.0)

    edited = _solved(course, {"q2_gaddum": "def gaddum_occupancy(a, b, ka, kb):\n    return 0.5"})
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q2_tests":
            cell.source = '"""Check gaddum_occupancy()."""\nassert True'
    submit(course, "s04_tests_edited", edited)
    expected["s04_tests_edited"] = ("graded", 10.0)  # nbgrader restores the real tests

    deleted = _solved(course)
    deleted.cells = [c for c in deleted.cells
                     if c.metadata.get("nbgrader", {}).get("grade_id") != "q3_tests"]
    submit(course, "s05_tests_deleted", deleted)
    expected["s05_tests_deleted"] = ("graded", 10.0)  # the deleted question scores 0

    dup = _solved(course)
    extra = copy.deepcopy([c for c in dup.cells
                           if c.metadata.get("nbgrader", {}).get("grade_id") == "q1_occupancy"][0])
    extra.id = "duplicated-answer"
    dup.cells.insert(3, extra)
    submit(course, "s06_duplicated", dup)
    expected["s06_duplicated"] = ("failed", None)  # nbgrader refuses; the status says why

    submit(course, "s07_infinite_loop", _solved(course, {"q1_occupancy": "while True:\n    pass"}))
    expected["s07_infinite_loop"] = ("timed out", 8.0)  # q1 and q5 (which uses occupancy) lost

    submit(course, "s08_kernel_exits", _solved(course, {"q2_gaddum": "import os\nos._exit(1)"}))
    expected["s08_kernel_exits"] = ("kernel died", None)

    submit(course, "s09_corrupt_json", json.dumps(_solved(course))[:5000])
    expected["s09_corrupt_json"] = ("unreadable", None)

    submit(course, "s10_wrong_name", _solved(course), name="homework.ipynb")
    expected["s10_wrong_name"] = ("missing notebook", None)
    return expected


def many_submissions(course: Path, n: int) -> None:
    """``n`` ordinary submissions: a mix of solved, partly solved and blank notebooks."""
    kinds = [_solved(course), released(course),
             _solved(course, {"q4_schild": "raise NotImplementedError()"})]
    for i in range(n):
        submit(course, f"student{i:03d}", kinds[i % len(kinds)])
