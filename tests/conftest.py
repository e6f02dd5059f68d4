"""Shared fixtures: released student notebooks (generated once per session in a temp folder),
instructor notebooks, and the nbgrader environment."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.modules.setdefault("rfc3987_syntax", None)  # 3 s at import, unused (see tooling/cli.py)

import nbformat  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from naltrexone_lab.tooling.grading import (  # noqa: E402
    CACHE_ENV,
    exercise_names,
    generate_release,
    nbgrader_env,
    solution_notebook,
)

# The browser tests' fixtures (one JupyterLab and one browser per test file) and helpers, loaded
# as a plugin so that tests/browser/ needs no conftest of its own (two conftest.py files clash
# under --doctest-modules) and its asserts are rewritten as in a test module.
pytest_plugins = ["browser_support"]

# No wall-clock limit in any test: hypothesis's default 200 ms per example failed a property test
# on a loaded CI machine (339 ms once, 40 ms on replay). Speed lives in benchmarks/.
settings.register_profile("course", deadline=None)
settings.load_profile("course")


def pytest_configure(config):
    """One grading cache for the whole run, shared by the xdist workers (they inherit this
    environment) and new with every run, so a run starts as cold as on a fresh clone and never
    reads or writes the user's own cache."""
    if not hasattr(config, "workerinput") and CACHE_ENV not in os.environ:
        os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="ntx-test-cache-")
        config.add_cleanup(lambda: shutil.rmtree(os.environ.pop(CACHE_ENV), ignore_errors=True))


# The slow test files that take longest (CI --durations on this 2-core machine, 2026-12-04 and
# 2026-12-07), longest first: only the order in which xdist hands out files, never a limit.
LONGEST_SLOW_FILES = ("tests/test_grading.py", "tests/test_marked_once.py", "tests/test_classroom.py",
                      "tests/test_sandbox.py", "tests/test_dask_grading.py",
                      "tests/test_site.py", "tests/test_kit.py", "tests/test_export.py",
                      "tests/test_checks.py", "tests/test_attacks_feedback.py",
                      "tests/test_selfcheck.py", "tests/test_checklimit.py")


# Test files that share one expensive result (the attack class graded and given feedback once,
# kept in tests/corpus.py for the process) run in one xdist worker, so it is made once: loadfile
# alone sent each file to its own worker, and both graded the class (about 35 s each).
SHARED_WORKER = {"tests/test_attacks_files.py": "tests/test_attacks_feedback.py"}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` (make test), with the files of :data:`SHARED_WORKER` as one unit."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedFileScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = super()._split_scope(nodeid)
            return SHARED_WORKER.get(file, file)

    return SharedFileScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """Longest first: the browser test files, then the slow files that take longest
    (:data:`LONGEST_SLOW_FILES`), then the other files with a slow test, then the rest, each
    file's tests together and in their own order. xdist hands files to workers in this order,
    so the short files fill the end of the run instead of a long one starting last
    (test_site.py and test_sandbox.py, two minutes each, came last alphabetically)."""
    def rank(item) -> int:
        if item.get_closest_marker("browser"):
            return 0
        return 1 if item.get_closest_marker("slow") else 2

    first: dict[str, tuple[int, int]] = {}
    for item in items:
        file = item.nodeid.split("::")[0]
        r = rank(item)
        known = LONGEST_SLOW_FILES.index(file) if file in LONGEST_SLOW_FILES else len(LONGEST_SLOW_FILES)
        first[file] = min(first.get(file, (2, known)), (r, known if r == 1 else 0))
    items.sort(key=lambda item: first[item.nodeid.split("::")[0]])  # stable: order kept within


def pytest_report_header(config):
    from naltrexone_lab.tooling.sandbox import sandbox_problem

    problem = sandbox_problem()
    if problem is None:
        return "grading sandbox: bubblewrap works here; every autograde runs in it"
    return (f"grading sandbox: NOT available ({problem}); grading tests run without it "
            "(NALTREXONE_SANDBOX=auto) and tests/test_sandbox.py skips")


def _sandbox_or_auto() -> None:
    """The course configuration requires the grading sandbox; on a development machine without
    bubblewrap the grading tests still run, without it (CI installs it: .ci/run)."""
    from naltrexone_lab.tooling.sandbox import MODE_ENV, sandbox_problem

    if sandbox_problem() is not None:
        os.environ.setdefault(MODE_ENV, "auto")


_sandbox_or_auto()

# nbgrader starts `alembic` by name: make this interpreter's scripts visible to it.
os.environ["PATH"] = nbgrader_env()["PATH"]


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory) -> Path:
    """Every exercise freshly generated from solutions/ by nbgrader, outside the checkout."""
    dest = tmp_path_factory.mktemp("release")
    for name in exercise_names():
        generate_release(name, dest)
    return dest


@pytest.fixture(scope="session")
def released(release_dir):
    """Function: assignment name -> freshly released student notebook (NotebookNode)."""
    def load(assignment: str) -> nbformat.NotebookNode:
        (path,) = sorted((release_dir / assignment).glob("*.ipynb"))
        return nbformat.read(str(path), as_version=4)
    return load


@pytest.fixture(scope="session")
def solution():
    """Function: assignment name -> instructor notebook (NotebookNode)."""
    def load(assignment: str) -> nbformat.NotebookNode:
        return nbformat.read(str(solution_notebook(assignment)), as_version=4)
    return load
