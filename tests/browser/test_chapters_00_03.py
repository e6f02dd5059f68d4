"""Chapters 00-03 in a real browser: the four checks every chapter gets (in browser_support.py:
every plot renders and passes the accessibility checks, every control moves its plot and
readouts, every model fits three window sizes, every plot returns after a reload), and on
chapters 00 and 01 the keyboard, the keyboard-only walk and the CSV download."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from browser_support import (
    _DRAWN_TRACES,
    _FOCUS,
    _TAG_CONTROLS,
    ARTIFACTS,
    FIRST_CHAPTERS,
    KEYBOARD_CHAPTER,
    _first_slider_moves_plot_and_readout,
    _key_change,
    _plot_count,
    _settle,
    _widget_classes,
    parametrize_chapters,
)
from helpers import ROOT

from naltrexone_lab.tooling.syllabus import CHAPTERS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The four checks every chapter gets, collected from here in the order they run: pytest takes a
# module's tests in the order their names were bound (the first check runs the notebook).
from browser_support import (  # noqa: E402, F401, I001
    test_notebook_runs_in_jupyterlab_and_every_plot_renders,
    test_every_control_of_every_model_moves_its_plot_and_readouts_in_the_browser,
    test_every_model_follows_the_notebook_width_at_three_window_sizes,
    test_every_plot_is_drawn_again_after_saving_and_reloading_the_page,
)


def pytest_generate_tests(metafunc):
    parametrize_chapters(metafunc, FIRST_CHAPTERS)


def test_keyboard_moves_a_slider_and_the_plot_and_readout_follow(run_page):
    page = run_page(ROOT / "course" / "00_start_here.ipynb")
    assert _plot_count(page, 1) >= 1
    _first_slider_moves_plot_and_readout(page)
    # issue 17: the start page's progress view, one row per exercise
    progress = page.locator("table.ntx-progress")
    progress.wait_for(timeout=30_000)
    assert progress.locator("caption").inner_text().startswith("Your progress:")
    assert progress.locator("tbody tr").count() == sum(1 for c in CHAPTERS if c.exercise)


def test_every_figure_offers_its_data_as_csv_and_the_file_holds_what_is_drawn(run_page):
    """Issue 25: beside its text alternative, each figure's numbers: a named button downloads the
    drawn traces as CSV, one row per point, in the figure's trace order."""

    path = ROOT / "course" / "01_opioid_antagonism.ipynb"
    expected = len(_widget_classes(path))
    page = run_page(path)
    page.bring_to_front()
    assert _plot_count(page, expected) >= expected
    buttons = page.locator(".ntx-figure .ntx-figure-csv")
    assert buttons.count() == expected
    assert set(buttons.evaluate_all("els => els.map(e => e.tagName + ': ' + e.textContent)")) == {
        "BUTTON: Download the figure's data (CSV)"}
    figure = page.locator(".ntx-figure").first
    figure.scroll_into_view_if_needed()
    with page.expect_download(timeout=30_000) as info:
        figure.locator(".ntx-figure-csv").click()
    download = info.value
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
    drawn = figure.evaluate(_DRAWN_TRACES)
    assert download.suggested_filename.endswith(".csv") and download.suggested_filename != "figure.csv"
    assert rows[0] == ["trace", "x axis", "x", "y axis", "y", "value"]
    assert len(rows) - 1 == sum(len(y) for _, y in drawn)
    name, ys = drawn[0]
    first = rows[1:1 + len(ys)]
    assert {r[0] for r in first} == {name}
    assert [float(r[4]) for r in first] == pytest.approx(ys)


def test_a_keyboard_alone_reaches_and_changes_every_control_of_a_chapter(run_page):
    """Chapter 1 with the keyboard only: from each model's first control, Tab walks through
    every control in reading order (its order on the page), each with a visible focus ring and a
    name that carries its unit, and arrow keys or Space change each one (a readout changes).
    Reaching a model's output from the notebook is JupyterLab's own navigation; the walk starts
    on the model's first control and leaves by Tab after its last."""
    from naltrexone_lab import widgets

    classes = _widget_classes(KEYBOARD_CHAPTER)
    page = run_page(KEYBOARD_CHAPTER)
    page.bring_to_front()
    assert _plot_count(page, len(classes)) >= len(classes)
    cells = page.locator(".jp-Notebook .jp-Cell")
    problems, changed, total, trail = [], 0, 0, []
    for index, class_name in classes.items():
        model = getattr(widgets, class_name)()
        names = list(model.controls)
        area = cells.nth(index).locator(".jp-Cell-outputArea")
        area.scroll_into_view_if_needed()
        try:
            area.locator(".js-plotly-plot").wait_for(timeout=60_000)
        finally:
            page.screenshot(path=str(ARTIFACTS / f"keyboard-walk-{index:02d}-{class_name}.png"))
        kinds = area.evaluate(_TAG_CONTROLS)
        assert len(kinds) == len(names)
        _settle(page, area)
        area.locator("[data-ntx-control='0']").locator(".noUi-handle, select, input").first.focus()
        visited: list[int] = []
        for step in range(6 * len(kinds) + 6):
            focus = area.evaluate(_FOCUS)
            if not focus["inside"]:
                trail.append(f"{class_name}: Tab left the model to {focus['tag']}")
                break
            i = focus["control"]
            if i is not None and i not in visited:
                visited.append(i)
                label = f"{class_name}.{names[i]} ({kinds[i]})"
                description = model.controls[names[i]].description
                if description not in focus["name"]:
                    problems.append(f"{label}: accessible name {focus['name']!r}, label {description!r}")
                if step and (focus["outline"] or "").startswith("none"):
                    problems.append(f"{label}: no visible focus ({focus['outline']})")
                if kinds[i] == "slider" and not focus["valuetext"]:
                    problems.append(f"{label}: the slider's value is not given as text")
                if _key_change(page, area, kinds[i]):
                    changed += 1
                else:
                    problems.append(f"{label}: no readout changed after keys")
            page.keyboard.press("Tab")
        total += len(kinds)
        if visited != list(range(len(kinds))):
            problems.append(f"{class_name}: Tab reached controls {visited} of {list(range(len(kinds)))} "
                            f"({names})")
    (ARTIFACTS / "keyboard-walk.txt").write_text("\n".join(trail + problems) + "\n")
    assert not problems, "\n".join(problems)
    assert changed == total
    assert page.locator("text=Traceback").count() == 0
