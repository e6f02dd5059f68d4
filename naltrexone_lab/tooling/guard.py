"""The grading kernel: IPython's kernel with a guard that runs before every test cell.

An answer cell runs in the same interpreter as the tests that follow it, so it can try to change
how they run: register an IPython input or AST transformer that rewrites them, an event hook or a
tracer, a display hook that prints a passing grade, replace ``builtins.abs``, ``math.isclose``,
``numpy.allclose`` or the course's reference models, rebind a helper name that a test uses, or
read the tests' source from the input history. The grader (:class:`.sandbox.GuardedExecute`)
tags each ``execute_request`` with the kind of cell; before a test cell this kernel

* takes a snapshot, at the first request (before any notebook code runs), of the IPython shell's
  transformers, hooks and methods, ``sys`` hooks and import machinery, and the attributes of
  ``builtins``, ``math``, ``numpy``, ``scipy`` and ``naltrexone_lab`` modules and their classes
  (the reference models are imported then, so the tests use the real ones, and so is every such
  module the notebook's own setup and test cells import: the grader names them in the request);
* puts all of it back as it was, and puts back every name that a cell other than an answer cell
  bound (the course's setup cells, earlier tests), functions with their original code;
* clears the tracers and profilers;
* runs the test without recording it in the input history (``In``, ``_ih``) and removes its
  source from ``linecache`` afterwards;

and reports, in the reply's metadata, that it ran and what it had to put back. The grader writes
that into the autograded notebook (``metadata.naltrexone.restored_before_test``), where the
integrity report shows it to the instructor as evidence.

What it cannot stop, stated in the instructor guide: code in the same interpreter can reach any
object, so a submission written against this guard (replacing the guard's own methods, or
inspecting the calling test's frame) can defeat it; the grader then sees no guard report, fails
that test and flags the submission, and the static scan of answers flags such code.
"""

from __future__ import annotations

import importlib
import linecache
import sys
import threading
import types
from typing import Any

from ipykernel.ipkernel import IPythonKernel
from ipykernel.kernelapp import IPKernelApp
from IPython.core.interactiveshell import InteractiveShell

GUARD_KEY = "naltrexone_guard"  # the same key as sandbox.GUARD_KEY (that module needs jupyter_client)

#: Modules the tests rely on, imported before any notebook code so the snapshot holds them.
#: The grader adds the protected modules that the notebook's own cells (setup and tests) import,
#: so ``scipy.stats`` (about 0.9 s) is loaded only for the exercise whose tests use it.
PRELOAD = ("math", "cmath", "operator", "functools", "statistics", "dataclasses", "numpy",
           "numpy.testing", "scipy.optimize", "naltrexone_lab",
           "naltrexone_lab.models", "naltrexone_lab.tooling.variants",
           "naltrexone_lab.tooling.checks")
#: Modules (and their submodules) whose attributes are put back before every test.
PROTECTED = ("builtins", "math", "cmath", "operator", "functools", "statistics", "dataclasses",
             "numpy", "scipy", "naltrexone_lab")
_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class whose attributes can be reassigned


def _protected(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in PROTECTED)


def _shell(kernel: IPythonKernel) -> InteractiveShell:
    """The kernel's IPython shell (ipykernel creates it when the kernel starts)."""
    shell = kernel.shell
    if shell is None:
        raise RuntimeError("the grading kernel has no IPython shell: it was not started by ipykernel")
    return shell


class _Guard:
    """Snapshot of the interpreter as the course set it up, and the code that restores it."""

    def __init__(self, kernel: IPythonKernel, extra: tuple[str, ...] = ()):
        self.kernel = kernel
        shell = _shell(kernel)
        wanted = PRELOAD + tuple(n for n in extra if isinstance(n, str) and _protected(n))
        for name in wanted:
            try:
                importlib.import_module(name)
            except ImportError:  # a course without scipy still grades; "scipy.stats" of
                pass             # `from scipy import stats` is a module, "numpy.pi" is not
        aliases: dict[str, str] = getattr(sys.modules.get("naltrexone_lab"), "ALIASES", {})
        for alias in aliases:  # notebooks import these names; importing one sets __spec__
            if aliases[alias] == "models" or alias == "variants":
                importlib.import_module(f"naltrexone_lab.{alias}")
        self.modules: dict[str, tuple[types.ModuleType, dict[str, Any]]] = {}
        self.classes: dict[type, dict[str, Any]] = {}
        for name, module in list(sys.modules.items()):
            if module is None or not _protected(name):
                continue
            self.modules[name] = (module, dict(vars(module)))
            for value in vars(module).values():
                if isinstance(value, type) and value.__flags__ & _HEAPTYPE \
                        and getattr(value, "__module__", "") == name:
                    self.classes[value] = dict(vars(value))
        # the machinery that runs a cell: shell, kernel, their helpers, and their classes
        self.objects: dict[int, tuple[object, dict[str, Any]]] = {}
        for obj in (shell, kernel, shell.displayhook, shell.display_pub, shell.compile,
                    shell.input_transformer_manager, shell.events, shell.history_manager):
            self.objects[id(obj)] = (obj, dict(vars(obj)) if hasattr(obj, "__dict__") else {})
            for cls in type(obj).__mro__:
                if cls.__flags__ & _HEAPTYPE:
                    self.classes.setdefault(cls, dict(vars(cls)))
        self.lists = {
            "input_transformers_post": (shell, list(shell.input_transformers_post)),
            "ast_transformers": (shell, list(shell.ast_transformers)),
        }
        manager = shell.input_transformer_manager
        self.manager = manager
        self.manager_lists = {name: list(getattr(manager, name)) for name in
                              ("cleanup_transforms", "line_transforms", "token_transformers")}
        self.events = {k: list(v) for k, v in shell.events.callbacks.items()}
        self.callbacks = shell.events.callbacks
        self.parts = {name: getattr(shell, name) for name in _SHELL_PARTS}
        self.sys_hooks = {name: getattr(sys, name) for name in
                          ("displayhook", "excepthook", "breakpointhook", "stdout", "stderr")}
        self.meta_path = list(sys.meta_path)
        self.path_hooks = list(sys.path_hooks)
        self.sys_modules = {name: mod for name, (mod, _) in self.modules.items()}
        self.user: dict[str, object] = {}
        self.code: dict[int, tuple[types.FunctionType, types.CodeType]] = {}
        # where Checks.result() records a test cell's parts (the list object itself, so that
        # rebinding the module's name during a test does not hide what was recorded)
        checks = sys.modules.get("naltrexone_lab.tooling.checks")
        self.ledger: list | None = getattr(checks, "LEDGER", None)

    # -- what cells other than answers define is kept ------------------------------------------
    def user_state(self) -> dict:
        return dict(_shell(self.kernel).user_ns)

    def protect_new(self, before: dict) -> None:
        """Remember the modules, functions and classes a setup or test cell bound (data is
        left alone: an answer may legitimately rebind a course variable it then uses)."""
        for name, value in _shell(self.kernel).user_ns.items():
            if not isinstance(value, (types.ModuleType, types.FunctionType, type)):
                continue
            if before.get(name, _MISSING) is not value:
                self.user[name] = value
                if isinstance(value, types.FunctionType):
                    self.code[id(value)] = (value, value.__code__)

    # -- put everything back --------------------------------------------------------------------
    def restore(self) -> list[str]:
        """Restore the snapshot; returns what had been changed (empty for honest work)."""
        found: list[str] = []
        shell = _shell(self.kernel)
        if sys.gettrace() is not None or sys.getprofile() is not None:
            found.append("a tracer or profiler (sys.settrace/sys.setprofile) was active")
        sys.settrace(None)
        sys.setprofile(None)
        threading.settrace(None)
        threading.setprofile(None)
        for name, value in self.sys_hooks.items():
            if getattr(sys, name) is not value:
                found.append(f"sys.{name} was replaced")
                setattr(sys, name, value)
        if sys.meta_path != self.meta_path or sys.path_hooks != self.path_hooks:
            found.append("the import machinery (sys.meta_path / sys.path_hooks) was changed")
            sys.meta_path[:] = self.meta_path
            sys.path_hooks[:] = self.path_hooks
        for name, module in self.sys_modules.items():
            if sys.modules.get(name) is not module:
                found.append(f"sys.modules[{name!r}] was replaced")
                sys.modules[name] = module
        for label, (owner, items) in self.lists.items():
            if list(getattr(owner, label)) != items:
                found.append(f"IPython {label} were changed")
            setattr(owner, label, list(items))
        if shell.input_transformer_manager is not self.manager:
            found.append("IPython's input transformer manager was replaced")
            shell.input_transformer_manager = self.manager
        for label, items in self.manager_lists.items():
            if list(getattr(self.manager, label)) != items:
                found.append(f"IPython input transformers ({label}) were changed")
            setattr(self.manager, label, list(items))
        for name, value in self.parts.items():
            if getattr(shell, name) is not value:
                found.append(f"IPython's shell.{name} was replaced")
                setattr(shell, name, value)
        if shell.events.callbacks is not self.callbacks:
            found.append("IPython's event callbacks were replaced")
            shell.events.callbacks = self.callbacks
        now = shell.events.callbacks
        if {k: list(v) for k, v in now.items()} != self.events:
            found.append("IPython event callbacks were registered or removed")
        for k in list(now):
            now[k][:] = self.events.get(k, [])
        for _key, (obj, saved) in self.objects.items():
            found += _restore_dict(obj, saved, type(obj).__name__, instance=True)
        for cls, saved in self.classes.items():
            found += _restore_dict(cls, saved, f"{cls.__module__}.{cls.__qualname__}")
        for name, (module, saved) in self.modules.items():
            found += _restore_dict(module, saved, name)
        ns = shell.user_ns
        for name, value in self.user.items():
            if ns.get(name, _MISSING) is not value:
                found.append(f"the name {name!r} set up by the course was rebound")
                ns[name] = value
        for func, code in self.code.values():
            if func.__code__ is not code:
                found.append(f"the code of {func.__name__}() was replaced")
                func.__code__ = code
        return found


_MISSING = object()
_SHELL_PARTS = ("events", "displayhook", "display_pub", "compile", "input_transformer_manager",
                "history_manager", "builtin_trap", "display_trap")


def _restore_dict(obj, saved: dict, label: str, instance: bool = False) -> list[str]:
    """Put back the attributes of ``obj`` recorded in ``saved``; for an instance, also remove
    attributes added since that shadow a method of its class."""
    found = []
    current = vars(obj) if hasattr(obj, "__dict__") else {}
    for key, value in saved.items():
        if key in ("__dict__", "__weakref__", "__doc__"):
            continue
        if instance and not callable(value):
            continue  # an instance's state (counters, last result) changes as it runs
        if current.get(key, _MISSING) is not value:
            try:
                setattr(obj, key, value)
            except (AttributeError, TypeError):
                continue
            found.append(f"{label}.{key} was replaced")
    if instance:
        for key in [k for k in current if k not in saved]:
            if callable(getattr(type(obj), key, None)):
                delattr(obj, key)
                found.append(f"{label}.{key} was overridden")
    return found


class GradingKernel(IPythonKernel):
    """IPython's kernel with the guard (see the module)."""

    implementation = "naltrexone-grading"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._guard: _Guard | None = None
        self._report: dict | None = None

    async def do_execute(self, code, silent, store_history=True, user_expressions=None,
                         allow_stdin=False, *, cell_meta=None, cell_id=None):
        tag = (cell_meta or {}).get(GUARD_KEY) if isinstance(cell_meta, dict) else None
        kind = tag.get("kind") if isinstance(tag, dict) else None
        if self._guard is None:  # first request: nothing of the notebook has run yet
            extra = tag.get("preload") if isinstance(tag, dict) else None
            self._guard = _Guard(self, tuple(extra) if isinstance(extra, list) else ())
        self._report = None
        cached = None
        ledger = self._guard.ledger
        if kind == "test":
            self._report = {"guarded": True, "restored": self._guard.restore()}
            store_history = False
            cached = set(linecache.cache)
            if ledger is not None:
                ledger.clear()
        before = self._guard.user_state() if kind in ("test", "setup") else None
        reply = await super().do_execute(code, silent, store_history, user_expressions,
                                         allow_stdin, cell_meta=cell_meta, cell_id=cell_id)
        if kind == "test" and ledger is not None and self._report is not None:
            # the parts the test's Checks recorded: the grader scores partial credit from these
            self._report["parts"] = [_plain_parts(entry) for entry in ledger]
            ledger.clear()
        if before is not None:
            self._guard.protect_new(before)
        if cached is not None:
            for name in set(linecache.cache) - cached:
                linecache.cache.pop(name, None)
        return reply

    def finish_metadata(self, parent, metadata, reply_content):
        metadata = super().finish_metadata(parent, metadata, reply_content)
        if self._report is not None:
            metadata[GUARD_KEY] = self._report
        return metadata


def _plain_parts(entry) -> dict:
    """One ledger entry as plain JSON data (what goes into the reply's metadata)."""
    try:
        parts = [{"name": str(p["name"]), "points": float(p["points"]), "passed": p["passed"] is True,
                  "error": str(p.get("error", "")), "message": str(p.get("message", ""))}
                 for p in entry["parts"]]
        return {"points": float(entry["points"]), "parts": parts}
    except (KeyError, TypeError, ValueError):
        return {"points": 0.0, "parts": [], "malformed": True}


def main() -> None:
    import signal

    # the sandbox starts with SIGINT ignored (see sandbox.bwrap_command): interrupts are how
    # the grader stops a cell at its time limit, so Python's handler comes back here
    signal.signal(signal.SIGINT, signal.default_int_handler)
    IPKernelApp.launch_instance(kernel_class=GradingKernel)


if __name__ == "__main__":
    main()
