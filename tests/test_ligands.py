"""Tests of the ligand table: sources on every value, look-ups, and published data points."""

from __future__ import annotations

import re

import pytest

from naltrexone_lab.models import binding as B
from naltrexone_lab.models.ligands import (
    IN_VIVO_PA2,
    LIGANDS,
    RECEPTORS,
    get_ligand,
    ki_nM,
    ligand_names,
    receptor_occupancy,
)

REQUIRED = ("naltrexone", "6-beta-naltrexol", "naloxone", "morphine", "fentanyl", "buprenorphine",
            "beta-endorphin", "met-enkephalin")


def test_table_holds_the_course_ligands():
    assert set(REQUIRED) <= set(LIGANDS)


CITATION = re.compile(r"[A-Z][A-Za-z-]+ (et al\. )?(19|20)\d\d [A-Z][A-Za-z]*")


@pytest.mark.parametrize("name", REQUIRED)
def test_every_affinity_cites_author_year_and_journal_and_grades_confidence(name):
    lig = get_ligand(name)
    assert "mu" in lig.affinities
    for receptor, aff in lig.affinities.items():
        assert receptor in RECEPTORS
        assert CITATION.search(aff.source), f"{name} {receptor}: {aff.source!r}"
        assert aff.confidence in ("H", "M", "L")
    assert lig.mu_tau_source, f"{name}: efficacy without a stated basis"


def test_naltrexone_binds_mu_tightest_and_delta_weakest():
    """Naltrexone binds mu tightest, kappa less and delta least (the ordering every compiled
    affinity table agrees on; README "Affinities come from different assays")."""
    assert ki_nM("naltrexone", "mu") < ki_nM("naltrexone", "kappa") < ki_nM("naltrexone", "delta")
    assert ki_nM("naltrexone", "mu") < ki_nM("naloxone", "mu")


def test_chen_1991_morphine_mu_ki():
    """Chen et al. 1991 Life Sci 48:2165: 1.2 nM (rat brain, [3H]DAMGO); tolerance 5%."""
    assert ki_nM("morphine", "mu") == pytest.approx(1.2, rel=0.05)


def test_volpe_2011_ranks_buprenorphine_above_morphine_and_fentanyl():
    """Volpe et al. 2011: buprenorphine < 1 nM; morphine and fentanyl in the 1-100 nM band."""
    assert ki_nM("buprenorphine", "mu") < 1.0 <= ki_nM("morphine", "mu") < 100
    assert 1.0 <= ki_nM("fentanyl", "mu") < 100


def test_ko_1998_naltrexone_in_vivo_pa2():
    """Ko et al. 1998 JPET 285:518: mu (alfentanil) 8.66, kappa (U69,593, U50,488) 7.55-7.64;
    the dose doubling the agonist requirement is 10^(9 - pA2) = 2.19 nmol/kg (to 0.01)."""
    by_receptor = {}
    for p in IN_VIVO_PA2:
        by_receptor.setdefault(p.receptor, []).append(p.pA2)
        assert p.ci95[0] <= p.pA2 <= p.ci95[1]
    assert by_receptor["mu"] == [8.66]
    assert all(7.5 <= x <= 7.7 for x in by_receptor["kappa"])
    mu = next(p for p in IN_VIVO_PA2 if p.receptor == "mu")
    assert mu.kb_nmol_per_kg == pytest.approx(2.19, abs=0.01)


def test_naltrexone_mu_ki_within_the_briefs_range():
    """Trøstheim et al. 2022 Neuropsychopharmacology, supplementary Table S1 (a compilation):
    naltrexone's mu Ki is about 0.1-0.5 nM."""
    assert 0.1 <= ki_nM("naltrexone", "mu") <= 0.5


@pytest.mark.parametrize(("ligand", "ratios"), [("naltrexone", {"delta": 79, "kappa": 2}),
                                                ("naloxone", {"delta": 41, "kappa": 8})])
def test_values_that_disagree_with_the_troestheim_2022_ratios_are_graded_low(ligand, ratios):
    """Troestheim et al. 2022 compiled mu:delta:kappa ratios. A table value off by more than
    2-fold from them must carry confidence L, so the disagreement is visible to the learner."""
    mu = ki_nM(ligand, "mu")
    for receptor, ratio in ratios.items():
        aff = get_ligand(ligand).affinities[receptor]
        off = max(aff.ki_nM / (mu * ratio), mu * ratio / aff.ki_nM)
        if off > 2:
            assert aff.confidence == "L", f"{ligand} {receptor} is {off:.1f}x off the compiled ratio"


def test_dataclasses_reject_impossible_values():
    from naltrexone_lab.models.ligands import Affinity, InVivoPA2, Ligand

    with pytest.raises(ValueError, match="ki_nM must be finite and > 0; got -1"):
        Affinity(-1, "x", "H")
    with pytest.raises(ValueError, match="confidence must be one of H, M, L; got 'X'"):
        Affinity(1, "x", "X")
    with pytest.raises(ValueError, match="mu_tau must be finite and >= 0; got -2"):
        Ligand("x", "agonist", {}, -2, "none")
    with pytest.raises(ValueError, match="ci95 must bracket pA2"):
        InVivoPA2("a", "b", "mu", 8.0, (8.5, 9.0), "x")


def test_antagonists_have_zero_efficacy_and_agonists_rank_by_efficacy():
    assert all(get_ligand(n).mu_tau == 0 for n in ligand_names(antagonists_only=True))
    tau = {n: get_ligand(n).mu_tau for n in ("fentanyl", "morphine", "buprenorphine")}
    assert tau["fentanyl"] > tau["morphine"] > tau["buprenorphine"] > 0
    assert set(ligand_names(agonists_only=True)).isdisjoint(ligand_names(antagonists_only=True))


def test_lookup_is_forgiving_about_case_and_aliases():
    assert get_ligand("  NALTREXONE ").name == "naltrexone"
    assert get_ligand("6β-naltrexol").name == "6-beta-naltrexol"
    assert get_ligand("beta endorphin").name == "beta-endorphin"


def test_unknown_ligand_lists_the_known_ones():
    with pytest.raises(ValueError, match="ligand must be one of naltrexone, .*; got 'heroin'"):
        get_ligand("heroin")


def test_unknown_receptor_and_unknown_value_raise():
    with pytest.raises(ValueError, match="receptor must be one of mu, kappa, delta; got 'sigma'"):
        ki_nM("naltrexone", "sigma")
    with pytest.raises(ValueError, match="no defensible Ki for morphine at kappa"):
        ki_nM("morphine", "kappa")


def test_receptor_occupancy_matches_hill_langmuir_per_receptor():
    occ = receptor_occupancy("naltrexone", 0.99)
    for r in RECEPTORS:
        assert occ[r] == pytest.approx(B.hill_langmuir_occupancy(0.99, ki_nM("naltrexone", r)))
    assert set(receptor_occupancy("morphine", 1.0)) == {"mu"}
