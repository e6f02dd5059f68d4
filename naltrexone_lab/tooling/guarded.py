"""The kernel manager and Execute preprocessor of the grading sandbox (see :mod:`.sandbox`).

nbgrader loads these through the course's ``nbgrader_config.py``; they import nbgrader, so the
command line keeps to :mod:`.sandbox`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute, OverwriteCells
from traitlets import Dict, Float, Integer, Unicode, validate

from .checks import earned_points, recorded_parts
from .sandbox import (
    GUARD_KEY,
    MODE_ENV,
    MODES,
    SandboxUnavailable,
    bwrap_command,
    sandbox_problem,
    sandbox_uid,
)
from .variants import STUDENT_ENV

__all__ = ["GuardedClient", "GuardedExecute", "ReleasedOverwriteCells", "SandboxedKernelManager",
           "course_imports"]


class GuardedClient(AsyncKernelClient):
    """A kernel client that can tag the next ``execute_request`` with metadata (the kind of
    cell), which the guard kernel reads; everything else is jupyter_client's."""

    next_metadata: dict | None = None

    def execute(self, code, silent=False, store_history=True, user_expressions=None,
                allow_stdin=None, stop_on_error=True):
        metadata, self.next_metadata = self.next_metadata, None
        if not metadata:
            return super().execute(code, silent, store_history, user_expressions, allow_stdin,
                                   stop_on_error)
        content = {"code": code, "silent": silent, "store_history": store_history,
                   "user_expressions": user_expressions or {},
                   "allow_stdin": self.allow_stdin if allow_stdin is None else allow_stdin,
                   "stop_on_error": stop_on_error}
        msg = self.session.msg("execute_request", content, metadata=metadata)
        self.shell_channel.send(msg)
        return msg["header"]["msg_id"]


class SandboxedKernelManager(AsyncKernelManager):
    """Starts the guard kernel (:mod:`.guard`) inside a bubblewrap sandbox (see :mod:`.sandbox`)."""

    mode = Unicode("required", help="required, auto or off (see the module); the environment "
                   f"variable {MODE_ENV} overrides it").tag(config=True)
    memory_mb = Integer(4096, help="address-space limit of the kernel, MiB").tag(config=True)
    cpu_s = Integer(900, help="CPU-time limit of the kernel and its children, s").tag(config=True)
    max_file_mb = Integer(200, help="largest file the kernel may write, MiB").tag(config=True)

    @validate("mode")
    def _check_mode(self, proposal):
        if proposal["value"] not in MODES:
            raise ValueError(f"SandboxedKernelManager.mode must be one of {', '.join(MODES)}; "
                             f"got {proposal['value']!r}")
        return proposal["value"]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client_class = "naltrexone_lab.tooling.guarded.GuardedClient"
        self._private: Path | None = None
        self._workdir: Path | None = None
        self._scratch: Path | None = None

    def effective_mode(self) -> str:
        mode = os.environ.get(MODE_ENV, self.mode)
        if mode not in MODES:
            raise SandboxUnavailable(f"{MODE_ENV} must be one of {', '.join(MODES)}; got {mode!r}")
        return mode

    def sandboxed(self) -> bool:
        """Whether this kernel runs in the sandbox (raises when required but impossible)."""
        mode = self.effective_mode()
        if mode == "off":
            return False
        problem = sandbox_problem()
        if problem is None:
            return True
        if mode == "required":
            raise SandboxUnavailable(
                f"grading needs its sandbox and it cannot run here: {problem}. Grade on a Linux "
                f"machine with bubblewrap, or, for work you trust (your own), set {MODE_ENV}=off "
                "or pass --no-sandbox")
        return False

    async def _async_pre_start_kernel(self, **kw):
        self._sandboxed = self.sandboxed()
        self._private = Path(tempfile.mkdtemp(prefix="ntx-kernel-"))
        os.chmod(self._private, 0o700)
        if self._sandboxed:
            # sockets and connection file in a folder of this kernel only
            self.transport = "ipc"
            self.connection_file = str(self._private / "kernel.json")
            self.ip = str(self._private / "ipc")
            self._workdir = Path(kw.get("cwd") or os.getcwd()).resolve()
            self._scratch = self._private / "work"
            shutil.copytree(self._workdir, self._scratch, symlinks=True)
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        # the guard kernel in place of ipykernel's launcher (same arguments)
        if len(cmd) >= 3 and cmd[1] == "-m" and cmd[2] in ("ipykernel_launcher", "ipykernel"):
            cmd = [cmd[0], "-m", "naltrexone_lab.tooling.guard", *cmd[3:]]
        else:
            raise SandboxUnavailable(f"grading runs Python kernels only; kernel command {cmd!r}")
        if not self._sandboxed:
            return cmd
        uid = sandbox_uid()
        if uid is not None:  # the kernel runs as nobody: give it its own folders
            for root, dirs, files in os.walk(self._private):
                for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
                    os.lchown(name, uid, uid)
        return bwrap_command(cmd, workdir=self._workdir, scratch=self._scratch,
                             private=self._private, memory_mb=self.memory_mb, cpu_s=self.cpu_s,
                             max_file_mb=self.max_file_mb)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self._private is not None:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None


# -- nbgrader's Execute with the guard ------------------------------------------------------------
_STOPPED = "NotRun"


class GuardedExecute(Execute):
    """nbgrader's Execute preprocessor run against the sandboxed guard kernel (see :mod:`.sandbox`)."""

    notebook_budget_s = Float(600.0, help="total run time allowed per notebook, s (beside the "
                              "per-cell Execute.timeout)").tag(config=True)
    interrupt_grace_s = Integer(10, help="how long a cell may ignore the interrupt sent at its "
                                "time limit before the kernel is stopped, s").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)
        self.kernel_manager_class = SandboxedKernelManager
        self.iopub_timeout = max(self.iopub_timeout, self.interrupt_grace_s)
        self._preload: list[str] = []
        self._deadline: float | None = None
        self._stopped: str | None = None
        self._timed_out_cell = None

    variant_identities = Dict(
        {}, help="nbgrader student id -> the identity whose variant values (naltrexone_lab."
        "variants) the grading kernel uses; a student not listed is graded with their own id. "
        "naltrexone-course check uses it for a learner's local identity").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._preload = course_imports(nb)
        self._deadline = time.monotonic() + self.notebook_budget_s
        self._stopped = None
        self.timeout_func = self._cell_timeout
        # The kernel starts inside super().preprocess and inherits this process's environment:
        # the student's id tells naltrexone_lab.variants whose numbers the hidden tests expect.
        student = str(((resources or {}).get("nbgrader") or {}).get("student") or "")
        identity = str(self.variant_identities.get(student, student))
        previous = os.environ.get(STUDENT_ENV)
        if identity:
            os.environ[STUDENT_ENV] = identity
        else:
            os.environ.pop(STUDENT_ENV, None)
        try:
            return super().preprocess(nb, resources, km)
        finally:
            if previous is None:
                os.environ.pop(STUDENT_ENV, None)
            else:
                os.environ[STUDENT_ENV] = previous

    def _cell_timeout(self, cell) -> int:
        remaining = (self._deadline or time.monotonic()) - time.monotonic()
        limit = self.timeout if self.timeout and self.timeout > 0 else remaining
        return max(1, int(min(limit, remaining) + 0.999))

    def _not_run(self, cell, why: str) -> NotebookNode:
        cell.outputs = [NotebookNode(output_type="error", ename=_STOPPED, evalue=why,
                                     traceback=[f"{_STOPPED}: {why}"])]
        return cell

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        from nbclient.exceptions import CellTimeoutError

        if cell.cell_type != "code" or not cell.source.strip():
            return await super().async_execute_cell(cell, cell_index, execution_count,
                                                    store_history)
        if self._stopped:
            return self._not_run(cell, self._stopped)
        if self._deadline is not None and time.monotonic() > self._deadline:
            self._stopped = (f"the notebook's time budget ({self.notebook_budget_s:g} s) was used "
                             "up before this cell ran")
            return self._not_run(cell, self._stopped)
        meta = cell.metadata.get("nbgrader") if isinstance(cell.metadata, dict) else None
        meta = meta if isinstance(meta, dict) else {}
        # the course's own cells (locked, restored from the gradebook by nbgrader) set things
        # up; solution cells and any cell a student added are answers
        kind = ("answer" if meta.get("solution") else "test" if meta.get("grade")
                else "setup" if meta.get("locked") else "answer")
        self.kc.next_metadata = {GUARD_KEY: {"kind": kind, "preload": self._preload}}
        try:
            cell = await super().async_execute_cell(
                cell, cell_index, execution_count, store_history and kind != "test")
        except CellTimeoutError:
            # the cell was interrupted at its limit and did not stop: the kernel is stuck
            gid = meta.get("grade_id") or f"cell {cell_index + 1}"
            self._stopped = (f"not run: {gid} ignored the interrupt at its time limit, so the "
                             "kernel was stopped there")
            cell.outputs.append(NotebookNode(
                output_type="error", ename="CellTimeoutError",
                evalue=f"stopped after {self.timeout} s and did not respond to the interrupt",
                traceback=["CellTimeoutError: did not respond to the interrupt"]))
            await self._stop_kernel()
        if kind == "test":
            _grade_fairly(cell)
        return cell

    # nbclient's synchronous execute_cell wraps its own coroutine, not an override
    execute_cell = run_sync(async_execute_cell)

    async def _async_handle_timeout(self, timeout, cell=None):
        # nbgrader's error_on_timeout makes nbclient answer for the kernel with a reply of its
        # own, which carries no guard report: remember that this cell reached its time limit, so
        # an endless loop in a test is reported as one and not as a disabled guard
        self._timed_out_cell = cell
        return await super()._async_handle_timeout(timeout, cell)

    async def _stop_kernel(self) -> None:
        try:
            await self.km._async_kill_kernel()
        except Exception:  # noqa: BLE001 - already dead is fine
            pass

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        cell, reply = kwargs["cell"], kwargs["execute_reply"]
        report = (reply.get("metadata") or {}).get(GUARD_KEY)
        meta = cell.metadata.get("nbgrader") if isinstance(cell.metadata, dict) else None
        if not isinstance(meta, dict) or not meta.get("grade") or meta.get("solution"):
            return
        timed_out = getattr(self, "_timed_out_cell", None) is cell and "metadata" not in reply
        self._timed_out_cell = None
        if timed_out and not isinstance(report, dict):
            # nbclient's own reply for a test interrupted at its limit: the test failed (the
            # timeout's error is already in its outputs), and nothing says the guard was touched
            cell.outputs.append(NotebookNode(
                output_type="error", ename="TestTimedOut",
                evalue=f"this test stopped at its time limit ({self.timeout} s): a function it "
                       "called did not return (an endless loop, or a loop whose end is never met)",
                traceback=["TestTimedOut: a function the test called did not return in time"]))
            return
        if not isinstance(report, dict) or not report.get("guarded"):
            # the guard did not answer for this test cell: the kernel was tampered with
            cell.outputs.append(NotebookNode(
                output_type="error", ename="GradingIntegrityError",
                evalue="the grader could not confirm that this test ran unaltered (code in "
                       "the notebook changed the kernel's grading guard)",
                traceback=["GradingIntegrityError: test ran without the grading guard"]))
            report = {"restored": ["the grading guard itself was disabled"]}
        if report.get("restored"):
            cell.metadata.setdefault("naltrexone", {})["restored_before_test"] = list(
                report["restored"])
        # the parts are the guard's record only: a record the submitted notebook carried in
        # the cell's metadata (nbgrader restores a test cell's source, not that) is dropped
        extra = cell.metadata.get("naltrexone")
        if isinstance(extra, dict):
            extra.pop("parts", None)
        if isinstance(report.get("parts"), list) and report["parts"]:
            cell.metadata.setdefault("naltrexone", {})["parts"] = report["parts"]


_IMPORT = re.compile(r"^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)",
                     re.M)
_FROM_IMPORT = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+\(?([\w\s,]+)", re.M)


def course_imports(nb) -> list[str]:
    """The modules that the notebook's own cells (locked setup cells and tests, which nbgrader
    restores from the gradebook before this runs) import, each ``from X import Y`` also as
    ``X.Y``: the guard imports them before any notebook code, so its snapshot holds them."""
    found: set[str] = set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader") if isinstance(cell.metadata, dict) else None
        if cell.cell_type != "code" or not isinstance(meta, dict) or meta.get("solution") \
                or not (meta.get("grade") or meta.get("locked")):
            continue
        for m in _IMPORT.finditer(cell.source):
            found |= {part.split()[0] for part in m.group(1).split(",") if part.strip()}
        for m in _FROM_IMPORT.finditer(cell.source):
            found.add(m.group(1))
            found |= {f"{m.group(1)}.{n.split()[0]}" for n in m.group(2).split(",") if n.strip()}
    return sorted(found)


def _grade_fairly(cell) -> None:
    """Make nbgrader's grade of a test cell depend on whether its checks passed, not on what
    else the cell printed: warnings on stderr (numpy's RuntimeWarning, a log line) go to
    stdout with a note, and an error is put first (nbgrader reads outputs in order and gives
    full marks at the first result that is not a number).

    A value shown by a test cell is only display, never a grade, with one exception: the
    partial credit of a cell whose parts (:mod:`.checks`) the grading guard reported. That
    grade is computed here from the guard's report, so a number an answer shows through the
    display hook changes nothing. A cell that builds a ``Checks`` but whose parts the guard did
    not see (the ledger was emptied or replaced during the test) fails as tampered."""
    outputs = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            out = NotebookNode(output_type="stream", name="stdout",
                               text="(printed as a warning by your code; it cost no points)\n"
                                    + out.get("text", ""))
        elif out.get("output_type") == "execute_result":
            out = NotebookNode(output_type="display_data", data=out.get("data", {}),
                               metadata=out.get("metadata", {}))
        outputs.append(out)
    errors = [o for o in outputs if o.get("output_type") == "error"]
    entry = recorded_parts(cell)
    uses_checks = "Checks(" in str(cell.get("source", ""))
    if uses_checks and not errors and entry is None:
        errors.append(NotebookNode(
            output_type="error", ename="GradingIntegrityError",
            evalue="the grader could not read which parts of this test passed (code in the "
                   "notebook changed how the test records them)",
            traceback=["GradingIntegrityError: the test's parts were not recorded"]))
    elif uses_checks and not errors and entry is not None:
        earned, total = earned_points(entry)
        points = float((cell.metadata.get("nbgrader") or {}).get("points") or total)
        if earned < total and total > 0:
            # nbgrader 0.9 reads a number shown by a test cell as its partial credit
            outputs.append(NotebookNode(
                output_type="execute_result", execution_count=cell.get("execution_count"),
                metadata={}, data={"text/plain": repr(round(points * earned / total, 6))}))
    cell.outputs = errors + [o for o in outputs if o.get("output_type") != "error"]


class ReleasedOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells without the warning our own release causes.

    nbgrader stores each locked cell's checksum before ``generate_assignment`` removes hidden
    tests and mark schemes, so every student's untouched test cell "has changed" and plain
    ``nbgrader autograde`` warned seven times per ex01 submission: a real edit was lost in the
    noise. Here a locked cell that matches what was released (the source with nbgrader's own
    ClearHiddenTests and ClearMarkScheme applied) is restored silently, and one that does not
    is reported as the student's edit. The cell is restored from the gradebook either way.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        self._student_cell = cell.copy()
        return super().preprocess_cell(cell, resources, cell_index)

    def _released_checksum(self, source_cell_source: str) -> str:
        import copy

        from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme
        from nbgrader.utils import compute_checksum

        released = copy.deepcopy(self._student_cell)
        released.source = source_cell_source
        for step in (ClearHiddenTests(parent=self), ClearMarkScheme(parent=self)):
            released, _ = step.preprocess_cell(released, {}, 0)
        return compute_checksum(released)

    def report_change(self, name, attr, old, new):
        if attr == "checksum":
            source = self.gradebook.find_source_cell(name, self.notebook_id, self.assignment_id).source
            if self._released_checksum(source) == new:
                return  # the cell as released: hidden tests or a mark scheme were removed from it
            self.log.warning("Locked cell %s was edited in the submission; the instructor's "
                             "version is graded instead (the edit is listed by "
                             "naltrexone-course grade's integrity check)", name)
            return
        super().report_change(name, attr, old, new)
