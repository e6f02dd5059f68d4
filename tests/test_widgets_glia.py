"""Chapter 6 widgets, driven in the kernel: what the figure and readouts show follows the model."""

from __future__ import annotations

import numpy as np
import pytest

from naltrexone_lab import glia as G
from naltrexone_lab.widgets import MicrogliaWidget, TLR4GapWidget

N = len(G.MEDIATORS)


def test_microglia_traces_follow_the_model():
    w = MicrogliaWidget(stimulus=0.6, conc_nM=1e5, ic50_uM=30.0)
    params = G.GliaParameters(ic50_uM=30.0)
    tc = G.time_course(np.asarray(w.figure.data[0].x), 0.6, 1e5, params)
    for i, name in enumerate(G.MEDIATORS):
        assert np.allclose(w.figure.data[i].y, tc.mediators[name])
    with_drug = G.steady_state(0.6, 1e5, params)
    assert list(w.figure.data[N + 6].y) == pytest.approx([float(with_drug[n]) for n in G.MEDIATORS])
    assert w.readout_text("tlr4").startswith(f"{100 * tc.inhibition:.3g}%")


def test_at_ldn_concentrations_nothing_changes_but_mu_is_blocked():
    w = MicrogliaWidget(conc_nM=3.0)
    assert w.readout_text("il1").endswith("(no change with naltrexone)")
    assert w.readout_text("tnf").endswith("(no change with naltrexone)")
    assert float(w.readout_text("mu").rstrip("%")) > 90
    w.controls["enantiomer"].value = G.ENANTIOMERS[1]
    assert w.readout_text("mu") == "0.0%"
    assert max(w.figure.data[N + 4].y) == 0.0


def test_at_cell_study_concentrations_tnf_and_no_fall_il1beta_does_not():
    w = MicrogliaWidget(conc_nM=1e5, ic50_uM=30.0)
    assert "-" in w.readout_text("tnf") and "-" in w.readout_text("no")
    assert w.readout_text("il1").endswith("(no change with naltrexone)")


def test_gap_readouts_follow_chapter_2():
    w = TLR4GapWidget(dose_mg=4.5, ic50_uM=10.0)
    gap = G.plasma_gap(4.5, "at bedtime", 10.0)
    assert w.readout_text("gap") == f"{gap.fold_below_ic50:,.0f}-fold"
    assert gap.fold_below_ic50 > 1000
    w.controls["dose_mg"].value = 50.0
    assert G.plasma_gap(50.0, "at bedtime", 10.0).peak_nM == pytest.approx(max(w.figure.data[0].x))
