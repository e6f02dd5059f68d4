from __future__ import annotations

import pytest

from naltrexone_lab.models.units import (
    format_concentration,
    format_percent,
    ng_per_mL_to_nM,
    nM_to_ng_per_mL,
    time_grid_h,
)


def test_naltrexone_ng_per_ml_to_nM_matches_the_brief():
    # Shared brief: naltrexone MW 341.4 g/mol, so 1 ng/mL = 2.93 nM; 13 ng/mL is about 39 nM.
    assert ng_per_mL_to_nM(1.0) == pytest.approx(2.93, abs=0.005)
    assert ng_per_mL_to_nM(13.0) == pytest.approx(38.1, abs=0.1)
    assert nM_to_ng_per_mL(ng_per_mL_to_nM(7.0)) == pytest.approx(7.0)


@pytest.mark.parametrize(("nM", "text"), [(0.0123, "12.3 pM"), (1.0, "1 nM"), (2188.0, "2.19 µM"),
                                          (5e6, "5 mM"), (0.0, "0 nM")])
def test_format_concentration(nM, text):
    assert format_concentration(nM) == text


def test_bad_units_input():
    with pytest.raises(ValueError, match="conc_ng_per_mL must be >= 0"):
        ng_per_mL_to_nM(-1)
    with pytest.raises(ValueError, match="conc_nM must be a number >= 0 to format"):
        format_concentration(-1)
    with pytest.raises(ValueError, match="conc_nM must be a number >= 0 to format; got 'x'"):
        format_concentration("x")


def test_format_percent_never_claims_complete_block():
    assert format_percent(0.9999989) == "99.9999%"
    assert format_percent(1.0) == "100.0%"
    assert format_percent(0.0) == "0.0%"


@pytest.mark.parametrize(("duration_h", "step_h", "points"), [(24.0, 0.05, 481), (168.0, 1.0, 169),
                                                               (8.0, 0.04, 201), (1.0, 0.3, 4)])
def test_time_grid_starts_at_zero_and_keeps_the_end_when_the_step_divides_it(duration_h, step_h, points):
    t = time_grid_h(duration_h, step_h)
    assert t[0] == 0.0 and t.size == points
    assert t[-1] <= duration_h + 1e-9 and duration_h - t[-1] < step_h
    if abs(duration_h / step_h - round(duration_h / step_h)) < 1e-9:
        assert t[-1] == pytest.approx(duration_h)


@pytest.mark.parametrize(("duration_h", "step_h", "named"),
                         [(0.0, 0.1, "duration_h"), (24.0, -1.0, "step_h")])
def test_time_grid_refuses_an_empty_or_backward_grid(duration_h, step_h, named):
    with pytest.raises(ValueError, match=named):
        time_grid_h(duration_h, step_h)
