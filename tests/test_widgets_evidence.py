"""Chapter 7 widgets, driven in the kernel: what the figure and readouts show follows the model."""

from __future__ import annotations

import numpy as np
import pytest

from naltrexone_lab.models import trials as T
from naltrexone_lab.models import withdrawal as WD
from naltrexone_lab.plots import evidence as P
from naltrexone_lab.widgets import PrecipitatedWithdrawalWidget, TrialSizeWidget


def test_trial_widget_follows_the_statistics():
    w = TrialSizeWidget(d=0.62, n_per_arm=6)
    assert w.readout_text("power").startswith(f"{100 * T.power(0.62, 6):.0f}%")
    assert w.readout_text("needed").startswith("42 ")
    curve = w.figure.trace("all trials of this size")
    x, y = np.asarray(curve.x), np.asarray(curve.y)
    assert np.allclose(y, T.observed_effect_density(x, 0.62, 6))
    # the shaded significant part starts at the critical observed d
    shaded = np.asarray(w.figure.trace(P.SIGNIFICANT).y)
    assert shaded[x < 1.0].max() == 0.0 and shaded[x > 1.5].min() > 0.0
    assert list(w.figure.trace(P.PILOT).x) == [v.published_d for v in T.MISCHOULON_2017.values()]


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
    assert np.allclose(w.figure.trace("opioid-bound").y, 100 * r.agonist_bound[r.time_h > 0])
    assert w.readout_text("half") == f"{r.time_to_half_displacement_h():.1f} h"
    w.controls["opioid"].value = "morphine"
    assert w.readout_text("half").endswith("min")


def test_waiting_longer_leaves_nothing_to_precipitate():
    w = PrecipitatedWithdrawalWidget(opioid="methadone", days=1)
    early = float(w.readout_text("index").split()[0].lstrip("+"))
    w.controls["days"].value = 10
    assert float(w.readout_text("index").split()[0].lstrip("+")) < 0.1 * early
    assert pytest.approx(0.0, abs=0.01) == float(w.readout_text("before").rstrip("%")) / 100


def test_pilot_effect_size_labels_do_not_overlap():
    """The published d values lie close together (0.62, 1.22, 1.45): each label has its own
    height, at least one line of text apart from the next."""
    fig = TrialSizeWidget().figure
    pilot = fig.trace(P.PILOT)
    assert len(pilot.text) == len(T.MISCHOULON_2017) == 3
    top = max(fig.trace("true effect").y)
    margin = fig.layout.margin
    px_per_unit = (fig.layout.height - margin.t - margin.b) / top
    gaps = np.diff(sorted(pilot.y)) * px_per_unit
    assert gaps.min() >= 20, f"labels only {gaps.min():.0f} px apart"
    assert max(pilot.y) < top, "labels stay inside the panel"


def test_withdrawal_naltrexone_slider_works_at_its_maximum():
    w = PrecipitatedWithdrawalWidget()
    slider = w.controls["naltrexone_mg"]
    highest = slider.options[-1][1]
    assert highest == 150.0
    before = list(w.figure.trace("naltrexone-bound").y)
    slider.value = highest
    assert w.status.value == "" and not w.refused
    after = w.figure.trace("naltrexone-bound").y
    assert list(after) != before, "the plot follows the slider to its end"
    r = WD.precipitated_withdrawal("methadone", 0.6, 1.0, 150.0)
    assert np.allclose(after, 100 * r.naltrexone_bound[r.time_h > 0])


@pytest.mark.parametrize("cls", [PrecipitatedWithdrawalWidget, TrialSizeWidget])
def test_figures_follow_the_notebook_width_and_fit_a_720_px_window(cls):
    fig = cls().figure
    assert fig.layout.width is None, "the width follows the notebook"
    assert fig.layout.height <= 460
    legend = fig.layout.legend
    assert legend.yref == "container" and 0.0 <= legend.y <= 1.0, "the legend is inside the figure"
