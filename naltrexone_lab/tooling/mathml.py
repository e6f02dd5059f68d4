"""Formulas in feedback pages as MathML, so a page opened offline still shows them.

nbgrader's feedback template loads MathJax from a CDN (``{{ mathjax() }}`` with nbconvert's
cdnjs default), so a student who opens their page without internet, or on a hub that blocks
outside requests, sees raw TeX: ``$\\frac{[A]}{[A] + K_A}$``. Here the TeX is turned into MathML
when the page is written (latex2mathml), which every current browser draws without any script
(Chromium since 109, Firefox, Safari) and which screen readers read as mathematics. The course's
``nbgrader_config.py`` installs :func:`markdown2html` as the HTML exporter's Markdown filter and
puts :data:`TEMPLATE_DIR` in front of nbgrader's templates, where an empty ``mathjax`` macro
replaces the CDN script: the page makes no outside request for its formulas.

Student text reaches this code (written answers are Markdown), so the MathML is cleaned with an
allow-list of presentation-MathML elements and layout attributes: latex2mathml passes ``\\href``,
``\\style`` and ``\\class`` through as attributes and writes ``\\text{...}`` content unescaped,
and none of that survives. TeX that latex2mathml cannot read is shown as code, never dropped.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from jinja2 import pass_context

__all__ = ["MATHML_TAGS", "TEMPLATE_DIR", "markdown2html", "mathml", "render_markdown"]

#: a template folder to list before nbgrader's in ``HTMLExporter.extra_template_basedirs``: its
#: ``feedback/mathjax.html.j2`` shadows nbconvert's macro of the same name
TEMPLATE_DIR = Path(__file__).parent / "templates"

#: presentation MathML, as latex2mathml writes it (no links, no foreign content, no scripting)
MATHML_TAGS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac",
    "msqrt", "mroot", "mover", "munder", "munderover", "mstyle", "mtable", "mtr", "mtd",
    "mpadded", "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts", "none"})
_MATHML_ATTRS = frozenset({
    "xmlns", "display", "mathvariant", "stretchy", "fence", "form", "separator", "lspace",
    "rspace", "linebreak", "displaystyle", "scriptlevel", "accent", "accentunder", "columnalign",
    "rowalign", "columnspacing", "rowspacing", "columnlines", "rowlines", "frame", "width",
    "height", "depth", "voffset", "notation", "largeop", "movablelimits", "symmetric", "minsize",
    "maxsize", "linethickness", "numalign", "denomalign", "bevelled"})
_SAFE_VALUE = re.compile(r"[A-Za-z0-9 .:/%#+-]*\Z")  # layout values only: no url(), quotes or tags


def _attr_allowed(tag: str, name: str, value: str) -> bool:
    if name not in _MATHML_ATTRS or not _SAFE_VALUE.match(value or ""):
        return False
    return name != "xmlns" or value == "http://www.w3.org/1998/Math/MathML"


def _as_code(tex: str, display: bool) -> str:
    code = f"<code>{html.escape(tex, quote=False)}</code>"
    return f"<div>{code}</div>" if display else code


def mathml(tex: str, display: bool = False) -> str:
    """``tex`` (without its ``$`` delimiters) as cleaned MathML, or as code if it cannot be read.

    >>> mathml(r"\\frac{a}{b}").startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    True
    >>> "href" in mathml(r"\\href{javascript:alert(1)}{x}")
    False
    """
    import bleach
    from latex2mathml.converter import convert

    if not isinstance(tex, str):
        raise ValueError(f"tex must be a string of TeX; got {type(tex).__name__}")
    try:
        markup = convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - latex2mathml raises many kinds on TeX it does not know
        return _as_code(tex, display)
    cleaned = bleach.clean(markup, tags=MATHML_TAGS, attributes=_attr_allowed, protocols=[],
                           strip=True, strip_comments=True)
    if "<math" not in cleaned:
        return _as_code(tex, display)
    return cleaned


def render_markdown(source: str, attachments=None) -> str:
    """Markdown to HTML as nbconvert renders a cell (same parser, same math delimiters), with
    every formula as MathML instead of TeX left for MathJax."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class MathMLRenderer(IPythonRenderer):
        def block_math(self, body: str) -> str:
            return mathml(body, display=True)

        def latex_environment(self, name: str, body: str) -> str:
            return mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)

        def inline_math(self, body: str) -> str:
            return mathml(body)

    renderer = MathMLRenderer(escape=False, attachments=attachments if isinstance(attachments, dict)
                              else {})
    return MarkdownWithMath(renderer=renderer).render(source)


@pass_context
def markdown2html(context, source):
    """The HTML exporter's ``markdown2html`` filter, with formulas as MathML (for
    ``c.HTMLExporter.filters`` in ``nbgrader_config.py``)."""
    cell = context.get("cell", {}) or {}
    return render_markdown(source, cell.get("attachments", {}) if isinstance(cell, dict) else {})
