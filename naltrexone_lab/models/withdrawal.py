"""Precipitated withdrawal: naltrexone displacing a maintenance opioid from mu receptors.

An agonist A and naltrexone N compete for one site with finite association and dissociation
rates (the system Motulsky & Mahan 1984 solved for constant concentrations)::

    dR_A/dt = kon_A C_A(t) (1 - R_A - R_N) - koff_A R_A
    dR_N/dt = kon_N C_N(t) (1 - R_A - R_N) - koff_N R_N

with ``kon = koff / Kd`` and each Kd the binding Ki of chapter 1. Here the concentrations change
in time: the agonist is eliminated (days since the last dose, then the hours that follow), and
naltrexone comes from chapter 2's oral pharmacokinetics (free plasma naltrexone, taken to reach
the receptors). The equations are integrated numerically (they are linear with time-varying
coefficients).

Response and withdrawal. The agonist's mu activation follows chapter 1's operational model from
its bound fraction, ``a = tau R_A / (1 + tau R_A)``. The person is adapted to ``a_ss``, the
activation at the trough of their maintenance dosing. Their dependence is chapter 4's b-process:
``D`` at the end of steady use, decaying with its 3-day half-time after the last dose. The
**withdrawal index** (0-1) is ``D(t) max(0, 1 - a(t) / a_ss)``: how much of the adapted signal is
missing, weighted by how dependent the person still is. The precipitated part is how far it
rises above the same person's course without naltrexone.

Simplifications the chapter states: dependence always comes from chapter 4's reference schedule
(two weeks of morphine), whatever the maintenance opioid; naltrexone reaches the receptors at its
free plasma concentration (chapter 2's plasma-equilibrium view, which over-predicts low-dose
occupancy compared with PET).

Confidence: the Ki values and buprenorphine's and fentanyl's receptor dissociation half-lives
(166 min and 6.8 min; Boas & Villiger 1985) are measured; the dissociation of morphine,
methadone and naltrexone was not found in the course's sources (minutes; L). Elimination
half-lives are label values. The index is a teaching construct, not a clinical scale.

References
----------
Motulsky HJ, Mahan LC (1984) Mol Pharmacol 25:1-9 (kinetics of competitive binding).
Boas RA, Villiger JW (1985) Br J Anaesth 57:192-196 (fentanyl and buprenorphine dissociation).
Glare PA, Walsh TD (1991) Ther Drug Monit 13:1-23 (morphine elimination half-life 2-3 h).
Methadone hydrochloride tablets (Dolophine) label: elimination half-life 8-59 h.
Buprenorphine sublingual (Subutex) label: elimination half-life about 37 h (24-42 h).
VIVITROL prescribing information: 7-10 opioid-free days before starting; up to 2 weeks after
buprenorphine or methadone.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from . import adaptation
from ._validation import check_choice, check_fraction, check_in_range, check_positive
from .ligands import get_ligand, ki_nM
from .pharmacokinetics import oral_profile

__all__ = [
    "MAINTENANCE_OPIOIDS",
    "NALTREXONE_DISSOCIATION_HALF_TIME_MIN",
    "AgonistKinetics",
    "competitive_binding",
    "WithdrawalResult",
    "dependence_after_use",
    "precipitated_withdrawal",
]


@dataclass(frozen=True)
class AgonistKinetics:
    """Receptor and body kinetics of a maintenance opioid.

    Attributes
    ----------
    name : str
        A ligand of chapter 1's table (its mu Ki and efficacy are used).
    dissociation_half_time_min : float, min
        Half-time of dissociation from mu receptors (``ln 2 / koff``).
    elimination_half_life_h : float, h
        Elimination from the body at steady state in maintenance (not how long the effect of one
        i.v. dose lasts: :data:`naltrexone_lab.models.mesolimbic.OPIOID_KINETICS`).
    source : str
    """

    name: str
    dissociation_half_time_min: float
    elimination_half_life_h: float
    source: str

    def __post_init__(self):
        check_positive("dissociation_half_time_min", self.dissociation_half_time_min)
        check_positive("elimination_half_life_h", self.elimination_half_life_h)

    @property
    def koff_per_h(self) -> float:
        return math.log(2.0) / (self.dissociation_half_time_min / 60.0)

    @property
    def kon_per_nM_per_h(self) -> float:
        return self.koff_per_h / ki_nM(self.name, "mu")

    @property
    def elimination_per_h(self) -> float:
        return math.log(2.0) / self.elimination_half_life_h


#: Maintenance opioids. Buprenorphine's receptor half-time is measured (Boas & Villiger 1985, H);
#: morphine's and methadone's were not found (a few minutes, L). Elimination half-lives: morphine
#: 2.5 h (Glare & Walsh 1991), methadone 24 h (label range 8-59 h, L-M), buprenorphine 37 h
#: (sublingual label, M).
MAINTENANCE_OPIOIDS = {
    "morphine": AgonistKinetics("morphine", 2.0, 2.5,
                                "receptor: minutes (not found, L); body: Glare & Walsh 1991"),
    "methadone": AgonistKinetics("methadone", 2.0, 24.0,
                                 "receptor: minutes (not found, L); body: label 8-59 h"),
    "buprenorphine": AgonistKinetics("buprenorphine", 166.0, 37.0,
                                     "receptor: Boas & Villiger 1985 (166 min); body: label about 37 h"),
}

#: Naltrexone's dissociation half-time from mu receptors (min): not found in the course's sources;
#: competitive antagonists of this class leave the receptor within minutes (L).
NALTREXONE_DISSOCIATION_HALF_TIME_MIN = 10.0


@functools.lru_cache(maxsize=64)
def dependence_after_use(use_days: int = 14) -> float:
    """Chapter 4's b-process at the last dose of its reference schedule (fraction, 0-1): how
    strongly the reward signal is opposed when use stops."""
    schedule = adaptation.Schedule.reference_dependence(use_days=int(use_days),
                                                        total_days=int(use_days) + 1)
    sim = adaptation.simulate(schedule)
    last = sim.schedule.last_dose_h
    if last is None:
        return 0.0
    return float(np.interp(last, sim.time_h, sim.b_process))


def competitive_binding(time_h, agonist_nM, antagonist_nM, kon_a, koff_a, kon_b, koff_b,
                        initial=(0.0, 0.0)):
    """Bound fractions (R_A, R_B) of two ligands competing for one site on the grid ``time_h``.

    Concentrations (nM) are given on the grid and held at each step's mean; each step is then
    solved exactly (a 2 x 2 linear system: matrix exponential by its eigenvalues), so fast
    binding never needs small steps. Rate constants in 1/(nM h) and 1/h.

    Examples
    --------
    >>> ra, rb = competitive_binding([0.0, 100.0], [1.0, 1.0], [0.0, 0.0], 1.0, 1.0, 1.0, 1.0)
    >>> round(float(ra[-1]), 6)  # equilibrium: C / (C + Kd) with Kd = 1 nM
    0.5
    """
    t = np.asarray(time_h, dtype=float)
    if t.ndim != 1 or t.size < 2 or not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise ValueError("time_h must be a 1-D, finite, strictly increasing array of at least 2 "
                         f"times (h); got {t!r:.80}")
    ca = np.broadcast_to(np.asarray(agonist_nM, dtype=float), t.shape)
    cb = np.broadcast_to(np.asarray(antagonist_nM, dtype=float), t.shape)
    if np.any(ca < 0) or np.any(cb < 0) or not (np.all(np.isfinite(ca)) and np.all(np.isfinite(cb))):
        raise ValueError("agonist_nM and antagonist_nM must be finite and >= 0")
    for name, k in (("kon_a", kon_a), ("koff_a", koff_a), ("kon_b", kon_b), ("koff_b", koff_b)):
        check_positive(name, k)
    dt = np.diff(t)
    pa = kon_a * 0.5 * (ca[1:] + ca[:-1])
    pb = kon_b * 0.5 * (cb[1:] + cb[:-1])
    # y' = M y + u with M = [[-(pa + koff_a), -pa], [-pb, -(pb + koff_b)]], u = (pa, pb)
    m11, m12, m21, m22 = -(pa + koff_a), -pa, -pb, -(pb + koff_b)
    det = m11 * m22 - m12 * m21
    ya_star = (-m22 * pa + m12 * pb) / det  # steady state y* = -M^-1 u
    yb_star = (m21 * pa - m11 * pb) / det
    tr = m11 + m22
    disc = np.sqrt(np.maximum((m11 - m22) ** 2 + 4 * m12 * m21, 0.0))
    l1, l2 = 0.5 * (tr + disc), 0.5 * (tr - disc)
    e1, e2 = np.exp(l1 * dt), np.exp(l2 * dt)
    # exp(M dt) = (e1 (M - l2 I) - e2 (M - l1 I)) / (l1 - l2); equal roots handled by the limit
    gap = l1 - l2
    same = gap < 1e-12 * np.maximum(1.0, np.abs(l1))
    safe = np.where(same, 1.0, gap)
    c1 = np.where(same, dt * e1, (e1 - e2) / safe)
    c0 = np.where(same, e1 - l1 * dt * e1, (l1 * e2 - l2 * e1) / safe)
    ra = np.empty_like(t)
    rb = np.empty_like(t)
    ra[0], rb[0] = float(initial[0]), float(initial[1])
    a, b = float(ra[0]), float(rb[0])
    steps = zip(ya_star.tolist(), yb_star.tolist(), c0.tolist(), c1.tolist(), m11.tolist(),
                m12.tolist(), m21.tolist(), m22.tolist())
    for i, (sa, sb, k0, k1, q11, q12, q21, q22) in enumerate(steps):  # sequential by nature
        da, db = a - sa, b - sb
        a = sa + k0 * da + k1 * (q11 * da + q12 * db)
        b = sb + k0 * db + k1 * (q21 * da + q22 * db)
        ra[i + 1], rb[i + 1] = a, b
    return np.clip(ra, 0.0, 1.0), np.clip(rb, 0.0, 1.0)


@dataclass(frozen=True)
class WithdrawalResult:
    """After an oral naltrexone dose at t = 0.

    Attributes
    ----------
    time_h : ndarray, h
    agonist_bound, naltrexone_bound : ndarray, fraction of mu receptors
    activation : ndarray, fraction of the maximal response (agonist)
    withdrawal_index : ndarray, 0-1
    spontaneous_index : ndarray, 0-1
        The same person's index over the same hours without naltrexone (the opioid only wears
        off).
    adapted_activation : float, the activation the person is adapted to
    dependence : float, chapter 4's b-process on the day of the challenge
    """

    time_h: np.ndarray
    agonist_bound: np.ndarray
    naltrexone_bound: np.ndarray
    activation: np.ndarray
    withdrawal_index: np.ndarray
    spontaneous_index: np.ndarray
    adapted_activation: float
    dependence: float

    @property
    def precipitated(self) -> float:
        """Withdrawal caused by naltrexone: the largest excess of the index over the same
        person's spontaneous course without naltrexone (0-1)."""
        return float(max(0.0, np.max(self.withdrawal_index - self.spontaneous_index)))

    def agonist_bound_at(self, hours: float) -> float:
        return float(np.interp(hours, self.time_h, self.agonist_bound))

    def time_to_half_displacement_h(self) -> float:
        """Hours until the agonist-bound fraction falls to half its value at the dose (inf if not)."""
        target = self.agonist_bound[0] / 2.0
        below = np.nonzero(self.agonist_bound <= target)[0]
        return float(self.time_h[below[0]]) if below.size else float("inf")


def precipitated_withdrawal(opioid: str, maintenance_occupancy: float, days_since_last_dose: float,
                            naltrexone_mg: float, *, hours: float = 24.0, dependence: float | None = None,
                            n_points: int = 241) -> WithdrawalResult:
    """Agonist and naltrexone on mu receptors over ``hours`` after an oral naltrexone dose.

    Parameters
    ----------
    opioid : str
        morphine, methadone or buprenorphine.
    maintenance_occupancy : float, fraction in (0, 1)
        Mu occupancy by the opioid at the trough of steady maintenance dosing.
    days_since_last_dose : float, days (0-30)
    naltrexone_mg : float, mg (0-150; 0 shows spontaneous withdrawal alone)
    dependence : float, optional
        Dependence at steady use (0-1); default chapter 4's b-process after 14 days.
    """
    opioid = check_choice("opioid", opioid, MAINTENANCE_OPIOIDS)
    kin = MAINTENANCE_OPIOIDS[opioid]
    occ = float(check_fraction("maintenance_occupancy", maintenance_occupancy, open_low=True, open_high=True))
    days = check_in_range("days_since_last_dose", days_since_last_dose, 0.0, 30.0)
    dose = check_in_range("naltrexone_mg", naltrexone_mg, 0.0, 150.0)
    horizon = check_in_range("hours", hours, 0.5, 240.0)
    d0 = dependence_after_use() if dependence is None else float(check_fraction("dependence", dependence))

    kd_a = ki_nM(opioid, "mu")
    c_a0 = kd_a * occ / (1.0 - occ)  # concentration at the maintenance trough (nM)
    k_el = kin.elimination_per_h
    c_a_start = c_a0 * math.exp(-k_el * 24.0 * days)
    # minute resolution over the first hour, where fast agonists are displaced
    n = int(n_points)
    t = np.unique(np.concatenate([np.linspace(0.0, min(1.0, horizon), 61), np.linspace(0.0, horizon, n)]))
    c_n = oral_profile(dose, t).free_naltrexone_nM if dose > 0 else np.zeros_like(t)
    c_a = c_a_start * np.exp(-k_el * t)
    koff_n = math.log(2.0) / (NALTREXONE_DISSOCIATION_HALF_TIME_MIN / 60.0)
    ra, rn = competitive_binding(t, c_a, c_n, kin.kon_per_nM_per_h, kin.koff_per_h,
                                 koff_n / ki_nM("naltrexone", "mu"), koff_n,
                                 initial=(c_a_start / (kd_a + c_a_start), 0.0))
    tau = get_ligand(opioid).mu_tau
    activation = tau * ra / (1.0 + tau * ra)
    a_ss = tau * occ / (1.0 + tau * occ)
    b_half_h = adaptation.AdaptationParameters().b_decay_half_time_h  # chapter 4's b-process decay
    dep = d0 * 2.0 ** (-(24.0 * days + t) / b_half_h)
    index = dep * np.clip(1.0 - activation / a_ss, 0.0, 1.0)
    ra_alone = c_a / (kd_a + c_a)  # without naltrexone the opioid stays near binding equilibrium
    spontaneous = dep * np.clip(1.0 - tau * ra_alone / (1.0 + tau * ra_alone) / a_ss, 0.0, 1.0)
    return WithdrawalResult(t, ra, rn, activation, index, spontaneous, float(a_ss), float(dep[0]))
