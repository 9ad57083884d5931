"""Logistic regression: one neuron f(x) = σ(wᵀx + b) that
estimates P(C_1 | x), fitted to labels ŷ ∈ {0, 1}.

With z = wᵀx + b and f = σ(z), the two per-example losses the book compares are

* cross-entropy  l = −[ŷ ln f + (1 − ŷ) ln(1 − f)]
  = softplus(z) − ŷ z, ∂l/∂w = −(ŷ − f) x,
* square error   l = (f − ŷ)²,
                       ∂l/∂w = 2(f − ŷ) f(1 − f) x,

and ∂l/∂b is the same with x replaced by 1. The factor f(1 − f) = σ'(z) is why
square error learns slowly: it is close to 0 whenever f is close to 0 or 1,
right or wrong.

Fitting: :class:`LogisticRegressionGD` by full-batch gradient descent on the
loss averaged over the training set (:func:`gd_paths` runs the same loop for many
learning rates at once; a single model is its batch of one); :func:`logistic_newton` by
Newton's method (iteratively reweighted least squares), for one data set or a whole
batch of them at once. :func:`reliability_curve` and :func:`expected_calibration_error`
say how well predicted probabilities match observed frequencies.

In C_1/C_2 terms (the second source's), C_1 is label 1 and C_2 is label 0.
"""

from __future__ import annotations

import numpy as np

from book.checks import (
    MAX_ELEMENTS,
    MAX_STEPS,
    as_choice,
    as_class_labels,
    as_count,
    as_design_matrix,
    as_float_array,
    as_labels,
    as_learning_rate,
    as_number,
    as_positive,
    as_steps,
    check_fit_is_finite,
    check_fitted,
    check_same_length,
    check_size,
    fit_guard,
    warn_separable,
)
from book.models import LinearClassifier, _start
from book.softmax import _sigmoid_of, _softplus_of

__all__ = [
    "LOSSES",
    "logistic_loss",
    "loss_and_gradient",
    "LogisticRegressionGD",
    "gd_paths",
    "logistic_newton",
    "reliability_curve",
    "expected_calibration_error",
]

#: The losses :class:`LogisticRegressionGD` can minimise.
LOSSES = ("cross_entropy", "square")


def _check_loss(loss: str) -> str:
    return as_choice(loss, "loss", LOSSES)


def _binary_labels(y, shape: tuple | None = None) -> np.ndarray:
    """Labels ŷ ∈ {0, 1} as float64."""
    return as_labels(y, 2, shape).astype(np.float64)


def _losses(z: np.ndarray, y: np.ndarray, loss: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-example loss l and its derivative ∂l/∂z on checked arrays."""
    # e^(−|z|) underflowing to 0 is the right answer for large |z|
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
        f = _sigmoid_of(z, e)
        if loss == "cross_entropy":
            return _softplus_of(z, e) - y * z, f - y
        return (f - y) ** 2, 2.0 * (f - y) * f * (1.0 - f)


def logistic_loss(z, y, loss: str = "cross_entropy") -> np.ndarray:
    """Per-example loss of logits z against
    labels ŷ ∈ {0, 1} of the same shape, elementwise.

    ``"cross_entropy"``: −[ŷ ln σ(z) + (1 − ŷ) ln σ(−z)] = softplus(z) − ŷ z,
    finite for any finite z; ``"square"``: (σ(z) − ŷ)². Raises ValueError for an unknown
    loss, a label other than 0 and 1, NaN or infinite z, or shapes that differ.
    """
    z = as_float_array(z, "z")
    y = _binary_labels(y, z.shape)
    return _losses(z, y, _check_loss(loss))[0]


def _mean_loss_and_gradient(coef, intercept, X, y, loss):
    """The unchecked core of :func:`loss_and_gradient`."""
    # a product below 1e-308 is 0 for every purpose here
    with np.errstate(under="ignore"):
        z = coef @ X.T + np.asarray(intercept)[..., None]
        ell, dz = _losses(z, y, loss)
        return ell.mean(axis=-1), dz @ X / len(y), dz.mean(axis=-1)


def loss_and_gradient(coef, intercept, X, y, loss: str = "cross_entropy"):
    """Mean loss L(w, b) = (1/n) Σ_m l(wᵀx_m + b, ŷ_m) and
    its gradient, at one or many (w, b).

    Returns (L, ∂L/∂w, ∂L/∂b) with ∂L/∂w = (1/n) Σ_m (∂l/∂z)_m x_m and
    ∂L/∂b = (1/n) Σ_m (∂l/∂z)_m, where ∂l/∂z = f − ŷ (cross-entropy) or
    2(f − ŷ) f(1 − f) (square error). ``coef`` has shape (..., d) and
    ``intercept`` (...), so a whole grid of parameters is evaluated at once
    (shapes (...), (..., d), (...)). Raises ValueError for mismatched shapes,
    labels other than 0 and 1, NaN or infinite values, or an unknown loss.
    """
    X = as_design_matrix(X)
    y = _binary_labels(y, (len(X),))
    coef = as_float_array(coef, "coef", min_ndim=1)
    if coef.shape[-1] != X.shape[1]:
        raise ValueError(
            f"coef has {coef.shape[-1]} weights but X has {X.shape[1]} features"
        )
    intercept = as_float_array(intercept, "intercept")
    if intercept.shape != coef.shape[:-1]:
        raise ValueError(
            f"intercept has shape {intercept.shape}, expected {coef.shape[:-1]} "
            "(coef's leading shape)"
        )
    return _mean_loss_and_gradient(coef, intercept, X, y, _check_loss(loss))


def _gd_inputs(
    X, y, coef_init, intercept_init
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The checked data and start of a gradient-descent fit:
    (X, ŷ as float64, w₀ (d,), b₀)."""
    X = as_design_matrix(X)
    labels, _ = as_class_labels(y, 2)
    check_same_length(X, labels)
    d = X.shape[1]
    w = (
        np.zeros(d)
        if coef_init is None
        else as_float_array(coef_init, "coef_init", min_ndim=1).astype(float)
    )
    if w.shape != (d,):
        raise ValueError(f"coef_init has shape {w.shape}, expected ({d},)")
    return X, labels.astype(np.float64), w, as_number(intercept_init, "intercept_init")


def _descend(X, y, lrs, steps, w, b, loss):
    """The one gradient-descent loop: B models side by
    side, w ← w − η ∂L/∂w, b ← b − η ∂L/∂b, unchecked.

    ``lrs`` (B,), start ``w`` (B, d) and ``b`` (B,); returns the paths
    (coef (steps + 1, B, d), intercept (steps + 1, B), mean loss (steps + 1, B)).
    :class:`LogisticRegressionGD` is the batch of one.
    """
    coefs = np.empty((steps + 1, *w.shape))
    intercepts, losses = np.empty((steps + 1, len(b))), np.empty((steps + 1, len(b)))
    for t in range(steps + 1):
        L, dw, db = _mean_loss_and_gradient(w, b, X, y, loss)
        coefs[t], intercepts[t], losses[t] = w, b, L
        w, b = w - lrs[:, None] * dw, b - lrs * db
    return coefs, intercepts, losses


def gd_paths(
    X,
    y,
    lrs,
    steps: int,
    coef_init=None,
    intercept_init: float = 0.0,
    loss: str = "cross_entropy",
):
    """Gradient descent on the mean loss from (coef_init, intercept_init) for
    every learning rate in ``lrs`` at once.

    Returns (coef (steps + 1, L, d), intercept (steps + 1, L), loss (steps + 1, L)):
    column i is :class:`LogisticRegressionGD`'s ``W_path_[:, :, 0]``, ``b_path_[:, 0]``
    and ``history_`` for ``lr = lrs[i]``, from the same loop. Raises as
    :meth:`LogisticRegressionGD.fit` does, and ``ValueError`` for ``lrs`` that are
    not a non-empty 1-D array of positive numbers (no separable-data warning:
    the race of chapter 5b runs on purpose until the data are separated).
    """
    X, y, w, b = _gd_inputs(X, y, coef_init, intercept_init)
    lrs = as_float_array(lrs, "lrs", min_ndim=1).astype(np.float64)
    if lrs.ndim != 1 or (lrs <= 0).any():
        raise ValueError(
            "lrs must be a 1-D array of positive learning rates, got "
            f"{np.array2string(lrs, threshold=6)}"
        )
    steps = as_steps(steps)
    loss = _check_loss(loss)
    check_size((steps + 1) * len(lrs) * X.shape[1], "the paths of w (steps + 1, L, d)")
    with fit_guard(lrs, "lrs"):
        coefs, intercepts, losses = _descend(
            X, y, lrs, steps, np.tile(w, (len(lrs), 1)), np.full(len(lrs), b), loss
        )
    check_fit_is_finite(lrs, losses[-1].max(), coefs[-1], intercepts[-1], name="lrs")
    return coefs, intercepts, losses


class LogisticRegressionGD(LinearClassifier):
    """Unpenalised logistic regression by full-batch gradient descent on the mean loss.

    Each step is w ← w − η ∂L/∂w, b ← b − η ∂L/∂b with L the loss averaged over
    the n training examples, so a learning rate η means the same for any n.
    ``loss="cross_entropy"`` is maximum likelihood; ``loss="square"`` fits the
    same model to (σ(z) − ŷ)², for comparison. One logit z = wᵀx + b, so after
    :meth:`fit`: ``W_`` (w as a (d, 1) column), ``b_`` (shape (1,)), ``history_``
    (the mean loss before each step and after the last, shape (steps + 1,)), and
    the path of the parameters, ``W_path_`` (steps + 1, d, 1) and ``b_path_``
    (steps + 1, 1). :meth:`logits` gives z, shape (n, 1), and :meth:`predict_proba`
    the columns (1 − f, f) with f = σ(z), shape (n, 2).

    A fit takes exactly ``steps`` steps (at most ``book.checks.MAX_STEPS``); it
    ends with a ``ValueError`` naming ``lr`` when the loss or the weights stop
    being finite numbers, and warns (``SeparableDataWarning``) when the fitted
    line classifies every training example correctly, since then the loss has
    no minimum and w grows with every further step.
    """

    one_logit = True

    def __init__(self, lr: float = 0.5, steps: int = 1000, loss: str = "cross_entropy"):
        self.lr = as_learning_rate(lr)
        self.steps = as_steps(steps)
        self.loss = _check_loss(loss)

    def fit(self, X, y, W_init=None, b_init=None) -> "LogisticRegressionGD":
        """Run ``steps`` gradient steps from (W_init (d, 1), b_init (1,)),
        by default w = 0, b = 0; returns self.

        Raises ValueError for mismatched lengths, labels other than 0 and 1,
        one class only, a start of the wrong shape, or a fit whose loss or
        weights stop being finite (too large an ``lr``).
        """
        X, y, _, _ = _gd_inputs(X, y, None, 0.0)
        d = X.shape[1]
        w = _start(W_init, "W_init", (d, 1))[:, 0]
        b = float(_start(b_init, "b_init", (1,))[0])
        check_size((self.steps + 1) * d, "the path of w (steps + 1, d)")
        with fit_guard(self.lr):
            coefs, intercepts, losses = _descend(
                X, y, np.array([self.lr]), self.steps, w[None], np.array([b]), self.loss
            )
        check_fit_is_finite(self.lr, losses[-1, 0], coefs[-1], intercepts[-1])
        z = X @ coefs[-1, 0] + intercepts[-1, 0]
        if np.all(np.where(y == 1, z > 0, z < 0)):
            warn_separable(
                "LogisticRegressionGD",
                "Fewer steps stop earlier on the same path; "
                "book.logistic_newton(X, y, C=...) fits a ridge-penalised logistic "
                "regression, which has one.",
            )
        self.W_path_, self.b_path_, self.history_ = (
            coefs.swapaxes(1, 2),
            intercepts,
            losses[:, 0],
        )
        self.W_, self.b_ = self.W_path_[-1].copy(), self.b_path_[-1].copy()
        return self


def logistic_newton(
    X, y, *, steps: int = 25, C: float = np.inf
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minimise J(w, b) = Σ_m l_CE(wᵀx_m + b, ŷ_m)
    + ‖w‖²/(2C) by Newton's method (IRLS), from w = 0, b = 0.

    With θ = (w, b), A = [X 1] and f = σ(Aθ), the gradient is g = Aᵀ(f − ŷ) + (w, 0)/C
    and the Hessian H = Aᵀ diag(f(1 − f)) A + diag(1, …, 1, 0)/C: the weights
    f(1 − f) are the Bernoulli variances. Each step is θ ← θ − t H⁻¹g with t the
    first of 1, ½, ¼, … (at most 30 halvings) that does not increase J. ``C`` is
    scikit-learn's: a finite C is a ridge penalty on w (not on b), C = ∞ none.

    X has shape (..., n, d) and y (..., n): every leading index is a separate
    data set, all fitted at once in at most ``steps`` steps (a data set stops
    early once its step is below 1e-10 of θ: more would change nothing).
    Returns (coef (..., d), intercept (...), J/n before the first step and after
    each (steps + 1, ...)). On separable data with C = ∞ there is no optimum:
    the weights grow with every step, so use a finite C there. Raises ValueError for bad
    shapes or labels, a data set with one class only, a bad ``steps`` or ``C``, or a
    singular Hessian (collinear features with C = ∞).
    """
    X = as_float_array(X, "X", min_ndim=2)
    y = _binary_labels(y, X.shape[:-1])
    if (np.ptp(y, axis=-1) == 0).any():
        raise ValueError(
            "y holds one class only in some data set: logistic regression needs both "
            "labels 0 and 1"
        )
    steps = as_count(steps, "steps", maximum=MAX_STEPS, why="MAX_STEPS")
    C = as_positive(C, "C", allow_inf=True)
    lead, (n, d) = X.shape[:-2], X.shape[-2:]
    check_size(
        X.size // (n * d) * max(n, d + 1) * (d + 1),
        "the design matrices [X 1] and Hessians",
    )
    A = np.concatenate([X, np.ones(X.shape[:-1] + (1,))], axis=-1).reshape(-1, n, d + 1)
    y = y.reshape(-1, n)
    penalty = np.append(np.full(d, 1.0 / C), 0.0)

    def objective(theta, A, y):
        ell, dz, v = _bernoulli_parts((A @ theta[..., None])[..., 0], y)
        return ell.sum(axis=-1) + 0.5 * np.sum(penalty * theta**2, axis=-1), dz, v

    theta = np.zeros((len(A), d + 1))
    J, dz, v = objective(theta, A, y)
    history = [J / n]
    active = np.ones(len(A), dtype=bool)  # data sets whose Newton step still moves θ
    for _ in range(steps):
        if active.all():  # no copy of A while every data set is still moving
            _newton_step(slice(None), theta, J, dz, v, A, y, penalty, objective, active)
        elif active.any():
            idx = np.flatnonzero(active)
            _newton_step(
                idx, theta, J, dz, v, A[idx], y[idx], penalty, objective, active
            )
        history.append(J / n)
    return (
        theta[:, :d].reshape(lead + (d,)),
        theta[:, d].reshape(lead),
        np.stack(history).reshape((-1,) + lead),
    )


def _bernoulli_parts(
    z: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """softplus(z) − ŷz, σ(z) − ŷ and σ(z)σ(−z), all from the one
    exponential e = e^(−|z|).

    σ and softplus are :func:`book.sigmoid`'s and :func:`book.softplus`'s own
    formulas, fed the exponential once because Newton's loop evaluates them
    millions of times; σ(z)σ(−z) = e/(1 + e)² stays accurate where f(1 − f)
    would round to 0 once f rounds to 1.
    """
    # e underflowing to 0 for |z| > 745 is the right answer
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
        s = 1.0 / (1.0 + e)
        return _softplus_of(z, e) - y * z, _sigmoid_of(z, e) - y, e * s * s


def _newton_step(idx, theta, J, dz, v, A, y, penalty, objective, active) -> None:
    """One damped Newton step for the data sets ``idx``,
    updating theta, J, dz, v and active in place."""
    At = A.transpose(0, 2, 1)
    th = theta[idx]
    g = (At @ dz[idx][..., None])[..., 0] + penalty * th
    H = (At * v[idx][:, None, :]) @ A + np.diag(penalty)
    if (np.linalg.eigvalsh(H)[:, 0] <= 1e-12 * np.abs(H).max(axis=(-2, -1))).any():
        raise ValueError(
            "the Hessian is singular (collinear features, or probabilities that "
            "reached 0 and 1 "
            "with C = inf): use a finite C"
        )
    delta = np.linalg.solve(H, g[..., None])[..., 0]
    t = np.ones(len(th))
    J_old = J[idx]
    J_new, dz_new, v_new = objective(th - delta, A, y)
    # rounding noise at the optimum is not an increase
    tol = 1e-12 * np.maximum(J_old, 1.0)
    worse = J_new > J_old + tol
    for _halving in range(30):
        if not worse.any():
            break
        h = np.flatnonzero(worse)
        t[h] /= 2
        J_new[h], dz_new[h], v_new[h] = objective(
            th[h] - t[h, None] * delta[h], A[h], y[h]
        )
        worse[h] = J_new[h] > J_old[h] + tol[h]
    keep = ~worse  # a step that does not help after 30 halvings is not taken
    step = np.where(keep[:, None], t[:, None] * delta, 0.0)
    th_new = th - step
    theta[idx] = th_new
    J[idx] = np.where(keep, J_new, J_old)
    dz[idx] = np.where(keep[:, None], dz_new, dz[idx])
    v[idx] = np.where(keep[:, None], v_new, v[idx])
    moved = np.linalg.norm(step, axis=1) > 1e-10 * (
        1.0 + np.linalg.norm(th_new, axis=1)
    )
    ids = np.arange(len(active))[idx]
    active[ids[~moved]] = False


def reliability_curve(
    p, y, n_bins: int = 10
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bin predicted probabilities p = P̂(C_1 | x) into ``n_bins`` equal bins of [0, 1].

    Returns, for each non-empty bin, the mean predicted probability, the
    observed fraction of label 1 and the number of examples. A calibrated model
    has fraction ≈ mean probability in every bin (the diagonal of a
    reliability diagram). Raises ValueError for probabilities outside [0, 1],
    labels other than 0 and 1, mismatched lengths or fewer than one bin.
    """
    p = as_float_array(p, "p", min_ndim=1)
    if p.ndim != 1:
        raise ValueError(
            f"p must be 1-D (one probability per example), got shape {p.shape}"
        )
    if (p < 0).any() or (p > 1).any():
        raise ValueError("p must hold probabilities in [0, 1]")
    y = np.asarray(y)
    check_same_length(p, y, "p and y")
    y = _binary_labels(y, p.shape)
    n_bins = as_count(
        n_bins, "n_bins", minimum=1, maximum=MAX_ELEMENTS, why="MAX_ELEMENTS"
    )
    # p = 1 belongs to the last bin
    bins = np.minimum((p * n_bins).astype(np.int64), n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    sum_p = np.bincount(bins, weights=p, minlength=n_bins)
    sum_y = np.bincount(bins, weights=y, minlength=n_bins)
    full = counts > 0
    return sum_p[full] / counts[full], sum_y[full] / counts[full], counts[full]


def expected_calibration_error(p, y, n_bins: int = 10) -> float:
    """ECE = Σ_bins (count/n) · |observed fraction − mean probability|,
    over :func:`reliability_curve`'s bins."""
    mean_p, frac, counts = reliability_curve(p, y, n_bins)
    return float(np.sum(counts * np.abs(frac - mean_p)) / np.sum(counts))
