"""Tests of naltrexone_lab.models.pharmacokinetics: published points, analytic identities, input checks.

Published points follow one convention (the repository registers no pytest marker for it):
``test_calibration_*`` checks a point that :func:`fit_oral_kinetics` (or a hand-set parameter)
was made to reproduce; ``test_validation_*`` checks a point that set no parameter. A validation
point the model misses is kept as ``xfail(strict=True)`` with the miss in its reason, so that it
is reported on every run and a model change that starts to meet it is noticed. Tolerances are
stated in each docstring and are never widened to make a miss pass.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from naltrexone_lab.models import pharmacokinetics as PK

T = np.arange(0.0, 240.0 + 0.005, 0.01)
LONG = np.arange(0.0, 2000.0 + 0.01, 0.02)
TARGET = PK.ORAL_TARGETS


@pytest.fixture(scope="module")
def fifty():
    return PK.oral_profile(50.0, T)


@pytest.fixture(scope="module")
def fifty_long():
    return PK.oral_profile(50.0, LONG)


def _log_slope_half_life(t, c, t0, t1):
    keep = (t >= t0) & (t <= t1)
    slope = np.polyfit(t[keep], np.log(c[keep]), 1)[0]
    return math.log(2) / -slope


def test_fit_is_reproducible_and_matches_the_stored_defaults():
    """Re-running the fit gives the stored defaults (each within 1%)."""
    fit = PK.fit_oral_kinetics()
    stored = PK.OralParameters()
    for name in PK._FIT_NAMES + ("metabolite_volume_L",):
        assert getattr(fit.params, name) == pytest.approx(getattr(stored, name), rel=0.01), name


# ----- calibration points (used by fit_oral_kinetics) ------------------------------------------

def test_calibration_cmax_after_50_mg_swiss_product_information(fifty):
    """Naltrexone Cmax about 13 ng/mL after 50 mg (Swiss product information); within 30%."""
    assert fifty.naltrexone_ng_per_mL.max() == pytest.approx(TARGET["cmax_50mg_ng_per_mL"], rel=0.30)


def test_calibration_tmax_within_one_hour_label(fifty):
    """REVIA label: peak plasma levels within one hour; accepted 0.5-1 h (the fit aims at 0.75 h)."""
    assert 0.5 <= T[np.argmax(fifty.naltrexone_nM)] <= 1.0


def test_calibration_early_half_life_4_h_label():
    """REVIA label and Meyer et al. 1984: naltrexone half-life about 4 h (the model's middle
    disposition phase); within 10%."""
    assert PK.OralParameters().half_life_h == pytest.approx(TARGET["early_half_life_h"], rel=0.10)


def test_calibration_early_half_life_is_seen_in_the_plasma_curve(fifty):
    """The 4 h phase is what a 6-24 h log-linear fit of the curve reads (as in a 48 h sampling
    study); within 15% (the fast and terminal phases bend the line a little)."""
    assert _log_slope_half_life(T, fifty.naltrexone_nM, 6, 24) == pytest.approx(4.0, rel=0.15)


def test_calibration_terminal_half_life_96_h_lee_1988(fifty_long):
    """Lee et al. 1988 J Nucl Med 29:1207: terminal phase of plasma naltrexone clearance, half-time
    96 h; the log-linear slope over days 3-7 within 25% (one value, no spread given)."""
    half = _log_slope_half_life(LONG, fifty_long.naltrexone_nM, 72, 168)
    assert half == pytest.approx(TARGET["terminal_half_life_h"], rel=0.25)


def test_calibration_injection_gives_3_to_4_times_the_tablet_exposure_vivitrol_label():
    """VIVITROL label: over 28 days, one 380 mg injection gives 3- to 4-fold the total naltrexone
    exposure of 50 mg tablets daily. Accepted: 3-4 (the label's range)."""
    assert 3.0 <= PK.injection_to_tablet_exposure_ratio() <= 4.0


def test_calibration_volume_of_distribution_label():
    """REVIA label: volume of distribution about 1350 L after intravenous dosing; Vss within 30%."""
    assert PK.OralParameters().volume_ss_L == pytest.approx(TARGET["volume_ss_L"], rel=0.30)


def test_calibration_clearance_is_meyer_1984():
    """Meyer et al. 1984: total systemic clearance about 94 L/h (taken as the parameter)."""
    assert PK.OralParameters().clearance_L_per_h == pytest.approx(94.0)


def test_calibration_naltrexol_cmax_after_50_mg(fifty):
    """6-beta-naltrexol Cmax about 108 ng/mL after 50 mg (Swiss product information); within 30%."""
    assert fifty.naltrexol_ng_per_mL.max() == pytest.approx(108.0, rel=0.30)


def test_calibration_naltrexol_half_life_label(fifty):
    """Label: 6-beta-naltrexol 12-13 h (Meyer 1984: about 12 h), read from the 48-120 h slope;
    accepted 12-13 h +- 10%."""
    assert 12.0 * 0.9 <= _log_slope_half_life(T, fifty.naltrexol_nM, 48, 120) <= 13.0 * 1.1


# ----- validation points (set no parameter) ----------------------------------------------------

def test_validation_bioavailability_inside_the_label_range():
    """REVIA label: oral bioavailability 5-40%. F is set by the injection ratio, not by this."""
    lo, hi = TARGET["bioavailability_range"]
    assert lo <= PK.OralParameters().bioavailability <= hi


def test_validation_bioavailability_near_meyer_1984():
    """Meyer et al. 1984 estimated F at about 5%; accepted within a factor 2 (their estimate
    rests on one clearance value and plasma AUC)."""
    f = PK.OralParameters().bioavailability
    assert 0.5 <= f / TARGET["meyer_bioavailability"] <= 2.0


def test_validation_dose_proportionality_meyer_1984():
    """Meyer et al. 1984: AUC linear over 50-200 mg. A consistency check: the model is linear
    by construction, so this fails only if a nonlinearity creeps in."""
    a50 = np.trapezoid(PK.oral_profile(50.0, T).naltrexone_nM, T)
    a200 = np.trapezoid(PK.oral_profile(200.0, T).naltrexone_nM, T)
    assert a200 / a50 == pytest.approx(4.0, rel=1e-9)


def test_validation_urinary_naltrexone_below_1_percent_meyer_1984(fifty):
    """Meyer et al. 1984: less than 1% of the dose excreted as naltrexone in 48 h; renal clearance
    127 mL/min. Model: renal clearance x AUC(0-48 h) / dose < 1%."""
    keep = T <= 48.0
    auc_ng_h_per_mL = np.trapezoid(fifty.naltrexone_ng_per_mL[keep], T[keep])
    excreted_ug = TARGET["renal_clearance_naltrexone_L_per_h"] * auc_ng_h_per_mL
    assert excreted_ug / 50_000.0 < TARGET["urine_naltrexone_48h_fraction_max"]


@pytest.mark.xfail(strict=True, reason=(
    "validation miss: with the Swiss Cmax of 108 ng/mL and the 12.5 h half-life, Meyer 1984's "
    "renal clearance of 283 mL/min would excrete about 71% of the dose as 6-beta-naltrexol in "
    "48 h; Meyer recovered 25%. The two sources' metabolite exposures differ about 3-fold."))
def test_validation_urinary_naltrexol_25_percent_meyer_1984(fifty):
    """Meyer et al. 1984: 25% of the dose recovered as unconjugated 6-beta-naltrexol in 48 h
    (renal clearance 283 mL/min); within 30%."""
    keep = T <= 48.0
    auc = np.trapezoid(fifty.naltrexol_ng_per_mL[keep], T[keep])
    fraction = TARGET["renal_clearance_naltrexol_L_per_h"] * auc / 50_000.0
    assert fraction == pytest.approx(TARGET["urine_naltrexol_48h_fraction"], rel=0.30)


@pytest.mark.xfail(strict=True, reason=(
    "validation miss: the model's 6-beta-naltrexol peaks at about 2.5 h (one compartment, 12.5 h "
    "half-life, formed as the tablet is absorbed); the label says both peak within one hour."))
def test_validation_naltrexol_peaks_within_one_hour_label(fifty):
    """REVIA label: peak plasma levels of naltrexone and 6-beta-naltrexol within one hour;
    accepted <= 1 h."""
    assert T[np.argmax(fifty.naltrexol_nM)] <= 1.0


def test_validation_naltrexone_half_life_meyer_1984_read_from_48_h_sampling(fifty):
    """Meyer et al. 1984 sampled for 48 h and reported about 4 h; the model's 4-24 h slope within
    20% of 4 h (a validation of the shape, not of the parameter)."""
    assert _log_slope_half_life(T, fifty.naltrexone_nM, 4, 24) == pytest.approx(4.0, rel=0.20)


def test_mass_balance_auc_times_clearance_equals_bioavailable_dose(fifty_long):
    p = PK.OralParameters()
    auc_nM_h = np.trapezoid(fifty_long.naltrexone_nM, LONG)
    absorbed_umol = p.clearance_L_per_h * auc_nM_h / 1000.0
    assert absorbed_umol == pytest.approx(p.bioavailability * 50.0 / 341.4 * 1000.0, rel=2e-3)


def test_phase_amplitudes_sum_to_one_and_rates_are_ordered():
    lam, c = PK.OralParameters().disposition()
    assert c.sum() == pytest.approx(1.0, abs=1e-12)
    assert lam[0] > lam[1] > lam[2] > 0


@pytest.mark.parametrize(("liver", "factor"), [("compensated cirrhosis", 5.0),
                                               ("decompensated cirrhosis", 10.0)])
def test_calibration_liver_disease_auc_ratios_label(liver, factor):
    """Label: AUC about 5x (compensated) and 10x (decompensated cirrhosis); within 2% over 60 days
    (the liver model is built to give these, so this checks the construction)."""
    t = np.arange(0.0, 1440.0, 0.02)
    normal = np.trapezoid(PK.oral_profile(50.0, t).naltrexone_nM, t)
    ill = np.trapezoid(PK.oral_profile(50.0, t, liver=liver).naltrexone_nM, t)
    assert ill / normal == pytest.approx(factor, rel=0.02)


def test_liver_exposure_ratios_are_the_labels():
    """Label: exposure about 5 times higher in compensated and about 10 times in decompensated
    cirrhosis (Bertolotti et al. 1997 measured about 8); the model's 30-day AUC ratios within 10%."""
    assert PK.exposure_ratio("compensated cirrhosis") == pytest.approx(5.0, rel=0.1)
    assert PK.exposure_ratio("decompensated cirrhosis") == pytest.approx(10.0, rel=0.1)
    assert PK.exposure_ratio("normal") == pytest.approx(1.0)


XR_T = np.arange(0.0, 40 * 24.0, 0.1)


@pytest.fixture(scope="module")
def xr():
    return PK.depot_profile(380.0, XR_T).naltrexone_ng_per_mL


def test_calibration_xr_early_peak_about_2_h(xr):
    """VIVITROL label: a transient peak about 2 h after the injection; accepted 1-4 h (the
    release parameters are set by eye to the label's shape: calibration)."""
    assert 1.0 <= XR_T[np.argmax(np.where(XR_T < 12, xr, -1))] <= 4.0


def test_calibration_xr_second_peak_on_days_2_to_3(xr):
    """VIVITROL label: a second peak about 2-3 days later; accepted 2-3.5 days."""
    later = np.where((XR_T > 24) & (XR_T < 6 * 24), xr, -1)
    assert 2 * 24 <= XR_T[np.argmax(later)] <= 3.5 * 24


def test_calibration_xr_declining_from_day_14(xr):
    """VIVITROL label: concentrations slowly decline from about day 14."""
    day = lambda d: xr[int(d * 24 / 0.1)]  # noqa: E731
    assert day(14) > day(21) > day(28)


def test_calibration_xr_measurable_after_31_days(xr):
    """VIVITROL label / Dunbar 2006: measurable for more than a month. "Measurable" is taken as
    >= 0.1 ng/mL, an assumed quantification limit: the course's sources state none."""
    assert xr[int(31 * 24 / 0.1)] >= 0.1


def test_calibration_xr_apparent_half_life_5_to_10_days(xr):
    """Shared brief (VIVITROL label): terminal half-life 5-10 days."""
    assert 5 * 24 <= _log_slope_half_life(XR_T, xr, 20 * 24, 39 * 24) <= 10 * 24


def test_published_point_tests_are_all_classified():
    """Every test of a published point says whether it calibrates or validates."""
    names = [n for n in globals() if n.startswith("test_")]
    classified = [n for n in names if n.startswith(("test_calibration_", "test_validation_"))]
    assert len(classified) >= 20


def test_accumulation_matches_superposition_and_the_deep_phase_adds_a_little():
    """Ten daily doses equal the sum of shifted single doses; the deep compartment makes the
    trough after ten doses higher than after one (accumulation of the 96 h phase)."""
    t = np.arange(0.0, 24.0 * 10 + 0.005, 0.01)
    many = PK.simulate([PK.DoseEvent(24.0 * k, 50.0) for k in range(10)], t).naltrexone_nM
    one = PK.oral_profile(50.0, t).naltrexone_nM
    summed = sum(np.interp(t - 24.0 * k, t, one, left=0.0) for k in range(10))
    assert np.allclose(many, summed, rtol=1e-6, atol=1e-9)
    at = int(round((24.0 * 9 + 23.0) / 0.01))
    assert many[at] > 1.5 * one[int(round(23.0 / 0.01))]


def test_closed_form_matches_numerical_ode():
    p = PK.OralParameters()
    ka, km, f = p.absorption_rate_per_h, p.metabolite_rate_per_h, p.bioavailability
    k = p._disposition_matrix()

    def rhs(_, y):
        g, a1, a2, a3, m = y
        da = k @ np.array([a1, a2, a3])
        return [-ka * g, f * ka * g + da[0], da[1], da[2],
                p.first_pass_to_metabolite * (1 - f) * ka * g
                + p.systemic_to_metabolite * p.clearance_L_per_h / p.volume_L * a1 - km * m]

    dose_umol = 50.0 / 341.4 * 1000.0
    sol = solve_ivp(rhs, (0, 240), [dose_umol, 0, 0, 0, 0], t_eval=np.linspace(0, 240, 241),
                    method="LSODA", rtol=1e-10, atol=1e-14)
    prof = PK.oral_profile(50.0, sol.t)
    assert np.allclose(prof.naltrexone_nM, sol.y[1] / p.volume_L * 1000, rtol=1e-6, atol=1e-9)
    assert np.allclose(prof.naltrexol_nM, sol.y[4] / p.metabolite_volume_L * 1000, rtol=1e-6, atol=1e-9)


def test_route_spelling_is_canonicalised():
    """An oral dose written 'Oral' must not be simulated as an injection."""
    t = np.array([1.0])
    assert PK.simulate([PK.DoseEvent(0, 50, "Oral")], t).naltrexone_nM == pytest.approx(
        PK.oral_profile(50, t).naltrexone_nM)


def test_cirrhosis_keeps_some_first_pass_when_compensated():
    p = PK.OralParameters()
    comp = p.with_liver_function("compensated cirrhosis")
    decomp = p.with_liver_function("decompensated cirrhosis")
    assert p.bioavailability < comp.bioavailability < decomp.bioavailability < 1.0
    assert p.clearance_L_per_h > comp.clearance_L_per_h > decomp.clearance_L_per_h
    assert p.half_life_h < comp.half_life_h < decomp.half_life_h


def test_superposition_of_twice_daily_doses():
    events = PK.regimen("twice daily", 1.0, 1)
    both = PK.simulate(events, T).naltrexone_nM
    single = PK.oral_profile(1.0, T).naltrexone_nM
    expected = np.interp(T - 8.0, T, single, left=0) + np.interp(T - 20.0, T, single, left=0)
    assert np.allclose(both, expected, atol=1e-9)
    assert both.max() > single.max(), "the second dose adds to what is left of the first"


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
    (lambda: PK.OralParameters(clearance_L_per_h=0), "clearance_L_per_h must be finite and > 0"),
    (lambda: PK.OralParameters(deep_volume_L=-1), "deep_volume_L must be finite and > 0"),
    (lambda: PK.DepotParameters(burst_fraction=0.7, wave_fraction=0.5), "must be <= 1"),
    (lambda: PK.simulate([(0, 50)], [1.0]), "events must be DoseEvent objects"),
])
def test_invalid_input(call, fragment):
    with pytest.raises(ValueError) as err:
        call()
    assert fragment in str(err.value)


