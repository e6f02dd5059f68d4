"""Grade a whole class with nbgrader: in parallel, on one machine or many, robustly, resumably.

:func:`grade_class` autogrades every submission under ``submitted/`` with nbgrader's own
``autograde`` (the same converter, configuration, guard and sandbox as ``nbgrader autograde``)
on `Dask <https://distributed.dask.org>`_ workers: by default a local cluster of ``jobs``
worker processes, each keeping nbgrader imported, so the per-student cost is running the
notebook, not starting Python; with ``scheduler``, the workers of an existing Dask cluster
(``dask scheduler`` and ``dask worker`` on lab machines, dask-jobqueue on Slurm or PBS,
dask-kubernetes).

A worker gets the submission and what grading it needs (:mod:`.workers`), grades it in a scratch
course and returns the autograded notebook; it never sees the course folder or the gradebook.
The grades are recorded on this machine by one writer (:class:`_Writer`), which runs nbgrader's
own recording steps, so workers never compete for the gradebook and a gradebook locked by
another program (formgrader) is waited for in one place, with a message.

It never stops at a broken submission: each one ends with a status (graded, timed out, kernel
died, unreadable, missing notebook, failed) that names what happened. Submissions already
autograded (and not resubmitted since) are skipped unless ``force``. Each student's autograde is
independent of the others', so the grades are those of a plain sequential ``nbgrader
autograde`` (a test compares them).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import stat
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .grading import course_config
from .markers import MAX_NOTEBOOK_BYTES, graded_cell_problem, notebook_shape_problem
from .sandbox import MODE_ENV, SandboxUnavailable, sandbox_problem
from .workers import SchedulerUnavailable, assignment_kit, grade_job, hold_kit, job_for, quiet_stderr

if TYPE_CHECKING:  # nbgrader is imported when the first result is recorded
    from nbgrader.apps import NbGraderAPI

__all__ = ["STATUSES", "Result", "SchedulerUnavailable", "find_submissions", "grade_class",
           "grade_table"]

STATUSES = ("graded", "timed out", "kernel died", "unreadable", "missing notebook", "failed",
            "already graded")


@dataclass
class Result:
    """What happened to one (student, assignment) submission."""

    student: str
    assignment: str
    status: str
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    message: str = ""
    attempts: int = 1
    notes: list = field(default_factory=list)
    #: Which Dask worker graded it (``host:process id``); empty when nothing ran.
    worker: str = ""


def _expected_notebooks(course: Path, assignment: str) -> list[str]:
    cfg = course_config(course).CourseDirectory
    source = course / cfg.get("source_directory", "source") / assignment
    release = course / cfg.get("release_directory", "release") / assignment
    folder = source if source.is_dir() else release
    return sorted(p.name for p in folder.glob("*.ipynb") if p.is_file())


def find_submissions(course: Path, assignments: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(student, assignment) pairs found under ``course/submitted``, sorted.

    A student or assignment folder that is a symbolic link is listed (its grading then ends as
    "unreadable", see :func:`_precheck`), not followed; a folder that cannot be listed is
    skipped rather than stopping the class."""
    submitted = Path(course) / "submitted"
    if not submitted.is_dir():
        raise ValueError(f"no submitted/ folder in {course}: collect submissions first "
                         "(nbgrader collect or nbgrader zip_collect)")
    wanted = set(assignments or [])
    pairs = []

    def folders(parent: Path) -> list[Path]:
        try:
            return sorted(p for p in parent.iterdir()
                          if p.is_symlink() or (p.is_dir() and not p.name.startswith(".")))
        except OSError:
            return []

    for student_dir in folders(submitted):
        if student_dir.is_symlink():
            for name in sorted(wanted) or ["(linked folder)"]:
                pairs.append((student_dir.name, name))
            continue
        for assignment_dir in folders(student_dir):
            if not wanted or assignment_dir.name in wanted:
                pairs.append((student_dir.name, assignment_dir.name))
    missing = wanted - {a for _, a in pairs}
    if missing:
        raise ValueError(f"no submissions for {', '.join(sorted(missing))} under {submitted}")
    return pairs


def _precheck(course: Path, student: str, assignment: str) -> Result | None:
    """Statuses decided before nbgrader runs, each with a message naming the file and what is
    wrong: missing notebooks; "unreadable" for a folder or link in the notebook's place, a
    symbolic link leading out of the submission (never followed: nbgrader would copy what it
    points at, e.g. another student's work or solutions/, into the kernel's reach), a special
    file, a file over :data:`~.markers.MAX_NOTEBOOK_BYTES`, text that is not UTF-8 or not JSON,
    and every malformed shape nbgrader would stop on (see :func:`~.markers.notebook_shape_problem`);
    "failed" for graded cells nbgrader refuses (duplicated, or marked graded without being one
    of the assignment's: see :func:`~.markers.graded_cell_problem`). Never raises for a file."""


    def status(kind: str, message: str) -> Result:
        return Result(student, assignment, kind, message=message[:400])

    def size(n: int) -> str:
        return f"{n / 1024 ** 2:.0f} MB"

    student_dir = course / "submitted" / student
    folder = student_dir / assignment
    for link in (student_dir, folder):
        if link.is_symlink():
            return status("unreadable", f"submitted/{link.relative_to(course / 'submitted')} is a "
                                        "symbolic link, not a folder; it was not followed")
    if not folder.is_dir():
        return status("missing notebook", f"no folder {assignment} in submitted/{student}")
    try:  # every file nbgrader would copy for the kernel, without following any link
        real_folder, total, count = folder.resolve(), 0, 0
        for root, dirs, files in os.walk(folder, followlinks=False):
            for name in dirs + files:
                path = Path(root) / name
                rel = path.relative_to(folder)
                count += 1
                if count > 10_000:
                    return status("unreadable", "the submission holds over 10000 files")
                info = path.lstat()
                if path.is_symlink():
                    target = Path(os.path.realpath(path))
                    if not target.is_relative_to(real_folder) or target.is_dir():
                        return status("unreadable", f"{rel} is a symbolic link to "
                                      f"{'a folder' if target.is_dir() else 'a file outside the submission'}"
                                      "; links are not followed, so the submission is not graded")
                    continue
                if name in dirs:
                    continue
                if not stat.S_ISREG(info.st_mode):
                    return status("unreadable", f"{rel} is not a regular file (a pipe, socket or "
                                                "device); the submission is not graded")
                if info.st_size > MAX_NOTEBOOK_BYTES:
                    return status("unreadable", f"{rel} is {size(info.st_size)}; files over "
                                  f"{size(MAX_NOTEBOOK_BYTES)} are not graded (clear large outputs "
                                  "and save again)")
                total += info.st_size
        if total > 4 * MAX_NOTEBOOK_BYTES:
            return status("unreadable", f"the submission is {size(total)}; over "
                                        f"{size(4 * MAX_NOTEBOOK_BYTES)} is not graded")
    except OSError as err:
        return status("unreadable", f"its files cannot be read ({err.strerror or err})")
    expected = _expected_notebooks(course, assignment)
    try:
        present = sorted(p.name for p in folder.glob("*.ipynb"))
    except OSError:
        present = []
    missing = [n for n in expected if n not in present]
    if missing:
        found = ", ".join(present) or "no notebook"
        return status("missing notebook", f"expected {', '.join(missing)}; found {found}")
    cfg = course_config(course).CourseDirectory
    source_dir = course / cfg.get("source_directory", "source") / assignment
    release_dir = course / cfg.get("release_directory", "release") / assignment
    for name in expected:
        path = folder / name
        if path.is_dir():
            return status("unreadable", f"{name} is a folder, not a notebook")
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError as err:
            return status("unreadable", f"{name} is not UTF-8 text (byte {err.start}), so not a "
                                        "notebook saved by Jupyter")
        except json.JSONDecodeError as err:
            return status("unreadable", f"{name} is not valid notebook JSON (line {err.lineno}: "
                                        f"{err.msg}); was it saved completely?")
        except (OSError, RecursionError, ValueError) as err:
            return status("unreadable", f"{name} cannot be read ({type(err).__name__})")
        problem = notebook_shape_problem(data)
        if problem:
            return status("unreadable", f"{name}: {problem}; nbgrader cannot grade it (restore "
                                        "the cell from the released notebook)")
        ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in data["cells"]]
        dupes = sorted({i for i in ids if i and ids.count(i) > 1})
        if dupes:
            return status("failed", f"{name}: graded cells duplicated ({', '.join(dupes)}); "
                                    "nbgrader cannot grade it until the student deletes the copies")
        instructor = source_dir / name if (source_dir / name).is_file() else release_dir / name
        try:
            source_cells = json.loads(instructor.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            source_cells = None
        problem = graded_cell_problem(data, source_cells) if source_cells is not None else None
        if problem:
            return status("failed", f"{name}: {problem}")
    return None


def _already_graded(course: Path, student: str, assignment: str) -> bool:
    graded = course / "autograded" / student / assignment
    submitted = course / "submitted" / student / assignment
    if not graded.is_dir():
        return False
    graded_nbs = list(graded.glob("*.ipynb"))
    if not graded_nbs:
        return False
    newest_submission = max((p.stat().st_mtime for p in submitted.rglob("*") if p.is_file()), default=0)
    return min(p.stat().st_mtime for p in graded_nbs) >= newest_submission


#: Environment variable: how long, in seconds, grading waits for a locked gradebook (default 60).
LOCK_WAIT_ENV = "NALTREXONE_GRADEBOOK_WAIT_S"


def _written_answers(folder: Path) -> dict[str, str]:
    """grade_id -> the student's text for each manually graded question of the notebooks in
    ``folder``: a manually graded answer cell's source, or, for a task, the cells a student
    wrote between it and the next nbgrader cell."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        current = None
        for cell in cells if isinstance(cells, list) else []:
            if not isinstance(cell, dict):
                continue
            meta = cell.get("metadata")
            meta = meta if isinstance(meta, dict) else {}
            nb_meta = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else None
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            if nb_meta is not None:
                current = None
                gid = nb_meta.get("grade_id")
                if nb_meta.get("task") and isinstance(gid, str):
                    current = gid
                    found[gid] = ""
                elif nb_meta.get("grade") and nb_meta.get("solution") and isinstance(gid, str) \
                        and cell.get("cell_type") == "markdown":
                    found[gid] = source
            elif current is not None:
                found[current] += source + "\n"
    return found


def _keep_unchanged_manual_grades(course: Path, student: str, assignment: str,
                                  before: dict[str, str]) -> list[str]:
    """After a regrade nbgrader marks hand-graded answer cells "needs manual grading" again, but
    leaves tasks (this course's written questions) as graded even when the student rewrote the
    answer. Written answers whose text is unchanged keep their grade (flag cleared); those that
    changed are flagged, and their ids returned for the instructor to grade again."""
    from nbgrader.api import Gradebook

    after = _written_answers(course / "autograded" / student / assignment)
    changed = []
    with Gradebook(_db_url(course)) as gb:
        submission = gb.find_submission(assignment, student)
        for nb in submission.notebooks:
            for grade in nb.grades:
                if grade.manual_score is None or grade.name not in before:
                    continue
                if after.get(grade.name) == before[grade.name]:
                    grade.needs_manual_grade = False
                else:  # nbgrader leaves a task's flag alone: set it, so formgrader lists it
                    grade.needs_manual_grade = True
                    changed.append(grade.name)
        gb.db.commit()
    return changed


# -- the one writer ---------------------------------------------------------------------------------
class _Writer:
    """Records workers' autograded notebooks in the course: the only code that writes the
    gradebook or ``autograded/`` during a class run.

    It runs nbgrader's ``autograde`` once more, on the notebook a worker executed, with only the
    steps that record (the course's autograde steps from ``SaveAutoGrades`` on: grades, late
    penalties, the metadata check), so the gradebook gets exactly what ``nbgrader autograde``
    would have written. A gradebook locked by another program (formgrader, a second run) is
    waited for, with a message, for up to ``$NALTREXONE_GRADEBOOK_WAIT_S`` seconds; the
    student's previous autograded notebook stays until the new one is recorded.
    """

    def __init__(self, course: Path, notify: Callable[[str], None] | None):
        self.course, self.notify = course, notify
        self.staging = Path(tempfile.mkdtemp(prefix="ntx-record-"))
        self._api: NbGraderAPI | None = None
        self._told = False

    def close(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def api(self) -> NbGraderAPI:
        if self._api is None:
            from nbgrader.apps import NbGraderAPI
            from nbgrader.converters import Autograde
            from nbgrader.coursedir import CourseDirectory
            from nbgrader.preprocessors import SaveAutoGrades
            from traitlets.utils.importstring import import_item

            config = course_config(self.course)
            steps = list(config.Autograde.get("autograde_preprocessors",
                                              Autograde.autograde_preprocessors.default_value))
            kinds = [import_item(s) if isinstance(s, str) else s for s in steps]
            first = next((i for i, k in enumerate(kinds) if issubclass(k, SaveAutoGrades)), None)
            if first is None:
                raise ValueError("Autograde.autograde_preprocessors in the course's "
                                 "nbgrader_config.py must include SaveAutoGrades; got "
                                 f"{[getattr(k, '__name__', k) for k in kinds]}")
            config.Autograde.sanitize_preprocessors = []
            config.Autograde.autograde_preprocessors = steps[first:]
            config.CourseDirectory.submitted_directory = str(self.staging)
            coursedir = CourseDirectory(config=config)
            coursedir.root = str(self.course)
            self._api = NbGraderAPI(coursedir, config=config)
        return self._api

    def record(self, raw: dict) -> dict:
        """Record one worker result; returns it with ``success``, ``error`` and ``log`` of the
        whole grading, ``kept_previous`` and ``regrade`` (written answers changed since they
        were graded by hand)."""
        student, assignment = raw["student"], raw["assignment"]
        raw.setdefault("kept_previous", False)
        raw.setdefault("regrade", [])
        raw.setdefault("attempts", 1)
        if not raw["success"]:
            return raw  # nothing to record; the previous autograded notebook stays
        stage = self.staging / student / assignment
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir(parents=True)
        for rel, data in raw.pop("files"):
            path = stage / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        stamp = self.course / "submitted" / student / assignment / "timestamp.txt"
        if stamp.is_file():
            shutil.copy(stamp, stage / "timestamp.txt")
        graded = self.course / "autograded" / student / assignment
        written_before = _written_answers(graded) if graded.is_dir() else {}
        backup = None
        if graded.is_dir():  # nbgrader removes it before recording: keep a copy until it is done
            backup = Path(tempfile.mkdtemp(prefix="ntx-prev-")) / "graded"
            shutil.copytree(graded, backup, symlinks=True)
        start, patience = time.perf_counter(), float(os.environ.get(LOCK_WAIT_ENV) or 60)
        try:
            for attempt in range(1000):
                with warnings.catch_warnings():
                    # nbgrader's add_submission touches a relationship before the new row is in
                    # the session: SQLAlchemy warns on every first submission of a student;
                    # the row is added right after and nothing is lost (plain nbgrader too)
                    warnings.filterwarnings("ignore", message=".*not in session.*")
                    out = self.api().autograde(assignment, student, force=True, create=True)
                text = f"{out.get('error') or ''}\n{out.get('log') or ''}"
                if out.get("success") or "database is locked" not in text:
                    break
                if not self._told and self.notify:
                    self._told = True
                    self.notify(f"the gradebook is locked by another program (formgrader, another "
                                f"grade run?); waiting up to {patience:.0f} s for it")
                if time.perf_counter() - start >= patience:
                    break
                time.sleep(min(0.25 * 2**attempt, 4.0))
            raw["attempts"] = attempt + 1
            if not out.get("success"):
                if backup is not None:
                    shutil.rmtree(graded, ignore_errors=True)
                    shutil.copytree(backup, graded, symlinks=True)
                locked = "database is locked" in text
                raw.update(success=False, locked=locked, kept_previous=backup is not None,
                           error=out.get("error") or "",
                           log=raw["log"] + "\n" + (out.get("log") or ""))
                return raw
        finally:
            if backup is not None:
                shutil.rmtree(backup.parent, ignore_errors=True)
            shutil.rmtree(stage, ignore_errors=True)
        if written_before:
            try:
                raw["regrade"] = _keep_unchanged_manual_grades(self.course, student, assignment,
                                                               written_before)
            except Exception as err:  # noqa: BLE001 - the grade stands; say what was not checked
                raw["regrade"] = [f"(could not compare the written answers: {err})"]
        return raw


# -- main side ----------------------------------------------------------------------------------------
# How nbclient and jupyter_client report a kernel that exited under a running notebook (on a loaded
# machine the restarter or the kernel_info wait can report it before nbclient does)
_KERNEL_DEATH = ("DeadKernelError", "Kernel died", "kernel died", "Kernel didn't respond",
                 "KernelRestarter", "restarting kernel")


def _classify(course: Path, raw: dict) -> Result:
    student, assignment = raw["student"], raw["assignment"]
    text = raw["error"] + "\n" + raw["log"]
    if not raw["success"]:
        if any(sign in text for sign in _KERNEL_DEATH):
            status, message = "kernel died", "the kernel died while running the notebook"
        elif raw.get("locked"):
            kept = ("their previous autograded notebook and grade are kept"
                    if raw.get("kept_previous") else "nothing was graded before")
            status, message = "failed", (
                "the gradebook stayed locked by another program (formgrader, another grade "
                f"run?) for {float(os.environ.get(LOCK_WAIT_ENV) or 60):.0f} s; {kept}; run "
                "grade again when it is free")
        else:
            lines = [ln.strip() for ln in text.splitlines() if "Error" in ln or "error" in ln]
            status, message = "failed", (lines[-1] if lines else "nbgrader autograde failed")[:300]
        return Result(student, assignment, status, seconds=raw["seconds"], message=message,
                      attempts=raw["attempts"], worker=raw.get("worker", ""))
    timed_out = []
    for nb in (course / "autograded" / student / assignment).glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
        for cell in cells:
            for o in cell.get("outputs", []):
                if o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError":
                    timed_out.append(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?"))
    status = "timed out" if timed_out else "graded"
    message = f"cells stopped at the time limit: {', '.join(timed_out)}" if timed_out else ""
    notes = []
    if raw.get("regrade"):
        notes.append("written answer changed since you graded it by hand, grade it again: "
                     + ", ".join(raw["regrade"]))
    return Result(student, assignment, status, seconds=raw["seconds"], message=message,
                  attempts=raw["attempts"], notes=notes, worker=raw.get("worker", ""))


def _fill_scores(course: Path, results: list[Result]) -> None:
    """Read each graded submission's score from the gradebook, waiting (as grading does) while
    another program holds it locked; if it stays locked the scores are left unread and said so,
    never a crash that hides the statuses."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import OperationalError

    db = _db_url(course)
    start, patience = time.perf_counter(), float(os.environ.get(LOCK_WAIT_ENV) or 60) / 2
    while True:
        try:
            with Gradebook(db) as gb:
                for r in results:
                    if r.status not in ("graded", "timed out", "already graded"):
                        continue
                    try:
                        sub = gb.find_submission(r.assignment, r.student)
                    except MissingEntry:
                        continue
                    r.score, r.max_score = float(sub.score), float(sub.max_score)
            return
        except OperationalError as err:
            if "locked" not in str(err) or time.perf_counter() - start > patience:
                for r in results:
                    if r.status in ("graded", "timed out", "already graded"):
                        r.message = (r.message + "; " if r.message else "") + (
                            "score not read: the gradebook is locked by another program")
                return
            time.sleep(1.0)


#: How long, in seconds, grading waits for a scheduler to answer and to have a worker.
SCHEDULER_WAIT_S = 15


@contextlib.contextmanager
def _grading_client(jobs: int, scheduler: str | None, tasks: int):
    """A Dask client: on the scheduler at ``scheduler``, else on a local cluster of
    ``min(jobs, tasks)`` single-threaded worker processes started here and stopped after."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        if "://" not in scheduler:
            raise ValueError(f"scheduler must be a Dask address such as tcp://host:8786; got "
                             f"{scheduler!r}")
        try:
            client = Client(scheduler, timeout=f"{SCHEDULER_WAIT_S}s")
        except (OSError, TimeoutError) as err:
            raise SchedulerUnavailable(f"cannot reach the Dask scheduler at {scheduler} "
                                       f"({type(err).__name__}: {err})") from None
        try:
            try:
                client.wait_for_workers(1, timeout=SCHEDULER_WAIT_S)
            except TimeoutError:
                raise SchedulerUnavailable(f"the Dask scheduler at {scheduler} has no worker "
                                           f"after {SCHEDULER_WAIT_S} s: start some with "
                                           f"`dask worker {scheduler} --nthreads 1`") from None
            yield client
        finally:
            client.close()
        return
    with LocalCluster(n_workers=max(1, min(jobs, tasks)), threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.run(quiet_stderr)
        yield client


def _assignment_kits(course: Path, assignments: set[str],
                     notify: Callable[[str], None] | None) -> dict | None:
    """Each assignment's :class:`~.workers.AssignmentKit` (read from the gradebook; ``None`` for
    one the gradebook does not hold), waiting like the writer while another program holds the
    gradebook locked; ``None`` if it stays locked."""
    from nbgrader.api import MissingEntry
    from sqlalchemy.exc import OperationalError

    db, told = _db_url(course), False
    start, patience = time.perf_counter(), float(os.environ.get(LOCK_WAIT_ENV) or 60)

    def kit(assignment: str):
        try:
            return assignment_kit(course, assignment, db)
        except MissingEntry:  # its submissions end as "failed", with what to do
            return None

    while True:
        try:
            return {a: kit(a) for a in sorted(assignments)}
        except OperationalError as err:
            if "locked" not in str(err) or time.perf_counter() - start >= patience:
                if "locked" in str(err):
                    return None
                raise
            if not told and notify:
                told = True
                notify(f"the gradebook is locked by another program (formgrader, another grade "
                       f"run?); waiting up to {patience:.0f} s for it")
            time.sleep(1.0)


@contextlib.contextmanager
def _quiet_stderr_here():
    """This process's stderr (file descriptor 2) sent to /dev/null while a submission is graded
    here: its kernel inherits it, and the kernel's start-up chatter would garble the progress
    bar. Put back afterwards, so every message of grade itself is seen."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _worker_result(future, student: str, assignment: str) -> dict:
    """The worker's result, or a failure saying what happened to the worker (Dask retries a
    task whose worker died on another worker, then gives up)."""
    try:
        return future.result()
    except Exception as err:  # noqa: BLE001 - one lost worker must not stop the class
        return {"student": student, "assignment": assignment, "success": False,
                "error": f"the grading worker was lost ({type(err).__name__}: {err})",
                "log": "", "files": (), "seconds": 0.0}


def _db_url(course: Path) -> str:
    url = course_config(course).CourseDirectory.get("db_url", "sqlite:///gradebook.db")
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = f"sqlite:///{course / url[len('sqlite:///'):]}"
    return url


def grade_class(course, assignments: Iterable[str] | None = None, *, jobs: int | None = None,
                force: bool = False, progress: Callable[[int, int, Result], None] | None = None,
                students: Iterable[str] | None = None,
                notify: Callable[[str], None] | None = None,
                scheduler: str | None = None) -> list[Result]:
    """Autograde every submission of ``assignments`` (all if None) on Dask workers.

    Parameters
    ----------
    course : path
        The nbgrader course folder (holding nbgrader_config.py, the gradebook and submitted/).
    assignments : names, optional
    jobs : int, optional
        Worker processes of the local cluster, 1 to 64 (default: the number of CPUs); not used
        with ``scheduler``. With 1, or a single submission to grade, no cluster is started: the
        same worker function runs in this process.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``): the submissions are graded
        by its workers instead of a local cluster. Workers need this package installed, not
        the course folder.
    force : bool
        Regrade submissions that are already autograded.
    students : ids, optional
        Grade only these students (e.g. one resubmission); every id must have a submission.
    notify : callable, optional
        Called with a one-line message when grading has to wait (a locked gradebook).
    progress : callable, optional
        Called as ``progress(done, total, result)`` after each submission.
    """
    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise ValueError(f"{course} is not an nbgrader course (no nbgrader_config.py)")
    jobs = jobs or os.cpu_count() or 1
    if not 1 <= int(jobs) <= 64:
        raise ValueError(f"jobs must be a whole number from 1 to 64; got {jobs!r}")
    _require_sandbox(course)
    pairs = find_submissions(course, assignments)
    if students is not None:
        wanted = set(students)
        unknown = wanted - {s for s, _ in pairs}
        if unknown:
            raise ValueError(f"no submission from {', '.join(sorted(unknown))} under "
                             f"{course / 'submitted'} for these assignments")
        pairs = [(s, a) for s, a in pairs if s in wanted]
    results: list[Result] = []
    todo = []
    for student, assignment in pairs:
        pre = _precheck(course, student, assignment)
        if pre is not None:
            results.append(pre)
        elif not force and _already_graded(course, student, assignment):
            results.append(Result(student, assignment, "already graded"))
        else:
            todo.append((student, assignment))
    done, total = 0, len(pairs)
    for r in results:
        done += 1
        if progress:
            progress(done, total, r)
    kits = _assignment_kits(course, {a for _, a in todo}, notify) if todo else {}
    if kits is None:  # the gradebook stayed locked: nothing was graded, nothing was lost
        for student, assignment in todo:
            graded = course / "autograded" / student / assignment
            r = _classify(course, {"student": student, "assignment": assignment, "success": False,
                                   "locked": True, "kept_previous": graded.is_dir(),
                                   "error": "", "log": "", "seconds": 0.0, "attempts": 1})
            results.append(r)
            done += 1
            if progress:
                progress(done, total, r)
        todo, kits = [], {}
    ungenerated = {a for a, k in kits.items() if k is None}
    for student, assignment in [(s, a) for s, a in todo if a in ungenerated]:
        r = Result(student, assignment, "failed",
                   message=f"{assignment} is not in the gradebook: run `nbgrader generate_assignment "
                           f"{assignment}` in the course first")
        results.append(r)
        done += 1
        if progress:
            progress(done, total, r)
    todo = [(s, a) for s, a in todo if a not in ungenerated]
    if todo and kits:
        writer = _Writer(course, notify)

        def finish(raw: dict) -> None:
            nonlocal done
            r = _classify(course, writer.record(raw))
            results.append(r)
            done += 1
            if progress:
                progress(done, total, r)

        try:
            if scheduler is None and (int(jobs) == 1 or len(todo) == 1):
                # nothing to run side by side: a cluster of one worker would only add its start-up
                # (2-3 s); the same worker function runs here, one submission after another
                for s, a in todo:
                    with _quiet_stderr_here():
                        raw = grade_job(kits[a], job_for(course, s, a))
                    finish(raw)
            else:
                with _grading_client(int(jobs), scheduler, len(todo)) as client:
                    from dask.distributed import as_completed

                    # each kit once per assignment, as a task Dask can redo (see hold_kit)
                    shared = {a: client.submit(hold_kit, kit, pure=False,
                                               key=f"kit-{a}-{uuid.uuid4().hex[:8]}")
                              for a, kit in kits.items()}
                    futures = {client.submit(grade_job, shared[a], job_for(course, s, a), pure=False,
                                             key=f"grade-{a}-{s}-{uuid.uuid4().hex[:8]}"): (s, a)
                               for s, a in todo}
                    for future in as_completed(futures):
                        raw = _worker_result(future, *futures[future])
                        future.release()
                        finish(raw)
        finally:
            writer.close()
    _fill_scores(course, results)
    results.sort(key=lambda r: (r.assignment, r.student))
    record_statuses(course, results)
    return results


#: File in the course folder where `grade` keeps each submission's last status (git-ignored).
STATUS_FILE = "grading_status.json"


def record_statuses(course: Path, results: list[Result]) -> Path:
    """Keep each submission's latest status (graded, kernel died, unreadable, ...) beside the
    gradebook, which records scores only: an export needs to tell a real 0 from a notebook that
    could not be graded. "already graded" keeps the status recorded when it was graded."""
    path = Path(course) / STATUS_FILE
    try:
        table = json.loads(path.read_text())
    except (OSError, ValueError):
        table = {}
    for r in results:
        if r.status == "already graded" and r.assignment in table.get(r.student, {}):
            continue
        table.setdefault(r.student, {})[r.assignment] = {
            "status": "graded" if r.status == "already graded" else r.status,
            "message": r.message, "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(table, indent=1, sort_keys=True))
    os.replace(tmp, path)
    return path


def recorded_statuses(course: Path) -> dict[str, dict[str, dict]]:
    """student -> assignment -> {status, message, when} as :func:`record_statuses` left it."""
    try:
        return json.loads((Path(course) / STATUS_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _require_sandbox(course: Path) -> None:
    """Refuse to grade, before any submission runs, when the course's configuration requires
    the sandbox (:mod:`.sandbox`) and this machine cannot provide it."""

    config = course_config(course)
    uses_guard = any(getattr(p, "__name__", str(p)).endswith("GuardedExecute")
                     for p in config.Autograde.get("autograde_preprocessors", []))
    mode = os.environ.get(MODE_ENV) or config.SandboxedKernelManager.get("mode", "required")
    if uses_guard and mode == "required" and sandbox_problem():
        raise SandboxUnavailable(
            f"grading for credit runs every submission in a sandbox, which cannot run here: "
            f"{sandbox_problem()}. Grade on a Linux machine with bubblewrap, or pass "
            "--no-sandbox for work you trust")


def grade_table(results: list[Result], flagged: Iterable[tuple[str, str]] = ()) -> str:
    """A student x assignment table of scores (or statuses) as plain text; ``flagged``
    (student, assignment) pairs are marked ``!`` (integrity evidence listed elsewhere)."""
    flagged = set(flagged)
    students = sorted({r.student for r in results})
    assignments = sorted({r.assignment for r in results})
    cell = {(r.student, r.assignment): r for r in results}

    def show(r: Result | None) -> str:
        if r is None:
            return "-"
        mark = " !" if (r.student, r.assignment) in flagged else ""
        if r.score is not None:
            text = f"{r.score:g}/{r.max_score:g}"
            return text + (" (timed out)" if r.status == "timed out" else "") + mark
        return r.status + mark
    width = max([len("student")] + [len(s) for s in students])
    cols = [max(len(a), *(len(show(cell.get((s, a)))) for s in students)) for a in assignments]
    lines = ["  ".join(["student".ljust(width)] + [a.ljust(w) for a, w in zip(assignments, cols)])]
    lines.append("  ".join(["-" * width] + ["-" * w for w in cols]))
    for s in students:
        lines.append("  ".join([s.ljust(width)] + [show(cell.get((s, a))).ljust(w)
                                                   for a, w in zip(assignments, cols)]))
    return "\n".join(lines)
