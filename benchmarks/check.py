"""How long a learner waits for ``naltrexone-course check``.

Times the command as a learner runs it (a new process each time, on a saved copy of the released
exercise), first with an empty grading cache (the first check after installing, or after the
exercise changed) and then ``--repeat`` times with the cache filled, and prints the cold time and
the median and worst warm time per exercise. Goal (issue 17): warm median <= 10 s on a quiet
2-core machine.

Run: ``.venv/bin/python benchmarks/check.py [--exercises ex01_antagonism ex05_ldn_rebound]
[--repeat 5]``. ``NALTREXONE_SANDBOX=off`` before the command measures the check without the
grading sandbox, i.e. what the sandbox costs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def time_check(notebook: Path, env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "naltrexone_lab.tooling.cli", "check", notebook.name,
                           "--no-record"], cwd=notebook.parent, env=env, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"check failed for {notebook}: {proc.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercises", nargs="+", default=["ex01_antagonism", "ex05_ldn_rebound"])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ntx-bench-check-") as tmpdir:
        tmp = Path(tmpdir)
        env = dict(os.environ, NALTREXONE_CACHE=str(tmp / "cache"), NALTREXONE_COURSE=str(ROOT))
        print(f"naltrexone-course check, {os.cpu_count()} cores, {args.repeat} warm runs each")
        for name in args.exercises:
            (released,) = sorted((ROOT / "exercises" / name).glob("*.ipynb"))
            work = tmp / name
            work.mkdir()
            notebook = work / released.name
            shutil.copy(released, notebook)
            cold = time_check(notebook, env)
            warm = [time_check(notebook, env) for _ in range(args.repeat)]
            print(f"{name:26s} cold {cold:5.1f} s   warm median {statistics.median(warm):5.1f} s"
                  f"   worst {max(warm):5.1f} s")
            shutil.rmtree(tmp / "cache", ignore_errors=True)


if __name__ == "__main__":
    main()
