"""Attacks on the grading, each of which must fail, beside honest work that keeps its exact grade.

Every attack is a submission of ex01 whose question 1 answer is wrong (it always says 0.5) and
whose answer cell then tries to win the points anyway; the other answers are the instructor's.
A batch holds them all with an honest submission, graded in one nbgrader run (the route of
``naltrexone-course check``), and a small class goes through ``naltrexone-course grade``'s route
with the attacks that target the course folder. See naltrexone_lab/tooling/sandbox.py and
guard.py for the defences; docs/instructor-guide.md for what remains possible.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from pathlib import Path

import nbformat
import pytest

from naltrexone_lab.tooling import grading
from naltrexone_lab.tooling.sandbox import grader_evidence, sandbox_problem, suspicious_code

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sandbox_problem() is not None,
                                 reason=f"the grading sandbox cannot run here: {sandbox_problem()}")]

EX = "ex01_antagonism"
WRONG_Q1 = ("def occupancy(conc_nM, kd_nM):\n"
            "    return np.asarray(conc_nM, dtype=float) * 0 + 0.5\n")
# question 5's answer calls question 1's occupancy(), so a wrong question 1 costs both
USES_Q1 = {"q1_tests", "q5_tests"}
# a sentence of question 1's hidden tests, which must never reach a learner's output
HIDDEN_Q1_LINE = "_rng = np.random.default_rng(11)"

ATTACKS = {
    # an IPython input transformer that empties every later cell holding an assert
    "transformer": "get_ipython().input_transformers_post.append(\n"
                   "    lambda lines: ['pass\\n'] if any('assert' in l for l in lines) else lines)\n",
    # an AST transformer that deletes the assertions of the test cells
    "ast": "import ast\n"
           "class _Drop(ast.NodeTransformer):\n"
           "    def visit_Assert(self, node):\n"
           "        return None\n"
           "get_ipython().ast_transformers.append(_Drop())\n",
    # a pre-run hook that shows a string first: nbgrader gives full marks at the first
    # non-numeric result of a test cell, before it looks at the error
    "display_hook": "import base64\n"
                    "_ip = get_ipython()\n"
                    "exec(base64.b64decode(b'X2lwLmV2ZW50cy5yZWdpc3RlcigncHJlX3J1bl9j'\n"
                    "     b'ZWxsJywgbGFtYmRhIGluZm86IF9pcC5kaXNwbGF5aG9vaygncGFzc2VkJykp').decode())\n",
    # numeric helpers the tests use, replaced for everyone
    "monkeypatch": "import builtins, math, sys\n"
                   "math.isclose = lambda *a, **k: True\n"
                   "np.isclose = lambda *a, **k: np.True_\n"
                   "np.allclose = lambda *a, **k: True\n"
                   "builtins.abs = lambda x: 0.0\n"
                   "sys.settrace(lambda *a: None)\n",
    # the names the course's setup cell bound, rebound to fakes
    "rebind": "class _AlwaysClose:\n"
              "    @staticmethod\n"
              "    def isclose(*a, **k):\n"
              "        return True\n"
              "math = _AlwaysClose()\n",
    # the instructor notebook read from disk (any copy anywhere the grader could see: this
    # machine has another checkout in /work/main beside the one CI tests), its solution of
    # question 1 executed
    "read_solutions": "import os, json\n"
                      "for _root in {os.getcwd(), *map(str, __import__('pathlib').Path.cwd().parents),\n"
                      "              os.path.expanduser('~'), '/tmp', '/work', '/srv', '/home'}:\n"
                      "    for _dir, _subdirs, _files in os.walk(_root):\n"
                      "        _skip = ('proc', 'sys', 'usr', '.git')\n"
                      "        _subdirs[:] = [d for d in _subdirs if d not in _skip][:40]\n"
                      "        for _f in _files:\n"
                      "            if _f == 'ex01_antagonism.ipynb':\n"
                      "                try:\n"
                      "                    _nb = json.load(open(os.path.join(_dir, _f)))\n"
                      "                except Exception:\n"
                      "                    continue\n"
                      "                for _c in _nb['cells']:\n"
                      "                    _s = ''.join(_c['source'])\n"
                      "                    if 'BEGIN SOLUTION' in _s and 'def occupancy' in _s:\n"
                      "                        exec(_s, globals())\n",
    # the guard itself switched off: the tests then run without it, and the grader must notice
    "forged_guard": "from ipykernel.ipkernel import IPythonKernel\n"
                    "type(get_ipython().kernel).do_execute = IPythonKernel.do_execute\n"
                    "get_ipython().input_transformers_post.append(\n"
                    "    lambda lines: ['pass\\n'] if any('assert' in l for l in lines) else lines)\n",
}


def _filled(replacements: dict[str, str]):
    release = grading.generate_release(EX, Path(grading._scratch_dir()) / "attack-release")
    released = nbformat.read(str(release / f"{EX}.ipynb"), as_version=4)
    solution = nbformat.read(str(grading.solution_notebook(EX)), as_version=4)
    return grading.fill_in_solutions(released, solution, replacements)


class _Listener:
    """A TCP server on 127.0.0.1 that records whether anything connected."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self):
        self._stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every attack and two honest submissions, graded in one run (10 s per cell)."""
    listener = _Listener()
    marker = tmp_path_factory.mktemp("outside") / "escaped.txt"
    notebooks = {"honest": _filled({})}
    for name, code in ATTACKS.items():
        notebooks[name] = _filled({"q1_occupancy": WRONG_Q1 + code})
    notebooks["network"] = _filled({"q1_occupancy": (
        "import socket\n"
        f"try:\n    socket.create_connection(('127.0.0.1', {listener.port}), timeout=2).sendall(b'x')\n"
        "except OSError:\n    pass\n") + WRONG_Q1})
    # a correct answer that prints a warning on stderr each time it is called
    notebooks["stderr_honest"] = _filled({"q1_occupancy": (
        "import sys, warnings\n"
        "def occupancy(conc_nM, kd_nM):\n"
        "    print('note: computing occupancy', file=sys.stderr)\n"
        "    warnings.warn('a harmless warning')\n"
        "    conc = np.asarray(conc_nM, dtype=float)\n"
        "    return conc / (conc + kd_nM)\n")})
    # a late answer that prints the input history and linecache (the tests' source, if kept)
    solution = nbformat.read(str(grading.solution_notebook(EX)), as_version=4)
    q5 = next(c.source for c in solution.cells
              if c.metadata.get("nbgrader", {}).get("grade_id") == "q5_selectivity")
    notebooks["history"] = _filled({"q5_selectivity": (
        "import linecache\n"
        "print('\\n'.join(In))\n"
        "print('\\n'.join(''.join(v[2]) for v in linecache.cache.values() if len(v) > 2))\n"
        + q5)})
    # what the kernel can read of the machine: root's secrets, servers' sockets, other homes
    notebooks["snoop"] = _filled({"q1_occupancy": WRONG_Q1 + (
        "import os\n"
        "try:\n    open('/etc/shadow').read()\n    print('SNOOP shadow readable')\n"
        "except OSError:\n    print('SNOOP shadow denied')\n"
        "print('SNOOP uid', os.getuid(), 'run', sorted(os.listdir('/run')),\n"
        "      'home', sorted(os.listdir('/home')))\n")})
    # a detached process that would write outside after grading ends
    notebooks["detached"] = _filled({"q1_occupancy": (
        "import subprocess\n"
        f"subprocess.Popen(['sh', '-c', 'sleep 4; echo escaped > {marker}'], start_new_session=True)\n"
        ) + WRONG_Q1})
    # a loop that ignores the interrupt sent at the time limit, in the last answer
    notebooks["sigint"] = _filled({"q5_selectivity": (
        "import signal\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "while True:\n    pass\n")})
    keep = tmp_path_factory.mktemp("graded")
    try:
        reports = grading.autograde_notebooks(notebooks, EX, cell_timeout_s=10, keep_dir=keep,
                                              sandbox="required")
    finally:
        listener.close()
    time.sleep(5)  # the detached process would have written by now
    return {"reports": reports, "keep": keep, "listener": listener, "marker": marker}


def _scores(report) -> dict[str, float]:
    return {q.grade_id: q.score for q in report.questions if q.auto}


@pytest.fixture(scope="module")
def honest_scores(graded):
    scores = _scores(graded["reports"]["honest"])
    assert sum(scores.values()) == graded["reports"]["honest"].auto_max
    return scores


@pytest.mark.parametrize("attack", [*ATTACKS, "network", "detached", "snoop"])
def test_attack_does_not_earn_question_1(graded, honest_scores, attack):
    scores = _scores(graded["reports"][attack])
    assert scores["q1_tests"] == 0, f"{attack}: a wrong answer kept question 1's points"
    # the other questions hold the instructor's answers: they keep their marks, except after
    # an attack on the guard itself, where the grader fails every test it cannot vouch for
    if attack != "forged_guard":
        assert {k: v for k, v in scores.items() if k not in USES_Q1} == \
            {k: v for k, v in honest_scores.items() if k not in USES_Q1}


@pytest.mark.parametrize("attack", ["transformer", "ast", "display_hook", "monkeypatch", "rebind",
                                    "forged_guard"])
def test_tampering_is_reported_with_evidence(graded, attack):
    report = graded["reports"][attack]
    assert any("changed how Python runs" in note for note in report.notes), report.notes
    kept = nbformat.read(str(graded["keep"] / attack / f"{EX}.ipynb"), as_version=4)
    assert grading.restored_before_tests(kept), "no evidence in the autograded notebook"


def test_honest_work_leaves_no_evidence(graded):
    for label in ("honest", "stderr_honest", "history"):
        kept = nbformat.read(str(graded["keep"] / label / f"{EX}.ipynb"), as_version=4)
        assert grading.restored_before_tests(kept) == {}, label
        assert not any("changed how Python runs" in n for n in graded["reports"][label].notes)


def test_warnings_on_stderr_do_not_cost_a_correct_answer(graded, honest_scores):
    assert _scores(graded["reports"]["stderr_honest"]) == honest_scores


def test_no_connection_leaves_the_sandbox(graded):
    assert graded["listener"].connections == 0


def test_the_kernel_sees_no_secrets_sockets_or_other_homes(graded):
    import os

    kept = nbformat.read(str(graded["keep"] / "snoop" / f"{EX}.ipynb"), as_version=4)
    printed = "".join(o.get("text", "") for c in kept.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert "SNOOP uid" in printed  # it ran
    assert "run [] home []" in printed
    if os.geteuid() == 0:  # grading as root: the kernel is nobody, and root's files stay closed
        assert "SNOOP shadow denied" in printed and "SNOOP uid 0 " not in printed


def test_no_process_outlives_its_grading(graded):
    assert not graded["marker"].exists(), "a detached process wrote after grading ended"


def test_input_history_holds_no_test_source(graded, honest_scores):
    kept = nbformat.read(str(graded["keep"] / "history" / f"{EX}.ipynb"), as_version=4)
    printed = json.dumps([c.get("outputs", []) for c in kept.cells if c.cell_type == "code"
                          and c.metadata.get("nbgrader", {}).get("grade_id") == "q5_selectivity"])
    assert "assert " not in printed and HIDDEN_Q1_LINE not in printed
    assert "def occupancy" in printed  # the history was printed: the check above can fail
    assert _scores(graded["reports"]["history"]) == honest_scores


def test_a_cell_ignoring_the_interrupt_keeps_earlier_grades(graded, honest_scores):
    report = graded["reports"]["sigint"]
    scores = _scores(report)
    assert scores["q5_tests"] == 0
    assert {k: v for k, v in scores.items() if k != "q5_tests"} == \
        {k: v for k, v in honest_scores.items() if k != "q5_tests"}
    assert any("did not run" in n and "interrupt" in n for n in report.notes), report.notes


def test_notebook_time_budget_stops_the_run(tmp_path):
    slow = _filled({"q1_occupancy": "import time\ntime.sleep(4)\n" + WRONG_Q1,
                    "q2_gaddum": "import time\ntime.sleep(4)\n"
                                 "def gaddum_occupancy(a, b, ka, kb):\n    return 0.0\n"})
    report = grading.autograde_notebook(slow, EX, cell_timeout_s=30, notebook_budget_s=6,
                                        sandbox="required")
    assert report.auto_score == 0
    assert any("time budget" in n for n in report.notes), report.notes
    assert "NotRun" in next(q.message for q in report.questions if q.grade_id == "q5_tests")



def test_an_endless_loop_in_a_test_is_a_time_out_not_tampering():
    """A function that never returns when a test calls it stops the test at its limit. nbgrader
    answers for the stuck kernel with a reply of its own, which has no guard report; that must
    read as a time-out, not as a disabled guard (an honest mistake was reported to the
    instructor as tampering, audit of 2026-12-07)."""
    looping = _filled({"q2_gaddum": "import time\n"
                                    "def gaddum_occupancy(a, b, ka, kb):\n"
                                    "    while True:\n        time.sleep(0.01)\n"})
    report = grading.autograde_notebook(looping, EX, cell_timeout_s=3, sandbox="required")
    q2 = next(q for q in report.questions if q.grade_id == "q2_tests")
    assert q2.score == 0 and "time limit" in q2.message, q2.message
    assert not any("guard" in n for n in report.notes), report.notes
    assert _scores(report)["q1_tests"] > 0, "the questions before it keep their points"

# -- the class route: `naltrexone-course grade` on a course folder ---------------------------------
COURSE_ATTACK = (
    "import os, pathlib, sqlite3, subprocess\n"
    "_here = pathlib.Path.cwd()\n"
    "for _p in [_here, *_here.parents]:\n"
    "    try:\n"
    "        (_p / 'nbgrader_config.py').write_text('c = get_config()\\n')\n"
    "    except OSError:\n"
    "        pass\n"
    "    if (_p / 'gradebook.db').exists():\n"
    "        try:\n"
    "            _db = sqlite3.connect(str(_p / 'gradebook.db'))\n"
    "            _db.execute('update grade set auto_score = 0')\n"
    "            _db.commit()\n"
    "        except Exception:\n"
    "            pass\n"
    "    for _nb in _p.glob('submitted/*/ex01_antagonism/*.ipynb'):\n"
    "        try:\n"
    "            _nb.write_text('{}')\n"
    "        except OSError:\n"
    "            pass\n"
    "    try:\n"
    "        (_p / 'planted.txt').write_text('x')\n"
    "    except OSError:\n"
    "        pass\n"
)


def test_a_submission_cannot_touch_the_course_or_other_students(tmp_path):
    from corpus import make_course, submit

    from naltrexone_lab.tooling.classroom import grade_class

    course = make_course(tmp_path / "course")
    config_before = (course / "nbgrader_config.py").read_text()
    # alphabetical order: the attacker is graded after the honest students it attacks
    submit(course, "a_honest", _filled({}))
    submit(course, "b_attacker", _filled({"q1_occupancy": COURSE_ATTACK + WRONG_Q1}))
    honest_before = (course / "submitted" / "a_honest" / EX / f"{EX}.ipynb").read_bytes()
    results = {r.student: r for r in grade_class(course, [EX], jobs=1)}
    assert results["a_honest"].status == "graded"
    assert results["a_honest"].score == results["a_honest"].max_score - 4  # 4 manual points
    # question 1's 2 points lost (question 5 takes what the attacker's own occupancy() gives: a
    # mistake is marked once), nobody else's grade touched
    assert results["b_attacker"].score == results["a_honest"].score - 2
    assert (course / "nbgrader_config.py").read_text() == config_before
    assert not (course / "planted.txt").exists()
    assert (course / "submitted" / "a_honest" / EX / f"{EX}.ipynb").read_bytes() == honest_before
    # the instructor is told which submission to read, and why
    assert grader_evidence(course, "a_honest", EX) == []
    evidence = grader_evidence(course, "b_attacker", EX)
    assert any("q1_occupancy uses sqlite3" in e for e in evidence), evidence
    shutil.rmtree(course, ignore_errors=True)


def test_no_solution_or_misconception_answer_looks_suspicious():
    """The scan names code an answer never needs: honest work (every solution cell and every
    wrong answer the course expects) must never be named."""
    import importlib

    answers = []
    for name in grading.exercise_names():
        solution = nbformat.read(str(grading.solution_notebook(name)), as_version=4)
        answers += [c.source for c in solution.cells if c.metadata.get("nbgrader", {}).get("solution")]
        module = importlib.import_module(f"misconceptions.{name}")
        for rounds in module.MISCONCEPTIONS.values():
            answers += [src for _label, cells in rounds for src in cells.values()]
    assert len(answers) > 60
    flagged = {src[:60]: suspicious_code(src) for src in answers if suspicious_code(src)}
    assert flagged == {}


# rebinding a setup name is plain Python (the guard puts it back); every other attack calls
# something an answer never needs
@pytest.mark.parametrize("attack", sorted(set(ATTACKS) - {"rebind"}))
def test_every_attack_is_named_by_the_scan(attack):
    assert suspicious_code(ATTACKS[attack]), attack




@pytest.mark.slow
def test_a_module_only_one_exercise_imports_is_protected_too():
    """The guard preloads scipy.stats only for a notebook whose own cells import it (ex07; it
    costs about 0.9 s a kernel elsewhere). There an answer that replaces ``stats.t`` still gains
    nothing: the module was in the snapshot, so the guard puts ``stats.t`` back before each test
    (without the preload, question 2 lost its points to the bent ``t``)."""
    ex = "ex07_evidence_safety"
    released = nbformat.read(str(grading.course_root() / "exercises" / ex / f"{ex}.ipynb"), as_version=4)
    solution = nbformat.read(str(grading.solution_notebook(ex)), as_version=4)
    answer = next(c.source for c in solution.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == "q1_d")
    bent = answer + ("\n\nclass _T:\n    def ppf(self, *args, **kwargs):\n        return 0.0\n\n\n"
                     "stats.t = _T()  # every critical value 0: every power would come out near 1\n")
    report = grading.autograde_notebook(grading.fill_in_solutions(released, solution, {"q1_d": bent}), ex)
    assert report.auto_score == report.auto_max, [q for q in report.questions if q.score < q.max_score]
    assert any("scipy.stats" in note for note in report.notes), report.notes
