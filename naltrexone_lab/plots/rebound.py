"""Figures of chapter 5 (low-dose naltrexone and the rebound hypothesis). Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from .style import PALETTE, new_figure, style_axes

#: Tone within this band of normal counts as "baseline" on the figure.
BAND = 0.10


def _line(fig, name, colour, dash="solid", row=None, col=None, width=2.5, **kw):
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=name,
                             line={"color": colour, "dash": dash, "width": width}, **kw), row=row, col=col)


# --- "Transient versus continuous blockade" --------------------------------------------------------
def transient_figure() -> go.FigureWidget:
    """Occupancy, endogenous opioid, receptors and net tone over 28 days (one row each)."""
    fig = new_figure("Transient versus continuous blockade: does opioid tone rebound?", rows=4, cols=1,
                     shared_xaxes=True, vertical_spacing=0.06, height=780,
                     subplot_titles=("Naltrexone mu occupancy", "Endogenous opioid (compensation)",
                                     "Mu receptors (chapter 4)",
                                     "Net opioid tone = ligand × receptors × free"))
    _line(fig, "naltrexone occupancy", PALETTE["blue"], "solid", 1, 1, width=1.5)
    _line(fig, "endogenous opioid", PALETTE["orange"], "solid", 2, 1)
    _line(fig, "mu receptors", PALETTE["green"], "solid", 3, 1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=f"baseline ± {int(BAND * 100)}%", fill="toself",
                             fillcolor="rgba(0,0,0,0.08)", line={"color": "#444", "width": 0}), row=4, col=1)
    _line(fig, "net opioid tone", PALETTE["vermillion"], "solid", 4, 1, width=1.5)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="drug-free window (last day)",
                             marker={"size": 5, "color": PALETTE["black"]}), row=4, col=1)
    style_axes(fig, x_title="", y_title="occupancy (%)", row=1, col=1, y_range=[0, 100])
    style_axes(fig, x_title="", y_title="level (% of normal)", row=2, col=1)
    style_axes(fig, x_title="", y_title="density (% of normal)", row=3, col=1)
    style_axes(fig, x_title="time (days)", y_title="tone (% of normal)", row=4, col=1)
    return fig


def draw_transient(fig, t_days, occupancy, endogenous, density, tone, window_days, window_tone) -> None:
    end = float(t_days[-1])
    fig.data[0].x, fig.data[0].y = t_days, 100 * occupancy
    fig.data[1].x, fig.data[1].y = t_days, 100 * endogenous
    fig.data[2].x, fig.data[2].y = t_days, 100 * density
    fig.data[3].x = [0, end, end, 0, 0]
    fig.data[3].y = [100 * (1 + BAND)] * 2 + [100 * (1 - BAND)] * 2 + [100 * (1 + BAND)]
    fig.data[4].x, fig.data[4].y = t_days, 100 * tone
    fig.data[5].x, fig.data[5].y = window_days, 100 * window_tone


# --- "Where does a rebound exist?" -----------------------------------------------------------------
def map_figure() -> go.FigureWidget:
    fig = new_figure("Where does a rebound exist? Rebound of opioid tone by dose and adaptation speed",
                     height=560)
    fig.add_trace(go.Heatmap(x=[], y=[], z=[], colorscale="RdBu", zmid=0, zmin=-100, zmax=100,
                             name="rebound", colorbar={"title": {"text": "rebound<br>(% of normal)"}},
                             hovertemplate=("dose %{x:.3g} mg<br>time constant %{y:.3g} h<br>"
                                            "rebound %{z:+.0f}%<extra></extra>")))
    fig.add_trace(go.Contour(x=[], y=[], z=[], showscale=False, name="no rebound (0%)",
                             contours={"start": 0, "end": 0, "size": 1, "coloring": "none",
                                       "showlabels": True},
                             line={"color": PALETTE["black"], "width": 2}, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="chosen dose and time constant",
                             marker={"symbol": "x", "size": 15, "color": PALETTE["orange"],
                                     "line": {"width": 1, "color": "white"}}))
    style_axes(fig, x_title="dose per intake (mg, log)", y_title="adaptation time constant (h, log)",
               x_log=True)
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


def draw_map(fig, doses, taus, rebound, dose, tau) -> None:
    fig.data[0].x, fig.data[0].y, fig.data[0].z = doses, taus, rebound
    fig.data[1].x, fig.data[1].y, fig.data[1].z = doses, taus, rebound
    fig.data[2].x, fig.data[2].y = [dose], [tau]
