"""Per-student variants: each student's own numbers in an exercise, recomputed when it is graded.

An exercise question that draws its data or parameters from a :class:`Variant` gives every
student different values (a simulated experiment's seed, a dose ratio, a target occupancy), so a
classmate's numbers copied into a notebook are wrong for the student who copies them. The
hidden tests compute the expected answers from the same :class:`Variant` with the package's
reference models, so a student's own working code passes whatever their values are.

How the values are chosen (the design, also in ``docs/instructor-guide.md``)
------------------------------------------------------------------------------
A variant is a function of three strings and nothing else:

``assignment``
    the exercise, e.g. ``"ex01_antagonism"`` (given in the notebook's locked setup cell);
``key``
    the class's variant key, also in the locked setup cell: empty in the public course; an
    instructor's private kit (``naltrexone-course instructor-kit``) writes a key derived from
    its course secret into the notebooks it releases, so last year's (or another class's)
    answers do not fit;
``identity``
    who the values are for, read once when this module is imported, in this order:

    1. ``NALTREXONE_VARIANT_STUDENT``: set by the grader for the grading kernel (the nbgrader
       student id at ``nbgrader autograde`` and ``naltrexone-course grade``; the learner's own
       identity at ``naltrexone-course check``). A learner never sets it.
    2. ``JUPYTERHUB_USER``: a student on JupyterHub, whose user name is the nbgrader student id
       when nbgrader's exchange is used.
    3. the file ``.naltrexone-variant`` in the notebook's folder, one line ``student: ID`` (an
       LMS id an instructor gave out) or ``local: TOKEN`` (a self-paced learner's random token,
       written by ``naltrexone-course start`` and renewed by ``start --fresh``).
    4. otherwise ``public``: the values every reader of the released exercise sees.

Values are drawn from SHA-256 of the four strings (assignment, key, identity, question) with
Python's :class:`random.Random`, which gives the same numbers on every platform and Python 3
version. Each question has its own stream, so a new question never changes another's values.

The identity is read when this module is first imported; in the grading kernel that is before
any notebook code runs (:data:`.guard.PRELOAD`), and the guard puts this module's attributes back
before every test, so an answer cell that changes the environment or rebinds ``variant`` does not
change the values the hidden tests expect.
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["IDENTITY_FILE", "PUBLIC", "STUDENT_ENV", "Variant", "class_key", "identity_from",
           "read_identity_file", "write_identity_file"]

STUDENT_ENV = "NALTREXONE_VARIANT_STUDENT"
IDENTITY_FILE = ".naltrexone-variant"
PUBLIC = "public"
_IDENTITY_LINE = re.compile(r"\s*(student|local)\s*:\s*(\S(?:.*\S)?)\s*")


def read_identity_file(folder) -> str | None:
    """The identity written in ``folder/.naltrexone-variant`` (``student:ID`` gives ``ID``,
    ``local:TOKEN`` gives ``local:TOKEN``), or None when there is no usable file."""
    path = Path(folder) / IDENTITY_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        m = _IDENTITY_LINE.fullmatch(line)
        if m:
            return m.group(2) if m.group(1) == "student" else f"local:{m.group(2)}"
    return None


def write_identity_file(folder, *, student: str | None = None, fresh: bool = False) -> str:
    """Give the notebook folder ``folder`` its identity and return it: ``student`` when given
    (the id the instructor's grader will use), else a random local token. An existing identity
    is kept (a learner's values stay put until they ask for new ones), except that ``fresh``
    replaces a local token; a student id is only ever replaced by another student id."""
    folder = Path(folder)
    if student is not None:
        student = student.strip()
        if not student or "\n" in student:
            raise ValueError(f"student must be a non-empty id on one line; got {student!r}")
        line = f"student: {student}"
    else:
        current = read_identity_file(folder)
        if current and (not fresh or not current.startswith("local:")):
            return current  # a student id from the instructor is never replaced by a token
        line = f"local: {os.urandom(6).hex()}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / IDENTITY_FILE).write_text(
        "# Who this exercise's numbers are for (naltrexone_lab.variants); "
        "naltrexone-course start --fresh draws new ones.\n" + line + "\n", encoding="utf-8")
    return read_identity_file(folder) or PUBLIC


def identity_from(environ: Mapping[str, str], cwd) -> str:
    """The identity for an environment and a working folder, in the order the module
    docstring gives."""
    for name in (STUDENT_ENV, "JUPYTERHUB_USER"):
        value = (environ.get(name) or "").strip()
        if value:
            return value
    return read_identity_file(cwd) or PUBLIC


def _startup_identity() -> str:
    try:
        cwd = Path.cwd()
    except OSError:  # the working folder was removed
        return identity_from(os.environ, "/nonexistent")
    return identity_from(os.environ, cwd)


#: Who this process's variants are for, read once at import (see the module docstring).
IDENTITY = _startup_identity()


def class_key(secret: str) -> str:
    """The variant key a class's released notebooks carry, derived from the instructor's course
    secret (the secret itself never leaves the instructor's folder)."""
    if not secret:
        raise ValueError("secret must be a non-empty string")
    return "k" + hashlib.sha256(("variant-key\0" + secret).encode()).hexdigest()[:20]


def _significant(value: float, digits: int) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


class Variant:
    """The values of one exercise for one identity.

    >>> a, b = Variant("ex01_antagonism", identity="alice"), Variant("ex01_antagonism", identity="bob")
    >>> a.seed("q4") == Variant("ex01_antagonism", identity="alice").seed("q4")
    True
    >>> a.seed("q4") != b.seed("q4")
    True
    >>> 5 <= a.integer("q3", 5, 50) <= 50
    True
    """

    def __init__(self, assignment: str, key: str = "", *, identity: str | None = None):
        if not isinstance(assignment, str) or not re.fullmatch(r"ex\d\d_\w+", assignment):
            raise ValueError(f"assignment must be an exercise name like 'ex01_antagonism'; "
                             f"got {assignment!r}")
        if not isinstance(key, str):
            raise ValueError(f"key must be a string; got {key!r}")
        self.assignment = assignment
        self.key = key
        self.identity = IDENTITY if identity is None else str(identity)

    def _rng(self, question: str) -> random.Random:
        if not isinstance(question, str) or not question:
            raise ValueError(f"question must be a non-empty name such as 'q4'; got {question!r}")
        digest = hashlib.sha256("\0".join(
            ("naltrexone-variant-1", self.assignment, self.key, self.identity, question)).encode())
        return random.Random(int.from_bytes(digest.digest()[:16], "big"))

    def seed(self, question: str) -> int:
        """A seed (0 to 2**32 - 1) for a random number generator, e.g. a simulated experiment."""
        return self._rng(question).getrandbits(32)

    def uniform(self, question: str, low: float, high: float, digits: int = 2) -> float:
        """A number between ``low`` and ``high``, rounded to ``digits`` significant digits (so
        what the notebook prints is the value the tests use)."""
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(f"low and high must be finite with low < high; got {low!r}, {high!r}")
        if not 1 <= int(digits) <= 15:
            raise ValueError(f"digits must be 1 to 15; got {digits!r}")
        value = _significant(self._rng(question).uniform(low, high), int(digits))
        return min(max(value, low), high)

    def log_uniform(self, question: str, low: float, high: float, digits: int = 2) -> float:
        """A number between ``low`` and ``high`` (both > 0), uniform on a log scale."""
        if not (math.isfinite(low) and math.isfinite(high) and 0 < low < high):
            raise ValueError(f"low and high must be finite with 0 < low < high; got {low!r}, {high!r}")
        x = self._rng(question).uniform(math.log10(low), math.log10(high))
        return min(max(_significant(10 ** x, int(digits)), low), high)

    def integer(self, question: str, low: int, high: int) -> int:
        """An integer from ``low`` to ``high``, both included."""
        if int(low) != low or int(high) != high or low > high:
            raise ValueError(f"low and high must be integers with low <= high; got {low!r}, {high!r}")
        return self._rng(question).randint(int(low), int(high))

    def choice(self, question: str, options: Sequence):
        """One of ``options``."""
        if len(options) == 0:
            raise ValueError("options must not be empty")
        return options[self._rng(question).randrange(len(options))]

    @property
    def who(self) -> str:
        """The identity in words, for the notebook's first lines."""
        if self.identity == PUBLIC:
            return "the public version (everyone who opens this file sees these values)"
        if self.identity.startswith("local:"):
            return (f"your own copy ({self.identity[6:]}); `naltrexone-course start "
                    f"{self.assignment} --fresh` gives a new copy with new values")
        return f"student {self.identity}"

    def __repr__(self) -> str:
        return f"Variant({self.assignment!r}, key={self.key!r}, identity={self.identity!r})"

    def __str__(self) -> str:
        return f"The numbers in this exercise are drawn for {self.who}."
