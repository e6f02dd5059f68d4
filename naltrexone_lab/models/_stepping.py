"""The exact step of a first-order relaxation, shared by every model that integrates one.

Two models integrate ``dy/dt = g(t) - l(t) y`` with inputs held constant over each step, where
one step is exactly ``y[i+1] = target + (y[i] - target) exp(-l dt)``: receptor adaptation
(:func:`naltrexone_lab.models.adaptation.linear_relaxation`) and brain-kinetic occupancy
(:func:`naltrexone_lab.models.occupancy.brain_kinetic_occupancy_from_concentration`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["exact_relaxation"]


#: the largest decay exponent summed within one block of :func:`exact_relaxation` (exp(50) ~ 5e21)
_BLOCK_EXPONENT = 50.0


def exact_relaxation(exponent, target, initial: float) -> np.ndarray:
    """``y[0] = initial``, ``y[i+1] = target[i] + (y[i] - target[i]) exp(-exponent[i])`` along
    the last axis, without a Python loop over the steps.

    Unrolled, with ``u = y - r`` measured from a reference target ``r`` (the block's first),
    ``u[j] = exp(-C[j]) (u[0] + sum_{k<j} b[k] exp(C[k+1]))`` with ``C`` the summed exponents
    and ``b[k] = (target[k] - r) (1 - exp(-exponent[k]))``; each term of the sum is at most
    ``|target - r|`` once multiplied back, so rounding stays at that scale. ``exp(C)`` is kept
    finite by restarting the sum wherever ``C`` (of the fastest-decaying row) passes
    :data:`_BLOCK_EXPONENT`; a 28-day course at the course's rates is one or two blocks.
    """
    exponent = np.asarray(exponent, dtype=float)
    target = np.asarray(target, dtype=float)
    steps = exponent.shape[-1]
    out = np.empty(exponent.shape[:-1] + (steps + 1,))
    out[..., 0] = initial
    summed = np.cumsum(exponent.reshape(-1, steps).max(axis=0))
    start, y = 0, np.asarray(out[..., 0])
    while start < steps:
        # the block ends before the summed exponent grows by more than the limit (one step at least)
        base = summed[start - 1] if start else 0.0
        stop = max(start + 1, int(np.searchsorted(summed, base + _BLOCK_EXPONENT, side="right")))
        if stop == start + 1:  # one step (perhaps a very long one): the recurrence itself
            block = (target[..., start] + (y - target[..., start]) * np.exp(-exponent[..., start]))[..., None]
        else:
            # measured from the block's first target, so a series that starts at a constant
            # target stays there exactly (as the step-by-step recurrence does)
            ref = target[..., start, None]
            c = np.cumsum(exponent[..., start:stop], axis=-1)  # C[k+1] - C[start], k in the block
            gain = (target[..., start:stop] - ref) * -np.expm1(-exponent[..., start:stop])
            block = ref + np.exp(-c) * ((y[..., None] - ref) + np.cumsum(gain * np.exp(c), axis=-1))
        out[..., start + 1:stop + 1] = block
        y = block[..., -1]
        start = stop
    return out
