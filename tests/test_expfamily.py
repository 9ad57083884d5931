"""Exponential families: derivatives of g against finite differences and SciPy, samples, fits, bad input."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

import book
from book.expfamily import (Bernoulli, Categorical, Gaussian, Geometric, Poisson, families, fit_family,
                            monte_carlo_moments)
from book.numcheck import gradient, hessian, jacobian

# --- natural parameters to test at, per family (kept where finite differences are accurate) -------
def reals(lo, hi):
    """Floats in [lo, hi] with six decimals: no subnormal numbers, whose squares underflow in SciPy too."""
    return st.floats(lo, hi).map(lambda v: round(v, 6))


categorical_theta = hnp.arrays(np.float64, st.integers(2, 6), elements=reals(-10, 10))
gaussian_theta = st.tuples(reals(-5, 5), reals(0.3, 3)).map(
    lambda ms: Gaussian().to_natural(mu=ms[0], sigma=ms[1]))
THETA = {
    "bernoulli": reals(-20, 20),
    "poisson": reals(-10, 5),
    "geometric": reals(-20, -0.05),
    "gaussian": gaussian_theta,
}
#: SciPy's distribution objects are slow to build; fewer examples keep the suite quick.
FEW = settings(max_examples=60)


def family_and_theta():
    """A (family, θ) pair: a categorical family of the size of θ, or a one-/two-parameter family."""
    return st.one_of(
        categorical_theta.map(lambda theta: (Categorical(len(theta)), theta)),
        *[strat.map(lambda theta, n=name: (families[n], theta)) for name, strat in THETA.items()],
    )


def steps(theta, rel):
    """Finite-difference steps scaled to each coordinate of θ (for book.numcheck's h)."""
    return rel * np.maximum(np.abs(np.asarray(theta, dtype=float)), 1e-2)


# --- the interface and the registry ---------------------------------------------------------------
def test_book_families_is_the_registry():
    assert book.families is families
    assert {"categorical", "bernoulli", "poisson", "gaussian"} <= set(families)
    for name, fam in families.items():
        assert fam.name == name


# --- derivatives of the log-partition ---------------------------------------------------------------
@given(family_and_theta())
def test_mean_is_the_gradient_of_the_log_partition(pair):
    fam, theta = pair
    fd = gradient(fam.log_partition, theta, h=steps(theta, 1e-5))
    np.testing.assert_allclose(fam.mean(theta), fd, rtol=1e-6, atol=1e-8)


@given(family_and_theta())
def test_covariance_is_the_jacobian_of_the_mean(pair):
    fam, theta = pair
    fd = jacobian(fam.mean, theta, h=steps(theta, 1e-5))
    np.testing.assert_allclose(fam.covariance(theta), fd, rtol=1e-6, atol=1e-8)


@FEW
@given(family_and_theta())
def test_covariance_is_the_hessian_of_the_log_partition(pair):
    fam, theta = pair
    H = hessian(fam.log_partition, theta, h=steps(theta, 1e-3))
    C = fam.covariance(theta)
    scale = 1.0 + np.max(np.abs(C))
    np.testing.assert_allclose(C, H, rtol=1e-4, atol=1e-5 * scale)


@given(family_and_theta())
def test_covariance_is_symmetric_positive_semidefinite(pair):
    fam, theta = pair
    C = np.atleast_2d(fam.covariance(theta))
    np.testing.assert_array_equal(C, C.T)
    assert np.linalg.eigvalsh(C).min() >= -1e-12 * (1.0 + np.abs(C).max())


@given(family_and_theta(), reals(0.1, 0.9), reals(0, 1))
def test_log_partition_is_convex_along_a_segment(pair, s, t):
    fam, theta = pair
    v = s * np.asarray(theta)  # in the domain too: every domain here is closed under shrinking towards 0
    mid = t * np.asarray(theta) + (1 - t) * np.asarray(v)
    bound = t * fam.log_partition(theta) + (1 - t) * fam.log_partition(v)
    assert fam.log_partition(mid) <= bound + 1e-9 * (1 + abs(bound))


@FEW
@given(family_and_theta())
def test_log_prob_sums_to_one_over_the_support(pair):
    fam, theta = pair
    if isinstance(fam, Gaussian):
        u = fam.from_natural(theta)
        x = np.linspace(u["mu"] - 12 * u["sigma"], u["mu"] + 12 * u["sigma"], 4001)
        total = np.trapezoid(np.exp(fam.log_prob(x, theta)), x)
    else:
        m = float(np.max(np.atleast_1d(fam.mean(theta))))
        top = {Categorical: lambda: fam.K - 1, Bernoulli: lambda: 1}.get(
            type(fam), lambda: int(m + 40 * math.sqrt(float(fam.covariance(theta))) + 40))()
        total = np.exp(book.logsumexp(fam.log_prob(np.arange(top + 1), theta)))
    assert abs(total - 1) < 1e-9


# --- the categorical family is chapter 3's softmax ---------------------------------------------
@given(categorical_theta, st.floats(-50, 50))
def test_categorical_is_the_softmax_and_ignores_a_shift(theta, c):
    fam = Categorical(len(theta))
    p = book.softmax(theta)
    np.testing.assert_allclose(fam.mean(theta), p, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fam.covariance(theta), np.diag(p) - np.outer(p, p), atol=1e-15)
    np.testing.assert_allclose(fam.mean(theta + c), p, atol=1e-12)
    np.testing.assert_allclose(fam.log_partition(theta + c), fam.log_partition(theta) + c, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(fam.covariance(theta) @ np.ones(len(theta)), 0, atol=1e-15)


@given(categorical_theta, st.data())
def test_categorical_negative_log_prob_is_the_cross_entropy(theta, data):
    y = data.draw(st.integers(0, len(theta) - 1))
    fam = Categorical(len(theta))
    np.testing.assert_allclose(-fam.log_prob(y, theta), book.cross_entropy(theta, y), rtol=1e-12, atol=1e-12)
    grad = gradient(lambda v: -fam.log_prob(y, v), theta, h=steps(theta, 1e-5))
    np.testing.assert_allclose(grad, book.cross_entropy_grad(theta, y), atol=1e-7)


@given(st.floats(-30, 30))
def test_bernoulli_is_the_two_class_categorical(theta):
    two = Categorical(2)
    bern = families["bernoulli"]
    # log-sum-exp takes log(1 + e^θ) where softplus takes log1p(e^θ): equal to about 1e-16 absolute
    np.testing.assert_allclose(bern.log_partition(theta), two.log_partition([0.0, theta]), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(bern.mean(theta), two.mean([0.0, theta])[1], rtol=1e-12)
    # θ − g(θ) cancels for large θ: both lose digits of a tiny log-probability, about 1e-15·|θ| absolute
    np.testing.assert_allclose(bern.log_prob([0, 1], theta), two.log_prob([0, 1], [0.0, theta]), rtol=1e-12, atol=1e-13)


# --- independent implementations: SciPy's moments and log densities ------------------------------
def scipy_of(fam, theta):
    u = fam.from_natural(theta)
    if isinstance(fam, Categorical):
        return stats.multinomial(1, u["p"])
    return {
        Bernoulli: lambda: stats.bernoulli(u["p"]),
        Poisson: lambda: stats.poisson(u["rate"]),
        Geometric: lambda: stats.geom(u["p"], loc=-1),
        Gaussian: lambda: stats.norm(u["mu"], u["sigma"]),
    }[type(fam)]()


@FEW
@given(family_and_theta())
def test_mean_and_covariance_match_scipy(pair):
    fam, theta = pair
    dist = scipy_of(fam, theta)
    if isinstance(fam, Categorical):
        mean, cov = dist.mean(), dist.cov()
    elif isinstance(fam, Gaussian):
        m1, m2, m3, m4 = (dist.moment(k) for k in (1, 2, 3, 4))
        mean, cov = [m1, m2], [[m2 - m1 ** 2, m3 - m1 * m2], [m3 - m1 * m2, m4 - m2 ** 2]]
    else:
        mean, cov = dist.mean(), dist.var()
    np.testing.assert_allclose(fam.mean(theta), mean, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fam.covariance(theta), cov, rtol=1e-8, atol=1e-10)


@FEW
@given(family_and_theta(), st.data())
def test_log_prob_matches_scipy(pair, data):
    fam, theta = pair
    dist = scipy_of(fam, theta)
    if isinstance(fam, Categorical):
        x = np.arange(fam.K)
        expected = dist.logpmf(np.eye(fam.K))
    elif isinstance(fam, Gaussian):
        x = np.array(data.draw(st.lists(reals(-50, 50), min_size=1, max_size=5)))
        expected = dist.logpdf(x)
    else:
        top = 1 if isinstance(fam, Bernoulli) else 200
        x = np.array(data.draw(st.lists(st.integers(0, top), min_size=1, max_size=5)))
        expected = dist.logpmf(x)
    atol = 1e-9
    if isinstance(fam, Geometric):
        # SciPy gets p = 1 − e^θ, rounded: its 1 − p is off by eps relative to p, so x log(1 − p) by x eps / e^θ
        atol += float(np.max(x)) * np.finfo(np.float64).eps / math.exp(theta)
    np.testing.assert_allclose(fam.log_prob(x, theta), expected, rtol=1e-9, atol=atol)


@pytest.mark.parametrize("name", ["bernoulli", "poisson", "geometric"])
def test_conversions_round_trip(name):
    fam = families[name]
    theta = np.linspace(-3, -0.1, 7)
    np.testing.assert_allclose(fam.to_natural(**fam.from_natural(theta)), theta, rtol=1e-12)
    np.testing.assert_allclose(fam.from_mean(fam.mean(theta)), theta, rtol=1e-10)


def test_gaussian_and_categorical_conversions_round_trip():
    g = families["gaussian"]
    theta = g.to_natural(mu=1.5, sigma=0.4)
    np.testing.assert_allclose(theta, [1.5 / 0.16, -1 / 0.32])
    u = g.from_natural(theta)
    assert u["mu"] == pytest.approx(1.5) and u["sigma"] == pytest.approx(0.4)
    np.testing.assert_allclose(g.from_mean(g.mean(theta)), theta, rtol=1e-12)
    c = Categorical(4)
    p = np.array([0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(c.mean(c.to_natural(p=p)), p, rtol=1e-12)
    np.testing.assert_allclose(c.mean(c.from_mean(p)), p, rtol=1e-12)


# --- Monte Carlo: sample moments within four standard errors ---------------------------------------
CASES = [("categorical", [1.0, 0.0, -1.0]), ("bernoulli", -1.2), ("poisson", math.log(3.0)),
         ("geometric", -0.7), ("gaussian", Gaussian().to_natural(mu=1.0, sigma=2.0))]


@pytest.mark.parametrize("name, theta", CASES)
def test_sample_moments_are_within_four_standard_errors(name, theta):
    fam = families[name]
    n = 20_000
    mc = monte_carlo_moments(fam, theta, n, np.random.default_rng(7))
    assert np.all(np.abs(mc.mean - fam.mean(theta)) <= 4 * mc.mean_se)
    assert np.all(np.abs(mc.cov - fam.covariance(theta)) <= 4 * mc.cov_se + 1e-15)
    # the standard error of a mean shrinks like 1/√n: a four-times larger sample halves it
    assert np.allclose(monte_carlo_moments(fam, theta, 4 * n, np.random.default_rng(8)).mean_se, mc.mean_se / 2)


@pytest.mark.parametrize("name, theta", CASES)
def test_samples_are_seeded_and_in_the_support(name, theta):
    fam = families[name]
    a = fam.sample(theta, (50, 2), np.random.default_rng(3))
    b = fam.sample(theta, (50, 2), np.random.default_rng(3))
    assert a.shape == (50, 2)
    np.testing.assert_array_equal(a, b)
    assert np.all(np.isfinite(fam.log_prob(a, theta)))


# --- stability at large |θ| --------------------------------------------------------------------
LARGE = [
    ("categorical", [1e3, -1e3, 0.0], [0, 1, 2]),
    ("bernoulli", 1e3, [0, 1]),
    ("bernoulli", -1e3, [0, 1]),
    ("poisson", -1e3, [0, 3]),
    ("geometric", -1e3, [0, 3]),
    ("gaussian", [1e3, -1e3], [0.0, 0.5]),
    ("gaussian", [-1e3, -1e3], [0.0, -0.5]),
    ("gaussian", [1e3, -1e-3], [0.0, 5e5]),
]


@pytest.mark.parametrize("name, theta, x", LARGE)
def test_large_natural_parameters_stay_finite(name, theta, x):
    """No overflow, no warning (floating-point errors raise here), no NaN."""
    fam = families[name]
    for value in (fam.log_partition(theta), fam.mean(theta), fam.covariance(theta), fam.log_prob(x, theta)):
        assert np.all(np.isfinite(value))
    mean = np.atleast_1d(fam.mean(theta))
    if name in ("categorical", "bernoulli"):
        assert np.all((0 <= mean) & (mean <= 1))


def test_large_logits_give_exact_limits():
    np.testing.assert_allclose(families["categorical"].log_partition([1e3, -1e3, 0.0]), 1e3)
    np.testing.assert_allclose(families["bernoulli"].log_partition(1e3), 1e3)
    assert families["bernoulli"].log_partition(-1e3) == 0.0
    assert families["poisson"].log_partition(-1e3) == 0.0
    np.testing.assert_allclose(families["geometric"].log_partition(-40.0), math.exp(-40.0), rtol=1e-12)


# --- out of the domain, and bad input ---------------------------------------------------------------
@pytest.mark.parametrize("name, theta, message", [
    ("gaussian", [1.0, 0.0], "θ₂ = −1/\\(2σ²\\) must be negative"),
    ("gaussian", [1.0, 0.5], "must be negative"),
    ("gaussian", [[1.0, -1.0], [1.0, 2.0]], "must be negative"),
    ("geometric", 0.0, "needs θ = log\\(1 − p\\) < 0"),
    ("geometric", 1e3, "diverges"),
    ("poisson", 1e3, "overflows float64"),
])
def test_out_of_domain_raises_and_says_why(name, theta, message):
    fam = families[name]
    for method in (fam.log_partition, fam.mean, fam.covariance, fam.from_natural):
        with pytest.raises(ValueError, match=message):
            method(theta)
    assert not fam.in_domain(theta)


@pytest.mark.parametrize("call, error, message", [
    (lambda: families["bernoulli"].mean("a"), TypeError, "numeric"),
    (lambda: families["bernoulli"].mean(np.nan), ValueError, "NaN"),
    (lambda: families["poisson"].log_partition(np.inf), ValueError, "infinite"),
    (lambda: families["categorical"].mean([1.0, 2.0]), ValueError, "length 3"),
    (lambda: families["categorical"].mean(1.0), ValueError, "at least 1 dimension"),
    (lambda: families["gaussian"].mean([1.0, -1.0, 0.0]), ValueError, "length 2"),
    (lambda: families["bernoulli"].log_prob(2, 0.0), ValueError, "out of range"),
    (lambda: families["categorical"].log_prob(3, [0.0, 0.0, 0.0]), ValueError, "out of range"),
    (lambda: families["poisson"].log_prob(-1, 0.0), ValueError, "counts"),
    (lambda: families["geometric"].sufficient_stat(1.5), ValueError, "counts"),
    (lambda: families["gaussian"].log_prob(np.nan, [0.0, -1.0]), ValueError, "NaN"),
    (lambda: families["poisson"].sample(0.0, 3, rng=0), TypeError, "Generator"),
    (lambda: families["poisson"].sample(0.0, -1, np.random.default_rng(0)), ValueError, "size"),
    (lambda: families["poisson"].sample(0.0, 2.5, np.random.default_rng(0)), TypeError, "size"),
    (lambda: families["poisson"].sample([0.0, 1.0], 3, np.random.default_rng(0)), ValueError, "single"),
    (lambda: families["gaussian"].to_natural(mu=0.0), TypeError, "mu, sigma"),
    (lambda: families["gaussian"].to_natural(mu=0.0, sigma=0.0), ValueError, "sigma must be positive"),
    (lambda: families["poisson"].to_natural(rate=-1.0), ValueError, "rate must be positive"),
    (lambda: families["bernoulli"].to_natural(p=1.0), ValueError, "strictly between"),
    (lambda: families["geometric"].to_natural(p=0.0), ValueError, "strictly between"),
    (lambda: families["categorical"].to_natural(p=[0.5, 0.5, 0.0]), ValueError, "zero entry"),
    (lambda: families["categorical"].to_natural(p=[0.5, 0.4, 0.0]), ValueError, "sums to"),
    (lambda: families["categorical"].from_mean([0.5, 0.5]), ValueError, "length 3"),
    (lambda: families["bernoulli"].from_mean(0.0), ValueError, "strictly between 0 and 1"),
    (lambda: families["poisson"].from_mean(0.0), ValueError, "must be positive"),
    (lambda: families["gaussian"].from_mean([1.0, 1.0]), ValueError, "variance"),
    (lambda: Categorical(1), ValueError, "integer ≥ 2"),
    (lambda: Categorical(2.5), TypeError, "integer"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- maximum likelihood is moment matching -------------------------------------------------------
@pytest.mark.parametrize("name, theta", CASES)
def test_fit_family_matches_the_sample_mean_of_phi(name, theta):
    fam = families[name]
    x = fam.sample(theta, 500, np.random.default_rng(11))
    fit = fit_family(fam, x)
    assert fit.converged
    phi_bar = np.mean(np.asarray(fam.sufficient_stat(x)).reshape(500, -1), axis=0)
    np.testing.assert_allclose(np.atleast_1d(fit.phi_bar), phi_bar, rtol=1e-12)
    np.testing.assert_allclose(np.atleast_1d(fam.mean(fit.theta)), phi_bar, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fam.mean(fam.from_mean(fit.phi_bar)), fam.mean(fit.theta), rtol=1e-9)
    logliks = [row["loglik"] for row in fit.history]
    assert all(b >= a - 1e-12 for a, b in zip(logliks, logliks[1:]))
    np.testing.assert_allclose(logliks[-1], np.mean(fam.log_prob(x, fit.theta)), rtol=1e-12)


def test_fit_family_is_the_maximum_likelihood_estimate_of_scipy():
    x = stats.norm(3.0, 0.5).rvs(size=300, random_state=np.random.default_rng(1))
    mu, sigma = stats.norm.fit(x)
    u = families["gaussian"].from_natural(fit_family("gaussian", x).theta)
    assert u["mu"] == pytest.approx(mu, rel=1e-9) and u["sigma"] == pytest.approx(sigma, rel=1e-9)
    counts = np.random.default_rng(2).poisson(4.0, size=300)
    assert families["poisson"].from_natural(fit_family("poisson", counts).theta)["rate"] == \
        pytest.approx(counts.mean(), rel=1e-10)


def test_damping_keeps_a_far_gaussian_start_in_the_domain():
    x = np.random.default_rng(4).normal(5.0, 0.5, size=400)
    fit = fit_family("gaussian", x)
    assert fit.converged
    assert min(row["t"] for row in fit.history[:-1]) < 1  # the line search shortened a step
    assert all(row["theta"][1] < 0 for row in fit.history)
    with pytest.raises(ValueError, match="undamped Newton step left"):
        fit_family("gaussian", x, damped=False)


def test_categorical_newton_steps_keep_the_sum_of_the_logits():
    x = np.random.default_rng(5).choice(4, size=200, p=[0.1, 0.2, 0.3, 0.4])
    fit = fit_family(Categorical(4), x, theta0=[1.0, 2.0, 3.0, 4.0])
    assert fit.converged
    assert all(row["theta"].sum() == pytest.approx(10.0) for row in fit.history)
    np.testing.assert_allclose(book.softmax(fit.theta), np.bincount(x, minlength=4) / 200, rtol=1e-9)


@pytest.mark.parametrize("call, message", [
    (lambda: fit_family("bernoulli", np.zeros(10)), "strictly between 0 and 1"),
    (lambda: fit_family("categorical", [0, 1, 0, 1]), "class 2 has mean 0"),
    (lambda: fit_family("gaussian", np.ones(5)), "variance"),
    (lambda: fit_family("poisson", [0, 0, 0]), "must be positive"),
    (lambda: fit_family("weibull", [1.0]), "unknown family"),
    (lambda: fit_family("poisson", [1, 2], max_steps=-1), "max_steps"),
    (lambda: fit_family("poisson", [1, 2], tol=0.0), "tol"),
    (lambda: fit_family("gaussian", [1.0, 2.0], theta0=[0.0, 1.0]), "must be negative"),
    (lambda: monte_carlo_moments("poisson", 0.0, 1, np.random.default_rng(0)), "integer ≥ 2"),
])
def test_fit_and_monte_carlo_reject_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_fit_rejects_a_non_family():
    with pytest.raises(TypeError, match="ExponentialFamily"):
        fit_family(object(), [1.0])


# --- the explorer's numbers and its cached backgrounds ---------------------------------------------
from book.explorers.expfamily import THETA_GRID, _curves, expfamily_explorer, natural, slice_derivatives  # noqa: E402


@pytest.mark.parametrize("name", ["categorical", "bernoulli", "poisson", "gaussian"])
def test_explorer_slope_and_curvature_are_the_derivatives_of_its_curve(name):
    curve = _curves()[name]
    curve = curve[30] if name == "gaussian" else curve  # row 30 of the θ₂ grid is θ₂ = −0.5
    for i in (20, 100, 180):
        g, slope, curvature = slice_derivatives(name, THETA_GRID[i], -0.5)
        assert g == pytest.approx(curve[i], rel=1e-12)        # the value is the curve drawn ...

        def along(t):                                          # ... and the derivatives are those of the value
            return slice_derivatives(name, float(t), -0.5)[0]

        assert slope == pytest.approx(float(gradient(along, THETA_GRID[i])), rel=1e-6, abs=1e-9)
        assert curvature == pytest.approx(float(hessian(along, THETA_GRID[i])), rel=1e-5, abs=1e-7)
    assert natural("categorical", 1.5, -0.5).tolist() == [1.5, 0.0, 0.0]
    np.testing.assert_allclose(slice_derivatives("categorical", 1.5, -0.5)[1], book.softmax([1.5, 0.0, 0.0])[0])


def test_explorer_frames_equal_a_full_redraw_after_family_switches():
    ex = expfamily_explorer()
    first = ex.canvas.rgba().copy()
    for family in ("categorical", "poisson", "bernoulli", "gaussian"):
        ex.controls["family"].value = family
    np.testing.assert_array_equal(ex.canvas.rgba(), first)
    ex.controls["family"].value = "poisson"
    for theta in (-4.0, 4.0, -1.0):  # the Poisson's axes zoom in steps as the rate changes
        ex.controls["theta"].value = theta
    blitted = ex.canvas.rgba().copy()
    ex.canvas.invalidate()
    np.testing.assert_array_equal(ex.canvas.rgba(), blitted)
    assert ex.canvas.axes[0].get_xlim()[1] < 10


# --- in the domain, but beyond float64 -------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda: families["gaussian"].log_partition([1e200, -0.5]), "g\\(θ\\) of the gaussian family overflows"),
    (lambda: families["gaussian"].mean([1.0, -1e-310]), "mean E\\[φ\\] of the gaussian family overflows"),
    (lambda: families["gaussian"].covariance([1e160, -0.5]), "covariance Cov\\[φ\\] of the gaussian family"),
    (lambda: families["gaussian"].from_natural([1.0, -1e-310]), "usual parameter of the gaussian family"),
    (lambda: families["gaussian"].to_natural(mu=1.0, sigma=1e-200), "natural parameter of the gaussian family"),
    (lambda: families["poisson"].sample(50.0, 3, np.random.default_rng(0)), "too large to sample"),
    (lambda: families["poisson"].sample(0.0, 10**10, np.random.default_rng(0)), "MAX_ELEMENTS"),
    (lambda: monte_carlo_moments("gaussian", [0.0, -0.5], 10**8, np.random.default_rng(0)), "MAX_ELEMENTS"),
])
def test_a_parameter_in_the_domain_whose_result_overflows_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_in_domain_means_a_finite_log_partition():
    assert families["gaussian"].in_domain([1.0, -0.5])
    assert not families["gaussian"].in_domain([1e200, -0.5])
