"""Interactive models of chapter 7: evidence, side effects and safety.

Controls are wired to :mod:`naltrexone_lab.trials` and :mod:`naltrexone_lab.withdrawal`;
figures come from :mod:`naltrexone_lab.plots.evidence`.
"""

from __future__ import annotations

import numpy as np

from ..models import trials as T
from ..models import withdrawal as WD
from ..plots import evidence as P
from .base import ModelWidget, dropdown, float_slider, int_slider, log_slider

__all__ = ["PrecipitatedWithdrawalWidget", "TrialSizeWidget"]

_N_GRID = np.unique(np.round(np.logspace(np.log10(3), np.log10(300), 60)).astype(int))
_D_GRID = np.linspace(-2.0, 4.0, 601)


class TrialSizeWidget(ModelWidget):
    """"How big must a trial be?": true effect, patients per arm and alpha; power by the
    noncentral t (and by a seeded simulation), the sample size for 80% power, and the
    distribution of observed effects with the significant ones shaded and the pilot's published
    effect sizes marked."""

    readout_labels = {
        "power": "power of this trial",
        "critical": "smallest significant observed d",
        "needed": "per arm for 80% power",
        "curse": "significant trials overstate d by",
    }

    def __init__(self, d: float = 0.62, n_per_arm: int = 6, alpha: str = "0.05"):
        controls = {
            "d": float_slider("true effect (Cohen's d, in SD)", d, 0.1, 1.5, 0.01),
            "n_per_arm": log_slider("patients per arm", n_per_arm, 3, 300, integer=True, extra=(42,)),
            "alpha": dropdown("alpha (two-sided)", ["0.05", "0.01"], alpha),
        }
        super().__init__(controls, P.trial_figure())

    def compute(self, v):
        d, n, alpha = float(v["d"]), int(round(float(v["n_per_arm"]))), float(v["alpha"])
        curve = T.power_curve(d, _N_GRID, alpha)
        dens = T.observed_effect_density(_D_GRID, d, n)
        crit_d = T.critical_effect(n, alpha)
        return {
            "d": d, "n": n, "alpha": alpha, "curve": curve, "power": T.power(d, n, alpha),
            "simulated": T.simulated_power(d, n, alpha, n_trials=1000, seed=2017),
            "needed": T.sample_size(d, 0.8, alpha), "density": dens,
            "significant": np.where(_D_GRID >= crit_d, dens, 0.0), "curse": T.winners_curse(d, n, alpha),
            "critical": crit_d,
        }

    def draw(self, r):
        pilot = {f"{k} {v.published_d:g}": v.published_d for k, v in T.MISCHOULON_2017.items()}
        P.draw_trial(self.figure, _N_GRID, r["curve"], r["n"], r["power"], _D_GRID, r["density"],
                     r["significant"], r["d"], pilot, float(r["density"].max()) * 1.05)

    def readout_values(self, r):
        return {
            "power": f"{100 * r['power']:.0f}% (simulated, 1000 seeded trials: {100 * r['simulated']:.0f}%)",
            "critical": f"{r['critical']:.2f} (shaded; the mirror-image lower tail also counts)",
            "needed": f"{r['needed']} (this trial: {r['n']})",
            "curse": f"{r['curse']:.2f} times on average",
        }


class PrecipitatedWithdrawalWidget(ModelWidget):
    """"Precipitated withdrawal": a maintenance opioid, its occupancy at the trough, days since
    the last dose and a naltrexone dose; who holds the receptors and the withdrawal index over
    the 24 h after naltrexone."""

    readout_labels = {
        "before": "opioid-bound at the naltrexone dose",
        "after": "opioid-bound 1 h and 6 h later",
        "half": "time to displace half of it",
        "index": "withdrawal index: precipitated rise",
    }

    def __init__(self, opioid: str = "methadone", occupancy_percent: float = 60.0, days: float = 1.0,
                 naltrexone_mg: float = 50.0):
        controls = {
            "opioid": dropdown("maintenance opioid", list(WD.MAINTENANCE_OPIOIDS), opioid),
            "occupancy_percent": float_slider("its occupancy at trough (%)", occupancy_percent,
                                              10.0, 95.0, 5.0, fmt=".0f"),
            "days": int_slider("days since the last dose", int(days), 0, 14),
            "naltrexone_mg": log_slider("naltrexone dose (mg)", naltrexone_mg, 1.0, 150.0, fmt=".3g"),
        }
        super().__init__(controls, P.withdrawal_figure())

    def compute(self, v):
        return {"r": WD.precipitated_withdrawal(v["opioid"], float(v["occupancy_percent"]) / 100.0,
                                                float(v["days"]), float(v["naltrexone_mg"]))}

    def draw(self, res):
        r = res["r"]
        P.draw_withdrawal(self.figure, r.time_h, r.agonist_bound, r.naltrexone_bound, r.withdrawal_index)

    def readout_values(self, res):
        r = res["r"]
        half = r.time_to_half_displacement_h()
        return {
            "before": f"{100 * r.agonist_bound[0]:.1f}%",
            "after": f"{100 * r.agonist_bound_at(1.0):.1f}% and {100 * r.agonist_bound_at(6.0):.1f}%",
            "half": "not within 24 h" if not np.isfinite(half) else
                    (f"{60 * half:.0f} min" if half < 1 else f"{half:.1f} h"),
            "index": f"+{r.precipitated:.2f} (from {r.withdrawal_index[0]:.2f}; "
                     f"dependence {r.dependence:.2f})",
        }
