"""Tests of naltrexone_lab.models.withdrawal: competitive binding kinetics and precipitated withdrawal."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from naltrexone_lab.models import withdrawal as W


def test_buprenorphine_dissociation_half_time_is_boas_and_villiger_1985():
    """Boas & Villiger 1985: buprenorphine dissociates from mu with a 166 min half-time."""
    assert W.MAINTENANCE_OPIOIDS["buprenorphine"].koff_per_h == pytest.approx(np.log(2) / (166 / 60))


def test_fast_agonists_are_displaced_faster_than_buprenorphine():
    fast = W.precipitated_withdrawal("morphine", 0.6, 0.0, 50.0)
    slow = W.precipitated_withdrawal("buprenorphine", 0.6, 0.0, 50.0)
    assert fast.time_to_half_displacement_h() < 0.25 < 1.0 < slow.time_to_half_displacement_h()
    assert fast.agonist_bound_at(1.0) < 0.05 < 0.3 < slow.agonist_bound_at(1.0)


def test_naltrexone_in_a_dependent_person_precipitates_withdrawal():
    r = W.precipitated_withdrawal("morphine", 0.6, 0.0, 50.0)
    assert r.precipitated > 0.4 and r.withdrawal_index[0] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("opioid, clear_day", [("morphine", 2), ("methadone", 10), ("buprenorphine", 10)])
def test_opioid_free_days_before_naltrexone(opioid, clear_day):
    """Labels ask for 7-10 opioid-free days, up to 2 weeks after methadone or buprenorphine. In the
    model, morphine leaves nothing to precipitate within 2 days; methadone and buprenorphine still
    do after 3 days and no longer after 10."""
    assert W.precipitated_withdrawal(opioid, 0.6, clear_day, 50.0).precipitated < 0.01
    if opioid != "morphine":
        assert W.precipitated_withdrawal(opioid, 0.6, 3.0, 50.0).precipitated > 0.1


def test_no_naltrexone_no_precipitation():
    r = W.precipitated_withdrawal("methadone", 0.6, 1.0, 0.0)
    assert np.all(r.naltrexone_bound == 0.0)
    assert r.precipitated < 0.02  # only the slow spontaneous course within 24 h


def test_dependence_comes_from_chapter_4():
    from naltrexone_lab.models.adaptation import Schedule, simulate

    sim = simulate(Schedule.reference_dependence(total_days=15))
    b_last = float(np.interp(sim.schedule.last_dose_h, sim.time_h, sim.b_process))
    assert W.dependence_after_use() == pytest.approx(b_last)
    assert W.dependence_after_use(3) < W.dependence_after_use(14)


# no subnormal concentrations: with cb = 5e-324 the reference solver (LSODA) returned NaN
@given(ca=st.floats(0.01, 100.0), cb=st.floats(0.0, 100.0, allow_subnormal=False),
       ka=st.floats(0.1, 50.0), kb=st.floats(0.1, 50.0))
@settings(max_examples=40, deadline=None)
def test_exact_stepping_matches_an_ode_solver_and_conserves_receptors(ca, cb, ka, kb):
    t = np.linspace(0.0, 5.0, 101)
    ra, rb = W.competitive_binding(t, ca, cb, ka / 1.0, ka, kb / 0.5, kb, initial=(0.3, 0.0))
    sol = solve_ivp(lambda _t, y: [ka * ca * (1 - y[0] - y[1]) - ka * y[0],
                                   kb / 0.5 * cb * (1 - y[0] - y[1]) - kb * y[1]],
                    (0, 5), [0.3, 0.0], t_eval=t, method="LSODA", rtol=1e-10, atol=1e-12)
    assert sol.success and np.all(np.isfinite(sol.y)), "the reference solver failed"
    assert np.allclose(ra, sol.y[0], atol=1e-6) and np.allclose(rb, sol.y[1], atol=1e-6)
    assert np.all(ra + rb <= 1 + 1e-9) and np.all(ra >= 0) and np.all(rb >= 0)


def test_equilibrium_is_gaddum():
    ra, rb = W.competitive_binding([0.0, 500.0], 2.0, 3.0, 1.0, 1.0, 1.0, 1.0)  # Kd 1 nM each
    assert ra[-1] == pytest.approx(2 / 6, rel=1e-9) and rb[-1] == pytest.approx(3 / 6, rel=1e-9)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: W.precipitated_withdrawal("heroin", 0.6, 0, 50), "opioid"),
        (lambda: W.precipitated_withdrawal("morphine", 1.0, 0, 50), "maintenance_occupancy"),
        (lambda: W.precipitated_withdrawal("morphine", 0.6, -1, 50), "days_since_last_dose"),
        (lambda: W.precipitated_withdrawal("morphine", 0.6, 0, 500), "naltrexone_mg"),
        (lambda: W.competitive_binding([0.0, 0.0], 1, 1, 1, 1, 1, 1), "time_h"),
        (lambda: W.competitive_binding([0.0, 1.0], -1, 1, 1, 1, 1, 1), "agonist_nM"),
        (lambda: W.competitive_binding([0.0, 1.0], 1, 1, 0, 1, 1, 1), "kon_a"),
    ],
)
def test_invalid_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_a_time_grid_with_nan_is_refused_not_integrated():
    import numpy as np

    from naltrexone_lab.models.withdrawal import competitive_binding

    with pytest.raises(ValueError, match="time_h"):
        competitive_binding([0.0, np.nan, 2.0], 1.0, 0.0, 1.0, 1.0, 1.0, 1.0)
