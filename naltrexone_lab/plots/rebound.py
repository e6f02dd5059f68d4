"""Figures of chapter 5 (low-dose naltrexone and the rebound hypothesis). Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from .style import PALETTE, add_line, new_figure, style_axes

#: Tone within this band of normal counts as "baseline" on the figure.
BAND = 0.10


# --- "Transient versus continuous blockade" --------------------------------------------------------
BAND_KEY = f"baseline ± {int(BAND * 100)}%"


def transient_figure() -> go.Figure:
    """Occupancy, endogenous opioid, receptors and net tone over 28 days (one row each). Traces
    are found by their names. Each row's subplot title says what its percentages are of, so
    the four stacked y-axis titles stay short enough not to run into each other."""
    fig = new_figure("Transient versus continuous blockade: does opioid tone rebound?", rows=4, cols=1,
                     shared_xaxes=True, vertical_spacing=0.075, height=640,
                     subplot_titles=("Naltrexone mu occupancy (%)",
                                     "Endogenous opioid, the compensation (% of normal)",
                                     "Mu receptors, chapter 4 (% of normal)",
                                     "Net opioid tone = ligand × receptors × free (% of normal)"))
    add_line(fig, "naltrexone occupancy", PALETTE["blue"], "solid", 1, 1, width=1.5)
    add_line(fig, "endogenous opioid", PALETTE["orange"], "solid", 2, 1)
    add_line(fig, "mu receptors", PALETTE["green"], "solid", 3, 1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=BAND_KEY, fill="toself",
                             fillcolor="rgba(0,0,0,0.08)", line={"color": "#444", "width": 0}), row=4, col=1)
    add_line(fig, "net opioid tone", PALETTE["vermillion"], "solid", 4, 1, width=1.5)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="drug-free window (last day)",
                             marker={"size": 5, "color": PALETTE["black"]}), row=4, col=1)
    style_axes(fig, x_title="", y_title="occupancy (%)", row=1, col=1, y_range=[0, 100])
    style_axes(fig, x_title="", y_title="level (%)", row=2, col=1)
    style_axes(fig, x_title="", y_title="density (%)", row=3, col=1)
    style_axes(fig, x_title="time (days)", y_title="tone (%)", row=4, col=1)
    fig.update_layout(legend={"y": -0.15})
    return fig


def draw_transient(fig, t_days, occupancy, endogenous, density, tone, window_days, window_tone) -> None:
    end = float(t_days[-1])
    fig.trace("naltrexone occupancy").update(x=t_days, y=100 * occupancy)
    fig.trace("endogenous opioid").update(x=t_days, y=100 * endogenous)
    fig.trace("mu receptors").update(x=t_days, y=100 * density)
    fig.trace(BAND_KEY).update(x=[0, end, end, 0, 0],
                               y=[100 * (1 + BAND)] * 2 + [100 * (1 - BAND)] * 2 + [100 * (1 + BAND)])
    fig.trace("net opioid tone").update(x=t_days, y=100 * tone)
    fig.trace("drug-free window (last day)").update(x=window_days, y=100 * window_tone)


# --- "Where does a rebound exist?" -----------------------------------------------------------------
#: The map's colours saturate beyond this rebound (% of normal tone), either way: rebounds on the
#: map reach about 16% with the three-phase oral kinetics, so they show in near-full vermillion
#: (hover gives every exact value; dips go far below -20% and are full blue).
MAP_SATURATION_PERCENT = 20.0

#: Diverging scale centred on 0 (white): Okabe-Ito blue for tone below normal, vermillion for a
#: rebound, with the two colours mixed 60:40 with white part-way (stops at 0.3 and 0.7).
REBOUND_COLOURSCALE = (
    (0.0, PALETTE["blue"]),
    (0.3, "#66AAD1"),
    (0.5, "#F7F7F7"),
    (0.7, "#E69E66"),
    (1.0, PALETTE["vermillion"]),
)
#: Round values labelled on the map's log axes.
MAP_DOSE_TICKS_MG = (0.5, 1, 2, 5, 10, 20, 50)
MAP_TAU_TICKS_H = (1, 3, 10, 24, 72, 168, 720)


def map_figure() -> go.Figure:
    """The rebound over dose (x) and adaptation time constant (y): red (vermillion) is a
    rebound, blue tone below normal, white none; traces are found by their names."""
    fig = new_figure("Where does a rebound exist? Rebound of opioid tone by dose and adaptation speed",
                     height=460)
    s = MAP_SATURATION_PERCENT
    fig.add_trace(go.Heatmap(
        x=[], y=[], z=[], colorscale=[list(stop) for stop in REBOUND_COLOURSCALE],
        zmid=0, zmin=-s, zmax=s, name="rebound",
        colorbar={"title": {"text": "rebound<br>(% of normal)"}, "len": 0.85, "y": 0.0,
                  "yanchor": "bottom", "ticklabelposition": "outside bottom",
                  "tickvals": [-s, -s / 2, 0, s / 2, s],
                  "ticktext": [f"≤ −{s:g}", f"−{s / 2:g}", "0", f"+{s / 2:g}", f"≥ +{s:g}"]},
        hovertemplate=("dose %{x:.3g} mg<br>time constant %{y:.3g} h<br>"
                       "rebound %{z:+.0f}%<extra></extra>")))
    fig.add_trace(go.Contour(x=[], y=[], z=[], showscale=False, name="no rebound (0%)",
                             contours={"start": 0, "end": 0, "size": 1, "coloring": "none",
                                       "showlabels": True},
                             line={"color": PALETTE["black"], "width": 2}, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="chosen dose and time constant",
                             marker={"symbol": "x", "size": 15, "color": PALETTE["black"],
                                     "line": {"width": 1.5, "color": "white"}}))
    style_axes(fig, x_title="dose per intake (mg, log)", y_title="adaptation time constant (h, log)",
               x_log=True)
    fig.update_xaxes(tickvals=list(MAP_DOSE_TICKS_MG), ticktext=[f"{d:g}" for d in MAP_DOSE_TICKS_MG])
    fig.update_yaxes(type="log", tickvals=list(MAP_TAU_TICKS_H), ticktext=[f"{t:g}" for t in MAP_TAU_TICKS_H])
    fig.update_layout(legend={"y": -0.26})
    return fig


def draw_map(fig, doses, taus, rebound, dose, tau) -> None:
    fig.trace("rebound").update(x=doses, y=taus, z=rebound)
    fig.trace("no rebound (0%)").update(x=doses, y=taus, z=rebound)
    fig.trace("chosen dose and time constant").update(x=[dose], y=[tau])
