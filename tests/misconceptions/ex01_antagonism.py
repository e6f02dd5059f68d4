"""Wrong answers students really give in exercise 1; each must lose its question's points.

Keys are test-cell grade_ids; each value lists (label, {answer-cell grade_id: replacement}).
``CORRECT_VARIANTS`` (same structure) holds correct answers written differently from the
solution; each must keep full marks (tests/test_correct_variants.py).
"""

_SCHILD_DATA = '''
data_dose_ratios = ec50_nM[1:] / ec50_nM[0]
data_pA2, data_slope = schild_fit(antagonist_nM, data_dose_ratios)
'''


def _schild(body: str, data: str = _SCHILD_DATA) -> dict:
    return {"q4_schild": "def schild_fit(antagonist_nM, dose_ratios):\n" + body + "\n" + data}


MISCONCEPTIONS = {
    "q1_tests": [
        ("free fraction Kd/(C+Kd) instead of occupancy",
         {"q1_occupancy": "def occupancy(conc_nM, kd_nM):\n    return kd_nM / (conc_nM + kd_nM)"}),
        ("ratio C/Kd without saturation",
         {"q1_occupancy": "def occupancy(conc_nM, kd_nM):\n    return conc_nM / kd_nM"}),
        ("Hill coefficient 2 slipped in",
         {"q1_occupancy": "def occupancy(conc_nM, kd_nM):\n"
                          "    c = np.asarray(conc_nM, dtype=float)\n"
                          "    return c**2 / (c**2 + kd_nM**2)"}),
        ("hard-coded the visible cases",
         {"q1_occupancy": "def occupancy(conc_nM, kd_nM):\n"
                          "    return {1.0: 0.5, 0.0: 0.0}.get(float(np.max(conc_nM)), 0.9999)"}),
    ],
    "q2_tests": [
        ("antagonist term added, not multiplying KA",
         {"q2_gaddum": "def gaddum_occupancy(a, b, ka, kb):\n    return a / (a + ka + b / kb)"}),
        ("independent product of occupancies",
         {"q2_gaddum": "def gaddum_occupancy(a, b, ka, kb):\n"
                       "    return a / (a + ka) * (1 - b / (b + kb))"}),
        ("KB/B instead of B/KB",
         {"q2_gaddum": "def gaddum_occupancy(a, b, ka, kb):\n"
                       "    return a / (a + ka * (1 + kb / max(b, 1e-300)))"}),
    ],
    "q3_tests": [
        ("B = 10 KB (forgot the 1 in DR = 1 + B/KB)",
         {"q3_tenfold": "tenfold_binding_nM = 10 * ki_nM('naltrexone', 'mu')\n"
                        "tenfold_in_vivo_nmol_per_kg = 10 * 10 ** (-IN_VIVO_PA2[0].pA2) * 1e9"}),
        ("pA2 dose left in mol/kg (unit slip)",
         {"q3_tenfold": "tenfold_binding_nM = 9 * ki_nM('naltrexone', 'mu')\n"
                        "tenfold_in_vivo_nmol_per_kg = 9 * 10 ** (-IN_VIVO_PA2[0].pA2)"}),
        ("natural log instead of log10",
         {"q3_tenfold": "tenfold_binding_nM = 9 * ki_nM('naltrexone', 'mu')\n"
                        "tenfold_in_vivo_nmol_per_kg = 9 * math.exp(-IN_VIVO_PA2[0].pA2) * 1e9"}),
        ("morphine's Ki used as KB",
         {"q3_tenfold": "tenfold_binding_nM = 9 * ki_nM('morphine', 'mu')\n"
                        "tenfold_in_vivo_nmol_per_kg = 9 * 10 ** (-IN_VIVO_PA2[0].pA2) * 1e9"}),
    ],
    "q4a_tests": [
        ("log10(DR) instead of log10(DR - 1)", _schild(
            "    x = np.log10(np.asarray(antagonist_nM) * 1e-9)\n"
            "    s, c = np.polyfit(x, np.log10(dose_ratios), 1)\n    return c / s, s")),
        ("B left in nM", _schild(
            "    x = np.log10(np.asarray(antagonist_nM))\n"
            "    s, c = np.polyfit(x, np.log10(np.asarray(dose_ratios) - 1), 1)\n    return c / s, s")),
        ("natural logs", _schild(
            "    x = np.log(np.asarray(antagonist_nM) * 1e-9)\n"
            "    s, c = np.polyfit(x, np.log(np.asarray(dose_ratios) - 1), 1)\n    return c / s, s")),
        ("x-intercept without the sign change", _schild(
            "    x = np.log10(np.asarray(antagonist_nM) * 1e-9)\n"
            "    s, c = np.polyfit(x, np.log10(np.asarray(dose_ratios) - 1), 1)\n    return -c / s, s")),
        ("slope assumed to be 1", _schild(
            "    x = np.log10(np.asarray(antagonist_nM) * 1e-9)\n"
            "    y = np.log10(np.asarray(dose_ratios) - 1)\n    return float(np.mean(y - x)), 1.0")),
        # exact on noiseless data, so only scattered dose ratios tell these from least squares
        ("line through the first and last points", _schild(
            "    x = np.log10(np.asarray(antagonist_nM) * 1e-9)\n"
            "    y = np.log10(np.asarray(dose_ratios) - 1)\n"
            "    s = (y[-1] - y[0]) / (x[-1] - x[0])\n    return float((y[0] - s * x[0]) / s), float(s)")),
        ("x regressed on y (axes swapped)", _schild(
            "    x = np.log10(np.asarray(antagonist_nM) * 1e-9)\n"
            "    y = np.log10(np.asarray(dose_ratios) - 1)\n"
            "    a, b = np.polyfit(y, x, 1)\n    return float(-b), float(1 / a)")),
    ],
    "q4b_tests": [
        ("dose ratios inverted (control over treated)", _schild(
            "    x = np.log10(np.asarray(antagonist_nM) * 1e-9)\n"
            "    s, c = np.polyfit(x, np.log10(np.asarray(dose_ratios) - 1), 1)\n    return c / s, s",
            "data_dose_ratios = ec50_nM[0] / ec50_nM[1:]\n"
            "data_pA2, data_slope = 9.9, 1.0")),
        ("control curve included as a Schild point", _schild(
            "    x = np.log10(np.asarray(antagonist_nM) * 1e-9)\n"
            "    s, c = np.polyfit(x, np.log10(np.asarray(dose_ratios) - 1), 1)\n    return c / s, s",
            "data_dose_ratios = ec50_nM / ec50_nM[0]\n"
            "data_pA2, data_slope = schild_fit(antagonist_nM, data_dose_ratios[1:])")),
        ("true pKB typed in instead of fitting", _schild(
            "    x = np.log10(np.asarray(antagonist_nM) * 1e-9)\n"
            "    s, c = np.polyfit(x, np.log10(np.asarray(dose_ratios) - 1), 1)\n    return c / s, s",
            "data_dose_ratios = ec50_nM[1:] / ec50_nM[0]\n"
            "data_pA2, data_slope = 9.96, 1.0")),
    ],
    "q5_tests": [
        ("target x Ki instead of target/(1 - target) x Ki",
         {"q5_selectivity": "ntx_for_target_mu_nM = target_mu_occupancy * ki_nM('naltrexone', 'mu')\n"
                            "kappa_occupancy_at_target = occupancy(ntx_for_target_mu_nM, ki_nM('naltrexone', 'kappa'))\n"
                            "delta_occupancy_at_target = occupancy(ntx_for_target_mu_nM, ki_nM('naltrexone', 'delta'))"}),
        ("percent instead of fraction",
         {"q5_selectivity": "ntx_for_target_mu_nM = target_mu_occupancy / (1 - target_mu_occupancy) * ki_nM('naltrexone', 'mu')\n"
                            "kappa_occupancy_at_target = 100 * occupancy(ntx_for_target_mu_nM, ki_nM('naltrexone', 'kappa'))\n"
                            "delta_occupancy_at_target = 100 * occupancy(ntx_for_target_mu_nM, ki_nM('naltrexone', 'delta'))"}),
        ("mu Ki used for every receptor",
         {"q5_selectivity": "ntx_for_target_mu_nM = target_mu_occupancy / (1 - target_mu_occupancy) * ki_nM('naltrexone', 'mu')\n"
                            "kappa_occupancy_at_target = target_mu_occupancy\ndelta_occupancy_at_target = target_mu_occupancy"}),
        # written out without occupancy(): graded in one round with a question-1 misconception,
        # a call to occupancy() would carry that round's wrong occupancy() into this answer
        ("kappa and delta swapped",
         {"q5_selectivity": "ntx_for_target_mu_nM = target_mu_occupancy / (1 - target_mu_occupancy) * ki_nM('naltrexone', 'mu')\n"
                            "kappa_occupancy_at_target = ntx_for_target_mu_nM / (ntx_for_target_mu_nM + ki_nM('naltrexone', 'delta'))\n"
                            "delta_occupancy_at_target = ntx_for_target_mu_nM / (ntx_for_target_mu_nM + ki_nM('naltrexone', 'kappa'))"}),
        ("the public version's target (0.889) typed in, not the student's own",
         {"q5_selectivity": "ntx_for_target_mu_nM = 0.889 / (1 - 0.889) * ki_nM('naltrexone', 'mu')\n"
                            "kappa_occupancy_at_target = occupancy(ntx_for_target_mu_nM, ki_nM('naltrexone', 'kappa'))\n"
                            "delta_occupancy_at_target = occupancy(ntx_for_target_mu_nM, ki_nM('naltrexone', 'delta'))"}),
    ],
}


#: Mistakes marked once (issue 17): alone in a notebook, each costs points in its own question
#: only; question 4b grades the data handling with the student's own schild_fit, and question 5
#: takes the occupancies the student's own occupancy() gives (error carried forward).
#: Entries: (test-cell grade_id, label of MISCONCEPTIONS[grade_id]).
MARKED_ONCE = [
    ("q1_tests", "Hill coefficient 2 slipped in"),
    ("q1_tests", "free fraction Kd/(C+Kd) instead of occupancy"),
    ("q4a_tests", "B left in nM"),
    ("q4a_tests", "x-intercept without the sign change"),
]


#: Correct answers written differently from the solution, which must keep full marks.
CORRECT_VARIANTS = {
    "q4a_tests": [
        ("least squares in closed form, no polyfit", _schild(
            "    x = np.log10(np.asarray(antagonist_nM, dtype=float) * 1e-9)\n"
            "    y = np.log10(np.asarray(dose_ratios, dtype=float) - 1)\n"
            "    s = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)\n"
            "    return float((y.mean() - s * x.mean()) / s), float(s)")),
    ],
}
