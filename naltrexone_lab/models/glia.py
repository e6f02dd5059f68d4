"""Beyond opioid receptors: microglial TLR4 signalling and what naltrexone can do to it.

The claim examined: low-dose naltrexone calms microglia by blocking Toll-like receptor 4 (TLR4),
lowering pro-inflammatory cytokines. The model makes the claim checkable in three steps.

1. **TLR4 activation** by an inflammatory stimulus (LPS or danger signals), expressed as the
   fraction of maximal activation ``s`` (0-1). It drives two branches: MyD88 (to NF-kB) and
   TRIF (to IRF3 and interferon-beta).
2. **Naltrexone inhibits the TRIF branch** with a concentration-inhibition curve:

       I(C) = C^n / (C^n + IC50^n)          TRIF activity = s (1 - I(C)),  MyD88 activity = s

   Wang et al. (2016) found (+)-naltrexone and (+)-naloxone to be TRIF-IRF3-biased TLR4
   antagonists: LPS-induced NO and TNF-alpha fell, IL-1beta did not, NF-kB was untouched. In
   cells Hutchinson et al. (2008) showed TLR4 antagonism by (+)-naltrexone, (+)-naloxone and
   (-)-naloxone; that (-)-naltrexone, which patients take, acts too is inferred from its
   non-stereoselective effect on pain in rats. The model gives both enantiomers one curve; only
   the (-)-enantiomer blocks mu receptors.
   **The IC50 is a parameter, not a measured value**: no numeric IC50 was found in the sources
   the course could read. Effects in cells were reported at tens to about 200 uM, so
   :data:`IC50_RANGE_UM` spans 10-200 uM (L).
3. **Mediators** are made from their branches and cleared first order (hours), and a slower
   **microglial activation** state (days) amplifies production::

       dM/dt = (s - M) / tau_M
       dX/dt = k_X [1 + A_X (w_X r + (1 - w_X) m)(1 + gamma M) - X]

   ``X`` is each mediator relative to its resting level (1 = rest), ``w_X`` the share of its
   drive that comes through TRIF: NO 0.9 and TNF-alpha 0.5 (both fall with TRIF inhibition,
   Wang 2016), IL-1beta 0 (unaffected, Wang 2016). IL-6 0 is a choice (L): it matches Cant et
   al. 2017 (no naltrexone effect on TLR4-driven IL-6 in human immune cells up to 200 uM), which
   may instead mean that naltrexone does not act at human TLR4 at all. The shares are the
   smallest assumptions that reproduce those directions; their sizes are not measured (L).
   "NO" stands for nitrite, the stable product measured in culture medium.

Everything numeric beyond the directions is a teaching choice, as the docstrings say. The point
the model makes does not depend on those choices: LDN gives about 1-4 nM of naltrexone in
plasma (chapter 2), three to five orders of magnitude below any IC50 in the range.

References
----------
Hutchinson MR, Zhang Y, Brown K, et al. (2008) Eur J Neurosci 28:20-29.
Wang X, et al. (2016) Br J Pharmacol 173:856-869.
Cant R, Dalgleish AG, Allen RL (2017) Front Immunol 8:809.
Michie HR, et al. (1988) N Engl J Med 318:1481-1486 (TNF after endotoxin
in people: rises 90-180 min after the dose).
Leinders M, et al. (2013) Neurosci Lett 554:146-150 (microglial activation persists for weeks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validation import (
    check_choice,
    check_fraction,
    check_in_range,
    check_nonnegative,
    check_positive,
    scalar_or_array,
)
from .binding import hill_langmuir_occupancy
from .ligands import ki_nM
from .pharmacokinetics import regimen, simulate
from .units import time_grid_h

__all__ = [
    "ENANTIOMERS",
    "IC50_RANGE_UM",
    "MEDIATORS",
    "REPORTED_EFFECT_CONCENTRATIONS_UM",
    "GliaParameters",
    "Mediator",
    "MicrogliaResponse",
    "PlasmaGap",
    "fold_change",
    "mu_occupancy_of",
    "plasma_gap",
    "steady_state",
    "time_course",
    "tlr4_inhibition",
]

#: Documented range of naltrexone's TLR4 IC50 (uM): effects in cell studies at tens to about
#: 200 uM (Hutchinson 2008; Wang 2016; Cant 2017 saw none up to 200 uM). No numeric IC50 was
#: found in the sources read; this is a range to explore, not a measurement (L).
IC50_RANGE_UM = (10.0, 200.0)

#: Concentrations used in the cell studies the chapter discusses (uM), for the figures. The
#: "tens to ~100 uM" of the (+)-naltrexone studies is recalled, not read (L); Cant's 1-200 uM is
#: read (H), and with no effect there a human IC50 would lie above 200 uM.
REPORTED_EFFECT_CONCENTRATIONS_UM = {
    "cell studies of (+)-naltrexone (tens to ~100 uM; Hutchinson 2008, Wang 2016)": (10.0, 100.0),
    "human PBMC, no effect on TLR4-driven IL-6 (1-200 uM; Cant 2017)": (1.0, 200.0),
}

#: The two enantiomers: patients take (-)-naltrexone, which binds mu receptors; the
#: (+)-enantiomer is opioid-inactive (Wang 2016). Both act at TLR4 (Hutchinson 2008).
ENANTIOMERS = ("(-)-naltrexone (the medicine)", "(+)-naltrexone (opioid-inactive)")


@dataclass(frozen=True)
class Mediator:
    """One inflammatory mediator.

    Attributes
    ----------
    name : str
    trif_share : float, fraction
        Share of its drive that comes through the TRIF branch.
    max_fold : float, dimensionless
        Fold over rest at full TLR4 activation and full microglial activation (teaching value).
    half_life_h : float, h
        Half-time of its approach to a new level.
    source : str
    """

    name: str
    trif_share: float
    max_fold: float
    half_life_h: float
    source: str

    def __post_init__(self):
        check_fraction("trif_share", self.trif_share)
        check_positive("max_fold", self.max_fold)
        check_positive("half_life_h", self.half_life_h)

    @property
    def k_per_h(self) -> float:
        return math.log(2.0) / self.half_life_h


#: Mediators, their TRIF shares (directions from Wang 2016 and Cant 2017; sizes L) and time scales
#: (TNF-alpha fastest: in people it rises 90-180 min after endotoxin, Michie 1988; the others
#: over hours; nitrite, the measured NO product, accumulates over a day; all L-M).
MEDIATORS = {
    "TNF-alpha": Mediator("TNF-alpha", 0.5, 20.0, 1.0,
                          "falls with (+)-naltrexone (Wang 2016); time scale after Michie 1988"),
    "IL-1beta": Mediator("IL-1beta", 0.0, 10.0, 4.0, "not inhibited (Wang 2016)"),
    "IL-6": Mediator("IL-6", 0.0, 30.0, 4.0,
                     "TLR4-driven IL-6 in human immune cells not inhibited up to 200 uM (Cant 2017)"),
    "NO": Mediator("NO", 0.9, 15.0, 12.0, "falls with (+)-naltrexone (Wang 2016); nitrite accumulates "
                   "over about a day in culture (recalled)"),
}


@dataclass(frozen=True)
class GliaParameters:
    """Microglial activation and the naltrexone-TLR4 curve.

    Attributes
    ----------
    ic50_uM : float, uM
        Naltrexone concentration that halves TRIF-branch signalling; anywhere in
        :data:`IC50_RANGE_UM` is defensible; 50 uM is a middle value (L).
    hill : float, dimensionless
        Slope of the inhibition curve (1: one site) (L).
    activation_time_constant_h : float, h
        How fast the microglial activation state follows the stimulus: 48 h (activation
        develops over 1-3 days after injury and can persist for weeks: Leinders 2013) (L-M).
    amplification : float, dimensionless
        ``gamma``: how much full microglial activation multiplies mediator production (L).
    """

    ic50_uM: float = 50.0
    hill: float = 1.0
    activation_time_constant_h: float = 48.0
    amplification: float = 1.0

    def __post_init__(self):
        check_in_range("ic50_uM", self.ic50_uM, 0.001, 1e5)
        check_in_range("hill", self.hill, 0.2, 5.0)
        check_positive("activation_time_constant_h", self.activation_time_constant_h)
        check_nonnegative("amplification", self.amplification)


def tlr4_inhibition(conc_nM, ic50_uM: float = 50.0, hill: float = 1.0):
    """Fraction (0-1) of TRIF-branch TLR4 signalling blocked by naltrexone at ``conc_nM``.

    ``I = C^n / (C^n + IC50^n)`` with C and IC50 in the same unit (the IC50 is given in uM and
    converted: 1 uM = 1000 nM). Either enantiomer (Hutchinson 2008: non-stereoselective).

    Examples
    --------
    >>> float(tlr4_inhibition(50_000.0, 50.0))
    0.5
    >>> round(float(tlr4_inhibition(4.0, 10.0)) * 100, 3)  # LDN plasma, lowest IC50 in range
    0.04
    """
    c = check_nonnegative("conc_nM", conc_nM)
    ic50_nM = float(check_positive("ic50_uM", ic50_uM)) * 1000.0
    n = float(check_in_range("hill", hill, 0.2, 5.0))
    return scalar_or_array(hill_langmuir_occupancy(c, ic50_nM, hill=n))


def mu_occupancy_of(conc_nM, enantiomer: str):
    """Mu occupancy (fraction) by naltrexone at equilibrium with ``conc_nM``: chapter 1's
    Hill-Langmuir with the mu Ki for the (-)-enantiomer; 0 for the opioid-inactive
    (+)-enantiomer (Wang 2016). Chapter 2 shows equilibrium over-predicts occupancy at low doses
    (its PET-fitted brain-kinetic model gives 64-73% over a steady day of 4.5 mg at bedtime)."""
    enantiomer = check_choice("enantiomer", enantiomer, ENANTIOMERS)
    c = check_nonnegative("conc_nM", conc_nM)
    if enantiomer == ENANTIOMERS[1]:
        return scalar_or_array(np.zeros_like(c))
    return scalar_or_array(hill_langmuir_occupancy(c, ki_nM("naltrexone", "mu")))


def _drive(mediator: Mediator, stimulus, inhibition):
    return stimulus * (mediator.trif_share * (1.0 - inhibition) + (1.0 - mediator.trif_share))


def steady_state(stimulus, conc_nM=0.0, params: GliaParameters | None = None) -> dict:
    """Each mediator's fold over rest at steady state for a constant stimulus (fraction of
    maximal TLR4 activation, 0-1) and naltrexone concentration (nM):
    ``X* = 1 + A_X d_X (1 + gamma s)``, with microglial activation ``M* = s``."""
    p = params or GliaParameters()
    s = check_fraction("stimulus", stimulus)
    inh = tlr4_inhibition(conc_nM, p.ic50_uM, p.hill)
    s, inh = np.broadcast_arrays(s, inh)
    return {name: scalar_or_array(1.0 + (m.max_fold - 1.0) * _drive(m, s, inh) * (1.0 + p.amplification * s)
                          / (1.0 + p.amplification))
            for name, m in MEDIATORS.items()}


def fold_change(stimulus, conc_nM, params: GliaParameters | None = None) -> dict:
    """Each mediator at steady state with naltrexone relative to the same stimulus without it
    (1 = no effect; 0.6 = 40% lower)."""
    with_drug = steady_state(stimulus, conc_nM, params)
    without = steady_state(stimulus, 0.0, params)
    return {name: scalar_or_array(np.asarray(with_drug[name]) / np.asarray(without[name]))
            for name in MEDIATORS}


@dataclass(frozen=True)
class MicrogliaResponse:
    """Time course after a stimulus switched on at t = 0 (from rest).

    Attributes
    ----------
    time_h : ndarray, h
    activation : ndarray, fraction (microglial activation state)
    mediators : dict of str to ndarray, fold over rest
    inhibition : float, fraction of TRIF signalling blocked
    """

    time_h: np.ndarray
    activation: np.ndarray
    mediators: dict
    inhibition: float


def time_course(time_h, stimulus: float, conc_nM: float = 0.0,
                params: GliaParameters | None = None) -> MicrogliaResponse:
    """Closed-form response to a step of stimulus at t = 0 with a constant naltrexone
    concentration: ``M(t) = s (1 - e^{-t/tau_M})``; each mediator solves the linear equation
    ``dX/dt = k (1 + A d (1 + gamma M(t)) / (1 + gamma) - X)`` exactly (sum of exponentials)."""
    p = params or GliaParameters()
    t = check_nonnegative("time_h", time_h)
    s = float(check_fraction("stimulus", stimulus))
    inh = float(tlr4_inhibition(conc_nM, p.ic50_uM, p.hill))
    a = 1.0 / p.activation_time_constant_h
    activation = s * (1.0 - np.exp(-a * t))
    out = {}
    g = p.amplification
    for name, m in MEDIATORS.items():
        k = m.k_per_h
        amp = (m.max_fold - 1.0) * _drive(m, s, inh) / (1.0 + g)
        # X = 1 + amp (1 + g s) (1 - e^{-kt}) - amp g s * k (e^{-at} - e^{-kt}) / (k - a)
        if abs(k - a) < 1e-12:
            cross = k * t * np.exp(-k * t)
        else:
            cross = k * (np.exp(-a * t) - np.exp(-k * t)) / (k - a)
        out[name] = 1.0 + amp * (1.0 + g * s) * (1.0 - np.exp(-k * t)) - amp * g * s * cross
    return MicrogliaResponse(np.asarray(t, dtype=float), activation, out, inh)


@dataclass(frozen=True)
class PlasmaGap:
    """Naltrexone plasma levels of a regimen against the TLR4 IC50.

    Attributes
    ----------
    peak_nM, trough_nM : float, nM
        Highest and lowest total plasma naltrexone on the last simulated day (chapter 2).
    peak_inhibition : float, fraction of TRIF signalling blocked at the peak
    fold_below_ic50 : float, dimensionless
        IC50 divided by the peak concentration.
    """

    peak_nM: float
    trough_nM: float
    peak_inhibition: float
    fold_below_ic50: float


def plasma_gap(dose_mg: float, schedule: str = "at bedtime", ic50_uM: float = 50.0,
               days: int = 7, step_h: float = 0.05) -> PlasmaGap:
    """Chapter 2's plasma naltrexone for a regimen, and the TLR4 inhibition it could give.

    Uses the *total* plasma concentration, an upper bound for what reaches microglia in the brain
    (79% of it is free; brain levels are not measured), so the inhibition is if anything too high.
    """
    dose = check_in_range("dose_mg", dose_mg, 0.1, 400.0)
    ic50 = check_in_range("ic50_uM", ic50_uM, 0.001, 1e5)
    t = time_grid_h(24.0 * int(days), step_h)
    prof = simulate(regimen(schedule, dose, int(days)), t)
    last = t >= t[-1] - 24.0 - 1e-9
    peak, trough = float(prof.naltrexone_nM[last].max()), float(prof.naltrexone_nM[last].min())
    return PlasmaGap(peak, trough, float(tlr4_inhibition(peak, ic50)), ic50 * 1000.0 / peak)

