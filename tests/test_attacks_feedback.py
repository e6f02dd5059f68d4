"""Issue 24, feedback and reports are inert and clean. First the feedback preprocessor, the
decoders and the self-check report on single cells and messages (fast); then one class of attack
submissions graded once, whose pages from `naltrexone-course feedback` and plain `nbgrader
generate_feedback` must run nothing and show no instructor-only text while the honest students'
pages and grades stay as they were."""

from __future__ import annotations

import base64
import binascii
import bz2
import codecs
import gzip
import html
import json
import re
import shutil
import subprocess
import zlib
from html.parser import HTMLParser

import nbformat
import pytest
from corpus import ATTACK_MARKS, EX, copy_course, graded_attack_class

from naltrexone_lab.tooling import cli
from naltrexone_lab.tooling.classroom_feedback import (
    hidden_lines,
    instructor_only_fragments,
    page_leaks,
    students_own_text,
)
from naltrexone_lab.tooling.feedback import (
    HideHiddenTests,
    active_content,
    inert_html,
    inert_markdown,
    make_cell_inert,
    reproduced,
)
from naltrexone_lab.tooling.grading import (
    GradeReport,
    QuestionResult,
    nbgrader_command,
    nbgrader_env,
    solution_notebook,
)
from naltrexone_lab.tooling.selfcheck import CheckResult, scrub_report, write_html_report

SOLUTION = nbformat.read(str(solution_notebook(EX)), as_version=4)
TEST_CELLS = [c for c in SOLUTION.cells if c.metadata.get("nbgrader", {}).get("grade")
              and c.cell_type == "code"]
# what a kernel's input history holds once the tests have run: the test cells, hidden part too
HISTORY = "\n".join(c.source for c in TEST_CELLS)
SOLUTION_TEXT = "\n".join(c.source for c in SOLUTION.cells if c.metadata.get("nbgrader", {}).get("solution"))


def _encodings(text: str) -> dict[str, str]:
    raw = text.encode()
    return {
        "plain": text,
        "repr of In": repr(["", *text.split("\n")]),
        "spaced letters": " ".join(text),
        "base64": base64.b64encode(raw).decode(),
        "base64 wrapped": base64.encodebytes(raw).decode(),
        "urlsafe base64, no padding": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "base32": base64.b32encode(raw).decode(),
        "hex": binascii.hexlify(raw).decode(),
        "hex with spaces": raw.hex(" "),
        "rot13": codecs.encode(text, "rot13"),
        "reversed": text[::-1],
        "zlib+base64": base64.b64encode(zlib.compress(raw)).decode(),
        "gzip+base64": base64.b64encode(gzip.compress(raw)).decode(),
        "bz2+hex": bz2.compress(raw).hex(),
        "repr of zlib bytes": repr(zlib.compress(raw)),
        "reversed base64": base64.b64encode(raw).decode()[::-1],
        "base64 of rot13": base64.b64encode(codecs.encode(text, "rot13").encode()).decode(),
    }


def _test_cell(output):
    cell = nbformat.v4.new_code_cell(TEST_CELLS[1].source, outputs=[output])
    cell.metadata["nbgrader"] = dict(TEST_CELLS[1].metadata["nbgrader"])
    return cell


def _preprocessed(cells, resources=None):
    nb = nbformat.v4.new_notebook(cells=[*TEST_CELLS[:1], *cells])
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    return HideHiddenTests().preprocess(nb, resources or {})[0]


# -- removal of hidden-test and solution text, however encoded ---------------------------------------
@pytest.mark.parametrize("encoding", list(_encodings("x")))
def test_an_output_reproducing_the_tests_is_withheld_in_any_encoding(encoding):
    leaked = _encodings(HISTORY)[encoding]
    printed = nbformat.v4.new_output("stream", name="stdout", text=f"here you go:\n{leaked}\n")
    shown = nbformat.v4.new_output("display_data",
                                   data={"text/plain": leaked, "text/html": f"<pre>{leaked}</pre>"})
    nb = _preprocessed([_test_cell(printed), _test_cell(shown)])
    for cell in nb.cells[1:]:
        (out,) = cell.outputs
        assert out.output_type == "stream" and "not shown: it reproduced the hidden tests" in out.text
    fragments = {f: k for f, k in instructor_only_fragments(solution_notebook(EX)).items()}
    page = "\n".join(json.dumps(c) for c in nb.cells)
    assert page_leaks(page, fragments) == [], encoding


def test_an_exception_carrying_the_tests_keeps_its_name_but_not_its_message():
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue=HISTORY,
                                   traceback=["Traceback", HISTORY])
    nb = _preprocessed([_test_cell(error)])
    cell = nb.cells[1]
    assert cell.outputs[0].ename == "AssertionError"
    assert "message not shown" in cell.outputs[0].evalue
    assert "message not shown" in cell.source and "\n" not in cell.source.splitlines()[-1]
    assert page_leaks(json.dumps(cell), instructor_only_fragments(solution_notebook(EX))) == []


def test_solution_code_from_the_course_is_withheld_too(tmp_path):
    """The course's solutions/ copy is read through the configuration, as nbgrader runs it."""
    from traitlets.config import Config

    (tmp_path / "solutions" / EX).mkdir(parents=True)
    shutil.copy(solution_notebook(EX), tmp_path / "solutions" / EX / f"{EX}.ipynb")
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    config.CourseDirectory.source_directory = "solutions"
    out = nbformat.v4.new_output("stream", name="stdout",
                                 text=base64.b64encode(SOLUTION_TEXT.encode()).decode())
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(secret)", outputs=[out])])
    resources = {"nbgrader": {"assignment": EX, "notebook": EX, "student": "s"}}
    done = HideHiddenTests(config=config).preprocess(nb, resources)[0]
    assert "not shown: it reproduced" in done.cells[0].outputs[0].text


def test_honest_outputs_are_left_alone():
    honest = [
        nbformat.v4.new_output("stream", name="stdout", text="occupancy at 10 nM: 0.909\n"),
        nbformat.v4.new_output("stream", name="stderr", text="RuntimeWarning: divide by zero\n"),
        nbformat.v4.new_output("execute_result", data={
            "text/plain": "0.5", "text/html": "<table><tr><th style=\"text-align: right\">x</th>"
                                              "<td>0.5</td></tr></table>"}, execution_count=3),
        nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(b"\x89PNG....").decode(),
                                                     "text/plain": "<Figure>"}),
    ]
    cell = nbformat.v4.new_code_cell("print(occupancy(10, 1))", outputs=json.loads(json.dumps(honest)))
    nb = _preprocessed([cell])
    assert [dict(o) for o in nb.cells[1].outputs] == [dict(o) for o in honest]


def test_the_self_check_report_and_messages_withhold_the_tests(tmp_path):
    encoded = base64.b64encode(zlib.compress(HISTORY.encode())).decode()
    report = GradeReport(EX, (QuestionResult("q1_tests", 0.0, 2.0, True, f"AssertionError: {HISTORY}"),
                              QuestionResult("q2_tests", 0.0, 2.0, True, f"ValueError: {encoded}"),
                              QuestionResult("q3_tests", 0.0, 2.0, True,
                                             "AssertionError: occupancy(1, 1) must be 0.5"),
                              QuestionResult("q4_tests", 0.0, 2.0, True,
                                             "ValueError: <script>alert('ntx_attack_script')</script>")),
                         notes=(HISTORY[::-1],))
    clean = scrub_report(report)
    assert clean.questions[0].message.startswith("AssertionError: (message not shown")
    assert clean.questions[1].message.startswith("ValueError: (message not shown")
    assert clean.questions[2].message == report.questions[2].message, "an honest message changed"
    assert "not shown" in clean.notes[0]
    page = write_html_report(CheckResult(tmp_path / "x.ipynb", report, {}), tmp_path / "r.html").read_text()
    assert page_leaks(page, instructor_only_fragments(solution_notebook(EX))) == []
    assert "<script>alert" not in page and "&lt;script&gt;" in page


# -- inert pages ---------------------------------------------------------------------------------------
ACTIVE_HTML = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//evil.org></iframe>",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>", "<svg onload=alert(1)>", "<object data=x.swf>",
    "<embed src=x>", "<form action=//evil.org><button>go</button></form>",
    "<a href=\"data:text/html,x\">x</a>",
    "<img src=x onerror=alert(1)//", "<scr<script>ipt>alert(1)</script>", "<math><mtext></mtext></math>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>", "<base href=//evil.org/>",
    "<meta http-equiv=refresh content='0;url=//evil.org'>", "<style>@import url(//evil.org/x.css)</style>",
]


@pytest.mark.parametrize("markup", ACTIVE_HTML)
def test_active_html_is_found_and_made_inert(markup):
    assert active_content(markup), markup
    cleaned, reasons = inert_html(markup)
    assert reasons and not active_content(cleaned.replace("<p><em>", "").replace("</em></p>", ""))


@pytest.mark.parametrize("source", [
    "Notes <script>alert(1)</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
    "$\\href{javascript:alert(1)}{click}$", "![pic](attachment:missing.png)",
])
def test_active_markdown_is_shown_as_text(source):
    out, reasons = inert_markdown(source)
    assert reasons and "shown as text" in out and f"\n{source}\n" in out
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    rendered = markdown2html_mistune(out)
    assert not _active(rendered) and "<script" not in rendered and "<img" not in rendered


def test_honest_markdown_and_html_are_unchanged():
    for source in ["# Question 6\n\nThe **Schild** slope is 1 (see <sub>2</sub>); a < b & c.",
                   "[the label](https://example.org/x) and `<b>` in code", "> a quote\n\n$K_B$",
                   "- [ ] a task list\n- [x] ticked", "<details><summary>more</summary>x<br>y</details>",
                   "<!-- a note to myself -->\n| a | b |\n|---|---|\n| 1 | 2 |"]:
        assert inert_markdown(source) == (source, [])
    table = ("<table class=\"dataframe\"><thead><tr><th>a</th></tr></thead>"
             "<tbody><tr><td>1</td></tr></tbody></table>")
    assert inert_html(table) == (table, [])


def test_widgets_scripts_and_unsafe_metadata_are_dropped():
    cell = nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(1)"}),
        nbformat.v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/plain": "w"},
            metadata={"text/html": {"isolated": True}}),
        nbformat.v4.new_output("display_data", data={"image/png": "x\" onerror=\"alert(1)"}),
    ])
    cell.metadata["nbgrader"] = {"grade_id": "\"><script>alert(1)</script>", "comment": "<script>x</script>"}
    make_cell_inert(cell)
    assert all(set(o.data) == {"text/plain"} for o in cell.outputs), [o.data for o in cell.outputs]
    assert cell.metadata["nbgrader"]["grade_id"] == "cell"
    assert "shown as text" in cell.metadata["nbgrader"]["comment"]
    assert all(o.metadata == {} for o in cell.outputs)


# -- one class of attacks, graded once -------------------------------------------------------------------
class _Active(HTMLParser):
    """Scripts, event handlers, frames and non-web links of a page."""

    def __init__(self):
        super().__init__()
        self.found, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "object", "embed", "frame"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or re.match(r"\s*(javascript|vbscript|data:text)", value or "", re.I):
                self.found.append(f"{tag} {name}={value}")
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"script {data.strip()[:80]}")


def _active(page: str) -> set[str]:
    p = _Active()
    p.feed(page)
    return set(p.found)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    pytest.importorskip("nbgrader")
    return graded_attack_class(tmp_path_factory)


def _page(course, student):
    return (course / "feedback" / student / EX / f"{EX}.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_feedback_writes_every_page_and_withholds_none(attacked):
    assert attacked["feedback_code"] == 0, attacked["feedback_err"]
    course = attacked["course"]
    graded = [s for s, r in attacked["results"].items() if r.status == "graded"]
    assert {p.parent.parent.name for p in (course / "feedback").glob(f"*/{EX}/*.html")} == set(graded)


@pytest.mark.slow
def test_attack_pages_run_nothing_the_honest_page_does_not(attacked):
    """The template's own inline scripts are on every page; a submission adds none. Formulas are
    MathML written into the page (issue 21): no page loads a script from anywhere."""
    course = attacked["course"]
    honest = _page(course, "h01_honest")
    assert honest.count("<math") >= 5, "the exercise's formulas are not MathML"
    baseline = _active(honest)
    for student in ("a01_active_content", "a02_prints_history", "a03_raises_history"):
        page = _page(course, student)
        assert _active(page) <= baseline, (student, _active(page) - baseline)
        for mark in ATTACK_MARKS:
            assert not re.search(rf"<script[^>]*>[^<]*{mark}", page), (student, mark)
        assert not re.search(r"<script[^>]*application/vnd\.jupyter\.widget", page), student
        assert not re.search(r"<script[^>]+src=", page), student
    a01 = _page(course, "a01_active_content")
    assert "Active content" in a01 and "shown as text" in a01, "the page does not say what it removed"


@pytest.mark.slow
def test_pages_show_no_hidden_or_solution_text_plain_or_encoded(attacked):
    course = attacked["course"]
    fragments = instructor_only_fragments(solution_notebook(EX), course / "exercises" / EX / f"{EX}.ipynb")
    secret = hidden_lines(solution_notebook(EX))
    for page_path in sorted((course / "feedback").glob(f"*/{EX}/*.html")):
        page = page_path.read_text(encoding="utf-8")
        own = students_own_text(course / "submitted" / page_path.parent.parent.name / EX / f"{EX}.ipynb")
        assert page_leaks(page, fragments, own) == [], page_path
        # a hidden-test line the student wrote in their own cells (``raise AssertionError(``
        # in an answer that raises) is theirs to see
        shown = [line for line in secret if line in page and line not in own]
        assert shown == [], page_path


@pytest.mark.slow
def test_honest_grades_and_pages_are_untouched_by_the_attacks(attacked):
    results = attacked["results"]
    assert results["h01_honest"].score == 12.0 and results["h02_honest_partial"].score == 4.0
    page = _page(attacked["course"], "h01_honest")
    assert "this question passed" in page and "not shown: it reproduced" not in page
    assert "Active content" not in page and "shown as text" not in page


@pytest.mark.slow
def test_plain_generate_feedback_withholds_leaks_even_when_the_kernel_let_them_out(attacked, tmp_path):
    """As if the kernel had let the hidden tests out (the grading guard now keeps them from the
    input history): the autograded notebook carries them, in several encodings, and plain
    `nbgrader generate_feedback` with the course's configuration writes a page without them."""
    course = tmp_path / "course"
    copy_course(attacked["course"], course)
    path = course / "autograded" / "a02_prints_history" / EX / f"{EX}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    target = next(c for c in nb.cells if c.cell_type == "code" and not c.metadata.get("nbgrader"))
    leaks = _encodings(HISTORY)
    target.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text) for text in leaks.values()]
    target.outputs.append(nbformat.v4.new_output("error", ename="RuntimeError", evalue=HISTORY,
                                                 traceback=[HISTORY]))
    target.outputs.append(nbformat.v4.new_output("display_data", data={
        "text/html": "<script>window.ntx_attack_script=1</script>", "text/plain": "x"}))
    nbformat.write(nb, str(path))
    proc = subprocess.run(nbgrader_command(["generate_feedback", EX, "--force", "--student",
                                            "a02_prints_history", "--log-level=WARN"]),
                          cwd=course, env=nbgrader_env(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "withheld output" in proc.stderr, "the instructor is not told what was withheld"
    page = _page(course, "a02_prints_history")
    assert page.count("not shown: it reproduced the hidden tests") >= len(leaks)
    fragments = instructor_only_fragments(solution_notebook(EX), course / "exercises" / EX / f"{EX}.ipynb")
    own = students_own_text(course / "submitted" / "a02_prints_history" / EX / f"{EX}.ipynb")
    assert page_leaks(page, fragments, own) == []
    assert not re.search(r"<script[^>]*>[^<]*ntx_attack_script", page)


@pytest.mark.slow
def test_check_output_and_report_withhold_an_exception_carrying_the_tests(attacked, tmp_path, capsys,
                                                                        monkeypatch):
    monkeypatch.setenv("NALTREXONE_COURSE_HOME", str(tmp_path / "home"))
    path = tmp_path / f"{EX}.ipynb"
    shutil.copy(attacked["pristine"] / "submitted" / "a03_raises_history" / EX / f"{EX}.ipynb", path)
    report = tmp_path / "report.html"
    code = cli.main(["check", str(path), "--no-record", "--report", str(report)])
    out = capsys.readouterr()
    assert code == 0, out.err
    release = attacked["course"] / "exercises" / EX / f"{EX}.ipynb"
    fragments = instructor_only_fragments(solution_notebook(EX), release)
    own = students_own_text(path)
    assert reproduced(out.out + out.err, fragments, own) == []
    assert page_leaks(report.read_text(), fragments, own) == []
    assert "FAIL" in out.out


@pytest.mark.parametrize("encoding", list(_encodings("x")))
def test_the_class_feedback_scan_finds_a_leak_in_any_encoding(encoding):
    """The last line of defence: `naltrexone-course feedback` deletes a page showing one."""
    fragments = instructor_only_fragments(solution_notebook(EX))
    shown = html.escape(_encodings(HISTORY)[encoding])  # as nbconvert writes an output's text
    page = f"<html><body><div class='output'><pre>{shown}</pre></div></body></html>"
    assert any(kind == "hidden test code" for kind, _ in page_leaks(page, fragments)), encoding


def test_the_inert_page_preprocessor_renders_no_submitted_script():
    """For formgrader's grading view (registered as HTMLExporter.preprocessors), through nbconvert."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from naltrexone_lab.tooling.feedback import InertPage

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("hi <script>window.ntx_attack_md_script=1</script>"),
        nbformat.v4.new_code_cell("x", outputs=[
            nbformat.v4.new_output("display_data", data={"application/javascript": "window.ntx_attack_js=1"}),
            nbformat.v4.new_output("display_data",
                                   data={"text/html": "<img src=x onerror=window.ntx_attack_onerror=1>"}),
        ])])
    config = Config()
    config.HTMLExporter.preprocessors = [InertPage]
    page, _ = HTMLExporter(config=config).from_notebook_node(nb)
    baseline, _ = HTMLExporter().from_notebook_node(nbformat.v4.new_notebook())
    assert _active(page) <= _active(baseline), _active(page) - _active(baseline)


def test_formgraders_grading_view_renders_submissions_inert():
    """formgrader renders each submission with an HTMLExporter built from the course's
    configuration and its own 'formgrade' template; the course installs InertPage on it."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    from naltrexone_lab.tooling.grading import course_config, course_root, solution_notebook

    config = course_config(course_root())
    extra = Config()
    extra.HTMLExporter.template_name = "formgrade"
    extra.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    config.merge(extra)
    nb = nbformat.read(str(solution_notebook("ex01_antagonism")), as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": "<b>ok</b><script>alert('formgrader-xss')</script>",
                              "application/javascript": "alert('formgrader-js')"})]
    html, _ = HTMLExporter(config=config).from_notebook_node(
        nb, resources={"assignment_id": "ex01_antagonism", "notebook_id": "ex01_antagonism",
                       "submission_id": "x", "index": 0, "total": 1, "base_url": "",
                       "student": "s", "last_name": "S", "first_name": "T",
                       "notebook_path": "/x.ipynb"})
    assert "<b>ok</b>" in html or "ok" in html
    assert "formgrader-xss" not in html and "formgrader-js" not in html
