"""The one convention of every model (book.models, CONTRIBUTING.md "Models"), checked on every model class."""
import inspect

import numpy as np
import pytest

from book import (MLP, GaussianGenerative, GaussianNaiveBayes, LogisticRegressionGD, MarginScorer, SoftmaxRegression,
                  SquareLossScorer, blobs, sigmoid, softmax)
from book.models import LinearModel, _label, _one_logit, _proba

X3, Y3 = blobs(n_per_class=10, scale=3.0)                        # three classes, overlapping
X2, Y2 = blobs(n_per_class=10, centers=((0.0, 0.0), (1.5, 1.5)))  # two classes, overlapping

# (a model with its hyper-parameters, the data, K, how many logits, probabilistic?)
CASES = {
    "SoftmaxRegression": (lambda: SoftmaxRegression(steps=20), X3, Y3, 3, 3, True),
    "SoftmaxRegression, two classes": (lambda: SoftmaxRegression(steps=20), X2, Y2, 2, 2, True),
    "SquareLossScorer": (lambda: SquareLossScorer(), X3, Y3, 3, 3, False),
    "MarginScorer": (lambda: MarginScorer(steps=20), X3, Y3, 3, 3, False),
    "LogisticRegressionGD": (lambda: LogisticRegressionGD(steps=20), X2, Y2, 2, 1, True),
    "GaussianGenerative": (lambda: GaussianGenerative(), X3, Y3, 3, 3, True),
    "GaussianGenerative, two classes": (lambda: GaussianGenerative(), X2, Y2, 2, 1, True),
    "GaussianGenerative, quadratic": (lambda: GaussianGenerative(shared_covariance=False), X2, Y2, 2, 1, True),
    "GaussianNaiveBayes": (lambda: GaussianNaiveBayes(shared_covariance=True), X3, Y3, 3, 3, True),
    "MLP([2, 1])": (lambda: MLP([2, 1], steps=20), X2, Y2, 2, 1, True),
    "MLP([2, 3, 3])": (lambda: MLP([2, 3, 3], steps=20), X3, Y3, 3, 3, True),
    "MLP([2, 2])": (lambda: MLP([2, 2], steps=20), X2, Y2, 2, 2, True),
}


@pytest.mark.parametrize("case", CASES)
def test_every_model_follows_the_convention(case):
    make, X, y, K, n_logits, probabilistic = CASES[case]
    model = make()
    assert model.fit(X, y) is model
    O = model.logits(X)
    assert O.shape == (len(X), n_logits)
    labels = model.predict(X)
    assert labels.shape == (len(X),) and labels.dtype.kind == "i" and set(labels) <= set(range(K))
    np.testing.assert_array_equal(labels, _label(O))
    if probabilistic:
        P = model.predict_proba(X)
        assert P.shape == (len(X), K)  # one column per class, for every K
        np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
        np.testing.assert_allclose(P, _proba(O), atol=1e-12)
        clear = np.sort(P, axis=1)[:, -1] - np.sort(P, axis=1)[:, -2] > 1e-9  # no tie between the top two
        np.testing.assert_array_equal(np.argmax(P, axis=1)[clear], labels[clear])
    else:
        assert not hasattr(model, "predict_proba"), "a scorer's outputs are not probabilities"
    if hasattr(model, "steps"):
        assert isinstance(model.history_, np.ndarray) and model.history_.shape == (model.steps + 1,)
    if isinstance(model, (LinearModel, GaussianGenerative)) and getattr(model, "shared_covariance", True):
        assert model.W_.shape == (X.shape[1], n_logits) and model.b_.shape == (n_logits,)
        if isinstance(model, LinearModel):
            np.testing.assert_allclose(O, X @ model.W_ + model.b_, rtol=1e-14)


@pytest.mark.parametrize("Model", [SoftmaxRegression, SquareLossScorer, MarginScorer, LogisticRegressionGD, MLP,
                                   GaussianGenerative, GaussianNaiveBayes])
def test_hyper_parameters_go_to_init_and_fit_takes_the_data(Model):
    fit = inspect.signature(Model.fit).parameters
    assert list(fit)[:3] == ["self", "X", "y"]
    assert not {"lr", "steps", "seed", "reg", "loss"} & set(fit), "a hyper-parameter belongs to __init__"


@pytest.mark.parametrize("Model, K, hyper", [(SoftmaxRegression, 3, {"lr": 0.1}), (SquareLossScorer, 3, {}),
                                             (MarginScorer, 3, {"reg": 0.1}), (LogisticRegressionGD, 1, {"lr": 0.1})])
def test_from_weights_is_a_model_with_those_weights(Model, K, hyper):
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((2, K)), rng.standard_normal(K)
    model = Model.from_weights(W, b, **hyper)
    X = X3 if K == 3 else X2
    np.testing.assert_array_equal(model.logits(X), X @ W + b)
    W[0, 0] += 1.0
    assert model.W_[0, 0] != W[0, 0]  # copied
    for name, value in hyper.items():
        assert getattr(model, name) == value


def test_every_gradient_descent_model_refuses_zero_steps():
    for make in (lambda: SoftmaxRegression(steps=0), lambda: LogisticRegressionGD(steps=0),
                 lambda: MarginScorer(steps=0), lambda: MLP([2, 1], steps=0)):
        with pytest.raises(ValueError, match="at least one step.*from_weights"):
            make()


def test_one_logit_probabilities_are_the_softmax_of_zero_and_z():
    z = np.array([[-800.0], [-3.0], [0.0], [2.5], [800.0]])
    P = _proba(z)
    np.testing.assert_allclose(P, softmax(np.hstack([np.zeros_like(z), z])), rtol=1e-14)
    np.testing.assert_array_equal(P[:, 1], sigmoid(z[:, 0]))
    np.testing.assert_array_equal(_label(z), [0, 0, 0, 1, 1])


def test_two_softmax_logits_make_one_logit():
    rng = np.random.default_rng(1)
    W, b, X = rng.standard_normal((3, 2)), rng.standard_normal(2), rng.standard_normal((5, 3))
    w, c = _one_logit(W, b)
    assert w.shape == (3, 1) and c.shape == (1,)
    np.testing.assert_allclose(_proba(X @ w + c), softmax(X @ W + b), rtol=1e-12)
