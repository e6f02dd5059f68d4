"""Chapter 1 widgets, driven in the kernel as a learner drives them in the browser."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import plotly.graph_objects as go
import pytest
from helpers import figure_state

from naltrexone_lab.models import binding as B
from naltrexone_lab.models.ligands import IN_VIVO_PA2, get_ligand, ki_nM
from naltrexone_lab.plots import antagonism as P
from naltrexone_lab.plots.style import PALETTE
from naltrexone_lab.widgets import (
    CurveShiftWidget,
    EfficacyWidget,
    KiVersusPA2Widget,
    OccupancyWidget,
    SchildWidget,
    SelectivityWidget,
    SetupCheckWidget,
)

COURSE = Path(__file__).resolve().parents[1] / "course"
CHAPTER_WIDGETS = [CurveShiftWidget, EfficacyWidget, KiVersusPA2Widget, OccupancyWidget, SchildWidget,
                   SelectivityWidget, SetupCheckWidget]


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
    chosen = w.figure.trace("your concentration")
    assert chosen.y[0] == pytest.approx(0.99 / (0.99 + ki_nM("naltrexone", "delta")))
    assert "(L)" in w.readout_text("source")


def test_curve_shift_follows_the_model_for_each_control():
    w = CurveShiftWidget(agonist="morphine", naltrexone_nM=0.99)
    assert w.readout_text("dose_ratio") == "10-fold"
    ec50 = B.operational_ec50(1.2, get_ligand("morphine").mu_tau)
    assert w.result["ec50_with"] == pytest.approx(10 * ec50)
    # the curve with naltrexone is the control curve shifted 10-fold to the right
    with_ntx = w.figure.trace("response/agonist with naltrexone")
    x, resp_with = np.asarray(with_ntx.x), np.asarray(with_ntx.y)
    assert np.allclose(resp_with, B.operational_response(x / 10, 1.2, 8.0), atol=1e-9)
    w.controls["agonist"].value = "fentanyl"
    assert w.readout_text("dose_ratio") == "10-fold", "the dose ratio does not depend on the agonist"
    assert np.allclose(w.figure.trace("response/agonist alone").y, B.operational_response(x, 1.35, 40.0))
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
    assert max(w.figure.trace(P.OWN_LIGAND).y) == 0.0
    w.controls["antagonist"].value = False
    w.controls["tau"].value = 0.05
    assert w.result["emax"] == pytest.approx(0.5 / 1.5), "a tiny efficacy shows at 10x density"


def test_selectivity_widget_shows_naltrexone_kappa_close_behind_mu():
    w = SelectivityWidget(conc_nM=0.99)
    assert w.readout_text("mu") == "90.0%"
    assert float(w.readout_text("kappa").rstrip("%")) > 80
    assert float(w.readout_text("delta").rstrip("%")) < 2
    bars = w.figure.trace("occupancy at chosen concentration")
    assert list(bars.x) == ["mu", "kappa", "delta"]
    assert list(bars.marker.pattern.shape) == ["", "/", "."]
    w.controls["ligand"].value = "naloxone"
    assert w.figure.trace("occupancy at chosen concentration").y[0] == pytest.approx(0.99 / (0.99 + 1.4))


def test_schild_widget_follows_the_simulation_for_each_control():
    w = SchildWidget(noise_sd=0.0)
    fit = w.result["fit"]
    assert fit.pA2 == pytest.approx(B.pA2_from_nM(ki_nM("naltrexone", "mu")), abs=0.02)
    assert fit.slope == pytest.approx(1.0, abs=0.02)
    w.controls["n_antagonist"].value = 6
    assert sum(w.figure.trace(f"curve {i}").visible is not False for i in range(7)) == 7
    w.controls["noise_sd"].value = 0.1
    w.controls["seed"].value = 5
    expected = B.simulate_organ_bath(agonist_kd_nM=1.2, tau=8.0, antagonist_kb_nM=0.11,
                                     antagonist_nM=SchildWidget.antagonist_series_nM(6),
                                     noise_sd=0.1, seed=5)
    assert np.allclose(w.figure.trace("curve 0").y, expected.response[0])
    assert w.result["fit"].pA2 == pytest.approx(expected.schild().pA2)


def test_ki_versus_pa2_widget_uses_dose_based_pa2():
    w = KiVersusPA2Widget(naltrexone=10.0)
    assert w.result["dr_ki"] == pytest.approx(1 + 10 / 0.11)
    mu = next(p for p in IN_VIVO_PA2 if p.receptor == "mu")
    assert w.result["dr_pa2"] == pytest.approx(1 + 10 / mu.kb_nmol_per_kg)
    assert "nmol/kg" in w.figure.layout.xaxis.title.text



def test_a_trace_added_before_drawing_does_not_change_which_trace_gets_which_data():
    """Traces are found by key: a new trace drawn first shifts every position, but each curve
    still receives its own data and the newcomer receives none."""
    w = CurveShiftWidget(agonist="morphine", naltrexone_nM=0.99)
    fig = w.figure
    fig.add_trace(go.Scatter(name="intruder"))
    fig.data = (fig.data[-1],) + fig.data[:-1]  # now drawn first
    w.controls["naltrexone_nM"].value = 10.0  # redraws
    assert w.status.value == ""
    assert fig.trace("intruder").x is None and fig.trace("intruder").y is None
    ka, kb, tau = ki_nM("morphine", "mu"), ki_nM("naltrexone", "mu"), get_ligand("morphine").mu_tau
    occ = fig.trace("occupancy/agonist with naltrexone")
    x = np.asarray(occ.x)
    assert np.allclose(occ.y, B.competitive_occupancy(x, 10.0, ka, kb))
    assert np.allclose(fig.trace("response/agonist alone").y, B.operational_response(x, ka, tau))
    assert fig.trace("EC50 with naltrexone").x == (pytest.approx(w.result["ec50_with"]),)


def test_schild_readout_says_a_line_through_two_points_has_no_standard_error():
    w = SchildWidget(noise_sd=0.03, n_antagonist=2)
    assert w.result["fit"].n_points == 2
    for name in ("pA2", "slope"):
        text = w.readout_text(name)
        assert "±" not in text and "no SE from 2 points" in text, text
    assert w.readout_text("slope").startswith(f"{w.result['fit'].slope:.2f}")
    w.controls["n_antagonist"].value = 4
    assert "±" in w.readout_text("slope") and "4 points" in w.readout_text("slope")


def test_setup_check_legend_sits_above_the_plot_clear_of_the_x_axis_title():
    fig = SetupCheckWidget().figure
    legend, margin = fig.layout.legend, fig.layout.margin
    assert legend.yref in (None, "paper") and legend.yanchor == "bottom" and legend.y >= 1.0
    assert legend.orientation == "h" and margin.t >= 80, "one row of keys between title and plot"
    assert fig.layout.xaxis.title.text, "the x axis keeps its title"


def test_chapter_0_names_the_colour_the_setup_check_dot_is_drawn_in():
    marker = SetupCheckWidget().figure.trace("your concentration").marker
    assert marker.color == PALETTE["vermillion"]
    nb = nbformat.read(COURSE / "00_start_here.ipynb", as_version=4)
    text = " ".join(c.source for c in nb.cells if c.cell_type == "markdown").replace("\n", " ")
    assert "red dot" not in text and "red\ndot" not in text
    assert "vermillion (dark orange) dot" in text


@pytest.mark.parametrize("cls", CHAPTER_WIDGETS)
def test_figures_follow_the_notebook_width_and_fit_a_720_px_window(cls):
    fig = cls().figure
    assert fig.layout.width is None, "the width follows the notebook"
    assert fig.layout.height <= 460
