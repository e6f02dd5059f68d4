"""Tests of naltrexone_lab.models.learning: alcohol's opioid-driven dopamine rise, Rescorla-Wagner
learning of craving, and the clinical effect table.

Calibration points (they set parameters) are checked to be reproduced; validation points (not
used to set anything) each have their own test with source and tolerance. A validation miss is
``xfail(strict=True)`` with the miss in its reason.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from naltrexone_lab.models import learning as L
from naltrexone_lab.models import mesolimbic as M

TROUGH_50 = M.naltrexone_trough_occupancy(50.0)
occupancy = st.floats(min_value=0.0, max_value=0.99)


# --- analytic cases ------------------------------------------------------------------------------
def test_rescorla_wagner_full_trials_approach_the_reward_geometrically():
    """V_n = 1 - (1 - alpha)^n for full trials of reward 1 from V = 0 (exact to 1e-12)."""
    v = L.rescorla_wagner(np.ones(20), np.ones(20), learning_rate=0.2)
    assert np.allclose(v, 1 - 0.8 ** np.arange(21), atol=1e-12)


def test_rescorla_wagner_extinction_halves_with_alpha_one_half():
    v = L.rescorla_wagner(np.zeros(3), np.ones(3), learning_rate=0.5, initial_value=1.0)
    assert np.allclose(v, [1.0, 0.5, 0.25, 0.125])


def test_zero_weight_trials_change_nothing():
    v = L.rescorla_wagner(np.ones(5), np.zeros(5), learning_rate=0.3, initial_value=0.4)
    assert np.all(v == 0.4)


def test_no_naltrexone_gives_the_full_calibrated_rise_and_reward_one():
    """Calibration: +40% total (teaching value), reproduced to 1e-6 percentage points."""
    assert L.alcohol_dopamine_rise(0.0) == pytest.approx(40.0, abs=1e-6)
    assert L.relative_reward(0.0) == pytest.approx(1.0, abs=1e-9)


def test_with_an_opioid_share_of_zero_naltrexone_changes_nothing():
    p = L.AlcoholParameters(40.0, 0.0)
    assert L.calibrated_endorphin_fold(p) == 1.0
    assert L.alcohol_dopamine_rise(0.9, p) == pytest.approx(40.0, abs=1e-9)


def test_the_non_opioid_part_is_a_floor_naltrexone_cannot_remove():
    p = L.AlcoholParameters()
    floor = (1 - p.opioid_share) * p.total_rise_percent
    assert L.alcohol_dopamine_rise(0.999, p) >= floor - 1e-9
    assert L.alcohol_dopamine_rise(0.999, p) == pytest.approx(floor, abs=1.0)


def test_number_needed_to_treat_is_one_over_the_risk_difference():
    assert L.number_needed_to_treat(0.5, 0.8) == pytest.approx(10.0)


# --- validation points ---------------------------------------------------------------------------
def test_gonzales_weiss_1998_naltrexone_prevents_most_of_the_rise():
    """Gonzales & Weiss 1998 J Neurosci 18:10663 (n = 16 naltrexone, 13 saline): naltrexone
    prevented the ethanol-induced rise. Model at the trough of 50 mg/day: the rise falls to below
    a third of its size without naltrexone (tolerance: 'prevented' read as at most a third left,
    since the non-opioid 20% cannot be blocked)."""
    assert L.alcohol_dopamine_rise(TROUGH_50) < L.alcohol_dopamine_rise(0.0) / 3


def test_benjamin_1993_naltrexone_reverses_the_rise_dose_by_dose():
    """Benjamin, Grant & Pohorecky 1993 Brain Res 621:137: 0.25-1.0 mg/kg reversed the rise dose
    dependently. Model: the rise falls strictly with occupancy at 2, 5, 15 and 50 mg/day."""
    rises = [L.alcohol_dopamine_rise(M.naltrexone_trough_occupancy(d)) for d in (0.0, 2.0, 5.0, 15.0, 50.0)]
    assert all(a > b for a, b in zip(rises, rises[1:])), rises


def test_gonzales_weiss_1998_cue_response_is_not_blocked_acutely():
    """Gonzales & Weiss 1998: the dopamine rise in the waiting period before ethanol (a cue
    response) was not changed by naltrexone. Model: the first day of treatment starts from the
    cue value learned before it (exactly), whatever the regime; only later trials change it."""
    for regime in L.REGIMES:
        c = L.simulate_course(regime, acquisition_days=120, treatment_days=10, followup_days=0)
        assert c.value_at(120) == L.simulate_course("no treatment", acquisition_days=120,
                                                    treatment_days=10, followup_days=0).value_at(120)


def test_mitchell_2012_drinking_releases_endogenous_opioids_at_mu_receptors():
    """Mitchell et al. 2012 Sci Transl Med 4:116ra6 (13 heavy drinkers, 12 controls): drinking
    displaced [11C]carfentanil in the nucleus accumbens. Model: positive extra endogenous mu
    occupancy while drinking (direction only; the size was not re-read)."""
    assert L.endorphin_occupancy_change() > 0


@pytest.mark.xfail(strict=True, reason=(
    "Doyon et al. 2003/2005: during oral self-administration accumbens dopamine peaks within "
    "about 5 min and fades while brain ethanol still rises; in the model the rise follows the "
    "alcohol (endorphin) level, so it cannot peak before it"))
def test_doyon_dopamine_peaks_before_brain_ethanol():
    levels = np.linspace(1.0, L.calibrated_endorphin_fold(), 20)  # endorphin rising with ethanol
    rise = [float(M.percent_of_baseline(0.0, 0.0, endogenous_level=f)) for f in levels]
    assert int(np.argmax(rise)) < len(rise) - 1


def test_rosner_2010_heavy_drinking_relative_risk_is_in_the_table():
    """Rösner et al. 2010 Cochrane: RR 0.83 (0.76-0.90) for heavy drinking, 28 trials, 4433."""
    (row,) = [e for e in L.CLINICAL_EFFECTS
              if e.source.startswith("Rösner") and e.outcome == "return to heavy drinking"]
    assert (row.value, row.ci_low, row.ci_high, row.trials, row.participants) == (0.83, 0.76, 0.90, 28, 4433)


def test_jonas_2014_numbers_needed_to_treat_are_in_the_table():
    """Jonas et al. 2014 JAMA: NNT about 20 (any drinking) and 12 (heavy drinking), oral 50 mg."""
    nnt = {e.outcome: e.value for e in L.CLINICAL_EFFECTS if e.source.startswith("Jonas")}
    assert nnt == {"return to any drinking": 20.0, "return to heavy drinking": 12.0}


def test_every_clinical_effect_lies_inside_its_interval_and_has_a_confidence():
    for e in L.CLINICAL_EFFECTS:
        assert e.ci_low <= e.value <= e.ci_high, e
        assert e.confidence in ("H", "M", "L")


# --- the learning story --------------------------------------------------------------------------
def test_acquisition_learns_full_craving_in_six_months():
    c = L.simulate_course("no treatment", acquisition_days=180, treatment_days=0, followup_days=0)
    assert c.value[-1] > 0.99


def test_drinking_under_naltrexone_extinguishes_craving_more_than_abstinence():
    ntx = L.simulate_course("naltrexone, drinking continues")
    abst = L.simulate_course("abstinence, no drug")
    none = L.simulate_course("no treatment")
    end = ntx.phase_ends[1]
    assert ntx.value_at(end) < abst.value_at(end) < none.value_at(end)


def test_craving_recovers_after_naltrexone_stops():
    """The model's assumption: extinction fades and full reward reinstates craving."""
    c = L.simulate_course("naltrexone, drinking continues")
    end = c.phase_ends[1]
    assert c.value[-1] > c.value_at(end) + 0.2


def test_with_a_permanent_extinction_memory_nothing_comes_back_without_drinking():
    p = L.LearningParameters(extinction_half_life_days=1e5, drink_probability_floor=0.0,
                             drink_probability_max=0.0, cue_exposure_per_day=0.0)
    c = L.simulate_course("abstinence, no drug", params=p)
    assert np.all(c.value == 0.0)


def test_simulated_people_are_reproducible_by_seed_and_average_to_the_mean_field():
    v1, d1 = L.simulate_people(n_people=400, seed=7)
    v2, d2 = L.simulate_people(n_people=400, seed=7)
    assert np.array_equal(v1, v2) and np.array_equal(d1, d2)
    mean = L.simulate_course()
    end = mean.phase_ends[1]
    assert abs(v1[:, end].mean() - mean.value_at(end)) < 0.1  # tolerance: 400 people, noisy learning


# --- invariants ----------------------------------------------------------------------------------
@settings(deadline=None, max_examples=25)
@given(a=occupancy, b=occupancy)
def test_more_occupancy_never_raises_the_alcohol_rise(a, b):
    assume(a < b)
    assert L.alcohol_dopamine_rise(b) <= L.alcohol_dopamine_rise(a) + 1e-9


@settings(deadline=None, max_examples=25)
@given(occ=occupancy)
def test_reward_is_a_fraction(occ):
    assert 0.0 <= L.relative_reward(occ) <= 1.0 + 1e-12


@settings(deadline=None, max_examples=20)
@given(alpha=st.floats(0.01, 1.0), half=st.floats(1.0, 1000.0), regime=st.sampled_from(L.REGIMES),
       occ=st.floats(0.0, 0.98))
def test_cue_value_stays_in_zero_one(alpha, half, regime, occ):
    p = L.LearningParameters(learning_rate=alpha, extinction_half_life_days=half)
    c = L.simulate_course(regime, acquisition_days=60, treatment_days=40, followup_days=20,
                          naltrexone_occupancy=occ, params=p)
    assert np.all(c.value >= -1e-12) and np.all(c.value <= 1.0 + 1e-12)
    assert np.all((c.drinking >= 0) & (c.drinking <= 1))


@settings(deadline=None, max_examples=20)
@given(r=st.floats(0.0, 1.0), alpha=st.floats(0.01, 1.0))
def test_the_reward_is_a_fixed_point_of_the_rule(r, alpha):
    v = L.rescorla_wagner(np.full(5, r), np.ones(5), learning_rate=alpha, initial_value=r)
    assert np.allclose(v, r)


# --- invalid input -------------------------------------------------------------------------------
@pytest.mark.parametrize(("call", "name"), [
    (lambda: L.alcohol_dopamine_rise(-0.1), "naltrexone_occupancy"),
    (lambda: L.alcohol_dopamine_rise(1.0), "naltrexone_occupancy"),
    (lambda: L.alcohol_dopamine_rise(float("nan")), "naltrexone_occupancy"),
    (lambda: L.AlcoholParameters(total_rise_percent=-5.0), "total_rise_percent"),
    (lambda: L.AlcoholParameters(opioid_share=1.5), "opioid_share"),
    (lambda: L.relative_reward(0.5, L.AlcoholParameters(0.0, 0.5)), "total_rise_percent"),
    (lambda: L.LearningParameters(learning_rate=0.0), "learning_rate"),
    (lambda: L.LearningParameters(extinction_half_life_days=0.0), "extinction_half_life_days"),
    (lambda: L.LearningParameters(drink_probability_floor=0.9), "drink_probability_floor"),
    (lambda: L.LearningParameters(cue_exposure_per_day=2.0), "cue_exposure_per_day"),
    (lambda: L.simulate_course("cold turkey"), "regime"),
    (lambda: L.simulate_course(acquisition_days=0), "acquisition_days"),
    (lambda: L.simulate_course(treatment_days=2.5), "treatment_days"),
    (lambda: L.simulate_people(seed=-1), "seed"),
    (lambda: L.simulate_people(seed=1, n_people=0), "n_people"),
    (lambda: L.rescorla_wagner([1, 2], [1, 1]), "rewards"),
    (lambda: L.rescorla_wagner([1, 1], [1]), "rewards and weights"),
    (lambda: L.rescorla_wagner([1], [1], learning_rate=1.5), "learning_rate"),
    (lambda: L.number_needed_to_treat(0.0, 0.8), "control_risk"),
    (lambda: L.number_needed_to_treat(0.5, 1.0), "relative_risk"),
    (lambda: L.drink_probability(1.2), "value"),
])
def test_invalid_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_simulate_people_needs_an_explicit_seed():
    with pytest.raises(TypeError):
        L.simulate_people()  # randomness only through an explicit seed
