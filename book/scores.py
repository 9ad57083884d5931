"""Three ways to score K classes with a linear layer o = Wᵀx + b,
and predict argmax_i o_i.

1. Square loss on the one-hot encoding: regress e_y on x by least squares
   (:class:`SquareLossScorer`, closed form).
2. A margin with a cost matrix Δ: require o_y − o_i ≥ Δ(y, i) for every wrong
   class i, and pay the largest shortfall (the multiclass hinge loss of
   Crammer and Singer; :class:`MarginScorer`, subgradient descent).
3. Calibrated probabilities p = softmax(o), trained with the cross-entropy:
   :class:`book.SoftmaxRegression`, the subject of chapters 2 and 3.

Loss functions take scores O of shape (..., K) and integer labels y of shape
O.shape[:-1], and return one loss per example.
"""

from __future__ import annotations

import numpy as np

from book.checks import (
    as_bool,
    as_class_labels,
    as_design_matrix,
    as_float_array,
    as_labels,
    as_learning_rate,
    as_n_classes,
    as_nonnegative,
    as_steps,
    check_fitted,
    check_same_length,
    check_size,
)
from book.models import LinearModel
from book.softmax import one_hot

__all__ = [
    "zero_one_cost",
    "as_cost",
    "square_loss",
    "square_loss_grad",
    "margins",
    "hinge_loss",
    "hinge_grad",
    "SquareLossScorer",
    "MarginScorer",
]


def _scores_and_labels(O, y) -> tuple[np.ndarray, np.ndarray]:
    """Check scores O (..., K) and labels y (O.shape[:-1]) in 0..K−1."""
    O = as_float_array(O, "O", min_ndim=1)
    return O, as_labels(y, O.shape[-1], O.shape[:-1])


def zero_one_cost(n_classes: int) -> np.ndarray:
    """Δ(y, i) = 1 for i ≠ y and 0 for i = y: every mistake costs the same.

    Raises ``ValueError`` for fewer than two classes (or a K × K matrix larger
    than ``book.checks.MAX_ELEMENTS``), ``TypeError`` for a non-integer.
    """
    K = as_n_classes(n_classes)
    check_size(K * K, "the cost matrix")
    return 1.0 - np.eye(K)


def as_cost(cost, n_classes: int) -> np.ndarray:
    """Check a cost matrix Δ: shape (K, K), finite, Δ(y, i) ≥ 0, Δ(y, y) = 0.

    Row y is the true class, column i the predicted one. ``None`` gives the
    0–1 cost. Raises ``ValueError`` for a wrong shape, a negative entry or a
    non-zero diagonal, ``TypeError`` for non-numeric entries.
    """
    n_classes = as_n_classes(n_classes)
    if cost is None:
        return zero_one_cost(n_classes)
    D = as_float_array(cost, "cost")
    if D.shape != (n_classes, n_classes):
        raise ValueError(
            f"cost has shape {D.shape}, expected ({n_classes}, {n_classes}) for "
            f"{n_classes} classes"
        )
    if (D < 0).any():
        raise ValueError(
            "cost has a negative entry: a mistake cannot cost less than nothing"
        )
    if np.diagonal(D).any():
        raise ValueError(
            "cost has a non-zero diagonal: Δ(y, y) must be 0 (a right answer costs "
            "nothing)"
        )
    return D


def square_loss(O, y) -> np.ndarray:
    """l(y, o) = ½ ‖o − e_y‖² = ½ Σ_i (o_i − [i = y])², one value per example.

    Raises ``ValueError`` for NaN or infinite scores and for labels of the wrong shape
    or out of range, ``TypeError`` for non-numeric input.
    """
    O, y = _scores_and_labels(O, y)
    return 0.5 * np.sum((O - one_hot(y, O.shape[-1])) ** 2, axis=-1)


def square_loss_grad(O, y) -> np.ndarray:
    """∂l/∂o = o − e_y: the estimate minus the one-hot observation.

    Raises ``ValueError`` for NaN or infinite scores and for labels of the wrong shape
    or out of range, ``TypeError`` for non-numeric input.
    """
    O, y = _scores_and_labels(O, y)
    return O - one_hot(y, O.shape[-1])


def margins(O, y) -> np.ndarray:
    """The margins o_y − o_i of the true class y over every class i (0 at i = y).

    Raises ``ValueError`` for NaN or infinite scores and for labels of the wrong shape
    or out of range, ``TypeError`` for non-numeric input.
    """
    O, y = _scores_and_labels(O, y)
    return np.take_along_axis(O, y[..., None], axis=-1) - O


def _hinge(
    O: np.ndarray, y: np.ndarray, D: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Loss and subgradient of the hinge loss on checked scores,
    labels and cost (no checks: the training loop's inner step)."""
    # shortfalls Δ(y, i) − (o_y − o_i)
    S = D[y] - (np.take_along_axis(O, y[..., None], axis=-1) - O)
    loss = np.max(S, axis=-1)
    G = np.zeros(O.shape)  # e_{i*} − e_y, built in place: no K × K identity matrix
    np.put_along_axis(G, np.argmax(S, axis=-1)[..., None], 1.0, axis=-1)
    np.put_along_axis(
        G, y[..., None], np.take_along_axis(G, y[..., None], axis=-1) - 1.0, axis=-1
    )
    return loss, np.where((loss > 0)[..., None], G, 0.0)


def hinge_loss(O, y, cost=None) -> np.ndarray:
    """l(y, o) = max_i [Δ(y, i) − (o_y − o_i)]
    = max(0, max_{i≠y} [Δ(y, i) + o_i − o_y]).

    The largest amount by which a wrong class i misses its required margin
    o_y − o_i ≥ Δ(y, i); the term i = y is 0, so l ≥ 0, and l = 0 exactly
    when every margin is met. ``cost`` is Δ (default: the 0–1 cost).
    Raises ``ValueError`` for NaN or infinite scores and for labels of the wrong shape
    or out of range, ``TypeError`` for non-numeric input. A bad ``cost`` raises as
    in :func:`as_cost`.
    """
    O, y = _scores_and_labels(O, y)
    return _hinge(O, y, as_cost(cost, O.shape[-1]))[0]


def hinge_grad(O, y, cost=None) -> np.ndarray:
    """A subgradient of the hinge loss in o: e_{i*} − e_y,
    with i* the class of the largest shortfall.

    It is 0 where every margin is met (l = 0). Away from ties between
    shortfalls it is the gradient; at a tie it picks the lowest class index.
    Raises ``ValueError`` for NaN or infinite scores and for labels of the wrong shape
    or out of range, ``TypeError`` for non-numeric input. A bad ``cost`` raises as
    in :func:`as_cost`.
    """
    O, y = _scores_and_labels(O, y)
    return _hinge(O, y, as_cost(cost, O.shape[-1]))[1]


def _fit_input(X, y, n_classes: int | None) -> tuple[np.ndarray, np.ndarray, int]:
    """Check training input: X (n × d), labels y (n,) in 0..K−1 with K
    = n_classes or max(y) + 1, every class present."""
    X = as_design_matrix(X)
    labels, K = as_class_labels(y, n_classes)
    check_same_length(X, labels)
    return X, labels, K


class SquareLossScorer(LinearModel):
    """Least squares on one-hot targets:
    minimise (1/n) Σ_m ½ ‖Wᵀx_m + b − e_{y_m}‖², predict argmax.

    Closed form: with X̃ = [X, 1] (a column of ones for b), the solution
    [W; bᵀ] = argmin ‖X̃ [W; bᵀ] − Y‖² solves the normal equations
    X̃ᵀX̃ [W; bᵀ] = X̃ᵀY, one ordinary regression per class. Since the columns
    of Y sum to the column of ones, which X̃ contains, the K outputs sum to 1
    at every x.
    """

    def fit(self, X, y, n_classes: int | None = None) -> "SquareLossScorer":
        """Fit W (d × K) and b (K,) to inputs X (n × d) and
        labels y in 0..K−1; returns self.

        K is ``n_classes``, or the largest label plus one. Raises ``ValueError``
        for X not 2-D, NaN or infinite inputs, mismatched lengths, a label out of range,
        a class without examples or fewer than two classes, and ``TypeError`` for
        non-numeric inputs or labels.
        """
        X, y, K = _fit_input(X, y, n_classes)
        Y = one_hot(y, K)
        X1 = np.column_stack([X, np.ones(len(X))])
        Wb = np.linalg.lstsq(X1, Y, rcond=None)[0]
        self.W_, self.b_ = Wb[:-1], Wb[-1]
        return self

    def loss(self, X, y) -> float:
        """The training objective (1/n) Σ_m ½ ‖o_m − e_{y_m}‖²."""
        return float(np.mean(square_loss(self.logits(X), y)))


class MarginScorer(LinearModel):
    """The multiclass hinge loss with a cost matrix Δ and
    an L2 penalty, by full-batch subgradient descent.

    Minimises J(W, b) = (1/n) Σ_m max_i [Δ(y_m, i) − (o_{m,y_m} − o_{m,i})] + (λ/2) ‖W‖²
    with o_m = Wᵀx_m + b. The penalty fixes the scale: without it, any W that
    meets the margins could be scaled up for free. Each step moves
    W ← W − η (Xᵀ G / n + λ W) and b ← b − η Σ_m g_m / n, where the rows g_m of
    G are :func:`hinge_grad`. ``history_`` holds J before each step and after the
    last, ``W_path_`` and ``b_path_`` the weights there. With ``warm_start=True``,
    :meth:`fit` continues from the current W and b (when their shapes fit) instead of
    from zero. :meth:`from_weights` makes a scorer with given W and b, without fitting.
    """

    def __init__(
        self,
        cost=None,
        reg: float = 0.01,
        lr: float = 0.3,
        steps: int = 500,
        warm_start: bool = False,
    ):
        if cost is not None:
            # its shape and entries are checked at fit, when K is known
            as_float_array(cost, "cost")
        self.cost = cost
        self.reg = as_nonnegative(reg, "reg")
        self.lr = as_learning_rate(lr)
        self.steps = as_steps(steps)
        self.warm_start = as_bool(warm_start, "warm_start")

    @classmethod
    def from_weights(cls, W, b, **hyper_parameters) -> "MarginScorer":
        """A scorer with the given W (d × K) and b (K,) instead
        of fitted ones, e.g. another library's solution.

        The keywords are ``__init__``'s (``cost``, ``reg``, ...):
        its :meth:`loss` is J with the cost Δ (default 0–1) and penalty λ = ``reg``;
        it can be fitted further with ``warm_start=True``. W and b are copied.
        """
        model = super().from_weights(W, b, **hyper_parameters)
        model.cost_ = as_cost(model.cost, model.W_.shape[1])
        return model

    def fit(self, X, y, n_classes: int | None = None) -> "MarginScorer":
        """Run ``steps`` subgradient steps
        on X (n × d) and labels y in 0..K−1; returns self.

        ``history_`` holds J before each step and after the last. Raises as
        :meth:`SquareLossScorer.fit` does, as :func:`as_cost` for a bad cost, and
        ``ValueError`` naming ``lr`` when J or the weights stop being finite numbers.
        """
        X, y, K = _fit_input(X, y, n_classes)
        self.cost_ = as_cost(self.cost, K)
        if not (
            self.warm_start
            and getattr(self, "W_", np.empty(0)).shape == (X.shape[1], K)
        ):
            self.W_ = np.zeros((X.shape[1], K))
            self.b_ = np.zeros(K)
        self._descend(X, y)
        return self

    def _objective(self, O: np.ndarray, y: np.ndarray) -> float:
        """J from the scores O = X W + b of checked input."""
        return self._penalised(_hinge(O, y, self.cost_)[0])

    def _penalised(self, losses: np.ndarray) -> float:
        """J = the mean of the per-example hinge losses plus (λ/2) ‖W‖²."""
        return float(np.mean(losses) + 0.5 * self.reg * np.sum(self.W_**2))

    def step(self, X, y) -> float:
        """One subgradient step from the current W and b on X (n × d) and
        labels y; returns J before the step."""
        check_fitted(self, "cost_")
        X = as_design_matrix(X, n_features=self.W_.shape[0])
        y = as_labels(y, self.W_.shape[1], (len(X),))
        return self._step(X, y)

    def _step(self, X: np.ndarray, y: np.ndarray) -> float:
        """:meth:`step` on checked input."""
        l, G = _hinge(X @ self.W_ + self.b_, y, self.cost_)
        J = self._penalised(l)
        G /= len(X)
        self.W_ -= self.lr * (X.T @ G + self.reg * self.W_)
        self.b_ -= self.lr * G.sum(axis=0)
        return J

    def loss(self, X, y) -> float:
        """The training objective J(W, b) on X and
        labels y (hinge averaged, plus the penalty)."""
        O = self.logits(X)
        check_fitted(self, "cost_")
        return self._objective(O, as_labels(y, O.shape[1], (len(O),)))
