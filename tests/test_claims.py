"""The claims table (naltrexone_lab/tooling/claims.py): every section it names exists in the
notebook it names, and every quote is word for word in its source text."""

from __future__ import annotations

import re

import nbformat
import pytest
from helpers import ROOT

from naltrexone_lab.tooling.claims import CLAIMS, unexamined

SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = {"000": "000_bd95cfe6c18feeb7.txt", "004": "004_9454ff14daa6922f.txt"}


def _headings(notebook: str) -> set[str]:
    nb = nbformat.read(str(ROOT / notebook), as_version=4)
    return {m.group(1).strip() for c in nb.cells if c.cell_type == "markdown"
            for m in re.finditer(r"^#{1,6} (.+)$", c.source, re.M)}


@pytest.mark.parametrize("claim", [c for c in CLAIMS if c.section], ids=lambda c: f"{c.seed}:{c.text[:40]}")
def test_every_referenced_section_exists_in_its_notebook(claim):
    assert (ROOT / claim.notebook).exists(), f"{claim.notebook} does not exist"
    assert claim.section in _headings(claim.notebook), (
        f"{claim.notebook} has no section headed {claim.section!r}")


def test_notebook_and_section_are_given_together():
    assert all((c.notebook is None) == (c.section is None) for c in CLAIMS)


def test_the_learning_and_alcohol_claims_point_at_chapter_8():
    ch8 = [c for c in CLAIMS if c.notebook == "course/08_learning_craving_alcohol.ipynb"]
    texts = " ".join(c.text for c in ch8)
    assert "conditioned responses and cravings" in texts
    assert "alcohol use disorder" in texts


def test_quotes_are_word_for_word_in_the_source_texts():
    if not SEEDS.is_dir():
        pytest.skip(f"source texts not found at {SEEDS}")
    for claim in CLAIMS:
        text = " ".join((SEEDS / SEED_FILES[claim.seed]).read_text().split())
        assert " ".join(claim.text.split()) in text, claim.text


def test_every_claim_is_examined_and_listed_once():
    """Issue 20: every claim of the source texts now points at the section that examines it."""
    assert unexamined() == [], [c.text[:60] for c in unexamined()]
    assert len({c.text for c in CLAIMS}) == len(CLAIMS), "a claim is listed twice"


def _section_text(notebook: str, heading: str) -> str:
    nb = nbformat.read(str(ROOT / notebook), as_version=4)
    text, inside = [], False
    for c in nb.cells:
        if c.cell_type == "markdown":
            for line in c.source.splitlines():
                m = re.match(r"^(#{1,2}) (.+)$", line)
                if m:
                    inside = m.group(2).strip() == heading
                if inside:
                    text.append(line)
    return "\n".join(text)


@pytest.mark.parametrize(("words", "answer"), [
    ("requires a prescription", "prescription medicine"), ("used off-label for conditions", "off-label"),
    ("compounding pharmacy", "compounded"),
    ("gradually adjusting the dosage", "untested"), ("inflammatory component", "inflammatory subgroup"),
    ("treated with extended-release naltrexone", "placebo"),
    ("subtle alteration in dopamine signaling", "measured dopamine"),
    ("endogenous opioid system that regulates", "correlational PET"),
    ("Endorphins, for example, are linked to pain inhibition", "placebo analgesia")])
def test_a_safety_or_evidence_claim_is_answered_where_it_points(words, answer):
    """Issue 20: the section a claim names says what the sources say about it, not only the topic."""
    claims = [c for c in CLAIMS if words in c.text and c.section]
    assert claims, f"no examined claim mentions {words!r}"
    for claim in claims:
        assert answer in _section_text(claim.notebook, claim.section), (claim.section, answer)
