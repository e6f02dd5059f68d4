"""naltrexone_lab: models, figures and interactive widgets of the naltrexone pharmacology course.

Layers, one direction only: models (``binding``, ``ligands``, ``units``; pure numpy/scipy)
-> ``plots`` (figures from model output) -> ``widgets`` (controls wired to a model and a figure).
Every model is for learning, not for dosing decisions.
"""

__version__ = "0.1.0"
