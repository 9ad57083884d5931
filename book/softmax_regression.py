"""Softmax regression: a linear layer o = Wᵀx + b followed
by the softmax, fitted by gradient descent.

The loss is the cross-entropy averaged over the n training examples,
L(W, b) = (1/n) Σ_m l(y_m, o_m). Since ∂l/∂o = softmax(o) − y, the chain rule
gives ∂L/∂W = Xᵀ(P − Y)/n and ∂L/∂b = mean over examples of (P − Y), where P
holds the predicted probabilities and Y the one-hot labels, one row per example.
"""

from __future__ import annotations

import numpy as np

from book.checks import (
    as_class_labels,
    as_design_matrix,
    as_distribution,
    as_learning_rate,
    as_steps,
    check_fitted,
    check_same_length,
    warn_separable,
)
from book.models import LinearClassifier, _start
from book.softmax import cross_entropy, log_softmax, one_hot

__all__ = ["SoftmaxRegression"]


class SoftmaxRegression(LinearClassifier):
    """Multinomial logistic regression, unpenalised, by full-batch gradient
    descent (from W = 0, b = 0 by default).

    Each step is W ← W − η ∂L/∂W, b ← b − η ∂L/∂b with η = ``lr``. After
    :meth:`fit`: ``W_`` (d × K), ``b_`` (K,), ``history_`` (the mean loss before
    each step and after the last, shape (steps + 1,)), and the path of the
    parameters, ``W_path_`` (steps + 1, d, K) and ``b_path_`` (steps + 1, K).

    Starting at zero matters: the model is over-parameterised (adding the same
    vector to every column of W, or the same number to every b_k, changes no
    probability), and a gradient step never changes Σ_k W[:, k] or Σ_k b_k
    (each row of P − Y sums to zero), so from zero the weights stay centred
    across classes, the one solution of the many that scikit-learn also returns.

    A fit takes exactly ``steps`` steps (at most ``book.checks.MAX_STEPS``). It
    ends with a ``ValueError`` naming ``lr`` if the loss or the weights stop
    being finite numbers, and warns (``SeparableDataWarning``) when the fitted
    weights classify every training example correctly: then the loss has no
    minimum and the weights would grow with every further step.
    :meth:`from_weights` makes a model with given W and b, without fitting.
    """

    def __init__(self, lr: float = 0.5, steps: int = 500):
        self.lr = as_learning_rate(lr)
        self.steps = as_steps(steps)

    def fit(
        self, X, y, n_classes: int | None = None, W_init=None, b_init=None
    ) -> "SoftmaxRegression":
        """Fit W (d × K) and b (K,) to inputs X (n × d) and
        labels y in 0..K−1 by ``steps`` steps; returns self.

        K is ``n_classes``, or the largest label plus one; every class must
        occur in y. The start is (W_init, b_init), zeros by default. Raises
        ``ValueError`` for mismatched lengths, fewer than two classes, a class
        without examples, a label out of range, NaN or infinite inputs, a start
        of the wrong shape, a path larger than ``book.checks.MAX_ELEMENTS``, or a
        fit whose loss or weights stop being finite (too large an ``lr``);
        ``TypeError`` for a non-integer ``n_classes``.
        """
        X = as_design_matrix(X)
        labels, K = as_class_labels(y, n_classes)
        check_same_length(X, labels)
        d = X.shape[1]
        self.W_ = _start(W_init, "W_init", (d, K))
        self.b_ = _start(b_init, "b_init", (K,))
        self._descend(X, one_hot(labels, K))
        if _separates(X @ self.W_ + self.b_, labels):
            warn_separable(
                "SoftmaxRegression",
                "Fewer steps stop earlier on the same path; a penalised fit "
                "(scikit-learn's LogisticRegression(C=...)) has a minimum.",
            )
        return self

    def step(self, X, Y) -> float:
        """One gradient step from the current W and b on X (n × d) and one-hot
        rows Y (n × K); returns the mean loss before it.

        With G = (P − Y)/n, the cross-entropy gradient of each row divided by n,
        the gradients are ∂L/∂W = XᵀG and ∂L/∂b = Σ_m G_m. ``Y`` may hold any
        label distributions (rows of non-negative numbers summing to one).
        """
        check_fitted(self, "W_")
        X = as_design_matrix(X, n_features=self.W_.shape[0])
        Y = as_distribution(Y, (len(X), self.W_.shape[1]), name="Y")
        return self._step(X, Y)

    def _step(self, X: np.ndarray, Y: np.ndarray) -> float:
        """:meth:`step` on checked input."""
        # one stable pass gives both the loss and P
        log_P = log_softmax(X @ self.W_ + self.b_)
        loss = -float(np.mean(np.sum(Y * log_P, axis=1)))
        with np.errstate(under="ignore"):  # a probability below 1e-308 is 0
            G = (np.exp(log_P) - Y) / len(X)
        self.W_ -= self.lr * (X.T @ G)
        self.b_ -= self.lr * G.sum(axis=0)
        return loss

    @staticmethod
    def _objective(O: np.ndarray, Y: np.ndarray) -> float:
        """The mean cross-entropy L of scores O
        = XW + b against label distributions Y."""
        return float(np.mean(cross_entropy(O, Y)))


def _separates(O: np.ndarray, labels: np.ndarray) -> bool:
    """True when every row's own class has the strictly largest score:
    the scores separate the classes."""
    rows = np.arange(len(O))
    others = O.copy()
    others[rows, labels] = -np.inf
    return bool(np.all(O[rows, labels] > others.max(axis=1)))
