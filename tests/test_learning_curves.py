"""book.learning_curves: the data settings, the exact test error, the batched fits and the experiment."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

from book.generative import GaussianGenerative
from book.learning_curves import (
    MODELS,
    SETTINGS,
    Setting,
    _curves,
    fit_gaussian_batch,
    learning_curves,
    linear_error,
    paired_difference,
)
from book.logistic import logistic_newton

TINY = dict(sizes=(6, 12), repeats=5, seed=1)
weights = st.integers(-300, 300).map(lambda k: k / 100)


def test_sample_has_both_classes_in_the_right_numbers_and_is_seeded():
    X, y = SETTINGS["assumption wrong"].sample(9, np.random.default_rng(0), repeats=4)
    assert X.shape == (4, 9, 2) and y.shape == (4, 9)
    assert (y.sum(axis=1) == 5).all()  # n // 2 = 4 of class 0, 5 of class 1
    X2, y2 = SETTINGS["assumption wrong"].sample(9, np.random.default_rng(0), repeats=4)
    np.testing.assert_array_equal(X, X2)
    X1, y1 = Setting().sample(7, np.random.default_rng(0))
    assert X1.shape == (7, 2) and y1.tolist() == [0, 0, 0, 1, 1, 1, 1]


def test_sample_puts_the_contamination_in_the_cluster():
    s = Setting(0.25, (6.0, 0.0), 0.3)
    X, y = s.sample(40_000, np.random.default_rng(1))
    near = np.linalg.norm(X - np.array([6.0, 0.0]), axis=1) < 1.5
    assert not near[y == 0].any()
    share = near[y == 1].mean()
    assert abs(share - 0.25) < 4 * np.sqrt(0.25 * 0.75 / 20_000)
    np.testing.assert_allclose(X[y == 1][near[y == 1]].std(axis=0), 0.3, rtol=0.05)


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_exact_error_matches_a_large_test_set(name):
    s = SETTINGS[name]
    X, y = s.sample(200_000, np.random.default_rng(2))
    w = np.array([[1.0, 1.0], [0.3, -2.0], [-1.0, 0.5]])
    b = np.array([-1.5, 0.2, 0.0])
    exact = linear_error(s, w, b)
    measured = np.mean(((X @ w.T + b) > 0) != y[:, None], axis=0)
    np.testing.assert_allclose(measured, exact, atol=4 * np.sqrt(0.25 / 200_000))


@given(w1=weights, w2=weights, b=weights, pi=st.sampled_from([0.0, 0.1, 0.3]))
def test_exact_error_is_a_probability_and_flipping_the_rule_flips_it(w1, w2, b, pi):
    s = Setting(pi)
    e = linear_error(s, np.array([w1, w2]), np.array(b))
    assert 0 <= e <= 1
    if (w1, w2) != (0, 0):  # the boundary line has probability 0, so the flipped rule errs exactly elsewhere
        np.testing.assert_allclose(e + linear_error(s, -np.array([w1, w2]), np.array(-b)), 1.0, atol=1e-12)


def test_a_constant_rule_errs_on_half_the_data():
    s = Setting()
    np.testing.assert_allclose(linear_error(s, np.zeros((2, 2)), np.array([1.0, -1.0])), [0.5, 0.5])


def test_batched_gaussian_fit_agrees_with_the_book_and_scikit_learn():
    X, y = SETTINGS["assumption wrong"].sample(30, np.random.default_rng(3), repeats=3)
    w, b = fit_gaussian_batch(X, y)
    w_nb, b_nb = fit_gaussian_batch(X, y, naive=True)
    for r in range(3):
        lda = LinearDiscriminantAnalysis(solver="lsqr").fit(X[r], y[r])
        np.testing.assert_allclose(w[r], lda.coef_[0], rtol=1e-10)
        np.testing.assert_allclose(b[r], lda.intercept_[0], rtol=1e-10)
        # One core (book.generative's moments and logits) fits both: each data set of the batch is the single fit.
        gg = GaussianGenerative(shared_covariance=True).fit(X[r], y[r])
        assert np.array_equal(w[r], gg.W_[:, 0]) and b[r] == gg.b_[0]
        nb = GaussianGenerative(shared_covariance=True, naive=True).fit(X[r], y[r])
        assert np.array_equal(w_nb[r], nb.W_[:, 0]) and b_nb[r] == nb.b_[0]


def test_learning_curves_are_deterministic_probabilities():
    s = Setting(0.1)
    a = learning_curves(s, **TINY)
    _curves.cache_clear()  # recompute from scratch: same seeds, same numbers
    b = learning_curves(s, **TINY)
    assert a is not b
    assert set(a.errors) == set(MODELS)
    for key in MODELS:
        assert a.errors[key].shape == (2, 5)
        np.testing.assert_array_equal(a.errors[key], b.errors[key])
        assert ((a.errors[key] >= 0) & (a.errors[key] <= 1)).all()


def test_every_model_is_fitted_to_the_same_draws():
    s = SETTINGS["discriminative wins"]
    curves = learning_curves(s, **TINY)
    for i, n in enumerate(TINY["sizes"]):
        X, y = s.sample(n, np.random.default_rng([TINY["seed"], n]), TINY["repeats"])
        np.testing.assert_array_equal(curves.errors["gaussian"][i], linear_error(s, *fit_gaussian_batch(X, y)))
        np.testing.assert_array_equal(curves.errors["naive_bayes"][i],
                                      linear_error(s, *fit_gaussian_batch(X, y, naive=True)))
        w, b, _ = logistic_newton(X, y, steps=curves.newton_steps, C=curves.C)
        np.testing.assert_array_equal(curves.errors["logistic"][i], linear_error(s, w, b))


def test_adding_a_size_changes_no_other_and_results_are_read_only():
    s = Setting(0.2)
    both = learning_curves(s, sizes=(6, 12), repeats=5, seed=1)
    one = learning_curves(s, sizes=(12,), repeats=5, seed=1)
    np.testing.assert_array_equal(both.errors["logistic"][1], one.errors["logistic"][0])
    with pytest.raises(ValueError, match="read-only"):
        both.errors["logistic"][0, 0] = 0.0


def test_paired_difference_and_its_band():
    rng = np.random.default_rng(4)
    a, b = rng.random((3, 50)), rng.random((3, 50))
    mean, lo, hi = paired_difference(a, b)
    np.testing.assert_allclose(mean, a.mean(axis=1) - b.mean(axis=1))
    half = 1.96 * np.std(a - b, axis=1, ddof=1) / np.sqrt(50)
    np.testing.assert_allclose(hi - mean, half)
    np.testing.assert_allclose(mean - lo, half)
    mean, lo, hi = paired_difference(b + 0.1, b)  # a constant gap has no spread
    np.testing.assert_allclose([mean, lo, hi], 0.1, atol=1e-15)


# --- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    ({"contamination": 1.0}, "contamination must be a finite number ≥ 0 and < 1"),
    ({"contamination": -0.1}, "contamination must be a finite number ≥ 0 and < 1"),
    ({"cluster_scale": 0.0}, "cluster_scale must be a positive finite number"),
    ({"cluster_mean": (1.0, 2.0, 3.0)}, "cluster_mean must be a point of the plane"),
    ({"mean1": (np.nan, 0.0)}, "NaN"),
])
def test_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Setting(**kwargs)


def test_bad_samples():
    with pytest.raises(ValueError, match="n must be an integer ≥ 2"):
        Setting().sample(1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="repeats must be a positive integer"):
        Setting().sample(4, np.random.default_rng(0), repeats=0)


def test_bad_learning_curve_arguments():
    with pytest.raises(ValueError, match="at least 4"):
        learning_curves(Setting(), sizes=(2, 10), repeats=3)
    with pytest.raises(ValueError, match="repeats must be an integer ≥ 2"):
        learning_curves(Setting(), sizes=(10,), repeats=1)
    with pytest.raises(ValueError, match="sizes must be a non-empty 1-D sequence of integers"):
        learning_curves(Setting(), sizes=(10.5,), repeats=3)
    with pytest.raises(ValueError, match="C must be a positive number"):
        learning_curves(Setting(), sizes=(10,), repeats=3, C=-1.0)
    with pytest.raises(ValueError, match="newton_steps must be a positive integer"):
        learning_curves(Setting(), sizes=(10,), repeats=3, newton_steps=0)
    with pytest.raises(TypeError, match="setting must be a Setting"):
        learning_curves("assumption wrong", sizes=(10,), repeats=3)


def test_bad_fits_and_errors():
    X, y = Setting().sample(6, np.random.default_rng(0), repeats=2)
    with pytest.raises(ValueError, match="both classes"):
        fit_gaussian_batch(X, np.zeros_like(y))
    with pytest.raises(ValueError, match="singular"):
        fit_gaussian_batch(np.ones_like(X), y)
    with pytest.raises(ValueError, match="label out of range"):
        fit_gaussian_batch(X, y + 1)
    with pytest.raises(ValueError, match="coef must have 2 weights"):
        linear_error(Setting(), np.zeros(3), np.array(0.0))
    with pytest.raises(ValueError, match="intercept has shape"):
        linear_error(Setting(), np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="different shapes"):
        paired_difference(np.zeros((2, 5)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="at least two repeats"):
        paired_difference(np.zeros((2, 1)), np.zeros((2, 1)))
