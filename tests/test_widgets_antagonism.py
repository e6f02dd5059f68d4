"""Chapter 1 widgets, driven in the kernel as a learner drives them in the browser."""

from __future__ import annotations

import re

import numpy as np
import pytest
from helpers import figure_state, other_value

from naltrexone_lab import binding as B
from naltrexone_lab.ligands import get_ligand, ki_nM
from naltrexone_lab.plots.style import PALETTE
from naltrexone_lab.widgets import (
    CurveShiftWidget,
    EfficacyWidget,
    KiVersusPA2Widget,
    SchildWidget,
    SelectivityWidget,
    SetupCheckWidget,
)

WIDGETS = [CurveShiftWidget, EfficacyWidget, SelectivityWidget, SchildWidget, KiVersusPA2Widget,
           SetupCheckWidget]
CONTROLS = [(cls, name) for cls in WIDGETS for name in cls().controls]


@pytest.mark.parametrize(("cls", "name"), CONTROLS, ids=lambda x: getattr(x, "__name__", x))
def test_every_control_changes_the_figure_and_a_readout(cls, name):
    w = cls()
    before_fig, before_text = figure_state(w), {k: w.readout_text(k) for k in w.readouts}
    fig_id = id(w.figure)
    w.controls[name].value = other_value(w.controls[name])
    assert w.status.value == ""
    assert figure_state(w) != before_fig, f"{cls.__name__}.{name} did not change the figure"
    assert id(w.figure) == fig_id, "the figure must be updated in place, not replaced"
    after_text = {k: w.readout_text(k) for k in w.readouts}
    assert after_text != before_text, f"{cls.__name__}.{name} did not change any readout"


@pytest.mark.parametrize("cls", WIDGETS)
def test_figures_are_accessible(cls):
    """Colour-blind-safe colours, a title, and axis titles with units on every axis in use."""
    fig = cls().figure
    assert fig.layout.title.text
    allowed = {c.lower() for c in PALETTE.values()} | {"#444", "#000000", "black"}
    for trace in fig.data:
        colours = []
        for attr in ("line", "marker"):
            part = getattr(trace, attr, None)
            colour = getattr(part, "color", None) if part is not None else None
            if colour is None:
                continue
            colours += list(colour) if isinstance(colour, (list, tuple)) else [colour]
        for c in colours:
            assert str(c).lower() in allowed, f"{cls.__name__}: {trace.name} uses {c}"
    for axis in [a for a in fig.layout if a.startswith(("xaxis", "yaxis"))]:
        title = fig.layout[axis].title.text
        assert title, f"{cls.__name__}: {axis} has no title"
        assert re.search(r"\(|fraction|receptor|log10|ratio", title), f"{axis} title lacks units: {title}"


def test_controls_cannot_leave_their_physiological_range():
    w = CurveShiftWidget()
    w.controls["naltrexone_nM"].value = 1e9
    assert w.controls["naltrexone_nM"].value == pytest.approx(1000.0)
    w.controls["naltrexone_nM"].value = -5
    assert w.controls["naltrexone_nM"].value > 0
    assert w.status.value == ""


def test_a_rejected_value_shows_a_message_not_a_traceback(monkeypatch):
    w = SchildWidget()
    before = figure_state(w)

    def refuse(values):
        raise ValueError("noise hid the antagonist's shift")

    monkeypatch.setattr(w, "compute", refuse)
    w.controls["noise_sd"].value = 0.1
    assert "noise hid the antagonist" in w.status.value
    assert figure_state(w) == before
    monkeypatch.undo()
    w.controls["noise_sd"].value = 0.05
    assert w.status.value == ""


def test_curve_shift_readouts_follow_the_model():
    w = CurveShiftWidget(agonist="morphine", naltrexone_nM=0.99)
    assert w.readout_text("dose_ratio") == "10-fold"
    ec50 = B.operational_ec50(1.2, get_ligand("morphine").mu_tau)
    assert w.result["ec50_with"] == pytest.approx(10 * ec50)
    # the curve with naltrexone is the control curve shifted 10-fold to the right
    resp_with = np.asarray(w.figure.data[3].y)
    shifted = B.operational_response(np.asarray(w.figure.data[3].x) / 10, 1.2, 8.0)
    assert np.allclose(resp_with, shifted, atol=1e-9)
    w.controls["agonist"].value = "fentanyl"
    assert w.readout_text("dose_ratio") == "10-fold", "the dose ratio does not depend on the agonist"


def test_efficacy_widget_antagonist_gives_no_response_and_density_raises_partial_agonist():
    w = EfficacyWidget(tau=0.0)
    assert "none" in w.readout_text("ec50")
    assert max(w.figure.data[-1].y) == 0.0
    w.controls["tau"].value = 1.0
    low = w.result["emax"]
    w.controls["receptor_density_pct"].value = 1000.0
    assert w.result["emax"] > low, "more receptors (more reserve) raise a partial agonist's maximum"
    assert w.result["ref_emax"]["naltrexone"] == 0.0


def test_selectivity_widget_shows_naltrexone_kappa_close_behind_mu():
    w = SelectivityWidget(conc_nM=0.99)
    assert w.readout_text("mu") == "90.0%"
    assert float(w.readout_text("kappa").rstrip("%")) > 80
    assert float(w.readout_text("delta").rstrip("%")) < 2
    bars = w.figure.data[4]
    assert list(bars.x) == ["mu", "kappa", "delta"]
    assert bars.y[0] == pytest.approx(0.9)


def test_schild_widget_recovers_true_pkb_without_noise():
    w = SchildWidget(noise_sd=0.0)
    fit = w.result["fit"]
    assert fit.pA2 == pytest.approx(B.pA2_from_nM(ki_nM("naltrexone", "mu")), abs=0.02)
    assert fit.slope == pytest.approx(1.0, abs=0.02)
    w.controls["n_antagonist"].value = 6
    assert sum(t.visible is not False for t in w.figure.data[:7]) == 7


def test_ki_versus_pa2_widget_shows_the_gap():
    w = KiVersusPA2Widget(naltrexone_nM=10.0)
    assert w.result["dr_ki"] == pytest.approx(1 + 10 / 0.11)
    assert w.result["dr_pa2"] == pytest.approx(1 + 10 / B.nM_from_pA2(8.66))
