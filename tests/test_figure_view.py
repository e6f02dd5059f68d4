"""The course figure: a plain plotly figure in the kernel, drawn in the browser by one small
widget that loads plotly.js once per page (``naltrexone_lab.widgets.figure``)."""

from __future__ import annotations

import json
import re
import time

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from naltrexone_lab import widgets
from naltrexone_lab.plots.style import CourseFigure, new_figure
from naltrexone_lab.widgets.base import NO_VALUE, ModelWidget
from naltrexone_lab.widgets.figure import MAX_DISPLAY_POINTS, FigureView, encode, plotly_js_path, thin


def _state_bytes(view: FigureView) -> int:
    buffers: list = []
    text = json.dumps(encode(view.figure._data, buffers)) + json.dumps(encode(view.figure._layout, buffers))
    return len(text) + sum(len(b) for b in buffers)


def test_the_widget_module_is_small_and_carries_no_plotly_bundle():
    """The old FigureWidget sent plotly's 4.8 MB front end with every figure."""
    view = FigureView(go.Figure())
    esm = view._esm if isinstance(view._esm, str) else open(view._esm).read()
    assert len(esm.encode()) < 20_000
    assert plotly_js_path().stat().st_size > 1_000_000, "plotly.js ships with plotly"


@pytest.mark.parametrize("name", [n for n in widgets.__all__ if n != "ModelWidget"])
def test_first_render_of_every_figure_is_under_300_kB(name):
    w = getattr(widgets, name)()
    assert _state_bytes(w.view) <= 300_000


def test_kernel_sends_plotly_js_once_when_the_server_extension_is_missing():
    view = FigureView(go.Figure())
    sent = []
    view.send = lambda content, buffers=None: sent.append((content, buffers))
    view._on_message(view, {"type": "need-plotly-js"}, [])
    (content, buffers), = sent
    assert content["type"] == "plotly-js" and len(buffers[0]) == plotly_js_path().stat().st_size


def test_traces_are_found_by_key_and_a_new_trace_shifts_nothing():
    fig = CourseFigure()
    fig.add_trace(go.Scatter(x=[1], y=[1], name="a"))
    fig.add_trace(go.Scatter(x=[2], y=[2], name="same", uid="left"))
    fig.add_trace(go.Scatter(x=[3], y=[3], name="same", uid="right"))
    assert fig.trace("left").x == (2,)
    fig.add_trace(go.Scatter(x=[0], y=[0], name="new"))
    fig.data = (fig.data[-1],) + fig.data[:-1]  # now drawn first: every position shifts
    assert fig.trace("a").x == (1,) and fig.trace("right").x == (3,)
    with pytest.raises(KeyError, match="no trace"):
        fig.trace("same")  # every "same" trace has a uid: its name is not its key
    fig.trace("a").name = "renamed"  # keys follow a renamed trace (draw functions rename some)
    assert fig.trace("renamed").x == (1,) and "a" not in fig.trace_keys()
    fig.add_trace(go.Scatter(name="renamed"))
    with pytest.raises(KeyError, match="more than one"):
        fig.trace("renamed")


@settings(max_examples=60, deadline=None)
@given(st.integers(MAX_DISPLAY_POINTS + 1, 20_000), st.integers(0, 2**31 - 1))
def test_thinning_keeps_every_peak_and_trough_and_shares_x(n, seed):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0, 100, n))
    y = np.cumsum(rng.normal(size=n))
    assume(np.ptp(y) > 0)
    x_out, y_out = thin(x, y)
    assert len(x_out) == len(y_out) <= MAX_DISPLAY_POINTS
    assert y_out.max() == y.max() and y_out.min() == y.min()
    assert x_out[0] == x[0] and x_out[-1] == x[-1] and np.all(np.diff(x_out) >= 0)
    x_again, _ = thin(x, -y)
    assert np.array_equal(x_out, x_again), "traces on one x axis share the thinned x"


def test_a_refused_input_blanks_every_readout_and_greys_the_figure():
    w = widgets.RegimenExplorerWidget()
    w.controls["formulation"].value = "extended-release injection"
    w.controls["liver"].value = "decompensated cirrhosis"
    assert "⚠" in w.status.value or "&#9888;" in w.status.value
    assert w.refused and w.view.busy
    for name in w.readouts:
        assert w.readout_text(name) == NO_VALUE, name
    w.controls["liver"].value = "normal"
    assert not w.refused and not w.view.busy and w.status.value == ""
    assert all(w.readout_text(n) != NO_VALUE for n in w.readouts)


def test_a_refused_receptor_blanks_the_occupancy_readouts():
    w = widgets.OccupancyWidget()
    w.controls["ligand"].value = "morphine"
    w.controls["receptor"].value = "kappa"
    if not w.refused:
        pytest.skip("morphine has a kappa Ki in the table now")
    assert all(w.readout_text(n) == NO_VALUE for n in w.readouts)


class _Slow(ModelWidget):
    readout_labels = {"v": "value"}

    def __init__(self):
        import ipywidgets as W

        self.delay_s = 0.35
        super().__init__({"v": W.IntSlider(value=1, min=0, max=5, description="v")}, new_figure("slow"))
        self.figure.add_trace(go.Scatter(x=[0], y=[0], name="v"))

    def compute(self, values):
        time.sleep(self.delay_s)
        return values["v"]

    def draw(self, r):
        if self.figure.data:
            self.figure.trace("v").y = [r]

    def readout_values(self, r):
        return {"v": str(r)}


def test_a_slow_model_shows_computing_while_it_recomputes():
    w = _Slow()
    seen = []
    w.status.observe(lambda c: seen.append(c["new"]), names="value")
    w.view.observe(lambda c: seen.append(("busy", c["new"])), names="busy")
    w.controls["v"].value = 2
    assert any("computing" in s for s in seen if isinstance(s, str))
    assert ("busy", True) in seen and w.view.busy is False and w.status.value == ""
    w.delay_s = 0.0
    w.controls["v"].value = 3  # the previous compute was slow: still cued once
    seen.clear()
    w.controls["v"].value = 4  # the previous one was fast: no cue
    assert not any("computing" in s for s in seen if isinstance(s, str))


@given(st.lists(st.text(min_size=1, max_size=30), min_size=2, max_size=6, unique=True))
def test_trace_keys_reach_plotly_as_distinct_selector_safe_uids(keys):
    """plotly.js builds CSS selectors from a trace's uid: "occupancy/agonist alone" made it throw
    when a figure was removed. The browser gets safe, still distinct uids; the kernel keeps keys."""
    from naltrexone_lab.widgets.figure import browser_uid

    fig = CourseFigure()
    for key in keys:
        fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], uid=key))
    view = FigureView(fig)
    sent = [t["uid"] for t in view._data]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", uid) for uid in sent), sent
    assert len(set(sent)) == len(keys)
    assert sent == [browser_uid(k) for k in keys] and fig.trace_keys() == keys


def test_the_figure_travels_with_the_message_that_creates_its_widget():
    """A figure must not depend on a later message to show its data (a browser that drops one
    would show it blank): the state at creation holds every trace, under a model id the browser
    half can look up."""
    fig = new_figure("t")
    fig.add_trace(go.Scatter(x=np.arange(5.0), y=np.arange(5.0), name="line"))
    view = FigureView(fig)
    state = view.get_state()
    assert len(state["_data"]) == 1 and state["_ntx_id"] == view.model_id
    assert view.sync() == {}, "nothing changed since the widget was made"
    fig.data[0].y = np.arange(5.0) * 2
    assert view.sync()["type"] == "patch"
