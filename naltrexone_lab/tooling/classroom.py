"""Grade a whole class with nbgrader: in parallel, robustly, resumably.

:func:`grade_class` autogrades every submission under ``submitted/`` with nbgrader's own
``autograde`` (the same converter, configuration and gradebook as ``nbgrader autograde``), but in
``jobs`` worker processes that each keep nbgrader imported, so the per-student cost is running
the notebook, not starting Python. It never stops at a broken submission: each one ends with a
status (graded, timed out, kernel died, unreadable, missing notebook, failed) that names what
happened. Submissions already autograded (and not resubmitted since) are skipped unless
``force``. SQLite allows one writer at a time; a worker that finds the gradebook locked waits and
retries, and whatever still fails for that reason is graded again sequentially at the end, so no
grade is lost to locking.

Each student's autograde is independent of the others', so the grades are those of a plain
sequential ``nbgrader autograde`` (a test compares them).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .grading import course_config
from .markers import MAX_NOTEBOOK_BYTES, graded_cell_problem, notebook_shape_problem
from .sandbox import MODE_ENV, SandboxUnavailable, sandbox_problem

if TYPE_CHECKING:  # nbgrader is imported in the worker processes only (see _init_worker)
    from nbgrader.apps import NbGraderAPI

__all__ = ["STATUSES", "Result", "find_submissions", "grade_class", "grade_table"]

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

# -- worker side ------------------------------------------------------------------------------------
_API: NbGraderAPI | None = None  # set in each worker process by _init_worker


def _api() -> NbGraderAPI:
    """This worker's nbgrader API (the pool starts every worker with :func:`_init_worker`)."""
    if _API is None:
        raise RuntimeError("nbgrader is not loaded in this process: start the worker with _init_worker")
    return _API


def _init_worker(course: str) -> None:
    """Import nbgrader once per worker and load the course's configuration."""
    global _API
    os.chdir(course)
    # Kernels started here inherit stderr; their start-up chatter would garble the progress bar.
    # Every error that matters comes back in nbgrader's result instead.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    bindir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    config = course_config(course)
    # Once a notebook has run, its kernel has nothing left to do: stop it at once instead of
    # waiting for a graceful shutdown. This changes no grade (the outputs are already saved)
    # and frees the CPU for the next submission.
    config.Execute.shutdown_kernel = "immediate"
    coursedir = CourseDirectory(config=config)
    coursedir.root = course
    _API = NbGraderAPI(coursedir, config=config)


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


def _keep_unchanged_manual_grades(student: str, assignment: str, before: dict[str, str]) -> list[str]:
    """After a regrade nbgrader marks hand-graded answer cells "needs manual grading" again, but
    leaves tasks (this course's written questions) as graded even when the student rewrote the
    answer. Written answers whose text is unchanged keep their grade (flag cleared); those that
    changed are flagged, and their ids returned for the instructor to grade again."""
    from nbgrader.api import Gradebook

    api = _api()
    after = _written_answers(Path(api.coursedir.root) / "autograded" / student / assignment)
    changed = []
    with Gradebook(api.coursedir.db_url) as gb:
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


def _autograde_one(task: tuple[str, str]) -> dict:
    student, assignment = task
    api = _api()
    start = time.perf_counter()
    attempts, out = 0, {}
    # nbgrader removes the previous autograded notebook before it grades again: keep a copy, put
    # back if this attempt fails (a locked gradebook must not cost the student their last grade)
    graded = Path(api.coursedir.root) / "autograded" / student / assignment
    backup = None
    written_before = _written_answers(graded) if graded.is_dir() else {}
    if graded.is_dir():

        backup = Path(tempfile.mkdtemp(prefix="ntx-prev-")) / "graded"
        shutil.copytree(graded, backup, symlinks=True)
    try:
        patience = float(os.environ.get(LOCK_WAIT_ENV) or 60) / 2  # half here, half in the retry
        for attempt in range(64):
            attempts = attempt + 1
            out = api.autograde(assignment, student, force=True, create=True)
            text = f"{out.get('error') or ''}\n{out.get('log') or ''}"
            if out.get("success") or "database is locked" not in text:
                break
            if time.perf_counter() - start >= patience:
                break
            time.sleep(min(0.5 * 2**attempt, 8.0))  # another process is writing the gradebook
        if not out.get("success") and backup is not None and "database is locked" in text:

            shutil.rmtree(graded, ignore_errors=True)
            shutil.copytree(backup, graded, symlinks=True)
    finally:
        if backup is not None:

            shutil.rmtree(backup.parent, ignore_errors=True)
    regrade = []
    if out.get("success") and written_before:
        try:
            regrade = _keep_unchanged_manual_grades(student, assignment, written_before)
        except Exception as err:  # noqa: BLE001 - the autograde stands; say what was not checked
            regrade = [f"(could not compare the written answers: {err})"]
    return {"student": student, "assignment": assignment, "success": bool(out.get("success")),
            "error": out.get("error") or "", "log": out.get("log") or "",
            "seconds": time.perf_counter() - start, "attempts": attempts,
            "kept_previous": backup is not None, "regrade": regrade}


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
        elif "database is locked" in text:
            status, message = "failed", "gradebook locked"
        else:
            lines = [ln.strip() for ln in text.splitlines() if "Error" in ln or "error" in ln]
            status, message = "failed", (lines[-1] if lines else "nbgrader autograde failed")[:300]
        return Result(student, assignment, status, seconds=raw["seconds"], message=message,
                      attempts=raw["attempts"])
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
                  attempts=raw["attempts"], notes=notes)


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


def _db_url(course: Path) -> str:
    url = course_config(course).CourseDirectory.get("db_url", "sqlite:///gradebook.db")
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = f"sqlite:///{course / url[len('sqlite:///'):]}"
    return url


def grade_class(course, assignments: Iterable[str] | None = None, *, jobs: int | None = None,
                force: bool = False, progress: Callable[[int, int, Result], None] | None = None,
                students: Iterable[str] | None = None,
                notify: Callable[[str], None] | None = None) -> list[Result]:
    """Autograde every submission of ``assignments`` (all if None) in ``jobs`` processes.

    Parameters
    ----------
    course : path
        The nbgrader course folder (holding nbgrader_config.py, the gradebook and submitted/).
    assignments : names, optional
    jobs : int, optional
        Worker processes, 1 to 64 (default: the number of CPUs).
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
    if todo:
        ctx = mp.get_context("spawn")
        with ctx.Pool(processes=min(int(jobs), len(todo)), initializer=_init_worker,
                      initargs=(str(course),)) as pool:
            retry = []
            for raw in pool.imap_unordered(_autograde_one, todo):
                r = _classify(course, raw)
                if r.message == "gradebook locked":
                    retry.append((raw["student"], raw["assignment"]))
                    continue
                results.append(r)
                done += 1
                if progress:
                    progress(done, total, r)
        if retry:  # one by one, with no other worker writing: nothing is lost to locking
            if notify:
                notify(f"the gradebook is locked by another program; waiting for it to grade "
                       f"{len(retry)} submission(s) again, one by one")
            # in a worker of its own: the initialiser silences stderr, which in this process
            # would hide every later message from the instructor
            with ctx.Pool(processes=1, initializer=_init_worker, initargs=(str(course),)) as pool:
                for raw in pool.imap(_autograde_one, retry):
                    r = _classify(course, raw)
                    if r.message == "gradebook locked":
                        kept = ("their previous autograded notebook and grade are kept"
                                if raw.get("kept_previous") else "nothing was graded before")
                        r.message = ("the gradebook stayed locked by another program (formgrader, "
                                     f"another grade run?) for {raw['seconds']:.0f} s; {kept}; "
                                     "run grade again when it is free")
                    results.append(r)
                    done += 1
                    if progress:
                        progress(done, total, r)
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
