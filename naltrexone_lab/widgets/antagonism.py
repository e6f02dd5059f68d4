"""Interactive models of chapter 1: opioid receptors and competitive antagonism.

Each class connects controls to :mod:`naltrexone_lab.binding` / :mod:`naltrexone_lab.ligands`
and to a figure from :mod:`naltrexone_lab.plots.antagonism`. Nothing here defines pharmacology.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..models import binding as B
from ..models.ligands import IN_VIVO_PA2, RECEPTORS, get_ligand, ki_nM, ligand_names, receptor_occupancy
from ..models.units import format_concentration, format_percent
from ..plots import antagonism as P
from ..plots.style import RECEPTOR_COLOURS
from .base import ModelWidget, dropdown, float_slider, int_slider, log_slider

__all__ = [
    "CurveShiftWidget",
    "EfficacyWidget",
    "KiVersusPA2Widget",
    "OccupancyWidget",
    "SchildWidget",
    "SelectivityWidget",
    "SetupCheckWidget",
]

_AGONIST_GRID_nM = np.logspace(-4, 6, 241)


def _fold(ratio: float) -> str:
    return f"{ratio:.3g}-fold" if ratio < 1000 else f"{ratio:,.0f}-fold"


class OccupancyWidget(ModelWidget):
    """"How much of the receptor a drug holds": Hill-Langmuir occupancy of one ligand.

    Controls: ``ligand`` (any in the table), ``receptor`` (mu, kappa, delta) and ``conc_nM``
    (log slider, 0.001-1000 nM). Readouts: occupancy, the Ki with its source and confidence, and
    the concentrations for 50% and 90% occupancy.
    """

    readout_labels = {"occupancy": "receptors occupied", "ki": "Ki used",
                      "c90": "concentration for 90% occupancy", "source": "source (confidence)"}

    def __init__(self, ligand: str = "naltrexone", receptor: str = "mu", conc_nM: float = 0.11):
        controls = {
            "ligand": dropdown("ligand", ligand_names(), ligand),
            "receptor": dropdown("receptor", list(RECEPTORS), receptor),
            # tenfold steps from the start are stops too (chapter 1 asks for 0.11, 1.1, 11 nM)
            "conc_nM": log_slider("concentration (nM)", conc_nM, 0.001, 1000.0,
                                  extra=[conc_nM * 10 ** k for k in (1, 2, 3)
                                         if conc_nM * 10 ** k <= 1000.0]),
        }
        super().__init__(controls, P.occupancy_figure(
            "Occupancy rises with concentration and saturates: half at Kd, 90% at 9 Kd"))

    def compute(self, values):
        lig = get_ligand(values["ligand"])
        ki = ki_nM(lig, values["receptor"])  # ValueError (shown as status) where Ki is unknown
        grid = np.logspace(-3, 3, 200)
        c = float(values["conc_nM"])
        return {"grid": grid, "occ": B.hill_langmuir_occupancy(grid, ki), "c": c, "ki": ki,
                "occ_c": float(B.hill_langmuir_occupancy(c, ki)),
                "c90": float(B.concentration_for_occupancy(0.9, ki)),
                "affinity": lig.affinities[values["receptor"]], "receptor": values["receptor"],
                "ligand": lig.name}

    def draw(self, r):
        P.draw_occupancy(self.figure, r["grid"], r["occ"], r["ki"], r["c"], r["occ_c"],
                         colour=RECEPTOR_COLOURS[r["receptor"]],
                         x_title=f"{r['ligand']} concentration (nM, log scale)")

    def readout_values(self, r):
        return {"occupancy": format_percent(r["occ_c"]), "ki": format_concentration(r["ki"]),
                "c90": format_concentration(r["c90"]),
                "source": f"{r['affinity'].source} ({r['affinity'].confidence})"}


class CurveShiftWidget(ModelWidget):
    """"Naltrexone shifts the curve": agonist occupancy and response with and without naltrexone.

    Controls: ``agonist`` (any agonist in the ligand table) and ``naltrexone_nM`` (log slider,
    0.01-1000 nM). Receptor-level model: Gaddum occupancy with binding Ki values and the
    operational model with the agonist's ``mu_tau``.
    """

    readout_labels = {
        "ec50_alone": "EC50, agonist alone",
        "ec50_with": "EC50 with naltrexone",
        "dose_ratio": "dose ratio (1 + B/KB)",
        "ntx_occupancy": "mu receptors held by naltrexone (no agonist)",
        "overcome": "agonist for 90% of its own maximum",
    }

    def __init__(self, agonist: str = "morphine", naltrexone_nM: float = 1.0):
        controls = {
            "agonist": dropdown("agonist", ligand_names(agonists_only=True), agonist),
            "naltrexone_nM": log_slider("naltrexone (nM)", naltrexone_nM, 0.01, 1000.0),
        }
        super().__init__(controls, P.curve_shift_figure())

    def compute(self, values):
        lig = get_ligand(values["agonist"])
        ka, tau = ki_nM(lig, "mu"), lig.mu_tau
        kb = ki_nM("naltrexone", "mu")
        b = float(values["naltrexone_nM"])
        a = _AGONIST_GRID_nM
        ec50 = float(B.operational_ec50(ka, tau))
        return {
            "agonist_nM": a,
            "occ_alone": B.competitive_occupancy(a, 0.0, ka, kb),
            "occ_with": B.competitive_occupancy(a, b, ka, kb),
            "resp_alone": B.operational_response(a, ka, tau),
            "resp_with": B.operational_response(a, ka, tau, antagonist_nM=b, antagonist_kd_nM=kb),
            "ec50_alone": ec50,
            "ec50_with": float(B.operational_conc_for_fraction(0.5, ka, tau, antagonist_nM=b,
                                                               antagonist_kd_nM=kb)),
            "half": float(B.operational_emax(tau)) / 2.0,
            "dose_ratio": float(B.dose_ratio(b, kb)),
            "ntx_occupancy": float(B.hill_langmuir_occupancy(b, kb)),
            "a90_alone": float(B.operational_conc_for_fraction(0.9, ka, tau)),
            "a90_with": float(B.operational_conc_for_fraction(0.9, ka, tau, antagonist_nM=b,
                                                              antagonist_kd_nM=kb)),
        }

    def draw(self, r):
        P.draw_curve_shift(self.figure, r["agonist_nM"], r["occ_alone"], r["occ_with"],
                           r["resp_alone"], r["resp_with"], r["ec50_alone"], r["ec50_with"],
                           r["half"])

    def readout_values(self, r):
        return {
            "ec50_alone": format_concentration(r["ec50_alone"]),
            "ec50_with": format_concentration(r["ec50_with"]),
            "dose_ratio": _fold(r["dose_ratio"]),
            "ntx_occupancy": format_percent(r["ntx_occupancy"]),
            "overcome": (f"{format_concentration(r['a90_alone'])} alone, "
                         f"{format_concentration(r['a90_with'])} with naltrexone"),
        }


class EfficacyWidget(ModelWidget):
    """"The key that does not turn": efficacy (tau) and receptor density in the operational model.

    Controls: ``tau`` of the learner's own ligand (log slider 0.001-100), ``antagonist`` (a
    checkbox that sets tau to 0) and ``receptor_density_pct`` (10-1000% of the reference tissue),
    which scales every ligand's tau (``tau = [R0]/KE``). The learner's ligand has K = 1 nM, a
    round value in the range of the opioids in the table (0.1-10 nM), so its curve sits among
    theirs. Reference ligands from the table are drawn for comparison.
    """

    readout_labels = {
        "emax": "your ligand's maximal response",
        "ec50": "your ligand's EC50",
        "occupancy_at_ec50": "occupancy needed for half its maximum",
        "references": "maximal responses of the reference ligands",
    }
    references = ("fentanyl", "morphine", "buprenorphine", "naltrexone")
    own_kd_nM = 1.0

    def __init__(self, tau: float = 1.0, receptor_density_pct: float = 100.0,
                 antagonist: bool = False):
        controls = {
            "tau": log_slider("your ligand's efficacy τ (no unit)", tau, 0.001, 100.0),
            "antagonist": W.Checkbox(value=antagonist, description="make it a neutral antagonist (τ = 0)",
                                     indent=False),
            "receptor_density_pct": log_slider("receptor density (% of normal)",
                                               receptor_density_pct, 10.0, 1000.0),
        }
        # legend name of each reference line (its key in the figure)
        self._names = {n: f"{n} (τ={get_ligand(n).mu_tau:g} at 100%)" for n in self.references}
        super().__init__(controls, P.efficacy_figure(list(self._names.values())))

    def compute(self, values):
        density = float(values["receptor_density_pct"]) / 100.0
        tau = 0.0 if values["antagonist"] else float(B.tau_at_density(values["tau"], density))
        conc = _AGONIST_GRID_nM
        refs, ref_emax = [], {}
        for name in self.references:
            lig = get_ligand(name)
            t = B.tau_at_density(lig.mu_tau, density)
            refs.append(B.operational_response(conc, ki_nM(lig, "mu"), t))
            ref_emax[name] = float(B.operational_emax(t))
        return {
            "conc_nM": conc,
            "refs": refs,
            "own": B.operational_response(conc, self.own_kd_nM, tau),
            "tau": tau,
            "emax": float(B.operational_emax(tau)),
            "ec50": float(B.operational_ec50(self.own_kd_nM, tau)) if tau > 0 else float("nan"),
            "occ_at_ec50": float(B.occupancy_at_fraction_of_max(0.5, tau)),
            "ref_emax": ref_emax,
        }

    def draw(self, r):
        P.draw_efficacy(self.figure, r["conc_nM"],
                        {self._names[n]: y for n, y in zip(self.references, r["refs"])}, r["own"])

    def readout_values(self, r):
        if r["tau"] == 0.0:
            ec50 = "none: no response at any concentration"
            occ = "no response to halve"
        else:
            ec50 = format_concentration(r["ec50"])
            occ = format_percent(r["occ_at_ec50"])
        refs = ", ".join(f"{n} {format_percent(e)}" for n, e in r["ref_emax"].items())
        return {"emax": f"{format_percent(r['emax'])} of system maximum (τ = {r['tau']:.3g})",
                "ec50": ec50, "occupancy_at_ec50": occ, "references": refs}


class SelectivityWidget(ModelWidget):
    """"Selectivity": occupancy of mu, kappa and delta by one antagonist at a chosen concentration."""

    readout_labels = {"mu": "mu occupied", "kappa": "kappa occupied", "delta": "delta occupied",
                      "ratio": "Ki relative to mu (kappa, delta)"}

    def __init__(self, ligand: str = "naltrexone", conc_nM: float = 1.0):
        controls = {
            "ligand": dropdown("antagonist", ligand_names(antagonists_only=True), ligand),
            "conc_nM": log_slider("concentration (nM)", conc_nM, 0.01, 1000.0),
        }
        super().__init__(controls, P.selectivity_figure())

    def compute(self, values):
        grid = np.logspace(-3, 4, 200)
        lig = get_ligand(values["ligand"])
        c = float(values["conc_nM"])
        return {"grid": grid, "curves": receptor_occupancy(lig, grid), "conc": c,
                "at": {k: float(v) for k, v in receptor_occupancy(lig, c).items()}, "ligand": lig}

    def draw(self, r):
        P.draw_selectivity(self.figure, r["grid"], r["curves"], r["conc"], r["at"])

    def readout_values(self, r):
        lig = r["ligand"]
        out = {rec: (format_percent(r["at"][rec]) if rec in r["at"] else "Ki unknown")
               for rec in RECEPTORS}
        mu = lig.affinities["mu"].ki_nM
        parts = [f"{rec} {lig.affinities[rec].ki_nM / mu:.3g}x" if rec in lig.affinities
                 else f"{rec} unknown" for rec in ("kappa", "delta")]
        out["ratio"] = ", ".join(parts)
        return out


class SchildWidget(ModelWidget):
    """"Schild analysis": a seeded organ-bath simulation of morphine against naltrexone.

    Controls: ``noise_sd`` (0-0.15 of the maximum), ``n_antagonist`` (2-6 naltrexone
    concentrations, 5-fold apart from 1 nM) and ``seed``. The true KB is naltrexone's binding Ki
    at mu.
    """

    readout_labels = {"pA2": "fitted pA2", "slope": "Schild slope", "pkb1": "pKB with slope fixed at 1",
                      "true": "true pKB used to simulate"}
    agonist = "morphine"

    def __init__(self, noise_sd: float = 0.03, n_antagonist: int = 4, seed: int = 2017):
        controls = {
            "noise_sd": float_slider("noise SD (fraction of max)", noise_sd, 0.0, 0.15, 0.005,
                                     fmt=".3f"),
            "n_antagonist": int_slider("naltrexone levels (×5 from 1 nM)", n_antagonist, 2, 6),
            "seed": int_slider("random seed (no unit)", seed, 0, 9999),
        }
        super().__init__(controls, P.schild_figure())

    @staticmethod
    def antagonist_series_nM(n: int) -> np.ndarray:
        """n naltrexone concentrations, 5-fold apart from 1 nM (nM)."""
        return 1.0 * 5.0 ** np.arange(int(n))

    def compute(self, values):
        lig = get_ligand(self.agonist)
        kb = ki_nM("naltrexone", "mu")
        exp = B.simulate_organ_bath(
            agonist_kd_nM=ki_nM(lig, "mu"), tau=lig.mu_tau, antagonist_kb_nM=kb,
            antagonist_nM=self.antagonist_series_nM(values["n_antagonist"]),
            noise_sd=float(values["noise_sd"]), seed=int(values["seed"]),
        )
        fit = exp.schild()
        fine = np.logspace(np.log10(exp.agonist_nM[0]), np.log10(exp.agonist_nM[-1]), 120)
        log_b = np.log10(exp.antagonist_nM[1:] * 1e-9)
        dr = exp.dose_ratios
        ok = dr > 1
        line_x = np.array([log_b.min() - 0.5, log_b.max() + 0.5])
        true_pkb = float(B.pA2_from_nM(kb))
        return {
            "exp": exp, "fit": fit, "fine": fine, "fitted": [f.predict(fine) for f in exp.fits],
            "log_b": log_b[ok], "log_dr": np.log10(dr[ok] - 1.0),
            "line_x": line_x, "line_y": fit.slope * line_x + fit.intercept,
            "ideal_y": line_x + true_pkb, "true_pkb": true_pkb,
        }

    def draw(self, r):
        P.draw_schild(self.figure, r["exp"].agonist_nM, r["exp"].response, (r["fine"], r["fitted"]),
                      r["log_b"], r["log_dr"], r["line_x"], r["line_y"], r["ideal_y"])

    def readout_values(self, r):
        fit = r["fit"]
        if fit.n_points < 3:
            # a line through two points fits them exactly: it has no residual, so no standard
            # error (binding.schild_regression reports 0 there, which is not a measured precision)
            none = f"no SE from {fit.n_points} points"
            pa2, slope = f"{fit.pA2:.2f}; {none}", f"{fit.slope:.2f}; {none}"
        else:
            pa2 = f"{fit.pA2:.2f} ± {fit.pA2_se:.2f} (SE, {fit.n_points} points)"
            slope = f"{fit.slope:.2f} ± {fit.slope_se:.2f} (SE, {fit.n_points} points)"
        return {
            "pA2": pa2,
            "slope": slope,
            "pkb1": f"{fit.pKB_slope_one:.2f}",
            "true": f"{r['true_pkb']:.2f} (Ki {format_concentration(r['exp'].true_kb_nM)})",
        }


class KiVersusPA2Widget(ModelWidget):
    """"What the evidence says": the shift predicted from binding Ki and from the in vivo pA2.

    The Ki line takes the slider as a free concentration at the receptor (nM); the pA2 line takes
    it as a dose (nmol/kg), because an in vivo pA2 is dose-based (Ko et al. 1998).
    """

    readout_labels = {"dr_ki": "dose ratio if this is nM at the receptor (binding Ki)",
                      "dr_pa2": "dose ratio if this is a dose in nmol/kg (in vivo pA2)",
                      "factor": "ratio of the two predictions"}

    def __init__(self, naltrexone: float = 10.0):
        controls = {"naltrexone": log_slider("naltrexone (nM or nmol/kg)", naltrexone, 0.01, 1000.0)}
        super().__init__(controls, P.ki_vs_pa2_figure())

    def compute(self, values):
        ki = ki_nM("naltrexone", "mu")
        kb_vivo = next(p for p in IN_VIVO_PA2 if p.receptor == "mu").kb_nmol_per_kg
        grid = np.logspace(-2, 3, 160)
        c = float(values["naltrexone"])
        dr_ki, dr_vivo = float(B.dose_ratio(c, ki)), float(B.dose_ratio(c, kb_vivo))
        return {"grid": grid, "dr_ki_curve": B.dose_ratio(grid, ki),
                "dr_pa2_curve": B.dose_ratio(grid, kb_vivo), "c": c, "dr_ki": dr_ki,
                "dr_pa2": dr_vivo}

    def draw(self, r):
        P.draw_ki_vs_pa2(self.figure, r["grid"], r["dr_ki_curve"], r["dr_pa2_curve"], r["c"],
                         r["dr_ki"], r["dr_pa2"])

    def readout_values(self, r):
        return {"dr_ki": _fold(r["dr_ki"]), "dr_pa2": _fold(r["dr_pa2"]),
                "factor": f"{r['dr_ki'] / r['dr_pa2']:.2g}x"}


class SetupCheckWidget(ModelWidget):
    """The front door's check that widgets and plots render and respond (one slider)."""

    readout_labels = {"occupancy": "mu receptors occupied", "versions": "versions"}

    def __init__(self, naltrexone_nM: float = 0.11):
        controls = {"naltrexone_nM": log_slider("naltrexone (nM)", naltrexone_nM, 0.001, 100.0)}
        super().__init__(controls, P.occupancy_figure("Setup check: the dot should follow the slider",
                                                      height=360))

    def compute(self, values):
        ki = ki_nM("naltrexone", "mu")
        grid = np.logspace(-3, 2, 120)
        c = float(values["naltrexone_nM"])
        return {"grid": grid, "occ": B.hill_langmuir_occupancy(grid, ki), "c": c, "ki": ki,
                "occ_c": float(B.hill_langmuir_occupancy(c, ki))}

    def draw(self, r):
        P.draw_occupancy(self.figure, r["grid"], r["occ"], r["ki"], r["c"], r["occ_c"],
                         x_title="naltrexone concentration (nM, log scale)")

    def readout_values(self, r):
        import ipywidgets
        import plotly

        return {"occupancy": format_percent(r["occ_c"]),
                "versions": f"ipywidgets {ipywidgets.__version__}, plotly {plotly.__version__}"}
