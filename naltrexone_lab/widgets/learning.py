"""Interactive models of chapter 8: learning, craving and alcohol.

Controls are wired to :mod:`naltrexone_lab.learning` (which drives chapter 3's circuit and uses
chapter 2's occupancy); figures come from :mod:`naltrexone_lab.plots.learning`.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import numpy as np

from ..models import learning as L
from ..models.mesolimbic import naltrexone_trough_occupancy
from ..plots import learning as P
from .base import ModelWidget, float_slider, int_slider, log_slider, selection_slider

__all__ = ["AlcoholDopamineWidget", "CravingLearningWidget"]

#: doses offered (mg once daily); 0 is no naltrexone
DOSES_MG = (0.0, 1.0, 2.0, 5.0, 10.0, 15.0, 25.0, 50.0, 100.0)
_OCC = np.linspace(0.0, 0.99, 100)


@functools.lru_cache(maxsize=256)
def _curve(params):
    """The rise against occupancy for one parameter set (sliders revisit the same values)."""
    return np.asarray(L.alcohol_dopamine_rise(_OCC, params))


def _dose_slider(value):
    return selection_slider("naltrexone dose (mg/day)", [(f"{d:g}", d) for d in DOSES_MG], value)


class AlcoholDopamineWidget(ModelWidget):
    """"The blunted dopamine response": alcohol releases beta-endorphin into chapter 3's circuit;
    naltrexone at the trough of a daily dose competes with it. The non-opioid part stays."""

    readout_labels = {
        "occupancy": "naltrexone occupancy (trough, day 14)",
        "without": "rise without naltrexone",
        "with": "rise with naltrexone",
        "blocked": "share of the rise blocked",
        "fold": "beta-endorphin release (calibrated)",
    }

    def __init__(self, dose_mg: float = 50.0, total_rise_percent: float = 40.0, opioid_share: float = 0.8):
        controls = {
            "dose_mg": _dose_slider(dose_mg),
            "total_rise_percent": float_slider("rise, no naltrexone (% baseline)",
                                               total_rise_percent, 5.0, 100.0, 5.0, fmt=".0f"),
            "opioid_share": float_slider("opioid share of rise (fraction)", opioid_share, 0.0, 1.0, 0.05),
        }
        super().__init__(controls, P.alcohol_dopamine_figure())

    def compute(self, v):
        params = L.AlcoholParameters(float(v["total_rise_percent"]), float(v["opioid_share"]))
        occ = float(naltrexone_trough_occupancy(float(v["dose_mg"])))
        non_opioid = (1.0 - params.opioid_share) * params.total_rise_percent
        with_drug = float(L.alcohol_dopamine_rise(occ, params))
        return {"occ": occ, "params": params, "non_opioid": non_opioid, "with": with_drug,
                "curve": _curve(params),
                "fold": L.calibrated_endorphin_fold(params)}

    def draw(self, r):
        p = r["params"]
        without = (p.total_rise_percent - r["non_opioid"], r["non_opioid"])
        with_drug = (r["with"] - r["non_opioid"], r["non_opioid"])
        P.draw_alcohol_dopamine(self.figure, without, with_drug, 100.0 * _OCC, r["curve"],
                                100.0 * r["occ"], r["with"])

    def readout_values(self, r):
        total = r["params"].total_rise_percent
        return {
            "occupancy": f"{100 * r['occ']:.1f}%",
            "without": f"+{total:.1f}% of baseline",
            "with": f"+{r['with']:.1f}% of baseline",
            "blocked": f"{100 * (1 - r['with'] / total):.0f}%",
            "fold": f"{r['fold']:.2f} times the resting level",
        }


class CravingLearningWidget(ModelWidget):
    """"Craving over weeks": the cue value learned in six months of drinking, then 12 weeks of
    treatment (naltrexone while drinking continues, or abstinence without a drug, against no
    treatment), then 12 weeks after treatment stops."""

    readout_labels = {
        "craving_ntx": "craving at the end of treatment: naltrexone, drinking continues",
        "craving_abst": "craving at the end of treatment: abstinence, no drug",
        "drinking": "drinking during treatment (naltrexone vs none)",
        "after": "craving 12 weeks after naltrexone stops",
    }

    def __init__(self, dose_mg: float = 50.0, treatment_weeks: int = 12, learning_rate: float = 0.1,
                 extinction_half_life_days: float = 30.0, cue_exposure_per_day: float = 0.1):
        controls = {
            "dose_mg": _dose_slider(dose_mg),
            "treatment_weeks": int_slider("treatment (weeks)", treatment_weeks, 0, 52),
            "learning_rate": float_slider("learning rate alpha (per trial)", learning_rate, 0.01, 0.5, 0.01),
            "extinction_half_life_days": log_slider("extinction memory half-time (days)",
                                                    extinction_half_life_days, 3.0, 3000.0, fmt=".3g"),
            "cue_exposure_per_day": float_slider("cue meetings, abstinent (per day)",
                                                 cue_exposure_per_day, 0.0, 1.0, 0.05),
        }
        super().__init__(controls, P.learning_figure())

    def compute(self, v):
        params = replace(L.LearningParameters(), learning_rate=float(v["learning_rate"]),
                         extinction_half_life_days=float(v["extinction_half_life_days"]),
                         cue_exposure_per_day=float(v["cue_exposure_per_day"]))
        occ = float(naltrexone_trough_occupancy(float(v["dose_mg"])))
        n_treat = 7 * int(v["treatment_weeks"])
        courses = {regime: L.simulate_course(regime, acquisition_days=182, treatment_days=n_treat,
                                             followup_days=84, naltrexone_occupancy=occ, params=params)
                   for regime in L.REGIMES}
        return {"courses": courses, "start": 182, "stop": 182 + n_treat}

    def draw(self, r):
        P.draw_learning(self.figure, {k: c.weekly() for k, c in r["courses"].items()},
                        (float(r["start"]), float(r["stop"])))

    def readout_values(self, r):
        c, s, e = r["courses"], r["start"], r["stop"]
        ntx, abst, none = (
            c["naltrexone, drinking continues"], c["abstinence, no drug"], c["no treatment"])
        if e == s:
            during = "no treatment phase"
        else:
            during = (f"{ntx.drinking_days_per_week(s, e):.1f} vs {none.drinking_days_per_week(s, e):.1f} "
                      f"days/week")
        return {
            "craving_ntx": f"{ntx.value_at(e):.2f} (from {ntx.value_at(s):.2f})",
            "craving_abst": f"{abst.value_at(e):.2f} (from {abst.value_at(s):.2f})",
            "drinking": during,
            "after": f"{ntx.value_at(e + 83):.2f}",
        }
