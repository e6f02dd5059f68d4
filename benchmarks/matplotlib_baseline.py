"""The common way to make a model interactive, as a yardstick for the course's widgets.

``ipywidgets.interact`` calls a function on every control change; the function recomputes the
model with :mod:`naltrexone_lab` and draws a new matplotlib figure, which ``%matplotlib inline``
turns into a PNG: the output area is cleared and a new ``<img>`` is displayed. That is how most
notebook courses do it. :func:`write_notebook` writes a notebook with one such cell per model;
``benchmarks/browser.py`` runs it in the same JupyterLab and browser as the course and times each
control change to the new image, next to the course widget's change to the plotly redraw.

Chapter 1's :class:`~naltrexone_lab.widgets.OccupancyWidget` and
:class:`~naltrexone_lab.widgets.CurveShiftWidget` are written by hand, as a course author would:
the same model functions, the same controls (ranges, steps, defaults) in the same order, the same
readouts printed under the figure. Any other model (chapter 5's, once that chapter exists) gets a
generic version: the same controls, the model class's own ``compute`` and ``draw`` into a plain
plotly ``Figure`` (nothing sent to the browser), then every line of that figure redrawn with
matplotlib on one axes per subplot.

Not a module of the course: benchmarks only. Needs matplotlib in the kernel's environment.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

SETUP = """\
%matplotlib inline
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from ipywidgets import Dropdown, FloatLogSlider, interact

from naltrexone_lab.models import binding as B
from naltrexone_lab.models.ligands import RECEPTORS, get_ligand, ki_nM, ligand_names

plt.rcParams["figure.dpi"] = 100  # the inline backend's default, stated
"""

# Chapter 1, "How much of the receptor a drug holds" (OccupancyWidget): same grid, same model.
OCCUPANCY = """\
GRID_nM = np.logspace(-3, 3, 200)


def occupancy_plot(ligand, receptor, conc_nM):
    lig = get_ligand(ligand)
    ki = ki_nM(lig, receptor)
    occ = float(B.hill_langmuir_occupancy(conc_nM, ki))
    c90 = float(B.concentration_for_occupancy(0.9, ki))
    fig, ax = plt.subplots(figsize=(9, 3.8))
    ax.semilogx(GRID_nM, B.hill_langmuir_occupancy(GRID_nM, ki), color="#0072B2", lw=3, label="occupancy")
    ax.plot([ki, ki], [0, 0.5], ":", color="#444", label="Kd (half occupied)")
    ax.plot([conc_nM], [occ], "o", color="#D55E00", ms=10, label="your concentration")
    ax.set(xlabel=f"{lig.name} concentration (nM, log scale)", ylabel="fraction of receptors occupied",
           ylim=(0, 1.05), title="Occupancy rises with concentration and saturates")
    ax.legend(loc="upper left")
    plt.show()
    a = lig.affinities[receptor]
    print(f"receptors occupied: {occ:.1%}   Ki used: {ki:.3g} nM   "
          f"90% occupancy at {c90:.3g} nM   source: {a.source} ({a.confidence})")


interact(occupancy_plot,
         ligand=Dropdown(options=ligand_names(), value="naltrexone", description="ligand"),
         receptor=Dropdown(options=list(RECEPTORS), value="mu", description="receptor"),
         conc_nM=FloatLogSlider(value=0.11, base=10, min=-3, max=3, step=0.05,
                                description="concentration (nM)"));
"""

# Chapter 1, "Naltrexone shifts the curve" (CurveShiftWidget): same grid, same model.
CURVE_SHIFT = """\
AGONIST_nM = np.logspace(-4, 6, 241)


def curve_shift_plot(agonist, naltrexone_nM):
    lig = get_ligand(agonist)
    ka, tau, kb, b = ki_nM(lig, "mu"), lig.mu_tau, ki_nM("naltrexone", "mu"), naltrexone_nM
    a = AGONIST_nM
    ec50 = float(B.operational_ec50(ka, tau))
    ec50_with = float(B.operational_conc_for_fraction(0.5, ka, tau, antagonist_nM=b, antagonist_kd_nM=kb))
    half = float(B.operational_emax(tau)) / 2
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    left.semilogx(a, B.competitive_occupancy(a, 0.0, ka, kb), color="#0072B2", label="agonist alone")
    left.semilogx(a, B.competitive_occupancy(a, b, ka, kb), "--", color="#D55E00",
                  label="agonist with naltrexone")
    right.semilogx(a, B.operational_response(a, ka, tau), color="#0072B2")
    right.semilogx(a, B.operational_response(a, ka, tau, antagonist_nM=b, antagonist_kd_nM=kb), "--",
                   color="#D55E00")
    right.plot([ec50], [half], "D", color="#0072B2", mec="black", label="EC50 alone")
    right.plot([ec50_with], [half], "D", color="#D55E00", mec="black", label="EC50 with naltrexone")
    left.set(title="Receptor occupancy", xlabel="agonist concentration (nM, log scale)",
             ylabel="fraction of mu receptors bound by agonist", ylim=(0, 1.02))
    right.set(title="Response", xlabel="agonist concentration (nM, log scale)",
              ylabel="response (fraction of system maximum)", ylim=(0, 1.02))
    left.legend(loc="upper left")
    right.legend(loc="upper left")
    plt.show()
    a90 = float(B.operational_conc_for_fraction(0.9, ka, tau))
    a90_with = float(B.operational_conc_for_fraction(0.9, ka, tau, antagonist_nM=b, antagonist_kd_nM=kb))
    print(f"EC50 alone {ec50:.3g} nM, with naltrexone {ec50_with:.3g} nM; "
          f"dose ratio {float(B.dose_ratio(b, kb)):.3g}; "
          f"naltrexone alone holds {float(B.hill_langmuir_occupancy(b, kb)):.1%} of mu; "
          f"90% of maximum at {a90:.3g} nM alone, {a90_with:.3g} nM with naltrexone")


interact(curve_shift_plot,
         agonist=Dropdown(options=ligand_names(agonists_only=True), value="morphine", description="agonist"),
         naltrexone_nM=FloatLogSlider(value=1.0, base=10, min=-2, max=3, step=0.05,
                                      description="naltrexone (nM)"));
"""

HAND_WRITTEN = {"OccupancyWidget": OCCUPANCY, "CurveShiftWidget": CURVE_SHIFT}

# Any other model: its own compute/draw into a plain plotly Figure, every line redrawn in matplotlib.
GENERIC = """\
import plotly.graph_objects as go
from naltrexone_lab.widgets import {cls}

_m_{cls} = {cls}()
_m_{cls}.figure = go.Figure(_m_{cls}.figure)  # plain figure: nothing goes to the browser
for _c in _m_{cls}.controls.values():  # interact drives the model instead of the widget
    _c.unobserve(_m_{cls}._on_change, names="value")


def plot_{cls}(**values):
    m = _m_{cls}
    result = m.compute(values)
    m.draw(result)
    panels = sorted({{(t.xaxis or "x", t.yaxis or "y") for t in m.figure.data if t.type == "scatter"}})
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels) + 1, 3.8), squeeze=False)
    for ax, (xa, ya) in zip(axes[0], panels):
        for t in m.figure.data:
            if t.type == "scatter" and (t.xaxis or "x", t.yaxis or "y") == (xa, ya) and t.x is not None:
                ax.plot(t.x, t.y, "-" if "lines" in (t.mode or "lines") else "o", label=t.name)
        if m.figure.layout[xa.replace("x", "xaxis", 1)].type == "log":
            ax.set_xscale("log")
        if m.figure.layout[ya.replace("y", "yaxis", 1)].type == "log":
            ax.set_yscale("log")
    plt.show()
    print("   ".join(m.readout_values(result).values()))


interact(plot_{cls}, **_m_{cls}.controls);
"""


def cell_source(class_name: str) -> str:
    """The code cell that shows ``class_name``'s model the common way."""
    return HAND_WRITTEN.get(class_name) or GENERIC.format(cls=class_name)


def write_notebook(path: Path, class_names: list[str]) -> Path:
    """Write the baseline notebook: a setup cell, then one ``interact`` cell per model, in order."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(SETUP)] + [
        nbformat.v4.new_code_cell(cell_source(c)) for c in class_names]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path
