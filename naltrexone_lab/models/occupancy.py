"""Mu-receptor occupancy over time, by two models the evidence does not choose between for us.

(a) **Plasma equilibrium.** The brain sees free plasma naltrexone and 6-beta-naltrexol at every
instant and binds them at equilibrium with their binding Ki (Gaddum, chapter 1):
``occ = (Cn/Kn + Cm/Km) / (1 + Cn/Kn + Cm/Km)``.

(b) **Brain kinetics.** Occupancy follows slow apparent binding kinetics driven by free plasma
naltrexone: ``dB/dt = kon C (1 - B) - koff B``. The two rate constants lump entry into the brain
and binding; they are fitted (:func:`fit_brain_kinetics`) to human occupancy: shortly after
2, 5, 15 and 50 mg (PET, Rabiner et al. 2011) and the 72-108 h half-time of blockade after 50 mg
(Lee et al. 1988, a dual-detector positron system, not PET imaging), on top of the fitted
three-phase oral pharmacokinetics (:func:`naltrexone_lab.pharmacokinetics.fit_oral_kinetics`).
:func:`fit_brain_kinetics` returns the numbers quoted by the chapters; the module's tests list
them.

The two models agree at high doses and part company at low ones: "transient blockade" of
low-dose naltrexone is a claim about which model is right.

6-beta-naltrexol's mu Ki is the table's (chapter 1): 2-fold naltrexone's, the ratio Ko et al.
2006 measured in one assay. :data:`NALTREXOL_MU_KI_ALTERNATIVE_NM` (2.12 nM, Yancey-Wrona et al.
2009, a different assay: 19-fold) is kept as a named comparison; pass it as ``naltrexol_ki_nM``.

The fit compares the model with the PET values 4 h after the dose, the middle of Rabiner's
"less than 8 h" window; the result depends on that choice (:func:`pet_sensitivity_to_scan_time`),
which the chapter says.

References
----------
Rabiner EA, Beaver J, Makwana A, et al. (2011) Mol Psychiatry 16:826-835 (PET occupancy after
2-50 mg naltrexone, less than 8 h after dosing).
Ko MCH, Divin MF, Lee H, Woods JH, Traynor JR (2006) J Pharmacol Exp Ther 316:772-779
(6-beta-naltrexol: ~2-fold lower mu affinity in one assay, ~100-fold lower potency in vivo).
Yancey-Wrona JE, Raymond TJ, Mercer HK, et al. (2009) Life Sci 85:413-420 (6-beta-naltrexol mu
Ki 2.12 nM, the comparison value).
Lee MC, Wagner HN Jr, Tanada S, Frost JJ, Bice AN, Dannals RF (1988) J Nucl Med 29:1207-1211
(blockade half-time 72-108 h after 50 mg, measured with a dual-detector positron system and
[11C]carfentanil; terminal phase of plasma naltrexone 96 h).
Gaddum JH (1937) J Physiol 89:7P-9P.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._lazy import optimize
from ._stepping import exact_relaxation
from ._validation import check_choice, check_fraction, check_integer, check_nonnegative, check_positive
from .binding import multi_ligand_occupancy
from .ligands import ki_nM
from .pharmacokinetics import DoseEvent, PKProfile, oral_profile, regimen, simulate
from .units import time_grid_h, write_table

__all__ = [
    "LEE_1988_HALF_TIME_H",
    "MODELS",
    "NALTREXOL_MU_KI_ALTERNATIVE_NM",
    "OCCUPANCY_VIEWS",
    "PET_EVALUATION_TIME_H",
    "RABINER_2011_PET",
    "BrainKinetics",
    "BrainKineticsFit",
    "BlockadeSummary",
    "RegimenCourse",
    "binding_relaxation",
    "blockade_half_time_h",
    "pet_sensitivity_to_scan_time",
    "blockade_summary",
    "dose_occupancy_curve",
    "regimen_course",
    "brain_kinetic_occupancy",
    "brain_kinetic_occupancy_from_concentration",
    "fit_brain_kinetics",
    "hours_per_day_above",
    "mu_occupancy",
    "plasma_equilibrium_occupancy",
    "plasma_equilibrium_occupancy_from_concentration",
    "value_at",
]

MODELS = ("plasma equilibrium", "brain kinetics")

#: 6-beta-naltrexol mu Ki (nM) from Yancey-Wrona et al. 2009 Life Sci 85:413, as compiled in
#: secondary sources: measured in a different assay from the table's naltrexone Ki, so it makes
#: the metabolite 19-fold weaker where Ko et al. 2006 found 2-fold in one assay. Kept to show
#: what the other source set gives; the course uses the table's value.
NALTREXOL_MU_KI_ALTERNATIVE_NM = 2.12

#: The three views of occupancy that chapters 2 and 5 compare: label -> (model, whether
#: 6-beta-naltrexol counts). The metabolite choice matters only under plasma equilibrium.
OCCUPANCY_VIEWS = {
    "plasma eq., parent only": ("plasma equilibrium", False),
    "plasma eq. + 6β-naltrexol": ("plasma equilibrium", True),
    "brain kinetics (PET fit)": ("brain kinetics", True),
}

#: PET mu occupancy (fraction) shortly after single oral doses (mg): (low, high) of the reported
#: value or range. Rabiner et al. 2011 Mol Psychiatry 16:826.
RABINER_2011_PET = {2.0: (0.27, 0.27), 5.0: (0.43, 0.58), 15.0: (0.61, 0.61), 50.0: (0.92, 0.98)}

#: When the model is compared with those scans: 4 h after the dose, the middle of the reported
#: "less than 8 h" window (exact scan times are not in the course's sources).
PET_EVALUATION_TIME_H = 4.0

#: Half-time of brain mu blockade after 50 mg (h), Lee et al. 1988 J Nucl Med 29:1207.
LEE_1988_HALF_TIME_H = (72.0, 108.0)


def plasma_equilibrium_occupancy(profile: PKProfile, include_metabolite: bool = True,
                                 naltrexol_ki_nM: float | None = None) -> np.ndarray:
    """Model (a): equilibrium occupancy by free naltrexone and (optionally) free 6-beta-naltrexol.

    Uses the mu Ki of both from the ligand table (chapter 1). 6-beta-naltrexol binds mu only
    about 2-fold less tightly than naltrexone but is about 100-fold less potent in monkeys
    (Ko et al. 2006 J Pharmacol Exp Ther 316:772), which suggests it reaches brain receptors
    poorly; ``include_metabolite=False`` shows what the model says if it does not reach them.
    ``naltrexol_ki_nM`` replaces the metabolite's Ki (e.g. :data:`NALTREXOL_MU_KI_ALTERNATIVE_NM`).
    """
    return plasma_equilibrium_occupancy_from_concentration(
        profile.free_naltrexone_nM, profile.free_naltrexol_nM if include_metabolite else None,
        naltrexol_ki_nM=naltrexol_ki_nM)


def plasma_equilibrium_occupancy_from_concentration(free_naltrexone_nM, free_naltrexol_nM=None,
                                                    naltrexol_ki_nM: float | None = None):
    """Model (a) for any free concentrations (nM; arrays of any shape that broadcast, e.g. one
    row per dose): Gaddum occupancy by naltrexone and, unless it is None, 6-beta-naltrexol
    (mu Ki from the ligand table, or ``naltrexol_ki_nM`` in nM)."""
    if free_naltrexol_nM is None:
        return multi_ligand_occupancy([free_naltrexone_nM], [ki_nM("naltrexone", "mu")])[0]
    k_met = (ki_nM("6-beta-naltrexol", "mu") if naltrexol_ki_nM is None
             else float(check_positive("naltrexol_ki_nM", naltrexol_ki_nM)))
    p_ntx, p_met = multi_ligand_occupancy(
        [free_naltrexone_nM, free_naltrexol_nM],
        [ki_nM("naltrexone", "mu"), k_met],
    )
    return p_ntx + p_met


@dataclass(frozen=True)
class BrainKinetics:
    """Apparent brain binding kinetics of naltrexone at mu (model b).

    Attributes
    ----------
    kon_per_nM_per_h : float, 1/(nM h)
        Apparent association rate constant per nM of free plasma naltrexone.
    koff_per_h : float, 1/h
        Apparent dissociation rate constant.

    The defaults are the result of :func:`fit_brain_kinetics` on Rabiner et al. 2011 and Lee et
    al. 1988 with the default pharmacokinetics (a test re-runs the fit and checks them).
    """

    kon_per_nM_per_h: float = 0.069254
    koff_per_h: float = 0.0098436

    def __post_init__(self):
        check_positive("kon_per_nM_per_h", self.kon_per_nM_per_h)
        check_positive("koff_per_h", self.koff_per_h)

    @property
    def apparent_kd_nM(self) -> float:
        """koff / kon (nM of free plasma naltrexone)."""
        return self.koff_per_h / self.kon_per_nM_per_h

    @property
    def dissociation_half_time_h(self) -> float:
        return float(np.log(2) / self.koff_per_h)


def brain_kinetic_occupancy(profile: PKProfile, kinetics: BrainKinetics | None = None,
                            initial: float = 0.0) -> np.ndarray:
    """Model (b): integrate ``dB/dt = kon C (1 - B) - koff B`` on the profile's time grid.

    Each step is solved exactly for the concentration averaged over the step (the equation is
    linear in B), so the result is stable for any step; accuracy needs steps short compared with
    the plasma half-life (the convergence test uses 0.05 h versus 0.0125 h).
    """
    return brain_kinetic_occupancy_from_concentration(profile.time_h, profile.free_naltrexone_nM,
                                                      kinetics, initial)


def brain_kinetic_occupancy_from_concentration(time_h, free_naltrexone_nM,
                                               kinetics: BrainKinetics | None = None,
                                               initial: float = 0.0) -> np.ndarray:
    """Model (b) for any free naltrexone concentrations (nM) on the grid ``time_h`` (h).

    ``free_naltrexone_nM`` may be 2-D with time along the last axis (one row per dose, say): the
    rows are integrated together, which is how chapter 5's dose maps stay fast.
    """
    k = kinetics or BrainKinetics()
    return binding_relaxation(time_h, free_naltrexone_nM, k.kon_per_nM_per_h, k.koff_per_h, initial)


def binding_relaxation(time_h, free_naltrexone_nM, kon_per_nM_per_h, koff_per_h,
                       initial: float = 0.0) -> np.ndarray:
    """Model (b)'s integration with rate constants given as numbers or as arrays that broadcast
    against the rows of ``free_naltrexone_nM`` (shape ``(n, 1)`` for one pair per person of a
    virtual cohort); :func:`brain_kinetic_occupancy_from_concentration` validates them."""
    b0 = float(check_fraction("initial", initial))
    t = np.asarray(time_h, dtype=float)
    if t.ndim != 1 or t.size < 2 or not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        bad = "" if np.all(np.isfinite(t)) else " with NaN or infinity"
        raise ValueError(f"time_h must hold at least two strictly increasing, finite times (h); "
                         f"got {t.size} values{bad}")
    c = check_nonnegative("free_naltrexone_nM", free_naltrexone_nM)
    if c.shape[-1] != t.size:
        raise ValueError(f"free_naltrexone_nM must have time ({t.size} points) along its last axis; "
                         f"got shape {c.shape}")
    c_mid = 0.5 * (c[..., 1:] + c[..., :-1])
    rate = kon_per_nM_per_h * c_mid + koff_per_h
    b_eq = kon_per_nM_per_h * c_mid / rate
    return exact_relaxation(rate * np.diff(t), b_eq, b0)


def mu_occupancy(profile: PKProfile, model: str = "brain kinetics",
                 kinetics: BrainKinetics | None = None, include_metabolite: bool = True) -> np.ndarray:
    """Mu occupancy (fraction) over the profile's times under ``model`` ("plasma equilibrium" or
    "brain kinetics"); ``include_metabolite`` applies to the plasma-equilibrium model."""
    model = check_choice("model", model, MODELS)
    if model == "plasma equilibrium":
        return plasma_equilibrium_occupancy(profile, include_metabolite)
    return brain_kinetic_occupancy(profile, kinetics)


def hours_per_day_above(time_h, occupancy, threshold: float, *, last_days: int | None = None):
    """Mean hours per day that occupancy spends at or above ``threshold`` (fraction).

    Counts time by linear interpolation between samples. With ``last_days``, only the final
    ``last_days`` whole days of the grid count (to skip the build-up to steady state).
    ``occupancy`` may be 2-D with time along its last axis (one row per person of a cohort):
    the result is then one value per row.

    Examples
    --------
    >>> t = np.linspace(0, 48, 481)
    >>> round(float(hours_per_day_above(t, (np.sin(2 * np.pi * t / 24) + 1) / 2, 0.5)), 2)
    12.0
    """
    t = check_nonnegative("time_h", time_h)
    occ = check_fraction("occupancy", occupancy)
    thr = float(check_fraction("threshold", threshold))
    if t.ndim != 1 or t.size < 2 or occ.ndim not in (1, 2) or occ.shape[-1] != t.size:
        raise ValueError(f"time_h (1-D, length >= 2) and occupancy (1-D, or 2-D with time along its "
                         f"last axis) must have equal length in time; got {t.shape} and {occ.shape}")
    if np.any(np.diff(t) <= 0):
        raise ValueError("time_h must be strictly increasing")
    if last_days is not None:
        last_days = check_integer("last_days", last_days, 1, 100_000)
        start = t[-1] - 24.0 * last_days
        if start < t[0] - 1e-9:
            raise ValueError(f"last_days={last_days} is longer than the simulated "
                             f"{(t[-1] - t[0]) / 24:.1f} days")
        keep = t >= start - 1e-9
        t, occ = t[keep], occ[..., keep]
    above = occ >= thr
    dt = np.diff(t)
    before, after = above[..., :-1], above[..., 1:]
    total = np.sum(np.where(before & after, dt, 0.0), axis=-1)
    # a crossing counts the part of its step on the high side (linear between the samples)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = (thr - occ[..., :-1]) / (occ[..., 1:] - occ[..., :-1])
    part = np.where(after, dt * (1 - frac), dt * frac)
    total = total + np.sum(np.where(before != after, part, 0.0), axis=-1)
    result = total / ((t[-1] - t[0]) / 24.0)
    return float(result) if occ.ndim == 1 else result


def blockade_half_time_h(time_h, occupancy) -> float:
    """Time (h) from peak occupancy until it first falls to half of the peak (inf if never)."""
    t = check_nonnegative("time_h", time_h)
    occ = check_fraction("occupancy", occupancy)
    if t.shape != occ.shape or t.ndim != 1 or np.any(np.diff(t) <= 0):
        raise ValueError("time_h must be strictly increasing and match occupancy in length")
    if occ.max() <= 0:
        raise ValueError("occupancy must rise above 0 for a blockade half-time to exist")
    i = int(np.argmax(occ))
    below = np.nonzero(occ[i:] <= occ[i] / 2.0)[0]
    if below.size == 0:
        return float("inf")
    j = i + below[0]
    # interpolate between j-1 and j
    frac = (occ[j - 1] - occ[i] / 2.0) / (occ[j - 1] - occ[j])
    return float(t[j - 1] + frac * (t[j] - t[j - 1]) - t[i])


@dataclass(frozen=True)
class BlockadeSummary:
    """Occupancy on the last day of a repeated-dosing simulation.

    Attributes
    ----------
    hours_above_50, hours_above_90 : float, h per day
    lowest, highest : float, fraction
    mean : float, fraction
        Time-averaged occupancy over the last day.
    """

    hours_above_50: float
    hours_above_90: float
    lowest: float
    highest: float
    mean: float


def blockade_summary(dose_mg: float, schedule: str, model: str, *, include_metabolite: bool = True,
                     days: int = 7, step_h: float = 0.05) -> BlockadeSummary:
    """Simulate ``days`` days of a named oral schedule and summarise occupancy on the last day."""
    check_positive("step_h", step_h)
    t = time_grid_h(24.0 * int(days), step_h)
    occ = mu_occupancy(simulate(regimen(schedule, dose_mg, days), t), model,
                       include_metabolite=include_metabolite)
    keep = t >= t[-1] - 24.0 - 1e-9
    last = occ[keep]
    return BlockadeSummary(hours_per_day_above(t, occ, 0.5, last_days=1),
                           hours_per_day_above(t, occ, 0.9, last_days=1),
                           float(last.min()), float(last.max()),
                           float(np.trapezoid(last, t[keep]) / (t[keep][-1] - t[keep][0])))


@dataclass(frozen=True)
class RegimenCourse:
    """Plasma levels and occupancy over a dosing regimen, with the numbers a prescriber reads.

    Attributes
    ----------
    time_h : ndarray, h
    profile : PKProfile
    occupancy : ndarray, fraction
    cmax_ng_per_mL : float, ng/mL
        Highest naltrexone level after the first dose and before the next one (for twice-daily
        dosing, the morning dose's peak, not the evening's).
    tmax_h : float, h
        Time of that peak after the first dose, between grid points: the vertex of the parabola
        through the highest grid point and its two neighbours (a peak that falls halfway between
        two points of a 0.1 h grid would otherwise flip between them).
    trough_ng_per_mL : float, ng/mL
        Lowest naltrexone level over the last 24 h simulated.
    hours_above_50, hours_above_90 : float, h per day
        Time at or above 50% and 90% occupancy over the last 24 h.
    mean_occupancy : float, fraction
        Time-averaged occupancy over the whole simulation.
    """

    time_h: np.ndarray
    profile: PKProfile
    occupancy: np.ndarray
    cmax_ng_per_mL: float
    tmax_h: float
    trough_ng_per_mL: float
    hours_above_50: float
    hours_above_90: float
    mean_occupancy: float

    def table(self) -> dict[str, np.ndarray]:
        """The curves as columns: time (h), total plasma naltrexone and 6-beta-naltrexol (ng/mL)
        and occupancy (fraction)."""
        return {"time_h": self.time_h, "naltrexone_ng_per_mL": self.profile.naltrexone_ng_per_mL,
                "naltrexol_ng_per_mL": self.profile.naltrexol_ng_per_mL,
                "occupancy_fraction": self.occupancy}

    def to_csv(self, path) -> Path:
        """Write :meth:`table` to ``path`` as CSV and return the path:
        ``regimen_course(...).to_csv("regimen.csv")``."""
        return write_table(path, self.table())


def regimen_course(events: list[DoseEvent], time_h, model: str, *, include_metabolite: bool = True,
                   liver: str = "normal") -> RegimenCourse:
    """Simulate a list of dose events on ``time_h`` (h, increasing, starting at or before the
    first dose) and summarise it (:class:`RegimenCourse`).

    >>> from naltrexone_lab.pharmacokinetics import regimen
    >>> t = np.arange(0.0, 24.0 * 3 + 0.05, 0.1)
    >>> course = regimen_course(regimen("twice daily", 25.0, 3), t, "plasma equilibrium")
    >>> 0.5 < course.tmax_h < 2.0  # the morning dose's peak, not the evening dose's
    True
    """
    events = list(events)
    if not events:
        raise ValueError("events must hold at least one dose; got none")
    t = np.asarray(time_h, dtype=float)
    if t.ndim != 1 or t.size < 2 or not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise ValueError("time_h must be at least two finite, increasing times in hours")
    first = min(e.time_h for e in events)
    if t[0] > first:
        raise ValueError(f"time_h must start at or before the first dose ({first} h); got {t[0]} h")
    profile = simulate(events, t, liver=liver)
    occ = mu_occupancy(profile, model, include_metabolite=include_metabolite)
    later = [e.time_h for e in events if e.time_h > first]
    window = (t >= first) & (t < min([first + 24.0, *later]))
    c = profile.naltrexone_ng_per_mL
    peak = int(np.argmax(np.where(window, c, -1.0)))
    tmax = float(t[peak])
    if 0 < peak < t.size - 1 and window[peak - 1] and window[peak + 1]:
        (t0, t1, t2), (y0, y1, y2) = t[peak - 1:peak + 2], c[peak - 1:peak + 2]
        den = (t1 - t0) * (y1 - y2) - (t1 - t2) * (y1 - y0)
        if den != 0:  # the vertex of the parabola through the three points
            num = (t1 - t0) ** 2 * (y1 - y2) - (t1 - t2) ** 2 * (y1 - y0)
            tmax = float(min(max(t1 - 0.5 * num / den, t0), t2))
    last_day = t >= t[-1] - 24.0
    return RegimenCourse(
        time_h=t, profile=profile, occupancy=occ,
        cmax_ng_per_mL=float(c[peak]), tmax_h=tmax - first,
        trough_ng_per_mL=float(profile.naltrexone_ng_per_mL[last_day].min()),
        hours_above_50=hours_per_day_above(t, occ, 0.5, last_days=1),
        hours_above_90=hours_per_day_above(t, occ, 0.9, last_days=1),
        mean_occupancy=float(np.trapezoid(occ, t) / (t[-1] - t[0])),
    )


def dose_occupancy_curve(doses_mg, hours_after: float, *, include_metabolite: bool = True,
                         step_h: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Occupancy ``hours_after`` a single oral dose, for each dose, by model (a) and model (b).

    The oral kinetics are linear, so one unit-dose profile scaled by each dose gives every
    plasma curve. Returns ``(plasma_equilibrium, brain_kinetics)``, fractions, one per dose.

    >>> a, b = dose_occupancy_curve([2.0, 50.0], 4.0)
    >>> bool(a[0] > b[0]) and bool(b[1] > 0.9)  # the models part company at low doses only
    True
    """
    doses = np.atleast_1d(check_positive("doses_mg", doses_mg)).astype(float)
    t_after = float(check_positive("hours_after", hours_after))
    check_positive("step_h", step_h)
    t = time_grid_h(t_after, step_h)
    unit = oral_profile(1.0, t)
    # every dose at once: one row per dose (the plasma curves are the unit curve scaled)
    scale = doses[:, None]
    prof = PKProfile(t, unit.naltrexone_nM * scale, unit.naltrexol_nM * scale, unit.free_fraction)
    occ_a = plasma_equilibrium_occupancy(prof, include_metabolite)
    occ_b = brain_kinetic_occupancy(prof)
    return value_at(t, occ_a, t_after), value_at(t, occ_b, t_after)


def value_at(time_h, values, at_h: float) -> np.ndarray:
    """Each row of ``values`` (time along the last axis, on ``time_h``) at ``at_h`` (h, inside
    the grid), interpolated linearly as :func:`numpy.interp` does."""
    t = np.asarray(time_h, dtype=float)
    i = int(np.clip(np.searchsorted(t, at_h, side="right"), 1, t.size - 1))
    w = (at_h - t[i - 1]) / (t[i] - t[i - 1])
    return values[..., i - 1] + w * (values[..., i] - values[..., i - 1])


@dataclass(frozen=True)
class BrainKineticsFit:
    """Result of :func:`fit_brain_kinetics`.

    Attributes
    ----------
    kinetics : BrainKinetics
    pet_predicted : dict of float to float
        Predicted occupancy at the PET evaluation time for each Rabiner dose (mg).
    pet_distance : dict of float to float
        Distance (fraction) from each prediction to the reported value or range (0 inside).
    half_time_h : float
        Predicted blockade half-time after 50 mg (h).
    """

    kinetics: BrainKinetics
    pet_predicted: dict
    pet_distance: dict
    half_time_h: float


def _predict(kin: BrainKinetics, grid_h: np.ndarray):
    pet = {d: float(np.interp(PET_EVALUATION_TIME_H, grid_h,
                              brain_kinetic_occupancy(oral_profile(d, grid_h), kin)))
           for d in RABINER_2011_PET}
    half = blockade_half_time_h(grid_h, brain_kinetic_occupancy(oral_profile(50.0, grid_h), kin))
    return pet, half


def fit_brain_kinetics(step_h: float = 0.05, horizon_h: float = 400.0) -> BrainKineticsFit:
    """Fit kon and koff of model (b) by least squares, reproducibly (deterministic start).

    Residuals: for each Rabiner dose, the distance from the predicted occupancy at 4 h to the
    reported value or range; and the distance of the predicted 50 mg blockade half-time from the
    middle of Lee's 72-108 h, scaled so that 30 h counts like 10 occupancy points.
    """
    check_positive("step_h", step_h)
    grid = time_grid_h(float(check_positive("horizon_h", horizon_h)), step_h)
    target_half = float(np.mean(LEE_1988_HALF_TIME_H))

    def residuals(log_params):
        kin = BrainKinetics(*np.exp(log_params))
        pet, half = _predict(kin, grid)
        r = [min(0.0, pet[d] - lo) + max(0.0, pet[d] - hi) for d, (lo, hi) in RABINER_2011_PET.items()]
        r.append((half - target_half) / 300.0)
        return r

    sol = optimize.least_squares(residuals, np.log([0.05, 0.01]), xtol=1e-10, ftol=1e-10)
    kin = BrainKinetics(*(float(x) for x in np.exp(sol.x)))
    pet, half = _predict(kin, grid)
    dist = {d: min(0.0, pet[d] - lo) + max(0.0, pet[d] - hi) for d, (lo, hi) in RABINER_2011_PET.items()}
    return BrainKineticsFit(kinetics=kin, pet_predicted=pet, pet_distance=dist, half_time_h=half)


def pet_sensitivity_to_scan_time(times_h=(2.0, 4.0, 8.0), kinetics: BrainKinetics | None = None,
                                 step_h: float = 0.05) -> dict:
    """Model (b)'s occupancy after each Rabiner dose at several scan times (h): {time: {dose:
    fraction}}. Rabiner et al. 2011 scanned "less than 8 h" after the dose; the fit uses 4 h."""
    times = np.atleast_1d(check_positive("times_h", times_h)).astype(float)
    check_positive("step_h", step_h)
    grid = time_grid_h(float(times.max()), step_h)
    out = {}
    for when in times.tolist():
        out[when] = {d: float(np.interp(when, grid, brain_kinetic_occupancy(oral_profile(d, grid), kinetics)))
                     for d in RABINER_2011_PET}
    return out
