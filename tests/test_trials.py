"""Tests of naltrexone_lab.models.trials: effect sizes, power by two methods, sample size, the pilot."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from naltrexone_lab.models import trials as T


@pytest.mark.parametrize("d, n", [(0.3, 20), (0.62, 6), (0.8, 15), (1.45, 6), (0.5, 64)])
def test_power_by_noncentral_t_and_by_simulation_agree(d, n):
    """Within simulation error: 4 binomial standard errors of 20 000 seeded trials."""
    analytic = T.power(d, n)
    simulated = T.simulated_power(d, n, n_trials=20_000)
    se = math.sqrt(analytic * (1 - analytic) / 20_000)
    assert abs(simulated - analytic) < 4 * se + 1e-9


def test_power_curve_is_power_for_each_size():
    n = np.array([2, 6, 42, 300])
    assert np.allclose(T.power_curve(0.62, n), [T.power(0.62, int(k)) for k in n])


def test_five_percent_rejection_at_no_effect():
    assert T.power(0.0, 12) == pytest.approx(0.05, abs=1e-9)
    assert T.simulated_power(0.0, 12, n_trials=40_000) == pytest.approx(0.05, abs=0.005)


def test_sample_size_for_80_percent_at_d_0_62_is_the_textbook_42():
    """Cohen 1988's formula n = 2 (z_0.975 + z_0.8)^2 / d^2 gives 41 by the normal approximation;
    the exact t-test answer is 42 per arm."""
    n = T.sample_size(0.62)
    assert n == 42
    assert T.power(0.62, n) >= 0.8 > T.power(0.62, n - 1)
    assert abs(n - 2 * (1.959964 + 0.841621) ** 2 / 0.62 ** 2) < 2


def test_mischoulon_2017_primary_outcome_and_power():
    """Mischoulon et al. 2017: 6 per arm; the primary outcome (HAM-D-17) had d = 0.62 and p = 0.3.
    A trial of that size detects d = 0.62 with 16% power (within 1 point)."""
    primary = T.MISCHOULON_2017["HAM-D-17"]
    assert primary.primary and primary.n_drug == primary.n_placebo == 6
    assert primary.published_d == 0.62 and primary.published_p == 0.3
    assert T.power(primary.published_d, 6) == pytest.approx(0.16, abs=0.01)


@pytest.mark.parametrize("scale, endpoint_d", [("HAM-D-17", 0.89), ("MADRS-10", 1.25), ("CGI-S", 1.13)])
def test_mischoulon_endpoint_effect_sizes_are_recomputed_and_differ_from_the_published(scale, endpoint_d):
    """Recomputed from the published endpoint means and SDs (within 0.01); the paper's d values
    (0.62, 1.45, 1.22) were computed another way, which the chapter points out."""
    result = T.MISCHOULON_2017[scale]
    assert result.endpoint_d == pytest.approx(endpoint_d, abs=0.01)
    assert abs(result.endpoint_d - result.published_d) > 0.05


@pytest.mark.parametrize("scale", ["HAM-D-17", "MADRS-10", "CGI-S"])
def test_mischoulon_published_d_reproduces_the_published_p(scale):
    """Mischoulon et al. 2017: each published d gives the published p through a two-sample
    t-test with 10 degrees of freedom (HAM-D-17 0.3, MADRS-10 0.035, CGI-S 0.064); tolerance
    0.01 in p."""
    result = T.MISCHOULON_2017[scale]
    assert T.p_from_d(result.published_d, result.n_drug, result.n_placebo) == pytest.approx(
        result.published_p, abs=0.01)


@pytest.mark.parametrize("n", [3, 30, 81, 170, 300])
def test_trial_figures_stay_finite_over_the_whole_slider(n):
    x = np.linspace(-2, 4, 601)
    for d in (0.1, 0.62, 1.5):
        dens = T.observed_effect_density(x, d, n)
        assert np.all(np.isfinite(dens))
        if n >= 30:  # smaller trials spread beyond the plotted range
            assert np.trapezoid(dens, x) == pytest.approx(1.0, abs=0.02)
        assert np.isfinite(T.winners_curse(d, n)) and T.winners_curse(d, n) >= 1.0 - 1e-3


def test_moloney_2026_effect_is_near_zero():
    """Moloney et al. 2026: MADRS change 10.5 +/- 5.6 versus 9.8 +/- 5.9 (p = 0.97). The per-arm
    sizes were not retrieved; 18 and 19 of the 37 randomised is an assumption."""
    (m1, s1), (m2, s2) = T.MOLONEY_2026["drug_change"], T.MOLONEY_2026["placebo_change"]
    d = T.cohens_d(m1, s1, 18, m2, s2, 19)
    assert 0.0 < d < 0.2


def test_hedges_correction_matches_the_approximation():
    for df in (10, 20, 100):
        assert T.hedges_correction(df) == pytest.approx(1 - 3 / (4 * df - 1), abs=2e-3)


def test_observed_effect_density_integrates_to_one_and_centres_near_the_truth():
    x = np.linspace(-4, 6, 4001)
    pdf = T.observed_effect_density(x, 0.62, 6)
    assert np.trapezoid(pdf, x) == pytest.approx(1.0, abs=1e-3)
    mean = np.trapezoid(x * pdf, x)
    assert 0.62 < mean < 0.62 / T.hedges_correction(10) + 0.01  # d is biased upwards by 1/J


def test_winners_curse_inflates_small_trials_more():
    small, large = T.winners_curse(0.62, 6), T.winners_curse(0.62, 42)
    assert small > 2.0 and 1.0 < large < small


@given(d=st.floats(0.05, 2.0), n1=st.integers(3, 60), n2=st.integers(3, 60))
@settings(max_examples=60)
def test_power_rises_with_effect_and_size(d, n1, n2):
    lo, hi = sorted((n1, n2))
    assert T.power(d, hi) >= T.power(d, lo) - 1e-12
    assert T.power(d + 0.1, lo) >= T.power(d, lo) - 1e-12
    assert 0.0 <= T.power(d, lo) <= 1.0


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: T.cohens_d(1, 0.0, 5, 0, 1, 5), "sd1"),
        (lambda: T.cohens_d(1, 1, 1, 0, 1, 5), "n1"),
        (lambda: T.power(0.5, 1), "n_per_arm"),
        (lambda: T.power(0.5, 10, alpha=0.9), "alpha"),
        (lambda: T.sample_size(0.0), "d"),
        (lambda: T.sample_size(0.5, target_power=1.0), "target_power"),
        (lambda: T.simulated_power(0.5, 10, n_trials=1), "n_trials"),
        (lambda: T.winners_curse(0.0, 10), "d"),
        (lambda: T.power(float("nan"), 10), "d"),
    ],
)
def test_invalid_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
