"""Chapter 4 widgets, driven in the kernel: what the figure and readouts show follows the model."""

from __future__ import annotations

import numpy as np
import pytest

from naltrexone_lab import adaptation as A
from naltrexone_lab.widgets import RegulationWidget, SurgeCrashWidget


def crash(w) -> float:
    return float(w.readout_text("crash").split("%")[0])  # "50% below baseline ..."


def test_surge_crash_traces_are_the_simulation():
    w = SurgeCrashWidget(use_days=10, peak_occupancy_percent=30.0, relapse_days=0, naltrexone_start=-1.0)
    sim = A.simulate(A.Schedule(use_days=10, peak_occupancy=0.3, total_days=42), step_h=0.25)
    assert np.allclose(w.figure.data[1].y, 100 * sim.signal)
    assert np.allclose(w.figure.data[3].y, 100 * sim.b_process)
    assert np.allclose(w.figure.data[4].y, 100 * sim.receptor_density)
    assert crash(w) == pytest.approx(100 * sim.crash_depth, abs=0.5)
    assert w.readout_text("schedule") == "30 doses of morphine; no naltrexone"


def test_longer_use_deepens_the_crash_in_the_readout():
    w = SurgeCrashWidget(use_days=2, naltrexone_start=-1.0)
    short = crash(w)
    w.controls["use_days"].value = 14
    assert crash(w) > short


def test_naltrexone_blocks_the_relapse_and_its_crash():
    w = SurgeCrashWidget(naltrexone_start=-1.0)
    relapse_off = w.readout_text("relapse")
    w.controls["naltrexone_start"].value = 24.0
    relapse_on = w.readout_text("relapse")
    crash_of = lambda text: float(text.split("crash after it ")[1].rstrip("%"))  # noqa: E731
    peak_of = lambda text: float(text.split("peak dopamine ")[1].split("%")[0])  # noqa: E731
    assert crash_of(relapse_on) < 0.5 * crash_of(relapse_off)
    assert peak_of(relapse_on) < peak_of(relapse_off)
    assert max(w.figure.data[7].y) > 80  # naltrexone holds most receptors
    assert w.readout_text("up").startswith("+")


def test_naltrexone_during_use_uncovers_the_crash_early():
    w = SurgeCrashWidget(use_days=28, relapse_days=0, naltrexone_start=-1.0)
    without = crash(w)
    w.controls["naltrexone_start"].value = 10.0
    assert 0.7 * without < crash(w) <= without + 5


def test_stop_before_start_is_refused_without_a_traceback():
    w = SurgeCrashWidget(naltrexone_start=28.0)
    w.controls["naltrexone_stop"].value = 26.0
    assert "later than" in w.status.value
    w.controls["naltrexone_stop"].value = 35.0
    assert w.status.value == ""
    assert "until day 35" in w.readout_text("schedule")


def test_no_opioid_no_crash():
    w = SurgeCrashWidget(use_days=0, relapse_days=0, naltrexone_start=-1.0)
    assert w.readout_text("surge") == "no opioid use"
    assert w.readout_text("crash") == "no first episode"
    assert w.readout_text("relapse") == "none"


def test_regulation_steady_state_and_half_time_follow_the_closed_forms():
    w = RegulationWidget(agonist_percent=0.0, naltrexone_percent=90.0, days_held=28)
    assert w.readout_text("steady") == f"{100 * float(A.receptor_steady_state(0.0, 0.9)):.0f}% of normal"
    half = float(A.receptor_half_time_h(0.0, 0.9))
    assert w.readout_text("half_on").startswith(f"{half:.0f} h")
    # the diamond sits on the curve, half-way to the steady state
    x, y = w.figure.data[2].x[0], w.figure.data[2].y[0]
    assert float(np.interp(x, w.figure.data[0].x, w.figure.data[0].y)) == pytest.approx(y, abs=1.0)


def test_regulation_agonist_competes_with_naltrexone():
    w = RegulationWidget(agonist_percent=0.0, naltrexone_percent=90.0)
    up = float(w.readout_text("steady").split("%")[0])
    w.controls["agonist_percent"].value = 90.0
    assert w.readout_text("bound") == "agonist 47%, naltrexone 47%"  # 9 / (1 + 9 + 9)
    assert float(w.readout_text("steady").split("%")[0]) < up


def test_regulation_density_returns_after_stopping():
    w = RegulationWidget(naltrexone_percent=99.0, days_held=7)
    y = np.asarray(w.figure.data[0].y)
    assert y[-1] == pytest.approx(100.0, abs=1.0)
    assert max(y) > 150.0


def test_regulation_half_way_marker_only_when_reached():
    w = RegulationWidget(naltrexone_percent=99.0, days_held=1)
    assert list(w.figure.data[2].x) == []
    assert "longer than the time held" in w.readout_text("half_on")
    w.controls["days_held"].value = 10
    assert len(w.figure.data[2].x) == 1
