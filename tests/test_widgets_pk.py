"""Chapter 2 widgets, driven in the kernel."""

from __future__ import annotations

import numpy as np
import pytest

from naltrexone_lab.models import occupancy as O
from naltrexone_lab.models import pharmacokinetics as PK
from naltrexone_lab.plots import pk as P
from naltrexone_lab.widgets import (
    DoseOccupancyWidget,
    HalfLifeWidget,
    RegimenExplorerWidget,
    TransientBlockadeWidget,
)

#: average width of a character of the course's 13 px Arial (px), generous
CHAR_PX = 7.0


def test_regimen_explorer_follows_the_models():
    w = RegimenExplorerWidget(dose_mg=50.0, schedule="once daily", days=7, model="brain kinetics")
    t = np.asarray(w.figure.trace("naltrexone").x) * 24.0
    prof = PK.simulate(PK.regimen("once daily", 50.0, 7), t)
    assert np.allclose(w.figure.trace("naltrexone").y, np.maximum(prof.naltrexone_ng_per_mL, 1e-3))
    assert np.allclose(w.figure.trace(P.REGIMEN_OCCUPANCY).y, O.brain_kinetic_occupancy(prof))
    # three-phase oral kinetics (issue 16): the 50 mg peak comes at 0.75 h, the fit's aim (was 1.0 h)
    assert w.readout_text("tmax") == "0.75 h"
    w.controls["liver"].value = "decompensated cirrhosis"
    assert float(w.readout_text("trough").split()[0]) > 1.0


def test_regimen_explorer_injection_sets_its_dose_and_greys_the_schedule():
    w = RegimenExplorerWidget()
    w.controls["formulation"].value = "extended-release injection"
    assert w.controls["dose_mg"].value == pytest.approx(380.0, rel=0.02)
    assert w.controls["schedule"].disabled
    assert "injection every 4 weeks" in w.readout_text("dosing")
    w.controls["liver"].value = "compensated cirrhosis"
    assert "tablets only" in w.status.value, "no liver factors exist for the injection"
    w.controls["liver"].value = "normal"
    w.controls["formulation"].value = "oral tablet"
    assert not w.controls["schedule"].disabled and w.status.value == ""


def test_half_life_widget_shows_pet_and_lee_only_where_they_apply():
    w = HalfLifeWidget(dose_mg=50.0)
    lee, pet = (w.figure.trace(P.LEE_BAND), w.figure.trace(P.PET_POINT))
    assert len(lee.x) == 2 and len(pet.x) == 1
    w.controls["dose_mg"].value = 2.0  # the slider lands on 1.995
    assert len(pet.x) == 1, "the 2 mg PET point is shown"
    assert len(lee.x) == 0, "Lee 1988 is a 50 mg finding"
    w.controls["dose_mg"].value = 30.0
    assert len(pet.x) == 0


def test_dose_occupancy_widget_hides_pet_after_8_hours():
    w = DoseOccupancyWidget(hours_after=4.0)
    assert w.figure.trace(P.PET_DOSES).visible is not False
    w.controls["hours_after"].value = 24.0
    assert w.figure.trace(P.PET_DOSES).visible is False


def test_transient_table_matches_the_model():
    w = TransientBlockadeWidget(threshold=0.9)
    row = w.figure.trace(P.TABLE).cells.values
    expected = O.blockade_summary(4.5, "at bedtime", "plasma equilibrium", include_metabolite=False)
    assert row[1][0] == f"{expected.hours_above_90:.1f} h"


def test_regimen_legend_is_inside_the_figure_and_the_axis_titles_fit_their_panels():
    """The legend is anchored to the figure's own bottom edge (not a fraction of the plot, which
    put it below the figure), and each y-axis title is shorter than its panel is high, so the
    two titles cannot run into each other."""
    fig = RegimenExplorerWidget().figure
    legend, margin = fig.layout.legend, fig.layout.margin
    assert legend.yref == "container" and legend.yanchor == "bottom" and 0.0 <= legend.y <= 0.05
    plot_px = fig.layout.height - margin.t - margin.b
    spans = []
    for axis in ("yaxis", "yaxis2"):
        low, high = fig.layout[axis].domain
        title = fig.layout[axis].title.text
        assert len(title) * CHAR_PX <= (high - low) * plot_px, f"{axis} title {title!r} is too long"
        spans.append((low, high))
    assert spans[0][0] >= spans[1][1] or spans[1][0] >= spans[0][1], "panels do not overlap"
    assert len(fig.layout.annotations) == 2 and all(a.text for a in fig.layout.annotations), \
        "each panel is titled"


def test_transient_table_is_tall_enough_for_every_row():
    w = TransientBlockadeWidget()
    fig = w.figure
    table = fig.trace(P.TABLE)

    def room_needed(n_rows):  # header and rows, plus 1 px of border each
        return (table.header.height or 28) + n_rows * table.cells.height + n_rows + 1

    rows = table.cells.values[0]
    assert len(rows) == 4 and rows[-1] == "50 mg once daily"
    margin = fig.layout.margin
    assert fig.layout.height - margin.t - margin.b >= room_needed(4)
    longer = [f"regimen {i}" for i in range(9)]
    P.draw_blockade_table(fig, ["regimen", "hours"], [longer, ["1.0 h"] * 9])
    assert fig.layout.height - margin.t - margin.b >= room_needed(9), "the height follows the rows"


@pytest.mark.parametrize("cls", [DoseOccupancyWidget, HalfLifeWidget, RegimenExplorerWidget,
                                 TransientBlockadeWidget])
def test_figures_follow_the_notebook_width_and_fit_a_720_px_window(cls):
    fig = cls().figure
    assert fig.layout.width is None, "the width follows the notebook"
    assert fig.layout.height <= 460


def test_regimen_explorer_shows_the_spread_of_people_and_counts_those_below_90_percent():
    """The bands are the cohort's 5th-95th percentiles (lower edge under the upper), the count
    is the model's, and the hour control moves both the marker and the count."""
    from naltrexone_lab.models import population as POP

    w = RegimenExplorerWidget(dose_mg=4.5, schedule="at bedtime", days=7, model="brain kinetics")
    for key in (P.REGIMEN_OCCUPANCY_BAND, P.REGIMEN_PLASMA_BAND):
        low, high = (np.asarray(w.figure.trace(f"{key}/{edge}").y) for edge in ("low", "high"))
        assert low.size > 500 and np.all(low <= high) and np.any(high > low)
    assert w.figure.trace(f"{P.REGIMEN_OCCUPANCY_BAND}/high").name == "5-95% of 100 virtual people"
    course = POP.cohort_course(PK.regimen("at bedtime", 4.5, 7), POP.cohort_grid_h(24.0 * 7))
    counts = {}
    for hour in (21, 23):
        w.controls["check_hour"].value = hour
        assert list(w.figure.trace(P.CHECKED_HOUR).x) == [pytest.approx((24.0 * 6 + hour) / 24.0)] * 2
        counts[hour] = course.count_below(0.9, 24.0 * 6 + hour)
        assert w.readout_text("people") == f"{counts[hour]} of 100 people (day 7, {hour}:00)"
    assert counts[21] > counts[23], "an hour after the bedtime dose fewer people are below 90%"


@pytest.mark.parametrize("cls, key", [(HalfLifeWidget, P.HALF_LIFE_BAND), (DoseOccupancyWidget, P.DOSE_BAND)])
def test_the_other_pk_figures_show_the_band_of_people(cls, key):
    w = cls()
    low, high = (np.asarray(w.figure.trace(f"{key}/{edge}").y) for edge in ("low", "high"))
    assert low.size >= 13 and np.all(low <= high) and np.any(high - low > 0.05)


def test_transient_table_gives_the_range_across_people_from_the_model():
    from naltrexone_lab.models import population as POP

    w = TransientBlockadeWidget(threshold=0.5)
    table = w.figure.trace(P.TABLE)
    assert table.header.values[-1] == TransientBlockadeWidget.PEOPLE
    course = POP.cohort_course(PK.regimen("once daily", 50.0, 7), POP.cohort_grid_h(7 * 24.0))
    low, _, high = course.hours_per_day_above(0.5, last_days=1)
    assert table.cells.values[-1][3] == (f"{low:.1f} h" if f"{low:.1f}" == f"{high:.1f}"
                                         else f"{low:.1f}-{high:.1f} h")
    before = table.cells.values[-1]
    w.controls["threshold"].value = 0.9
    assert w.figure.trace(P.TABLE).cells.values[-1] != before, "the range follows the threshold"


def test_the_dose_band_is_labelled_with_the_cohort_it_was_computed_from():
    """The legend's head count comes from the same number the band is computed with."""
    from naltrexone_lab.models import population as POP

    w = DoseOccupancyWidget()
    assert w.figure.trace(f"{P.DOSE_BAND}/high").name == P.band_name(100)
    w._band_people = 40
    w.controls["hours_after"].value = 6.0
    assert w.figure.trace(f"{P.DOSE_BAND}/high").name == P.band_name(40)
    low, _, high = POP.dose_occupancy_band(w._band_doses, 6.0, n=40)
    assert list(w.figure.trace(f"{P.DOSE_BAND}/high").y) == pytest.approx(list(high))
