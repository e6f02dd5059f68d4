"""Interactive models of chapter 6: TLR4 and glial modulation.

Controls are wired to :mod:`naltrexone_lab.glia` (which uses chapter 2's pharmacokinetics for
plasma levels and chapter 1's binding for mu occupancy); figures come from
:mod:`naltrexone_lab.plots.glia`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..models import glia as G
from ..models.units import format_concentration, format_ng_per_mL, format_percent, nM_to_ng_per_mL
from ..plots import glia as P
from .base import ModelWidget, dropdown, float_slider, log_slider

__all__ = ["MicrogliaWidget", "TLR4GapWidget"]

_CURVE_X = np.logspace(np.log10(P.CURVE_X_NM[0]), np.log10(P.CURVE_X_NM[1]), 181)


def _change(ratio: float) -> str:
    return "no change" if abs(ratio - 1.0) < 5e-4 else f"{100 * (ratio - 1):+.1f}%"


class MicrogliaWidget(ModelWidget):
    """"Microglia on a slider": stimulus strength, naltrexone concentration (nM to mM, log),
    enantiomer and the assumed IC50; mediator time courses, the inhibition curve with the LDN
    plasma range and the cell-study concentrations, and steady states with and without the drug.
    """

    readout_labels = {
        "tlr4": "TRIF-branch inhibition",
        "mu": "mu occupancy at equilibrium (ch. 1)",
        "tnf": "TNF-alpha at steady state",
        "il1": "IL-1beta at steady state",
        "no": "NO at steady state",
    }

    def __init__(self, stimulus: float = 0.8, conc_nM: float = 3.0, enantiomer: str = G.ENANTIOMERS[0],
                 ic50_uM: float = 50.0):
        controls = {
            "stimulus": float_slider("TLR4 stimulus (fraction of max)", stimulus, 0.0, 1.0, 0.05),
            "conc_nM": log_slider("naltrexone (nM)", conc_nM, 0.1, 1e6, fmt=".3g"),
            "enantiomer": dropdown("enantiomer", list(G.ENANTIOMERS), enantiomer),
            "ic50_uM": log_slider("assumed TLR4 IC50 (uM)", ic50_uM, G.IC50_RANGE_UM[0], G.IC50_RANGE_UM[1],
                                  fmt=".3g"),
        }
        self._t = np.linspace(0.0, 72.0, 289)
        super().__init__(controls, P.microglia_figure(list(G.MEDIATORS)))

    def compute(self, v):
        params = replace(G.GliaParameters(), ic50_uM=float(v["ic50_uM"]))
        conc, s = float(v["conc_nM"]), float(v["stimulus"])
        tc = G.time_course(self._t, s, conc, params)
        return {
            "tc": tc, "conc": conc,
            "curve": 100.0 * G.tlr4_inhibition(_CURVE_X, params.ic50_uM),
            "without": {k: float(x) for k, x in G.steady_state(s, 0.0, params).items()},
            "with": {k: float(x) for k, x in G.steady_state(s, conc, params).items()},
            "mu": float(G.mu_occupancy_of(conc, v["enantiomer"])),
            "mu_curve": 100.0 * G.mu_occupancy_of(_CURVE_X, v["enantiomer"]),
            "stimulus": s,
        }

    def draw(self, r):
        tc = r["tc"]
        P.draw_microglia(self.figure, tc.time_h, tc.mediators, _CURVE_X, r["curve"], r["conc"],
                         100.0 * tc.inhibition, r["without"], r["with"], r["mu_curve"])

    def readout_values(self, r):
        w, o = r["with"], r["without"]

        def level(name):
            return f"{w[name]:.2f}-fold over rest ({_change(w[name] / o[name])} with naltrexone)"

        return {
            "tlr4": f"{100 * r['tc'].inhibition:.3g}% (at {r['conc']:.3g} nM)",
            "mu": format_percent(r["mu"]),
            "tnf": level("TNF-alpha"),
            "il1": level("IL-1beta"),
            "no": level("NO"),
        }


class TLR4GapWidget(ModelWidget):
    """"Mind the gap": an oral regimen's plasma naltrexone (chapter 2) against the TLR4 IC50 range
    and the concentrations at which cell studies saw (or did not see) effects."""

    readout_labels = {
        "plasma": "plasma naltrexone, last day",
        "gap": "IC50 ÷ peak plasma level",
        "inhibition": "TLR4 inhibition at the peak",
    }

    def __init__(self, dose_mg: float = 4.5, schedule: str = "at bedtime", ic50_uM: float = 50.0):
        controls = {
            "dose_mg": log_slider("dose (mg)", dose_mg, 0.5, 50.0, fmt=".2g"),
            "schedule": dropdown("schedule", ["at bedtime", "twice daily"], schedule),
            "ic50_uM": log_slider("assumed TLR4 IC50 (uM)", ic50_uM, G.IC50_RANGE_UM[0], G.IC50_RANGE_UM[1],
                                  fmt=".3g"),
        }
        super().__init__(controls, P.gap_figure())

    def compute(self, v):
        gap = G.plasma_gap(float(v["dose_mg"]), v["schedule"], float(v["ic50_uM"]))
        return {"gap": gap, "curve": 100.0 * G.tlr4_inhibition(_CURVE_X, float(v["ic50_uM"]))}

    def draw(self, r):
        g = r["gap"]
        P.draw_gap(self.figure, g.trough_nM, g.peak_nM, _CURVE_X, r["curve"], 100.0 * g.peak_inhibition)

    def readout_values(self, r):
        g = r["gap"]
        return {
            "plasma": f"{format_concentration(g.trough_nM)} to {format_concentration(g.peak_nM)} "
                      f"(peak {format_ng_per_mL(nM_to_ng_per_mL(g.peak_nM))})",
            "gap": f"{g.fold_below_ic50:,.0f}-fold",
            "inhibition": f"{100 * g.peak_inhibition:.2g}% of TRIF signalling",
        }
