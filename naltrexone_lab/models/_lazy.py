"""scipy's optimisers, integrators, statistics and special functions, imported on first use
rather than with the models.

Importing ``scipy.optimize`` takes about 0.55 s on the course's 2-core machine (0.7 s for
``naltrexone_lab.models.occupancy`` against 0.15 s without it), and every kernel that grades or
checks an exercise pays it, although only the fitting and root-finding functions use scipy.
``scipy.stats`` (about 0.65 s more, for chapter 7's trial statistics) is loaded the same way.
Attribute access loads the real module, so ``optimize.brentq(...)`` reads as usual.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ["integrate", "optimize", "special", "stats"]


class _OnFirstUse:
    """Stands for the module ``name`` and imports it when an attribute is first read."""

    def __init__(self, name: str):
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<{self._name}, imported on first use ({state})>"


optimize: Any = _OnFirstUse("scipy.optimize")
integrate: Any = _OnFirstUse("scipy.integrate")
special: Any = _OnFirstUse("scipy.special")
stats: Any = _OnFirstUse("scipy.stats")
