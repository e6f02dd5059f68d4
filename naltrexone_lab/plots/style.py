"""Shared look of every figure: a colour-blind-safe palette, fonts, axis titles with units.

The palette is Okabe & Ito's eight colours, chosen to stay distinguishable under the common
colour-vision deficiencies (Okabe M, Ito K (2008) Color Universal Design, J*Fly;
Wong B (2011) Nature Methods 8:441).
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

__all__ = ["DASHES", "PALETTE", "RECEPTOR_COLOURS", "RECEPTOR_PATTERNS", "CourseFigureWidget",
           "new_figure", "style_axes"]

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


class CourseFigureWidget(go.FigureWidget):
    """A FigureWidget whose batched updates never ask the browser to "leave a value alone".

    In a ``batch_update`` that changes a property on some traces only, plotly marks the other
    traces' entries as undefined. Seen in JupyterLab 4 with plotly 7 (anywidget): the browser's
    copy of the figure then stores the placeholder itself, so those traces lose their colours and
    data when the plot is drawn again. This class sends the current value instead of the
    placeholder, so every message is complete. ``tests/test_widgets.py`` checks every widget.
    """

    def _send_update_msg(self, restyle_data, relayout_data, trace_indexes=None, source_view_id=None):
        return super()._send_update_msg(self._complete(restyle_data, trace_indexes), relayout_data,
                                        trace_indexes, source_view_id)

    def _send_restyle_msg(self, restyle_data, trace_indexes=None, source_view_id=None):
        return super()._send_restyle_msg(self._complete(restyle_data, trace_indexes), trace_indexes,
                                         source_view_id)

    def _complete(self, restyle_data, trace_indexes):
        from plotly.basedatatypes import Undefined

        indexes = self._normalize_trace_indexes(trace_indexes)
        complete = {}
        for prop, values in restyle_data.items():
            if isinstance(values, list) and any(v is Undefined for v in values):
                values = [self._current(i, prop) if v is Undefined else v
                          for i, v in zip(indexes, values)]
            complete[prop] = values
        return complete

    def _current(self, trace_index: int, prop: str):
        node = self._data[trace_index]
        for part in prop.split("."):
            if not isinstance(node, dict) or part not in node:
                return None  # not set on this trace: the browser's default is right
            node = node[part]
        return node


def new_figure(title: str, *, rows: int = 1, cols: int = 1, subplot_titles=None,
               height: int = 460, **subplot_kw) -> go.FigureWidget:
    """An empty ``FigureWidget`` with the course layout (title, fonts, legend, margins)."""
    if rows == 1 and cols == 1 and not subplot_titles:
        fig = CourseFigureWidget()
    else:
        fig = CourseFigureWidget(make_subplots(rows=rows, cols=cols, subplot_titles=subplot_titles,
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
    """Set axis titles (which must carry units) and scales on one subplot."""
    fig.update_xaxes(title_text=x_title, type="log" if x_log else "linear", row=row, col=col,
                     showline=True, linecolor="#444", ticks="outside", range=x_range,
                     exponentformat="power" if x_log else "none")
    fig.update_yaxes(title_text=y_title, row=row, col=col, showline=True, linecolor="#444",
                     ticks="outside", range=y_range)
