"""Chapter 2 widgets, driven in the kernel."""

from __future__ import annotations

import numpy as np
import pytest

from naltrexone_lab import occupancy as O
from naltrexone_lab import pharmacokinetics as PK
from naltrexone_lab.widgets import (
    DoseOccupancyWidget,
    HalfLifeWidget,
    RegimenExplorerWidget,
    TransientBlockadeWidget,
)


def test_regimen_explorer_follows_the_models():
    w = RegimenExplorerWidget(dose_mg=50.0, schedule="once daily", days=7, model="brain kinetics")
    t = np.asarray(w.figure.data[0].x) * 24.0
    prof = PK.simulate(PK.regimen("once daily", 50.0, 7), t)
    assert np.allclose(w.figure.data[0].y, np.maximum(prof.naltrexone_ng_per_mL, 1e-3))
    assert np.allclose(w.figure.data[2].y, O.brain_kinetic_occupancy(prof))
    assert w.readout_text("tmax") == "1.0 h"
    w.controls["liver"].value = "decompensated cirrhosis"
    assert float(w.readout_text("trough").split()[0]) > 1.0


def test_regimen_explorer_injection_sets_its_dose_and_greys_the_schedule():
    w = RegimenExplorerWidget()
    w.controls["formulation"].value = "extended-release injection"
    assert w.controls["dose_mg"].value == pytest.approx(380.0, rel=0.02)
    assert w.controls["schedule"].disabled
    assert "injection every 4 weeks" in w.readout_text("dosing")
    w.controls["liver"].value = "compensated cirrhosis"
    assert "tablets only" in w.status.value, "no liver factors exist for the injection"
    w.controls["liver"].value = "normal"
    w.controls["formulation"].value = "oral tablet"
    assert not w.controls["schedule"].disabled and w.status.value == ""


def test_half_life_widget_shows_pet_and_lee_only_where_they_apply():
    w = HalfLifeWidget(dose_mg=50.0)
    assert len(w.figure.data[3].x) == 2 and len(w.figure.data[4].x) == 1
    w.controls["dose_mg"].value = 2.0  # the slider lands on 1.995
    assert len(w.figure.data[4].x) == 1, "the 2 mg PET point is shown"
    assert len(w.figure.data[3].x) == 0, "Lee 1988 is a 50 mg finding"
    w.controls["dose_mg"].value = 30.0
    assert len(w.figure.data[4].x) == 0


def test_dose_occupancy_widget_hides_pet_after_8_hours():
    w = DoseOccupancyWidget(hours_after=4.0)
    assert w.figure.data[2].visible is not False
    w.controls["hours_after"].value = 24.0
    assert w.figure.data[2].visible is False


def test_transient_table_matches_the_model():
    w = TransientBlockadeWidget(threshold=0.9)
    row = w.figure.data[0].cells.values
    expected = O.blockade_summary(4.5, "at bedtime", "plasma equilibrium", include_metabolite=False)
    assert row[1][0] == f"{expected.hours_above_90:.1f} h"
