"""Chapter 4 widgets, driven in the kernel: what the figure and readouts show follows the model."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from naltrexone_lab.models import adaptation as A
from naltrexone_lab.widgets import RegulationWidget, SurgeCrashWidget


def crash(w) -> float:
    return float(w.readout_text("crash").split("%")[0])  # "50% below baseline ..."


def test_surge_crash_traces_are_the_simulation():
    w = SurgeCrashWidget(use_days=10, peak_occupancy_percent=30.0, relapse_days=0, naltrexone_start=-1.0)
    sim = A.simulate(A.Schedule(use_days=10, peak_occupancy=0.3, total_days=42), step_h=0.25)
    assert np.allclose(w.figure.trace("dopamine signal").y, 100 * sim.signal)
    assert np.allclose(w.figure.trace("b-process (opponent, % removed)").y, 100 * sim.b_process)
    assert np.allclose(w.figure.trace("mu receptors (functional)").y, 100 * sim.receptor_density)
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
    assert max(w.figure.trace("naltrexone-bound").y) > 80  # naltrexone holds most receptors
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
    x, y = w.figure.trace("half-way (one half-time)").x[0], w.figure.trace("half-way (one half-time)").y[0]
    curve = w.figure.trace("functional mu receptors")
    assert float(np.interp(x, curve.x, curve.y)) == pytest.approx(y, abs=1.0)


def test_regulation_agonist_competes_with_naltrexone():
    w = RegulationWidget(agonist_percent=0.0, naltrexone_percent=90.0)
    up = float(w.readout_text("steady").split("%")[0])
    w.controls["agonist_percent"].value = 90.0
    assert w.readout_text("bound") == "agonist 47%, naltrexone 47%"  # 9 / (1 + 9 + 9)
    assert float(w.readout_text("steady").split("%")[0]) < up


def test_regulation_density_returns_after_stopping():
    w = RegulationWidget(naltrexone_percent=99.0, days_held=7)
    y = np.asarray(w.figure.trace("functional mu receptors").y)
    assert y[-1] == pytest.approx(100.0, abs=1.0)
    assert max(y) > 150.0


def test_regulation_half_way_marker_only_when_reached():
    w = RegulationWidget(naltrexone_percent=99.0, days_held=1)
    assert list(w.figure.trace("half-way (one half-time)").x) == []
    assert "longer than the time held" in w.readout_text("half_on")
    w.controls["days_held"].value = 10
    assert len(w.figure.trace("half-way (one half-time)").x) == 1


def test_a_trace_moved_to_the_front_changes_no_trace_data():
    """Traces are found by key: a new trace drawn first shifts every position, not the data."""
    w = SurgeCrashWidget(use_days=10, relapse_days=0, naltrexone_start=-1.0)
    w.figure.add_trace(go.Scatter(name="intruder"))
    w.figure.data = (w.figure.data[-1],) + w.figure.data[:-1]
    w.controls["use_days"].value = 12  # draws again
    sim = A.simulate(A.Schedule(use_days=12, peak_occupancy=0.3, total_days=42), step_h=0.25)
    assert np.allclose(w.figure.trace("dopamine signal").y, 100 * sim.signal)
    assert np.allclose(w.figure.trace("mu receptors (functional)").y, 100 * sim.receptor_density)
    assert w.figure.trace("intruder").y is None
    r = RegulationWidget(naltrexone_percent=90.0)
    r.figure.add_trace(go.Scatter(name="intruder"))
    r.figure.data = (r.figure.data[-1],) + r.figure.data[:-1]
    r.controls["days_held"].value = 20
    assert list(r.figure.trace("drug stopped").x) == [20.0, 20.0]


# --- layout ---------------------------------------------------------------------------------------
TITLE_PX_PER_CHAR = 8.0  # axis titles are drawn at 16 px: "receptors (% of normal)" is 168 px


def stacked_title_clearances(fig) -> list[float]:
    """Vertical gap (px) between the y-axis titles of vertically adjacent subplots of one
    column, each title centred on its axis and as long as its estimated text."""
    lay = fig.layout
    plot_h = lay.height - lay.margin.t - lay.margin.b
    axes = sorted((lay[k] for k in lay if k.startswith("yaxis") and lay[k].title.text),
                  key=lambda a: a.domain[0])
    gaps = []
    for lower, upper in zip(axes, axes[1:]):
        centre_gap = plot_h * ((upper.domain[0] + upper.domain[1]) - (lower.domain[0] + lower.domain[1])) / 2
        half = TITLE_PX_PER_CHAR * (len(lower.title.text) + len(upper.title.text)) / 2
        gaps.append(centre_gap - half)
    return gaps


def test_surge_crash_y_titles_do_not_collide():
    """Three stacked y-axis titles ran into each other in JupyterLab; the panels' subplot titles
    now say what each percentage is of, and the axis titles are short."""
    fig = SurgeCrashWidget().figure
    gaps = stacked_title_clearances(fig)
    assert len(gaps) == 2 and min(gaps) >= 12.0, gaps
    titles = [a.text for a in fig.layout.annotations]
    assert "Dopamine signal (% of the drug-naive baseline)" in titles
    assert "Receptors (% of normal)" in titles


@pytest.mark.parametrize("cls", [SurgeCrashWidget, RegulationWidget])
def test_figures_follow_the_notebook_width_and_fit_a_laptop_screen(cls):
    fig = cls().figure
    assert fig.layout.width is None and fig.layout.autosize is not False
    rows = sum(1 for k in fig.layout if k.startswith("yaxis"))
    assert fig.layout.height <= (640 if rows > 1 else 460)


def options(control) -> list:
    return [v for _, v in control.options]


def test_every_value_chapter_4_quotes_is_on_its_slider():
    """The log slider of dose size could not land on 30%; now every value the chapter text
    quotes (and every default) is an option or lies on a linear slider's grid."""
    w = SurgeCrashWidget()
    peak = options(w.controls["peak_occupancy_percent"])
    assert 30.0 in peak and w.controls["peak_occupancy_percent"].value == 30.0
    assert peak[0] == 1.0 and peak[-1] == 90.0
    assert {-1.0, 10.0, 24.0} <= set(options(w.controls["naltrexone_start"]))  # none, day 10, default
    assert {-1.0, 28.0} <= set(options(w.controls["naltrexone_stop"]))
    assert 50.0 in options(w.controls["naltrexone_mg"])
    for days in (0, 3, 14, 28):  # "days of use from 14 to 3 and then to 28", "set days of use to 0"
        w.controls["use_days"].value = days
        assert w.controls["use_days"].value == days
    r = RegulationWidget()
    for name, value in (("naltrexone_percent", 90.0), ("agonist_percent", 90.0), ("days_held", 1),
                        ("days_held", 28)):
        r.controls[name].value = value
        assert r.controls[name].value == value, name
