"""The feedback preprocessor on single cells: mark schemes, what ran, timeouts, links."""

from __future__ import annotations

import nbformat
from traitlets.config import Config

from naltrexone_lab.tooling.classroom_feedback import instructor_only_fragments, page_leaks
from naltrexone_lab.tooling.feedback import HideHiddenTests
from naltrexone_lab.tooling.grading import solution_notebook

TEST_CELL = ('"""Check f()."""\nassert f(1) == 2, "f(1) must double its input"\n'
             "### BEGIN HIDDEN TESTS\nassert f(3) == 6, \"f must double every input\"\n### END HIDDEN TESTS")


def _run(cell, timeout_s=None):
    config = Config()
    if timeout_s:
        config.Execute.timeout = timeout_s
    return HideHiddenTests(config=config).preprocess_cell(cell, {}, 0)[0]


def _error(ename, evalue, line):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[
        "\x1b[0;31m---------\x1b[0m", f"Cell \x1b[0;32mIn[4], line {line}\x1b[0m\n----> {line} assert"])


def test_mark_scheme_leaves_a_task_cell_and_its_question_stays():
    cell = nbformat.v4.new_markdown_cell(
        "## Question 6\n\nExplain.\n\n=== BEGIN MARK SCHEME ===\n* **1 point:** names 72-108 h\n"
        "=== END MARK SCHEME ===\n")
    out = _run(cell).source
    assert "Explain." in out and "72-108" not in out and "MARK SCHEME" not in out
    assert "marking guide for this question is not shown" in out


def test_the_summary_says_whether_the_hidden_tests_ran():
    visible = nbformat.v4.new_code_cell(TEST_CELL, outputs=[_error("AssertionError", "f(1) must double", 2)])
    assert "did not run: a visible check above failed first" in _run(visible).source
    hidden = nbformat.v4.new_code_cell(TEST_CELL, outputs=[_error("AssertionError", "f must double", 4)])
    out = _run(hidden)
    assert "ran here (not shown): this question failed with AssertionError: f must double" in out.source
    assert "f(3)" not in out.source and out.outputs[0]["traceback"] == ["AssertionError: f must double"]
    passed = nbformat.v4.new_code_cell(TEST_CELL)
    assert "this question passed" in _run(passed).source


def test_a_timeout_is_explained_not_left_empty():
    cell = nbformat.v4.new_code_cell(TEST_CELL, outputs=[_error("KeyboardInterrupt", "", 4)])
    out = _run(cell, timeout_s=60)
    assert "stopped after 60 s" in out.source and "stopped after 60 s" in out.outputs[0]["evalue"]
    page_text = out.source + str(out.outputs[0]["evalue"])
    assert page_text.count("endless loop") == 1, "the explanation is shown twice on the page"


def test_links_to_course_files_become_plain_text_but_web_links_stay():
    cell = nbformat.v4.new_markdown_cell(
        "See [chapter 1](../../course/01_opioid_antagonism.ipynb) and [the label](https://example.org/x)."
        " ![a figure](figure.png)")
    out = _run(cell).source
    assert "![a figure](figure.png)" in out, "an image was turned into text"
    assert "chapter 1 (01_opioid_antagonism.ipynb, in the course)" in out
    assert "[the label](https://example.org/x)" in out


def test_the_leak_scan_finds_a_mark_scheme_however_it_is_rendered():
    fragments = instructor_only_fragments(solution_notebook("ex02_pharmacokinetics"))
    scheme = [f for f, kind in fragments.items() if kind == "the mark scheme"]
    assert scheme
    words = scheme[0].split()
    page = f"<p><strong>{' '.join(words[:3])}</strong>\n{' '.join(words[3:])}</p>"
    assert page_leaks(page, fragments) and not page_leaks(page, fragments, f" {scheme[0]} ")


def test_a_hidden_check_message_on_its_own_line_is_not_a_leak(tmp_path):
    """A failing check's message is shown on purpose; a page showing it must not be withheld."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "### BEGIN HIDDEN TESTS\nassert abs(double_input(3) - 6) < 1e-9, (\n"
        "    f\"f(3) = {f(3)} but it must double every input you give it\")\n### END HIDDEN TESTS")])
    nbformat.write(nb, str(tmp_path / "source.ipynb"))
    fragments = instructor_only_fragments(tmp_path / "source.ipynb")
    assert not any("double every input" in f for f in fragments)
    page = "<pre>AssertionError: f(3) = 5 but it must double every input you give it</pre>"
    assert page_leaks(page, fragments) == []


def test_a_message_line_of_a_hidden_test_is_not_a_secret_but_its_code_is():
    from naltrexone_lab.tooling.feedback import normalised_words, secret_fragments

    source = ("x = 1\n### BEGIN HIDDEN TESTS\n"
              "assert _expected_rise_for_this_student(x) == rise_with_naltrexone_percent, \\\n"
              "    (\"rise_with_naltrexone_percent subtracts one occupancy from the other one \"\n"
              "     \"instead of letting the two drugs compete\")\n### END HIDDEN TESTS\n")
    found = secret_fragments([{"source": source}])
    assert normalised_words("assert _expected_rise_for_this_student(x) == rise_with_naltrexone_percent, \\") \
        in found
    assert not any("subtracts one occupancy" in f for f in found)
