"""Chapter 5 widgets, driven in the kernel: what the figure and readouts show follows the model."""

from __future__ import annotations

import numpy as np
import pytest

from naltrexone_lab import rebound as R
from naltrexone_lab.widgets import ReboundMapWidget, TransientBlockadeReboundWidget
from naltrexone_lab.widgets.rebound import MAP_DOSES_MG, MAP_TAUS_H, STEP_H


def rebound(w) -> float:
    return float(w.readout_text("rebound").split("%")[0])


def test_transient_traces_are_the_model():
    w = TransientBlockadeReboundWidget(dose_mg=4.5, schedule="at bedtime", view="plasma eq., parent only")
    r = R.simulate_regimen(4.5, "at bedtime", model="plasma equilibrium", include_metabolite=False,
                           step_h=STEP_H)
    assert np.allclose(w.figure.data[0].y, 100 * r.occupancy)
    assert np.allclose(w.figure.data[1].y, 100 * r.endogenous)
    assert np.allclose(w.figure.data[4].y, 100 * r.tone)
    assert rebound(w) == pytest.approx(r.rebound_percent, abs=0.5)
    assert w.readout_text("blocked") == f"{r.hours_blocked:.1f} h"


def test_the_rebound_survives_only_one_view():
    w = TransientBlockadeReboundWidget(dose_mg=4.5, view="plasma eq., parent only")
    assert rebound(w) > 0 and "(a rebound)" in w.readout_text("rebound")
    for view in ("plasma eq. + 6β-naltrexol", "brain kinetics (PET fit)"):
        w.controls["view"].value = view
        assert rebound(w) < 0, view
        assert "no rebound" in w.readout_text("rebound")


def test_standard_dose_suppresses_tone():
    w = TransientBlockadeReboundWidget(dose_mg=50.0, schedule="once daily")
    assert float(w.readout_text("tone").split("%")[0]) < 25
    assert w.readout_text("blocked") == "24.0 h"


def test_window_markers_sit_on_the_last_day_at_low_occupancy():
    w = TransientBlockadeReboundWidget()
    days = np.asarray(w.figure.data[5].x)
    assert days.min() >= 27.0 - 1e-9 and len(days) == round(6.0 / STEP_H)


def test_map_is_the_model_and_the_point_moves_alone():
    w = ReboundMapWidget(view="plasma eq., parent only")
    expected = R.rebound_map(MAP_DOSES_MG, MAP_TAUS_H, "at bedtime", model="plasma equilibrium",
                             include_metabolite=False)
    assert np.allclose(np.asarray(w.figure.data[0].z), expected.T)
    z_before = np.asarray(w.figure.data[0].z).copy()
    w.controls["dose_mg"].value = 1.5
    assert np.array_equal(np.asarray(w.figure.data[0].z), z_before)
    assert list(w.figure.data[2].x) == pytest.approx([1.5], rel=0.05)
    point = float(w.readout_text("point").split("%")[0])
    single = R.rebound_map([w.controls["dose_mg"].value], [w.controls["tau_h"].value], "at bedtime",
                           model="plasma equilibrium", include_metabolite=False)[0, 0]
    assert point == pytest.approx(single, abs=0.5)


def test_map_under_pet_kinetics_has_no_rebound_anywhere():
    w = ReboundMapWidget(view="brain kinetics (PET fit)")
    assert w.readout_text("area").startswith("0%")
    assert w.readout_text("best").startswith("none")
