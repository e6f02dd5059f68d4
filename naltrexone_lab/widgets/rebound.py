"""Interactive models of chapter 5: low-dose naltrexone and the rebound hypothesis.

Controls are wired to :mod:`naltrexone_lab.rebound` (which reuses chapters 2-4); figures come
from :mod:`naltrexone_lab.plots.rebound`.
"""

from __future__ import annotations

import numpy as np

from ..models import rebound as R
from ..models.occupancy import OCCUPANCY_VIEWS
from ..plots import rebound as P
from .base import ModelWidget, dropdown, float_slider, log_slider

__all__ = ["ReboundMapWidget", "TransientBlockadeReboundWidget"]

STEP_H = 0.25  # the widgets' time step (h); tests compare with 0.025 h
MAP_DOSES_MG = np.logspace(np.log10(0.5), np.log10(50.0), 13)
MAP_TAUS_H = np.logspace(0.0, np.log10(720.0), 12)


def _view(description_value: str) -> tuple[str, bool]:
    return OCCUPANCY_VIEWS[description_value]


class TransientBlockadeReboundWidget(ModelWidget):
    """"Transient versus continuous blockade": 28 days of a regimen with homeostatic compensation.

    Controls: ``dose_mg`` (0.5-50 mg per intake, log); ``schedule``; ``view`` (chapter 2's three
    views of occupancy); ``tau_h`` (how fast endogenous opioid adapts, 1 h to 30 days, log;
    receptors keep chapter 4's turnover); ``gain``; ``window_h`` (the lowest-occupancy window
    over which the rebound is read, 2-18 h).
    """

    readout_labels = {
        "blocked": "hours a day at ≥ 50% occupancy",
        "above": "hours a day with tone above normal",
        "rebound": "rebound in the lowest-occupancy window",
        "tone": "mean opioid tone, last day",
        "dopamine": "accumbens dopamine (chapter 3)",
    }

    def __init__(self, dose_mg: float = 4.5, schedule: str = "at bedtime",
                 view: str = "plasma eq., parent only", tau_h: float = 24.0, gain: float = 1.0,
                 window_h: float = 6.0):
        controls = {
            "dose_mg": log_slider("dose per intake (mg)", dose_mg, 0.5, 50.0, fmt=".2g"),
            "schedule": dropdown("schedule", list(R.SCHEDULES), schedule),
            "view": dropdown("occupancy view (ch. 2)", list(OCCUPANCY_VIEWS), view),
            "tau_h": log_slider("adaptation time constant (h)", tau_h, 1.0, 720.0, fmt=".3g",
                                extra=(24.0, 168.0)),
            "gain": float_slider("compensation gain (no unit)", gain, 0.0, 3.0, 0.1),
            "window_h": float_slider("window for the rebound (h)", window_h, 2.0, 18.0, 1.0, fmt=".0f"),
        }
        super().__init__(controls, P.transient_figure())

    def compute(self, v):
        model, met = _view(v["view"])
        comp = R.CompensationParameters(float(v["tau_h"]), float(v["gain"]), float(v["window_h"]))
        r = R.simulate_regimen(float(v["dose_mg"]), v["schedule"], model=model, include_metabolite=met,
                               compensation=comp, step_h=STEP_H)
        window = R.window_indices(r.time_h, r.occupancy, comp.window_h)
        return {"r": r, "window": window}

    def draw(self, res):
        r, w = res["r"], res["window"]
        P.draw_transient(self.figure, r.time_h / 24.0, r.occupancy, r.endogenous, r.receptor_density,
                         r.tone, r.time_h[w] / 24.0, r.tone[w])

    def readout_values(self, res):
        r = res["r"]
        return {
            "blocked": f"{r.hours_blocked:.1f} h",
            "above": f"{r.hours_tone_above_normal:.1f} h",
            "rebound": f"{r.rebound_percent:+.0f}% of normal tone "
                       + ("(a rebound)" if r.rebound_percent > 0
                          else "(no rebound: tone stays below normal)"),
            "tone": f"{100 * r.mean_tone:.0f}% of normal",
            "dopamine": f"{r.window_dopamine_percent:+.1f}% in the window, {r.mean_dopamine_percent:+.1f}% "
                        "over the day",
        }


class ReboundMapWidget(ModelWidget):
    """"Where does a rebound exist?": the rebound over dose (x) and adaptation time constant (y)
    for a schedule and an occupancy view, with the chosen point marked.

    Controls: ``schedule`` (once at bedtime or twice daily: once in the morning gives the same
    map shifted in time); ``view``; ``gain``; ``dose_mg`` and ``tau_h`` (the marked point).
    """

    readout_labels = {
        "point": "at the chosen point",
        "area": "share of the map with a rebound",
        "best": "largest rebound on the map",
    }

    def __init__(self, schedule: str = "at bedtime", view: str = "plasma eq., parent only", gain: float = 1.0,
                 dose_mg: float = 4.5, tau_h: float = 24.0):
        controls = {
            "schedule": dropdown("schedule", ["at bedtime", "twice daily"], schedule),
            "view": dropdown("occupancy view (ch. 2)", list(OCCUPANCY_VIEWS), view),
            "gain": float_slider("compensation gain (no unit)", gain, 0.0, 3.0, 0.1),
            "dose_mg": log_slider("dose per intake (mg)", dose_mg, 0.5, 50.0, fmt=".2g"),
            "tau_h": log_slider("adaptation time constant (h)", tau_h, 1.0, 720.0, fmt=".3g",
                                extra=(24.0, 168.0)),
        }
        self._key = None
        self._map = None
        super().__init__(controls, P.map_figure())

    def compute(self, v):
        model, met = _view(v["view"])
        key = (v["schedule"], v["view"], float(v["gain"]))
        if key != self._key:  # the map does not depend on the marked point
            self._map = R.rebound_map(MAP_DOSES_MG, MAP_TAUS_H, v["schedule"], model=model,
                                      include_metabolite=met, gain=float(v["gain"]))
            self._key = key
        dose, tau = float(v["dose_mg"]), float(v["tau_h"])
        point = float(R.rebound_map([dose], [tau], v["schedule"], model=model, include_metabolite=met,
                                    gain=float(v["gain"]))[0, 0])
        return {"map": self._map, "dose": dose, "tau": tau, "point": point}

    def draw(self, r):
        # rows of the map are doses; the heatmap wants rows along y (time constants)
        P.draw_map(self.figure, MAP_DOSES_MG, MAP_TAUS_H, r["map"].T, r["dose"], r["tau"])

    def readout_values(self, r):
        m = r["map"]
        i, j = np.unravel_index(np.argmax(m), m.shape)
        best = (f"{m[i, j]:+.0f}% at {MAP_DOSES_MG[i]:.2g} mg, {MAP_TAUS_H[j]:.3g} h" if m.max() > 0
                else f"none (at most {m.max():+.0f}%)")
        return {
            "point": f"{r['point']:+.0f}% at {r['dose']:.2g} mg and a {r['tau']:.3g} h time constant",
            "area": f"{100 * np.mean(m > 0):.0f}% of the dose × time-constant grid",
            "best": best,
        }
