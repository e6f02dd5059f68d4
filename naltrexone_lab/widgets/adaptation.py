"""Interactive models of chapter 4: the dopamine crash and receptor regulation.

Controls are wired to :mod:`naltrexone_lab.adaptation` (which drives chapter 3's circuit and
chapter 2's naltrexone occupancy); figures come from :mod:`naltrexone_lab.plots.adaptation`.
"""

from __future__ import annotations

import math

import numpy as np

from ..models import adaptation as A
from ..models import mesolimbic as M
from ..models import occupancy as O
from ..models.units import time_grid_h
from ..plots import adaptation as P
from .base import ModelWidget, dropdown, float_slider, int_slider, log_slider, selection_slider
from .mesolimbic import naltrexone_slider

__all__ = ["RegulationWidget", "SurgeCrashWidget"]

TOTAL_DAYS = 42
_NONE = -1.0  # SelectionSlider cannot hold None
_START_DAYS = (("none", _NONE), ("day 0", 0.0), ("day 3", 3.0), ("day 7", 7.0), ("day 10", 10.0),
               ("day 14", 14.0), ("day 21", 21.0), ("day 24", 24.0), ("day 28", 28.0))


RELAPSE_DAY = 30.0
_STOP_DAYS = (("the end", _NONE), ("day 26", 26.0), ("day 28", 28.0), ("day 30", 30.0), ("day 35", 35.0))


class SurgeCrashWidget(ModelWidget):
    """"Surge and crash": six weeks of opioid use from day 0, a relapse on day 30 and, optionally,
    daily naltrexone between chosen days.

    Controls: ``opioid``; ``use_days`` (0-28 days of use from day 0); ``peak_occupancy_percent``
    (1-90%, log: each dose's peak occupancy alone); ``hours_between_doses`` (4-24 h);
    ``relapse_days`` (0-5 days of use from day 30); ``naltrexone_start`` (a day, or -1 for
    none); ``naltrexone_stop`` (a day, or -1 to continue); ``naltrexone_mg`` (once daily);
    ``model`` (chapter 2's occupancy model).
    """

    readout_labels = {
        "schedule": "schedule",
        "surge": "surge (day 1 → last day of use)",
        "crash": "crash after the first episode",
        "relapse": "relapse on day 30",
        "up": "mu receptors",
        "d2": "lowest D2 availability",
    }

    def __init__(self, opioid: str = "morphine", use_days: int = 14, peak_occupancy_percent: float = 30.0,
                 hours_between_doses: float = 8.0, relapse_days: int = 3, naltrexone_start: float = 24.0,
                 naltrexone_stop: float = _NONE, naltrexone_mg: float = 50.0,
                 model: str = "brain kinetics"):
        controls = {
            "opioid": dropdown("opioid", list(M.OPIOIDS), opioid),
            "use_days": int_slider("days of use", use_days, 0, 28),
            "peak_occupancy_percent": log_slider("dose: peak occupancy (%)", peak_occupancy_percent,
                                                 1.0, 90.0, fmt=".2g"),
            "hours_between_doses": float_slider("hours between doses", hours_between_doses, 4.0, 24.0,
                                                2.0, fmt=".0f"),
            "relapse_days": int_slider("relapse on day 30 (days)", relapse_days, 0, 5),
            "naltrexone_start": selection_slider("naltrexone from (day)", _START_DAYS, naltrexone_start),
            "naltrexone_stop": selection_slider("naltrexone until (day)", _STOP_DAYS, naltrexone_stop),
            "naltrexone_mg": naltrexone_slider(naltrexone_mg),
            "model": dropdown("occupancy model (ch. 2)", list(O.MODELS), model),
        }
        super().__init__(controls, P.surge_crash_figure())

    def compute(self, v):
        ntx_mg = float(v["naltrexone_mg"])
        start, stop = float(v["naltrexone_start"]), float(v["naltrexone_stop"])
        start = start if ntx_mg > 0 and start >= 0 else None
        stop = stop if start is not None and stop > start else None
        if start is not None and float(v["naltrexone_stop"]) >= 0 and stop is None:
            raise ValueError("naltrexone until must be later than naltrexone from; "
                             f"got from day {start:g} until day {float(v['naltrexone_stop']):g}")
        relapse = int(v["relapse_days"])
        use = int(v["use_days"])
        schedule = A.Schedule(opioid=v["opioid"], use_days=use,
                              peak_occupancy=float(v["peak_occupancy_percent"]) / 100.0,
                              hours_between_doses=float(v["hours_between_doses"]),
                              relapse_day=RELAPSE_DAY if relapse else None, relapse_days=relapse,
                              naltrexone_start_day=start, naltrexone_stop_day=stop,
                              naltrexone_mg=ntx_mg, total_days=TOTAL_DAYS)
        sim = A.simulate(schedule, step_h=0.25, occupancy_model=v["model"])
        days, mean = sim.daily_mean(sim.signal)
        return {"sim": sim, "days": days, "mean": mean}

    def draw(self, r):
        sim = r["sim"]
        P.draw_surge_crash(self.figure, sim.time_h / 24.0, sim.signal, r["days"], r["mean"],
                           sim.b_process, sim.receptor_density, sim.d2_availability,
                           sim.agonist_bound, sim.naltrexone_bound)

    def readout_values(self, r):
        sim, mean = r["sim"], r["mean"]
        s = sim.schedule
        use = s.use_days
        surge = "no opioid use" if use == 0 else \
            f"{100 * (mean[0] - 1):+.0f}% → {100 * (mean[use - 1] - 1):+.0f}% (daily mean)"
        if use == 0:
            crash = "no first episode"
        else:
            crash = f"{100 * sim.crash_depth:.0f}% below baseline at the lowest daily mean"
            recover = sim.days_to_recover(P.BAND)
            crash += "; back within 10% after " + ("more than the simulated days" if math.isinf(recover)
                                                    else f"{recover:.0f} days")
        if s.relapse_day is None:
            relapse = "none"
        else:
            peak = sim.peak_rise(s.relapse_day, s.relapse_days)
            first = f" (first dose ever: {100 * sim.peak_rise(0, 1):+.0f}%)" if use else ""
            relapse = (f"peak dopamine {100 * peak:+.0f}%{first}; "
                       f"crash after it {100 * sim.relapse_crash_depth:.0f}%")
        n = s.dose_times_h.size
        plan = f"{n} doses of {s.opioid}" if n else "no opioid"
        if s.naltrexone_start_day is None:
            plan += "; no naltrexone"
        else:
            until = "" if s.naltrexone_stop_day is None else f" until day {s.naltrexone_stop_day:g}"
            plan += f"; naltrexone {s.naltrexone_mg:g} mg daily from day {s.naltrexone_start_day:g}{until}"
        return {
            "schedule": plan,
            "surge": surge,
            "crash": crash,
            "relapse": relapse,
            "up": f"{100 * (sim.receptor_density.max() - 1):+.0f}% at most, "
                  f"{100 * (sim.receptor_density.min() - 1):+.0f}% at least",
            "d2": f"{100 * sim.d2_availability.min():.0f}% of normal",
        }


class RegulationWidget(ModelWidget):
    """"Up and down regulation": an agonist and naltrexone held at constant concentrations for a
    number of days, then stopped; receptor density, its steady state and half-time.

    Controls: ``agonist_percent`` and ``naltrexone_percent`` (the occupancy each would reach
    alone, %; with both present they compete, Gaddum, chapter 1); ``days_held`` (1-28).
    """

    readout_labels = {
        "bound": "bound with both present",
        "steady": "steady state while held",
        "half_on": "half-time while held",
        "half_off": "half-time after stopping",
        "end": "density when stopped",
    }

    def __init__(self, agonist_percent: float = 0.0, naltrexone_percent: float = 90.0, days_held: int = 14):
        controls = {
            "agonist_percent": float_slider("agonist occupancy alone (%)", agonist_percent, 0.0, 95.0,
                                            5.0, fmt=".0f"),
            "naltrexone_percent": float_slider("naltrexone occupancy alone (%)", naltrexone_percent,
                                               0.0, 99.0, 1.0, fmt=".0f"),
            "days_held": int_slider("days held", days_held, 1, 28),
        }
        self._t = time_grid_h(24.0 * 42, 1.0)
        super().__init__(controls, P.regulation_figure())

    def compute(self, v):
        o_a, o_n = A.occupancies_together(float(v["agonist_percent"]) / 100.0,
                                          float(v["naltrexone_percent"]) / 100.0)
        stop = 24.0 * int(v["days_held"])
        steady = float(A.receptor_steady_state(o_a, o_n))
        half_on = float(A.receptor_half_time_h(o_a, o_n))
        density = A.regulation_time_course(self._t, o_a, o_n, stop_h=stop)
        reached = half_on <= stop  # the half-way point exists only if the drug is held that long
        return {"steady": steady, "half_on": half_on if reached else None, "half_h": half_on,
                "density": density, "stop": stop,
                "o_a": o_a, "o_n": o_n,
                "half_value": 1.0 + 0.5 * (steady - 1.0),
                "end": float(np.interp(stop, self._t, density))}

    def draw(self, r):
        top = 100.0 * max(2.0, float(r["density"].max()) * 1.1) + 5.0
        half_day = None if r["half_on"] is None else r["half_on"] / 24.0
        P.draw_regulation(self.figure, self._t / 24.0, r["density"], r["steady"],
                          half_day, r["half_value"], r["stop"] / 24.0, top)

    def readout_values(self, r):
        return {
            "bound": f"agonist {100 * r['o_a']:.0f}%, naltrexone {100 * r['o_n']:.0f}%",
            "steady": f"{100 * r['steady']:.0f}% of normal",
            "half_on": f"{r['half_h']:.0f} h ({r['half_h'] / 24:.1f} days)"
                       + ("" if r["half_on"] is not None else ", longer than the time held"),
            "half_off": f"{A.AdaptationParameters().receptor_turnover_half_time_h:.0f} h",
            "end": f"{100 * r['end']:.0f}% of normal",
        }
