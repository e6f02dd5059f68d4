"""naltrexone_lab: models, figures and interactive widgets of the naltrexone pharmacology course.

Layers, one direction only: models (``binding``, ``ligands``, ``units``; pure numpy/scipy)
-> ``plots`` (figures from model output) -> ``widgets`` (controls wired to a model and a figure).
Every model is for learning, not for dosing decisions.
"""

__version__ = "0.1.0"


def _jupyter_server_extension_points():
    """The Jupyter server extension that serves plotly.js to the course figures."""
    return [{"module": "naltrexone_lab.labserver"}]
