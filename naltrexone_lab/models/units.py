"""Unit conversions and the human-readable formatting of quantities.

Molar masses (g/mol) follow from the molecular formulas: naltrexone C20H23NO4 = 341.4 g/mol
(so 1 ng/mL = 2.93 nM; PubChem CID 5360515), and 6-beta-naltrexol,
its reduced metabolite, C20H25NO4 = 343.4 g/mol.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from ._validation import check_nonnegative, check_positive

__all__ = ["MOLAR_MASS_G_PER_MOL", "PLASMA_FLOOR_NG_PER_ML", "format_concentration", "format_ng_per_mL",
           "format_percent", "nM_to_ng_per_mL",
           "ng_per_mL_to_nM", "time_grid_h", "write_table"]

#: Molar masses in g/mol, from the molecular formulas (naltrexone C20H23NO4, 6-beta-naltrexol
#: C20H25NO4) with IUPAC standard atomic weights.
MOLAR_MASS_G_PER_MOL = {"naltrexone": 341.4, "6-beta-naltrexol": 343.4}


def ng_per_mL_to_nM(conc_ng_per_mL, molar_mass_g_per_mol: float = 341.4):
    """Mass concentration (ng/mL) to molar concentration (nM): ``C_nM = C_ng/mL * 1000 / MW``.

    Examples
    --------
    >>> round(float(ng_per_mL_to_nM(1.0)), 2)
    2.93
    """
    c = check_nonnegative("conc_ng_per_mL", conc_ng_per_mL)
    mw = check_positive("molar_mass_g_per_mol", molar_mass_g_per_mol)
    return c * 1000.0 / mw


def nM_to_ng_per_mL(conc_nM, molar_mass_g_per_mol: float = 341.4):
    """Molar concentration (nM) to mass concentration (ng/mL).

    Examples
    --------
    >>> round(float(nM_to_ng_per_mL(2.929)), 3)
    1.0
    """
    c = check_nonnegative("conc_nM", conc_nM)
    mw = check_positive("molar_mass_g_per_mol", molar_mass_g_per_mol)
    return c * mw / 1000.0


def format_concentration(conc_nM: float) -> str:
    """A concentration in nM written with a sensible prefix (pM, nM, µM, mM) and 3 digits.

    Examples
    --------
    >>> format_concentration(0.0123)
    '12.3 pM'
    >>> format_concentration(2188.0)
    '2.19 µM'
    """
    try:
        x = float(conc_nM)
    except (TypeError, ValueError):
        raise ValueError(f"conc_nM must be a number >= 0 to format; got {conc_nM!r}") from None
    if math.isnan(x) or x < 0:
        raise ValueError(f"conc_nM must be a number >= 0 to format; got {conc_nM!r}")
    if math.isinf(x):
        return "∞"
    if x == 0:
        return "0 nM"
    x = float(f"{x:.3g}")  # round first, so 999.96 nM is written 1 µM, not 1e+03 nM
    for scale, unit in ((1e6, "mM"), (1e3, "µM"), (1.0, "nM")):
        if x >= scale:
            return f"{x / scale:.3g} {unit}"
    return f"{x * 1e3:.3g} pM"


#: Below this a plasma level is written as "below 0.001 ng/mL": about 1/1000 of assay limits of
#: quantification (0.1-1 ng/mL for naltrexone by LC-MS/MS), so a model value of 2e-64 is not shown
#: as if it could be measured.
PLASMA_FLOOR_NG_PER_ML = 0.001


def format_ng_per_mL(conc_ng_per_mL: float) -> str:
    """A plasma concentration in ng/mL with 3 digits, floored at :data:`PLASMA_FLOOR_NG_PER_ML`.

    Examples
    --------
    >>> format_ng_per_mL(12.345)
    '12.3 ng/mL'
    >>> format_ng_per_mL(2.14e-64)
    'below 0.001 ng/mL'
    """
    try:
        x = float(conc_ng_per_mL)
    except (TypeError, ValueError):
        raise ValueError(f"conc_ng_per_mL must be a number >= 0 to format; got {conc_ng_per_mL!r}") from None
    if math.isnan(x) or x < 0:
        raise ValueError(f"conc_ng_per_mL must be a number >= 0 to format; got {conc_ng_per_mL!r}")
    if x < PLASMA_FLOOR_NG_PER_ML:
        return f"below {PLASMA_FLOOR_NG_PER_ML:g} ng/mL"
    return f"{x:.3g} ng/mL"


def format_percent(fraction: float) -> str:
    """A fraction as a percentage that never rounds a value below 1 up to "100%".

    Examples
    --------
    >>> format_percent(0.9)
    '90.0%'
    >>> format_percent(0.99989)
    '99.99%'
    """
    try:
        f = float(fraction)
    except (TypeError, ValueError):
        raise ValueError(f"fraction must be a number; got {fraction!r}") from None
    if math.isnan(f):
        raise ValueError(f"fraction must be a number; got {fraction!r}")
    pct = 100.0 * f
    decimals = 1
    while decimals < 6 and pct < 100.0 and round(pct, decimals) >= 100.0:
        decimals += 1
    return f"{pct:.{decimals}f}%"


def time_grid_h(duration_h: float, step_h: float) -> np.ndarray:
    """Times in hours from 0 to ``duration_h`` inclusive, ``step_h`` apart: the grid every
    simulation of a regimen is sampled on (the end is kept when ``step_h`` divides it)."""
    duration = float(check_positive("duration_h", duration_h))
    step = float(check_positive("step_h", step_h))
    return np.arange(0.0, duration + step / 2, step)


def write_table(path, columns: dict[str, np.ndarray]) -> Path:
    """Write equal-length columns (name -> values; put the unit in the name) to ``path`` as CSV
    with a header row, six significant digits, and return the path: the format of every model
    table a learner saves from a notebook cell."""
    lengths = {k: len(v) for k, v in columns.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"columns must have equal lengths; got {lengths}")
    out = Path(path)
    with out.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(columns))
        for row in zip(*columns.values()):
            w.writerow([f"{float(x):.6g}" for x in row])
    return out
