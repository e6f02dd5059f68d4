"""Run every graded kernel in a sandbox, and keep the tests out of the submission's reach.

This module holds what the command line needs (light: no nbgrader import); the kernel manager
and the Execute preprocessor that nbgrader loads are in :mod:`.guarded`.

nbgrader runs a submission's code with the grader's rights: left alone, a submission can write
the gradebook, read ``solutions/`` or other students' work, rewrite ``nbgrader_config.py``, reach
the network, or leave a process behind that acts after the grades are saved. This module closes
that, in two layers, both installed by the course's ``nbgrader_config.py`` (so plain ``nbgrader
autograde``, formgrader, ``naltrexone-course grade`` and ``naltrexone-course check`` all use them):

:class:`.guarded.SandboxedKernelManager`
    starts the kernel under `bubblewrap <https://github.com/containers/bubblewrap>`_ (Debian
    package ``bubblewrap``, no daemon): a read-only view of the system; no network; its own
    process, IPC and host-name namespaces (every process of the submission ends with the
    kernel); empty folders in place of the course folder, the grading cache, ``/tmp`` and the
    home folder, with only the Python installation and the ``naltrexone_lab`` package put back
    (read-only); and, writable, a private copy of the notebook's folder, thrown away afterwards.
    ``prlimit`` caps memory, CPU time, open files and file size. The kernel talks to the grader
    over Unix sockets in a folder of its own (other kernels' sockets are out of sight).

:class:`.guarded.GuardedExecute`
    nbgrader's ``Execute`` with three changes. It runs the kernel of
    :mod:`naltrexone_lab.tooling.guard`, which before every test cell undoes what an answer
    cell may have done to the interpreter (IPython input and AST transformers, event hooks,
    tracers, display and exception hooks, patched ``builtins``/``math``/``numpy``/course
    functions, rebound helper names) and records what it undid; test cells are not kept in the
    kernel's input history. A notebook has a time budget besides the per-cell limit, and a cell
    that ignores the interrupt ends the run with the questions before it graded. Warnings a
    correct answer prints to stderr no longer cost the question.

The sandbox ``mode`` (``SandboxedKernelManager.mode``) is ``"required"`` in the course
configuration: grading refuses, with a message saying why, where bubblewrap cannot run.
``naltrexone-course check`` (a learner's own work, on their own laptop) uses ``"auto"``: the
sandbox where it works, else the plain kernel with a note. ``"off"`` is for trusted use only.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["MODES", "MODE_ENV", "SandboxUnavailable", "bwrap_command", "grader_evidence",
           "sandbox_problem", "suspicious_code"]

MODES = ("required", "auto", "off")
#: Environment variable that overrides the configured sandbox mode (e.g. ``off`` for trusted use).
MODE_ENV = "NALTREXONE_SANDBOX"
#: The reply metadata key under which the guard kernel reports (see :mod:`.guard`).
GUARD_KEY = "naltrexone_guard"


class SandboxUnavailable(RuntimeError):
    """The sandbox is required and cannot run on this machine (message says why and what to do)."""


@functools.cache
def sandbox_problem() -> str | None:
    """Why the sandbox cannot run here (one line), or ``None`` when it can."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap sandboxes exist on Linux only (this is {sys.platform})"
    for tool, package in (("bwrap", "bubblewrap"), ("prlimit", "util-linux")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian/Ubuntu: apt-get install {package})"
    try:
        probe = subprocess.run(_bwrap_base() + ["--", "true"], capture_output=True, text=True,
                               timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bwrap could not start: {err}"
    if probe.returncode != 0:
        detail = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        return (f"bwrap cannot create a sandbox here ({detail}); unprivileged user namespaces "
                "may be disabled (sysctl kernel.unprivileged_userns_clone=1) or the container "
                "forbids them")
    return None


def sandbox_uid() -> int | None:
    """The user a kernel runs as when grading runs as root: ``nobody``. Root in the sandbox
    would still own every root file it can see (``/etc/shadow``, keys): the kernel drops to an
    unprivileged user before the sandbox starts. ``None`` when grading is not root (the kernel
    then keeps the grader's user, which the hidden folders already confine)."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        return 65534


def _bwrap_base() -> list[str]:
    # as root, no user namespace (bwrap mounts with root's rights; the kernel then drops to
    # nobody, see _drop_to_nobody); otherwise bwrap needs one to mount anything
    unshare = (["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                "--unshare-cgroup-try"] if os.geteuid() == 0 else ["--unshare-all"])
    return ["bwrap", "--die-with-parent", *unshare, "--ro-bind", "/", "/", "--dev", "/dev",
            "--proc", "/proc"]


def _drop_to_nobody() -> list[str]:
    """What runs first inside the sandbox when grading is root: bwrap sets the mounts up with
    root's rights (the Python installation may sit in /root), then the kernel becomes
    ``nobody`` with no capabilities left to regain (bwrap also sets no-new-privileges, so a
    set-user-id program cannot give them back)."""
    uid = sandbox_uid()
    if uid is None:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all"]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _visible_python() -> list[Path]:
    """Folders the kernel needs to import Python, ipykernel and the course package."""
    import naltrexone_lab

    package = Path(naltrexone_lab.__file__).resolve().parent
    wanted = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
              Path(sys.executable).resolve().parent, package}
    for entry in sys.path:
        if entry and Path(entry).is_dir():
            wanted.add(Path(entry).resolve())
    return sorted(wanted)


#: Top-level folders of the operating system, left visible (read-only) in the sandbox.
_SYSTEM_TOP = frozenset({"bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "var",
                         "dev", "proc", "sys", "boot"})


def _hidden_folders(workdir: Path) -> list[Path]:
    """Folders replaced by empty ones inside the sandbox: every place a submission could find
    the instructor version, the gradebook or another student's work."""
    from .grading import cache_dir

    # /run holds servers' Unix sockets (PostgreSQL, Docker), which a read-only mount does not
    # stop a connection to; /srv, /mnt, /media and /home hold exchange folders, shares and
    # other users' files
    hidden = {Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"), Path("/run"), Path("/srv"),
              Path("/mnt"), Path("/media"), Path("/home"), Path.home().resolve(),
              Path(tempfile.gettempdir()).resolve(), Path.cwd().resolve()}
    # every other top-level folder that is not the operating system's (/work, /data, /opt, ...):
    # another checkout of the course or an instructor's private kit may sit there; Python
    # folders inside one are put back read-only (bwrap_command)
    try:
        hidden |= {p for p in Path("/").iterdir()
                   if p.name not in _SYSTEM_TOP and p.is_dir() and not p.is_symlink()}
    except OSError:
        pass
    hidden = {p.resolve() for p in hidden if p.exists()}
    cache = cache_dir()
    if cache is not None:
        hidden.add(cache.resolve())
    # the course folder: the nearest folder above the notebook holding nbgrader_config.py
    for folder in (workdir, *workdir.parents):
        if (folder / "nbgrader_config.py").is_file():
            hidden.add(folder)
            break
    # the checkout the package comes from (an editable install holds solutions/ beside it)
    import naltrexone_lab

    checkout = Path(naltrexone_lab.__file__).resolve().parents[1]
    if (checkout / "nbgrader_config.py").is_file():
        hidden.add(checkout)
    for name in ("NALTREXONE_COURSE", "NALTREXONE_CACHE", "JUPYTER_RUNTIME_DIR"):
        if os.environ.get(name):
            hidden.add(Path(os.environ[name]).expanduser().resolve())
    return sorted(p for p in hidden if p != Path("/"))


def _put_back(folder: Path, hidden: list[Path], made: set[Path], source: Path | None = None,
              writable: bool = False) -> list[str]:
    """Arguments that bind ``source`` (default: ``folder`` itself) at ``folder`` inside a hidden
    (empty) folder, read-only unless ``writable``, with the folders above it made traversable
    (bwrap would create them for root only, and the kernel may run as nobody)."""
    args = []
    for h in hidden:
        if _inside(folder, h) and folder != h:
            for above in reversed(folder.parents):
                if _inside(above, h) and above != h and above not in made:
                    made.add(above)
                    args += ["--perms", "0755", "--dir", str(above)]
    bind = "--bind" if writable else "--ro-bind"
    return [*args, bind, str(source or folder), str(folder)]


def bwrap_command(command: list[str], *, workdir: Path, scratch: Path, private: Path,
                  memory_mb: int, cpu_s: int, max_file_mb: int) -> list[str]:
    """The command line that runs ``command`` in the sandbox, in ``workdir`` (whose content the
    sandbox sees as the copy in ``scratch``), with ``private`` (the kernel's socket folder)
    shared with the grader."""
    args = _bwrap_base()
    hidden = _hidden_folders(workdir)
    made: set[Path] = set()
    for folder in hidden:
        args += ["--tmpfs", str(folder)]
    for folder in _visible_python():
        # a folder that is or contains a hidden one is never put back (the course root on
        # sys.path would bring solutions/ with it; the package is put back on its own below);
        # one inside a hidden folder (a venv in the checkout or the home folder) is, read-only
        if any(_inside(h, folder) for h in hidden):
            continue
        if any(_inside(folder, h) for h in hidden):
            args += _put_back(folder, hidden, made)
    import naltrexone_lab

    package = Path(naltrexone_lab.__file__).resolve().parent
    args += _put_back(package, hidden, made)
    args += _put_back(workdir, hidden, made, source=scratch, writable=True)
    args += _put_back(private, hidden, made, writable=True)
    args += ["--chdir", str(workdir), "--setenv", "HOME", str(workdir),
             "--setenv", "TMPDIR", str(workdir), "--setenv", "MPLCONFIGDIR", str(workdir),
             # one BLAS thread: the answers need no more, parallel graders do not compete, and
             # a many-core machine's per-thread buffers stay inside the memory cap
             "--setenv", "OPENBLAS_NUM_THREADS", "1", "--setenv", "OMP_NUM_THREADS", "1",
             "--setenv", "MKL_NUM_THREADS", "1",
             "--unsetenv", "NALTREXONE_COURSE", "--unsetenv", "NALTREXONE_CACHE",
             "--unsetenv", "JUPYTER_RUNTIME_DIR",
             # the grader's process id means nothing in the sandbox's process namespace (the
             # kernel would take its parent for gone and quit); its parent there is process 1,
             # which ipykernel does not watch. --die-with-parent ends it with the grader.
             "--setenv", "JPY_PARENT_PID", "1"]
    limits = [f"--as={memory_mb * 2**20}", f"--cpu={cpu_s}", "--nofile=512",
              f"--fsize={max_file_mb * 2**20}", "--core=0"]
    # jupyter_client interrupts a kernel by sending SIGINT to its whole process group, which
    # would end bwrap itself and the sandbox with it: bwrap is started with SIGINT ignored (a
    # disposition exec keeps) and the kernel puts Python's handler back (guard.main)
    ignore_sigint = [sys.executable, "-c", "import os, signal, sys; signal.signal(signal.SIGINT, "
                     "signal.SIG_IGN); os.execvp(sys.argv[1], sys.argv[1:])"]
    return [*ignore_sigint, *args, "--", *_drop_to_nobody(), "prlimit", *limits, "--", *command]




# -- code in an answer that has no business there ---------------------------------------------------
#: Names and attributes an answer to this course never needs, each with what it can be used for.
#: An answer computes occupancies, concentrations and effect sizes with numpy and the course's
#: models; these reach the interpreter, the grader, other files or encoded code instead.
SUSPICIOUS = {
    "exec": "runs code built at run time", "eval": "runs code built at run time",
    "compile": "builds code at run time", "__import__": "imports by computed name",
    "get_ipython": "reaches the IPython shell that runs the tests",
    "input_transformers_post": "rewrites later cells", "ast_transformers": "rewrites later cells",
    "input_transformer_manager": "rewrites later cells", "events": "hooks into later cells",
    "settrace": "traces the tests", "setprofile": "traces the tests",
    "_getframe": "inspects the calling test", "currentframe": "inspects the calling test",
    "f_back": "inspects the calling test", "f_locals": "inspects the calling test",
    "__code__": "replaces a function's code", "displayhook": "changes what a cell shows",
    "excepthook": "changes how errors are reported", "builtins": "patches built-in functions",
    "__builtins__": "patches built-in functions", "b64decode": "decodes hidden code",
    "a85decode": "decodes hidden code", "decompress": "decodes hidden code",
    "marshal": "loads compiled code", "pickle": "loads arbitrary objects", "ctypes": "edits memory",
    "gc": "reaches any object in memory", "subprocess": "starts programs", "system": "starts programs",
    "socket": "opens network connections", "sqlite3": "opens databases (the gradebook)",
    "In": "reads the input history", "_ih": "reads the input history",
    "linecache": "reads cached cell source", "environ": "reads the environment",
    "open": "reads or writes files", "meta_path": "hijacks imports", "modules": "hijacks imports",
}


def suspicious_code(source: str) -> list[str]:
    """What in ``source`` (one answer cell) an answer never needs: ``"exec (runs code built at run
    time)"`` and so on, each once, in order of appearance. Source that does not parse as Python
    (IPython magics, a broken answer) is read line by line for the same names."""
    import ast
    import re

    found: list[str] = []

    def add(name: str) -> None:
        item = f"{name} ({SUSPICIOUS[name]})"
        if item not in found:
            found.append(item)

    try:
        tree = ast.parse(source)
    except SyntaxError:
        for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", source):
            if word in SUSPICIOUS:
                add(word)
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in SUSPICIOUS:
            add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in SUSPICIOUS:
            add(node.attr)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names]
            if isinstance(node, ast.ImportFrom) and node.module:  # None for `from . import x`
                names.append(node.module)
            for name in names:
                for part in name.split("."):
                    if part in SUSPICIOUS:
                        add(part)
    return found


def _cells(path: Path) -> list[dict]:
    import json

    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def grader_evidence(course: Path, student: str, assignment: str) -> list[str]:
    """What the instructor should read in one graded submission: what the grading guard had to
    put back before its tests (from ``autograded/``), and code in its answer cells that an
    answer never needs (:func:`suspicious_code`, from ``submitted/``). Empty for honest work."""
    course = Path(course)
    found: list[str] = []
    for path in sorted((course / "autograded" / student / assignment).glob("*.ipynb")):
        for cell in _cells(path):
            meta = cell.get("metadata")
            extra = meta.get("naltrexone") if isinstance(meta, dict) else None
            restored = extra.get("restored_before_test") if isinstance(extra, dict) else None
            for item in restored if isinstance(restored, list) else []:
                line = f"guard put back: {item}"
                if line not in found:
                    found.append(line)
    for path in sorted((course / "submitted" / student / assignment).glob("*.ipynb")):
        if not path.is_file() or path.is_symlink():
            continue
        for cell in _cells(path):
            meta = cell.get("metadata")
            nb_meta = meta.get("nbgrader") if isinstance(meta, dict) else None
            is_answer = not isinstance(nb_meta, dict) or bool(nb_meta.get("solution"))
            if cell.get("cell_type") != "code" or not is_answer:
                continue
            where = nb_meta.get("grade_id") if isinstance(nb_meta, dict) else "an added cell"
            for item in suspicious_code(_source(cell)):
                line = f"answer {where} uses {item}"
                if line not in found:
                    found.append(line)
    return found
