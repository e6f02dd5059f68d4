"""Tests of naltrexone_lab.models.occupancy: the PET fit, the published points, invariants.

Published points follow tests/test_pharmacokinetics.py's convention: ``test_calibration_*`` for a
point the brain-kinetics fit uses, ``test_validation_*`` for a point that set nothing; a
validation miss is ``xfail(strict=True)`` with the miss in its reason.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naltrexone_lab.models import occupancy as O
from naltrexone_lab.models import pharmacokinetics as PK

GRID = np.arange(0.0, 400.0 + 0.025, 0.05)


def test_fit_is_reproducible_and_matches_the_stored_defaults():
    fit = O.fit_brain_kinetics()
    stored = O.BrainKinetics()
    assert fit.kinetics.kon_per_nM_per_h == pytest.approx(stored.kon_per_nM_per_h, rel=0.01)
    assert fit.kinetics.koff_per_h == pytest.approx(stored.koff_per_h, rel=0.01)


@pytest.mark.parametrize("dose", sorted(O.RABINER_2011_PET))
def test_calibration_rabiner_2011_pet_occupancy_within_12_points_under_brain_kinetics(dose):
    """Rabiner et al. 2011: 2 mg 27%, 5 mg 43-58%, 15 mg 61%, 50 mg 92-98% (< 8 h after the dose,
    compared at 4 h); tolerance 12 percentage points from the value or range."""
    lo, hi = O.RABINER_2011_PET[dose]
    occ = O.brain_kinetic_occupancy(PK.oral_profile(dose, GRID))
    at = float(np.interp(O.PET_EVALUATION_TIME_H, GRID, occ))
    assert lo - 0.12 <= at <= hi + 0.12


def test_calibration_lee_1988_blockade_half_time_under_brain_kinetics():
    """Lee et al. 1988 (dual-detector positron system, [11C]carfentanil): half-time of mu blockade
    after 50 mg 72-108 h."""
    occ = O.brain_kinetic_occupancy(PK.oral_profile(50.0, GRID))
    assert 72.0 <= O.blockade_half_time_h(GRID, occ) <= 108.0


def test_plasma_equilibrium_overpredicts_low_dose_occupancy():
    """The contradiction the chapter teaches: equilibrium with the binding Ki predicts most
    receptors blocked 4 h after 2 mg, where PET saw 27%."""
    prof = PK.oral_profile(2.0, np.array([0.0, O.PET_EVALUATION_TIME_H]))
    assert O.plasma_equilibrium_occupancy(prof)[-1] > 0.8
    assert O.plasma_equilibrium_occupancy(prof, include_metabolite=False)[-1] > 0.6


def test_plasma_half_life_is_not_occupancy_half_life():
    """Label 4 h plasma half-life versus Lee et al. 1988's 72-108 h blockade: more than tenfold
    (the plasma level halves within a few hours of its peak; the 96 h terminal phase holds only
    a few per cent of the peak)."""
    prof = PK.oral_profile(50.0, GRID)
    occ = O.brain_kinetic_occupancy(prof)
    plasma_half = O.blockade_half_time_h(GRID, prof.naltrexone_nM / prof.naltrexone_nM.max())
    assert plasma_half < 6.0 and O.blockade_half_time_h(GRID, occ) > 10 * plasma_half


def test_the_brain_fit_quotes_its_pet_points():
    """The fit reports, for each Rabiner dose, the model value and the distance to the published
    value; three of four doses lie outside the published value or range at 4 h (2, 5 and 15 mg),
    all within the 12-point tolerance."""
    fit = O.fit_brain_kinetics()
    outside = [d for d, dist in fit.pet_distance.items() if abs(dist) > 1e-9]
    assert outside == [2.0, 5.0, 15.0]
    assert all(abs(dist) <= 0.12 for dist in fit.pet_distance.values())


@pytest.mark.xfail(strict=True, reason=(
    "validation miss: model (b) gives 86% 24 h after 50 mg, 74% 48 h after 100 mg and 65% 72 h "
    "after 150 mg; the label's durations imply about equal blockade at those times."))
def test_validation_revia_label_blockade_durations_under_brain_kinetics():
    """REVIA label: 50 mg blocks 25 mg i.v. heroin for about 24 h, 100 mg for 48 h, 150 mg for
    72 h. The label states no occupancy, so the check is threshold-free: occupancy at the end of
    each duration should be the same within 5 percentage points."""
    ends = [float(np.interp(h, GRID, O.brain_kinetic_occupancy(PK.oral_profile(d, GRID))))
            for d, h in ((50.0, 24.0), (100.0, 48.0), (150.0, 72.0))]
    assert max(ends) - min(ends) <= 0.05


def test_naltrexol_ki_is_ko_2006_two_fold_and_the_alternative_is_nineteen_fold():
    """Ko et al. 2006: 2-fold in one assay (the table); Yancey-Wrona's 2.12 nM: 19-fold."""
    from naltrexone_lab.models.ligands import ki_nM

    assert ki_nM("6-beta-naltrexol", "mu") / ki_nM("naltrexone", "mu") == pytest.approx(2.0)
    assert O.NALTREXOL_MU_KI_ALTERNATIVE_NM / ki_nM("naltrexone", "mu") == pytest.approx(19.3, abs=0.1)
    prof = PK.oral_profile(2.0, np.array([0.0, 4.0]))
    ko = O.plasma_equilibrium_occupancy(prof)[-1]
    yw = O.plasma_equilibrium_occupancy(prof, naltrexol_ki_nM=O.NALTREXOL_MU_KI_ALTERNATIVE_NM)[-1]
    parent = O.plasma_equilibrium_occupancy(prof, include_metabolite=False)[-1]
    assert ko > yw > parent
    with pytest.raises(ValueError, match="naltrexol_ki_nM"):
        O.plasma_equilibrium_occupancy(prof, naltrexol_ki_nM=-1.0)


def test_pet_comparison_depends_on_the_scan_time():
    """Earlier scans give less occupancy under model (b) (the fit uses 4 h)."""
    table = O.pet_sensitivity_to_scan_time((2.0, 4.0, 8.0))
    assert table[2.0][2.0] < table[4.0][2.0] < table[8.0][2.0]


def test_brain_kinetics_converge_as_the_step_shrinks():
    coarse_t = np.arange(0.0, 72.0 + 1e-9, 0.1)
    fine_t = np.arange(0.0, 72.0 + 1e-9, 0.0125)
    coarse = O.brain_kinetic_occupancy(PK.oral_profile(4.5, coarse_t))
    fine = O.brain_kinetic_occupancy(PK.oral_profile(4.5, fine_t))
    assert np.max(np.abs(coarse - np.interp(coarse_t, fine_t, fine))) < 2e-3


@given(c=st.floats(0.0, 1e4), kon=st.floats(1e-3, 1.0), koff=st.floats(1e-3, 1.0))
@settings(max_examples=40)
def test_constant_concentration_steady_state_is_a_fixed_point(c, kon, koff):
    t = np.array([0.0, 1.0, 2.0])
    prof = PK.PKProfile(t, np.full(3, c / 0.79), np.zeros(3), 0.79)
    kin = O.BrainKinetics(kon, koff)
    b_ss = kon * c / (kon * c + koff)
    out = O.brain_kinetic_occupancy(prof, kin, initial=b_ss)
    assert np.allclose(out, b_ss, atol=1e-12)


@given(d1=st.floats(0.1, 400.0), d2=st.floats(0.1, 400.0))
@settings(max_examples=20)
def test_occupancy_rises_with_dose_under_both_models(d1, d2):
    lo, hi = sorted((d1, d2))
    t = np.linspace(0, 72, 361)
    for model in O.MODELS:
        a = O.mu_occupancy(PK.oral_profile(lo, t), model)
        b = O.mu_occupancy(PK.oral_profile(hi, t), model)
        assert (b >= a - 1e-12).all()


@given(dose=st.floats(0.1, 400.0))
@settings(max_examples=25)
def test_occupancy_in_unit_interval_and_metabolite_only_adds(dose):
    t = np.linspace(0, 72, 721)
    prof = PK.oral_profile(dose, t)
    for model in O.MODELS:
        occ = O.mu_occupancy(prof, model)
        assert ((occ >= 0) & (occ <= 1)).all()
    with_met = O.plasma_equilibrium_occupancy(prof, True)
    assert (with_met >= O.plasma_equilibrium_occupancy(prof, False) - 1e-15).all()


def test_hours_per_day_above_counts_crossings_exactly():
    t = np.linspace(0, 48, 97)
    occ = np.where((t % 24) < 6, 0.95, 0.2)  # 6 h a day above 0.9 on a 0.5 h grid
    assert O.hours_per_day_above(t, occ, 0.9) == pytest.approx(6.0, abs=0.5)
    assert O.hours_per_day_above(t, np.full_like(t, 0.95), 0.9, last_days=1) == pytest.approx(24.0)


def test_blockade_half_time_of_an_exponential():
    t = np.linspace(0, 100, 10001)
    assert O.blockade_half_time_h(t, 0.9 * np.exp(-np.log(2) * t / 30)) == pytest.approx(30.0, abs=0.02)


@pytest.mark.parametrize(("call", "fragment"), [
    (lambda: O.mu_occupancy(PK.oral_profile(1, [0, 1]), "guesswork"), "model must be one of plasma"),
    (lambda: O.BrainKinetics(-1, 1), "kon_per_nM_per_h must be finite and > 0"),
    (lambda: O.hours_per_day_above([0, 1], [0.5, 0.6], 1.5), "threshold must be a fraction"),
    (lambda: O.hours_per_day_above([0, 1, 2], [0.5, 0.6], 0.5), "equal length"),
    (lambda: O.hours_per_day_above([0, 24], [0.5, 0.6], 0.5, last_days=3), "longer than the simulated"),
    (lambda: O.brain_kinetic_occupancy(PK.oral_profile(1, [0.0])), "at least two strictly increasing"),
    (lambda: O.brain_kinetic_occupancy(PK.oral_profile(1, [0, 1]), initial=2), "initial must be a fraction"),
    (lambda: O.hours_per_day_above([0, 24, 48], [0.5, 0.6, 0.7], 0.5, last_days=0),
     "last_days must be a whole number"),
    (lambda: O.hours_per_day_above([0, 24, 48], [0.5, 0.6, 0.7], 0.5, last_days=1.7),
     "last_days must be a whole number"),
    (lambda: O.hours_per_day_above([0, 10, 5], [0.5, 0.6, 0.7], 0.5), "time_h must be strictly increasing"),
    (lambda: O.blockade_half_time_h([0, 1, 2], [0, 0, 0]), "occupancy must rise above 0"),
    (lambda: O.blockade_half_time_h([0, 2, 1], [0.1, 0.5, 0.2]), "time_h must be strictly increasing"),
])
def test_invalid_input(call, fragment):
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value)


def test_a_time_grid_with_nan_is_refused_not_integrated():
    import numpy as np

    from naltrexone_lab.models.occupancy import brain_kinetic_occupancy_from_concentration

    with pytest.raises(ValueError, match="time_h.*NaN"):
        brain_kinetic_occupancy_from_concentration([0.0, np.nan, 2.0], [1.0, 1.0, 1.0])


def test_regimen_course_reads_the_first_dose_peak_and_the_last_day():
    """Twice daily: Tmax belongs to the morning dose (13 h once appeared: the evening dose's)."""
    t = np.arange(0.0, 24.0 * 7 + 0.05, 0.1)
    events = PK.regimen("twice daily", 25.0, 7)
    course = O.regimen_course(events, t, "plasma equilibrium")
    single = PK.oral_profile(25.0, t)
    peak = int(np.argmax(single.naltrexone_ng_per_mL))
    assert course.tmax_h == pytest.approx(t[peak], abs=0.11)  # a single dose given at 0 h
    assert course.cmax_ng_per_mL == pytest.approx(single.naltrexone_ng_per_mL[peak], rel=0.05)
    last = t >= t[-1] - 24.0
    assert course.trough_ng_per_mL == pytest.approx(course.profile.naltrexone_ng_per_mL[last].min())
    assert course.hours_above_50 == pytest.approx(
        O.hours_per_day_above(t, course.occupancy, 0.5, last_days=1))
    assert 0.0 < course.mean_occupancy < 1.0


@pytest.mark.parametrize(("events", "time_h", "match"), [
    ([], np.arange(0.0, 10.0), "events"),
    ([PK.DoseEvent(5.0, 50.0)], np.arange(6.0, 30.0), "first dose"),
    ([PK.DoseEvent(0.0, 50.0)], np.array([0.0, 1.0, np.nan]), "time_h"),
    ([PK.DoseEvent(0.0, 50.0)], np.array([0.0, 2.0, 1.0]), "time_h"),
])
def test_regimen_course_refuses_what_it_cannot_summarise(events, time_h, match):
    with pytest.raises(ValueError, match=match):
        O.regimen_course(events, time_h, "brain kinetics")


def test_dose_occupancy_curve_is_the_direct_simulation_of_each_dose():
    """Scaling one unit-dose profile (linear kinetics) gives what simulating each dose gives."""
    doses = np.array([0.5, 2.0, 15.0, 50.0])
    a, b = O.dose_occupancy_curve(doses, 4.0, step_h=0.05)
    t = np.arange(0.0, 4.0 + 0.025, 0.05)
    for dose, occ_a, occ_b in zip(doses, a, b):
        prof = PK.oral_profile(float(dose), t)
        assert occ_a == pytest.approx(float(O.plasma_equilibrium_occupancy(prof)[-1]), rel=1e-9)
        assert occ_b == pytest.approx(float(O.brain_kinetic_occupancy(prof)[-1]), rel=1e-9)
    assert np.all(np.diff(a) > 0) and np.all(np.diff(b) > 0)
    with pytest.raises(ValueError, match="doses_mg"):
        O.dose_occupancy_curve([1.0, -2.0], 4.0)


@pytest.mark.parametrize("step_h", [0.025, 0.05, 0.1, 0.2])
def test_regimen_tmax_does_not_depend_on_the_time_grid(step_h):
    """The peak time is refined between grid points: 50 mg peaks at the fitted 0.75 h whether
    the grid is 0.025 h or 0.2 h (on a 0.1 h grid the raw argmax flipped between 0.7 and 0.8)."""
    t = np.arange(0.0, 24.0 * 2 + 1e-9, step_h)
    course = O.regimen_course(PK.regimen("once daily", 50.0, 2), t, "plasma equilibrium")
    assert course.tmax_h == pytest.approx(0.75, abs=0.02)


def test_a_regimen_course_is_one_line_to_save_as_csv(tmp_path):
    import csv

    from naltrexone_lab.models.units import write_table

    t = np.arange(0.0, 48.05, 0.1)
    course = O.regimen_course(PK.regimen("at bedtime", 4.5, 2), t, "brain kinetics")
    rows = list(csv.reader(course.to_csv(tmp_path / "regimen.csv").open()))
    assert rows[0] == ["time_h", "naltrexone_ng_per_mL", "naltrexol_ng_per_mL", "occupancy_fraction"]
    assert len(rows) == t.size + 1
    assert float(rows[-1][3]) == pytest.approx(course.occupancy[-1], rel=1e-5)
    with pytest.raises(ValueError, match="equal lengths"):
        write_table(tmp_path / "bad.csv", {"a": [1.0, 2.0], "b": [1.0]})


def test_hours_above_takes_one_row_per_person_and_gives_each_rows_value():
    t = np.arange(0.0, 48.05, 0.1)
    rows = np.stack([O.brain_kinetic_occupancy(PK.simulate(PK.regimen("at bedtime", d, 2), t))
                     for d in (1.0, 4.5, 50.0)])
    each = O.hours_per_day_above(t, rows, 0.5, last_days=1)
    assert each.shape == (3,)
    for row, value in zip(rows, each):
        assert value == pytest.approx(O.hours_per_day_above(t, row, 0.5, last_days=1), abs=1e-12)
    with pytest.raises(ValueError, match="equal length"):
        O.hours_per_day_above(t, rows[:, :-1], 0.5)
