"""Figures of chapter 2 (pharmacokinetics and occupancy over time). Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from .style import PALETTE, new_figure, style_axes

MODEL_COLOURS = {"plasma equilibrium": PALETTE["orange"], "brain kinetics": PALETTE["blue"]}
MODEL_DASH = {"plasma equilibrium": "dash", "brain kinetics": "solid"}


def _line(fig, name, colour, dash="solid", row=None, col=None, width=2.5, **kw):
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=name,
                             line={"color": colour, "dash": dash, "width": width}, **kw),
                  row=row, col=col)


def _threshold_lines(fig, x_max, row=None, col=None):
    for level in (0.5, 0.9):
        fig.add_trace(go.Scatter(x=[0, x_max], y=[level, level], mode="lines", showlegend=False,
                                 name=f"{int(level * 100)}% occupancy",
                                 line={"color": "#444", "dash": "dot", "width": 1}), row=row, col=col)


# --- "Regimen explorer" ---------------------------------------------------------------------------
def regimen_figure() -> go.FigureWidget:
    fig = new_figure("Plasma concentrations and mu occupancy for a regimen", rows=2, cols=1,
                     shared_xaxes=True, vertical_spacing=0.08, height=620,
                     subplot_titles=("Plasma (total)", "Mu-receptor occupancy"))
    _line(fig, "naltrexone", PALETTE["vermillion"], "solid", 1, 1)
    _line(fig, "6-beta-naltrexol", PALETTE["purple"], "dash", 1, 1)
    _line(fig, "occupancy", PALETTE["blue"], "solid", 2, 1)
    _threshold_lines(fig, 1, 2, 1)
    style_axes(fig, x_title="", y_title="concentration (ng/mL, log scale)", row=1, col=1)
    fig.update_yaxes(type="log", exponentformat="power", row=1, col=1)
    style_axes(fig, x_title="time (days)", y_title="fraction of mu receptors occupied", row=2, col=1,
               y_range=[0, 1.02])
    return fig


def draw_regimen(fig, t_days, naltrexone_ng_ml, naltrexol_ng_ml, occupancy, model: str):
    floor = 1e-3  # keep the log axis readable where concentrations fall to ~0
    fig.data[0].x, fig.data[0].y = t_days, [max(v, floor) for v in naltrexone_ng_ml]
    fig.data[1].x, fig.data[1].y = t_days, [max(v, floor) for v in naltrexol_ng_ml]
    fig.data[2].x, fig.data[2].y = t_days, occupancy
    fig.data[2].name = f"occupancy ({model})"
    fig.data[2].line.color = MODEL_COLOURS[model]
    for trace in fig.data[3:5]:
        trace.x = [0, float(t_days[-1])]


# --- "Plasma half-life is not occupancy half-life" -------------------------------------------------
def half_life_figure() -> go.FigureWidget:
    fig = new_figure("Plasma falls in hours; brain blockade lasts days")
    _line(fig, "plasma naltrexone (fraction of its peak)", PALETTE["vermillion"], "dot")
    _line(fig, "occupancy: plasma equilibrium", MODEL_COLOURS["plasma equilibrium"], "dash")
    _line(fig, "occupancy: brain kinetics", MODEL_COLOURS["brain kinetics"], "solid")
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="Lee 1988 (50 mg only): half of peak at 72-108 h",
                             line={"color": PALETTE["green"], "width": 10}, opacity=0.5))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="PET (Rabiner 2011), dose shown",
                             marker={"color": PALETTE["black"], "size": 11, "symbol": "diamond"},
                             error_y={"type": "data", "symmetric": False, "array": [], "arrayminus": []}))
    style_axes(fig, x_title="time after the dose (days)", y_title="fraction (of peak, or of receptors)",
               y_range=[0, 1.05])
    return fig


def draw_half_life(fig, t_days, plasma_rel, occ_a, occ_b, lee_band, pet_point):
    fig.data[0].x, fig.data[0].y = t_days, plasma_rel
    fig.data[1].x, fig.data[1].y = t_days, occ_a
    fig.data[2].x, fig.data[2].y = t_days, occ_b
    if lee_band is None:
        fig.data[3].x, fig.data[3].y = [], []
    else:
        (lo_d, hi_d), level = lee_band
        fig.data[3].x, fig.data[3].y = [lo_d, hi_d], [level, level]
    if pet_point is None:
        fig.data[4].x, fig.data[4].y = [], []
    else:
        t, (lo, hi) = pet_point
        mid = (lo + hi) / 2
        fig.data[4].x, fig.data[4].y = [t], [mid]
        fig.data[4].error_y.array, fig.data[4].error_y.arrayminus = [hi - mid], [mid - lo]


# --- "Dose versus occupancy" -------------------------------------------------------------------------
def dose_occupancy_figure() -> go.FigureWidget:
    fig = new_figure("Occupancy shortly after one dose, against the dose")
    _line(fig, "plasma equilibrium", MODEL_COLOURS["plasma equilibrium"], "dash")
    _line(fig, "brain kinetics (fitted to PET)", MODEL_COLOURS["brain kinetics"], "solid")
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="PET, Rabiner et al. 2011 (< 8 h)",
                             marker={"color": PALETTE["black"], "size": 11, "symbol": "diamond"},
                             error_y={"type": "data", "symmetric": False, "array": [], "arrayminus": []}))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="your dose",
                             marker={"color": PALETTE["vermillion"], "size": 13, "symbol": "circle"}))
    style_axes(fig, x_title="single oral dose (mg, log scale)",
               y_title="fraction of mu receptors occupied", x_log=True, y_range=[0, 1.05])
    return fig


def draw_dose_occupancy(fig, doses, occ_a, occ_b, pet, chosen_dose, chosen_occ):
    fig.data[0].x, fig.data[0].y = doses, occ_a
    fig.data[1].x, fig.data[1].y = doses, occ_b
    xs = list(pet)
    mids = [(lo + hi) / 2 for lo, hi in pet.values()]
    fig.data[2].visible = bool(pet)
    fig.data[2].x, fig.data[2].y = xs, mids
    fig.data[2].error_y.array = [hi - m for (lo, hi), m in zip(pet.values(), mids)]
    fig.data[2].error_y.arrayminus = [m - lo for (lo, hi), m in zip(pet.values(), mids)]
    fig.data[3].x, fig.data[3].y = [chosen_dose, chosen_dose], list(chosen_occ)


# --- "What does transient mean?" -------------------------------------------------------------------
def blockade_table_figure() -> go.FigureWidget:
    fig = new_figure("Hours per day at or above the threshold, on day 7", height=330)
    fig.add_trace(go.Table(
        header={"values": [], "fill_color": "#eef3f8", "align": "left", "font": {"size": 13}},
        cells={"values": [], "align": "left", "font": {"size": 13}, "height": 28}))
    return fig


def draw_blockade_table(fig, header, columns):
    fig.data[0].header.values = header
    fig.data[0].cells.values = columns
