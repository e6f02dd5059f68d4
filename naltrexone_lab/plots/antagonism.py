"""Figures of chapter 1. Each ``*_figure`` builds an empty
:class:`~naltrexone_lab.plots.style.CourseFigure` with its traces keyed (by ``uid`` where a
legend name repeats, else by name); each ``draw_*`` writes model output into the traces it finds
with ``fig.trace(key)``, never by position. Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from ..models.units import format_percent
from .describe import format_value, set_headline
from .style import (
    DASHES,
    PALETTE,
    RECEPTOR_COLOURS,
    RECEPTOR_PATTERNS,
    CourseFigure,
    add_line,
    new_figure,
    style_axes,
)

CONC_AXIS = "agonist concentration (nM, log scale)"


def _set(fig, key, x, y):
    trace = fig.trace(key)
    trace.x, trace.y = x, y
    return trace


# --- "Naltrexone shifts the curve" --------------------------------------------------------------
def curve_shift_figure() -> CourseFigure:
    fig = new_figure("Naltrexone shifts the agonist's curves to the right without lowering the top",
                     rows=1, cols=2, subplot_titles=("Receptor occupancy", "Response"),
                     horizontal_spacing=0.12)
    # the same two curves in both panels: one legend entry each, told apart by uid
    for col, quantity in ((1, "occupancy"), (2, "response")):
        add_line(fig, "agonist alone", PALETTE["blue"], "solid", 1, col, uid=f"{quantity}/agonist alone",
                 legendgroup="alone", showlegend=col == 1, meta=quantity)
        add_line(fig, "agonist with naltrexone", PALETTE["vermillion"], "dash", 1, col,
                 uid=f"{quantity}/agonist with naltrexone",
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
    for key, y in (("occupancy/agonist alone", occ_alone),
                   ("occupancy/agonist with naltrexone", occ_with),
                   ("response/agonist alone", resp_alone),
                   ("response/agonist with naltrexone", resp_with)):
        _set(fig, key, agonist_nM, y)
    _set(fig, "EC50 alone", [ec50_alone_nM], [half_response])
    _set(fig, "EC50 with naltrexone", [ec50_with_nM], [half_response])
    set_headline(fig, f"With naltrexone the response curve shifts {ec50_with_nM / ec50_alone_nM:.3g}-fold "
                      f"right: its EC50 moves from {format_value(ec50_alone_nM, 'nM')} to "
                      f"{format_value(ec50_with_nM, 'nM')}, and its top stays at "
                      f"{format_value(float(max(resp_with)), 'fraction')} of the system maximum")


# --- "The key that does not turn" ----------------------------------------------------------------
OWN_LIGAND = "your ligand (K = 1 nM)"


def efficacy_figure(reference_names) -> CourseFigure:
    """One line per reference ligand, keyed by its name in ``reference_names``, and the
    learner's own ligand (key :data:`OWN_LIGAND`)."""
    fig = new_figure("Same receptor, different efficacy: full agonist, partial agonist, antagonist")
    colours = [PALETTE["blue"], PALETTE["green"], PALETTE["orange"], PALETTE["purple"]]
    for i, name in enumerate(reference_names):
        add_line(fig, name, colours[i % len(colours)], DASHES[(i + 1) % len(DASHES)], width=2)
    add_line(fig, OWN_LIGAND, PALETTE["black"], "solid", width=4)
    style_axes(fig, x_title="ligand concentration (nM, log scale)",
               y_title="response (fraction of system maximum)", x_log=True, y_range=[-0.02, 1.02])
    return fig


def draw_efficacy(fig, conc_nM, reference_responses: dict, own_response):
    """``reference_responses`` maps each reference line's name to its response."""
    for name, y in reference_responses.items():
        _set(fig, name, conc_nM, y)
    _set(fig, OWN_LIGAND, conc_nM, own_response)


# --- "Selectivity" -----------------------------------------------------------------------------
def selectivity_figure() -> CourseFigure:
    fig = new_figure("Which opioid receptors does the antagonist occupy?", rows=1, cols=2,
                     subplot_titles=("Occupancy versus concentration", "At the chosen concentration"),
                     column_widths=[0.62, 0.38], horizontal_spacing=0.14)
    for i, receptor in enumerate(("mu", "kappa", "delta")):
        add_line(fig, receptor, RECEPTOR_COLOURS[receptor], DASHES[i], 1, 1)
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
    for receptor in receptors:
        trace = fig.trace(receptor)
        if receptor in curves:
            trace.x, trace.y, trace.visible = conc_nM, curves[receptor], True
        else:
            trace.x, trace.y, trace.visible = [], [], False
    _set(fig, "chosen concentration", [chosen_nM, chosen_nM], [0, 1])
    known = [r for r in receptors if r in at_chosen]
    values = [float(at_chosen[r]) for r in known]
    bar = _set(fig, "occupancy at chosen concentration", known, values)
    bar.text = [format_percent(v) for v in values]
    bar.marker.color = [RECEPTOR_COLOURS[r] for r in known]
    bar.marker.pattern.shape = [RECEPTOR_PATTERNS[r] for r in known]


# --- "Schild analysis" ---------------------------------------------------------------------------
MAX_CURVES = 7
IDEAL_SCHILD = "ideal: slope 1 at true pKB"


def schild_figure() -> CourseFigure:
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
    add_line(fig, "regression", PALETTE["vermillion"], "solid", 1, 2)
    add_line(fig, IDEAL_SCHILD, PALETTE["blue"], "dash", 1, 2, width=2)
    style_axes(fig, x_title=CONC_AXIS, y_title="response (fraction of maximum)", row=1, col=1,
               x_log=True, y_range=[-0.15, 1.15])
    style_axes(fig, x_title="log10 antagonist concentration (log10 M)",
               y_title="log10(dose ratio - 1)", row=1, col=2)
    return fig


def draw_schild(fig, agonist_nM, responses, fitted_curves, log_b_M, log_dr_minus_1, line_x,
                line_y, ideal_y):
    n = len(responses)
    for i in range(MAX_CURVES):
        points, curve = fig.trace(f"curve {i}"), fig.trace(f"fit {i}")
        if i < n:
            points.x, points.y, points.visible = agonist_nM, responses[i], True
            curve.x, curve.y, curve.visible = fitted_curves[0], fitted_curves[1][i], True
        else:
            points.visible = curve.visible = False
    _set(fig, "estimated dose ratios", log_b_M, log_dr_minus_1)
    _set(fig, "regression", line_x, line_y)
    _set(fig, IDEAL_SCHILD, line_x, ideal_y)


# --- "What the evidence says": binding Ki versus in vivo pA2 --------------------------------------
KI_LINE = "binding Ki: x = concentration at the receptor, nM"
PA2_LINE = "in vivo pA2 (monkey, alfentanil): x = dose, nmol/kg"


def ki_vs_pa2_figure() -> CourseFigure:
    fig = new_figure("Shift of a mu agonist: binding Ki (per nM) versus in vivo pA2 (per nmol/kg)")
    add_line(fig, KI_LINE, PALETTE["blue"], "solid")
    add_line(fig, PA2_LINE, PALETTE["orange"], "dash")
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="chosen value",
                             marker={"color": PALETTE["black"], "size": 10}))
    style_axes(fig, x_title="naltrexone (nM for the Ki line, nmol/kg for the pA2 line; log scale)",
               y_title="dose ratio (fold shift of agonist EC50)", x_log=True)
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


def draw_ki_vs_pa2(fig, conc_nM, dr_ki, dr_pa2, chosen_nM, chosen_dr_ki, chosen_dr_pa2):
    _set(fig, KI_LINE, conc_nM, dr_ki)
    _set(fig, PA2_LINE, conc_nM, dr_pa2)
    _set(fig, "chosen value", [chosen_nM, chosen_nM], [chosen_dr_ki, chosen_dr_pa2])


# --- single-ligand occupancy (chapter 1 section 1, and the setup check) -----------------------------
def occupancy_figure(title: str, height: int = 380) -> CourseFigure:
    fig = new_figure(title, height=height)
    add_line(fig, "occupancy", RECEPTOR_COLOURS["mu"])
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="Kd (half occupied)",
                             line={"color": "#444", "dash": "dot", "width": 1.5}))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="your concentration",
                             marker={"color": PALETTE["vermillion"], "size": 14}))
    style_axes(fig, x_title="ligand concentration (nM, log scale)",
               y_title="fraction of receptors occupied", x_log=True, y_range=[0, 1.05])
    # one short row of keys between the title and the plot: below the plot (the course default)
    # a figure this low put the legend over the x-axis title
    fig.update_layout(legend={"orientation": "h", "yref": "paper", "y": 1.02, "yanchor": "bottom",
                              "x": 0.0, "xanchor": "left"},
                      margin={"t": 90, "b": 60})
    return fig


def draw_occupancy(fig, conc_nM, occupancy, kd_nM, chosen_nM, chosen_occupancy, *, colour=None,
                   x_title=None):
    curve = _set(fig, "occupancy", conc_nM, occupancy)
    if colour:
        curve.line.color = colour
    _set(fig, "Kd (half occupied)", [kd_nM, kd_nM], [0, 0.5])
    _set(fig, "your concentration", [chosen_nM], [chosen_occupancy])
    set_headline(fig, f"At {format_value(chosen_nM, 'nM')}, {format_value(chosen_occupancy, 'fraction')} "
                      f"of the receptors are occupied; half are occupied at the Kd, "
                      f"{format_value(kd_nM, 'nM')}")
    if x_title:
        fig.layout.xaxis.title.text = x_title
