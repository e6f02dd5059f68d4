"""Figures of chapter 1. Each ``*_figure`` builds an empty FigureWidget with its traces named;
each ``draw_*`` writes model output into it (the caller wraps it in ``batch_update``).
Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from ..units import format_percent
from .style import DASHES, PALETTE, RECEPTOR_COLOURS, RECEPTOR_PATTERNS, new_figure, style_axes

CONC_AXIS = "agonist concentration (nM, log scale)"


def _line(fig, name, colour, dash="solid", row=None, col=None, width=2.5, **kw):
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=name,
                             line={"color": colour, "dash": dash, "width": width}, **kw),
                  row=row, col=col)


# --- "Naltrexone shifts the curve" --------------------------------------------------------------
def curve_shift_figure() -> go.FigureWidget:
    fig = new_figure("Naltrexone shifts the agonist's curves to the right without lowering the top",
                     rows=1, cols=2, subplot_titles=("Receptor occupancy", "Response"),
                     horizontal_spacing=0.12)
    for col, quantity in ((1, "occupancy"), (2, "response")):
        _line(fig, "agonist alone", PALETTE["blue"], "solid", 1, col,
              legendgroup="alone", showlegend=col == 1, meta=quantity)
        _line(fig, "agonist with naltrexone", PALETTE["vermillion"], "dash", 1, col,
              legendgroup="with", showlegend=col == 1, meta=quantity)
    for colour, label in ((PALETTE["blue"], "EC50 alone"), (PALETTE["vermillion"], "EC50 with naltrexone")):
        fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name=label,
                                 marker={"color": colour, "size": 11, "symbol": "diamond",
                                         "line": {"color": "black", "width": 1}}), row=1, col=2)
    style_axes(fig, x_title=CONC_AXIS, y_title="fraction of mu receptors bound by agonist",
               row=1, col=1, x_log=True, y_range=[0, 1.02])
    style_axes(fig, x_title=CONC_AXIS, y_title="response (fraction of system maximum)",
               row=1, col=2, x_log=True, y_range=[0, 1.02])
    return fig


def draw_curve_shift(fig, agonist_nM, occ_alone, occ_with, resp_alone, resp_with,
                     ec50_alone_nM, ec50_with_nM, half_response):
    data = fig.data
    for trace, y in zip(data[:4], (occ_alone, occ_with, resp_alone, resp_with)):
        trace.x, trace.y = agonist_nM, y
    # order of add_trace above: occ alone, occ with (col 1), resp alone, resp with (col 2)
    data[4].x, data[4].y = [ec50_alone_nM], [half_response]
    data[5].x, data[5].y = [ec50_with_nM], [half_response]


# --- "The key that does not turn" ----------------------------------------------------------------
def efficacy_figure(reference_names) -> go.FigureWidget:
    fig = new_figure("Same receptor, different efficacy: full agonist, partial agonist, antagonist")
    colours = [PALETTE["blue"], PALETTE["green"], PALETTE["orange"], PALETTE["purple"]]
    for i, name in enumerate(reference_names):
        _line(fig, name, colours[i % len(colours)], DASHES[(i + 1) % len(DASHES)], width=2)
    _line(fig, "your ligand (K = 1 nM)", PALETTE["black"], "solid", width=4)
    style_axes(fig, x_title="ligand concentration (nM, log scale)",
               y_title="response (fraction of system maximum)", x_log=True, y_range=[-0.02, 1.02])
    return fig


def draw_efficacy(fig, conc_nM, reference_responses, own_response):
    for trace, y in zip(fig.data, list(reference_responses) + [own_response]):
        trace.x, trace.y = conc_nM, y


# --- "Selectivity" -----------------------------------------------------------------------------
def selectivity_figure() -> go.FigureWidget:
    fig = new_figure("Which opioid receptors does the antagonist occupy?", rows=1, cols=2,
                     subplot_titles=("Occupancy versus concentration", "At the chosen concentration"),
                     column_widths=[0.62, 0.38], horizontal_spacing=0.14)
    for i, receptor in enumerate(("mu", "kappa", "delta")):
        _line(fig, receptor, RECEPTOR_COLOURS[receptor], DASHES[i], 1, 1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="chosen concentration",
                             line={"color": "#444", "dash": "dot", "width": 1.5}), row=1, col=1)
    fig.add_trace(go.Bar(x=[], y=[], name="occupancy at chosen concentration", showlegend=False,
                         text=[], textposition="outside",
                         marker={"color": [], "pattern": {"shape": []}}), row=1, col=2)
    style_axes(fig, x_title="antagonist concentration (nM, log scale)",
               y_title="fraction of receptors occupied", row=1, col=1, x_log=True, y_range=[0, 1.02])
    style_axes(fig, x_title="receptor", y_title="fraction of receptors occupied", row=1, col=2,
               y_range=[0, 1.15])
    return fig


def draw_selectivity(fig, conc_nM, curves: dict, chosen_nM, at_chosen: dict):
    receptors = ("mu", "kappa", "delta")
    for trace, receptor in zip(fig.data[:3], receptors):
        if receptor in curves:
            trace.x, trace.y, trace.visible = conc_nM, curves[receptor], True
        else:
            trace.x, trace.y, trace.visible = [], [], False
    fig.data[3].x, fig.data[3].y = [chosen_nM, chosen_nM], [0, 1]
    known = [r for r in receptors if r in at_chosen]
    values = [float(at_chosen[r]) for r in known]
    bar = fig.data[4]
    bar.x, bar.y = known, values
    bar.text = [format_percent(v) for v in values]
    bar.marker.color = [RECEPTOR_COLOURS[r] for r in known]
    bar.marker.pattern.shape = [RECEPTOR_PATTERNS[r] for r in known]


# --- "Schild analysis" ---------------------------------------------------------------------------
MAX_CURVES = 7


def schild_figure() -> go.FigureWidget:
    fig = new_figure("A simulated organ bath and its Schild plot", rows=1, cols=2,
                     subplot_titles=("Concentration-response curves",
                                     "Schild plot: log10(DR - 1) versus log10[B]"),
                     horizontal_spacing=0.12)
    # control black, then blues, greens, orange, purple: never yellow (invisible on white) or
    # vermillion (reserved for the Schild points); dashes repeat the distinction without colour.
    colours = [PALETTE[k] for k in ("black", "blue", "sky_blue", "green", "orange", "purple", "blue")]
    symbols = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star"]
    for i in range(MAX_CURVES):
        fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name=f"curve {i}", showlegend=False,
                                 marker={"color": colours[i], "size": 6, "symbol": symbols[i]},
                                 legendgroup=f"c{i}"), row=1, col=1)
    for i in range(MAX_CURVES):
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=f"fit {i}", showlegend=False,
                                 line={"color": colours[i], "width": 1.5, "dash": DASHES[i % len(DASHES)]},
                                 legendgroup=f"c{i}"), row=1, col=1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="estimated dose ratios",
                             marker={"color": PALETTE["vermillion"], "size": 10,
                                     "symbol": "circle-open", "line": {"width": 2}}), row=1, col=2)
    _line(fig, "regression", PALETTE["vermillion"], "solid", 1, 2)
    _line(fig, "ideal: slope 1 at true pKB", PALETTE["blue"], "dash", 1, 2, width=2)
    style_axes(fig, x_title=CONC_AXIS, y_title="response (fraction of maximum)", row=1, col=1,
               x_log=True, y_range=[-0.15, 1.15])
    style_axes(fig, x_title="log10 antagonist concentration (log10 M)",
               y_title="log10(dose ratio - 1)", row=1, col=2)
    return fig


def draw_schild(fig, agonist_nM, responses, fitted_curves, log_b_M, log_dr_minus_1, line_x,
                line_y, ideal_y):
    n = len(responses)
    for i in range(MAX_CURVES):
        points, curve = fig.data[i], fig.data[MAX_CURVES + i]
        if i < n:
            points.x, points.y, points.visible = agonist_nM, responses[i], True
            curve.x, curve.y, curve.visible = fitted_curves[0], fitted_curves[1][i], True
        else:
            points.visible = curve.visible = False
    dots, reg, ideal = fig.data[2 * MAX_CURVES:]
    dots.x, dots.y = log_b_M, log_dr_minus_1
    reg.x, reg.y = line_x, line_y
    ideal.x, ideal.y = line_x, ideal_y


# --- "What the evidence says": binding Ki versus in vivo pA2 --------------------------------------
def ki_vs_pa2_figure() -> go.FigureWidget:
    fig = new_figure("Shift of a mu agonist: binding Ki (per nM) versus in vivo pA2 (per nmol/kg)")
    _line(fig, "binding Ki: x = concentration at the receptor, nM", PALETTE["blue"], "solid")
    _line(fig, "in vivo pA2 (monkey, alfentanil): x = dose, nmol/kg", PALETTE["orange"], "dash")
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="chosen value",
                             marker={"color": PALETTE["black"], "size": 10}))
    style_axes(fig, x_title="naltrexone (nM for the Ki line, nmol/kg for the pA2 line; log scale)",
               y_title="dose ratio (fold shift of agonist EC50)", x_log=True)
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


def draw_ki_vs_pa2(fig, conc_nM, dr_ki, dr_pa2, chosen_nM, chosen_dr_ki, chosen_dr_pa2):
    fig.data[0].x, fig.data[0].y = conc_nM, dr_ki
    fig.data[1].x, fig.data[1].y = conc_nM, dr_pa2
    fig.data[2].x, fig.data[2].y = [chosen_nM, chosen_nM], [chosen_dr_ki, chosen_dr_pa2]


# --- single-ligand occupancy (chapter 1 section 1, and the setup check) -----------------------------
def occupancy_figure(title: str, height: int = 380) -> go.FigureWidget:
    fig = new_figure(title, height=height)
    _line(fig, "occupancy", RECEPTOR_COLOURS["mu"])
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="Kd (half occupied)",
                             line={"color": "#444", "dash": "dot", "width": 1.5}))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="your concentration",
                             marker={"color": PALETTE["vermillion"], "size": 14}))
    style_axes(fig, x_title="ligand concentration (nM, log scale)",
               y_title="fraction of receptors occupied", x_log=True, y_range=[0, 1.05])
    return fig


def draw_occupancy(fig, conc_nM, occupancy, kd_nM, chosen_nM, chosen_occupancy, *, colour=None,
                   x_title=None):
    fig.data[0].x, fig.data[0].y = conc_nM, occupancy
    if colour:
        fig.data[0].line.color = colour
    fig.data[1].x, fig.data[1].y = [kd_nM, kd_nM], [0, 0.5]
    fig.data[2].x, fig.data[2].y = [chosen_nM], [chosen_occupancy]
    if x_title:
        fig.layout.xaxis.title.text = x_title
