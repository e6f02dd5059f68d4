"""Wrong answers students really give in exercise 2; each must lose its question's points.

Keys are test-cell grade_ids; each value lists (label, {answer-cell grade_id: replacement}).
``CORRECT_VARIANTS`` (same structure) holds correct answers written differently from the
solution; each must keep full marks (tests/test_correct_variants.py).
"""

_B = "def bateman_ng_per_mL(t_h, dose_mg, bioavailability, ka_per_h, ke_per_h, volume_L):\n    t = np.asarray(t_h, dtype=float)\n"

_PEAK_OK = '''def cmax_ng_per_mL(dose_mg, bioavailability, ka_per_h, ke_per_h, volume_L):
    return float(bateman_ng_per_mL(tmax_h(ka_per_h, ke_per_h), dose_mg, bioavailability, ka_per_h, ke_per_h, volume_L))
'''
_TMAX_OK = '''def tmax_h(ka_per_h, ke_per_h):
    return math.log(ka_per_h / ke_per_h) / (ka_per_h - ke_per_h)
'''
_PATIENT = """
patient_tmax_h = tmax_h(patient_ka_per_h, math.log(2) / 4)
patient_cmax_ng_per_mL = cmax_ng_per_mL(50.0, patient_bioavailability, patient_ka_per_h, math.log(2) / 4, 1350.0)
"""
_ACC_VALUE = "\nnaltrexol_accumulation = accumulation_ratio(math.log(2) / naltrexol_half_life_h, dosing_interval_h)\n"
_ACC_OK = "def accumulation_ratio(ke_per_h, tau_h):\n    return 1.0 / (1.0 - math.exp(-ke_per_h * tau_h))\n"
_TABLE_50 = '''
VIEWS = {"parent only": ("plasma equilibrium", False), "with naltrexol": ("plasma equilibrium", True),
         "brain kinetics": ("brain kinetics", True)}
REGIMENS = {"4.5 mg at bedtime": (4.5, "at bedtime"), "50 mg once daily": (50.0, "once daily")}
hours_above_50 = {
    (reg, view): hours_per_day_blocked(dose, schedule, model, 0.5, met)
    for reg, (dose, schedule) in REGIMENS.items() for view, (model, met) in VIEWS.items()
}
'''
_BLOCKED_TABLE = _TABLE_50 + '''
ldn_hours_above_90 = {
    "parent only": hours_per_day_blocked(4.5, "at bedtime", "plasma equilibrium", 0.9, False),
    "with naltrexol": hours_per_day_blocked(4.5, "at bedtime", "plasma equilibrium", 0.9, True),
    "brain kinetics": hours_per_day_blocked(4.5, "at bedtime", "brain kinetics", 0.9),
}
'''

MISCONCEPTIONS = {
    "q1_tests": [
        ("bioavailability forgotten", {"q1_bateman": _B + "    return 1000 * dose_mg * ka_per_h / (volume_L * (ka_per_h - ke_per_h)) * (np.exp(-ke_per_h * t) - np.exp(-ka_per_h * t))"}),
        ("mg/L reported as ng/mL (no x1000)", {"q1_bateman": _B + "    return bioavailability * dose_mg * ka_per_h / (volume_L * (ka_per_h - ke_per_h)) * (np.exp(-ke_per_h * t) - np.exp(-ka_per_h * t))"}),
        ("prefactor ke/(ka - ke) instead of ka/(ka - ke)", {"q1_bateman": _B + "    return 1000 * bioavailability * dose_mg * ke_per_h / (volume_L * (ka_per_h - ke_per_h)) * (np.exp(-ke_per_h * t) - np.exp(-ka_per_h * t))"}),
    ],
    "q2_tests": [
        ("tmax = 1/ka", {"q2_peak": "def tmax_h(ka_per_h, ke_per_h):\n    return 1.0 / ka_per_h\n" + _PEAK_OK + _PATIENT}),
        ("log10 instead of ln", {"q2_peak": "def tmax_h(ka_per_h, ke_per_h):\n    return math.log10(ka_per_h / ke_per_h) / (ka_per_h - ke_per_h)\n" + _PEAK_OK + _PATIENT}),
        ("(ka + ke) in the denominator", {"q2_peak": "def tmax_h(ka_per_h, ke_per_h):\n    return math.log(ka_per_h / ke_per_h) / (ka_per_h + ke_per_h)\n" + _PEAK_OK + _PATIENT}),
        ("Cmax read at a fixed 1 h", {"q2_peak": _TMAX_OK + "def cmax_ng_per_mL(dose_mg, bioavailability, ka_per_h, ke_per_h, volume_L):\n    return float(bateman_ng_per_mL(1.0, dose_mg, bioavailability, ka_per_h, ke_per_h, volume_L))\n" + _PATIENT}),
        ("the patient's bioavailability left out (the tests' 0.4 used)", {"q2_peak": _TMAX_OK + _PEAK_OK + _PATIENT.replace(
            "cmax_ng_per_mL(50.0, patient_bioavailability,", "cmax_ng_per_mL(50.0, 0.4,")}),
        ("the public version's patient typed in, not the student's own", {"q2_peak": _TMAX_OK + _PEAK_OK
            + "\npatient_tmax_h = 0.7178796377796868\npatient_cmax_ng_per_mL = 13.081887231520685\n"}),
    ],
    "q3_tests": [
        ("exp(ke tau) instead of 1/(1 - exp(-ke tau))", {"q3_accumulation": "def accumulation_ratio(ke_per_h, tau_h):\n    return math.exp(ke_per_h * tau_h)\n" + _ACC_VALUE}),
        ("half-life put where the rate belongs", {"q3_accumulation": "def accumulation_ratio(ke_per_h, tau_h):\n    return 1.0 / (1.0 - math.exp(-tau_h / ke_per_h))\n" + _ACC_VALUE}),
        ("naltrexone's 4 h half-life used for the metabolite", {"q3_accumulation": _ACC_OK
            + "\nnaltrexol_accumulation = accumulation_ratio(math.log(2) / 4.0, dosing_interval_h)\n"}),
        ("the public version's regimen typed in, not the student's own", {"q3_accumulation": _ACC_OK
            + "\nnaltrexol_accumulation = 1.0824170225092107\n"}),
        ("tau in minutes", {"q3_accumulation": "def accumulation_ratio(ke_per_h, tau_h):\n    return 1.0 / (1.0 - math.exp(-ke_per_h * tau_h / 60))\n" + _ACC_VALUE}),
    ],
    "q4_tests": [
        ("multiplied by the molar mass", {"q4_units": "def ng_per_mL_to_nM(conc_ng_per_mL, molar_mass_g_per_mol=341.4):\n    return np.asarray(conc_ng_per_mL, dtype=float) * molar_mass_g_per_mol / 1000.0"}),
        ("hard-coded 2.93 for every molecule", {"q4_units": "def ng_per_mL_to_nM(conc_ng_per_mL, molar_mass_g_per_mol=341.4):\n    return np.asarray(conc_ng_per_mL, dtype=float) * 2.929"}),
        ("factor 1e6 (ng vs ug slip)", {"q4_units": "def ng_per_mL_to_nM(conc_ng_per_mL, molar_mass_g_per_mol=341.4):\n    return np.asarray(conc_ng_per_mL, dtype=float) * 1e6 / molar_mass_g_per_mol"}),
    ],
    "q5_tests": [
        ("model ignored (always plasma equilibrium)", {"q5_blocked": '''def hours_per_day_blocked(dose_mg, schedule, model, threshold, include_metabolite=True):
    t = np.arange(0.0, 7 * 24.0 + 0.025, 0.05)
    occ = mu_occupancy(simulate(regimen(schedule, dose_mg, 7), t), "plasma equilibrium", include_metabolite=include_metabolite)
    return hours_per_day_above(t, occ, threshold, last_days=1)
''' + _BLOCKED_TABLE}),
        ("counted the whole week, not the last day", {"q5_blocked": '''def hours_per_day_blocked(dose_mg, schedule, model, threshold, include_metabolite=True):
    t = np.arange(0.0, 7 * 24.0 + 0.025, 0.05)
    occ = mu_occupancy(simulate(regimen(schedule, dose_mg, 7), t), model, include_metabolite=include_metabolite)
    return hours_per_day_above(t, occ, threshold)
''' + _BLOCKED_TABLE}),
        ("metabolite switch ignored", {"q5_blocked": '''def hours_per_day_blocked(dose_mg, schedule, model, threshold, include_metabolite=True):
    t = np.arange(0.0, 7 * 24.0 + 0.025, 0.05)
    occ = mu_occupancy(simulate(regimen(schedule, dose_mg, 7), t), model)
    return hours_per_day_above(t, occ, threshold, last_days=1)
''' + _BLOCKED_TABLE}),
        ("simulated one day only", {"q5_blocked": '''def hours_per_day_blocked(dose_mg, schedule, model, threshold, include_metabolite=True):
    t = np.arange(0.0, 24.0 + 0.025, 0.05)
    occ = mu_occupancy(simulate(regimen(schedule, dose_mg, 1), t), model, include_metabolite=include_metabolite)
    return hours_per_day_above(t, occ, threshold, last_days=1)
''' + _BLOCKED_TABLE}),
        ("models swapped in the table", {"q5_blocked": '''def hours_per_day_blocked(dose_mg, schedule, model, threshold, include_metabolite=True):
    t = np.arange(0.0, 7 * 24.0 + 0.025, 0.05)
    occ = mu_occupancy(simulate(regimen(schedule, dose_mg, 7), t), model, include_metabolite=include_metabolite)
    return hours_per_day_above(t, occ, threshold, last_days=1)
''' + _TABLE_50 + '''
ldn_hours_above_90 = {
    "parent only": hours_per_day_blocked(4.5, "at bedtime", "brain kinetics", 0.9),
    "with naltrexol": hours_per_day_blocked(4.5, "at bedtime", "plasma equilibrium", 0.9, True),
    "brain kinetics": hours_per_day_blocked(4.5, "at bedtime", "plasma equilibrium", 0.9, False),
}
'''}),
        ("ignored the schedule (always once daily)", {"q5_blocked": '''def hours_per_day_blocked(dose_mg, schedule, model, threshold, include_metabolite=True):
    t = np.arange(0.0, 7 * 24.0 + 0.025, 0.05)
    occ = mu_occupancy(simulate(regimen("once daily", dose_mg, 7), t), model, include_metabolite=include_metabolite)
    return hours_per_day_above(t, occ, threshold, last_days=1)
''' + _BLOCKED_TABLE}),
        ("threshold given as a percentage in the table", {"q5_blocked": '''def hours_per_day_blocked(dose_mg, schedule, model, threshold, include_metabolite=True):
    t = np.arange(0.0, 7 * 24.0 + 0.025, 0.05)
    occ = mu_occupancy(simulate(regimen(schedule, dose_mg, 7), t), model, include_metabolite=include_metabolite)
    return hours_per_day_above(t, occ, min(threshold, 1.0), last_days=1)
''' + _TABLE_50.replace("model, 0.5, met", "model, 50, met") + '''
ldn_hours_above_90 = {
    "parent only": hours_per_day_blocked(4.5, "at bedtime", "plasma equilibrium", 0.9, False),
    "with naltrexol": hours_per_day_blocked(4.5, "at bedtime", "plasma equilibrium", 0.9, True),
    "brain kinetics": hours_per_day_blocked(4.5, "at bedtime", "brain kinetics", 0.9),
}
'''}),
    ],
}

CORRECT_VARIANTS = {
    "q2_tests": [("ln 2 typed as 0.693", {"q2_peak": _TMAX_OK + _PEAK_OK + _PATIENT.replace("math.log(2)", "0.693")})],
    "q3_tests": [("ln 2 typed as 0.693", {"q3_accumulation": _ACC_OK + _ACC_VALUE.replace("math.log(2)", "0.693")})],
}


#: Mistakes marked once (issue 17): alone in a notebook, each costs points in its own question
#: only; question 2 judges cmax_ng_per_mL with question 1's formula and the patient's Cmax by the
#: student's own bateman_ng_per_mL (error carried forward).
#: Entries: (test-cell grade_id, label of MISCONCEPTIONS[grade_id]).
MARKED_ONCE = [
    ("q1_tests", "bioavailability forgotten"),
    ("q1_tests", "mg/L reported as ng/mL (no x1000)"),
    ("q1_tests", "prefactor ke/(ka - ke) instead of ka/(ka - ke)"),
]
