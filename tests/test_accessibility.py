"""Accessibility in the kernel (issue 25): every figure's generated text alternative follows its
controls and states the model's own numbers; every control's name carries its unit.

The browser half (the text alternative reached by a screen reader, live readouts, the axe-core
scan, the light and dark themes, a keyboard-only walk) is in tests/browser/."""

from __future__ import annotations

import re

import ipywidgets as W
import numpy as np
import plotly.graph_objects as go
import pytest
from helpers import other_value

from naltrexone_lab import widgets
from naltrexone_lab.models import binding as B
from naltrexone_lab.models.ligands import ki_nM
from naltrexone_lab.plots.describe import FRACTION, describe_figure, format_value, unit_of
from naltrexone_lab.plots.style import new_figure, style_axes

WIDGETS = [getattr(widgets, name) for name in widgets.__all__ if name != "ModelWidget"]
CONTROLS = [(cls, name) for cls in WIDGETS for name in cls().controls]


def _number(text: str, pattern: str) -> float:
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in {text!r}"
    return float(match.group(1).replace(",", ""))


# -- the generator ----------------------------------------------------------------------------------
def test_units_are_read_from_axis_titles():
    assert unit_of("ligand concentration (nM, log scale)") == "nM"
    assert unit_of("fraction of receptors occupied") == FRACTION
    assert unit_of("response (fraction of system maximum)") == FRACTION
    assert unit_of("time (days)") == "days"
    assert unit_of("ng/mL (log)") == "ng/mL"
    assert unit_of("occupancy (%)") == "%"
    assert unit_of("dose ratio (fold shift of agonist EC50)") == "fold"
    assert unit_of("receptor") == ""


def test_numbers_keep_three_figures_and_fractions_are_percent():
    assert format_value(0.98765, FRACTION) == "98.8%"
    assert format_value(45.0, "%") == "45%"
    assert format_value(0.1234, "nM") == "0.123 nM"
    assert format_value(1000.0, "nM") == "1000 nM"
    assert format_value(float("nan"), "nM") == "no value"


def test_a_figure_is_described_from_its_own_data():
    fig = new_figure("A test figure")
    x = np.logspace(-2, 2, 41)  # x = 1 is on the grid
    fig.add_trace(go.Scatter(x=x, y=x / (x + 1.0), mode="lines", name="rising"))
    fig.add_trace(go.Scatter(x=x, y=1.0 / (x + 1.0), mode="lines", name="falling"))
    fig.add_trace(go.Scatter(x=x, y=np.exp(-np.log10(x) ** 2), mode="lines", name="peak"))
    fig.add_trace(go.Scatter(x=[1.0, 1.0], y=[0, 0.5], mode="lines", name="marker line"))
    fig.add_trace(go.Scatter(x=[3.0], y=[0.75], mode="markers", name="dot"))
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="empty"))
    fig.add_trace(go.Scatter(x=[1, 2], y=[1, 2], mode="lines", name="hidden", visible=False))
    style_axes(fig, x_title="concentration (nM, log scale)", y_title="fraction occupied", x_log=True)
    text = describe_figure(fig)
    assert text.startswith("Figure: A test figure.")
    assert "rising: rises from 0.99% to 99% between 0.01 nM and 100 nM" in text
    assert "falling: falls from 99% to 0.99%" in text
    assert "peak: goes from" in text and "highest 100% at 1 nM" in text
    assert "marker line: a vertical line at 1 nM from 0% to 50%" in text
    assert "dot: 75% at 3 nM" in text
    assert "empty" not in text and "hidden" not in text


def test_panels_are_named_by_their_subplot_titles():
    fig = new_figure("Two panels", rows=1, cols=2, subplot_titles=("Left panel", "Right panel"))
    fig.add_trace(go.Scatter(x=[1, 2, 3], y=[1, 2, 3], mode="lines", name="a"), row=1, col=1)
    fig.add_trace(go.Bar(x=["mu", "kappa"], y=[0.5, 0.25], name="b"), row=1, col=2)
    style_axes(fig, x_title="time (h)", y_title="level (nM)", row=1, col=1)
    style_axes(fig, x_title="receptor", y_title="fraction occupied", row=1, col=2)
    text = describe_figure(fig)
    assert "Left panel: a: rises from 1 nM to 3 nM between 1 h and 3 h." in text
    assert "Right panel: b: 50% at mu; 25% at kappa." in text


# -- every course figure ----------------------------------------------------------------------------
@pytest.mark.parametrize("cls", WIDGETS)
def test_every_figure_has_a_text_alternative_the_view_carries(cls):
    w = cls()
    title = w.figure.layout.title.text
    assert w.summary.startswith(f"Figure: {title}"), w.summary
    assert w.view.summary == w.summary
    assert "No data is drawn" not in w.summary, f"{cls.__name__}: {w.summary}"
    assert 60 <= len(w.summary) <= 1500, f"{cls.__name__}: {len(w.summary)} characters"
    assert "nan" not in w.summary.lower().split()


@pytest.mark.parametrize(("cls", "name"), CONTROLS, ids=lambda x: getattr(x, "__name__", x))
def test_the_text_alternative_changes_when_a_control_changes(cls, name):
    """Every control that changes the figure (tests/test_widgets.py) changes what the figure's
    text alternative says, and the view receives it."""
    w = cls()
    before = w.view.summary
    w.controls[name].value = other_value(w.controls[name])
    assert w.status.value == ""
    assert w.view.summary != before, f"{cls.__name__}.{name} did not change the description"
    assert w.view.summary == w.summary


def test_occupancy_summary_states_the_binding_models_numbers():
    w = widgets.OccupancyWidget(conc_nM=1.0)
    ki = ki_nM("naltrexone", "mu")
    expected = float(B.hill_langmuir_occupancy(1.0, ki))
    text = w.view.summary
    assert _number(text, r"At 1 nM, ([\d.]+)% of the receptors") == pytest.approx(100 * expected, rel=5e-3)
    assert _number(text, r"at the Kd, ([\d.]+) nM") == pytest.approx(ki, rel=5e-3)
    w.controls["conc_nM"].value = 10.0
    expected = float(B.hill_langmuir_occupancy(10.0, ki))
    assert _number(w.view.summary, r"At 10 nM, ([\d.]+)% of") == pytest.approx(100 * expected, rel=5e-3)


def test_curve_shift_summary_states_the_fold_shift_of_the_model():
    w = widgets.CurveShiftWidget(agonist="morphine", naltrexone_nM=1.0)
    first = _number(w.view.summary, r"shifts ([\d.,]+)-fold right")
    assert first == pytest.approx(w.result["ec50_with"] / w.result["ec50_alone"], rel=5e-3)
    w.controls["naltrexone_nM"].value = 100.0
    after = _number(w.view.summary, r"shifts ([\d.,]+)-fold right")
    # a competitive antagonist: the shift is the Schild dose ratio 1 + B/KB
    assert after == pytest.approx(float(B.dose_ratio(100.0, ki_nM("naltrexone", "mu"))), rel=5e-3)
    assert after > 50 * first / 10


def test_a_refused_input_greys_the_description_too():
    w = widgets.OccupancyWidget()
    refused = None
    for ligand in w.controls["ligand"].options:
        for receptor in w.controls["receptor"].options:
            w.controls["ligand"].value, w.controls["receptor"].value = ligand, receptor
            if w.refused:
                refused = (ligand, receptor)
                break
        if refused:
            break
    if refused is None:
        pytest.skip("every ligand has a Ki at every receptor: nothing to refuse")
    assert "refused" in w.view.summary and "no current value" in w.view.summary


# -- control names ----------------------------------------------------------------------------------
#: what counts as a unit in a control's name: a parenthesis (nM, mg, %, fraction, no unit ...)
#: or a counted or timed thing named in words
UNIT = re.compile(r"\([^)]+\)|\b(days?|hours?|patients|levels)\b")


@pytest.mark.parametrize("cls", WIDGETS)
def test_every_numeric_control_names_its_unit(cls):
    """A slider's accessible name is its label (figure_view.js points its handle at it), so the
    label says the unit, or "(no unit)" for a pure number; dropdowns and checkboxes choose
    named options."""
    for name, control in cls().controls.items():
        if isinstance(control, (W.Dropdown, W.Checkbox)):
            continue
        assert UNIT.search(control.description), f"{cls.__name__}.{name}: {control.description!r}"
