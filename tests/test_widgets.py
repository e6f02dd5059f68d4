"""Every interactive model of every chapter: the contract's widget rules, checked generically."""

from __future__ import annotations

import re

import pytest
from helpers import figure_state, other_value

from naltrexone_lab import widgets
from naltrexone_lab.plots.style import PALETTE

WIDGETS = [getattr(widgets, name) for name in widgets.__all__ if name != "ModelWidget"]
CONTROLS = [(cls, name) for cls in WIDGETS for name in cls().controls]


@pytest.mark.parametrize(("cls", "name"), CONTROLS, ids=lambda x: getattr(x, "__name__", x))
def test_every_control_changes_the_figure_and_a_readout(cls, name):
    w = cls()
    before_fig, before_text = figure_state(w), {k: w.readout_text(k) for k in w.readouts}
    fig_id = id(w.figure)
    w.controls[name].value = other_value(w.controls[name])
    assert w.status.value == ""
    assert figure_state(w) != before_fig, f"{cls.__name__}.{name} did not change the figure"
    assert id(w.figure) == fig_id, "the figure must be updated in place, not replaced"
    after_text = {k: w.readout_text(k) for k in w.readouts}
    assert after_text != before_text, f"{cls.__name__}.{name} did not change any readout"


@pytest.mark.parametrize("cls", WIDGETS)
def test_figures_are_accessible(cls):
    """Colour-blind-safe colours, a title, and axis titles with units on every axis in use."""
    fig = cls().figure
    assert fig.layout.title.text
    allowed = {c.lower() for c in PALETTE.values()} | {"#444"}
    for trace in fig.data:
        colours = []
        for attr in ("line", "marker"):
            part = getattr(trace, attr, None)
            colour = getattr(part, "color", None) if part is not None else None
            if colour is None:
                continue
            colours += list(colour) if isinstance(colour, (list, tuple)) else [colour]
        for c in colours:
            assert str(c).lower() in allowed, f"{cls.__name__}: {trace.name} uses {c}"
            assert str(c).lower() != PALETTE["yellow"].lower(), "yellow is unreadable on white"
    cartesian = any(t.type != "table" for t in fig.data)
    for axis in [a for a in fig.layout if a.startswith(("xaxis", "yaxis")) and cartesian]:
        title = fig.layout[axis].title.text
        if fig.layout[axis].visible is False:
            continue  # a diagram's hidden axes
        if not title and fig.layout[axis].matches:
            continue  # a shared axis is titled once, on the subplot that shows it
        assert title, f"{cls.__name__}: {axis} has no title"
        unit = (r"\([^)]*(nM|M|mg|ng/mL|days|h|Hz|%|fraction|fold|log|dimensionless)[^)]*\)"
                r"|fraction|log10|dose ratio|^receptor$|^mediator$")
        assert re.search(unit, title), f"{cls.__name__}: {axis} title lacks units: {title!r}"


def test_out_of_range_values_are_clamped_by_every_slider():
    """A learner cannot enter an impossible value: each slider clamps to its bounds."""
    for cls in WIDGETS:
        w = cls()
        for control in w.controls.values():
            if not hasattr(control, "max"):
                continue
            control.value = 1e12
            top = control.base ** control.max if hasattr(control, "base") else control.max
            assert control.value == pytest.approx(top)
            control.value = -1e12
            assert control.value > -1e-12
            assert w.status.value == ""




KEYBOARD_OPERABLE = ("FloatLogSlider", "FloatSlider", "IntSlider", "SelectionSlider", "Dropdown", "Checkbox")


@pytest.mark.parametrize("cls", WIDGETS)
def test_every_control_is_a_keyboard_operable_widget_with_a_label(cls):
    """Sliders take arrow keys, dropdowns and checkboxes are native form controls (checked in a
    real browser for the sliders); none is disabled and each has a visible description."""
    for name, control in cls().controls.items():
        assert type(control).__name__ in KEYBOARD_OPERABLE, f"{cls.__name__}.{name}"
        assert not control.disabled
        assert control.description, f"{cls.__name__}.{name} has no label"


def _contains_undefined(obj) -> bool:
    from plotly.basedatatypes import Undefined

    if obj is Undefined or (isinstance(obj, str) and obj == "_undefined_"):
        return True
    if isinstance(obj, dict):
        return any(_contains_undefined(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(_contains_undefined(v) for v in obj)
    return False


@pytest.mark.parametrize(("cls", "name"), CONTROLS, ids=lambda x: getattr(x, "__name__", x))
def test_updates_sent_to_the_browser_are_complete(cls, name):
    """No "leave it alone" placeholders: the browser's copy of a figure stores them literally
    (plotly 7 with anywidget), which erased colours and data when a plot was redrawn."""
    w = cls()
    sent = []
    for trait in ("_py2js_update", "_py2js_restyle"):
        w.figure.observe(lambda change: sent.append(change["new"]), names=trait)
    w.controls[name].value = other_value(w.controls[name])
    messages = [m for m in sent if m]
    assert messages, "a control change must send an update"
    assert not any(_contains_undefined(m) for m in messages)
