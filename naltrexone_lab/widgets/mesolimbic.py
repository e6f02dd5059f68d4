"""Interactive models of chapter 3: mesolimbic disinhibition.

Controls are wired to :mod:`naltrexone_lab.mesolimbic` (the circuit) and, for naltrexone doses,
to chapter 2's occupancy model; figures come from :mod:`naltrexone_lab.plots.mesolimbic`.
"""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as W
import numpy as np

from ..models import mesolimbic as M
from ..models.binding import dose_ratio
from ..models.occupancy import MODELS
from ..models.units import format_percent, time_grid_h
from ..plots import mesolimbic as P
from .base import ModelWidget, dropdown, float_slider, log_slider, selection_slider

__all__ = ["BrakeCircuitWidget", "OpioidChallengeWidget"]

#: The two pictures of the brake: morphine's effect on local interneurons' output.
LOCAL_SENSITIVITY = {
    f"{M.LOCAL_MU_INHIBITION_PICTURES['revised']:.0%} (Matsui 2014: revised picture)":
        M.LOCAL_MU_INHIBITION_PICTURES["revised"],
    f"{M.LOCAL_MU_INHIBITION_PICTURES['classic']:.0%}, like the RMTg (classic picture)":
        M.LOCAL_MU_INHIBITION_PICTURES["classic"],
}

#: What the "share of the rise blocked" readout says when the challenge overcomes the blockade
#: (:func:`naltrexone_lab.mesolimbic.share_of_rise_blocked` is 0).
NONE_BLOCKED = "none blocked: this challenge overcomes the blockade"

#: Naltrexone doses offered (mg once daily); 0 means none.
NALTREXONE_DOSES_MG = (0.0, 1.0, 2.0, 4.5, 10.0, 25.0, 50.0, 100.0, 150.0)


def naltrexone_slider(value: float) -> W.SelectionSlider:
    """Naltrexone dose in mg once daily, from none to 150 mg (the labelled range)."""
    options = [("none" if d == 0 else f"{d:g}", d) for d in NALTREXONE_DOSES_MG]
    return selection_slider("naltrexone (mg/day)", options, value)


class BrakeCircuitWidget(ModelWidget):
    """"The brake": one opioid dose, the VTA circuit's response over 8 hours, and a diagram of
    the circuit at a chosen moment.

    Controls: ``opioid``; ``peak_occupancy_percent`` (0.1-95%, log: the peak mu occupancy the
    dose would reach alone); ``naltrexone_mg`` (once daily, held at its steady-state trough
    occupancy from chapter 2's brain-kinetics model); ``rmtg_share`` (share of the GABA brake
    that comes from the RMTg); ``local_sensitivity`` (how much morphine silences local
    interneurons: Matsui's 11%, or as much as the RMTg, the classic picture of Johnson & North);
    ``time_h`` (the moment the diagram shows).
    """

    readout_labels = {
        "peak": "accumbens dopamine at peak",
        "firing": "dopamine neuron at peak",
        "gaba": "RMTg GABA at peak",
        "ntx": "naltrexone occupancy (trough)",
        "now": "at the chosen time",
    }

    def __init__(self, opioid: str = "morphine", peak_occupancy_percent: float = 10.0,
                 naltrexone_mg: float = 0.0, rmtg_share: float = 0.7,
                 local_sensitivity: str = "11% (Matsui 2014: revised picture)", time_h: float = 0.5):
        controls = {
            "opioid": dropdown("opioid", list(M.OPIOIDS), opioid),
            "peak_occupancy_percent": log_slider("opioid peak occupancy (%)", peak_occupancy_percent,
                                                 0.1, 95.0, fmt=".2g"),
            "naltrexone_mg": naltrexone_slider(naltrexone_mg),
            "rmtg_share": float_slider("RMTg share of the brake (fraction)", rmtg_share, 0.0, 1.0, 0.05),
            "local_sensitivity": dropdown("morphine silences local GABA by", list(LOCAL_SENSITIVITY),
                                          local_sensitivity),
            "time_h": float_slider("diagram time (h after dose)", time_h, 0.0, 8.0, 0.1, fmt=".1f"),
        }
        self._t = time_grid_h(8.0, 0.04)
        super().__init__(controls, P.brake_figure())

    def compute(self, v):
        params = replace(M.CircuitParameters(), rmtg_share=float(v["rmtg_share"]),
                         local_mu_inhibition=LOCAL_SENSITIVITY[v["local_sensitivity"]])
        ntx = M.naltrexone_trough_occupancy(float(v["naltrexone_mg"]))
        tc = M.time_course(self._t, float(v["peak_occupancy_percent"]) / 100.0, opioid=v["opioid"],
                           naltrexone_occupancy=ntx, params=params)
        i = int(np.argmax(tc.state.nac_dopamine_nM))
        j = int(np.argmin(np.abs(self._t - float(v["time_h"]))))
        s, b = tc.state, tc.baseline

        def node(state, k=None):
            pick = (lambda arr: float(arr[k])) if k is not None else float
            return {"mu": pick(state.mu_activation), "rmtg": pick(state.rmtg_gaba_Hz),
                    "local": pick(state.local_gaba_Hz), "dopamine": pick(state.dopamine_Hz),
                    "nac": pick(state.nac_dopamine_nM), "rmtg_share": params.rmtg_share}

        return {"tc": tc, "ntx": ntx, "peak": i, "now": j, "at": node(s, j), "base": node(b),
                "chosen_h": float(self._t[j])}

    def draw(self, r):
        tc = r["tc"]
        P.draw_brake(self.figure, tc.time_h, tc.state.local_gaba_Hz, tc.state.rmtg_gaba_Hz,
                     tc.state.dopamine_Hz, tc.state.nac_dopamine_nM,
                     float(tc.baseline.nac_dopamine_nM), r["at"], r["base"], r["chosen_h"])

    def readout_values(self, r):
        tc, i, j = r["tc"], r["peak"], r["now"]
        pct = tc.nac_percent_of_baseline
        return {
            "peak": f"{tc.state.nac_dopamine_nM[i]:.2f} nM = {pct[i]:.0f}% of baseline "
                    f"at {tc.time_h[i]:.1f} h",
            "firing": f"{tc.state.dopamine_Hz[i]:.1f} Hz (baseline {float(tc.baseline.dopamine_Hz):.1f} Hz)",
            "gaba": f"{tc.state.rmtg_gaba_Hz[i]:.1f} Hz (baseline {float(tc.baseline.rmtg_gaba_Hz):.1f} Hz)",
            "ntx": "none" if r["ntx"] == 0 else format_percent(r["ntx"]),
            "now": f"{r['chosen_h']:.1f} h: accumbens {pct[j]:.0f}% of baseline, "
                   f"μ activation {100 * tc.state.mu_activation[j]:.0f}%",
        }


class OpioidChallengeWidget(ModelWidget):
    """"Naltrexone versus an opioid challenge": accumbens dopamine over opioid dose and
    naltrexone occupancy, and the dose-response with and without naltrexone.

    Controls: ``opioid``; ``naltrexone_mg`` (once daily, trough occupancy); ``model`` (chapter 2's
    occupancy model); ``challenge_x_kd`` (the opioid concentration tested, as a multiple of its
    Kd, log).
    """

    readout_labels = {
        "ntx": "naltrexone occupancy (trough)",
        "shift": "dose-response shifted right by",
        "alone": "challenge alone",
        "with": "challenge with naltrexone",
        "blocked": "share of the rise blocked",
    }

    def __init__(self, opioid: str = "morphine", naltrexone_mg: float = 50.0,
                 model: str = "brain kinetics", challenge_x_kd: float = 0.03):
        controls = {
            "opioid": dropdown("opioid", list(M.OPIOIDS), opioid),
            "naltrexone_mg": naltrexone_slider(naltrexone_mg),
            "model": dropdown("occupancy model (ch. 2)", list(MODELS), model),
            "challenge_x_kd": log_slider("challenge (× opioid Kd)", challenge_x_kd, 0.001, 100.0,
                                         fmt=".2g"),
        }
        self._x = np.logspace(-3, 3, 61)
        self._ntx_ratio = np.logspace(-2, 3, 41)  # naltrexone concentration / Kd
        self._ntx_grid = self._ntx_ratio / (1.0 + self._ntx_ratio)
        super().__init__(controls, P.challenge_figure())

    def compute(self, v):
        ntx = M.naltrexone_trough_occupancy(float(v["naltrexone_mg"]), v["model"])
        occ = self._x / (1.0 + self._x)
        z = M.percent_of_baseline(occ[None, :], self._ntx_grid[:, None], opioid=v["opioid"])
        alone = M.percent_of_baseline(occ, 0.0, opioid=v["opioid"])
        with_ntx = M.percent_of_baseline(occ, ntx, opioid=v["opioid"])
        x_c = float(v["challenge_x_kd"])
        o_c = x_c / (1.0 + x_c)
        return {
            "ntx": ntx, "z": z, "alone": alone, "with": with_ntx, "x_c": x_c,
            "c_alone": float(M.percent_of_baseline(o_c, 0.0, opioid=v["opioid"])),
            "c_with": float(M.percent_of_baseline(o_c, ntx, opioid=v["opioid"])),
            "ntx_only": float(M.percent_of_baseline(0.0, ntx, opioid=v["opioid"])),
            "blocked": float(M.share_of_rise_blocked(o_c, ntx, opioid=v["opioid"])),
            # Gaddum: the agonist needs (1 + x_N) times the concentration (chapter 1)
            "shift": float(dose_ratio(float(M.concentration_ratio(ntx)), 1.0)),
        }

    def draw(self, r):
        P.draw_challenge(self.figure, self._x, self._ntx_ratio, self._ntx_grid, r["z"], r["ntx"],
                         r["x_c"], r["alone"], r["with"], r["c_alone"], r["c_with"])

    @staticmethod
    def _blocked_text(r) -> str:
        if r["ntx"] == 0:
            return "no naltrexone"
        if r["blocked"] <= 0.0:  # the model's share is 0: the challenge surmounts the block
            return NONE_BLOCKED
        return format_percent(r["blocked"])

    def readout_values(self, r):
        return {
            "ntx": "none" if r["ntx"] == 0 else format_percent(r["ntx"]),
            "shift": f"{r['shift']:.3g}-fold in opioid concentration",
            "alone": f"{r['c_alone']:.0f}% of baseline",
            "with": f"{r['c_with']:.0f}% of baseline (naltrexone alone: {r['ntx_only']:.0f}%)",
            "blocked": self._blocked_text(r),
        }
