"""Small deterministic data sets for the chapters' examples."""

from __future__ import annotations

import numpy as np

from book.checks import as_count, as_float_array, as_positive, as_seed, check_size

__all__ = ["blobs", "BLOB_CENTERS", "RACE_DATA", "RACE_START", "RACE_STEPS"]

#: The default centres of the book's three-class, two-dimensional example.
BLOB_CENTERS = ((-2.0, -1.0), (2.0, -1.0), (0.0, 2.0))

#: Chapter 5b's race of cross-entropy against square error: its one-feature data
#: set (``blobs(**RACE_DATA)``), poor start (w, b) and step budget.
RACE_DATA = {"n_per_class": 25, "centers": ((-1.0,), (1.0,)), "seed": 3}
RACE_START = (-6.0, 0.0)
RACE_STEPS = 300


def blobs(
    n_per_class: int = 50, centers=BLOB_CENTERS, scale: float = 1.0, seed: int = 0
):
    """Gaussian clouds, one per centre: x ~ N(centre_k, scale² I) for class k.

    Returns (X, y) with X of shape (K·n_per_class, d) and integer labels y in
    0..K−1, the same for the same arguments. Raises ``TypeError`` for a count or
    seed that is not an integer, ``ValueError`` for centres that are not a (K, d)
    array of finite numbers with K ≥ 2, a count below 1, a scale ≤ 0, a
    negative seed or a sample larger than ``book.checks.MAX_ELEMENTS``.
    """
    C = as_float_array(centers, "centers")
    if C.ndim != 2 or len(C) < 2:
        raise ValueError(
            f"centers must be a (K, d) array with K >= 2, got shape {C.shape}"
        )
    n_per_class = as_count(n_per_class, "n_per_class", minimum=1)
    scale = as_positive(scale, "scale")
    seed = as_seed(seed)
    check_size(C.size * n_per_class, "the sample X")
    rng = np.random.default_rng(seed)
    K, d = C.shape
    y = np.repeat(np.arange(K), n_per_class)
    X = C[y] + scale * rng.standard_normal((len(y), d))
    return X, y
