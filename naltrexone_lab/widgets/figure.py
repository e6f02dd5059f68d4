"""The course's figure widget: a plain plotly figure in the kernel, drawn by plotly.js loaded
once per page.

Why not ``plotly.graph_objects.FigureWidget``: with plotly 6 and 7 every FigureWidget carries
plotly's whole front end (about 4.8 MB) as its own anywidget module, so each figure was a ~6.8 MB
websocket message and a chapter moved ~40 MB before anything was drawn; on a busy machine plots
stayed blank and a reloaded page showed none (plotly.py issue 5143).

:class:`FigureView` is a small anywidget. Its JavaScript (``naltrexone_lab/static/figure_view.js``)
loads plotly.js from one URL served by the course's Jupyter server extension
(:mod:`naltrexone_lab.labserver`), which the browser fetches once and caches; where that extension
is not enabled it asks the kernel for plotly.js once per page instead. The figure itself stays a
``go.Figure`` that tests read in the kernel. :meth:`FigureView.sync` sends only the traces and
layout that changed since the last message, numeric arrays as binary buffers, and keeps the full
state in the widget model so a reloaded page redraws every figure from the running kernel.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import plotly
import plotly.graph_objects as go
import traitlets

__all__ = ["FigureView", "encode"]

_ESM_FILE = Path(__file__).resolve().parent.parent / "static" / "figure_view.js"
#: The module as the browser gets it: figure_view.js without its whole-line comments, which are
#: for the file's readers (anywidget sends the module with every figure's first state).
_ESM = "\n".join(line for line in _ESM_FILE.read_text().splitlines()
                  if not line.lstrip().startswith("//")) + "\n"
_NUMERIC = {"f": "float64", "i": "int32", "u": "int32", "b": "uint8"}
#: A trace longer than this is thinned for display (a plot is about 1000 px wide).
MAX_DISPLAY_POINTS = 1200
# float32 keeps 7 significant digits, plenty for a plot, where every finite value lies in
# this magnitude range (or is 0); outside it (2e-64 on a log axis) float64 is kept.
_FLOAT32_RANGE = (1e-30, 1e30)


def plotly_js_path() -> Path:
    """The plotly.js bundle of the installed plotly package (the one its figures are written for)."""
    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


#: Values that travel as they are (a float may be NaN or infinite, which _clean turns into None).
_PLAIN = frozenset({str, int, bool, type(None)})


def _clean(value):
    """A JSON-safe copy of a scalar: NaN and infinities become None (plotly draws a gap)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _clean(value.item())
    return value


def _display_dtype(array: np.ndarray) -> str:
    kind = _NUMERIC[array.dtype.kind]
    if kind != "float64":
        return kind
    finite = np.abs(array[np.isfinite(array)])
    finite = finite[finite > 0]
    if not finite.size or (finite.min() >= _FLOAT32_RANGE[0] and finite.max() <= _FLOAT32_RANGE[1]):
        return "float32"
    return "float64"


def encode(value, buffers: list | None = None, _seen: dict | None = None):
    """Plotly JSON with every numeric numpy array replaced by a binary descriptor.

    With ``buffers`` None the descriptor holds the bytes itself (``"buffer": memoryview``, the
    form ipywidgets moves as binary widget state); otherwise the bytes are appended to
    ``buffers`` once per distinct array (traces sharing a time axis send it once) and the
    descriptor names their index (``"b": k``, for a custom message). Floats travel as float32
    where that loses nothing visible (see ``_FLOAT32_RANGE``).
    """
    if _seen is None:
        _seen = {}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in _NUMERIC:
            return [encode(v, buffers, _seen) for v in value.tolist()]
        kind = _display_dtype(value)
        raw = np.ascontiguousarray(value, dtype=kind).tobytes()
        desc = {"__ntx_nd__": kind, "shape": list(value.shape)}
        if buffers is None:
            desc["buffer"] = memoryview(raw)
        else:
            key = (kind, value.shape, hashlib.blake2b(raw, digest_size=16).digest())
            if key not in _seen:
                _seen[key] = len(buffers)
                buffers.append(memoryview(raw))
            desc["b"] = _seen[key]
        return desc
    if isinstance(value, dict):
        return {k: (v if type(v) in _PLAIN else encode(v, buffers, _seen)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if len(value) > 32:  # a long list of numbers (or a grid of them) travels as binary too
            try:
                array = np.asarray(value)
            except ValueError:  # ragged
                array = None
            if array is not None and array.dtype.kind in "fiu":
                return encode(array.astype(float), buffers, _seen)
        return [v if type(v) in _PLAIN else encode(v, buffers, _seen) for v in value]
    return _clean(value)


def thin(x: np.ndarray, y: np.ndarray, max_points: int = MAX_DISPLAY_POINTS):
    """Display copy of a long line: ``max_points // 2`` equal buckets of the samples, each drawn
    as its smallest and largest ``y`` (in the order the curve passes them), at the bucket's
    first and last ``x``. Every peak and trough keeps its height and moves by less than one
    bucket, so the drawn curve looks the same; traces on the same ``x`` get the same thinned
    ``x``, which is then sent once."""
    n = len(x)
    buckets = max_points // 2
    starts = np.linspace(0, n, buckets + 1).astype(int)[:-1]
    ends = np.append(starts[1:], n) - 1
    with np.errstate(invalid="ignore"):
        low = np.fmin.reduceat(y, starts)
        high = np.fmax.reduceat(y, starts)
    falling = y[starts] > y[ends]
    first = np.where(falling, high, low)
    second = np.where(falling, low, high)
    x_out = np.column_stack([x[starts], x[ends]]).ravel()
    y_out = np.column_stack([first, second]).ravel()
    return x_out, y_out


def _as_floats(values):
    """A long list of plain numbers as a float array (plotly keeps lists as given)."""
    if isinstance(values, (list, tuple)) and len(values) > MAX_DISPLAY_POINTS:
        try:
            return np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            return values
    return values


def browser_uid(uid: str) -> str:
    """A trace key as plotly.js may use it: plotly.js builds CSS selectors from ``uid`` (a
    colour bar is ``.cb<uid>``), so a key such as ``"occupancy/agonist alone"`` made it throw
    when a figure was removed. Other characters become ``-`` and a short digest keeps keys
    that differ only there apart."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", uid)
    if safe == uid:
        return uid
    return f"{safe}-{hashlib.blake2b(uid.encode(), digest_size=3).hexdigest()}"


def _display(trace: dict) -> dict:
    """The trace as sent to the browser: long numeric lines thinned with :func:`thin`, its
    ``uid`` made safe for plotly.js (:func:`browser_uid`)."""
    uid = trace.get("uid")
    if isinstance(uid, str) and browser_uid(uid) != uid:
        trace = dict(trace)
        trace["uid"] = browser_uid(uid)
    x, y = (_as_floats(trace.get(k)) for k in ("x", "y"))
    if (isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and x.ndim == y.ndim == 1
            and len(x) == len(y) > MAX_DISPLAY_POINTS and x.dtype.kind == "f" == y.dtype.kind
            and trace.get("type", "scatter") == "scatter" and "text" not in trace
            and bool(np.all(np.diff(x) >= 0))):
        trace = dict(trace)
        trace["x"], trace["y"] = thin(x, y)
    return trace


def _fingerprint(value) -> str:
    """A digest of a trace or layout as the browser would receive it (after thinning and
    float32), to tell what changed since the last send: a change too small to see in an array
    is not sent. Written by the C JSON encoder, numpy arrays hashed as their display bytes: the
    recursive :func:`encode` of every trace and the layout at every redraw was a third of the
    brake figure's update time."""
    h = hashlib.blake2b(digest_size=16)

    def default(obj):
        if isinstance(obj, np.ndarray):
            if obj.dtype.kind not in _NUMERIC:
                return obj.tolist()
            kind = _display_dtype(obj)
            h.update(np.ascontiguousarray(obj, dtype=kind).tobytes())
            return ["__ntx_nd__", kind, list(obj.shape)]
        if isinstance(obj, np.generic):
            return obj.item()
        return str(obj)

    text = json.dumps(value, sort_keys=True, default=default)
    h.update(text.encode())
    return h.hexdigest()


class FigureView(anywidget.AnyWidget):
    """Shows one ``go.Figure``; call :meth:`sync` after changing the figure.

    Attributes
    ----------
    figure : plotly.graph_objects.Figure
        The figure drawn, read and changed in the kernel.
    summary : str
        A one-sentence text alternative of what the figure shows now (read by screen readers).
    busy : bool
        True while the model recomputes (the plot is greyed).
    """

    _esm = _ESM
    _data: traitlets.List[dict[str, Any]] = traitlets.List().tag(sync=True)  # the traces, encoded
    _layout = traitlets.Dict().tag(sync=True)
    _revision = traitlets.Int(0).tag(sync=True)
    _plotly_version = traitlets.Unicode(plotly.__version__).tag(sync=True)
    summary = traitlets.Unicode("").tag(sync=True)
    busy = traitlets.Bool(False).tag(sync=True)
    _ntx_id = traitlets.Unicode("").tag(sync=True)  # the model id, for the browser half
    _quiet = False

    def __init__(self, figure: go.Figure, **kwargs):
        if not isinstance(figure, go.Figure):
            raise ValueError(f"figure must be a plotly.graph_objects.Figure; got {type(figure).__name__}")
        traces = [_display(t) for t in figure._data]
        # The whole figure travels in the message that creates the widget, and the model id is
        # chosen here so the browser half can find its own model (see figure_view.js): a
        # figure never depends on a later message to show its data.
        model_id = kwargs.pop("model_id", None) or uuid.uuid4().hex
        super().__init__(model_id=model_id, _ntx_id=model_id, _data=[encode(t) for t in traces],
                         _layout=encode(figure._layout), **kwargs)
        self.figure = figure
        self._trace_prints = [_fingerprint(t) for t in traces]
        self._layout_print = _fingerprint(figure._layout)
        self.on_msg(self._on_message)

    # Live changes go as one "patch" message; the traits are kept current without sending them
    # again, so a page that reconnects (reload, a second view) receives the whole current state.
    def _should_send_property(self, key, value):
        if self._quiet and key in ("_data", "_layout", "_revision"):
            return False
        return super()._should_send_property(key, value)

    def sync(self) -> dict:
        """Send what changed in :attr:`figure` since the widget was made or last synced;
        returns the message sent (empty when nothing changed)."""
        # plotly's own validated state, arrays still numpy (to_dict() would turn them into
        # base64 text, a third larger than the binary buffers sent here)
        traces = [_display(t) for t in self.figure._data]
        layout = self.figure._layout
        prints = [_fingerprint(t) for t in traces]
        layout_print = _fingerprint(layout)
        changed = {i: t for i, (t, p) in enumerate(zip(traces, prints))
                   if i >= len(self._trace_prints) or self._trace_prints[i] != p}
        layout_changed = layout_print != self._layout_print
        if not changed and not layout_changed and len(prints) == len(self._trace_prints):
            return {}
        buffers: list = []
        seen: dict = {}
        message = {"type": "patch", "revision": self._revision + 1,
                   "traces": {str(i): encode(t, buffers, seen) for i, t in changed.items()}}
        if len(prints) != len(self._trace_prints):
            message["n_traces"] = len(prints)
        if layout_changed:
            message["layout"] = encode(layout, buffers, seen)
        data = list(self._data)
        del data[len(prints):]
        for i, t in changed.items():
            entry = encode(t)
            if i < len(data):
                data[i] = entry
            else:
                data.append(entry)
        self._quiet = True
        try:
            self._data = data
            if layout_changed:
                self._layout = encode(layout)
            self._revision += 1
        finally:
            self._quiet = False
        self._trace_prints, self._layout_print = prints, layout_print
        self.send(message, buffers)
        return message

    def _on_message(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("type") == "need-state":
            # a patch sent before the browser had loaded this module was not seen: resend all
            self.send_state(["_data", "_layout", "_revision"])
            return
        if isinstance(content, dict) and content.get("type") == "need-plotly-js":
            try:
                source = plotly_js_path().read_bytes()
            except OSError as err:
                self.send({"type": "plotly-js", "error": f"plotly.js not found: {err}"})
                return
            self.send({"type": "plotly-js"}, [source])
