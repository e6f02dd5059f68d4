"""Class grading throughput: plain `nbgrader autograde` versus `naltrexone-course grade`.

Builds a course with ``--students`` (default 60) ordinary submissions of ex01 (solved, blank and
partly solved in turn), then grades three identical copies of it:

1. plain sequential ``nbgrader autograde ex01_antagonism`` (all students, one process);
2. ``naltrexone-course grade --jobs 1``;
3. ``naltrexone-course grade --jobs 2``;

and prints the wall time of each, the throughput relative to nbgrader, and whether all three
gradebooks hold identical scores for every student and every graded cell. Goal (issue 10): at
least 1.8x nbgrader's throughput on 2 cores.

Run: ``.venv/bin/python benchmarks/grading.py [--students N]`` (several minutes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus import EX, make_course, many_submissions  # noqa: E402

from naltrexone_lab.tooling.grading import nbgrader_env  # noqa: E402


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
    subprocess.run(cmd, cwd=cwd, env=nbgrader_env(), check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    args = parser.parse_args()
    os.environ["PATH"] = nbgrader_env()["PATH"]
    with tempfile.TemporaryDirectory(prefix="ntx-bench-") as tmp:
        base = make_course(Path(tmp) / "base")
        many_submissions(base, args.students)
        runs = {}
        ours = [sys.executable, "-m", "naltrexone_lab.tooling.cli", "grade", "--jobs"]
        for label, cmd in (
            ("nbgrader autograde (sequential)", [sys.executable, "-m", "nbgrader", "autograde", EX]),
            ("naltrexone-course grade --jobs 1", ours + ["1"]),
            ("naltrexone-course grade --jobs 2", ours + ["2"]),
        ):
            course = Path(tmp) / label.split()[0] / str(len(runs))
            shutil.copytree(base, course)
            seconds = timed(cmd, course)
            runs[label] = (seconds, scores(course))
            print(f"{label:36s} {seconds:7.1f} s  {args.students / seconds:5.2f} submissions/s", flush=True)
        reference = runs["nbgrader autograde (sequential)"]
        print()
        for label, (seconds, result) in runs.items():
            same = result == reference[1] and len(result) == args.students
            print(f"{label:36s} throughput x{reference[0] / seconds:4.2f}  grades identical: {same}")


if __name__ == "__main__":
    main()
