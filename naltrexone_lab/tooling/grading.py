"""Grading an exercise notebook with nbgrader in a throw-away course.

The instructor notebooks in ``solutions/`` are the single source of every exercise. To grade one
notebook (a student's, a filled-in solution, a deliberately wrong answer) this module builds a
temporary nbgrader course beside nothing else: it copies the instructor version in as the source,
runs ``nbgrader generate_assignment`` (which records the hidden tests in a fresh gradebook), puts
the notebook in ``submitted/``, runs ``nbgrader autograde`` and reads the scores back from the
gradebook. The same steps serve the test suite and the learner's self-check. What
``generate_assignment`` makes of an unchanged instructor notebook is kept (see
:func:`cache_dir`), so a repeated check starts at ``autograde``.

nbgrader is run in a subprocess of this Python, so a submission that hangs or kills its kernel
cannot take the caller down.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

__all__ = [
    "GradeReport",
    "GradingError",
    "NotAnExercise",
    "PartResult",
    "QuestionResult",
    "autograde_notebook",
    "autograde_notebooks",
    "course_config",
    "course_root",
    "exercise_names",
    "explain_failure",
    "fill_in_solutions",
    "generate_release",
    "identify_exercise",
    "nbgrader_command",
    "nbgrader_env",
    "restored_before_tests",
    "seed_gradebook",
    "solution_notebook",
]

COURSE_ID = "naltrexone-lab"
# Never part of an exercise: Jupyter's autosaves and Python's byte code.
_IGNORED = (".ipynb_checkpoints", "__pycache__")


class GradingError(RuntimeError):
    """nbgrader could not grade the notebook (its message is one line, meant for the learner)."""


class NotAnExercise(ValueError):
    """The notebook is not (or no longer) an exercise of this course."""


#: Environment variable naming the course folder, for a course outside the current directory.
COURSE_ENV = "NALTREXONE_COURSE"


def _is_course(folder: Path) -> bool:
    return (folder / "nbgrader_config.py").is_file() and (folder / "solutions").is_dir()


def course_root() -> Path:
    """The course folder (holding ``nbgrader_config.py`` and ``solutions/``): the one named by
    ``$NALTREXONE_COURSE``, else the current directory or the nearest folder above it that is a
    course (a checkout, a hub's shared copy), else the checkout this package was installed from
    in editable mode."""
    named = os.environ.get(COURSE_ENV)
    if named:
        folder = Path(named).expanduser().resolve()
        if not _is_course(folder):
            raise ValueError(f"{COURSE_ENV}={named!r} is not a course folder: it must hold "
                             "nbgrader_config.py and solutions/")
        return folder
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_course(folder):
            return folder
    beside = Path(__file__).resolve().parents[2]
    if _is_course(beside):
        return beside
    raise ValueError(
        f"no course found: neither {here} nor a folder above it holds nbgrader_config.py and "
        f"solutions/; run the command inside the course checkout or set {COURSE_ENV} to its folder"
    )


def course_config(course: str | Path):
    """The traitlets configuration in ``course/nbgrader_config.py`` (what nbgrader run there reads)."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()


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


# ``nbgrader`` as a command of this interpreter. jsonschema, which nbformat uses to validate a
# notebook, builds an IRI grammar at import when rfc3987_syntax is installed: 1.7 s of every
# nbgrader start on a 2-core machine, for a string format the notebook schema never uses.
_NBGRADER_MAIN = ("import sys; sys.modules.setdefault('rfc3987_syntax', None); "
                  "from nbgrader.apps.nbgraderapp import main; sys.argv[0] = 'nbgrader'; main()")


def nbgrader_command(args: list[str]) -> list[str]:
    """The command line that runs ``nbgrader *args`` with this Python (run it with
    :func:`nbgrader_env`); the same program as the ``nbgrader`` script, started faster."""
    return [sys.executable, "-c", _NBGRADER_MAIN, *args]


#: Environment variable naming the folder for reusable grading state (see :func:`cache_dir`).
CACHE_ENV = "NALTREXONE_CACHE"


def cache_dir() -> Path | None:
    """Folder where grading keeps state it can reuse between runs: ``$NALTREXONE_CACHE``, else
    ``$XDG_CACHE_HOME/naltrexone-course``, else ``~/.cache/naltrexone-course``; ``None`` when
    that folder cannot be written (grading then works from temporary folders, only slower).

    It holds an empty gradebook of the installed nbgrader and, per exercise, what ``nbgrader
    generate_assignment`` made of the current instructor notebook (its gradebook and release),
    under a name that is a hash of everything they were made from, so an edited solution or
    configuration is never served stale. It holds nothing the course folder does not.
    """
    named = os.environ.get(CACHE_ENV)
    if named:
        folder = Path(named).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "naltrexone-course"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


@functools.cache
def _scratch_dir() -> Path:
    """A folder for this process only, removed at exit (the fallback when no cache is writable)."""
    folder = Path(tempfile.mkdtemp(prefix="ntx-grading-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _nbgrader_version() -> str:
    from importlib.metadata import version

    return version("nbgrader")


def _publish(staging: Path, final: Path) -> Path:
    """Move ``staging`` to ``final`` in one step; when another process got there first, keep
    theirs (the content is the same) and drop ours."""
    try:
        os.replace(staging, final)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not final.exists():
            raise
    return final


def _empty_gradebook() -> Path:
    """An empty gradebook of the installed nbgrader. nbgrader stamps a new gradebook with its
    schema version by importing its API and starting ``alembic`` (4 to 9 s on a 2-core machine);
    a throw-away course starts from a copy of this one instead, made once per nbgrader version
    and kept in :func:`cache_dir`."""
    folder = cache_dir() or _scratch_dir()
    path = folder / f"gradebook-empty-{COURSE_ID}-nbgrader-{_nbgrader_version()}.db"
    if path.is_file():
        return path
    with _locked(folder / ".gradebook-empty.lock"):
        if path.is_file():
            return path
        from nbgrader.api import Gradebook

        staging = Path(tempfile.mkdtemp(prefix=".gradebook-", dir=folder))
        os.environ.update({"PATH": nbgrader_env()["PATH"]})
        with Gradebook(f"sqlite:///{staging / 'gradebook.db'}", course_id=COURSE_ID):
            pass
        os.replace(staging / "gradebook.db", path)
        shutil.rmtree(staging, ignore_errors=True)
    return path


def seed_gradebook(path: Path) -> Path:
    """Put an empty gradebook at ``path`` (a new course's ``gradebook.db``) unless one is there,
    so nbgrader's first command in that course does not stamp a new one itself."""
    path = Path(path)
    if not path.exists():
        shutil.copy(_empty_gradebook(), path)
    return path


def _run_nbgrader(args: list[str], cwd: Path, timeout_s: float | None = None):
    cmd = nbgrader_command([*args, "--log-level=WARN"])
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=nbgrader_env(), capture_output=True, text=True,
                              timeout=timeout_s)
    except subprocess.TimeoutExpired:
        raise GradingError(f"nbgrader {args[0]} did not finish within {timeout_s:.0f} s") from None
    if proc.returncode != 0:
        raise GradingError(explain_failure(args[0], proc.stderr))
    return proc


def explain_failure(step: str, stderr: str) -> str:
    """One line a learner can act on, from nbgrader's log."""
    if "DeadKernelError" in stderr or "Kernel died" in stderr:
        return ("the Python kernel died while running the notebook (a call such as exit() or "
                "os._exit(), or memory exhausted); remove that code and check again")
    if "NotJSONError" in stderr or "JSONDecodeError" in stderr:
        return "the notebook file is not valid JSON (was it saved completely?)"
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    # the exception itself ("soupsieve.util.SelectorSyntaxError: ..."), not nbgrader's own log
    # lines around it ("[GenerateFeedbackApp | ERROR] Please see the above traceback")
    detail = next((ln for ln in reversed(lines) if "Error" in ln and not ln.startswith("[")),
                  lines[-1] if lines else "no message")
    return f"nbgrader {step} failed: {detail[:300]}"


def _write_course(tmp: Path, assignment: str, cell_timeout_s: int,
                  gradebook: Path | None = None, sandbox: str = "auto",
                  notebook_budget_s: float = 600,
                  variant_identities: dict[str, str] | None = None) -> None:
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
        + f"c.SandboxedKernelManager.mode = {sandbox!r}\n"
        + f"c.GuardedExecute.notebook_budget_s = {float(notebook_budget_s)!r}\n"
        + f"c.GuardedExecute.variant_identities = {dict(variant_identities or {})!r}\n"
    )
    shutil.copytree(course_root() / "solutions" / assignment, tmp / "source" / assignment,
                    ignore=shutil.ignore_patterns(*_IGNORED))
    if gradebook is None:
        seed_gradebook(tmp / "gradebook.db")
    else:
        shutil.copy(gradebook, tmp / "gradebook.db")


def _generation_key(assignment: str) -> str:
    """Hash of everything ``generate_assignment`` reads for ``assignment``: the nbgrader version,
    the course configuration and every file of the instructor folder (names and bytes)."""
    import hashlib

    digest = hashlib.sha256()
    root = course_root()
    for part in (_nbgrader_version(), COURSE_ID, (root / "nbgrader_config.py").read_text()):
        digest.update(part.encode() + b"\0")
    folder = root / "solutions" / assignment
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part in _IGNORED for part in rel.parts):
            digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def _generated(assignment: str) -> Path:
    """Folder holding ``gradebook.db`` and ``release/<assignment>/`` as ``nbgrader
    generate_assignment`` leaves them for the current instructor notebook of ``assignment``.
    Made once per content (:func:`_generation_key`) and kept in :func:`cache_dir`; versions of
    the same exercise made from older content are removed."""
    folder = cache_dir() or _scratch_dir()
    prefix = f"generated-{assignment}-"
    final = folder / (prefix + _generation_key(assignment))

    def ready() -> bool:
        return (final / "release" / assignment).is_dir() and (final / "gradebook.db").is_file()

    if ready():
        return final
    # Processes that need the same exercise at once (xdist workers, two terminals) take turns:
    # the second finds the first one's result instead of generating it again.
    with _locked(folder / f".{prefix}lock"):
        if ready():
            return final
        _generate_into(folder, assignment, final)
    for old in folder.glob(prefix + "*"):
        if old != final and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return final


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock on ``path`` between processes (where the platform has ``fcntl``)."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock, at worst two processes generate the same files
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _generate_into(folder: Path, assignment: str, final: Path) -> None:
    with tempfile.TemporaryDirectory(prefix=".generate-", dir=folder) as tmpdir:
        tmp = Path(tmpdir) / "course"
        tmp.mkdir()
        _write_course(tmp, assignment, 60)
        _run_nbgrader(["generate_assignment", assignment, "--force"], tmp)
        staging = Path(tmpdir) / "result"
        staging.mkdir()
        shutil.copy(tmp / "gradebook.db", staging / "gradebook.db")
        shutil.copytree(tmp / "release", staging / "release")
        _publish(staging, final)


def _write_generated_course(tmp: Path, assignment: str, cell_timeout_s: int, **settings) -> None:
    """A temporary course in ``tmp`` with ``assignment`` generated, ready for ``autograde``."""
    generated = _generated(assignment)
    _write_course(tmp, assignment, cell_timeout_s, gradebook=generated / "gradebook.db",
                  **settings)
    shutil.copytree(generated / "release", tmp / "release")


def generate_release(assignment: str, dest: Path) -> Path:
    """The student version of ``assignment`` as ``nbgrader generate_assignment`` makes it from a
    copy of the course (reused from :func:`cache_dir` while the instructor notebook and the
    configuration are unchanged), copied to ``dest/assignment``; returns that folder. The
    checkout itself is not touched."""
    out = Path(dest) / assignment
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(_generated(assignment) / "release" / assignment, out)
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


def _nbgrader_meta(cell) -> dict:
    """A cell's nbgrader metadata, or {} when it is missing or not an object (a hand-edited
    or hostile notebook may hold null, a list, anything)."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nb_meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nb_meta if isinstance(nb_meta, dict) else {}


def _nbgrader_ids(nb) -> list[str]:
    return [_nbgrader_meta(c)["grade_id"] for c in nb.cells
            if isinstance(_nbgrader_meta(c).get("grade_id"), str) and _nbgrader_meta(c)["grade_id"]]


def identify_exercise(nb: nbformat.NotebookNode) -> str:
    """Name of the exercise ``nb`` is a copy of, judged by its nbgrader cell ids.

    Raises
    ------
    NotAnExercise
        With a one-line explanation: no nbgrader cells, ids of no exercise of this course, or
        an exercise whose graded cells were deleted, renamed or duplicated.
    """
    ids = _nbgrader_ids(nb)
    if not ids:
        raise NotAnExercise("this notebook has no nbgrader cells, so it is not an exercise of this "
                            "course (exercises live in exercises/exNN_topic/)")
    best, best_overlap, best_ids = None, 0, set()
    for name in exercise_names():
        sol_ids = set(_nbgrader_ids(nbformat.read(str(solution_notebook(name)), as_version=4)))
        overlap = len(set(ids) & sol_ids)
        if overlap > best_overlap:
            best, best_overlap, best_ids = name, overlap, sol_ids
    if best is None:
        raise NotAnExercise("this notebook's nbgrader cells match no exercise of the naltrexone "
                            f"course ({', '.join(exercise_names())}); is it from another course?")
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise NotAnExercise(f"this copy of {best} has duplicated graded cells ({', '.join(dupes)}); "
                            "delete the duplicates, keeping your answers, and check again")
    missing = sorted(best_ids - set(ids))
    if missing:
        raise NotAnExercise(
            f"this copy of {best} is missing the cells {', '.join(missing)} (deleted, or their "
            f"nbgrader ids changed); copy your answers into a fresh copy "
            f"(naltrexone-course start {best} --fresh) and check that"
        )
    return best


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
        For a failed test cell, the exception and its message (never the test's source); for
        a cell with parts, that of its first failed part.
    parts : tuple of PartResult
        The independent parts of a test cell that has them (:mod:`.checks`), in order.
    """

    grade_id: str
    score: float
    max_score: float
    auto: bool
    message: str = ""
    parts: tuple[PartResult, ...] = ()


@dataclass(frozen=True)
class PartResult:
    """One independent part of a test cell (:mod:`.checks`): its name, its points (of the
    cell's), whether it passed and, when not, its message (``ename: evalue``)."""

    name: str
    points: float
    passed: bool
    message: str = ""


def parts_of_tests(nb: nbformat.NotebookNode) -> dict[str, tuple[PartResult, ...]]:
    """grade_id -> the parts the grading guard reported for that test cell (an autograded
    notebook's ``metadata.naltrexone.parts``); cells without parts are left out."""
    from .checks import recorded_parts

    found: dict[str, tuple[PartResult, ...]] = {}
    for cell in nb.cells:
        entry = recorded_parts(cell)
        nbg = _nbgrader_meta(cell)
        gid = nbg.get("grade_id")
        if not isinstance(gid, str) or not nbg.get("grade") or nbg.get("solution") or entry is None:
            continue  # parts belong to test cells only
        parts = []
        for p in entry["parts"]:
            try:
                error, message = str(p.get("error") or "AssertionError"), str(p.get("message", ""))
                text = "" if p.get("passed") is True else (
                    message if message.startswith(error + ":") else f"{error}: {message}")
                parts.append(PartResult(str(p["name"]), float(p["points"]), p.get("passed") is True,
                                        text))
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
        if parts:
            found[gid] = tuple(parts)
    return found


@dataclass(frozen=True)
class GradeReport:
    """Result of autograding one notebook."""

    assignment: str
    questions: tuple[QuestionResult, ...]
    autograded_path: Path | None = None
    notes: tuple[str, ...] = ()

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


def _error_messages(nb: nbformat.NotebookNode, cell_timeout_s: int) -> tuple[dict[str, str], tuple]:
    """``ename: evalue`` of each failed test cell (the assertion's message, never its source),
    and notes about answer cells that timed out (their tests then fail for another reason)."""
    messages: dict[str, str] = {}
    notes: list[str] = []
    for cell in nb.cells:
        meta = _nbgrader_meta(cell)
        gid = meta.get("grade_id")
        if cell.get("cell_type") != "code" or not isinstance(gid, str) or not gid:
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            ename, evalue = out.get("ename", "Error"), str(out.get("evalue", "")).strip()
            if ename == "NotRun":  # the grader stopped the run earlier (sandbox.GuardedExecute)
                note = f"the cells from '{gid}' on did not run: {evalue.removeprefix('not run: ')}"
                if not any(n.startswith("the cells from") for n in notes):
                    notes.append(note)
                if meta.get("grade"):
                    messages[gid] = f"NotRun: {evalue}"
                continue
            if not meta.get("grade"):
                if ename == "CellTimeoutError":
                    notes.append(f"your cell '{gid}' ran longer than {cell_timeout_s} s and was "
                                 "stopped (does it loop forever?)")
                continue
            if ename == "CellTimeoutError":
                evalue = (f"the tests ran longer than {cell_timeout_s} s and were stopped "
                          "(does one of your answers loop forever?)")
            elif ename == "AssertionError" and not evalue:
                evalue = "a check failed"
            messages[gid] = f"{ename}: {evalue}"
    for gid, parts in parts_of_tests(nb).items():
        failed = [p.message for p in parts if not p.passed]
        if gid not in messages and failed:  # some parts passed: the first failed part's message
            messages[gid] = failed[0]
    return messages, tuple(notes)


def autograde_notebook(notebook, assignment: str, *, cell_timeout_s: int = 60,
                       keep_dir: Path | None = None, sandbox: str = "auto",
                       notebook_budget_s: float = 600,
                       variant_identity: str | None = None) -> GradeReport:
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
    sandbox : str
        ``"auto"`` (the kernel runs in the sandbox of :mod:`.sandbox` where the machine allows
        it, else without, with a note in the report), ``"required"`` (refuse without it) or
        ``"off"`` (trusted work only); ``$NALTREXONE_SANDBOX`` overrides it.
    notebook_budget_s : float
        Total run time allowed for the notebook, s (1 to 86400); cells after it do not run.
    variant_identity : str, optional
        Whose per-student values (:mod:`.variants`) the notebook was worked with; default
        ``"public"``, the values of the released exercise.
    """
    identity = "public" if variant_identity is None else variant_identity
    return autograde_notebooks({"student": notebook}, assignment, cell_timeout_s=cell_timeout_s,
                               keep_dir=keep_dir, sandbox=sandbox,
                               notebook_budget_s=notebook_budget_s,
                               variant_identities={"student": identity})["student"]


def autograde_notebooks(notebooks, assignment: str, *, cell_timeout_s: int = 60,
                        keep_dir: Path | None = None, sandbox: str = "auto",
                        notebook_budget_s: float = 600,
                        variant_identities: dict[str, str] | None = None) -> dict:
    """Autograde several notebooks of one assignment in a single throw-away course.

    ``notebooks`` maps a label to a notebook (path or NotebookNode); each label becomes a
    student (letters, digits and underscores only). One ``generate_assignment`` and one
    ``autograde`` run serve them all, which is much faster than grading them one by one. Returns
    label -> :class:`GradeReport`. With ``keep_dir`` the autograded notebooks are copied to
    ``keep_dir/<label>/``. Each label is graded with its own per-student values
    (:mod:`.variants`) unless ``variant_identities`` maps it to another identity.
    """
    if not 1 <= int(cell_timeout_s) <= 3600:
        raise ValueError(f"cell_timeout_s must be 1 to 3600 seconds; got {cell_timeout_s!r}")
    if not 1 <= float(notebook_budget_s) <= 86400:
        raise ValueError(f"notebook_budget_s must be 1 to 86400 seconds; got {notebook_budget_s!r}")
    from .sandbox import MODE_ENV, MODES, sandbox_problem

    if sandbox not in MODES:
        raise ValueError(f"sandbox must be one of {', '.join(MODES)}; got {sandbox!r}")
    mode = os.environ.get(MODE_ENV) or sandbox
    problem = sandbox_problem() if mode != "off" else "it was turned off"
    if problem and mode == "required":
        raise GradingError(f"grading needs its sandbox and it cannot run here: {problem}")
    sandbox_note = () if not problem else (
        f"graded without the sandbox ({problem}): your code ran with your own rights",)
    labels = list(notebooks)
    if not labels or any(not re.fullmatch(r"[A-Za-z0-9_]+", label) for label in labels):
        raise ValueError("notebooks must map at least one label of letters, digits and underscores "
                         f"to a notebook; got labels {labels!r}")
    nb_name = solution_notebook(assignment).name
    order = _grade_ids_in_order(assignment)
    reports = {}
    with tempfile.TemporaryDirectory(prefix="ntx-grade-") as tmpdir:
        tmp = Path(tmpdir)
        _write_generated_course(tmp, assignment, cell_timeout_s, sandbox=sandbox,
                                notebook_budget_s=notebook_budget_s,
                                variant_identities=variant_identities)
        for label, notebook in notebooks.items():
            if isinstance(notebook, (str, Path)):
                notebook = nbformat.read(str(notebook), as_version=4)
            sub = tmp / "submitted" / label / assignment
            sub.mkdir(parents=True)
            nbformat.write(notebook, str(sub / nb_name))
        args = ["autograde", assignment, "--force"]
        if len(labels) == 1:
            args += ["--student", labels[0]]
        _run_nbgrader(args, tmp)
        for label in labels:
            graded_path = tmp / "autograded" / label / assignment / nb_name
            graded_nb = nbformat.read(str(graded_path), as_version=4)
            messages, notes = _error_messages(graded_nb, cell_timeout_s)
            notes = sandbox_note + notes + _guard_notes(graded_nb)
            questions = _read_gradebook(tmp / "gradebook.db", assignment, nb_name[:-len(".ipynb")],
                                        messages, order, student=label)
            parts = parts_of_tests(graded_nb)
            questions = tuple(dataclasses.replace(q, parts=parts.get(q.grade_id, ()))
                              for q in questions)
            kept = None
            if keep_dir is not None:
                target = Path(keep_dir) if len(labels) == 1 else Path(keep_dir) / label
                target.mkdir(parents=True, exist_ok=True)
                kept = target / nb_name
                shutil.copy(graded_path, kept)
            reports[label] = GradeReport(assignment=assignment, questions=questions,
                                         autograded_path=kept, notes=notes)
    return reports


def restored_before_tests(nb) -> dict[str, list[str]]:
    """grade_id -> what the grading guard had to put back before that test cell ran (what code
    in the notebook had changed in the interpreter: see :mod:`.guard`); empty for honest work."""
    found = {}
    for cell in nb.cells:
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        extra = meta.get("naltrexone")
        restored = extra.get("restored_before_test") if isinstance(extra, dict) else None
        if isinstance(restored, list) and restored:
            gid = _nbgrader_meta(cell).get("grade_id")
            found[gid if isinstance(gid, str) else "?"] = [str(r) for r in restored]
    return found


def _guard_notes(nb) -> tuple[str, ...]:
    found = restored_before_tests(nb)
    if not found:
        return ()
    changes = sorted({change for changes in found.values() for change in changes})
    shown = "; ".join(changes[:5]) + (f"; and {len(changes) - 5} more" if len(changes) > 5 else "")
    return (f"code in your notebook changed how Python runs ({shown}); the tests ran with it put "
            "back, and your instructor sees this note",)


def _grade_ids_in_order(assignment: str) -> list[str]:
    nb = nbformat.read(str(solution_notebook(assignment)), as_version=4)
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") or c.metadata.get("nbgrader", {}).get("task")]


def _read_gradebook(db: Path, assignment: str, notebook_id: str, messages, order,
                    student: str = "student") -> tuple:
    os.environ.update({"PATH": nbgrader_env()["PATH"]})
    from nbgrader.api import Gradebook

    results = []
    with Gradebook(f"sqlite:///{db}") as gb:
        nb = gb.find_submission_notebook(notebook_id, assignment, student)
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
