"""Exponential families p(x | θ) = h(x) exp(φ(x)ᵀθ − g(θ)), one small object per family.

Every family has the same interface, so one piece of code (a derivative
check, a Monte-Carlo check, a Newton fit) works for all of them:

* ``sufficient_stat(x)`` = φ(x), ``log_partition(θ)`` = g(θ) = log Σ_x h(x) e^{φ(x)ᵀθ},
* ``mean(θ)`` = ∇g(θ) = E[φ(x)], ``covariance(θ)`` = ∇²g(θ) = Cov[φ(x)],
* ``log_prob(x, θ)`` = log h(x) + φ(x)ᵀθ − g(θ), the usual log mass or density,
* ``sample(θ, size, rng)``, ``to_natural(**usual)``,
  ``from_natural(θ)``, ``from_mean(m)``.

Each family writes its formulas once, for θ of shape (..., dim): a batch of
natural parameters along the leading axes. One-parameter families (dim = 1)
take and return scalars (or arrays of them: a batch) at the public methods,
which add and drop the length-1 axis. Every log-partition is written so that
no intermediate overflows for large |θ|; a term that underflows to 0 is
negligible by design, so underflow is silenced inside the public methods.
``families`` lists one object per family by name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from book.checks import (
    MAX_STEPS,
    as_bool,
    as_count,
    as_distribution,
    as_float_array,
    as_labels,
    as_n_classes,
    as_positive,
    as_rng,
    check_size,
)
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
#: The largest θ whose rate e^θ NumPy's Poisson
#: sampler accepts (it refuses rates near 2^63).
POISSON_MAX_LOG = math.log(1e18)

_log_factorial = np.vectorize(lambda k: math.lgamma(k + 1.0), otypes=[np.float64])


class ExponentialFamily:
    """The shared interface. A family states its support
    and fills in ten formulas, all on θ of shape (..., dim):

    ``_phi(x)`` → (..., dim), ``_log_h(x)``, ``_g(θ)``, ``_mean(θ)`` → (..., dim),
    ``_cov(θ)`` → (..., dim, dim), ``_outside(θ)`` (why some θ is outside the domain
    {θ : g(θ) < ∞}, or None), ``_from_mean(m)`` (raising ``self._no_mean(why)`` when no
    finite θ has E_θ[φ] = m), ``_draw(θ, size, rng)`` for one θ of shape (dim,),
    ``_to_natural(**usual)`` and ``_from_natural(θ)``.

    The public methods check their input (raising ``TypeError`` for
    non-numeric input and ``ValueError`` for NaN, ±inf, a wrong shape, an
    impossible x, or a θ outside the family's domain, with the reason), then
    call the formulas on float64 arrays.
    """

    name: str = "exponential family"
    label: str = "exponential family"  #: the family's name in a title or a menu
    dim: int = 1  #: length of θ; 1 means the public methods take a scalar θ
    theta_name: str = "θ"  #: what θ is, in words, for error messages
    usual: tuple[str, ...] = ()  #: names of the usual parameters
    theta_start: tuple = (
        0.0,
    )  #: a natural parameter inside the domain (Newton's default start)
    support: str = (
        "reals"  #: "reals", "counts" (0, 1, 2, …) or "labels" (0, …, n_outcomes − 1)
    )
    n_outcomes: int = 0  #: the number of labels, for support "labels"

    # --- the formulas a family may keep
    # ----------------------------------------------------------
    def _phi(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, dtype=np.float64)[..., None]

    def _log_h(self, x: np.ndarray) -> np.ndarray:
        return np.zeros(np.shape(x))

    def _outside(self, theta: np.ndarray) -> str | None:
        return None

    # --- the interface
    # -----------------------------------------------------------------------------
    def sufficient_stat(self, x) -> np.ndarray:
        """φ(x): shape x.shape for a one-parameter family,
        x.shape + (dim,) otherwise."""
        return self._public(self._safe("φ(x)", self._phi, self._x(x)), 1)

    def log_partition(self, theta):
        """g(θ) = log Σ_x h(x) exp(φ(x)ᵀθ) (an integral for continuous x),
        one value per θ."""
        return _scalar(self._safe("g(θ)", self._g, self._theta(theta)))

    def mean(self, theta):
        """∇g(θ) = E[φ(x)] under p(x | θ): shape of θ."""
        return self._public(
            self._safe("the mean E[φ]", self._mean, self._theta(theta)), 1
        )

    def covariance(self, theta):
        """∇²g(θ) = Cov[φ(x)] under p(x | θ):
        a variance per θ, or a (dim, dim) matrix per θ."""
        theta = self._theta(theta)
        check_size(theta.size * self.dim, "the covariances (..., dim, dim)")
        return self._public(self._safe("the covariance Cov[φ]", self._cov, theta), 2)

    def log_prob(self, x, theta):
        """log p(x | θ) = log h(x) + φ(x)ᵀθ − g(θ),
        broadcasting x against a batch of θ."""
        x, theta = self._x(x), self._theta(theta)
        return _scalar(
            self._safe(
                "log p(x | θ)",
                lambda: (
                    self._log_h(x)
                    + np.sum(self._phi(x) * theta, axis=-1)
                    - self._g(theta)
                ),
            )
        )

    def sample(self, theta, size, rng: np.random.Generator) -> np.ndarray:
        """``size`` independent draws x ~ p(x | θ) from the seeded generator ``rng``."""
        rng = as_rng(rng)
        if isinstance(size, (str, bytes)) or np.ndim(size) > 1:
            raise TypeError(
                f"size must be a non-negative integer or a tuple of them, got {size!r}"
            )
        shape = (size,) if np.ndim(size) == 0 else tuple(size)
        shape = tuple(as_count(s, "size") for s in shape)
        check_size(int(np.prod(shape, dtype=object)) * self.dim, "the sample")
        theta = self._theta(theta, one=True)
        with np.errstate(under="ignore"):
            return self._draw(theta, shape, rng)

    def to_natural(self, **usual):
        """The natural parameter θ of the distribution
        with the given usual parameters."""
        if set(usual) != set(self.usual):
            raise TypeError(
                f"the {self.name} family's usual parameters are "
                f"{', '.join(self.usual)}; "
                f"got {', '.join(sorted(usual)) or 'none'}"
            )
        return self._public(
            self._safe("the natural parameter", self._to_natural, **usual), 1
        )

    def from_natural(self, theta) -> dict:
        """The usual parameters (a dict by name) of
        the distribution with natural parameter θ."""
        usual = self._safe("a usual parameter", self._from_natural, self._theta(theta))
        return {k: _scalar(v) for k, v in usual.items()}

    def from_mean(self, m):
        """The θ with E_θ[φ] = m: the inverse of ``mean``,
        hence the maximum-likelihood θ for φ̄ = m."""
        m = self._vector(m, "m")
        return self._public(self._safe("the natural parameter", self._from_mean, m), 1)

    def in_domain(self, theta) -> bool:
        """True when θ (already of the right shape) is a valid
        natural parameter: g(θ) is finite."""
        arr = np.asarray(theta)
        if (
            arr.dtype == bool
            or not np.issubdtype(arr.dtype, np.number)
            or np.iscomplexobj(arr)
        ):
            raise TypeError(f"theta must hold real numbers, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
        return self._inside(arr[..., None] if self.dim == 1 else arr)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # --- the public boundary: checks, and a scalar
    # family's θ gains and loses its axis -------------
    @property
    def shape(self) -> tuple:
        """The shape of one θ at the public methods:
        () for a one-parameter family, (dim,) otherwise."""
        return () if self.dim == 1 else (self.dim,)

    def _x(self, x) -> np.ndarray:
        if self.support == "labels":
            return as_labels(x, self.n_outcomes, name="x")
        arr = as_float_array(x, "x").astype(np.float64)
        if self.support == "counts":
            bad = (arr < 0) | (arr != np.floor(arr))
            if bad.any():
                raise ValueError(
                    f"x must hold counts 0, 1, 2, …; got {arr[bad].flat[0]:g}"
                )
        return arr

    def _vector(self, value, name: str) -> np.ndarray:
        """A float64 array of shape (..., dim):
        a scalar family's value gains its length-1 axis."""
        arr = as_float_array(value, name, min_ndim=0 if self.dim == 1 else 1).astype(
            np.float64
        )
        if self.dim == 1:
            return arr[..., None]
        if arr.shape[-1] != self.dim:
            raise ValueError(
                f"{'θ' if name == 'theta' else name} must have length {self.dim} along "
                "its last axis "
                f"for the {self.name} family ({self.theta_name}), got shape {arr.shape}"
            )
        return arr

    def _theta(self, theta, *, one: bool = False) -> np.ndarray:
        arr = self._vector(theta, "theta")
        why = self._outside(arr)
        if why:
            raise ValueError(f"θ is outside the {self.name} family's domain: {why}")
        if one and arr.shape != (self.dim,):
            raise ValueError(
                f"θ must be a single natural parameter here (shape {self.shape}), "
                f"got shape {np.shape(theta)}"
            )
        return arr

    def _inside(self, theta: np.ndarray) -> bool:
        if not (np.isfinite(theta).all() and self._outside(theta) is None):
            return False
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            return bool(np.isfinite(self._g(theta)).all())

    def _no_mean(self, why: str) -> ValueError:
        return ValueError(
            f"no finite natural parameter of the {self.name} family has this mean: "
            f"{why}"
        )

    def _public(self, a, axes: int):
        """A result whose last ``axes`` axes are θ's, as the public methods return
        it (a scalar family drops them)."""
        a = np.asarray(a)
        if self.dim == 1:
            a = a.reshape(a.shape[: a.ndim - axes])
        return _scalar(a)

    def _safe(self, what: str, formula, *args, **kwargs):
        """formula(*args, **kwargs) with every term that underflows 0;
        a ``ValueError`` if the result overflowed.

        A natural parameter can be inside the domain and still give a g(θ), a mean or a
        covariance beyond float64 (the Gaussian's θ = (1e200, −0.5): g = −θ₁²/4θ₂ =
        5e399).
        """
        with np.errstate(
            under="ignore", over="ignore", invalid="ignore", divide="ignore"
        ):
            value = formula(*args, **kwargs)
        if not all(
            np.isfinite(v).all()
            for v in (value.values() if isinstance(value, dict) else [value])
        ):
            raise ValueError(
                f"{what} of the {self.name} family overflows float64 here: the natural "
                "parameter is in the domain, but too large for the result to be a "
                "finite number"
            )
        return value


def _scalar(a):
    """A 0-d result as a NumPy scalar, anything else unchanged."""
    a = np.asarray(a)
    return a[()] if a.ndim == 0 else a


class Categorical(ExponentialFamily):
    """x ∈ {0, …, K−1}, φ(x) = e_x (one-hot), h = 1,
    g(θ) = log Σ_k e^{θ_k}, E[φ] = softmax(θ).

    Cov[φ] = diag(p) − p pᵀ. Over-parameterised: θ and θ + c·1 give the same
    distribution, so the covariance is singular (1 is in its null space).
    """

    name = "categorical"
    usual = ("p",)
    support = "labels"

    def __init__(self, n_classes: int = 3):
        self.K = self.dim = self.n_outcomes = as_n_classes(n_classes)
        self.label = f"categorical (K = {self.K})"
        self.theta_name = f"one logit per class, {self.K} classes"
        self.theta_start = (0.0,) * self.K

    def __repr__(self) -> str:
        return f"Categorical(n_classes={self.K})"

    def _phi(self, x):
        return one_hot(x, self.K)

    def _g(self, theta):
        return logsumexp(theta, axis=-1)

    def _mean(self, theta):
        return softmax(theta, axis=-1)

    def _cov(self, theta):
        p = softmax(theta, axis=-1)
        return p[..., :, None] * np.eye(self.K) - p[..., :, None] * p[..., None, :]

    def _from_mean(self, m):
        if m.shape != (self.K,):
            raise self._no_mean(
                f"m must be a probability vector of length {self.K}, got shape "
                f"{m.shape}"
            )
        as_distribution(m, (self.K,), name="m")
        if (m == 0).any():
            raise self._no_mean(
                f"class {int(np.argmin(m))} has mean 0 (never observed), so its logit "
                "would be −∞"
            )
        return np.log(m)

    def _draw(self, theta, size, rng):
        return rng.choice(self.K, size=size, p=softmax(theta))

    def _to_natural(self, p):
        p = as_distribution(p, (self.K,), name="p")
        if (p == 0).any():
            raise ValueError(
                "p has a zero entry: its natural parameter log p would be −∞"
            )
        return np.log(p)

    def _from_natural(self, theta):
        return {"p": softmax(theta, axis=-1)}


class Bernoulli(ExponentialFamily):
    """x ∈ {0, 1}, φ(x) = x, h = 1, g(θ) = log(1 + e^θ)
    = softplus(θ), g′ = σ(θ) = p, g″ = p(1 − p).

    The natural parameter is the logit θ = log(p / (1 − p)).
    """

    name = "bernoulli"
    label = "Bernoulli"
    theta_name = "the logit log(p / (1 − p))"
    usual = ("p",)
    support, n_outcomes = "labels", 2

    def _g(self, theta):
        return softplus(theta[..., 0])

    def _mean(self, theta):
        return sigmoid(theta)

    def _cov(self, theta):
        return (sigmoid(theta) * sigmoid(-theta))[..., None]

    def _from_mean(self, m):
        if ((m <= 0) | (m >= 1)).any():
            raise self._no_mean(
                "the mean of x ∈ {0, 1} must lie strictly between 0 and 1 (its logit "
                "is ±∞ at 0 or 1)"
            )
        return np.log(m) - np.log1p(-m)

    def _draw(self, theta, size, rng):
        return (rng.random(size) < sigmoid(theta[0])).astype(np.int64)

    def _to_natural(self, p):
        p = as_float_array(p, "p")
        if ((p <= 0) | (p >= 1)).any():
            raise ValueError(
                "p must lie strictly between 0 and 1 (its logit is ±∞ at 0 or 1)"
            )
        return (np.log(p) - np.log1p(-p))[..., None]

    def _from_natural(self, theta):
        return {"p": sigmoid(theta[..., 0])}


class Poisson(ExponentialFamily):
    """x ∈ {0, 1, 2, …}, φ(x) = x, h(x) = 1/x!,
    g(θ) = log Σ_x e^{xθ}/x! = e^θ; g′ = g″ = e^θ = λ.

    The base measure 1/x! is what makes this the Poisson family: without it the
    sum Σ_x e^{xθ} = 1/(1 − e^θ) is the geometric family's. Natural parameter θ = log λ.
    """

    name = "poisson"
    label = "Poisson"
    theta_name = "the log-rate log λ"
    usual = ("rate",)
    support = "counts"

    def _log_h(self, x):
        return -_log_factorial(x)

    def _g(self, theta):
        return np.exp(theta[..., 0])

    def _mean(self, theta):
        return np.exp(theta)

    def _cov(self, theta):
        return np.exp(theta)[..., None]

    def _outside(self, theta):
        if (theta > MAX_LOG).any():
            return (
                f"the rate e^θ overflows float64 for θ > {MAX_LOG:.2f} "
                f"(got θ = {np.max(theta):g})"
            )
        return None

    def _from_mean(self, m):
        if (m <= 0).any():
            raise self._no_mean(
                "the mean count must be positive (a mean of 0 would need θ = log 0 = "
                "−∞)"
            )
        return np.log(m)

    def _draw(self, theta, size, rng):
        if theta[0] > POISSON_MAX_LOG:
            raise ValueError(
                f"the rate e^θ = {np.exp(theta[0]):.3g} is too large to sample: NumPy "
                "draws Poisson "
                f"counts for rates up to about 1e18 (θ ≤ {POISSON_MAX_LOG:.1f})"
            )
        return rng.poisson(np.exp(theta[0]), size=size)

    def _to_natural(self, rate):
        rate = as_float_array(rate, "rate")
        if (rate <= 0).any():
            raise ValueError("rate must be positive")
        return np.log(rate)[..., None]

    def _from_natural(self, theta):
        return {"rate": np.exp(theta[..., 0])}


class Geometric(ExponentialFamily):
    """x ∈ {0, 1, 2, …} failures before the first success, P(x) = p (1 − p)^x.

    φ(x) = x, h = 1, θ = log(1 − p) < 0, g(θ) = −log(1 − e^θ), g′ = e^θ / (1 − e^θ),
    g″ = g′(1 + g′). The sum Σ_x e^{xθ} converges only for θ < 0: that is the domain.
    """

    name = "geometric"
    label = "geometric"
    theta_name = "log(1 − p)"
    usual = ("p",)
    theta_start = (-math.log(2.0),)
    support = "counts"

    def _g(self, theta):
        t = theta[..., 0]
        # log(1 − e^θ) loses digits one way or the other:
        # via expm1 near θ = 0, via log1p far below it
        near0 = t > -math.log(2.0)
        return -np.where(
            near0,
            np.log(-np.expm1(np.where(near0, t, -1.0))),
            np.log1p(-np.exp(np.where(near0, -1.0, t))),
        )

    def _mean(self, theta):
        return np.exp(theta) / -np.expm1(theta)

    def _cov(self, theta):
        m = self._mean(theta)
        return (m * (1.0 + m))[..., None]

    def _outside(self, theta):
        if (theta >= 0).any():
            return (
                "the geometric family needs θ = log(1 − p) < 0, since Σ_x e^(xθ) "
                "diverges "
                f"for θ ≥ 0 (got θ = {np.max(theta):g})"
            )
        return None

    def _from_mean(self, m):
        if (m <= 0).any():
            raise self._no_mean(
                "the mean count must be positive (a mean of 0 would need θ = −∞)"
            )
        return np.log(m) - np.log1p(m)

    def _draw(self, theta, size, rng):
        return rng.geometric(-np.expm1(theta[0]), size=size) - 1

    def _to_natural(self, p):
        p = as_float_array(p, "p")
        if ((p <= 0) | (p >= 1)).any():
            raise ValueError(
                "p must lie strictly between 0 and 1 (θ = log(1 − p) is −∞ at p = 1)"
            )
        return np.log1p(-p)[..., None]

    def _from_natural(self, theta):
        return {"p": -np.expm1(theta[..., 0])}


class Gaussian(ExponentialFamily):
    """x ∈ ℝ, φ(x) = (x, x²), h = 1, θ = (μ/σ², −1/(2σ²)), so θ₂ < 0.

    g(θ) = −θ₁²/(4θ₂) + ½ log(π / (−θ₂)) = μ²/(2σ²) + ½ log(2πσ²);
    E[φ] = (μ, μ² + σ²); Cov[φ] = [[σ², 2μσ²], [2μσ², 4μ²σ² + 2σ⁴]].
    """

    name = "gaussian"
    label = "Gaussian"
    dim = 2
    theta_name = "(μ/σ², −1/(2σ²))"
    usual = ("mu", "sigma")
    theta_start = (0.0, -0.5)

    def _phi(self, x):
        return np.stack([x, x * x], axis=-1)

    def _g(self, theta):
        theta1, theta2 = theta[..., 0], theta[..., 1]
        return -theta1 * theta1 / (4.0 * theta2) + 0.5 * (
            math.log(math.pi) - np.log(-theta2)
        )

    @staticmethod
    def _mu_var(theta):
        return -theta[..., 0] / (2.0 * theta[..., 1]), -0.5 / theta[..., 1]

    def _mean(self, theta):
        mu, var = self._mu_var(theta)
        return np.stack([mu, mu * mu + var], axis=-1)

    def _cov(self, theta):
        mu, var = self._mu_var(theta)
        c = 2.0 * mu * var
        return np.stack(
            [
                np.stack([var, c], -1),
                np.stack([c, 4.0 * mu * mu * var + 2.0 * var * var], -1),
            ],
            -2,
        )

    def _outside(self, theta):
        if (theta[..., 1] >= 0).any():
            return (
                f"the second natural parameter θ₂ = −1/(2σ²) must be negative, since "
                "∫ exp(θ₁x + θ₂x²) dx diverges for θ₂ ≥ 0 (got θ₂ = "
                f"{np.max(theta[..., 1]):g})"
            )
        return None

    def _from_mean(self, m):
        var = m[..., 1] - m[..., 0] ** 2
        if (var <= 0).any():
            raise self._no_mean(
                "the variance m₂ − m₁² must be positive (all the x are equal)"
            )
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
        raise TypeError(
            "family must be an ExponentialFamily or a name, got "
            f"{type(family).__name__}"
        )
    return family


@dataclass
class MonteCarlo:
    """Sample moments of φ(x) from n draws, with their standard errors.

    ``mean_se`` = √(diag Cov_θ[φ] / n) uses the known covariance; ``cov_se`` is
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
    x = fam.sample(theta, n, rng)
    theta = fam._theta(theta)
    phi = fam._safe("φ(x)", fam._phi, x)
    dev = phi - fam._safe("the mean E[φ]", fam._mean, theta)
    outer = dev[:, :, None] * dev[:, None, :]
    cov = fam._safe("the covariance Cov[φ]", fam._cov, theta)
    return MonteCarlo(
        n=int(n),
        mean=fam._public(phi.mean(axis=0), 1),
        mean_se=fam._public(np.sqrt(np.diag(cov) / n), 1),
        cov=fam._public(outer.mean(axis=0), 2),
        cov_se=fam._public(outer.std(axis=0) / math.sqrt(n), 2),
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


def fit_family(
    family,
    x,
    theta0=None,
    *,
    max_steps: int = 50,
    tol: float = 1e-12,
    damped: bool = True,
) -> NewtonFit:
    """The maximum-likelihood θ of an exponential
    family for the sample x: the θ with E_θ[φ] = φ̄.

    Checks the arguments, then runs :func:`_newton_iterations` from ``theta0`` (by
    default the family's ``theta_start``) for at most ``max_steps`` steps.
    Raises ``ValueError`` when φ̄ has no finite maximiser (a class never seen, all
    x equal, …), and, with ``damped=False``, when a full step leaves the domain.
    """
    fam = _family(family)
    x = fam._x(x)
    phi_bar = fam._phi(x).reshape(-1, fam.dim).mean(axis=0)
    # raises when no finite θ matches φ̄
    fam._safe("the natural parameter", fam._from_mean, phi_bar)
    theta = (
        np.array(fam.theta_start) if theta0 is None else fam._theta(theta0, one=True)
    )
    max_steps = as_count(max_steps, "max_steps", maximum=MAX_STEPS, why="MAX_STEPS")
    tol = as_positive(tol, "tol")
    damped = as_bool(damped, "damped")
    with np.errstate(under="ignore", over="ignore", invalid="ignore", divide="ignore"):
        history = _newton_iterations(
            fam, phi_bar, float(np.mean(fam._log_h(x))), theta, max_steps, tol, damped
        )
    if not all(
        np.isfinite([row["loglik"], row["grad"], *row["theta"]]).all()
        for row in history
    ):
        raise ValueError(
            f"the log-likelihood of the {fam.name} family overflows float64 during the "
            "fit"
        )
    for row in history:
        row["theta"] = fam._public(row["theta"], 1)
    converged = history[-1]["grad"] <= tol * (1.0 + np.max(np.abs(phi_bar)))
    return NewtonFit(
        theta=history[-1]["theta"],
        phi_bar=fam._public(phi_bar, 1),
        history=history,
        converged=bool(converged),
    )


def _newton_iterations(
    fam: ExponentialFamily,
    phi_bar: np.ndarray,
    mean_log_h: float,
    theta: np.ndarray,
    max_steps: int,
    tol: float,
    damped: bool,
) -> list[dict]:
    """Newton's method on (1/n) log L(θ) = φ̄ᵀθ − g(θ)
    + mean log h(x), from θ; one row per iterate.

    The gradient φ̄ − E_θ[φ] vanishes where the model's mean matches the sample's
    (moment matching), and the Hessian is −Cov_θ[φ]. The Newton step is
    Δ = Cov_θ[φ]⁺ (φ̄ − E_θ[φ]), with the pseudo-inverse ⁺ because the
    categorical family's covariance is singular (its step then keeps Σ_k θ_k
    fixed). Damped: t halves from 1 until θ + tΔ is in the domain and log L rises by
    at least 10⁻⁴ t ∇log Lᵀ Δ (Armijo's rule, up to rounding). Stops when the
    largest |∇ (1/n) log L| ≤ tol (1 + max |φ̄|). θ and φ̄ have shape (dim,); the
    arguments are checked by :func:`fit_family`, and ``fam._g``, ``_mean``,
    ``_cov`` are g, ∇g, ∇²g.
    """

    def loglik(v):
        return float(np.sum(phi_bar * v) - fam._g(v)) + mean_log_h

    history = []
    for _ in range(max_steps + 1):
        grad = phi_bar - fam._mean(theta)
        row = {
            "theta": theta.copy(),
            "loglik": loglik(theta),
            "grad": float(np.max(np.abs(grad))),
            "t": 0.0,
        }
        history.append(row)
        if (
            row["grad"] <= tol * (1.0 + np.max(np.abs(phi_bar)))
            or len(history) > max_steps
        ):
            break
        step = np.linalg.pinv(fam._cov(theta)) @ grad
        t = 1.0
        if not damped:
            if not fam._inside(theta + step):
                raise ValueError(
                    f"the undamped Newton step left the {fam.name} family's domain: "
                    f"θ + Δ = {np.round(theta + step, 4)}; use damped=True"
                )
        else:
            slope = float(grad @ step)
            # near the maximum the rise is below rounding error in log L:
            # allow for that, or no step passes
            rounding = 64 * np.finfo(np.float64).eps * (1.0 + abs(row["loglik"]))
            while t > 1e-12 and not (
                fam._inside(theta + t * step)
                and loglik(theta + t * step)
                >= row["loglik"] + 1e-4 * t * slope - rounding
            ):
                t /= 2.0
            # no ascent left within rounding: θ is as good as float64 allows
            if t <= 1e-12:
                break
        row["t"] = t
        theta = theta + t * step
    return history
