"""The gradebook on a real PostgreSQL server (issue 22): release, two graders grading at once,
formgrader and the LMS export, with ``CourseDirectory.db_url`` pointing at PostgreSQL.

The test starts its own server (Debian's ``postgresql``, which ``.ci/run`` installs) on
127.0.0.1 with a throw-away data folder, and stops it. It skips, saying why, where PostgreSQL
or the ``psycopg`` driver (the ``postgres`` extra) is missing, or where the tests run as root
and there is no ``postgres`` account to run the server as (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import csv
import glob
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from corpus import EX, _solved, released, submit
from helpers import free_port, jupyter_env, start_server, stop_server

from naltrexone_lab.tooling.grading import course_root, nbgrader_command, nbgrader_env

pytestmark = [pytest.mark.slow, pytest.mark.notebook]

USER = "grader"


def _postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on 127.0.0.1 with a database ``gradebook``; its SQLAlchemy URL."""
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[postgres]'): no PostgreSQL test")
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)")
    run_as = None
    if os.geteuid() == 0:
        try:
            run_as = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and no 'postgres' account to run the server as")
    top = Path(tempfile.mkdtemp(prefix="ntx-pg-"))
    top.chmod(0o755)
    data = top / "data"
    data.mkdir(mode=0o700)
    if run_as:
        os.chown(data, run_as.pw_uid, run_as.pw_gid)
    user = {"user": run_as.pw_uid, "group": run_as.pw_gid} if run_as else {}
    subprocess.run([str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
                    "-E", "UTF8"], check=True, capture_output=True, **user)
    port = free_port()
    server = subprocess.Popen(
        [str(bindir / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(port),
         "-k", str(data), "-c", "fsync=off", "-c", "full_page_writes=off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **user)
    try:
        for _ in range(60):
            try:
                with psycopg.connect(f"host=127.0.0.1 port={port} user={USER} dbname=postgres",
                                     autocommit=True, connect_timeout=2) as conn:
                    conn.execute("CREATE DATABASE gradebook")
                break
            except psycopg.OperationalError:
                time.sleep(0.5)
        else:
            raise RuntimeError("PostgreSQL did not accept connections within 30 s")
        yield f"postgresql+psycopg://{USER}@127.0.0.1:{port}/gradebook"
    finally:
        stop_server(server)
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="module")
def course(postgres, tmp_path_factory):
    """ex01 released into a course whose gradebook is the PostgreSQL database."""
    dest = tmp_path_factory.mktemp("pg-course")
    config = (course_root() / "nbgrader_config.py").read_text()
    (dest / "nbgrader_config.py").write_text(config + f"\nc.CourseDirectory.db_url = {postgres!r}\n")
    shutil.copytree(course_root() / "solutions" / EX, dest / "solutions" / EX)
    done = subprocess.run(nbgrader_command(["generate_assignment", EX, "--force", "--log-level=WARN"]),
                          cwd=dest, env=nbgrader_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert not (dest / "gradebook.db").exists(), "nbgrader wrote a SQLite gradebook instead"
    return dest


def _cli(*args, cwd=None):
    return subprocess.Popen([sys.executable, "-m", "naltrexone_lab.tooling.cli", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)


def test_two_graders_grade_at_once_and_formgrader_and_the_export_read_the_same_grades(course,
                                                                                       postgres):
    """Two TAs each grade their own students at the same moment (two processes writing the
    PostgreSQL gradebook); every score lands, formgrader's API lists the submissions with those
    scores, and the Canvas export has one row per student with them."""
    import psycopg

    submit(course, "alice", _solved(course))
    submit(course, "bob", released(course))
    submit(course, "carol", _solved(course, {"q1_occupancy": "def occupancy(conc_nM, kd_nM):\n"
                                                             "    return conc_nM / kd_nM"}))
    submit(course, "dave", _solved(course))
    first = _cli("grade", EX, "--course", str(course), "--jobs", "1",
                 "--student", "alice", "--student", "bob")
    second = _cli("grade", EX, "--course", str(course), "--jobs", "1",
                  "--student", "carol", "--student", "dave")
    outs = [p.communicate(timeout=600) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outs

    url = postgres.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT s.student_id, SUM(g.auto_score) FROM grade g "
            "JOIN submitted_notebook n ON g.notebook_id = n.id "
            "JOIN submitted_assignment s ON n.assignment_id = s.id "
            "GROUP BY s.student_id ORDER BY s.student_id").fetchall()
    scores = {student: float(score) for student, score in rows}
    assert set(scores) == {"alice", "bob", "carol", "dave"}, scores
    assert scores["alice"] == scores["dave"] == 12 and scores["bob"] == 0
    assert 0 < scores["carol"] < 12, "the wrong question 1 lost its points and only those"

    # formgrader, as a grader opens it, on the same database
    port, token = free_port(), "pg-formgrader"
    server = start_server(
        [sys.executable, "-m", "jupyter", "server", f"--port={port}", "--ip=127.0.0.1",
         "--no-browser", "--allow-root", f"--ServerApp.token={token}",
         f"--ServerApp.root_dir={course}"],
        f"http://127.0.0.1:{port}/api/status?token={token}", env=jupyter_env(), cwd=course,
        what="formgrader's Jupyter server")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader/api/submissions/{EX}"
                                    f"?token={token}", timeout=60) as reply:
            listed = json.loads(reply.read())
    finally:
        stop_server(server)
    seen = {s["student"]: s["score"] for s in listed if s.get("autograded")}
    assert seen == scores, listed

    export = _cli("export", EX, "--course", str(course), "--to", "csv", "--out",
                  str(course / "grades.csv"), cwd=course)
    out, err = export.communicate(timeout=300)
    assert export.returncode == 0, out + err
    with (course / "grades.csv").open() as fh:
        table = list(csv.DictReader(fh))
    assert {row["student_id"]: float(row[f"{EX}_score"]) for row in table} == scores, table
    assert {row[f"{EX}_status"] for row in table} == {"manual grading pending"}
