"""Every interactive model of every chapter: the contract's widget rules, checked generically."""

from __future__ import annotations

import json
import re

import pytest
from helpers import figure_state, other_value

from naltrexone_lab import widgets
from naltrexone_lab.plots.style import PALETTE
from naltrexone_lab.widgets.figure import FigureView

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


def test_no_slider_accepts_an_impossible_value():
    """A learner cannot enter an impossible value: a linear slider clamps to its bounds, a log
    slider (a list of round values) refuses any value not on it, and neither reaches the model."""
    import ipywidgets as W
    from traitlets import TraitError

    for cls in WIDGETS:
        w = cls()
        for name, control in w.controls.items():
            if isinstance(control, W.SelectionSlider):
                before = control.value
                with pytest.raises(TraitError):
                    control.value = 1e12
                assert control.value == before, f"{cls.__name__}.{name}"
            elif hasattr(control, "max"):
                control.value = 1e12
                assert control.value == control.max
                control.value = -1e12
                assert control.value == control.min
            assert w.status.value == "", f"{cls.__name__}.{name}: {w.status.value}"


def _exact_on_grid(value, low, step) -> bool:
    from fractions import Fraction

    k = (Fraction(str(value)) - Fraction(str(low))) / Fraction(str(step))
    return k.denominator == 1


@pytest.mark.parametrize("cls", WIDGETS)
def test_every_slider_lands_exactly_on_its_default_and_both_ends(cls):
    """The value the browser shows, the kernel uses and an exercise quotes are the same number:
    the default and both ends of every slider are reachable exactly (a geometric log grid gave
    32 for 30, 25.1 for 24 h, 150.00000000000003 for 150 mg)."""
    import ipywidgets as W

    w = cls()
    for name, control in w.controls.items():
        label = f"{cls.__name__}.{name}"
        if isinstance(control, W.SelectionSlider):
            values = [v for _, v in control.options]
            assert values == sorted(values), label
            for v in values:
                assert float(f"{v:.12g}") == v, f"{label}: {v!r} is not a round decimal"
        elif isinstance(control, (W.FloatSlider, W.IntSlider)):
            assert _exact_on_grid(control.value, control.min, control.step), label
            assert _exact_on_grid(control.max, control.min, control.step), label


def test_log_slider_values_are_round_and_include_what_the_text_quotes():
    from naltrexone_lab.widgets.base import log_values

    values = log_values(1.0, 150.0, (42.0,))
    assert values[0] == 1.0 and values[-1] == 150.0
    for quoted in (2.0, 3.0, 4.5, 30.0, 42.0, 50.0):  # round mantissas, and 42 as an extra
        assert quoted in values, quoted
    assert 24.0 not in log_values(1.0, 720.0) and 24.0 in log_values(1.0, 720.0, (24.0,))
    assert all(float(f"{v:.12g}") == v for v in values)
    with pytest.raises(ValueError, match="outside"):
        log_values(1.0, 10.0, (20.0,))
    with pytest.raises(ValueError, match="0 < low < high"):
        log_values(0.0, 10.0)


KEYBOARD_OPERABLE = ("FloatLogSlider", "FloatSlider", "IntSlider", "SelectionSlider", "Dropdown", "Checkbox")


#: characters of a slider or dropdown label that fit its 250 px label column at 13 px Arial
LABEL_CHARACTERS = 34


@pytest.mark.parametrize("cls", WIDGETS)
def test_no_control_label_is_cut_off(cls):
    """A label longer than its column is shown as "endogenous adaptation ti..." (checkboxes put
    their label beside the box at full width)."""
    import ipywidgets as W

    for name, control in cls().controls.items():
        if isinstance(control, W.Checkbox):
            continue
        assert len(control.description) <= LABEL_CHARACTERS, f"{cls.__name__}.{name}: {control.description!r}"


@pytest.mark.parametrize("cls", WIDGETS)
def test_every_control_is_a_keyboard_operable_widget_with_a_label(cls):
    """Sliders take arrow keys, dropdowns and checkboxes are native form controls (checked in a
    real browser for the sliders); none is disabled and each has a visible description."""
    for name, control in cls().controls.items():
        assert type(control).__name__ in KEYBOARD_OPERABLE, f"{cls.__name__}.{name}"
        assert not control.disabled
        assert control.description, f"{cls.__name__}.{name} has no label"


@pytest.mark.parametrize(("cls", "name"), CONTROLS, ids=lambda x: getattr(x, "__name__", x))
def test_a_control_change_sends_one_small_patch_that_rebuilds_the_figure(cls, name):
    """A change sends one message holding only the traces and layout that changed (at most
    50 KB, arrays as binary buffers), and merging it into the browser's previous state gives
    exactly the state a freshly opened page receives."""
    w = cls()
    view = w.view
    before = list(view._data)
    sent = []
    view.send = lambda content, buffers=None: sent.append((content, buffers or []))
    w.controls[name].value = other_value(w.controls[name])
    patches = [(m, b) for m, b in sent if m.get("type") == "patch"]
    assert len(patches) == 1, f"{len(patches)} messages for one change"
    message, buffers = patches[0]
    size = len(json.dumps(message)) + sum(len(b) for b in buffers)
    assert size <= 50_000, f"{cls.__name__}.{name}: {size} bytes for one change"
    fresh = FigureView(w.figure)
    merged = before[:message.get("n_traces", len(before))]
    for index, trace in message["traces"].items():
        assert int(index) < len(merged) or int(index) == len(merged)
        if int(index) < len(merged):
            assert _plain(merged[int(index)]) != _plain(trace, buffers), "an unchanged trace was sent"
    assert [_plain(t) for t in view._data] == [_plain(t) for t in fresh._data]
    for index, trace in message["traces"].items():
        assert _plain(trace, buffers) == _plain(view._data[int(index)])


def _plain(value, buffers=()):
    """Encoded plotly JSON with binary arrays turned into lists (for comparison)."""
    import numpy as np

    if isinstance(value, dict):
        if "__ntx_nd__" in value:
            raw = value["buffer"] if "buffer" in value else buffers[value["b"]]
            return np.frombuffer(bytes(raw), dtype=value["__ntx_nd__"]).tolist()
        return {k: _plain(v, buffers) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, buffers) for v in value]
    return value
