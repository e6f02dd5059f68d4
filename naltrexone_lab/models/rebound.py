"""The low-dose naltrexone "rebound" hypothesis, made quantitative so that it can be tested.

The hypothesis: a low dose blocks opioid receptors for a few hours a day; the body answers the
missing signal with more endogenous opioid (endorphins, enkephalins) and more receptors; when
the drug clears, the extra ligand meets the extra receptors and opioid signalling "rebounds"
above baseline. Continuous high-dose blockade gives no such window.

The model couples three things the course already has and adds one:

* naltrexone occupancy for any regimen, under either of chapter 2's occupancy models;
* mu receptor density ``R`` regulated by blockade exactly as in chapter 4
  (:mod:`naltrexone_lab.adaptation`);
* **new:** endogenous opioid level ``E`` (1 = normal), produced faster while opioid tone is
  below its set point and relaxing back with the adaptation time constant ``tau``::

      dE/dt = [1 + g (1 - T) - E] / tau          T = E R (1 - o_N)

  ``T`` is the net opioid tone (1 = normal): ligand times receptors times the fraction of
  receptors naltrexone leaves free. Since ``T`` is linear in ``E``, each step is solved exactly
  (:func:`naltrexone_lab.adaptation.linear_relaxation`);
* the downstream accumbens dopamine through chapter 3's circuit, with the endogenous ligand's
  concentration scaled by ``E`` and efficacy by ``R``.

**What is measured and what is not.** Occupancy (chapter 2) and the receptor regulation
(chapter 4, mouse data) have sources. The compensation gain ``g`` and time constant ``tau`` have
none. In cultured human cancer cells, short (not continuous) blockade raised met-enkephalin
(opioid growth factor, OGF) and its receptor OGFr, which is not the mu receptor, at the level of
translation (Donahue, McLaughlin & Zagon 2011); the 4-6 h daily blockade of "low dose" comes
from earlier mouse work by the same group (reviewed by McLaughlin & Zagon 2015). No study gives
a gain or a time constant, in mice or people. So the chapter maps the rebound over a range of
``tau`` rather than picking one, and shows that whether a rebound exists depends on the
occupancy model, on the gain and on how the drug-free window is defined.

**A property of the equation, not of the biology.** Averaged over a steady day,
``mean E = 1 + g (1 - mean T)`` (the equation is linear), so ``mean T = 1 - (mean E - 1) / g``:
with production rising only while tone is low, the *average* tone can never exceed normal; a
rebound can only be a part of the day above normal, bought with a larger part below it. A test
checks it; the chapter says so.

References
----------
Donahue RN, McLaughlin PJ, Zagon IS (2011) Exp Biol Med 236:1036-1050 (short versus continuous
blockade in a tissue culture model; OGF and OGFr).
McLaughlin PJ, Zagon IS (2015) Biochem Pharmacol, issue 3, 236-246 (review: duration of opioid
receptor blockade; the 4-6 h mouse window).
Mischoulon D, Hylek L, Yeung AS, et al. (2017) J Affect Disord 208:6-14 (1 mg twice daily).
Rabiner EA, Beaver J, Makwana A, et al. (2011) Mol Psychiatry 16:826-835.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import mesolimbic as M
from ._validation import check_choice, check_in_range, check_integer
from .adaptation import AdaptationParameters, linear_relaxation, receptor_density_course
from .occupancy import (
    MODELS,
    brain_kinetic_occupancy_from_concentration,
    hours_per_day_above,
    plasma_equilibrium_occupancy_from_concentration,
)
from .pharmacokinetics import regimen
from .pharmacokinetics import simulate as pk_simulate
from .units import time_grid_h

__all__ = [
    "REGIMENS",
    "CompensationParameters",
    "ReboundResult",
    "rebound_map",
    "simulate_regimen",
    "window_indices",
]

#: Named regimens (schedule of chapter 2, dose in mg per intake).
REGIMENS = {
    "LDN at bedtime (4.5 mg)": ("at bedtime", 4.5),
    "depression pilot (1 mg twice daily)": ("twice daily", 1.0),  # Mischoulon et al. 2017
    "low dose at bedtime (1.5 mg)": ("at bedtime", 1.5),  # a lower LDN dose (range 0.5-4.5 mg)
    "standard (50 mg once daily)": ("once daily", 50.0),
}

#: Schedules the chapter offers (chapter 2's named oral schedules).
SCHEDULES = ("at bedtime", "once daily", "twice daily")


@dataclass(frozen=True)
class CompensationParameters:
    """Homeostatic compensation of opioid tone (no published values: see the module docstring).

    Attributes
    ----------
    adaptation_time_constant_h : float, h
        ``tau``: how fast endogenous opioid production follows a deficit in tone. 24 h by
        default; the chapter's map spans 1 h to 30 days (L: no measurement exists).
    gain : float, dimensionless
        ``g``: the fractional rise of endogenous opioid per unit of lost tone at steady state.
        1 means that halving the tone would, with time, raise the ligand by 50% (L).
    window_h : float, h
        The "lowest-occupancy window": the hours of the last day with the least naltrexone
        occupancy, over which the rebound is measured. 6 h by default, a definition, not a
        measurement; the sign of the rebound depends on it (the hypothesis speaks of an 18-20 h
        window, over which the model's tone is below normal).
    """

    adaptation_time_constant_h: float = 24.0
    gain: float = 1.0
    window_h: float = 6.0

    def __post_init__(self):
        check_in_range("adaptation_time_constant_h", self.adaptation_time_constant_h, 0.1, 24.0 * 365)
        check_in_range("gain", self.gain, 0.0, 10.0)
        check_in_range("window_h", self.window_h, 0.5, 24.0)


@dataclass(frozen=True)
class ReboundResult:
    """A regimen simulated with compensation; metrics refer to the last simulated day.

    Attributes
    ----------
    time_h : ndarray, h
    occupancy : ndarray, fraction (naltrexone)
    endogenous : ndarray, fraction of normal
    receptor_density : ndarray, fraction of normal
    tone : ndarray, fraction of normal: endogenous x receptors x (1 - occupancy)
    dopamine_percent : ndarray, % of the drug-naive accumbens baseline
    hours_blocked : float, h per day at or above 50% occupancy
    hours_tone_above_normal : float, h per day with net tone above normal
    mean_tone : float, fraction of normal
    rebound_percent : float, %
        Mean tone over the drug-free window minus 100%: positive is a rebound.
    window_dopamine_percent : float, %
        Change of accumbens dopamine over the same window.
    mean_dopamine_percent : float, %
        Change of accumbens dopamine averaged over the last day.
    """

    time_h: np.ndarray
    occupancy: np.ndarray
    endogenous: np.ndarray
    receptor_density: np.ndarray
    tone: np.ndarray
    dopamine_percent: np.ndarray
    hours_blocked: float
    hours_tone_above_normal: float
    mean_tone: float
    rebound_percent: float
    window_dopamine_percent: float
    mean_dopamine_percent: float


def _occupancy_rows(time_h, unit_naltrexone_nM, unit_naltrexol_nM, doses_mg, model, include_metabolite):
    """Occupancy for several doses at once (rows), from the 1 mg free concentrations (chapter 2's
    models, applied to all rows together)."""
    d = np.asarray(doses_mg, dtype=float)[:, None]
    if model == "brain kinetics":
        return brain_kinetic_occupancy_from_concentration(time_h, d * unit_naltrexone_nM)
    return plasma_equilibrium_occupancy_from_concentration(
        d * unit_naltrexone_nM, d * unit_naltrexol_nM if include_metabolite else None)


def _compensate(time_h, occupancy, taus_h, gain, receptor_params, density=None):
    """Receptor density (rows like occupancy; chapter 4) and endogenous level (rows x taus).
    ``density``, if given, is the receptor density already computed for this occupancy."""
    if density is None:
        density = receptor_density_course(time_h, occupancy, params=receptor_params)
    free = density * (1.0 - occupancy)  # receptors available to the endogenous ligand
    k = 1.0 / np.asarray(taus_h, dtype=float)
    # dE/dt = k (1 + g) - k (1 + g R (1 - o)) E  (linear in E)
    gain_rate = (k * (1.0 + gain))[None, :, None]
    loss_rate = k[None, :, None] * (1.0 + gain * free[:, None, :])
    endogenous = linear_relaxation(time_h, gain_rate, loss_rate, 1.0)
    return density, endogenous


def _unit_profile(schedule: str, days: int, t):
    """Free naltrexone and 6-beta-naltrexol (nM) for 1 mg per intake; doses scale it (linear PK)."""
    return _cached_unit_profile(schedule, days, float(t[1] - t[0]), t.size)


@functools.lru_cache(maxsize=32)
def _cached_unit_profile(schedule: str, days: int, step: float, n: int):
    t = np.arange(n) * step
    prof = pk_simulate(regimen(schedule, 1.0, days), t)
    out = (prof.free_naltrexone_nM, prof.free_naltrexol_nM)
    for a in out:
        a.setflags(write=False)  # shared between calls
    return out


def simulate_regimen(dose_mg: float, schedule: str, *, model: str = "plasma equilibrium",
                     include_metabolite: bool = True, days: int = 28, step_h: float = 0.1,
                     compensation: CompensationParameters | None = None,
                     receptors: AdaptationParameters | None = None,
                     circuit: M.CircuitParameters | None = None) -> ReboundResult:
    """Simulate ``days`` days of a regimen with compensation and return the last day's metrics.

    ``dose_mg`` 0 gives the untreated baseline exactly. ``schedule`` is one of chapter 2's oral
    schedules ("at bedtime", "once daily", "twice daily").
    """
    comp = compensation or CompensationParameters()
    rec = receptors or AdaptationParameters()
    dose = check_in_range("dose_mg", dose_mg, 0.0, 400.0)
    schedule = check_choice("schedule", schedule, SCHEDULES)
    model = check_choice("model", model, MODELS)
    days = check_integer("days", days, 2, 120)
    step = check_in_range("step_h", step_h, 0.01, 1.0)
    t = time_grid_h(24.0 * days, step)
    unit_n, unit_m = _unit_profile(schedule, days, t)
    occ = _occupancy_rows(t, unit_n, unit_m, [dose], model, include_metabolite)
    occ = np.clip(occ, 0.0, 1.0 - 1e-12)
    density, endo = _compensate(t, occ, [comp.adaptation_time_constant_h], comp.gain, rec)
    occ, density, endo = occ[0], density[0], endo[0, 0]
    tone = endo * density * (1.0 - occ)
    da = M.percent_of_baseline(0.0, occ, params=circuit, receptor_density=density,
                               endogenous_level=endo)
    return _summarise(t, occ, endo, density, tone, np.asarray(da, dtype=float), comp.window_h)


def window_indices(time_h, occupancy, window_h: float = 6.0) -> np.ndarray:
    """Indices of the drug-free window: the ``window_h`` hours of the last day of the grid with
    the lowest naltrexone occupancy (sorted by time)."""
    return np.sort(_window(np.asarray(time_h), np.asarray(occupancy), window_h)[1])


def _window(t, occ, window_h):
    last = t >= t[-1] - 24.0 - 1e-9
    idx = np.nonzero(last)[0]
    order = idx[np.argsort(occ[idx], kind="stable")]
    n = max(1, int(round(window_h / (t[1] - t[0]))))
    return last, order[:n]


def _summarise(t, occ, endo, density, tone, da, window_h) -> ReboundResult:
    last, window = _window(t, occ, window_h)
    return ReboundResult(
        time_h=t, occupancy=occ, endogenous=endo, receptor_density=density, tone=tone,
        dopamine_percent=da,
        hours_blocked=hours_per_day_above(t, occ, 0.5, last_days=1),
        hours_tone_above_normal=float(24.0 * np.mean(tone[last] > 1.0)),
        mean_tone=float(np.mean(tone[last])),
        rebound_percent=float(100.0 * (np.mean(tone[window]) - 1.0)),
        window_dopamine_percent=float(np.mean(da[window]) - 100.0),
        mean_dopamine_percent=float(np.mean(da[last]) - 100.0),
    )


@functools.lru_cache(maxsize=16)
def _map_blockade(doses: tuple, schedule: str, model: str, include_metabolite: bool, days: int,
                  step: float, receptors: AdaptationParameters):
    """The map's time grid, occupancy and receptor density (rows = doses): they depend on neither
    the gain nor the time constants, so moving those reuses them (read-only, shared)."""
    t = time_grid_h(24.0 * days, step)
    unit_n, unit_m = _unit_profile(schedule, days, t)
    occ = np.clip(_occupancy_rows(t, unit_n, unit_m, np.array(doses), model, include_metabolite),
                  0.0, 1.0 - 1e-12)
    density = receptor_density_course(t, occ, params=receptors)
    for a in (t, occ, density):
        a.setflags(write=False)
    return t, occ, density


def rebound_map(doses_mg, time_constants_h, schedule: str = "at bedtime", *,
                model: str = "plasma equilibrium", include_metabolite: bool = True,
                gain: float = 1.0, window_h: float = 6.0, days: int = 28, step_h: float = 0.75,
                receptors: AdaptationParameters | None = None) -> np.ndarray:
    """Rebound (% of normal tone over the drug-free window, minus 100) for every dose (rows) and
    adaptation time constant (columns), computed together for speed.

    The default grid step (0.75 h, a divisor of the 6 h window) is coarser than
    :func:`simulate_regimen`'s; a test checks that both agree within 1.5 points.
    """
    doses = np.asarray(doses_mg, dtype=float)
    taus = np.asarray(time_constants_h, dtype=float)
    if doses.ndim != 1 or doses.size == 0 or not np.all((doses >= 0) & (doses <= 400)):
        raise ValueError(f"doses_mg must be a 1-D list of doses in [0, 400] mg; got {doses_mg!r}")
    if taus.ndim != 1 or taus.size == 0 or not np.all((taus >= 0.1) & (taus <= 24.0 * 365)):
        raise ValueError("time_constants_h must be a 1-D list of times in [0.1, 8760] h; "
                         f"got {time_constants_h!r}")
    schedule = check_choice("schedule", schedule, SCHEDULES)
    model = check_choice("model", model, MODELS)
    gain = check_in_range("gain", gain, 0.0, 10.0)
    window_h = check_in_range("window_h", window_h, 0.5, 24.0)
    days = check_integer("days", days, 2, 120)
    step = check_in_range("step_h", step_h, 0.05, 1.0)
    t, occ, density = _map_blockade(tuple(doses.tolist()), schedule, model, bool(include_metabolite), days,
                                    step, receptors or AdaptationParameters())
    density, endo = _compensate(t, occ, taus, gain, None, density=density)
    tone = endo * (density * (1.0 - occ))[:, None, :]
    out = np.empty((doses.size, taus.size))
    for i in range(doses.size):
        _, window = _window(t, occ[i], window_h)
        out[i] = 100.0 * (tone[i][:, window].mean(axis=1) - 1.0)
    return out
