"""book.features: XOR and its noisy relatives, the hand-made transforms, their errors; and the transform explorer's maths."""
import re

import numpy as np
import pytest
from hypothesis import given, strategies as st

from book import distance_features, noisy_xor, product_features, rings, xor_data
from book.explorers.networks import _line_in_box, distance_transform_explorer
from book.plotting import level_line

SQRT2 = np.sqrt(2.0)


# --- XOR and the transforms map its points as the chapter states -------------------------

def test_xor_points_and_labels():
    X, y = xor_data()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    assert y.dtype == np.int64


def test_distance_features_map_xor_as_stated():
    X, _ = xor_data()
    F = distance_features(X)
    np.testing.assert_allclose(F, [[0, SQRT2], [1, 1], [1, 1], [SQRT2, 0]], rtol=0, atol=1e-15)


def test_a_line_separates_xor_after_the_distance_transform():
    X, y = xor_data()
    F = distance_features(X)
    z = F.sum(axis=1) - 1.7  # class 1 has x1' + x2' = 2, class 0 has √2
    np.testing.assert_array_equal(z > 0, y == 1)


def test_product_feature_makes_xor_exactly_linear():
    X, y = xor_data()
    F = product_features(X)
    np.testing.assert_array_equal(F[:, 2], [0, 0, 0, 1])
    np.testing.assert_array_equal(F @ [1, 1, -2], y)  # x1 + x2 − 2 x1 x2 is the label itself


def test_product_features_in_more_dimensions():
    X = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(product_features(X), [[1, 2, 3, 2, 3, 6]])


@given(st.integers(0, 10_000), st.integers(1, 4), st.integers(1, 3))
def test_distance_features_match_a_plain_loop(seed, d, k):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((5, d)) * 10
    A = rng.standard_normal((k, d))
    expected = [[np.linalg.norm(x - a) for a in A] for x in X]
    np.testing.assert_allclose(distance_features(X, A), expected, rtol=1e-12, atol=1e-12)


@given(st.integers(0, 10_000))
def test_distance_features_obey_the_triangle_inequality(seed):
    """|x1' − x2'| ≤ ‖A − B‖ ≤ x1' + x2': the image of the plane is a band, not the whole quadrant."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((20, 2)) * 3
    A = rng.standard_normal((2, 2))
    F = distance_features(X, A)
    gap = np.linalg.norm(A[0] - A[1])
    assert np.all(np.abs(F[:, 0] - F[:, 1]) <= gap + 1e-12)
    assert np.all(F.sum(axis=1) >= gap - 1e-12)


# --- the generators ------------------------------------------------------------------------

@pytest.mark.parametrize("make", [noisy_xor, rings])
def test_generators_are_seeded(make):
    X1, y1 = make(n=50, noise=0.1, seed=3)
    X2, y2 = make(n=50, noise=0.1, seed=3)
    X3, _ = make(n=50, noise=0.1, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(X1, X3)
    assert X1.shape == (50, 2) and y1.shape == (50,)


def test_noisy_xor_without_noise_is_the_four_corners():
    X, y = noisy_xor(n=8, noise=0.0)
    X0, y0 = xor_data()
    np.testing.assert_array_equal(X, np.vstack([X0, X0]))
    np.testing.assert_array_equal(y, np.concatenate([y0, y0]))


def test_noisy_xor_spread_matches_noise():
    X, y = noisy_xor(n=4000, noise=0.3, seed=0)
    X0, _ = xor_data()
    residual = X - X0[np.arange(4000) % 4]
    np.testing.assert_allclose(residual.std(axis=0), 0.3, rtol=0.05)
    np.testing.assert_array_equal(np.bincount(y), [2000, 2000])


def test_rings_lie_at_their_radii():
    X, y = rings(n=400, noise=0.0, radii=(0.3, 0.8), center=(0.5, 0.5))
    r = np.linalg.norm(X - 0.5, axis=1)
    np.testing.assert_allclose(r[y == 0], 0.3)
    np.testing.assert_allclose(r[y == 1], 0.8)


def test_the_centre_distance_separates_clean_rings():
    X, y = rings(n=200, noise=0.05)
    r = distance_features(X, anchors=((0.5, 0.5),))[:, 0]
    assert r[y == 0].max() < 0.55 < r[y == 1].min()


# --- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize("make, n, kind", [(noisy_xor, 3, ValueError), (noisy_xor, 2.5, TypeError),
                                           (noisy_xor, True, TypeError), (rings, 1, ValueError),
                                           (rings, 0, ValueError), (rings, 10.0, TypeError)])
def test_generators_reject_bad_n(make, n, kind):
    with pytest.raises(kind, match="n must be an integer"):
        make(n=n)


def test_noisy_xor_needs_four_points():
    with pytest.raises(ValueError, match="n must be an integer ≥ 4"):
        noisy_xor(n=3)


@pytest.mark.parametrize("make", [noisy_xor, rings])
@pytest.mark.parametrize("noise", [-0.1, np.nan, np.inf])
def test_generators_reject_bad_noise(make, noise):
    with pytest.raises(ValueError, match="noise"):
        make(n=20, noise=noise)


@pytest.mark.parametrize("radii", [(0.3,), (0.3, -1.0), (0.0, 1.0)])
def test_rings_reject_bad_radii(radii):
    with pytest.raises(ValueError, match="radii"):
        rings(radii=radii)


def test_rings_reject_a_bad_center():
    with pytest.raises(ValueError, match="center"):
        rings(center=(0.0, 0.0, 0.0))


def test_distance_features_reject_anchors_of_the_wrong_dimension():
    with pytest.raises(ValueError, match="anchors are 3-D points but X has 2 features"):
        distance_features(np.zeros((4, 2)), anchors=((0, 0, 0),))


def test_distance_features_reject_a_bad_x():
    with pytest.raises(ValueError, match="X must be 2-D"):
        distance_features(np.zeros(4))
    with pytest.raises(ValueError, match="X contains NaN"):
        distance_features([[np.nan, 0.0]])


def test_product_features_need_two_inputs():
    with pytest.raises(ValueError, match="at least two features"):
        product_features(np.zeros((4, 1)))


# --- the transform explorer's computations ------------------------------------------------

def test_the_transform_explorer_draws_the_ellipse_for_xor():
    """Default anchors on XOR: equal weights (the data are symmetric under A ↔ B), all four points right."""
    ex = distance_transform_explorer()
    readout = ex.readout.value
    assert "training accuracy 100%" in readout
    w = re.search(r"w = \(([-0-9.]+), ([-0-9.]+)\)", readout).groups()
    assert w[0] == w[1]


def test_level_line_traces_a_circle():
    xs = np.linspace(-2, 2, 201)
    xx, yy = np.meshgrid(xs, xs)
    x, y = level_line(xs, xs, xx**2 + yy**2 - 1.0)
    ok = ~np.isnan(x)
    np.testing.assert_allclose(np.hypot(x[ok], y[ok]), 1.0, atol=1e-3)


def test_level_line_of_a_function_without_zero_is_empty():
    xs = np.linspace(0, 1, 11)
    x, y = level_line(xs, xs, np.ones((11, 11)))
    assert np.isnan(x).all() and np.isnan(y).all()


COEF = st.floats(-5, 5).map(lambda v: round(v, 3))  # slider-like values, no underflowing products


@given(COEF, COEF, COEF)
def test_line_in_box_gives_the_piece_of_the_line_inside_the_box(w0, w1, b):
    u, v = _line_in_box(np.array([w0, w1]), b, (0.0, 1.0))
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]) @ [w0, w1] + b
    crosses = corners.min() < 0 < corners.max()
    if not crosses:
        assert np.isnan(u).all() or np.allclose(w0 * u + w1 * v + b, 0, atol=1e-9)
        return
    assert len(u) == 2
    assert np.all((u >= -1e-9) & (u <= 1 + 1e-9) & (v >= -1e-9) & (v <= 1 + 1e-9))
    scale = abs(w0) + abs(w1) + abs(b)
    assert np.all(np.abs(w0 * u + w1 * v + b) <= 1e-12 * scale)
