"""Chapter 3 widgets, driven in the kernel: what the figure and readouts show follows the model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import pytest

from naltrexone_lab.models import mesolimbic as M
from naltrexone_lab.plots import mesolimbic as P
from naltrexone_lab.plots.mesolimbic import CHOSEN_TIME_KEYS, edge_key
from naltrexone_lab.widgets import BrakeCircuitWidget, OpioidChallengeWidget
from naltrexone_lab.widgets.mesolimbic import NONE_BLOCKED

LINES = ("RMTg GABA", "local GABA", "dopamine neuron", "accumbens dopamine")
MU_EDGE = edge_key("mu", "rmtg")


def label_texts(w) -> list[str]:
    return [a.text for a in w.figure.layout.annotations if (a.name or "").startswith("label ")]


def peak_percent(w) -> float:
    return float(w.readout_text("peak").split("=")[1].split("%")[0])


def test_brake_time_courses_are_the_models():
    w = BrakeCircuitWidget(peak_occupancy_percent=20.0, naltrexone_mg=0.0)
    t = np.asarray(w.figure.trace("RMTg GABA").x)
    tc = M.time_course(t, 0.2)
    assert np.allclose(w.figure.trace("RMTg GABA").y, tc.state.rmtg_gaba_Hz)
    assert np.allclose(w.figure.trace("dopamine neuron").y, tc.state.dopamine_Hz)
    assert np.allclose(w.figure.trace("accumbens dopamine").y, tc.state.nac_dopamine_nM)
    assert peak_percent(w) == pytest.approx(tc.nac_percent_of_baseline.max(), abs=0.5)


def test_brake_naltrexone_removes_most_of_the_surge():
    w = BrakeCircuitWidget(peak_occupancy_percent=3.0)
    alone = peak_percent(w)
    w.controls["naltrexone_mg"].value = 50.0
    blocked = peak_percent(w)
    assert alone > 130 and blocked < 105
    assert w.readout_text("ntx") == "88.2%"  # the 2026-12-07 refit of the oral kinetics (was 88.3%)


def test_brake_rmtg_share_sets_the_size_of_the_surge():
    w = BrakeCircuitWidget(peak_occupancy_percent=30.0, rmtg_share=1.0)
    rmtg = peak_percent(w)
    w.controls["rmtg_share"].value = 0.0
    local = peak_percent(w)
    assert local < 0.5 * rmtg
    expected = M.time_course(np.asarray(w.figure.trace("RMTg GABA").x), 0.3,
                             params=replace(M.CircuitParameters(), rmtg_share=0.0))
    assert np.allclose(w.figure.trace("accumbens dopamine").y, expected.state.nac_dopamine_nM)


def test_brake_classic_picture_restores_a_local_brake():
    """With local interneurons as morphine-sensitive as the RMTg (the classic picture), an
    all-local brake gives a surge as large as an all-RMTg one does with Matsui's numbers."""
    w = BrakeCircuitWidget(peak_occupancy_percent=30.0, rmtg_share=0.0)
    revised = peak_percent(w)
    w.controls["local_sensitivity"].value = "46%, like the RMTg (classic picture)"
    classic = peak_percent(w)
    params = replace(M.CircuitParameters(), rmtg_share=0.0, local_mu_inhibition=0.46)
    expected = M.time_course(np.asarray(w.figure.trace("RMTg GABA").x), 0.3, params=params)
    assert classic == pytest.approx(expected.nac_percent_of_baseline.max(), abs=0.5)
    assert classic > 1.5 * revised


def test_brake_buprenorphine_has_a_ceiling():
    w = BrakeCircuitWidget(peak_occupancy_percent=95.0, opioid="fentanyl")
    full = peak_percent(w)
    w.controls["opioid"].value = "buprenorphine"
    assert peak_percent(w) < 0.8 * full


def test_brake_diagram_time_moves_only_the_diagram_and_marker():
    w = BrakeCircuitWidget(peak_occupancy_percent=30.0, time_h=0.3)
    lines_before = [list(w.figure.trace(k).y) for k in LINES]
    text_before = label_texts(w)
    w.controls["time_h"].value = 6.0
    assert [list(w.figure.trace(k).y) for k in LINES] == lines_before
    assert label_texts(w) != text_before
    assert list(w.figure.trace(CHOSEN_TIME_KEYS[0]).x) == [6.0, 6.0]
    assert w.readout_text("now").startswith("6.0 h")
    # six hours after morphine the brake is mostly back: the mu edge is thinner than at 0.3 h
    thin = w.figure.trace(MU_EDGE).line.width
    w.controls["time_h"].value = 0.3
    assert w.figure.trace(MU_EDGE).line.width > thin


def test_brake_edges_thicken_with_mu_activation():
    w = BrakeCircuitWidget(peak_occupancy_percent=0.1, time_h=0.3)
    thin = w.figure.trace(MU_EDGE).line.width
    w.controls["peak_occupancy_percent"].value = 90.0
    assert w.figure.trace(MU_EDGE).line.width > thin


def test_challenge_shift_is_gaddums_dose_ratio():
    w = OpioidChallengeWidget(naltrexone_mg=50.0, model="brain kinetics")
    trough = M.naltrexone_trough_occupancy(50.0)
    shift = float(w.readout_text("shift").split("-fold")[0])
    assert shift == pytest.approx(1.0 / (1.0 - trough), rel=1e-2)
    # with naltrexone the curve lies below (right of) the one without, everywhere
    alone = np.asarray(w.figure.trace("opioid alone").y)
    with_ntx = np.asarray(w.figure.trace("opioid + naltrexone").y)
    assert np.all(with_ntx <= alone + 1e-9)


@pytest.mark.parametrize("opioid", M.OPIOIDS)
def test_challenge_readouts_follow_the_model_for_every_control(opioid):
    w = OpioidChallengeWidget()
    w.controls["opioid"].value = opioid
    w.controls["naltrexone_mg"].value = 10.0
    w.controls["challenge_x_kd"].value = 1.0
    ntx = M.naltrexone_trough_occupancy(10.0)
    alone = float(M.percent_of_baseline(0.5, 0.0, opioid=opioid))
    with_ntx = float(M.percent_of_baseline(0.5, ntx, opioid=opioid))
    assert w.readout_text("alone") == f"{alone:.0f}% of baseline"
    assert w.readout_text("with").startswith(f"{with_ntx:.0f}% of baseline")
    assert list(w.figure.trace("challenge: alone / with naltrexone").y) == pytest.approx([alone, with_ntx])
    blocked = float(M.fraction_of_rise_blocked(0.5, ntx, opioid=opioid))
    assert w.readout_text("blocked") == f"{100 * blocked:.1f}%"


def test_challenge_without_naltrexone_blocks_nothing():
    w = OpioidChallengeWidget(naltrexone_mg=0.0)
    assert w.readout_text("blocked") == "no naltrexone"
    assert np.allclose(w.figure.trace("opioid alone").y, w.figure.trace("opioid + naltrexone").y)
    assert w.readout_text("ntx") == "none"


def test_challenge_model_choice_changes_the_blockade():
    w = OpioidChallengeWidget(naltrexone_mg=4.5, model="brain kinetics")
    kinetic = float(w.readout_text("ntx").rstrip("%"))
    w.controls["model"].value = "plasma equilibrium"
    assert float(w.readout_text("ntx").rstrip("%")) > kinetic


def test_challenge_map_is_the_model():
    w = OpioidChallengeWidget(opioid="fentanyl")
    x = np.asarray(w.figure.trace("accumbens dopamine").x)
    y = np.asarray(w.figure.trace("accumbens dopamine").y)  # naltrexone concentration / Kd
    z = np.asarray(w.figure.trace("accumbens dopamine").z)
    k, j = 30, 40
    expected = M.percent_of_baseline(x[j] / (1 + x[j]), y[k] / (1 + y[k]), opioid="fentanyl")
    assert z[k][j] == pytest.approx(float(expected))
    # the chosen naltrexone line sits at its concentration ratio
    trough = M.naltrexone_trough_occupancy(50.0)
    assert w.figure.trace("naltrexone occupancy chosen").y[0] == pytest.approx(trough / (1 - trough))


def test_a_trace_moved_to_the_front_changes_no_trace_data():
    """Traces are found by key: a new trace drawn first shifts every position, not the data."""
    w = BrakeCircuitWidget(peak_occupancy_percent=20.0)
    w.figure.add_trace(go.Scatter(name="intruder"))
    w.figure.data = (w.figure.data[-1],) + w.figure.data[:-1]
    w.controls["peak_occupancy_percent"].value = 30.0  # draws again
    tc = M.time_course(np.asarray(w.figure.trace("accumbens dopamine").x), 0.3)
    assert np.allclose(w.figure.trace("accumbens dopamine").y, tc.state.nac_dopamine_nM)
    assert np.allclose(w.figure.trace("RMTg GABA").y, tc.state.rmtg_gaba_Hz)
    assert w.figure.trace("intruder").x is None and w.figure.trace("intruder").y is None
    chosen = w.result["chosen_h"]
    assert all(list(w.figure.trace(k).x) == [chosen, chosen] for k in CHOSEN_TIME_KEYS)


# --- the circuit diagram: no label on a connection ------------------------------------------------
_CHAR_PX, _LINE_PX = 8.5, 17.0  # generous for Arial 13 px: "RMTg GABA" is drawn 75 px wide


def _diagram_scale(fig, width_px):
    """Pixels per diagram unit (x, y) and the axis ranges for a figure ``width_px`` wide."""
    lay = fig.layout
    plot_w = width_px - lay.margin.l - lay.margin.r
    plot_h = lay.height - lay.margin.t - lay.margin.b
    (x0, x1), (y0, y1) = lay.xaxis.range, lay.yaxis.range
    sx = (lay.xaxis.domain[1] - lay.xaxis.domain[0]) * plot_w / (x1 - x0)
    sy = (lay.yaxis.domain[1] - lay.yaxis.domain[0]) * plot_h / (y1 - y0)
    return sx, sy


def _label_boxes(fig, sx, sy):
    """Each node label's box in pixels (left, right, bottom, top; y up), from the annotation's
    anchor point, anchors, shifts and a generous estimate of its text size."""
    boxes = {}
    for a in fig.layout.annotations:
        if not (a.name or "").startswith("label "):
            continue
        lines = a.text.split("<br>")
        w = max(len(line) for line in lines) * _CHAR_PX + 2 * (a.borderpad or 1)
        h = len(lines) * _LINE_PX + 2 * (a.borderpad or 1)
        x, y = a.x * sx + (a.xshift or 0), a.y * sy + (a.yshift or 0)
        left = {"left": x, "right": x - w, "center": x - w / 2}[a.xanchor]
        bottom = {"bottom": y, "top": y - h, "middle": y - h / 2}[a.yanchor]
        boxes[a.name] = (left, left + w, bottom, bottom + h)
    return boxes


def _distance_to_box(px, py, box):
    left, right, bottom, top = box
    dx = max(left - px, 0.0, px - right)
    dy = max(bottom - py, 0.0, py - top)
    return (dx * dx + dy * dy) ** 0.5


@pytest.mark.parametrize("width_px", [800, 1000, 1280, 1440])
@pytest.mark.parametrize("kwargs", [{}, {"opioid": "fentanyl", "peak_occupancy_percent": 95.0, "time_h": 0.1},
                                    {"peak_occupancy_percent": 0.1, "naltrexone_mg": 150.0},
                                    {"rmtg_share": 0.0, "time_h": 8.0}])
def test_brake_diagram_labels_sit_on_no_connection_and_no_node(kwargs, width_px):
    """In JupyterLab the labels were crossed by connecting lines. Every label's text box (from
    the annotation's anchor, shift and a generous text size) keeps clear of every drawn
    connection (its line width and end marker included), of every other node's marker and of
    every other label, for the widths a notebook gives a figure."""
    w = BrakeCircuitWidget(**kwargs)
    fig = w.figure
    sx, sy = _diagram_scale(fig, width_px)
    boxes = _label_boxes(fig, sx, sy)
    assert len(boxes) == len(P.NODES)
    for src, dst, _ in P.EDGES:
        edge = fig.trace(edge_key(src, dst))
        (xa, xb), (ya, yb) = edge.x, edge.y
        half = edge.line.width / 2.0
        for t in np.linspace(0.0, 1.0, 101):
            px, py = (xa + t * (xb - xa)) * sx, (ya + t * (yb - ya)) * sy
            clear = half + (edge.marker.size[-1] / 2.0 if t == 1.0 else 0.0) + 1.0
            for name, box in boxes.items():
                assert _distance_to_box(px, py, box) > clear, (name, src, dst, width_px)
    nodes = fig.trace("circuit nodes")
    for node, x, y, size in zip(P.NODES, nodes.x, nodes.y, nodes.marker.size):
        for name, box in boxes.items():
            assert _distance_to_box(x * sx, y * sy, box) > size / 2.0, (name, node, width_px)
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            (l1, r1, b1, t1), (l2, r2, b2, t2) = boxes[a], boxes[b]
            assert r1 < l2 or r2 < l1 or t1 < b2 or t2 < b1, (a, b, width_px)
    # and every label stays inside the diagram's panel
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    for name, (left, right, bottom, top) in boxes.items():
        assert x0 * sx <= left and right <= x1 * sx and y0 * sy <= bottom and top <= y1 * sy, name


def test_brake_labels_show_the_rates_at_the_chosen_time():
    w = BrakeCircuitWidget(peak_occupancy_percent=30.0, time_h=1.0)
    r = w.result
    labels = {a.name: a.text for a in w.figure.layout.annotations if (a.name or "").startswith("label ")}
    assert labels[P.label_name("rmtg")] == f"RMTg GABA<br>{r['at']['rmtg']:.1f} Hz"
    assert labels[P.label_name("nac")] == f"accumbens<br>{r['at']['nac']:.1f} nM"


# --- "share of the rise blocked" ------------------------------------------------------------------
def test_share_blocked_is_never_negative_and_says_none_when_the_block_is_overcome():
    """The readout showed -2.9% at large challenges: naltrexone alone lowers dopamine, and a
    challenge that surmounts the block reaches nearly the same top, so the rise read from
    naltrexone's lower level exceeds the rise without it (the model's raw fraction is < 0).
    The share is then reported as none blocked, and every other value lies in 0-100%."""
    trough = M.naltrexone_trough_occupancy(50.0)
    assert float(M.fraction_of_rise_blocked(100 / 101, trough)) < 0  # why it was negative
    assert float(M.share_of_rise_blocked(100 / 101, trough)) == 0.0
    w = OpioidChallengeWidget(naltrexone_mg=50.0, challenge_x_kd=100.0)
    assert w.readout_text("blocked") == NONE_BLOCKED
    seen_none = False
    for _, x in w.controls["challenge_x_kd"].options:
        w.controls["challenge_x_kd"].value = x
        text = w.readout_text("blocked")
        if text == NONE_BLOCKED:
            seen_none = True
            assert float(M.fraction_of_rise_blocked(x / (1 + x), trough)) <= 0
            continue
        assert not text.startswith("-") and text.endswith("%"), text
        assert 0.0 <= float(text.rstrip("%")) <= 100.0, text
    assert seen_none
    w.controls["challenge_x_kd"].value = 0.03  # the default: a small challenge, mostly blocked
    assert float(w.readout_text("blocked").rstrip("%")) > 85


def test_share_of_rise_blocked_is_the_models_fraction_clipped_to_0_1():
    occ = np.array([0.001, 0.03, 0.5, 0.9, 0.99, 0.999])
    raw = M.fraction_of_rise_blocked(occ, 0.918, opioid="fentanyl")
    assert np.array_equal(M.share_of_rise_blocked(occ, 0.918, opioid="fentanyl"), np.clip(raw, 0, 1))


# --- layout ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [BrakeCircuitWidget, OpioidChallengeWidget])
def test_figures_follow_the_notebook_width_and_fit_a_laptop_screen(cls):
    fig = cls().figure
    assert fig.layout.width is None and fig.layout.autosize is not False
    rows = sum(1 for k in fig.layout if k.startswith("yaxis"))
    assert fig.layout.height <= (640 if rows > 2 else 460)


def test_values_chapter_3_quotes_are_slider_options():
    """Chapter 3 asks for 10% and 95% peak occupancy and 4.5 and 50 mg of naltrexone."""
    brake, challenge = BrakeCircuitWidget(), OpioidChallengeWidget()
    peak = [v for _, v in brake.controls["peak_occupancy_percent"].options]
    assert 10.0 in peak and 95.0 in peak and 0.1 in peak
    doses = [v for _, v in challenge.controls["naltrexone_mg"].options]
    assert {0.0, 4.5, 50.0} <= set(doses)
    assert 0.03 in [v for _, v in challenge.controls["challenge_x_kd"].options]
