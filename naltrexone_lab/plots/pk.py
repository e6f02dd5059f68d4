"""Figures of chapter 2 (pharmacokinetics and occupancy over time). Each ``draw_*`` finds its
traces with ``fig.trace(key)`` (the trace's ``uid`` where set, else its name), never by position.
Nothing here computes a model."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import PALETTE, CourseFigure, add_line, new_figure, style_axes

MODEL_COLOURS = {"plasma equilibrium": PALETTE["orange"], "brain kinetics": PALETTE["blue"]}
MODEL_DASH = {"plasma equilibrium": "dash", "brain kinetics": "solid"}


def _set(fig, key, x, y):
    trace = fig.trace(key)
    trace.x, trace.y = x, y
    return trace


THRESHOLDS = ("50% occupancy", "90% occupancy")

#: Fill of a band of people (5th-95th percentile), per line colour: the colour at 20% opacity.
BAND_OPACITY = 0.2


def band_name(n_people: int) -> str:
    return f"5-95% of {n_people} virtual people"


def _add_band(fig, key: str, colour: str, row=None, col=None, showlegend: bool = True,
              shape: str = "linear") -> None:
    """Two traces that draw a band: its lower edge (``key + "/low"``, no line) and its upper
    edge (``key + "/high"``) filled down to the lower one (plotly's ``fill="tonexty"`` fills to
    the trace just before it, so the two are added together and before the lines they frame).
    ``shape="spline"`` smooths a band drawn through few points."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    edge = {"width": 0, "color": colour, "shape": shape}
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", uid=f"{key}/low", name="band low",
                             line=edge, showlegend=False, hoverinfo="skip"), row=row, col=col)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", uid=f"{key}/high", name=band_name(100),
                             line=edge, fill="tonexty", showlegend=showlegend,
                             fillcolor=f"rgba({r},{g},{b},{BAND_OPACITY})"), row=row, col=col)


def draw_band(fig, key: str, x, low, high, n_people: int, floor: float | None = None) -> None:
    """Fill the band ``key`` between ``low`` and ``high`` (arrays over ``x``); ``floor`` keeps
    a log axis readable where the lower edge falls to ~0."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    if floor is not None:
        low, high = np.maximum(low, floor), np.maximum(high, floor)
    _set(fig, f"{key}/low", x, low)
    _set(fig, f"{key}/high", x, high).name = band_name(n_people)


def _threshold_lines(fig, x_max, row=None, col=None):
    for level, name in zip((0.5, 0.9), THRESHOLDS):
        fig.add_trace(go.Scatter(x=[0, x_max], y=[level, level], mode="lines", showlegend=False,
                                 name=name, line={"color": "#444", "dash": "dot", "width": 1}),
                      row=row, col=col)


# --- "Regimen explorer" ---------------------------------------------------------------------------
REGIMEN_OCCUPANCY = "regimen/occupancy"
REGIMEN_OCCUPANCY_BAND = "regimen/occupancy band"
REGIMEN_PLASMA_BAND = "regimen/naltrexone band"
CHECKED_HOUR = "hour checked (people below 90%)"


def regimen_figure() -> CourseFigure:
    """Plasma (top, log) and mu occupancy (bottom) on one time axis, 460 px high. Each panel's
    title says what it shows, so the y-axis titles stay short enough not to run into each other,
    and the legend sits in the figure's bottom margin, under the time axis's title."""
    fig = new_figure("Plasma concentrations and mu occupancy for a regimen", rows=2, cols=1,
                     shared_xaxes=True, vertical_spacing=0.12, height=460,
                     subplot_titles=("Plasma naltrexone and 6-beta-naltrexol (total, ng/mL)",
                                     "Mu-receptor occupancy (fraction of receptors)"))
    _add_band(fig, REGIMEN_PLASMA_BAND, PALETTE["vermillion"], 1, 1, showlegend=False)
    add_line(fig, "naltrexone", PALETTE["vermillion"], "solid", 1, 1)
    add_line(fig, "6-beta-naltrexol", PALETTE["purple"], "dash", 1, 1)
    _add_band(fig, REGIMEN_OCCUPANCY_BAND, PALETTE["blue"], 2, 1)
    # its legend name follows the occupancy model: the uid keeps its key fixed
    add_line(fig, "occupancy", PALETTE["blue"], "solid", 2, 1, uid=REGIMEN_OCCUPANCY)
    _threshold_lines(fig, 1, 2, 1)
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=CHECKED_HOUR,
                             line={"color": PALETTE["black"], "width": 1.5, "dash": "dashdot"}),
                  row=2, col=1)
    style_axes(fig, x_title="", y_title="ng/mL (log)", row=1, col=1)
    fig.update_yaxes(type="log", exponentformat="power", row=1, col=1)
    style_axes(fig, x_title="time (days)", y_title="fraction occupied", row=2, col=1,
               y_range=[0, 1.02])
    _legend_in_bottom_margin(fig, margin_b=95)
    fig.update_layout(margin={"t": 70})
    return fig


def _legend_in_bottom_margin(fig, margin_b: int) -> None:
    """Anchor the legend to the bottom edge of the figure (``yref="container"``), so it stays
    inside the figure's height whatever the plot area's height; ``margin_b`` (px) leaves room
    for the x-axis ticks and title above it."""
    fig.update_layout(legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom",
                              "x": 0.0, "xanchor": "left"},
                      margin={"b": margin_b})


def draw_regimen(fig, t_days, naltrexone_ng_ml, naltrexol_ng_ml, occupancy, model: str,
                 people=None):
    """The typical person's lines; ``people`` (optional) is ``(t_days, (low, high) of
    naltrexone in ng/mL, (low, high) of occupancy, n_people, checked_day)`` and draws the bands
    and a vertical line at the time checked (days)."""
    floor = 1e-3  # keep the log axis readable where concentrations fall to ~0
    if people is not None:
        band_t, (p_lo, p_hi), (o_lo, o_hi), n, checked_day = people
        draw_band(fig, REGIMEN_PLASMA_BAND, band_t, p_lo, p_hi, n, floor=floor)
        draw_band(fig, REGIMEN_OCCUPANCY_BAND, band_t, o_lo, o_hi, n)
        _set(fig, CHECKED_HOUR, [checked_day, checked_day], [0.0, 1.0])
    # arrays, not lists: plotly checks a list element by element (10 ms of a 28-day regimen)
    _set(fig, "naltrexone", t_days, np.maximum(np.asarray(naltrexone_ng_ml, dtype=float), floor))
    _set(fig, "6-beta-naltrexol", t_days, np.maximum(np.asarray(naltrexol_ng_ml, dtype=float), floor))
    occ = _set(fig, REGIMEN_OCCUPANCY, t_days, occupancy)
    occ.name = f"occupancy ({model})"
    occ.line.color = MODEL_COLOURS[model]
    for name in THRESHOLDS:
        fig.trace(name).x = [0, float(t_days[-1])]


# --- "Plasma half-life is not occupancy half-life" -------------------------------------------------
LEE_BAND = "Lee 1988 (50 mg only): half of peak at 72-108 h"
PET_POINT = "PET (Rabiner 2011), dose shown"
PLASMA_REL = "plasma naltrexone (fraction of its peak)"
HALF_LIFE_BAND = "half-life/brain kinetics band"


def half_life_figure() -> CourseFigure:
    fig = new_figure("Plasma falls in hours; brain blockade lasts days")
    add_line(fig, PLASMA_REL, PALETTE["vermillion"], "dot")
    add_line(fig, "occupancy: plasma equilibrium", MODEL_COLOURS["plasma equilibrium"], "dash")
    _add_band(fig, HALF_LIFE_BAND, MODEL_COLOURS["brain kinetics"])
    add_line(fig, "occupancy: brain kinetics", MODEL_COLOURS["brain kinetics"], "solid")
    fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name=LEE_BAND,
                             line={"color": PALETTE["green"], "width": 10}, opacity=0.5))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name=PET_POINT,
                             marker={"color": PALETTE["black"], "size": 11, "symbol": "diamond"},
                             error_y={"type": "data", "symmetric": False, "array": [], "arrayminus": []}))
    style_axes(fig, x_title="time after the dose (days)", y_title="fraction (of peak, or of receptors)",
               y_range=[0, 1.05])
    return fig


def draw_half_life(fig, t_days, plasma_rel, occ_a, occ_b, lee_band, pet_point, people=None):
    """``people``: optional ``(t_days, low, high, n_people)``, the brain-kinetics band."""
    if people is not None:
        draw_band(fig, HALF_LIFE_BAND, *people)
    _set(fig, PLASMA_REL, t_days, plasma_rel)
    _set(fig, "occupancy: plasma equilibrium", t_days, occ_a)
    _set(fig, "occupancy: brain kinetics", t_days, occ_b)
    if lee_band is None:
        _set(fig, LEE_BAND, [], [])
    else:
        (lo_d, hi_d), level = lee_band
        _set(fig, LEE_BAND, [lo_d, hi_d], [level, level])
    if pet_point is None:
        _set(fig, PET_POINT, [], [])
    else:
        t, (lo, hi) = pet_point
        mid = (lo + hi) / 2
        pet = _set(fig, PET_POINT, [t], [mid])
        pet.error_y.array, pet.error_y.arrayminus = [hi - mid], [mid - lo]


# --- "Dose versus occupancy" -------------------------------------------------------------------------
PET_DOSES = "PET, Rabiner et al. 2011 (< 8 h)"
DOSE_BAND = "dose/brain kinetics band"


def dose_occupancy_figure() -> CourseFigure:
    fig = new_figure("Occupancy shortly after one dose, against the dose")
    add_line(fig, "plasma equilibrium", MODEL_COLOURS["plasma equilibrium"], "dash")
    _add_band(fig, DOSE_BAND, MODEL_COLOURS["brain kinetics"], shape="spline")  # 13 doses
    add_line(fig, "brain kinetics (fitted to PET)", MODEL_COLOURS["brain kinetics"], "solid")
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name=PET_DOSES,
                             marker={"color": PALETTE["black"], "size": 11, "symbol": "diamond"},
                             error_y={"type": "data", "symmetric": False, "array": [], "arrayminus": []}))
    fig.add_trace(go.Scatter(x=[], y=[], mode="markers", name="your dose",
                             marker={"color": PALETTE["vermillion"], "size": 13, "symbol": "circle"}))
    style_axes(fig, x_title="single oral dose (mg, log scale)",
               y_title="fraction of mu receptors occupied", x_log=True, y_range=[0, 1.05])
    return fig


def draw_dose_occupancy(fig, doses, occ_a, occ_b, pet, chosen_dose, chosen_occ, band=None):
    """``band``: optional ``(doses, low, high, n_people)``, the brain-kinetics band of
    ``n_people`` virtual people."""
    if band is not None:
        doses_b, low, high, n_people = band
        draw_band(fig, DOSE_BAND, doses_b, low, high, n_people=n_people)
    _set(fig, "plasma equilibrium", doses, occ_a)
    _set(fig, "brain kinetics (fitted to PET)", doses, occ_b)
    mids = [(lo + hi) / 2 for lo, hi in pet.values()]
    points = _set(fig, PET_DOSES, list(pet), mids)
    points.visible = bool(pet)
    points.error_y.array = [hi - m for (lo, hi), m in zip(pet.values(), mids)]
    points.error_y.arrayminus = [m - lo for (lo, hi), m in zip(pet.values(), mids)]
    _set(fig, "your dose", [chosen_dose, chosen_dose], list(chosen_occ))


# --- "What does transient mean?" -------------------------------------------------------------------
TABLE = "hours above threshold"
#: Row heights of the table (px); a cell's text is one line of 13 px type.
TABLE_ROW_PX = 28
_TABLE_MARGIN = {"l": 20, "r": 20, "t": 70, "b": 20}


def table_height(n_rows: int) -> int:
    """Figure height (px) that shows a header and ``n_rows`` rows without clipping or scrolling:
    the margins, one row height per row plus the header, and a few px for the cell borders."""
    return _TABLE_MARGIN["t"] + _TABLE_MARGIN["b"] + (n_rows + 1) * (TABLE_ROW_PX + 2) + 12


def blockade_table_figure(n_rows: int = 4) -> CourseFigure:
    fig = new_figure("Hours per day at or above the threshold, on day 7", height=table_height(n_rows))
    fig.add_trace(go.Table(
        name=TABLE,
        header={"values": [], "fill_color": "#eef3f8", "align": "left", "font": {"size": 13},
                "height": TABLE_ROW_PX},
        cells={"values": [], "align": "left", "font": {"size": 13}, "height": TABLE_ROW_PX}))
    fig.update_layout(margin=_TABLE_MARGIN)
    return fig


def draw_blockade_table(fig, header, columns):
    table = fig.trace(TABLE)
    table.header.values = header
    table.cells.values = columns
    fig.layout.height = table_height(len(columns[0]) if columns else 0)
