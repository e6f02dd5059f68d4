"""Wrong answers students really give in exercise 8; each must lose its question's points.

Keys are test-cell grade_ids; each value lists (label, {answer-cell grade_id: replacement}).
``CORRECT_VARIANTS`` (same structure) holds correct answers written differently from the
solution; each must keep full marks (tests/test_correct_variants.py).
"""

_RW = "def rw_update(value, reward, learning_rate, weight=1.0):\n    value = np.asarray(value, dtype=float)\n"

_ACQ = '''def acquisition_curve(n_trials, learning_rate):
    return 1.0 - (1.0 - learning_rate) ** np.arange({start}, n_trials + 1)


def trials_to_reach(target, learning_rate):
    {body}


trials_to_target = {trials}
'''
_REACH_OK = "return int(math.ceil(math.log(1 - target) / math.log(1 - learning_rate) - 1e-9))"
_TRIALS = "trials_to_reach(acquisition_target, cue_learning_rate)"

_REWARD = '''def reward_with_naltrexone(dose_mg):
    occ = {occ}
    return {ret}


reward_at_dose = {dose_reward}
'''
_OCC = "naltrexone_trough_occupancy(dose_mg)"
_RET = "float(alcohol_dopamine_rise(occ) / alcohol_dopamine_rise(0.0))"
_DOSE_REWARD = "reward_with_naltrexone(daily_dose_mg)"

_EXT = '''def value_after_extinction(v0, reward, learning_rate, n_trials):
    return {ret}


drinks_to_halve_craving = next(n for n in range(10_000)
                               if value_after_extinction(1.0, reward_at_dose, cue_learning_rate, n) {cmp} 0.5)
'''
_EXT_OK = "reward + (v0 - reward) * (1.0 - learning_rate) ** n_trials"

_NNT = '''def nnt(control_risk, relative_risk):
    return {ret}


_rr_heavy = next(e.value for e in CLINICAL_EFFECTS
                 if e.source.startswith("Rösner") and e.outcome == "return to heavy drinking")
nnt_heavy_drinking = {answer}
'''
_NNT_OK = "1.0 / (control_risk * (1.0 - relative_risk))"
_PC = "placebo_heavy_drinking_risk"


def _nnt(ret: str, pc: str = _PC, answer: str = "nnt({pc}, _rr_heavy)") -> dict:
    return {"q5_nnt": _NNT.format(ret=ret, answer=answer.format(pc=pc))}


MISCONCEPTIONS = {
    "q1_tests": [
        ("weight ignored (every day a full trial)", {"q1_rw": _RW + "    return value + learning_rate * (reward - value)\n"}),
        ("prediction error with the sign flipped", {"q1_rw": _RW + "    return value + learning_rate * weight * (value - reward)\n"}),
        ("value replaced by the step (V' = alpha (r - V))", {"q1_rw": _RW + "    return learning_rate * weight * (reward - value)\n"}),
        ("reward added without the prediction error", {"q1_rw": _RW + "    return value + learning_rate * weight * reward\n"}),
    ],
    "q2_tests": [
        ("one trial too many when the target is met exactly (V > target)",
         {"q2_acquire": _ACQ.format(start=0, trials=_TRIALS,
                                    body="return int(math.log(1 - target) / math.log(1 - learning_rate)) + 1")}),
        ("V_0 left out of the curve (n values instead of n + 1)",
         {"q2_acquire": _ACQ.format(start=1, body=_REACH_OK, trials=_TRIALS)}),
        ("trials rounded down instead of up",
         {"q2_acquire": _ACQ.format(start=0, body="return int(math.log(1 - target) / math.log(1 - learning_rate))",
                                 trials=_TRIALS)}),
        ("log of the target instead of log(1 - target)",
         {"q2_acquire": _ACQ.format(start=0, body="return int(math.ceil(math.log(target) / math.log(1 - learning_rate)))",
                                 trials=_TRIALS)}),
        ("target over the learning rate (linear learning)",
         {"q2_acquire": _ACQ.format(start=0, body="return int(math.ceil(target / learning_rate))", trials=_TRIALS)}),
        ("the public version's trial count (6) typed in, not the student's own",
         {"q2_acquire": _ACQ.format(start=0, body=_REACH_OK, trials="6")}),
    ],
    "q3_tests": [
        ("reward taken to be 1 - occupancy (all of the rise opioid)",
         {"q3_reward": _REWARD.format(occ=_OCC, ret="1.0 - occ", dose_reward=_DOSE_REWARD)}),
        ("peak occupancy (99%) used instead of the trough",
         {"q3_reward": _REWARD.format(occ="0.99 if dose_mg > 0 else 0.0", ret=_RET, dose_reward=_DOSE_REWARD)}),
        ("rise read as % of baseline (140) instead of % points above it",
         {"q3_reward": _REWARD.format(occ=_OCC, ret="float((100 + alcohol_dopamine_rise(occ)) / (100 + alcohol_dopamine_rise(0.0)))", dose_reward=_DOSE_REWARD)}),
        ("occupancy as a percentage passed to the model",
         {"q3_reward": _REWARD.format(occ=_OCC, ret="float(alcohol_dopamine_rise(min(occ * 100, 0.999)) / alcohol_dopamine_rise(0.0))", dose_reward=_DOSE_REWARD)}),
        ("the public version's reward (25 mg/day, 0.338) typed in, not the student's own",
         {"q3_reward": _REWARD.format(occ=_OCC, ret=_RET, dose_reward="0.338")}),
    ],
    "q4_tests": [
        ("extinction towards 0 (the reduced reward forgotten)",
         {"q4_extinct": _EXT.format(ret="v0 * (1.0 - learning_rate) ** n_trials", cmp="<=")}),
        ("alpha used as the share kept, not learned",
         {"q4_extinct": _EXT.format(ret="reward + (v0 - reward) * learning_rate ** n_trials", cmp="<=")}),
        ("values V_0 to V_n counted instead of trials (one too many)",
         {"q4_extinct": _EXT.format(ret=_EXT_OK, cmp="<") + "\ndrinks_to_halve_craving += 1\n"}),
        ("the public version's drink count (5) typed in, not the student's own",
         {"q4_extinct": _EXT.format(ret=_EXT_OK, cmp="<=") + "\ndrinks_to_halve_craving = 5\n"}),
    ],
    "q5_tests": [
        ("placebo risk forgotten: 1 / (1 - RR)", _nnt("1.0 / (1.0 - relative_risk)")),
        ("relative risk used as the risk difference", _nnt("1.0 / (control_risk * relative_risk)")),
        ("placebo risk entered as a percentage", _nnt(_NNT_OK, pc="100 * placebo_heavy_drinking_risk")),
        ("NNT taken as the risk difference itself", _nnt("control_risk * (1.0 - relative_risk)")),
        ("the public version's NNT (placebo risk 0.69) typed in, not the student's own", _nnt(_NNT_OK, answer="8.53")),
    ],
}

CORRECT_VARIANTS = {
    "q1_tests": [("rearranged: (1 - alpha w) V + alpha w r",
                  {"q1_rw": _RW + "    return (1 - learning_rate * weight) * value + learning_rate * weight * reward\n"})],
    "q2_tests": [("closed form with ceil for the count", {"q2_acquire": _ACQ.format(start=0, body=_REACH_OK, trials=_TRIALS)})],
    "q3_tests": [("rises computed once with a numpy array",
                  {"q3_reward": _REWARD.format(
                      occ=_OCC, ret="float(np.divide(*alcohol_dopamine_rise(np.array([occ, 0.0]))))",
                      dose_reward=_DOSE_REWARD)})],
    "q4_tests": [("loop of Rescorla-Wagner steps", {"q4_extinct": '''def value_after_extinction(v0, reward, learning_rate, n_trials):
    v = v0
    for _ in range(n_trials):
        v = rw_update(v, reward, learning_rate)
    return float(v)


drinks_to_halve_craving = 0
while value_after_extinction(1.0, reward_at_dose, cue_learning_rate, drinks_to_halve_craving) > 0.5:
    drinks_to_halve_craving += 1
'''})],
    "q5_tests": [("risk difference written out, RR rounded as quoted", {"q5_nnt": '''def nnt(control_risk, relative_risk):
    return 1.0 / (control_risk - control_risk * relative_risk)


nnt_heavy_drinking = nnt(placebo_heavy_drinking_risk, 0.83)
'''})],
}


#: Mistakes marked once (issue 17): alone in a notebook, each costs points in its own question
#: only; questions 2 and 4 judge their functions with the Rescorla-Wagner rule itself and the
#: student's numbers by the student's own rw_update (error carried forward).
#: Entries: (test-cell grade_id, label of MISCONCEPTIONS[grade_id]), optionally with correct answers
#: of other questions written another way, as (grade_id, label of CORRECT_VARIANTS[grade_id]).
MARKED_ONCE = [
    ("q1_tests", "reward added without the prediction error"),
    # the solution's own trials_to_reach loops forever on this rw_update (its value never reaches
    # the target), so question 2 is answered in closed form here; question 4 with a loop of steps
    ("q1_tests", "value replaced by the step (V' = alpha (r - V))",
     ("q2_tests", "closed form with ceil for the count"), ("q4_tests", "loop of Rescorla-Wagner steps")),
]
