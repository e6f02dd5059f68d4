"""Every course and solution notebook: clean when committed, and runs on a fresh kernel."""

from __future__ import annotations

import re

import nbformat
import pytest
from helpers import (
    COURSE_NOTEBOOKS,
    EXERCISE_NOTEBOOKS,
    ROOT,
    SOLUTION_NOTEBOOKS,
    error_outputs,
    execute_notebook,
    hygiene_problems,
    rel,
)

ALL = COURSE_NOTEBOOKS + SOLUTION_NOTEBOOKS + EXERCISE_NOTEBOOKS


def test_the_course_has_notebooks():
    assert any(p.name == "00_start_here.ipynb" for p in COURSE_NOTEBOOKS)
    assert SOLUTION_NOTEBOOKS, "no exercises in solutions/"


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_notebook_hygiene(path):
    assert hygiene_problems(path) == []


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=rel)
def test_course_notebook_states_models_are_not_dosing_guidance(path):
    text = path.read_text().lower()
    assert "not for dosing" in text or "not dosing guidance" in text


@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=rel)
def test_notebook_runs_top_to_bottom(path):
    """Every chapter runs without an error. (The solutions are run top to bottom, hidden tests
    included, by nbgrader in tests/test_grading.py::test_filled_in_solution_...)"""
    nb = execute_notebook(path)
    assert error_outputs(nb) == []
    # saved after Run All, with the widget state nbclient stores in the metadata (as JupyterLab
    # does with "save widget state"): kilobytes per figure, not plotly's 4.8 MB bundle each
    size = len(nbformat.writes(nb).encode())
    assert "application/vnd.jupyter.widget-state+json" in nb.metadata.get("widgets", {})
    assert size < 1_000_000, f"{rel(path)} saved after Run All is {size / 1e6:.1f} MB"


def _chapter_references(path):
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    if "## References" not in text:
        return []
    block = text.split("## References", 1)[1]
    return [line[2:].split(")", 1)[0] + ")" for line in block.splitlines() if line.startswith("* ")]


@pytest.mark.parametrize("path", [p for p in COURSE_NOTEBOOKS if p.name[:2].isdigit() and p.name[:2] != "00"],
                         ids=rel)
def test_chapter_links_glossary_and_references_and_its_sources_are_in_the_list(path):
    from helpers import ROOT

    text = path.read_text()
    assert "glossary.md" in text and "references.md" in text
    master = (ROOT / "course" / "references.md").read_text()
    refs = _chapter_references(path)
    assert refs, "a chapter ends with its references"
    for ref in refs:
        assert ref in master, f"{ref} is cited in {path.name} but missing from course/references.md"


def test_front_door_total_time_matches_the_syllabus():
    """00_start_here states the time of the chapters ready so far; it must be the syllabus's sum
    (lesson plus exercise of every ready chapter), so it cannot go stale as chapters land."""
    import nbformat

    from naltrexone_lab.tooling.syllabus import CHAPTERS

    text = "\n".join(c.source for c in nbformat.read(str(ROOT / "course" / "00_start_here.ipynb"), 4).cells)
    match = re.search(r"Total so far: about (\d+) h (\d+) min", text)
    assert match, "00_start_here must state 'Total so far: about H h M min'"
    stated = 60 * int(match.group(1)) + int(match.group(2))
    ready = [c for c in CHAPTERS if c.ready]
    assert stated == sum(c.minutes + c.exercise_minutes for c in ready)
    last = max(c.number for c in ready)
    assert f"chapters 1-{last} and their exercises" in text
