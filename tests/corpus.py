"""A class of submissions for grading tests and the grading benchmark.

:func:`make_course` builds a throw-away nbgrader course from the checkout's configuration and
instructor notebooks; :func:`build_corpus` fills ``submitted/`` with the kinds of notebook a real
class hands in, and returns what grading each one must give.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import nbformat

from naltrexone_lab.tooling.grading import (
    course_root,
    fill_in_solutions,
    nbgrader_command,
    nbgrader_env,
    seed_gradebook,
    solution_notebook,
)

EX = "ex01_antagonism"
NB = f"{EX}.ipynb"


def make_course(dest: Path, assignment: str = EX, *, cell_timeout_s: int = 60) -> Path:
    """A fresh course at ``dest`` with ``assignment`` generated (gradebook filled)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    config = (course_root() / "nbgrader_config.py").read_text()
    (dest / "nbgrader_config.py").write_text(config + f"\nc.Execute.timeout = {int(cell_timeout_s)}\n")
    shutil.copytree(course_root() / "solutions" / assignment, dest / "solutions" / assignment)
    seed_gradebook(dest / "gradebook.db")
    subprocess.run(nbgrader_command(["generate_assignment", assignment, "--force", "--log-level=WARN"]),
                   cwd=dest, env=nbgrader_env(), check=True, capture_output=True)
    (dest / "submitted").mkdir(exist_ok=True)
    return dest


def released(course: Path, assignment: str = EX) -> nbformat.NotebookNode:
    return nbformat.read(str(Path(course) / "exercises" / assignment / f"{assignment}.ipynb"), as_version=4)


def submit(course: Path, student: str, content, *, name: str = NB, assignment: str = EX) -> None:
    folder = Path(course) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if isinstance(content, str):
        target.write_text(content)
    else:
        nbformat.write(content, str(target))


def _solved(course, replacements=None):
    sol = nbformat.read(str(solution_notebook(EX)), as_version=4)
    return fill_in_solutions(released(course), sol, replacements or {})


def build_corpus(course: Path) -> dict[str, tuple[str, float | None]]:
    """Submit one notebook of each kind; return student -> (status, autograded score or None)."""
    rel = released(course)
    expected = {}

    submit(course, "s01_blank", rel)
    expected["s01_blank"] = ("graded", 0.0)

    submit(course, "s02_solved", _solved(course))
    expected["s02_solved"] = ("graded", 12.0)

    partial = _solved(course)
    blank_ids = {c.metadata["nbgrader"]["grade_id"]: c.source for c in rel.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in partial.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in blank_ids and gid not in ("q1_occupancy", "q2_gaddum"):
            cell.source = blank_ids[gid]
    submit(course, "s03_partial", partial)
    expected["s03_partial"] = ("graded", 4.0)

    edited = _solved(course, {"q2_gaddum": "def gaddum_occupancy(a, b, ka, kb):\n    return 0.5"})
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q2_tests":
            cell.source = '"""Check gaddum_occupancy()."""\nassert True'
    submit(course, "s04_tests_edited", edited)
    expected["s04_tests_edited"] = ("graded", 10.0)  # nbgrader restores the real tests

    deleted = _solved(course)
    deleted.cells = [c for c in deleted.cells
                     if c.metadata.get("nbgrader", {}).get("grade_id") != "q3_tests"]
    submit(course, "s05_tests_deleted", deleted)
    expected["s05_tests_deleted"] = ("graded", 10.0)  # the deleted question scores 0

    dup = _solved(course)
    extra = copy.deepcopy([c for c in dup.cells
                           if c.metadata.get("nbgrader", {}).get("grade_id") == "q1_occupancy"][0])
    extra.id = "duplicated-answer"
    dup.cells.insert(3, extra)
    submit(course, "s06_duplicated", dup)
    expected["s06_duplicated"] = ("failed", None)  # nbgrader refuses; the status says why

    submit(course, "s07_infinite_loop", _solved(course, {"q1_occupancy": "while True:\n    pass"}))
    expected["s07_infinite_loop"] = ("timed out", 8.0)  # q1 and q5 (which uses occupancy) lost

    submit(course, "s08_kernel_exits", _solved(course, {"q2_gaddum": "import os\nos._exit(1)"}))
    expected["s08_kernel_exits"] = ("kernel died", None)

    submit(course, "s09_corrupt_json", json.dumps(_solved(course))[:5000])
    expected["s09_corrupt_json"] = ("unreadable", None)

    submit(course, "s10_wrong_name", _solved(course), name="homework.ipynb")
    expected["s10_wrong_name"] = ("missing notebook", None)
    return expected


def many_submissions(course: Path, n: int) -> None:
    """``n`` ordinary submissions: a mix of solved, partly solved and blank notebooks."""
    kinds = [_solved(course), released(course),
             _solved(course, {"q4_schild": "raise NotImplementedError()"})]
    for i in range(n):
        submit(course, f"student{i:03d}", kinds[i % len(kinds)])


# -- attacks: one class holding every kind of hostile or malformed submission -------------------------
#: Markers that appear in a page only if a submission's active content reached it unchanged.
ATTACK_MARKS = ("ntx_attack_script", "ntx_attack_onerror", "ntx_attack_iframe", "ntx_attack_js",
                "ntx_attack_md_script", "ntx_attack_md_link", "ntx_attack_widget", "ntx_attack_svg")

_ACTIVE_CELL = r'''
from IPython.display import display, HTML, Javascript, Markdown
display(HTML("<b>table</b><script>window.ntx_attack_script = 1</script>"
             "<img src=x onerror='window.ntx_attack_onerror = 1'>"
             "<iframe src='javascript:window.ntx_attack_iframe = 1'></iframe>"
             "<svg><script>window.ntx_attack_svg = 1</script></svg>"))
display(Javascript("window.ntx_attack_js = 1"))
display(Markdown("[click](javascript:window.ntx_attack_md_link=1)"))
display({"application/vnd.jupyter.widget-view+json": {"model_id": "ntx_attack_widget",
         "version_major": 2, "version_minor": 0}, "text/plain": "a widget"}, raw=True)
'''
_ACTIVE_MARKDOWN = ("My notes <script>window.ntx_attack_md_script = 1</script> and "
                    "[a link](javascript:window.ntx_attack_md_link=1) "
                    "<img src=x onerror=\"window.ntx_attack_onerror=1\">")
# Answer code that tries to hand the hidden tests out through its outputs: the kernel's input
# history, plainly and in every encoding the feedback scan decodes, and as an exception message.
_LEAK_CELL = r'''
import base64, binascii, codecs, zlib
_history = "\n".join(In) + "\n".join(_ih)
print(In)
print(base64.b64encode(_history.encode()).decode())
print(binascii.hexlify(_history.encode()).decode())
print(codecs.encode(_history, "rot13"))
print(_history[::-1])
print(base64.b64encode(zlib.compress(_history.encode())).decode())
raise RuntimeError(_history)
'''


def _with_cells(nb, *cells, after: str = "q1_tests"):
    """``nb`` with ``cells`` (nbformat cells) inserted after the cell ``after``."""
    index = next(i for i, c in enumerate(nb.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == after)
    nb.cells[index + 1:index + 1] = list(cells)
    return nb


def _raw(nb) -> dict:
    return json.loads(nbformat.writes(nb))


def build_attack_corpus(course: Path) -> dict[str, tuple[str, float | None]]:
    """Submit two honest notebooks beside one of each attack; return student -> (status, score
    or None). Scores None: the attack's own score is not the point (it must just be graded)."""
    import os

    rel = released(course)
    expected = {}
    submit(course, "h01_honest", _solved(course))
    expected["h01_honest"] = ("graded", 12.0)
    partial = _solved(course)
    stubs = {c.metadata["nbgrader"]["grade_id"]: c.source for c in rel.cells
             if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in partial.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in stubs and gid not in ("q1_occupancy", "q2_gaddum"):
            cell.source = stubs[gid]
    submit(course, "h02_honest_partial", partial)
    expected["h02_honest_partial"] = ("graded", 4.0)

    # -- feedback attacks: graded like anyone, but their pages must be inert and clean
    active = _with_cells(_solved(course), nbformat.v4.new_code_cell(_ACTIVE_CELL),
                         nbformat.v4.new_markdown_cell(_ACTIVE_MARKDOWN))
    active.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"ntx_attack_widget": {"model_name": "HTMLModel", "state": {
            "value": "<img src=x onerror=window.ntx_attack_onerror=1>"}}}, "version_major": 2,
        "version_minor": 0}}
    submit(course, "a01_active_content", active)
    expected["a01_active_content"] = ("graded", 12.0)
    leak = _with_cells(_solved(course), nbformat.v4.new_code_cell(_LEAK_CELL), after="q2_tests")
    submit(course, "a02_prints_history", leak)
    expected["a02_prints_history"] = ("graded", 12.0)
    raising = _solved(course, {"q2_gaddum": (
        "def gaddum_occupancy(*args, **kwargs):\n"
        "    raise AssertionError('\\n'.join(In) + '\\n'.join(_ih))")})
    submit(course, "a03_raises_history", raising)
    expected["a03_raises_history"] = ("graded", None)

    # -- malformed files: each its own status and message, never a stopped batch
    def shaped(student, change, status="unreadable"):
        data = _raw(_solved(course))
        change(data)
        submit(course, student, json.dumps(data))
        expected[student] = (status, None)

    def cell_of(data, gid):
        return next(c for c in data["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == gid)

    shaped("f01_nbgrader_null", lambda d: cell_of(d, "q1_occupancy")["metadata"].update(nbgrader=None))
    shaped("f02_grade_id_list", lambda d: cell_of(d, "q1_tests")["metadata"]["nbgrader"].update(
        grade_id=["q1_tests"]))
    shaped("f03_grade_id_number", lambda d: cell_of(d, "q2_tests")["metadata"]["nbgrader"].update(
        grade_id=7))
    shaped("f04_metadata_list", lambda d: cell_of(d, "q3_tenfold").update(metadata=["nbgrader"]))
    shaped("f05_cells_not_list", lambda d: d.update(cells={"0": d["cells"][0]}))

    def bonus(d):
        extra = json.loads(json.dumps(cell_of(d, "q1_tests")))
        extra.update(id="bonus-cell", source="assert True")
        extra["metadata"]["nbgrader"].update(grade_id="bonus_points", points=1000)
        d["cells"].append(extra)
    shaped("f06_bonus_1000_points", bonus, status="failed")

    folder = Path(course) / "submitted" / "f07_notebook_is_folder" / EX
    (folder / NB).mkdir(parents=True)
    (folder / NB / "x.txt").write_text("not a notebook")
    expected["f07_notebook_is_folder"] = ("unreadable", None)
    folder = Path(course) / "submitted" / "f08_symlink_to_classmate" / EX
    folder.mkdir(parents=True)
    os.symlink(Path(course) / "submitted" / "h01_honest" / EX / NB, folder / NB)
    expected["f08_symlink_to_classmate"] = ("unreadable", None)
    submit(course, "f09_symlinked_solutions", _solved(course))
    os.symlink(Path(course) / "solutions" / EX / NB,
               Path(course) / "submitted" / "f09_symlinked_solutions" / EX / "data.ipynb.txt")
    expected["f09_symlinked_solutions"] = ("unreadable", None)
    huge = json.dumps(_raw(_solved(course)))
    submit(course, "f10_huge_file", huge[:-1] + " " * (51 * 1024 * 1024) + "}")
    expected["f10_huge_file"] = ("unreadable", None)
    folder = Path(course) / "submitted" / "f11_not_utf8" / EX
    folder.mkdir(parents=True)
    (folder / NB).write_bytes(nbformat.writes(_solved(course)).replace("occupancy", "occupanc\xff")
                              .encode("latin-1", "replace"))
    expected["f11_not_utf8"] = ("unreadable", None)
    submit(course, "f12_fifo_beside", _solved(course))
    os.mkfifo(Path(course) / "submitted" / "f12_fifo_beside" / EX / "pipe.csv")
    expected["f12_fifo_beside"] = ("unreadable", None)
    return expected


_ATTACK_CLASS: dict = {}


def copy_course(src: Path, dest: Path) -> Path:
    """A copy of a course, links copied as links and named pipes left out."""
    import os
    import stat

    def pipes(folder, names):
        return [n for n in names if stat.S_ISFIFO(os.lstat(os.path.join(folder, n)).st_mode)]

    shutil.copytree(src, dest, symlinks=True, ignore=pipes)
    return dest


def graded_attack_class(tmp_path_factory):
    """The attack corpus in one course, graded once by ``grade_class(jobs=2)`` and given
    feedback once by ``naltrexone-course feedback`` (shared by the attack test files of one
    process): (course, pristine copy, expected, results by student, feedback exit code,
    feedback stderr)."""
    if not _ATTACK_CLASS:
        import contextlib
        import io

        from naltrexone_lab.tooling import cli
        from naltrexone_lab.tooling.classroom import grade_class

        course = make_course(tmp_path_factory.mktemp("attacks") / "course", cell_timeout_s=20)
        expected = build_attack_corpus(course)
        pristine = tmp_path_factory.mktemp("attacks_pristine") / "course"
        copy_course(course, pristine)
        results = {r.student: r for r in grade_class(course, jobs=2)}
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["feedback", EX, "--course", str(course), "--force"])
        _ATTACK_CLASS.update(course=course, pristine=pristine, expected=expected,
                             results=results, feedback_code=code, feedback_err=err.getvalue())
    return _ATTACK_CLASS
