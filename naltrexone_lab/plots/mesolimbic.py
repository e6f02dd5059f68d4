"""Figures of chapter 3 (mesolimbic disinhibition). Nothing here computes a model."""

from __future__ import annotations

import plotly.graph_objects as go

from .style import PALETTE, new_figure, style_axes

#: Where each node of the circuit diagram sits (diagram coordinates, 0-10).
NODES = {
    "mu": (4.4, 9.2),
    "rmtg": (1.2, 6.6),
    "local": (1.2, 2.2),
    "dopamine": (5.2, 4.4),
    "nac": (8.8, 4.4),
}
#: Where each node's label goes, so that labels never sit on a connection.
TEXT_POSITIONS = {"mu": "top center", "rmtg": "top center", "local": "bottom center",
                  "dopamine": "bottom center", "nac": "bottom center"}
NODE_LABELS = {"mu": "μ receptors", "rmtg": "RMTg GABA", "local": "local GABA",
               "dopamine": "VTA dopamine", "nac": "accumbens"}
NODE_COLOURS = {"mu": PALETTE["blue"], "rmtg": PALETTE["vermillion"], "local": PALETTE["orange"],
                "dopamine": PALETTE["green"], "nac": PALETTE["purple"]}
#: Connections: (from, to, kind). "inhibits" ends in a bar, "excites" in an arrow.
EDGES = (("mu", "rmtg", "inhibits"), ("mu", "local", "inhibits"), ("rmtg", "dopamine", "inhibits"),
         ("local", "dopamine", "inhibits"), ("dopamine", "nac", "excites"))
_DIAGRAM = {"row": 1, "col": 1}


def _line(fig, name, colour, dash="solid", row=None, col=None, width=2.5, showlegend=True):
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=name, showlegend=showlegend,
                             line={"color": colour, "dash": dash, "width": width}), row=row, col=col)


def _edge_points(src, dst, shorten=0.9):
    (x0, y0), (x1, y1) = NODES[src], NODES[dst]
    dx, dy = x1 - x0, y1 - y0
    length = (dx * dx + dy * dy) ** 0.5
    ux, uy = dx / length, dy / length
    return [x0 + ux * shorten, x1 - ux * shorten], [y0 + uy * shorten, y1 - uy * shorten]


# --- "The brake" --------------------------------------------------------------------------------
def brake_figure() -> go.FigureWidget:
    """Circuit diagram (left) and time courses of GABA rates, dopamine firing and accumbens
    dopamine (right). Trace order: edges (5), nodes, then the time-course lines."""
    fig = new_figure(
        "The brake: an opioid silences GABA neurons and dopamine neurons fire faster",
        rows=3, cols=2, column_widths=[0.45, 0.55], horizontal_spacing=0.1, vertical_spacing=0.11,
        specs=[[{"rowspan": 3}, {}], [None, {}], [None, {}]], height=640,
        subplot_titles=("Circuit at the chosen time (line width = activity)",
                        "GABA neurons", "Dopamine neuron", "Accumbens dopamine"),
    )
    for src, dst, kind in EDGES:
        xs, ys = _edge_points(src, dst)
        symbol = "line-ns" if kind == "inhibits" else "triangle-right"
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers", showlegend=False, hoverinfo="text",
            name=f"{NODE_LABELS[src]} {kind} {NODE_LABELS[dst]}",
            line={"color": NODE_COLOURS[src], "width": 4, "dash": "dot" if src == "mu" else "solid"},
            marker={"size": [0, 16], "symbol": symbol, "color": NODE_COLOURS[src],
                    "angle": 0, "line": {"width": 3, "color": NODE_COLOURS[src]}},
        ), **_DIAGRAM)
    names = list(NODES)
    fig.add_trace(go.Scatter(
        x=[NODES[n][0] for n in names], y=[NODES[n][1] for n in names], mode="markers+text",
        name="circuit nodes", showlegend=False, text=[NODE_LABELS[n] for n in names],
        textposition=[TEXT_POSITIONS[n] for n in names], hoverinfo="text",
        marker={"size": [30] * len(names), "color": [NODE_COLOURS[n] for n in names],
                "line": {"width": 1.5, "color": "#444"}},
    ), **_DIAGRAM)
    fig.update_xaxes(visible=False, range=[-0.6, 10.4], row=1, col=1)
    fig.update_yaxes(visible=False, range=[0.0, 10.8], row=1, col=1)
    _line(fig, "RMTg GABA", NODE_COLOURS["rmtg"], "solid", 1, 2)
    _line(fig, "local GABA", NODE_COLOURS["local"], "dash", 1, 2)
    _line(fig, "dopamine neuron", NODE_COLOURS["dopamine"], "solid", 2, 2)
    _line(fig, "accumbens dopamine", NODE_COLOURS["nac"], "solid", 3, 2)
    _line(fig, "drug-free baseline", "#444", "dot", 3, 2, width=1.5)
    for row in (1, 2, 3):  # the chosen time
        _line(fig, "chosen time", "#444", "dash", row, 2, width=1, showlegend=row == 1)
    style_axes(fig, x_title="", y_title="rate (Hz)", row=1, col=2)
    style_axes(fig, x_title="", y_title="rate (Hz)", row=2, col=2)
    style_axes(fig, x_title="time after the opioid dose (h)", y_title="dopamine (nM)", row=3, col=2)
    for row in (1, 2):  # the three time panels share the bottom panel's time axis
        fig.update_xaxes(matches="x4", showticklabels=False, row=row, col=2)
    return fig


def draw_brake(fig, t_h, local_Hz, rmtg_Hz, dopamine_Hz, nac_nM, baseline_nM, at: dict,
               base: dict, chosen_h: float) -> None:
    """``at`` and ``base`` hold node activities at the chosen time and at baseline: keys
    ``mu`` (activation 0-1), ``rmtg``, ``local``, ``dopamine`` (Hz), ``nac`` (nM) and
    ``rmtg_share``."""
    ratio = {n: (at[n] / base[n] if base[n] > 0 else 1.0) for n in ("rmtg", "local", "dopamine", "nac")}
    widths = {
        ("mu", "rmtg"): 1 + 10 * at["mu"], ("mu", "local"): 1 + 10 * at["mu"],
        ("rmtg", "dopamine"): 1 + 10 * at["rmtg_share"] * ratio["rmtg"],
        ("local", "dopamine"): 1 + 10 * (1 - at["rmtg_share"]) * ratio["local"],
        ("dopamine", "nac"): 1 + 3 * ratio["dopamine"],
    }
    for i, (src, dst, kind) in enumerate(EDGES):
        fig.data[i].line.width = widths[(src, dst)]
        fig.data[i].hovertext = f"{NODE_LABELS[src]} {kind} {NODE_LABELS[dst]}"
    nodes = fig.data[len(EDGES)]
    texts = {
        "mu": f"μ activation<br>{100 * at['mu']:.0f}%",
        "rmtg": f"RMTg GABA<br>{at['rmtg']:.1f} Hz",
        "local": f"local GABA<br>{at['local']:.1f} Hz",
        "dopamine": f"dopamine<br>{at['dopamine']:.1f} Hz",
        "nac": f"accumbens<br>{at['nac']:.1f} nM",
    }
    sizes = {"mu": 18 + 30 * at["mu"]}
    sizes.update({n: 12 + 18 * min(ratio[n], 3.0) for n in ratio})
    nodes.text = [texts[n] for n in NODES]
    nodes.hovertext = [texts[n] for n in NODES]
    nodes.marker.size = [sizes[n] for n in NODES]
    first = len(EDGES) + 1
    fig.data[first].x, fig.data[first].y = t_h, rmtg_Hz
    fig.data[first + 1].x, fig.data[first + 1].y = t_h, local_Hz
    fig.data[first + 2].x, fig.data[first + 2].y = t_h, dopamine_Hz
    fig.data[first + 3].x, fig.data[first + 3].y = t_h, nac_nM
    fig.data[first + 4].x, fig.data[first + 4].y = [t_h[0], t_h[-1]], [baseline_nM, baseline_nM]
    ranges = ((0.0, 1.05 * max(max(rmtg_Hz), max(local_Hz))), (0.0, 1.05 * max(dopamine_Hz)),
              (0.0, 1.05 * max(max(nac_nM), baseline_nM)))
    for k, (lo, hi) in enumerate(ranges):
        fig.data[first + 5 + k].x = [chosen_h, chosen_h]
        fig.data[first + 5 + k].y = [lo, hi]


# --- "Naltrexone versus an opioid challenge" -------------------------------------------------------
#: Naltrexone occupancies labelled on the map's log-odds axis.
OCCUPANCY_TICKS = (0.01, 0.1, 0.5, 0.9, 0.99, 0.999)


def challenge_figure() -> go.FigureWidget:
    """The opioid dose-response with and without naltrexone (left) and a map of accumbens
    dopamine over opioid concentration and naltrexone occupancy (right). The map's vertical axis
    is naltrexone's concentration over its Kd, labelled with the occupancy it gives, so that
    equal steps are equal fold changes in naltrexone."""
    fig = new_figure(
        "Naltrexone shifts the opioid's dopamine dose-response to the right",
        rows=1, cols=2, horizontal_spacing=0.2, height=520,
        subplot_titles=("Dose-response at the chosen naltrexone", "Accumbens dopamine (% of baseline)"),
    )
    _line(fig, "opioid alone", PALETTE["black"], "solid", 1, 1)
    _line(fig, "opioid + naltrexone", PALETTE["blue"], "dash", 1, 1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="challenge: alone / with naltrexone",
                             marker={"symbol": ["circle", "diamond"], "size": 12,
                                     "color": [PALETTE["black"], PALETTE["blue"]]}), row=1, col=1)
    fig.add_trace(go.Heatmap(x=[], y=[], z=[], colorscale="Cividis", zmin=80, zmax=320,
                             name="accumbens dopamine", customdata=[], hovertemplate=(
                                 "opioid %{x:.3g} x Kd<br>naltrexone %{customdata:.1f}%<br>"
                                 "dopamine %{z:.0f}% of baseline<extra></extra>"),
                             colorbar={"title": {"text": "% of<br>baseline"}, "len": 0.8}),
                  row=1, col=2)
    _line(fig, "naltrexone occupancy chosen", PALETTE["sky_blue"], "dash", 1, 2, width=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="challenge",
                             marker={"symbol": "x", "size": 14, "color": PALETTE["vermillion"],
                                     "line": {"width": 1, "color": "white"}}), row=1, col=2)
    style_axes(fig, x_title="opioid (× its Kd, log)",
               y_title="accumbens dopamine (% of baseline)", row=1, col=1, x_log=True)
    style_axes(fig, x_title="opioid (× its Kd, log)",
               y_title="naltrexone occupancy (%, log-odds)", row=1, col=2, x_log=True)
    fig.update_yaxes(type="log", tickvals=[o / (1 - o) for o in OCCUPANCY_TICKS],
                     ticktext=[f"{100 * o:g}%" for o in OCCUPANCY_TICKS], row=1, col=2)
    return fig


def draw_challenge(fig, x_ratio, ntx_ratio, z_percent, ntx_chosen, challenge_ratio,
                   curve_alone, curve_with, point_alone, point_with) -> None:
    """``ntx_ratio``: naltrexone concentrations over its Kd (the map's rows); ``ntx_chosen``:
    the chosen naltrexone occupancy (fraction); the marker sits at its ratio (0 is drawn at the
    axis floor)."""
    fig.data[0].x, fig.data[0].y = x_ratio, curve_alone
    fig.data[1].x, fig.data[1].y = x_ratio, curve_with
    fig.data[2].x, fig.data[2].y = [challenge_ratio, challenge_ratio], [point_alone, point_with]
    fig.data[3].x, fig.data[3].y, fig.data[3].z = x_ratio, ntx_ratio, z_percent
    fig.data[3].customdata = [[100.0 * r / (1.0 + r)] * len(x_ratio) for r in ntx_ratio]
    y = max(ntx_chosen / (1.0 - ntx_chosen), float(ntx_ratio[0]))
    fig.data[4].x = [float(x_ratio[0]), float(x_ratio[-1])]
    fig.data[4].y = [y, y]
    fig.data[5].x, fig.data[5].y = [challenge_ratio], [y]
