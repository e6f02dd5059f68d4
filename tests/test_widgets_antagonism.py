"""Chapter 1 widgets, driven in the kernel as a learner drives them in the browser."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import figure_state

from naltrexone_lab import binding as B
from naltrexone_lab.ligands import IN_VIVO_PA2, get_ligand, ki_nM
from naltrexone_lab.widgets import (
    CurveShiftWidget,
    EfficacyWidget,
    KiVersusPA2Widget,
    OccupancyWidget,
    SchildWidget,
    SelectivityWidget,
)


def test_a_rejected_value_shows_a_message_not_a_traceback():
    """Morphine has no defensible kappa Ki: the status line says so, the figure keeps its state."""
    w = OccupancyWidget(ligand="morphine")
    before = figure_state(w)
    w.controls["receptor"].value = "kappa"
    assert "no defensible Ki for morphine at kappa" in w.status.value
    assert figure_state(w) == before
    w.controls["receptor"].value = "mu"
    assert w.status.value == ""


def test_occupancy_widget_follows_hill_langmuir_and_shows_sources():
    w = OccupancyWidget(ligand="naltrexone", conc_nM=0.99)
    assert w.readout_text("occupancy") == "90.0%"
    assert "Peng et al. 2007" in w.readout_text("source")
    w.controls["receptor"].value = "delta"
    assert w.figure.data[2].y[0] == pytest.approx(0.99 / (0.99 + ki_nM("naltrexone", "delta")))
    assert "(L)" in w.readout_text("source")


def test_curve_shift_follows_the_model_for_each_control():
    w = CurveShiftWidget(agonist="morphine", naltrexone_nM=0.99)
    assert w.readout_text("dose_ratio") == "10-fold"
    ec50 = B.operational_ec50(1.2, get_ligand("morphine").mu_tau)
    assert w.result["ec50_with"] == pytest.approx(10 * ec50)
    # the curve with naltrexone is the control curve shifted 10-fold to the right
    x, resp_with = np.asarray(w.figure.data[3].x), np.asarray(w.figure.data[3].y)
    assert np.allclose(resp_with, B.operational_response(x / 10, 1.2, 8.0), atol=1e-9)
    w.controls["agonist"].value = "fentanyl"
    assert w.readout_text("dose_ratio") == "10-fold", "the dose ratio does not depend on the agonist"
    assert np.allclose(w.figure.data[2].y, B.operational_response(x, 1.35, 40.0))
    w.controls["naltrexone_nM"].value = 1000.0
    assert w.readout_text("dose_ratio") == "9,092-fold"
    assert w.readout_text("ntx_occupancy") != "100.0%", "the block is never complete"


def test_efficacy_widget_follows_the_operational_model():
    w = EfficacyWidget(tau=1.0)
    w.controls["receptor_density_pct"].value = 1000.0
    assert w.result["emax"] == pytest.approx(10 / 11), "tau scales with receptor density"
    assert w.result["ref_emax"]["buprenorphine"] == pytest.approx(10 / 11)
    assert w.result["ref_emax"]["naltrexone"] == 0.0
    w.controls["antagonist"].value = True
    assert "none" in w.readout_text("ec50")
    assert max(w.figure.data[-1].y) == 0.0
    w.controls["antagonist"].value = False
    w.controls["tau"].value = 0.05
    assert w.result["emax"] == pytest.approx(0.5 / 1.5), "a tiny efficacy shows at 10x density"


def test_selectivity_widget_shows_naltrexone_kappa_close_behind_mu():
    w = SelectivityWidget(conc_nM=0.99)
    assert w.readout_text("mu") == "90.0%"
    assert float(w.readout_text("kappa").rstrip("%")) > 80
    assert float(w.readout_text("delta").rstrip("%")) < 2
    bars = w.figure.data[4]
    assert list(bars.x) == ["mu", "kappa", "delta"]
    assert list(bars.marker.pattern.shape) == ["", "/", "."]
    w.controls["ligand"].value = "naloxone"
    assert w.figure.data[4].y[0] == pytest.approx(0.99 / (0.99 + 1.4))


def test_schild_widget_follows_the_simulation_for_each_control():
    w = SchildWidget(noise_sd=0.0)
    fit = w.result["fit"]
    assert fit.pA2 == pytest.approx(B.pA2_from_nM(ki_nM("naltrexone", "mu")), abs=0.02)
    assert fit.slope == pytest.approx(1.0, abs=0.02)
    w.controls["n_antagonist"].value = 6
    assert sum(t.visible is not False for t in w.figure.data[:7]) == 7
    w.controls["noise_sd"].value = 0.1
    w.controls["seed"].value = 5
    expected = B.simulate_organ_bath(agonist_kd_nM=1.2, tau=8.0, antagonist_kb_nM=0.11,
                                     antagonist_nM=SchildWidget.antagonist_series_nM(6),
                                     noise_sd=0.1, seed=5)
    assert np.allclose(w.figure.data[0].y, expected.response[0])
    assert w.result["fit"].pA2 == pytest.approx(expected.schild().pA2)


def test_ki_versus_pa2_widget_uses_dose_based_pa2():
    w = KiVersusPA2Widget(naltrexone=10.0)
    assert w.result["dr_ki"] == pytest.approx(1 + 10 / 0.11)
    mu = next(p for p in IN_VIVO_PA2 if p.receptor == "mu")
    assert w.result["dr_pa2"] == pytest.approx(1 + 10 / mu.kb_nmol_per_kg)
    assert "nmol/kg" in w.figure.layout.xaxis.title.text

