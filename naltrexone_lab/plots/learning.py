"""Figures of chapter 8 (learning, craving and alcohol). Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from .describe import set_headline
from .style import PALETTE, new_figure, style_axes

WITHOUT_KEY = "alcohol-evoked rise, no naltrexone"
WITH_KEY = "alcohol-evoked rise, with naltrexone"
CURVE_KEY = "rise against naltrexone occupancy"
CHOSEN_KEY = "chosen occupancy"


def alcohol_dopamine_figure() -> go.Figure:
    """Bars of the alcohol-evoked dopamine rise without and with naltrexone (left) and the rise
    against naltrexone's occupancy (right); traces are found by their names."""
    fig = new_figure("Naltrexone blunts the dopamine rise alcohol evokes", rows=1, cols=2,
                     column_widths=[0.4, 0.6], horizontal_spacing=0.14, height=440,
                     subplot_titles=("One drinking session", "Blockade by occupancy"))
    fig.add_trace(go.Bar(x=["opioid part", "non-opioid part"], y=[], name=WITHOUT_KEY,
                         marker={"color": PALETTE["black"]}), row=1, col=1)
    fig.add_trace(go.Bar(x=["opioid part", "non-opioid part"], y=[], name=WITH_KEY,
                         marker={"color": PALETTE["sky_blue"], "pattern": {"shape": "/"}}), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=CURVE_KEY,
                             line={"color": PALETTE["blue"], "width": 2.5}), row=1, col=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name=CHOSEN_KEY,
                             marker={"size": 12, "color": PALETTE["vermillion"], "symbol": "diamond"}),
                  row=1, col=2)
    fig.update_layout(barmode="group")
    style_axes(fig, x_title="source of the rise (% of baseline)", y_title="rise (% of baseline)",
               row=1, col=1)
    fig.update_xaxes(type="category", row=1, col=1)
    style_axes(fig, x_title="naltrexone mu occupancy (%)",
               y_title="alcohol-evoked rise (% of baseline)", row=1, col=2, x_range=[0, 100])
    return fig


def draw_alcohol_dopamine(fig, parts_without, parts_with, occ_pct, curve_pct, chosen_pct,
                          chosen_rise) -> None:
    fig.trace(WITHOUT_KEY).update(y=list(parts_without))
    fig.trace(WITH_KEY).update(y=list(parts_with))
    fig.trace(CURVE_KEY).update(x=occ_pct, y=curve_pct)
    fig.trace(CHOSEN_KEY).update(x=[chosen_pct], y=[chosen_rise])
    set_headline(fig, f"At {chosen_pct:.0f}% occupancy a drink raises accumbens dopamine by "
                      f"{chosen_rise:.1f}% instead of {sum(parts_without):.1f}%.")


VALUE_KEYS = {"no treatment": "cue value: no treatment",
              "naltrexone, drinking continues": "cue value: naltrexone, drinking continues",
              "abstinence, no drug": "cue value: abstinence, no drug"}
DRINK_KEYS = {k: v.replace("cue value", "drinking days") for k, v in VALUE_KEYS.items()}
_COLOURS = {"no treatment": PALETTE["black"], "naltrexone, drinking continues": PALETTE["blue"],
            "abstinence, no drug": PALETTE["orange"]}
_DASH = {"no treatment": "dot", "naltrexone, drinking continues": "solid", "abstinence, no drug": "dash"}
TREATMENT_KEY = "treatment phase"


def learning_figure() -> go.Figure:
    """Cue value (craving) over weeks (top) and drinking days per week (bottom) for the three
    regimes, with the treatment phase shaded; traces are found by their names."""
    fig = new_figure("Craving learned, extinguished under blockade, and recovering", rows=2, cols=1,
                     shared_xaxes=True, vertical_spacing=0.12, height=600,
                     subplot_titles=("Cue value (craving)", "Drinking days per week"))
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", fill="toself", fillcolor=PALETTE["yellow"],
                             opacity=0.3, line={"width": 0}, name=TREATMENT_KEY), row=1, col=1)
    for regime, key in VALUE_KEYS.items():
        line = {"color": _COLOURS[regime], "dash": _DASH[regime], "width": 2.5}
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=key, line=line), row=1, col=1)
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=DRINK_KEYS[regime], line=line,
                                 showlegend=False), row=2, col=1)
    style_axes(fig, x_title="", y_title="cue value (fraction)", row=1, col=1, y_range=[0, 1.05])
    style_axes(fig, x_title="time (days)", y_title="drinking (days/week)", row=2, col=1, y_range=[0, 7])
    fig.update_layout(legend={"y": -0.12})
    return fig


def draw_learning(fig, courses: dict, treatment_days: tuple) -> None:
    """Weekly means drawn at the first day of each week; the treatment phase shaded."""
    lo, hi = treatment_days
    fig.trace(TREATMENT_KEY).update(x=[lo, hi, hi, lo, lo], y=[0, 0, 1.05, 1.05, 0])
    for regime, (days, value, per_week) in courses.items():
        fig.trace(VALUE_KEYS[regime]).update(x=days, y=value)
        fig.trace(DRINK_KEYS[regime]).update(x=days, y=per_week)
