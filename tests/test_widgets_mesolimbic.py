"""Chapter 3 widgets, driven in the kernel: what the figure and readouts show follows the model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from naltrexone_lab import mesolimbic as M
from naltrexone_lab.plots.mesolimbic import EDGES
from naltrexone_lab.widgets import BrakeCircuitWidget, OpioidChallengeWidget

FIRST_LINE = len(EDGES) + 1  # edges, then the node trace, then the time-course lines


def peak_percent(w) -> float:
    return float(w.readout_text("peak").split("=")[1].split("%")[0])


def test_brake_time_courses_are_the_models():
    w = BrakeCircuitWidget(peak_occupancy_percent=20.0, naltrexone_mg=0.0)
    t = np.asarray(w.figure.data[FIRST_LINE].x)
    tc = M.time_course(t, 0.2)
    assert np.allclose(w.figure.data[FIRST_LINE].y, tc.state.rmtg_gaba_Hz)
    assert np.allclose(w.figure.data[FIRST_LINE + 2].y, tc.state.dopamine_Hz)
    assert np.allclose(w.figure.data[FIRST_LINE + 3].y, tc.state.nac_dopamine_nM)
    assert peak_percent(w) == pytest.approx(tc.nac_percent_of_baseline.max(), abs=0.5)


def test_brake_naltrexone_removes_most_of_the_surge():
    w = BrakeCircuitWidget(peak_occupancy_percent=3.0)
    alone = peak_percent(w)
    w.controls["naltrexone_mg"].value = 50.0
    blocked = peak_percent(w)
    assert alone > 130 and blocked < 105
    assert w.readout_text("ntx") == "91.8%"


def test_brake_rmtg_share_sets_the_size_of_the_surge():
    w = BrakeCircuitWidget(peak_occupancy_percent=30.0, rmtg_share=1.0)
    rmtg = peak_percent(w)
    w.controls["rmtg_share"].value = 0.0
    local = peak_percent(w)
    assert local < 0.5 * rmtg
    expected = M.time_course(np.asarray(w.figure.data[FIRST_LINE].x), 0.3,
                             params=replace(M.CircuitParameters(), rmtg_share=0.0))
    assert np.allclose(w.figure.data[FIRST_LINE + 3].y, expected.state.nac_dopamine_nM)


def test_brake_classic_picture_restores_a_local_brake():
    """With local interneurons as morphine-sensitive as the RMTg (the classic picture), an
    all-local brake gives a surge as large as an all-RMTg one does with Matsui's numbers."""
    w = BrakeCircuitWidget(peak_occupancy_percent=30.0, rmtg_share=0.0)
    revised = peak_percent(w)
    w.controls["local_sensitivity"].value = "46%, like the RMTg (classic picture)"
    classic = peak_percent(w)
    params = replace(M.CircuitParameters(), rmtg_share=0.0, local_mu_inhibition=0.46)
    expected = M.time_course(np.asarray(w.figure.data[FIRST_LINE].x), 0.3, params=params)
    assert classic == pytest.approx(expected.nac_percent_of_baseline.max(), abs=0.5)
    assert classic > 1.5 * revised


def test_brake_buprenorphine_has_a_ceiling():
    w = BrakeCircuitWidget(peak_occupancy_percent=95.0, opioid="fentanyl")
    full = peak_percent(w)
    w.controls["opioid"].value = "buprenorphine"
    assert peak_percent(w) < 0.8 * full


def test_brake_diagram_time_moves_only_the_diagram_and_marker():
    w = BrakeCircuitWidget(peak_occupancy_percent=30.0, time_h=0.3)
    lines_before = [list(w.figure.data[FIRST_LINE + k].y) for k in range(4)]
    text_before = list(w.figure.data[len(EDGES)].text)
    w.controls["time_h"].value = 6.0
    assert [list(w.figure.data[FIRST_LINE + k].y) for k in range(4)] == lines_before
    assert list(w.figure.data[len(EDGES)].text) != text_before
    assert list(w.figure.data[FIRST_LINE + 5].x) == [6.0, 6.0]
    assert w.readout_text("now").startswith("6.0 h")
    # six hours after morphine the brake is mostly back: the mu edge is thinner than at 0.3 h
    thin = w.figure.data[0].line.width
    w.controls["time_h"].value = 0.3
    assert w.figure.data[0].line.width > thin


def test_brake_edges_thicken_with_mu_activation():
    w = BrakeCircuitWidget(peak_occupancy_percent=0.1, time_h=0.3)
    thin = w.figure.data[0].line.width
    w.controls["peak_occupancy_percent"].value = 90.0
    assert w.figure.data[0].line.width > thin


def test_challenge_shift_is_gaddums_dose_ratio():
    w = OpioidChallengeWidget(naltrexone_mg=50.0, model="brain kinetics")
    trough = M.naltrexone_trough_occupancy(50.0)
    shift = float(w.readout_text("shift").split("-fold")[0])
    assert shift == pytest.approx(1.0 / (1.0 - trough), rel=1e-2)
    # with naltrexone the curve lies below (right of) the one without, everywhere
    alone, with_ntx = np.asarray(w.figure.data[0].y), np.asarray(w.figure.data[1].y)
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
    assert list(w.figure.data[2].y) == pytest.approx([alone, with_ntx])
    blocked = float(M.fraction_of_rise_blocked(0.5, ntx, opioid=opioid))
    assert w.readout_text("blocked") == f"{100 * blocked:.1f}%"


def test_challenge_without_naltrexone_blocks_nothing():
    w = OpioidChallengeWidget(naltrexone_mg=0.0)
    assert w.readout_text("blocked") == "no naltrexone"
    assert np.allclose(w.figure.data[0].y, w.figure.data[1].y)
    assert w.readout_text("ntx") == "none"


def test_challenge_model_choice_changes_the_blockade():
    w = OpioidChallengeWidget(naltrexone_mg=4.5, model="brain kinetics")
    kinetic = float(w.readout_text("ntx").rstrip("%"))
    w.controls["model"].value = "plasma equilibrium"
    assert float(w.readout_text("ntx").rstrip("%")) > kinetic


def test_challenge_map_is_the_model():
    w = OpioidChallengeWidget(opioid="fentanyl")
    x = np.asarray(w.figure.data[3].x)
    y = np.asarray(w.figure.data[3].y)  # naltrexone concentration / Kd
    z = np.asarray(w.figure.data[3].z)
    k, j = 30, 40
    expected = M.percent_of_baseline(x[j] / (1 + x[j]), y[k] / (1 + y[k]), opioid="fentanyl")
    assert z[k][j] == pytest.approx(float(expected))
    # the chosen naltrexone line sits at its concentration ratio
    trough = M.naltrexone_trough_occupancy(50.0)
    assert w.figure.data[4].y[0] == pytest.approx(trough / (1 - trough))
