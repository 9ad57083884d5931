"""book.SoftmaxRegression: agreement with scikit-learn, laws of its gradient descent, and bad-input errors."""
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.linear_model import LogisticRegression

import book
from book import SoftmaxRegression, blobs, cross_entropy, one_hot
from book.numcheck import gradient


def numbers(lo: float, hi: float):
    """Floats in [lo, hi] with two decimals: like measured data, and no tiny products that underflow."""
    return st.floats(lo, hi).map(lambda v: round(v, 2))


def centred(W: np.ndarray) -> np.ndarray:
    """Subtract each row's mean across classes: the part of W that the probabilities depend on."""
    return W - W.mean(axis=-1, keepdims=True)


@st.composite
def problems(draw):
    """Small classification problems: X (n × d) with entries in [−3, 3], labels in 0..K−1 using every class."""
    K = draw(st.integers(2, 4))
    n = draw(st.integers(K, 12))
    d = draw(st.integers(1, 3))
    X = draw(arrays(np.float64, (n, d), elements=numbers(-3, 3)))
    y = np.concatenate([np.arange(K), draw(arrays(np.int64, n - K, elements=st.integers(0, K - 1)))])
    return X, y, K


#: Small random problems are often separable: a law of gradient descent holds there too.
SEPARABLE_IS_FINE = pytest.mark.filterwarnings("ignore::book.checks.SeparableDataWarning")


def mean_loss(X, Y, W, b) -> float:
    return float(np.mean(cross_entropy(X @ W + b, Y)))


# --- agreement with scikit-learn ---------------------------------------------------------

def test_agrees_with_unpenalised_sklearn_on_non_separable_data():
    """The default blobs overlap (no linear rule classifies them all), so the optimum is finite and unique."""
    X, y = blobs()
    ours = SoftmaxRegression(lr=4.0, steps=1500).fit(X, y)
    assert np.mean(ours.predict(X) == y) < 1  # not separable: the comparison is meaningful
    with np.errstate(under="ignore"):  # L-BFGS's tiny steps underflow, harmlessly
        theirs = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)
        P_theirs = theirs.predict_proba(X)
    np.testing.assert_allclose(ours.predict_proba(X), P_theirs, atol=1e-6)
    # The raw weights are defined only up to a constant per feature; from zero, GD finds the centred ones.
    np.testing.assert_allclose(ours.W_, centred(theirs.coef_.T), atol=1e-5)
    np.testing.assert_allclose(ours.b_, centred(theirs.intercept_), atol=1e-5)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


# --- laws of the gradient descent ------------------------------------------------------------

@SEPARABLE_IS_FINE
@given(problems())
def test_from_zero_the_weights_stay_centred(problem):
    """Each row of P − Y sums to zero, so a step never changes Σ_k W[:, k] or Σ_k b_k."""
    X, y, K = problem
    model = SoftmaxRegression(lr=0.5, steps=20).fit(X, y, n_classes=K)
    np.testing.assert_allclose(model.W_path_.sum(axis=-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(model.b_path_.sum(axis=-1), 0.0, atol=1e-12)


@SEPARABLE_IS_FINE
@given(problems(), st.data())
def test_a_constant_per_feature_in_the_start_is_carried_along(problem, data):
    """Over-parameterisation: W + c1ᵀ, b + c₀1 give the same probabilities, and GD keeps that offset."""
    X, y, K = problem
    d = X.shape[1]
    W0 = data.draw(arrays(np.float64, (d, K), elements=numbers(-2, 2)))
    c = data.draw(arrays(np.float64, (d, 1), elements=numbers(-5, 5)))
    c0 = data.draw(numbers(-5, 5))
    plain = SoftmaxRegression(lr=0.5, steps=10).fit(X, y, n_classes=K, W_init=W0)
    shifted = SoftmaxRegression(lr=0.5, steps=10).fit(X, y, n_classes=K, W_init=W0 + c, b_init=np.full(K, c0))
    np.testing.assert_allclose(shifted.W_ - plain.W_, np.broadcast_to(c, (d, K)), atol=1e-10)
    np.testing.assert_allclose(shifted.b_ - plain.b_, c0, atol=1e-10)
    np.testing.assert_allclose(shifted.predict_proba(X), plain.predict_proba(X), atol=1e-10)
    np.testing.assert_allclose(shifted.history_, plain.history_, atol=1e-10)


@SEPARABLE_IS_FINE
@given(problems())
def test_a_small_enough_learning_rate_never_increases_the_loss(problem):
    """Each example's Hessian in o is at most ½ I, so L is ℓ-smooth with ℓ = ½ λ_max([X 1]ᵀ[X 1]/n).

    Then any η ≤ 1/ℓ lowers the loss at every step.
    """
    X, y, K = problem
    X1 = np.column_stack([X, np.ones(len(X))])
    smoothness = 0.5 * np.linalg.eigvalsh(X1.T @ X1 / len(X)).max()
    model = SoftmaxRegression(lr=1 / smoothness, steps=30).fit(X, y, n_classes=K)
    assert np.all(np.diff(model.history_) <= 1e-12)


@given(problems(), st.data())
def test_a_step_moves_against_the_finite_difference_gradient(problem, data):
    X, y, K = problem
    d = X.shape[1]
    W = data.draw(arrays(np.float64, (d, K), elements=numbers(-2, 2)))
    b = data.draw(arrays(np.float64, K, elements=numbers(-2, 2)))
    Y = one_hot(y, K)
    grad_W = gradient(lambda V: mean_loss(X, Y, V, b), W)
    grad_b = gradient(lambda c: mean_loss(X, Y, W, c), b)

    model = SoftmaxRegression.from_weights(W, b, lr=0.1)
    loss = model.step(X, Y)
    assert loss == pytest.approx(mean_loss(X, Y, W, b), rel=1e-12)
    np.testing.assert_allclose((W - model.W_) / 0.1, grad_W, atol=1e-7)
    np.testing.assert_allclose((b - model.b_) / 0.1, grad_b, atol=1e-7)


@SEPARABLE_IS_FINE
def test_history_and_path_agree():
    X, y = blobs(n_per_class=10)
    model = SoftmaxRegression(lr=0.5, steps=25).fit(X, y)
    assert model.history_.shape == (26,) and model.W_path_.shape == (26, 2, 3) and model.b_path_.shape == (26, 3)
    assert model.history_[0] == pytest.approx(np.log(3))  # W = 0: every class gets 1/3
    Y = one_hot(y, 3)
    expected = [mean_loss(X, Y, W, b) for W, b in zip(model.W_path_, model.b_path_)]
    np.testing.assert_allclose(model.history_, expected, rtol=1e-12)
    np.testing.assert_array_equal(model.W_path_[-1], model.W_)


def test_predictions():
    X, y = blobs()
    model = SoftmaxRegression().fit(X, y)
    far = np.vstack([X, 1e4 * X])  # far-away points: no overflow, no warning
    P = model.predict_proba(far)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_array_equal(model.predict(far), np.argmax(P, axis=1))


def test_fit_does_not_change_the_start():
    X, y = blobs(n_per_class=5)
    W0 = np.ones((2, 3))
    SoftmaxRegression(steps=3).fit(X, y, W_init=W0)
    np.testing.assert_array_equal(W0, 1.0)


# --- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize("lr", [0, -1.0, np.nan, np.inf])
def test_bad_learning_rate(lr):
    with pytest.raises(ValueError, match="lr must be a positive finite number"):
        SoftmaxRegression(lr=lr)


def test_learning_rate_of_wrong_type():
    with pytest.raises(TypeError, match="lr must be a number"):
        SoftmaxRegression(lr="fast")


@pytest.mark.parametrize("steps, kind", [(-1, ValueError), (2.5, TypeError), (True, TypeError)])
def test_bad_steps(steps, kind):
    with pytest.raises(kind, match="steps must be a non-negative integer"):
        SoftmaxRegression(steps=steps)


def test_inputs_not_two_dimensional():
    with pytest.raises(ValueError, match="X must be 2-D"):
        SoftmaxRegression().fit(np.zeros(4), [0, 1, 0, 1])


def test_nan_input():
    with pytest.raises(ValueError, match="X contains NaN"):
        SoftmaxRegression().fit([[0.0], [np.nan]], [0, 1])


def test_mismatched_lengths():
    with pytest.raises(ValueError, match="different lengths: 3 and 2"):
        SoftmaxRegression().fit(np.zeros((3, 2)), [0, 1])


def test_one_class_only():
    with pytest.raises(ValueError, match="at least two classes"):
        SoftmaxRegression().fit(np.zeros((3, 2)), [0, 0, 0])


def test_number_of_classes_not_an_integer():
    with pytest.raises(TypeError):
        SoftmaxRegression().fit(np.zeros((2, 2)), [0, 1], n_classes=2.5)


def test_label_out_of_range():
    with pytest.raises(ValueError, match="out of range: 3"):
        SoftmaxRegression().fit(np.zeros((2, 2)), [0, 3], n_classes=3)


def test_negative_label():
    with pytest.raises(ValueError, match="out of range: -1"):
        SoftmaxRegression().fit(np.zeros((2, 2)), [0, -1])


def test_non_integer_label():
    with pytest.raises(ValueError, match="non-integer"):
        SoftmaxRegression().fit(np.zeros((2, 2)), [0, 0.5])


def test_start_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"W_init has shape \(3, 2\), expected \(2, 3\)"):
        SoftmaxRegression().fit(np.zeros((3, 2)), [0, 1, 2], W_init=np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"b_init has shape \(2,\), expected \(3,\)"):
        SoftmaxRegression().fit(np.zeros((3, 2)), [0, 1, 2], b_init=np.zeros(2))


def test_predict_before_fit():
    with pytest.raises(ValueError, match="not fitted yet"):
        SoftmaxRegression().predict(np.zeros((1, 2)))


def test_predict_with_the_wrong_number_of_features():
    model = SoftmaxRegression(steps=1).fit(np.zeros((2, 2)), [0, 1])
    with pytest.raises(ValueError, match="has 3 features, expected 2"):
        model.predict_proba(np.zeros((1, 3)))


def test_the_gradient_descent_explorer_reads_the_precomputed_paths():
    """Its readout at (η, step) is the loss of a fresh fit with that η after that many steps."""
    from book.explorers import ALL

    X, y = blobs()
    ex = ALL["gradient_descent_explorer"](log_lr=0.5, step=7)
    model = SoftmaxRegression(lr=10 ** 0.5, steps=7).fit(X, y)
    assert f"step 7: loss L = {model.history_[-1]:.4f}" in ex.readout.value
    assert f"training accuracy {np.mean(model.predict(X) == y):.1%}" in ex.readout.value


# --- how a fit ends -------------------------------------------------------------------------

def test_separable_data_warn_once_with_what_to_do():
    X, y = blobs(20, centers=((-5.0, 0.0), (5.0, 0.0), (0.0, 8.0)), scale=0.5)
    with pytest.warns(book.SeparableDataWarning, match="no minimum.*Fewer steps") as caught:
        SoftmaxRegression(steps=200).fit(X, y)
    assert len(caught) == 1


def test_overlapping_data_do_not_warn():
    SoftmaxRegression().fit(*blobs())  # warnings are errors in the tests


@pytest.mark.parametrize("lr", [1e300, 1e306])
def test_a_diverging_fit_ends_with_an_error_naming_the_learning_rate(lr):
    with pytest.raises(ValueError, match=re.escape(f"lr = {lr:g} is too large")):
        SoftmaxRegression(lr=lr).fit(*blobs())


def test_a_rising_loss_is_not_an_error():
    """The gradient-descent explorer sweeps η up to 100 on purpose."""
    model = SoftmaxRegression(lr=100.0, steps=150).fit(*blobs())
    assert np.isfinite(model.history_).all()


def test_a_class_without_examples_is_an_error():
    X, y = blobs()
    with pytest.raises(ValueError, match="label 2 has no examples in y.*n_classes = 3"):
        SoftmaxRegression().fit(X[y < 2], y[y < 2], n_classes=3)
    with pytest.raises(ValueError, match="label 1 has no examples"):
        SoftmaxRegression().fit(X[y != 1], y[y != 1])


def test_from_weights_predicts_like_the_fitted_model():
    X, y = blobs()
    fitted = SoftmaxRegression().fit(X, y)
    given = SoftmaxRegression.from_weights(fitted.W_, fitted.b_)
    np.testing.assert_array_equal(given.predict_proba(X), fitted.predict_proba(X))
    with pytest.raises(ValueError, match=r"b has shape \(2,\), expected \(3,\)"):
        SoftmaxRegression.from_weights(fitted.W_, [0.0, 0.0])


def test_step_checks_its_input():
    X, y = blobs()
    model = SoftmaxRegression.from_weights(np.zeros((2, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="X has 3 features, expected 2"):
        model.step(np.zeros((2, 3)), one_hot([0, 1], 3))
    with pytest.raises(ValueError, match="Y has shape"):
        model.step(X, one_hot(y, 3)[:, :2])
    with pytest.raises(ValueError, match="not fitted"):
        SoftmaxRegression().step(X, one_hot(y, 3))
