"""Issue 21, formulas in feedback pages as MathML: drawn offline, with no script, and student TeX
can carry nothing active into the page."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from naltrexone_lab.tooling.mathml import MATHML_TAGS, TEMPLATE_DIR, mathml, render_markdown


def _tags(markup: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<([A-Za-z][\w-]*)", markup)}


def test_the_course_formulas_become_mathml_not_tex():
    out = mathml(r"\theta = \frac{[A]/K_A}{1 + [A]/K_A + [B]/K_B}")
    assert out.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    assert "<mfrac>" in out and "<msub>" in out and "\\frac" not in out
    assert 'display="block"' in mathml(r"C(t) = C_0 e^{-kt}", display=True)
    assert _tags(out) <= MATHML_TAGS


@pytest.mark.parametrize("tex", [
    r"\href{javascript:alert(1)}{x}",
    r"\style{background:url(javascript:alert(1))}{x}",
    r"\class{x\" onmouseover=\"alert(1)}{y}",
    r"\text{<img src=x onerror=alert(1)>}",
    r"\text{<script>alert(1)</script>}",
    r"\text{</math><iframe src=//evil></iframe>}",
])
def test_student_tex_carries_nothing_active(tex):
    out = mathml(tex)
    assert _tags(out) <= MATHML_TAGS | {"code", "div"}, out
    assert not re.search(r"\s(on\w+|href|style|class|src)\s*=", out, re.I), out
    assert "javascript" not in out.lower() or "<code>" in out


@pytest.mark.parametrize("tex", [r"\frac{a}{", r"\left( x", "x^", "}{"])
def test_tex_that_cannot_be_read_is_shown_as_code_never_dropped(tex):
    import html

    assert mathml(tex) == f"<code>{html.escape(tex, quote=False)}</code>"
    assert mathml(tex, display=True) == f"<div><code>{html.escape(tex, quote=False)}</code></div>"


def test_a_non_string_is_refused_with_the_parameter_named():
    with pytest.raises(ValueError, match="tex must be a string"):
        mathml(3.2)


def test_markdown_keeps_its_text_and_turns_each_delimiter_into_mathml():
    page = render_markdown(
        "My answer: occupancy is $\\theta = C/(C + K_d)$, so at $C = K_d$ it is half.\n\n"
        "$$t_{1/2} = \\frac{\\ln 2}{k}$$\n\nA price of \\$5 stays text.")
    assert page.count("<math") == 3 and 'display="block"' in page
    assert "My answer: occupancy is" in page and "it is half." in page
    assert "$5" in page and "\\theta" not in page


def test_the_course_feedback_template_writes_mathml_and_loads_no_script_from_outside():
    """Through nbconvert with the course's own nbgrader_config.py, as generate_feedback renders."""
    from nbconvert import HTMLExporter

    from naltrexone_lab.tooling.grading import course_config, course_root

    assert (TEMPLATE_DIR / "feedback" / "mathjax.html.j2").is_file()
    config = course_config(course_root())
    config.HTMLExporter.template_name = "feedback"
    import nbgrader  # as GenerateFeedback adds it: the page's stylesheet

    config.HTMLExporter.extra_template_paths = [str(
        Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "static" / "node_modules"
        / "bootstrap" / "dist" / "css")]
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Occupancy $\\theta = \\frac{C}{C + K_d}$, and\n\n"
                                      "$$t_{1/2} = \\frac{\\ln 2}{k}$$"),
        nbformat.v4.new_markdown_cell("$\\href{javascript:alert(1)}{x}$"),
        nbformat.v4.new_markdown_cell("$$\\text{<img src=x onerror=alert(1)>}$$")])
    resources = {"nbgrader": {"notebook": "ex01", "score": 1.0, "max_score": 2.0,
                               "late_penalty": 0.0}}
    page, _ = HTMLExporter(config=config).from_notebook_node(nb, resources=resources)
    assert page.count("<math") == 3
    assert not re.search(r"<script[^>]+src=", page), "the page loads a script"
    assert "cdnjs" not in page and not re.search(r"<script[^>]*>[^<]*MathJax", page)
    assert "onerror" not in page and "<img" not in page
    assert not re.search(r"href=[\"']?javascript", page)
    assert "\\frac" not in page
