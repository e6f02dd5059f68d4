"""Figures of chapter 7 (evidence, side effects and safety). Each ``draw_*`` finds its traces
with ``fig.trace(key)``, never by position. Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from .style import PALETTE, CourseFigure, new_figure, style_axes

PILOT = "Mischoulon 2017 as published"
SIGNIFICANT = "the ones that reach p < alpha"
#: Heights of the pilot's effect-size labels, as fractions of the density panel's top: one
#: level per label (in order of d), far enough apart that no two labels share a line.
PILOT_LEVELS = (0.12, 0.3, 0.48, 0.66)


def _set(fig, key, x, y):
    trace = fig.trace(key)
    trace.x, trace.y = x, y
    return trace


def _legend_in_bottom_margin(fig, margin_b: int) -> None:
    """Anchor the legend to the figure's bottom edge (``yref="container"``): it stays inside the
    figure's height, under the x-axis titles, whatever the plot area's height."""
    fig.update_layout(legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom",
                              "x": 0.0, "xanchor": "left"},
                      margin={"b": margin_b})


# --- "How big must a trial be?" -------------------------------------------------------------------
def trial_figure() -> CourseFigure:
    fig = new_figure("How big must a trial be? Power, and the effects small trials report", rows=1, cols=2,
                     horizontal_spacing=0.12, height=460,
                     subplot_titles=("Power against trial size", "Observed effects at this size"))
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="power (noncentral t)",
                             line={"color": PALETTE["blue"], "width": 2.5}), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="80% power",
                             line={"color": "#444", "dash": "dot", "width": 1}), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="this trial",
                             marker={"size": 12, "color": PALETTE["vermillion"], "symbol": "diamond"}),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="all trials of this size",
                             line={"color": PALETTE["black"], "width": 2}), row=1, col=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=SIGNIFICANT, fill="tozeroy",
                             fillcolor="rgba(0,114,178,0.3)", line={"color": PALETTE["blue"], "width": 1}),
                  row=1, col=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="true effect",
                             line={"color": PALETTE["green"], "dash": "dash", "width": 2}), row=1, col=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers+text", name=PILOT,
                             text=[], textposition="middle right", cliponaxis=False,
                             marker={"size": 11, "color": PALETTE["orange"], "symbol": "triangle-down"}),
                  row=1, col=2)
    style_axes(fig, x_title="patients per arm (log)", y_title="power (fraction)", row=1, col=1, x_log=True,
               y_range=[0, 1.02])
    style_axes(fig, x_title="observed Cohen's d (dimensionless)",
               y_title="density (per unit d, dimensionless)", row=1, col=2)
    # seven keys take up to four rows where the notebook is narrow
    _legend_in_bottom_margin(fig, margin_b=135)
    return fig


def draw_trial(fig, n_grid, power_curve, n, power_n, d_grid, density, significant_density, d_true,
               pilot_d: dict, top: float) -> None:
    _set(fig, "power (noncentral t)", n_grid, power_curve)
    _set(fig, "80% power", [n_grid[0], n_grid[-1]], [0.8, 0.8])
    _set(fig, "this trial", [n], [power_n])
    _set(fig, "all trials of this size", d_grid, density)
    _set(fig, SIGNIFICANT, d_grid, significant_density)
    _set(fig, "true effect", [d_true, d_true], [0, top])
    # the published values lie close together (0.62, 1.22, 1.45): each label gets its own
    # height, in order of d, with its text to the right of its marker, so none overlaps another
    rank = {label: i for i, label in enumerate(sorted(pilot_d, key=pilot_d.__getitem__))}
    levels = [PILOT_LEVELS[rank[label] % len(PILOT_LEVELS)] * top for label in pilot_d]
    pilot = _set(fig, PILOT, list(pilot_d.values()), levels)
    pilot.text = list(pilot_d)


# --- "Precipitated withdrawal" --------------------------------------------------------------------
def withdrawal_figure() -> CourseFigure:
    fig = new_figure("Precipitated withdrawal: naltrexone displaces a maintenance opioid", rows=2, cols=1,
                     shared_xaxes=True, vertical_spacing=0.12, height=460,
                     subplot_titles=("Who holds the mu receptors", "Withdrawal index"))
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="opioid-bound",
                             line={"color": PALETTE["orange"], "width": 2.5}), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="naltrexone-bound",
                             line={"color": PALETTE["blue"], "width": 2.5, "dash": "dash"}), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="withdrawal index",
                             line={"color": PALETTE["vermillion"], "width": 2.5}), row=2, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="before the naltrexone dose",
                             line={"color": "#444", "dash": "dot", "width": 1}), row=2, col=1)
    style_axes(fig, x_title="", y_title="occupancy (%)", row=1, col=1, y_range=[0, 105])
    style_axes(fig, x_title="hours after naltrexone (h, log)", y_title="index (fraction)", row=2, col=1,
               y_range=[0, 1], x_log=True)
    fig.update_xaxes(type="log", row=1, col=1)
    _legend_in_bottom_margin(fig, margin_b=95)
    fig.update_layout(margin={"t": 70})
    return fig


def draw_withdrawal(fig, t_h, agonist, naltrexone, index) -> None:
    # the log axis cannot show t = 0: start at the first minute
    keep = t_h > 0
    _set(fig, "opioid-bound", t_h[keep], 100 * agonist[keep])
    _set(fig, "naltrexone-bound", t_h[keep], 100 * naltrexone[keep])
    _set(fig, "withdrawal index", t_h[keep], index[keep])
    _set(fig, "before the naltrexone dose", [t_h[keep][0], t_h[-1]], [index[0], index[0]])
