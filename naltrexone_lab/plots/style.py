"""Shared look of every figure: a colour-blind-safe palette, fonts, axis titles with units.

The palette is Okabe & Ito's eight colours, chosen to stay distinguishable under the common
colour-vision deficiencies (Okabe M, Ito K (2008) Color Universal Design, J*Fly;
Wong B (2011) Nature Methods 8:441).
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

__all__ = ["DASHES", "PALETTE", "RECEPTOR_COLOURS", "RECEPTOR_PATTERNS", "CourseFigure",
           "add_line", "new_figure", "style_axes"]

#: Okabe-Ito colours by name (Okabe & Ito 2008; Wong 2011 Nat Methods 8:441).
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

#: One fixed colour per opioid receptor, used by every chapter.
RECEPTOR_COLOURS = {"mu": PALETTE["blue"], "kappa": PALETTE["orange"], "delta": PALETTE["green"]}

#: Bar fill patterns per receptor, so bars differ without relying on colour.
RECEPTOR_PATTERNS = {"mu": "", "kappa": "/", "delta": "."}

#: Line styles that separate traces without relying on colour alone.
DASHES = ("solid", "dash", "dot", "dashdot", "longdash")

_FONT = {"family": "Arial, Helvetica, sans-serif", "size": 13}


class CourseFigure(go.Figure):
    """A plain plotly figure whose traces are found by key, never by position.

    A trace's key is its ``uid`` when set (used where a legend name repeats, e.g. the same curve
    in two subplots) and otherwise its ``name``; plotly.js also matches traces by ``uid`` when it
    redraws, so a redraw never mixes up two traces. :meth:`trace` raises ``KeyError`` for a key
    that names no trace or more than one, so adding a trace to a figure can never silently shift
    another trace's data (``fig.data[i]`` could).

    The figure is shown by :class:`naltrexone_lab.widgets.figure.FigureView`; in the kernel it is
    an ordinary ``go.Figure`` (``fig.data``, ``fig.layout``, ``fig.to_dict()``).
    """

    def trace(self, key: str):
        """The one trace whose ``uid`` (or, if it has none, ``name``) is ``key``."""
        keys = self.trace_keys()
        found = [i for i, k in enumerate(keys) if k == key]
        if len(found) != 1:
            raise KeyError(f"{'no' if not found else 'more than one'} trace with key {key!r}; "
                           f"keys: {keys}")
        return self.data[found[0]]

    def trace_keys(self) -> list[str]:
        """The key of every trace, in drawing order."""
        # read from the figure's own trace properties (plotly's ``_data``, one dict per trace
        # holding what was set, kept in step with ``data``): through the trace objects each read
        # is a validated property access, and the brake figure's redraw made 560 of them
        return [d.get("uid") if d.get("uid") is not None else d.get("name") for d in self._data]


def set_props(obj, **values) -> None:
    """Set top-level properties of a trace or annotation one by one: each is validated as
    ``obj.update(**values)`` would, without ``update``'s walk over the property tree, which
    took 9 ms of each redraw of the brake figure."""
    for key, value in values.items():
        setattr(obj, key, value)


def new_figure(title: str, *, rows: int = 1, cols: int = 1, subplot_titles=None,
               height: int = 460, **subplot_kw) -> CourseFigure:
    """An empty :class:`CourseFigure` with the course layout (title, fonts, legend, margins).
    Its width follows the notebook's (no width is set); ``height`` is in CSS pixels."""
    if rows == 1 and cols == 1 and not subplot_titles:
        fig = CourseFigure()
    else:
        fig = CourseFigure(make_subplots(rows=rows, cols=cols, subplot_titles=subplot_titles,
                                               **subplot_kw))
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        font=_FONT,
        template="plotly_white",
        height=height,
        margin={"l": 70, "r": 20, "t": 80, "b": 110},
        legend={"orientation": "h", "yanchor": "top", "y": -0.28, "x": 0.0},
        colorway=list(PALETTE.values())[1:] + [PALETTE["black"]],
    )
    return fig


def style_axes(fig: go.FigureWidget, *, x_title: str, y_title: str, row=None, col=None,
               x_log: bool = False, y_range=None, x_range=None) -> None:
    """Set axis titles (which must carry units) and scales on one subplot. A linear x axis is
    left to plotly to type, so categories (receptor names, mediators) stay categories."""
    fig.update_xaxes(title_text=x_title, type="log" if x_log else None, row=row, col=col,
                     showline=True, linecolor="#444", ticks="outside", range=x_range,
                     exponentformat="power" if x_log else "none")
    fig.update_yaxes(title_text=y_title, row=row, col=col, showline=True, linecolor="#444",
                     ticks="outside", range=y_range)


def add_line(fig, name: str, colour: str, dash: str = "solid", row=None, col=None,
             width: float = 2.5, **trace_kw) -> None:
    """Append an empty line trace (filled in by the widget's update) to ``fig``: ``colour`` from
    :data:`PALETTE`, ``dash`` one of plotly's dash names, ``width`` in CSS pixels; ``row``/``col``
    place it in a subplot, and ``trace_kw`` (``uid``, ``showlegend``, ``legendgroup``, ...) passes
    to :class:`plotly.graph_objects.Scatter`."""
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=name,
                             line={"color": colour, "dash": dash, "width": width}, **trace_kw),
                  row=row, col=col)
