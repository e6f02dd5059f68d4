"""Class grading throughput: plain `nbgrader autograde` versus `naltrexone-course grade` on Dask.

Builds a course with ``--students`` (default 30) ordinary submissions of ex01 (solved, blank and
partly solved in turn) and grades identical copies of it, in the same run:

1. plain sequential ``nbgrader autograde ex01_antagonism`` (all students, one process);
2. ``naltrexone-course grade --jobs 1`` (no cluster: in its own process) and ``--jobs 2`` (a
   Dask local cluster of 2 workers; the default route);
3. the same worker and writer functions on a plain ``concurrent.futures`` process pool of 2
   (what `grade` did before Dask, minus its shared gradebook): what Dask itself costs;

then the same again with one looping submission added (its loop stops at the cell time limit,
``--cell-timeout``, default 20 s). It prints the wall time of each, the throughput relative to
nbgrader, and whether every gradebook holds identical scores for every student and graded cell.

Run: ``.venv/bin/python benchmarks/grading.py [--students N] [--no-loop]`` (about 10 minutes on
2 cores).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus import EX, _solved, make_course, many_submissions, submit  # noqa: E402

from naltrexone_lab.tooling import classroom  # noqa: E402
from naltrexone_lab.tooling.grading import nbgrader_env  # noqa: E402
from naltrexone_lab.tooling.workers import assignment_kit, grade_job, job_for  # noqa: E402


def scores(course: Path) -> dict:
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(EX):
            cells = tuple(sorted((g.name, g.score) for g in sub.notebooks[0].grades))
            out[sub.student_id] = (sub.score, cells)
    return out


def timed(cmd, cwd) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=nbgrader_env(), check=False, capture_output=True)
    return time.perf_counter() - start


def pool_grade(course: Path, jobs: int) -> float:
    """The worker and the one writer of `grade`, on a plain process pool instead of Dask."""
    start = time.perf_counter()
    kit = assignment_kit(course, EX, classroom._db_url(course))
    students = [s for s, _ in classroom.find_submissions(course, [EX])]
    writer = classroom._Writer(course, None)
    try:
        with ProcessPoolExecutor(jobs, mp_context=mp.get_context("spawn")) as pool:
            futures = [pool.submit(grade_job, kit, job_for(course, s, EX)) for s in students]
            for future in as_completed(futures):
                writer.record(future.result())
    finally:
        writer.close()
    return time.perf_counter() - start


def scenario(tmp: Path, students: int, loop: bool, cell_timeout_s: int) -> None:
    base = make_course(tmp / f"base-{loop}", cell_timeout_s=cell_timeout_s)
    many_submissions(base, students)
    n = students
    if loop:
        submit(base, "zz_loops", _solved(base, {"q1_occupancy": "while True:\n    pass"}))
        n += 1
    print(f"\n{n} submissions of {EX}" + (f", one of them looping ({cell_timeout_s} s cell limit)"
                                         if loop else ""), flush=True)
    runs = {}
    ours = [sys.executable, "-m", "naltrexone_lab.tooling.cli", "grade", EX, "--jobs"]
    plans = [
        ("nbgrader autograde (sequential)", [sys.executable, "-m", "nbgrader", "autograde", EX]),
        ("grade --jobs 1 (in this process)", ours + ["1"]),
        ("grade --jobs 2 (Dask, 2 workers)", ours + ["2"]),
        ("process pool of 2 (same functions)", None),
    ]
    for i, (label, cmd) in enumerate(plans):
        course = tmp / f"run-{loop}-{i}"
        shutil.copytree(base, course)
        seconds = timed(cmd, course) if cmd else pool_grade(course, 2)
        runs[label] = (seconds, scores(course))
        print(f"  {label:36s} {seconds:7.1f} s  {n / seconds:5.2f} submissions/s", flush=True)
    reference = runs["nbgrader autograde (sequential)"]
    for label, (seconds, result) in runs.items():
        same = result == reference[1] and len(result) == n
        print(f"  {label:36s} throughput x{reference[0] / seconds:4.2f}  grades identical: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--cell-timeout", type=int, default=20)
    parser.add_argument("--no-loop", action="store_true", help="skip the looping scenario")
    args = parser.parse_args()
    os.environ["PATH"] = nbgrader_env()["PATH"]
    print(f"{os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="ntx-bench-") as tmp:
        scenario(Path(tmp), args.students, False, args.cell_timeout)
        if not args.no_loop:
            scenario(Path(tmp), args.students, True, args.cell_timeout)


if __name__ == "__main__":
    main()
