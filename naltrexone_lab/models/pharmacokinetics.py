"""Naltrexone pharmacokinetics: oral tablets and the extended-release injection.

Oral model (linear, so any schedule is a superposition of single doses)::

    gut      dG/dt = -ka G                                   G(0) = dose
    parent   dP/dt =  F ka G - ke P                          (naltrexone, amount)
    naltrexol dM/dt = fm_fp (1 - F) ka G + fm_sys ke P - km M (6-beta-naltrexol, amount)

The fraction of the dose that escapes first-pass metabolism (bioavailability F) reaches the
blood as naltrexone; most of the rest is reduced in the liver to 6-beta-naltrexol during the first
pass, which is why the metabolite's concentrations are several times the parent's. Amounts are
tracked in micromoles; concentrations are returned in nM (total, bound plus free) and can be
converted to ng/mL with :mod:`naltrexone_lab.units`.

Extended-release injection: 380 mg into muscle, released by a small burst (hours), a second wave
(days 2-3) and a slow tail (weeks), then the same disposition as the oral model with no first
pass.

Every parameter, its unit and source are in :class:`OralParameters` and :class:`DepotParameters`.
The models are for learning, not for dosing decisions.

References
----------
Meyer MC, Straughn AB, Lo MW, Schary WL, Whitney CC (1984) J Clin Psychiatry 45:15-19.
REVIA (naltrexone hydrochloride tablets) prescribing information (Duramed/Teva).
VIVITROL (naltrexone for extended-release injectable suspension) prescribing information
(Alkermes); Dunbar JL, Turncliff RZ, Dong Q, et al. (2006) Alcohol Clin Exp Res 30:480-490.
Naltrexon Swiss product information (Cmax after 50 mg).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from ._validation import (
    as_float_array,
    check_choice,
    check_fraction,
    check_integer,
    check_nonnegative,
    check_positive,
    check_scalar,
)
from .units import MOLAR_MASS_G_PER_MOL

__all__ = [
    "exposure_ratio",
    "LIVER_AUC_FACTOR",
    "DepotParameters",
    "DoseEvent",
    "OralParameters",
    "PKProfile",
    "depot_profile",
    "oral_profile",
    "regimen",
    "simulate",
]

#: Exposure (AUC) multiplier of oral naltrexone in liver disease, from the REVIA label:
#: about 5-fold in compensated and 10-fold in decompensated cirrhosis.
LIVER_AUC_FACTOR = {"normal": 1.0, "compensated cirrhosis": 5.0, "decompensated cirrhosis": 10.0}


@dataclass(frozen=True)
class OralParameters:
    """Oral naltrexone and 6-beta-naltrexol disposition (adult, normal liver).

    Attributes
    ----------
    bioavailability : float, fraction
        F = 0.40: top of the 5-40% range (Meyer et al. 1984; label). With the label's volume it
        reproduces the 50 mg Cmax of about 13 ng/mL (Swiss product information); a lower F would
        need an apparent volume below the label's.
    absorption_rate_per_h : float, 1/h
        ka = 3.0 /h, chosen so that Tmax is about 1 h (label: ~1 h; 96% absorbed).
    volume_L : float, L
        V = 1350 L, the label's volume of distribution.
    half_life_h : float, h
        4 h elimination half-life of naltrexone (label).
    metabolite_half_life_h : float, h
        12.5 h, middle of the label's 12-13 h for 6-beta-naltrexol.
    first_pass_to_metabolite : float, fraction
        fm_fp = 0.95 of the first-pass loss becomes 6-beta-naltrexol (the label names it the
        major metabolite; the rest is minor metabolites). Confidence L.
    systemic_to_metabolite : float, fraction
        fm_sys = 0.6 of systemic naltrexone clearance forms 6-beta-naltrexol. Confidence L.
    metabolite_volume_L : float, L
        268 L, calibrated so the 50 mg metabolite Cmax is about 108 ng/mL (Swiss product
        information); no measured volume was found.
    free_fraction : float, fraction
        0.79 of plasma naltrexone is unbound (label: 21% protein bound); also used for the
        metabolite (no value found; confidence L).

    Doses are mg of naltrexone as labelled. Tablets are the hydrochloride salt (50 mg holds
    about 45 mg of base, 341.4/377.9), the injection is the base; the model ignores this ~10%
    difference, which is inside the 30% tolerance on Cmax and small beside the 5-40% range of F.
    """

    bioavailability: float = 0.40
    absorption_rate_per_h: float = 3.0
    volume_L: float = 1350.0
    half_life_h: float = 4.0
    metabolite_half_life_h: float = 12.5
    first_pass_to_metabolite: float = 0.95
    systemic_to_metabolite: float = 0.6
    metabolite_volume_L: float = 268.0
    free_fraction: float = 0.79

    def __post_init__(self):
        check_fraction("bioavailability", self.bioavailability, open_low=True)
        for name in ("absorption_rate_per_h", "volume_L", "half_life_h", "metabolite_half_life_h",
                     "metabolite_volume_L"):
            check_positive(name, getattr(self, name))
        for name in ("first_pass_to_metabolite", "systemic_to_metabolite"):
            check_fraction(name, getattr(self, name))
        check_fraction("free_fraction", self.free_fraction, open_low=True)

    @property
    def elimination_rate_per_h(self) -> float:
        return float(np.log(2) / self.half_life_h)

    @property
    def metabolite_rate_per_h(self) -> float:
        return float(np.log(2) / self.metabolite_half_life_h)

    @property
    def clearance_L_per_h(self) -> float:
        """Systemic clearance CL = ke V (L/h)."""
        return self.elimination_rate_per_h * self.volume_L

    def with_liver_function(self, liver: str) -> OralParameters:
        """Parameters for a liver state, reproducing the label's oral AUC factor (x5, x10).

        Oral AUC = F D / CL, so the factor must come from a larger F (less first pass), a smaller
        CL (longer half-life), or both; the label gives only the product. The model splits it
        evenly on a log scale: F rises by sqrt(factor) (at most to 1) and clearance supplies the
        rest. With F = 0.4 this gives F 0.89 and a 8.9 h half-life (compensated), F 1.0 and a
        16 h half-life (decompensated). A consequence to teach, not a measured fact: with less
        first pass, less 6-beta-naltrexol is formed, so its levels fall in cirrhosis.
        """
        liver = check_choice("liver", liver, LIVER_AUC_FACTOR)
        factor = LIVER_AUC_FACTOR[liver]
        f_new = min(1.0, self.bioavailability * np.sqrt(factor))
        clearance_factor = f_new / (self.bioavailability * factor)  # <= 1
        return replace(self, bioavailability=float(f_new),
                       half_life_h=self.half_life_h / clearance_factor)


@dataclass(frozen=True)
class DepotParameters:
    """Extended-release injection (naltrexone microspheres, 380 mg intramuscular).

    Release = burst + second wave + tail, fractions summing to 1; after release naltrexone is
    handled as in :class:`OralParameters` with no first pass (F = 1 for the released drug).
    Shape from the VIVITROL label and Dunbar et al. 2006: a transient peak about 2 h after the
    injection, a second peak 2-3 days later, slow decline from about day 14, measurable for more
    than a month, apparent half-life 5-10 days. The fractions and rates are fitted by eye to that
    shape (confidence L); no published compartmental parameters were found.

    Attributes
    ----------
    burst_fraction : float, fraction (0.03)
    burst_rate_per_h : float, 1/h (1.0): burst released with a ~0.7 h half-time.
    wave_fraction : float, fraction (0.37)
    wave_peak_h : float, h (60): the second wave is a two-step (gamma) release peaking near day 2.5.
    tail_half_life_h : float, h (168): the rest released first-order with a 7-day half-time,
        which sets the apparent terminal half-life (flip-flop kinetics).
    """

    burst_fraction: float = 0.03
    burst_rate_per_h: float = 1.0
    wave_fraction: float = 0.37
    wave_peak_h: float = 60.0
    tail_half_life_h: float = 168.0

    def __post_init__(self):
        check_fraction("burst_fraction", self.burst_fraction)
        check_fraction("wave_fraction", self.wave_fraction)
        if self.burst_fraction + self.wave_fraction > 1:
            raise ValueError("burst_fraction + wave_fraction must be <= 1; got "
                             f"{self.burst_fraction} + {self.wave_fraction}")
        for name in ("burst_rate_per_h", "wave_peak_h", "tail_half_life_h"):
            check_positive(name, getattr(self, name))


@dataclass(frozen=True)
class DoseEvent:
    """One dose: ``time_h`` after the start (h), ``dose_mg`` (mg), ``route`` "oral" or "depot"."""

    time_h: float
    dose_mg: float
    route: str = "oral"

    def __post_init__(self):
        object.__setattr__(self, "time_h", check_scalar("time_h", self.time_h))
        check_nonnegative("time_h", self.time_h)
        object.__setattr__(self, "dose_mg", check_scalar("dose_mg", self.dose_mg))
        check_positive("dose_mg", self.dose_mg)
        object.__setattr__(self, "route", check_choice("route", self.route, ("oral", "depot")))


@dataclass(frozen=True)
class PKProfile:
    """Concentrations on a time grid.

    Attributes
    ----------
    time_h : ndarray, h
    naltrexone_nM, naltrexol_nM : ndarray, nM
        Total plasma concentrations of naltrexone and 6-beta-naltrexol.
    free_fraction : float
    """

    time_h: np.ndarray
    naltrexone_nM: np.ndarray
    naltrexol_nM: np.ndarray
    free_fraction: float

    @property
    def naltrexone_ng_per_mL(self) -> np.ndarray:
        return self.naltrexone_nM * MOLAR_MASS_G_PER_MOL["naltrexone"] / 1000.0

    @property
    def naltrexol_ng_per_mL(self) -> np.ndarray:
        return self.naltrexol_nM * MOLAR_MASS_G_PER_MOL["6-beta-naltrexol"] / 1000.0

    @property
    def free_naltrexone_nM(self) -> np.ndarray:
        return self.free_fraction * self.naltrexone_nM

    @property
    def free_naltrexol_nM(self) -> np.ndarray:
        return self.free_fraction * self.naltrexol_nM


def _umol(dose_mg):
    return np.asarray(dose_mg, dtype=float) / MOLAR_MASS_G_PER_MOL["naltrexone"] * 1000.0


def _chain(t, rates) -> np.ndarray:
    """Amount in the last of a chain of first-order compartments after a unit bolus into the
    first: rates[i] moves drug from compartment i to i+1, rates[-1] removes it from the last.

    ``A_n(t) = prod(rates[:-1]) * sum_i exp(-k_i t) / prod_{j != i} (k_j - k_i)`` (the general
    Bateman solution). Coincident rates are separated by a relative 1e-7 first: the closed form
    needs distinct rates, and the separation changes the result by about 1e-7 relative while
    the cancellation it causes costs about 1e-9 (a test compares with a numerical ODE).
    """
    ks = np.array(rates, dtype=float)
    for i in range(len(ks)):
        for j in range(i):
            if np.isclose(ks[i], ks[j], rtol=1e-9):
                ks[i] *= 1.0 + 1e-7 * (i + 1)
    total = np.zeros_like(np.asarray(t, dtype=float))
    for i, ki in enumerate(ks):
        denom = np.prod([kj - ki for j, kj in enumerate(ks) if j != i])
        total = total + np.exp(-ki * t) / denom
    return np.prod(ks[:-1]) * total


def _oral_unit(t, p: OralParameters):
    """Parent and metabolite amounts (per unit dose) at t >= 0 after one oral dose."""
    ka, ke, km = p.absorption_rate_per_h, p.elimination_rate_per_h, p.metabolite_rate_per_h
    f = p.bioavailability
    parent = f * _chain(t, [ka, ke])
    metab = (p.first_pass_to_metabolite * (1 - f) * _chain(t, [ka, km])
             + p.systemic_to_metabolite * f * _chain(t, [ka, ke, km]))
    return parent, metab


def _depot_unit(t, p: OralParameters, d: DepotParameters):
    """Parent and metabolite amounts per unit dose after an injection (no first pass)."""
    ke, km = p.elimination_rate_per_h, p.metabolite_rate_per_h
    kb = d.burst_rate_per_h
    kw = 1.0 / d.wave_peak_h  # two-step (gamma-2) release; its release rate peaks at 1/kw
    kt = np.log(2) / d.tail_half_life_h
    parts = ((d.burst_fraction, [kb]), (d.wave_fraction, [kw, kw]),
             (1.0 - d.burst_fraction - d.wave_fraction, [kt]))
    parent = sum(frac * _chain(t, steps + [ke]) for frac, steps in parts)
    metab = p.systemic_to_metabolite * sum(frac * _chain(t, steps + [ke, km]) for frac, steps in parts)
    return parent, metab


def simulate(events: Iterable[DoseEvent], time_h, *, params: OralParameters | None = None,
             depot: DepotParameters | None = None, liver: str = "normal") -> PKProfile:
    """Plasma concentrations for any list of dose events, by superposition of single doses.

    Parameters
    ----------
    events : iterable of DoseEvent
    time_h : 1-D array, h
        Times (>= 0) at which to report concentrations.
    params : OralParameters, optional
    depot : DepotParameters, optional
    liver : str
        "normal", "compensated cirrhosis" or "decompensated cirrhosis" (label oral AUC x1, x5,
        x10; tablets only).

    Examples
    --------
    >>> prof = simulate([DoseEvent(0.0, 50.0)], [1.0])
    >>> round(float(prof.naltrexone_ng_per_mL[0]), 1)
    12.4
    """
    events = list(events)
    if liver != "normal" and any(getattr(ev, "route", "oral") == "depot" for ev in events):
        raise ValueError(f"liver must be 'normal' for the injection; got {liver!r} (the label's "
                         "liver-disease exposure factors are for tablets only)")
    p = (params or OralParameters()).with_liver_function(liver)
    d = depot or DepotParameters()
    t = check_nonnegative("time_h", time_h)
    if t.ndim != 1:
        raise ValueError(f"time_h must be a 1-D array of times; got shape {t.shape}")
    parent = np.zeros_like(t)
    metab = np.zeros_like(t)
    for ev in events:
        if not isinstance(ev, DoseEvent):
            raise ValueError(f"events must be DoseEvent objects; got {ev!r}")
        dt = t - ev.time_h
        after = dt >= 0
        if not after.any():
            continue
        unit = _oral_unit if ev.route == "oral" else (lambda s, p=p: _depot_unit(s, p, d))
        pa, me = unit(dt[after], p)
        amount = _umol(ev.dose_mg)
        parent[after] += amount * pa
        metab[after] += amount * me
    # The closed forms subtract nearly equal exponentials at t ~ 0, which can leave -1e-13:
    # clip that round-off (true amounts are never negative).
    parent, metab = np.maximum(parent, 0.0), np.maximum(metab, 0.0)
    # umol / L = uM; x 1000 -> nM
    return PKProfile(time_h=t, naltrexone_nM=parent / p.volume_L * 1000.0,
                     naltrexol_nM=metab / p.metabolite_volume_L * 1000.0,
                     free_fraction=p.free_fraction)


def regimen(name_or_times, dose_mg: float, days: int, *, route: str = "oral") -> list[DoseEvent]:
    """Dose events for a named schedule over ``days`` days.

    ``name_or_times``: "single", "once daily" (08:00), "at bedtime" (22:00), "twice daily"
    (08:00 and 20:00), "every 4 weeks" (always the injection, whatever ``route``), or a list of
    distinct clock hours (0-24) for daily tablets. Times are hours from midnight of day 0.

    Examples
    --------
    >>> [e.time_h for e in regimen("twice daily", 1.0, 2)]
    [8.0, 20.0, 32.0, 44.0]
    """
    dose_mg = check_scalar("dose_mg", dose_mg)
    check_positive("dose_mg", dose_mg)
    days = check_integer("days", days, 1, 365)
    if isinstance(name_or_times, str):
        name = check_choice("schedule", name_or_times,
                            ("single", "once daily", "at bedtime", "twice daily", "every 4 weeks"))
        if name == "single":
            return [DoseEvent(0.0, dose_mg, route)]
        if name == "every 4 weeks":
            return [DoseEvent(28.0 * 24 * k, dose_mg, "depot") for k in range(int(np.ceil(days / 28)))]
        hours = {"once daily": [8.0], "at bedtime": [22.0], "twice daily": [8.0, 20.0]}[name]
    else:
        hours = as_float_array("hours", name_or_times).ravel().tolist()
        if len(set(hours)) != len(hours):
            raise ValueError(f"clock hours must not repeat (that would double a dose); got {name_or_times!r}")
        if not hours or min(hours) < 0 or max(hours) >= 24:
            raise ValueError("clock hours must be a non-empty list of values in [0, 24); "
                             f"got {name_or_times!r}")
    if check_choice("route", route, ("oral", "depot")) == "depot":
        raise ValueError("route 'depot' needs the schedule 'every 4 weeks'; the injection is not "
                         f"given {name_or_times!r}")
    return [DoseEvent(24.0 * day + h, dose_mg, "oral") for day in range(days) for h in sorted(hours)]


def oral_profile(dose_mg: float, time_h, **kw) -> PKProfile:
    """Single oral dose at time 0."""
    return simulate([DoseEvent(0.0, dose_mg)], time_h, **kw)


def depot_profile(dose_mg: float, time_h, **kw) -> PKProfile:
    """Single injection at time 0."""
    return simulate([DoseEvent(0.0, dose_mg, "depot")], time_h, **kw)


def exposure_ratio(liver: str, dose_mg: float = 50.0, hours: float = 72.0) -> float:
    """Naltrexone exposure (AUC of total plasma naltrexone over ``hours`` after one oral dose) in
    liver disease relative to normal function, from this module's liver model (the label's 5-10
    times higher exposure in cirrhosis)."""
    t = np.linspace(0.0, float(check_positive("hours", hours)), 2001)
    sick = simulate([DoseEvent(0.0, dose_mg, "oral")], t, liver=liver).naltrexone_nM
    well = simulate([DoseEvent(0.0, dose_mg, "oral")], t).naltrexone_nM
    return float(np.trapezoid(sick, t) / np.trapezoid(well, t))
