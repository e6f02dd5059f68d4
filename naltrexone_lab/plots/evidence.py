"""Figures of chapter 7 (evidence, side effects and safety). Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from .style import PALETTE, new_figure, style_axes


# --- "How big must a trial be?" -------------------------------------------------------------------
def trial_figure() -> go.FigureWidget:
    fig = new_figure("How big must a trial be? Power, and the effects small trials report", rows=1, cols=2,
                     horizontal_spacing=0.12, height=500,
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
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="the ones that reach p < alpha", fill="tozeroy",
                             fillcolor="rgba(0,114,178,0.3)", line={"color": PALETTE["blue"], "width": 1}),
                  row=1, col=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="true effect",
                             line={"color": PALETTE["green"], "dash": "dash", "width": 2}), row=1, col=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers+text", name="Mischoulon 2017 as published",
                             text=[], textposition="top center",
                             marker={"size": 11, "color": PALETTE["orange"], "symbol": "triangle-down"}),
                  row=1, col=2)
    style_axes(fig, x_title="patients per arm (log)", y_title="power (fraction)", row=1, col=1, x_log=True,
               y_range=[0, 1.02])
    style_axes(fig, x_title="observed Cohen's d (dimensionless)",
               y_title="probability density (per unit d, dimensionless)", row=1, col=2)
    return fig


def draw_trial(fig, n_grid, power_curve, n, power_n, d_grid, density, significant_density, d_true,
               pilot_d: dict, top: float) -> None:
    fig.data[0].x, fig.data[0].y = n_grid, power_curve
    fig.data[1].x, fig.data[1].y = [n_grid[0], n_grid[-1]], [0.8, 0.8]
    fig.data[2].x, fig.data[2].y = [n], [power_n]
    fig.data[3].x, fig.data[3].y = d_grid, density
    fig.data[4].x, fig.data[4].y = d_grid, significant_density
    fig.data[5].x, fig.data[5].y = [d_true, d_true], [0, top]
    fig.data[6].x = list(pilot_d.values())
    fig.data[6].y = [0.05 * top] * len(pilot_d)
    fig.data[6].text = list(pilot_d)


# --- "Precipitated withdrawal" --------------------------------------------------------------------
def withdrawal_figure() -> go.FigureWidget:
    fig = new_figure("Precipitated withdrawal: naltrexone displaces a maintenance opioid", rows=2, cols=1,
                     shared_xaxes=True, vertical_spacing=0.1, height=600,
                     subplot_titles=("Who holds the mu receptors", "Withdrawal index"))
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="opioid-bound",
                             line={"color": PALETTE["orange"], "width": 2.5}), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="naltrexone-bound",
                             line={"color": PALETTE["blue"], "width": 2.5, "dash": "dash"}), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="withdrawal index",
                             line={"color": PALETTE["vermillion"], "width": 2.5}), row=2, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="before the naltrexone dose",
                             line={"color": "#444", "dash": "dot", "width": 1}), row=2, col=1)
    style_axes(fig, x_title="", y_title="occupancy (%)", row=1, col=1, y_range=[0, 100])
    style_axes(fig, x_title="hours after naltrexone (h, log)", y_title="index (fraction)", row=2, col=1,
               y_range=[0, 1], x_log=True)
    fig.update_xaxes(type="log", row=1, col=1)
    return fig


def draw_withdrawal(fig, t_h, agonist, naltrexone, index) -> None:
    # the log axis cannot show t = 0: start at the first minute
    keep = t_h > 0
    fig.data[0].x, fig.data[0].y = t_h[keep], 100 * agonist[keep]
    fig.data[1].x, fig.data[1].y = t_h[keep], 100 * naltrexone[keep]
    fig.data[2].x, fig.data[2].y = t_h[keep], index[keep]
    fig.data[3].x, fig.data[3].y = [t_h[keep][0], t_h[-1]], [index[0], index[0]]
