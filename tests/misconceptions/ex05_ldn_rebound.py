"""Wrong answers students really give in exercise 5; each must lose its question's points.

Keys are test-cell grade_ids; each value lists (label, {answer-cell grade_id: replacement}).
"""

_Q1 = '''def hours_above(dose_mg, threshold):
    c_star = {c_star}

    def excess(t):
        return {conc}(dose_mg, t) - c_star

    grid = np.linspace(0.01, 72.0, 1441)
    values = np.array([excess(t) for t in grid])
    i = int(np.argmax(values))
    if values[i] <= 0:
        return 0.0
    rise = brentq(excess, 1e-6, grid[i])
    fall = brentq(excess, grid[i], 240.0)
    return {result}
'''
_C_OK = "KI_NALTREXONE_NM * threshold / (1.0 - threshold)"


def _q1(c_star=_C_OK, conc="free_naltrexone_nM", result="fall - rise"):
    return {"q1_hours": _Q1.format(c_star=c_star, conc=conc, result=result)}


_TOTAL = '''
def total_naltrexone_nM(dose_mg, t_h):
    return float(oral_profile(dose_mg, [0.0, t_h]).naltrexone_nM[-1])

'''

_Q3 = '''def rebound_at(dose_mg):
    return float(rebound_map([dose_mg], [{tau}], "at bedtime", model="plasma equilibrium",
                             include_metabolite={met})[0, 0])

'''
_Q3_VALUES = '''
largest_rebounding_dose_mg = brentq(rebound_at, 4.5, 20.0)
rebounds_at_standard_dose = rebound_at(50.0) > 0
'''

_Q4 = '''
rebound_table = {{}}
for _name, (_schedule, _dose) in REGIMENS.items():
    for _view, (_model, _met) in OCCUPANCY_VIEWS.items():
        rebound_table[(_name, _view)] = simulate_regimen({args}).rebound_percent
rebounding = {{key for key, value in rebound_table.items() if {test}}}
'''
_ARGS_OK = "_dose, _schedule, model=_model, include_metabolite=_met"

MISCONCEPTIONS = {
    "q1_tests": [
        ("total instead of free concentration", {"q1_hours": _TOTAL + _Q1.format(
            c_star=_C_OK, conc="total_naltrexone_nM", result="fall - rise")}),
        ("threshold used as a concentration", _q1(c_star="threshold")),
        ("C* = Ki (1 - theta) / theta (ratio inverted)",
         _q1(c_star="KI_NALTREXONE_NM * (1.0 - threshold) / threshold")),
        ("only the fall counted, from the dose", _q1(result="fall")),
        ("threshold treated as a percent",
         _q1(c_star="KI_NALTREXONE_NM * (threshold / 100) / (1.0 - threshold / 100)")),
    ],
    "q2_tests": [
        ("not divided by tau", {"q2_rate": "def endogenous_rate_per_h(level, tone, tau_h, gain):\n"
                                           "    return 1.0 + gain * (1.0 - tone) - level\n"}),
        ("sign of the deficit flipped", {"q2_rate": "def endogenous_rate_per_h(level, tone, tau_h, gain):\n"
                                                    "    return (1.0 + gain * (tone - 1.0) - level) / tau_h\n"}),
        ("tau treated as days", {"q2_rate": "def endogenous_rate_per_h(level, tone, tau_h, gain):\n"
                                            "    return (1.0 + gain * (1.0 - tone) - level) / (24.0 * tau_h)\n"}),
        ("gain applied to the level", {"q2_rate": "def endogenous_rate_per_h(level, tone, tau_h, gain):\n"
                                                  "    return (1.0 + (1.0 - tone) - gain * level) / tau_h\n"}),
    ],
    "q3_tests": [
        ("6-beta-naltrexol left in (the default view)",
         {"q3_window": _Q3.format(tau="24.0", met="True") + _Q3_VALUES}),
        ("time constant given in days (1) instead of hours (24)",
         {"q3_window": _Q3.format(tau="1.0", met="False") + _Q3_VALUES}),
        ("edge taken from a coarse dose grid instead of the root", {"q3_window": _Q3.format(tau="24.0", met="False") + '''
_doses = np.round(np.logspace(np.log10(0.5), np.log10(50), 25), 3)
largest_rebounding_dose_mg = max(d for d in _doses if rebound_at(d) > 0)
rebounds_at_standard_dose = rebound_at(50.0) > 0
'''}),
        ("standard dose said to rebound (the blockade ends, so tone must overshoot)",
         {"q3_window": _Q3.format(tau="24.0", met="False") + '''
largest_rebounding_dose_mg = brentq(rebound_at, 4.5, 20.0)
rebounds_at_standard_dose = True
'''}),
    ],
    "q4_tests": [
        ("view's metabolite choice not passed (always counted)",
         {"q4_table": _Q4.format(args="_dose, _schedule, model=_model", test="value > 0")}),
        ("every view simulated with the default model",
         {"q4_table": _Q4.format(args="_dose, _schedule, include_metabolite=_met", test="value > 0")}),
        ("rebound read as any tone above zero", {"q4_table": _Q4.format(args=_ARGS_OK, test="value > -100")}),
        ("every regimen taken at bedtime (schedule ignored)", {"q4_table": _Q4.format(
            args="_dose, 'at bedtime', model=_model, include_metabolite=_met", test="value > 0")}),
    ],
}
