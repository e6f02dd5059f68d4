"""Chapter 7 widgets, driven in the kernel: what the figure and readouts show follows the model."""

from __future__ import annotations

import numpy as np
import pytest

from naltrexone_lab import trials as T
from naltrexone_lab import withdrawal as WD
from naltrexone_lab.widgets import PrecipitatedWithdrawalWidget, TrialSizeWidget


def test_trial_widget_follows_the_statistics():
    w = TrialSizeWidget(d=0.62, n_per_arm=6)
    assert w.readout_text("power").startswith(f"{100 * T.power(0.62, 6):.0f}%")
    assert w.readout_text("needed").startswith("42 ")
    x, y = np.asarray(w.figure.data[3].x), np.asarray(w.figure.data[3].y)
    assert np.allclose(y, T.observed_effect_density(x, 0.62, 6))
    # the shaded significant part starts at the critical observed d
    shaded = np.asarray(w.figure.data[4].y)
    assert shaded[x < 1.0].max() == 0.0 and shaded[x > 1.5].min() > 0.0
    assert list(w.figure.data[6].x) == [v.published_d for v in T.MISCHOULON_2017.values()]


def test_bigger_trials_are_more_powerful_and_less_cursed():
    w = TrialSizeWidget(d=0.62, n_per_arm=6)
    small_curse = float(w.readout_text("curse").split()[0])
    w.controls["n_per_arm"].value = 42
    assert float(w.readout_text("power").split("%")[0]) >= 80
    assert float(w.readout_text("curse").split()[0]) < small_curse


def test_withdrawal_widget_follows_the_model():
    w = PrecipitatedWithdrawalWidget(opioid="buprenorphine", occupancy_percent=60.0, days=0,
                                     naltrexone_mg=50.0)
    r = WD.precipitated_withdrawal("buprenorphine", 0.6, 0.0, 50.0)
    assert np.allclose(w.figure.data[0].y, 100 * r.agonist_bound[r.time_h > 0])
    assert w.readout_text("half") == f"{r.time_to_half_displacement_h():.1f} h"
    w.controls["opioid"].value = "morphine"
    assert w.readout_text("half").endswith("min")


def test_waiting_longer_leaves_nothing_to_precipitate():
    w = PrecipitatedWithdrawalWidget(opioid="methadone", days=1)
    early = float(w.readout_text("index").split()[0].lstrip("+"))
    w.controls["days"].value = 10
    assert float(w.readout_text("index").split()[0].lstrip("+")) < 0.1 * early
    assert pytest.approx(0.0, abs=0.01) == float(w.readout_text("before").rstrip("%")) / 100
