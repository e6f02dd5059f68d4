"""Failure messages of the exercises' tests teach without handing over the answer (issue 21).

A learner may run ``naltrexone-course check`` as often as they like, and every failure message
also lands on a feedback page, so a message that states an expected value gives the answer away.
This file makes every misconception in tests/misconceptions/ fail, collects every message the
tests give, and fails if a message shows a number the solution computes for what the tests check.

How the messages are collected
------------------------------
Grading the 44 rounds of misconceptions with nbgrader takes about 6 s a notebook (tests/
test_grading.py does that, in another worker), far over this file's budget of about a minute.
So one kernel runs the code nbgrader runs, without nbgrader: for each exercise the instructor
notebook, its test cells with their hidden tests, once with the solution and once per round of
misconceptions (the rounds of test_grading), with the learner's namespace emptied between runs.
Each test cell is instrumented (:func:`instrument`); the test logic is unchanged, but

* every value a test compares (each side of a comparison, the first two arguments of
  ``isclose``/``allclose``) is recorded with the place it is compared at;
* a failed ``assert`` reports its message, as the grader does (``AssertionError: message``), and
  the cell goes on, so a message behind an earlier failure is read too. An error that stops the
  cell before any assert fails is reported as ``ename: evalue``, again as the grader does.

(The first message of each test cell was checked once against ``autograde_notebooks`` for every
round of ex01, ex05 and ex07: identical.)

The rule (:func:`leaked_numbers`)
---------------------------------
* **Expected values**: every value the tests compare in the solution run (the solution's
  answers and the references, such as ``_exp`` or ``_c.max()``), and every numeric literal a
  hidden test compares against. The literal bounds of a *visible* inequality (``35 < n < 50``)
  are not expected values: they are ranges the learner reads in the test anyway.
* A number in a message **shows** a value ``e`` when ``e`` rounded to the precision the number
  is written with gives that number: "42", "42.0" and "4.2e1" show 42; "0.89" shows 0.889;
  "0.0123" and "1.23e-2" show 0.01234; "10^-8.66" shows 2.19e-9. Signs are ignored, a number
  followed by ``%`` is also read as a fraction ("16%" shows 0.1636), and a number written with
  one significant digit ("40", "0.9") must also be within 1% of ``e``. Digits inside names
  (``il1b_fold``, ``log10``, ``HAM-D-17``, ``6-beta``) are no numbers.
* A number is **never a leak** when it is
  - trivial: 0, an integer power of ten (0.01, 1, 10, 1000 ...), 0.5 or 2;
  - given, exactly as written ("12" is not the given "12.5"): a number of the released notebook
    outside its test cells (questions, setup, answer templates), or a literal of the message's
    own test cell that is an input, not a compared value (``hours_per_day_above(10.0, ...,
    0.95)``; the 42 of ``power_two_arm(0.62, 42)`` is no input, as n_needed_pilot_effect is 42);
  - the learner's own: it shows a value the run compared at a place whose values depend on the
    answers (they differ from the solution's in some round), e.g. "got 0.26".

So a message may show the learner's values when the test compares them, the inputs of the
failing case and the question's numbers, and nothing else that is not trivial. Formulas are no
numbers: the messages were reviewed by hand for those.
"""

from __future__ import annotations

import ast
import importlib
import json
import math
import os
import re
from dataclasses import dataclass, field

import nbformat
import pytest
from helpers import ROOT
from test_grading import _rounds

from naltrexone_lab.tooling.grading import exercise_names, solution_notebook
from naltrexone_lab.tooling.variants import STUDENT_ENV

# -- detecting a number that shows an expected value -------------------------------------------------
_HIDDEN = re.compile(r"BEGIN HIDDEN TESTS(.*?)END HIDDEN TESTS", re.S)
# One token at a time: a name (il1b_fold, log10, HAM-D-17, IL-1beta, 6-beta-naltrexol), whose
# digits are no number, or a number, optionally "10^x" and optionally followed by %.
_TOKEN = re.compile(
    r"(?P<name>\d+(?:-[A-Za-z_]\w*)+|[A-Za-z_]\w*(?:-\w+)*)"
    r"|(?P<num>\d{1,3}(?:[ _]\d{3})+(?![\d.])|\d+(?:\.\d*)?|\.\d+)(?P<exp>[eE][-+]?\d+)?"
    r"(?:\s*(?:\^|\*\*)\s*(?P<pow>[-+]?\d+(?:\.\d+)?))?(?P<pct>\s*%)?"
)


@dataclass(frozen=True)
class Shown:
    """A number as a message writes it: its value, the place of its last significant digit
    (``10 ** place``) and how many significant digits it has; for ``10^x``, those of ``x``."""

    text: str
    value: float
    place: int
    digits: int
    power_of_ten: bool = False


def numbers_in(text: str) -> list[Shown]:
    """Every number a message writes, each as written and, when followed by %, also as a
    fraction. ``10^-8.66`` reads as 10 ** -8.66 (with three significant digits)."""
    found = []
    for m in _TOKEN.finditer(text):
        if m.group("name"):
            continue
        raw = m.group("num").replace(" ", "").replace("_", "")
        if m.group("pow"):
            if raw != "10":
                continue
            exponent = m.group("pow")
            frac = exponent.split(".")[1] if "." in exponent else ""
            digits = len(exponent.lstrip("+-").replace(".", "").lstrip("0")) or 1
            found.append(Shown(m.group(0), 10 ** float(exponent), -len(frac), digits, True))
            continue
        mantissa = raw.rstrip(".")
        if "." in mantissa:
            whole, frac = mantissa.split(".")
            sig = (whole + frac).lstrip("0")
            place = -len(frac)
        else:
            stripped = mantissa.rstrip("0")
            sig = stripped.lstrip("0")
            place = len(mantissa) - len(stripped)
        shift = int(m.group("exp")[1:]) if m.group("exp") else 0
        value = float(mantissa) * 10.0 ** shift
        shown = Shown(m.group(0).strip(), value, place + shift, max(len(sig), 1))
        found.append(shown)
        if m.group("pct"):
            found.append(Shown(shown.text, value / 100, shown.place - 2, shown.digits))
    return found


def is_trivial(value: float) -> bool:
    """0, an integer power of ten (0.01, 1, 10, 1000 ...), 0.5 or 2: numbers every message may
    use ("half", "one SD", "ten-fold") without saying anything about an answer."""
    v = abs(value)
    if v == 0 or math.isclose(v, 0.5) or math.isclose(v, 2.0):
        return True
    exponent = math.log10(v)
    return math.isclose(exponent, round(exponent), abs_tol=1e-12)


def shows(number: Shown, value: float) -> bool:
    """Whether ``number``, as written, shows ``value`` (see the module docstring)."""
    v, n = abs(value), abs(number.value)
    if v == 0 or not math.isfinite(v):
        return False
    if number.power_of_ten:  # 10^-8.66 shows 2.19e-9: compare the exponents as written
        v, n = math.log10(v), math.log10(n)
    scale = 10.0 ** number.place
    if not math.isclose(round(v / scale) * scale, n, rel_tol=1e-9, abs_tol=scale * 1e-9):
        return False
    return number.digits >= 2 or abs(n - v) <= 0.01 * abs(v)


def leaked_numbers(message: str, expected, *, given=(), own=()) -> list[str]:
    """The numbers in ``message`` that show one of the ``expected`` values, apart from trivial
    ones, ones equal to a ``given`` number (exactly: "12" is not "12.5") and ones that show one
    of the learner's ``own`` values."""
    leaks = []
    for number in numbers_in(message):
        if is_trivial(number.value):
            continue
        if any(math.isclose(abs(number.value), abs(g), rel_tol=1e-9) for g in given) \
                or any(shows(number, o) for o in own):
            continue
        hits = [e for e in expected if shows(number, e)]
        if hits:
            leaks.append(f"{number.text} (expected {hits[0]:.6g})")
    return leaks


def test_the_detector_catches_the_t_test_answer():
    """The message issue 21 quotes, for an expected 42: the check must fail on it."""
    message = ("AssertionError: n_needed_pilot_effect: the exact t-test answer is 42 "
               "(the normal approximation gives 41)")
    assert leaked_numbers(message, {42.0}) == ["42 (expected 42)"]
    assert leaked_numbers(message, {42.0}, own={41.0}) == ["42 (expected 42)"]
    assert leaked_numbers(message, {41.7}) == ["42 (expected 41.7)"], "41.7 rounds to 42"
    assert leaked_numbers(message, {43.0}) == [], "neither 42 nor 41 shows 43"
    assert leaked_numbers(message, {42.0}, given={42.5}) == ["42 (expected 42)"], \
        "a given 42.5 excuses 42.5 only, not 42"


@pytest.mark.parametrize(("message", "expected"), [
    ("the answer is 42.0", 42), ("about 4.2e1", 42.0), ("is 0.0123", 0.012345),
    ("is 1.23e-2", 0.012345), ("d is about 0.89", 0.8893), ("about 16% power", 0.1636),
    ("should be about 12.4 ng/mL", 12.37), ("fell by 8.0%", -8.0), ("is -30.5", -30.5),
    ("10^-8.66 mol/kg", 10 ** -8.66), ("50 000 nM", 5e4 + 3), ("it is 9", 9.0),
    ("should be 2.19 nmol/kg", 2.1878),
])
def test_the_detector_reads_numbers_as_they_are_written(message, expected):
    assert leaked_numbers(message, {expected}), f"{message!r} shows {expected}"


@pytest.mark.parametrize(("message", "expected", "kw"), [
    ("at C = Kd half the receptors are occupied (0.5)", 0.5, {}),
    ("a difference of one SD is d = 1", 1.0, {}),
    ("R = 2 when dosing every half-life", 2.0, {}),
    ("about 1000x too large: check mg vs ug", 1000.0, {}),
    ("ldn_hours_above_90 uses the three view names; il1b_fold; HAM-D-17; log10", 90.0, {}),
    ("about 40 per arm", 42.0, {}),
    ("n_needed_pilot_effect = 37 is too small", 42.0, {"own": {37.0}}),
    ("got 0.26", 0.2602, {"own": {0.26}}),
    ("the edge lies between 4.5 and 20 mg", 4.5, {"given": {4.5, 20.0}}),
    ("hours_per_day_above(10.0, 'twice daily', 0.95) is too small", 0.9544, {"given": {0.95}}),
])
def test_the_detector_lets_through_trivial_given_and_own_numbers(message, expected, kw):
    assert leaked_numbers(message, {expected}, **kw) == []


# -- running the tests on the misconceptions ------------------------------------------------------------
REC, FAIL, RESET = "__ntx_record__", "__ntx_fail__", "__ntx_reset__"
_FAILED = "\x00ntx-failed:"
_PART_FAILED = "\x00ntx-part-failed:"
_COMPARE_CALLS = {"isclose", "allclose", "array_equal", "assert_allclose"}
_INEQUALITIES = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)

# Run once in the kernel: the recorder, the failure collector and the namespace reset live in
# builtins, so that emptying the learner's namespace keeps them.
_KERNEL_SETUP = f'''
import builtins as _b, json as _j, numbers as _n
import numpy as _np
_b.__ntx_values__ = []
def {REC}(value, slot, _b=_b, _n=_n, _np=_np):
    try:
        if isinstance(value, (bool, _np.bool_)):
            pass
        elif isinstance(value, (_n.Real, _np.number)):
            _b.__ntx_values__.append((slot, float(value)))
        elif isinstance(value, _np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
            _b.__ntx_values__.append((slot, float(value.item())))
    except Exception:
        pass
    return value
def {FAIL}(message, _j=_j):
    print({_FAILED!r} + _j.dumps(str(message) if message is not None else ""), flush=True)
def {RESET}(_b=_b, _ns=get_ipython().user_ns, _keep=set(get_ipython().user_ns) - {{"_b", "_j", "_n", "_np"}}):
    for name in [k for k in _ns if k not in _keep]:
        del _ns[name]
    _b.__ntx_values__.clear()
_b.{REC}, _b.{FAIL}, _b.{RESET} = {REC}, {FAIL}, {RESET}
# a part of a test cell (naltrexone_lab.tooling.checks) catches what its body raises: say so at
# once, as the grader's message of that part, so the messages stay in the order they come
import contextlib as _cl
import naltrexone_lab.tooling.checks as _ck
def _ntx_part(self, name, points, _orig=_ck.Checks.part, _cl=_cl, _j=_j):
    @_cl.contextmanager
    def part():
        with _orig(self, name, points):
            yield
        record = self._parts[-1]
        if not record["passed"]:
            text = record["message"]
            if not text.startswith(record["error"] + ":"):
                text = record["error"] + ": " + text
            print({_PART_FAILED!r} + _j.dumps(text), flush=True)
    return part()
_ck.Checks.part = _ntx_part
del {REC}, {FAIL}, {RESET}, _b, _j, _n, _np, _cl, _ck, _ntx_part
'''


def _number_literal(node) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _number_literal(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    return None


def instrument(source: str, name: str = "cell") -> tuple[str, list[float], list[float]]:
    """The source of test cell ``name``, instrumented: it records every compared value with the
    place it is compared at (``name:k``), and each failed assert prints its message and the
    cell goes on. Also the numeric literals its hidden tests compare against, and all its
    numeric literals."""
    tree = ast.parse(source)
    everywhere = [v for v in map(_number_literal, ast.walk(tree)) if v is not None]
    hidden = set()
    for block in _HIDDEN.finditer(source):
        first = source[:block.start()].count("\n") + 1
        hidden |= set(range(first, first + block.group(0).count("\n") + 1))
    literals: list[float] = []
    slots: list = []

    def wrap(node):
        value = _number_literal(node)
        if value is not None and node.lineno in hidden:
            literals.append(value)
        slot = ast.Constant(f"{name}:{len(slots)}")
        slots.append(slot)
        return ast.Call(func=ast.Name(id=REC, ctx=ast.Load()), args=[node, slot], keywords=[])

    class Recorder(ast.NodeTransformer):
        def visit_Compare(self, node):
            self.generic_visit(node)
            inequality = any(isinstance(op, _INEQUALITIES) for op in node.ops)
            operands = [node.left, *node.comparators]
            kept = [o if (inequality and _number_literal(o) is not None and o.lineno not in hidden)
                    else wrap(o) for o in operands]
            node.left, node.comparators = kept[0], kept[1:]
            return node

        def visit_Call(self, node):
            self.generic_visit(node)
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in _COMPARE_CALLS:
                node.args[:2] = [wrap(a) for a in node.args[:2]]
            return node

    class Asserts(ast.NodeTransformer):
        def visit_Assert(self, node):
            test = Recorder().visit(node.test)
            message = node.msg if node.msg is not None else ast.Constant("a check failed")
            report = ast.Expr(ast.Call(func=ast.Name(id=FAIL, ctx=ast.Load()), args=[message], keywords=[]))
            check = ast.If(test=ast.UnaryOp(ast.Not(), test), body=[report], orelse=[])
            return ast.copy_location(check, node)

    tree = Asserts().visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree)), literals, everywhere


@dataclass
class Run:
    """One run of an exercise: the failure messages of each test cell (every failed assert, as
    ``AssertionError: message``, or the error that stopped the cell) and the values compared."""

    label: str
    messages: dict[str, list[str]] = field(default_factory=dict)
    compared: dict[str, list[float]] = field(default_factory=dict)  # place -> values, in order

    @property
    def values(self) -> list[float]:
        return [v for vs in self.compared.values() for v in vs]


@dataclass
class Exercise:
    assignment: str
    solution: Run
    rounds: list[tuple[dict, Run]]
    hidden_literals: list[float]
    test_literals: dict[str, list[float]]
    released: set[float]

    @property
    def expected(self) -> set[float]:
        return {v for v in [*self.solution.values, *self.hidden_literals] if not is_trivial(v)}

    def own(self, run: Run) -> set[float]:
        """The learner's values in ``run``: what it compared at the places whose values depend on
        the answers (they differ from the solution's in some round), right or wrong."""
        runs = [r for _, r in self.rounds]
        answered = {slot for r in runs for slot in set(r.compared) | set(self.solution.compared)
                    if r.compared.get(slot) != self.solution.compared.get(slot)}
        return {v for slot in answered for v in run.compared.get(slot, ())}

    def given(self, test_cell: str) -> set[float]:
        """What a message of ``test_cell`` may repeat: the numbers of the released notebook
        outside its test cells, and the cell's own literals that are inputs (a literal equal to
        a compared value is no input: the 42 of ``power_two_arm(0.62, 42)`` is also
        n_needed_pilot_effect)."""
        compared = [*self.solution.values, *self.hidden_literals]
        inputs = {v for v in self.test_literals.get(test_cell, ())
                  if not any(math.isclose(v, c, rel_tol=1e-9, abs_tol=1e-12) for c in compared)}
        return self.released | inputs


def _given_numbers(assignment: str) -> set[float]:
    """Numbers the learner is given: the released notebook outside its test cells."""
    (path,) = sorted((ROOT / "exercises" / assignment).glob("*.ipynb"))
    nb = nbformat.read(str(path), as_version=4)
    text = "\n".join(c.source for c in nb.cells
                     if c.cell_type == "markdown" or not c.metadata.get("nbgrader", {}).get("grade"))
    return {n.value for n in numbers_in(text)}


class Kernel:
    """One python3 kernel, cell by cell (nbclient, as nbgrader runs a notebook)."""

    def __init__(self):
        from nbclient import NotebookClient

        self._nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
        self.client = NotebookClient(self._nb, timeout=60, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(ROOT)}})

    def __enter__(self):
        # graded as a student whose own values (naltrexone_lab.variants) are not the public ones,
        # as nbgrader's grader sets it; a misconception that types in public values must fail
        self._context = self.client.setup_kernel(env={**os.environ, STUDENT_ENV: "round0"})
        self._context.__enter__()
        self.execute(_KERNEL_SETUP)
        return self

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)

    def execute(self, source: str):
        cell = nbformat.v4.new_code_cell(source)
        self.client.execute_cell(cell, 0)
        return cell.outputs


def _run_exercise(kernel: Kernel, assignment: str) -> Exercise:
    nb = nbformat.read(str(solution_notebook(assignment)), as_version=4)
    literals: list[float] = []
    test_literals: dict[str, list[float]] = {}
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        source = cell.source
        if meta.get("grade"):
            source, found, everywhere = instrument(source, meta.get("grade_id"))
            literals += found
            test_literals[meta.get("grade_id")] = everywhere
        cells.append((meta.get("grade_id"), bool(meta.get("grade")), bool(meta.get("solution")), source))

    def run(label, replacements):
        kernel.execute(f"{RESET}()")
        result = Run(label)
        for gid, graded, answer, source in cells:
            outputs = kernel.execute(replacements.get(gid, source) if answer else source)
            if not graded:
                continue
            failed, printed = [], []
            for out in outputs:
                if out.output_type == "stream" and out.name == "stdout":
                    for line in out.text.splitlines():
                        if line.startswith(_FAILED):
                            failed.append("AssertionError: " + (json.loads(line[len(_FAILED):])
                                                                or "a check failed"))
                        elif line.startswith(_PART_FAILED):
                            failed.append(json.loads(line[len(_PART_FAILED):]))
                        elif line.strip():
                            printed.append(line)
                elif out.output_type == "error" and not failed:
                    # what stops the cell before any assert fails; after a failed assert the
                    # grader stops there, so later errors are no message a learner sees
                    failed.append(f"{out.ename}: {str(out.evalue).strip()}")
            if failed or printed:
                result.messages[gid] = failed + printed
        for slot, value in json.loads("".join(
                o.text for o in kernel.execute("print(__import__('json').dumps(__ntx_values__))")
                if o.output_type == "stream" and o.name == "stdout")):
            result.compared.setdefault(slot, []).append(value)
        return result

    solution = run("solution", {})
    rounds = []
    for k, round_ in enumerate(_rounds(assignment)):
        replacements = {}
        for _test_id, (_label, replaced) in round_.items():
            replacements.update(replaced)
        rounds.append((round_, run(f"round{k}", replacements)))
    return Exercise(assignment, solution, rounds, literals, test_literals, _given_numbers(assignment))


@pytest.fixture(scope="module")
def exercise_runs():
    """Function: assignment -> its runs. One kernel serves the module and each exercise is run
    once (the solution, then every round of misconceptions), whichever test asks first."""
    runs: dict[str, Exercise] = {}
    with Kernel() as kernel:
        def get(assignment: str) -> Exercise:
            if assignment not in runs:
                runs[assignment] = _run_exercise(kernel, assignment)
            return runs[assignment]
        yield get


# One test per exercise (not one per check): pytest-xdist may send tests of one module to
# different workers, and each worker would run the exercise again.
@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.parametrize("assignment", exercise_names())
def test_no_failure_message_gives_away_an_expected_value(assignment, exercise_runs):
    ex = exercise_runs(assignment)
    assert ex.solution.messages == {}, "the solution must pass every test cell"

    # The check reads real failures: the test cell of each misconception failed in the round that
    # carried it (the rounds that lose points in test_grading).
    cases = importlib.import_module(f"misconceptions.{assignment}").MISCONCEPTIONS
    assert sum(len(r) for r, _ in ex.rounds) == sum(len(v) for v in cases.values())
    silent = [f"{test_id}: {label}" for round_, run in ex.rounds
              for test_id, (label, _) in round_.items() if not run.messages.get(test_id)]
    assert silent == [], "misconceptions whose test cell reported no failure"

    expected = ex.expected
    leaks = []
    for _round, run in ex.rounds:
        own = ex.own(run)
        for gid, messages in run.messages.items():
            for message in messages:
                found = leaked_numbers(message, expected, given=ex.given(gid), own=own)
                if found:
                    leaks.append(f"{gid} [{run.label}]: {message}  <- shows {', '.join(found)}")
    assert leaks == [], "failure messages that give away an expected value:\n" + "\n".join(leaks)


# -- the names of the misconceptions, for the instructor's class report ---------------------------
NAMES_FILE = ROOT / "naltrexone_lab" / "tooling" / "misconceptions.json"
WRITE_NAMES = "NALTREXONE_WRITE_MISCONCEPTIONS"


def misconception_names(ex: Exercise) -> dict[str, dict[str, list[str]]]:
    """test cell -> {its first failure message, numbers masked: [labels of the misconceptions
    that fail it with that message]}, as ``naltrexone-course report`` looks them up."""
    from naltrexone_lab.tooling.report import mask_numbers

    names: dict[str, dict[str, list[str]]] = {}
    for round_, run in ex.rounds:
        for test_id, (label, _) in round_.items():
            first = run.messages.get(test_id, [""])[0]
            if first:
                names.setdefault(test_id, {}).setdefault(mask_numbers(first), []).append(label)
    return {t: {m: sorted(set(v)) for m, v in sorted(d.items())} for t, d in sorted(names.items())}


@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.parametrize("assignment", exercise_names())
def test_the_report_knows_every_misconception_by_its_message(assignment, exercise_runs):
    """naltrexone_lab/tooling/misconceptions.json maps each test cell's failure message to the
    misconceptions of tests/misconceptions/ that give it; it must match what the tests say now.
    After changing an exercise or its misconceptions, regenerate it with
    ``NALTREXONE_WRITE_MISCONCEPTIONS=1 pytest tests/test_messages.py -p no:xdist``."""
    current = misconception_names(exercise_runs(assignment))
    stored = json.loads(NAMES_FILE.read_text()) if NAMES_FILE.is_file() else {}
    if os.environ.get(WRITE_NAMES):
        stored[assignment] = current
        NAMES_FILE.write_text(json.dumps(dict(sorted(stored.items())), indent=1, ensure_ascii=False)
                              + "\n")
    assert stored.get(assignment) == current, (
        f"{NAMES_FILE.name} is out of date for {assignment}: regenerate it with "
        f"{WRITE_NAMES}=1 pytest tests/test_messages.py -p no:xdist")


@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.parametrize("assignment", exercise_names())
def test_every_misconception_is_told_by_its_own_message(assignment, exercise_runs):
    """Issue 17: a learner who holds a misconception is told which one. The hidden tests tell
    the misconceptions of one question apart by what the answer does, so the first message a
    learner reads differs between every two entries of the question's list in
    tests/misconceptions/ (numbers masked, as the class report groups them). Two entries whose
    answers behave the same on every input the question allows are one misconception: the list
    names them together in ``SAME_BEHAVIOUR`` with the reason, and only they may share."""
    module = importlib.import_module(f"misconceptions.{assignment}")
    same = {frozenset(pair) for pair in getattr(module, "SAME_BEHAVIOUR", {})}
    shared = []
    for test_id, by_message in misconception_names(exercise_runs(assignment)).items():
        for message, labels in by_message.items():
            pairs = [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:]
                     if frozenset((a, b)) not in same]
            if pairs:
                shared.append(f"{test_id}: {labels} all read '{message[:140]}'")
    assert shared == [], ("misconceptions of one question told by the same message:\n"
                          + "\n".join(shared))
