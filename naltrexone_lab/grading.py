"""Grading an exercise notebook with nbgrader in a throw-away course.

The instructor notebooks in ``solutions/`` are the single source of every exercise. To grade one
notebook (a student's, a filled-in solution, a deliberately wrong answer) this module builds a
temporary nbgrader course beside nothing else: it copies the instructor version in as the source,
runs ``nbgrader generate_assignment`` (which records the hidden tests in a fresh gradebook), puts
the notebook in ``submitted/``, runs ``nbgrader autograde`` and reads the scores back from the
gradebook. The same steps serve the test suite and the learner's self-check.

nbgrader is run in a subprocess of this Python, so a submission that hangs or kills its kernel
cannot take the caller down.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

__all__ = [
    "GradeReport",
    "QuestionResult",
    "autograde_notebook",
    "course_root",
    "exercise_names",
    "fill_in_solutions",
    "generate_release",
    "nbgrader_env",
    "solution_notebook",
]

COURSE_ID = "naltrexone-lab"


def course_root() -> Path:
    """The course checkout (the folder holding ``nbgrader_config.py`` and ``solutions/``)."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "nbgrader_config.py").is_file() or not (root / "solutions").is_dir():
        raise ValueError(
            f"the course files (nbgrader_config.py, solutions/) were not found beside the package "
            f"at {root}; install the course with `pip install -e .` from its checkout"
        )
    return root


def exercise_names() -> list[str]:
    """Names of the exercises (folders ``solutions/exNN_topic``), sorted."""
    return sorted(p.name for p in (course_root() / "solutions").glob("ex*") if p.is_dir())


def solution_notebook(assignment: str) -> Path:
    """Path of the instructor notebook of ``assignment``."""
    if assignment not in exercise_names():
        raise ValueError(f"assignment must be one of {', '.join(exercise_names())}; got {assignment!r}")
    (nb,) = sorted((course_root() / "solutions" / assignment).glob("*.ipynb"))
    return nb


def nbgrader_env() -> dict[str, str]:
    """Environment for nbgrader subprocesses: this interpreter's scripts (``alembic``) on PATH."""
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    if bindir not in env.get("PATH", "").split(os.pathsep):
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return env


def _run_nbgrader(args: list[str], cwd: Path, timeout_s: float | None = None):
    cmd = [sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"]
    proc = subprocess.run(cmd, cwd=cwd, env=nbgrader_env(), capture_output=True, text=True,
                          timeout=timeout_s)
    if proc.returncode != 0:
        raise RuntimeError(
            f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        )
    return proc


def _write_course(tmp: Path, assignment: str, cell_timeout_s: int) -> None:
    # The course's own configuration (course id, stubs) followed by overrides that point the
    # folders and the gradebook into the temporary course; later assignments win in traitlets.
    config = (course_root() / "nbgrader_config.py").read_text()
    (tmp / "nbgrader_config.py").write_text(
        config
        + "\n# -- temporary grading course --\n"
        + "c.CourseDirectory.source_directory = 'source'\n"
        + "c.CourseDirectory.release_directory = 'release'\n"
        + f"c.CourseDirectory.db_url = 'sqlite:///{tmp / 'gradebook.db'}'\n"
        + f"c.Execute.timeout = {int(cell_timeout_s)}\n"
    )
    shutil.copytree(course_root() / "solutions" / assignment, tmp / "source" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))


def generate_release(assignment: str, dest: Path) -> Path:
    """Run ``nbgrader generate_assignment`` on a copy of the course; copy the student version to
    ``dest/assignment`` and return that folder. The checkout itself is not touched."""
    with tempfile.TemporaryDirectory(prefix="ntx-release-") as tmpdir:
        tmp = Path(tmpdir)
        _write_course(tmp, assignment, 60)
        _run_nbgrader(["generate_assignment", assignment, "--force"], tmp)
        out = Path(dest) / assignment
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(tmp / "release" / assignment, out)
    return out


def fill_in_solutions(released: nbformat.NotebookNode, solution: nbformat.NotebookNode,
                      replacements: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The released notebook with every solution cell answered as a student would.

    Each solution cell gets the instructor's source (or ``replacements[grade_id]`` when given,
    e.g. a misconception). Test and locked cells are left as released.
    """
    replacements = dict(replacements or {})
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    filled = nbformat.from_dict(released)
    for cell in filled.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if meta.get("solution") and gid in answers:
            cell.source = replacements.pop(gid, answers[gid])
    if replacements:
        raise ValueError(f"replacements name no solution cell: {sorted(replacements)}")
    return filled


@dataclass(frozen=True)
class QuestionResult:
    """Score of one graded cell.

    Attributes
    ----------
    grade_id : str
    score : float
        Points given (automatic cells) or 0 until graded by hand (manual cells).
    max_score : float
    auto : bool
        True for autograded test cells; False for written answers graded by the instructor.
    message : str
        For a failed test cell, the exception and its message (never the test's source).
    """

    grade_id: str
    score: float
    max_score: float
    auto: bool
    message: str = ""


@dataclass(frozen=True)
class GradeReport:
    """Result of autograding one notebook."""

    assignment: str
    questions: tuple[QuestionResult, ...]
    autograded_path: Path | None = None

    @property
    def auto_score(self) -> float:
        return sum(q.score for q in self.questions if q.auto)

    @property
    def auto_max(self) -> float:
        return sum(q.max_score for q in self.questions if q.auto)

    @property
    def manual_max(self) -> float:
        return sum(q.max_score for q in self.questions if not q.auto)

    def score_of(self, grade_id: str) -> float:
        for q in self.questions:
            if q.grade_id == grade_id:
                return q.score
        raise ValueError(f"grade_id must be one of {[q.grade_id for q in self.questions]}; got {grade_id!r}")


def _error_messages(nb: nbformat.NotebookNode) -> dict[str, str]:
    messages = {}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code" or not gid:
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                messages[gid] = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
    return messages


def autograde_notebook(notebook, assignment: str, *, cell_timeout_s: int = 60,
                       keep_dir: Path | None = None) -> GradeReport:
    """Autograde one notebook against the full (hidden included) tests of ``assignment``.

    Parameters
    ----------
    notebook : path or nbformat.NotebookNode
        The notebook to grade, e.g. a student's saved copy of the released exercise.
    assignment : str
        Exercise name, e.g. ``"ex01_antagonism"``.
    cell_timeout_s : int
        Per-cell execution limit in seconds (1 to 3600).
    keep_dir : Path, optional
        Copy the autograded notebook there (for feedback or inspection).
    """
    if not 1 <= int(cell_timeout_s) <= 3600:
        raise ValueError(f"cell_timeout_s must be 1 to 3600 seconds; got {cell_timeout_s!r}")
    nb_name = solution_notebook(assignment).name
    if isinstance(notebook, (str, Path)):
        notebook = nbformat.read(str(notebook), as_version=4)
    with tempfile.TemporaryDirectory(prefix="ntx-grade-") as tmpdir:
        tmp = Path(tmpdir)
        _write_course(tmp, assignment, cell_timeout_s)
        _run_nbgrader(["generate_assignment", assignment, "--force"], tmp)
        sub = tmp / "submitted" / "student" / assignment
        sub.mkdir(parents=True)
        nbformat.write(notebook, str(sub / nb_name))
        _run_nbgrader(["autograde", assignment, "--student", "student", "--force"], tmp)
        graded_path = tmp / "autograded" / "student" / assignment / nb_name
        messages = _error_messages(nbformat.read(str(graded_path), as_version=4))
        questions = _read_gradebook(tmp / "gradebook.db", assignment, nb_name[:-len(".ipynb")],
                                    messages, _grade_ids_in_order(assignment))
        kept = None
        if keep_dir is not None:
            Path(keep_dir).mkdir(parents=True, exist_ok=True)
            kept = Path(keep_dir) / nb_name
            shutil.copy(graded_path, kept)
    return GradeReport(assignment=assignment, questions=questions, autograded_path=kept)


def _grade_ids_in_order(assignment: str) -> list[str]:
    nb = nbformat.read(str(solution_notebook(assignment)), as_version=4)
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") or c.metadata.get("nbgrader", {}).get("task")]


def _read_gradebook(db: Path, assignment: str, notebook_id: str, messages, order) -> tuple:
    os.environ.update({"PATH": nbgrader_env()["PATH"]})
    from nbgrader.api import Gradebook

    results = []
    with Gradebook(f"sqlite:///{db}") as gb:
        nb = gb.find_submission_notebook(notebook_id, assignment, "student")
        order = {name: i for i, name in enumerate(order)}
        for grade in sorted(nb.grades, key=lambda g: order.get(g.name, 0)):
            auto = grade.auto_score is not None
            results.append(QuestionResult(
                grade_id=grade.name,
                score=float(grade.score),
                max_score=float(grade.max_score),
                auto=auto,
                message=messages.get(grade.name, ""),
            ))
    return tuple(results)
