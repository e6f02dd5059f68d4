"""Tests of the ligand table: sources on every value, look-ups, and published data points."""

from __future__ import annotations

import pytest

from naltrexone_lab import binding as B
from naltrexone_lab.ligands import (
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


@pytest.mark.parametrize("name", REQUIRED)
def test_every_affinity_has_a_source_with_a_year_and_a_confidence(name):
    lig = get_ligand(name)
    assert "mu" in lig.affinities
    for receptor, aff in lig.affinities.items():
        assert receptor in RECEPTORS
        assert any(str(y) in aff.source for y in range(1930, 2030)), aff.source
        assert aff.confidence in ("H", "M", "L")


def test_naltrexone_binds_mu_tightest_and_delta_weakest():
    """Seed claim: high mu affinity, kappa and delta less (delta much less)."""
    assert ki_nM("naltrexone", "mu") < ki_nM("naltrexone", "kappa") < ki_nM("naltrexone", "delta")
    assert ki_nM("naltrexone", "mu") < ki_nM("naloxone", "mu")


def test_published_points_with_tolerances():
    # Chen et al. 1991 Life Sci 48:2165: morphine Ki 1.2 nM at mu (exact, it is the source value).
    assert ki_nM("morphine", "mu") == pytest.approx(1.2, rel=1e-9)
    # Ko et al. 1998 JPET 285:518: naltrexone apparent pA2 8.66 vs alfentanil -> KB about 2.2 nM.
    mu = next(p for p in IN_VIVO_PA2 if p.receptor == "mu")
    assert mu.pA2 == 8.66 and mu.kb_nM == pytest.approx(2.19, abs=0.01)
    # Shared brief: naltrexone mu Ki within 0.1-0.5 nM.
    assert 0.1 <= ki_nM("naltrexone", "mu") <= 0.5


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
