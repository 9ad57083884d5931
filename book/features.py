"""Data that no line separates, and hand-made
feature transforms after which a line does.

The classic case is XOR: (0,0) and (1,1) in one class, (0,1) and (1,0) in the other.
A logistic regression draws a line, so it cannot classify all four; after a transform
φ(x) of the inputs, a line in the new space can, and mapped back into the original plane
that line becomes a curve. The generators give seeded, noisy versions of XOR and two
concentric rings to try the same ideas on more than four points.
"""

from __future__ import annotations

import numpy as np

from book.checks import (
    as_count,
    as_design_matrix,
    as_float_array,
    as_nonnegative,
    as_seed,
    check_size,
)

__all__ = [
    "xor_data",
    "noisy_xor",
    "rings",
    "distance_features",
    "product_features",
    "XOR_CORNERS",
]

#: The four XOR inputs, in the order (0,0), (0,1), (1,0), (1,1).
XOR_CORNERS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))


def xor_data() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR points X (4 × 2) and labels y = x_1 XOR x_2 = (0, 1, 1, 0).

    Label 1 (class C_1) is (0,1) and (1,0); label 0 (class C_2) is (0,0) and (1,1).
    """
    X = np.array(XOR_CORNERS)
    return X, (X[:, 0] != X[:, 1]).astype(np.int64)


def _check_sample(n, noise, seed, n_min: int) -> tuple[int, float, int]:
    n = as_count(n, "n", minimum=n_min)
    check_size(2 * n, "the sample X")
    return n, as_nonnegative(noise, "noise"), as_seed(seed)


def noisy_xor(
    n: int = 200, noise: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """n points around the four XOR corners, n/4 (rounded) at each:
    x = corner + noise · N(0, I).

    The label is the corner's XOR label, so the classes overlap when the noise is large.
    Raises ``ValueError`` for n < 4, a negative noise or seed, or too large an n;
    ``TypeError`` for an n or seed that is not an integer.
    """
    n, noise, seed = _check_sample(n, noise, seed, 4)
    rng = np.random.default_rng(seed)
    X0, y0 = xor_data()
    corner = np.arange(n) % 4
    return X0[corner] + noise * rng.standard_normal((n, 2)), y0[corner]


def rings(
    n: int = 200, noise: float = 0.1, seed: int = 0, radii=(0.3, 0.8), center=(0.5, 0.5)
) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric rings, n/2 (rounded) points each:
    label 0 at radius radii[0], label 1 at radii[1].

    Each point is center + (r + noise · ε)(cos θ, sin θ) with θ ~ Uniform(0, 2π) and
    ε ~ N(0, 1). Raises ``ValueError`` for n < 2, a negative noise,
    or radii that are not two positive numbers (and as :func:`noisy_xor` for n, noise
    and seed).
    """
    n, noise, seed = _check_sample(n, noise, seed, 2)
    r = as_float_array(radii, "radii")
    if r.shape != (2,) or (r <= 0).any():
        raise ValueError(f"radii must be two positive numbers, got {radii!r}")
    c = as_float_array(center, "center")
    if c.shape != (2,):
        raise ValueError(f"center must be a point (x1, x2), got {center!r}")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    theta = rng.uniform(0, 2 * np.pi, n)
    radius = r[y] + noise * rng.standard_normal(n)
    return c + radius[:, None] * np.column_stack([np.cos(theta), np.sin(theta)]), y


def distance_features(X, anchors=((0, 0), (1, 1))) -> np.ndarray:
    """φ(x)_j = ‖x − a_j‖, the Euclidean distance
    from x to anchor a_j: shape (n, number of anchors).

    With the default anchors (0,0) and (1,1), XOR's points land at (0,0) → (0, √2),
    (1,1) → (√2, 0) and (0,1), (1,0) → (1, 1), where a line separates the classes.
    Raises ``ValueError`` when the anchors are not points of X's dimension.
    """
    X = as_design_matrix(X)
    A = as_design_matrix(anchors, "anchors")
    if A.shape[1] != X.shape[1]:
        raise ValueError(
            f"anchors are {A.shape[1]}-D points but X has {X.shape[1]} features"
        )
    return np.sqrt(((X[:, None, :] - A[None, :, :]) ** 2).sum(axis=-1))


def product_features(X) -> np.ndarray:
    """The inputs followed by every product x_i x_j with i
    < j (feature crosses): for d = 2, (x_1, x_2, x_1 x_2).

    On XOR's corners, x_1 + x_2 − 2 x_1 x_2 is exactly the label, so a plane in the new
    space separates the classes. Raises ``ValueError`` when X has fewer than two
    features.
    """
    X = as_design_matrix(X)
    if X.shape[1] < 2:
        raise ValueError(
            f"X needs at least two features to form a product, got {X.shape[1]}"
        )
    i, j = np.triu_indices(X.shape[1], k=1)
    return np.column_stack([X, X[:, i] * X[:, j]])
