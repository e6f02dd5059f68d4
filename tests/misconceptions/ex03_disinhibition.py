"""Wrong answers students really give in exercise 3; each must lose its question's points.

Keys are test-cell grade_ids; each value lists (label, {answer-cell grade_id: replacement}).
"""

_F = "def firing_rate_Hz(drive, max_rate_Hz):\n    u = np.asarray(drive, dtype=float)\n"

_Q2 = '''def dopamine_rate_Hz(activation, params):
    p = params
    local = firing_rate_Hz(p.local_drive {op} p.local_mu_shift * activation, p.gaba_max_Hz)
    rmtg = firing_rate_Hz(p.rmtg_drive {op} p.rmtg_mu_shift * activation, p.gaba_max_Hz)
    g = {g}
    return firing_rate_Hz(p.dopamine_drive - p.inhibition_weight * g, {dmax})
'''
_G_OK = "p.rmtg_share * rmtg / p.rmtg_baseline_Hz + (1 - p.rmtg_share) * local / p.local_gaba_baseline_Hz"


def _q2(op="-", g=_G_OK, dmax="p.dopamine_max_Hz"):
    return {"q2_circuit": _Q2.format(op=op, g=g, dmax=dmax)}


_Q3 = '''def accumbens_dopamine_nM(release_nM_per_s, vmax_nM_per_s, km_nM, other_clearance_per_s):
    r, vmax, km, k = release_nM_per_s, vmax_nM_per_s, km_nM, other_clearance_per_s
'''

_PR = '''def percent_rise(opioid_occupancy, naltrexone_occupancy=0.0, opioid="morphine"):
    a = mu_activation(opioid_occupancy, naltrexone_occupancy, opioid=opioid,
                      endogenous_occupancy=PARAMS.endogenous_occupancy)
    c = float(steady_state(a, PARAMS).nac_dopamine_nM)
    c0 = float(baseline(PARAMS).nac_dopamine_nM)
    return 100.0 * (c - c0) / c0
'''

_HALF = """

def share_blocked_at(x):
    occ = x / (1 + x)
    return 1 - (percent_rise(occ, ntx_trough_occupancy) - percent_rise(0.0, ntx_trough_occupancy)) / percent_rise(occ)


challenge_half_blocked_x_kd = brentq(lambda x: share_blocked_at(x) - 0.5, 1e-4, 1e3)
"""
_Q5_OK = """
ntx_trough_occupancy = naltrexone_trough_occupancy(ntx_daily_dose_mg)
rise_with_naltrexone_percent = percent_rise(morphine_occupancy, ntx_trough_occupancy)
share_of_surge_blocked = 1 - (rise_with_naltrexone_percent - percent_rise(0.0, ntx_trough_occupancy)) / percent_rise(morphine_occupancy)
"""

MISCONCEPTIONS = {
    "q1_tests": [
        ("sign of the exponent flipped (rate falls with drive)",
         {"q1_rate": _F + "    return max_rate_Hz / (1.0 + np.exp(u))"}),
        ("maximal rate forgotten (a fraction, not Hz)", {"q1_rate": _F + "    return 1.0 / (1.0 + np.exp(-u))"}),
        ("tanh used as the sigmoid", {"q1_rate": _F + "    return max_rate_Hz * np.tanh(u)"}),
        ("10**(-u) instead of exp(-u)", {"q1_rate": _F + "    return max_rate_Hz / (1.0 + 10.0 ** (-u))"}),
        ("threshold-linear instead of the logistic", {"q1_rate": _F + "    return max_rate_Hz * np.clip(u, 0.0, 1.0)"}),
    ],
    "q2_tests": [
        ("mu activation adds drive to the GABA neurons (sign error)", _q2(op="+")),
        ("GABA rates not divided by their baselines",
         _q2(g="p.rmtg_share * rmtg + (1 - p.rmtg_share) * local")),
        ("RMTg share given to the local input",
         _q2(g="(1 - p.rmtg_share) * rmtg / p.rmtg_baseline_Hz + p.rmtg_share * local / p.local_gaba_baseline_Hz")),
        ("GABA maximal rate used for the dopamine neuron", _q2(dmax="p.gaba_max_Hz")),
        ("shares not weighted (plain sum of the two inputs)",
         _q2(g="rmtg / p.rmtg_baseline_Hz + local / p.local_gaba_baseline_Hz")),
    ],
    "q3_tests": [
        ("negative root of the quadratic", {"q3_uptake": _Q3 + '''    if k == 0:
        return r * km / (vmax - r)
    b = vmax + k * km - r
    return (-b - math.sqrt(b * b + 4 * k * r * km)) / (2 * k)
'''}),
        ("release on the wrong side of the quadratic (b = Vmax + k Km + R)", {"q3_uptake": _Q3 + '''    if k == 0:
        return r * km / (vmax - r)
    b = vmax + k * km + r
    return (-b + math.sqrt(b * b + 4 * k * r * km)) / (2 * k)
'''}),
        ("first-order loss ignored (transporter only)", {"q3_uptake": _Q3 + "    return r * km / (vmax - r)\n"}),
        ("uptake treated as linear (Vmax/Km) at any concentration",
         {"q3_uptake": _Q3 + "    return r / (vmax / km + k)\n"}),
        ("Km converted to uM while Vmax stays in nM/s", {"q3_uptake": _Q3 + '''    km = km / 1000.0
    if k == 0:
        return r * km / (vmax - r)
    b = vmax + k * km - r
    return (-b + math.sqrt(b * b + 4 * k * r * km)) / (2 * k)
'''}),
    ],
    "q4_tests": [
        ("% of baseline reported instead of % change",
         {"q4_surge": _PR.replace("100.0 * (c - c0) / c0", "100.0 * c / c0")
          + "\nmorphine_rise_percent = percent_rise(morphine_occupancy)\n"}),
        ("firing-rate change reported instead of accumbens dopamine",
         {"q4_surge": _PR.replace("nac_dopamine_nM", "dopamine_Hz")
          + "\nmorphine_rise_percent = percent_rise(morphine_occupancy)\n"}),
        ("occupancy used as activation (receptor reserve ignored)",
         {"q4_surge": _PR.replace("""    a = mu_activation(opioid_occupancy, naltrexone_occupancy, opioid=opioid,
                      endogenous_occupancy=PARAMS.endogenous_occupancy)""",
                                  "    a = opioid_occupancy")
          + "\nmorphine_rise_percent = percent_rise(morphine_occupancy)\n"}),
        ("a fraction instead of a percent",
         {"q4_surge": _PR.replace("100.0 * (c - c0) / c0", "(c - c0) / c0")
          + "\nmorphine_rise_percent = percent_rise(morphine_occupancy)\n"}),
        ("opioid argument ignored (always morphine)",
         {"q4_surge": _PR.replace("opioid=opioid,", "opioid='morphine',")
          + "\nmorphine_rise_percent = percent_rise(morphine_occupancy)\n"}),
        ("change read against the naltrexone-alone level, not the drug-free baseline",
         {"q4_surge": _PR.replace("c0 = float(baseline(PARAMS).nac_dopamine_nM)",
                                  "c0 = float(steady_state(mu_activation(0.0, naltrexone_occupancy, "
                                  "endogenous_occupancy=PARAMS.endogenous_occupancy), PARAMS).nac_dopamine_nM)")
          + "\nmorphine_rise_percent = percent_rise(morphine_occupancy)\n"}),
        ("endogenous tone left out of the activation",
         {"q4_surge": _PR.replace("endogenous_occupancy=PARAMS.endogenous_occupancy", "endogenous_occupancy=0.0")
          + "\nmorphine_rise_percent = percent_rise(morphine_occupancy)\n"}),
        ("the public version's rise typed in, not the student's own",
         {"q4_surge": _PR + "\nmorphine_rise_percent = 120.21648732616264\n"}),
    ],
    "q5_tests": [
        ("occupancies subtracted instead of competing", {"q5_blocked": '''
ntx_trough_occupancy = naltrexone_trough_occupancy(ntx_daily_dose_mg)
rise_with_naltrexone_percent = percent_rise(max(morphine_occupancy - ntx_trough_occupancy, 0.0))
share_of_surge_blocked = 1 - (rise_with_naltrexone_percent - percent_rise(0.0, ntx_trough_occupancy)) / percent_rise(morphine_occupancy)
''' + _HALF}),
        ("rise scaled by the free fraction (non-competitive thinking)", {"q5_blocked": '''
ntx_trough_occupancy = naltrexone_trough_occupancy(ntx_daily_dose_mg)
rise_with_naltrexone_percent = percent_rise(morphine_occupancy) * (1 - ntx_trough_occupancy)
share_of_surge_blocked = 1 - (rise_with_naltrexone_percent - percent_rise(0.0, ntx_trough_occupancy)) / percent_rise(morphine_occupancy)
''' + _HALF}),
        ("plasma-equilibrium occupancy instead of the PET-calibrated model", {"q5_blocked": '''
ntx_trough_occupancy = naltrexone_trough_occupancy(ntx_daily_dose_mg, "plasma equilibrium")
rise_with_naltrexone_percent = percent_rise(morphine_occupancy, ntx_trough_occupancy)
share_of_surge_blocked = 1 - (rise_with_naltrexone_percent - percent_rise(0.0, ntx_trough_occupancy)) / percent_rise(morphine_occupancy)
''' + _HALF}),
        ("occupancy entered as a percentage", {"q5_blocked": '''
ntx_trough_occupancy = 100 * naltrexone_trough_occupancy(ntx_daily_dose_mg)
rise_with_naltrexone_percent = percent_rise(morphine_occupancy, naltrexone_trough_occupancy(ntx_daily_dose_mg))
share_of_surge_blocked = 1 - (rise_with_naltrexone_percent - percent_rise(0.0, naltrexone_trough_occupancy(ntx_daily_dose_mg))) / percent_rise(morphine_occupancy)
''' + _HALF.replace("ntx_trough_occupancy", "naltrexone_trough_occupancy(ntx_daily_dose_mg)")}),
        ("share blocked read against the drug-free baseline (naltrexone's own fall counted)", {"q5_blocked": '''
ntx_trough_occupancy = naltrexone_trough_occupancy(ntx_daily_dose_mg)
rise_with_naltrexone_percent = percent_rise(morphine_occupancy, ntx_trough_occupancy)
share_of_surge_blocked = 1 - rise_with_naltrexone_percent / percent_rise(morphine_occupancy)
''' + _HALF}),
        ("peak occupancy of the daily tablet (99%) used instead of the trough", {"q5_blocked": _Q5_OK.replace(
            "naltrexone_trough_occupancy(ntx_daily_dose_mg)", "0.99") + _HALF}),
        ("half-blocked challenge reported as an occupancy instead of x = C/Kd", {"q5_blocked": _Q5_OK + _HALF
            + "\nchallenge_half_blocked_x_kd = challenge_half_blocked_x_kd / (1 + challenge_half_blocked_x_kd)\n"}),
        ("half-blocked challenge read against the drug-free baseline", {"q5_blocked": _Q5_OK + _HALF.replace(
            " - percent_rise(0.0, ntx_trough_occupancy)) / percent_rise(occ)", ") / percent_rise(occ)")}),
        ("share blocked taken to be naltrexone's occupancy", {"q5_blocked": '''
ntx_trough_occupancy = naltrexone_trough_occupancy(ntx_daily_dose_mg)
rise_with_naltrexone_percent = percent_rise(morphine_occupancy, ntx_trough_occupancy)
share_of_surge_blocked = ntx_trough_occupancy
''' + _HALF}),
        ("the public version's results typed in, not the student's own", {"q5_blocked": """
ntx_trough_occupancy = 0.9136853943066199
rise_with_naltrexone_percent = 13.276723455740512
share_of_surge_blocked = 0.822408061147137
challenge_half_blocked_x_kd = 1.0705519025995383
"""}),
    ],
}


#: Mistakes marked once (issue 17): alone in a notebook, each costs points in its own question
#: only; question 2 takes a circuit built right on the student's own firing_rate_Hz, and question 5
#: the values the student's own percent_rise gives (error carried forward).
#: Entries: (test-cell grade_id, label of MISCONCEPTIONS[grade_id]).
MARKED_ONCE = [
    ("q1_tests", "maximal rate forgotten (a fraction, not Hz)"),
    ("q1_tests", "tanh used as the sigmoid"),
    ("q4_tests", "% of baseline reported instead of % change"),
    ("q4_tests", "a fraction instead of a percent"),
    ("q4_tests", "endogenous tone left out of the activation"),
]
