"""Grade one submission anywhere: the worker side of class grading.

A grading worker may run on another machine (a Dask worker on a lab server, a Slurm node), so it
gets no path into the course. What it needs travels with the work:

- an :class:`AssignmentKit`, made once per assignment by the course's machine and sent to every
  worker once: the course's ``nbgrader_config.py``, the assignment's definitions copied out of
  the gradebook (notebooks, graded cells, locked sources) into a small SQLite file, and the
  assignment's non-notebook source files;
- a :class:`Job` per submission: the student's id, files and submission time.

:func:`grade_job` builds a scratch nbgrader course from these, runs nbgrader's own ``autograde``
there (the course's converter, guard and sandbox: everything ``nbgrader autograde`` runs) and
returns the autograded files with nbgrader's log. The scratch course, gradebook included, is
thrown away. The grades are recorded in the course's gradebook by one writer, on the course's
machine (:func:`naltrexone_lab.tooling.classroom.grade_class`), so no two workers ever write it.

A worker machine needs this package, nbgrader and (for the sandbox) bubblewrap installed, as the
course's machine does; it needs neither the course folder nor the gradebook's database server.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

__all__ = ["AssignmentKit", "Job", "SchedulerUnavailable", "assignment_kit", "grade_job",
           "hold_kit", "job_for"]

#: Files never sent to a worker: Jupyter's autosaves and Python's byte code.
_SKIPPED = (".ipynb_checkpoints", "__pycache__")


class SchedulerUnavailable(RuntimeError):
    """The Dask scheduler named by ``--scheduler`` cannot be reached or has no worker."""


@dataclass(frozen=True)
class AssignmentKit:
    """Everything a worker needs to grade any submission of one assignment.

    ``definitions`` is an SQLite gradebook (bytes) holding only this assignment's definitions
    (no student, no grade); ``source_files`` are ``(relative path, bytes)`` of the assignment's
    source folder except notebooks, which nbgrader copies beside each submission.
    """

    assignment: str
    course_id: str
    config_text: str
    definitions: bytes
    source_files: tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Job:
    """One submission: the student's id and the files of ``submitted/<student>/<assignment>``
    as ``(relative path, bytes)``, ``timestamp.txt`` included when the collection wrote one."""

    student: str
    assignment: str
    files: tuple[tuple[str, bytes], ...]


def _files_of(folder: Path, *, notebooks: bool = True) -> tuple[tuple[str, bytes], ...]:
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED)
        for name in sorted(files):
            path = Path(root) / name
            if not notebooks and name.endswith(".ipynb"):
                continue
            found.append((path.relative_to(folder).as_posix(), path.read_bytes()))
    return tuple(found)


def _copy_definitions(source_url: str, target: Path, assignment: str, course_id: str) -> None:
    """Copy ``assignment``'s definitions from the gradebook at ``source_url`` (any database
    nbgrader supports) into the empty SQLite gradebook ``target``."""
    from nbgrader.api import Gradebook

    with Gradebook(source_url, course_id) as src, Gradebook(f"sqlite:///{target}", course_id) as dst:
        found = src.find_assignment(assignment)
        dst.update_or_create_assignment(assignment, duedate=found.duedate)
        for nb in found.notebooks:
            dst.update_or_create_notebook(nb.name, assignment)
            for cell in nb.source_cells:
                dst.update_or_create_source_cell(cell.name, nb.name, assignment,
                                                 cell_type=cell.cell_type, locked=cell.locked,
                                                 source=cell.source, checksum=cell.checksum)
            for cell in nb.grade_cells:
                dst.update_or_create_grade_cell(cell.name, nb.name, assignment,
                                                max_score=cell.max_score, cell_type=cell.cell_type)
            for cell in nb.solution_cells:
                dst.update_or_create_solution_cell(cell.name, nb.name, assignment)
            for cell in nb.task_cells:
                dst.update_or_create_task_cell(cell.name, nb.name, assignment,
                                               max_score=cell.max_score, cell_type=cell.cell_type)


def assignment_kit(course: Path, assignment: str, db_url: str) -> AssignmentKit:
    """The :class:`AssignmentKit` of ``assignment`` in ``course`` (gradebook at ``db_url``)."""
    from .grading import _empty_gradebook, course_config

    course = Path(course)
    cfg = course_config(course).CourseDirectory
    course_id = cfg.get("course_id", "") or ""
    source = course / cfg.get("source_directory", "source") / assignment
    with tempfile.TemporaryDirectory(prefix="ntx-kit-") as tmp:
        target = Path(tmp) / "gradebook.db"
        shutil.copy(_empty_gradebook(), target)
        _copy_definitions(db_url, target, assignment, course_id)
        definitions = target.read_bytes()
    return AssignmentKit(assignment=assignment, course_id=course_id,
                         config_text=(course / "nbgrader_config.py").read_text(encoding="utf-8"),
                         definitions=definitions,
                         source_files=_files_of(source, notebooks=False) if source.is_dir() else ())


def job_for(course: Path, student: str, assignment: str) -> Job:
    """The :class:`Job` of one submission (``submitted/<student>/<assignment>``), its files read
    without following links out of it (the pre-check has refused those already)."""
    folder = Path(course) / "submitted" / student / assignment
    return Job(student=student, assignment=assignment, files=_files_of(folder))


def _write_files(folder: Path, files) -> None:
    for rel, data in files:
        path = folder / rel
        if not path.resolve().is_relative_to(folder.resolve()):
            raise ValueError(f"file {rel!r} would land outside {folder}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


# One grading at a time per process: nbgrader's applications keep state in the process (the
# log handlers they capture, traitlets singletons). A Dask worker started with several threads
# still grades correctly, one job after another; start workers with ``--nthreads 1`` and as
# many ``--nworkers`` as the machine has cores instead.
_ONE_AT_A_TIME = threading.Lock()


def grade_job(kit: AssignmentKit, job: Job) -> dict:
    """Run nbgrader's ``autograde`` on ``job`` in a scratch course built from ``kit``.

    Returns a dict: ``student``, ``assignment``, ``success``, nbgrader's ``error`` and ``log``,
    ``files`` (the autograded folder as ``(relative path, bytes)``), ``seconds`` and ``worker``
    (``host:process id``).
    Never raises for a submission; a problem of the worker itself (nbgrader missing, a full
    disk) comes back as ``success=False`` with its message.
    """
    if job.assignment != kit.assignment:
        raise ValueError(f"job.assignment must be the kit's assignment {kit.assignment!r}; "
                         f"got {job.assignment!r}")
    start = time.perf_counter()
    out: dict = {"student": job.student, "assignment": job.assignment, "success": False,
                 "error": "", "log": "", "files": (), "worker": f"{os.uname().nodename}:{os.getpid()}"}
    with _ONE_AT_A_TIME, tempfile.TemporaryDirectory(prefix="ntx-worker-") as tmp:
        try:
            scratch = Path(tmp)
            (scratch / "nbgrader_config.py").write_text(kit.config_text, encoding="utf-8")
            (scratch / "gradebook.db").write_bytes(kit.definitions)
            api = _api(scratch, kit.course_id)
            coursedir = api.coursedir
            source = Path(coursedir.format_path(coursedir.source_directory, ".", kit.assignment))
            source.mkdir(parents=True, exist_ok=True)
            _write_files(source, kit.source_files)
            submitted = Path(coursedir.format_path(coursedir.submitted_directory, job.student,
                                                   kit.assignment))
            submitted.mkdir(parents=True)
            _write_files(submitted, job.files)
            with warnings.catch_warnings():
                # nbgrader's add_submission touches a relationship before the new row is in the
                # session: SQLAlchemy warns once per student; nothing is lost (plain nbgrader too)
                warnings.filterwarnings("ignore", message=".*not in session.*")
                result = api.autograde(kit.assignment, job.student, force=True, create=True)
            out.update(success=bool(result.get("success")), error=result.get("error") or "",
                       log=result.get("log") or "")
            graded = Path(coursedir.format_path(coursedir.autograded_directory, job.student,
                                                kit.assignment))
            if out["success"] and graded.is_dir():
                out["files"] = _files_of(graded)
        except Exception as err:  # noqa: BLE001 - the worker reports; it never takes the run down
            out.update(success=False, error=f"grading worker failed: {type(err).__name__}: {err}")
    out["seconds"] = time.perf_counter() - start
    return out


def _api(scratch: Path, course_id: str):
    """nbgrader's API on the scratch course (configuration read from its config file)."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")  # alembic
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from .grading import course_config

    config = course_config(scratch)
    config.CourseDirectory.root = str(scratch)
    config.CourseDirectory.db_url = f"sqlite:///{scratch / 'gradebook.db'}"
    config.CourseDirectory.course_id = course_id
    # Once a notebook has run, its kernel has nothing left to do: stop it at once instead of
    # waiting for a graceful shutdown (no grade changes: the outputs are already saved).
    config.Execute.shutdown_kernel = "immediate"
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(scratch)
    return NbGraderAPI(coursedir, config=config)


def hold_kit(kit: AssignmentKit) -> AssignmentKit:
    """``kit`` itself, as the result of a task. The grading tasks depend on that task rather
    than on scattered data: when every worker holding scattered data is lost, Dask cannot make
    it again and forgets every task that needs it (a whole class failed that way when a worker
    died before a second one had the kit); a task's result it computes again elsewhere."""
    return kit


def quiet_stderr() -> None:
    """Send this process's stderr to /dev/null: kernels started by a worker of a local cluster
    inherit it, and their start-up chatter would garble the instructor's progress bar. Every
    error that matters comes back in :func:`grade_job`'s result instead."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
