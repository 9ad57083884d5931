"""A clear error at every door: one row per (callable, bad argument, expected exception, words of the message).

Every public function and method of book/ (and every explorer's arguments) checks its input
through book.checks and raises ValueError or TypeError whose message names the argument and
says what it got. The kinds below were all found failing once: a boolean taken as a number,
a string, None, NaN or inf where a number belongs, a float where a whole number belongs, a
label such as 1e20 that warned while it was cast, a class without examples, predict before
fit, a learning rate whose fit overflows, a size that ended in MemoryError, a step count that
ran for minutes, a natural parameter whose result overflows, an explorer's drop-down at None.
"""
import inspect

import numpy as np
import pytest

import book
from book import (MAX_ELEMENTS, MAX_STEPS, MLP, Categorical, GaussianGenerative, GaussianNaiveBayes,
                  LogisticRegressionGD, MarginScorer, SoftmaxRegression, SquareLossScorer, as_cost, backprop,
                  blobs, bound, cross_entropy, cross_entropy_grad, distance_features, expected_calibration_error,
                  families, fit_family, flatten, fit_many, forward_pass, gaussian_classes, gaussian_log_density, gd_paths,
                  gradient, hessian, hinge_grad, hinge_loss, init_layers, jacobian, linear_logits, log_sigmoid,
                  log_softmax, logistic_loss, logistic_newton, logsumexp, loss_and_gradient, margins, mean_loss,
                  monte_carlo_moments, noisy_xor, one_hot, product_features, reliability_curve, rings, sigmoid, softmax,
                  softplus, square_loss, square_loss_grad, square_normalize, xor_data, zero_one_cost)
from book.learning_curves import Setting, fit_gaussian_batch, learning_curves, linear_error, paired_difference

X3, Y3 = blobs(n_per_class=5)                                   # three classes
X2, Y2 = blobs(n_per_class=5, centers=((0.0, 0.0), (1.5, 1.5)))  # two classes
XOR, YXOR = xor_data()
O = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
RNG = np.random.default_rng(0)

ROWS = []


def row(label: str, call, kind: type, *words: str) -> None:
    """One bad call: it must raise ``kind`` with every one of ``words`` in its message."""
    ROWS.append(pytest.param(call, kind, words, id=label))


# --- the standard bad values of each kind of argument ----------------------------------------------

NOT_NUMBERS = [("a string", "0.5", TypeError), ("None", None, TypeError), ("True", True, TypeError),
               ("nan", np.nan, ValueError), ("inf", np.inf, ValueError), ("an array", np.ones(2), ValueError)]
NOT_COUNTS = [("2.5", 2.5, TypeError), ("2.0", 2.0, TypeError), ("True", True, TypeError),
              ("None", None, TypeError), ("a string", "3", TypeError), ("-1", -1, ValueError)]
NOT_SEEDS = [("-1", -1, ValueError), ("1.5", 1.5, TypeError), ("None", None, TypeError),
             ("True", True, TypeError), ("a string", "0", TypeError)]
NOT_FLAGS = [("1", 1, TypeError), ("a string", "yes", TypeError), ("None", None, TypeError)]
NOT_AXES = [("1.0", 1.0, TypeError), ("True", True, TypeError), ("a string", "0", TypeError),
            ("None", None, TypeError), ("5", 5, ValueError)]
NOT_ARRAYS = [("booleans", np.array([[True, False]] * 3), TypeError, "boolean"),
              ("strings", np.array([["a", "b"]] * 3), TypeError, "numeric"),
              ("NaN", np.array([[0.0, np.nan]] * 3), ValueError, "NaN"),
              ("inf", np.array([[0.0, np.inf]] * 3), ValueError, "infinite"),
              ("complex", np.array([[1j, 0j]] * 3), TypeError, "real")]
NOT_LABELS = [("1e20", [0.0, 1.0, 1e20], ValueError, "out of range: 1e+20"),
              ("0.5", [0.0, 0.5, 1.0], ValueError, "non-integer"),
              ("NaN", [0.0, 1.0, np.nan], ValueError, "NaN"),
              ("inf", [0.0, 1.0, np.inf], ValueError, "infinite"),
              ("strings", ["a", "b", "a"], TypeError, "integer class labels"),
              ("-1", [0, 1, -1], ValueError, "out of range: -1")]


def numbers(label: str, make, name: str, skip=()) -> None:
    for what, value, kind in NOT_NUMBERS:
        if what not in skip:
            row(f"{label}-{name}={what}", lambda v=value: make(v), kind, name)


def counts(label: str, make, name: str, skip=()) -> None:
    for what, value, kind in NOT_COUNTS:
        if what not in skip:
            row(f"{label}-{name}={what}", lambda v=value: make(v), kind, name)


def seeds(label: str, make, name: str = "seed") -> None:
    for what, value, kind in NOT_SEEDS:
        row(f"{label}-{name}={what}", lambda v=value: make(v), kind, name, "non-negative integer")


def flags(label: str, make, name: str) -> None:
    for what, value, kind in NOT_FLAGS:
        row(f"{label}-{name}={what}", lambda v=value: make(v), kind, name, "True or False")


def arrays(label: str, make, name: str, skip=()) -> None:
    """``make`` gets a (3, 2) array of the bad kind."""
    for what, value, kind, word in NOT_ARRAYS:
        if what not in skip:
            row(f"{label}-{name}={what}", lambda v=value: make(v), kind, name, word)


def labels(label: str, make, name: str = "y") -> None:
    """``make`` gets three bad labels."""
    for what, value, kind, word in NOT_LABELS:
        row(f"{label}-{name}={what}", lambda v=value: make(v), kind, name, word)


# --- book.softmax ----------------------------------------------------------------------------------

for fn in (logsumexp, softmax, log_softmax, square_normalize):
    n = fn.__name__
    arrays(n, fn, "o", skip=("inf",))
    row(f"{n}-o=+inf", lambda f=fn: f([[0.0, np.inf]]), ValueError, "o contains", "inf")
    for what, value, kind in NOT_AXES:
        row(f"{n}-axis={what}", lambda f=fn, v=value: f(O, axis=v), kind, "axis")
for fn in (sigmoid, log_sigmoid, softplus):
    arrays(fn.__name__, fn, "z", skip=("inf",))  # ±inf is a valid z: σ(−inf) = 0
for fn in (cross_entropy, cross_entropy_grad):
    n = fn.__name__
    arrays(n, lambda o, f=fn: f(o, [0, 1, 0]), "o", skip=("inf",))
    labels(n, lambda y, f=fn: f(np.zeros((3, 3)), y))
    row(f"{n}-y=bad shape", lambda f=fn: f(O, [0, 1, 2]), ValueError, "y has shape")
labels("one_hot", lambda y: one_hot(y, 3))
counts("one_hot", lambda k: one_hot([0], k), "n_classes")
row("one_hot-n_classes=0", lambda: one_hot([0], 0), ValueError, "n_classes", "positive integer")
row("one_hot-a result over the cap", lambda: one_hot(np.zeros(10**5, int), 10**4), ValueError,
    "one-hot", "MAX_ELEMENTS")
row("one_hot-n_classes over the cap", lambda: one_hot([0], MAX_ELEMENTS + 1), ValueError, "n_classes", "at most")

# --- book.numcheck ---------------------------------------------------------------------------------

for fn in (gradient, jacobian, hessian):
    n = fn.__name__
    numbers(n, lambda h, f=fn: f(np.sum, [1.0, 2.0], h=h), "h", skip=("an array",))
    row(f"{n}-x=booleans", lambda f=fn: f(np.sum, [True, False]), TypeError, "x", "boolean")
    row(f"{n}-f=not a function", lambda f=fn: f(None, [1.0]), TypeError, "f must be a function")
row("flatten-params=[]", lambda: flatten([]), ValueError, "params", "empty")
row("flatten-params=[W, 'b']", lambda: flatten([np.ones(2), "b"]), TypeError, "params[1]", "numeric")
row("flatten-unflatten of another length", lambda: flatten([np.ones(2), np.ones(3)])[1](np.ones(4)), ValueError,
    "t", "length 5")
numbers("bound", lambda t: bound(0.0, t), "tol", skip=("an array",))
row("bound-error=True", lambda: bound(True), TypeError, "error", "boolean")

# --- book.data, book.features --------------------------------------------------------------------

counts("blobs", lambda n: blobs(n_per_class=n), "n_per_class")
numbers("blobs", lambda s: blobs(scale=s), "scale", skip=("an array",))
row("blobs-scale=0", lambda: blobs(scale=0.0), ValueError, "scale", "positive")
seeds("blobs", lambda s: blobs(seed=s))
row("blobs-centers=one", lambda: blobs(centers=[(0.0, 0.0)]), ValueError, "centers", "K >= 2")
row("blobs-centers=NaN", lambda: blobs(centers=[(0.0, np.nan), (1.0, 1.0)]), ValueError, "centers", "NaN")
row("blobs-centers=strings", lambda: blobs(centers=[("a", "b"), ("c", "d")]), TypeError, "centers", "numeric")
row("blobs-10^10 samples", lambda: blobs(n_per_class=10**10), ValueError, "MAX_ELEMENTS")
for make in (noisy_xor, rings):
    n = make.__name__
    counts(n, lambda k, m=make: m(n=k), "n")
    numbers(n, lambda s, m=make: m(n=20, noise=s), "noise", skip=("an array",))
    row(f"{n}-noise=-0.1", lambda m=make: m(noise=-0.1), ValueError, "noise", "≥ 0")
    seeds(n, lambda s, m=make: m(seed=s))
    row(f"{n}-10^10 samples", lambda m=make: m(n=10**10), ValueError, "MAX_ELEMENTS")
row("rings-radii=negative", lambda: rings(radii=(0.3, -1.0)), ValueError, "radii")
row("rings-center=3-D", lambda: rings(center=(0.0, 0.0, 0.0)), ValueError, "center")
arrays("distance_features", distance_features, "X")
row("distance_features-anchors=3-D", lambda: distance_features(XOR, ((0, 0, 0),)), ValueError, "anchors")
arrays("product_features", product_features, "X")

# --- book.scores ---------------------------------------------------------------------------------

counts("zero_one_cost", zero_one_cost, "n_classes")
row("zero_one_cost-n_classes=1", lambda: zero_one_cost(1), ValueError, "n_classes", "≥ 2")
row("zero_one_cost-K×K over the cap", lambda: zero_one_cost(10**5), ValueError, "cost matrix", "MAX_ELEMENTS")
counts("as_cost", lambda k: as_cost(None, k), "n_classes")
row("as_cost-cost=booleans", lambda: as_cost(np.eye(2, dtype=bool), 2), TypeError, "cost", "boolean")
row("as_cost-cost=negative", lambda: as_cost([[0, -1], [1, 0]], 2), ValueError, "cost", "negative")
for fn in (square_loss, square_loss_grad, margins, hinge_loss, hinge_grad):
    n = fn.__name__
    arrays(n, lambda o, f=fn: f(o, [0, 1, 0]), "O")
    labels(n, lambda y, f=fn: f(np.zeros((3, 3)), y))
for Model in (SquareLossScorer, MarginScorer):
    n = Model.__name__
    arrays(f"{n}.fit", lambda x, M=Model: M().fit(x, [0, 1, 0]), "X")
    labels(f"{n}.fit", lambda y, M=Model: M().fit(np.zeros((3, 2)), y))
    counts(f"{n}.fit", lambda k, M=Model: M().fit(X3, Y3, n_classes=k), "n_classes", skip=("None",))
    row(f"{n}.fit-a class without examples", lambda M=Model: M().fit(X3[Y3 != 1], Y3[Y3 != 1]), ValueError,
        "label 1 has no examples")
    row(f"{n}.fit-one class only", lambda M=Model: M().fit(X3, np.zeros(len(X3), int)), ValueError, "one class only")
    for method in ("logits", "predict"):
        row(f"{n}.{method}-before fit", lambda M=Model, m=method: getattr(M(), m)(X3), ValueError,
            "not fitted yet", "fit(X, y) first")
    row(f"{n}.loss-before fit", lambda M=Model: M().loss(X3, Y3), ValueError, "not fitted yet")
    row(f"{n}.from_weights-W=1-D", lambda M=Model: M.from_weights(np.zeros(3), np.zeros(3)), ValueError, "W must be")
    row(f"{n}.from_weights-b=wrong", lambda M=Model: M.from_weights(np.zeros((2, 3)), np.zeros(2)), ValueError,
        "b has shape")
numbers("MarginScorer", lambda r: MarginScorer(reg=r), "reg")
row("MarginScorer-reg=-1", lambda: MarginScorer(reg=-1.0), ValueError, "reg", "≥ 0")
numbers("MarginScorer", lambda r: MarginScorer(lr=r), "lr")
counts("MarginScorer", lambda s: MarginScorer(steps=s), "steps")
row("MarginScorer-steps over the cap", lambda: MarginScorer(steps=10**7), ValueError, "steps", "MAX_STEPS")
row("MarginScorer-steps=0", lambda: MarginScorer(steps=0), ValueError, "steps", "at least one step", "from_weights")
row("MarginScorer.from_weights-reg=-1", lambda: MarginScorer.from_weights(np.zeros((2, 3)), np.zeros(3), reg=-1.0),
    ValueError, "reg")
row("MarginScorer.from_weights-cost=wrong shape",
    lambda: MarginScorer.from_weights(np.zeros((2, 3)), np.zeros(3), cost=zero_one_cost(2)), ValueError, "cost has shape")
row("SquareLossScorer.from_weights-W=(d, 1)", lambda: SquareLossScorer.from_weights(np.zeros((2, 1)), np.zeros(1)),
    ValueError, "W must be", "K >= 2")
flags("MarginScorer", lambda w: MarginScorer(warm_start=w), "warm_start")
row("MarginScorer-cost=strings", lambda: MarginScorer(cost=[["0", "1"], ["1", "0"]]), TypeError, "cost", "numeric")
row("MarginScorer.fit-lr=1e300 diverges", lambda: MarginScorer(lr=1e300).fit(X3, Y3), ValueError,
    "diverged", "lr = 1e+300")
row("MarginScorer.step-before fit", lambda: MarginScorer().step(X3, Y3), ValueError, "not fitted yet")

# --- book.softmax_regression ---------------------------------------------------------------------

numbers("SoftmaxRegression", lambda r: SoftmaxRegression(lr=r), "lr")
row("SoftmaxRegression-lr=0", lambda: SoftmaxRegression(lr=0.0), ValueError, "lr", "positive")
counts("SoftmaxRegression", lambda s: SoftmaxRegression(steps=s), "steps")
row("SoftmaxRegression-10^7 steps", lambda: SoftmaxRegression(steps=10**7), ValueError, "steps", "100,000")
row("SoftmaxRegression-steps=0", lambda: SoftmaxRegression(steps=0), ValueError, "steps", "at least one step")
row("SoftmaxRegression.from_weights-W=1-D", lambda: SoftmaxRegression.from_weights(np.zeros(3), np.zeros(3)),
    ValueError, "W must be")
row("SoftmaxRegression.from_weights-W=(d, 1)", lambda: SoftmaxRegression.from_weights(np.zeros((2, 1)), np.zeros(1)),
    ValueError, "W must be", "K >= 2")
row("SoftmaxRegression.from_weights-b=wrong", lambda: SoftmaxRegression.from_weights(np.zeros((2, 3)), np.zeros(2)),
    ValueError, "b has shape")
row("SoftmaxRegression.from_weights-W=booleans",
    lambda: SoftmaxRegression.from_weights(np.ones((2, 3), bool), np.zeros(3)), TypeError, "W", "boolean")
row("SoftmaxRegression.from_weights-lr=0", lambda: SoftmaxRegression.from_weights(np.zeros((2, 3)), np.zeros(3), lr=0.0),
    ValueError, "lr")
arrays("SoftmaxRegression.fit", lambda x: SoftmaxRegression().fit(x, [0, 1, 0]), "X")
labels("SoftmaxRegression.fit", lambda y: SoftmaxRegression().fit(np.zeros((3, 2)), y))
counts("SoftmaxRegression.fit", lambda k: SoftmaxRegression().fit(X3, Y3, n_classes=k), "n_classes", skip=("None",))
row("SoftmaxRegression.fit-a class without examples",
    lambda: SoftmaxRegression().fit(X3[Y3 < 2], Y3[Y3 < 2], n_classes=3), ValueError, "label 2 has no examples")
row("SoftmaxRegression.fit-the middle class missing",
    lambda: SoftmaxRegression().fit(X3[Y3 != 1], Y3[Y3 != 1]), ValueError, "label 1 has no examples")
row("SoftmaxRegression.fit-W_init=wrong shape", lambda: SoftmaxRegression().fit(X3, Y3, W_init=np.zeros((3, 3))),
    ValueError, "W_init has shape")
row("SoftmaxRegression.fit-b_init=booleans", lambda: SoftmaxRegression().fit(X3, Y3, b_init=[True] * 3),
    TypeError, "b_init", "boolean")
row("SoftmaxRegression.fit-lr=1e300 diverges", lambda: SoftmaxRegression(lr=1e300).fit(X3, Y3), ValueError,
    "diverged", "lr = 1e+300")
row("SoftmaxRegression.fit-a path over the cap",
    lambda: SoftmaxRegression(steps=MAX_STEPS).fit(np.eye(3, 400), [0, 1, 2]), ValueError, "MAX_ELEMENTS")
for method in ("logits", "predict", "predict_proba"):
    row(f"SoftmaxRegression.{method}-before fit", lambda m=method: getattr(SoftmaxRegression(), m)(X3),
        ValueError, "not fitted yet", "fit(X, y) first")
row("SoftmaxRegression.step-before fit", lambda: SoftmaxRegression().step(X3, one_hot(Y3, 3)), ValueError,
    "not fitted yet")
row("SoftmaxRegression.step-Y not distributions",
    lambda: SoftmaxRegression.from_weights(np.zeros((2, 3)), np.zeros(3)).step(X3, 2 * one_hot(Y3, 3)), ValueError,
    "Y", "sums to")

# --- book.logistic ---------------------------------------------------------------------------------

arrays("logistic_loss", lambda z: logistic_loss(z, np.zeros((3, 2), int)), "z")
labels("logistic_loss", lambda y: logistic_loss([0.0, 1.0, 2.0], y))
row("logistic_loss-loss=hinge", lambda: logistic_loss([0.0], [0], "hinge"), ValueError, "loss must be one of")
row("logistic_loss-loss=None", lambda: logistic_loss([0.0], [0], None), TypeError, "loss must be one of")
arrays("loss_and_gradient", lambda x: loss_and_gradient([0.0, 0.0], 0.0, x, [0, 1, 0]), "X")
row("loss_and_gradient-coef=booleans", lambda: loss_and_gradient([True, False], 0.0, X2, Y2), TypeError, "coef")
row("loss_and_gradient-intercept=shape", lambda: loss_and_gradient([0.0, 0.0], [0.0, 1.0], X2, Y2), ValueError,
    "intercept has shape")
numbers("LogisticRegressionGD", lambda r: LogisticRegressionGD(lr=r), "lr")
counts("LogisticRegressionGD", lambda s: LogisticRegressionGD(steps=s), "steps")
row("LogisticRegressionGD-10^7 steps", lambda: LogisticRegressionGD(steps=10**7), ValueError, "steps", "MAX_STEPS")
row("LogisticRegressionGD-steps=0", lambda: LogisticRegressionGD(steps=0), ValueError, "steps", "at least one step")
row("LogisticRegressionGD.from_weights-W=(d, 2)",
    lambda: LogisticRegressionGD.from_weights(np.zeros((2, 2)), np.zeros(2)), ValueError, "W must be", "(d, 1)")
row("LogisticRegressionGD.from_weights-W=1-D", lambda: LogisticRegressionGD.from_weights(np.zeros(2), np.zeros(1)),
    ValueError, "W must be", "(d, 1)")
row("LogisticRegressionGD.from_weights-b=a number", lambda: LogisticRegressionGD.from_weights(np.zeros((2, 1)), 0.0),
    ValueError, "b has shape")
row("LogisticRegressionGD.from_weights-loss=hinge",
    lambda: LogisticRegressionGD.from_weights(np.zeros((2, 1)), np.zeros(1), loss="hinge"), ValueError, "loss")
row("LogisticRegressionGD-loss=hinge", lambda: LogisticRegressionGD(loss="hinge"), ValueError, "loss")
arrays("LogisticRegressionGD.fit", lambda x: LogisticRegressionGD().fit(x, [0, 1, 0]), "X")
labels("LogisticRegressionGD.fit", lambda y: LogisticRegressionGD().fit(np.zeros((3, 2)), y))
arrays("LogisticRegressionGD.fit", lambda w: LogisticRegressionGD().fit(X2, Y2, W_init=w[:2, 1:]), "W_init")
row("LogisticRegressionGD.fit-W_init=(d,)", lambda: LogisticRegressionGD().fit(X2, Y2, W_init=[0.0, 0.0]), ValueError,
    "W_init has shape", "(2, 1)")
row("LogisticRegressionGD.fit-b_init=a number", lambda: LogisticRegressionGD().fit(X2, Y2, b_init=0.5), ValueError,
    "b_init has shape", "(1,)")
row("LogisticRegressionGD.fit-b_init=[True]", lambda: LogisticRegressionGD().fit(X2, Y2, b_init=[True]), TypeError,
    "b_init", "boolean")
row("LogisticRegressionGD.fit-b_init=[NaN]", lambda: LogisticRegressionGD().fit(X2, Y2, b_init=[np.nan]), ValueError,
    "b_init", "NaN")
row("LogisticRegressionGD.fit-one class only", lambda: LogisticRegressionGD().fit(X2, np.ones(len(X2), int)),
    ValueError, "one class only")
row("LogisticRegressionGD.fit-label 2", lambda: LogisticRegressionGD().fit(X3, Y3), ValueError, "out of range: 2")
row("LogisticRegressionGD.fit-lr=1e300 diverges", lambda: LogisticRegressionGD(lr=1e300).fit(X2, Y2), ValueError,
    "diverged", "lr = 1e+300")
arrays("gd_paths", lambda x: gd_paths(x, [0, 1, 0], [0.5], 2), "X")
labels("gd_paths", lambda y: gd_paths(np.zeros((3, 2)), y, [0.5], 2))
counts("gd_paths", lambda s: gd_paths(X2, Y2, [0.5], s), "steps")
row("gd_paths-steps=0", lambda: gd_paths(X2, Y2, [0.5], 0), ValueError, "steps", "at least one step")
row("gd_paths-lrs=[True]", lambda: gd_paths(X2, Y2, [True], 2), TypeError, "lrs", "boolean")
row("gd_paths-lrs=[0.5, 0]", lambda: gd_paths(X2, Y2, [0.5, 0.0], 2), ValueError, "lrs", "positive")
row("gd_paths-lrs=[[0.5]]", lambda: gd_paths(X2, Y2, [[0.5]], 2), ValueError, "lrs", "1-D")
row("gd_paths-lrs=[]", lambda: gd_paths(X2, Y2, [], 2), ValueError, "lrs")
row("gd_paths-loss=hinge", lambda: gd_paths(X2, Y2, [0.5], 2, loss="hinge"), ValueError, "loss")
row("gd_paths-coef_init of the wrong shape", lambda: gd_paths(X2, Y2, [0.5], 2, coef_init=[1.0]), ValueError,
    "coef_init")
row("gd_paths-lrs=[1, 1e300] diverges", lambda: gd_paths(X2, Y2, [1.0, 1e300], 2), ValueError, "diverged", "lrs")
for method in ("logits", "predict", "predict_proba"):
    row(f"LogisticRegressionGD.{method}-before fit", lambda m=method: getattr(LogisticRegressionGD(), m)(X2),
        ValueError, "not fitted yet")
counts("logistic_newton", lambda s: logistic_newton(X2, Y2, steps=s), "steps")
row("logistic_newton-10^7 steps", lambda: logistic_newton(X2, Y2, steps=10**7), ValueError, "steps", "MAX_STEPS")
numbers("logistic_newton", lambda c: logistic_newton(X2, Y2, C=c), "C", skip=("inf",))  # C = inf is no penalty
row("logistic_newton-C=0", lambda: logistic_newton(X2, Y2, C=0.0), ValueError, "C", "positive")
arrays("logistic_newton", lambda x: logistic_newton(x, [0, 1, 0]), "X")
labels("logistic_newton", lambda y: logistic_newton(np.zeros((3, 2)), y))
counts("reliability_curve", lambda k: reliability_curve([0.2, 0.7], [0, 1], k), "n_bins")
row("reliability_curve-n_bins over the cap", lambda: reliability_curve([0.2], [0], 10**10), ValueError, "n_bins",
    "at most")
row("reliability_curve-p=1.2", lambda: reliability_curve([0.2, 1.2], [0, 1]), ValueError, "p must hold probabilities")
row("reliability_curve-p=booleans", lambda: reliability_curve([True, False], [0, 1]), TypeError, "p", "boolean")
labels("expected_calibration_error", lambda y: expected_calibration_error([0.2, 0.3, 0.4], y))

# --- book.generative ---------------------------------------------------------------------------------

flags("GaussianGenerative", lambda f: GaussianGenerative(shared_covariance=f), "shared_covariance")
flags("GaussianGenerative", lambda f: GaussianGenerative(naive=f), "naive")
numbers("GaussianGenerative", lambda r: GaussianGenerative(reg=r), "reg")
row("GaussianGenerative-reg=-1", lambda: GaussianGenerative(reg=-1.0), ValueError, "reg", "≥ 0")
flags("GaussianNaiveBayes", lambda f: GaussianNaiveBayes(shared_covariance=f), "shared_covariance")
arrays("GaussianGenerative.fit", lambda x: GaussianGenerative().fit(x, [0, 1, 0]), "X")
labels("GaussianGenerative.fit", lambda y: GaussianGenerative().fit(np.zeros((3, 2)), y))
row("GaussianGenerative.fit-a class without examples", lambda: GaussianGenerative().fit(X3[Y3 != 1], Y3[Y3 != 1]),
    ValueError, "label 1 has no examples")
for method in ("predict", "predict_proba", "predict_log_proba", "logits", "joint_log_density"):
    row(f"GaussianGenerative.{method}-before fit", lambda m=method: getattr(GaussianGenerative(), m)(X2),
        ValueError, "not fitted yet")
row("GaussianGenerative.W_-before fit", lambda: GaussianGenerative().W_, AttributeError, "not fitted yet")
row("GaussianGenerative.logits-X=wrong width", lambda: GaussianGenerative().fit(X2, Y2).logits(np.zeros((2, 3))),
    ValueError, "X has 3 features")
arrays("gaussian_log_density", lambda x: gaussian_log_density(x, [0.0, 0.0], np.eye(2)), "X")
row("gaussian_log_density-Sigma=booleans", lambda: gaussian_log_density(X2, [0.0, 0.0], np.eye(2, dtype=bool)),
    TypeError, "Sigma", "boolean")
row("gaussian_log_density-mu=strings", lambda: gaussian_log_density(X2, ["a", "b"], np.eye(2)), TypeError, "mu")
row("linear_logits-priors=zero", lambda: linear_logits([[0, 0], [1, 1]], np.eye(2), [1.0, 0.0]), ValueError,
    "priors must be positive")
counts("gaussian_classes", lambda n: gaussian_classes(n, [[0, 0], [1, 1]], np.eye(2)), "n_per_class")
row("gaussian_classes-n_per_class=[3, 0]", lambda: gaussian_classes([3, 0], [[0, 0], [1, 1]], np.eye(2)),
    ValueError, "n_per_class", "positive integers")
seeds("gaussian_classes", lambda s: gaussian_classes(3, [[0, 0], [1, 1]], np.eye(2), seed=s))
row("gaussian_classes-10^10 samples", lambda: gaussian_classes(10**10, [[0, 0], [1, 1]], np.eye(2)), ValueError,
    "MAX_ELEMENTS")

# --- book.expfamily ---------------------------------------------------------------------------------

THETA_OK = {"categorical": np.zeros(3), "bernoulli": 0.0, "poisson": 0.0, "geometric": -0.5,
        "gaussian": np.array([0.0, -0.5])}
for name, fam in families.items():
    for method in ("log_partition", "mean", "covariance", "from_natural"):
        for what, value, kind, word in [("a string", "a", TypeError, "numeric"), ("None", None, TypeError, "numeric"),
                                        ("True", True, TypeError, "boolean"), ("nan", np.nan, ValueError, "NaN"),
                                        ("inf", np.inf, ValueError, "infinite")]:
            theta = value if fam.dim == 1 else np.full(fam.dim, value, dtype=object if value is None else None)
            row(f"{name}.{method}-theta={what}", lambda f=fam, m=method, v=theta: getattr(f, m)(v), kind, "theta",
                word)
    counts(f"{name}.sample", lambda s, f=fam, theta=THETA_OK[name]: f.sample(theta, s, RNG), "size")
    row(f"{name}.sample-rng=0", lambda f=fam, theta=THETA_OK[name]: f.sample(theta, 3, 0), TypeError, "rng",
        "Generator")
    row(f"{name}.sample-10^10 draws", lambda f=fam, theta=THETA_OK[name]: f.sample(theta, 10**10, RNG), ValueError,
        "MAX_ELEMENTS")
    row(f"{name}.to_natural-no parameters", lambda f=fam: f.to_natural(), TypeError, "usual parameters")
row("gaussian.log_partition-in the domain, overflowing", lambda: families["gaussian"].log_partition([1e200, -0.5]),
    ValueError, "g(θ)", "overflows float64")
row("gaussian.mean-in the domain, overflowing", lambda: families["gaussian"].mean([1.0, -1e-310]),
    ValueError, "mean", "overflows float64")
row("gaussian.log_partition-outside the domain", lambda: families["gaussian"].log_partition([1.0, 0.2]),
    ValueError, "θ is outside the gaussian family's domain")
row("poisson.log_partition-rate overflows", lambda: families["poisson"].log_partition(1e3), ValueError,
    "overflows float64")
row("poisson.sample-rate too large", lambda: families["poisson"].sample(50.0, 3, RNG), ValueError,
    "too large to sample")
row("bernoulli.log_prob-x=2", lambda: families["bernoulli"].log_prob(2, 0.0), ValueError, "x", "out of range")
row("poisson.log_prob-x=booleans", lambda: families["poisson"].log_prob([True], 0.0), TypeError, "x", "boolean")
row("gaussian.to_natural-sigma overflowing", lambda: families["gaussian"].to_natural(mu=1.0, sigma=1e-200),
    ValueError, "natural parameter", "overflows")
counts("Categorical", Categorical, "n_classes")
row("Categorical-n_classes=1", lambda: Categorical(1), ValueError, "n_classes", "≥ 2")
counts("monte_carlo_moments", lambda n: monte_carlo_moments("poisson", 0.0, n, RNG), "n")
row("monte_carlo_moments-rng=None", lambda: monte_carlo_moments("poisson", 0.0, 10, None), TypeError, "rng")
row("monte_carlo_moments-family=weibull", lambda: monte_carlo_moments("weibull", 0.0, 10, RNG), ValueError,
    "unknown family")
counts("fit_family", lambda s: fit_family("poisson", [1, 2], max_steps=s), "max_steps")
row("fit_family-max_steps over the cap", lambda: fit_family("poisson", [1, 2], max_steps=10**7), ValueError,
    "max_steps", "MAX_STEPS")
numbers("fit_family", lambda t: fit_family("poisson", [1, 2], tol=t), "tol")
flags("fit_family", lambda d: fit_family("poisson", [1, 2], damped=d), "damped")
row("fit_family-a class never seen", lambda: fit_family("categorical", [0, 1, 0, 1]), ValueError, "class 2 has mean 0")

# --- book.mlp ---------------------------------------------------------------------------------------

for what, value, kind in NOT_COUNTS:
    row(f"MLP-sizes=[2, {what}]", lambda v=value: MLP([2, v]), kind, "sizes[1]")
row("MLP-sizes=a string", lambda: MLP("21"), TypeError, "sizes")
row("MLP-a network over the cap", lambda: MLP([10**5, 10**5]), ValueError, "weights", "MAX_ELEMENTS")
seeds("MLP", lambda s: MLP([2, 1], seed=s))
numbers("MLP", lambda i: MLP([2, 1], init=i), "init", skip=("a string",))
row("MLP-init=he", lambda: MLP([2, 1], init="he"), ValueError, "init must be one of")
row("MLP-init=-1", lambda: MLP([2, 1], init=-1.0), ValueError, "init", "≥ 0")
seeds("init_layers", lambda s: init_layers([2, 1], seed=s))
numbers("MLP", lambda r: MLP([2, 1], lr=r), "lr")
row("MLP-lr=0", lambda: MLP([2, 1], lr=0.0), ValueError, "lr", "positive")
counts("MLP", lambda s: MLP([2, 1], steps=s), "steps")
row("MLP-steps=0", lambda: MLP([2, 1], steps=0), ValueError, "steps", "at least one step")
row("MLP-10^7 steps", lambda: MLP([2, 1], steps=10**7), ValueError, "steps", "MAX_STEPS")
row("MLP.fit-lr=1e300 diverges", lambda: MLP([2, 2, 1], lr=1e300, steps=100).fit(XOR, YXOR), ValueError,
    "diverged", "lr = 1e+300")
row("MLP.fit-a class without examples", lambda: MLP([2, 3]).fit(X2, 2 * Y2), ValueError, "label 1 has no examples")
arrays("MLP.fit", lambda x: MLP([2, 1]).fit(x, [0, 1, 0]), "X")
for method in ("logits", "predict", "predict_proba"):
    row(f"MLP.{method}-X=wrong width", lambda m=method: getattr(MLP([3, 1]), m)(XOR), ValueError, "X has 2 features")
    arrays(f"MLP.{method}", lambda x, m=method: getattr(MLP([2, 1]), m)(x), "X")
labels("MLP.loss", lambda y: MLP([2, 1]).loss(np.zeros((3, 2)), y))
row("MLP.from_weights-not pairs", lambda: MLP.from_weights([np.zeros((2, 1))]), TypeError, "params")
row("MLP.from_weights-empty", lambda: MLP.from_weights([]), ValueError, "params is empty")
row("MLP.from_weights-do not chain", lambda: MLP.from_weights([(np.zeros((2, 3)), np.zeros(3)),
                                                               (np.zeros((2, 1)), np.zeros(1))]), ValueError, "chain")
row("MLP.from_weights-lr=None", lambda: MLP.from_weights([(np.zeros((2, 1)), np.zeros(1))], lr=None), TypeError, "lr")
row("MLP.from_weights-steps=0", lambda: MLP.from_weights([(np.zeros((2, 1)), np.zeros(1))], steps=0), ValueError,
    "steps")
row("MLP.from_weights-W=booleans", lambda: MLP.from_weights([(np.ones((2, 1), bool), np.zeros(1))]), TypeError,
    "W of layer 1", "boolean")
row("forward_pass-layers=pairs", lambda: forward_pass([(np.zeros((2, 1)), np.zeros(1))], XOR), TypeError, "layers")
row("forward_pass-X=wrong width", lambda: forward_pass(MLP([3, 1]).layers, XOR), ValueError, "X has 2 features")
row("backprop-Y=wrong shape", lambda: backprop(MLP([2, 1]).layers, XOR, np.zeros((4, 2))), ValueError, "Y has shape")
row("mean_loss-O=NaN", lambda: mean_loss(np.full((4, 1), np.nan), np.zeros((4, 1))), ValueError, "O contains NaN")
row("mean_loss-Y=wrong shape", lambda: mean_loss(np.zeros((4, 1)), np.zeros((3, 1))), ValueError, "Y has shape")
for what, value, kind in NOT_SEEDS:
    row(f"fit_many-seeds=[0, {what}]", lambda v=value: fit_many([2, 1], XOR, YXOR, [0, v], steps=2), kind, "seeds[1]")
row("fit_many-seeds=3", lambda: fit_many([2, 1], XOR, YXOR, 3), TypeError, "seeds")
row("fit_many-lr=[1, -1]", lambda: fit_many([2, 1], XOR, YXOR, [0, 1], lr=[1.0, -1.0]), ValueError, "lr")
row("fit_many-lr=[1, 1e300] diverges", lambda: fit_many([2, 2, 1], XOR, YXOR, [0, 1], lr=[1.0, 1e300], steps=50),
    ValueError, "diverged", "lr")
counts("fit_many", lambda e: fit_many([2, 1], XOR, YXOR, [0], steps=4, every=e), "every", skip=("None",))
row("fit_many-every=0", lambda: fit_many([2, 1], XOR, YXOR, [0], every=0), ValueError, "every")
row("fit_many-steps=0", lambda: fit_many([2, 1], XOR, YXOR, [0], steps=0), ValueError, "steps", "at least one step")
row("fit_many-10^7 steps", lambda: fit_many([2, 1], XOR, YXOR, [0], steps=10**7), ValueError, "steps", "MAX_STEPS")
row("fit_many-snapshots over the cap", lambda: fit_many([2, 1], XOR, YXOR, list(range(10**4)), steps=10**5,
                                                        every=1), ValueError, "MAX_ELEMENTS")
row("ManyFits.network-i too large", lambda: fit_many([2, 1], XOR, YXOR, [0], steps=2).network(1), ValueError, "i")
row("ManyFits.network-i=1.0", lambda: fit_many([2, 1], XOR, YXOR, [0], steps=2).network(1.0), TypeError, "i")

# --- book.learning_curves ---------------------------------------------------------------------------

numbers("Setting", lambda c: Setting(contamination=c), "contamination")
row("Setting-contamination=1", lambda: Setting(contamination=1.0), ValueError, "contamination", "< 1")
numbers("Setting", lambda s: Setting(cluster_scale=s), "cluster_scale")
row("Setting-mean1=3-D", lambda: Setting(mean1=(1.0, 2.0, 3.0)), ValueError, "mean1")
counts("Setting.sample", lambda n: Setting().sample(n, RNG), "n")
row("Setting.sample-rng=0", lambda: Setting().sample(10, 0), TypeError, "rng", "Generator")
counts("Setting.sample", lambda r: Setting().sample(10, RNG, repeats=r), "repeats", skip=("None",))
row("Setting.sample-10^10 samples", lambda: Setting().sample(10**10, RNG), ValueError, "MAX_ELEMENTS")
row("linear_error-setting=a string", lambda: linear_error("wrong", [1.0, 0.0], 0.0), TypeError, "setting")
flags("fit_gaussian_batch", lambda f: fit_gaussian_batch(X2, Y2, naive=f), "naive")
counts("learning_curves", lambda r: learning_curves(Setting(), (10,), repeats=r), "repeats")
seeds("learning_curves", lambda s: learning_curves(Setting(), (10,), repeats=3, seed=s))
numbers("learning_curves", lambda c: learning_curves(Setting(), (10,), repeats=3, C=c), "C", skip=("inf",))
counts("learning_curves", lambda k: learning_curves(Setting(), (10,), repeats=3, newton_steps=k), "newton_steps")
row("learning_curves-sizes=booleans", lambda: learning_curves(Setting(), (True,), repeats=3), ValueError, "sizes")
row("learning_curves-too large", lambda: learning_curves(Setting(), (10**6,), repeats=10**3), ValueError,
    "MAX_ELEMENTS")
numbers("paired_difference", lambda z: paired_difference(np.zeros((2, 3)), np.ones((2, 3)), z), "z")

# --- book.plotting and book.widgets ------------------------------------------------------------------

from book.plotting import class_cmap, decision_regions, grid, scatter_classes  # noqa: E402
from book.widgets import Canvas, dropdown, float_slider, int_slider  # noqa: E402

counts("grid", lambda n: grid(n=n), "n")
row("grid-10^6 points a side", lambda: grid(n=10**6), ValueError, "MAX_ELEMENTS")
row("grid-xlim=reversed", lambda: grid(xlim=(1.0, -1.0)), ValueError, "xlim")
row("grid-ylim=strings", lambda: grid(ylim=("a", "b")), TypeError, "ylim")
counts("class_cmap", class_cmap, "n_classes")
row("class_cmap-7 classes", lambda: class_cmap(7), ValueError, "n_classes", "class colours")
numbers("class_cmap", lambda a: class_cmap(2, alpha=a), "alpha")
row("decision_regions-predict=None", lambda: decision_regions(None, None, 2), TypeError, "predict")
row("decision_regions-labels out of range", lambda: decision_regions(None, lambda P: np.full(len(P), 5), 2, n=3),
    ValueError, "predict(points)", "out of range")
labels("scatter_classes", lambda y: scatter_classes(None, np.zeros((3, 2)), y))
arrays("scatter_classes", lambda x: scatter_classes(None, x, [0, 1, 0]), "X")
numbers("float_slider", lambda v: float_slider(v, 0.0, 1.0, 0.1, "slope"), "slope: start value")
counts("int_slider", lambda v: int_slider(v, -5, 5, "count"), "count: start value", skip=("-1",))
row("int_slider-outside", lambda: int_slider(9, 0, 4, "count"), ValueError, "count", "outside")
row("dropdown-None", lambda: dropdown(None, ["a", "b"], "letter"), ValueError, "letter", "not one of")
row("dropdown-True for 1", lambda: dropdown(True, [0, 1], "label"), ValueError, "label", "not one of")
counts("Canvas", lambda n: Canvas(nrows=n), "nrows")
counts("Canvas", lambda d: Canvas(dpi=d), "dpi")


# --- every explorer's arguments, and its drop-downs' values ------------------------------------------

import book.explorers  # noqa: E402  registers every explorer

BAD_START = {float: [("a string", "1", TypeError, "must be a number"), ("None", None, TypeError, "must be a number"),
                     ("True", True, TypeError, "boolean"), ("nan", np.nan, ValueError, "must be a number")],
             int: [("1.0", 1.0, TypeError, "must be an integer"), ("None", None, TypeError, "must be an integer"),
                   ("True", True, TypeError, "boolean")],
             str: [("None", None, TypeError, "must be a string"), ("1", 1, TypeError, "must be a string")]}
OUTSIDE = {float: 1e9, int: 10**9, str: "nonsense"}

for ex_name, make in sorted(book.explorers.ALL.items()):
    for arg, param in inspect.signature(make).parameters.items():
        kind_of = type(param.default)
        for what, value, kind, word in BAD_START[kind_of]:
            row(f"{ex_name}-{arg}={what}", lambda m=make, a=arg, v=value: m(**{a: v}), kind, f"{ex_name}: {arg}", word)
        row(f"{ex_name}-{arg} out of range", lambda m=make, a=arg, v=OUTSIDE[kind_of]: m(**{a: v}), ValueError,
            "start value")


from book.softmax import smoothed_target  # noqa: E402

counts("smoothed_target", lambda k: smoothed_target(k, 0.1), "label")
row("smoothed_target-label=3", lambda: smoothed_target(3, 0.1), ValueError, "label", "at most 2")
numbers("smoothed_target", lambda e: smoothed_target(0, e), "smoothing")
row("smoothed_target-smoothing=1.5", lambda: smoothed_target(0, 1.5), ValueError, "smoothing", "≤ 1")
counts("smoothed_target", lambda k: smoothed_target(0, 0.1, k), "n_classes")
for what, value, kind in [("a string", "a", TypeError), ("None", None, TypeError), ("True", True, TypeError)]:
    row(f"in_domain-theta={what}", lambda v=value: families["poisson"].in_domain(v), kind, "theta")


@pytest.mark.parametrize("call, kind, words", ROWS)
def test_a_bad_argument_gets_an_error_that_names_it(call, kind, words):
    with pytest.raises(kind) as caught:
        call()
    message = str(caught.value)
    assert all(w in message for w in words), f"{message!r} lacks one of {words}"
    assert isinstance(caught.value, (ValueError, TypeError)), "every door raises ValueError or TypeError"


def test_there_are_a_few_hundred_rows():
    assert len(ROWS) >= 300


@pytest.mark.parametrize("ex_name", ["softmax_explorer", "cross_entropy_explorer", "expfamily_explorer",
                                     "generative_explorer", "distance_transform_explorer"])
def test_an_explorers_drop_down_set_to_none_names_the_control(ex_name):
    ex = book.explorers.ALL[ex_name]()
    from ipywidgets import Dropdown

    (key, menu), = [(k, c) for k, c in ex.controls.items() if isinstance(c, Dropdown)]
    with pytest.raises(ValueError, match=f"{menu.description}: None is not one of"):
        menu.value = None
