"""The softmax and its relatives, written to be numerically stable.

Every function here is finite and warning-free for any finite input (try
logits of ±1e4), works along any axis of a batch, and keeps float32 as float32.
A logit of ``-inf`` marks a class as impossible: it gets probability exactly 0.

The softmax family shifts the logits by their maximum m before exponentiating,
e^(o_i − m): the largest term becomes e^0 = 1, so nothing overflows, and the
sum is at least 1, so its logarithm is finite. Terms far below the maximum
underflow to 0, which is the right answer to double precision, so underflow is
silenced here (tests turn every floating-point flag into an error).
"""

from __future__ import annotations

import numpy as np

from book.checks import (
    as_axis,
    as_count,
    as_distribution,
    as_float_array,
    as_labels,
    as_n_classes,
    as_number,
    check_size,
)

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
    "smoothed_target",
    "square_normalize",
]


def _logits(o, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Checked logits (float32 or float64) and their maximum m along
    ``axis`` (kept as a size-1 axis).

    Raises ``TypeError`` for non-numeric, complex or boolean ``o`` or a
    non-integer axis, and ``ValueError`` for a scalar, an axis out of range, an
    empty class axis or batch, NaN, +inf, or a row whose every logit is −inf.
    """
    arr = np.asarray(o)
    if arr.dtype not in (np.float32, np.float64):
        # checks the type; converts ints, refuses booleans
        arr = as_float_array(arr, "o", allow_inf=True)
    if arr.ndim == 0:
        raise ValueError(
            "o is a scalar; it needs a class axis (a vector of logits, one per class)"
        )
    axis = as_axis(axis, arr.ndim)
    if arr.shape[axis] == 0:
        raise ValueError(f"o has an empty class axis (shape {arr.shape}, axis {axis})")
    if arr.size == 0:
        raise ValueError(f"o is empty (shape {arr.shape})")
    m = np.max(arr, axis=axis, keepdims=True)
    # The maximum propagates NaN, so checking the small array m finds every bad
    # row without another pass over o (this keeps the functions as fast as SciPy's).
    if np.isnan(m).any():
        raise ValueError("o contains NaN")
    if np.isposinf(m).any():
        raise ValueError(
            "o contains +inf: a logit must be finite or -inf (an impossible class)"
        )
    if np.isneginf(m).any():
        raise ValueError(
            "every logit along the class axis of some row of o is -inf: no class is "
            "possible"
        )
    return arr, m


def logsumexp(o, axis: int = -1) -> np.ndarray:
    """log Σ_j exp(o_j) = m + log Σ_j exp(o_j − m),
    with m = max_j o_j; the class axis is removed.

    Raises ``ValueError`` for NaN, +inf, an empty class axis or a row of −inf,
    and ``TypeError`` for non-numeric input.
    """
    o, m = _logits(o, axis)
    with np.errstate(under="ignore"):
        e = np.subtract(o, m)
        np.exp(e, out=e)
        s = np.sum(e, axis=axis, keepdims=True)
    return np.squeeze(m + np.log(s), axis=axis)


def softmax(o, axis: int = -1) -> np.ndarray:
    """p_i = softmax(o)_i = exp(o_i) / Σ_j exp(o_j), computed
    as exp(o_i − m) / Σ_j exp(o_j − m).

    Every p_i is in [0, 1] and they sum to one along ``axis``; p_i = 0 exactly
    where o_i = −inf. Raises as :func:`logsumexp` does.
    """
    o, m = _logits(o, axis)
    with np.errstate(under="ignore"):
        p = np.subtract(o, m)
        np.exp(p, out=p)
        p /= np.sum(p, axis=axis, keepdims=True)
    return p


def log_softmax(o, axis: int = -1) -> np.ndarray:
    """log softmax(o)_i = o_i − log Σ_j exp(o_j) = (o_i − m) − log Σ_j exp(o_j − m).

    Better than ``np.log(softmax(o))``: a probability that underflows to 0
    would give log 0 = −inf there, while this stays finite (−inf only where
    o_i = −inf). Raises as :func:`logsumexp` does.
    """
    o, m = _logits(o, axis)
    with np.errstate(under="ignore"):
        shifted = np.subtract(o, m)
        shifted -= np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    return shifted


def square_normalize(o, axis: int = -1) -> np.ndarray:
    """q_i = o_i² / Σ_j o_j²: another way to turn scores
    into probabilities, shown in chapter 2 as a foil.

    It loses the sign (o and −o give the same q), ignores the scale (q(t·o) =
    q(o), so confidence cannot grow with the scores) and is undefined at o = 0,
    where its derivative, of size about 1/‖o‖, blows up. Raises
    ``ValueError`` for a row of zeros, NaN, an infinite value or a bad axis.
    """
    o = as_float_array(o, "o", min_ndim=1)
    axis = as_axis(axis, o.ndim)
    scale = np.max(np.abs(o), axis=axis, keepdims=True)
    if np.any(scale == 0):
        raise ValueError(
            "o has a row of zeros, where o_i² / Σ_j o_j² is 0/0: undefined"
        )
    with np.errstate(under="ignore"):
        # q ignores the scale; dividing by max |o_j| first keeps o_i² finite
        squares = np.square(o / scale)
        return squares / np.sum(squares, axis=axis, keepdims=True)


def sigmoid(z) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), evaluated as e^z
    / (1 + e^z) for z < 0 so that e^(−z) never overflows.

    Elementwise; σ(−inf) = 0, σ(+inf) = 1. Raises ``ValueError`` for NaN or an
    empty array and ``TypeError`` for non-numeric input.
    """
    z = as_float_array(z, "z", allow_inf=True)
    with np.errstate(under="ignore"):
        return _sigmoid_of(z, np.exp(-np.abs(z)))


def _sigmoid_of(z: np.ndarray, e: np.ndarray) -> np.ndarray:
    """σ(z) from e = e^(−|z|), unchecked: 1/(1 + e) for z
    ≥ 0 and e/(1 + e) for z < 0, so nothing overflows.

    Shared with :func:`softplus`'s :func:`_softplus_of`, so that a caller that needs
    both (logistic regression's losses, Newton's method) computes the exponential once.
    """
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softplus(z) -> np.ndarray:
    """softplus(z) = log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|));
    its derivative is σ(z).

    Elementwise; softplus(−inf) = 0, softplus(+inf) = +inf. Raises as :func:`sigmoid`
    does.
    """
    z = as_float_array(z, "z", allow_inf=True)
    with np.errstate(under="ignore"):
        return _softplus_of(z, np.exp(-np.abs(z)))


def _softplus_of(z: np.ndarray, e: np.ndarray) -> np.ndarray:
    """softplus(z) from e = e^(−|z|), unchecked: max(z, 0) + log(1 + e)."""
    return np.maximum(z, 0) + np.log1p(e)


def log_sigmoid(z) -> np.ndarray:
    """log σ(z) = −softplus(−z): finite
    where ``np.log(sigmoid(z))`` would give log 0 = −inf.

    Raises as :func:`sigmoid` does.
    """
    return -softplus(-as_float_array(z, "z", allow_inf=True))


def one_hot(y, n_classes: int) -> np.ndarray:
    """The one-hot encoding: y_i becomes the unit vector e_{y_i} of
    length ``n_classes`` (a new last axis).

    Only the result is built, ``labels.shape + (n_classes,)`` numbers (no
    K × K identity matrix, which for 21,841 classes would be 3.8 GB). Raises
    ``ValueError`` for a label out of 0..n_classes−1 or not a whole number,
    ``n_classes`` < 1 or a result larger than ``book.checks.MAX_ELEMENTS``;
    ``TypeError`` for non-numeric labels or a non-integer ``n_classes``.
    """
    n_classes = as_n_classes(n_classes, minimum=1)
    labels = as_labels(y, n_classes)
    check_size(labels.size * n_classes, "the one-hot encoding")
    Y = np.zeros(labels.shape + (n_classes,))
    np.put_along_axis(Y, labels[..., None], 1.0, axis=-1)
    return Y


def smoothed_target(label: int, smoothing: float, n_classes: int = 3) -> np.ndarray:
    """y = (1 − ε) e_label + ε/K: the one-hot target
    mixed with the uniform distribution (label smoothing).

    K = ``n_classes`` (chapter 3's three by default). Raises ``TypeError`` for a
    label or K that is not a whole number, ``ValueError`` for a label outside
    0..K−1 or an ε outside [0, 1].
    """
    n_classes = as_n_classes(n_classes)
    label = as_count(
        label, "label", maximum=n_classes - 1, why=f"the classes are 0..{n_classes - 1}"
    )
    smoothing = as_number(smoothing, "smoothing", minimum=0, maximum=1)
    y = np.full(n_classes, smoothing / n_classes)
    y[label] += 1 - smoothing
    return y


def _targets(o: np.ndarray, y) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Sort ``y`` into (labels, None) when its shape is o.shape[:-1],
    or (None, distribution) when it is o.shape."""
    y_arr = np.asarray(y)
    if y_arr.shape == o.shape[:-1]:
        return as_labels(y_arr, o.shape[-1], o.shape[:-1]), None
    if y_arr.shape == o.shape:
        return None, as_distribution(y_arr, o.shape).astype(o.dtype, copy=False)
    raise ValueError(
        f"y has shape {y_arr.shape}; expected labels of shape {o.shape[:-1]} "
        f"or a label distribution of shape {o.shape}"
    )


def cross_entropy(o, y) -> np.ndarray:
    """Per-example loss l(y, o) = log Σ_i exp(o_i) − Σ_i y_i o_i
    = −Σ_i y_i log softmax(o)_i, shape o.shape[:-1].

    ``y`` is integer labels (shape ``o.shape[:-1]``), for which the loss is the
    negative log-likelihood −log p(y | o) = log Σ_i exp(o_i) − o_y, or label
    distributions (shape ``o.shape``: non-negative, each row summing to one
    within ``book.checks.SUM_TOL``). Classes with y_i = 0 contribute nothing,
    even at o_i = −inf; a class with y_i > 0 and o_i = −inf costs +inf.

    Raises ``ValueError`` for bad logits (as :func:`logsumexp`), a label out of
    range or not a whole number, a distribution with a negative entry or a row
    not summing to one, or a ``y`` of neither shape.
    """
    o, m = _logits(o, -1)
    labels, Y = _targets(o, y)
    with np.errstate(under="ignore"):
        log_s = np.log(np.sum(np.exp(o - m), axis=-1, keepdims=True))
        if labels is not None:
            o_y = np.take_along_axis(o, labels[..., None], axis=-1)
            return ((m - o_y) + log_s)[..., 0]
        log_p = (o - m) - log_s
        return -np.sum(
            np.multiply(Y, log_p, out=np.zeros_like(o), where=Y > 0), axis=-1
        )


def cross_entropy_grad(o, y) -> np.ndarray:
    """∂l/∂o = softmax(o) − y: the predicted distribution
    minus the observed one, same shape as ``o``.

    ``y`` is labels or label distributions, as in :func:`cross_entropy`, and
    the same errors are raised. Each row of the gradient sums to zero.
    """
    p = softmax(o)
    labels, Y = _targets(p, y)
    if labels is None:
        return p - Y
    idx = labels[..., None]
    np.put_along_axis(p, idx, np.take_along_axis(p, idx, axis=-1) - 1, axis=-1)
    return p
