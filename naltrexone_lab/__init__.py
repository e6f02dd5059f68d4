"""naltrexone_lab: models, figures and interactive widgets of the naltrexone pharmacology course,
and the tooling that grades it.

Layers, imports going one way only (``tests/test_architecture.py`` enforces it):

``models``   the science, pure numpy/scipy (``binding``, ``pharmacokinetics``, ...)
``plots``    figures drawn from model output (plotly)
``widgets``  controls wired to a model and a figure, and the figure widget itself
``tooling``  nbgrader grading, self-check, class grading, syllabus, the ``naltrexone-course`` CLI

Notebooks, exercises and saved copies import the short names (``naltrexone_lab.binding``,
``naltrexone_lab.grading``, ...); they are kept as aliases of the modules in their layer.
Every model is for learning, not for dosing decisions.
"""

import importlib
import importlib.abc
import importlib.util
import sys

__version__ = "0.1.0"

#: Short module names kept for notebooks, solutions, learners' saved copies and instructors'
#: nbgrader_config.py files, and the layer each now lives in.
ALIASES = {
    **{name: "models" for name in (
        "_validation", "units", "binding", "ligands", "pharmacokinetics", "occupancy",
        "adaptation", "rebound", "mesolimbic", "glia", "trials", "withdrawal", "learning", "population",
        "_lazy", "_stepping")},
    **{name: "tooling" for name in (
        "grading", "selfcheck", "cli", "classroom", "classroom_feedback", "feedback",
        "syllabus", "claims", "markers", "integrity", "sandbox", "guarded", "guard", "collect",
        "mathml", "checklimit", "export", "variants", "kit", "report", "notebook_check",
        "checks", "hints", "workers")},
}


class _AliasLoader(importlib.abc.Loader):
    """Loads ``naltrexone_lab.<name>`` as the module ``naltrexone_lab.<layer>.<name>`` itself
    (one module object under two names; ``python -m naltrexone_lab.cli`` runs its code)."""

    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        return importlib.import_module(self.target)

    def exec_module(self, module):
        pass

    def get_code(self, fullname):
        spec = importlib.util.find_spec(self.target)
        return spec.loader.get_code(self.target)


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        prefix, _, name = fullname.rpartition(".")
        if prefix != __name__ or name not in ALIASES:
            return None
        real = f"{__name__}.{ALIASES[name]}.{name}"
        return importlib.util.spec_from_loader(fullname, _AliasLoader(real))


if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _AliasFinder())


def _jupyter_server_extension_points():
    """The Jupyter server extension that serves plotly.js to the course figures."""
    return [{"module": "naltrexone_lab.labserver"}]
