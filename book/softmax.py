"""The softmax and its relatives, written to be numerically stable.

Every function here is finite and warning-free for any finite input (try
logits of ±1e4), works along any axis of a batch, and keeps float32 as float32.
A logit of ``-inf`` marks a class as impossible: it gets probability exactly 0.
"""
from __future__ import annotations

import numpy as np

from book.checks import as_distribution, as_float_array, as_labels

__all__ = [
    "logsumexp",
    "softmax",
    "log_softmax",
    "sigmoid",
    "log_sigmoid",
    "softplus",
    "cross_entropy",
    "cross_entropy_grad",
    "one_hot",
]


def _logits(o, axis: int | None = -1) -> np.ndarray:
    """Check logits: numeric, no NaN, no +inf, a non-empty class axis, not every class -inf."""
    arr = np.asarray(o)
    if axis is not None and arr.ndim >= 1 and arr.shape[axis] == 0:
        raise ValueError(f"o has an empty class axis (shape {arr.shape}, axis {axis})")
    arr = as_float_array(arr, "o", min_ndim=0 if axis is None else 1, allow_inf=True)
    if np.isposinf(arr).any():
        raise ValueError("o contains +inf: a logit must be finite or -inf (an impossible class)")
    if axis is not None and np.isneginf(arr).all(axis=axis).any():
        raise ValueError("every logit along the class axis is -inf: no class is possible")
    return arr


def _lse(o: np.ndarray, axis: int) -> np.ndarray:
    """log Σ exp(o) along ``axis`` with keepdims, on already-checked logits."""
    m = np.max(o, axis=axis, keepdims=True)
    return m + np.log(np.sum(np.exp(o - m), axis=axis, keepdims=True))


def logsumexp(o, axis: int = -1) -> np.ndarray:
    """log Σ_j exp(o_j) = m + log Σ_j exp(o_j − m), with m = max_j o_j.

    Subtracting the maximum makes the largest term exp(0) = 1, so nothing
    overflows and the sum is at least 1, so its log never underflows.
    """
    o = _logits(o, axis)
    return np.squeeze(_lse(o, axis), axis=axis)


def softmax(o, axis: int = -1) -> np.ndarray:
    """softmax(o)_i = exp(o_i) / Σ_j exp(o_j), computed as exp(o_i − m) / Σ_j exp(o_j − m)."""
    o = _logits(o, axis)
    e = np.exp(o - np.max(o, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(o, axis: int = -1) -> np.ndarray:
    """log softmax(o)_i = o_i − log Σ_j exp(o_j).

    Better than ``np.log(softmax(o))``: a tiny probability that underflows to 0
    would give log 0 = −inf, while this stays finite.
    """
    o = _logits(o, axis)
    return o - _lse(o, axis)


def sigmoid(z) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), evaluated as e^z / (1 + e^z) for z < 0 so e^(−z) never overflows."""
    z = as_float_array(z, "z", allow_inf=True)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)


def softplus(z) -> np.ndarray:
    """softplus(z) = log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)); its derivative is σ(z)."""
    z = as_float_array(z, "z")
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def log_sigmoid(z) -> np.ndarray:
    """log σ(z) = −softplus(−z): finite where log(sigmoid(z)) would give log 0."""
    return -softplus(-as_float_array(z, "z"))


def one_hot(y, n_classes: int) -> np.ndarray:
    """The one-hot encoding: row i is the unit vector e_{y_i} of length ``n_classes``."""
    labels = as_labels(y, n_classes)
    return np.eye(n_classes)[labels]


def _targets(o: np.ndarray, y) -> np.ndarray:
    """Turn ``y`` (labels of shape o.shape[:-1], or a distribution of o's shape) into a distribution."""
    y_arr = np.asarray(y)
    if y_arr.shape == o.shape:
        return as_distribution(y_arr, o.shape).astype(o.dtype, copy=False)
    if y_arr.shape == o.shape[:-1]:
        return one_hot(as_labels(y_arr, o.shape[-1], o.shape[:-1]), o.shape[-1]).astype(o.dtype)
    raise ValueError(
        f"y has shape {y_arr.shape}; expected labels of shape {o.shape[:-1]} "
        f"or a label distribution of shape {o.shape}"
    )


def cross_entropy(o, y) -> np.ndarray:
    """Per-example loss l(y, o) = log Σ_i exp(o_i) − Σ_i y_i o_i = −Σ_i y_i log softmax(o)_i.

    ``y`` is integer labels (shape ``o.shape[:-1]``) or label distributions
    (shape ``o.shape``). With a one-hot y this is the negative log-likelihood
    −log p(y | o). Classes with y_i = 0 contribute nothing, even at o_i = −inf.
    """
    o = _logits(o)
    Y = _targets(o, y)
    terms = np.multiply(Y, o - _lse(o, -1), out=np.zeros_like(o), where=Y > 0)
    return -np.sum(terms, axis=-1)


def cross_entropy_grad(o, y) -> np.ndarray:
    """∂l/∂o = softmax(o) − y: the predicted distribution minus the observed one."""
    o = _logits(o)
    Y = _targets(o, y)
    return softmax(o) - Y
