"""Tests of naltrexone_lab.models.binding: analytic identities, invariants and invalid input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from naltrexone_lab.models import binding as B

conc = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)
pos = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False)


# -- analytic cases -----------------------------------------------------------------------------
def test_half_occupancy_at_kd():
    assert B.hill_langmuir_occupancy(2.5, 2.5) == pytest.approx(0.5, rel=1e-12)


def test_hill_coefficient_steepens_the_curve():
    assert B.hill_langmuir_occupancy(2.0, 1.0, hill=2.0) == pytest.approx(0.8, rel=1e-12)
    assert float(B.hill_langmuir_occupancy(np.inf, 1.0)) == 1.0


@given(a=conc, ka=pos, kb=pos)
def test_gaddum_reduces_to_hill_langmuir_without_antagonist(a, ka, kb):
    assert B.competitive_occupancy(a, 0.0, ka, kb) == pytest.approx(
        B.hill_langmuir_occupancy(a, ka), rel=1e-12, abs=1e-15)


@given(b=conc, kb=pos)
def test_dose_ratio_is_one_plus_b_over_kb(b, kb):
    assert B.dose_ratio(b, kb) == pytest.approx(1.0 + b / kb, rel=1e-12)


@given(b=st.floats(min_value=1e-3, max_value=1e4), ka=pos, kb=pos, tau=st.floats(0.1, 100))
@settings(max_examples=50)
def test_dose_ratio_is_the_ec50_shift_in_the_operational_model(b, ka, kb, tau):
    """The operational model's EC50 in the presence of B is EC50 x DR, whatever the efficacy."""
    ec50_alone = B.operational_ec50(ka, tau)
    centre = np.log10(ec50_alone * B.dose_ratio(b, kb))
    a = np.logspace(centre - 4, centre + 4, 4001)
    resp = B.operational_response(a, ka, tau, antagonist_nM=b, antagonist_kd_nM=kb)
    half = B.operational_emax(tau) / 2.0
    ec50_with = 10 ** np.interp(half, resp, np.log10(a))
    assert ec50_with / ec50_alone == pytest.approx(B.dose_ratio(b, kb), rel=2e-3)


def test_gaddum_occupancies_of_two_ligands_sum_below_one():
    pa, pb = B.multi_ligand_occupancy([1.0, 3.0], [1.0, 1.0])
    assert pa + pb == pytest.approx(0.8)
    assert pb == pytest.approx(0.6)


def test_concentration_for_occupancy_inverts_occupancy():
    c = B.concentration_for_occupancy(np.array([0.1, 0.5, 0.9]), 0.11)
    assert np.allclose(B.hill_langmuir_occupancy(c, 0.11), [0.1, 0.5, 0.9])
    assert B.concentration_for_occupancy(0.9, 0.11) == pytest.approx(0.99)


def test_antagonist_for_dose_ratio_inverts_dose_ratio():
    assert B.antagonist_for_dose_ratio(10.0, 0.11) == pytest.approx(0.99)
    assert B.dose_ratio(B.antagonist_for_dose_ratio(37.0, 2.0), 2.0) == pytest.approx(37.0)


def test_pA2_conversions():
    assert B.nM_from_pA2(8.66) == pytest.approx(2.1878, rel=1e-4)  # Ko et al. 1998: KB ~2.2 nM
    assert B.pA2_from_nM(B.nM_from_pA2(9.3)) == pytest.approx(9.3)


# -- operational model ----------------------------------------------------------------------------
@given(a=conc, ka=pos)
def test_tau_zero_gives_no_response_at_any_concentration(a, ka):
    assert B.operational_response(a, ka, 0.0) == 0.0


def test_partial_agonist_ceiling_and_full_agonist():
    assert B.operational_emax(1.0) == pytest.approx(0.5)
    assert B.operational_emax(40.0) == pytest.approx(40 / 41)
    assert float(B.operational_response(1e12, 1.0, 1.0)) == pytest.approx(0.5, rel=1e-6)


@given(f=st.floats(0.01, 0.99), ka=pos, tau=st.floats(0.05, 100), b=conc, kb=pos)
def test_conc_for_fraction_inverts_the_operational_model(f, ka, tau, b, kb):
    a = B.operational_conc_for_fraction(f, ka, tau, antagonist_nM=b, antagonist_kd_nM=kb)
    e = B.operational_response(a, ka, tau, antagonist_nM=b, antagonist_kd_nM=kb)
    assert e / B.operational_emax(tau) == pytest.approx(f, rel=1e-9)
    a0 = B.operational_conc_for_fraction(f, ka, tau)
    occupancy = B.hill_langmuir_occupancy(a0, ka)
    assert occupancy == pytest.approx(B.occupancy_at_fraction_of_max(f, tau), rel=1e-9)


def test_half_maximum_needs_one_over_two_plus_tau_occupancy():
    assert B.occupancy_at_fraction_of_max(0.5, 0.0) == pytest.approx(0.5)
    assert B.occupancy_at_fraction_of_max(0.5, 38.0) == pytest.approx(1 / 40)


def test_ec50_falls_below_ka_with_receptor_reserve():
    """Black & Leff 1983: EC50 = KA / (1 + tau) for a slope of 1."""
    assert B.operational_ec50(1.2, 8.0) == pytest.approx(1.2 / 9.0)
    assert B.operational_ec50(1.0, 1.0, slope=2.0) == pytest.approx(1.0 / (math.sqrt(3.0) - 1.0))


@given(ka=pos, tau=st.floats(0.0, 100.0), b=conc, kb=pos)
@settings(max_examples=60)
def test_response_is_monotonic_and_bounded(ka, tau, b, kb):
    a = np.logspace(-4, 6, 200)
    r = B.operational_response(a, ka, tau, antagonist_nM=b, antagonist_kd_nM=kb)
    assert np.all(np.diff(r) >= -1e-12)
    assert np.all((r >= 0) & (r <= 1))


@given(st.lists(conc, min_size=2, max_size=20), pos, st.floats(0.3, 3.0))
@example([361269.0, 478155.0], 0.001, 1.84375)  # once fell by 1e-16 near full occupancy
def test_occupancy_in_unit_interval_and_monotonic(cs, kd, n):
    c = np.sort(np.array(cs))
    p = B.hill_langmuir_occupancy(c, kd, hill=n)
    assert np.all((p >= 0) & (p <= 1))
    assert np.all(np.diff(p) >= 0)


@given(a=conc, b1=conc, b2=conc, ka=pos, kb=pos)
def test_more_antagonist_never_raises_agonist_occupancy(a, b1, b2, ka, kb):
    lo, hi = sorted((b1, b2))
    assert B.competitive_occupancy(a, hi, ka, kb) <= B.competitive_occupancy(a, lo, ka, kb) + 1e-15


# -- Schild ---------------------------------------------------------------------------------------
@given(kb=st.floats(0.01, 100.0), n=st.integers(2, 8))
@settings(max_examples=40)
def test_schild_fit_of_noiseless_data_recovers_pkb_and_slope_one(kb, n):
    b = np.logspace(0, 3, n)
    fit = B.schild_regression(b, B.dose_ratio(b, kb))
    assert fit.pA2 == pytest.approx(9.0 - math.log10(kb), abs=1e-9)
    assert fit.slope == pytest.approx(1.0, abs=1e-9)
    assert fit.kb_nM == pytest.approx(kb, rel=1e-8)
    assert fit.pKB_slope_one == pytest.approx(fit.pA2, abs=1e-9)


def test_schild_fit_recovers_a_slope_that_is_not_one():
    b = np.array([1.0, 10.0, 100.0, 1000.0])
    fit = B.schild_regression(b, 1 + (b / 2.0) ** 0.7)
    assert fit.slope == pytest.approx(0.7, abs=1e-9)
    assert fit.pA2 == pytest.approx(9 - math.log10(2.0), abs=1e-9)


def test_schild_standard_errors_grow_with_noise():
    b = np.logspace(0, 3, 6)
    rng = np.random.default_rng(2017)
    dr = B.dose_ratio(b, 0.5) * 10 ** rng.normal(0, 0.1, b.size)
    noisy = B.schild_regression(b, dr)
    exact = B.schild_regression(b, B.dose_ratio(b, 0.5))
    assert noisy.pA2_se > 0.01 and noisy.slope_se > 0.01
    assert exact.pA2_se < 1e-9
    assert abs(noisy.pA2 - 9.30103) < 4 * noisy.pA2_se + 0.05


def test_organ_bath_simulation_is_seeded_and_recovers_kb():
    kw = dict(agonist_kd_nM=1.2, tau=8.0, antagonist_kb_nM=0.11, antagonist_nM=(1, 5, 25, 125))
    a = B.simulate_organ_bath(**kw, noise_sd=0.03, seed=2017)
    b = B.simulate_organ_bath(**kw, noise_sd=0.03, seed=2017)
    assert np.array_equal(a.response, b.response)
    fit = a.schild()
    assert fit.pA2 == pytest.approx(B.pA2_from_nM(0.11), abs=0.15)
    clean = B.simulate_organ_bath(**kw, noise_sd=0.0, seed=1).schild()
    assert clean.pA2 == pytest.approx(B.pA2_from_nM(0.11), abs=0.01)
    assert clean.slope == pytest.approx(1.0, abs=0.01)


def test_fit_concentration_response_recovers_a_logistic():
    c = np.logspace(-3, 3, 25)
    e = 0.8 / (1 + (0.5 / c) ** 1.3)
    f = B.fit_concentration_response(c, e)
    assert (f.ec50_nM, f.emax, f.hill) == pytest.approx((0.5, 0.8, 1.3), rel=1e-4)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), noise=st.floats(0.0, 0.15), log_ec50=st.floats(-2.0, 2.0),
       hill=st.floats(0.5, 2.5))
def test_the_fast_concentration_response_fit_finds_the_bounded_fits_optimum(seed, noise, log_ec50,
                                                                            hill):
    """fit_concentration_response tries MINPACK's unbounded fit first (10x faster, for the
    Schild widget) and keeps it only inside the bounds: the fit it returns has a residual no
    larger than the bounded trust-region fit's, on noisy curves of every shape the course uses."""
    from scipy import optimize

    c = np.logspace(-3, 4, 13)
    rng = np.random.default_rng(seed)
    e = 1.0 / (1 + (10**log_ec50 / c) ** hill) + rng.normal(0, noise, c.size)
    fit = B.fit_concentration_response(c, e)
    lc, top = np.log10(c), float(max(e.max(), 1e-12))
    half = e >= 0.5 * top
    guess = float(lc[np.argmax(half)]) if half.any() else float(lc[-1])
    p, _ = optimize.curve_fit(B._logistic, lc, e, p0=[guess, top, 1.0],
                              bounds=([lc.min() - 4, 0.0, 0.2], [lc.max() + 4, 10 * top, 5.0]))

    def sse(params):
        return float(np.sum((B._logistic(lc, *params) - e) ** 2))

    fast = sse([math.log10(fit.ec50_nM), fit.emax, fit.hill])
    assert fast <= sse(p) * (1 + 1e-6) + 1e-12
    assert 0.2 <= fit.hill <= 5.0 and fit.emax >= 0


def test_the_logistic_jacobian_matches_finite_differences():
    lc, p, eps = np.linspace(-3, 3, 11), np.array([0.4, 0.9, 1.4]), 1e-6
    numeric = np.column_stack([(B._logistic(lc, *(p + eps * np.eye(3)[i]))
                                - B._logistic(lc, *(p - eps * np.eye(3)[i]))) / (2 * eps)
                               for i in range(3)])
    assert np.allclose(B._logistic_jacobian(lc, *p), numeric, atol=1e-7)


# -- invalid input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: B.hill_langmuir_occupancy(-1.0, 1.0), "conc_nM must be >= 0; got -1.0"),
        (lambda: B.hill_langmuir_occupancy(1.0, 0.0), "kd_nM must be finite and > 0"),
        (lambda: B.hill_langmuir_occupancy(float("nan"), 1.0), "conc_nM must not contain NaN"),
        (lambda: B.hill_langmuir_occupancy("lots", 1.0), "conc_nM must be a number"),
        (lambda: B.competitive_occupancy(1.0, -2.0, 1.0, 1.0), "antagonist_nM must be >= 0; got -2.0"),
        (lambda: B.competitive_occupancy(1.0, 1.0, 0.0, 1.0), "agonist_kd_nM must be finite and > 0"),
        (lambda: B.competitive_occupancy([1.0, 2.0], [1.0, 2.0, 3.0], 1.0, 1.0),
         "do not broadcast together: agonist_nM (2,), antagonist_nM (3,)"),
        (lambda: B.dose_ratio([1.0, 2.0], [1.0, 2.0, 3.0]), "antagonist_nM (2,), antagonist_kb_nM (3,)"),
        (lambda: B.hill_langmuir_occupancy(1.0, 1.0, hill=[1.0, 2.0]), "hill must be a single number"),
        (lambda: B.operational_response(1.0, 1.0, 1.0, slope=[1, 2]), "slope must be a single number"),
        (lambda: B.multi_ligand_occupancy(1.0, 1.0), "must be lists (one entry per ligand)"),
        (lambda: B.operational_conc_for_fraction(1.2, 1.0, 1.0), "fraction must be a fraction in (0, 1)"),
        (lambda: B.occupancy_at_fraction_of_max(0.5, -1.0), "tau must be >= 0"),
        (lambda: B.dose_ratio(1.0, -0.1), "antagonist_kb_nM must be finite and > 0"),
        (lambda: B.concentration_for_occupancy(1.0, 1.0), "fraction must be a fraction in (0, 1)"),
        (lambda: B.operational_response(1.0, 1.0, -1.0), "tau must be >= 0"),
        (lambda: B.operational_ec50(1.0, 0.0), "tau must be finite and > 0"),
        (lambda: B.schild_regression([1.0, 10.0], [0.5, 3.0]), "dose_ratios must all be finite and > 1"),
        (lambda: B.schild_regression([1.0, 10.0], [2.0]), "equal length"),
        (lambda: B.schild_regression([5.0, 5.0], [2.0, 3.0]), "two distinct"),
        (lambda: B.nM_from_pA2(20), "pA2 must be between 0 and 14"),
        (lambda: B.antagonist_for_dose_ratio(0.5, 1.0), "target_dose_ratio must be finite and >= 1"),
        (lambda: B.multi_ligand_occupancy([1.0], [1.0, 2.0]), "equal length"),
        (lambda: B.simulate_organ_bath(agonist_kd_nM=1, tau=1, antagonist_kb_nM=1, noise_sd=0.9),
         "noise_sd must be a number in [0.0, 0.3]"),
        (lambda: B.simulate_organ_bath(agonist_kd_nM=1, tau=1, antagonist_kb_nM=1, seed=-3),
         "seed must be a whole number in [0, 4294967295]; got -3"),
        (lambda: B.simulate_organ_bath(agonist_kd_nM=1, tau=1, antagonist_kb_nM=1, seed=float("nan")),
         "seed must be a whole number"),
        (lambda: B.simulate_organ_bath(agonist_kd_nM=1, tau=1, antagonist_kb_nM=1, points_per_log=2.7),
         "points_per_log must be a whole number in [1, 6]; got 2.7"),
        (lambda: B.simulate_organ_bath(agonist_kd_nM=1, tau=[1, 2], antagonist_kb_nM=1),
         "tau must be a single number"),
    ],
)
def test_invalid_input_names_parameter_value_and_range(call, fragment):
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value)
