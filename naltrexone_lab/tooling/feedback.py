"""Feedback pages a student can be handed: what failed, never the hidden tests or the mark scheme.

nbgrader's stock feedback renders the autograded notebook, in which the hidden tests have been put
back into the test cells, the written questions' task cells carry their full mark scheme again
(nbgrader restores locked cells from the gradebook, which keeps the instructor's version), and
failed cells carry IPython tracebacks that quote the failing lines. :class:`HideHiddenTests` is an
nbconvert preprocessor for ``GenerateFeedback`` that

* replaces each hidden-test region by one comment saying what actually ran there (passed; failed
  with the check's message; did not run because a visible check above failed first; stopped at
  the time limit);
* removes every mark-scheme region, in any cell;
* shortens error outputs to their exception and message, and explains a cell stopped at the time
  limit (nbgrader shows only ``KeyboardInterrupt:`` or ``CellTimeoutError:``);
* withholds every output that reproduces a hidden test, mark scheme or solution line, plainly or
  encoded (base64, base32, hex, rot13, reversed, escaped, compressed: :func:`decoded_views`),
  and scrubs error messages that do (a student can print ``In``, the kernel's input history, or
  raise an exception carrying it);
* makes the page inert: nothing of the submission runs in the browser of whoever opens it
  (:func:`make_cell_inert`): Markdown and HTML outputs with scripts, event handlers, frames,
  forms or ``javascript:`` links are sanitised with bleach or shown as text, JavaScript and
  widget outputs and the notebook's widget state are dropped, and the metadata nbgrader's
  template writes into the page unescaped (``grade_id``, comments) is checked.
* turns links to other course files into plain text naming the file (from
  ``feedback/<student>/<exercise>/`` a relative link points nowhere).

The course's ``nbgrader_config.py`` installs it, so plain ``nbgrader generate_feedback``,
formgrader's feedback button and ``naltrexone-course feedback`` all produce the same pages;
``naltrexone-course feedback`` then scans them for anything of the instructor version
(:mod:`.classroom_feedback`).
"""

from __future__ import annotations

import base64
import binascii
import bz2
import codecs
import html
import json
import lzma
import os
import re
import urllib.parse
import zlib
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .checks import recorded_parts
from .markers import (
    BEGIN_HIDDEN,
    BEGIN_MARK_SCHEME,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_MARK_SCHEME,
    END_SOLUTION,
    hidden_regions,
    region_lines,
    strip_regions,
)

__all__ = ["HideHiddenTests", "InertPage", "active_content", "compact", "decoded_views",
           "hidden_test_summary", "inert_html", "inert_markdown", "make_cell_inert",
           "normalised_words", "own_text", "reproduced", "secret_fragments", "timeout_explanation",
           "withhold_reproduced_outputs"]

TIMEOUT_ERRORS = ("CellTimeoutError", "KeyboardInterrupt", "TimeoutError")
MARK_SCHEME_NOTE = "*(The marking guide for this question is not shown.)*"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\s*\[\d*\],\s*line (\d+)")
# a Markdown link (not an image) to a relative path: no scheme (https:, mailto:), no bare #anchor
_LOCAL_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s]+)\)", re.IGNORECASE)


# -- what the page must never show: hidden tests, mark schemes, solutions, however encoded -----------
MIN_FRAGMENT_WORDS, MIN_FRAGMENT_CHARS = 5, 25
# a hidden-test line that is only a (possibly f-/r-) string: an assertion message continued on its
# own line, which the page shows as the failure's message
_MESSAGE_LINE = re.compile(r"""\s*[(+]?\s*[rRfFbBuU]{0,2}["']""")  # a message line, maybe "(" or "+" first
REGION_KINDS = {(BEGIN_HIDDEN, END_HIDDEN): "hidden test code",
                (BEGIN_MARK_SCHEME, END_MARK_SCHEME): "the mark scheme",
                (BEGIN_SOLUTION, END_SOLUTION): "solution code"}
WITHHELD_OUTPUT = ("(This output is not shown: it reproduced the hidden tests or the solution{how}. "
                   "Printing the tests does not change the grade; your instructor can see it.)")
WITHHELD_MESSAGE = "(message not shown: it reproduced the hidden tests or the solution{how})"


def normalised_words(text: str) -> str:
    """``text`` as lower-case words and numbers joined by single spaces: code, Markdown and the
    HTML rendering of either compare equal whatever the markup, wrapping or highlighting."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def compact(text: str) -> str:
    """Only the letters and digits of ``text``, lower case: a fragment is found in an output however
    it was spaced, quoted, escaped (``\\n`` in a printed list) or split over lines."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def secret_fragments(instructor_cells, public: str = "") -> dict[str, str]:
    """Normalised lines (:func:`normalised_words`) inside the hidden-test, mark-scheme and solution
    regions of ``instructor_cells``, each mapped to its kind. Lines of at least five words and 25
    characters only, no assertion message on its own line (feedback shows a failing check's
    message on purpose), and none whose letters ``public`` (text every student has, compacted or
    not) also contains."""
    public_c = compact(public)
    fragments: dict[str, str] = {}
    for cell in instructor_cells:
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        if not isinstance(source, str):
            continue
        for (begin, end), kind in REGION_KINDS.items():
            for line in region_lines(source, begin, end):
                if kind == "hidden test code" and _MESSAGE_LINE.match(line):
                    continue
                w = normalised_words(line)
                if (len(w.split()) >= MIN_FRAGMENT_WORDS and len(w) >= MIN_FRAGMENT_CHARS
                        and compact(w) not in public_c):
                    fragments.setdefault(w, kind)
    return fragments


# Runs that may be an encoding of text: base64 (standard or URL-safe, maybe wrapped), base32, hex
# (maybe separated), \xNN escapes; each is decoded, decompressed when it is zlib/gzip/bz2/lzma
# data, and scanned again (with the reversed, rot13 and unescaped views of every text).
_B64_RUN = re.compile(r"(?:[A-Za-z0-9+/_-]{8,}={0,2}\s*){2,}|[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX_RUN = re.compile(r"(?:[0-9a-fA-F]{2}[\s:,.\\x-]{0,4}){12,}")
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[nrtab'\"\\])")
_BYTES_LITERAL = re.compile(r"""b(['"])((?:[^\\]|\\.)*?)\1""")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "a": "\a", "b": "\b", "'": "'", '"': '"', "\\": "\\"}
_MAX_VIEWS, _MAX_VIEW_CHARS = 400, 24_000_000


def _unescape(match: re.Match) -> str:
    code = match.group(1)
    if code in _SIMPLE:
        return _SIMPLE[code]
    try:
        value = int(code[1:], 16) if code[0] in "xuU" else int(code, 8)
        return chr(value)
    except (ValueError, OverflowError):
        return match.group(0)


def _as_text(data: bytes) -> str | None:
    """Decoded bytes as text when they look like text (most characters printable)."""
    for codec in ("utf-8", "latin-1"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
        if text and printable >= 0.8 * len(text):
            return text
    return None


def _decompressed(data: bytes) -> list[bytes]:
    """What ``data`` holds when it is (possibly truncated) zlib, gzip, raw deflate, bz2 or lzma."""
    found = []
    for make in (lambda: zlib.decompressobj(47), lambda: zlib.decompressobj(-15),
                 bz2.BZ2Decompressor, lzma.LZMADecompressor):
        try:
            out = make().decompress(data, _MAX_VIEW_CHARS // 8)
        except Exception:  # noqa: BLE001 - not data of that kind
            continue
        if out:
            found.append(out)
    return found


def _blobs(text: str) -> list[bytes]:
    """Byte strings decoded from the encoded-looking runs of ``text``."""
    blobs = []
    for run in _B64_RUN.findall(text):
        run = re.sub(r"\s+", "", run).rstrip("=")
        std = run.replace("-", "+").replace("_", "/")
        for start in range(4):
            chunk = std[start:]
            chunk = chunk[: len(chunk) - 1] if len(chunk) % 4 == 1 else chunk
            chunk += "=" * (-len(chunk) % 4)
            if len(chunk) >= 8:
                try:
                    blobs.append(base64.b64decode(chunk, validate=False))
                except (binascii.Error, ValueError):
                    pass
        if re.fullmatch(r"[A-Z2-7]+", run) and len(run) >= 16:
            for start in range(8):
                chunk = run[start:]
                chunk = chunk[: len(chunk) - len(chunk) % 8]
                try:
                    blobs.append(base64.b32decode(chunk))
                except (binascii.Error, ValueError):
                    pass
    for run in _HEX_RUN.findall(text):
        digits = re.sub(r"[^0-9a-fA-F]", "", run.replace("\\x", ""))
        for start in range(2):
            chunk = digits[start:]
            chunk = chunk[: len(chunk) - len(chunk) % 2]
            try:
                blobs.append(bytes.fromhex(chunk))
            except ValueError:
                pass
    if "\\x" in text:  # a printed bytes object, e.g. repr(zlib.compress(...))
        for literal in [*_BYTES_LITERAL.findall(text), ("", text)]:
            body = literal[1]
            try:
                blobs.append(_ESCAPE.sub(_unescape, body).encode("latin-1", "ignore"))
            except (ValueError, OverflowError):
                pass
    return blobs


def decoded_views(text: str, depth: int = 3) -> list[str]:
    """``text`` and what it says when read as the common encodings a submission could use to
    sneak text past a scan: reversed, rot13, backslash escapes, URL and HTML escapes, base64,
    base32 and hex runs, and any of those compressed (zlib, gzip, bz2, lzma), nested up to
    ``depth`` decodings."""
    seen: set[int] = set()
    views: list[str] = []
    budget = [_MAX_VIEW_CHARS]

    def add(view: str, level: int) -> None:
        if not view or len(views) >= _MAX_VIEWS or budget[0] <= 0:
            return
        key = hash(view)
        if key in seen:
            return
        seen.add(key)
        views.append(view)
        budget[0] -= len(view)
        variants = [view[::-1], codecs.encode(view, "rot13")]
        if "\\" in view:
            variants.append(_ESCAPE.sub(_unescape, view))
        if "%" in view:
            variants.append(urllib.parse.unquote(view))
        if "&" in view:
            variants.append(html.unescape(view))
        for variant in variants:
            if hash(variant) not in seen and len(views) < _MAX_VIEWS:
                seen.add(hash(variant))
                views.append(variant)
                budget[0] -= len(variant)
        if level >= depth:
            return
        for source in [view, *variants]:
            for blob in _blobs(source):
                for data in (blob, *_decompressed(blob)):
                    decoded = _as_text(data)
                    if decoded:
                        add(decoded, level + 1)

    add(text, 0)
    return views


def reproduced(text: str, fragments: dict[str, str], own: str = "") -> list[tuple[str, str, str]]:
    """(kind, fragment, how) of each fragment ``text`` reproduces, plain or encoded (see
    :func:`decoded_views`), leaving out what ``own`` (the student's own writing) contains."""
    if not text or not fragments:
        return []
    own_c = compact(own)
    wanted = {compact(f): (kind, f) for f, kind in fragments.items()}
    wanted = {c: v for c, v in wanted.items() if c and c not in own_c}
    found, hit = [], set()
    for number, view in enumerate(decoded_views(text)):
        c = compact(view)
        for frag_c, (kind, frag) in wanted.items():
            if frag_c not in hit and frag_c in c:
                hit.add(frag_c)
                found.append((kind, frag, "" if number == 0 else " (encoded)"))
    return found


# -- inert pages: nothing of the submission runs in the browser of whoever opens the page -----------
_SAFE_TAGS = frozenset(
    "a abbr b bdi bdo blockquote br caption center cite code col colgroup dd del details dfn div dl "
    "dt em figcaption figure font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt ruby "
    "s samp small span strike strong sub summary sup table tbody td tfoot th thead tr tt u ul var "
    "wbr".split())
_SAFE_ATTRS = frozenset(
    "href src alt title class id width height align valign colspan rowspan start type reversed "
    "border cellpadding cellspacing scope name target rel lang dir open color face size "
    "style".split())
_URL_ATTRS = ("href", "src")
_SAFE_SCHEMES = {"href": ("http", "https", "mailto"), "src": ("http", "https", "data")}
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
_BAD_STYLE = re.compile(r"url\s*\(|expression|javascript|@import|behavior|binding|\\", re.IGNORECASE)
# belt and braces beside the parser: markup any browser would run, however the parser read it
_ACTIVE_MARKUP = re.compile(
    r"<\s*/?\s*(script|iframe|frame|frameset|object|embed|applet|svg|math|form|base|meta|link|"
    r"style|template|noscript|xml|portal|isindex|button|textarea|select)\b|"
    r"<[^>]*\bon[a-z]+\s*=|<[^>]*\bsrcdoc\b|(java|vb|live)script\s*:|data\s*:\s*text/html",
    re.IGNORECASE)
# MathJax, which the page loads, turns these into links, styles and HTML
_ACTIVE_MATH = re.compile(r"\\(href|url|class|style|cssId|unicode|require|html|data|mmlToken)\b")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_ACTIVE_OUTPUT_NOTE = ("<p><em>(Active content (scripts, event handlers, embedded frames or "
                       "forms) was removed from this output: it does not run in feedback.)</em></p>")
_INTERACTIVE_NOTE = ("(An interactive output (a widget or a script) is not shown in this page; "
                     "run the notebook to see it.)")
_KEPT_MIMES = ("text/plain", "text/html", "text/latex", "image/png", "image/jpeg", "image/gif",
               "image/svg+xml")
_IMAGE_B64 = re.compile(r"[A-Za-z0-9+/=\s]*")
_GRADE_ID = re.compile(r"[A-Za-z0-9_.-]{1,100}")


def _url_problem(attr: str, value: str, tag: str) -> str | None:
    url = _CONTROL.sub("", html.unescape(value or ""))
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    if not scheme:
        return None
    name = scheme.group(1).lower()
    if name not in _SAFE_SCHEMES[attr]:
        return f"a {name}: link"
    if name == "data" and not (tag == "img" and _DATA_IMAGE.match(url)):
        return "a data: address that is not an image"
    return None


class _ActiveScan(HTMLParser):
    """Why a piece of HTML could run code or reach out when shown (empty when it cannot)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.reasons: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {(n or "").lower(): v for n, v in attrs}
        if (tag == "input" and (names.get("type") or "").lower() == "checkbox" and "disabled" in names
                and set(names) <= {"type", "disabled", "checked", "class"}):
            return  # a Markdown task list's tick box
        if tag not in _SAFE_TAGS:
            self.reasons.append(f"a <{tag}> element")
        for name, value in attrs:
            name = (name or "").lower()
            if name not in _SAFE_ATTRS:
                self.reasons.append(f"a {name} attribute on <{tag}>")
            elif name in _URL_ATTRS and _url_problem(name, value, tag):
                self.reasons.append(_url_problem(name, value, tag))
            elif name == "style" and _BAD_STYLE.search(value or ""):
                self.reasons.append("a style that loads or runs something")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag not in _SAFE_TAGS:
            self.reasons.append(f"a </{tag}> element")

    def handle_data(self, data):
        if "<" in data:
            self.reasons.append("markup a browser may read differently")

    def handle_comment(self, data):
        if re.search(r"[<>\[]|--!", data):
            self.reasons.append("a comment holding markup")

    def handle_decl(self, decl):
        self.reasons.append("a declaration")

    unknown_decl = handle_decl

    def handle_pi(self, data):
        self.reasons.append("a processing instruction")


def active_content(markup: str) -> list[str]:
    """Why ``markup`` (HTML) is not inert: scripts, event handlers, frames, forms, ``javascript:``
    and other non-web links, MathJax commands that make links or HTML. Empty when it is inert."""
    if not isinstance(markup, str):
        return ["content that is not text"]
    scan = _ActiveScan()
    try:
        scan.feed(markup)
        scan.close()
    except Exception:  # noqa: BLE001 - markup the standard parser cannot even read
        scan.reasons.append("markup the parser could not read")
    reasons = scan.reasons
    flat = _CONTROL.sub("", markup)
    m = _ACTIVE_MARKUP.search(markup) or _ACTIVE_MARKUP.search(flat)
    if m:
        reasons.append(f"markup {m.group(0)[:30]!r}")
    if _ACTIVE_MATH.search(markup):
        reasons.append("a MathJax command that makes links or HTML")
    return list(dict.fromkeys(reasons))


def _bleach_attr(tag: str, name: str, value: str) -> bool:
    if name not in _SAFE_ATTRS:
        return False
    if name in _URL_ATTRS:
        return _url_problem(name, value, tag) is None
    if name == "style":
        return not _BAD_STYLE.search(value or "")
    return True


def inert_html(markup: str) -> tuple[str, list[str]]:
    """``markup`` unchanged when it is inert; else sanitised with bleach (scripts and styles
    dropped with their content, other disallowed markup removed, event handlers and unsafe links
    dropped) after a note saying so. Returns the HTML and the reasons it was not inert."""
    reasons = active_content(markup)
    if not reasons:
        return markup, []
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    body = re.sub(r"<\s*(script|style|template|noscript|xml)\b.*?(<\s*/\s*\1\s*>|\Z)", " ",
                  str(markup), flags=re.IGNORECASE | re.DOTALL)
    cleaned = bleach.clean(body, tags=_SAFE_TAGS - {"font"}, attributes=_bleach_attr,
                           protocols=["http", "https", "mailto", "data"], strip=True,
                           strip_comments=True, css_sanitizer=CSSSanitizer())
    cleaned = _ACTIVE_MATH.sub(r"\\ \1", cleaned)
    if active_content(cleaned):  # never hand out what still looks active: show it as text
        cleaned = f"<pre>{html.escape(html.unescape(re.sub(r'<[^>]*>', ' ', cleaned)))}</pre>"
    return _ACTIVE_OUTPUT_NOTE + cleaned, reasons


def _fence(source: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+|~+", source)), default=0)
    return "`" * max(3, longest + 1)


def inert_markdown(source: str, attachments=None) -> tuple[str, list[str]]:
    """A Markdown cell's source unchanged when its rendering is inert; else the source shown as
    text (a fenced block) after a note saying why. Returns the source and the reasons."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    if not isinstance(source, str):
        return "", ["content that is not text"]
    try:
        rendered = MarkdownWithMath(renderer=IPythonRenderer(
            escape=False, attachments=attachments if isinstance(attachments, dict) else {})
        ).render(source)
        reasons = active_content(rendered)
    except Exception:  # noqa: BLE001 - e.g. a missing attachment: nbconvert would stop the page
        reasons = ["Markdown that nbconvert cannot render"]
    if not reasons:
        return source, []
    fence = _fence(source)
    why = re.sub(r"[^A-Za-z0-9 :/.-]", "", reasons[0])  # the note itself is Markdown: no markup
    note = f"*(This cell held content that could run code in a browser ({why}); it is shown as text.)*"
    return f"{note}\n\n{fence}text\n{source}\n{fence}", reasons


def _inert_output(out) -> None:
    """Make one output inert in place (see :func:`inert_html`)."""
    if isinstance(out.get("execution_count"), bool) or not isinstance(
            out.get("execution_count", 0), (int, type(None))):
        out["execution_count"] = None
    if out.get("output_type") not in ("display_data", "execute_result", "update_display_data"):
        return
    data = out.get("data") if isinstance(out.get("data"), dict) else {}
    if "text/markdown" in data:
        rendered, _ = inert_markdown(data.pop("text/markdown"))
        if "text/html" not in data:
            from nbconvert.filters.markdown_mistune import markdown2html_mistune

            try:
                data["text/html"] = markdown2html_mistune(rendered)
            except Exception:  # noqa: BLE001
                data.setdefault("text/plain", rendered)
    interactive = any(k not in _KEPT_MIMES for k in data)
    kept = {k: v for k, v in data.items() if k in _KEPT_MIMES and isinstance(v, str)}
    if "text/html" in kept:
        kept["text/html"], _ = inert_html(kept["text/html"])
    if "text/latex" in kept and _ACTIVE_MATH.search(kept["text/latex"]):
        kept.setdefault("text/plain", kept["text/latex"])
        del kept["text/latex"]
    for mime in ("image/png", "image/jpeg", "image/gif"):
        if mime in kept and not _IMAGE_B64.fullmatch(kept[mime]):
            del kept[mime]
    if not kept or (interactive and set(kept) == {"text/plain"}):
        kept["text/plain"] = (kept.get("text/plain", "") + "\n" + _INTERACTIVE_NOTE).strip()
    out["data"] = kept
    meta = out.get("metadata") if isinstance(out.get("metadata"), dict) else {}
    safe_meta = {}
    for mime, m in meta.items():
        if mime in ("image/png", "image/jpeg", "image/gif") and isinstance(m, dict):
            safe_meta[mime] = {k: m[k] for k in ("width", "height") if isinstance(m.get(k), (int, float))
                               and not isinstance(m.get(k), bool)}
    out["metadata"] = safe_meta


def make_cell_inert(cell) -> list[str]:
    """Make one cell inert in place: Markdown and raw cells, outputs, and the metadata nbgrader's
    feedback template writes into the page unescaped. Returns the reasons anything changed."""
    reasons: list[str] = []
    if not isinstance(cell.get("execution_count"), (int, type(None))) or isinstance(
            cell.get("execution_count"), bool):
        cell["execution_count"] = None
    meta = cell.get("metadata")
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    if isinstance(nbg, dict):
        if "grade_id" in nbg and not (isinstance(nbg["grade_id"], str)
                                      and _GRADE_ID.fullmatch(nbg["grade_id"])):
            nbg["grade_id"] = "cell"
            reasons.append("an nbgrader grade_id that is not a plain name")
        if isinstance(nbg.get("comment"), str):
            nbg["comment"], why = inert_markdown(nbg["comment"])
            reasons += why
    if cell.get("cell_type") == "markdown":
        cell["source"], why = inert_markdown(cell.get("source", ""), cell.get("attachments"))
        reasons += why
    elif cell.get("cell_type") == "raw":
        if active_content(cell.get("source", "")):
            cell["source"] = html.escape(str(cell.get("source", "")))
            reasons.append("a raw cell with active HTML")
    elif cell.get("cell_type") == "code":
        for out in cell.get("outputs", []):
            _inert_output(out)
    return reasons


def _output_text(out) -> str:
    """Everything of one output that a page could show or carry, as one text."""
    kind = out.get("output_type")
    if kind == "stream":
        return str(out.get("text", ""))
    if kind == "error":
        tb = out.get("traceback", [])
        return "\n".join([str(out.get("ename", "")), str(out.get("evalue", ""))]
                         + [str(t) for t in (tb if isinstance(tb, list) else [tb])])
    data = out.get("data") if isinstance(out.get("data"), dict) else {}
    return "\n".join(v if isinstance(v, str) else json.dumps(v, default=str) for v in data.values())


def withhold_reproduced_outputs(cell, fragments: dict[str, str], own: str = "") -> list[str]:
    """Replace, in place, each output of ``cell`` that reproduces instructor-only text (plain or
    encoded) by a note saying it was withheld; an error keeps its exception name. When only the
    cell's outputs together reproduce it, all of them are withheld. Returns what was found."""
    outputs = cell.get("outputs", [])
    if not outputs or not fragments:
        return []
    found = {i: reproduced(_output_text(o), fragments, own) for i, o in enumerate(outputs)}
    if not any(found.values()):
        together = reproduced("".join(_output_text(o) for o in outputs), fragments, own)
        if not together:
            return []
        found = {i: together for i in range(len(outputs))}
    for i, hits in found.items():
        if not hits:
            continue
        how = hits[0][2]
        out = outputs[i]
        if out.get("output_type") == "error":
            out["evalue"] = WITHHELD_MESSAGE.format(how=how)
            out["traceback"] = [f"{out.get('ename', 'Error')}: {out['evalue']}"]
        else:
            outputs[i] = nbformat.v4.new_output("stream", name="stdout",
                                                text=WITHHELD_OUTPUT.format(how=how))
    return [f"{kind}{how}: {frag[:60]!r}" for hits in found.values() for kind, frag, how in hits]


def own_text(nb) -> str:
    """What the student wrote themselves (answer cells and cells they added) in ``nb``."""
    own = []
    for c in nb.get("cells", []):
        meta = c.get("metadata") if isinstance(c.get("metadata"), dict) else {}
        nbg = meta.get("nbgrader")
        nbg = nbg if isinstance(nbg, dict) else {}
        if nbg.get("solution") or "grade_id" not in nbg:
            own.append(c.get("source", "") if isinstance(c.get("source", ""), str) else "")
    return "\n".join(own)


def timeout_explanation(limit_s: float | None) -> str:
    """What a learner should know about a cell stopped at the time limit."""
    limit = f"{limit_s:g} s" if limit_s else "the time limit"
    return (f"this cell was stopped after {limit} and its question scored 0: an answer that never "
            "finishes (an endless loop, a grid far too fine) takes the whole time. Run your "
            "notebook top to bottom and check that every answer finishes in a few seconds.")


def _failing_line(error) -> int | None:
    """The line of the cell at which ``error`` left it (IPython's ``Cell In[n], line k``)."""
    for entry in error.get("traceback", []):
        m = _CELL_LINE.search(_ANSI.sub("", entry))
        if m:
            return int(m.group(1))
    return None


def _hidden_start(source: str) -> int | None:
    """1-based line of the first hidden-test marker in ``source``."""
    for number, (_line, inside) in enumerate(hidden_regions(source.splitlines()), start=1):
        if inside:
            return number
    return None


def hidden_test_summary(cell, limit_s: float | None = None,
                        fragments: dict[str, str] | None = None, own: str = "") -> str:
    """One comment line saying what ran in the test cell's hidden region and how it ended.

    Call it on the cell as executed (hidden tests still in its source, traceback intact). A
    message that reproduces one of ``fragments`` (instructor-only lines) that ``own`` (the
    student's own writing) does not hold is not quoted."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    entry = recorded_parts(cell)
    failed = [p for p in (entry["parts"] if entry else [])
              if isinstance(p, dict) and p.get("passed") is not True]
    if not errors and failed:  # a question of parts (.checks) that kept some of its points
        said = []
        for p in failed:
            text = str(p.get("message", ""))
            if reproduced(text, fragments or {}, own):
                text = WITHHELD_MESSAGE.format(how=reproduced(text, fragments or {}, own)[0][2])
            said.append(f"{p.get('name', '?')} ({' '.join(text.split())[:200]})")
        return ("# Hidden tests ran here (not shown): these parts failed, the others passed: "
                + "; ".join(said))
    if not errors:
        return "# Hidden tests ran here (not shown): this question passed."
    e = errors[0]
    if e.get("ename") in TIMEOUT_ERRORS:
        limit = f"{limit_s:g} s" if limit_s else "the time limit"
        return (f"# Hidden tests (not shown) did not finish: this cell was stopped after {limit} "
                "(what that means is in the error below).")
    evalue = str(e.get("evalue", ""))
    hits = reproduced(evalue, fragments or {}, own)
    if hits:
        evalue = WITHHELD_MESSAGE.format(how=hits[0][2])
    message = f"{e.get('ename', 'Error')}: {evalue}".strip().rstrip(":")
    message = " ".join(message.split())[:500]  # one comment line, whatever the message held
    line, start = _failing_line(e), _hidden_start(cell.source)
    if line is not None and start is not None and line < start:
        return ("# Hidden tests (not shown) did not run: a visible check above failed first "
                f"({message}).")
    return f"# Hidden tests ran here (not shown): this question failed with {message}"


def _plain_link(match: re.Match) -> str:
    target = match.group(2).split("#")[0].rstrip("/").rsplit("/", 1)[-1]
    return f"{match.group(1)} ({target}, in the course)" if target else match.group(1)


class HideHiddenTests(Preprocessor):
    """Make an autograded notebook safe and self-explanatory as a feedback page (see module)."""

    enabled = Bool(True, help="on by default: it is registered without enabled=True").tag(config=True)

    def _limit_s(self) -> float | None:
        try:
            value = self.config.Execute.timeout
        except AttributeError:
            return None
        return float(value) if isinstance(value, (int, float)) and value > 0 else None

    def _course_notebook(self, resources, folder_trait: str, default: str) -> Path | None:
        """The course's copy of this notebook in ``source`` or ``release`` (None if not found)."""
        info = resources.get("nbgrader", {}) if isinstance(resources, dict) else {}
        assignment, notebook = info.get("assignment"), info.get("notebook")
        if not assignment or not notebook:
            return None
        try:
            cfg = self.config.CourseDirectory
            root = Path(cfg.get("root") or os.getcwd())
            path = root / cfg.get(folder_trait, default) / assignment / f"{notebook}.ipynb"
            return path if path.is_file() and not path.is_symlink() else None
        except (OSError, TypeError, AttributeError):
            return None

    def preprocess(self, nb, resources):
        """Learn what the page must not show (this notebook's hidden tests and mark schemes,
        restored by nbgrader, and the course's solutions), then process every cell."""
        instructor = list(nb.cells)
        source = self._course_notebook(resources, "source_directory", "source")
        release = self._course_notebook(resources, "release_directory", "release")
        public = ""
        try:
            if source is not None:
                instructor += nbformat.read(str(source), as_version=4).cells
            if release is not None:
                public = "\n".join(c.source for c in nbformat.read(str(release), as_version=4).cells)
        except Exception as err:  # noqa: BLE001 - the notebook's own regions still protect the page
            self.log.warning("HideHiddenTests: could not read the course notebooks: %s", err)
        self._fragments = secret_fragments(instructor, public)
        self._own = own_text(nb)
        if isinstance(nb.get("metadata"), dict):
            nb.metadata.pop("widgets", None)  # widget state: the page would load a widget manager
        self._student = (resources.get("nbgrader", {}) or {}).get("student", "?") \
            if isinstance(resources, dict) else "?"
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        fragments = getattr(self, "_fragments", None)
        if fragments is None:  # called on its own cell (tests): this cell's regions are the secret
            fragments = secret_fragments([cell])
        own = getattr(self, "_own", "")
        cell.source, _ = strip_regions(cell.source, MARK_SCHEME_NOTE, BEGIN_MARK_SCHEME,
                                       END_MARK_SCHEME)
        if cell.cell_type == "markdown":
            cell.source = _LOCAL_LINK.sub(_plain_link, cell.source)
            self._report(make_cell_inert(cell), "made inert", index)
            return cell, resources
        if cell.cell_type != "code":
            self._report(make_cell_inert(cell), "made inert", index)
            return cell, resources
        limit = self._limit_s()
        summary = hidden_test_summary(cell, limit, fragments, own)
        self._report(withhold_reproduced_outputs(cell, fragments, own), "withheld output", index)
        cell.source, _ = strip_regions(cell.source, summary, BEGIN_HIDDEN, END_HIDDEN)
        for out in cell.get("outputs", []):
            if out.get("output_type") != "error":
                continue
            if out.get("ename") in TIMEOUT_ERRORS:
                out["evalue"] = timeout_explanation(limit)
            out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        self._report(make_cell_inert(cell), "made inert", index)
        return cell, resources

    def _report(self, what: list[str], action: str, index: int) -> None:
        if what:
            self.log.warning("feedback for %s, cell %d: %s (%s)", getattr(self, "_student", "?"),
                             index + 1, action, "; ".join(what[:3]))


class InertPage(Preprocessor):
    """Only the inert half of :class:`HideHiddenTests` (no test is hidden): for pages an
    instructor views, such as formgrader's grading view, e.g.
    ``c.HTMLExporter.preprocessors = [InertPage]`` in ``nbgrader_config.py``."""

    enabled = Bool(True, help="on by default: it is registered without enabled=True").tag(config=True)

    def preprocess(self, nb, resources):
        if isinstance(nb.get("metadata"), dict):
            nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        make_cell_inert(cell)
        return cell, resources
