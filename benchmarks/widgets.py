"""Widget update speed in the kernel and whole-notebook execution time.

For every control of every interactive model, the time from setting the control's value to the
model recomputed and the figure and readouts updated (the observer runs synchronously), over
``--repeats`` changes alternating between two valid values. Then the wall time to execute each
course notebook on a fresh kernel. Goal: 16 ms median per update (one frame at 60 Hz).

Run: ``make benchmark`` or ``.venv/bin/python benchmarks/widgets.py [--repeats N] [--no-notebooks]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import COURSE_NOTEBOOKS, execute_notebook, other_value  # noqa: E402

from naltrexone_lab import widgets  # noqa: E402

GOAL_MS = 16.0


def time_control(cls, name: str, repeats: int) -> list[float]:
    w = cls()
    control = w.controls[name]
    a, b = control.value, other_value(control)
    times = []
    for i in range(repeats):
        value = b if i % 2 == 0 else a
        t0 = time.perf_counter()
        control.value = value
        times.append((time.perf_counter() - t0) * 1000.0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--no-notebooks", action="store_true")
    args = parser.parse_args()

    classes = [getattr(widgets, n) for n in widgets.__all__ if n != "ModelWidget"]
    print(f"In-kernel update time per control change ({args.repeats} changes each), ms")
    print(f"{'widget.control':48s} {'median':>8s} {'p95':>8s}  goal {GOAL_MS:g} ms")
    worst = 0.0
    for cls in classes:
        for name in cls().controls:
            t = np.array(time_control(cls, name, args.repeats))
            med, p95 = statistics.median(t), float(np.percentile(t, 95))
            worst = max(worst, med)
            flag = "ok" if med <= GOAL_MS else "SLOW"
            print(f"{cls.__name__ + '.' + name:48s} {med:8.2f} {p95:8.2f}  {flag}")
    print(f"worst median: {worst:.2f} ms")

    if not args.no_notebooks:
        print("\nWhole-notebook execution on a fresh kernel, s")
        for path in COURSE_NOTEBOOKS:
            t0 = time.perf_counter()
            execute_notebook(path)
            print(f"{path.relative_to(ROOT)!s:48s} {time.perf_counter() - t0:8.2f}")


if __name__ == "__main__":
    main()
