"""The virtual cohort (naltrexone_lab.models.population): the typical person, the spread, the
published spreads it is checked against (validation only: no CV was fitted), bad input."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from naltrexone_lab.models import occupancy as O
from naltrexone_lab.models import pharmacokinetics as PK
from naltrexone_lab.models import population as POP
from naltrexone_lab.models.units import time_grid_h

NO_SPREAD = POP.Variability(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)

REGIMENS = [  # (schedule, dose mg, days, liver)
    ("at bedtime", 4.5, 7, "normal"),
    ("twice daily", 25.0, 3, "compensated cirrhosis"),
    ("every 4 weeks", 380.0, 42, "normal"),
    ("single", 50.0, 14, "normal"),
]


@pytest.mark.parametrize("model", O.MODELS)
@pytest.mark.parametrize("schedule, dose, days, liver", REGIMENS)
def test_a_cohort_without_spread_is_the_typical_person(schedule, dose, days, liver, model):
    """The cohort's own solution (running sums over doses, one exponential per time since a dose)
    must give the package's single-person model exactly, tablets and injection, in cirrhosis."""
    cohort = POP.virtual_cohort(3, seed=5, variability=NO_SPREAD)
    t = time_grid_h(24.0 * days, 0.1)
    events = PK.regimen(schedule, dose, days)
    people = POP.cohort_course(events, t, cohort, model, liver=liver)
    typical = O.regimen_course(events, t, model, liver=liver)
    for person in range(3):
        ntx = typical.profile.naltrexone_ng_per_mL
        assert np.max(np.abs(people.naltrexone_ng_per_mL[person] - ntx)) <= 1e-7 * ntx.max()
        met = typical.profile.naltrexol_ng_per_mL
        assert np.max(np.abs(people.naltrexol_ng_per_mL[person] - met)) <= 1e-7 * met.max()
        assert np.max(np.abs(people.occupancy[person] - typical.occupancy)) <= 1e-5


def test_an_irregular_grid_gives_what_the_uniform_grid_gives():
    """Two routes compute the dose train (uniform grid: powers; otherwise one exponential per
    distinct time): they must agree where their times coincide."""
    events = PK.regimen("twice daily", 4.5, 3)
    uniform = time_grid_h(72.0, 0.1)
    rng = np.random.default_rng(0)
    irregular = np.unique(np.concatenate([uniform[::3], rng.uniform(0, 72, 200)]))
    a = POP.cohort_course(events, uniform, model="plasma equilibrium")
    b = POP.cohort_course(events, irregular, model="plasma equilibrium")
    common, ia, ib = np.intersect1d(np.round(uniform, 9), np.round(irregular, 9), return_indices=True)
    assert common.size > 50
    assert np.allclose(a.naltrexone_ng_per_mL[:, ia], b.naltrexone_ng_per_mL[:, ib], rtol=1e-9, atol=1e-12)


def test_the_same_seed_gives_the_same_people_and_another_seed_others():
    a, b, c = POP.virtual_cohort(50, 3), POP.virtual_cohort(50, 3), POP.virtual_cohort(50, 4)
    assert np.array_equal(a.bioavailability, b.bioavailability)
    assert not np.array_equal(a.bioavailability, c.bioavailability)


def test_the_median_person_is_typical_and_the_spread_is_the_cv_asked_for():
    cohort = POP.virtual_cohort(10_000, seed=11)
    p, k, v = PK.OralParameters(), O.BrainKinetics(), POP.Variability()
    for values, typical, cv in ((cohort.bioavailability, p.bioavailability, v.bioavailability_cv),
                                (cohort.clearance_L_per_h, p.clearance_L_per_h, v.clearance_cv),
                                (cohort.koff_per_h, k.koff_per_h, v.koff_cv)):
        assert np.median(values) == pytest.approx(typical, rel=0.03)
        assert np.std(values) / np.mean(values) == pytest.approx(cv, rel=0.05)


def _occupancy_4h(dose_mg, n=1000, seed=7):
    t = np.arange(0.0, 8.0001, 0.05)
    course = POP.cohort_course(PK.regimen("single", dose_mg, 1), t, POP.virtual_cohort(n, seed))
    return course.occupancy_at(O.PET_EVALUATION_TIME_H)


@pytest.mark.parametrize("dose, key", [(5.0, "pet_5mg_range"), (50.0, "pet_50mg_range")])
def test_validation_pet_occupancy_across_people_rabiner_2011(dose, key):
    """Validation (no CV was set from these): the people Rabiner et al. scanned after 5 mg and
    50 mg must fall inside the middle 90% of the cohort, and the cohort must not be so wide
    that its band is over three times the published range."""
    low, high = POP.SPREAD_CHECKS[key]
    p5, p95 = np.percentile(_occupancy_4h(dose), [5, 95])
    assert p5 <= low and high <= p95 + 0.01, (p5, p95)
    assert (p95 - p5) <= 3.0 * (high - low) + 0.05, (p5, p95)


@pytest.mark.xfail(strict=True, reason=(
    "validation miss: the cohort's 50 mg Cmax and AUC vary with CVs of about 0.37 and 0.40; ten "
    "healthy young men in a bioequivalence study varied with 0.10-0.15. The CVs are assumed for a "
    "patient population (README, chapter 2); no published patient spread was found to set them."))
def test_validation_cmax_and_auc_spread_bioequivalence_study():
    t = np.arange(0.0, 72.0001, 0.05)
    course = POP.cohort_course(PK.regimen("single", 50.0, 1), t, POP.virtual_cohort(1000, 7),
                               "plasma equilibrium")
    cmax = course.naltrexone_ng_per_mL.max(axis=1)
    auc = np.trapezoid(course.naltrexone_ng_per_mL, t, axis=1)
    for values, key in ((cmax, "be_50mg_cmax_cv"), (auc, "be_50mg_auc_cv")):
        assert np.std(values) / np.mean(values) <= 2.0 * max(POP.SPREAD_CHECKS[key])


@settings(max_examples=25, deadline=None)
@given(dose=st.floats(0.5, 100.0), hour=st.floats(0.0, 167.0), thr=st.floats(0.05, 0.95),
       factor=st.floats(1.2, 5.0))
def test_bands_are_ordered_and_more_drug_never_leaves_more_people_below(dose, hour, thr, factor):
    assume(dose * factor <= 400.0)
    t = POP.cohort_grid_h(24.0 * 7)
    cohort = POP.virtual_cohort(40, seed=3)
    low_dose = POP.cohort_course(PK.regimen("at bedtime", dose, 7), t, cohort)
    high_dose = POP.cohort_course(PK.regimen("at bedtime", dose * factor, 7), t, cohort)
    lo, mid, hi = low_dose.band()
    assert np.all(lo <= mid + 1e-12) and np.all(mid <= hi + 1e-12)
    assert high_dose.count_below(thr, hour) <= low_dose.count_below(thr, hour)
    assert low_dose.count_below(min(thr + 0.04, 1.0), hour) >= low_dose.count_below(thr, hour)


def test_dose_band_is_close_to_a_fine_grid():
    """The widget's 0.25 h grid against 0.0125 h: within 0.02 at 1, 4 and 24 h (the docstring's
    claim)."""
    doses = np.logspace(-1, 2, 13)
    for hours in (1.0, 4.0, 24.0):
        coarse = POP.dose_occupancy_band(doses, hours)
        fine = POP.dose_occupancy_band(doses, hours, step_h=0.0125)
        assert max(np.abs(a - b).max() for a, b in zip(coarse, fine)) <= 0.02
    lo, mid, hi = POP.dose_occupancy_band(doses, 4.0)
    assert np.all(np.diff(mid) > 0), "a bigger dose blocks more of the median person's receptors"


def test_cohort_grid_keeps_doses_on_the_grid_and_its_size_bounded():
    for days in (1, 7, 14, 28, 42):
        t = POP.cohort_grid_h(24.0 * days)
        step = t[1] - t[0]
        assert t.size <= 1100 and t[-1] == pytest.approx(24.0 * days)
        assert (1.0 / step) == pytest.approx(round(1.0 / step)), "whole hours lie on the grid"
    assert POP.cohort_grid_h(24.0 * 7)[1] == pytest.approx(0.2)


def test_the_band_table_is_one_line_to_save(tmp_path):
    course = POP.cohort_course(PK.regimen("at bedtime", 4.5, 2), POP.cohort_grid_h(48.0))
    path = course.to_csv(tmp_path / "band.csv")
    rows = list(csv.reader(path.open()))
    assert rows[0][0] == "time_h" and "occupancy_p95_fraction" in rows[0]
    assert len(rows) == course.time_h.size + 1
    lo, _, hi = course.band()
    col = rows[0].index("occupancy_p95_fraction")
    assert float(rows[-1][col]) == pytest.approx(hi[-1], rel=1e-5)


@pytest.mark.parametrize("call, names", [
    (lambda: POP.virtual_cohort(1), "n"),
    (lambda: POP.virtual_cohort(10, seed=-1), "seed"),
    (lambda: POP.Variability(bioavailability_cv=-0.1), "bioavailability_cv"),
    (lambda: POP.Variability(clearance_cv=float("nan")), "clearance_cv"),
    (lambda: POP.cohort_course([], [0.0, 1.0]), "events"),
    (lambda: POP.cohort_course(PK.regimen("every 4 weeks", 380.0, 28), [0.0, 1.0],
                               liver="compensated cirrhosis"), "liver"),
    (lambda: POP.cohort_course(PK.regimen("single", 5.0, 1), [0.0, 1.0], model="guess"), "model"),
    (lambda: POP.cohort_course(PK.regimen("single", 5.0, 1), [1.0, 0.5]), "time_h"),
    (lambda: POP.cohort_course(PK.regimen("single", 5.0, 1), [0.0, float("nan")]), "time_h"),
    (lambda: POP.dose_occupancy_band([0.0], 4.0), "doses_mg"),
    (lambda: POP.dose_occupancy_band([1.0], 0.0), "hours_after"),
])
def test_bad_input_is_refused_by_name(call, names):
    with pytest.raises(ValueError, match=names):
        call()


def test_a_course_refuses_bad_questions_by_name():
    course = POP.cohort_course(PK.regimen("single", 5.0, 1), POP.cohort_grid_h(24.0))
    for call, name in ((lambda: course.count_below(1.5, 4.0), "threshold"),
                       (lambda: course.count_below(0.9, 30.0), "time_h"),
                       (lambda: course.band("blood"), "quantity"),
                       (lambda: course.band("occupancy", 95, 5), "low")):
        with pytest.raises(ValueError, match=name):
            call()


def _chapter_2_text() -> str:
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).parent.parent / "course/02_pharmacokinetics_occupancy.ipynb").read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_chapter_2_quotes_the_cohort_as_the_model_computes_it():
    """Every number chapter 2 gives for the cohort, recomputed: the counts below 90% of its
    Think! answer (the widget's own cohort and grid), and the spreads of its evidence section."""
    text = " ".join(_chapter_2_text().split())
    t = POP.cohort_grid_h(24.0 * 7)
    events = PK.regimen("once daily", 50.0, 7)
    counts = {}
    for key, model, met in (("b", "brain kinetics", True), ("a", "plasma equilibrium", True),
                            ("a_parent", "plasma equilibrium", False)):
        course = POP.cohort_course(events, t, model=model, include_metabolite=met)
        counts[key] = [course.count_below(0.9, 24.0 * 6 + h) for h in (7, 16)]
    assert f"{counts['b'][0]} of the 100 people are below 90% at 07:00 and {counts['b'][1]} at 16:00" in text
    assert counts["a"] == [0, 0] and "nobody is below 90% at any hour" in text
    assert f"{counts['a_parent'][0]} people are below at 07:00 and {counts['a_parent'][1]} at 16:00" in text
    for dose, (lo, hi) in ((5.0, (18, 58)), (50.0, (85, 99))):
        p5, p95 = np.percentile(_occupancy_4h(dose), [5, 95])
        assert (round(100 * p5), round(100 * p95)) == (lo, hi)
        assert f"{lo}-{hi}%" in text
    course = POP.cohort_course(PK.regimen("single", 50.0, 1), np.arange(0.0, 72.0001, 0.05),
                               POP.virtual_cohort(1000, 7), "plasma equilibrium")
    cmax = course.naltrexone_ng_per_mL.max(axis=1)
    auc = np.trapezoid(course.naltrexone_ng_per_mL, course.time_h, axis=1)
    cvs = [round(100 * np.std(x) / np.mean(x)) for x in (cmax, auc)]
    assert f"against {cvs[0]}% and {cvs[1]}%" in text
    ldn = POP.cohort_course(PK.regimen("at bedtime", 4.5, 7), t)  # the table's people column
    (lo50, _, hi50), (lo90, _, hi90) = (ldn.hours_per_day_above(x, last_days=1) for x in (0.5, 0.9))
    assert f"spends {lo50:.1f}-{hi50:.1f} h a day above 50% and {lo90:.1f}-{hi90:.1f} h above 90%" in text
