"""Input checks shared by every model.

Each check raises :class:`ValueError` whose message names the parameter, the value received and
what is allowed, so a learner (or a widget's status line) can act on it without a traceback.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

__all__ = [
    "scalar_or_array",
    "as_float_array",
    "broadcast",
    "check_integer",
    "check_scalar",
    "check_choice",
    "check_fraction",
    "check_in_range",
    "check_nonnegative",
    "check_positive",
]


def _describe(value) -> str:
    arr = np.asarray(value)
    if arr.ndim == 0:
        return repr(value)
    flat = arr.ravel()
    if flat.size > 4:
        return f"array of shape {arr.shape} starting {flat[:4].tolist()}"
    return repr(flat.tolist())


def as_float_array(name: str, value) -> np.ndarray:
    """Return ``value`` as a float ndarray, rejecting non-numeric input and NaN."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers; got {value!r}") from None
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN; got {_describe(value)}")
    return arr


def check_nonnegative(name: str, value, *, allow_inf: bool = False) -> np.ndarray:
    """Finite (or +inf when ``allow_inf``) and >= 0."""
    arr = as_float_array(name, value)
    if (arr < 0).any():
        raise ValueError(f"{name} must be >= 0; got {_describe(value)}")
    if not allow_inf and np.isinf(arr).any():
        raise ValueError(f"{name} must be finite and >= 0; got {_describe(value)}")
    return arr


def check_positive(name: str, value) -> np.ndarray:
    """Finite and > 0."""
    arr = as_float_array(name, value)
    if (arr <= 0).any() or np.isinf(arr).any():
        raise ValueError(f"{name} must be finite and > 0; got {_describe(value)}")
    return arr


def check_fraction(name: str, value, *, open_low: bool = False, open_high: bool = False) -> np.ndarray:
    """A fraction in [0, 1]; either end can be excluded."""
    arr = as_float_array(name, value)
    low_bad = (arr <= 0) if open_low else (arr < 0)
    high_bad = (arr >= 1) if open_high else (arr > 1)
    if low_bad.any() or high_bad.any():
        lo = "(0" if open_low else "[0"
        hi = "1)" if open_high else "1]"
        raise ValueError(f"{name} must be a fraction in {lo}, {hi}; got {_describe(value)}")
    return arr


def check_scalar(name: str, value) -> float:
    """A single number (not an array); NaN is rejected."""
    arr = as_float_array(name, value)
    if arr.ndim != 0 and arr.size != 1:
        raise ValueError(f"{name} must be a single number; got {_describe(value)}")
    return float(arr.reshape(()))


def check_integer(name: str, value, low: int, high: int) -> int:
    """A whole number in [low, high] (integral floats such as 3.0 are accepted)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}]; got {value!r}") from None
    if math.isnan(x) or x != int(x) or not (low <= x <= high):
        raise ValueError(f"{name} must be a whole number in [{low}, {high}]; got {value!r}")
    return int(x)


def broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    """Broadcast named arrays together, or raise ValueError naming them and their shapes."""
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"array shapes do not broadcast together: {shapes}") from None


def check_in_range(name: str, value, low: float, high: float) -> float:
    """A single finite number in the closed interval [low, high]."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [{low}, {high}]; got {value!r}") from None
    if math.isnan(x) or not (low <= x <= high):
        raise ValueError(f"{name} must be a number in [{low}, {high}]; got {value!r}")
    return x


def check_choice(name: str, value, allowed: Iterable[str]) -> str:
    """``value`` (case-insensitive) must be one of ``allowed``; returns the canonical spelling."""
    allowed = list(allowed)
    if isinstance(value, str):
        for option in allowed:
            if value.strip().lower() == option.lower():
                return option
    raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


def scalar_or_array(x):
    """A 0-d result as a numpy float scalar, anything else as a float array."""
    arr = np.asarray(x, dtype=float)
    return arr[()] if arr.ndim == 0 else arr
