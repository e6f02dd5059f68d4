"""The course's table of contents: chapters, their notebooks, exercises and time estimates.

One place that the front-door notebook, the README and ``naltrexone-course list`` agree with
(a test checks the notebooks and exercises named here exist). Times are estimates in minutes for
a learner who runs every cell and answers the Think! questions.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CHAPTERS", "Chapter", "chapter_for_exercise"]


@dataclass(frozen=True)
class Chapter:
    """One chapter.

    Attributes
    ----------
    number : int
    title : str
    notebook : str or None
        Path of the lesson notebook relative to the course root (None while in preparation).
    minutes : int
        Estimated time for the lesson, minutes.
    exercise : str or None
        Exercise folder name under ``exercises/`` (None while in preparation).
    exercise_minutes : int
        Estimated time for the exercise, minutes.
    topic : str or None
        The name its code shares: ``naltrexone_lab/plots/<topic>.py``,
        ``naltrexone_lab/widgets/<topic>.py`` and ``tests/test_widgets_<topic>.py`` (None for a
        chapter that only reuses other chapters' models). ``tests/test_architecture.py`` checks
        that every part exists; CONTRIBUTING.md lists them.
    """

    number: int
    title: str
    notebook: str | None
    minutes: int
    exercise: str | None
    exercise_minutes: int
    topic: str | None = None

    @property
    def ready(self) -> bool:
        return self.notebook is not None


CHAPTERS = (
    Chapter(0, "Start here: how the course works and a setup check", "course/00_start_here.ipynb",
            10, None, 0),
    Chapter(1, "Opioid receptors and competitive antagonism", "course/01_opioid_antagonism.ipynb",
            60, "ex01_antagonism", 45, "antagonism"),
    Chapter(2, "From a pill to receptor blockade: pharmacokinetics and occupancy",
            "course/02_pharmacokinetics_occupancy.ipynb", 75, "ex02_pharmacokinetics", 60, "pk"),
    Chapter(3, "Mesolimbic disinhibition: how opioids release dopamine",
            "course/03_mesolimbic_disinhibition.ipynb", 75, "ex03_disinhibition", 60, "mesolimbic"),
    Chapter(4, "The dopamine crash and receptor upregulation",
            "course/04_dopamine_crash_upregulation.ipynb", 60, "ex04_crash_upregulation", 45, "adaptation"),
    Chapter(5, "Low-dose naltrexone: transient blockade and the rebound hypothesis",
            "course/05_ldn_rebound.ipynb", 75, "ex05_ldn_rebound", 60, "rebound"),
    Chapter(6, "Beyond opioid receptors: TLR4 and glial modulation",
            "course/06_tlr4_glial_modulation.ipynb", 60, "ex06_tlr4_glia", 45, "glia"),
    Chapter(7, "Evidence, side effects and safety", "course/07_evidence_and_safety.ipynb", 60,
            "ex07_evidence_safety", 45, "evidence"),
    Chapter(8, "Learning, craving and alcohol", "course/08_learning_craving_alcohol.ipynb", 60,
            "ex08_learning_craving", 45, "learning"),
)


def chapter_for_exercise(exercise: str) -> Chapter:
    """The chapter an exercise belongs to."""
    for chapter in CHAPTERS:
        if chapter.exercise == exercise:
            return chapter
    known = ", ".join(c.exercise for c in CHAPTERS if c.exercise)
    raise ValueError(f"exercise must be one of {known}; got {exercise!r}")
