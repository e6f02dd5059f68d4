"""Figures of chapter 1. Each ``*_figure`` builds an empty FigureWidget with its traces named;
each ``draw_*`` writes model output into it (the caller wraps it in ``batch_update``).
Nothing here computes a model."""

from __future__ import annotations

import numpy as np

from .style import DASHES, PALETTE, RECEPTOR_COLOURS, new_figure, style_axes

CONC_AXIS = "agonist concentration (nM, log scale)"


def _line(fig, name, colour, dash="solid", row=None, col=None, width=2.5, **kw):
    import plotly.graph_objects as go

    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=name,
                             line={"color": colour, "dash": dash, "width": width}, **kw),
                  row=row, col=col)


# --- "Naltrexone shifts the curve" --------------------------------------------------------------
def curve_shift_figure() -> go.FigureWidget:  # noqa: F821
    fig = new_figure("Naltrexone shifts the agonist's curves to the right without lowering the top",
                     rows=1, cols=2, subplot_titles=("Receptor occupancy", "Response"),
                     horizontal_spacing=0.12)
    for col, quantity in ((1, "occupancy"), (2, "response")):
        _line(fig, "agonist alone", PALETTE["blue"], "solid", 1, col,
              legendgroup="alone", showlegend=col == 1, meta=quantity)
        _line(fig, "agonist with naltrexone", PALETTE["vermillion"], "dash", 1, col,
              legendgroup="with", showlegend=col == 1, meta=quantity)
    import plotly.graph_objects as go

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
def efficacy_figure(reference_names) -> go.FigureWidget:  # noqa: F821
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
def selectivity_figure() -> go.FigureWidget:  # noqa: F821
    import plotly.graph_objects as go

    fig = new_figure("Which opioid receptors does the antagonist occupy?", rows=1, cols=2,
                     subplot_titles=("Occupancy versus concentration", "At the chosen concentration"),
                     column_widths=[0.62, 0.38], horizontal_spacing=0.14)
    for i, receptor in enumerate(("mu", "kappa", "delta")):
        _line(fig, receptor, RECEPTOR_COLOURS[receptor], DASHES[i], 1, 1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="chosen concentration",
                             line={"color": "#444", "dash": "dot", "width": 1.5}), row=1, col=1)
    fig.add_trace(go.Bar(x=[], y=[], name="occupancy at chosen concentration", showlegend=False,
                         text=[], textposition="outside",
                         marker={"color": [], "pattern": {"shape": ["", "/", "."]}}), row=1, col=2)
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
    bar.text = [f"{100 * v:.1f}%" for v in values]
    bar.marker.color = [RECEPTOR_COLOURS[r] for r in known]


# --- "Schild analysis" ---------------------------------------------------------------------------
MAX_CURVES = 7


def schild_figure() -> go.FigureWidget:  # noqa: F821
    import plotly.graph_objects as go

    fig = new_figure("A simulated organ bath and its Schild plot", rows=1, cols=2,
                     subplot_titles=("Concentration-response curves",
                                     "Schild plot: log10(DR - 1) versus log10[B]"),
                     horizontal_spacing=0.12)
    colours = list(PALETTE.values())
    for i in range(MAX_CURVES):
        colour = colours[i % len(colours)] if i else PALETTE["black"]
        fig.add_trace(go.Scatter(x=[], y=[], mode="markers", marker={"color": colour, "size": 6},
                                 name=f"curve {i}", showlegend=False, legendgroup=f"c{i}"),
                      row=1, col=1)
    for i in range(MAX_CURVES):
        colour = colours[i % len(colours)] if i else PALETTE["black"]
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", line={"color": colour, "width": 1.5},
                                 name=f"fit {i}", showlegend=False, legendgroup=f"c{i}"),
                      row=1, col=1)
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
def ki_vs_pa2_figure() -> go.FigureWidget:  # noqa: F821
    import plotly.graph_objects as go

    fig = new_figure("Predicted rightward shift of a mu agonist: binding Ki versus in vivo pA2")
    _line(fig, "from binding Ki (cloned receptor)", PALETTE["blue"], "solid")
    _line(fig, "from in vivo apparent pA2 (monkey, alfentanil)", PALETTE["orange"], "dash")
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="chosen concentration",
                             marker={"color": PALETTE["black"], "size": 10}))
    style_axes(fig, x_title="naltrexone concentration (nM, log scale)",
               y_title="dose ratio (fold shift of agonist EC50)", x_log=True)
    fig.update_yaxes(type="log", exponentformat="power")
    return fig


def draw_ki_vs_pa2(fig, conc_nM, dr_ki, dr_pa2, chosen_nM, chosen_dr_ki, chosen_dr_pa2):
    fig.data[0].x, fig.data[0].y = conc_nM, dr_ki
    fig.data[1].x, fig.data[1].y = conc_nM, dr_pa2
    fig.data[2].x, fig.data[2].y = [chosen_nM, chosen_nM], [chosen_dr_ki, chosen_dr_pa2]


# --- setup check (course/00_start_here) ------------------------------------------------------------
def setup_check_figure() -> go.FigureWidget:  # noqa: F821
    import plotly.graph_objects as go

    fig = new_figure("Setup check: the dot should follow the slider", height=330)
    _line(fig, "mu occupancy by naltrexone", RECEPTOR_COLOURS["mu"])
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="your concentration",
                             marker={"color": PALETTE["vermillion"], "size": 14}))
    style_axes(fig, x_title="naltrexone concentration (nM, log scale)",
               y_title="fraction of mu receptors occupied", x_log=True, y_range=[0, 1.05])
    return fig


def draw_setup_check(fig, conc_nM, occupancy, chosen_nM, chosen_occupancy):
    fig.data[0].x, fig.data[0].y = conc_nM, occupancy
    fig.data[1].x, fig.data[1].y = [chosen_nM], [chosen_occupancy]


def log_grid(low_nM: float, high_nM: float, n: int = 200) -> np.ndarray:
    """Log-spaced concentration grid in nM (a plotting convenience, not a model)."""
    return np.logspace(np.log10(low_nM), np.log10(high_nM), n)
