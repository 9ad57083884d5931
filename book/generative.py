"""The Gaussian generative classifier: class-conditional Gaussians plus Bayes' rule.

Each class k gets a prior π_k = N_k / N and a Gaussian P(x | C_k) = N(x; μ_k, Σ_k),
all fitted by maximum likelihood. A new x is classified by Bayes' rule,

    P(C_k | x) = softmax_k(a),   a_k(x) = ln P(x | C_k) + ln π_k,

computed as ``exp(log_softmax(a))`` from log-densities, never by dividing
densities (which underflow to 0/0 a few standard deviations from the means).

Variants, all in :class:`GaussianGenerative`:

* ``shared_covariance=True`` (the default, linear discriminant analysis): one
  pooled covariance Σ = Σ_k N_k Σ_k / N for every class. The quadratic term
  −½ xᵀΣ⁻¹x is the same in every a_k and cancels in the softmax, so the
  posterior is a *linear* softmax, P(C_k | x) = softmax(xᵀW + b)_k with
  W[:, k] = Σ⁻¹μ_k and b_k = −½ μ_kᵀΣ⁻¹μ_k + ln π_k (``W_``, shape (d, K),
  and ``b_``, shape (K,)). For two classes this is logistic regression's
  form, P(C_1 | x) = σ(wᵀx + b), with C_1 = label 1 and C_2 = label 0: one logit,
  so ``W_`` is w as a (d, 1) column and ``b_`` has shape (1,), as in every
  two-class model of the book (:mod:`book.models`).
* ``shared_covariance=False`` (quadratic discriminant analysis): one covariance
  per class; the boundary is quadratic and there are no linear weights.
* ``naive=True`` (Gaussian naive Bayes): the features are assumed independent
  within a class, so every covariance is diagonal (the diagonal of the
  maximum-likelihood estimate). ``GaussianGenerative(naive=True,
  shared_covariance=False)`` is scikit-learn's ``GaussianNB`` (with
  ``reg = var_smoothing · max_j Var(x_j)``); with a shared covariance it is
  still linear. :class:`GaussianNaiveBayes` is a shorthand for ``naive=True``.

``reg`` adds reg·I to every covariance estimate: the remedy when an estimate is
singular (fewer examples than features in a class, a constant feature).

:func:`gaussian_classes` draws a deterministic sample of K Gaussian classes for
the examples; :func:`gaussian_log_density` and :func:`linear_logits` are the
two formulas the classifier is made of.
"""

from __future__ import annotations

import numpy as np

from book.checks import (
    as_bool,
    as_class_labels,
    as_count,
    as_design_matrix,
    as_float_array,
    as_nonnegative,
    as_seed,
    check_fitted,
    check_same_length,
    check_size,
)
from book.models import _label, _one_logit
from book.softmax import log_softmax, one_hot

__all__ = [
    "GaussianGenerative",
    "GaussianNaiveBayes",
    "gaussian_log_density",
    "linear_logits",
    "gaussian_classes",
]

#: A covariance whose smallest eigenvalue is below
#: this fraction of its largest counts as singular.
SINGULAR_RTOL = 1e-10


def _check_covariance(
    Sigma: np.ndarray,
    what: str,
    remedy: str = ", or regularise with reg > 0 (adds reg·I to the covariance)",
) -> None:
    """Raise ValueError unless Σ (d, d), or every Σ of a batch (..., d, d),
    is positive definite relative to its scale."""
    eig = np.linalg.eigvalsh(Sigma)
    bad = ~(eig[..., -1] > 0) | (eig[..., 0] <= SINGULAR_RTOL * eig[..., -1])
    if bad.any():
        lo, hi = eig[bad][0, 0], eig[bad][0, -1]
        raise ValueError(
            f"{what} is singular (eigenvalues from {lo:.3g} to {hi:.3g}), e.g. a class "
            "with "
            "no more examples than features, or a feature that does not vary: use "
            f"more data{remedy}"
        )


def _model_covariance(S: np.ndarray, naive: bool, reg: float) -> np.ndarray:
    """The covariance the model uses from an estimate S (..., d, d):
    its diagonal only if ``naive`` (Gaussian naive Bayes: independent
    features within a class), plus reg·I."""
    eye = np.eye(S.shape[-1])
    return (S * eye if naive else S) + reg * eye


def gaussian_log_density(X, mu, Sigma) -> np.ndarray:
    """ln N(x; μ, Σ) = −½ [d ln 2π + ln|Σ| + (x − μ)ᵀΣ⁻¹(x − μ)] for
    each row x of X, shape (n,).

    Computed through the Cholesky factor Σ = LLᵀ: with u = L⁻¹(x − μ) the
    quadratic form is uᵀu and ln|Σ| = 2 Σ_i ln L_ii. Raises ValueError when Σ
    is not (d, d), not symmetric or singular, or X has the wrong width.
    """
    mu = as_float_array(mu, "mu", min_ndim=1)
    if mu.ndim != 1:
        raise ValueError(f"mu must be a vector of shape (d,), got shape {mu.shape}")
    d = len(mu)
    X = as_design_matrix(X, n_features=d)
    Sigma = as_float_array(Sigma, "Sigma", min_ndim=2)
    if Sigma.shape != (d, d):
        raise ValueError(f"Sigma has shape {Sigma.shape}, expected ({d}, {d})")
    if not np.allclose(Sigma, Sigma.T, rtol=1e-10, atol=1e-12 * np.abs(Sigma).max()):
        raise ValueError("Sigma must be symmetric")
    _check_covariance(Sigma, "Sigma")
    return _log_density(X, mu, np.linalg.cholesky(Sigma))


def _log_density(X: np.ndarray, mu: np.ndarray, L: np.ndarray) -> np.ndarray:
    """ln N(x; μ, LLᵀ) for checked X, μ and a Cholesky
    factor L (the formula of gaussian_log_density)."""
    u = np.linalg.solve(L, (X - mu).T)
    log_det = 2.0 * np.sum(np.log(np.diag(L)))
    return -0.5 * (len(mu) * np.log(2.0 * np.pi) + log_det + np.sum(u * u, axis=0))


def linear_logits(means, Sigma, priors) -> tuple[np.ndarray, np.ndarray]:
    """Linear softmax logits of Gaussian classes
    with one shared covariance: returns (W, b).

    W[:, k] = Σ⁻¹μ_k (shape (d, K)) and b_k = −½ μ_kᵀΣ⁻¹μ_k + ln π_k (shape (K,)),
    so that P(C_k | x) = softmax(xᵀW + b)_k. (The dropped terms, −½xᵀΣ⁻¹x and
    −½ ln|2πΣ|, are the same for every class, and the softmax ignores a constant.)
    ``means`` is (K, d), ``priors`` (K,) positive. Raises ValueError on
    mismatched shapes, non-positive priors or a singular Σ.
    """
    M = as_float_array(means, "means", min_ndim=2)
    if M.ndim != 2:
        raise ValueError(f"means must be (K, d), got shape {M.shape}")
    K, d = M.shape
    Sigma = as_float_array(Sigma, "Sigma", min_ndim=2)
    if Sigma.shape != (d, d):
        raise ValueError(f"Sigma has shape {Sigma.shape}, expected ({d}, {d})")
    pi = as_float_array(priors, "priors", min_ndim=1)
    if pi.shape != (K,):
        raise ValueError(f"priors has shape {pi.shape}, expected ({K},)")
    if (pi <= 0).any():
        raise ValueError("priors must be positive")
    _check_covariance(Sigma, "Sigma")
    return _linear_logits(M, Sigma, pi)


def _linear_logits(
    M: np.ndarray, Sigma: np.ndarray, pi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`linear_logits` unchecked, for one or a batch
    of models: M (..., K, d), Σ (..., d, d), π (..., K)."""
    W = np.linalg.solve(Sigma, M.swapaxes(-1, -2))
    b = -0.5 * np.sum(M.swapaxes(-1, -2) * W, axis=-2) + np.log(pi)
    return W, b


def _class_moments(
    X: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum-likelihood moments of every class,
    for one or a batch of data sets, unchecked.

    X (..., n, d), one-hot Y (..., n, K): returns the counts N_k (..., K), the
    means μ_k = (1/N_k) Σ_{m∈k} x_m (..., K, d) and the covariances
    Σ_k = (1/N_k) Σ_{m∈k} (x_m − μ_k)(x_m − μ_k)ᵀ (..., K, d, d).
    """
    counts = Y.sum(axis=-2)
    means = (Y.swapaxes(-1, -2) @ X) / counts[..., None]
    R = X - Y @ means
    # 1[m ∈ k] r_m, shape (..., K, d, n)
    weighted = np.moveaxis(Y[..., :, :, None] * R[..., :, None, :], -3, -1)
    per_class = (weighted @ R[..., None, :, :]) / counts[..., None, None]
    return counts, means, per_class


def _pooled(counts: np.ndarray, per_class: np.ndarray) -> np.ndarray:
    """The shared covariance Σ = Σ_k (N_k/N) Σ_k, for one or a batch of data sets."""
    return np.einsum(
        "...k,...kij->...ij", counts / counts.sum(axis=-1, keepdims=True), per_class
    )


class GaussianGenerative:
    """Gaussian class-conditional densities and priors
    fitted by maximum likelihood; Bayes' rule to predict.

    Parameters: ``shared_covariance`` (one pooled Σ, linear boundary; else one
    Σ_k per class, quadratic boundary), ``naive`` (diagonal covariances:
    Gaussian naive Bayes) and ``reg`` ≥ 0 (added to every covariance's
    diagonal). After :meth:`fit`: ``means_`` (K, d), ``priors_`` (K,),
    ``covariance_`` ((d, d) when shared, else (K, d, d)), ``n_classes_``;
    when shared also ``W_`` (d, K) and ``b_`` (K,), or for K = 2 the one logit's
    ``W_`` (d, 1) and ``b_`` (1,), with
    ``predict_proba(X)[:, 1] == sigmoid(X @ W_ + b_)[:, 0]``. :meth:`logits` are the
    a_k (n, K), or for K = 2 the log-odds z = a_1 − a_0 (n, 1).
    It has no ``from_weights``: its probabilities come from the densities,
    not from W and b.
    """

    def __init__(
        self, shared_covariance: bool = True, naive: bool = False, reg: float = 0.0
    ):
        self.shared_covariance = as_bool(shared_covariance, "shared_covariance")
        self.naive = as_bool(naive, "naive")
        self.reg = as_nonnegative(reg, "reg")

    def fit(self, X, y) -> "GaussianGenerative":
        """Maximum-likelihood fit: π_k = N_k/N, μ_k = mean of class k,
        Σ_k = (1/N_k) Σ_{m∈k} (x_m − μ_k)(x_m − μ_k)ᵀ.

        The shared covariance is the pooled Σ = Σ_k (N_k/N) Σ_k. Returns self.
        Raises ValueError for mismatched lengths, labels that are not 0..K−1 with
        every class present, one class only, or a singular covariance estimate.
        """
        X = as_design_matrix(X)
        labels, K = as_class_labels(y)
        check_same_length(X, labels)
        n, d = X.shape
        counts = np.bincount(labels, minlength=K)
        _, means, per_class = _class_moments(X, one_hot(labels, K))
        if self.shared_covariance:
            cov = self._finish(
                _pooled(counts, per_class), "the shared covariance estimate"
            )
        else:
            cov = np.stack(
                [
                    self._finish(S, f"the covariance estimate of class {k}")
                    for k, S in enumerate(per_class)
                ]
            )
        self.n_classes_, self.n_features_ = K, d
        self.class_counts_ = counts
        self.priors_ = counts / n
        self.means_ = means
        self.covariance_ = cov
        # checked positive definite above
        self._cholesky = np.linalg.cholesky(np.broadcast_to(cov, (K, d, d)))
        if self.shared_covariance:
            W, b = linear_logits(means, cov, self.priors_)
            self._weights = _one_logit(W, b) if K == 2 else (W, b)
        return self

    def _finish(self, S: np.ndarray, what: str) -> np.ndarray:
        """Apply the naive (diagonal) assumption and the
        ridge reg·I to one covariance estimate; check it."""
        S = _model_covariance(S, self.naive, self.reg)
        _check_covariance(S, what)
        return S

    def _check_fitted(self, X) -> np.ndarray:
        check_fitted(self, "means_")
        return as_design_matrix(X, n_features=self.n_features_)

    def joint_log_density(self, X) -> np.ndarray:
        """a_k(x) = ln P(x | C_k) + ln π_k for
        every row of X and class k, shape (n, K)."""
        X = self._check_fitted(X)
        return np.column_stack(
            [
                _log_density(X, mu, L) + np.log(pi)
                for mu, L, pi in zip(self.means_, self._cholesky, self.priors_)
            ]
        )

    def predict_log_proba(self, X) -> np.ndarray:
        """ln P(C_k | x) = a_k − log Σ_j exp(a_j) (Bayes' rule in log space),
        shape (n, K)."""
        return log_softmax(self.joint_log_density(X))

    def predict_proba(self, X) -> np.ndarray:
        """P(C_k | x) = softmax(a)_k, shape (n, K); each row sums to one."""
        log_p = self.predict_log_proba(X)
        # a posterior below 1e-308 is 0, as it should be
        with np.errstate(under="ignore"):
            return np.exp(log_p)

    def logits(self, X) -> np.ndarray:
        """For K ≥ 3 the joint log-densities a_k, shape (n, K), whose softmax is the
        posterior; for K = 2 the log-odds z = a_1 − a_0 = ln[P(x|C_1)P(C_1) /
        (P(x|C_2)P(C_2))], shape (n, 1): positive means class 1."""
        a = self.joint_log_density(X)
        return a[:, 1:] - a[:, :1] if self.n_classes_ == 2 else a

    def predict(self, X) -> np.ndarray:
        """The class of largest
        posterior (equivalently of largest a_k) for each row of X."""
        return _label(self.logits(X))

    def _linear(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        # a NotFittedError is an AttributeError too, as a property's error must be
        check_fitted(self, "means_")
        if not self.shared_covariance:
            raise AttributeError(
                f"{name} exists only with shared_covariance=True (the boundary is "
                "linear)"
            )
        return self._weights

    @property
    def W_(self) -> np.ndarray:
        """W[:, k] = Σ⁻¹μ_k, shape (d, K); for two classes the one
        logit's w = Σ⁻¹(μ_1 − μ_0) = W[:, 1] − W[:, 0], shape (d, 1)."""
        return self._linear("W_")[0]

    @property
    def b_(self) -> np.ndarray:
        """b_k = −½ μ_kᵀΣ⁻¹μ_k + ln π_k, shape (K,); for two classes b = b_1 − b_0
        = −½ μ_1ᵀΣ⁻¹μ_1 + ½ μ_0ᵀΣ⁻¹μ_0 + ln(N_1/N_0), shape (1,)."""
        return self._linear("b_")[1]


class GaussianNaiveBayes(GaussianGenerative):
    """Gaussian naive Bayes: :class:`GaussianGenerative`
    with ``naive=True`` (diagonal covariances).

    By default each class has its own variances, as in scikit-learn's ``GaussianNB``.
    """

    def __init__(self, shared_covariance: bool = False, reg: float = 0.0):
        super().__init__(shared_covariance=shared_covariance, naive=True, reg=reg)


def gaussian_classes(
    n_per_class, means, cov, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Draw class k's examples as x = μ_k
    + L_k u with u ~ N(0, I) and L_kL_kᵀ = Σ_k: returns (X, y).

    ``n_per_class`` is one count for every class or a sequence of K counts
    (unequal counts set the priors); ``means`` is (K, d); ``cov`` is one (d, d)
    covariance for every class or a (K, d, d) stack. Rows are grouped by class,
    and the same arguments give the same sample. Raises ValueError for bad
    counts or shapes, or a covariance that is not symmetric positive definite.
    """
    M = as_float_array(means, "means", min_ndim=2)
    if M.ndim != 2 or len(M) < 2:
        raise ValueError(
            f"means must be a (K, d) array with K >= 2, got shape {M.shape}"
        )
    K, d = M.shape
    counts = np.asarray(n_per_class)
    if counts.ndim == 0:
        counts = np.full(K, as_count(n_per_class, "n_per_class", minimum=1))
    if counts.shape != (K,):
        raise ValueError(
            f"n_per_class must be one count or {K} counts, got shape {counts.shape}"
        )
    if not np.issubdtype(counts.dtype, np.integer) or (counts < 1).any():
        raise ValueError(
            f"n_per_class must hold positive integers, got {counts.tolist()}"
        )
    seed = as_seed(seed)
    check_size(
        int(counts.sum(dtype=object)) * d * d, "the sample's Cholesky factors (n, d, d)"
    )
    C = as_float_array(cov, "cov", min_ndim=2)
    if C.shape == (d, d):
        C = np.broadcast_to(C, (K, d, d))
    if C.shape != (K, d, d):
        raise ValueError(
            f"cov has shape {C.shape}, expected ({d}, {d}) or ({K}, {d}, {d})"
        )
    if (
        not np.allclose(C, np.swapaxes(C, 1, 2))
        or (np.linalg.eigvalsh(C)[:, 0] <= 0).any()
    ):
        raise ValueError("cov must be symmetric positive definite (for every class)")
    L = np.linalg.cholesky(C)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(K), counts)
    U = rng.standard_normal((len(y), d))
    return _affine_sample(M[y], L[y], U), y


def _affine_sample(mu: np.ndarray, L: np.ndarray, U: np.ndarray) -> np.ndarray:
    """x = μ + L u row by row, unchecked: mu (n, d), L (n, d, d),
    standard-normal draws U (n, d).

    With LLᵀ = Σ, x ~ N(μ, Σ). Chapter 5a's explorer feeds it fixed draws U, so a slider
    moves the same points rather than drawing new ones.
    """
    return mu + np.einsum("nij,nj->ni", L, U)
