"""Tests of naltrexone_lab.models.pharmacokinetics: published points, analytic identities, input checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from naltrexone_lab.models import pharmacokinetics as PK

T = np.arange(0.0, 240.0 + 0.005, 0.01)


@pytest.fixture(scope="module")
def fifty():
    return PK.oral_profile(50.0, T)


def _terminal_half_life(t, c, t0, t1):
    keep = (t >= t0) & (t <= t1)
    slope = np.polyfit(t[keep], np.log(c[keep]), 1)[0]
    return math.log(2) / -slope


def test_cmax_after_50_mg_swiss_product_information(fifty):
    """Naltrexone Cmax about 13 ng/mL after 50 mg (Swiss product information); within 30%."""
    assert fifty.naltrexone_ng_per_mL.max() == pytest.approx(13.0, rel=0.30)


def test_tmax_about_one_hour_label(fifty):
    """Label: Tmax about 1 h; accepted 0.5-2 h."""
    assert 0.5 <= T[np.argmax(fifty.naltrexone_nM)] <= 2.0


def test_naltrexol_cmax_after_50_mg(fifty):
    """6-beta-naltrexol Cmax about 108 ng/mL after 50 mg (Swiss product information); within 30%."""
    assert fifty.naltrexol_ng_per_mL.max() == pytest.approx(108.0, rel=0.30)


def test_half_lives_label(fifty):
    """Label: naltrexone about 4 h, 6-beta-naltrexol 12-13 h (terminal slopes); within 10%."""
    assert _terminal_half_life(T, fifty.naltrexone_nM, 12, 36) == pytest.approx(4.0, rel=0.10)
    assert 12.0 * 0.9 <= _terminal_half_life(T, fifty.naltrexol_nM, 48, 120) <= 13.0 * 1.1


def test_dose_proportionality_meyer_1984():
    """Meyer et al. 1984: AUC linear over 50-200 mg. A consistency check: the model is linear
    by construction, so this fails only if a nonlinearity creeps in."""
    a50 = np.trapezoid(PK.oral_profile(50.0, T).naltrexone_nM, T)
    a200 = np.trapezoid(PK.oral_profile(200.0, T).naltrexone_nM, T)
    assert a200 / a50 == pytest.approx(4.0, rel=1e-9)


def test_mass_balance_auc_times_clearance_equals_bioavailable_dose(fifty):
    p = PK.OralParameters()
    auc_nM_h = np.trapezoid(fifty.naltrexone_nM, T)
    absorbed_umol = p.clearance_L_per_h * auc_nM_h / 1000.0
    assert absorbed_umol == pytest.approx(p.bioavailability * 50.0 / 341.4 * 1000.0, rel=2e-3)


@pytest.mark.parametrize(("liver", "factor"), [("compensated cirrhosis", 5.0),
                                               ("decompensated cirrhosis", 10.0)])
def test_liver_disease_auc_ratios_label(liver, factor):
    """Label: AUC about 5x (compensated) and 10x (decompensated cirrhosis); within 2%."""
    t = np.arange(0.0, 600.0, 0.02)
    normal = np.trapezoid(PK.oral_profile(50.0, t).naltrexone_nM, t)
    ill = np.trapezoid(PK.oral_profile(50.0, t, liver=liver).naltrexone_nM, t)
    assert ill / normal == pytest.approx(factor, rel=0.02)


XR_T = np.arange(0.0, 40 * 24.0, 0.1)


@pytest.fixture(scope="module")
def xr():
    return PK.depot_profile(380.0, XR_T).naltrexone_ng_per_mL


def test_xr_early_peak_about_2_h(xr):
    """VIVITROL label: a transient peak about 2 h after the injection; accepted 1-4 h."""
    assert 1.0 <= XR_T[np.argmax(np.where(XR_T < 12, xr, -1))] <= 4.0


def test_xr_second_peak_on_days_2_to_3(xr):
    """VIVITROL label: a second peak about 2-3 days later; accepted 2-3.5 days."""
    later = np.where((XR_T > 24) & (XR_T < 6 * 24), xr, -1)
    assert 2 * 24 <= XR_T[np.argmax(later)] <= 3.5 * 24


def test_xr_declining_from_day_14(xr):
    """VIVITROL label: concentrations slowly decline from about day 14."""
    day = lambda d: xr[int(d * 24 / 0.1)]  # noqa: E731
    assert day(14) > day(21) > day(28)


def test_xr_measurable_after_31_days(xr):
    """VIVITROL label / Dunbar 2006: measurable for more than a month. "Measurable" is taken as
    >= 0.1 ng/mL, an assumed quantification limit: the course's sources state none."""
    assert xr[int(31 * 24 / 0.1)] >= 0.1


def test_xr_apparent_half_life_5_to_10_days(xr):
    """Shared brief (VIVITROL label): terminal half-life 5-10 days."""
    assert 5 * 24 <= _terminal_half_life(XR_T, xr, 20 * 24, 39 * 24) <= 10 * 24


def test_route_spelling_is_canonicalised():
    """An oral dose written 'Oral' must not be simulated as an injection."""
    t = np.array([1.0])
    assert PK.simulate([PK.DoseEvent(0, 50, "Oral")], t).naltrexone_nM == pytest.approx(
        PK.oral_profile(50, t).naltrexone_nM)


def test_cirrhosis_keeps_some_first_pass_when_compensated():
    p = PK.OralParameters()
    comp = p.with_liver_function("compensated cirrhosis")
    decomp = p.with_liver_function("decompensated cirrhosis")
    assert p.bioavailability < comp.bioavailability < 1.0 == decomp.bioavailability
    assert p.half_life_h < comp.half_life_h < decomp.half_life_h


def test_superposition_of_twice_daily_doses():
    events = PK.regimen("twice daily", 1.0, 1)
    both = PK.simulate(events, T).naltrexone_nM
    single = PK.oral_profile(1.0, T).naltrexone_nM
    expected = np.interp(T - 8.0, T, single, left=0) + np.interp(T - 20.0, T, single, left=0)
    assert np.allclose(both, expected, atol=1e-9)
    assert both.max() > single.max(), "the second dose adds to what is left of the first"


def test_accumulation_ratio_once_daily():
    """Steady-state parent trough over first-dose trough-equivalent: 1 / (1 - exp(-ke tau))."""
    p = PK.OralParameters()
    t = np.arange(0.0, 24.0 * 10 + 0.005, 0.01)
    many = PK.simulate([PK.DoseEvent(24.0 * k, 50.0) for k in range(10)], t).naltrexone_nM
    one = PK.oral_profile(50.0, t).naltrexone_nM
    at = int(round((24.0 * 9 + 10.0) / 0.01))  # 10 h after the 10th dose, long after absorption
    expected = 1.0 / (1.0 - math.exp(-p.elimination_rate_per_h * 24.0))
    assert many[at] / one[int(round(10.0 / 0.01))] == pytest.approx(expected, rel=1e-3)


def test_closed_form_matches_numerical_ode():
    p = PK.OralParameters()
    ka, ke, km = p.absorption_rate_per_h, p.elimination_rate_per_h, p.metabolite_rate_per_h
    f = p.bioavailability

    def rhs(_, y):
        g, a, m = y
        return [-ka * g, f * ka * g - ke * a,
                p.first_pass_to_metabolite * (1 - f) * ka * g + p.systemic_to_metabolite * ke * a - km * m]

    dose_umol = 50.0 / 341.4 * 1000.0
    sol = solve_ivp(rhs, (0, 72), [dose_umol, 0, 0], t_eval=np.linspace(0, 72, 73), rtol=1e-10, atol=1e-12)
    prof = PK.oral_profile(50.0, sol.t)
    assert np.allclose(prof.naltrexone_nM, sol.y[1] / p.volume_L * 1000, rtol=1e-6, atol=1e-9)
    assert np.allclose(prof.naltrexol_nM, sol.y[2] / p.metabolite_volume_L * 1000, rtol=1e-6, atol=1e-9)


@given(dose=st.floats(0.1, 500.0), scale=st.floats(0.1, 10.0))
@settings(max_examples=30)
def test_concentrations_non_negative_and_linear_in_dose(dose, scale):
    t = np.linspace(0, 96, 97)
    a = PK.oral_profile(dose, t)
    b = PK.oral_profile(dose * scale, t)
    assert (a.naltrexone_nM >= 0).all() and (a.naltrexol_nM >= 0).all()
    assert np.allclose(b.naltrexone_nM, scale * a.naltrexone_nM, rtol=1e-9, atol=1e-12)


def test_named_regimens():
    assert [e.time_h for e in PK.regimen("at bedtime", 4.5, 2)] == [22.0, 46.0]
    assert [e.time_h for e in PK.regimen([9, 21], 1.0, 1)] == [9.0, 21.0]
    inj = PK.regimen("every 4 weeks", 380.0, 60)
    assert [e.time_h for e in inj] == [0.0, 672.0, 1344.0] and all(e.route == "depot" for e in inj)


def test_ng_per_ml_and_nM_agree(fifty):
    assert np.allclose(fifty.naltrexone_ng_per_mL * 1000 / 341.4, fifty.naltrexone_nM)


@pytest.mark.parametrize(("call", "fragment"), [
    (lambda: PK.DoseEvent(0.0, -5.0), "dose_mg must be finite and > 0"),
    (lambda: PK.DoseEvent(-1.0, 5.0), "time_h must be >= 0"),
    (lambda: PK.DoseEvent(0.0, 5.0, "nasal"), "route must be one of oral, depot; got 'nasal'"),
    (lambda: PK.regimen("thrice weekly", 1.0, 3), "schedule must be one of single, once daily"),
    (lambda: PK.regimen([25], 1.0, 3), "clock hours must be a non-empty list of values in [0, 24)"),
    (lambda: PK.regimen("single", 1.0, 0), "days must be a whole number in [1, 365]"),
    (lambda: PK.regimen("single", 1.0, 2.7), "days must be a whole number in [1, 365]; got 2.7"),
    (lambda: PK.regimen([8, 8], 1.0, 2), "clock hours must not repeat"),
    (lambda: PK.regimen("once daily", 380.0, 2, route="depot"), "route 'depot' needs the schedule"),
    (lambda: PK.DoseEvent(0.0, [50.0, 60.0]), "dose_mg must be a single number"),
    (lambda: PK.simulate(PK.regimen("every 4 weeks", 380.0, 28), [1.0], liver="compensated cirrhosis"),
     "liver must be 'normal' for the injection"),
    (lambda: PK.oral_profile(50.0, [1.0], liver="fatty"), "liver must be one of normal"),
    (lambda: PK.oral_profile(50.0, [[1.0, 2.0]]), "time_h must be a 1-D array"),
    (lambda: PK.oral_profile(50.0, [-1.0]), "time_h must be >= 0"),
    (lambda: PK.OralParameters(bioavailability=1.5), "bioavailability must be a fraction"),
    (lambda: PK.OralParameters(half_life_h=0), "half_life_h must be finite and > 0"),
    (lambda: PK.DepotParameters(burst_fraction=0.7, wave_fraction=0.5), "must be <= 1"),
    (lambda: PK.simulate([(0, 50)], [1.0]), "events must be DoseEvent objects"),
])
def test_invalid_input(call, fragment):
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value)


def test_liver_exposure_ratios_are_the_labels():
    """Label: exposure about 5 times higher in compensated and about 10 times in decompensated
    cirrhosis (Bertolotti et al. 1997 measured about 8); the model's AUC ratios within 10%."""
    assert PK.exposure_ratio("compensated cirrhosis") == pytest.approx(5.0, rel=0.1)
    assert PK.exposure_ratio("decompensated cirrhosis") == pytest.approx(10.0, rel=0.1)
    assert PK.exposure_ratio("normal") == pytest.approx(1.0)
