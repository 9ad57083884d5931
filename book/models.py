"""What every model of the book shares: logits,
the probabilities and labels they give, and a linear layer.

The convention (CONTRIBUTING.md, section "Models", says it in full): hyper-parameters go
to ``__init__``; ``fit(X, y)`` returns the model; learned attributes end in ``_``:
``W_`` (d × K), ``b_`` (K,), ``history_`` (an array); ``logits(X)`` gives the scores o,
``predict_proba(X)`` one column per class, ``predict(X)`` the labels;
``from_weights(W, b, ...)`` makes a model with given weights instead of fitted ones.

A model whose mathematics is one logit z = wᵀx + b with P(C_1 | x) = σ(z) (two classes,
chapters 5a and 5b) stores w as ``W_`` of shape (d, 1) and b as ``b_`` of shape (1,);
its ``logits`` have shape (n, 1) and its ``predict_proba`` still has one column per
class, (σ(−z), σ(z)), shape (n, 2). A model with K logits and a softmax keeps K columns
for every K, K = 2 included.
"""

from __future__ import annotations

import numpy as np

from book.checks import (
    as_design_matrix,
    as_float_array,
    check_fit_is_finite,
    check_fitted,
    check_size,
    fit_guard,
)
from book.softmax import sigmoid, softmax

__all__ = ["LinearModel", "LinearClassifier"]


def _proba(O: np.ndarray) -> np.ndarray:
    """P(class | x) from logits O (..., K),
    one column per class for every number of classes.

    K ≥ 2 columns: softmax(o). One column z (two classes, one logit): (1 − σ(z), σ(z)) =
    (σ(−z), σ(z)), so column k is the probability of label k (C_2 is label 0, C_1 label
    1).
    """
    if O.shape[-1] == 1:
        with np.errstate(under="ignore"):  # a probability below 1e-308 is 0
            return np.concatenate([sigmoid(-O), sigmoid(O)], axis=-1)
    return softmax(O, axis=-1)


def _label(O: np.ndarray) -> np.ndarray:
    """The predicted label from logits O (..., K): argmax_k o_k,
    or for one logit z, 1 where z > 0 (σ(z) > ½)."""
    if O.shape[-1] == 1:
        return (O[..., 0] > 0).astype(np.int64)
    return np.argmax(O, axis=-1)


def _one_logit(W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two classes' softmax logits as one: z = o_1 − o_0,
    so w = W[:, 1] − W[:, 0] and b = b_1 − b_0.

    softmax(o)_1 = σ(o_1 − o_0). W (..., d, 2) and b (..., 2) give w (..., d, 1) and b
    (..., 1).
    """
    return W[..., 1:] - W[..., :1], b[..., 1:] - b[..., :1]


def _weights(W, b, one_logit: bool) -> tuple[np.ndarray, np.ndarray]:
    """Given weights as float64 copies: W (d × K) with K ≥ 2,
    or K = 1 for a one-logit model, and b (K,)."""
    W = as_float_array(W, "W").astype(np.float64)
    if one_logit and (W.ndim != 2 or W.shape[1] != 1):
        raise ValueError(
            "W must be a (d, 1) matrix (the one logit of two classes), got shape "
            f"{W.shape}"
        )
    if not one_logit and (W.ndim != 2 or W.shape[1] < 2):
        raise ValueError(
            f"W must be a (d, K) matrix with K >= 2 classes, got shape {W.shape}"
        )
    b = as_float_array(b, "b").astype(np.float64)
    if b.shape != (W.shape[1],):
        raise ValueError(f"b has shape {b.shape}, expected ({W.shape[1]},) to match W")
    return W, b


def _start(value, name: str, shape: tuple) -> np.ndarray:
    """A fresh float64 copy of a fit's starting
    value (zeros when ``value`` is None), checked for its shape."""
    if value is None:
        return np.zeros(shape)
    # astype copies, so fitting never changes the caller's array.
    start = as_float_array(value, name).astype(np.float64)
    if start.shape != shape:
        raise ValueError(f"{name} has shape {start.shape}, expected {shape}")
    return start


class LinearModel:
    """A linear layer o = Wᵀx + b and argmax: ``W_`` (d × K),
    ``b_`` (K,), or (d, 1) and (1,) with one logit.

    A subclass sets :attr:`one_logit`, takes its hyper-parameters in ``__init__`` and
    defines ``fit(X, y)``; it gets :meth:`logits`, :meth:`predict`
    and :meth:`from_weights` from here.
    """

    #: True for a two-class model of one logit z = wᵀx
    #: + b (``W_`` of shape (d, 1)), False for K logits.
    one_logit = False

    @classmethod
    def from_weights(cls, W, b, **hyper_parameters):
        """A model with the given W and b (copies) instead
        of fitted ones; the keywords go to ``__init__``.

        Raises ``ValueError`` when W is not (d, K) with K ≥ 2 (or (d, 1) for a one-logit
        model) or b is not (K,), ``TypeError`` for non-numeric or boolean weights.
        """
        model = cls(**hyper_parameters)
        model.W_, model.b_ = _weights(W, b, cls.one_logit)
        return model

    def logits(self, X) -> np.ndarray:
        """o = XW + b, shape (n, K) ((n, 1) for one logit). Raises ``ValueError`` before
        fit or for the wrong number of features."""
        check_fitted(self, "W_")
        return as_design_matrix(X, n_features=self.W_.shape[0]) @ self.W_ + self.b_

    def predict(self, X) -> np.ndarray:
        """The predicted label of every row of X:
        argmax_k o_k (for one logit, 1 where z > 0)."""
        return _label(self.logits(X))

    def _descend(self, X: np.ndarray, target: np.ndarray) -> None:
        """``steps`` steps of the subclass's ``_step`` from the current W_, b_;
        records ``history_``, ``W_path_``, ``b_path_``.

        ``history_`` is the loss (``_step``'s return value) before every step and
        ``_objective`` after the last, shape (steps + 1,); the paths have shapes
        (steps + 1, d, K) and (steps + 1, K). Ends with a ``ValueError`` naming ``lr``
        when the loss or the weights stop being finite numbers.
        """
        d, K = self.W_.shape
        check_size((self.steps + 1) * d * K, "the path of W (steps + 1, d, K)")
        self.W_path_ = np.empty((self.steps + 1, d, K))
        self.b_path_ = np.empty((self.steps + 1, K))
        self.history_ = np.empty(self.steps + 1)
        with fit_guard(self.lr):
            for t in range(self.steps):
                self.W_path_[t], self.b_path_[t] = self.W_, self.b_
                self.history_[t] = self._step(X, target)
            self.W_path_[-1], self.b_path_[-1] = self.W_, self.b_
            self.history_[-1] = self._objective(X @ self.W_ + self.b_, target)
        check_fit_is_finite(self.lr, self.history_[-1], self.W_, self.b_)


class LinearClassifier(LinearModel):
    """A :class:`LinearModel` whose logits are
    calibrated: softmax(o), or σ(z) for one logit."""

    def predict_proba(self, X) -> np.ndarray:
        """P(class | x), shape (n, K) for every K: softmax(XW + b),
        or (σ(−z), σ(z)) for one logit z; rows sum to one."""
        return _proba(self.logits(X))
