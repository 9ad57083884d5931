"""Learning curves: test error against training-set size,
generative vs discriminative, on the same draws.

The data (two equally likely classes in the plane, :class:`Setting`):

* class 0 (C_2): x ~ N((0, 0), I);
* class 1 (C_1): x ~ N(μ_1, I), except that each point, with probability π
  (the contamination), comes from a tight cluster N(c, s² I) elsewhere.

With π = 0 both classes are Gaussians with one shared covariance, exactly what
the generative model assumes; the larger π, the more wrong that assumption is.

Three linear classifiers "class 1 iff wᵀx + b > 0" are compared, all fitted to
the same training sets: the shared-covariance Gaussian model, its naive-Bayes
variant (the same with a diagonal covariance), both in closed form, and
logistic regression by Newton's method (:func:`book.logistic.logistic_newton`). Every
training set has n // 2 examples of class 0 and the rest of class 1, so both
classes occur. The test error of a linear rule is computed exactly from the
known distribution (each part is a Gaussian, so each error is a normal CDF):
the error an infinitely large held-out test set would measure.

Everything is vectorised over the repeats, and :func:`learning_curves` caches
its results, so a chapter and an explorer asking for the same curves pay once.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from book.checks import (
    MAX_STEPS,
    as_bool,
    as_count,
    as_float_array,
    as_labels,
    as_nonnegative,
    as_number,
    as_positive,
    as_rng,
    as_seed,
    check_size,
)
from book.generative import (
    _check_covariance,
    _class_moments,
    _linear_logits,
    _model_covariance,
    _pooled,
)
from book.logistic import logistic_newton
from book.models import _one_logit

__all__ = [
    "Setting",
    "SETTINGS",
    "MODELS",
    "fit_gaussian_batch",
    "linear_error",
    "LearningCurves",
    "learning_curves",
    "paired_difference",
]

#: The models a learning curve compares, by key, with the label the figures use.
MODELS = {
    "gaussian": "Gaussian, shared covariance",
    "naive_bayes": "naive Bayes, shared diagonal covariance",
    "logistic": "logistic regression",
}

_normal_tail = np.frompyfunc(math.erfc, 1, 1)


def _Phi(t: np.ndarray) -> np.ndarray:
    """The standard normal CDF Φ(t) = ½ erfc(−t/√2), exact at ±∞ (without SciPy)."""
    return 0.5 * np.asarray(
        _normal_tail(-np.asarray(t, dtype=float) / math.sqrt(2.0)), dtype=float
    )


@dataclass(frozen=True)
class Setting:
    """Class 0 ~ N((0, 0), I); class 1 ~ (1 − π) N(μ_1, I) + π N(c, s² I).

    ``contamination`` is π in [0, 1), ``cluster_mean`` c, ``cluster_scale`` s > 0
    and ``mean1`` μ_1. Raises ValueError for values out of range.
    """

    contamination: float = 0.2
    cluster_mean: tuple[float, float] = (6.0, 0.0)
    cluster_scale: float = 0.3
    mean1: tuple[float, float] = (1.5, 1.5)

    def __post_init__(self):
        object.__setattr__(
            self,
            "contamination",
            as_number(self.contamination, "contamination", minimum=0, below=1),
        )
        object.__setattr__(
            self, "cluster_scale", as_positive(self.cluster_scale, "cluster_scale")
        )
        for name in ("cluster_mean", "mean1"):
            value = as_float_array(getattr(self, name), name)
            if value.shape != (2,):
                raise ValueError(
                    f"{name} must be a point of the plane (2 numbers), got shape "
                    f"{value.shape}"
                )
            object.__setattr__(self, name, tuple(float(v) for v in value))

    def sample(
        self, n: int, rng: np.random.Generator, repeats: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Draw n examples, n // 2 of class 0 first,
        then n − n // 2 of class 1: returns (X, y).

        With ``repeats`` = R, R independent data sets at once: X (R, n, 2), y (R, n).
        Raises ValueError unless n ≥ 2 (both classes) and R ≥ 1, and for a
        sample larger than ``book.checks.MAX_ELEMENTS``; TypeError for an ``rng``
        that is not a ``numpy.random.Generator``.
        """
        n = as_count(n, "n", minimum=2)
        rng = as_rng(rng)
        repeats = None if repeats is None else as_count(repeats, "repeats", minimum=1)
        check_size((repeats or 1) * n * 2, "the sample")
        lead = () if repeats is None else (repeats,)
        n0 = n // 2
        y = np.broadcast_to(np.repeat([0, 1], [n0, n - n0]), lead + (n,)).copy()
        in_cluster = (y == 1) & (rng.random(lead + (n,)) < self.contamination)
        centre = np.where(
            in_cluster[..., None],
            self.cluster_mean,
            np.where(y[..., None] == 1, self.mean1, 0.0),
        )
        scale = np.where(in_cluster, self.cluster_scale, 1.0)[..., None]
        return centre + scale * rng.standard_normal(lead + (n, 2)), y

    def components(self) -> list[tuple[int, float, np.ndarray, float]]:
        """The Gaussian parts of the distribution:
        (label, probability, mean, scale) each."""
        parts = [
            (0, 0.5, np.zeros(2), 1.0),
            (1, 0.5 * (1 - self.contamination), np.array(self.mean1), 1.0),
        ]
        if self.contamination > 0:
            parts.append(
                (
                    1,
                    0.5 * self.contamination,
                    np.array(self.cluster_mean),
                    self.cluster_scale,
                )
            )
        return parts


#: The three regimes of the chapter: the Gaussian assumption wrong (a crossover),
#: right (the generative model never loses),
#: and wrong in a way that hurts it from the start.
SETTINGS = {
    "assumption wrong": Setting(0.2, (6.0, 0.0), 0.3),
    "assumption holds": Setting(0.0),
    "discriminative wins": Setting(0.2, (8.0, 8.0), 0.5),
}


def linear_error(setting: Setting, coef, intercept) -> np.ndarray:
    """Exact test error of the rule "class 1 iff
    wᵀx + b > 0" under ``setting``'s distribution.

    For a Gaussian part N(m, s² I) the rule says class 1 with probability
    Φ((wᵀm + b) / (s‖w‖)), so the error is Σ_parts P(part) · P(wrong label | part).
    ``coef`` has shape (..., 2) and ``intercept`` (...); returns shape (...).
    (With w = 0 the rule is constant: class 1 everywhere if b > 0, else class 0.)
    """
    _check_setting(setting)
    w = as_float_array(coef, "coef", min_ndim=1)
    if w.shape[-1] != 2:
        raise ValueError(f"coef must have 2 weights (the plane), got shape {w.shape}")
    b = as_float_array(intercept, "intercept")
    if b.shape != w.shape[:-1]:
        raise ValueError(f"intercept has shape {b.shape}, expected {w.shape[:-1]}")
    norm = np.linalg.norm(w, axis=-1)
    error = np.zeros(b.shape)
    for label, prob, mean, scale in setting.components():
        margin = w @ mean + b
        t = np.where(
            norm > 0,
            margin / np.where(norm > 0, scale * norm, 1.0),
            np.where(margin > 0, np.inf, -np.inf),
        )
        says_one = _Phi(t)
        error = error + prob * (1.0 - says_one if label == 1 else says_one)
    return error


def fit_gaussian_batch(X, y, *, naive: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Closed-form maximum-likelihood fit of two
    shared-covariance Gaussians, for a batch of data sets.

    X (..., n, d), y (..., n) with labels 0 and 1. Per data set: μ_k the class
    means, Σ = (1/n) Σ_m (x_m − μ_{y_m})(x_m − μ_{y_m})ᵀ the pooled covariance (its
    diagonal only if ``naive``), then w = Σ⁻¹(μ_1 − μ_0) and
    b = −½ μ_1ᵀΣ⁻¹μ_1 + ½ μ_0ᵀΣ⁻¹μ_0 + ln(n_1/n_0): the same moments and logits
    (:mod:`book.generative`'s batched core) that
    :class:`book.generative.GaussianGenerative` fits for one data set,
    whose one logit has w = W[:, 1] − W[:, 0] and b = b_1 − b_0 (its ``W_[:, 0]`` and
    ``b_[0]``). Returns (coef (..., d), intercept (...)). Raises ValueError for bad
    shapes or labels, a data set without both classes, or a singular
    covariance (too few examples: use more data).
    """
    naive = as_bool(naive, "naive")
    X = as_float_array(X, "X", min_ndim=2)
    y = as_labels(y, 2, X.shape[:-1]).astype(float)
    n1 = y.sum(axis=-1)
    n0 = y.shape[-1] - n1
    if ((n0 == 0) | (n1 == 0)).any():
        raise ValueError("every data set needs both classes (labels 0 and 1)")
    counts, means, per_class = _class_moments(X, np.stack([1 - y, y], axis=-1))
    Sigma = _model_covariance(_pooled(counts, per_class), naive, 0.0)
    _check_covariance(Sigma, "a pooled covariance estimate", remedy="")
    w, b = _one_logit(*_linear_logits(means, Sigma, counts / y.shape[-1]))
    return w[..., 0], b[..., 0]


@dataclass(frozen=True)
class LearningCurves:
    """Test errors ``errors[model]`` of shape (len(sizes), repeats),
    fitted on the same draws for every model."""

    setting: Setting
    sizes: np.ndarray
    errors: dict
    C: float
    newton_steps: int


@functools.lru_cache(maxsize=64)
def _curves(
    setting: Setting, sizes: tuple, repeats: int, seed: int, C: float, newton_steps: int
) -> LearningCurves:
    errors = {key: np.empty((len(sizes), repeats)) for key in MODELS}
    for i, n in enumerate(sizes):
        X, y = setting.sample(n, np.random.default_rng([seed, n]), repeats)
        fits = {
            "gaussian": fit_gaussian_batch(X, y),
            "naive_bayes": fit_gaussian_batch(X, y, naive=True),
            "logistic": logistic_newton(X, y, steps=newton_steps, C=C)[:2],
        }
        for key, (w, b) in fits.items():
            errors[key][i] = linear_error(setting, w, b)
    for e in errors.values():
        e.flags.writeable = (
            False  # cached: a caller must not change what the next caller gets
        )
    sizes_arr = np.array(sizes)
    sizes_arr.flags.writeable = False
    return LearningCurves(setting, sizes_arr, errors, C, newton_steps)


def learning_curves(
    setting: Setting,
    sizes,
    repeats: int = 200,
    seed: int = 0,
    *,
    C: float = 1e4,
    newton_steps: int = 30,
) -> LearningCurves:
    """Test error of every model in :data:`MODELS`
    for each training-set size, over seeded repeats.

    For each size n, ``repeats`` training sets are drawn with the generator
    ``np.random.default_rng([seed, n])`` (so adding a size changes no other),
    and all three models are fitted to each of them; logistic regression gets a
    ridge ‖w‖²/(2C) (scikit-learn's C) and ``newton_steps`` Newton steps, which
    matters at small n, where most training sets are separable and the
    unpenalised optimum does not exist. Results are cached (read-only arrays).
    Raises ValueError for a size below 4 (a pooled covariance needs it), a bad
    ``repeats``, ``C`` or ``newton_steps``.
    """
    _check_setting(setting)
    sizes_arr = np.asarray(sizes)
    if (
        sizes_arr.ndim != 1
        or sizes_arr.size == 0
        or not np.issubdtype(sizes_arr.dtype, np.integer)
    ):
        raise ValueError(
            f"sizes must be a non-empty 1-D sequence of integers, got {sizes!r}"
        )
    if (sizes_arr < 4).any():
        raise ValueError(
            "every size must be at least 4 (two examples per class), got "
            f"{sizes_arr.min()}"
        )
    repeats = as_count(repeats, "repeats", minimum=2, why="a band needs a spread")
    seed = as_seed(seed)
    C = as_positive(C, "C", allow_inf=True)
    newton_steps = as_count(
        newton_steps, "newton_steps", minimum=1, maximum=MAX_STEPS, why="MAX_STEPS"
    )
    check_size(repeats * int(sizes_arr.max()) * 3, "one size's training sets [X 1]")
    return _curves(
        setting, tuple(int(n) for n in sizes_arr), repeats, seed, C, newton_steps
    )


def _check_setting(setting) -> None:
    if not isinstance(setting, Setting):
        raise TypeError(f"setting must be a Setting, got {type(setting).__name__}")


def paired_difference(
    a, b, z: float = 1.96
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean of the paired difference d = a − b over
    the last axis (the repeats), with a normal band.

    Returns (mean, low, high) with low, high = mean ∓ z · sd(d)/√R: about a 95 %
    interval for the mean difference at z = 1.96. Pairing (the same training
    set for both models) removes the draw-to-draw spread both errors share.
    Raises ValueError for shapes that differ, fewer than two repeats or a negative z.
    """
    z = as_nonnegative(z, "z")
    a = as_float_array(a, "a", min_ndim=1)
    b = as_float_array(b, "b", min_ndim=1)
    if a.shape != b.shape:
        raise ValueError(f"a and b have different shapes: {a.shape} and {b.shape}")
    if a.shape[-1] < 2:
        raise ValueError("a paired band needs at least two repeats (the last axis)")
    d = a - b
    mean = d.mean(axis=-1)
    half = z * d.std(axis=-1, ddof=1) / math.sqrt(d.shape[-1])
    return mean, mean - half, mean + half
