"""Per-student variants (issue 18): each student's own numbers, recomputed at grading.

The tests here pin the design of ``naltrexone_lab.variants`` (who the values are for, that they
are reproducible and differ between students). Every exercise is graded with variants through
real nbgrader in tests/test_grading.py, in the batch that grades its solution: a student's own
answers typed in as numbers keep full marks, and the same numbers in a classmate's notebook lose
the points of at least two questions (:func:`classmates_notebooks` builds them).
"""

from __future__ import annotations

import json

import nbformat
import pytest
from helpers import ROOT
from hypothesis import given
from hypothesis import strategies as st

from naltrexone_lab.tooling import variants
from naltrexone_lab.tooling.grading import (
    exercise_names,
    fill_in_solutions,
    solution_notebook,
)
from naltrexone_lab.tooling.variants import IDENTITY_FILE, PUBLIC, STUDENT_ENV, Variant

VARIANT_EXERCISES = [name for name in exercise_names()
                     if any(f'Variant("{name}")' in c.source for c in nbformat.read(
                         str(solution_notebook(name)), as_version=4).cells)]


# -- the design -----------------------------------------------------------------------------------
def test_identity_order_grader_then_hub_then_file_then_public(tmp_path):
    variants.write_identity_file(tmp_path, student="s123")
    assert variants.identity_from({STUDENT_ENV: "graded", "JUPYTERHUB_USER": "hub"}, tmp_path) == "graded"
    assert variants.identity_from({"JUPYTERHUB_USER": "hub"}, tmp_path) == "hub"
    assert variants.identity_from({}, tmp_path) == "s123"
    assert variants.identity_from({STUDENT_ENV: "  "}, tmp_path / "nowhere") == PUBLIC


def test_local_identity_is_kept_until_fresh(tmp_path):
    first = variants.write_identity_file(tmp_path)
    assert first.startswith("local:")
    assert variants.write_identity_file(tmp_path) == first, "values stay put between sessions"
    assert variants.write_identity_file(tmp_path, fresh=True) != first, "--fresh draws new values"
    assert variants.read_identity_file(tmp_path) != first


def test_a_student_id_survives_fresh_starts(tmp_path):
    variants.write_identity_file(tmp_path, student="23456")
    assert variants.write_identity_file(tmp_path, fresh=True) == "23456"
    assert variants.write_identity_file(tmp_path, student="34567") == "34567"


def test_unreadable_or_empty_identity_file_means_public(tmp_path):
    (tmp_path / IDENTITY_FILE).write_bytes(b"\xff\xfe garbage")
    assert variants.identity_from({}, tmp_path) == PUBLIC
    (tmp_path / IDENTITY_FILE).write_text("# only a comment\n")
    assert variants.identity_from({}, tmp_path) == PUBLIC


def test_values_reproduce_and_differ_between_students():
    a, b = Variant("ex01_antagonism", identity="alice"), Variant("ex01_antagonism", identity="bob")
    assert a.seed("q4") == Variant("ex01_antagonism", identity="alice").seed("q4")
    seeds = {Variant("ex01_antagonism", identity=f"s{i}").seed("q4") for i in range(200)}
    assert len(seeds) == 200, "200 students, 200 different experiments"
    assert a.seed("q4") != b.seed("q4")
    assert a.seed("q4") != a.seed("q5"), "each question has its own stream"
    assert a.seed("q4") != Variant("ex01_antagonism", "k-class", identity="alice").seed("q4"), \
        "another class key, other values"
    assert a.seed("q4") != Variant("ex02_pharmacokinetics", identity="alice").seed("q4")


def test_values_are_pinned_across_versions():
    """A student's numbers must not change with a Python or package update between the day they
    worked and the day they are graded."""
    v = Variant("ex01_antagonism", identity="alice")
    assert (v.seed("q4"), v.integer("q", 1, 100), v.uniform("q", 0.0, 1.0, 3)) == (1165006643, 95, 0.739)


@given(st.text(min_size=1, max_size=20), st.floats(-1e6, 1e6), st.floats(1e-3, 1e6),
       st.integers(1, 6))
def test_draws_stay_in_their_ranges(identity, low, width, digits):
    v = Variant("ex03_disinhibition", identity=identity)
    x = v.uniform("q", low, low + width, digits)
    assert low <= x <= low + width
    y = v.log_uniform("q", width, width * 50, digits)
    assert width <= y <= width * 50
    assert v.choice("q", ("a", "b", "c")) in ("a", "b", "c")


@pytest.mark.parametrize("call, words", [
    (lambda: Variant("exercise one"), "assignment"),
    (lambda: Variant("ex01_antagonism", key=3), "key"),
    (lambda: Variant("ex01_antagonism").seed(""), "question"),
    (lambda: Variant("ex01_antagonism").uniform("q", 2.0, 1.0), "low and high"),
    (lambda: Variant("ex01_antagonism").uniform("q", 0.0, float("nan")), "low and high"),
    (lambda: Variant("ex01_antagonism").log_uniform("q", 0.0, 1.0), "0 < low"),
    (lambda: Variant("ex01_antagonism").choice("q", ()), "options"),
    (lambda: variants.write_identity_file("/tmp", student=" "), "student"),
    (lambda: variants.class_key(""), "secret"),
])
def test_invalid_input_names_the_parameter(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_class_key_hides_the_secret():
    key = variants.class_key("correct horse battery staple")
    assert key.startswith("k") and "horse" not in key
    assert key == variants.class_key("correct horse battery staple") != variants.class_key("other")


def test_every_exercise_draws_variant_values():
    """Issue 18: every exercise has per-student values."""
    assert VARIANT_EXERCISES == exercise_names()


# -- graded through nbgrader ------------------------------------------------------------------------
_INSPECT = """
import json as _json, numbers as _numbers
import numpy as _np
def _plain(v):
    if isinstance(v, (bool, _np.bool_)):
        return None
    if isinstance(v, (_numbers.Integral, _np.integer)):
        return int(v)
    if isinstance(v, (_numbers.Real, _np.number)):
        return float(v)
    if isinstance(v, _np.ndarray) and v.dtype.kind in "iuf" and v.ndim == 1:
        return [float(x) for x in v]
    if isinstance(v, (tuple, list)) and v and all(
            isinstance(x, (_numbers.Real, _np.number)) and not isinstance(x, bool) for x in v):
        return [float(x) for x in v]
    return None
print(_json.dumps({k: _plain(v) for k, v in list(globals().items())
                   if not k.startswith("_") and _plain(v) is not None}))
"""


def _answer_values(assignment: str, identity: str) -> dict[str, dict[str, object]]:
    """{answer cell grade_id: {name: value}} of the solution run as ``identity``: the numbers
    each answer cell binds (or changes), as a student would copy them."""
    return _answer_values_of(assignment, (identity,))[identity]


def _answer_values_of(assignment: str, identities) -> dict[str, dict[str, dict[str, object]]]:
    """:func:`_answer_values` for several identities, in one kernel (the variants module's
    identity is set for each and the namespace emptied between them)."""
    from nbclient import NotebookClient

    nb = nbformat.read(str(solution_notebook(assignment)), as_version=4)
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    client = NotebookClient(probe, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(ROOT)}})
    result: dict[str, dict[str, dict[str, object]]] = {}

    def run(source):
        cell = nbformat.v4.new_code_cell(source)
        client.execute_cell(cell, 0)
        return cell.outputs

    def values():
        out = "".join(o.get("text", "") for o in run(_INSPECT) if o.output_type == "stream")
        return json.loads(out.strip().splitlines()[-1])

    with client.setup_kernel():
        for identity in identities:
            # (the identity is read at import; reloading would run the alias's empty loader)
            run("%reset -f\nimport os as _os\n"
                f"_os.environ[{STUDENT_ENV!r}] = {identity!r}\n"
                f"import naltrexone_lab.tooling.variants as _v\n_v.IDENTITY = {identity!r}")
            found: dict[str, dict[str, object]] = {}
            before = values()
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if cell.cell_type != "code" or meta.get("grade"):
                    continue
                run(cell.source)
                after = values()
                if meta.get("solution"):
                    changed = {k: v for k, v in after.items() if before.get(k) != v}
                    if changed:
                        found[meta["grade_id"]] = changed
                before = after
            result[identity] = found
    return result


def _typed_in(values: dict[str, object]) -> str:
    lines = ["import numpy as np"]
    for name, value in values.items():
        lines.append(f"{name} = np.asarray({value!r})" if isinstance(value, list) else f"{name} = {value!r}")
    return "\n".join(lines)



def test_start_gives_the_copy_its_own_values_and_check_grades_with_them(tmp_path, monkeypatch):
    """``naltrexone-course start`` writes a local identity beside the copy (kept on a second
    start, new with ``--fresh``); ``check`` grades the copy with that identity, which is what the
    learner's kernel in that folder draws its values for."""
    from naltrexone_lab.tooling import selfcheck

    monkeypatch.delenv(STUDENT_ENV, raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    path = selfcheck.start_exercise("ex01_antagonism", tmp_path)
    first = variants.read_identity_file(path.parent)
    assert first and first.startswith("local:")
    assert selfcheck.start_exercise("ex01_antagonism", tmp_path) == path
    assert variants.read_identity_file(path.parent) == first
    seen = {}

    def fake_autograde(nb, assignment, **kwargs):
        seen["identity"] = kwargs.get("variant_identity")
        raise RuntimeError("stop here")

    monkeypatch.setattr(selfcheck, "autograde_notebook", fake_autograde)
    with pytest.raises(RuntimeError, match="stop here"):
        selfcheck.check_notebook(path)
    assert seen["identity"] == first
    selfcheck.start_exercise("ex01_antagonism", tmp_path, fresh=True)
    assert variants.read_identity_file(path.parent) not in (None, first)
    monkeypatch.setenv("JUPYTERHUB_USER", "jdoe")  # on a hub the user name wins, as in the kernel
    with pytest.raises(RuntimeError, match="stop here"):
        selfcheck.check_notebook(path)
    assert seen["identity"] == "jdoe"


def classmates_notebooks(assignment: str, released, solution) -> tuple[nbformat.NotebookNode, set]:
    """Alice's solution with her own results typed in as numbers after the code (the code's
    functions stay, so questions on functions are unaffected), and the answer cells whose
    values differ between alice and bob (at least two are required)."""
    values = _answer_values_of(assignment, ("alice", "bob"))
    alice, bob = values["alice"], values["bob"]
    differing = {gid for gid in alice if alice[gid] != bob.get(gid)}
    assert len(differing) >= 2, f"at least two answers differ between two students; got {differing}"
    sol = nbformat.read(str(solution_notebook(assignment)), as_version=4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in sol.cells}
    typed = {gid: "\n".join(line for line in by_id[gid].source.splitlines()
                            if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
             + "\n" + _typed_in(vals) for gid, vals in alice.items() if gid in differing}
    return fill_in_solutions(released(assignment), solution(assignment), typed), differing
