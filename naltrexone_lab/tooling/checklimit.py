"""A per-question limit on self-checks, for courses that grade for credit (issue 21).

``naltrexone-course check`` grades a notebook with the full tests, hidden ones included. Its
messages never state an expected value, but with unlimited checks a student can still search for
an answer by trying values one after another. An instructor can set a limit: each question shows
its result for at most ``attempts`` *different* answers per ``window_min`` minutes; checking the
same answers again is free (it reveals nothing new); an answer counts as changed for a
question when any answer cell above its tests changed, and a question over its limit says when it
can be checked again instead of showing a score or a message. Other questions are unaffected.

The instructor sets it in the students' environment, e.g. on JupyterHub::

    c.Spawner.environment = {"NALTREXONE_CHECK_LIMIT": "3/60"}   # 3 answers per 60 minutes

The log lives in the student's own data home (``checks.json`` beside ``progress.json``), so this
is pacing, not security: a student who deletes the log, or unsets the variable in a terminal, gets
fresh attempts. What counts for credit is what nbgrader grades after submission, which this does
not touch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

__all__ = ["ENV_VAR", "CheckLimit", "CheckLog", "answer_fingerprints"]

#: environment variable holding ``"<attempts>/<window in minutes>"``
ENV_VAR = "NALTREXONE_CHECK_LIMIT"


@dataclasses.dataclass(frozen=True)
class CheckLimit:
    """At most ``attempts`` different answers per question shown in any ``window_min`` minutes."""

    attempts: int
    window_min: float

    def __post_init__(self):
        whole = isinstance(self.attempts, int) and not isinstance(self.attempts, bool)
        if not whole or not 1 <= self.attempts <= 1000:
            raise ValueError(f"attempts must be a whole number from 1 to 1000; got {self.attempts!r}")
        if not isinstance(self.window_min, (int, float)) or not 1 <= self.window_min <= 60 * 24 * 30:
            raise ValueError(f"window_min must be from 1 to 43200 minutes (30 days); got {self.window_min!r}")

    @classmethod
    def parse(cls, text: str) -> CheckLimit:
        """``"3/60"``: 3 different answers per question per 60 minutes."""
        m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*", text or "")
        if not m:
            raise ValueError(f"{ENV_VAR} must look like '3/60' (answers per question / window in "
                             f"minutes); got {text!r}")
        return cls(int(m.group(1)), float(m.group(2)))

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> CheckLimit | None:
        """The limit set in ``$NALTREXONE_CHECK_LIMIT``, or None when it is unset or empty."""
        text = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
        return cls.parse(text) if text else None

    def describe(self) -> str:
        return f"{self.attempts} different answer(s) per question every {self.window_min:g} min"


def answer_fingerprints(nb) -> dict[str, str]:
    """grade_id of each autograded test cell -> a hash of every answer cell above it.

    Cumulative on purpose: a later question's tests may use an earlier answer (a function
    defined in question 2 and called in question 4), so changing any answer above a test cell
    is a new attempt for it. Re-checking an unchanged notebook changes no fingerprint."""
    out, digest = {}, hashlib.sha256()
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {}) or {}
        if meta.get("solution"):
            lines = str(cell.get("source", "")).strip().splitlines()
            digest.update(("\n".join(line.rstrip() for line in lines) + "\x00").encode())
        if meta.get("grade") and not meta.get("solution") and cell.get("cell_type") == "code":
            out[str(meta.get("grade_id"))] = digest.copy().hexdigest()[:16]
    return out


class CheckLog:
    """When each question was shown for which answer, in ``checks.json`` under ``home``."""

    def __init__(self, home: Path):
        self.path = Path(home) / "checks.json"

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def admit(self, assignment: str, fingerprints: Mapping[str, str], limit: CheckLimit,
              now: dt.datetime) -> dict[str, dt.datetime]:
        """Record this check; return the questions over their limit, each with when it can be
        checked again. Questions not returned may be shown."""
        data = self._load()
        log = data.setdefault(assignment, {})
        since = now - dt.timedelta(minutes=limit.window_min)
        withheld = {}
        for grade_id, fp in fingerprints.items():
            entries = []
            for e in log.get(grade_id, []):
                try:
                    when = dt.datetime.fromisoformat(e["at"])
                except (TypeError, KeyError, ValueError):
                    continue
                if when > since:
                    entries.append({"at": when.isoformat(timespec="seconds"), "answer": str(e.get("answer"))})
            if any(e["answer"] == fp for e in entries):
                pass  # this answer was already shown in the window: nothing new to learn
            elif len(entries) < limit.attempts:
                entries.append({"at": now.isoformat(timespec="seconds"), "answer": fp})
            else:
                oldest = min(dt.datetime.fromisoformat(e["at"]) for e in entries)
                withheld[grade_id] = oldest + dt.timedelta(minutes=limit.window_min)
            log[grade_id] = entries
        from .selfcheck import write_json_atomic  # selfcheck imports this module lazily

        write_json_atomic(self.path, data)
        return withheld
