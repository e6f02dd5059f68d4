"""The exercises in a real browser: every student version passes the accessibility scan as a
learner first sees it (and the scan can fail), nbgrader's Validate button works in JupyterLab,
the last cell checks the saved notebook, and on a slow laptop (CPU slowed 4x, anywidget's
deadline missed) chapter 1 still draws."""

from __future__ import annotations

import time

import pytest
from browser_support import (
    _MISS_ANYWIDGET_DEADLINE,
    ARTIFACTS,
    DARK_RULES,
    SCROLL_ALL_JS,
    VALIDATED,
    _answer_dialogs,
    _axe,
    _drawn,
    _first_slider_moves_plot_and_readout,
    _open,
    _run_all,
    _run_last_cell,
    _set_theme,
    _wait_for_kernel,
    _widget_classes,
)
from helpers import EXERCISE_NOTEBOOKS, ROOT, rel

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("path", EXERCISE_NOTEBOOKS, ids=rel)
def test_every_exercise_as_a_learner_opens_it_passes_the_accessibility_scan(path, lab, browser):
    """Issue 25: each exercise's student version, opened in JupyterLab as a learner first sees it
    (its Markdown rendered; it is not run, since its answer cells raise until answered): axe-core
    on the course's content with every rule in the light theme and the contrast rules in the
    dark theme finds no serious or critical violation."""
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        pytest.skip("axe-playwright-python is not installed (pip install -e '.[dev]'): no axe scan")
    import nbformat

    markdown = sum(c.cell_type == "markdown" for c in nbformat.read(str(path), as_version=4).cells)
    page = _open(browser, lab, f"exercises/{path.parent.name}/{path.name}")
    problems, report = [], []
    try:
        page.wait_for_function("n => document.querySelectorAll('.jp-Notebook .jp-MarkdownOutput')"
                               ".length >= n", arg=markdown, timeout=120_000)
        _answer_dialogs(page)
        page.evaluate(SCROLL_ALL_JS)
        for name in ("light", "dark"):
            if name != "light":
                _set_theme(page, name, 0)
            bad, found = _axe(page, None if name == "light" else DARK_RULES)
            report += [f"{name}: {t}" for t in found] or [f"{name}: no violations"]
            problems += [f"{name}: {t}" for t in bad]
    finally:
        try:
            _set_theme(page, "light", 0)
        finally:
            page.close()
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / f"{path.stem}-axe.txt").write_text("\n".join(report) + "\n")
    assert not problems, "\n".join(problems)


def test_the_accessibility_scan_catches_a_picture_without_a_text_alternative(lab, browser):
    """The exercise scan above can fail: a picture with no alt text put into an exercise's
    rendered Markdown is a critical violation the scan reports."""
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        pytest.skip("axe-playwright-python is not installed (pip install -e '.[dev]'): no axe scan")
    page = _open(browser, lab, f"exercises/{VALIDATED}/{VALIDATED}.ipynb")
    try:
        page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput", timeout=120_000)
        # JupyterLab may render a Markdown cell again while the notebook settles (trust,
        # typesetting) and drop the picture: scan again until the picture was still in the page
        # after the scan (once, in a full CI run, the scan found nothing to report)
        for _attempt in range(5):
            page.evaluate("""() => { document.getElementById('ntx-probe')?.remove();
              const img = document.createElement('img');
              img.id = 'ntx-probe'; img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
              document.querySelector('.jp-Notebook .jp-MarkdownOutput').appendChild(img); }""")
            bad, _ = _axe(page, ["image-alt"])
            if page.evaluate("() => !!document.getElementById('ntx-probe')"):
                break
            page.wait_for_timeout(1000)
    finally:
        page.close()
    assert any(t.startswith("image-alt (critical)") for t in bad), bad


@pytest.mark.parametrize(("folder", "passes"), [("solutions", True), ("exercises", False)],
                         ids=["solution-passes", "unanswered-exercise-fails"])
def test_nbgrader_validate_button_in_jupyterlab(folder, passes, lab, browser):
    """Open ex01 in JupyterLab, press the notebook toolbar's Validate button (nbgrader's lab
    extension; the server runs the notebook with the course's nbgrader_config.py) and read the
    dialog. The instructor version, solutions filled in, passes; the released student version,
    unanswered, fails: the button really runs the tests."""
    page = _open(browser, lab, f"{folder}/{VALIDATED}/{VALIDATED}.ipynb")
    try:
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        button = page.locator(".jp-NotebookPanel-toolbar .validate-button").first
        button.wait_for(timeout=60_000)
        time.sleep(2)  # the notebook's context must be ready: Validate saves before validating
        button.locator("jp-button, button").first.click()
        dialog = page.locator(".jp-Dialog:has-text('Validation Results')")
        dialog.wait_for(timeout=180_000)
        message = dialog.locator("#validation-message")
        text = message.inner_text()
        if passes:
            assert "Success! Your notebook passes all the tests." in text, text
            assert "validation-success" in (message.get_attribute("class") or "")
        else:
            assert "Success" not in text
            assert "validation-failed" in (message.get_attribute("class") or ""), text
            assert "NotImplementedError" in text, text
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"validate-{VALIDATED}-{folder}.png"))
    finally:
        page.close()


def test_the_last_cell_checks_the_saved_notebook_and_shows_the_result(lab, browser):
    """Issue 17: a learner checks from the notebook itself. The unanswered student version's
    last cell, run in JupyterLab, grades the saved file in another process and shows each
    question's result below the cell (0 of 12, every autograded question failed)."""
    page = _open(browser, lab, f"exercises/{VALIDATED}/{VALIDATED}.ipynb")
    try:
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        assert _wait_for_kernel(page) == "idle"
        last = page.locator(".jp-Notebook .jp-Cell").last
        _run_last_cell(page)
        output = last.locator(".jp-OutputArea-output:has-text('Autograded:')")
        try:
            output.wait_for(timeout=240_000)
        except Exception as err:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"check-cell-{VALIDATED}-failed.png"))
            raise AssertionError(f"no check result below the last cell: {last.inner_text()[-1500:]}") \
                from err
        text = output.inner_text()
        assert "Autograded: 0/12 points" in text and text.count("FAIL") >= 5, text
        assert "BEGIN HIDDEN TESTS" not in text and "Traceback" not in text
        assert "as saved at" in last.inner_text()
        assert last.locator(".jp-OutputArea-output").count() == 1, "one result, no repr below it"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"check-cell-{VALIDATED}.png"))
    finally:
        page.close()


def test_on_a_slow_laptop_every_figure_draws_and_follows_its_controls(lab, browser):
    """Chrome's CPU slowed 4x from Run All on (a slow laptop), and anywidget's 2 s deadline for
    loading a figure's module missed by every figure, as happened on a busy 2-core machine: a
    figure then stayed blank and deaf to its sliders (anywidget had dropped its messages). Every
    figure of chapter 1 must draw its data and the first redraw when a slider moves. How long a
    slowed chapter takes is measured by benchmarks/browser.py --throttle (goal 20 s), not
    asserted here."""
    path = ROOT / "course" / "01_opioid_antagonism.ipynb"
    url, token = lab
    page = browser.new_page()
    page.add_init_script(_MISS_ANYWIDGET_DEADLINE)
    try:
        page.goto(f"{url}/lab/workspaces/ntx-slow-laptop/tree/course/{path.name}?reset&token={token}")
        page.wait_for_selector(".jp-Notebook", state="attached", timeout=180_000)
        _wait_for_kernel(page)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        _run_all(page)
        expected = len(_widget_classes(path))
        counts = _drawn(page, expected, timeout_s=240)
        assert len(counts) == expected and min(counts) > 0, f"traces drawn per figure: {counts}"
        _first_slider_moves_plot_and_readout(page, "receptors occupied")
    finally:
        page.close()
