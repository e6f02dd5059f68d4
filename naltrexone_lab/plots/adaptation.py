"""Figures of chapter 4 (the dopamine crash and receptor regulation). Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from .style import PALETTE, add_line, new_figure, style_axes

#: The band drawn around baseline: within 10% counts as "recovered" (the readout uses the same).
BAND = 0.10


# --- "Surge and crash" ----------------------------------------------------------------------------
def surge_crash_figure() -> go.Figure:
    """Dopamine signal with the baseline band and the b-process (top), receptor density and D2
    sensitivity (middle), receptor occupancy by the opioid and naltrexone (bottom). Traces are
    found by their names. Each panel's subplot title says what its percentages are of, so the
    stacked y-axis titles stay short enough not to run into each other."""
    fig = new_figure("Surge, tolerance and crash: the dopamine signal over weeks", rows=3, cols=1,
                     shared_xaxes=True, vertical_spacing=0.09, height=560,
                     subplot_titles=("Dopamine signal (% of the drug-naive baseline)",
                                     "Receptors (% of normal)", "Who holds the mu receptors (%)"))
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=f"baseline ± {int(BAND * 100)}%",
                             fill="toself", fillcolor="rgba(0,0,0,0.08)",
                             line={"color": "#444", "width": 0}), row=1, col=1)
    add_line(fig, "dopamine signal", PALETTE["purple"], "solid", 1, 1, width=1.5)
    add_line(fig, "daily mean", PALETTE["black"], "solid", 1, 1, width=3)
    add_line(fig, "b-process (opponent, % removed)", PALETTE["vermillion"], "dash", 1, 1)
    add_line(fig, "mu receptors (functional)", PALETTE["blue"], "solid", 2, 1)
    add_line(fig, "D2 availability (shown only)", PALETTE["green"], "dash", 2, 1)
    add_line(fig, "opioid-bound", PALETTE["orange"], "solid", 3, 1, width=1.5)
    add_line(fig, "naltrexone-bound", PALETTE["sky_blue"], "solid", 3, 1)
    style_axes(fig, x_title="", y_title="signal (%)", row=1, col=1)
    style_axes(fig, x_title="", y_title="receptors (%)", row=2, col=1)
    style_axes(fig, x_title="time (days)", y_title="occupancy (%)", row=3, col=1, y_range=[0, 100])
    fig.update_layout(legend={"y": -0.15})
    return fig


def draw_surge_crash(fig, t_days, signal, daily_days, daily_mean, b_process, density, d2,
                     opioid_bound, naltrexone_bound) -> None:
    end = float(t_days[-1])
    fig.trace(f"baseline ± {int(BAND * 100)}%").update(
        x=[0, end, end, 0, 0],
        y=[100 * (1 + BAND), 100 * (1 + BAND), 100 * (1 - BAND), 100 * (1 - BAND), 100 * (1 + BAND)])
    fig.trace("dopamine signal").update(x=t_days, y=100 * signal)
    fig.trace("daily mean").update(x=daily_days + 0.5, y=100 * daily_mean)
    for key, y in (("b-process (opponent, % removed)", b_process),
                   ("mu receptors (functional)", density), ("D2 availability (shown only)", d2),
                   ("opioid-bound", opioid_bound), ("naltrexone-bound", naltrexone_bound)):
        fig.trace(key).update(x=t_days, y=100 * y)


# --- "Up and down regulation" ---------------------------------------------------------------------
def regulation_figure() -> go.Figure:
    """Receptor density over time; traces are found by their names."""
    fig = new_figure("Receptor density under constant agonist or naltrexone, and after it stops",
                     height=440)
    add_line(fig, "functional mu receptors", PALETTE["blue"], "solid")
    add_line(fig, "steady state while held", PALETTE["black"], "dot", width=1.5)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="half-way (one half-time)",
                             marker={"size": 11, "color": PALETTE["vermillion"], "symbol": "diamond"}))
    add_line(fig, "drug stopped", "#444", "dash", width=1)
    style_axes(fig, x_title="time (days)", y_title="mu receptors (% of normal)")
    fig.update_layout(legend={"y": -0.26})
    return fig


def draw_regulation(fig, t_days, density, steady, half_day, half_value, stop_day, y_top) -> None:
    fig.trace("functional mu receptors").update(x=t_days, y=100 * density)
    fig.trace("steady state while held").update(x=[0, stop_day], y=[100 * steady, 100 * steady])
    fig.trace("half-way (one half-time)").update(
        x=[] if half_day is None else [half_day], y=[] if half_day is None else [100 * half_value])
    fig.trace("drug stopped").update(x=[stop_day, stop_day], y=[0, y_top])
    fig.update_yaxes(range=[0, y_top])
