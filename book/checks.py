"""Input checks shared by every public function of the book.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the
argument and the problem, so a reader who passes the wrong thing learns what to
fix instead of meeting a NumPy traceback from deep inside a formula.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "as_float_array",
    "as_labels",
    "as_distribution",
    "as_design_matrix",
    "check_same_length",
    "as_learning_rate",
    "as_steps",
]

#: Tolerance for "a row of a label distribution sums to one".
SUM_TOL = 1e-6


def as_float_array(a, name: str, *, min_ndim: int = 0, allow_inf: bool = False) -> np.ndarray:
    """Return ``a`` as a float32 or float64 array, checking it is usable.

    Integers and booleans become float64; float32 stays float32 so that
    float32 arithmetic can be demonstrated. Raises ``TypeError`` for
    non-numeric input and ``ValueError`` for too few dimensions, an empty
    array or NaN (and ±inf unless ``allow_inf``).
    """
    arr = np.asarray(a)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
    ):
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if arr.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimension(s), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    if not allow_inf and np.isinf(arr).any():
        raise ValueError(f"{name} contains an infinite value")
    return arr


def as_labels(y, n_classes: int, shape: tuple | None = None, name: str = "y") -> np.ndarray:
    """Return integer class labels in ``0..n_classes-1`` as an int64 array.

    Floats are accepted only when they are whole numbers (``1.0``), since a
    label of ``0.7`` is almost always a label distribution passed by mistake.
    """
    arr = np.asarray(y)
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if arr.dtype == bool:
        arr = arr.astype(np.int64)
    if np.issubdtype(arr.dtype, np.floating):
        if np.isnan(arr).any():
            raise ValueError(f"{name} contains NaN")
        if not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must hold integer class labels, got non-integer values")
        arr = arr.astype(np.int64)
    elif not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"{name} has shape {arr.shape}, expected {tuple(shape)}")
    bad = (arr < 0) | (arr >= n_classes)
    if bad.any():
        raise ValueError(
            f"{name} has a label out of range: {arr[bad].flat[0]} "
            f"(labels must be 0..{n_classes - 1} for {n_classes} classes)"
        )
    return arr.astype(np.int64)


def as_distribution(y, shape: tuple, name: str = "y", tol: float = SUM_TOL) -> np.ndarray:
    """Return ``y`` as probability vectors along the last axis.

    Checks: the shape matches, no entry is negative or NaN, and every row sums
    to one within ``tol``.
    """
    arr = as_float_array(y, name)
    if arr.shape != tuple(shape):
        raise ValueError(f"{name} has shape {arr.shape}, expected {tuple(shape)}")
    if (arr < 0).any():
        raise ValueError(f"{name} is a label distribution but has a negative entry")
    sums = arr.sum(axis=-1)
    worst = np.max(np.abs(sums - 1.0))
    if worst > tol:
        raise ValueError(
            f"{name} is a label distribution but a row sums to {sums.flat[np.argmax(np.abs(sums - 1.0))]:.6g}, "
            f"not 1 (tolerance {tol:g})"
        )
    return arr


def as_design_matrix(X, name: str = "X", n_features: int | None = None) -> np.ndarray:
    """Return ``X`` as a finite 2-D float array of shape (n, d)."""
    arr = as_float_array(X, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n examples × d features), got shape {arr.shape}")
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(f"{name} has {arr.shape[1]} features, expected {n_features}")
    return arr


def check_same_length(X: np.ndarray, y: np.ndarray, names: str = "X and y") -> None:
    """Raise ``ValueError`` when X and y do not have the same number of examples."""
    if len(X) != len(y):
        raise ValueError(f"{names} have different lengths: {len(X)} and {len(y)}")


def as_learning_rate(lr, name: str = "lr") -> float:
    """A gradient-descent step size: a positive finite number (``TypeError`` for a non-number)."""
    if isinstance(lr, (bool, np.bool_)) or not isinstance(lr, (int, float, np.number)):
        raise TypeError(f"{name} must be a number, got {type(lr).__name__}")
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {lr}")
    return float(lr)


def as_steps(steps, name: str = "steps") -> int:
    """A number of iterations: a non-negative integer."""
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {steps!r}")
    return int(steps)
