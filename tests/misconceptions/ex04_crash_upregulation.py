"""Wrong answers students really give in exercise 4; each must lose its question's points.

Keys are test-cell grade_ids; each value lists (label, {answer-cell grade_id: replacement}).
``CORRECT_VARIANTS`` (same structure) holds correct answers written differently from the
solution; each must keep full marks (tests/test_correct_variants.py).
"""

_Q1 = "def density_rate_per_h(density, agonist_bound, naltrexone_bound, params):\n    p = params\n"
_Q2_FUNC = '''def steady_density(agonist_bound, naltrexone_bound, params):
    return 1.0 / (1.0 + params.agonist_removal * agonist_bound - params.antagonist_protection * naltrexone_bound)
'''
_MEAN = 'blockade_summary(d, "once daily", "brain kinetics", days=14).mean'
_Q2_VALUE = f"""
upregulation_percent = {{d: 100.0 * (steady_density(0.0, {_MEAN}, PARAMS) - 1.0) for d in (4.5, 50.0)}}
"""
_Q3 = "def half_time_days(agonist_bound, naltrexone_bound, params):\n    p = params\n"
_RATE = "p.k_receptor_per_h * (1.0 + p.agonist_removal * agonist_bound - p.antagonist_protection * naltrexone_bound)"
_Q4_VALUE = "\ncrash_after = {n: crash_percent(n) for n in (3, 7, 14)}\ncrash_share_by_day_3 = crash_after[3] / crash_after[14]\n"
_Q4_FUNC = '''def crash_percent(use_days):
    return 100.0 * simulate(Schedule(use_days=use_days, total_days=use_days + 21,
                                     peak_occupancy=morphine_peak_occupancy)).crash_depth
'''
_Q5 = """
_relapse = dict(use_days=14, relapse_day=30, relapse_days=relapse_length_days, total_days=42)
relapse_crash_without_percent = 100.0 * simulate(Schedule(**_relapse)).relapse_crash_depth
relapse_crash_with_percent = 100.0 * simulate(Schedule(naltrexone_start_day={with_start}, naltrexone_mg=naltrexone_daily_mg,
                                                       **_relapse)).relapse_crash_depth
crash_prevented_share = 1.0 - relapse_crash_with_percent / relapse_crash_without_percent
"""

MISCONCEPTIONS = {
    "q1_tests": [
        ("the global PARAMS read instead of the params argument", {"q1_rate": "def density_rate_per_h(density, agonist_bound, naltrexone_bound, params):\n    p = PARAMS\n"
                                                                   "    return p.k_receptor_per_h * (1.0 - density * (1.0 + p.agonist_removal * agonist_bound - p.antagonist_protection * naltrexone_bound))"}),
        ("naltrexone speeds removal (sign of beta flipped)", {"q1_rate": _Q1 + "    return p.k_receptor_per_h * (1.0 - density * (1.0 + p.agonist_removal * agonist_bound + p.antagonist_protection * naltrexone_bound))"}),
        ("removal not proportional to R", {"q1_rate": _Q1 + "    return p.k_receptor_per_h * (1.0 - (1.0 + p.agonist_removal * agonist_bound - p.antagonist_protection * naltrexone_bound))"}),
        ("rate per day instead of per hour", {"q1_rate": _Q1 + "    return 24 * p.k_receptor_per_h * (1.0 - density * (1.0 + p.agonist_removal * agonist_bound - p.antagonist_protection * naltrexone_bound))"}),
        ("alpha and beta swapped", {"q1_rate": _Q1 + "    return p.k_receptor_per_h * (1.0 - density * (1.0 + p.antagonist_protection * agonist_bound - p.agonist_removal * naltrexone_bound))"}),
    ],
    "q2_tests": [
        ("the global PARAMS read instead of the params argument", {"q2_steady": '''def steady_density(agonist_bound, naltrexone_bound, params):
    return 1.0 / (1.0 + PARAMS.agonist_removal * agonist_bound - PARAMS.antagonist_protection * naltrexone_bound)
''' + _Q2_VALUE}),
        ("linearised steady state 1 - alpha oA + beta oN", {"q2_steady": '''def steady_density(agonist_bound, naltrexone_bound, params):
    return 1.0 - params.agonist_removal * agonist_bound + params.antagonist_protection * naltrexone_bound
''' + _Q2_VALUE}),
        ("density reported instead of a percent rise", {"q2_steady": _Q2_FUNC + f"""
upregulation_percent = {{d: steady_density(0.0, {_MEAN}, PARAMS) for d in (4.5, 50.0)}}
"""}),
        ("plasma-equilibrium occupancy instead of the PET-calibrated model", {"q2_steady": _Q2_FUNC
            + _Q2_VALUE.replace('"brain kinetics"', '"plasma equilibrium"')}),
        ("the day's lowest occupancy instead of its mean", {"q2_steady": _Q2_FUNC + _Q2_VALUE.replace(".mean", ".lowest")}),
        ("the day's highest occupancy instead of its mean", {"q2_steady": _Q2_FUNC + _Q2_VALUE.replace(".mean", ".highest")}),
        ("a fraction instead of a percent", {"q2_steady": _Q2_FUNC + f"""
upregulation_percent = {{d: steady_density(0.0, {_MEAN}, PARAMS) - 1.0 for d in (4.5, 50.0)}}
"""}),
    ],
    "q3_tests": [
        ("the global PARAMS read instead of the params argument", {"q3_half": "def half_time_days(agonist_bound, naltrexone_bound, params):\n    p = PARAMS\n"
                                                                   f"    return math.log(2) / ({_RATE}) / 24.0\n"}),
        ("hours instead of days", {"q3_half": _Q3 + f"    return math.log(2) / ({_RATE})\n"}),
        ("log10 instead of ln", {"q3_half": _Q3 + f"    return math.log10(2) / ({_RATE}) / 24.0\n"}),
        ("occupancy terms left out (baseline turnover only)", {"q3_half": _Q3 + "    return math.log(2) / p.k_receptor_per_h / 24.0\n"}),
        ("mean lifetime 1/k instead of half-time", {"q3_half": _Q3 + f"    return 1.0 / ({_RATE}) / 24.0\n"}),
    ],
    "q4_tests": [
        ("a fraction instead of a percent", {"q4_crash": _Q4_FUNC.replace("return 100.0 * ", "return ") + _Q4_VALUE}),
        ("the 7-day crash interpolated between 3 and 14 days, not simulated", {"q4_crash": _Q4_FUNC + """
crash_after = {3: crash_percent(3), 14: crash_percent(14)}
crash_after[7] = (crash_after[3] + crash_after[14]) / 2
crash_share_by_day_3 = crash_after[3] / crash_after[14]
"""}),
        ("day-1 signal (% of baseline) reported instead of the depth below it", {"q4_crash": _Q4_FUNC.replace(
            ".crash_depth", ".withdrawal_day_signal(1)") + _Q4_VALUE}),
        ("use_days ignored (always the default 14 days)", {"q4_crash": _Q4_FUNC.replace(
            "use_days=use_days, ", "") + _Q4_VALUE}),
        ("the default 30% peak occupancy instead of morphine_peak_occupancy", {"q4_crash": '''def crash_percent(use_days):
    return 100.0 * simulate(Schedule(use_days=use_days, total_days=use_days + 21)).crash_depth
''' + _Q4_VALUE}),
        ("share upside down (14-day crash over the 3-day one)", {"q4_crash": _Q4_FUNC + _Q4_VALUE.replace(
            "crash_after[3] / crash_after[14]", "crash_after[14] / crash_after[3]")}),
        ("the public version's crashes typed in, not the student's own", {"q4_crash": _Q4_FUNC
            + "\ncrash_after = {3: 38.33, 7: 47.50, 14: 48.59}\ncrash_share_by_day_3 = 0.7888\n"}),
    ],
    "q5_tests": [
        ("share as with / without", {"q5_prevent": _Q5.format(with_start=24) .replace(
            "1.0 - relapse_crash_with_percent / relapse_crash_without_percent",
            "relapse_crash_with_percent / relapse_crash_without_percent")}),
        ("naltrexone started on the relapse day instead of day 24", {"q5_prevent": _Q5.format(with_start=30)}),
        ("share given as a percent", {"q5_prevent": _Q5.format(with_start=24).replace(
            "1.0 - relapse_crash_with_percent / relapse_crash_without_percent",
            "100 * (1.0 - relapse_crash_with_percent / relapse_crash_without_percent)")}),
        ("crash after the first episode instead of after the relapse", {"q5_prevent": _Q5.format(with_start=24).replace(
            ".relapse_crash_depth", ".crash_depth")}),
        ("plasma-equilibrium occupancy for naltrexone", {"q5_prevent": _Q5.format(with_start=24).replace(
            "    **_relapse))", "    **_relapse), occupancy_model='plasma equilibrium')")}),
        ("the public version's crashes typed in, not the student's own", {"q5_prevent": """
relapse_crash_without_percent = 32.64
relapse_crash_with_percent = 11.20
crash_prevented_share = 0.6567
"""}),
    ],
}

CORRECT_VARIANTS = {
    "q3_tests": [("ln 2 typed as 0.693", {"q3_half": _Q3 + f"    return 0.693 / ({_RATE}) / 24.0\n"})],
}
