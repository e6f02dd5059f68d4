"""Issue 24, one bad file never stops a batch: a class holding every malformed shape and file
trick beside honest work is graded once; each bad submission gets its own status and message,
and the honest students keep their exact grades (checked against plain nbgrader as well)."""

from __future__ import annotations

import json
import shutil
import subprocess

import nbformat
import pytest
from corpus import EX, NB, _solved, copy_course, graded_attack_class, make_course, submit

from naltrexone_lab.tooling import cli
from naltrexone_lab.tooling.classroom import STATUSES, find_submissions
from naltrexone_lab.tooling.grading import nbgrader_command, nbgrader_env, solution_notebook
from naltrexone_lab.tooling.integrity import check_class

pytestmark = pytest.mark.slow

# what each status message must say (so the instructor knows what to fix)
MESSAGES = {
    "f01_nbgrader_null": "nbgrader metadata is null, not an object",
    "f02_grade_id_list": "grade_id is a list, not a name",
    "f03_grade_id_number": "grade_id is a number, not a name",
    "f04_metadata_list": "its metadata is a list, not an object",
    "f05_cells_not_list": "its cells are an object, not a list",
    "f06_bonus_1000_points": "worth 1000 points but the assignment has no such cell",
    "f07_notebook_is_folder": f"{NB} is a folder, not a notebook",
    "f08_symlink_to_classmate": f"{NB} is a symbolic link to a file outside the submission",
    "f09_symlinked_solutions": "data.ipynb.txt is a symbolic link to a file outside the submission",
    "f10_huge_file": "files over 50 MB are not graded",
    "f11_not_utf8": "is not UTF-8 text",
    "f12_fifo_beside": "pipe.csv is not a regular file",
}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    return graded_attack_class(tmp_path_factory)


def test_every_bad_file_gets_its_own_status_and_honest_grades_are_exact(attacked):
    expected, results = attacked["expected"], attacked["results"]
    assert set(results) == set(expected), "a submission went missing from the batch"
    for student, (status, score) in expected.items():
        r = results[student]
        assert r.status in STATUSES
        assert r.status == status, (student, r.status, r.message)
        if score is not None:
            assert r.score == score, (student, r.score, r.message)
        if student in MESSAGES:
            assert MESSAGES[student] in r.message, (student, r.message)
            assert "\n" not in r.message and "Traceback" not in r.message


def test_the_bonus_cell_earns_nothing_anywhere(attacked):
    """nbgrader itself refuses a notebook with an unknown graded cell (it forgets the grade_id,
    then fails validation): the 1000 points never reach the gradebook by any route."""
    from nbgrader.api import Gradebook, MissingEntry

    course = attacked["course"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert {c.name for c in gb.find_notebook(EX, EX).grade_cells} >= {"q1_tests"}
        assert "bonus_points" not in {c.name for c in gb.find_notebook(EX, EX).grade_cells}
        with pytest.raises(MissingEntry):
            gb.find_submission(EX, "f06_bonus_1000_points")
        assert gb.find_submission(EX, "h01_honest").max_score == 16.0


def test_plain_nbgrader_gives_the_honest_students_the_same_grades(attacked, tmp_path):
    """Plain `nbgrader autograde` on the honest work (and on the bonus-cell notebook, to see what
    nbgrader makes of it) in a copy of the course as it was before grading."""
    course = tmp_path / "plain"
    copy_course(attacked["pristine"], course)
    keep = {"h01_honest", "h02_honest_partial", "f06_bonus_1000_points"}
    for folder in (course / "submitted").iterdir():
        if folder.name not in keep:
            shutil.rmtree(folder)
    proc = subprocess.run(nbgrader_command(["autograde", EX, "--log-level=WARN"]), cwd=course,
                          env=nbgrader_env(), capture_output=True, text=True)
    assert "metadata may be corrupted" in proc.stderr or "does not exist in the database" in proc.stderr
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in ("h01_honest", "h02_honest_partial"):
            assert gb.find_submission(EX, student).score == attacked["results"][student].score
        try:
            bonus = gb.find_submission(EX, "f06_bonus_1000_points").score
        except MissingEntry:
            bonus = None
        assert bonus is None or bonus <= 12.0, "nbgrader gave the bonus cell's points"


def test_integrity_reads_no_bad_file_and_stops_at_none(attacked):
    course = attacked["course"]
    findings = check_class(course, find_submissions(course))
    unreadable = {"f01_nbgrader_null", "f02_grade_id_list", "f03_grade_id_number", "f04_metadata_list",
                  "f05_cells_not_list", "f07_notebook_is_folder", "f08_symlink_to_classmate",
                  "f10_huge_file", "f11_not_utf8"}
    assert not [f for f in findings if f.student in unreadable], "evidence read from a bad file"
    # the classmate's notebook behind f08's link was not read as f08's: only h01 and its twins
    assert all(f.student != "f08_symlink_to_classmate" for f in findings)


def test_grade_prints_each_status_and_exits_0(attacked, capsys):
    assert cli.main(["grade", "--course", str(attacked["course"])]) == 0
    out = capsys.readouterr().out
    assert "f04_metadata_list ex01_antagonism: unreadable" in out
    assert "h01_honest" in out and "12/16" in out


def test_a_linked_student_folder_is_reported_not_followed(tmp_path):
    """Needs no grading: the status is decided before nbgrader runs."""
    from naltrexone_lab.tooling.classroom import _precheck

    course = make_course(tmp_path / "course")
    submit(course, "honest", _solved(course))
    (course / "submitted" / "linked").symlink_to(course / "submitted" / "honest")
    pairs = find_submissions(course)
    assert ("honest", EX) in pairs and any(s == "linked" for s, _ in pairs)
    for student, assignment in pairs:
        r = _precheck(course, student, assignment)
        if student == "linked":
            assert r.status == "unreadable" and "symbolic link" in r.message
        else:
            assert r is None


BAD_FOR_CHECK = {
    "nbgrader_null.ipynb": ("q1_occupancy", lambda c: c["metadata"].update(nbgrader=None),
                            "nbgrader metadata is null, not an object"),
    "grade_id_list.ipynb": ("q1_tests", lambda c: c["metadata"]["nbgrader"].update(grade_id=["x"]),
                            "grade_id is a list, not a name"),
    "metadata_list.ipynb": ("q3_tenfold", lambda c: c.update(metadata=[]),
                            "its metadata is a list, not an object"),
}


def test_check_gives_one_clear_line_for_every_bad_shape(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NALTREXONE_COURSE_HOME", str(tmp_path / "home"))
    solved = json.loads(nbformat.writes(nbformat.read(str(solution_notebook(EX)), as_version=4)))
    cases = {}
    for name, (gid, change, message) in BAD_FOR_CHECK.items():
        data = json.loads(json.dumps(solved))
        change(next(c for c in data["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == gid))
        (tmp_path / name).write_text(json.dumps(data))
        cases[name] = message
    data = json.loads(json.dumps(solved))
    data["cells"] = {"a": 1}
    (tmp_path / "cells_dict.ipynb").write_text(json.dumps(data))
    cases["cells_dict.ipynb"] = "its cells are an object, not a list"
    data = json.loads(json.dumps(solved))
    extra = json.loads(json.dumps(next(c for c in data["cells"]
                                       if c["metadata"].get("nbgrader", {}).get("grade"))))
    extra["id"] = "bonus"
    extra["metadata"]["nbgrader"].update(grade_id="bonus", points=1000)
    data["cells"].append(extra)
    (tmp_path / "bonus.ipynb").write_text(json.dumps(data))
    cases["bonus.ipynb"] = "worth 1000 points but the assignment has no such cell"
    (tmp_path / "latin1.ipynb").write_bytes(json.dumps(solved).encode() + b"\xff")
    cases["latin1.ipynb"] = "it is not a text file"
    (tmp_path / "folder.ipynb").mkdir()
    cases["folder.ipynb"] = "is a folder"
    with open(tmp_path / "huge.ipynb", "wb") as fh:
        fh.truncate(51 * 1024 * 1024)
    cases["huge.ipynb"] = "notebooks over 50 MB are not graded"
    import os

    os.mkfifo(tmp_path / "pipe.ipynb")
    cases["pipe.ipynb"] = "is not a regular file"
    for name, message in cases.items():
        code = cli.main(["check", str(tmp_path / name), "--no-record"])
        out = capsys.readouterr()
        assert code == 2, (name, out.err)
        assert message in out.err, (name, out.err)
        assert out.err.count("\n") == 1 and "Traceback" not in out.err + out.out, (name, out.err)
