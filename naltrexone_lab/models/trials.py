"""How much can a small trial tell us? Effect sizes, power and the winner's curse.

Two-arm parallel trials with a continuous outcome, analysed by Student's t-test:

* **Effect size.** Cohen's ``d = (m1 - m2) / s_pooled`` with
  ``s_pooled^2 = ((n1 - 1) s1^2 + (n2 - 1) s2^2) / (n1 + n2 - 2)``; Hedges' ``g = J d`` removes
  d's small-sample bias with ``J = Gamma(df/2) / (sqrt(df/2) Gamma((df - 1)/2))``.
* **Power.** With a true effect ``d`` and ``n`` per arm, the t statistic follows a noncentral t
  distribution with ``df = 2n - 2`` and noncentrality ``d sqrt(n/2)``; power is the chance it
  falls beyond the two-sided critical value. A seeded simulation of the same trial must agree.
* **Winner's curse.** The observed effect of a small trial scatters widely around the truth;
  among trials that happen to be "significant", the observed effect overstates the true one.

The data are the course's two depression trials of low-dose naltrexone (:data:`MISCHOULON_2017`,
:data:`MOLONEY_2026`), as published.

References
----------
Cohen J (1988) Statistical Power Analysis for the Behavioral Sciences, 2nd ed. Erlbaum.
Hedges LV (1981) J Educ Stat 6:107-128 (the small-sample correction).
Mischoulon D, Hylek L, Yeung AS, et al. (2017) J Affect Disord 208:6-14.
Moloney BD, Forsyth A, Sumner RL, et al. (2026) Front Pharmacol, doi:10.3389/fphar.2026.1767654.
Button KS, Ioannidis JPA, Mokrysz C, et al. (2013) Nat Rev Neurosci 14:365-376 (small studies,
low power and inflated effects).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from ._lazy import special, stats
from ._validation import check_in_range, check_integer, check_positive, check_scalar

__all__ = [
    "MISCHOULON_2017",
    "MOLONEY_2026",
    "ScaleResult",
    "cohens_d",
    "critical_effect",
    "hedges_correction",
    "hedges_g",
    "observed_effect_density",
    "p_from_d",
    "power",
    "power_curve",
    "sample_size",
    "simulated_power",
    "winners_curse",
]


@dataclass(frozen=True)
class ScaleResult:
    """One outcome of a two-arm trial as published: means and SDs at baseline and endpoint.

    Attributes
    ----------
    scale : str
    n_drug, n_placebo : int
    drug_baseline, drug_end, placebo_baseline, placebo_end : tuple of (mean, sd), scale points
    published_d : float
        Cohen's d as the paper reports it.
    published_p : float
    primary : bool
    """

    scale: str
    n_drug: int
    n_placebo: int
    drug_baseline: tuple
    drug_end: tuple
    placebo_baseline: tuple
    placebo_end: tuple
    published_d: float
    published_p: float
    primary: bool = False

    @property
    def endpoint_d(self) -> float:
        """Cohen's d from the endpoint means and SDs (placebo minus drug: lower is better)."""
        (m1, s1), (m2, s2) = self.placebo_end, self.drug_end
        return float(cohens_d(m1, s1, self.n_placebo, m2, s2, self.n_drug))


#: Mischoulon et al. 2017 J Affect Disord 208:6-14: naltrexone 1 mg twice daily or placebo for
#: 3 weeks, added to antidepressants, 6 per arm (read in the abstract's tables, H). The
#: published d values do not follow from the endpoint SDs (they were probably computed another
#: way, e.g. from change scores), but they do give the published p values through a t-test with
#: 10 degrees of freedom (:func:`p_from_d`); the course reports both.
MISCHOULON_2017 = {
    "HAM-D-17": ScaleResult("HAM-D-17", 6, 6, (21.2, 2.0), (11.7, 7.7), (23.7, 2.3), (17.8, 5.9),
                            0.62, 0.3, primary=True),
    "MADRS-10": ScaleResult("MADRS-10", 6, 6, (30.4, 4.9), (12.2, 8.4), (30.7, 4.3), (22.8, 8.5),
                            1.45, 0.035),
    "CGI-S": ScaleResult("CGI-S", 6, 6, (4.3, 0.5), (3.0, 1.1), (4.3, 0.5), (4.0, 0.6), 1.22, 0.064),
}

#: Moloney et al. 2026 Front Pharmacol: up to 4.5 mg for 12 weeks, 37 randomised; MADRS fell by
#: 10.5 +/- 5.6 on LDN and 9.8 +/- 5.9 on placebo, p = 0.97 (H). Per-arm n not retrieved.
MOLONEY_2026 = {"n_randomised": 37, "drug_change": (10.5, 5.6), "placebo_change": (9.8, 5.9), "p": 0.97}


def cohens_d(mean1, sd1, n1, mean2, sd2, n2):
    """Cohen's d of group 1 over group 2, with the pooled standard deviation.

    Examples
    --------
    >>> round(float(cohens_d(17.8, 5.9, 6, 11.7, 7.7, 6)), 2)  # Mischoulon HAM-D-17 endpoints
    0.89
    """
    m1, m2 = check_scalar("mean1", mean1), check_scalar("mean2", mean2)
    s1, s2 = float(check_positive("sd1", sd1)), float(check_positive("sd2", sd2))
    n1, n2 = check_integer("n1", n1, 2, 10**7), check_integer("n2", n2, 2, 10**7)
    pooled = math.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2))
    return (m1 - m2) / pooled


def hedges_correction(df: int) -> float:
    """Hedges' exact small-sample factor J for ``df`` degrees of freedom (about 1 - 3/(4 df - 1))."""
    df = check_integer("df", df, 2, 10**7)
    return float(math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2))


def hedges_g(mean1, sd1, n1, mean2, sd2, n2):
    """Hedges' g: Cohen's d times J(n1 + n2 - 2)."""
    return cohens_d(mean1, sd1, n1, mean2, sd2, n2) * hedges_correction(int(n1) + int(n2) - 2)


def p_from_d(d, n1: int, n2: int) -> float:
    """Two-sided p value of a two-sample t-test whose effect size is ``d``:
    ``t = d / sqrt(1/n1 + 1/n2)`` with ``n1 + n2 - 2`` degrees of freedom.

    Examples
    --------
    >>> round(p_from_d(1.45, 6, 6), 3)  # Mischoulon's MADRS-10 (published p = 0.035)
    0.031
    """
    d = check_scalar("d", d)
    n1, n2 = check_integer("n1", n1, 2, 10**7), check_integer("n2", n2, 2, 10**7)
    t = abs(d) / math.sqrt(1.0 / n1 + 1.0 / n2)
    return float(2.0 * stats.t.sf(t, n1 + n2 - 2))


def _check(d, n, alpha):
    d = check_in_range("d", d, -10.0, 10.0)
    n = check_integer("n_per_arm", n, 2, 10**6)
    alpha = check_in_range("alpha", alpha, 1e-6, 0.5)
    return d, n, alpha


def power(d, n_per_arm, alpha: float = 0.05) -> float:
    """Two-sided power of a t-test with ``n_per_arm`` per arm for a true effect ``d``.

    Examples
    --------
    >>> round(power(0.0, 20), 3)  # no effect: the false-positive rate
    0.05
    >>> round(power(0.62, 6), 2)  # Mischoulon's size at its primary effect size
    0.16
    """
    d, n, alpha = _check(d, n_per_arm, alpha)
    df = 2 * n - 2
    crit = stats.t.ppf(1 - alpha / 2, df)
    nc = d * math.sqrt(n / 2)
    upper = stats.nct.sf(crit, df, nc)
    lower = stats.nct.cdf(-crit, df, nc)
    if not np.isfinite(upper):  # scipy's noncentral t can fail far in the tail
        upper = 1.0 - stats.nct.cdf(crit, df, nc)
    if not np.isfinite(upper):
        upper = stats.norm.sf(crit - nc)
    if not np.isfinite(lower):
        lower = stats.norm.cdf(-crit - nc)
    return float(min(1.0, upper + lower))


def power_curve(d, n_per_arm, alpha: float = 0.05) -> np.ndarray:
    """:func:`power` for an array of trial sizes at once (same method, vectorised)."""
    d, _, alpha = _check(d, 2, alpha)
    n = np.asarray(n_per_arm, dtype=float)
    if n.ndim != 1 or np.any(n < 2) or np.any(n != np.round(n)):
        raise ValueError(f"n_per_arm must be a 1-D array of whole numbers >= 2; got {n_per_arm!r}")
    df = 2 * n - 2
    crit = stats.t.ppf(1 - alpha / 2, df)
    nc = d * np.sqrt(n / 2)
    out = stats.nct.sf(crit, df, nc) + stats.nct.cdf(-crit, df, nc)
    bad = ~np.isfinite(out)
    if bad.any():
        out[bad] = [power(d, int(k), alpha) for k in n[bad]]
    return np.minimum(out, 1.0)


def simulated_power(d, n_per_arm, alpha: float = 0.05, n_trials: int = 20_000, seed: int = 2017) -> float:
    """Power estimated by simulating ``n_trials`` seeded trials (normal outcomes, SD 1) and
    counting two-sided t-test p values below ``alpha``."""
    d, n, alpha = _check(d, n_per_arm, alpha)
    n_trials = check_integer("n_trials", n_trials, 10, 10**7)
    rng = np.random.default_rng(seed)
    drug = rng.normal(d, 1.0, size=(n_trials, n))
    placebo = rng.normal(0.0, 1.0, size=(n_trials, n))
    p = stats.ttest_ind(drug, placebo, axis=1).pvalue
    return float(np.mean(p < alpha))


def sample_size(d, target_power: float = 0.8, alpha: float = 0.05) -> int:
    """Smallest n per arm whose two-sided power for effect ``d`` reaches ``target_power``.

    Examples
    --------
    >>> sample_size(0.62)
    42
    """
    d = check_in_range("d", d, 0.01, 10.0)
    target = check_in_range("target_power", target_power, 0.06, 0.999)
    check_in_range("alpha", alpha, 1e-6, 0.5)
    n = 2
    # the normal approximation is within a few of the answer; start just below it
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(target)
    n = max(2, int(2 * (z / d) ** 2) - 5)
    while power(d, n, alpha) < target:
        n += 1
    return n


def _observed_sd(d: float, n: int) -> float:
    """Approximate SD of the observed d with n per arm: sqrt(2/n + d^2 / (4 n)) (Hedges 1981)."""
    return math.sqrt(2.0 / n + d * d / (4.0 * n))


def observed_effect_density(d_grid, d, n_per_arm):
    """Probability density of the *observed* Cohen's d of a trial with ``n_per_arm`` per arm and
    true effect ``d``: the observed d is ``t sqrt(2/n)`` with t noncentral. Where scipy's
    noncentral t overflows (large trials and effects), the normal approximation with Hedges'
    mean ``d / J`` and variance ``2/n + d^2/(4n)`` is used instead; the two agree there."""
    d, n, _ = _check(d, n_per_arm, 0.05)
    x = np.asarray(d_grid, dtype=float)
    scale = math.sqrt(2.0 / n)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            pdf = stats.nct.pdf(x / scale, 2 * n - 2, d / scale) / scale
    except OverflowError:
        pdf = np.full(x.shape, np.nan)
    if not np.all(np.isfinite(pdf)):
        mean = d / hedges_correction(2 * n - 2)
        pdf = stats.norm.pdf(x, mean, _observed_sd(d, n))
    return pdf


def critical_effect(n_per_arm, alpha: float = 0.05) -> float:
    """The smallest observed Cohen's d that reaches two-sided significance with ``n_per_arm``
    per arm: ``t* sqrt(2/n)``.

    Examples
    --------
    >>> round(critical_effect(6), 2)
    1.29
    """
    _, n, alpha = _check(0.0, n_per_arm, alpha)
    return float(stats.t.ppf(1 - alpha / 2, 2 * n - 2) * math.sqrt(2.0 / n))


def winners_curse(d, n_per_arm, alpha: float = 0.05) -> float:
    """Mean observed d among trials significant in the expected direction, divided by the true
    d (by integrating :func:`observed_effect_density` above the critical observed d). 1 means
    no inflation."""
    d, n, alpha = _check(d, n_per_arm, alpha)
    if d <= 0:
        raise ValueError(f"d must be > 0 for a winner's curse ratio; got {d}")
    crit_d = critical_effect(n, alpha)
    sd = _observed_sd(d, n)
    x = np.linspace(crit_d, max(crit_d, d) + 12.0 * sd + 12.0 * math.sqrt(2.0 / n), 4001)
    f = observed_effect_density(x, d, n)
    mass = np.trapezoid(f, x)
    if not mass > 1e-12:
        return float("inf")
    return float(np.trapezoid(x * f, x) / mass / d)
