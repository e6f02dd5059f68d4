"""A static explorer: one figure that steps through precomputed states with a plotly slider.

The course site (``make site``) cannot run a kernel, so each interactive model is shown as a plain
``go.Figure`` holding the model's figure at every value of a grid of its main control; a
``layout.sliders`` slider with ``method="update"`` switches between them in the browser. The
states are the course's own figures (built by the plots functions the widgets call); this module
only merges them: each slider step carries just the trace properties and layout entries that
differ between states, with numbers rounded to a few significant digits, so an explorer stays
small.

>>> import plotly.graph_objects as go
>>> states = [(str(k), go.Figure(go.Scatter(x=[0, 1], y=[0, k]))) for k in (1, 2)]
>>> fig = stepped_figure(states, control="slope", active=1)
>>> [s["label"] for s in fig.layout.sliders[0].steps]
['1', '2']
>>> fig.layout.sliders[0].steps[0].args[0]
{'y': [[0, 1]]}
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

__all__ = ["SIGNIFICANT_DIGITS", "compact", "stepped_figure"]

#: significant digits kept for the numbers of a static explorer (a figure is read to 2-3 digits)
SIGNIFICANT_DIGITS = 4
#: room (px) added under the plot for the slider and its current-value label
SLIDER_ROOM_PX = 110


def _round(value: float, digits: int):
    if not math.isfinite(value):
        return None  # plotly draws a gap; JSON has no NaN
    if value == 0 or float(value).is_integer():
        return int(value) if abs(value) < 2**53 else float(value)
    return float(f"{value:.{digits}g}")


def compact(value, digits: int = SIGNIFICANT_DIGITS):
    """``value`` (a figure's JSON: dicts, lists, numpy arrays, numbers) with every float rounded to
    ``digits`` significant digits, NaN and infinities as None, arrays as lists."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fc":
            flat = [_round(float(v), digits) for v in value.real.ravel()]
            return np.array(flat, dtype=object).reshape(value.shape).tolist() if value.ndim > 1 else flat
        if value.dtype.kind in "iub":
            return value.tolist()
        return [compact(v, digits) for v in value.tolist()]
    if isinstance(value, Mapping):
        if "bdata" in value and "dtype" in value:  # plotly >= 6 writes numpy arrays as base64
            return compact(_decode(value), digits)
        return {k: compact(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [compact(v, digits) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return _round(float(value), digits)
    return value


def _decode(spec: Mapping) -> np.ndarray:
    """A numpy array from plotly's base64 form ``{"dtype": "f8", "bdata": ..., "shape": "2, 3"}``."""
    array = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]))
    shape = spec.get("shape")
    if shape:
        dims = [int(d) for d in str(shape).split(",")] if isinstance(shape, str) else list(shape)
        array = array.reshape(dims)
    return array


def _key(value) -> str:
    return json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True)


def stepped_figure(states: Sequence[tuple[str, go.Figure | Mapping]], *, control: str, active: int = 0,
                   digits: int = SIGNIFICANT_DIGITS) -> go.Figure:
    """One figure showing ``states[active]`` with a slider over every state.

    Parameters
    ----------
    states : sequence of (label, figure)
        The slider label of each step (the control's value, with its unit) and the figure at that
        value (a ``go.Figure`` or its ``to_plotly_json()``). Every figure must have the same traces
        in the same order (a widget's figure, redrawn in place, does).
    control : str
        What the slider moves (shown before the current value), e.g. ``"dose (mg)"``.
    active : int
        Index of the state shown first (the widget's default value).
    digits : int
        Significant digits kept for numbers.

    Returns
    -------
    plotly.graph_objects.Figure
        Slider steps use ``method="update"`` with only the trace properties and the top-level
        layout entries that differ between states.
    """
    if not states:
        raise ValueError("states must hold at least one (label, figure); got none")
    if not 0 <= active < len(states):
        raise ValueError(f"active must be an index of states (0 to {len(states) - 1}); got {active}")
    figs = []
    for _label, fig in states:
        spec = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig)
        figs.append(compact({"data": list(spec.get("data", [])), "layout": dict(spec.get("layout", {}))},
                            digits))
    n_traces = {len(f["data"]) for f in figs}
    if len(n_traces) != 1:
        raise ValueError(f"every state must have the same traces; got trace counts {sorted(n_traces)}")
    n = n_traces.pop()
    # trace properties that differ between states, and the traces they belong to
    varying: dict[str, set[int]] = {}
    for i in range(n):
        keys = set().union(*(f["data"][i].keys() for f in figs))
        for k in keys:
            if len({_key(f["data"][i].get(k)) for f in figs}) > 1:
                varying.setdefault(k, set()).add(i)
    traces = sorted(set().union(*varying.values())) if varying else []
    layout_keys = sorted(k for k in set().union(*(f["layout"].keys() for f in figs))
                         if k != "template" and len({_key(f["layout"].get(k)) for f in figs}) > 1)
    steps = []
    for (label, _), f in zip(states, figs):
        data_update = {k: [f["data"][i].get(k) for i in traces] for k in sorted(varying)}
        layout_update = {k: f["layout"].get(k) for k in layout_keys}
        steps.append({"label": str(label), "method": "update", "args": [data_update, layout_update, traces]})
    shown = figs[active]
    layout = dict(shown["layout"])
    # the slider goes at the very bottom, under the bottom margin the figure already uses for its
    # axis titles and legend: the margin grows by SLIDER_ROOM_PX and the slider is anchored
    # (in paper coordinates) to the bottom edge of the figure
    margin = dict(layout.get("margin") or {})
    bottom = margin.get("b")
    margin["b"] = (bottom if bottom is not None else 80) + SLIDER_ROOM_PX
    top = margin.get("t") if margin.get("t") is not None else 100
    layout["margin"] = margin
    layout["height"] = (layout.get("height") or 450) + SLIDER_ROOM_PX
    plot_px = max(layout["height"] - top - margin["b"], 50)
    layout["sliders"] = [{
        "active": active, "steps": steps, "pad": {"t": 0, "b": 0}, "len": 1.0, "x": 0.0,
        "y": -(margin["b"] - 4) / plot_px, "yanchor": "bottom",
        "currentvalue": {"prefix": f"{control}: ", "visible": True},
    }]
    return go.Figure({"data": shown["data"], "layout": layout}, skip_invalid=False)
