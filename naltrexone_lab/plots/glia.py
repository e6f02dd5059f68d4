"""Figures of chapter 6 (TLR4 and glia). Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from .style import PALETTE, new_figure, style_axes

MEDIATOR_COLOURS = {"TNF-alpha": PALETTE["vermillion"], "IL-1beta": PALETTE["blue"],
                    "IL-6": PALETTE["green"], "NO": PALETTE["purple"]}
MEDIATOR_DASH = {"TNF-alpha": "solid", "IL-1beta": "dash", "IL-6": "dot", "NO": "dashdot"}
CURVE_X_NM = (1e-2, 1e7)


def _band(fig, name, colour, row, col, opacity=0.25):
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", fill="toself", fillcolor=colour, opacity=opacity,
                             name=name, line={"color": colour, "width": 0}), row=row, col=col)


def _band_xy(lo, hi, top=100.0):
    return [lo, hi, hi, lo, lo], [0, 0, top, top, 0]


def _set_band(trace, lo, hi, top=100.0):
    trace.x, trace.y = _band_xy(lo, hi, top)


# --- "Microglia on a slider" ----------------------------------------------------------------------
def microglia_figure(mediators) -> go.Figure:
    """Mediator time courses (left), the inhibition curve (top right) and steady-state bars
    (bottom right, a category axis of mediators). Traces are found by their names: each
    mediator's time course by the mediator's name."""
    fig = new_figure("Microglia on a slider: TLR4 signalling and what naltrexone does to it", rows=2, cols=2,
                     specs=[[{"rowspan": 2}, {}], [None, {}]], column_widths=[0.5, 0.5],
                     horizontal_spacing=0.12, vertical_spacing=0.27, height=560,
                     subplot_titles=("Mediators after the stimulus starts (with naltrexone)",
                                     "TRIF-branch inhibition by naltrexone",
                                     "Steady state: without and with naltrexone"))
    for name in mediators:
        line = {"color": MEDIATOR_COLOURS[name], "dash": MEDIATOR_DASH[name], "width": 2.5}
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=name, line=line), row=1, col=1)
    _band(fig, "LDN plasma (1-4 nM)", PALETTE["orange"], 1, 2)
    _band(fig, "cell studies (10-100 μM)", PALETTE["sky_blue"], 1, 2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="inhibition curve",
                             line={"color": PALETTE["black"], "width": 2.5}), row=1, col=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="chosen concentration",
                             marker={"size": 12, "color": PALETTE["vermillion"], "symbol": "diamond"}),
                  row=1, col=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="mu occupancy by this enantiomer",
                             line={"color": PALETTE["blue"], "dash": "dash", "width": 2}), row=1, col=2)
    fig.add_trace(go.Bar(x=list(mediators), y=[], name="no naltrexone", marker={"color": PALETTE["black"]},
                         showlegend=True), row=2, col=2)
    fig.add_trace(go.Bar(x=list(mediators), y=[], name="with naltrexone",
                         marker={"color": PALETTE["sky_blue"], "pattern": {"shape": "/"}}), row=2, col=2)
    fig.update_layout(barmode="group", legend={"y": -0.16})
    style_axes(fig, x_title="time after the stimulus starts (h)", y_title="mediator (fold over rest)",
               row=1, col=1)
    style_axes(fig, x_title="naltrexone (nM, log)", y_title="inhibition, occupancy (%)", row=1, col=2,
               x_log=True, y_range=[0, 104])
    style_axes(fig, x_title="mediator", y_title="steady state (fold)", row=2, col=2)
    fig.update_xaxes(type="category", row=2, col=2)  # mediators are categories, never numbers
    return fig


def draw_microglia(fig, t_h, courses: dict, curve_x, curve_pct, conc_nM, inhibition_pct,
                   without: dict, with_drug: dict, mu_pct) -> None:
    names = list(courses)
    for name in names:
        fig.trace(name).update(x=t_h, y=courses[name])
    _set_band(fig.trace("LDN plasma (1-4 nM)"), 1.0, 4.0)
    _set_band(fig.trace("cell studies (10-100 μM)"), 1e4, 1e5)
    fig.trace("inhibition curve").update(x=curve_x, y=curve_pct)
    fig.trace("chosen concentration").update(x=[max(conc_nM, CURVE_X_NM[0])], y=[inhibition_pct])
    fig.trace("mu occupancy by this enantiomer").update(x=curve_x, y=mu_pct)
    fig.trace("no naltrexone").update(x=names, y=[without[n] for n in names])
    fig.trace("with naltrexone").update(x=names, y=[with_drug[n] for n in names])


# --- "Mind the gap" -------------------------------------------------------------------------------
PLASMA_KEY = "this regimen's plasma naltrexone (trough to peak)"
IC50_KEY = "documented IC50 range (10-200 μM)"
PBMC_KEY = "human PBMC: no TLR4 effect up to 200 μM (Cant 2017)"


def gap_figure() -> go.Figure:
    """Plasma band, IC50 and cell-study bands and the inhibition curve; traces are found by
    their names."""
    fig = new_figure("Mind the gap: naltrexone in plasma versus where TLR4 effects were seen", height=440)
    _band(fig, PLASMA_KEY, PALETTE["orange"], None, None, 0.45)
    _band(fig, IC50_KEY, PALETTE["purple"], None, None, 0.2)
    _band(fig, PBMC_KEY, PALETTE["green"], None, None, 0.15)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="TLR4 inhibition at the chosen IC50",
                             line={"color": PALETTE["black"], "width": 2.5}))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="inhibition at this regimen's peak",
                             marker={"size": 12, "color": PALETTE["vermillion"], "symbol": "diamond"}))
    style_axes(fig, x_title="naltrexone concentration (nM, log)", y_title="TRIF-branch inhibition (%)",
               x_log=True, y_range=[0, 100])
    fig.update_layout(legend={"y": -0.26})
    return fig


def draw_gap(fig, trough_nM, peak_nM, curve_x, curve_pct, peak_pct) -> None:
    _set_band(fig.trace(PLASMA_KEY), max(trough_nM, CURVE_X_NM[0]), peak_nM)
    _set_band(fig.trace(IC50_KEY), 1e4, 2e5)
    _set_band(fig.trace(PBMC_KEY), 1e3, 2e5, 50.0)
    fig.trace("TLR4 inhibition at the chosen IC50").update(x=curve_x, y=curve_pct)
    fig.trace("inhibition at this regimen's peak").update(x=[peak_nM], y=[peak_pct])
