"""Small deterministic data sets for the chapters' examples."""
from __future__ import annotations

import numpy as np

__all__ = ["blobs", "BLOB_CENTERS"]

#: The default centres of the book's three-class, two-dimensional example.
BLOB_CENTERS = ((-2.0, -1.0), (2.0, -1.0), (0.0, 2.0))


def blobs(n_per_class: int = 50, centers=BLOB_CENTERS, scale: float = 1.0, seed: int = 0):
    """Gaussian clouds, one per centre: x ~ N(centre_k, scale² I) for class k.

    Returns (X, y) with X of shape (K·n_per_class, d) and integer labels y in
    0..K−1, the same for the same arguments.
    """
    C = np.asarray(centers, dtype=float)
    if C.ndim != 2 or len(C) < 2:
        raise ValueError(f"centers must be a (K, d) array with K >= 2, got shape {C.shape}")
    if not np.isfinite(C).all():
        raise ValueError("centers contains NaN or an infinite value")
    if int(n_per_class) != n_per_class or n_per_class < 1:
        raise ValueError(f"n_per_class must be a positive integer, got {n_per_class}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    rng = np.random.default_rng(seed)
    K, d = C.shape
    y = np.repeat(np.arange(K), n_per_class)
    X = C[y] + scale * rng.standard_normal((len(y), d))
    return X, y
