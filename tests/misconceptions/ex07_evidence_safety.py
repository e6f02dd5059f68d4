"""Wrong answers students really give in exercise 7; each must lose its question's points.

Keys are test-cell grade_ids; each value lists (label, {answer-cell grade_id: replacement}).
"""

_D = "def cohens_d(mean1, sd1, n1, mean2, sd2, n2):\n"
_D_VALUE = ("\n_h = MISCHOULON_2017['HAM-D-17']\n"
            "hamd_endpoint_d = cohens_d(*_h.placebo_end, _h.n_placebo, *_h.drug_end, _h.n_drug)\n")
_P = "def power_two_arm(d, n_per_arm, alpha=0.05):\n"
_S = "def simulated_power_of(d, n_per_arm, alpha=0.05, n_trials=20000, seed=2017):\n"
_N_VALUE = "\nn_needed_pilot_effect = n_for_power(0.62, target=target_power)\n"
_W = '''
_m = precipitated_withdrawal("methadone", maintenance_occupancy, {days}, 50.0)
methadone_before = {before}
methadone_after_1h = _m.agonist_bound_at({hours})
buprenorphine_after_1h = precipitated_withdrawal("buprenorphine", maintenance_occupancy, {days}, 50.0).agonist_bound_at({hours})
methadone_wait_days = next(d for d in range(15)
                           if precipitated_withdrawal("methadone", maintenance_occupancy, d, 50.0).precipitated < {cut})
'''


def _w(days="1.0", before="float(_m.agonist_bound[0])", hours="1.0", cut="0.01"):
    return {"q5_displace": _W.format(days=days, before=before, hours=hours, cut=cut)}


MISCONCEPTIONS = {
    "q1_tests": [
        ("simple average of the two SDs", {"q1_d": _D + "    return (mean1 - mean2) / ((sd1 + sd2) / 2)\n" + _D_VALUE}),
        ("variances weighted by n instead of n - 1",
         {"q1_d": _D + "    return (mean1 - mean2) / math.sqrt((n1 * sd1 ** 2 + n2 * sd2 ** 2) / (n1 + n2))\n"
          + _D_VALUE}),
        ("standard error of the difference instead of the SD",
         {"q1_d": _D + "    return (mean1 - mean2) / math.sqrt(sd1 ** 2 / n1 + sd2 ** 2 / n2)\n" + _D_VALUE}),
        ("absolute value of the difference (the sign dropped)", {"q1_d": _D + '''    pooled = math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))
    return abs(mean1 - mean2) / pooled
''' + _D_VALUE}),
        ("drug minus placebo (sign flipped)", {"q1_d": _D + '''    pooled = math.sqrt(((n1 - 1) * sd1 ** 2 + (n2 - 1) * sd2 ** 2) / (n1 + n2 - 2))
    return (mean1 - mean2) / pooled

_h = MISCHOULON_2017['HAM-D-17']
hamd_endpoint_d = cohens_d(*_h.drug_end, _h.n_drug, *_h.placebo_end, _h.n_placebo)
'''}),
    ],
    "q2_tests": [
        ("one-sided test", {"q2_power": _P + '''    df = 2 * n_per_arm - 2
    crit = stats.t.ppf(1 - alpha, df)
    return float(stats.nct.sf(crit, df, d * math.sqrt(n_per_arm / 2)))
'''}),
        ("noncentrality d sqrt(n) instead of d sqrt(n/2)", {"q2_power": _P + '''    df = 2 * n_per_arm - 2
    crit = stats.t.ppf(1 - alpha / 2, df)
    delta = d * math.sqrt(n_per_arm)
    return float(stats.nct.sf(crit, df, delta) + stats.nct.cdf(-crit, df, delta))
'''}),
        ("degrees of freedom n - 1", {"q2_power": _P + '''    df = n_per_arm - 1
    crit = stats.t.ppf(1 - alpha / 2, df)
    delta = d * math.sqrt(n_per_arm / 2)
    return float(stats.nct.sf(crit, df, delta) + stats.nct.cdf(-crit, df, delta))
'''}),
        ("normal approximation", {"q2_power": _P + '''    z = stats.norm.ppf(1 - alpha / 2)
    delta = d * math.sqrt(n_per_arm / 2)
    return float(stats.norm.sf(z - delta) + stats.norm.cdf(-z - delta))
'''}),
    ],
    "q3_tests": [
        ("one-sided p values", {"q3_sim": _S + '''    rng = np.random.default_rng(seed)
    drug = rng.normal(d, 1.0, size=(n_trials, n_per_arm))
    placebo = rng.normal(0.0, 1.0, size=(n_trials, n_per_arm))
    return float(np.mean(stats.ttest_ind(drug, placebo, axis=1, alternative="greater").pvalue < alpha))
'''}),
        ("placebo arm drawn first", {"q3_sim": _S + '''    rng = np.random.default_rng(seed)
    placebo = rng.normal(0.0, 1.0, size=(n_trials, n_per_arm))
    drug = rng.normal(d, 1.0, size=(n_trials, n_per_arm))
    return float(np.mean(stats.ttest_ind(drug, placebo, axis=1).pvalue < alpha))
'''}),
        ("seed ignored", {"q3_sim": _S + '''    rng = np.random.default_rng()
    drug = rng.normal(d, 1.0, size=(n_trials, n_per_arm))
    placebo = rng.normal(0.0, 1.0, size=(n_trials, n_per_arm))
    return float(np.mean(stats.ttest_ind(drug, placebo, axis=1).pvalue < alpha))
'''}),
    ],
    "q4_tests": [
        ("normal-approximation formula", {"q4_n": '''def n_for_power(d, target=0.8, alpha=0.05):
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(target)
    return math.ceil(2 * (z / d) ** 2)
''' + _N_VALUE}),
        ("total patients instead of per arm", {"q4_n": '''def n_for_power(d, target=0.8, alpha=0.05):
    n = 2
    while power_two_arm(d, n, alpha) < target:
        n += 1
    return 2 * n
''' + _N_VALUE}),
        ("target and alpha not passed through", {"q4_n": '''def n_for_power(d, target=0.8, alpha=0.05):
    n = 2
    while power_two_arm(d, n) < 0.8:
        n += 1
    return n
''' + _N_VALUE}),
        ("the conventional 80% used instead of the target_power drawn", {"q4_n": '''def n_for_power(d, target=0.8, alpha=0.05):
    n = 2
    while power_two_arm(d, n, alpha) < target:
        n += 1
    return n

n_needed_pilot_effect = n_for_power(0.62)
'''}),
        ("the public version's answer (target_power 0.82) typed in, not the student's own", {"q4_n": '''def n_for_power(d, target=0.8, alpha=0.05):
    n = 2
    while power_two_arm(d, n, alpha) < target:
        n += 1
    return n

n_needed_pilot_effect = 44
'''}),
    ],
    "q5_tests": [
        ("occupancies as percentages", _w(before="100 * float(_m.agonist_bound[0])")),
        ("read at 1 min instead of 1 h", _w(hours="1.0 / 60")),
        ("the maintenance occupancy taken as the occupancy at the dose", _w(before="maintenance_occupancy")),
        ("challenge on the day of the last dose", _w(days="0.0")),
        ("wait judged by any precipitation at all (threshold 0)", _w(cut="1e-12")),
        ("the chapter's 60% used instead of the maintenance_occupancy drawn", {"q5_displace": _W.format(
            days="1.0", before="float(_m.agonist_bound[0])", hours="1.0", cut="0.01").replace(
                "maintenance_occupancy", "0.6")}),
        ("the public version's results (occupancy 0.73) typed in, not the student's own",
         {"q5_displace": "methadone_before = 0.5748\nmethadone_after_1h = 0.00494\n"
                         "buprenorphine_after_1h = 0.4959\nmethadone_wait_days = 9\n"}),
    ],
}


#: Mistakes marked once (issue 17): alone in a notebook, each costs points in its own question
#: only. A later question that calls the function judges its own code with the reference one and
#: the student's numbers by the student's function (error carried forward).
#: Entries: (test-cell grade_id, label of MISCONCEPTIONS[grade_id]).
MARKED_ONCE = [
    ("q2_tests", "one-sided test"),
    ("q2_tests", "noncentrality d sqrt(n) instead of d sqrt(n/2)"),
    ("q2_tests", "degrees of freedom n - 1"),
]
