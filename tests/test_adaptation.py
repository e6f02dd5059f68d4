"""Tests of naltrexone_lab.models.adaptation: published points, the crash story, invariants."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naltrexone_lab.models import adaptation as A
from naltrexone_lab.models import mesolimbic as M

P = A.AdaptationParameters()
REF = A.simulate(A.Schedule.reference_dependence())


# --- published points ----------------------------------------------------------------------------
def test_full_blockade_upregulates_mu_by_80_to_90_percent():
    """Mouse, 8 days of naltrexone: +80% (Lesscher et al. 2003), about +90% (Rajashekara et al.
    2003). Steady state at full blockade within that range."""
    assert 0.80 <= float(A.receptor_steady_state(0.0, 1.0)) - 1.0 <= 0.90


def test_eight_days_of_50_mg_naltrexone_upregulate_by_about_80_percent():
    """The same protocol length with the human occupancy of 50 mg/day (chapter 2): +70 to +90%
    after 8 days (tolerance: the mouse range widened by 10 points below, as occupancy is < 1)."""
    sim = A.simulate(A.Schedule(use_days=0, naltrexone_start_day=0, total_days=9))
    day8 = float(np.interp(24 * 8 + 8, sim.time_h, sim.receptor_density))
    assert 0.70 <= day8 - 1.0 <= 0.90


def test_upregulated_receptors_make_morphine_about_1_7_times_more_potent():
    """Rajashekara et al. 2003: naltrexone raised mu about 90% and morphine potency 1.7-fold.
    With efficacy proportional to density (chapter 1), the model's EC50 shift is within 0.2."""
    density = float(A.receptor_steady_state(0.0, 1.0))

    def ec50(r):
        half = 0.5 * (float(M.percent_of_baseline(1 - 1e-9, receptor_density=r)) - 100.0)
        from scipy.optimize import brentq
        return brentq(lambda o: float(M.percent_of_baseline(o, receptor_density=r)) - 100 - half,
                      1e-9, 1 - 1e-9)

    x = [M.concentration_ratio(ec50(r)) for r in (1.0, density)]
    assert x[0] / x[1] == pytest.approx(1.7, abs=0.2)


def test_a_single_acute_blockade_does_not_upregulate():
    """Zukin et al. 1982: chronic, not acute, naltrexone raises receptor number. After a
    mouse-like acute dose (6 h of full blockade), density a day later, when binding is
    measured, is within 5% of normal (it peaks at +8% when the blockade ends)."""
    t = np.arange(0.0, 72.0, 0.1)
    bound_n = np.where(t < 6.0, 1.0, 0.0)
    loss = P.k_receptor_per_h * (1 - P.antagonist_protection * bound_n)
    density = A.linear_relaxation(t, P.k_receptor_per_h, loss, 1.0)
    assert density[np.searchsorted(t, 30.0)] - 1.0 < 0.05
    assert density.max() - 1.0 < 0.1


def test_withdrawal_dopamine_below_baseline_days_1_to_7():
    """Acquas & Di Chiara 1992: accumbens dopamine markedly reduced on withdrawal days 1, 2, 3
    and 5, still reduced on day 7. Model: days 1-5 at least 20% below, day 7 still below."""
    for day in (1, 2, 3, 4, 5):
        assert REF.withdrawal_day_signal(day) < 0.8, day
    assert REF.withdrawal_day_signal(7) < 0.95
    assert REF.withdrawal_day_signal(7) > REF.withdrawal_day_signal(1), "recovering by day 7"


#: Acquas & Di Chiara 1992 (abstract): morphine 5 mg/kg s.c. raised accumbens dopamine by at most
#: 35% in controls; on withdrawal day 1 it had no effect, on days 2 and 7 it was similar to
#: controls', on day 5 +100% and on day 3 +160%. As a fraction of the control rise:
ACQUAS_CHALLENGE = {1: 0.0, 2: 1.0, 3: 160 / 35, 5: 100 / 35, 7: 1.0}


@pytest.mark.xfail(strict=True, reason=(
    "validation miss: Acquas & Di Chiara 1992 found the morphine-evoked dopamine rise abolished "
    "on withdrawal day 1 and potentiated on days 3 (x4.6) and 5 (x2.9); the model gives 0.98-1.00 "
    "of the drug-naive rise on every day (only receptor density changes the a-process; the model "
    "has no tolerance or sensitization of the rise itself). Chapter 4 says so."))
def test_validation_tolerance_then_sensitization_in_abstinence_acquas_1992():
    """Validation (no parameter was set from these points): abolished on day 1 (under a quarter
    of the control rise), at least doubled on days 3 and 5."""
    day1, day3, day5 = A.challenge_rise_in_abstinence([1, 3, 5])
    assert day1 < 0.25
    assert day3 > 2.0 and day5 > 2.0


def test_chapter_4_claim_the_model_gives_the_same_challenge_rise_every_day():
    """Chapter 4 says that in the model a challenge during abstinence raises dopamine by almost
    the same amount as in a drug-naive brain on every day (the miss above). If the model learns
    tolerance or sensitization this fails, and the chapter's paragraph must change with it."""
    rises = A.challenge_rise_in_abstinence(sorted(ACQUAS_CHALLENGE))
    assert np.all(np.abs(rises - 1.0) < 0.05), rises
    assert np.all(np.diff(rises) > 0), "receptors recover, so the rise creeps back up"


def test_challenge_in_abstinence_refuses_days_outside_the_schedule():
    with pytest.raises(ValueError, match="withdrawal_days"):
        A.challenge_rise_in_abstinence([0])
    with pytest.raises(ValueError, match="withdrawal_days"):
        A.challenge_rise_in_abstinence([25])
    with pytest.raises(ValueError, match="peak_occupancy"):
        A.challenge_rise_in_abstinence([1], A.Schedule(peak_occupancy=0.0))


def test_reference_crash_is_the_calibrated_50_percent():
    assert REF.withdrawal_day_signal(1) == pytest.approx(0.5, abs=0.02)


def test_d2_falls_about_18_percent_as_in_wang_1997():
    """Wang et al. 1997: striatal [11C]raclopride Bmax/Kd 2.44 in opioid dependence versus 2.97
    in controls (18% lower); model within 2 points."""
    assert 1.0 - REF.d2_availability.min() == pytest.approx(1 - 2.44 / 2.97, abs=0.02)


def test_model_predicts_a_fast_fall_that_human_pet_did_not_see():
    """A documented disagreement, not a calibration: in the model naltrexone given during
    dependence halves the dopamine signal within hours, so [11C]raclopride binding (which
    competes with dopamine) should rise; Wang et al. 1997 saw no change during
    naloxone-precipitated withdrawal. The chapter's evidence section discusses it."""
    sim = A.simulate(A.Schedule(use_days=20, naltrexone_start_day=13, total_days=20))
    t0 = 24 * 13 + 8.0
    before = float(np.mean(sim.signal[(sim.time_h > t0 - 24) & (sim.time_h < t0)]))
    after = float(np.mean(sim.signal[(sim.time_h > t0 + 2) & (sim.time_h < t0 + 6)]))
    assert after < 0.7 * before
    # the slow D2 term barely moves in those hours
    i0, i1 = np.searchsorted(sim.time_h, [t0, t0 + 6])
    assert abs(sim.d2_availability[i1] / sim.d2_availability[i0] - 1) < 0.02


# --- the story -----------------------------------------------------------------------------------
def test_no_drug_stays_exactly_at_baseline():
    sim = A.simulate(A.Schedule(use_days=0, total_days=5))
    assert np.allclose(sim.signal, 1.0, atol=1e-12)
    assert np.allclose(sim.receptor_density, 1.0) and np.allclose(sim.d2_availability, 1.0)


def test_longer_use_gives_a_deeper_crash():
    depths = [A.simulate(A.Schedule(use_days=d, total_days=d + 14)).crash_depth for d in (2, 5, 14)]
    assert depths[0] < depths[1] < depths[2]


def test_naltrexone_during_use_removes_the_surge_but_uncovers_the_crash_early():
    """Started during use, naltrexone removes most of the day's dopamine rise, and the
    b-process already built up shows at once as a dip almost as deep as the crash without it
    (the model's analogue of precipitated withdrawal). Once the b-process has decayed, the end
    of use brings a second dip less than half the crash without naltrexone. With issue 16's
    three-phase oral kinetics the trough blockade is lower and about 84% of the rise is removed
    (92% with the one-compartment kinetics; the limit was 85%)."""
    s = A.Schedule(use_days=28, naltrexone_start_day=10, total_days=42)
    sim = A.simulate(s)
    days, a_mean = sim.daily_mean(sim.a_process)
    on, before = a_mean[(days >= 14) & (days < 28)], a_mean[(days >= 5) & (days < 10)]
    assert on.max() < 0.20 * before.min(), "the day's dopamine rise is not removed"
    without = A.simulate(A.Schedule(use_days=28, total_days=42))
    assert 0.7 * without.crash_depth < sim.crash_depth <= without.crash_depth + 0.05
    _, means = sim.daily_mean(sim.signal)
    # the second dip when use ends: 22% against a 50% crash without naltrexone (17% with the
    # one-compartment kinetics; the limit was 40% of the crash, now half of it)
    assert 1 - means[28:].min() < 0.5 * without.crash_depth


def test_naltrexone_started_after_use_prevents_the_crash_of_a_relapse():
    """The seed's claim in the form the clinic uses it: naltrexone from day 24 (ten opioid-free
    days after 14 days of use) blocks a 3-day relapse on day 30, so the crash after it is much
    smaller than without naltrexone."""
    relapse = dict(use_days=14, relapse_day=30, relapse_days=3, total_days=42)
    off = A.simulate(A.Schedule(**relapse))
    on = A.simulate(A.Schedule(naltrexone_start_day=24, **relapse))
    assert off.relapse_crash_depth > 0.3
    assert on.relapse_crash_depth < 0.5 * off.relapse_crash_depth
    assert on.peak_rise(30, 3) < 0.6 * off.peak_rise(30, 3)


def test_no_sensitive_window_after_stopping_under_either_occupancy_model():
    """Upregulated receptors make a small dose stronger after naltrexone stops (the potency
    rise of chapter 4's Rajashekara point) only if the blockade wears off faster than the
    receptors return. With the slow terminal phase of plasma naltrexone (Lee et al. 1988; issue
    16) the lingering blockade outlasts the upregulation under both occupancy models: a dose 4
    and 14 days after four weeks of 50 mg is weaker than in a drug-naive brain. (With the
    one-compartment kinetics, plasma equilibrium gave a dose 4 days after stopping 16% more
    effect: that conclusion flipped, and the chapter says so.)"""
    for day in (32, 42):
        kw = dict(use_days=0, relapse_day=day, relapse_days=1, total_days=day + 2, peak_occupancy=0.03)
        naive = A.simulate(A.Schedule(**kw)).peak_rise(day, 1)
        treated = A.Schedule(naltrexone_start_day=0, naltrexone_stop_day=28, **kw)
        for model in ("plasma equilibrium", "brain kinetics"):
            assert A.simulate(treated, occupancy_model=model).peak_rise(day, 1) < naive, (day, model)


def test_tolerance_the_surge_shrinks_with_use():
    days, means = REF.daily_mean(REF.signal)
    assert means[0] > means[6] > 0


def test_agonist_lowers_and_antagonist_raises_density():
    assert float(A.receptor_steady_state(0.8, 0.0)) < 1.0 < float(A.receptor_steady_state(0.0, 0.8))


# --- closed forms are the ODE's ------------------------------------------------------------------
@given(o_a=st.floats(0.0, 0.99), o_n=st.floats(0.0, 0.99))
@settings(max_examples=60)
def test_receptor_steady_state_is_a_fixed_point(o_a, o_n):
    if o_a + o_n > 1.0:
        return
    r = float(A.receptor_steady_state(o_a, o_n))
    dr = P.k_receptor_per_h * (1 - r * (1 + P.agonist_removal * o_a - P.antagonist_protection * o_n))
    assert abs(dr) < 1e-12 and r > 0


@given(o_a=st.floats(0.0, 0.9), o_n=st.floats(0.0, 0.9))
@settings(max_examples=30, deadline=None)
def test_half_time_is_the_simulated_half_time(o_a, o_n):
    if o_a + o_n > 1.0:
        return
    r_star = float(A.receptor_steady_state(o_a, o_n))
    if abs(r_star - 1.0) < 1e-3:
        return
    half = float(A.receptor_half_time_h(o_a, o_n))
    t = np.linspace(0.0, 3 * half, 3001)
    loss = P.k_receptor_per_h * (1 + P.agonist_removal * o_a - P.antagonist_protection * o_n)
    r = A.linear_relaxation(t, P.k_receptor_per_h, loss, 1.0)
    i = np.searchsorted(t, half)
    assert (r[i] - 1.0) / (r_star - 1.0) == pytest.approx(0.5, abs=2e-3)


def test_d2_steady_state_matches_simulation_under_constant_drive():
    t = np.linspace(0.0, 2000.0, 20001)
    s = A.linear_relaxation(t, P.k_d2_per_h, P.k_d2_per_h * (1 + P.d2_downregulation * 1.2), 1.0)
    assert s[-1] == pytest.approx(float(A.d2_steady_state(1.2)), rel=1e-6)


def test_results_converge_as_the_step_shrinks():
    s = A.Schedule(use_days=5, total_days=10, naltrexone_start_day=3)
    coarse, fine = A.simulate(s, step_h=0.2), A.simulate(s, step_h=0.05)
    for name in ("receptor_density", "b_process", "d2_availability"):
        a = getattr(coarse, name)
        b = np.interp(coarse.time_h, fine.time_h, getattr(fine, name))
        assert np.max(np.abs(a - b)) < 5e-3, name
    assert coarse.crash_depth == pytest.approx(fine.crash_depth, abs=0.01)


@given(use=st.integers(0, 20), occ=st.floats(0.0, 0.95), gap=st.sampled_from([4.0, 8.0, 12.0, 24.0]),
       ntx=st.one_of(st.none(), st.floats(0.0, 20.0)), opioid=st.sampled_from(M.OPIOIDS))
@settings(max_examples=20, deadline=None)
def test_states_stay_in_bounds(use, occ, gap, ntx, opioid):
    sim = A.simulate(A.Schedule(opioid=opioid, use_days=use, peak_occupancy=occ, hours_between_doses=gap,
                                naltrexone_start_day=ntx, total_days=21), step_h=0.5)
    assert np.all(sim.receptor_density > 0)
    assert np.all((sim.b_process >= 0) & (sim.b_process < 1))
    assert np.all(sim.signal > 0) and np.all(sim.d2_availability > 0)
    assert np.all(sim.agonist_bound + sim.naltrexone_bound <= 1 + 1e-12)


def test_linear_relaxation_matches_the_exact_solution():
    t = np.linspace(0.0, 10.0, 11)
    y = A.linear_relaxation(t, 2.0, 0.5, 0.0)
    assert np.allclose(y, 4.0 * (1 - np.exp(-0.5 * t)))


def _relaxation_step_by_step(t, g, loss, initial):
    """The recurrence of linear_relaxation written as the plain loop it replaced."""
    dt = np.diff(t)
    g_mid, l_mid = 0.5 * (g[..., 1:] + g[..., :-1]), 0.5 * (loss[..., 1:] + loss[..., :-1])
    out = np.empty(g.shape)
    y = np.full(g.shape[:-1], float(initial))
    out[..., 0] = y
    for i in range(dt.size):
        target = g_mid[..., i] / l_mid[..., i]
        y = target + (y - target) * np.exp(-l_mid[..., i] * dt[i])
        out[..., i + 1] = y
    return out


@settings(max_examples=60, deadline=None)
@given(steps=st.integers(1, 400), rows=st.sampled_from([(), (3,), (2, 2)]),
       dt_scale=st.sampled_from([0.01, 1.0, 200.0]), loss_scale=st.sampled_from([1e-3, 1.0, 40.0]),
       gain_scale=st.sampled_from([0.0, 1e-3, 1.0, 1e3]), initial=st.floats(0.0, 10.0),
       seed=st.integers(0, 2**31 - 1))
def test_linear_relaxation_equals_the_step_by_step_recurrence(steps, rows, dt_scale, loss_scale,
                                                              gain_scale, initial, seed):
    """The loop-free solution (blocks of summed decay, see models._stepping) gives what the
    step-by-step recurrence gives, for gentle and for stiff decay (up to 8000 per step)."""
    rng = np.random.default_rng(seed)
    t = np.concatenate([[0.0], np.cumsum(rng.uniform(0.01, 1.0, steps) * dt_scale)])
    shape = rows + (t.size,)
    g = rng.uniform(0.0, 1.0, shape) * gain_scale
    loss = rng.uniform(1e-3, 1.0, shape) * loss_scale
    fast = A.linear_relaxation(t, g, loss, initial)
    slow = _relaxation_step_by_step(t, g, loss, initial)
    assert np.all(np.isfinite(fast))
    assert np.allclose(fast, slow, rtol=1e-9, atol=1e-12 * max(1.0, float(np.max(np.abs(slow)))))


def test_linear_relaxation_keeps_a_steady_state_exactly():
    t = np.linspace(0.0, 24.0 * 28, 6721)
    assert np.array_equal(A.linear_relaxation(t, 0.02, 0.02, 1.0), np.ones_like(t))


def test_half_time_helper():
    assert float(A.half_time_h(math.log(2) / 72)) == pytest.approx(72.0)


# --- invalid input -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: A.receptor_steady_state(-0.1, 0.0), "agonist_occupancy"),
        (lambda: A.receptor_steady_state(0.0, 1.2), "naltrexone_occupancy"),
        (lambda: A.receptor_steady_state(0.6, 0.6), "agonist_occupancy \\+ naltrexone_occupancy"),
        (lambda: A.d2_steady_state(-1.0), "a_process"),
        (lambda: A.half_time_h(0.0), "rate_per_h"),
        (lambda: A.AdaptationParameters(antagonist_protection=1.0), "antagonist_protection"),
        (lambda: A.AdaptationParameters(receptor_turnover_half_time_h=0.0), "receptor_turnover_half_time_h"),
        (lambda: A.Schedule(opioid="heroin"), "opioid"),
        (lambda: A.Schedule(use_days=40, total_days=35), "use_days"),
        (lambda: A.Schedule(hours_between_doses=1.0), "hours_between_doses"),
        (lambda: A.Schedule(peak_occupancy=1.0), "peak_occupancy"),
        (lambda: A.Schedule(naltrexone_start_day=50.0), "naltrexone_start_day"),
        (lambda: A.Schedule(naltrexone_start_day=10.0, naltrexone_stop_day=5.0), "naltrexone_stop_day"),
        (lambda: A.Schedule(use_days=14, relapse_day=10.0), "relapse_day"),
        (lambda: A.simulate(A.Schedule(), step_h=5.0), "step_h"),
        (lambda: A.linear_relaxation([0.0, 1.0], 1.0, 0.0, 0.0), "loss_per_h"),
        (lambda: REF.withdrawal_day_signal(0), "day"),
    ],
)
def test_invalid_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
