"""naltrexone_lab.plots.explorer: the static explorers of the course site (issue 19)."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from naltrexone_lab.plots import explorer as E
from naltrexone_lab.plots import pk


def _line(slope: float, name: str = "a") -> go.Figure:
    x = np.linspace(0.0, 1.0, 5)
    fig = go.Figure(go.Scatter(x=x, y=slope * x, name=name))
    fig.add_scatter(x=x, y=np.ones_like(x), name="flat")
    fig.update_layout(title=f"slope {slope}", height=300)
    return fig


def test_each_step_carries_only_what_changes():
    fig = E.stepped_figure([(str(s), _line(s)) for s in (1.0, 2.0, 3.0)], control="slope", active=1)
    slider = fig.layout.sliders[0]
    assert slider.active == 1 and [s.label for s in slider.steps] == ["1.0", "2.0", "3.0"]
    for k, step in enumerate(slider.steps):
        data, layout, traces = step.args
        assert step.method == "update"
        assert set(data) == {"y"} and list(traces) == [0]  # x and the flat trace never change
        assert data["y"][0] == pytest.approx(list((k + 1) * np.linspace(0, 1, 5)))
        assert layout == {"title": {"text": f"slope {k + 1.0}"}}
    # the figure first shows the active state, with room for the slider
    assert list(fig.data[0].y) == pytest.approx([0, 0.5, 1.0, 1.5, 2.0])
    assert fig.layout.height == 300 + E.SLIDER_ROOM_PX
    assert "slope: " == slider.currentvalue.prefix


def test_numbers_are_rounded_and_nan_becomes_a_gap():
    assert E.compact(np.array([1 / 3, np.nan, 2.0, np.inf])) == [0.3333, None, 2, None]
    assert E.compact({"z": np.array([[1 / 7, 0.0]])}) == {"z": [[0.1429, 0]]}
    assert E.compact([np.float64(123456.7), True, "text"]) == [123500.0, True, "text"]
    # plotly >= 6 hands numpy arrays back as base64; they are decoded and rounded too
    spec = go.Figure(go.Heatmap(z=np.array([[1 / 3, 2.0], [0.5, 4.0]]))).to_plotly_json()["data"][0]["z"]
    assert E.compact(spec) == [[0.3333, 2], [0.5, 4]]


def test_it_merges_a_real_course_figure_and_stays_json():
    figs = []
    for dose in (4.5, 50.0):
        f = pk.regimen_figure()
        t = np.linspace(0, 2, 97)
        conc = dose * np.exp(-t * 2.4)
        pk.draw_regimen(f, t, conc, conc / 2, 100 * conc / (conc + 1), "plasma equilibrium")
        figs.append((f"{dose:g} mg", f))
    fig = E.stepped_figure(figs, control="dose (mg)")
    text = fig.to_json()
    assert "NaN" not in text and len(text) < 200_000
    json.loads(text)


@pytest.mark.parametrize("states, active, match", [
    ([], 0, "at least one"),
    ([("a", go.Figure())], 1, "active"),
    ([("a", _line(1.0)), ("b", go.Figure(go.Scatter(y=[1])))], 0, "same traces"),
])
def test_it_refuses_what_it_cannot_merge(states, active, match):
    with pytest.raises(ValueError, match=match):
        E.stepped_figure(states, control="c", active=active)
