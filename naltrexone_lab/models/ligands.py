"""Opioid ligands and their affinities at the mu, kappa and delta receptors.

Each affinity is a binding Ki in nM with its source and a confidence grade:

* ``H`` - read in the cited primary source or its abstract;
* ``M`` - the magnitude agrees across several sources, the exact value is from the cited work
  but was not re-read from its table;
* ``L`` - an order of magnitude, or a value derived from a published selectivity ratio.

Binding constants depend on the assay (cloned human receptor versus brain membranes, buffer ions,
temperature, radioligand), so values from different rows are not strictly comparable; the
course says so where it matters. Where no defensible value exists the receptor is simply absent,
and asking for it raises ``ValueError``.

The operational efficacy ``tau`` at mu (Black & Leff 1983) is a teaching value for one reference
tissue: its *ranking* (fentanyl > morphine > buprenorphine; antagonists 0) follows McPherson et al.
2010, its size is illustrative (confidence L).

References
----------
Chen ZR, Irvine RJ, Somogyi AA, Bochner F (1991) Life Sci 48:2165-2171 (morphine, rat brain,
[3H]DAMGO).
Volpe DA, McMahon Tobin GA, Mellon RD, et al. (2011) Regul Toxicol Pharmacol 59:385-390 (19 opioids
at recombinant human mu, one assay).
Schoffelmeer ANM, Warden G, Hogenboom F, Mulder AH (1991) J Pharmacol Exp Ther 258:237-242
(beta-endorphin, rat neocortex, 37 degC, physiological ions).
Peng X, Knapp BI, Bidlack JM, Neumeyer JL (2007) J Med Chem 50:2254-2258 (naltrexone at cloned
human receptors in CHO cells, Bidlack laboratory assays).
Yancey-Wrona JE, Raymond TJ, Mercer HK, et al. (2009) Life Sci 85:413-420 (6-beta-naltrexol kappa
and delta; its mu value of 2.12 nM is not used, see Ko et al. 2006).
Ko MCH, Divin MF, Lee H, Woods JH, Traynor JR (2006) J Pharmacol Exp Ther 316:772-779
(6-beta-naltrexol: 2-fold lower mu affinity than naltrexone in one assay; 100-fold lower in vivo
potency).
Troestheim M, Eikemo M, Haaker J, Frost JJ, Leknes S (2022) Neuropsychopharmacology,
doi:10.1038/s41386-022-01416-z (mu:delta:kappa selectivity ratios compiled for naltrexone 1:79:2
and naloxone 1:41:8).
Weerts EM, Kim YK, Wand GS, et al. (2008) Neuropsychopharmacology 33:653-665 (introduction:
met-enkephalin delta-preferring).
Ko MCH, Butelman ER, Traynor JR, Woods JH (1998) J Pharmacol Exp Ther 285:518-526 (naltrexone
apparent pA2 in rhesus monkeys).
McPherson J, Rivero G, Baptist M, et al. (2010) Mol Pharmacol 78:756-766 (relative agonist
efficacy at mu).
Black JW, Leff P (1983) Proc R Soc Lond B 220:141-162.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from .binding import hill_langmuir_occupancy, nM_from_pA2

__all__ = [
    "IN_VIVO_PA2",
    "NALTREXOL_TO_NALTREXONE_MU_KI_RATIO",
    "LIGANDS",
    "RECEPTORS",
    "Affinity",
    "InVivoPA2",
    "Ligand",
    "get_ligand",
    "ki_nM",
    "ligand_names",
    "receptor_occupancy",
]

#: The three classical opioid receptors, in the order the course always lists them.
RECEPTORS = ("mu", "kappa", "delta")


@dataclass(frozen=True)
class Affinity:
    """One binding constant.

    Attributes
    ----------
    ki_nM : float, nM
        Inhibition constant (equilibrium dissociation constant of the unlabelled ligand).
    source : str
        Author, year, journal, and the assay where known.
    confidence : str
        ``"H"``, ``"M"`` or ``"L"`` as defined in the module docstring.
    """

    ki_nM: float
    source: str
    confidence: str

    def __post_init__(self):
        if not (np.isfinite(self.ki_nM) and self.ki_nM > 0):
            raise ValueError(f"ki_nM must be finite and > 0; got {self.ki_nM!r}")
        if self.confidence not in ("H", "M", "L"):
            raise ValueError(f"confidence must be one of H, M, L; got {self.confidence!r}")


@dataclass(frozen=True)
class Ligand:
    """An opioid ligand.

    Attributes
    ----------
    name : str
        Canonical lower-case name used to look it up.
    role : str
        Pharmacological class at mu (antagonist, full/partial agonist, endogenous peptide).
    affinities : Mapping[str, Affinity]
        Receptor name -> Ki; receptors without a defensible value are absent.
    mu_tau : float, dimensionless
        Operational efficacy at mu in the course's reference tissue (teaching value, see module
        docstring); 0 for a neutral antagonist.
    mu_tau_source : str
        Where the efficacy value comes from (or why it is illustrative).
    """

    name: str
    role: str
    affinities: MappingProxyType = field(repr=False)
    mu_tau: float
    mu_tau_source: str

    def __post_init__(self):
        if not (np.isfinite(self.mu_tau) and self.mu_tau >= 0):
            raise ValueError(f"mu_tau must be finite and >= 0; got {self.mu_tau!r}")
        unknown = set(self.affinities) - set(RECEPTORS)
        if unknown:
            raise ValueError(f"affinities keys must be among {', '.join(RECEPTORS)}; got {sorted(unknown)}")

    @property
    def is_antagonist(self) -> bool:
        return self.mu_tau == 0.0

    @property
    def known_receptors(self) -> tuple[str, ...]:
        return tuple(r for r in RECEPTORS if r in self.affinities)


_TAU_RANK = ("illustrative size; ranking fentanyl > morphine > buprenorphine from McPherson et al. "
             "2010 Mol Pharmacol 78:756")
_TAU_ZERO = "neutral antagonist in the operational model (Black & Leff 1983 Proc R Soc B 220:141)"
_TAU_PEPTIDE = ("illustrative: treated as a full agonist in the reference tissue; no single "
                "measured tau (confidence L)")


def _ligand(name, role, mu_tau, tau_source, **affinities) -> Ligand:
    return Ligand(name=name, role=role, affinities=MappingProxyType(affinities), mu_tau=mu_tau,
                  mu_tau_source=tau_source)


_PENG = ("Peng et al. 2007 J Med Chem 50:2254 (Bidlack lab, cloned human receptors in CHO cells); "
         "exact value not re-read from the table")
_YW = ("Yancey-Wrona et al. 2009 Life Sci 85:413, as compiled in secondary sources; assay "
       "conditions not re-read")
#: 6-beta-naltrexol : naltrexone mu Ki ratio in one assay (monkey brain membranes), Ko MCH,
#: Divin MF, Lee H, Woods JH, Traynor JR (2006) J Pharmacol Exp Ther 316:772-779 (abstract).
NALTREXOL_TO_NALTREXONE_MU_KI_RATIO = 2.0
_KO2006 = ("Ko et al. 2006 J Pharmacol Exp Ther 316:772: 2-fold lower mu affinity than naltrexone in "
           "the same assay (monkey brain membranes), applied to this table's naltrexone Ki of "
           "0.11 nM; Yancey-Wrona et al. 2009's 2.12 nM comes from a different assay")
_VOLPE = "Volpe et al. 2011 Regul Toxicol Pharmacol 59:385 (recombinant human mu, [3H]DAMGO)"
_TROSTHEIM_NLX = ("derived: mu Ki 1.4 nM times the mu:delta:kappa ratio 1:41:8 compiled by "
                  "Troestheim et al. 2022 Neuropsychopharmacology")

#: The ligand table. Look ligands up with :func:`get_ligand`.
LIGANDS: MappingProxyType = MappingProxyType({
    lig.name: lig
    for lig in (
        _ligand(
            "naltrexone", "antagonist", 0.0, _TAU_ZERO,
            # mu graded M: a sub-nM value agrees across sources (brief: 0.1-0.5 nM); kappa L:
            # the brief's range is 0.3-5 nM, and compilations disagree.
            mu=Affinity(0.11, _PENG, "M"),
            kappa=Affinity(0.19, _PENG, "L"),
            delta=Affinity(60.0, _PENG + "; Troestheim 2022's ratio 1:79 would put it near 9 nM",
                           "L"),
        ),
        _ligand(
            "6-beta-naltrexol", "antagonist (active metabolite of naltrexone)", 0.0, _TAU_ZERO,
            # mu: Ko et al. 2006 measured both drugs in one assay (monkey brain membranes) and
            # found 6-beta-naltrexol's mu affinity 2-fold below naltrexone's; that ratio is
            # applied to this table's naltrexone Ki. Yancey-Wrona 2009's 2.12 nM, from another
            # assay, would make it 19-fold (occupancy.NALTREXOL_MU_KI_ALTERNATIVE_NM shows what
            # that gives).
            mu=Affinity(NALTREXOL_TO_NALTREXONE_MU_KI_RATIO * 0.11, _KO2006, "M"),
            kappa=Affinity(7.24, _YW, "L"),
            delta=Affinity(213.0, _YW, "L"),
        ),
        _ligand(
            "naloxone", "antagonist", 0.0, _TAU_ZERO,
            mu=Affinity(1.4, "low-nM value typical of [3H]DAMGO displacement, e.g. Raynor et al. "
                             "1994 Mol Pharmacol 45:330 (cloned receptors); value not re-read "
                             "from the table", "L"),
            kappa=Affinity(11.2, _TROSTHEIM_NLX, "L"),
            delta=Affinity(57.4, _TROSTHEIM_NLX, "L"),
        ),
        _ligand(
            "morphine", "agonist", 8.0, _TAU_RANK,
            mu=Affinity(1.2, "Chen et al. 1991 Life Sci 48:2165 (rat brain, [3H]DAMGO)", "H"),
        ),
        _ligand("fentanyl", "agonist", 40.0, _TAU_RANK, mu=Affinity(1.35, _VOLPE, "M")),
        _ligand("methadone", "agonist", 20.0, _TAU_RANK + " (methadone above morphine)",
                mu=Affinity(3.378, _VOLPE, "M")),
        _ligand("buprenorphine", "partial agonist", 1.0, _TAU_RANK, mu=Affinity(0.22, _VOLPE, "M")),
        _ligand(
            "beta-endorphin", "endogenous agonist", 20.0, _TAU_PEPTIDE,
            mu=Affinity(9.0, "Schoffelmeer et al. 1991 J Pharmacol Exp Ther 258:237 (rat "
                             "neocortex, 37 degC, physiological ions)", "H"),
            delta=Affinity(22.0, "Schoffelmeer et al. 1991 J Pharmacol Exp Ther 258:237", "H"),
        ),
        _ligand(
            "met-enkephalin", "endogenous agonist", 20.0, _TAU_PEPTIDE,
            mu=Affinity(20.0, "order of magnitude: delta-preferring about 20-fold "
                              "(Weerts et al. 2008 Neuropsychopharmacology 33:653, introduction)",
                        "L"),
            delta=Affinity(1.0, "order of magnitude: Weerts et al. 2008 Neuropsychopharmacology 33:653 "
                                "(introduction)", "L"),
        ),
    )
})

_ALIASES = {
    "ntx": "naltrexone",
    "6b-naltrexol": "6-beta-naltrexol",
    "6beta-naltrexol": "6-beta-naltrexol",
    "6-β-naltrexol": "6-beta-naltrexol",
    "6β-naltrexol": "6-beta-naltrexol",
    "naltrexol": "6-beta-naltrexol",
    "β-endorphin": "beta-endorphin",
    "b-endorphin": "beta-endorphin",
    "endorphin": "beta-endorphin",
    "met-enk": "met-enkephalin",
    "methionine-enkephalin": "met-enkephalin",
}


def ligand_names(*, agonists_only: bool = False, antagonists_only: bool = False) -> list[str]:
    """Names of the ligands in the table, optionally only agonists or only antagonists."""
    names = []
    for name, lig in LIGANDS.items():
        if agonists_only and lig.is_antagonist:
            continue
        if antagonists_only and not lig.is_antagonist:
            continue
        names.append(name)
    return names


def get_ligand(name: str) -> Ligand:
    """Look a ligand up by name (case-insensitive; common aliases accepted).

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.

    Examples
    --------
    >>> get_ligand("Naltrexone").affinities["mu"].ki_nM
    0.11
    """
    if isinstance(name, Ligand):
        return name
    key = str(name).strip().lower().replace(" ", "-").replace("_", "-")
    key = _ALIASES.get(key, key)
    if key not in LIGANDS:
        raise ValueError(f"ligand must be one of {', '.join(LIGANDS)}; got {name!r}")
    return LIGANDS[key]


def ki_nM(ligand: str, receptor: str) -> float:
    """Binding Ki (nM) of ``ligand`` at ``receptor`` ("mu", "kappa" or "delta").

    Examples
    --------
    >>> ki_nM("morphine", "mu")
    1.2
    """
    lig = get_ligand(ligand)
    rec = str(receptor).strip().lower()
    if rec not in RECEPTORS:
        raise ValueError(f"receptor must be one of {', '.join(RECEPTORS)}; got {receptor!r}")
    if rec not in lig.affinities:
        known = ", ".join(lig.known_receptors)
        raise ValueError(
            f"no defensible Ki for {lig.name} at {rec} is in the table (known: {known})"
        )
    return lig.affinities[rec].ki_nM


def receptor_occupancy(ligand: str, conc_nM) -> dict[str, np.ndarray]:
    """Occupancy of each receptor with a known Ki by ``ligand`` alone at ``conc_nM`` (nM).

    Hill-Langmuir with n = 1 at each receptor independently (the receptors are different
    proteins, so there is no competition between them).

    Examples
    --------
    >>> occ = receptor_occupancy("naltrexone", 0.99)
    >>> round(float(occ["mu"]), 2), round(float(occ["kappa"]), 2), round(float(occ["delta"]), 3)
    (0.9, 0.84, 0.016)
    """
    lig = get_ligand(ligand)
    return {r: hill_langmuir_occupancy(conc_nM, lig.affinities[r].ki_nM) for r in lig.known_receptors}


@dataclass(frozen=True)
class InVivoPA2:
    """An apparent pA2 measured in animals, to compare with binding Ki.

    Attributes
    ----------
    antagonist, agonist, receptor : str
    pA2 : float, -log10(mol/kg)
        Apparent pA2 from dose-ratio analysis in vivo: minus the log of the antagonist *dose*
        (mol/kg) that doubles the agonist dose needed, not of a concentration at the receptor.
    ci95 : tuple of float
        95% confidence limits.
    source : str
    """

    antagonist: str
    agonist: str
    receptor: str
    pA2: float
    ci95: tuple[float, float]
    source: str

    def __post_init__(self):
        low, high = self.ci95
        if not (0 < low <= self.pA2 <= high < 14):
            raise ValueError(f"ci95 must bracket pA2 within (0, 14); got pA2={self.pA2}, ci95={self.ci95}")

    @property
    def kb_nmol_per_kg(self) -> float:
        """The antagonist dose (nmol/kg) that doubles the agonist dose needed: 10^(9 - pA2)."""
        return float(nM_from_pA2(self.pA2))


#: Naltrexone apparent pA2 values in rhesus monkeys (warm-water tail withdrawal),
#: Ko, Butelman, Traynor & Woods 1998 J Pharmacol Exp Ther 285:518-526.
IN_VIVO_PA2 = (
    InVivoPA2("naltrexone", "alfentanil", "mu", 8.66, (8.47, 8.85), "Ko et al. 1998 JPET 285:518"),
    InVivoPA2("naltrexone", "U69,593", "kappa", 7.64, (7.49, 7.79), "Ko et al. 1998 JPET 285:518"),
    InVivoPA2("naltrexone", "U50,488", "kappa", 7.55, (7.42, 7.67), "Ko et al. 1998 JPET 285:518"),
)
