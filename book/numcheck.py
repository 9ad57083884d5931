"""Numerical checks that print the same on every machine.

A rounding or truncation error is a claim about its size: "the two agree to
1e-12". Its last digits are not part of the claim; they change with the CPU's
vector instructions, the BLAS kernel and the Python version. So a chapter
prints such an error as the bound it meets, ``< 1e-12``, and nbval compares
that text. When the claim breaks, the printed text changes to the error's value
and the bound it missed, so the check still fails.
"""
from __future__ import annotations

import numpy as np

__all__ = ["bound"]


def _as_real(value, name: str) -> float:
    """``value`` as a Python float; booleans and non-numbers are refused."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a real number, got a boolean ({value!r})")
    arr = np.asarray(value)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got dtype {arr.dtype}")
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {arr.shape}")
    return float(arr)


def bound(error, tol: float = 1e-12) -> str:
    """The claim ``|error| < tol`` as text: ``"< 1e-12"`` when it holds.

    When it does not hold (or ``error`` is NaN) the text is the error and the
    bound it breaks, ``"3.1e-06 (not < 1e-12)"``: a different printed output,
    so nbval fails. ``tol`` is printed with one significant digit; choose it as
    a round number above what the check can reach (rounding: a few times
    machine epsilon times the size of the numbers; central differences with
    step h: about h² plus epsilon / h).
    """
    tol = _as_real(tol, "tol")
    if not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive finite number, got {tol!r}")
    err = abs(_as_real(error, "error"))
    if err < tol:
        return f"< {tol:.0e}"
    return f"{err:.1e} (not < {tol:.0e})"
