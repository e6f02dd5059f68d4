"""The instructor's private kit (issue 18): ``naltrexone-course instructor-kit``.

A student can read the public hidden tests and write an answer that passes them without being
right. The kit's hidden cases are drawn from the class's secret, so such an answer fails there,
while a correct answer keeps full marks; the kit's variant key gives each student other numbers
than the public course does.
"""

from __future__ import annotations

import json
import re
import stat

import nbformat
import pytest
from helpers import ROOT

from naltrexone_lab.tooling import cli
from naltrexone_lab.tooling.grading import COURSE_ENV, autograde_notebooks, fill_in_solutions
from naltrexone_lab.tooling.kit import CHECK_COURSE_FILE, SECRET_FILE, make_kit, privatise_source
from naltrexone_lab.tooling.markers import region_lines
from naltrexone_lab.tooling.variants import Variant, class_key

EX = "ex01_antagonism"

# Written against the public repository's hidden test of question 1: the wrong Hill coefficient
# (it passes the visible cases), plus the public hidden cases' answers read off the test's seed.
HARD_CODED_PUBLIC_CASES = {"q1_occupancy": """
_r = np.random.default_rng(11)
_pc, _pk = 10 ** _r.uniform(-3, 3, 50), 10 ** _r.uniform(-2, 2, 50)
def occupancy(conc_nM, kd_nM):
    c, k = np.asarray(conc_nM, dtype=float), np.asarray(kd_nM, dtype=float)
    if c.shape == _pc.shape and np.allclose(c, _pc) and np.allclose(k, _pk):
        return _pc / (_pc + _pk)
    return c ** 2 / (c ** 2 + k ** 2)
"""}


def _sources(path) -> list[str]:
    return [c.source for c in nbformat.read(str(path), as_version=4).cells]


def _text(folder) -> str:
    return "\n".join(s for p in sorted(folder.rglob("*.ipynb")) for s in _sources(p))


def test_privatise_changes_hidden_seeds_and_variant_keys_only():
    source = ("_rng = np.random.default_rng(5)\nv = Variant(\"ex01_antagonism\")\n"
              "### BEGIN HIDDEN TESTS\n_rng = np.random.default_rng(11)\n### END HIDDEN TESTS\n")
    out, n = privatise_source(source, secret="s3cret", assignment=EX, cell="q1_tests")
    assert n == 1
    lines = out.splitlines()
    assert lines[0] == "_rng = np.random.default_rng(5)", "a visible seed stays"
    assert lines[1] == f'v = Variant("ex01_antagonism", key="{class_key("s3cret")}")'
    assert lines[3] != "_rng = np.random.default_rng(11)" and "default_rng(" in lines[3]
    again, _ = privatise_source(source, secret="s3cret", assignment=EX, cell="q1_tests")
    other, _ = privatise_source(source, secret="other", assignment=EX, cell="q1_tests")
    assert again == out != other, "the same secret gives the same kit, another secret another"
    assert out.endswith("### END HIDDEN TESTS\n")


@pytest.mark.parametrize("kwargs, words", [
    ({"course_id": "has space"}, "course_id"),
    ({"course_id": "ok", "exercises": ["ex99_nothing"]}, "exercises"),
])
def test_kit_refuses_bad_input(tmp_path, kwargs, words):
    with pytest.raises(ValueError, match=words):
        make_kit(tmp_path / "kit", generate=False, **kwargs)


def test_kit_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="new or empty"):
        make_kit(tmp_path, course_id="pharm301", generate=False)


def test_kit_files_keep_the_secret_to_its_owner(tmp_path):
    kit = make_kit(tmp_path / "kit", course_id="pharm301", exercises=[EX], secret="s3cret",
                   generate=False)
    folder = kit["path"]
    assert stat.S_IMODE((folder / SECRET_FILE).stat().st_mode) == 0o600
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert "c.CourseDirectory.course_id = 'pharm301'" in (folder / "nbgrader_config.py").read_text()
    text = (folder / "solutions" / EX / f"{EX}.ipynb").read_text()
    assert "s3cret" not in text and kit["key"] in text
    assert kit["hidden_seeds"] >= 3, "ex01's three seeded hidden tests are redrawn"


def test_every_exercise_gets_the_class_key_in_every_variant(tmp_path):
    """A Variant call the kit missed would make the hidden tests expect other values than the
    student's notebook drew, and grade every student wrong."""
    kit = make_kit(tmp_path / "kit", course_id="pharm301", secret="s3cret", generate=False)
    for path in sorted((kit["path"] / "solutions").glob("*/*.ipynb")):
        calls = 0
        for cell in nbformat.read(str(path), as_version=4).cells:
            for call in re.findall(r"Variant\([^)]*\)", cell.source):
                calls += 1
                assert f'key="{kit["key"]}"' in call, f"{path.name}: {call}"
        assert calls >= 3, f"{path.name}: a setup cell and two hidden tests draw variants"


def test_kit_refuses_a_variant_it_cannot_key(tmp_path, monkeypatch):
    from naltrexone_lab.tooling import kit as kit_module

    monkeypatch.setattr(kit_module, "privatise_source",
                        lambda source, **_: ('name = "ex01_antagonism"\nv = Variant(name)\n', 0))
    with pytest.raises(ValueError, match="cannot give a key"):
        make_kit(tmp_path / "kit", course_id="pharm301", exercises=[EX], generate=False)
    assert not (tmp_path / "kit" / "solutions").exists(), "no half-made kit is left to grade with"


@pytest.mark.slow
def test_kit_grades_correct_work_fully_and_catches_answers_written_for_the_public_tests(
        tmp_path, monkeypatch, capsys, released, solution):
    code = cli.main(["instructor-kit", str(tmp_path / "kit"), "--course-id", "pharm301",
                     "--exercise", EX])
    assert code == 0, capsys.readouterr().err
    kit = tmp_path / "kit"
    cheat = fill_in_solutions(released(EX), solution(EX), HARD_CODED_PUBLIC_CASES)
    public = autograde_notebooks({"cheat": cheat}, EX)["cheat"]
    assert public.score_of("q1_tests") == 2, "the public hidden tests are fooled (the threat)"

    kit_released = nbformat.read(str(kit / "exercises" / EX / f"{EX}.ipynb"), as_version=4)
    kit_solution = nbformat.read(str(kit / "solutions" / EX / f"{EX}.ipynb"), as_version=4)
    assert "key=" in kit_released.cells[1].source, "the student version carries the class key"
    monkeypatch.setenv(COURSE_ENV, str(kit))
    reports = autograde_notebooks({
        "honest": fill_in_solutions(kit_released, kit_solution),
        "cheat": fill_in_solutions(kit_released, kit_solution, HARD_CODED_PUBLIC_CASES),
    }, EX)
    honest, cheat_here = reports["honest"], reports["cheat"]
    assert honest.auto_score == honest.auto_max, [q for q in honest.questions if q.score < q.max_score]
    assert cheat_here.score_of("q1_tests") == 0, "the kit's hidden cases catch it"
    assert Variant(EX, identity="honest").seed("q4") != Variant(
        EX, class_key((kit / SECRET_FILE).read_text().strip()), identity="honest").seed("q4"), \
        "the class key gives the student other numbers than the public course"

    # the kit's students' self-check course (issue 22): the class's key, the public hidden
    # cases, no answers. A student's check there gives their right work full marks, and, since
    # its hidden cases are the public ones, cannot tell the cheat from it; the kit's grade can.
    check = kit / "student-check"
    key = class_key((kit / SECRET_FILE).read_text().strip())
    assert json.loads((check / CHECK_COURSE_FILE).read_text())["key"] == key
    assert _sources(check / "exercises" / EX / f"{EX}.ipynb") == _sources(
        kit / "exercises" / EX / f"{EX}.ipynb")
    secret_seeds = set(re.findall(r"default_rng\((\d+)\)", _text(kit / "solutions" / EX))) - set(
        re.findall(r"default_rng\((\d+)\)", _text(ROOT / "solutions" / EX)))
    assert secret_seeds and not [s for s in secret_seeds
                                 if f"default_rng({s})" in _text(check / "solutions" / EX)]
    assert not (check / SECRET_FILE).exists()
    inside = {line.strip() for line in region_lines(_text(check), "BEGIN SOLUTION", "END SOLUTION")}
    assert inside == {"# YOUR CODE HERE", 'raise NotImplementedError("replace this line with your answer")'}
    monkeypatch.setenv(COURSE_ENV, str(check))
    checked = autograde_notebooks({
        "honest": fill_in_solutions(kit_released, kit_solution),
        "cheat": fill_in_solutions(kit_released, kit_solution, HARD_CODED_PUBLIC_CASES),
    }, EX)
    assert checked["honest"].auto_score == checked["honest"].auto_max
    assert checked["cheat"].score_of("q1_tests") == 2


@pytest.mark.slow
def test_a_class_run_from_the_kit_end_to_end(tmp_path, monkeypatch, capsys):
    """Issue 18's "done when": every student has their own numbers, grades are computed against
    the kit's key by `naltrexone-course grade` and by plain `nbgrader autograde` alike, and the
    report shows who lost what."""
    import csv
    import shutil
    import subprocess

    from test_variants import _answer_values, _typed_in

    from naltrexone_lab.tooling.classroom import grade_class
    from naltrexone_lab.tooling.grading import nbgrader_command, nbgrader_env
    from naltrexone_lab.tooling.report import write_report

    kit = make_kit(tmp_path / "kit", course_id="pharm301", exercises=[EX])["path"]
    monkeypatch.setenv(COURSE_ENV, str(kit))
    rel = nbformat.read(str(kit / "exercises" / EX / f"{EX}.ipynb"), as_version=4)
    sol = nbformat.read(str(kit / "solutions" / EX / f"{EX}.ipynb"), as_version=4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in sol.cells}
    bobs = _answer_values(EX, "bob")  # the kit's solution as bob's kernel runs it
    typed = {gid: "\n".join(line for line in by_id[gid].source.splitlines()
                            if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
             + "\n" + _typed_in(vals) for gid, vals in bobs.items()
             if gid in ("q4_schild", "q5_selectivity")}
    notebooks = {"alice": fill_in_solutions(rel, sol),           # her own code
                 "bob": fill_in_solutions(rel, sol, typed),      # his own numbers typed in
                 "carol": fill_in_solutions(rel, sol, typed)}    # bob's numbers, copied
    for student, nb in notebooks.items():
        folder = kit / "submitted" / student / EX
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{EX}.ipynb"))
    pristine = tmp_path / "pristine"
    shutil.copytree(kit, pristine)
    results = {r.student: r for r in grade_class(kit, [EX], jobs=2)}
    assert results["alice"].score == 12.0 and results["bob"].score == 12.0, results
    assert results["carol"].score <= 12.0 - 3, "copied numbers lose questions 4b and 5"

    subprocess.run(nbgrader_command(["autograde", EX, "--log-level=WARN"]), cwd=pristine,
                   env=nbgrader_env(), check=True, capture_output=True)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{pristine / 'gradebook.db'}") as gb:
        for student, r in results.items():
            assert gb.find_submission(EX, student).score == r.score, student

    _, table, _ = write_report(kit, EX, tmp_path / "report")
    rows = list(csv.DictReader(table.open()))
    q5 = [r for r in rows if r["kind"] == "check" and r["grade_id"] == "q5_tests"]
    assert sum(int(r["check_students"]) for r in q5) == 1, "carol, and only carol, lost question 5"
