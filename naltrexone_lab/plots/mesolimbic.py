"""Figures of chapter 3 (mesolimbic disinhibition). Nothing here computes a model."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import PALETTE, add_line, new_figure, set_props, style_axes

#: Where each node of the circuit diagram sits (diagram coordinates: x -0.5 to 10.5, y 1.2 to
#: 10.7). A diamond: mu receptors on top, the two GABA populations at its sides, the dopamine
#: neuron at its foot and the accumbens to the right, so that no two connections cross.
NODES = {
    "mu": (4.8, 9.2),
    "rmtg": (3.0, 6.2),
    "local": (6.6, 6.2),
    "dopamine": (4.8, 3.2),
    "nac": (8.8, 3.2),
}
#: Which side of its node each label sits on: the side no connection leaves from.
LABEL_SIDES = {"mu": "above", "rmtg": "left", "local": "right", "dopamine": "below",
               "nac": "below"}
NODE_LABELS = {"mu": "μ receptors", "rmtg": "RMTg GABA", "local": "local GABA",
               "dopamine": "VTA dopamine", "nac": "accumbens"}
NODE_COLOURS = {"mu": PALETTE["blue"], "rmtg": PALETTE["vermillion"], "local": PALETTE["orange"],
                "dopamine": PALETTE["green"], "nac": PALETTE["purple"]}
#: Connections: (from, to, kind). "inhibits" ends in a bar, "excites" in an arrow.
EDGES = (("mu", "rmtg", "inhibits"), ("mu", "local", "inhibits"), ("rmtg", "dopamine", "inhibits"),
         ("local", "dopamine", "inhibits"), ("dopamine", "nac", "excites"))
#: Gap (px) between a node's marker and its label.
LABEL_GAP_PX = 5
_DIAGRAM = {"row": 1, "col": 1}
#: Trace keys (uids) of the dashed "chosen time" line in each time-course panel (rows 1-3), which
#: share one legend name.
CHOSEN_TIME_KEYS = ("chosen time: GABA", "chosen time: dopamine neuron", "chosen time: accumbens")


def edge_key(src: str, dst: str) -> str:
    """Trace key (uid) of the connection from ``src`` to ``dst``."""
    return f"edge {src}-{dst}"


def label_name(node: str) -> str:
    """``name`` of the annotation that labels ``node`` in the diagram."""
    return f"label {node}"


def _edge_points(src, dst, shorten=0.9):
    (x0, y0), (x1, y1) = NODES[src], NODES[dst]
    dx, dy = x1 - x0, y1 - y0
    length = (dx * dx + dy * dy) ** 0.5
    ux, uy = dx / length, dy / length
    return [x0 + ux * shorten, x1 - ux * shorten], [y0 + uy * shorten, y1 - uy * shorten]


def _label_placement(node: str, size_px: float) -> dict:
    """Anchor and pixel shift of a node's label, just outside its marker (``size_px`` across)."""
    gap = size_px / 2.0 + LABEL_GAP_PX
    return {
        "above": {"xanchor": "center", "yanchor": "bottom", "xshift": 0, "yshift": gap},
        "below": {"xanchor": "center", "yanchor": "top", "xshift": 0, "yshift": -gap},
        "left": {"xanchor": "right", "yanchor": "middle", "xshift": -gap, "yshift": 0},
        "right": {"xanchor": "left", "yanchor": "middle", "xshift": gap, "yshift": 0},
    }[LABEL_SIDES[node]]


def _annotation(fig, name: str):
    # found in the layout's own properties (plain dicts), then taken as plotly's object: reading
    # each annotation's name through its object was 2 ms of every redraw of the brake
    found = [i for i, a in enumerate(fig._layout.get("annotations", ())) if a.get("name") == name]
    if len(found) != 1:
        raise KeyError(f"{len(found)} annotations named {name!r}")
    return fig.layout.annotations[found[0]]


# --- "The brake" --------------------------------------------------------------------------------
def brake_figure() -> go.Figure:
    """Circuit diagram (left) and time courses of GABA rates, dopamine firing and accumbens
    dopamine (right). Traces are found by key: each connection by :func:`edge_key`, the nodes
    as "circuit nodes", the time courses by their names and the chosen-time lines by
    :data:`CHOSEN_TIME_KEYS`; node labels are annotations named by :func:`label_name`."""
    fig = new_figure(
        "The brake: an opioid silences GABA neurons and dopamine neurons fire faster",
        rows=3, cols=2, column_widths=[0.48, 0.52], horizontal_spacing=0.08, vertical_spacing=0.11,
        specs=[[{"rowspan": 3}, {}], [None, {}], [None, {}]], height=620,
        subplot_titles=("Circuit at the chosen time (line width = activity)",
                        "GABA neurons", "Dopamine neuron", "Accumbens dopamine"),
    )
    for src, dst, kind in EDGES:
        xs, ys = _edge_points(src, dst)
        # the end marker is turned along the connection: a bar across it, or an arrow head
        symbol = "line-ew" if kind == "inhibits" else "arrow"
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers", showlegend=False, hoverinfo="text",
            name=f"{NODE_LABELS[src]} {kind} {NODE_LABELS[dst]}", uid=edge_key(src, dst),
            line={"color": NODE_COLOURS[src], "width": 4, "dash": "dot" if src == "mu" else "solid"},
            marker={"size": [0, 16], "symbol": symbol, "color": NODE_COLOURS[src],
                    "angleref": "previous", "line": {"width": 3, "color": NODE_COLOURS[src]}},
        ), **_DIAGRAM)
    names = list(NODES)
    fig.add_trace(go.Scatter(
        x=[NODES[n][0] for n in names], y=[NODES[n][1] for n in names], mode="markers",
        name="circuit nodes", showlegend=False, hoverinfo="text",
        marker={"size": [30] * len(names), "color": [NODE_COLOURS[n] for n in names],
                "line": {"width": 1.5, "color": "#444"}},
    ), **_DIAGRAM)
    for n in names:  # labels sit on the free side of each node, on a white box
        fig.add_annotation(name=label_name(n), text=NODE_LABELS[n], x=NODES[n][0], y=NODES[n][1],
                           xref="x", yref="y", showarrow=False, align="center",
                           bgcolor="rgba(255,255,255,0.85)", borderpad=1,
                           **_label_placement(n, 30))
    fig.update_xaxes(visible=False, range=[-0.5, 10.5], row=1, col=1)
    fig.update_yaxes(visible=False, range=[1.2, 10.7], row=1, col=1)
    add_line(fig, "RMTg GABA", NODE_COLOURS["rmtg"], "solid", 1, 2)
    add_line(fig, "local GABA", NODE_COLOURS["local"], "dash", 1, 2)
    add_line(fig, "dopamine neuron", NODE_COLOURS["dopamine"], "solid", 2, 2)
    add_line(fig, "accumbens dopamine", NODE_COLOURS["nac"], "solid", 3, 2)
    add_line(fig, "drug-free baseline", "#444", "dot", 3, 2, width=1.5)
    for row, key in zip((1, 2, 3), CHOSEN_TIME_KEYS):  # the chosen time
        add_line(fig, "chosen time", "#444", "dash", row, 2, width=1, showlegend=row == 1, uid=key)
    style_axes(fig, x_title="", y_title="rate (Hz)", row=1, col=2)
    style_axes(fig, x_title="", y_title="rate (Hz)", row=2, col=2)
    style_axes(fig, x_title="time after the opioid dose (h)", y_title="dopamine (nM)", row=3, col=2)
    for row in (1, 2):  # the three time panels share the bottom panel's time axis
        fig.update_xaxes(matches="x4", showticklabels=False, row=row, col=2)
    fig.update_layout(legend={"y": -0.16})
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
    for src, dst, kind in EDGES:
        edge = fig.trace(edge_key(src, dst))
        edge.line.width = widths[(src, dst)]
        edge.hovertext = f"{NODE_LABELS[src]} {kind} {NODE_LABELS[dst]}"
    texts = {
        "mu": f"μ activation<br>{100 * at['mu']:.0f}%",
        "rmtg": f"RMTg GABA<br>{at['rmtg']:.1f} Hz",
        "local": f"local GABA<br>{at['local']:.1f} Hz",
        "dopamine": f"VTA dopamine<br>{at['dopamine']:.1f} Hz",
        "nac": f"accumbens<br>{at['nac']:.1f} nM",
    }
    sizes = {"mu": 18 + 30 * at["mu"]}
    sizes.update({n: 12 + 18 * min(ratio[n], 3.0) for n in ratio})
    nodes = fig.trace("circuit nodes")
    nodes.hovertext = [texts[n] for n in NODES]
    nodes.marker.size = [sizes[n] for n in NODES]
    for n in NODES:
        set_props(_annotation(fig, label_name(n)), text=texts[n], **_label_placement(n, sizes[n]))
    for key, y in (("RMTg GABA", rmtg_Hz), ("local GABA", local_Hz),
                   ("dopamine neuron", dopamine_Hz), ("accumbens dopamine", nac_nM)):
        trace = fig.trace(key)
        trace.x, trace.y = t_h, y
    set_props(fig.trace("drug-free baseline"), x=[t_h[0], t_h[-1]], y=[baseline_nM, baseline_nM])
    ranges = ((0.0, 1.05 * max(max(rmtg_Hz), max(local_Hz))), (0.0, 1.05 * max(dopamine_Hz)),
              (0.0, 1.05 * max(max(nac_nM), baseline_nM)))
    for key, (lo, hi) in zip(CHOSEN_TIME_KEYS, ranges):
        set_props(fig.trace(key), x=[chosen_h, chosen_h], y=[lo, hi])


# --- "Naltrexone versus an opioid challenge" -------------------------------------------------------
#: Naltrexone occupancies labelled on the map's log-odds axis.
OCCUPANCY_TICKS = (0.01, 0.1, 0.5, 0.9, 0.99, 0.999)


def challenge_figure() -> go.Figure:
    """The opioid dose-response with and without naltrexone (left) and a map of accumbens
    dopamine over opioid concentration and naltrexone occupancy (right). The map's vertical axis
    is naltrexone's concentration over its Kd, labelled with the occupancy it gives, so that
    equal steps are equal fold changes in naltrexone. Traces are found by their names."""
    fig = new_figure(
        "Naltrexone shifts the opioid's dopamine dose-response to the right",
        rows=1, cols=2, horizontal_spacing=0.2, height=460,
        subplot_titles=("Dose-response at the chosen naltrexone", "Accumbens dopamine (% of baseline)"),
    )
    add_line(fig, "opioid alone", PALETTE["black"], "solid", 1, 1)
    add_line(fig, "opioid + naltrexone", PALETTE["blue"], "dash", 1, 1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="challenge: alone / with naltrexone",
                             marker={"symbol": ["circle", "diamond"], "size": 12,
                                     "color": [PALETTE["black"], PALETTE["blue"]]}), row=1, col=1)
    fig.add_trace(go.Heatmap(x=[], y=[], z=[], colorscale="Cividis", zmin=80, zmax=320,
                             name="accumbens dopamine", customdata=[], hovertemplate=(
                                 "opioid %{x:.3g} x Kd<br>naltrexone %{customdata:.1f}%<br>"
                                 "dopamine %{z:.0f}% of baseline<extra></extra>"),
                             colorbar={"title": {"text": "% of<br>baseline"}, "len": 0.8}),
                  row=1, col=2)
    add_line(fig, "naltrexone occupancy chosen", PALETTE["sky_blue"], "dash", 1, 2, width=2)
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="challenge",
                             marker={"symbol": "x", "size": 14, "color": PALETTE["vermillion"],
                                     "line": {"width": 1, "color": "white"}}), row=1, col=2)
    style_axes(fig, x_title="opioid (× its Kd, log)",
               y_title="accumbens dopamine (% of baseline)", row=1, col=1, x_log=True)
    style_axes(fig, x_title="opioid (× its Kd, log)",
               y_title="naltrexone occupancy (%, log-odds)", row=1, col=2, x_log=True)
    fig.update_yaxes(type="log", tickvals=[o / (1 - o) for o in OCCUPANCY_TICKS],
                     ticktext=[f"{100 * o:g}%" for o in OCCUPANCY_TICKS], row=1, col=2)
    fig.update_layout(legend={"y": -0.24})
    return fig


def draw_challenge(fig, x_ratio, ntx_ratio, ntx_occupancy, z_percent, ntx_chosen, challenge_ratio,
                   curve_alone, curve_with, point_alone, point_with) -> None:
    """``ntx_ratio``: naltrexone concentrations over its Kd (the map's rows), ``ntx_occupancy``
    the occupancy (fraction) of each row, shown on hover; ``ntx_chosen``: the chosen naltrexone
    occupancy (fraction); the marker sits at its ratio (0 is drawn at the axis floor)."""
    fig.trace("opioid alone").update(x=x_ratio, y=curve_alone)
    fig.trace("opioid + naltrexone").update(x=x_ratio, y=curve_with)
    fig.trace("challenge: alone / with naltrexone").update(
        x=[challenge_ratio, challenge_ratio], y=[point_alone, point_with])
    fig.trace("accumbens dopamine").update(
        x=x_ratio, y=ntx_ratio, z=z_percent,
        # one array, not nested lists: plotly checks a list element by element (12 ms here)
        customdata=np.repeat(100.0 * np.asarray(ntx_occupancy, dtype=float)[:, None], len(x_ratio), axis=1))
    y = max(ntx_chosen / (1.0 - ntx_chosen), float(ntx_ratio[0]))
    fig.trace("naltrexone occupancy chosen").update(x=[float(x_ratio[0]), float(x_ratio[-1])],
                                                    y=[y, y])
    fig.trace("challenge").update(x=[challenge_ratio], y=[y])
