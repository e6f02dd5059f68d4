"""Interactive models of chapter 1: opioid receptors and competitive antagonism.

Each class connects controls to :mod:`naltrexone_lab.binding` / :mod:`naltrexone_lab.ligands`
and to a figure from :mod:`naltrexone_lab.plots.antagonism`. Nothing here defines pharmacology.
"""

from __future__ import annotations

import numpy as np

from .. import binding as B
from ..ligands import IN_VIVO_PA2, RECEPTORS, get_ligand, ki_nM, ligand_names, receptor_occupancy
from ..plots import antagonism as P
from ..units import format_concentration
from .base import ModelWidget, dropdown, float_slider, int_slider, log_slider

__all__ = [
    "CurveShiftWidget",
    "EfficacyWidget",
    "KiVersusPA2Widget",
    "SchildWidget",
    "SelectivityWidget",
    "SetupCheckWidget",
]

_AGONIST_GRID_nM = np.logspace(-4, 6, 241)


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
        dr = float(B.dose_ratio(b, kb))
        ec50 = float(B.operational_ec50(ka, tau))
        # 90% of the agonist's own maximum: invert E/Emax = A(1+tau)/(KA' + A(1+tau)) (n = 1).
        a90 = 9.0 * ka / (1.0 + tau)
        return {
            "agonist_nM": a,
            "occ_alone": B.competitive_occupancy(a, 0.0, ka, kb),
            "occ_with": B.competitive_occupancy(a, b, ka, kb),
            "resp_alone": B.operational_response(a, ka, tau),
            "resp_with": B.operational_response(a, ka, tau, antagonist_nM=b, antagonist_kd_nM=kb),
            "ec50_alone": ec50,
            "ec50_with": ec50 * dr,
            "half": float(B.operational_emax(tau)) / 2.0,
            "dose_ratio": dr,
            "ntx_occupancy": float(B.hill_langmuir_occupancy(b, kb)),
            "a90_alone": a90,
            "a90_with": a90 * dr,
        }

    def draw(self, r):
        P.draw_curve_shift(self.figure, r["agonist_nM"], r["occ_alone"], r["occ_with"],
                           r["resp_alone"], r["resp_with"], r["ec50_alone"], r["ec50_with"],
                           r["half"])

    def readout_values(self, r):
        return {
            "ec50_alone": format_concentration(r["ec50_alone"]),
            "ec50_with": format_concentration(r["ec50_with"]),
            "dose_ratio": f"{r['dose_ratio']:.3g}-fold",
            "ntx_occupancy": f"{100 * r['ntx_occupancy']:.1f}%",
            "overcome": (f"{format_concentration(r['a90_alone'])} alone, "
                         f"{format_concentration(r['a90_with'])} with naltrexone"),
        }


class EfficacyWidget(ModelWidget):
    """"The key that does not turn": efficacy (tau) and receptor density in the operational model.

    Controls: ``tau`` of the learner's own ligand (K = 1 nM; 0 to 100) and ``receptor_density_pct``
    (10-1000% of the reference tissue), which scales every ligand's tau (tau = [R0]/KE).
    Reference ligands from the table are drawn for comparison.
    """

    readout_labels = {
        "emax": "your ligand's maximal response",
        "ec50": "your ligand's EC50",
        "occupancy_at_ec50": "occupancy needed for half its maximum",
        "references": "maximal responses of the reference ligands",
    }
    references = ("fentanyl", "morphine", "buprenorphine", "naltrexone")
    own_kd_nM = 1.0

    def __init__(self, tau: float = 1.0, receptor_density_pct: float = 100.0):
        controls = {
            "tau": float_slider("efficacy τ of your ligand", tau, 0.0, 100.0, 0.05),
            "receptor_density_pct": log_slider("receptor density (% of normal)",
                                               receptor_density_pct, 10.0, 1000.0),
        }
        names = [f"{n} (τ={get_ligand(n).mu_tau:g} at 100%)" for n in self.references]
        super().__init__(controls, P.efficacy_figure(names))

    def compute(self, values):
        scale = float(values["receptor_density_pct"]) / 100.0
        tau = float(values["tau"]) * scale
        conc = _AGONIST_GRID_nM
        refs = []
        ref_emax = {}
        for name in self.references:
            lig = get_ligand(name)
            refs.append(B.operational_response(conc, ki_nM(lig, "mu"), lig.mu_tau * scale))
            ref_emax[name] = float(B.operational_emax(lig.mu_tau * scale))
        own = B.operational_response(conc, self.own_kd_nM, tau)
        ec50 = float(B.operational_ec50(self.own_kd_nM, tau)) if tau > 0 else float("nan")
        return {
            "conc_nM": conc,
            "refs": refs,
            "own": own,
            "emax": float(B.operational_emax(tau)),
            "ec50": ec50,
            "occ_at_ec50": 1.0 / (2.0 + tau),
            "ref_emax": ref_emax,
        }

    def draw(self, r):
        P.draw_efficacy(self.figure, r["conc_nM"], r["refs"], r["own"])

    def readout_values(self, r):
        if r["emax"] == 0.0:
            ec50 = "none: no response at any concentration"
            occ = "no response to halve"
        else:
            ec50 = format_concentration(r["ec50"])
            occ = f"{100 * r['occ_at_ec50']:.1f}%"
        refs = ", ".join(f"{n} {100 * e:.0f}%" for n, e in r["ref_emax"].items())
        return {"emax": f"{100 * r['emax']:.1f}% of system maximum", "ec50": ec50,
                "occupancy_at_ec50": occ, "references": refs}


class SelectivityWidget(ModelWidget):
    """"Selectivity": occupancy of mu, kappa and delta by one ligand at a chosen concentration."""

    readout_labels = {"mu": "mu occupied", "kappa": "kappa occupied", "delta": "delta occupied",
                      "ratio": "Ki ratios (kappa/mu, delta/mu)"}

    def __init__(self, ligand: str = "naltrexone", conc_nM: float = 1.0):
        multi = [n for n in ligand_names() if len(get_ligand(n).known_receptors) > 1]
        controls = {
            "ligand": dropdown("ligand", multi, ligand),
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
        out = {rec: (f"{100 * r['at'][rec]:.1f}%" if rec in r["at"] else "Ki unknown")
               for rec in RECEPTORS}
        mu = lig.affinities["mu"].ki_nM
        parts = [f"{lig.affinities[rec].ki_nM / mu:.3g}" if rec in lig.affinities else "?"
                 for rec in ("kappa", "delta")]
        out["ratio"] = " , ".join(parts)
        return out


class SchildWidget(ModelWidget):
    """"Schild analysis": a seeded organ-bath simulation of morphine against naltrexone.

    Controls: ``noise_sd`` (0-0.15 of the maximum), ``n_antagonist`` (2-6 concentrations,
    5-fold apart from 1 nM) and ``seed``. The true KB is naltrexone's binding Ki at mu.
    """

    readout_labels = {"pA2": "fitted pA2", "slope": "Schild slope", "pkb1": "pKB with slope fixed at 1",
                      "true": "true pKB used to simulate"}
    agonist = "morphine"

    def __init__(self, noise_sd: float = 0.03, n_antagonist: int = 4, seed: int = 2017):
        controls = {
            "noise_sd": float_slider("noise SD (fraction of max)", noise_sd, 0.0, 0.15, 0.005,
                                     fmt=".3f"),
            "n_antagonist": int_slider("antagonist concentrations", n_antagonist, 2, 6),
            "seed": int_slider("random seed", seed, 0, 999),
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
        fitted = [f.predict(fine) for f in exp.fits]
        log_b = np.log10(exp.antagonist_nM[1:] * 1e-9)
        dr = exp.dose_ratios
        ok = dr > 1
        line_x = np.array([log_b.min() - 0.5, log_b.max() + 0.5])
        true_pkb = float(B.pA2_from_nM(kb))
        return {
            "exp": exp, "fit": fit, "fine": fine, "fitted": fitted,
            "log_b": log_b[ok], "log_dr": np.log10(dr[ok] - 1.0),
            "line_x": line_x, "line_y": fit.slope * line_x + fit.intercept,
            "ideal_y": line_x + true_pkb, "true_pkb": true_pkb,
        }

    def draw(self, r):
        P.draw_schild(self.figure, r["exp"].agonist_nM, r["exp"].response, (r["fine"], r["fitted"]),
                      r["log_b"], r["log_dr"], r["line_x"], r["line_y"], r["ideal_y"])

    def readout_values(self, r):
        fit = r["fit"]
        return {
            "pA2": f"{fit.pA2:.2f} ± {fit.pA2_se:.2f} (SE)",
            "slope": f"{fit.slope:.2f} ± {fit.slope_se:.2f} (SE)",
            "pkb1": f"{fit.pKB_slope_one:.2f}",
            "true": f"{r['true_pkb']:.2f} (Ki {format_concentration(r['exp'].true_kb_nM)})",
        }


class KiVersusPA2Widget(ModelWidget):
    """"What the evidence says": the shift predicted from binding Ki versus from in vivo pA2."""

    readout_labels = {"dr_ki": "dose ratio from binding Ki", "dr_pa2": "dose ratio from in vivo pA2",
                      "factor": "the two predictions differ by"}

    def __init__(self, naltrexone_nM: float = 10.0):
        controls = {"naltrexone_nM": log_slider("naltrexone (nM)", naltrexone_nM, 0.01, 1000.0)}
        super().__init__(controls, P.ki_vs_pa2_figure())

    def compute(self, values):
        ki = ki_nM("naltrexone", "mu")
        kb_vivo = next(p for p in IN_VIVO_PA2 if p.receptor == "mu").kb_nM
        grid = np.logspace(-2, 3, 160)
        c = float(values["naltrexone_nM"])
        dr_ki, dr_vivo = float(B.dose_ratio(c, ki)), float(B.dose_ratio(c, kb_vivo))
        return {"grid": grid, "dr_ki_curve": B.dose_ratio(grid, ki),
                "dr_pa2_curve": B.dose_ratio(grid, kb_vivo), "c": c, "dr_ki": dr_ki,
                "dr_pa2": dr_vivo}

    def draw(self, r):
        P.draw_ki_vs_pa2(self.figure, r["grid"], r["dr_ki_curve"], r["dr_pa2_curve"], r["c"],
                         r["dr_ki"], r["dr_pa2"])

    def readout_values(self, r):
        return {"dr_ki": f"{r['dr_ki']:.3g}-fold", "dr_pa2": f"{r['dr_pa2']:.3g}-fold",
                "factor": f"{r['dr_ki'] / r['dr_pa2']:.2g}x"}


class SetupCheckWidget(ModelWidget):
    """The front door's check that widgets and plots render and respond."""

    readout_labels = {"occupancy": "mu receptors occupied", "versions": "versions"}

    def __init__(self, naltrexone_nM: float = 0.11):
        controls = {"naltrexone_nM": log_slider("naltrexone (nM)", naltrexone_nM, 0.001, 100.0)}
        super().__init__(controls, P.setup_check_figure())

    def compute(self, values):
        ki = ki_nM("naltrexone", "mu")
        grid = np.logspace(-3, 2, 120)
        c = float(values["naltrexone_nM"])
        return {"grid": grid, "occ": B.hill_langmuir_occupancy(grid, ki), "c": c,
                "occ_c": float(B.hill_langmuir_occupancy(c, ki))}

    def draw(self, r):
        P.draw_setup_check(self.figure, r["grid"], r["occ"], r["c"], r["occ_c"])

    def readout_values(self, r):
        import ipywidgets
        import plotly

        return {"occupancy": f"{100 * r['occ_c']:.1f}%",
                "versions": f"ipywidgets {ipywidgets.__version__}, plotly {plotly.__version__}"}
