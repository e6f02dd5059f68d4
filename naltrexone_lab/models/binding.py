"""Receptor binding, competitive antagonism and agonist efficacy.

The equations of chapter 1, written once and vectorised over concentrations:

* Hill-Langmuir occupancy  ``p = C^n / (C^n + Kd^n)``;
* competitive occupancy of several ligands at one site (Gaddum):
  ``p_i = (C_i/K_i) / (1 + sum_j C_j/K_j)``;
* the Schild dose ratio ``DR = 1 + B/KB`` and a Schild regression of ``log10(DR - 1)`` on
  ``log10 B`` (pA2 and slope with standard errors);
* the operational model of agonism (Black & Leff 1983), in which efficacy ``tau`` makes full
  agonists, partial agonists and antagonists (``tau = 0``) one family;
* a seeded, simulated organ-bath experiment to practise Schild analysis on.

All concentrations are in nM. Everything here is pure numpy/scipy: no plotting, no widgets.

References
----------
Hill AV (1910) J Physiol 40:iv-vii. Langmuir I (1918) J Am Chem Soc 40:1361-1403.
Gaddum JH (1937) J Physiol 89:7P-9P.
Arunlakshana O, Schild HO (1959) Br J Pharmacol Chemother 14:48-58.
Black JW, Leff P (1983) Proc R Soc Lond B 220:141-162.
Kenakin T (2009) A Pharmacology Primer, 3rd ed., Academic Press (receptor reserve, chapter 3-6).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ._lazy import optimize
from ._validation import (
    as_float_array,
    broadcast,
    check_fraction,
    check_in_range,
    check_integer,
    check_nonnegative,
    check_positive,
    check_scalar,
    scalar_or_array,
)

__all__ = [
    "ConcentrationResponseFit",
    "OrganBathExperiment",
    "SchildFit",
    "antagonist_for_dose_ratio",
    "competitive_occupancy",
    "concentration_for_occupancy",
    "dose_ratio",
    "fit_concentration_response",
    "hill_langmuir_occupancy",
    "multi_ligand_occupancy",
    "nM_from_pA2",
    "occupancy_at_fraction_of_max",
    "operational_conc_for_fraction",
    "operational_ec50",
    "operational_emax",
    "operational_response",
    "pA2_from_nM",
    "schild_regression",
    "simulate_organ_bath",
    "tau_at_density",
]


def hill_langmuir_occupancy(conc_nM, kd_nM, hill: float = 1.0):
    """Fraction of receptors occupied by a single ligand at equilibrium.

    ``p = C^n / (C^n + Kd^n)``; with ``n = 1`` this is the Langmuir isotherm.

    Parameters
    ----------
    conc_nM : float or ndarray, nM
        Free ligand concentration (>= 0; +inf gives full occupancy).
    kd_nM : float or ndarray, nM
        Equilibrium dissociation constant (> 0): the concentration occupying half the receptors.
    hill : float, dimensionless
        Hill coefficient (> 0); 1 for simple one-site binding.

    Returns
    -------
    float or ndarray
        Occupancy in [0, 1], broadcast over the inputs.

    References
    ----------
    Hill AV (1910) J Physiol 40:iv-vii; Langmuir I (1918) J Am Chem Soc 40:1361-1403.

    Examples
    --------
    >>> float(hill_langmuir_occupancy(1.0, 1.0))
    0.5
    >>> round(float(hill_langmuir_occupancy(9.0, 1.0)), 12)
    0.9
    """
    c = check_nonnegative("conc_nM", conc_nM, allow_inf=True)
    kd = check_positive("kd_nM", kd_nM)
    n = _positive_scalar("hill", hill)
    c, kd = broadcast(conc_nM=c, kd_nM=kd)
    # written as 1 / (1 + (Kd/C)^n): each step is monotone in C, so occupancy never falls by a
    # rounding step as C rises (C^n / (C^n + Kd^n) did, near full occupancy); C = 0 gives 0 and
    # C = inf gives 1 without a special case
    with np.errstate(divide="ignore", over="ignore"):
        p = 1.0 / (1.0 + (kd / c) ** n)
    return scalar_or_array(p)


def multi_ligand_occupancy(concs_nM, kds_nM):
    """Occupancy of each of several ligands competing for one site (Gaddum's equation).

    ``p_i = (C_i / K_i) / (1 + sum_j C_j / K_j)``

    Parameters
    ----------
    concs_nM : sequence of (float or ndarray), nM
        Free concentration of each ligand (>= 0). Arrays broadcast against each other.
    kds_nM : sequence of float, nM
        Dissociation constant of each ligand (> 0), same length as ``concs_nM``.

    Returns
    -------
    list of ndarray
        Occupancy of each ligand; their sum is the fraction of receptors bound, always < 1.

    References
    ----------
    Gaddum JH (1937) J Physiol 89:7P-9P.

    Examples
    --------
    >>> [round(float(p), 3) for p in multi_ligand_occupancy([1.0, 1.0], [1.0, 1.0])]
    [0.333, 0.333]
    """
    if not isinstance(concs_nM, (list, tuple)) or not isinstance(kds_nM, (list, tuple)):
        raise ValueError(
            "concs_nM and kds_nM must be lists (one entry per ligand); "
            f"got {type(concs_nM).__name__} and {type(kds_nM).__name__}"
        )
    if len(concs_nM) != len(kds_nM) or len(concs_nM) == 0:
        raise ValueError(
            "concs_nM and kds_nM must be non-empty and of equal length; "
            f"got {len(concs_nM)} concentrations and {len(kds_nM)} Kd values"
        )
    ratios = []
    for i, (c, k) in enumerate(zip(concs_nM, kds_nM)):
        c = check_nonnegative(f"concs_nM[{i}]", c)
        k = check_positive(f"kds_nM[{i}]", k)
        ratios.append(c / k)
    ratios = broadcast(**{f"concs_nM[{i}]/kds_nM[{i}]": r for i, r in enumerate(ratios)})
    denominator = 1.0 + sum(ratios)
    return [r / denominator for r in ratios]


def competitive_occupancy(agonist_nM, antagonist_nM, agonist_kd_nM, antagonist_kd_nM):
    """Fraction of receptors bound by the agonist when a competitive antagonist is present.

    Gaddum: ``p_A = A / (A + KA (1 + B / KB))``. Without antagonist (``B = 0``) this is the
    Hill-Langmuir occupancy with ``n = 1``; the antagonist multiplies the agonist's apparent Kd
    by ``1 + B/KB`` and leaves the maximum (1) unchanged: the block is surmountable.

    Parameters
    ----------
    agonist_nM : float or ndarray, nM
        Free agonist concentration A (>= 0).
    antagonist_nM : float or ndarray, nM
        Free antagonist concentration B (>= 0).
    agonist_kd_nM : float, nM
        Agonist dissociation constant KA (> 0).
    antagonist_kd_nM : float, nM
        Antagonist dissociation constant KB (> 0).

    Returns
    -------
    float or ndarray
        Agonist occupancy in [0, 1).

    References
    ----------
    Gaddum JH (1937) J Physiol 89:7P-9P.

    Examples
    --------
    >>> round(float(competitive_occupancy(1.0, 0.0, 1.0, 1.0)), 3)
    0.5
    >>> round(float(competitive_occupancy(1.0, 9.0, 1.0, 1.0)), 3)
    0.091
    """
    a = check_nonnegative("agonist_nM", agonist_nM)
    b = check_nonnegative("antagonist_nM", antagonist_nM)
    ka = check_positive("agonist_kd_nM", agonist_kd_nM)
    kb = check_positive("antagonist_kd_nM", antagonist_kd_nM)
    a, b, ka, kb = broadcast(agonist_nM=a, antagonist_nM=b, agonist_kd_nM=ka, antagonist_kd_nM=kb)
    p_agonist, _ = multi_ligand_occupancy([a, b], [ka, kb])
    return scalar_or_array(p_agonist)


def concentration_for_occupancy(fraction, kd_nM, hill: float = 1.0):
    """Free concentration (nM) that occupies ``fraction`` of receptors.

    Inverse of :func:`hill_langmuir_occupancy`: ``C = Kd (p / (1 - p))^(1/n)``.

    Parameters
    ----------
    fraction : float or ndarray
        Target occupancy, strictly between 0 and 1.
    kd_nM : float, nM
        Dissociation constant (> 0).
    hill : float
        Hill coefficient (> 0).

    Examples
    --------
    >>> round(float(concentration_for_occupancy(0.9, 0.5)), 9)
    4.5
    """
    p = check_fraction("fraction", fraction, open_low=True, open_high=True)
    kd = check_positive("kd_nM", kd_nM)
    n = _positive_scalar("hill", hill)
    p, kd = broadcast(fraction=p, kd_nM=kd)
    return scalar_or_array(kd * (p / (1.0 - p)) ** (1.0 / n))


def dose_ratio(antagonist_nM, antagonist_kb_nM):
    """Schild dose ratio: the factor by which a competitive antagonist shifts agonist EC50.

    ``DR = 1 + B / KB``; it does not depend on the agonist or its efficacy.

    Parameters
    ----------
    antagonist_nM : float or ndarray, nM
        Antagonist concentration B (>= 0).
    antagonist_kb_nM : float, nM
        Antagonist equilibrium dissociation constant KB (> 0).

    References
    ----------
    Arunlakshana O, Schild HO (1959) Br J Pharmacol Chemother 14:48-58.

    Examples
    --------
    >>> float(dose_ratio(10.0, 1.0))
    11.0
    """
    b = check_nonnegative("antagonist_nM", antagonist_nM)
    kb = check_positive("antagonist_kb_nM", antagonist_kb_nM)
    b, kb = broadcast(antagonist_nM=b, antagonist_kb_nM=kb)
    return scalar_or_array(1.0 + b / kb)


def antagonist_for_dose_ratio(target_dose_ratio, antagonist_kb_nM):
    """Antagonist concentration (nM) giving a chosen dose ratio: ``B = KB (DR - 1)``.

    Examples
    --------
    >>> float(antagonist_for_dose_ratio(10.0, 2.0))
    18.0
    """
    dr = as_float_array("target_dose_ratio", target_dose_ratio)
    if (dr < 1).any() or np.isinf(dr).any():
        raise ValueError(f"target_dose_ratio must be finite and >= 1; got {target_dose_ratio!r}")
    kb = check_positive("antagonist_kb_nM", antagonist_kb_nM)
    return scalar_or_array(kb * (dr - 1.0))


def pA2_from_nM(kb_nM):
    """pA2 (or pKB) from a dissociation constant in nM: ``-log10(KB in mol/L)``.

    Examples
    --------
    >>> round(float(pA2_from_nM(1.0)), 6)
    9.0
    """
    kb = check_positive("kb_nM", kb_nM)
    return scalar_or_array(-np.log10(kb * 1e-9))


def nM_from_pA2(pA2):
    """Dissociation constant in nM from pA2 (or pKB): ``KB = 10^(-pA2) mol/L``.

    Examples
    --------
    >>> round(float(nM_from_pA2(8.66)), 3)
    2.188
    """
    p = as_float_array("pA2", pA2)
    if (p < 0).any() or (p > 14).any():
        raise ValueError(f"pA2 must be between 0 and 14 (-log10 of a molar concentration); got {pA2!r}")
    return scalar_or_array(10.0 ** (9.0 - p))


def operational_response(
    agonist_nM,
    agonist_kd_nM,
    tau,
    *,
    emax: float = 1.0,
    slope: float = 1.0,
    antagonist_nM=0.0,
    antagonist_kd_nM: float = 1.0,
):
    """Response to an agonist in the operational model, optionally with a competitive antagonist.

    ``E = Em tau^n A^n / ((KA (1 + B/KB) + A)^n + tau^n A^n)``

    ``tau`` is the efficacy (receptor density over the transducer constant, ``[R0]/KE``): large for
    a full agonist, near 1 for a partial agonist, 0 for a neutral antagonist, which then gives no
    response at any concentration. Because ``tau`` is proportional to receptor density, scaling it
    models receptor reserve.

    Parameters
    ----------
    agonist_nM : float or ndarray, nM
        Agonist concentration A (>= 0).
    agonist_kd_nM : float, nM
        Agonist dissociation constant KA (> 0).
    tau : float, dimensionless
        Operational efficacy (>= 0).
    emax : float, response units
        System maximum Em (> 0); 1 gives responses as a fraction of the system maximum.
    slope : float, dimensionless
        Transducer slope n (> 0).
    antagonist_nM : float or ndarray, nM
        Competitive antagonist concentration B (>= 0).
    antagonist_kd_nM : float, nM
        Antagonist dissociation constant KB (> 0).

    References
    ----------
    Black JW, Leff P (1983) Proc R Soc Lond B 220:141-162.

    Examples
    --------
    >>> float(operational_response(1e6, 1.0, 0.0))
    0.0
    >>> round(float(operational_response(1e9, 1.0, 1.0)), 3)
    0.5
    """
    a = check_nonnegative("agonist_nM", agonist_nM)
    ka = check_positive("agonist_kd_nM", agonist_kd_nM)
    t = check_nonnegative("tau", tau)
    em = check_positive("emax", emax)
    n = _positive_scalar("slope", slope)
    b = check_nonnegative("antagonist_nM", antagonist_nM)
    kb = check_positive("antagonist_kd_nM", antagonist_kd_nM)
    a, ka, t, em, b, kb = broadcast(agonist_nM=a, agonist_kd_nM=ka, tau=t, emax=em,
                                    antagonist_nM=b, antagonist_kd_nM=kb)
    ka_apparent = ka * (1.0 + b / kb)
    num = (t * a) ** n
    return scalar_or_array(em * num / ((ka_apparent + a) ** n + num))


def operational_emax(tau, *, emax: float = 1.0, slope: float = 1.0):
    """Maximal response the agonist can reach: ``Em tau^n / (1 + tau^n)``.

    Examples
    --------
    >>> float(operational_emax(1.0))
    0.5
    """
    t = check_nonnegative("tau", tau)
    em = check_positive("emax", emax)
    n = _positive_scalar("slope", slope)
    return scalar_or_array(em * t**n / (1.0 + t**n))


def operational_ec50(agonist_kd_nM, tau, *, slope: float = 1.0):
    """Agonist concentration (nM) giving half of its own maximal response.

    ``EC50 = KA / ((2 + tau^n)^(1/n) - 1)``; for ``n = 1``, ``KA / (1 + tau)``: the more efficacy
    (receptor reserve), the further EC50 falls below KA. Undefined for ``tau = 0``.

    Examples
    --------
    >>> float(operational_ec50(10.0, 4.0))
    2.0
    """
    ka = check_positive("agonist_kd_nM", agonist_kd_nM)
    t = check_positive("tau", tau)
    n = _positive_scalar("slope", slope)
    return scalar_or_array(ka / ((2.0 + t**n) ** (1.0 / n) - 1.0))


def tau_at_density(tau_reference, density_fraction):
    """Efficacy at another receptor density: ``tau = [R0] / KE`` scales with ``[R0]``.

    Parameters
    ----------
    tau_reference : float or ndarray, dimensionless
        Efficacy at the reference density (>= 0).
    density_fraction : float or ndarray, dimensionless
        Receptor density relative to the reference (> 0; 2 means twice as many receptors).

    References
    ----------
    Black JW, Leff P (1983) Proc R Soc Lond B 220:141-162.

    Examples
    --------
    >>> float(tau_at_density(1.0, 0.3))
    0.3
    """
    t = check_nonnegative("tau_reference", tau_reference)
    d = check_positive("density_fraction", density_fraction)
    t, d = broadcast(tau_reference=t, density_fraction=d)
    return scalar_or_array(t * d)


def operational_conc_for_fraction(fraction, agonist_kd_nM, tau, *, antagonist_nM=0.0,
                                  antagonist_kd_nM: float = 1.0):
    """Agonist concentration (nM) giving ``fraction`` of the agonist's own maximal response.

    For transducer slope 1, ``E / Emax = (1 + tau) A / (KA' + (1 + tau) A)`` with
    ``KA' = KA (1 + B/KB)``, so ``A = f KA' / ((1 + tau)(1 - f))``. With ``f = 0.5`` this is the
    EC50; a competitive antagonist multiplies every such concentration by the dose ratio.

    Parameters
    ----------
    fraction : float or ndarray
        Fraction of the agonist's maximum, strictly between 0 and 1.
    agonist_kd_nM : float, nM
    tau : float, dimensionless, > 0
    antagonist_nM : float or ndarray, nM
    antagonist_kd_nM : float, nM

    References
    ----------
    Black JW, Leff P (1983) Proc R Soc Lond B 220:141-162.

    Examples
    --------
    >>> round(float(operational_conc_for_fraction(0.9, 1.2, 8.0)), 6)
    1.2
    """
    f = check_fraction("fraction", fraction, open_low=True, open_high=True)
    ka = check_positive("agonist_kd_nM", agonist_kd_nM)
    t = check_positive("tau", tau)
    b = check_nonnegative("antagonist_nM", antagonist_nM)
    kb = check_positive("antagonist_kd_nM", antagonist_kd_nM)
    f, ka, t, b, kb = broadcast(fraction=f, agonist_kd_nM=ka, tau=t, antagonist_nM=b,
                                antagonist_kd_nM=kb)
    return scalar_or_array(f * ka * (1.0 + b / kb) / ((1.0 + t) * (1.0 - f)))


def occupancy_at_fraction_of_max(fraction, tau):
    """Receptor occupancy the agonist needs to give ``fraction`` of its own maximum.

    ``p = f / ((1 + tau)(1 - f) + f)`` (transducer slope 1); at half-maximum ``1 / (2 + tau)``.
    The larger the efficacy (receptor reserve), the smaller the occupancy needed.

    Examples
    --------
    >>> round(float(occupancy_at_fraction_of_max(0.5, 8.0)), 6)
    0.1
    """
    f = check_fraction("fraction", fraction, open_low=True, open_high=True)
    t = check_nonnegative("tau", tau)
    f, t = broadcast(fraction=f, tau=t)
    return scalar_or_array(f / ((1.0 + t) * (1.0 - f) + f))


@dataclass(frozen=True)
class SchildFit:
    """Result of a Schild regression of ``log10(DR - 1)`` on ``log10(B / M)``.

    Attributes
    ----------
    pA2 : float, -log10(mol/L)
        Negative log of the antagonist concentration giving DR = 2 (the x-intercept, negated).
    pA2_se : float
        Standard error of pA2 (delta method from the regression covariance).
    slope : float, dimensionless
        Schild slope; 1 for simple competitive antagonism at equilibrium.
    slope_se : float
        Standard error of the slope.
    intercept : float
        Regression intercept.
    pKB_slope_one : float, -log10(mol/L)
        pKB estimated with the slope constrained to 1 (mean of ``log10(DR-1) - log10 B``).
    n_points : int
        Number of antagonist concentrations used.
    """

    pA2: float
    pA2_se: float
    slope: float
    slope_se: float
    intercept: float
    pKB_slope_one: float
    n_points: int

    @property
    def kb_nM(self) -> float:
        """KB in nM implied by pA2."""
        return float(10.0 ** (9.0 - self.pA2))


def schild_regression(antagonist_nM, dose_ratios) -> SchildFit:
    """Fit the Schild equation ``log10(DR - 1) = slope * log10(B) + c`` by least squares.

    Parameters
    ----------
    antagonist_nM : array of float, nM
        Antagonist concentrations (> 0), at least two distinct values.
    dose_ratios : array of float, dimensionless
        EC50 with antagonist divided by EC50 without, each > 1.

    Returns
    -------
    SchildFit
        pA2, slope and their standard errors (zero when the points lie exactly on a line or
        when only two points are given).

    References
    ----------
    Arunlakshana O, Schild HO (1959) Br J Pharmacol Chemother 14:48-58.

    Examples
    --------
    >>> fit = schild_regression([10.0, 100.0, 1000.0], [11.0, 101.0, 1001.0])
    >>> round(fit.pA2, 6), round(fit.slope, 6)
    (9.0, 1.0)
    """
    b = check_positive("antagonist_nM", antagonist_nM)
    dr = as_float_array("dose_ratios", dose_ratios)
    if b.ndim != 1 or dr.shape != b.shape:
        raise ValueError(
            "antagonist_nM and dose_ratios must be 1-D arrays of equal length; "
            f"got shapes {b.shape} and {dr.shape}"
        )
    if (dr <= 1).any() or np.isinf(dr).any():
        raise ValueError(f"dose_ratios must all be finite and > 1 for a Schild plot; got {dr.tolist()}")
    if np.unique(b).size < 2:
        raise ValueError(f"antagonist_nM needs at least two distinct concentrations; got {b.tolist()}")
    x = np.log10(b * 1e-9)
    y = np.log10(dr - 1.0)
    design = np.column_stack([x, np.ones_like(x)])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    slope, intercept = float(coef[0]), float(coef[1])
    dof = x.size - 2
    if dof > 0:
        resid = y - design @ coef
        s2 = float(resid @ resid) / dof
        cov = s2 * np.linalg.inv(design.T @ design)
    else:
        cov = np.zeros((2, 2))
    pA2 = intercept / slope
    # pA2 = c / m: gradient (-c/m^2, 1/m) for the delta method.
    grad = np.array([-intercept / slope**2, 1.0 / slope])
    pA2_se = float(np.sqrt(max(grad @ cov @ grad, 0.0)))
    return SchildFit(
        pA2=float(pA2),
        pA2_se=pA2_se,
        slope=slope,
        slope_se=float(np.sqrt(max(cov[0, 0], 0.0))),
        intercept=intercept,
        pKB_slope_one=float(np.mean(y - x)),
        n_points=int(x.size),
    )


@dataclass(frozen=True)
class ConcentrationResponseFit:
    """Three-parameter logistic fit of a concentration-response curve.

    Attributes
    ----------
    ec50_nM : float, nM
    emax : float, response units
    hill : float, dimensionless
    """

    ec50_nM: float
    emax: float
    hill: float

    def predict(self, conc_nM):
        """Fitted response at ``conc_nM`` (nM)."""
        c = check_nonnegative("conc_nM", conc_nM)
        with np.errstate(divide="ignore"):
            return self.emax / (1.0 + (self.ec50_nM / c) ** self.hill)


def _logistic(log_c, log_ec50, emax, hill):
    return emax / (1.0 + 10.0 ** (hill * (log_ec50 - log_c)))


def _logistic_jacobian(log_c, log_ec50, emax, hill):
    """Derivatives of :func:`_logistic` by (log_ec50, emax, hill), one row per point: given to
    the fit, they save its finite differences (a third of the Schild widget's update time)."""
    d = log_ec50 - log_c
    u = 10.0 ** (hill * d)
    inv = 1.0 / (1.0 + u)
    k = -emax * inv * inv * u * np.log(10.0)
    return np.column_stack([k * hill, inv, k * d])


def fit_concentration_response(conc_nM, response, *, hill: float | None = None) -> ConcentrationResponseFit:
    """Least-squares logistic fit ``E = Emax / (1 + (EC50/C)^h)`` in log-concentration space.

    Parameters
    ----------
    conc_nM : 1-D array, nM
        Agonist concentrations (> 0), at least three.
    response : 1-D array, response units
        Measured response at each concentration.
    hill : float, optional
        Fix the Hill slope at this value instead of fitting it.
    """
    c = check_positive("conc_nM", conc_nM)
    e = as_float_array("response", response)
    if c.ndim != 1 or e.shape != c.shape or c.size < 3:
        raise ValueError(
            "conc_nM and response must be 1-D arrays of equal length >= 3; "
            f"got shapes {c.shape} and {e.shape}"
        )
    log_c = np.log10(c)
    top = float(max(e.max(), 1e-12))
    half = e >= 0.5 * top
    guess_log_ec50 = float(log_c[np.argmax(half)]) if half.any() else float(log_c[-1])
    if hill is None:
        low, high = [log_c.min() - 4, 0.0, 0.2], [log_c.max() + 4, 10 * top, 5.0]
        p = None
        try:  # MINPACK's Levenberg-Marquardt, unbounded: about 10x faster than the bounded fit
            with np.errstate(over="ignore", invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", optimize.OptimizeWarning)
                p, _ = optimize.curve_fit(_logistic, log_c, e, p0=[guess_log_ec50, top, 1.0],
                                          jac=_logistic_jacobian, method="lm")
        except (RuntimeError, ValueError):  # no convergence: the bounded fit below decides
            p = None
        # its answer stands where it lies inside the bounds (the same least-squares optimum);
        # otherwise the bounded trust-region fit decides
        if p is None or not (np.all(np.isfinite(p)) and np.all(p > low) and np.all(p < high)):
            p, _ = optimize.curve_fit(_logistic, log_c, e, p0=[guess_log_ec50, top, 1.0],
                                      jac=_logistic_jacobian, bounds=(low, high))
        return ConcentrationResponseFit(float(10 ** p[0]), float(p[1]), float(p[2]))
    h = _positive_scalar("hill", hill)
    p, _ = optimize.curve_fit(
        lambda lc, le, em: _logistic(lc, le, em, h), log_c, e, p0=[guess_log_ec50, top],
        bounds=([log_c.min() - 4, 0.0], [log_c.max() + 4, 10 * top]),
    )
    return ConcentrationResponseFit(float(10 ** p[0]), float(p[1]), h)


@dataclass(frozen=True)
class OrganBathExperiment:
    """A simulated isolated-tissue experiment: agonist curves at several antagonist levels.

    Attributes
    ----------
    agonist_nM : ndarray, nM, shape (n_conc,)
        Agonist concentrations of every curve.
    antagonist_nM : ndarray, nM, shape (n_curves,)
        Antagonist concentration of each curve; the first is 0 (control).
    response : ndarray, fraction of system maximum, shape (n_curves, n_conc)
        Noisy responses.
    true_response : ndarray, same shape
        Noise-free responses from the operational model.
    fits : tuple of ConcentrationResponseFit
        Logistic fit of each curve (:func:`fit_concentration_response`).
    true_kb_nM : float, nM
        The antagonist KB used to simulate.
    """

    agonist_nM: np.ndarray
    antagonist_nM: np.ndarray
    response: np.ndarray
    true_response: np.ndarray
    fits: tuple
    true_kb_nM: float

    @property
    def ec50_nM(self) -> np.ndarray:
        """Estimated EC50 of each curve (nM), control first."""
        return np.array([f.ec50_nM for f in self.fits])

    @property
    def dose_ratios(self) -> np.ndarray:
        """Estimated EC50 of each antagonist curve over the control EC50 (excluding control)."""
        return self.ec50_nM[1:] / self.ec50_nM[0]

    def schild(self) -> SchildFit:
        """Schild regression on the estimated dose ratios (curves with DR <= 1 are dropped)."""
        dr = self.dose_ratios
        keep = dr > 1.0
        if keep.sum() < 2:
            raise ValueError(
                "noise hid the antagonist's shift: fewer than two curves have a dose ratio > 1; "
                "lower noise_sd or raise the antagonist concentrations"
            )
        return schild_regression(self.antagonist_nM[1:][keep], dr[keep])


def simulate_organ_bath(
    *,
    agonist_kd_nM: float,
    tau: float,
    antagonist_kb_nM: float,
    antagonist_nM=(1.0, 10.0, 100.0, 1000.0),
    noise_sd: float = 0.03,
    seed: int = 2017,
    points_per_log: int = 2,
) -> OrganBathExperiment:
    """Simulate a Schild experiment: cumulative agonist curves with increasing antagonist.

    Responses come from :func:`operational_response` with a competitive antagonist, plus
    Gaussian noise of standard deviation ``noise_sd`` (fraction of the system maximum) drawn
    from ``numpy.random.default_rng(seed)``. The agonist range is chosen to span each curve.

    Parameters
    ----------
    agonist_kd_nM : float, nM
        Agonist KA (> 0).
    tau : float
        Agonist efficacy (> 0).
    antagonist_kb_nM : float, nM
        Antagonist KB (> 0).
    antagonist_nM : sequence of float, nM
        Antagonist concentrations (> 0), 1 to 8 of them; a control curve (B = 0) is added.
    noise_sd : float, fraction of maximum
        Measurement noise, 0 to 0.3.
    seed : int
        Seed of the random generator (>= 0).
    points_per_log : int
        Agonist concentrations per log10 unit, 1 to 6.
    """
    ka = _positive_scalar("agonist_kd_nM", agonist_kd_nM)
    t = _positive_scalar("tau", tau)
    kb = _positive_scalar("antagonist_kb_nM", antagonist_kb_nM)
    b = np.sort(check_positive("antagonist_nM", antagonist_nM).ravel())
    if not 1 <= b.size <= 8:
        raise ValueError(f"antagonist_nM must hold 1 to 8 concentrations; got {b.size}")
    sd = check_in_range("noise_sd", noise_sd, 0.0, 0.3)
    seed = check_integer("seed", seed, 0, 2**32 - 1)
    ppl = check_integer("points_per_log", points_per_log, 1, 6)
    b_all = np.concatenate([[0.0], b])
    ec50_0 = ka / (1.0 + t)
    low = np.floor(np.log10(ec50_0)) - 2.0
    high = np.ceil(np.log10(ec50_0 * (1.0 + b[-1] / kb))) + 2.0
    agonist = 10.0 ** np.linspace(low, high, int((high - low) * ppl) + 1)
    true = operational_response(
        agonist[None, :], ka, t, antagonist_nM=b_all[:, None], antagonist_kd_nM=kb
    )
    rng = np.random.default_rng(seed)
    noisy = true + rng.normal(0.0, sd, size=true.shape)
    fits = tuple(fit_concentration_response(agonist, row) for row in noisy)
    return OrganBathExperiment(
        agonist_nM=agonist,
        antagonist_nM=b_all,
        response=noisy,
        true_response=np.asarray(true),
        fits=fits,
        true_kb_nM=kb,
    )


def _positive_scalar(name: str, value) -> float:
    x = check_scalar(name, value)
    check_positive(name, x)
    return x

