"""Adaptation over days: the dopamine "crash", receptor down- and upregulation, D2 availability.

Three slow processes are driven by the chapter 3 circuit and chapter 2's naltrexone occupancy.
Each is a linear first-order equation in its state, with rates that depend on the drugs, so each
has a closed-form steady state and half-time for constant inputs:

1. **Mu receptor regulation.** ``R`` is the density of functional mu receptors (1 = drug-naive).
   Receptors are made at a constant rate and removed in proportion to their number, faster when
   an agonist holds them (desensitisation, internalisation) and slower when naltrexone holds them
   (antagonist-bound receptors escape turnover)::

       dR/dt = k_R [1 - R (1 + alpha o_A - beta o_N)]
       R* = 1 / (1 + alpha o_A - beta o_N),   t_1/2 = ln 2 / (k_R (1 + alpha o_A - beta o_N))

   ``o_A`` and ``o_N`` are the occupancies of agonist and naltrexone with both present (Gaddum).
2. **The opponent b-process** (Solomon & Corbit 1974). The a-process is the drug's direct
   effect: the rise of accumbens dopamine the circuit computes, ``a = D_circuit / D_0 - 1``
   (using the current receptor density, so upregulated receptors make an opioid more potent).
   The b-process grows while the a-process is on and decays with disuse; it subtracts from
   the dopamine signal, which is what is left of the drug's effect::

       db/dt = k_up a (1 - b) - k_down b          b in [0, 1)
       signal = (1 + a)(1 - b)                    1 = drug-naive baseline

   With no drug, ``signal = 1 - b``: the crash. It is deepest right after the last dose and
   recovers with the half-time ``ln 2 / k_down``. Starting naltrexone during use removes ``a``
   at once and so uncovers the same crash early (the model has no other withdrawal syndrome).
3. **D2 availability.** ``S`` (1 = drug-naive), the striatal D2 receptor level PET measures,
   falls while dopamine surges are frequent and recovers slowly. It is shown, not fed back
   into the signal::

       dS/dt = k_S [1 - S (1 + kappa a)]          S* = 1 / (1 + kappa a)

Allostasis (Koob & Le Moal 2001) is the b-process seen over weeks: the set point of the reward
signal shifts down while the drug is used and stays down for days after it stops.

Calibration and confidence (details in :class:`AdaptationParameters`): upregulation at full
blockade +85% (mouse: +80%, Lesscher et al. 2003; about +90%, Rajashekara et al. 2003) (H);
receptor turnover half-time 1 day, so that 8 days of blockade reach the plateau and
upregulation reverses within a week (L);
b-process decay half-time 3 days, so that dopamine is still below baseline 7 days into
withdrawal (Acquas & Di Chiara 1992) (M); depth of the crash, agonist-driven receptor loss and
the D2 term are set to single published or recalled figures (L-M). Agonist-driven receptor loss
is the same for every agonist, although binding studies find little loss with morphine and
more with etorphine or buprenorphine. The model has no physical withdrawal syndrome, learning,
cues, stress systems or kappa/dynorphin component, all of which shape craving.

One prediction disagrees with human data, and the chapter says so: the model's dopamine
signal halves within hours when naltrexone is given during dependence, but [11C]raclopride
binding, which competes with dopamine, did not change during naloxone-precipitated withdrawal
(Wang et al. 1997).

References
----------
Solomon RL, Corbit JD (1974) Psychol Rev 81:119-145.
Koob GF, Le Moal M (2001) Neuropsychopharmacology 24:97-129.
Acquas E, Di Chiara G (1992) J Neurochem 58:1620-1625.
Lesscher HMB, Bailey A, Burbach JPH, et al. (2003) Eur J Neurosci 17:1006-1012.
Rajashekara V, Patel CN, Patel K, Purohit V, Yoburn BC (2003) J Pharmacol Exp Ther (CXBK and
Swiss Webster mice; volume and pages not re-read).
Zukin RS, Sugarman JR, Fitz-Syage ML, et al. (1982) Brain Res 245:285-292.
Unterwald EM, Rubenfeld JM, Imai Y, et al. (1995) Mol Brain Res 33:351-355.
Yoburn BC, et al. (1993) J Pharmacol Exp Ther 265:314-320.
Wang GJ, Volkow ND, Fowler JS, et al. (1997) Neuropsychopharmacology 16:174-182.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from . import mesolimbic as M
from ._stepping import exact_relaxation
from ._validation import (
    check_choice,
    check_fraction,
    check_in_range,
    check_integer,
    check_nonnegative,
    check_positive,
    scalar_or_array,
)
from .binding import multi_ligand_occupancy
from .occupancy import mu_occupancy
from .pharmacokinetics import DoseEvent
from .pharmacokinetics import simulate as pk_simulate
from .units import time_grid_h

__all__ = [
    "AdaptationParameters",
    "Schedule",
    "Simulation",
    "challenge_rise_in_abstinence",
    "d2_steady_state",
    "half_time_h",
    "linear_relaxation",
    "occupancies_together",
    "receptor_density_course",
    "receptor_half_time_h",
    "receptor_steady_state",
    "regulation_time_course",
    "simulate",
]


@dataclass(frozen=True)
class AdaptationParameters:
    """Rates of the slow processes, each with its unit and source.

    Attributes
    ----------
    receptor_turnover_half_time_h : float, h
        Half-time for functional mu receptors to return to normal with no drug: 24 h. Chosen so
        that the 8-day naltrexone protocols of the mouse studies below reach their plateau
        (within 5%: under full blockade the half-time lengthens to 44 h), and so that
        upregulation reverses within about a week of stopping (Yoburn laboratory; recalled,
        not re-read) (L).
    antagonist_protection : float, dimensionless in [0, 1)
        ``beta``: fraction by which naltrexone-bound receptors escape removal. 0.46 gives +85% at
        full blockade, between +80% (Lesscher et al. 2003 Eur J Neurosci 17:1006,
        autoradiography) and about +90% (Rajashekara et al. 2003 J Pharmacol Exp Ther),
        both in mice after 8 days of naltrexone. Upregulation without a change in mRNA
        (Unterwald et al. 1995; Rajashekara 2003) is why removal, not synthesis, carries it in
        the model (M: unchanged mRNA does not rule out changes in translation).
    agonist_removal : float, dimensionless
        ``alpha``: extra removal of agonist-bound receptors. 0.67 makes continuous full
        occupancy remove 40% of functional receptors. Efficacious agonists (etorphine) lower mu
        binding and buprenorphine lowers it by 25-77% in rats; morphine causes tolerance with
        little loss of binding sites (Yoburn et al. 1993), so read ``R`` as *functional*
        receptors. The 40% is not from a measurement (L).
    b_decay_half_time_h : float, h
        Recovery half-time of the b-process: 72 h, so that accumbens dopamine stays below
        baseline on day 7 of withdrawal, after a marked fall on days 1-5 (Acquas & Di Chiara
        1992 J Neurochem 58:1620) (M).
    b_growth_per_h : float, 1/h per unit a-process
        ``k_up``: growth of the b-process per unit of dopamine rise. Set so that 14 days of
        the reference schedule (:meth:`Schedule.reference_dependence`) leave a crash of about
        50% below baseline on the first day of withdrawal. Microdialysis shows a "marked"
        fall (Acquas & Di Chiara 1992; Rossetti et al. 1992); the abstracts give no magnitude,
        so 50% is a choice (L).
    d2_half_time_h : float, h
        Recovery half-time of D2 availability: 72 h, the same as the b-process. No measured time
        course exists; this is a choice (L).
    d2_downregulation : float, dimensionless
        ``kappa``: set so that the reference schedule lowers D2 availability by 18%, the
        difference in striatal [11C]raclopride Bmax/Kd between opioid-dependent people and
        controls (2.44 versus 2.97; Wang et al. 1997 Neuropsychopharmacology 16:174) (M). Those
        were long-term heroin and methadone users, not two weeks of use.
    """

    receptor_turnover_half_time_h: float = 24.0
    antagonist_protection: float = 0.46
    agonist_removal: float = 0.67
    b_decay_half_time_h: float = 72.0
    b_growth_per_h: float = 0.0129
    d2_half_time_h: float = 72.0
    d2_downregulation: float = 0.200

    def __post_init__(self):
        for name in ("receptor_turnover_half_time_h", "b_decay_half_time_h", "d2_half_time_h",
                     "b_growth_per_h"):
            check_positive(name, getattr(self, name))
        check_fraction("antagonist_protection", self.antagonist_protection, open_high=True)
        check_nonnegative("agonist_removal", self.agonist_removal)
        check_nonnegative("d2_downregulation", self.d2_downregulation)

    @property
    def k_receptor_per_h(self) -> float:
        return math.log(2.0) / self.receptor_turnover_half_time_h

    @property
    def k_b_decay_per_h(self) -> float:
        return math.log(2.0) / self.b_decay_half_time_h

    @property
    def k_d2_per_h(self) -> float:
        return math.log(2.0) / self.d2_half_time_h


# --- closed forms ----------------------------------------------------------------------------------
def receptor_steady_state(agonist_occupancy=0.0, naltrexone_occupancy=0.0,
                          params: AdaptationParameters | None = None):
    """Functional mu receptor density (fraction of normal) at steady state under constant bound
    fractions: ``R* = 1 / (1 + alpha o_A - beta o_N)``.

    Examples
    --------
    >>> round(float(receptor_steady_state(0.0, 1.0)), 3)  # full, continuous blockade
    1.852
    """
    p = params or AdaptationParameters()
    o_a = check_fraction("agonist_occupancy", agonist_occupancy)
    o_n = check_fraction("naltrexone_occupancy", naltrexone_occupancy)
    if np.any(o_a + o_n > 1.0 + 1e-12):
        raise ValueError("agonist_occupancy + naltrexone_occupancy must not exceed 1 (they share "
                         f"the receptors); got {agonist_occupancy!r} and {naltrexone_occupancy!r}")
    return scalar_or_array(1.0 / (1.0 + p.agonist_removal * o_a - p.antagonist_protection * o_n))


def receptor_half_time_h(agonist_occupancy=0.0, naltrexone_occupancy=0.0,
                         params: AdaptationParameters | None = None):
    """Half-time (h) of the approach to :func:`receptor_steady_state` under constant occupancies:
    ``ln 2 / (k_R (1 + alpha o_A - beta o_N))``. Blockade slows it, agonist speeds it.

    Examples
    --------
    >>> round(float(receptor_half_time_h(0.0, 0.0)), 6)
    24.0
    """
    p = params or AdaptationParameters()
    r_star = receptor_steady_state(agonist_occupancy, naltrexone_occupancy, p)
    return scalar_or_array(p.receptor_turnover_half_time_h * r_star)


def d2_steady_state(a_process, params: AdaptationParameters | None = None):
    """D2 availability (fraction of normal) under a constant dopamine rise ``a_process``
    (fraction above baseline, >= 0): ``S* = 1 / (1 + kappa a)``."""
    p = params or AdaptationParameters()
    a = check_nonnegative("a_process", a_process)
    return scalar_or_array(1.0 / (1.0 + p.d2_downregulation * a))


def half_time_h(rate_per_h):
    """``ln 2 / rate`` (h) for a first-order rate (1/h, > 0)."""
    return scalar_or_array(math.log(2.0) / check_positive("rate_per_h", rate_per_h))


def linear_relaxation(time_h, gain_per_h, loss_per_h, initial: float):
    """Solve ``dy/dt = g(t) - l(t) y`` on a grid, exactly for inputs constant over each step
    (taken as the mean of the step's end points).

    Exact stepping keeps the solution positive and bounded for any step length when ``g >= 0``
    and ``l > 0``; the convergence test compares steps of 0.2 h and 0.05 h. ``g`` and ``l`` may
    carry extra leading axes (time last): the rows are solved together.
    """
    t = check_nonnegative("time_h", time_h)
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0):
        raise ValueError("time_h must be a 1-D, strictly increasing array of at least 2 times")
    g = check_nonnegative("gain_per_h", gain_per_h)
    loss = check_positive("loss_per_h", loss_per_h)
    try:
        shape = np.broadcast_shapes(g.shape, loss.shape, t.shape)
    except ValueError:
        raise ValueError(f"gain_per_h {g.shape} and loss_per_h {loss.shape} must broadcast against "
                         f"time_h ({t.size},) along their last axis") from None
    dt = np.diff(t)

    def step_mean(x):  # an input constant in time (last axis of length 1) is its own mean
        return x if x.ndim == 0 or x.shape[-1] == 1 else 0.5 * (x[..., 1:] + x[..., :-1])

    steps = shape[:-1] + (t.size - 1,)
    g_mid, l_mid = np.broadcast_to(step_mean(g), steps), np.broadcast_to(step_mean(loss), steps)
    return exact_relaxation(l_mid * dt, g_mid / l_mid, float(initial))


def receptor_density_course(time_h, naltrexone_bound, agonist_bound=0.0,
                            params: AdaptationParameters | None = None):
    """Functional mu receptor density (fraction of normal) on the grid ``time_h`` for bound
    fractions that vary in time (arrays with time last; extra leading axes are solved together),
    starting from normal: ``dR/dt = k_R [1 - R (1 + alpha o_A - beta o_N)]``."""
    p = params or AdaptationParameters()
    o_n = check_fraction("naltrexone_bound", naltrexone_bound)
    o_a = check_fraction("agonist_bound", agonist_bound)
    loss = p.k_receptor_per_h * (1.0 + p.agonist_removal * o_a - p.antagonist_protection * o_n)
    return linear_relaxation(time_h, p.k_receptor_per_h, loss, 1.0)


def regulation_time_course(time_h, agonist_occupancy=0.0, naltrexone_occupancy=0.0, *,
                           stop_h: float | None = None, params: AdaptationParameters | None = None):
    """Receptor density (fraction of normal) over ``time_h`` when constant bound fractions are
    held from t = 0 until ``stop_h`` (h; None = never stopped), starting from normal density.

    Examples
    --------
    >>> r = regulation_time_course([0.0, 24.0 * 60], 0.0, 1.0)
    >>> round(float(r[-1]), 3)
    1.852
    """
    p = params or AdaptationParameters()
    t = check_nonnegative("time_h", time_h)
    receptor_steady_state(agonist_occupancy, naltrexone_occupancy, p)  # validates the pair
    on = np.ones_like(t) if stop_h is None else (t < check_nonnegative("stop_h", stop_h)).astype(float)
    loss = p.k_receptor_per_h * (1.0 + on * (p.agonist_removal * float(agonist_occupancy)
                                             - p.antagonist_protection * float(naltrexone_occupancy)))
    return linear_relaxation(t, p.k_receptor_per_h, loss, 1.0)


# --- schedules and simulation ----------------------------------------------------------------------
@dataclass(frozen=True)
class Schedule:
    """Opioid use, an optional relapse, and naltrexone treatment over a simulated period.

    Attributes
    ----------
    opioid : str
        morphine, fentanyl or buprenorphine (chapter 3's agonists).
    use_days : int, days
        Days of opioid use, starting on day 0 (0 = none).
    peak_occupancy : float, fraction in [0, 1)
        Peak mu occupancy of each opioid dose taken alone.
    hours_between_doses : float, h
        Interval between doses on days of use (4-24 h).
    relapse_day : float or None, day
        First day of a later episode of use (same dose and interval), or None.
    relapse_days : int, days
        Length of that episode.
    naltrexone_start_day, naltrexone_stop_day : float or None, day
        Once-daily oral naltrexone (08:00) from the start day (None = none) until the day before
        the stop day (None = to the end).
    naltrexone_mg : float, mg
        Naltrexone dose per day.
    total_days : int, days
        Length of the simulation.
    """

    opioid: str = "morphine"
    use_days: int = 14
    peak_occupancy: float = 0.3
    hours_between_doses: float = 8.0
    relapse_day: float | None = None
    relapse_days: int = 3
    naltrexone_start_day: float | None = None
    naltrexone_stop_day: float | None = None
    naltrexone_mg: float = 50.0
    total_days: int = 35

    def __post_init__(self):
        check_choice("opioid", self.opioid, M.OPIOIDS)
        check_integer("total_days", self.total_days, 1, 120)
        check_integer("use_days", self.use_days, 0, self.total_days)
        check_fraction("peak_occupancy", self.peak_occupancy, open_high=True)
        check_in_range("hours_between_doses", self.hours_between_doses, 4.0, 24.0)
        check_in_range("naltrexone_mg", self.naltrexone_mg, 0.0, 400.0)
        check_integer("relapse_days", self.relapse_days, 0, self.total_days)
        if self.relapse_day is not None:
            check_in_range("relapse_day", self.relapse_day, float(self.use_days), float(self.total_days))
        if self.naltrexone_start_day is not None:
            check_in_range("naltrexone_start_day", self.naltrexone_start_day, 0.0, self.total_days)
        if self.naltrexone_stop_day is not None:
            low = 0.0 if self.naltrexone_start_day is None else self.naltrexone_start_day
            check_in_range("naltrexone_stop_day", self.naltrexone_stop_day, low, self.total_days)

    @classmethod
    def reference_dependence(cls, **changes) -> Schedule:
        """The calibration schedule: morphine every 8 h for 14 days at 30% peak occupancy
        (a dependence-producing regimen of the kind used in rat withdrawal studies; the
        occupancy, not the mg/kg, is what the model needs)."""
        return cls(**changes)

    def _episode(self, first_day: float, days: int) -> np.ndarray:
        if days == 0:
            return np.zeros(0)
        start = 24.0 * first_day
        return np.arange(start, start + 24.0 * days - 1e-9, self.hours_between_doses)

    @property
    def dose_times_h(self) -> np.ndarray:
        first = self._episode(0.0, self.use_days)
        if self.relapse_day is None:
            return first
        return np.concatenate([first, self._episode(self.relapse_day, self.relapse_days)])

    @property
    def last_dose_h(self) -> float | None:
        times = self._episode(0.0, self.use_days)
        return float(times[-1]) if times.size else None

    @property
    def relapse_end_day(self) -> float | None:
        return None if self.relapse_day is None else self.relapse_day + self.relapse_days


@dataclass(frozen=True)
class Simulation:
    """Result of :func:`simulate` on a time grid (h).

    Attributes
    ----------
    time_h : ndarray, h
    agonist_bound, naltrexone_bound : ndarray, fraction of receptors (with both present)
    receptor_density : ndarray, fraction of normal
    a_process : ndarray, fraction above baseline (the drug's direct dopamine effect)
    b_process : ndarray, fraction in [0, 1)
    signal : ndarray, fraction of baseline (1 = drug-naive): (1 + a)(1 - b)
    d2_availability : ndarray, fraction of normal (shown, not fed back into the signal)
    schedule : Schedule
    """

    time_h: np.ndarray
    agonist_bound: np.ndarray
    naltrexone_bound: np.ndarray
    receptor_density: np.ndarray
    a_process: np.ndarray
    b_process: np.ndarray
    signal: np.ndarray
    d2_availability: np.ndarray
    schedule: Schedule

    def daily_mean(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(day index, mean of ``values`` over each whole day of the grid)."""
        days = int((self.time_h[-1] + 1e-9) // 24.0)
        # the day each sample falls in, by the same comparisons as t >= 24 d and t < 24 (d + 1)
        day = np.searchsorted(24.0 * np.arange(1, days + 1), self.time_h, side="right")
        whole = day < days  # the last sample of the grid starts a day it does not cover
        values = np.asarray(values, dtype=float)
        sums = np.bincount(day[whole], weights=values[whole], minlength=days)
        return np.arange(days), sums / np.bincount(day[whole], minlength=days)

    def withdrawal_day_signal(self, day: int) -> float:
        """Mean dopamine signal (fraction of baseline) over withdrawal day ``day`` (1 = the 24 h
        after the last day of the first episode of use)."""
        last = self.schedule.use_days
        day = check_integer("day", day, 1, int(self.time_h[-1] // 24) - last)
        start = 24.0 * (last + day - 1)
        window = (self.time_h >= start) & (self.time_h < start + 24.0)
        return float(np.mean(self.signal[window]))

    def _depth(self, first_day: float, last_day: float | None = None) -> float:
        days, means = self.daily_mean(self.signal)
        keep = (days >= first_day) & (days < (np.inf if last_day is None else last_day))
        return float(max(0.0, 1.0 - means[keep].min())) if keep.any() else 0.0

    @property
    def crash_depth(self) -> float:
        """How far the daily mean signal falls below baseline at its lowest (fraction; 0 if it
        never does) once the first episode of use ends, or earlier if naltrexone starts during
        it: starting naltrexone uncovers the b-process at once. Counted until a relapse."""
        s = self.schedule
        first = float(s.use_days)
        if s.naltrexone_start_day is not None and s.naltrexone_mg > 0:
            first = min(first, float(s.naltrexone_start_day))
        return self._depth(first, s.relapse_day)

    @property
    def relapse_crash_depth(self) -> float:
        """Depth of the fall below baseline after the relapse episode (0 without one)."""
        end = self.schedule.relapse_end_day
        return 0.0 if end is None else self._depth(end)

    def peak_rise(self, first_day: float, days: float) -> float:
        """Highest dopamine rise from the drug (a-process, fraction) in a window of days."""
        window = (self.time_h >= 24 * first_day) & (self.time_h < 24 * (first_day + days))
        return float(self.a_process[window].max()) if window.any() else 0.0

    @property
    def upregulation(self) -> float:
        """Highest receptor density above normal (fraction: 0.85 = +85%)."""
        return float(max(0.0, self.receptor_density.max() - 1.0))

    def days_to_recover(self, within: float = 0.1) -> float:
        """Days from the end of the first episode of use until the daily mean signal is back
        within ``within`` of baseline (inf if not within the simulation)."""
        last = self.schedule.use_days
        days, means = self.daily_mean(self.signal)
        for d, m in zip(days, means):
            if d >= last and m >= 1.0 - within:
                return float(d - last)
        return float("inf")


def challenge_rise_in_abstinence(withdrawal_days, schedule: Schedule | None = None, *,
                                 params: AdaptationParameters | None = None) -> np.ndarray:
    """Dopamine rise from one day of the same opioid doses given on each withdrawal day of
    ``withdrawal_days`` (1 = the 24 h after the last day of use), as a fraction of the rise the
    same doses give a drug-naive brain (1 = unchanged, 0 = abolished, 2 = doubled).

    This is the experiment of Acquas & Di Chiara 1992 (a morphine challenge on withdrawal days
    1-7, dopamine measured against that day's own, lowered baseline). In the model the rise over
    the day's baseline is the a-process, which only the receptor density changes; the b-process
    lowers the baseline and the peak alike. ``schedule`` (default: the reference dependence) sets
    the first episode of use; its relapse fields are replaced by the challenge."""
    schedule = Schedule.reference_dependence() if schedule is None else schedule
    days = np.atleast_1d(np.asarray(withdrawal_days, dtype=float))
    limit = schedule.total_days - schedule.use_days
    for day in days:
        if not (math.isfinite(day) and day == int(day) and 1 <= day <= limit - 1):
            raise ValueError(f"withdrawal_days must be whole days from 1 to {limit - 1} (the "
                             f"schedule's {schedule.total_days} days less its {schedule.use_days} "
                             f"of use, less the day of the challenge); got {day}")
    naive_schedule = replace(schedule, use_days=0, relapse_day=float(schedule.use_days),
                             relapse_days=1, naltrexone_start_day=None)
    naive = simulate(naive_schedule, params=params).peak_rise(schedule.use_days, 1)
    if not naive > 0.0:
        raise ValueError(f"the schedule's doses raise no dopamine in a drug-naive brain "
                         f"(peak_occupancy={schedule.peak_occupancy}), so no rise can be compared; "
                         "use a peak_occupancy above 0")
    rises = []
    for day in days:
        first = schedule.use_days + day - 1
        challenged = replace(schedule, relapse_day=first, relapse_days=1)
        rises.append(simulate(challenged, params=params).peak_rise(first, 1) / naive)
    return np.asarray(rises)


def occupancies_together(agonist_alone, naltrexone_alone):
    """Occupancy by an agonist and by naltrexone held together, from the occupancy each would
    reach alone (fractions in [0, 1)): they compete for the one site (Gaddum).

    >>> [round(float(o), 3) for o in occupancies_together(0.5, 0.5)]
    [0.333, 0.333]
    """
    x_a = M.concentration_ratio(agonist_alone)
    x_n = M.concentration_ratio(naltrexone_alone)
    o_a, o_n = multi_ligand_occupancy([x_a, x_n], [1.0, 1.0])
    return float(o_a) if np.ndim(o_a) == 0 else o_a, float(o_n) if np.ndim(o_n) == 0 else o_n


def simulate(schedule: Schedule, *, params: AdaptationParameters | None = None,
             circuit: M.CircuitParameters | None = None, step_h: float = 0.2,
             occupancy_model: str = "brain kinetics") -> Simulation:
    """Run the schedule: opioid doses (chapter 3 kinetics), naltrexone (chapter 2 PK and
    occupancy model), receptor regulation, the circuit's a-process, the b-process and D2."""
    p = params or AdaptationParameters()
    c = circuit or M.CircuitParameters()
    step = check_in_range("step_h", step_h, 0.01, 1.0)
    t = time_grid_h(24.0 * schedule.total_days, step)
    s = schedule

    x_a = M.opioid_concentration_ratio(t, s.dose_times_h, s.peak_occupancy, s.opioid)
    o_n_alone = np.zeros_like(t)
    if s.naltrexone_start_day is not None and s.naltrexone_mg > 0:
        first = 24.0 * s.naltrexone_start_day + 8.0
        stop = t[-1] if s.naltrexone_stop_day is None else 24.0 * s.naltrexone_stop_day
        events = [DoseEvent(h, s.naltrexone_mg, "oral") for h in np.arange(first, stop, 24.0)]
        if events:
            o_n_alone = mu_occupancy(pk_simulate(events, t), occupancy_model)
    o_n_alone = np.clip(o_n_alone, 0.0, 1.0 - 1e-12)
    x_n = o_n_alone / (1.0 - o_n_alone)
    # the opioid and naltrexone compete for the receptor (Gaddum), concentrations in units of Kd
    bound_a, bound_n = multi_ligand_occupancy([x_a, x_n], [1.0, 1.0])

    # 1. receptors: dR/dt = k_R - k_R (1 + alpha o_A - beta o_N) R
    density = receptor_density_course(t, bound_n, bound_a, p)

    # 2. the a-process: the circuit's dopamine rise at the current receptor density
    o_a_alone = x_a / (1.0 + x_a)
    a_proc = M.percent_of_baseline(o_a_alone, o_n_alone, opioid=s.opioid, params=c,
                                   receptor_density=density) / 100.0 - 1.0
    drive = np.clip(a_proc, 0.0, None)  # only surges feed the opponent process

    # the b-process: db/dt = k_up a (1 - b) - k_down b = k_up a - (k_up a + k_down) b
    b = linear_relaxation(t, p.b_growth_per_h * drive, p.b_growth_per_h * drive + p.k_b_decay_per_h, 0.0)
    signal = (1.0 + a_proc) * (1.0 - b)

    # 3. D2 availability: dS/dt = k_S - k_S (1 + kappa a) S
    d2 = linear_relaxation(t, p.k_d2_per_h, p.k_d2_per_h * (1.0 + p.d2_downregulation * drive), 1.0)
    return Simulation(t, bound_a, bound_n, density, a_proc, b, signal, d2, s)

