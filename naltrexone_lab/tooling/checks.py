"""Independent parts of one autograded question, each checked and scored on its own.

A test cell of a question with independent answers (a question that asks for four values, say)
checks each answer in its own part, so a learner is told about every part that failed and keeps
the points of the parts that passed::

    from naltrexone_lab.tooling.checks import Checks

    _checks = Checks(points=4)
    with _checks.part("ntx_trough_occupancy", points=1):
        assert ...
    with _checks.part("rise_with_naltrexone_percent", points=1):
        assert ...
    ...
    _checks.result()

A part fails at the first exception its body raises (a failed assert, or a ``NameError`` for an
answer that was never defined); the next part still runs. :meth:`Checks.result` shows every part,
passed or failed with its message, and then

* returns nothing when every part passed (nbgrader gives the cell's full points);
* returns the points earned, as the cell's value, when some passed: nbgrader 0.9 reads a test
  cell whose output is a number as partial credit (``nbgrader.utils.determine_grade``), and its
  Validate button reports "Partial credit; passed some but not all of the tests";
* raises the first part's exception again when none passed, exactly as a cell of plain asserts
  fails, so the cell scores 0 with that message.

When a course grader runs the notebook (``naltrexone-course check`` and ``grade``, and plain
``nbgrader autograde`` through the course's ``nbgrader_config.py``), the cell's value is not
trusted: every result is also written to :data:`LEDGER`, which the grading guard
(:mod:`.guard`) empties before each test cell and reads after it, and the grader
(:mod:`.guarded`) sets the cell's partial credit from what the guard read. A value an answer
prints through the display hook is never read as a score.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Checks", "LEDGER", "MIME", "earned_points", "recorded_parts"]

#: What each :meth:`Checks.result` of the running cell recorded, in order (see the module).
LEDGER: list[dict[str, Any]] = []
#: The MIME type of the parts' summary that a test cell displays.
MIME = "application/vnd.naltrexone.checks+json"


def _points(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or value <= 0:
        raise ValueError(f"{name} must be a positive number of points; got {value!r}")
    return float(value)


def earned_points(entry: dict[str, Any]) -> tuple[float, float]:
    """(points earned, points possible) of one ledger entry."""
    parts = entry.get("parts", [])
    return (sum(float(p["points"]) for p in parts if p.get("passed")),
            sum(float(p["points"]) for p in parts))


def recorded_parts(cell) -> dict[str, Any] | None:
    """The parts record the grader wrote into a graded test cell
    (``metadata.naltrexone.parts``, one ledger entry as the guard reported it), or None when the
    cell has none, has several, or has a malformed one. The one reader of that record."""
    meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
    extra = meta.get("naltrexone")
    entries = extra.get("parts") if isinstance(extra, dict) else None
    entry = entries[0] if isinstance(entries, list) and len(entries) == 1 else None
    if not isinstance(entry, dict) or entry.get("malformed") or not isinstance(entry.get("parts"), list):
        return None
    return entry


def _message(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, AssertionError):
        return text or "a check failed"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _Score(float):
    """The points a test cell earned, shown as the cell's value (nbgrader reads ``text/plain``)."""

    def __repr__(self) -> str:
        return repr(float(self))


class Checks:
    """The parts of one test cell; ``points`` is the cell's points, which the parts share."""

    def __init__(self, points: float):
        self.points = _points(points, "points")
        self._parts: list[dict[str, Any]] = []
        self._first: BaseException | None = None

    @contextmanager
    def part(self, name: str, points: float) -> Iterator[None]:
        """Check one independent answer; an exception in the body fails this part only."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"name must name the part; got {name!r}")
        if any(p["name"] == name for p in self._parts):
            raise ValueError(f"name must differ between parts; {name!r} is used twice")
        record: dict[str, Any] = {"name": name, "points": _points(points, f"points of {name!r}"),
                                  "passed": False, "error": "", "message": ""}
        self._parts.append(record)
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - any failure of the answer fails this part
            record["error"], record["message"] = type(exc).__name__, _message(exc)
            if self._first is None:
                self._first = exc
        else:
            record["passed"] = True

    def summary(self) -> dict[str, Any]:
        """The parts as data: ``{"points": ..., "parts": [{name, points, passed, error, message}]}``."""
        return {"points": self.points, "parts": [dict(p) for p in self._parts]}

    def text(self) -> str:
        earned, total = earned_points(self.summary())
        lines = [f"{earned:g} of {total:g} points from {len(self._parts)} parts:"]
        for p in self._parts:
            head = f"  {'passed' if p['passed'] else 'FAILED'}  {p['name']} ({p['points']:g} pt)"
            lines.append(head + ("" if p["passed"] else f": {p['message']}"))
        return "\n".join(lines)

    def _html(self) -> str:
        earned, total = earned_points(self.summary())
        items = "".join(
            f"<li><strong>{'passed' if p['passed'] else 'failed'}</strong>: "
            f"<code>{html.escape(p['name'])}</code> ({p['points']:g} pt)"
            + ("" if p["passed"] else f" &mdash; {html.escape(p['message'])}") + "</li>"
            for p in self._parts)
        return (f'<div class="ntx-checks" role="status"><p>{earned:g} of {total:g} points from '
                f"{len(self._parts)} parts</p><ul>{items}</ul></div>")

    def result(self, _ledger: list = LEDGER) -> _Score | None:
        """Show every part and give the cell its grade (see the module)."""
        if not self._parts:
            raise ValueError("a Checks needs at least one part before result()")
        total = sum(p["points"] for p in self._parts)
        if not math.isclose(total, self.points, rel_tol=1e-9):
            raise ValueError(f"the parts' points must add up to points={self.points:g}; "
                             f"they add up to {total:g}")
        summary = self.summary()
        _ledger.append(summary)
        try:
            from IPython.display import display

            display({"text/plain": self.text(), "text/html": self._html(), MIME: summary},
                    raw=True)
        except ImportError:  # outside IPython: print the summary
            print(self.text())
        earned, _ = earned_points(summary)
        if self._first is None:
            return None
        if earned == 0:
            raise self._first
        return _Score(earned)
