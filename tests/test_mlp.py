"""book.mlp: backpropagation against finite differences, training against scikit-learn, batched = single, errors."""
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

from book import (MLP, Layer, LogisticRegressionGD, backprop, fit_many, forward_pass, init_layers, noisy_xor,
                  xor_data)
from book.explorers.networks import TRAINING_EVERY, TRAINING_RATES, TRAINING_SEEDS, xor_trajectories
from book.numcheck import flatten, gradient


def numerical_gradients(net, X, y):
    """book.numcheck.gradient of the loss by every weight and bias, independent of backprop."""
    theta, unflatten = flatten([(layer.W, layer.b) for layer in net.layers])
    return unflatten(gradient(lambda t: MLP.from_weights(unflatten(t)).loss(X, y), theta))


def assert_gradients_match(net, X, y, rtol=1e-6):
    analytic = net.gradients(X, y)
    numeric = numerical_gradients(net, X, y)
    for (dW, db), (nW, nb), layer in zip(analytic, numeric, net.layers):
        assert dW.shape == layer.W.shape and db.shape == layer.b.shape
        scale = max(np.abs(nW).max(), np.abs(nb).max(), 1e-3)
        np.testing.assert_allclose(dW, nW, rtol=0, atol=rtol * scale)
        np.testing.assert_allclose(db, nb, rtol=0, atol=rtol * scale)


# --- backpropagation is the gradient -------------------------------------------------------

@pytest.mark.parametrize("sizes", [[2, 1], [2, 2, 1], [3, 5, 1], [2, 4, 3, 1], [2, 3], [3, 4, 5, 3], [4, 2, 2, 2, 4]])
def test_gradients_match_finite_differences(sizes):
    rng = np.random.default_rng(sum(sizes))
    net = MLP(sizes, seed=1, init=1.0)
    X = rng.standard_normal((9, sizes[0]))
    y = rng.integers(0, max(2, sizes[-1]), 9)
    assert_gradients_match(net, X, y)


@settings(max_examples=40)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=4), st.integers(0, 1000))
def test_gradients_match_finite_differences_for_random_networks(sizes, seed):
    rng = np.random.default_rng(seed)
    net = MLP(sizes, seed=seed, init=1.0)
    X = rng.standard_normal((6, sizes[0]))
    y = rng.integers(0, max(2, sizes[-1]), 6)
    assert_gradients_match(net, X, y)


@given(st.integers(0, 1000))
def test_softmax_output_bias_gradient_sums_to_zero(seed):
    """Each row of p − y sums to zero, so the output biases' gradient does too."""
    rng = np.random.default_rng(seed)
    net = MLP([3, 4, 5], seed=seed, init=1.0)
    X = rng.standard_normal((8, 3))
    y = rng.integers(0, 5, 8)
    assert abs(net.gradients(X, y)[-1][1].sum()) < 1e-15


def test_logistic_regression_on_xor_has_zero_gradient_at_zero():
    X, y = xor_data()
    (dW, db), = MLP([2, 1], init=0.0).gradients(X, y)
    np.testing.assert_array_equal(dW, 0)
    np.testing.assert_array_equal(db, 0)


def test_batched_gradients_equal_one_network_at_a_time():
    X, y = noisy_xor(12, 0.3, seed=1)
    nets = [MLP([2, 3, 1], seed=s) for s in range(4)]
    stacked = [Layer(np.stack([n.layers[l].W for n in nets]), np.stack([n.layers[l].b for n in nets])) for l in range(2)]
    batched = backprop(stacked, X, y[:, None].astype(float))
    for i, net in enumerate(nets):
        for (bW, bb), (dW, db) in zip(batched, net.gradients(X, y)):
            np.testing.assert_allclose(bW[i], dW, rtol=1e-13, atol=1e-16)
            np.testing.assert_allclose(bb[i], db, rtol=1e-13, atol=1e-16)


# --- the forward pass and the outputs -------------------------------------------------------

def test_forward_returns_every_layer():
    X, _ = xor_data()
    H = MLP([2, 3, 4, 1], seed=0).forward(X)
    assert [h.shape for h in H] == [(4, 2), (4, 3), (4, 4), (4, 1)]
    assert all(np.all((h > 0) & (h < 1)) for h in H[1:-1])


@given(st.integers(0, 1000))
def test_softmax_output_is_a_distribution(seed):
    rng = np.random.default_rng(seed)
    P = MLP([2, 3, 4], seed=seed, init=3.0).predict_proba(rng.standard_normal((10, 2)) * 5)
    assert P.shape == (10, 4)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(P >= 0)


def test_sigmoid_output_shapes_and_prediction():
    X, _ = xor_data()
    net = MLP([2, 2, 1], seed=0)
    P = net.predict_proba(X)
    assert P.shape == (4, 2) and net.logits(X).shape == (4, 1)  # one logit, one column per class
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_array_equal(net.predict(X), (P[:, 1] > 0.5).astype(int))


def test_logistic_regression_is_mlp_2_1():
    X, _ = noisy_xor(10, 0.5, seed=2)
    net = MLP([2, 1], seed=3)
    W, b = net.layers[0].W, net.layers[0].b
    np.testing.assert_allclose(net.predict_proba(X)[:, 1], 1 / (1 + np.exp(-(X @ W[:, 0] + b[0]))), rtol=1e-14)
    np.testing.assert_allclose(net.logits(X), X @ W + b, rtol=1e-14)


def test_from_weights_copies_and_takes_the_hyper_parameters():
    W, b = np.array([[1.0], [-2.0]]), np.array([0.5])
    net = MLP.from_weights([(W, b)], lr=0.5, steps=7)
    W[0, 0] = 99.0
    assert net.layers[0].W[0, 0] == 1.0 and (net.lr, net.steps) == (0.5, 7)
    X, y = xor_data()
    assert len(net.fit(X, y).history_) == 8


def test_loss_is_exact_and_finite_for_huge_logits():
    """z = 1000 x1 + 1000 x2: (1,1), label 0, gets z = 2000 and costs softplus(2000) = 2000, not log 0 = inf."""
    X, y = xor_data()
    net = MLP.from_weights([([[1e3], [1e3]], [0.0])])
    assert net.loss(X, y) == pytest.approx((np.log(2) + 2000) / 4, rel=1e-14)
    deep = MLP([2, 2, 1], seed=0, init=1.0)
    big = X * 1e6 - 5e5
    assert np.isfinite(deep.loss(big, y))
    assert all(np.all(np.isfinite(g)) for pair in deep.gradients(big, y) for g in pair)
    assert np.all(np.isfinite(MLP([2, 2, 1], seed=0, init=1.0, steps=3).fit(big, y).history_))


def test_hand_set_network_computes_xor():
    """h1 ≈ OR, h2 ≈ AND, output ≈ h1 AND NOT h2: the cascade of three logistic regressions the chapter builds."""
    net = MLP.from_weights([([[20.0, 20.0], [20.0, 20.0]], [-10.0, -30.0]), ([[20.0], [-20.0]], [-10.0])])
    X, y = xor_data()
    np.testing.assert_array_equal(net.predict(X), y)
    assert net.loss(X, y) < 1e-3


# --- training --------------------------------------------------------------------------------

def test_training_is_deterministic_per_seed():
    X, y = noisy_xor(40, 0.3, seed=0)
    a = MLP([2, 3, 1], seed=7, lr=1.0, steps=200).fit(X, y)
    b = MLP([2, 3, 1], seed=7, lr=1.0, steps=200).fit(X, y)
    c = MLP([2, 3, 1], seed=8, lr=1.0, steps=200).fit(X, y)
    np.testing.assert_array_equal(a.history_, b.history_)
    for la, lb in zip(a.layers, b.layers):
        np.testing.assert_array_equal(la.W, lb.W)
    assert not np.allclose(a.layers[0].W, c.layers[0].W)


def test_history_records_the_loss_before_each_step_and_after_the_last():
    X, y = xor_data()
    net = MLP([2, 2, 1], seed=1, steps=30).fit(X, y)
    assert len(net.history_) == 31
    assert net.history_[-1] == pytest.approx(net.loss(X, y), rel=1e-14)
    assert MLP([2, 2, 1], seed=1).loss(X, y) == pytest.approx(net.history_[0], rel=1e-14)


def test_small_steps_decrease_the_loss():
    X, y = noisy_xor(40, 0.3, seed=0)
    history = MLP([2, 4, 3, 1], seed=0, lr=0.1, steps=100).fit(X, y).history_
    assert np.all(np.diff(history) < 0)


def test_logistic_regression_on_xor_goes_to_zero_weights_and_ln2():
    X, y = xor_data()
    net = MLP([2, 1], seed=0, init=1.0, lr=2.0, steps=3000).fit(X, y)
    np.testing.assert_allclose(net.layers[0].W, 0, atol=1e-6)
    np.testing.assert_allclose(net.layers[0].b, 0, atol=1e-6)
    assert net.history_[-1] == pytest.approx(np.log(2), abs=1e-10)


def test_mlp_2_1_agrees_with_scikit_learn_logistic_regression():
    """Unpenalised logistic regression (C = ∞) on overlapping classes has one finite optimum; both must find it."""
    X, y = noisy_xor(200, 0.6, seed=1)
    X = X + np.array([0.3, -0.2]) * y[:, None]  # give the optimum non-zero weights
    net = MLP([2, 1], init=0.0, lr=2.0, steps=4000).fit(X, y)
    sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(net.layers[0].W[:, 0], sk.coef_[0], rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(net.layers[0].b, sk.intercept_, rtol=1e-6, atol=1e-8)
    assert abs(sk.coef_[0]).max() > 0.1


def test_mlp_2_1_takes_the_same_steps_as_chapter_5b_logistic_regression():
    """Both are gradient descent on the mean cross-entropy from w = 0, b = 0: the paths must coincide."""
    X, y = noisy_xor(60, 0.5, seed=4)
    net = MLP([2, 1], init=0.0, lr=0.7, steps=300).fit(X, y)
    gd = LogisticRegressionGD(lr=0.7, steps=300).fit(X, y)
    np.testing.assert_allclose(net.history_, gd.history_, rtol=1e-12)
    np.testing.assert_allclose(net.layers[0].W, gd.W_, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(net.predict_proba(X), gd.predict_proba(X), rtol=1e-10)


def test_accuracy_agrees_with_scikit_learn_mlp_on_noisy_xor():
    """Same size (8 sigmoid hidden units, no penalty). scikit-learn's L-BFGS stops by its own tolerance in under
    100 iterations here, far below max_iter, so no ConvergenceWarning (an error in these tests) can occur. Test
    accuracies agree within 4 points, and both are near the best possible, about 95.5 % for this noise."""
    X, y = noisy_xor(200, 0.25, seed=1)
    X_test, y_test = noisy_xor(2000, 0.25, seed=2)
    ours = np.mean(MLP([2, 8, 1], seed=0, lr=2.0, steps=4000).fit(X, y).predict(X_test) == y_test)
    with np.errstate(under="ignore"):  # scikit-learn's own arithmetic underflows harmlessly
        sk = MLPClassifier(hidden_layer_sizes=(8,), activation="logistic", solver="lbfgs", alpha=0.0,
                           max_iter=3000, random_state=0).fit(X, y)
        theirs = sk.score(X_test, y_test)
    assert sk.n_iter_ < 3000
    assert abs(ours - theirs) <= 0.04
    assert min(ours, theirs) > 0.9


@pytest.mark.parametrize("sizes", [[2, 2, 1], [2, 3, 2], [2, 4, 3, 1]])
def test_one_network_is_fit_many_of_one(sizes):
    """MLP.fit and fit_many run the same loop: a single fit is the batch of one, equal to the last bit."""
    X, y = noisy_xor(20, 0.3, seed=0)
    many = fit_many(sizes, X, y, [4], lr=1.5, steps=200, init=2.0)
    single = MLP(sizes, seed=4, init=2.0, lr=1.5, steps=200).fit(X, y)
    assert np.array_equal(many.history[0], single.history_)
    for lm, ls in zip(many.network(0).layers, single.layers):
        assert np.array_equal(lm.W, ls.W) and np.array_equal(lm.b, ls.b)


def test_fit_many_equals_fit_for_each_seed():
    X, y = xor_data()
    many = fit_many([2, 2, 1], X, y, [0, 5, 9], lr=[2.0, 1.0, 2.0], steps=600, every=200)
    for i, (seed, lr) in enumerate([(0, 2.0), (5, 1.0), (9, 2.0)]):
        single = MLP([2, 2, 1], seed=seed, lr=lr, steps=600).fit(X, y)
        np.testing.assert_allclose(many.history[i], single.history_, rtol=1e-12, atol=0)
        for lm, ls in zip(many.network(i).layers, single.layers):
            np.testing.assert_allclose(lm.W, ls.W, rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(lm.b, ls.b, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(many.recorded, [0, 200, 400, 600])
    halfway = MLP([2, 2, 1], seed=5, lr=1.0, steps=400).fit(X, y)
    np.testing.assert_allclose(many.network(1, t=2).layers[0].W, halfway.layers[0].W, rtol=1e-12)


def test_fit_many_accepts_one_init_per_seed():
    X, y = xor_data()
    many = fit_many([2, 2, 1], X, y, [3, 3], steps=5, init=["glorot", 1.0])
    np.testing.assert_allclose(many.history[1], MLP([2, 2, 1], seed=3, init=1.0, steps=5).fit(X, y).history_)
    assert many.history[0, 0] != many.history[1, 0]


def test_fit_many_trains_softmax_networks_too():
    X, y = noisy_xor(20, 0.3, seed=0)
    many = fit_many([2, 3, 2], X, y, [1], lr=1.0, steps=50)
    single = MLP([2, 3, 2], seed=1, lr=1.0, steps=50).fit(X, y)
    np.testing.assert_allclose(many.history[0], single.history_, rtol=1e-12)


def test_the_training_explorer_replays_the_real_training():
    fits, codes = xor_trajectories()
    X, y = xor_data()
    seed, rate = TRAINING_SEEDS[3], TRAINING_RATES[2]
    i = 3 * len(TRAINING_RATES) + 2
    t = 10
    net = MLP([2, 2, 1], seed=seed, lr=rate, steps=t * TRAINING_EVERY).fit(X, y)
    np.testing.assert_allclose(fits.network(i, t).layers[1].W, net.layers[1].W, rtol=1e-12)
    np.testing.assert_allclose(codes[t, i], net.forward(X)[1], rtol=1e-12)


# --- initialisation --------------------------------------------------------------------------

def test_glorot_start_has_the_stated_range_and_zero_biases():
    layers = init_layers([50, 30, 1], seed=0)
    for layer, (n_in, n_out) in zip(layers, [(50, 30), (30, 1)]):
        a = np.sqrt(6 / (n_in + n_out))
        assert np.abs(layer.W).max() <= a and np.abs(layer.W).max() > 0.9 * a
        np.testing.assert_array_equal(layer.b, 0)


def test_normal_start_has_the_stated_spread():
    layers = init_layers([200, 100, 1], seed=0, init=0.5)
    assert layers[0].W.std() == pytest.approx(0.5, rel=0.02)
    assert np.all(init_layers([2, 2, 1], seed=0, init=0.0)[0].W == 0)


def test_default_start_solves_xor_from_most_seeds():
    X, y = xor_data()
    fits = fit_many([2, 2, 1], X, y, range(40), lr=2.0, steps=3000)
    logits = forward_pass(fits.layers, X)[-1][..., 0]
    assert np.mean(np.all((logits > 0) == y, axis=1)) > 0.5


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sizes, message", [([2], "at least an input and an output"),
                                            ([2, 0, 1], r"sizes\[1\] must be a positive integer, got 0"),
                                            ([2, -3], r"sizes\[1\] must be a positive integer, got -3")])
def test_bad_sizes(sizes, message):
    with pytest.raises(ValueError, match=message):
        MLP(sizes)


@pytest.mark.parametrize("sizes", [[2, 2.5, 1], "21", 3, [2, True]])
def test_sizes_of_the_wrong_type(sizes):
    with pytest.raises(TypeError, match="sizes"):
        MLP(sizes)


def test_layers_that_do_not_chain():
    with pytest.raises(ValueError, match="layers do not chain: layer 1 has 2 outputs but layer 2's W expects 3"):
        MLP.from_weights([(np.zeros((2, 2)), np.zeros(2)), (np.zeros((3, 1)), np.zeros(1))])


def test_from_weights_checks_each_layer():
    with pytest.raises(ValueError, match="b of layer 1 has shape"):
        MLP.from_weights([(np.zeros((2, 2)), np.zeros(3))])
    with pytest.raises(ValueError, match="W of layer 1 must be 2-D"):
        MLP.from_weights([(np.zeros(2), np.zeros(2))])
    with pytest.raises(ValueError, match="params is empty"):
        MLP.from_weights([])


def test_x_of_the_wrong_width():
    with pytest.raises(ValueError, match="X has 3 features, expected 2"):
        MLP([2, 2, 1]).predict_proba(np.zeros((4, 3)))


@pytest.mark.parametrize("sizes, y", [([2, 1], [0, 1, 2, 0]), ([2, 3], [0, 1, 3, 0]), ([2, 1], [0, -1, 1, 0])])
def test_labels_out_of_range(sizes, y):
    X, _ = xor_data()
    with pytest.raises(ValueError, match="label out of range"):
        MLP(sizes).loss(X, y)


def test_labels_of_the_wrong_length():
    X, _ = xor_data()
    with pytest.raises(ValueError, match="different lengths"):
        MLP([2, 1]).fit(X, [0, 1, 1])


@pytest.mark.parametrize("lr, steps, message", [(0.0, 10, "lr must be a positive"), (-1.0, 10, "lr must be a positive"),
                                                (1.0, -1, "steps must be")])
def test_bad_schedule(lr, steps, message):
    X, y = xor_data()
    with pytest.raises(ValueError, match=message):
        MLP([2, 1], lr=lr, steps=steps).fit(X, y)


@pytest.mark.parametrize("init", [-1.0, "he", np.nan])
def test_bad_init(init):
    with pytest.raises(ValueError, match="init must be"):
        MLP([2, 1], init=init)


def test_fit_many_errors():
    X, y = xor_data()
    with pytest.raises(ValueError, match="seeds is empty"):
        fit_many([2, 1], X, y, [])
    with pytest.raises(ValueError, match="lr has 2 rates for 3 seeds"):
        fit_many([2, 1], X, y, [0, 1, 2], lr=[1.0, 2.0])
    with pytest.raises(ValueError, match="init has 1 entries for 2 seeds"):
        fit_many([2, 1], X, y, [0, 1], init=[1.0])
    with pytest.raises(ValueError, match="every must be a positive integer"):
        fit_many([2, 1], X, y, [0], every=0)


# --- how a fit ends, and the one rule for classes --------------------------------------------

@pytest.mark.parametrize("lr", [1e300, 1e306])
def test_a_diverging_fit_ends_with_an_error_naming_the_learning_rate(lr):
    X, y = xor_data()
    with pytest.raises(ValueError, match="diverged.*lr = " + re.escape(f"{lr:g}")):
        MLP([2, 2, 1], lr=lr, steps=100).fit(X, y)
    with pytest.raises(ValueError, match="diverged.*lr"):
        fit_many([2, 2, 1], X, y, [0, 1], lr=[2.0, lr], steps=100)


def test_a_class_without_examples_is_an_error_when_fitting_only():
    X, y = noisy_xor(40)
    labels = np.where(y == 1, 2, 0)  # three output units, class 1 never occurs
    with pytest.raises(ValueError, match="label 1 has no examples"):
        MLP([2, 3]).fit(X, labels)
    with pytest.raises(ValueError, match="label 1 has no examples"):
        fit_many([2, 3], X, labels, [0])
    assert np.isfinite(MLP([2, 3]).loss(X, labels))  # a loss on data without some class is fine


def test_the_public_forward_pass_and_backprop_check_their_input():
    X, y = xor_data()
    net = MLP([2, 2, 1])
    with pytest.raises(TypeError, match="layers must be a non-empty list"):
        forward_pass([(np.zeros((2, 2)), np.zeros(2))], X)
    with pytest.raises(ValueError, match="X has 3 features, expected 2"):
        forward_pass(net.layers, np.zeros((4, 3)))
    with pytest.raises(ValueError, match="Y must have at least 2 dimension"):
        backprop(net.layers, X, y)
    with pytest.raises(ValueError, match="layers do not chain"):
        forward_pass(net.layers[::-1][:1] + net.layers[:1], X)


def test_many_fits_network_checks_its_indices():
    X, y = xor_data()
    fits = fit_many([2, 2, 1], X, y, [0, 1], steps=10, every=5)
    with pytest.raises(ValueError, match="i must be at most 1"):
        fits.network(2)
    with pytest.raises(ValueError, match="t must be at most 2"):
        fits.network(0, 3)
    with pytest.raises(TypeError, match=r"seeds\[1\] must be a non-negative integer"):
        fit_many([2, 2, 1], X, y, [0, 1.5])
