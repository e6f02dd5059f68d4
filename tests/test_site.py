"""The static course site (``make site``, issue 19): built once per session into a temporary
folder with book/build_site.py, then read as files and loaded in Chromium with every request to
another host blocked.

The build fails on any Sphinx warning (broken cross-references, missing documents or figures),
so building at all checks the links.
"""

from __future__ import annotations

import functools
import html
import http.server
import importlib.util
import re
import shutil
import threading
from pathlib import Path

import nbformat
import pytest
from helpers import CHROMIUM_FLAGS

from naltrexone_lab.tooling import markers
from naltrexone_lab.tooling.syllabus import CHAPTERS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.slow


def _builder():
    spec = importlib.util.spec_from_file_location("ntx_build_site", ROOT / "book" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The built site: {"html": Path, "sizes": {...}, "seconds": float}."""
    pytest.importorskip("jupyter_book", reason="the site needs jupyter-book: pip install -e '.[site]'")
    pytest.importorskip("jupyter_server_mathjax", reason="the site needs jupyter-server-mathjax: "
                                                        "pip install -e '.[site]'")
    out = tmp_path_factory.mktemp("site")
    result = _builder().build(out)
    result["html"] = Path(result["html"])
    return result


def _pages(html_dir: Path) -> list[Path]:
    """Every page of the site (the theme's template snippets under _static/ are no pages)."""
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.relative_to(html_dir).parts)


READY = [c for c in CHAPTERS if c.ready]


def test_a_broken_link_or_a_missing_figure_fails_the_build(tmp_path, monkeypatch):
    """The build refuses any Sphinx warning; here a link to no document and a missing image."""
    pytest.importorskip("jupyter_book", reason="the site needs jupyter-book: pip install -e '.[site]'")
    builder = _builder()
    run_live = builder._run_live
    monkeypatch.setattr(builder, "_run_live", lambda *a: run_live(*a) + (
        "\nSee [a chapter that does not exist](no_such_chapter.ipynb) and "
        "![a figure](missing_figure.png).\n"))
    monkeypatch.setattr(builder, "explorer_html", lambda name, number: ("<p>explorer</p>", 20))
    with pytest.raises(SystemExit) as failure:
        builder.build(tmp_path)
    assert "no_such_chapter" in str(failure.value) and "missing_figure.png" in str(failure.value)


def test_every_chapter_exercise_glossary_and_references_has_a_page(site):
    h = site["html"]
    for chapter in READY:
        assert (h / chapter.notebook).with_suffix(".html").exists(), chapter.notebook
        if chapter.exercise and (ROOT / "exercises" / chapter.exercise).exists():
            assert (h / "exercises" / chapter.exercise / f"{chapter.exercise}.html").exists()
    for md in ("glossary", "references"):
        assert (h / "course" / f"{md}.html").exists()
    assert (h / "index.html").exists()


def test_the_start_page_asks_for_no_icon_and_links_where_it_redirects(site):
    """The site's root page: a redirect a browser follows, a link a reader can follow, and an
    inline icon, so that the browser makes no request the redirect could cut off (Chromium asked
    for /favicon.ico: a 404; then for the icon file: aborted by the redirect, now and then)."""
    h = site["html"]
    text = (h / "index.html").read_text()
    (target,) = set(re.findall(r'url=([^"\s]+)"', text))
    assert (h / target).is_file(), target
    assert f'<a href="{target}">' in text
    (icon,) = re.findall(r'<link rel="icon" href="([^"]+)"', text)
    assert icon.startswith("data:"), icon
    assert "favicon" in (h / target).read_text(), "the chapter pages name the site's icon"


def test_each_chapter_page_links_run_it_live_and_keeps_its_equations(site):
    for chapter in READY:
        text = (site["html"] / chapter.notebook).with_suffix(".html").read_text()
        words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text)))
        assert "Run it live" in words and "make lab" in words and "Binder" in words, chapter.notebook
        source = (ROOT / chapter.notebook).read_text()
        if "$" in source:
            assert 'class="math' in text, f"{chapter.notebook}: its equations were not rendered as math"


def test_every_widget_cell_has_an_explorer_under_2_mb(site):
    widget_cell = re.compile(r"^\s*([A-Z][A-Za-z0-9]*Widget)\(\s*\)\s*;?\s*$")
    expected = set()
    for chapter in READY:
        for cell in nbformat.read(ROOT / chapter.notebook, as_version=4).cells:
            m = widget_cell.match(cell.source) if cell.cell_type == "code" else None
            if m:
                expected.add(f"{Path(chapter.notebook).stem}: {m.group(1)}")
    assert expected and set(site["sizes"]) == expected
    too_big = {k: v for k, v in site["sizes"].items() if v >= 2_000_000}
    assert not too_big, f"explorers of 2 MB or more: {too_big}"
    for chapter in READY:
        text = (site["html"] / chapter.notebook).with_suffix(".html").read_text()
        assert text.count("vendor/plotly.min.js") <= 1, f"{chapter.notebook} loads plotly.js twice"
        if "ntx-explorer" in text:
            assert text.count("vendor/plotly.min.js") == 1
            assert '"sliders"' in text and '"method":"update"' in text.replace(" ", "")


def _secret_lines() -> dict[str, str]:
    """Every line of a solution region, a mark scheme or a hidden test in solutions/ that no
    public notebook (chapters, student versions) also shows: a bare ``return`` or the setup line
    that an exercise's own stub shows is no secret. Line -> the notebook it comes from."""
    public = [ROOT / c.notebook for c in READY] + sorted((ROOT / "exercises").glob("ex*/*.ipynb"))
    shown = " ".join(re.sub(r"\s+", " ", cell.source) for nb_path in public
                     for cell in nbformat.read(nb_path, as_version=4).cells)
    secrets = {}
    for folder in sorted((ROOT / "solutions").glob("ex*")):
        for nb_path in folder.glob("*.ipynb"):
            for cell in nbformat.read(nb_path, as_version=4).cells:
                lines = []
                for begin, end in ((markers.BEGIN_SOLUTION, markers.END_SOLUTION),
                                   (markers.BEGIN_HIDDEN, markers.END_HIDDEN),
                                   (markers.BEGIN_MARK_SCHEME, markers.END_MARK_SCHEME)):
                    lines += markers.region_lines(cell.source, begin, end)
                nbgrader = cell.metadata.get("nbgrader", {})
                if nbgrader.get("solution") and markers.BEGIN_SOLUTION not in cell.source:
                    lines += cell.source.splitlines()  # nbgrader replaces the whole cell
                for line in lines:
                    s = line.strip()
                    if (len(s) >= 12 and re.sub(r"\s+", " ", s) not in shown
                            and not any(markers.is_marker(s, m) for m in markers.ALL_MARKERS)):
                        secrets[re.sub(r"\s+", " ", s)] = nb_path.name
    return secrets


def test_no_line_of_a_solution_or_hidden_test_appears_anywhere_in_the_site(site):
    secrets = _secret_lines()
    assert len(secrets) > 20, "found too few solution lines: the check would prove nothing"
    leaks = []
    for path in site["html"].rglob("*"):
        if not path.is_file() or path.suffix not in {".html", ".js", ".txt", ".ipynb", ".json", ".md"}:
            continue
        if "vendor" in path.parts:
            continue
        raw = path.read_text(errors="ignore")
        text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", raw)))
        flat = re.sub(r"\s+", " ", raw)
        for line, source in secrets.items():
            if line in text or line in flat:
                leaks.append(f"{path.relative_to(site['html'])}: {line!r} (from {source})")
    assert not leaks, "solution or hidden-test lines in the site:\n" + "\n".join(leaks[:20])


def test_the_secret_line_check_catches_a_leak(tmp_path):
    secrets = _secret_lines()
    line = next(iter(secrets))
    page = f"<pre><span>{html.escape(line)}</span></pre>"
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))
    assert line in text


def test_no_page_refers_to_another_host_for_a_script_style_or_font(site):
    outside = re.compile(r"""(?:src|href)=["'](?:https?:)?//[^"']+\.(?:js|css|woff2?|ttf|otf)\b""")
    for page in _pages(site["html"]):
        hits = outside.findall(page.read_text())
        assert not hits, f"{page.relative_to(site['html'])} loads {hits[:3]}"


# -- in Chromium, with the network blocked ---------------------------------------------------------
@pytest.fixture(scope="module")
def served(site):
    handler = functools.partial(_QuietHandler, directory=str(site["html"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    """One browser context for every page, as a reader's browser is: plotly.js and MathJax are
    fetched and compiled once and then come from its cache."""
    if CHROMIUM is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        # every host but this machine unresolvable: a request to another host fails and is
        # reported (request interception would do it too, but disables the browser's cache)
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_FLAGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        context = b.new_context(viewport={"width": 1280, "height": 900})
        yield context
        context.close()
        b.close()


@pytest.fixture(scope="module")
def opened(browser, served):
    """Function: page path -> (page, problems, outside), loaded on first use and kept open, so
    the slider test steps the explorer of the page the render test has checked."""
    pages: dict[str, tuple] = {}

    def get(rel: str, wait: bool = True):
        if rel not in pages:
            pages[rel] = _open(browser, served, rel, wait=wait)
        elif wait:
            _loaded(pages[rel][0])
        return pages[rel]

    yield get
    for page, _, _ in pages.values():
        page.close()


DRAWN_JS = """() => Array.from(document.querySelectorAll('.ntx-explorer .plotly-graph-div')).map(gd => ({
  id: gd.id, drawn: !!gd.querySelector('.main-svg') && (gd._fullData || []).length > 0,
  slider: !!gd.querySelector('.slider-container')}))"""
ALL_DRAWN_JS = """() => Array.from(document.querySelectorAll('.ntx-explorer .plotly-graph-div'))
  .every(g => g.querySelector('.main-svg'))"""
MATH_DONE_JS = """() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0
  && document.querySelectorAll('.MathJax, .MathJax_Display').length > 0"""
MATH_JS = """() => ({math: document.querySelectorAll('.math').length,
  rendered: document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML, mjx-container').length,
  errors: document.querySelectorAll('.MathJax_Error, merror').length})"""
STATE_JS = """id => { const gd = document.getElementById(id); const box = gd.closest('.ntx-explorer');
  return {data: JSON.stringify(gd.data.map(t => [t.x, t.y, t.z, t.text])),
          active: gd.layout.sliders[0].active, step: box.dataset.step || null,
          readouts: box.querySelector('.ntx-explorer-readouts').textContent,
          summary: box.querySelector('.ntx-explorer-summary').textContent}; }"""


def _open(context, base: str, path: str, wait: bool = True):
    """A new page at ``path``, with every request to another host recorded in ``outside``
    (the browser cannot resolve any host but 127.0.0.1, so none gets out: see ``browser``).
    With ``wait`` False it returns once loading has begun (finish with :func:`_loaded`)."""
    page = context.new_page()
    problems = []
    outside = []
    page.on("request", lambda req: req.url.startswith((base + "/", "data:")) or outside.append(req.url))
    page.on("requestfailed", lambda req: problems.append(f"request failed: {req.url} ({req.failure})"))
    page.on("response", lambda resp: resp.status >= 400
            and problems.append(f"HTTP {resp.status}: {resp.url}"))
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console error: {msg.text}"))
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    page.goto(f"{base}/{path}", wait_until="commit")
    if wait:
        _loaded(page)
    return page, problems, outside


def _loaded(page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")


CHAPTER_PAGES = {Path(c.notebook).with_suffix(".html").as_posix() for c in READY}


def test_every_page_renders_offline_with_every_figure_drawn(site, opened, browser, served):
    report = []
    # every page starts loading at once (as tabs do), then each is checked when it has loaded
    rels = [p.relative_to(site["html"]).as_posix() for p in _pages(site["html"])]
    started = {rel: opened(rel, wait=False) if rel in CHAPTER_PAGES
               else _open(browser, served, rel, wait=False) for rel in rels}
    for rel in rels:
        page, problems, outside = started[rel]
        try:
            _loaded(page)
            if page.locator(".ntx-explorer").count():
                page.wait_for_function(ALL_DRAWN_JS, timeout=30_000)
            figures = page.evaluate(DRAWN_JS)
            not_drawn = [f["id"] for f in figures if not (f["drawn"] and f["slider"])]
            if page.locator(".math").count():
                page.wait_for_function(MATH_DONE_JS, timeout=30_000)
            math = page.evaluate(MATH_JS)
        finally:
            if rel not in CHAPTER_PAGES:  # a chapter page stays open for its slider test
                page.close()
        if outside:
            problems.append(f"requests to other hosts: {outside[:3]}")
        if not_drawn:
            problems.append(f"figures not drawn: {not_drawn}")
        if math["math"] and (not math["rendered"] or math["errors"]):
            problems.append(f"math not rendered: {math}")
        if problems:
            report.append(f"{rel}: " + "; ".join(problems[:5]))
    assert not report, "\n".join(report)


def test_a_request_to_another_host_is_recorded_and_gets_nowhere(site, browser, served):
    """The offline check above can fail: a script that fetches from a CDN is seen, and the
    request fails (the browser resolves no host but this machine)."""
    page, problems, outside = _open(browser, served, "index.html")
    try:
        status = page.evaluate("() => fetch('https://cdn.example.org/plotly.min.js')"
                               ".then(r => 'reached: ' + r.status, e => 'failed')")
        page.wait_for_timeout(200)
    finally:
        page.close()
    assert status == "failed"
    assert outside == ["https://cdn.example.org/plotly.min.js"]
    assert any("request failed: https://cdn.example.org" in p for p in problems), problems


@pytest.mark.parametrize("chapter", [c for c in READY if c.topic or c.number == 0],
                         ids=lambda c: f"ch{c.number:02d}")
def test_one_explorer_per_chapter_steps_its_slider(site, opened, chapter):
    rel = Path(chapter.notebook).with_suffix(".html").as_posix()
    page, problems, outside = opened(rel)
    page.bring_to_front()
    explorers = page.locator(".ntx-explorer .plotly-graph-div")
    if not explorers.count():
        pytest.skip(f"{rel} shows no interactive model")
    gd = explorers.first
    gd_id = gd.get_attribute("id")
    page.wait_for_function(f"() => document.getElementById('{gd_id}').querySelector('.slider-container')")
    before = page.evaluate(STATE_JS, gd_id)
    rail = page.locator(f"#{gd_id} .slider-rail-touch-rect")
    box = rail.bounding_box()
    n_steps = page.evaluate(f"() => document.getElementById('{gd_id}').layout.sliders[0].steps.length")
    # click the step farthest from the one shown
    target = 0 if before["active"] > (n_steps - 1) / 2 else n_steps - 1
    rail.click(position={"x": max(2, min(box["width"] - 2, box["width"] * (target + 0.5) / n_steps)),
                         "y": box["height"] / 2})
    page.wait_for_function(f"() => document.getElementById('{gd_id}').layout.sliders[0].active "
                           f"=== {target}", timeout=10_000)
    page.wait_for_timeout(300)
    after = page.evaluate(STATE_JS, gd_id)
    assert after["active"] == target != before["active"]
    assert after["data"] != before["data"], "the figure's traces did not change with the slider"
    assert after["step"] == str(target), "the readouts did not follow the slider step"
    assert after["readouts"] != before["readouts"] or after["summary"] != before["summary"]
    assert not problems and not outside, problems + outside
