"""book.scores: the square-loss, margin and softmax scorers of chapter 1.

Laws (hypothesis), agreement with NumPy's and scikit-learn's least squares and
with scikit-learn's Crammer–Singer SVM, finite-difference checks of the hinge
subgradient away from its kinks, and one test per bad-input error.
"""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.linear_model import LinearRegression
from sklearn.svm import LinearSVC

from book import SoftmaxRegression, blobs, one_hot
from book.numcheck import gradient, jacobian
from book.scores import (
    MarginScorer,
    SquareLossScorer,
    as_cost,
    hinge_grad,
    hinge_loss,
    margins,
    square_loss,
    square_loss_grad,
    zero_one_cost,
)

# No tiny magnitudes: squaring 1e-200 underflows, which the tests' np.errstate turns into an error.
finite = st.one_of(st.just(0.0), st.floats(1e-3, 10), st.floats(-10, -1e-3))


@st.composite
def scores_and_labels(draw, max_classes=5):
    """A batch of scores O (n, K) and labels y (n,) in 0..K−1."""
    K = draw(st.integers(2, max_classes))
    n = draw(st.integers(1, 6))
    O = draw(arrays(np.float64, (n, K), elements=finite))
    y = draw(arrays(np.int64, (n,), elements=st.integers(0, K - 1)))
    return O, y


@st.composite
def costs(draw, K):
    """A cost matrix: non-negative entries, zero diagonal."""
    D = draw(arrays(np.float64, (K, K), elements=st.one_of(st.just(0.0), st.floats(1e-2, 5))))
    np.fill_diagonal(D, 0.0)
    return D


def brute_hinge(o, y, D):
    """max(0, max over i ≠ y of Δ(y, i) + o_i − o_y), written as a loop."""
    worst = 0.0
    for i in range(len(o)):
        if i != y:
            worst = max(worst, D[y, i] + o[i] - o[y])
    return worst


# --- costs --------------------------------------------------------------------

def test_zero_one_cost():
    np.testing.assert_array_equal(zero_one_cost(3), [[0, 1, 1], [1, 0, 1], [1, 1, 0]])


@pytest.mark.parametrize("K, kind", [(1, ValueError), (0, ValueError), (2.5, TypeError)])
def test_zero_one_cost_needs_two_classes(K, kind):
    with pytest.raises(kind, match="n_classes"):
        zero_one_cost(K)


def test_as_cost_default_is_zero_one():
    np.testing.assert_array_equal(as_cost(None, 4), zero_one_cost(4))


@pytest.mark.parametrize("cost, match", [
    (np.ones((2, 2)) - np.eye(2), "shape"),
    ([[0, -1, 1], [1, 0, 1], [1, 1, 0]], "negative"),
    ([[1, 1, 1], [1, 0, 1], [1, 1, 0]], "diagonal"),
    ([[0, np.nan, 1], [1, 0, 1], [1, 1, 0]], "NaN"),
    ([[0, np.inf, 1], [1, 0, 1], [1, 1, 0]], "infinite"),
])
def test_as_cost_rejects(cost, match):
    with pytest.raises(ValueError, match=match):
        as_cost(cost, 3)


def test_as_cost_rejects_non_numeric():
    with pytest.raises(TypeError, match="cost must be numeric"):
        as_cost([["0", "1"], ["1", "0"]], 2)


# --- the square loss ------------------------------------------------------------

@given(scores_and_labels())
def test_square_loss_is_half_squared_distance_to_one_hot(Oy):
    O, y = Oy
    expected = [0.5 * sum((o[i] - (i == label)) ** 2 for i in range(len(o))) for o, label in zip(O, y)]
    np.testing.assert_allclose(square_loss(O, y), expected, rtol=1e-12, atol=1e-12)


@given(scores_and_labels(), arrays(np.float64, 5, elements=finite))
def test_square_loss_grad_matches_central_differences(Oy, direction):
    """The loss is quadratic in o, so a central difference is exact up to rounding."""
    O, y = Oy
    V = np.resize(direction, O.shape)
    numeric = jacobian(lambda t: square_loss(O + t * V, y), 0.0, h=1e-3)  # the derivative along V
    analytic = np.sum(square_loss_grad(O, y) * V, axis=-1)
    np.testing.assert_allclose(numeric, analytic, rtol=1e-6, atol=1e-6)


def test_square_loss_of_one_example():
    assert square_loss([0.5, 0.5, 0.0], 0) == pytest.approx(0.25)
    np.testing.assert_allclose(square_loss_grad([0.5, 0.5, 0.0], 0), [-0.5, 0.5, 0.0])


# --- margins and the hinge loss -------------------------------------------------

@given(scores_and_labels())
def test_margin_of_the_true_class_is_zero(Oy):
    O, y = Oy
    M = margins(O, y)
    np.testing.assert_array_equal(M[np.arange(len(y)), y], 0.0)
    np.testing.assert_allclose(M, O[np.arange(len(y)), y][:, None] - O)


@given(st.data())
def test_hinge_matches_the_loop(data):
    O, y = data.draw(scores_and_labels())
    D = data.draw(costs(O.shape[1]))
    expected = [brute_hinge(o, label, D) for o, label in zip(O, y)]
    np.testing.assert_allclose(hinge_loss(O, y, D), expected, rtol=1e-12, atol=1e-12)


@given(st.data())
def test_hinge_is_zero_iff_every_margin_is_met(data):
    O, y = data.draw(scores_and_labels())
    D = data.draw(costs(O.shape[1]))
    met = np.all(margins(O, y) >= D[y], axis=1)
    l = hinge_loss(O, y, D)
    assert np.all(l >= 0)
    np.testing.assert_array_equal(l == 0, met)


@given(scores_and_labels(), finite)
def test_hinge_ignores_a_common_shift(Oy, c):
    O, y = Oy
    np.testing.assert_allclose(hinge_loss(O + c, y), hinge_loss(O, y), atol=1e-9)


@given(st.data())
def test_hinge_grad_is_zero_when_met_and_sums_to_zero(data):
    O, y = data.draw(scores_and_labels())
    D = data.draw(costs(O.shape[1]))
    G = hinge_grad(O, y, D)
    np.testing.assert_array_equal(G.sum(axis=1), 0.0)
    np.testing.assert_array_equal(G[hinge_loss(O, y, D) == 0], 0.0)
    assert set(np.unique(G)) <= {-1.0, 0.0, 1.0}


@given(st.data())
def test_hinge_grad_matches_finite_differences_away_from_kinks(data):
    O, y = data.draw(scores_and_labels())
    D = data.draw(costs(O.shape[1]))
    # Shortfalls Δ(y, i) − (o_y − o_i); the loss is smooth where the largest one is unique.
    # Each example's loss depends on its own row only, so the rows away from a kink are checked
    # (a batch is not thrown away for one row on a kink).
    S = D[y] - margins(O, y)
    top2 = np.sort(S, axis=1)[:, -2:]
    smooth = top2[:, 1] - top2[:, 0] > 1e-2
    assume(np.any(smooth))
    # moving o_j of every row at once gives ∂l_n/∂o_nj for every row n
    numeric = jacobian(lambda v: hinge_loss(O + v, y, D), np.zeros(O.shape[1]), h=1e-4)
    np.testing.assert_allclose(numeric[smooth], hinge_grad(O, y, D)[smooth], atol=1e-6)


def test_hinge_example_with_a_cliff():
    """o = (2, 1, 0), y = 0: the margin over class 1 is 1; with Δ(0, 1) = 3 it falls 2 short."""
    D = zero_one_cost(3)
    D[0, 1] = 3.0
    assert hinge_loss([2.0, 1.0, 0.0], 0) == 0.0
    assert hinge_loss([2.0, 1.0, 0.0], 0, D) == 2.0
    np.testing.assert_array_equal(hinge_grad([2.0, 1.0, 0.0], 0, D), [-1.0, 1.0, 0.0])


@pytest.mark.parametrize("fn", [square_loss, square_loss_grad, margins, hinge_loss, hinge_grad])
@pytest.mark.parametrize("O, y, error, match", [
    ([[1.0, np.nan]], [0], ValueError, "NaN"),
    ([[1.0, np.inf]], [0], ValueError, "infinite"),
    ([[1.0, 2.0]], [2], ValueError, "out of range"),
    ([[1.0, 2.0]], [0, 1], ValueError, "shape"),
    ([[1.0, 2.0]], [0.5], ValueError, "integer"),
    (np.zeros((0, 2)), np.zeros(0, int), ValueError, "empty"),
    (3.0, 0, ValueError, "dimension"),
    ([["a", "b"]], [0], TypeError, "numeric"),
])
def test_losses_reject(fn, O, y, error, match):
    with pytest.raises(error, match=match):
        fn(O, y)


def test_hinge_rejects_a_cost_of_the_wrong_size():
    with pytest.raises(ValueError, match="cost has shape"):
        hinge_loss([[1.0, 2.0, 3.0]], [0], zero_one_cost(2))


# --- the least-squares scorer ---------------------------------------------------

def test_least_squares_matches_numpy_and_sklearn():
    X, y = blobs()
    model = SquareLossScorer().fit(X, y)
    Y = one_hot(y, 3)
    Wb = np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), Y, rcond=None)[0]
    np.testing.assert_allclose(model.W_, Wb[:-1], atol=1e-10)
    np.testing.assert_allclose(model.b_, Wb[-1], atol=1e-10)
    sk = LinearRegression().fit(X, Y)
    np.testing.assert_allclose(model.W_, sk.coef_.T, atol=1e-10)
    np.testing.assert_allclose(model.b_, sk.intercept_, atol=1e-10)
    np.testing.assert_allclose(model.logits(X), sk.predict(X), atol=1e-10)


@settings(max_examples=50)
@given(st.integers(0, 10_000), st.integers(2, 5), arrays(np.float64, (4, 2), elements=finite))
def test_least_squares_outputs_sum_to_one_and_solve_the_normal_equations(seed, K, queries):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 2))
    y = np.arange(30) % K
    model = SquareLossScorer().fit(X, y)
    np.testing.assert_allclose(model.logits(queries).sum(axis=1), 1.0, atol=1e-9)
    X1 = np.column_stack([X, np.ones(len(X))])
    np.testing.assert_allclose(X1.T @ (model.logits(X) - one_hot(y, K)), 0.0, atol=1e-9)
    np.testing.assert_array_equal(model.predict(queries), np.argmax(model.logits(queries), axis=1))


def test_least_squares_loss_is_the_mean_square_loss():
    X, y = blobs()
    model = SquareLossScorer().fit(X, y)
    fitted = model.loss(X, y)
    assert fitted == pytest.approx(np.mean(square_loss(model.logits(X), y)))
    model.W_ = model.W_ + 0.01  # any other W costs more: the fit is the minimum
    assert model.loss(X, y) > fitted


def test_least_squares_masks_the_middle_of_three_collinear_classes():
    """Hastie et al.'s masking: the middle class of three on a line is (almost) never predicted."""
    X, y = blobs(centers=[(-2.0, -1.0), (2.0, -1.0), (0.0, -1.0)])
    predicted = SquareLossScorer().fit(X, y).predict(X)
    assert np.sum(predicted == 2) < 0.1 * np.sum(y == 2)
    assert np.sum(MarginScorer().fit(X, y).predict(X) == 2) > 0.5 * np.sum(y == 2)


# --- the margin scorer ----------------------------------------------------------

def test_margin_scorer_matches_sklearn_crammer_singer():
    """scikit-learn minimises ½‖W‖² + C Σ_n l_n, which is ours divided by λ when C = 1/(λ n).

    Its bias is a weight on a constant feature of value ``intercept_scaling`` and so is
    penalised too, a little; a large scaling makes that penalty negligible.
    """
    X, y = blobs()
    reg = 0.01
    ours = MarginScorer(reg=reg).fit(X, y)
    sk = LinearSVC(multi_class="crammer_singer", C=1 / (reg * len(X)), intercept_scaling=10,
                   tol=1e-8, max_iter=100_000, random_state=0).fit(X, y)
    theirs = MarginScorer(reg=reg).fit(X, y)
    theirs.W_, theirs.b_ = sk.coef_.T.copy(), sk.intercept_.copy()
    J_ours, J_theirs = ours.loss(X, y), theirs.loss(X, y)
    assert J_ours == pytest.approx(J_theirs, rel=2e-3)
    assert np.mean(ours.predict(X) == sk.predict(X)) >= 0.97


def test_margin_scorer_history_and_descent():
    X, y = blobs()
    model = MarginScorer(steps=300).fit(X, y)
    assert len(model.history_) == 301
    assert model.history_[0] == pytest.approx(1.0)  # W = 0, b = 0: every 0–1 margin misses by 1
    assert model.history_[-1] < 0.5 * model.history_[0]
    assert model.history_[-1] == pytest.approx(model.loss(X, y))


def test_margin_scorer_objective_gradient_matches_finite_differences():
    """At a generic point no example sits on a kink, so J is differentiable there."""
    X, y = blobs(n_per_class=10)
    model = MarginScorer(steps=20, reg=0.1).fit(X, y)
    W, b = model.W_.copy(), model.b_.copy()
    G = hinge_grad(X @ W + b, y) / len(X)
    grad = np.vstack([X.T @ G + model.reg * W, G.sum(axis=0)])

    def J(Wb):
        model.W_, model.b_ = Wb[:-1], Wb[-1]
        return model.loss(X, y)

    np.testing.assert_allclose(gradient(J, np.vstack([W, b])), grad, rtol=0, atol=1e-6)


def test_a_cliff_cost_keeps_class_0_away_from_class_1():
    X, y = blobs()
    cliff = zero_one_cost(3)
    cliff[0, 1] = 4.0
    plain = MarginScorer().fit(X, y).predict(X)
    careful = MarginScorer(cost=cliff).fit(X, y).predict(X)
    assert np.sum((y == 0) & (careful == 1)) < np.sum((y == 0) & (plain == 1))
    assert np.sum((y == 1) & (careful == 0)) > np.sum((y == 1) & (plain == 0))


def test_zero_cost_collapses_the_margin_scorer():
    """With Δ = 0 the loss max_i o_i − o_y is 0 at W = 0, and the penalty pulls a trained W back there."""
    X, y = blobs()
    model = MarginScorer(steps=500, warm_start=True).fit(X, y)
    trained = np.abs(model.W_).max()
    model.cost = np.zeros((3, 3))
    model.fit(X, y)
    assert np.abs(model.W_).max() < 0.1 * trained


def test_warm_start_continues_from_the_last_solution():
    X, y = blobs()
    model = MarginScorer(steps=200, warm_start=True).fit(X, y)
    W = model.W_.copy()
    model.fit(X, y)
    np.testing.assert_array_equal(model.W_path_[0], W)  # the second fit starts where the first ended
    cold = MarginScorer(steps=1).fit(X, y)
    np.testing.assert_array_equal(cold.W_path_[0], 0.0)


@pytest.mark.parametrize("kwargs, match", [
    ({"reg": -1.0}, "reg"),
    ({"lr": 0.0}, "lr"),
    ({"steps": -1}, "steps"),
])
def test_margin_scorer_rejects_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MarginScorer(**kwargs)


def test_margin_scorer_rejects_a_bad_cost_at_fit():
    X, y = blobs()
    with pytest.raises(ValueError, match="cost has shape"):
        MarginScorer(cost=zero_one_cost(2)).fit(X, y)


# --- both scorers: bad training input -------------------------------------------

X_OK, Y_OK = blobs(n_per_class=5)


@pytest.mark.parametrize("Scorer", [SquareLossScorer, MarginScorer])
@pytest.mark.parametrize("X, y, n_classes, error, match", [
    (X_OK[:, 0], Y_OK, None, ValueError, "2-D"),
    (np.where(np.arange(len(X_OK))[:, None] == 3, np.nan, X_OK), Y_OK, None, ValueError, "NaN"),
    (X_OK, Y_OK[:-1], None, ValueError, "different lengths"),
    (X_OK, Y_OK, 2, ValueError, "out of range"),
    (X_OK, np.zeros(len(X_OK), int), None, ValueError, "two classes"),
    (X_OK, Y_OK - 1, None, ValueError, "out of range"),
    (X_OK, Y_OK.astype(str), None, TypeError, "integer class labels"),
    (X_OK.astype(str), Y_OK, None, TypeError, "numeric"),
])
def test_scorers_reject_bad_training_input(Scorer, X, y, n_classes, error, match):
    with pytest.raises(error, match=match):
        Scorer().fit(X, y, n_classes=n_classes)


def test_a_margin_scorer_from_given_weights_is_a_fitted_one():
    """from_weights holds given W and b (chapter 1: scikit-learn's solution) and scores them with J."""
    X, y = blobs()
    fitted = MarginScorer(reg=0.01).fit(X, y)
    given = MarginScorer.from_weights(fitted.W_, fitted.b_, reg=0.01)
    assert given.loss(X, y) == fitted.loss(X, y)
    np.testing.assert_array_equal(given.predict(X), fitted.predict(X))
    W = fitted.W_.copy()
    given.W_[0, 0] += 1.0
    np.testing.assert_array_equal(fitted.W_, W)  # from_weights copies
    cliff = zero_one_cost(3)
    cliff[0, 1] = 4.0
    assert MarginScorer.from_weights(fitted.W_, fitted.b_, cost=cliff).loss(X, y) >= fitted.loss(X, y)
    square = SquareLossScorer.from_weights(fitted.W_, fitted.b_)
    np.testing.assert_array_equal(square.logits(X), fitted.logits(X))


@pytest.mark.parametrize("W, b, match", [
    (np.zeros(3), np.zeros(3), r"W must be a \(d, K\) matrix"),
    (np.zeros((2, 1)), np.zeros(1), "K >= 2"),
    (np.zeros((2, 3)), np.zeros(2), r"b has shape \(2,\), expected \(3,\)"),
    (np.full((2, 3), np.nan), np.zeros(3), "W contains NaN"),
])
def test_from_weights_rejects(W, b, match):
    with pytest.raises(ValueError, match=match):
        MarginScorer.from_weights(W, b)


@pytest.mark.parametrize("Scorer", [SquareLossScorer, MarginScorer])
def test_predicting_before_fitting_says_fit_first(Scorer):
    with pytest.raises(ValueError, match="not fitted yet: call fit"):
        Scorer().predict(np.zeros((2, 2)))


@pytest.mark.parametrize("Scorer", [SquareLossScorer, MarginScorer])
def test_a_class_without_examples_is_an_error(Scorer):
    X, y = blobs()
    with pytest.raises(ValueError, match="label 1 has no examples"):
        Scorer().fit(X[y != 1], y[y != 1])


@pytest.mark.parametrize("Scorer", [SquareLossScorer, MarginScorer])
def test_scorers_reject_the_wrong_number_of_features(Scorer):
    model = Scorer().fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="features"):
        model.predict(np.zeros((2, 3)))


# --- the third way: calibrated probabilities (chapter 3's SoftmaxRegression) ----

def test_softmax_scorer_gives_probabilities_that_sum_to_one():
    X, y = blobs()
    model = SoftmaxRegression(steps=2000).fit(X, y)
    P = model.predict_proba(np.vstack([X, 1e3 * X]))  # far-away points: no overflow, no warning
    assert np.all((P >= 0) & (P <= 1))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-12)
    # At the optimum ∂L/∂b = mean(P − Y) = 0: the predicted class frequencies equal the observed ones.
    np.testing.assert_allclose(model.predict_proba(X).mean(axis=0), np.bincount(y) / len(y), atol=2e-4)


# --- the explorer ---------------------------------------------------------------

def test_explorer_starts_on_the_chapter_fits():
    """At its start the explorer shows the models fitted from scratch on book.blobs()."""
    from book.explorers.scores import scores_explorer

    X, y = blobs()
    ex = scores_explorer()
    expected = [SquareLossScorer().fit(X, y).loss(X, y), MarginScorer().fit(X, y).loss(X, y),
                SoftmaxRegression().fit(X, y).history_[-1]]
    for loss in expected:
        assert f"<td>{loss:.3f}</td>" in ex.readout.value


def test_explorer_picture_does_not_depend_on_the_path():
    """A setting reached by different routes shows the same picture and readout (the static book relies on it)."""
    from book.explorers.scores import scores_explorer

    direct = scores_explorer()
    direct.update(center_y=-1.0, cliff=3.0)
    frame = direct.canvas.rgba().copy()
    readout = direct.update(center_y=-1.0, cliff=3.0)
    wandering = scores_explorer()
    for center_y, cliff in [(3.0, 0.0), (-3.0, 4.0), (-1.0, 1.0), (-1.0, 3.0)]:
        wandering.controls["center_y"].value = center_y
        wandering.controls["cliff"].value = cliff
    assert wandering.readout.value == readout
    np.testing.assert_array_equal(wandering.canvas.rgba(), frame)
