"""Chapter 8 widgets, driven in the kernel: every control changes the figure as the model says."""

from __future__ import annotations

import numpy as np
import pytest

from naltrexone_lab.models import learning as L
from naltrexone_lab.models.mesolimbic import naltrexone_trough_occupancy
from naltrexone_lab.plots.learning import CHOSEN_KEY, CURVE_KEY, DRINK_KEYS, VALUE_KEYS, WITH_KEY, WITHOUT_KEY
from naltrexone_lab.widgets import AlcoholDopamineWidget, CravingLearningWidget
from naltrexone_lab.widgets.base import NO_VALUE


def _with_rise(w):
    return float(w.figure.trace(CHOSEN_KEY).y[0])


def test_alcohol_widget_draws_what_the_model_computes():
    w = AlcoholDopamineWidget()
    occ = naltrexone_trough_occupancy(50.0)
    assert _with_rise(w) == pytest.approx(L.alcohol_dopamine_rise(occ))
    assert sum(w.figure.trace(WITHOUT_KEY).y) == pytest.approx(40.0)
    curve = np.asarray(w.figure.trace(CURVE_KEY).y)
    assert np.all(np.diff(curve) <= 1e-9)
    assert w.readout_text("with") == f"+{L.alcohol_dopamine_rise(occ):.1f}% of baseline"


def test_dose_control_moves_the_blunted_rise():
    w = AlcoholDopamineWidget()
    before = _with_rise(w)
    w.controls["dose_mg"].value = 0.0
    assert _with_rise(w) == pytest.approx(40.0)
    w.controls["dose_mg"].value = 100.0
    assert _with_rise(w) < before


def test_share_and_size_controls_change_the_bars_as_the_model_says():
    w = AlcoholDopamineWidget()
    w.controls["opioid_share"].value = 0.5
    p = L.AlcoholParameters(40.0, 0.5)
    assert list(w.figure.trace(WITHOUT_KEY).y) == pytest.approx([20.0, 20.0])
    assert _with_rise(w) == pytest.approx(L.alcohol_dopamine_rise(naltrexone_trough_occupancy(50.0), p))
    w.controls["total_rise_percent"].value = 80.0
    assert sum(w.figure.trace(WITHOUT_KEY).y) == pytest.approx(80.0)
    assert list(w.figure.trace(WITH_KEY).y)[1] == pytest.approx(40.0)  # the non-opioid half stays


def test_a_refused_rise_greys_every_readout():
    w = AlcoholDopamineWidget()
    w.controls["total_rise_percent"].max = 400.0
    w.controls["opioid_share"].value = 1.0
    w.controls["total_rise_percent"].value = 400.0  # beyond what endorphins can give
    assert w.refused
    assert all(NO_VALUE in w.readouts[k].value for k in w.readouts)
    w.controls["total_rise_percent"].value = 40.0
    assert not w.refused and NO_VALUE not in w.readouts["with"].value


def _end_value(w, regime):
    weeks = np.asarray(w.figure.trace(VALUE_KEYS[regime]).x)
    return weeks, np.asarray(w.figure.trace(VALUE_KEYS[regime]).y)


def test_learning_widget_traces_are_the_weekly_model_output():
    w = CravingLearningWidget()
    occ = naltrexone_trough_occupancy(50.0)
    for regime in L.REGIMES:
        c = L.simulate_course(regime, acquisition_days=182, treatment_days=84, followup_days=84,
                              naltrexone_occupancy=occ)
        _days, value, per_week = c.weekly()
        assert np.allclose(w.figure.trace(VALUE_KEYS[regime]).y, value)
        assert np.allclose(w.figure.trace(DRINK_KEYS[regime]).y, per_week)
    ntx = L.simulate_course("naltrexone, drinking continues", acquisition_days=182, treatment_days=84,
                            followup_days=84, naltrexone_occupancy=occ)
    assert w.readout_text("craving_ntx").startswith(f"{ntx.value_at(266):.2f}")


@pytest.mark.parametrize(("name", "value"), [("dose_mg", 100.0), ("treatment_weeks", 26),
                                             ("learning_rate", 0.3), ("extinction_half_life_days", 300.0),
                                             ("cue_exposure_per_day", 0.5)])
def test_every_learning_control_changes_the_figure(name, value):
    w = CravingLearningWidget()
    key = VALUE_KEYS["abstinence, no drug"] if name == "cue_exposure_per_day" else VALUE_KEYS[
        "naltrexone, drinking continues"]
    before = np.asarray(w.figure.trace(key).y).copy()
    w.controls[name].value = value
    after = np.asarray(w.figure.trace(key).y)
    assert before.shape != after.shape or not np.allclose(before, after)


def test_no_dose_makes_naltrexone_like_no_treatment():
    w = CravingLearningWidget()
    w.controls["dose_mg"].value = 0.0
    assert np.allclose(w.figure.trace(VALUE_KEYS["naltrexone, drinking continues"]).y,
                       w.figure.trace(VALUE_KEYS["no treatment"]).y)


def test_documented_defaults_and_range_ends_are_on_the_sliders():
    w = CravingLearningWidget()
    half = [v for _, v in w.controls["extinction_half_life_days"].options]
    assert half[0] == 3.0 and half[-1] == 3000.0 and 30.0 in half
    doses = [v for _, v in w.controls["dose_mg"].options]
    assert {0.0, 50.0, 100.0} <= set(doses)
