"""Class grading on Dask: a worker grades from what it is sent (no course folder), one writer
records, and a real ``dask scheduler`` with two ``dask worker`` processes on 127.0.0.1 gives
the grades a local cluster gives."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from corpus import EX, NB, _solved, make_course, released, submit

from naltrexone_lab.tooling import classroom
from naltrexone_lab.tooling.classroom import LOCK_WAIT_ENV, SchedulerUnavailable, grade_class
from naltrexone_lab.tooling.workers import assignment_kit, grade_job, job_for

pytestmark = pytest.mark.slow


def _scores(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(classroom._db_url(course)) as gb:
        return {sub.student_id: sub.score for sub in gb.assignment_submissions(EX)}


def _class(course: Path, n: int) -> None:
    kinds = [_solved(course), released(course),
             _solved(course, {"q4_schild": "raise NotImplementedError()"})]
    for i in range(n):
        submit(course, f"s{i}", kinds[i % len(kinds)])


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """Four submissions graded on the default local cluster of two workers."""
    course = make_course(tmp_path_factory.mktemp("local") / "course")
    _class(course, 4)
    pristine = tmp_path_factory.mktemp("pristine") / "course"
    shutil.copytree(course, pristine)
    results = grade_class(course, [EX], jobs=2)
    return course, pristine, {r.student: r for r in results}


def test_a_worker_grades_from_what_it_is_sent_without_the_course_folder(local, tmp_path):
    """grade_job gets bytes, not paths: with the course folder moved away it still grades,
    and the one writer then records the same score the local cluster gave."""
    course, pristine, results = local
    here = tmp_path / "course"
    shutil.copytree(pristine, here)
    kit = assignment_kit(here, EX, classroom._db_url(here))
    job = job_for(here, "s0", EX)
    away = tmp_path / "moved-away"
    here.rename(away)
    try:
        raw = grade_job(kit, job)
    finally:
        away.rename(here)
    assert raw["success"], raw["error"]
    assert NB in dict(raw["files"])
    assert not (here / "autograded").exists()  # the worker wrote nothing into the course
    writer = classroom._Writer(here, None)
    try:
        recorded = writer.record(raw)
    finally:
        writer.close()
    assert recorded["success"]
    assert (here / "autograded" / "s0" / EX / NB).is_file()
    assert _scores(here)["s0"] == results["s0"].score > 0


def test_a_job_for_another_assignment_is_refused(local):
    course, _, _ = local
    kit = assignment_kit(course, EX, classroom._db_url(course))
    job = job_for(course, "s0", EX)
    with pytest.raises(ValueError, match="job.assignment must be the kit's assignment"):
        grade_job(kit, type(job)(student="s0", assignment="ex02_other", files=job.files))


def test_the_writer_waits_for_a_locked_gradebook_and_keeps_the_previous_grade(local, tmp_path,
                                                                            monkeypatch):
    """The gradebook is locked after the worker graded (a long formgrader transaction): the
    writer says so, waits, then gives up in one line and the previous notebook stays."""
    course, pristine, results = local
    here = tmp_path / "course"
    shutil.copytree(course, here)
    raw = grade_job(assignment_kit(here, EX, classroom._db_url(here)), job_for(here, "s1", EX))
    previous = here / "autograded" / "s1" / EX / NB
    before = previous.read_bytes()
    monkeypatch.setenv(LOCK_WAIT_ENV, "3")
    notices: list[str] = []
    holder = sqlite3.connect(str(here / "gradebook.db"), timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    writer = classroom._Writer(here, notices.append)
    try:
        recorded = writer.record(raw)
    finally:
        writer.close()
        holder.rollback()
        holder.close()
    assert not recorded["success"] and recorded["locked"] and recorded["kept_previous"]
    assert notices and "locked" in notices[0] and "3 s" in notices[0]
    r = classroom._classify(here, recorded)
    assert r.status == "failed" and "gradebook stayed locked" in r.message
    assert previous.read_bytes() == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _dask_processes(tmp_path: Path, *, nanny: bool = True, workers: int = 2):
    """A real `dask scheduler` and single-threaded `dask worker` processes (``w1``, ``w2``, ...)
    on 127.0.0.1, started in a folder that is not the course, with no course named in their
    environment; yields (address, [scheduler, w1, ...] processes, a function that starts one
    more worker and returns its process)."""
    dask = Path(sys.executable).parent / "dask"
    if not dask.is_file():
        pytest.skip("the dask command line is not installed (pip install distributed)")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NALTREXONE_COURSE")}
    env["PATH"] = str(dask.parent) + os.pathsep + env.get("PATH", "")
    elsewhere = tmp_path / "worker-home"
    elsewhere.mkdir()
    logs = [open(tmp_path / "scheduler.log", "w")]  # noqa: SIM115
    procs = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], cwd=elsewhere, env=env, stdout=logs[0],
                              stderr=subprocess.STDOUT)]

    def start_worker() -> subprocess.Popen:
        name = f"w{len(procs)}"
        logs.append(open(tmp_path / f"{name}.log", "w"))  # noqa: SIM115
        procs.append(subprocess.Popen([str(dask), "worker", address, "--nthreads", "1",
                                       "--nworkers", "1", "--name", name, "--no-dashboard",
                                       *(() if nanny else ("--no-nanny",))],
                                      cwd=elsewhere, env=env, stdout=logs[-1],
                                      stderr=subprocess.STDOUT))
        return procs[-1]

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.3)
        else:
            pytest.fail(f"dask scheduler did not listen on {address}: "
                        + (tmp_path / "scheduler.log").read_text()[-2000:])
        for _ in range(workers):
            start_worker()
        yield address, procs, start_worker
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()


@pytest.fixture
def dask_cluster(tmp_path):
    with _dask_processes(tmp_path) as (address, _procs, _more):
        yield address


def test_an_external_scheduler_gives_the_grades_a_local_cluster_gives(local, dask_cluster, tmp_path):
    course, pristine, local_results = local
    here = tmp_path / "course"
    shutil.copytree(pristine, here)
    results = {r.student: r for r in grade_class(here, [EX], scheduler=dask_cluster)}
    assert {s: r.status for s, r in results.items()} == {s: "graded" for s in local_results}
    assert {s: r.score for s, r in results.items()} == {s: r.score for s, r in local_results.items()}
    assert _scores(here) == _scores(course)
    assert len({r.worker for r in results.values()}) == 2, "both workers should have graded"
    assert not {r.worker for r in results.values()} & {r.worker for r in local_results.values()}


def test_an_unreachable_scheduler_or_a_bad_address_says_so(local, monkeypatch):
    course, _, _ = local
    monkeypatch.setattr(classroom, "SCHEDULER_WAIT_S", 2)
    with pytest.raises(SchedulerUnavailable, match="cannot reach the Dask scheduler"):
        grade_class(course, [EX], force=True, scheduler=f"tcp://127.0.0.1:{_free_port()}")
    with pytest.raises(ValueError, match="scheduler must be a Dask address"):
        grade_class(course, [EX], force=True, scheduler="127.0.0.1:8786")


def test_an_assignment_missing_from_the_gradebook_is_a_clear_failure(tmp_path):
    """Submissions of an assignment nobody generated end as "failed" with what to do (the
    run used to stop at the first one with nbgrader's MissingEntry)."""
    course = make_course(tmp_path / "course")
    submit(course, "s1", _solved(course), assignment="ex99_unreleased", name="ex99_unreleased.ipynb")
    (lost,) = grade_class(course, jobs=1)
    assert lost.status == "failed" and "generate_assignment ex99_unreleased" in lost.message


def test_the_only_worker_lost_mid_notebook_and_a_new_one_grades_the_class(local, tmp_path):
    """Grading starts on ``w1`` alone, which is killed (SIGKILL, no nanny to restart it) while
    it grades its first notebook; then ``w2`` joins. The assignment's kit was only on ``w1``:
    Dask makes it again on ``w2``, which grades both submissions, with the scores the local
    cluster gave. (With the kit scattered to the workers instead, every submission failed here:
    "cancelled for reason: already forgotten".)"""
    from distributed import Client

    course, pristine, local_results = local
    here = tmp_path / "course"
    shutil.copytree(pristine, here)
    # two of the class are enough: the first notebook is lost, the new worker grades both
    kept = sorted(local_results)[:2]
    for student in set(local_results) - set(kept):
        shutil.rmtree(here / "submitted" / student)
    with _dask_processes(tmp_path, nanny=False, workers=1) as (address, procs, start_worker):
        late = []

        def kill_w1_then_start_w2() -> None:
            with Client(address, timeout=30) as client:
                deadline = time.monotonic() + 180
                while time.monotonic() < deadline:
                    workers = client.scheduler_info()["workers"]
                    w1 = [a for a, w in workers.items() if w.get("name") == "w1"]
                    if w1 and client.processing().get(w1[0]):
                        procs[1].kill()
                        procs[1].wait()
                        late.append(start_worker())
                        return
                    time.sleep(0.05)

        helper = threading.Thread(target=kill_w1_then_start_w2, daemon=True)
        helper.start()
        results = {r.student: r for r in grade_class(here, [EX], scheduler=address)}
        helper.join(timeout=30)
    assert late, "w1 was not killed while it graded"
    assert {s: r.status for s, r in results.items()} == {s: "graded" for s in kept}, \
        {s: r.message for s, r in results.items()}
    assert {s: r.score for s, r in results.items()} == {s: local_results[s].score for s in kept}
    assert _scores(here) == {s: v for s, v in _scores(course).items() if s in kept}
    assert {r.worker.rsplit(":", 1)[-1] for r in results.values()} == {str(late[0].pid)}
