"""book.logistic: losses, gradients, gradient descent, Newton's method, reliability; and the training explorer's paths."""
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression

from book import SeparableDataWarning, blobs, cross_entropy, log_sigmoid, sigmoid, softplus
from book.logistic import (
    LOSSES,
    LogisticRegressionGD,
    gd_paths,
    expected_calibration_error,
    logistic_loss,
    loss_and_gradient,
    logistic_newton,
    reliability_curve,
)
from book.numcheck import gradient

finite = st.floats(-30, 30, allow_subnormal=False)
#: Parameters on a grid of 0.01, so no product underflows (tests turn underflow into an error).
params = st.integers(-500, 500).map(lambda k: k / 100)


def overlapping(n_per_class=40, seed=0):
    """Two overlapping Gaussian classes: not linearly separable, so the unpenalised optimum exists."""
    return blobs(n_per_class, centers=((0.0, 0.0), (1.5, 1.5)), seed=seed)


# --- losses -------------------------------------------------------------------------------------

@given(z=arrays(float, 5, elements=finite), y=arrays(np.int64, 5, elements=st.integers(0, 1)))
def test_cross_entropy_is_the_bernoulli_negative_log_likelihood(z, y):
    expected = -(y * log_sigmoid(z) + (1 - y) * log_sigmoid(-z))
    np.testing.assert_allclose(logistic_loss(z, y), expected, rtol=1e-12, atol=1e-12)


@given(z=arrays(float, 5, elements=finite), y=arrays(np.int64, 5, elements=st.integers(0, 1)))
def test_cross_entropy_is_the_two_class_softmax_cross_entropy(z, y):
    """σ(z) = softmax((0, z))₁, so the Bernoulli loss is chapter 3's cross-entropy with logits (0, z)."""
    logits = np.column_stack([np.zeros_like(z), z])
    np.testing.assert_allclose(logistic_loss(z, y), cross_entropy(logits, y), rtol=1e-10, atol=1e-12)


@given(z=arrays(float, 5, elements=finite), y=arrays(np.int64, 5, elements=st.integers(0, 1)))
def test_losses_are_bounded_below_and_square_error_by_one(z, y):
    assert (logistic_loss(z, y) >= 0).all()
    square = logistic_loss(z, y, "square")
    assert ((square >= 0) & (square <= 1)).all()
    np.testing.assert_allclose(square, (sigmoid(z) - y) ** 2)


def test_losses_are_finite_for_huge_logits():
    z = np.array([-1e4, 1e4, -800.0, 800.0])
    y = np.array([1, 0, 0, 1])
    np.testing.assert_allclose(logistic_loss(z, y), [1e4, 1e4, 0.0, 0.0])
    np.testing.assert_allclose(logistic_loss(z, y, "square"), [1.0, 1.0, 0.0, 0.0])


# --- gradients ----------------------------------------------------------------------------------

@pytest.mark.parametrize("loss", ["cross_entropy", "square"])
@given(theta=arrays(float, 3, elements=params), seed=st.integers(0, 10**6))
def test_gradient_matches_finite_differences(loss, theta, seed):
    X, y = overlapping(10, seed)

    def L(t):
        return float(loss_and_gradient(t[:2], t[2], X, y, loss)[0])

    _, dw, db = loss_and_gradient(theta[:2], theta[2], X, y, loss)
    np.testing.assert_allclose(np.append(dw, db), gradient(L, theta), rtol=1e-6, atol=1e-8)


@given(theta=arrays(float, 3, elements=params), seed=st.integers(0, 10**6))
def test_square_gradient_is_2_f_minus_y_times_f_one_minus_f_times_x(theta, seed):
    X, y = overlapping(10, seed)
    f = sigmoid(X @ theta[:2] + theta[2])
    factor = 2 * (f - y) * f * (1 - f)
    _, dw, db = loss_and_gradient(theta[:2], theta[2], X, y, "square")
    np.testing.assert_allclose(dw, (factor[:, None] * X).mean(axis=0), atol=1e-14)
    np.testing.assert_allclose(db, factor.mean(), atol=1e-14)


def test_cross_entropy_gradient_is_minus_y_minus_f_times_x():
    X, y = overlapping(10, 1)
    w, b = np.array([0.7, -0.3]), 0.2
    f = sigmoid(X @ w + b)
    _, dw, db = loss_and_gradient(w, b, X, y)
    np.testing.assert_allclose(dw, (-(y - f)[:, None] * X).mean(axis=0), atol=1e-15)
    np.testing.assert_allclose(db, -(y - f).mean(), atol=1e-15)


def test_a_grid_of_parameters_equals_one_at_a_time():
    X, y = overlapping(10, 2)
    W = np.random.default_rng(0).normal(size=(4, 3, 2))
    B = np.random.default_rng(1).normal(size=(4, 3))
    L, dW, dB = loss_and_gradient(W, B, X, y, "square")
    assert L.shape == (4, 3) and dW.shape == (4, 3, 2) and dB.shape == (4, 3)
    for i in range(4):
        for j in range(3):
            one = loss_and_gradient(W[i, j], B[i, j], X, y, "square")
            np.testing.assert_allclose([L[i, j], *dW[i, j], dB[i, j]], [one[0], *one[1], one[2]], rtol=1e-13)


def test_square_gradient_vanishes_where_f_saturates_but_cross_entropy_does_not():
    """One example with ŷ = 1 and a very wrong logit: the square-error gradient is tiny, cross-entropy's is not."""
    X, y = np.array([[1.0]]), np.array([1])
    _, dw_ce, _ = loss_and_gradient(np.array([-10.0]), 0.0, X, y)
    _, dw_sq, _ = loss_and_gradient(np.array([-10.0]), 0.0, X, y, "square")
    assert abs(dw_ce[0]) > 0.99
    assert abs(dw_sq[0]) < 1e-4


# --- gradient descent ---------------------------------------------------------------------------

def test_gradient_descent_agrees_with_scikit_learn_unpenalised():
    X, y = overlapping()
    ours = LogisticRegressionGD(lr=1.0, steps=4000).fit(X, y)
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.W_, ref.coef_.T, atol=1e-6)  # scikit-learn's coef_ is (1, d), our W_ (d, 1)
    np.testing.assert_allclose(ours.b_, ref.intercept_, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-7)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("loss", ["cross_entropy", "square"])
def test_small_steps_never_increase_the_loss(loss):
    X, y = overlapping(20, 3)
    model = LogisticRegressionGD(lr=0.5, steps=200, loss=loss).fit(X, y)
    assert model.history_.shape == (201,)
    assert (np.diff(model.history_) <= 1e-15).all()


def test_paths_start_at_the_start_and_record_every_step():
    X, y = overlapping(10, 4)
    start = np.array([[-2.0], [1.0]])
    model = LogisticRegressionGD(lr=0.3, steps=5).fit(X, y, W_init=start, b_init=[0.5])
    assert model.W_path_.shape == (6, 2, 1) and model.b_path_.shape == (6, 1)
    np.testing.assert_array_equal(model.W_path_[0], start)
    assert model.b_path_[0, 0] == 0.5
    np.testing.assert_array_equal(model.W_path_[-1], model.W_)
    np.testing.assert_array_equal(model.b_path_[-1], model.b_)
    L, dw, db = loss_and_gradient(model.W_path_[2, :, 0], model.b_path_[2, 0], X, y)
    np.testing.assert_allclose(model.W_path_[3, :, 0], model.W_path_[2, :, 0] - 0.3 * dw)
    np.testing.assert_allclose(model.history_[2], L)
    np.testing.assert_array_equal(start, [[-2.0], [1.0]])  # the start is copied, not changed
    one = LogisticRegressionGD(steps=1).fit(X, y)
    np.testing.assert_allclose(one.history_[0], np.log(2))


def test_a_model_from_given_weights_is_the_fitted_one():
    X, y = overlapping(10, 5)
    fitted = LogisticRegressionGD(lr=1.0, steps=50).fit(X, y)
    given = LogisticRegressionGD.from_weights(fitted.W_, fitted.b_, lr=2.0, loss="square")
    np.testing.assert_array_equal(given.predict_proba(X), fitted.predict_proba(X))
    assert (given.lr, given.loss) == (2.0, "square") and given.W_ is not fitted.W_


def test_predict_proba_is_two_columns_that_sum_to_one():
    X, y = overlapping(10, 5)
    model = LogisticRegressionGD(lr=1.0, steps=50).fit(X, y)
    P = model.predict_proba(X * 1000)  # huge logits: no overflow, no NaN
    assert P.shape == (len(X), 2) and model.logits(X).shape == (len(X), 1)
    np.testing.assert_allclose(model.logits(X), X @ model.W_ + model.b_, rtol=1e-15)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), (model.predict_proba(X)[:, 1] > 0.5).astype(int))


def test_one_model_is_the_batch_of_one():
    X, y = blobs(10, centers=((-1.0,), (1.0,)), seed=3)
    for loss in ("cross_entropy", "square"):
        coef, intercept, history = gd_paths(X, y, [0.5], 30, coef_init=[-6.0], intercept_init=0.5, loss=loss)
        model = LogisticRegressionGD(lr=0.5, steps=30, loss=loss).fit(X, y, W_init=[[-6.0]], b_init=[0.5])
        assert np.array_equal(coef[:, 0], model.W_path_[:, :, 0])
        assert np.array_equal(intercept[:, 0], model.b_path_[:, 0])
        assert np.array_equal(history[:, 0], model.history_)


def test_a_batch_of_learning_rates_is_one_model_per_rate():
    """Each column of the batch is that rate's model; BLAS may round a batch's products differently, no more."""
    X, y = blobs(10, centers=((-1.0,), (1.0,)), seed=3)
    lrs = [0.5, 2.0]
    for loss in ("cross_entropy", "square"):
        coef, intercept, history = gd_paths(X, y, lrs, 30, coef_init=[-6.0], loss=loss)
        assert coef.shape == (31, 2, 1) and intercept.shape == history.shape == (31, 2)
        for i, lr in enumerate(lrs):
            model = LogisticRegressionGD(lr=lr, steps=30, loss=loss).fit(X, y, W_init=[[-6.0]])
            np.testing.assert_allclose(coef[:, i], model.W_path_[:, :, 0], rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(intercept[:, i], model.b_path_[:, 0], rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(history[:, i], model.history_, rtol=1e-12)


def test_gd_paths_errors():
    X, y = blobs(10, centers=((-1.0,), (1.0,)), seed=3)
    with pytest.raises(ValueError, match="lrs"):
        gd_paths(X, y, [0.5, -1.0], 3)
    with pytest.raises(ValueError, match="lrs"):
        gd_paths(X, y, [[0.5]], 3)
    with pytest.raises(ValueError, match="lrs"):
        gd_paths(X, y, [0.5, 1e300], 50)


# --- Newton's method ----------------------------------------------------------------------------

def test_newtons_parts_are_book_sigmoid_and_softplus():
    """Newton's fused loss, residual and weight use the one sigmoid and softplus of book.softmax: equal, not close."""
    from book.logistic import _bernoulli_parts

    z = np.concatenate([np.linspace(-800.0, 800.0, 4001), [-1e-300, 0.0, 1e-300]])
    y = (np.arange(len(z)) % 2).astype(float)
    ell, residual, weight = _bernoulli_parts(z, y)
    assert np.array_equal(ell, softplus(z) - y * z)
    assert np.array_equal(residual, sigmoid(z) - y)
    with np.errstate(under="ignore"):
        np.testing.assert_allclose(weight, sigmoid(z) * sigmoid(-z), rtol=1e-15, atol=0)


def test_newton_agrees_with_scikit_learn_unpenalised_and_with_gradient_descent():
    X, y = overlapping()
    w, b, history = logistic_newton(X, y, steps=15)
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(w, ref.coef_[0], atol=1e-6)
    np.testing.assert_allclose(b, ref.intercept_[0], atol=1e-6)
    gd = LogisticRegressionGD(lr=1.0, steps=4000).fit(X, y)
    np.testing.assert_allclose(history[-1], gd.history_[-1], rtol=1e-10)
    assert (np.diff(history) <= 1e-15).all()


@pytest.mark.parametrize("seed", range(5))
def test_newton_with_a_ridge_agrees_with_scikit_learn_on_separable_data(seed):
    X, y = blobs(5, centers=((0.0, 0.0), (3.0, 3.0)), seed=seed)
    w, b, _ = logistic_newton(X, y, steps=60, C=1e4)
    ref = LogisticRegression(C=1e4, tol=1e-12, max_iter=100_000).fit(X, y)
    scale = 1 + np.abs(ref.coef_).max()
    np.testing.assert_allclose(w / scale, ref.coef_[0] / scale, atol=1e-5)
    np.testing.assert_allclose(b / scale, ref.intercept_[0] / scale, atol=1e-5)


def test_a_batch_of_data_sets_equals_one_at_a_time():
    sets = [overlapping(8, seed) for seed in range(6)]
    X = np.stack([s[0] for s in sets]).reshape(2, 3, 16, 2)
    y = np.stack([s[1] for s in sets]).reshape(2, 3, 16)
    w, b, history = logistic_newton(X, y, steps=20, C=100.0)
    assert w.shape == (2, 3, 2) and b.shape == (2, 3) and history.shape == (21, 2, 3)
    for i in range(6):
        wi, bi, _ = logistic_newton(*sets[i], steps=20, C=100.0)
        np.testing.assert_allclose(w.reshape(6, 2)[i], wi, rtol=1e-10)
        np.testing.assert_allclose(b.reshape(6)[i], bi, rtol=1e-10, atol=1e-12)


# --- reliability --------------------------------------------------------------------------------

def test_reliability_curve_agrees_with_scikit_learn():
    rng = np.random.default_rng(0)
    p = rng.random(2000)
    y = (rng.random(2000) < p ** 2).astype(int)
    mean_p, frac, counts = reliability_curve(p, y, 10)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10)
    np.testing.assert_allclose(frac, prob_true)
    np.testing.assert_allclose(mean_p, prob_pred)
    assert counts.sum() == 2000


def test_expected_calibration_error_of_exact_frequencies_is_zero_and_of_a_flip_is_large():
    p = np.repeat([0.05, 0.25, 0.75, 0.95], 20)
    y = np.concatenate([np.r_[1, np.zeros(19)], np.r_[np.ones(5), np.zeros(15)],
                        np.r_[np.ones(15), np.zeros(5)], np.r_[np.ones(19), 0]]).astype(int)
    assert expected_calibration_error(p, y) == pytest.approx(0.0, abs=1e-15)
    assert expected_calibration_error(1 - p, y) == pytest.approx((0.9 + 0.5 + 0.5 + 0.9) / 4)
    mean_p, frac, counts = reliability_curve(np.array([0.0, 1.0]), np.array([0, 1]), 4)
    np.testing.assert_array_equal(counts, [1, 1])  # p = 1 falls in the last bin


# --- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    ({"lr": 0.0}, "lr must be a positive"),
    ({"lr": np.inf}, "lr must be a positive"),
    ({"steps": -1}, "steps must be a non-negative integer"),
    ({"loss": "hinge"}, "loss must be one of"),
])
def test_bad_hyperparameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LogisticRegressionGD(**kwargs)


def test_a_learning_rate_that_is_not_a_number():
    with pytest.raises(TypeError, match="lr must be a number"):
        LogisticRegressionGD(lr="fast")


def test_bad_fits():
    X, y = overlapping(5)
    model = LogisticRegressionGD(steps=2)
    with pytest.raises(ValueError, match="different lengths"):
        model.fit(X, y[:-1])
    with pytest.raises(ValueError, match="one class only"):
        model.fit(X, np.zeros(len(X), dtype=int))
    with pytest.raises(ValueError, match="label out of range"):
        model.fit(X, y + 1)
    with pytest.raises(ValueError, match="W_init has shape"):
        model.fit(X, y, W_init=[[1.0], [2.0], [3.0]])
    with pytest.raises(ValueError, match="NaN"):
        model.fit(np.where(X > 1, np.nan, X), y)
    with pytest.raises(ValueError, match="not fitted"):
        LogisticRegressionGD().predict(X)
    with pytest.raises(ValueError, match="features"):
        model.fit(X, y).predict(X[:, :1])


def test_bad_loss_and_gradient_input():
    X, y = overlapping(5)
    with pytest.raises(ValueError, match="coef has 3 weights"):
        loss_and_gradient(np.zeros(3), 0.0, X, y)
    with pytest.raises(ValueError, match="intercept has shape"):
        loss_and_gradient(np.zeros((4, 2)), 0.0, X, y)
    with pytest.raises(ValueError, match="loss must be one of"):
        loss_and_gradient(np.zeros(2), 0.0, X, y, "hinge")
    with pytest.raises(ValueError, match="shape"):
        logistic_loss(np.zeros(3), np.zeros(4, dtype=int))


def test_bad_newton_input():
    X, y = overlapping(5)
    with pytest.raises(ValueError, match="one class only"):
        logistic_newton(X, np.zeros(len(X), dtype=int))
    with pytest.raises(ValueError, match="C must be a positive number"):
        logistic_newton(X, y, C=0.0)
    with pytest.raises(ValueError, match="steps must be"):
        logistic_newton(X, y, steps=-2)
    with pytest.raises(ValueError, match="Hessian is singular"):
        logistic_newton(np.column_stack([X[:, 0], 2 * X[:, 0]]), y)  # collinear features, no penalty
    with pytest.raises(ValueError, match="shape"):
        logistic_newton(X, y[:-1])


def test_bad_reliability_input():
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        reliability_curve(np.array([0.2, 1.2]), np.array([0, 1]))
    with pytest.raises(ValueError, match="different lengths"):
        reliability_curve(np.array([0.2, 0.3]), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="n_bins must be a positive integer"):
        reliability_curve(np.array([0.2, 0.3]), np.array([0, 1]), 0)
    with pytest.raises(ValueError, match="label out of range"):
        expected_calibration_error(np.array([0.2, 0.3]), np.array([0, 2]))


# --- how a fit ends ---------------------------------------------------------------------------

def test_separable_data_warn_once_with_what_to_do():
    X, y = blobs(20, centers=((-3.0, 0.0), (3.0, 0.0)), scale=0.5)
    for loss in LOSSES:
        with pytest.warns(SeparableDataWarning, match="no minimum.*logistic_newton") as caught:
            LogisticRegressionGD(steps=100, loss=loss).fit(X, y)
        assert len(caught) == 1


def test_overlapping_data_do_not_warn():
    LogisticRegressionGD().fit(*overlapping())  # warnings are errors in the tests


@pytest.mark.parametrize("lr", [1e300, 1e306])
def test_a_diverging_fit_ends_with_an_error_naming_the_learning_rate(lr):
    with pytest.raises(ValueError, match=re.escape(f"lr = {lr:g} is too large")):
        LogisticRegressionGD(lr=lr).fit(*overlapping())


def test_a_large_learning_rate_that_stays_finite_is_not_an_error():
    model = LogisticRegressionGD(lr=16.0, steps=300).fit(*overlapping())
    assert np.isfinite(model.history_).all()


def test_one_class_only_is_an_error():
    X, y = overlapping()
    with pytest.raises(ValueError, match="one class only"):
        LogisticRegressionGD().fit(X[y == 1], y[y == 1])
