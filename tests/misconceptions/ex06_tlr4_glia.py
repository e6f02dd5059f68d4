"""Wrong answers students really give in exercise 6; each must lose its question's points.

Keys are test-cell grade_ids; each value lists (label, {answer-cell grade_id: replacement}).
"""

_Q1 = "def tlr4_inhibition(conc_nM, ic50_uM, hill=1.0):\n    c = np.asarray(conc_nM, dtype=float)\n"
_Q3 = "def mediator_steady_state(stimulus, inhibition, trif_share, max_fold, amplification):\n    s, w = stimulus, trif_share\n"
_Q3_OK = ("    drive = w * s * (1.0 - inhibition) + (1.0 - w) * s\n"
          "    return 1.0 + (max_fold - 1.0) * drive * (1.0 + amplification * s) / (1.0 + amplification)\n")

MISCONCEPTIONS = {
    "q1_tests": [
        ("IC50 left in uM against a concentration in nM", {"q1_curve": _Q1 + "    return c ** hill / (c ** hill + ic50_uM ** hill)\n"}),
        ("activity left (1 - I) instead of inhibition",
         {"q1_curve": _Q1 + "    return 1 - c ** hill / (c ** hill + (1000 * ic50_uM) ** hill)\n"}),
        ("Hill coefficient on the concentration only",
         {"q1_curve": _Q1 + "    return c ** hill / (c ** hill + 1000 * ic50_uM)\n"}),
        ("uM converted the wrong way (divided by 1000)",
         {"q1_curve": _Q1 + "    return c ** hill / (c ** hill + (ic50_uM / 1000) ** hill)\n"}),
    ],
    "q2_tests": [
        ("ng/mL taken as nM", {"q2_ldn": "\nldn_peak_nM = LDN_PEAK_NG_PER_ML\n"
                                         "ldn_inhibition_percent = {ic: 100.0 * float(tlr4_inhibition(ldn_peak_nM, ic)) for ic in (10.0, 50.0, 200.0)}\n"}),
        ("molar mass multiplied instead of divided", {"q2_ldn": "\nldn_peak_nM = LDN_PEAK_NG_PER_ML * NALTREXONE_G_PER_MOL / 1000.0\n"
                                                                 "ldn_inhibition_percent = {ic: 100.0 * float(tlr4_inhibition(ldn_peak_nM, ic)) for ic in (10.0, 50.0, 200.0)}\n"}),
        ("a fraction instead of a percent", {"q2_ldn": "\nldn_peak_nM = LDN_PEAK_NG_PER_ML / NALTREXONE_G_PER_MOL * 1000.0\n"
                                                       "ldn_inhibition_percent = {ic: float(tlr4_inhibition(ldn_peak_nM, ic)) for ic in (10.0, 50.0, 200.0)}\n"}),
        ("one IC50 taken in the wrong unit (50 uM read as 100 uM)",
         {"q2_ldn": "\nldn_peak_nM = LDN_PEAK_NG_PER_ML / NALTREXONE_G_PER_MOL * 1000.0\n"
                    "ldn_inhibition_percent = {ic: 100.0 * float(tlr4_inhibition(ldn_peak_nM, 100.0 if ic == 50.0 else ic))"
                    " for ic in (10.0, 50.0, 200.0)}\n"}),
        ("the public version's dose (2.5 mg) and its results typed in, not the student's own",
         {"q2_ldn": "\nldn_peak_nM = 1.919\n"
                    "ldn_inhibition_percent = {10.0: 0.01919, 50.0: 0.003838, 200.0: 0.0009595}\n"}),
    ],
    "q3_tests": [
        ("inhibition applied to the whole drive", {"q3_steady": _Q3 + "    drive = s * (1.0 - inhibition)\n"
                                                   "    return 1.0 + (max_fold - 1.0) * drive * (1.0 + amplification * s) / (1.0 + amplification)\n"}),
        ("TRIF share inverted", {"q3_steady": _Q3 + "    drive = (1.0 - w) * s * (1.0 - inhibition) + w * s\n"
                                 "    return 1.0 + (max_fold - 1.0) * drive * (1.0 + amplification * s) / (1.0 + amplification)\n"}),
        ("amplification not normalised", {"q3_steady": _Q3 + "    drive = w * s * (1.0 - inhibition) + (1.0 - w) * s\n"
                                          "    return 1.0 + (max_fold - 1.0) * drive * (1.0 + amplification * s)\n"}),
        ("max_fold used as the rise (no minus one)", {"q3_steady": _Q3 + "    drive = w * s * (1.0 - inhibition) + (1.0 - w) * s\n"
                                                      "    return 1.0 + max_fold * drive * (1.0 + amplification * s) / (1.0 + amplification)\n"}),
    ],
    "q4_tests": [
        ("ntx_uM entered as nM (no factor 1000)", {"q4_fold": '''
_p = GliaParameters()
_inh = float(tlr4_inhibition(ntx_uM, _p.ic50_uM))
tnf_fold = (mediator_steady_state(tlr4_stimulus, _inh, 0.5, 20.0, 1.0)
            / mediator_steady_state(tlr4_stimulus, 0.0, 0.5, 20.0, 1.0))
il1b_fold = 1.0
'''}),
        ("mediators swapped", {"q4_fold": '''
_p = GliaParameters()
_inh = float(tlr4_inhibition(ntx_uM * 1000.0, _p.ic50_uM))
il1b_fold = (mediator_steady_state(tlr4_stimulus, _inh, 0.5, 20.0, 1.0)
             / mediator_steady_state(tlr4_stimulus, 0.0, 0.5, 20.0, 1.0))
tnf_fold = 1.0
'''}),
        ("percent change reported instead of a ratio", {"q4_fold": '''
_p = GliaParameters()
_inh = float(tlr4_inhibition(ntx_uM * 1000.0, _p.ic50_uM))
tnf_fold = 100 * (mediator_steady_state(tlr4_stimulus, _inh, 0.5, 20.0, 1.0)
                  / mediator_steady_state(tlr4_stimulus, 0.0, 0.5, 20.0, 1.0) - 1)
il1b_fold = 1.0
'''}),
        ("the public version's result (stimulus 0.78, 200 uM) typed in, not the student's own",
         {"q4_fold": "tnf_fold = 0.6282\nil1b_fold = 1.0\n"}),
    ],
}

CORRECT_VARIANTS = {
    "q2_tests": [("molar mass typed as 341 g/mol", {"q2_ldn": "\nldn_peak_nM = LDN_PEAK_NG_PER_ML / 341 * 1000.0\n"
                  "ldn_inhibition_percent = {ic: 100.0 * float(tlr4_inhibition(ldn_peak_nM, ic)) for ic in (10.0, 50.0, 200.0)}\n"})],
}


#: Mistakes marked once (issue 17): alone in a notebook, each costs points in its own question
#: only; questions 2 and 4 take the percents and folds the student's own tlr4_inhibition gives
#: (error carried forward). Entries: (test-cell grade_id, label of MISCONCEPTIONS[grade_id]).
MARKED_ONCE = [
    ("q1_tests", "IC50 left in uM against a concentration in nM"),
    ("q1_tests", "activity left (1 - I) instead of inhibition"),
    ("q1_tests", "uM converted the wrong way (divided by 1000)"),
]
