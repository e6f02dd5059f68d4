"""Interactive models of chapter 2: from a pill to receptor blockade.

Controls are wired to :mod:`naltrexone_lab.pharmacokinetics` and :mod:`naltrexone_lab.occupancy`;
figures come from :mod:`naltrexone_lab.plots.pk`. Nothing here defines pharmacology.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..models import occupancy as O
from ..models import pharmacokinetics as PK
from ..models import population as POP
from ..models.units import format_ng_per_mL, format_percent, time_grid_h
from ..plots import pk as P
from .base import ModelWidget, dropdown, int_slider, log_slider

__all__ = ["DoseOccupancyWidget", "HalfLifeWidget", "RegimenExplorerWidget", "TransientBlockadeWidget"]

STEP_H = 0.1  # time step of the widgets' grids (h); tests check it against 0.025 h
_SCHEDULES = ("at bedtime", "once daily", "twice daily", "single")


def _metabolite_checkbox(value: bool) -> W.Checkbox:
    return W.Checkbox(value=value, indent=False, layout=W.Layout(width="460px"),
                      description="6β-naltrexol reaches the receptors (model a)",
                      tooltip="Plasma-equilibrium model only: count the metabolite's occupancy")


def _describe_dosing(events, days: int) -> str:
    if events[0].route == "depot":
        return f"{events[0].dose_mg:.3g} mg injection every 4 weeks ({len(events)} in {days} days)"
    per_day = [e for e in events if e.time_h < 24.0]
    clock = ", ".join(f"{int(e.time_h):02d}:00" for e in per_day)
    if len(events) == 1:
        return f"{events[0].dose_mg:.3g} mg once at {clock}"
    return f"{events[0].dose_mg:.3g} mg at {clock} daily ({events[0].dose_mg * len(per_day):.3g} mg/day)"


class RegimenExplorerWidget(ModelWidget):
    """"Regimen explorer": plasma levels and occupancy for a formulation, dose and schedule.

    Controls: ``formulation`` (oral tablet or extended-release injection every 4 weeks),
    ``dose_mg`` (0.5-400 mg, log), ``schedule`` (oral only), ``days`` (1-42), ``liver``,
    ``model`` (occupancy model) and ``metabolite`` (whether 6-beta-naltrexol counts in model a).
    Readouts refer to the first dose (Cmax, Tmax) and to the last simulated day (trough, hours
    above 50% and 90% occupancy). The lines are the typical person; the shaded bands hold the
    middle 90% of 100 virtual people (:mod:`naltrexone_lab.population`), and ``check_hour``
    (clock hour on the last day) sets when the widget counts the people below 90% occupancy.
    """

    readout_labels = {
        "dosing": "dosing",
        "cmax": "first dose: naltrexone Cmax",
        "tmax": "first dose: Tmax",
        "trough": "last day: lowest naltrexone",
        "above50": "last day: hours at ≥ 50% occupancy",
        "above90": "last day: hours at ≥ 90% occupancy",
        "mean": "mean occupancy over the whole period",
        "people": "below 90% at the hour checked",
    }

    def __init__(self, dose_mg: float = 4.5, schedule: str = "at bedtime", days: int = 7,
                 formulation: str = "oral tablet", liver: str = "normal",
                 model: str = "plasma equilibrium", metabolite: bool = True, check_hour: int = 16):
        controls = {
            "formulation": dropdown("formulation", ["oral tablet", "extended-release injection"],
                                    formulation),
            "dose_mg": log_slider("dose (mg)", dose_mg, 0.5, 400.0, fmt=".3g", extra=(380.0,)),
            "schedule": dropdown("schedule (tablets)", list(_SCHEDULES), schedule),
            "days": int_slider("days simulated", days, 1, 42),
            "liver": dropdown("liver function", list(PK.LIVER_AUC_FACTOR), liver),
            "model": dropdown("occupancy model", list(O.MODELS), model),
            "metabolite": _metabolite_checkbox(metabolite),
            "check_hour": int_slider("last day: hour checked (h)", check_hour, 0, 23),
        }
        controls["schedule"].disabled = formulation == "extended-release injection"
        self._cohort = POP.virtual_cohort()
        super().__init__(controls, P.regimen_figure())

    def link_controls(self, change) -> None:
        """The injection is one product (380 mg every 4 weeks): set its dose and grey out the
        tablet schedule; back on tablets, return to the standard 50 mg."""
        if change["owner"] is not self.controls["formulation"]:
            return
        injection = change["new"] == "extended-release injection"
        self.controls["schedule"].disabled = injection
        self.controls["dose_mg"].value = 380.0 if injection else 50.0

    def compute(self, v):
        days = int(v["days"])
        t = time_grid_h(24.0 * days, STEP_H)
        if v["formulation"] == "extended-release injection":
            events = PK.regimen("every 4 weeks", float(v["dose_mg"]), days)
        else:
            events = PK.regimen(v["schedule"], float(v["dose_mg"]), days)
        course = O.regimen_course(events, t, v["model"], include_metabolite=v["metabolite"],
                                  liver=v["liver"])
        t_people = POP.cohort_grid_h(24.0 * days)
        people = POP.cohort_course(events, t_people, self._cohort, v["model"],
                                   include_metabolite=v["metabolite"], liver=v["liver"])
        checked_h = 24.0 * (days - 1) + int(v["check_hour"])
        p_lo, _, p_hi = people.band("naltrexone")
        o_lo, _, o_hi = people.band("occupancy")
        return {
            "people": (t_people / 24.0, (p_lo, p_hi), (o_lo, o_hi), people.n, checked_h / 24.0),
            "below90": people.count_below(0.9, checked_h), "n_people": people.n,
            "check_hour": int(v["check_hour"]), "day": days,
            "t_days": t / 24.0, "prof": course.profile, "occ": course.occupancy, "model": v["model"],
            "cmax": course.cmax_ng_per_mL, "tmax": course.tmax_h, "trough": course.trough_ng_per_mL,
            "above50": course.hours_above_50, "above90": course.hours_above_90,
            "mean": course.mean_occupancy, "dosing": _describe_dosing(events, days),
        }

    def draw(self, r):
        P.draw_regimen(self.figure, r["t_days"], r["prof"].naltrexone_ng_per_mL,
                       r["prof"].naltrexol_ng_per_mL, r["occ"], r["model"], people=r["people"])

    def readout_values(self, r):
        return {"dosing": r["dosing"], "cmax": format_ng_per_mL(r["cmax"]), "tmax": f"{r['tmax']:.2f} h",
                "trough": format_ng_per_mL(r["trough"]), "above50": f"{r['above50']:.1f} h",
                "above90": f"{r['above90']:.1f} h", "mean": format_percent(r["mean"]),
                "people": (f"{r['below90']} of {r['n_people']} people "
                           f"(day {r['day']}, {r['check_hour']:02d}:00)")}


class HalfLifeWidget(ModelWidget):
    """"Plasma half-life is not occupancy half-life": one oral dose, plasma and both occupancy
    models on one time axis, with Lee et al.'s blockade half-time and the PET point; the band
    holds the middle 90% of 100 virtual people under brain kinetics."""

    readout_labels = {"plasma": "plasma naltrexone half-life",
                      "half_a": "blockade half-time, plasma equilibrium",
                      "half_b": "blockade half-time, brain kinetics",
                      "lee": "Lee et al. 1988 (50 mg, positron detection)",
                      "left": "occupancy left at the end (brain kinetics)"}

    def __init__(self, dose_mg: float = 50.0, days: int = 7, metabolite: bool = True):
        controls = {
            "dose_mg": log_slider("single dose (mg)", dose_mg, 1.0, 100.0, fmt=".3g"),
            "days": int_slider("days shown", days, 2, 14),
            "metabolite": _metabolite_checkbox(metabolite),
        }
        self._cohort = POP.virtual_cohort()
        super().__init__(controls, P.half_life_figure())

    def compute(self, v):
        t = time_grid_h(24.0 * int(v["days"]), STEP_H)
        prof = PK.oral_profile(float(v["dose_mg"]), t)
        occ_a = O.plasma_equilibrium_occupancy(prof, v["metabolite"])
        occ_b = O.brain_kinetic_occupancy(prof)
        t_people = POP.cohort_grid_h(t[-1])
        people = POP.cohort_course(PK.regimen("single", float(v["dose_mg"]), 1), t_people, self._cohort)
        low, _, high = people.band("occupancy")
        plasma = prof.naltrexone_nM / prof.naltrexone_nM.max()
        dose = float(v["dose_mg"])
        pet = next((rng for d, rng in O.RABINER_2011_PET.items() if abs(dose / d - 1) < 0.08), None)
        return {"t_days": t / 24.0, "plasma": plasma, "occ_a": occ_a, "occ_b": occ_b,
                "band": (t_people / 24.0, low, high, people.n),
                "half_a": O.blockade_half_time_h(t, occ_a), "half_b": O.blockade_half_time_h(t, occ_b),
                "peak_b": float(occ_b.max()), "left": float(occ_b[-1]), "days": int(v["days"]),
                "lee": abs(dose / 50.0 - 1) < 0.08,
                "pet": None if pet is None else (O.PET_EVALUATION_TIME_H / 24.0, pet)}

    def draw(self, r):
        lo, hi = O.LEE_1988_HALF_TIME_H
        band = ((lo / 24.0, hi / 24.0), r["peak_b"] / 2.0) if r["lee"] else None
        P.draw_half_life(self.figure, r["t_days"], r["plasma"], r["occ_a"], r["occ_b"], band, r["pet"],
                         people=r["band"])

    def readout_values(self, r):
        def h(x):
            return "longer than the time shown" if np.isinf(x) else f"{x:.0f} h ({x / 24:.1f} days)"
        return {"plasma": f"{PK.OralParameters().half_life_h:.3g} h", "half_a": h(r["half_a"]),
                "half_b": h(r["half_b"]), "lee": "72-108 h (3-4.5 days)",
                "left": f"{format_percent(r['left'])} after {r['days']} days"}


class DoseOccupancyWidget(ModelWidget):
    """"Dose versus occupancy": occupancy at a chosen time after one dose, against the dose,
    under both models, with the PET data; the band holds the middle 90% of 100 virtual people
    under brain kinetics."""

    readout_labels = {"occ_a": "plasma equilibrium at your dose", "occ_b": "brain kinetics at your dose",
                      "ed50": "dose for 50% (brain kinetics)"}

    def __init__(self, dose_mg: float = 4.5, hours_after: float = 4.0, metabolite: bool = True):
        controls = {
            "dose_mg": log_slider("your dose (mg)", dose_mg, 0.1, 100.0, fmt=".3g"),
            "hours_after": log_slider("hours after the dose", hours_after, 1.0, 24.0, fmt=".3g"),
            "metabolite": _metabolite_checkbox(metabolite),
        }
        self._doses = np.logspace(-1, 2, 31)
        self._band_doses = np.logspace(-1, 2, 13)  # the cohort's band: 4 doses per decade
        self._band_people = 100  # virtual people in the band (population.virtual_cohort)
        super().__init__(controls, P.dose_occupancy_figure())

    def compute(self, v):
        t_after = float(v["hours_after"])
        doses = np.append(self._doses, float(v["dose_mg"]))
        occ_a, occ_b = O.dose_occupancy_curve(doses, t_after, include_metabolite=v["metabolite"],
                                              step_h=STEP_H / 2)
        ed50 = float(10 ** np.interp(0.5, occ_b[:-1], np.log10(self._doses)))
        low, _, high = POP.dose_occupancy_band(self._band_doses, t_after, n=self._band_people)
        return {"doses": self._doses, "occ_a": list(occ_a[:-1]), "occ_b": list(occ_b[:-1]),
                "band": (self._band_doses, low, high, self._band_people),
                "dose": doses[-1], "hours_after": t_after,
                "mine": (float(occ_a[-1]), float(occ_b[-1])), "ed50": ed50}

    def draw(self, r):
        # the scans were taken less than 8 h after the dose: do not show them against later times
        pet = O.RABINER_2011_PET if r["hours_after"] <= 8.0 else {}
        P.draw_dose_occupancy(self.figure, r["doses"], r["occ_a"], r["occ_b"], pet, r["dose"], r["mine"],
                              band=r["band"])

    def readout_values(self, r):
        return {"occ_a": format_percent(r["mine"][0]), "occ_b": format_percent(r["mine"][1]),
                "ed50": f"{r['ed50']:.3g} mg"}


class TransientBlockadeWidget(ModelWidget):
    """"What does transient mean?": hours per day above an occupancy threshold for low-dose and
    standard regimens under three views of occupancy, on the last day of a week of dosing, and
    under brain kinetics the range (5th-95th percentile) across 100 virtual people."""

    regimens = ((4.5, "at bedtime"), (1.5, "at bedtime"), (1.0, "twice daily"), (50.0, "once daily"))
    views = tuple((model, met, label) for label, (model, met) in O.OCCUPANCY_VIEWS.items())
    #: the last column: brain kinetics across the middle 90% of 100 virtual people
    PEOPLE = "brain kinetics, 90% of people"
    readout_labels = {"ldn": "4.5 mg at bedtime, range across views",
                      "ldn_people": "4.5 mg at bedtime, 90% of people"}

    def __init__(self, threshold: float = 0.9):
        controls = {"threshold": W.FloatSlider(value=threshold, min=0.3, max=0.95, step=0.05,
                                               description="occupancy threshold (fraction)",
                                               readout_format=".2f", style={"description_width": "190px"},
                                               layout=W.Layout(width="460px"))}
        self._traces = {}
        step = 0.05
        t = time_grid_h(7 * 24.0, step)
        for dose, schedule in self.regimens:  # the simulations do not depend on the threshold
            prof = PK.simulate(PK.regimen(schedule, dose, 7), t)
            for model, met, label in self.views:
                self._traces[(dose, schedule, label)] = O.mu_occupancy(prof, model, include_metabolite=met)
        cohort, t_people = POP.virtual_cohort(), POP.cohort_grid_h(7 * 24.0)
        self._people = {(dose, schedule): POP.cohort_course(PK.regimen(schedule, dose, 7), t_people, cohort)
                        for dose, schedule in self.regimens}
        self._t = t
        super().__init__(controls, P.blockade_table_figure())

    def compute(self, v):
        thr = float(v["threshold"])
        table = {key: O.hours_per_day_above(self._t, occ, thr, last_days=1)
                 for key, occ in self._traces.items()}
        people = {key: course.hours_per_day_above(thr, last_days=1) for key, course in self._people.items()}
        return {"threshold": thr, "table": table, "people": people}

    def draw(self, r):
        header = ["regimen"] + [label for *_, label in self.views] + [self.PEOPLE]
        columns = [[f"{d:g} mg {s}" for d, s in self.regimens]]
        for *_, label in self.views:
            columns.append([f"{r['table'][(d, s, label)]:.1f} h" for d, s in self.regimens])
        columns.append([_hours_range(*r["people"][(d, s)][::2]) for d, s in self.regimens])
        P.draw_blockade_table(self.figure, header, columns)

    def readout_values(self, r):
        ldn = [r["table"][(4.5, "at bedtime", label)] for *_, label in self.views]
        return {"ldn": f"{min(ldn):.1f} to {max(ldn):.1f} h per day at ≥ {r['threshold']:.2f}",
                "ldn_people": f"{_hours_range(*r['people'][(4.5, 'at bedtime')][::2])} per day"}


def _hours_range(low: float, high: float) -> str:
    return f"{low:.1f} h" if f"{low:.1f}" == f"{high:.1f}" else f"{low:.1f}-{high:.1f} h"
