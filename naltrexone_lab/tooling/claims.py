"""The claims of the course's two source texts, each with the chapter section that examines it.

The source texts (``../shared/seeds/`` of the course's authors: seed 000, "naltrexone and
dopamine"; seed 004, "low-dose naltrexone for depression") tell the story the course makes
quantitative. Each :class:`Claim` quotes one claim sentence word for word and names the notebook
and the section heading (without the leading ``#``) where a learner tests it. A claim no chapter
examines yet has ``notebook`` and ``section`` set to None, so the gaps stay visible.
``tests/test_claims.py`` checks that every named section exists in its notebook. Headings of the
source texts, framing sentences and unrelated links at their ends are not claims.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CLAIMS", "Claim", "unexamined"]


@dataclass(frozen=True)
class Claim:
    """One claim sentence of a source text.

    Attributes
    ----------
    seed : str
        "000" (naltrexone and dopamine) or "004" (low-dose naltrexone for depression).
    text : str
        The sentence, quoted exactly.
    notebook : str or None
        Course notebook (path from the course root) that examines it.
    section : str or None
        Heading of the section that examines it, as written in the notebook without the ``#``.
    """

    seed: str
    text: str
    notebook: str | None
    section: str | None


CLAIMS = (
    Claim('000',
          ('Naltrexone is a medication primarily used in the treatment of addiction, helping'
           ' individuals maintain abstinence from opioids and alcohol.'),
          'course/08_learning_craving_alcohol.ipynb',
          '3. What the trials found'),
    Claim('000',
          ('The drug acts upon the brain’s natural internal opioid system, which is closely '
           'intertwined with the reward circuitry.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '1. The brake: a circuit in four equations'),
    Claim('000',
          ('Naltrexone functions as an opioid antagonist, meaning it blocks the effects of '
           'opioids in the body without activating the receptors itself.'),
          'course/01_opioid_antagonism.ipynb',
          '3. The key that does not turn: affinity is not efficacy'),
    Claim('000',
          ('It works by competitively binding to the opioid receptors found throughout the '
           'central nervous system.'),
          'course/01_opioid_antagonism.ipynb',
          '2. Naltrexone shifts the curve'),
    Claim('000',
          ('These receptors are the same sites that are normally activated by the body’s '
           'natural opioids, called endorphins, or by external drugs like heroin and '
           'prescription painkillers.'),
          'course/08_learning_craving_alcohol.ipynb',
          "1. Alcohol's dopamine rise goes partly through opioid receptors"),
    Claim('000',
          ('The medication has a high affinity for the mu opioid receptor, which is the '
           'primary site responsible for the euphoric and reinforcing effects of most '
           'opioids.'),
          'course/01_opioid_antagonism.ipynb',
          '4. Selectivity: mu first, but not mu only'),
    Claim('000',
          ('Naltrexone essentially acts like a key that fits into the receptor’s lock but '
           'cannot turn it, thus preventing the actual, functional key (the opioid molecule)'
           ' from entering and causing a reaction.'),
          'course/01_opioid_antagonism.ipynb',
          '3. The key that does not turn: affinity is not efficacy'),
    Claim('000',
          ('This competitive binding also extends to the kappa and delta opioid receptors, '
           'though to a lesser degree.'),
          'course/01_opioid_antagonism.ipynb',
          '4. Selectivity: mu first, but not mu only'),
    Claim('000',
          ('By occupying these receptor sites, naltrexone prevents any incoming opioid from '
           'triggering the downstream biochemical cascade.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '2. Naltrexone versus an opioid challenge'),
    Claim('000',
          ('This blockade is the foundation of its use in addiction treatment, as it removes'
           ' the ability of external opioids to produce a “high.”'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '2. Naltrexone versus an opioid challenge'),
    Claim('000',
          ('Dopamine is the main neurotransmitter driving the brain’s reward system, a '
           'network of neurons known as the mesolimbic pathway.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '1. The brake: a circuit in four equations'),
    Claim('000',
          ('This pathway originates in the ventral tegmental area (VTA) and projects to the '
           'nucleus accumbens (NAc).'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '1. The brake: a circuit in four equations'),
    Claim('000',
          ('When survival behaviors like eating or socializing occur, dopamine is released '
           'in the NAc, creating feelings of pleasure that reinforce the behavior.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '1. The brake: a circuit in four equations'),
    Claim('000',
          ('Opioids hijack this natural system by indirectly causing a massive surge of '
           'dopamine release.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '1. The brake: a circuit in four equations'),
    Claim('000',
          ('They do this by binding to opioid receptors located on inhibitory neurons, '
           'specifically GABAergic interneurons, within the VTA.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '1. The brake: a circuit in four equations'),
    Claim('000',
          'GABA neurons normally act as a “brake” on the dopamine-producing cells.',
          'course/03_mesolimbic_disinhibition.ipynb',
          '1. The brake: a circuit in four equations'),
    Claim('000',
          ('When opioids bind to these inhibitory GABA neurons, they suppress the GABA '
           'release, effectively removing the “brake” on the dopamine cells.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '1. The brake: a circuit in four equations'),
    Claim('000',
          ('This disinhibition allows the dopamine-producing neurons to fire more actively '
           'than usual, leading to a large, artificial release of dopamine into the NAc.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '1. The brake: a circuit in four equations'),
    Claim('000',
          ('This excessive dopamine release creates the intense euphoria associated with '
           'drug use.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '1. The brake: a circuit in four equations'),
    Claim('000',
          ('In standard clinical doses for addiction treatment, naltrexone does not directly'
           ' increase dopamine levels.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '2. Naltrexone versus an opioid challenge'),
    Claim('000',
          'Instead, its primary function is preventative and stabilizing.',
          'course/03_mesolimbic_disinhibition.ipynb',
          '2. Naltrexone versus an opioid challenge'),
    Claim('000',
          ('By blocking the mu opioid receptors, naltrexone prevents external opioids from '
           'initiating the disinhibition cascade that causes the massive, artificial '
           'dopamine spike.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '2. Naltrexone versus an opioid challenge'),
    Claim('000',
          ('The medication’s long-term impact is aimed at restoring the balance of the '
           'mesolimbic reward system.'),
          'course/04_dopamine_crash_upregulation.ipynb',
          '1. Surge and crash: the opponent process'),
    Claim('000',
          ('Blocking the exaggerated dopamine surge caused by drug use also prevents the '
           'subsequent neurochemical “crash.” This crash, characterized by low dopamine '
           'levels, is linked to the intense cravings and negative mood states experienced '
           'during withdrawal.'),
          'course/04_dopamine_crash_upregulation.ipynb',
          '1. Surge and crash: the opponent process'),
    Claim('000',
          ('By removing the ability of external opioids to produce the reinforcing pleasure '
           'signal, naltrexone diminishes the reward value of the substance.'),
          'course/08_learning_craving_alcohol.ipynb',
          "1. Alcohol's dopamine rise goes partly through opioid receptors"),
    Claim('000',
          'This modulation helps reduce conditioned responses and cravings.',
          'course/08_learning_craving_alcohol.ipynb',
          '2. Craving as a learned value: the Rescorla-Wagner rule'),
    Claim('000',
          ('Over time, the continuous receptor blockade may allow the brain’s dopamine '
           'receptors to regain sensitivity, a process known as upregulation.'),
          'course/04_dopamine_crash_upregulation.ipynb',
          '2. Receptors going up and down'),
    Claim('000',
          ('Some studies suggest that chronic naltrexone use may slightly reduce baseline '
           'dopamine release, but its overall benefit in stabilizing the system outweighs '
           'this effect.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '2. Naltrexone versus an opioid challenge'),
    Claim('000',
          ('The stabilization of mood and reward circuitry is often observed in patients '
           'treated with extended-release naltrexone.'),
          'course/04_dopamine_crash_upregulation.ipynb',
          'What the evidence says'),
    Claim('000',
          ('The effect of naltrexone on the dopamine system differs significantly when the '
           'drug is used in a much smaller dose, known as low-dose naltrexone (LDN).'),
          'course/02_pharmacokinetics_occupancy.ipynb',
          '4. What does "transient blockade" mean?'),
    Claim('000',
          ('This low-dose regimen is used off-label for conditions not related to addiction,'
           ' such as chronic pain and autoimmune disorders.'),
          'course/07_evidence_and_safety.ipynb',
          '3. Side effects, contraindications and cautions'),
    Claim('000',
          'The mechanism of LDN is based on a hypothesized temporary receptor blockade.',
          'course/02_pharmacokinetics_occupancy.ipynb',
          '4. What does "transient blockade" mean?'),
    Claim('000',
          ('The temporary blockade of opioid receptors by LDN is thought to stimulate a '
           'compensatory “rebound” effect in the body.'),
          'course/05_ldn_rebound.ipynb',
          '1. Transient versus continuous blockade'),
    Claim('000',
          ('This rebound involves an increased production of the body’s natural opioids, or '
           'endorphins, and an enhanced sensitivity of the opioid receptors.'),
          'course/05_ldn_rebound.ipynb',
          '2. Where does a rebound exist?'),
    Claim('000',
          ('This temporary increase in natural opioid signaling is believed to contribute to'
           ' anti-inflammatory and pain-relieving effects.'),
          'course/06_tlr4_glial_modulation.ipynb',
          'What the evidence says'),
    Claim('000',
          ('While the primary mechanisms of LDN are focused on modulating the immune system '
           'and increasing natural endorphins, this enhanced endogenous opioid activity can '
           'indirectly influence the dopamine pathway.'),
          'course/06_tlr4_glial_modulation.ipynb',
          '1. Microglia on a slider'),
    Claim('000',
          ('The temporary surge in endorphins may lead to a subsequent, subtle alteration in'
           ' dopamine signaling, which some researchers associate with improved mood and '
           'motivation observed in certain chronic conditions.'),
          'course/05_ldn_rebound.ipynb',
          'What the evidence says'),
    Claim('004',
          ('Naltrexone is a medication primarily recognized for its role in treating '
           'substance use disorders.'),
          'course/08_learning_craving_alcohol.ipynb',
          '3. What the trials found'),
    Claim('004',
          ('It holds approval from the U.S. Food and Drug Administration (FDA) for managing '
           'both opioid use disorder and alcohol use disorder.'),
          'course/08_learning_craving_alcohol.ipynb',
          '3. What the trials found'),
    Claim('004',
          ('In these contexts, it helps reduce cravings and blocks the euphoric effects of '
           'opioids and alcohol.'),
          'course/08_learning_craving_alcohol.ipynb',
          "1. Alcohol's dopamine rise goes partly through opioid receptors"),
    Claim('004',
          ('Beyond its established applications, naltrexone is also being explored as an '
           'off-label treatment for various other conditions, including depression.'),
          'course/07_evidence_and_safety.ipynb',
          'What the evidence says'),
    Claim('004',
          ('The human body has an endogenous opioid system that regulates pain relief, '
           'reward processing, and mood.'),
          'course/05_ldn_rebound.ipynb',
          'What the evidence says'),
    Claim('004',
          ('This system involves opioid receptors throughout the central and peripheral '
           'nervous systems, activated by natural opioid peptides like endorphins, '
           'enkephalins, and dynorphins.'),
          'course/01_opioid_antagonism.ipynb',
          '4. Selectivity: mu first, but not mu only'),
    Claim('004',
          ('Endorphins, for example, are linked to pain inhibition, stress response, and '
           'rewarding experiences.'),
          'course/05_ldn_rebound.ipynb',
          'What the evidence says'),
    Claim('004',
          ('Naltrexone functions as an opioid antagonist, blocking opioid receptors, '
           'primarily the mu-opioid receptor, and to a lesser extent, kappa and delta '
           'receptors.'),
          'course/01_opioid_antagonism.ipynb',
          '4. Selectivity: mu first, but not mu only'),
    Claim('004',
          ('In standard use, this blockade prevents external opioids from producing their '
           'effects.'),
          'course/03_mesolimbic_disinhibition.ipynb',
          '2. Naltrexone versus an opioid challenge'),
    Claim('004',
          ('A primary theory suggests that by temporarily blocking these receptors, the body'
           ' may increase its natural endorphin production and enhance receptor sensitivity.'),
          'course/05_ldn_rebound.ipynb',
          '2. Where does a rebound exist?'),
    Claim('004',
          ('This compensatory mechanism could upregulate the body’s own mood-regulating '
           'chemicals.'),
          'course/05_ldn_rebound.ipynb',
          '2. Where does a rebound exist?'),
    Claim('004',
          ('Naltrexone for depression uses a different approach than its standard addiction '
           'treatment.'),
          'course/02_pharmacokinetics_occupancy.ipynb',
          '4. What does "transient blockade" mean?'),
    Claim('004',
          ('Typical doses for opioid and alcohol use disorder range from 50 mg to 100 mg '
           'daily, but low-dose naltrexone (LDN) uses much smaller doses, generally 0.5 mg '
           'to 4.5 mg.'),
          'course/02_pharmacokinetics_occupancy.ipynb',
          '4. What does "transient blockade" mean?'),
    Claim('004',
          ('This lower dosage creates a transient, intermittent blockade of opioid '
           'receptors, rather than a continuous one.'),
          'course/02_pharmacokinetics_occupancy.ipynb',
          '4. What does "transient blockade" mean?'),
    Claim('004',
          ('This brief blockade is hypothesized to stimulate a rebound increase in '
           'endogenous opioid production, potentially improving mood and well-being.'),
          'course/05_ldn_rebound.ipynb',
          '1. Transient versus continuous blockade'),
    Claim('004',
          'Beyond opioid receptor interaction, LDN may also act as a glial cell modulator.',
          'course/06_tlr4_glial_modulation.ipynb',
          '1. Microglia on a slider'),
    Claim('004',
          ('Glial cells, especially microglia, are central nervous system immune cells that '
           'contribute to neuroinflammation when overactive.'),
          'course/06_tlr4_glial_modulation.ipynb',
          '1. Microglia on a slider'),
    Claim('004',
          ('Research indicates low-dose naltrexone can suppress microglial activation by '
           'blocking Toll-like receptor 4 (TLR4).'),
          'course/06_tlr4_glial_modulation.ipynb',
          '1. Microglia on a slider'),
    Claim('004',
          ('By attenuating pro-inflammatory cytokine release, LDN may reduce '
           'neuroinflammation, a factor linked to depressive symptoms.'),
          'course/06_tlr4_glial_modulation.ipynb',
          '2. Mind the gap'),
    Claim('004',
          ('Current scientific evidence for low-dose naltrexone in depression is preliminary'
           ' and remains an off-label use.'),
          'course/07_evidence_and_safety.ipynb',
          'What the evidence says'),
    Claim('004',
          ('Most available research consists of smaller studies or case reports, '
           'highlighting the need for larger clinical trials.'),
          'course/07_evidence_and_safety.ipynb',
          'What the evidence says'),
    Claim('004',
          ('One randomized, placebo-controlled pilot study investigated LDN as an '
           'augmentative treatment for major depressive disorder in patients with '
           'breakthrough symptoms on antidepressants.'),
          'course/07_evidence_and_safety.ipynb',
          '1. How big must a trial be?'),
    Claim('004',
          ('This trial, involving 12 adults, found that 1 mg twice-daily LDN showed some '
           'benefit in improving depression scores over three weeks compared to placebo.'),
          'course/07_evidence_and_safety.ipynb',
          '1. How big must a trial be?'),
    Claim('004',
          ('LDN may offer benefits, particularly for individuals with treatment-resistant '
           'depression or those with an inflammatory component.'),
          'course/07_evidence_and_safety.ipynb',
          'What the evidence says'),
    Claim('004',
          ('Studies on chronic pain conditions like fibromyalgia, which often overlap with '
           'depressive symptoms, have noted mood improvements alongside pain reduction with '
           'LDN.'),
          'course/06_tlr4_glial_modulation.ipynb',
          'What the evidence says'),
    Claim('004',
          ('While promising, the overall evidence for LDN as a standalone or primary '
           'depression treatment is not yet robust enough for widespread recommendation.'),
          'course/07_evidence_and_safety.ipynb',
          'What the evidence says'),
    Claim('004',
          ('Further rigorous research is necessary to confirm its efficacy and establish '
           'optimal dosing strategies.'),
          'course/07_evidence_and_safety.ipynb',
          'What the evidence says'),
    Claim('004',
          ('Low-dose naltrexone is generally well-tolerated, with mild and transient side '
           'effects.'),
          'course/07_evidence_and_safety.ipynb',
          '3. Side effects, contraindications and cautions'),
    Claim('004',
          ('Common effects include vivid dreams, initial insomnia, headache, and occasional '
           'gastrointestinal upset like nausea or diarrhea.'),
          'course/07_evidence_and_safety.ipynb',
          '3. Side effects, contraindications and cautions'),
    Claim('004',
          ('These often diminish as the body adjusts or can be managed by gradually '
           'adjusting the dosage.'),
          'course/07_evidence_and_safety.ipynb',
          '3. Side effects, contraindications and cautions'),
    Claim('004',
          ('A significant contraindication for LDN is its use in individuals taking opioid '
           'medications, including narcotic pain relievers.'),
          'course/07_evidence_and_safety.ipynb',
          '2. Precipitated withdrawal'),
    Claim('004',
          ('Because naltrexone blocks opioid receptors, combining it with opioids can '
           'precipitate severe withdrawal symptoms.'),
          'course/07_evidence_and_safety.ipynb',
          '2. Precipitated withdrawal'),
    Claim('004',
          ('Patients should also exercise caution with severe liver disease or '
           'immunosuppressive medications, as LDN may interfere.'),
          'course/07_evidence_and_safety.ipynb',
          '3. Side effects, contraindications and cautions'),
    Claim('004',
          ('Since LDN is an off-label treatment, it requires a prescription from a '
           'knowledgeable physician.'),
          'course/07_evidence_and_safety.ipynb',
          '3. Side effects, contraindications and cautions'),
    Claim('004',
          ('Due to specific low dosages, it is typically prepared by a compounding pharmacy,'
           ' which customizes the medication to the precise dose needed.'),
          'course/07_evidence_and_safety.ipynb',
          '3. Side effects, contraindications and cautions'),
)


def unexamined() -> list[Claim]:
    """The claims no chapter examines yet."""
    return [c for c in CLAIMS if c.section is None]
