"""book.numcheck: an error printed as the bound it meets, and a broken claim printed differently."""
import numpy as np
import pytest

from book.numcheck import bound


@pytest.mark.parametrize("err", [0.0, 1e-17, -3e-13, np.float32(2e-13), np.float64(9.9e-13)])
def test_an_error_under_the_bound_prints_as_the_bound(err):
    assert bound(err) == "< 1e-12"


def test_the_text_does_not_depend_on_the_last_digits():
    assert len({bound(e, 1e-9) for e in (1.1e-16, 3.2e-10, 5.3e-10, 9.99e-10)}) == 1


@pytest.mark.parametrize("err, text", [(1e-12, "1.0e-12 (not < 1e-12)"),
                                       (3.14e-6, "3.1e-06 (not < 1e-12)"),
                                       (-2.0, "2.0e+00 (not < 1e-12)")])
def test_a_broken_claim_prints_the_error(err, text):
    assert bound(err) == text


def test_nan_breaks_the_claim():
    assert bound(float("nan")) == "nan (not < 1e-12)"


def test_the_tolerance_is_printed_with_one_digit():
    assert bound(0.0, 2e-8) == "< 2e-08"


@pytest.mark.parametrize("err, kind", [(True, TypeError), ("1e-3", TypeError), (None, TypeError),
                                       (1j, TypeError), (np.zeros(2), ValueError)])
def test_bad_errors_are_refused(err, kind):
    with pytest.raises(kind, match="error"):
        bound(err)


@pytest.mark.parametrize("tol, kind", [(0.0, ValueError), (-1e-3, ValueError), (np.inf, ValueError),
                                       (np.nan, ValueError), (False, TypeError), ("small", TypeError)])
def test_bad_tolerances_are_refused(tol, kind):
    with pytest.raises(kind, match="tol"):
        bound(0.0, tol)


# --- central differences ----------------------------------------------------------------------------

import scipy.differentiate  # noqa: E402
from hypothesis import given, strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402
from scipy.optimize import approx_fprime, check_grad  # noqa: E402

from book.numcheck import gradient, hessian, jacobian  # noqa: E402


def rosenbrock(x):
    """f(x) = Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)², with a known gradient and Hessian."""
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))


def rosenbrock_gradient(x):
    g = np.zeros_like(x)
    g[:-1] = -400.0 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200.0 * (x[1:] - x[:-1] ** 2)
    return g


def rosenbrock_hessian(x):
    n = len(x)
    H = np.zeros((n, n))
    for i in range(n - 1):
        H[i, i] += 1200.0 * x[i] ** 2 - 400.0 * x[i + 1] + 2
        H[i + 1, i + 1] += 200.0
        H[i, i + 1] = H[i + 1, i] = -400.0 * x[i]
    return H


points = arrays(np.float64, st.integers(2, 5), elements=st.floats(-2, 2).map(lambda v: round(v, 3)))


@given(points)
def test_gradient_of_a_known_function(x):
    np.testing.assert_allclose(gradient(rosenbrock, x), rosenbrock_gradient(x), rtol=1e-7, atol=1e-6)


@given(points)
def test_jacobian_of_a_known_gradient_is_its_hessian(x):
    np.testing.assert_allclose(jacobian(rosenbrock_gradient, x), rosenbrock_hessian(x), rtol=1e-7, atol=1e-5)


@given(points)
def test_hessian_of_a_known_function(x):
    np.testing.assert_allclose(hessian(rosenbrock, x), rosenbrock_hessian(x), rtol=1e-6, atol=1e-3)


@given(points)
def test_gradient_agrees_with_scipy(x):
    """Two independent implementations: SciPy's adaptive differences and its forward-difference check_grad."""
    theirs = scipy.differentiate.jacobian(lambda v: np.apply_along_axis(rosenbrock, 0, v), x).df
    np.testing.assert_allclose(gradient(rosenbrock, x), theirs, rtol=1e-7, atol=1e-6)
    forward = approx_fprime(x, rosenbrock, 1e-8)
    np.testing.assert_allclose(gradient(rosenbrock, x), forward, rtol=1e-4, atol=1e-3)
    assert check_grad(rosenbrock, lambda v: gradient(rosenbrock, v), x) < 1e-3 * (1 + np.abs(forward).max())


def test_hessian_agrees_with_scipy():
    x = np.array([0.3, -1.2, 0.8])
    theirs = scipy.differentiate.hessian(lambda v: np.apply_along_axis(rosenbrock, 0, v), x).ddf
    np.testing.assert_allclose(hessian(rosenbrock, x), theirs, rtol=1e-6, atol=1e-4)


def test_jacobian_agrees_with_scipy_for_a_vector_function():
    def f(v):
        return np.array([np.sin(v[0]) * v[1], np.exp(v[1]) - v[0] ** 3])

    x = np.array([0.7, -0.4])
    theirs = scipy.differentiate.jacobian(f, x).df
    np.testing.assert_allclose(jacobian(f, x), theirs, rtol=1e-8, atol=1e-9)


def test_shapes_for_any_shape_of_x():
    X = np.arange(6.0).reshape(2, 3) / 10
    assert gradient(lambda v: float(np.sum(v**2)), X).shape == (2, 3)
    np.testing.assert_allclose(gradient(lambda v: float(np.sum(v**2)), X), 2 * X, atol=1e-9)
    J = jacobian(lambda v: v.T @ v, X)                      # S = (3, 3), x.shape = (2, 3)
    assert J.shape == (3, 3, 2, 3)
    H = hessian(lambda v: float(np.sum(v**3)), X)
    assert H.shape == (2, 3, 2, 3)
    np.testing.assert_allclose(H.reshape(6, 6), np.diag(6 * X.ravel()), atol=1e-6)


def test_a_scalar_point():
    assert gradient(np.sin, 0.5).shape == ()
    assert float(gradient(np.sin, 0.5)) == pytest.approx(np.cos(0.5), rel=1e-10)
    assert float(hessian(np.sin, 0.5)) == pytest.approx(-np.sin(0.5), rel=1e-6)
    assert jacobian(lambda t: np.array([t, t * t]), 3.0).shape == (2,)


def test_the_callers_array_is_never_changed():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()

    def greedy(v):
        value = float(np.sum(v**2))
        v[:] = 0.0  # a function that changes its argument gets a copy to change
        return value

    np.testing.assert_allclose(gradient(greedy, x), 2 * before, rtol=1e-8)
    hessian(greedy, x)
    jacobian(lambda v: greedy(v) * np.ones(2), x)
    np.testing.assert_array_equal(x, before)


def test_integer_and_float32_points_are_differentiated_in_float64():
    np.testing.assert_allclose(gradient(lambda v: float(np.sum(v**2)), [1, 2]), [2.0, 4.0], rtol=1e-8)
    g = gradient(lambda v: float(np.sum(v**2)), np.array([1.0, 2.0], np.float32))
    assert g.dtype == np.float64


def test_one_step_per_coordinate():
    x = np.array([1e-3, 1e3])
    h = 1e-6 * np.abs(x)  # one step would be far too large for the small coordinate
    np.testing.assert_allclose(gradient(lambda v: float(np.sum(np.log(v))), x, h=h), 1 / x, rtol=1e-8)


@pytest.mark.parametrize("fn", [gradient, jacobian, hessian])
@pytest.mark.parametrize("args, kind, message", [
    ((np.sum, [True, False]), TypeError, "boolean"),
    ((np.sum, "abc"), TypeError, "numeric"),
    ((np.sum, [1.0, np.nan]), ValueError, "x contains NaN"),
    ((np.sum, [1.0, np.inf]), ValueError, "x contains an infinite"),
    ((np.sum, []), ValueError, "x is empty"),
    (("not a function", [1.0]), TypeError, "f must be a function"),
    ((np.sum, [1.0], 0.0), ValueError, "h must be"),
    ((np.sum, [1.0], -1e-6), ValueError, "h must be"),
    ((np.sum, [1.0], np.nan), ValueError, "h must be"),
    ((np.sum, [1.0], True), TypeError, "h must be"),
    ((np.sum, [1.0], "small"), TypeError, "h must be"),
    ((np.sum, [1.0, 2.0], [1e-6, 1e-6, 1e-6]), ValueError, "does not broadcast"),
    ((np.sum, [1.0, 2.0], [1e-6, -1e-6]), ValueError, "positive steps"),
    ((lambda v: np.full(np.shape(v), np.nan).sum(), [0.0]), ValueError, "not finite"),
    ((lambda v: "x", [1.0]), TypeError, "real numbers"),
])
def test_bad_arguments_are_refused(fn, args, kind, message):
    with pytest.raises(kind, match=message):
        fn(*args)


@pytest.mark.parametrize("fn", [gradient, hessian])
def test_a_scalar_function_must_return_one_number(fn):
    with pytest.raises(ValueError, match="single number"):
        fn(lambda v: v * 2, [1.0, 2.0])


# --- several arrays at once: flatten ----------------------------------------------------------------

from book.numcheck import flatten  # noqa: E402


def two_layers(seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(3, 2)), rng.normal(size=2)), (rng.normal(size=(2, 1)), rng.normal(size=1))]


def net_loss(layers, X):
    """f = Σ tanh(tanh(X W₁ + b₁) W₂ + b₂)², a two-layer network with a gradient written out by hand below."""
    (W1, b1), (W2, b2) = layers
    H = np.tanh(X @ W1 + b1)
    return float(np.sum(np.tanh(H @ W2 + b2) ** 2))


def net_loss_gradient(layers, X):
    (W1, b1), (W2, b2) = layers
    H = np.tanh(X @ W1 + b1)
    Z = np.tanh(H @ W2 + b2)
    dA2 = 2 * Z * (1 - Z**2)
    dA1 = (dA2 @ W2.T) * (1 - H**2)
    return [(X.T @ dA1, dA1.sum(axis=0)), (H.T @ dA2, dA2.sum(axis=0))]


def test_flatten_lists_every_number_in_order_and_unflatten_puts_them_back():
    layers = two_layers()
    theta, unflatten = flatten(layers)
    assert theta.shape == (6 + 2 + 2 + 1,)
    np.testing.assert_array_equal(theta[:6], layers[0][0].ravel())      # W₁ first, row by row
    np.testing.assert_array_equal(theta[6:8], layers[0][1])
    np.testing.assert_array_equal(theta[-1:], layers[1][1])
    back = unflatten(theta)
    assert isinstance(back, list) and all(isinstance(pair, tuple) for pair in back)
    for pair, original in zip(back, layers):
        for a, b in zip(pair, original):
            assert a.shape == b.shape
            np.testing.assert_array_equal(a, b)


def test_unflatten_places_each_number_where_it_came_from():
    layers = two_layers()
    theta, unflatten = flatten(layers)
    marked = unflatten(np.arange(theta.size, dtype=float))            # entry i holds the number i
    assert marked[0][0][2, 1] == 5 and marked[0][1][0] == 6 and marked[1][0][1, 0] == 9 and marked[1][1][0] == 10


def test_the_gradient_by_several_arrays_is_the_hand_written_one():
    X = np.random.default_rng(1).normal(size=(5, 3))
    layers = two_layers(2)
    theta, unflatten = flatten(layers)
    numeric = unflatten(gradient(lambda t: net_loss(unflatten(t), X), theta))
    for got, want in zip(flatten(numeric)[0], flatten(net_loss_gradient(layers, X))[0]):
        assert got == pytest.approx(want, rel=1e-6, abs=1e-8)


def test_the_hessian_by_several_arrays_is_the_jacobian_of_the_flat_gradient():
    X = np.random.default_rng(3).normal(size=(4, 3))
    theta, unflatten = flatten(two_layers(4))

    def flat_gradient(t):
        return flatten(net_loss_gradient(unflatten(t), X))[0]

    H = hessian(lambda t: net_loss(unflatten(t), X), theta)
    np.testing.assert_allclose(H, jacobian(flat_gradient, theta), rtol=1e-5, atol=1e-5)


def test_scalars_and_a_single_array():
    theta, unflatten = flatten(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(unflatten(theta), np.arange(6.0).reshape(2, 3))
    theta, unflatten = flatten((2.0, [np.float32(3.0)]))
    assert theta.dtype == np.float64 and theta.tolist() == [2.0, 3.0]
    back = unflatten(np.array([4.0, 5.0]))
    assert isinstance(back, tuple) and back[0].shape == () and float(back[1][0]) == 5.0


@pytest.mark.parametrize("params, kind, message", [
    ([], ValueError, "params is an empty list"),
    ([np.ones(2), ()], ValueError, r"params\[1\] is an empty tuple"),
    ([np.ones(2), np.array([True])], TypeError, r"params\[1\] must hold numbers"),
    ([np.ones(2), "W"], TypeError, r"params\[1\] must be numeric"),
    ([(np.ones(2), np.array([np.nan]))], ValueError, r"params\[0\]\[1\] contains NaN"),
    (np.zeros((0, 2)), ValueError, "params is empty"),
])
def test_flatten_refuses_what_is_not_numbers(params, kind, message):
    with pytest.raises(kind, match=message):
        flatten(params)


@pytest.mark.parametrize("t, message", [(np.zeros(10), "length 11"), (np.zeros((11, 1)), "length 11")])
def test_unflatten_refuses_a_vector_of_another_length(t, message):
    _, unflatten = flatten(two_layers())
    with pytest.raises(ValueError, match=message):
        unflatten(t)
