"""Exponential families p(x | θ) = h(x) exp(φ(x)ᵀθ − g(θ)), one small object per family.

Every family has the same interface, so one piece of code (a derivative
check, a Monte-Carlo check, a Newton fit) works for all of them:

* ``sufficient_stat(x)`` = φ(x), ``log_partition(θ)`` = g(θ) = log Σ_x h(x) e^{φ(x)ᵀθ},
* ``mean(θ)`` = ∇g(θ) = E[φ(x)], ``covariance(θ)`` = ∇²g(θ) = Cov[φ(x)],
* ``log_prob(x, θ)`` = log h(x) + φ(x)ᵀθ − g(θ), the usual log mass or density,
* ``sample(θ, size, rng)``, ``to_natural(**usual)``, ``from_natural(θ)``, ``from_mean(m)``.

One-parameter families take a scalar θ (or an array of them: a batch); the
others take θ of shape (..., dim). Every log-partition is written so that no
intermediate overflows for large |θ|; a term that underflows to 0 is
negligible by design, so underflow is silenced inside the public methods.
``families`` lists one object per family by name.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from book.checks import (MAX_STEPS, as_bool, as_count, as_distribution, as_float_array, as_labels,
                         as_n_classes, as_positive, as_rng, check_size)
from book.softmax import logsumexp, one_hot, sigmoid, softmax, softplus

__all__ = [
    "ExponentialFamily",
    "Categorical",
    "Bernoulli",
    "Poisson",
    "Geometric",
    "Gaussian",
    "families",
    "MonteCarlo",
    "monte_carlo_moments",
    "NewtonFit",
    "fit_family",
]

#: The largest θ whose e^θ is a finite float64: a Poisson rate e^θ overflows beyond it.
MAX_LOG = math.log(np.finfo(np.float64).max)
#: The largest θ whose rate e^θ NumPy's Poisson sampler accepts (it refuses rates near 2^63).
POISSON_MAX_LOG = math.log(1e18)

_log_factorial = np.vectorize(lambda k: math.lgamma(k + 1.0), otypes=[np.float64])


def _counts(x) -> np.ndarray:
    """Check that ``x`` holds counts 0, 1, 2, …; returned as float64."""
    arr = as_float_array(x, "x").astype(np.float64)
    bad = (arr < 0) | (arr != np.floor(arr))
    if bad.any():
        raise ValueError(f"x must hold counts 0, 1, 2, …; got {arr[bad].flat[0]:g}")
    return arr


def _scalar(a):
    """A 0-d result as a NumPy scalar, anything else unchanged."""
    a = np.asarray(a)
    return a[()] if a.ndim == 0 else a


class _Finite:
    """Evaluate a formula where every term that underflows is 0, and refuse a result that overflowed.

    A natural parameter can be inside the domain and still give a g(θ), a mean or a
    covariance beyond float64 (the Gaussian's θ = (1e200, −0.5): g = −θ₁²/4θ₂ = 5e399):
    that is a ``ValueError`` that says so, not a RuntimeWarning and an ``inf``.
    """

    def __init__(self, family: "ExponentialFamily", what: str):
        self.family, self.what = family, what

    def __enter__(self):
        self._state = np.errstate(under="ignore", over="ignore", invalid="ignore", divide="ignore")
        self._state.__enter__()
        return self

    def __exit__(self, *exc):
        self._state.__exit__(*exc)
        return False

    def __call__(self, value):
        values = value.values() if isinstance(value, dict) else [value]
        if not all(np.isfinite(v).all() for v in values):
            raise ValueError(f"{self.what} of the {self.family.name} family overflows float64 here: the natural "
                             f"parameter is in the domain, but too large for the result to be a finite number")
        return value


class ExponentialFamily:
    """The shared interface; a family fills in the formulas ``_phi``, ``_log_h``, ``_g``, ``_mean``, ``_cov``.

    The public methods check their input (raising ``TypeError`` for
    non-numeric input and ``ValueError`` for NaN, ±inf, a wrong shape, an
    impossible x, or a θ outside the family's domain, with the reason), then
    call the formulas on float64 arrays.
    """

    name: str = "exponential family"
    dim: int = 1                #: length of θ; 1 means a scalar θ
    theta_name: str = "θ"           #: what θ is, in words, for error messages
    usual: tuple[str, ...] = ()  #: names of the usual parameters
    theta_start: tuple = (0.0,)     #: a natural parameter inside the domain (Newton's default start)

    # --- the formulas, on checked float64 arrays -------------------------------------------------
    def _check_x(self, x) -> np.ndarray:
        raise NotImplementedError

    def _phi(self, x: np.ndarray) -> np.ndarray:
        return x

    def _log_h(self, x: np.ndarray) -> np.ndarray:
        return np.zeros(x.shape)

    def _g(self, theta: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _mean(self, theta: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _cov(self, theta: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _outside(self, theta: np.ndarray) -> str | None:
        """Why some θ is outside the domain {θ : g(θ) < ∞}, or None when all are inside."""
        return None

    def _not_a_mean(self, m: np.ndarray) -> str | None:
        """Why no finite θ has E_θ[φ] = m (m on the boundary or outside), or None."""
        return None

    def _from_mean(self, m: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _draw(self, theta: np.ndarray, size, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def _to_natural(self, **usual) -> np.ndarray:
        raise NotImplementedError

    def _from_natural(self, theta: np.ndarray) -> dict:
        raise NotImplementedError

    # --- checks ----------------------------------------------------------------------------------
    def _theta(self, theta) -> np.ndarray:
        arr = as_float_array(theta, "theta", min_ndim=0 if self.dim == 1 else 1).astype(np.float64)
        if self.dim > 1 and arr.shape[-1] != self.dim:
            raise ValueError(f"θ must have length {self.dim} along its last axis for the {self.name} "
                             f"family ({self.theta_name}), got shape {arr.shape}")
        why = self._outside(arr)
        if why:
            raise ValueError(f"θ is outside the {self.name} family's domain: {why}")
        return arr

    def _one_theta(self, theta) -> np.ndarray:
        arr = self._theta(theta)
        if arr.shape != (() if self.dim == 1 else (self.dim,)):
            raise ValueError(f"θ must be a single natural parameter here (shape {() if self.dim == 1 else (self.dim,)}), "
                             f"got shape {arr.shape}")
        return arr

    def _m(self, m) -> np.ndarray:
        arr = as_float_array(m, "m", min_ndim=0 if self.dim == 1 else 1).astype(np.float64)
        if self.dim > 1 and arr.shape[-1] != self.dim:
            raise ValueError(f"m must have length {self.dim} along its last axis, got shape {arr.shape}")
        why = self._not_a_mean(arr)
        if why:
            raise ValueError(f"no finite natural parameter of the {self.name} family has this mean: {why}")
        return arr

    def in_domain(self, theta) -> bool:
        """True when θ (already of the right shape) is a valid natural parameter: g(θ) is finite."""
        arr = np.asarray(theta)
        if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
            raise TypeError(f"theta must hold real numbers, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
        if not (np.isfinite(arr).all() and self._outside(arr) is None):
            return False
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            return bool(np.isfinite(self._g(arr)).all())

    # --- the interface -----------------------------------------------------------------------------
    def sufficient_stat(self, x) -> np.ndarray:
        """φ(x): shape x.shape for a one-parameter family, x.shape + (dim,) otherwise."""
        x = self._check_x(x)
        with _Finite(self, "φ(x)") as finite:
            return _scalar(finite(self._phi(x)))

    def log_partition(self, theta):
        """g(θ) = log Σ_x h(x) exp(φ(x)ᵀθ) (an integral for continuous x), one value per θ."""
        theta = self._theta(theta)
        with _Finite(self, "g(θ)") as finite:
            return _scalar(finite(self._g(theta)))

    def mean(self, theta):
        """∇g(θ) = E[φ(x)] under p(x | θ): shape of θ."""
        theta = self._theta(theta)
        with _Finite(self, "the mean E[φ]") as finite:
            return _scalar(finite(self._mean(theta)))

    def covariance(self, theta):
        """∇²g(θ) = Cov[φ(x)] under p(x | θ): a variance per θ, or a (dim, dim) matrix per θ."""
        theta = self._theta(theta)
        if self.dim > 1:
            check_size(theta.size * self.dim, "the covariances (..., dim, dim)")
        with _Finite(self, "the covariance Cov[φ]") as finite:
            return _scalar(finite(self._cov(theta)))

    def log_prob(self, x, theta):
        """log p(x | θ) = log h(x) + φ(x)ᵀθ − g(θ), broadcasting x against a batch of θ."""
        x = self._check_x(x)
        theta = self._theta(theta)
        with _Finite(self, "log p(x | θ)") as finite:
            phi = self._phi(x)
            dot = phi * theta if self.dim == 1 else np.sum(phi * theta, axis=-1)
            return _scalar(finite(self._log_h(x) + dot - self._g(theta)))

    def sample(self, theta, size, rng: np.random.Generator) -> np.ndarray:
        """``size`` independent draws x ~ p(x | θ) from the seeded generator ``rng``."""
        rng = as_rng(rng)
        if isinstance(size, (str, bytes)) or np.ndim(size) > 1:
            raise TypeError(f"size must be a non-negative integer or a tuple of them, got {size!r}")
        shape = (size,) if np.ndim(size) == 0 else tuple(size)
        shape = tuple(as_count(s, "size") for s in shape)
        check_size(int(np.prod(shape, dtype=object)) * self.dim, "the sample")
        theta = self._one_theta(theta)
        with np.errstate(under="ignore"):
            return self._draw(theta, shape, rng)

    def to_natural(self, **usual):
        """The natural parameter θ of the distribution with the given usual parameters."""
        if set(usual) != set(self.usual):
            raise TypeError(f"the {self.name} family's usual parameters are {', '.join(self.usual)}; "
                            f"got {', '.join(sorted(usual)) or 'none'}")
        with _Finite(self, "the natural parameter") as finite:
            return _scalar(finite(self._to_natural(**usual)))

    def from_natural(self, theta) -> dict:
        """The usual parameters (a dict by name) of the distribution with natural parameter θ."""
        theta = self._theta(theta)
        with _Finite(self, "a usual parameter") as finite:
            return {k: _scalar(v) for k, v in finite(self._from_natural(theta)).items()}

    def from_mean(self, m):
        """The θ with E_θ[φ] = m: the inverse of ``mean``, hence the maximum-likelihood θ for φ̄ = m."""
        m = self._m(m)
        with _Finite(self, "the natural parameter") as finite:
            return _scalar(finite(self._from_mean(m)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Categorical(ExponentialFamily):
    """x ∈ {0, …, K−1}, φ(x) = e_x (one-hot), h = 1, g(θ) = log Σ_k e^{θ_k}, E[φ] = softmax(θ).

    Cov[φ] = diag(p) − p pᵀ. Over-parameterised: θ and θ + c·1 give the same
    distribution, so the covariance is singular (1 is in its null space).
    """

    name = "categorical"
    usual = ("p",)

    def __init__(self, n_classes: int = 3):
        self.K = self.dim = as_n_classes(n_classes)
        self.theta_name = f"one logit per class, {self.K} classes"
        self.theta_start = (0.0,) * self.K

    def __repr__(self) -> str:
        return f"Categorical(n_classes={self.K})"

    def _check_x(self, x):
        return as_labels(x, self.K, name="x")

    def _phi(self, x):
        return one_hot(x, self.K)

    def _g(self, theta):
        return logsumexp(theta, axis=-1)

    def _mean(self, theta):
        return softmax(theta, axis=-1)

    def _cov(self, theta):
        p = softmax(theta, axis=-1)
        return p[..., :, None] * np.eye(self.K) - p[..., :, None] * p[..., None, :]

    def _not_a_mean(self, m):
        if m.shape != (self.K,):
            return f"m must be a probability vector of length {self.K}, got shape {m.shape}"
        as_distribution(m, (self.K,), name="m")
        if (m == 0).any():
            return f"class {int(np.argmin(m))} has mean 0 (never observed), so its logit would be −∞"
        return None

    def _from_mean(self, m):
        return np.log(m)

    def _draw(self, theta, size, rng):
        return rng.choice(self.K, size=size, p=softmax(theta))

    def _to_natural(self, p):
        p = as_distribution(p, (self.K,), name="p")
        if (p == 0).any():
            raise ValueError("p has a zero entry: its natural parameter log p would be −∞")
        return np.log(p)

    def _from_natural(self, theta):
        return {"p": softmax(theta, axis=-1)}


class Bernoulli(ExponentialFamily):
    """x ∈ {0, 1}, φ(x) = x, h = 1, g(θ) = log(1 + e^θ) = softplus(θ), g′ = σ(θ) = p, g″ = p(1 − p).

    The natural parameter is the logit θ = log(p / (1 − p)).
    """

    name = "bernoulli"
    theta_name = "the logit log(p / (1 − p))"
    usual = ("p",)

    def _check_x(self, x):
        return as_labels(x, 2, name="x").astype(np.float64)

    def _g(self, theta):
        return softplus(theta)

    def _mean(self, theta):
        return sigmoid(theta)

    def _cov(self, theta):
        return sigmoid(theta) * sigmoid(-theta)

    def _not_a_mean(self, m):
        if ((m <= 0) | (m >= 1)).any():
            return "the mean of x ∈ {0, 1} must lie strictly between 0 and 1 (its logit is ±∞ at 0 or 1)"
        return None

    def _from_mean(self, m):
        return np.log(m) - np.log1p(-m)

    def _draw(self, theta, size, rng):
        return (rng.random(size) < sigmoid(theta)).astype(np.int64)

    def _to_natural(self, p):
        p = as_float_array(p, "p")
        if ((p <= 0) | (p >= 1)).any():
            raise ValueError("p must lie strictly between 0 and 1 (its logit is ±∞ at 0 or 1)")
        return self._from_mean(p)

    def _from_natural(self, theta):
        return {"p": sigmoid(theta)}


class Poisson(ExponentialFamily):
    """x ∈ {0, 1, 2, …}, φ(x) = x, h(x) = 1/x!, g(θ) = log Σ_x e^{xθ}/x! = e^θ; g′ = g″ = e^θ = λ.

    The base measure 1/x! is what makes this the Poisson family: without it the
    sum Σ_x e^{xθ} = 1/(1 − e^θ) is the geometric family's. Natural parameter θ = log λ.
    """

    name = "poisson"
    theta_name = "the log-rate log λ"
    usual = ("rate",)

    def _check_x(self, x):
        return _counts(x)

    def _log_h(self, x):
        return -_log_factorial(x)

    def _g(self, theta):
        return np.exp(theta)

    def _mean(self, theta):
        return np.exp(theta)

    def _cov(self, theta):
        return np.exp(theta)

    def _outside(self, theta):
        if (theta > MAX_LOG).any():
            return (f"the rate e^θ overflows float64 for θ > {MAX_LOG:.2f} "
                    f"(got θ = {np.max(theta):g})")
        return None

    def _not_a_mean(self, m):
        if (m <= 0).any():
            return "the mean count must be positive (a mean of 0 would need θ = log 0 = −∞)"
        return None

    def _from_mean(self, m):
        return np.log(m)

    def _draw(self, theta, size, rng):
        if theta > POISSON_MAX_LOG:
            raise ValueError(f"the rate e^θ = {np.exp(theta):.3g} is too large to sample: NumPy draws Poisson counts "
                             f"for rates up to about 1e18 (θ ≤ {POISSON_MAX_LOG:.1f})")
        return rng.poisson(np.exp(theta), size=size)

    def _to_natural(self, rate):
        rate = as_float_array(rate, "rate")
        if (rate <= 0).any():
            raise ValueError("rate must be positive")
        return np.log(rate)

    def _from_natural(self, theta):
        return {"rate": np.exp(theta)}


class Geometric(ExponentialFamily):
    """x ∈ {0, 1, 2, …} failures before the first success, P(x) = p (1 − p)^x.

    φ(x) = x, h = 1, θ = log(1 − p) < 0, g(θ) = −log(1 − e^θ), g′ = e^θ / (1 − e^θ),
    g″ = g′(1 + g′). The sum Σ_x e^{xθ} converges only for θ < 0: that is the domain.
    """

    name = "geometric"
    theta_name = "log(1 − p)"
    usual = ("p",)
    theta_start = (-math.log(2.0),)

    def _check_x(self, x):
        return _counts(x)

    def _g(self, theta):
        # log(1 − e^θ) loses digits one way or the other: via expm1 near θ = 0, via log1p far below it
        near0 = theta > -math.log(2.0)
        return -np.where(near0, np.log(-np.expm1(np.where(near0, theta, -1.0))),
                         np.log1p(-np.exp(np.where(near0, -1.0, theta))))

    def _mean(self, theta):
        return np.exp(theta) / -np.expm1(theta)

    def _cov(self, theta):
        m = self._mean(theta)
        return m * (1.0 + m)

    def _outside(self, theta):
        if (theta >= 0).any():
            return (f"the geometric family needs θ = log(1 − p) < 0, since Σ_x e^(xθ) diverges "
                    f"for θ ≥ 0 (got θ = {np.max(theta):g})")
        return None

    def _not_a_mean(self, m):
        if (m <= 0).any():
            return "the mean count must be positive (a mean of 0 would need θ = −∞)"
        return None

    def _from_mean(self, m):
        return np.log(m) - np.log1p(m)

    def _draw(self, theta, size, rng):
        return rng.geometric(-np.expm1(theta), size=size) - 1

    def _to_natural(self, p):
        p = as_float_array(p, "p")
        if ((p <= 0) | (p >= 1)).any():
            raise ValueError("p must lie strictly between 0 and 1 (θ = log(1 − p) is −∞ at p = 1)")
        return np.log1p(-p)

    def _from_natural(self, theta):
        return {"p": -np.expm1(theta)}


class Gaussian(ExponentialFamily):
    """x ∈ ℝ, φ(x) = (x, x²), h = 1, θ = (μ/σ², −1/(2σ²)), so θ₂ < 0.

    g(θ) = −θ₁²/(4θ₂) + ½ log(π / (−θ₂)) = μ²/(2σ²) + ½ log(2πσ²);
    E[φ] = (μ, μ² + σ²); Cov[φ] = [[σ², 2μσ²], [2μσ², 4μ²σ² + 2σ⁴]].
    """

    name = "gaussian"
    dim = 2
    theta_name = "(μ/σ², −1/(2σ²))"
    usual = ("mu", "sigma")
    theta_start = (0.0, -0.5)

    def _check_x(self, x):
        return as_float_array(x, "x").astype(np.float64)

    def _phi(self, x):
        return np.stack([x, x * x], axis=-1)

    def _g(self, theta):
        theta1, theta2 = theta[..., 0], theta[..., 1]
        return -theta1 * theta1 / (4.0 * theta2) + 0.5 * (math.log(math.pi) - np.log(-theta2))

    @staticmethod
    def _mu_var(theta):
        return -theta[..., 0] / (2.0 * theta[..., 1]), -0.5 / theta[..., 1]

    def _mean(self, theta):
        mu, var = self._mu_var(theta)
        return np.stack([mu, mu * mu + var], axis=-1)

    def _cov(self, theta):
        mu, var = self._mu_var(theta)
        c = 2.0 * mu * var
        return np.stack([np.stack([var, c], -1), np.stack([c, 4.0 * mu * mu * var + 2.0 * var * var], -1)], -2)

    def _outside(self, theta):
        if (theta[..., 1] >= 0).any():
            return (f"the second natural parameter θ₂ = −1/(2σ²) must be negative, since "
                    f"∫ exp(θ₁x + θ₂x²) dx diverges for θ₂ ≥ 0 (got θ₂ = {np.max(theta[..., 1]):g})")
        return None

    def _not_a_mean(self, m):
        if (m[..., 1] - m[..., 0] ** 2 <= 0).any():
            return "the variance m₂ − m₁² must be positive (all the x are equal)"
        return None

    def _from_mean(self, m):
        var = m[..., 1] - m[..., 0] ** 2
        return np.stack([m[..., 0] / var, -0.5 / var], axis=-1)

    def _draw(self, theta, size, rng):
        mu, var = self._mu_var(theta)
        return rng.normal(mu, np.sqrt(var), size=size)

    def _to_natural(self, mu, sigma):
        mu = as_float_array(mu, "mu")
        sigma = as_float_array(sigma, "sigma")
        if (sigma <= 0).any():
            raise ValueError("sigma must be positive")
        return np.stack(np.broadcast_arrays(mu / sigma**2, -0.5 / sigma**2), axis=-1)

    def _from_natural(self, theta):
        mu, var = self._mu_var(theta)
        return {"mu": mu, "sigma": np.sqrt(var)}


#: One object per family, by name.
families: dict[str, ExponentialFamily] = {
    "categorical": Categorical(3),
    "bernoulli": Bernoulli(),
    "poisson": Poisson(),
    "geometric": Geometric(),
    "gaussian": Gaussian(),
}


def _family(family) -> ExponentialFamily:
    if isinstance(family, str):
        if family not in families:
            raise ValueError(f"unknown family {family!r}; known: {', '.join(families)}")
        return families[family]
    if not isinstance(family, ExponentialFamily):
        raise TypeError(f"family must be an ExponentialFamily or a name, got {type(family).__name__}")
    return family


@dataclass
class MonteCarlo:
    """Sample moments of φ(x) from n draws, with their standard errors.

    ``mean_se`` = √(diag Cov_w[φ] / n) uses the known covariance; ``cov_se`` is
    the plug-in standard error of the average of (φ − E φ)(φ − E φ)ᵀ.
    """

    n: int
    mean: np.ndarray
    mean_se: np.ndarray
    cov: np.ndarray
    cov_se: np.ndarray


def monte_carlo_moments(family, theta, n: int, rng: np.random.Generator) -> MonteCarlo:
    """Estimate E[φ] and Cov[φ] from n samples of p(x | θ).

    E[φ] is estimated by φ̄ = (1/n) Σ φ(x_i), whose standard error is √(Var φ / n)
    by the central limit theorem; the covariance by the average of
    (φ(x_i) − E φ)(φ(x_i) − E φ)ᵀ around the exact mean. Raises like ``sample``.
    """
    fam = _family(family)
    n = as_count(n, "n", minimum=2)
    check_size(n * fam.dim * fam.dim, "the sample's outer products (n, dim, dim)")
    phi = fam.sufficient_stat(fam.sample(theta, n, rng)).reshape(n, -1)
    exact = np.atleast_1d(fam.mean(theta))
    dev = phi - exact
    outer = dev[:, :, None] * dev[:, None, :]
    squeeze = (lambda a: _scalar(a.reshape(()))) if fam.dim == 1 else (lambda a: a)
    return MonteCarlo(
        n=int(n),
        mean=squeeze(phi.mean(axis=0)),
        mean_se=squeeze(np.sqrt(np.diag(np.atleast_2d(fam.covariance(theta))) / n)),
        cov=squeeze(outer.mean(axis=0)),
        cov_se=squeeze(outer.std(axis=0) / math.sqrt(n)),
    )


@dataclass
class NewtonFit:
    """The result of :func:`fit_family`.

    ``history`` has one row per iterate: ``theta``, the average log-likelihood
    ``loglik`` = (1/n) log L(θ) = (1/n) Σ log p(x_i | θ), ``grad``, the largest entry of
    |∇ (1/n) log L(θ)|, and ``t``, the step size taken from it (0 for the last row).
    """

    theta: np.ndarray
    phi_bar: np.ndarray
    history: list[dict]
    converged: bool


def fit_family(family, x, theta0=None, *, max_steps: int = 50, tol: float = 1e-12,
               damped: bool = True) -> NewtonFit:
    """The maximum-likelihood θ of an exponential family for the sample x: the θ with E_θ[φ] = φ̄.

    Checks the arguments, then runs :func:`newton_iterations` from ``theta0`` (by
    default the family's ``theta_start``) for at most ``max_steps`` steps.
    Raises ``ValueError`` when φ̄ has no finite maximiser (a class never seen, all
    x equal, …), and, with ``damped=False``, when a full step leaves the domain.
    """
    fam = _family(family)
    x = fam._check_x(x)
    phi_bar = np.asarray(fam.sufficient_stat(x)).reshape(x.size, -1).mean(axis=0)
    fam._m(_scalar(phi_bar.reshape(())) if fam.dim == 1 else phi_bar)
    shape = () if fam.dim == 1 else (fam.dim,)
    theta = np.array(fam.theta_start if theta0 is None else fam._one_theta(theta0), dtype=np.float64).reshape(shape)
    max_steps = as_count(max_steps, "max_steps", maximum=MAX_STEPS, why="MAX_STEPS")
    tol = as_positive(tol, "tol")
    damped = as_bool(damped, "damped")
    history = newton_iterations(fam, phi_bar, float(np.mean(fam._log_h(x))), theta, max_steps, tol, damped)
    converged = history[-1]["grad"] <= tol * (1.0 + np.max(np.abs(phi_bar)))
    return NewtonFit(theta=_scalar(history[-1]["theta"]), phi_bar=_scalar(phi_bar.reshape(shape)),
                     history=history, converged=bool(converged))


def newton_iterations(fam: ExponentialFamily, phi_bar: np.ndarray, mean_log_h: float, theta: np.ndarray,
                      max_steps: int, tol: float, damped: bool) -> list[dict]:
    """Newton's method on (1/n) log L(θ) = φ̄ᵀθ − g(θ) + mean log h(x), from θ; one row per iterate.

    The gradient φ̄ − E_θ[φ] vanishes where the model's mean matches the sample's
    (moment matching), and the Hessian is −Cov_θ[φ]. The Newton step is
    Δ = Cov_θ[φ]⁺ (φ̄ − E_θ[φ]), with the pseudo-inverse ⁺ because the
    categorical family's covariance is singular (its step then keeps Σ_k θ_k
    fixed). Damped: t halves from 1 until θ + tΔ is in the domain and log L rises by
    at least 10⁻⁴ t ∇log Lᵀ Δ (Armijo's rule, up to rounding). Stops when the
    largest |∇ (1/n) log L| ≤ tol (1 + max |φ̄|). The arguments are checked by :func:`fit_family`.
    """
    def loglik(v):
        return float(np.sum(phi_bar * np.ravel(v)) - fam.log_partition(v)) + mean_log_h

    history = []
    for _ in range(max_steps + 1):
        grad = phi_bar - np.ravel(fam.mean(theta))
        row = {"theta": theta.copy(), "loglik": loglik(theta), "grad": float(np.max(np.abs(grad))), "t": 0.0}
        history.append(row)
        if row["grad"] <= tol * (1.0 + np.max(np.abs(phi_bar))) or len(history) > max_steps:
            break
        step = (np.linalg.pinv(np.atleast_2d(fam.covariance(theta))) @ grad).reshape(theta.shape)
        t = 1.0
        if not damped:
            if not fam.in_domain(theta + step):
                raise ValueError(f"the undamped Newton step left the {fam.name} family's domain: "
                                 f"θ + Δ = {np.round(theta + step, 4)}; use damped=True")
        else:
            slope = float(grad @ np.ravel(step))
            # near the maximum the rise is below rounding error in log L: allow for that, or no step passes
            rounding = 64 * np.finfo(np.float64).eps * (1.0 + abs(row["loglik"]))
            while t > 1e-12 and not (fam.in_domain(theta + t * step) and
                                     loglik(theta + t * step) >= row["loglik"] + 1e-4 * t * slope - rounding):
                t /= 2.0
            if t <= 1e-12:  # no ascent left within rounding: θ is as good as float64 allows
                break
        row["t"] = t
        theta = theta + t * step
    return history
