"""Wrong answers students really give in exercise 5; each must lose its question's points.

Keys are test-cell grade_ids; each value lists (label, {answer-cell grade_id: replacement}).
``CORRECT_VARIANTS`` (same structure) holds correct answers written differently from the
solution; each must keep full marks (tests/test_correct_variants.py).
"""

_Q1 = '''def hours_per_day_above(dose_mg, schedule, threshold):
    c_star = {c_star}

    def excess(t):
        return float({conc}(dose_mg, schedule, t)[0]) - c_star

    grid = np.linspace({t0}, {t1}, 97)
    values = {conc}(dose_mg, schedule, grid) - c_star
    above, start = 0.0, ({t0} if values[0] > 0 else None)
    for i in range(grid.size - 1):
        if values[i] > 0 >= values[i + 1]:
            above += brentq(excess, grid[i], grid[i + 1]) - start
            start = None
        elif values[i] <= 0 < values[i + 1]:
            start = brentq(excess, grid[i], grid[i + 1])
    if start is not None and {count_end}:
        above += {t1} - start
    return above
'''
_Q1_VALUE = '''

ldn_hours_above_threshold = hours_per_day_above(ldn_dose_mg, "at bedtime", occupancy_threshold)
'''
_C_OK = "KI_NALTREXONE_NM * threshold / (1.0 - threshold)"


def _q1(c_star=_C_OK, conc="free_naltrexone_nM", t0="144.0", t1="168.0", count_end="True"):
    return {"q1_hours": _Q1.format(c_star=c_star, conc=conc, t0=t0, t1=t1, count_end=count_end) + _Q1_VALUE}


_TOTAL = '''
def total_naltrexone_nM(dose_mg, schedule, t_h):
    t = np.atleast_1d(np.asarray(t_h, dtype=float))
    return simulate(regimen(schedule, dose_mg, 7), t).naltrexone_nM

'''

_Q2 = "def steady_endogenous(receptor_density, occupancy, gain):\n    return {e}\n\n\n" \
      "def steady_tone(receptor_density, occupancy, gain):\n    return {t}\n"
_E_OK = "(1.0 + gain) / (1.0 + gain * receptor_density * (1.0 - occupancy))"
_T_OK = "steady_endogenous(receptor_density, occupancy, gain) * receptor_density * (1.0 - occupancy)"

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
            c_star=_C_OK, conc="total_naltrexone_nM", t0="144.0", t1="168.0", count_end="True") + _Q1_VALUE}),
        ("threshold used as a concentration", _q1(c_star="threshold")),
        ("C* = Ki (1 - theta) / theta (ratio inverted)",
         _q1(c_star="KI_NALTREXONE_NM * (1.0 - threshold) / threshold")),
        ("the first day counted instead of the last (no steady state)", _q1(t0="0.0", t1="24.0")),
        ("time above at the end of the day forgotten", _q1(count_end="False")),
        ("threshold treated as a percent",
         _q1(c_star="KI_NALTREXONE_NM * (threshold / 100) / (1.0 - threshold / 100)")),
        ("the public version's hours typed in, not the student's own", {"q1_hours": _Q1.format(
            c_star=_C_OK, conc="free_naltrexone_nM", t0="144.0", t1="168.0", count_end="True")
            + "\nldn_hours_above_threshold = 2.417\n"}),
    ],
    "q2_tests": [
        ("linearised: E* = 1 + g (1 - R (1 - o))",
         {"q2_rate": _Q2.format(e="1.0 + gain * (1.0 - receptor_density * (1.0 - occupancy))", t=_T_OK)}),
        ("receptors left out of the tone", {"q2_rate": _Q2.format(
            e="(1.0 + gain) / (1.0 + gain * (1.0 - occupancy))",
            t="steady_endogenous(receptor_density, occupancy, gain) * (1.0 - occupancy)")}),
        ("occupancy used where the free share belongs", {"q2_rate": _Q2.format(
            e="(1.0 + gain) / (1.0 + gain * receptor_density * occupancy)",
            t="steady_endogenous(receptor_density, occupancy, gain) * receptor_density * occupancy")}),
        ("tone taken to be the endogenous level", {"q2_rate": _Q2.format(e=_E_OK, t="steady_endogenous(receptor_density, occupancy, gain)")}),
    ],
    "q3_tests": [
        ("6-beta-naltrexol left in (the default view)",
         {"q3_window": _Q3.format(tau="compensation_tau_h", met="True") + _Q3_VALUES}),
        ("time constant given in days instead of hours",
         {"q3_window": _Q3.format(tau="compensation_tau_h / 24", met="False") + _Q3_VALUES}),
        ("edge taken from a coarse dose grid instead of the root", {"q3_window": _Q3.format(
            tau="compensation_tau_h", met="False") + '''
_doses = np.round(np.logspace(np.log10(0.5), np.log10(50), 25), 3)
largest_rebounding_dose_mg = max(d for d in _doses if rebound_at(d) > 0)
rebounds_at_standard_dose = rebound_at(50.0) > 0
'''}),
        ("standard dose said to rebound (the blockade ends, so tone must overshoot)",
         {"q3_window": _Q3.format(tau="compensation_tau_h", met="False") + '''
largest_rebounding_dose_mg = brentq(rebound_at, 4.5, 20.0)
rebounds_at_standard_dose = True
'''}),
        ("the public version's edge typed in, not the student's own",
         {"q3_window": _Q3.format(tau="compensation_tau_h", met="False") + '''
largest_rebounding_dose_mg = 11.74
rebounds_at_standard_dose = rebound_at(50.0) > 0
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

CORRECT_VARIANTS = {
    "q1_tests": [("hours rounded to 3 significant figures", {"q1_hours": _Q1.format(
        c_star=_C_OK, conc="free_naltrexone_nM", t0="144.0", t1="168.0", count_end="True") + """

ldn_hours_above_threshold = float(f"{hours_per_day_above(ldn_dose_mg, 'at bedtime', occupancy_threshold):.3g}")
"""})],
    "q4_tests": [("the rebounding pairs as a frozenset", {"q4_table": _Q4.format(args=_ARGS_OK, test="value > 0")
                                                         + "rebounding = frozenset(rebounding)\n"})],
}
