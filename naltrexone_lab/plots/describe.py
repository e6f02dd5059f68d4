"""Text alternatives of the course figures, computed from the figure's own data.

:func:`describe_figure` turns what a figure holds *now* (its title, each visible trace's name,
numbers and axes) into a few plain sentences a screen reader reads in place of the picture,
e.g. "occupancy: rises from 0.9% to 99.9% between 0.001 and 1000 nM". It reads the same trace
data the browser draws, so it can never describe a state the plot does not show. A ``draw_*``
function may add one sentence that says what matters in its figure (a fold shift, a peak) with
:func:`set_headline`; it is put first.

Numbers keep three significant figures; an axis whose title says "fraction" is stated in
percent, any other axis carries the unit in its title's parentheses ("time (days)" -> days).
Nothing here computes a model.

The figure is read from plotly's own validated state (``fig._data``, ``fig._layout``: plain
dicts, arrays still numpy), as :meth:`~naltrexone_lab.widgets.figure.FigureView.sync`
does: going through plotly's property objects took 7 ms a figure, 0.7 ms this way.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np

__all__ = ["FRACTION", "MAX_TRACES", "describe_figure", "format_value", "set_headline", "unit_of"]

#: at most this many traces are described one by one (the rest are counted)
MAX_TRACES = 10
#: at most this many points of a marker trace are listed one by one
MAX_POINTS = 4


def _plain(text) -> str:
    """Axis or trace text without plotly's HTML (``<br>``, ``<b>``) and entities."""
    if text is None:
        return ""
    text = re.sub(r"<br\s*/?>", " ", str(text))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


#: the unit :func:`unit_of` gives an axis of fractions, stated in percent by :func:`format_value`
FRACTION = "fraction"
_NOT_UNITS = re.compile(r"(log|log scale|linear|log-odds|dimensionless|no unit)", re.I)


def unit_of(axis_title: str) -> str:
    """The unit an axis title states: :data:`FRACTION` for a fraction, else the first part of
    its parenthesis that is not a remark about the scale ("nM, log scale" -> "nM"; a long
    phrase gives its first word), else ""."""
    title = _plain(axis_title)
    if re.search(r"\bfraction\b", title):
        return FRACTION
    for group in re.findall(r"\(([^()]*)\)", title):
        for part in re.split(r"[,;]", group):
            part = part.strip()
            if not part or _NOT_UNITS.fullmatch(part):
                continue
            if part.lower() == "fold":
                return "-fold"
            words = part.split()
            return words[0] if len(words) > 3 else part
    match = re.match(r"^([A-Za-z/%]+) \(log\)$", title)  # "ng/mL (log)"
    return match.group(1) if match else ""


def format_value(value: float, unit: str = "") -> str:
    """``value`` with three significant figures and its unit ("%" turns a fraction into
    percent: 0.987 -> "98.7%")."""
    if value is None or not math.isfinite(value):
        return "no value"
    if unit in (FRACTION, "%"):
        percent = value * 100.0 if unit == FRACTION else value
        text = f"{percent:.3g}" if abs(percent) < 1000 else f"{percent:,.0f}"
        return f"{_tidy(text)}%"
    text = _tidy(f"{value:.3g}")
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith(("-", "%")) else f"{text} {unit}"


def _tidy(text: str) -> str:
    """``1e+03`` -> ``1000``, ``2.5e-05`` kept (plain numbers where they are short)."""
    if "e" in text:
        try:
            v = float(text)
        except ValueError:
            return text
        if 1e-3 <= abs(v) < 1e5:
            return f"{v:g}"
    return text


def set_headline(fig, text: str) -> None:
    """Put ``text`` (one sentence about what matters in this figure now) first in its
    description. Call it from a ``draw_*`` function, with numbers from the model output."""
    fig._ntx_headline = str(text)


def _raw(fig) -> tuple[list, dict]:
    """(traces, layout) of a plotly figure as plain dicts (not copied: read only)."""
    return fig._data, fig._layout


def _get(node, *keys):
    """``node[k1][k2]...``, or None where a level is missing (plotly leaves unset properties
    out of its state)."""
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _text(title) -> str:
    """A title's text (plotly stores ``{"text": ...}``; a bare string is taken as the text)."""
    return _plain(title.get("text") if isinstance(title, dict) else title)


def _axis(layout: dict, trace: dict, letter: str, *, titled: bool = False) -> dict:
    """The layout axis a trace is drawn on ({} when the layout sets nothing for it); with
    ``titled``, the axis it is shared with when it has no title of its own (a shared time axis
    is titled once, under the bottom panel)."""
    ref = trace.get(f"{letter}axis") or letter
    axis: dict = {}
    for _ in range(4):
        axis = layout.get(f"{letter}axis{ref[1:]}") or {}
        if not titled or _axis_title(axis) or not axis.get("matches"):
            return axis
        ref = axis["matches"]
    return axis


def _axis_title(axis: dict) -> str:
    return _text(axis.get("title")) if axis else ""


def _numbers(values) -> np.ndarray | None:
    if values is None:
        return None
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return None
    return array if array.ndim == 1 else None


def _shape(x: np.ndarray, y: np.ndarray, xu: str, yu: str) -> str:
    """How a line goes: rises, falls, peaks or dips, with its ends and its extreme."""
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size == 0:
        return "no values drawn"
    fx, fy = (lambda v: format_value(v, xu)), (lambda v: format_value(v, yu))
    span = f"between {fx(x[0])} and {fx(x[-1])}"
    if x.size == 1 or np.ptp(y) <= 1e-9 * max(1.0, float(np.max(np.abs(y)))):
        if x.size >= 2 and np.ptp(x) <= 1e-12 * max(1.0, float(np.max(np.abs(x)))):
            return f"a vertical line at {fx(x[0])}"
        return f"level at {fy(y[0])} {span}"
    if np.ptp(x) == 0:
        return f"a vertical line at {fx(x[0])} from {fy(np.min(y))} to {fy(np.max(y))}"
    dy = np.diff(y)
    tol = 1e-9 * float(np.ptp(y))
    if np.all(dy >= -tol):
        return f"rises from {fy(y[0])} to {fy(y[-1])} {span}"
    if np.all(dy <= tol):
        return f"falls from {fy(y[0])} to {fy(y[-1])} {span}"
    hi, lo = int(np.argmax(y)), int(np.argmin(y))
    text = f"goes from {fy(y[0])} to {fy(y[-1])} {span}"
    if 0 < hi < y.size - 1:
        text += f", highest {fy(y[hi])} at {fx(x[hi])}"
    if 0 < lo < y.size - 1:
        text += f", lowest {fy(y[lo])} at {fx(x[lo])}"
    return text


def _points(x, y, xu, yu, labels=None) -> str:
    parts = []
    for i, (a, b) in enumerate(zip(x, y)):
        where = labels[i] if labels is not None else format_value(float(a), xu)
        parts.append(f"{format_value(float(b), yu)} at {where}")
    return "; ".join(parts)


def _describe_trace(layout: dict, trace: dict) -> str | None:
    kind = trace.get("type") or "scatter"
    name = _plain(trace.get("name")) or kind
    visible = trace.get("visible")
    if visible is False or visible == "legendonly":
        return None
    if kind == "table":
        header = [_plain(v) for v in (_get(trace, "header", "values") or [])]
        cells = _get(trace, "cells", "values") or []
        rows = len(cells[0]) if len(cells) else 0
        if not rows:
            return None
        lines = []
        for r in range(rows):
            lines.append(", ".join(f"{h} {_plain(col[r])}" if h else _plain(col[r])
                                   for h, col in zip(header or [""] * len(cells), cells)))
        return f"table: {'; '.join(lines)}"
    if kind == "heatmap":
        z = np.asarray(trace.get("z") if trace.get("z") is not None else [], dtype=float)
        if z.size == 0 or not np.isfinite(z).any():
            return None
        xt = _axis_title(_axis(layout, trace, "x"))
        yt = _axis_title(_axis(layout, trace, "y"))
        hi = np.unravel_index(np.nanargmax(z), z.shape)
        lo = np.unravel_index(np.nanargmin(z), z.shape)
        xs, ys = _numbers(trace.get("x")), _numbers(trace.get("y"))

        def where(ix):
            if xs is None or ys is None or xs.size <= ix[1] or ys.size <= ix[0]:
                return ""
            if "log-odds" in xt + yt:  # drawn on a transformed axis: its numbers are not the values
                return ""
            return (f" at {xt or 'x'} {format_value(xs[ix[1]], unit_of(xt))}, "
                    f"{yt or 'y'} {format_value(ys[ix[0]], unit_of(yt))}")
        return (f"{name}: a colour map of {z.shape[0]} by {z.shape[1]} cells, from "
                f"{format_value(float(z[lo]))}{where(lo)} to {format_value(float(z[hi]))}{where(hi)}")
    if kind not in ("scatter", "bar"):
        return f"{name} ({kind})"
    xaxis, yaxis = _axis(layout, trace, "x", titled=True), _axis(layout, trace, "y", titled=True)
    if xaxis.get("visible") is False or yaxis.get("visible") is False:
        return name  # a diagram drawn on hidden axes: its parts are named, not measured
    xu, yu = unit_of(_axis_title(xaxis)), unit_of(_axis_title(yaxis))
    y = _numbers(trace.get("y"))
    if y is None or y.size == 0:
        return None
    x = _numbers(trace.get("x"))
    if kind == "bar" or x is None:
        given = trace.get("x")
        labels = [_plain(v) for v in (given if given is not None else range(y.size))]
        return f"{name}: {_points(range(y.size), y, '', yu, labels)}"
    if x.size != y.size:
        return None
    mode = trace.get("mode") or "lines"
    ok = np.isfinite(x) & np.isfinite(y)
    steps = np.diff(x[ok])
    if trace.get("fill") == "toself" or ("lines" in mode and steps.size and np.any(steps > 0)
                                  and np.any(steps < 0)):
        if not ok.any():
            return None
        return (f"{name}: a band from {format_value(float(np.min(x[ok])), xu)} to "
                f"{format_value(float(np.max(x[ok])), xu)}, {format_value(float(np.min(y[ok])), yu)} to "
                f"{format_value(float(np.max(y[ok])), yu)}")
    if "lines" in mode and x.size >= 2:
        return f"{name}: {_shape(x, y, xu, yu)}"
    if x.size <= MAX_POINTS:
        return f"{name}: {_points(x, y, xu, yu)}"
    return (f"{name}: {int(ok.sum())} points, {format_value(float(np.min(y[ok])), yu)} to "
            f"{format_value(float(np.max(y[ok])), yu)} between {format_value(float(np.min(x[ok])), xu)} "
            f"and {format_value(float(np.max(x[ok])), xu)}") if ok.any() else None


def _panel_titles(traces: list, layout: dict) -> dict:
    """(xaxis ref, yaxis ref) -> the subplot title above that panel (plotly's subplot titles
    are annotations centred over each panel's domain)."""
    titles: dict = {}
    notes = [a for a in (layout.get("annotations") or ()) if a.get("xref") == "paper"
             and a.get("yref") == "paper" and a.get("text") and a.get("x") is not None
             and a.get("y") is not None]
    for trace in traces:
        refs = (trace.get("xaxis") or "x", trace.get("yaxis") or "y")
        if refs in titles:
            continue
        xd, yd = _axis(layout, trace, "x").get("domain"), _axis(layout, trace, "y").get("domain")
        if xd is None or yd is None:
            continue
        (x0, x1), top = xd, yd[1]
        near = [a for a in notes if x0 - 1e-6 <= a["x"] <= x1 + 1e-6 and abs(a["y"] - top) < 0.02]
        if near:
            titles[refs] = _plain(near[0]["text"])
    return titles


def describe_figure(fig) -> str:
    """A short text alternative of ``fig`` as it is now: its title, the headline a ``draw_*``
    function set (:func:`set_headline`) and one clause per visible trace with data, grouped by
    panel (named by its subplot title) where the figure has more than one."""
    traces, layout = _raw(fig)
    title = _text(layout.get("title"))
    sentences = [f"Figure: {title}{'' if title.endswith(('.', '?', '!')) else '.'}"
                 if title else "Figure."]
    headline = getattr(fig, "_ntx_headline", "")
    if headline:
        sentences.append(headline.rstrip(".") + ".")
    panels: dict = {}
    for trace in traces:
        clause = _describe_trace(layout, trace)
        if clause:
            refs = (trace.get("xaxis") or "x", trace.get("yaxis") or "y")
            panels.setdefault(refs, []).append(clause)
    titles = _panel_titles(traces, layout) if len(panels) > 1 else {}
    described = 0
    total = sum(len(c) for c in panels.values())
    for refs, clauses in panels.items():
        room = MAX_TRACES - described
        if room <= 0:
            break
        shown = clauses[:room]
        described += len(shown)
        label = titles.get(refs)
        sentences.append((f"{label}: " if label else "") + "; ".join(shown) + ".")
    if total > described:
        sentences.append(f"{total - described} more traces are not described.")
    if not total and not headline:
        sentences.append("No data is drawn.")
    return " ".join(sentences)
