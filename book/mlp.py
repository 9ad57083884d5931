"""A small neural network: logistic-regression units in layers,
trained by backpropagation.

Layer l = 1, …, D (D the depth) turns its input h_{l-1} (h_0 = x) into a_l = h_{l-1} W_l
+ b_l, with W_l of shape (inputs, outputs). A hidden layer passes on h_l = σ(a_l);
the last layer's a_D is the output logits o. With one output unit,
P(C_1 | x) = σ(o) (labels 0/1); with K ≥ 2 output units, p = softmax(o) (labels 0..K−1).
``MLP([d, 1])`` is therefore exactly logistic regression, and ``MLP([2, 2, 1])`` is
three logistic regressions in a cascade.

The loss is the cross-entropy averaged over the n examples. Its gradient comes from
backpropagation (:func:`backprop`): δ_D = ∂L/∂o = (p − y)/n at the output, then,
layer by layer backwards, ∂L/∂W_l = h_{l-1}ᵀ δ_l, ∂L/∂b_l = Σ_m (δ_l)_m (a sum over the
examples) and δ_{l-1} = (δ_l W_lᵀ) ⊙ h_{l-1} ⊙ (1 − h_{l-1}).

Every function here also accepts parameters with a leading batch axis (W of shape
(B, inputs, outputs), b of shape (B, outputs)): B networks on the same data in one
array, which is how :func:`fit_many` trains a hundred random starts at the cost of one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from book.checks import (
    as_choice,
    as_class_labels,
    as_count,
    as_design_matrix,
    as_float_array,
    as_labels,
    as_learning_rate,
    as_nonnegative,
    as_seed,
    as_steps,
    check_fit_is_finite,
    check_same_length,
    check_size,
    fit_guard,
)
from book.models import _label, _proba
from book.softmax import cross_entropy, one_hot, sigmoid, softmax, softplus

__all__ = [
    "Layer",
    "MLP",
    "init_layers",
    "forward_pass",
    "mean_loss",
    "backprop",
    "fit_many",
    "ManyFits",
]


@dataclass
class Layer:
    """One fully connected layer: a = h W + b, with W of
    shape (inputs, outputs) and b of shape (outputs,)."""

    W: np.ndarray
    b: np.ndarray


def _check_sizes(sizes) -> list[int]:
    """Layer widths [d, h_1, …, K]: at least two, each a positive integer."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(
            f"sizes must be a sequence of layer widths such as [2, 2, 1], got {sizes!r}"
        )
    if len(sizes) < 2:
        raise ValueError(
            f"sizes needs at least an input and an output width, got {list(sizes)}"
        )
    widths = [as_count(s, f"sizes[{i}]", minimum=1) for i, s in enumerate(sizes)]
    check_size(
        sum((a + 1) * b for a, b in zip(widths[:-1], widths[1:])),
        "the network's weights",
    )
    return widths


def _check_init(init):
    """``"glorot"`` or a standard deviation σ ≥ 0."""
    return (
        as_choice(init, "init", ("glorot",))
        if isinstance(init, str)
        else as_nonnegative(init, "init")
    )


def _check_layers(layers, X) -> np.ndarray:
    """Check a list of Layer (W of shape (..., inputs, outputs), b (..., outputs)) that
    chain, and X (n, inputs)."""
    if (
        not isinstance(layers, (list, tuple))
        or not layers
        or not all(isinstance(l, Layer) for l in layers)
    ):
        raise TypeError(
            "layers must be a non-empty list of book.mlp.Layer, got "
            f"{type(layers).__name__}"
        )
    for l, layer in enumerate(layers, start=1):
        W, b = (
            as_float_array(layer.W, f"W of layer {l}"),
            as_float_array(layer.b, f"b of layer {l}"),
        )
        if W.ndim < 2 or b.shape != W.shape[:-2] + W.shape[-1:]:
            raise ValueError(
                f"layer {l} has W of shape {W.shape} and b of shape {b.shape}: W must "
                "be "
                f"(..., inputs, outputs) and b (..., outputs)"
            )
        if l > 1 and layers[l - 2].W.shape[-1] != W.shape[-2]:
            raise ValueError(
                f"layers do not chain: layer {l - 1} has {layers[l - 2].W.shape[-1]} "
                "outputs "
                f"but layer {l}'s W expects {W.shape[-2]} inputs"
            )
    return as_design_matrix(X, n_features=layers[0].W.shape[-2])


def init_layers(sizes, seed: int = 0, init: str | float = "glorot") -> list[Layer]:
    """Random starting weights for a network of
    widths ``sizes``, the same for the same seed.

    ``init="glorot"`` (the default): W ~ Uniform(−a, a) with a
    = √(6 / (inputs + outputs)), b = 0 (Glorot and Bengio's choice,
    which keeps the scale of the signal about the same from layer to layer).
    A number σ ≥ 0 instead draws every weight *and* bias from N(0, σ²);
    σ = 0 starts at exactly zero. Raises ``ValueError`` for a negative σ,
    an unknown name or a negative seed, ``TypeError`` for a seed that is not an integer.
    """
    sizes = _check_sizes(sizes)
    init = _check_init(init)
    rng = np.random.default_rng(as_seed(seed))
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if init == "glorot":
            a = np.sqrt(6.0 / (n_in + n_out))
            layers.append(Layer(rng.uniform(-a, a, (n_in, n_out)), np.zeros(n_out)))
        else:
            layers.append(
                Layer(
                    init * rng.standard_normal((n_in, n_out)),
                    init * rng.standard_normal(n_out),
                )
            )
    return layers


def forward_pass(layers: list[Layer], X) -> list[np.ndarray]:
    """Every layer's output for inputs X (n × d): [h_0 = X, h_1, …, h_{D-1}, o].

    h_l = σ(h_{l-1} W_l + b_l) for the hidden layers; the last entry is the output
    logits o = h_{D-1} W_D + b_D, shape (n, K) (or (B, n, K) for batched parameters).
    Raises ``TypeError`` unless ``layers`` is a list of :class:`Layer`, ``ValueError``
    for layers that do not chain or an X of the wrong width.
    """
    return _forward(layers, _check_layers(layers, X))


def _forward(layers: list[Layer], X: np.ndarray) -> list[np.ndarray]:
    """:func:`forward_pass` on checked input."""
    H = [X]
    for l, layer in enumerate(layers):
        a = H[-1] @ layer.W + layer.b[..., None, :]
        H.append(a if l == len(layers) - 1 else sigmoid(a))
    return H


def _output_probs(O: np.ndarray) -> np.ndarray:
    """σ(o) for one output unit, softmax(o) for several: P(class | x), shaped like O."""
    return sigmoid(O) if O.shape[-1] == 1 else softmax(O, axis=-1)


def mean_loss(O, Y) -> np.ndarray:
    """Mean cross-entropy of logits O against targets Y (0/1 column, or one-hot rows).

    One output unit: −[y log σ(o) + (1 − y) log σ(−o)] = −log σ(±o),
    with + for y = 1 and − for y = 0 (because 1 − σ(o) = σ(−o)),
    computed as softplus(∓o) = −log σ(±o), so that no log 0 appears. Several:
    log Σ_k e^{o_k} − o_y (``cross_entropy``). Averaged over the examples: a scalar,
    or shape (B,) for batched logits. Raises ``ValueError`` for NaN or infinite logits
    and targets that do not broadcast against O.
    """
    O = as_float_array(O, "O", min_ndim=2)
    Y = as_float_array(Y, "Y", min_ndim=2)
    try:
        np.broadcast_shapes(O.shape, Y.shape)
    except ValueError:
        raise ValueError(
            f"Y has shape {Y.shape}, which does not broadcast against O's {O.shape}"
        ) from None
    return _mean_loss(O, Y)


def _mean_loss(O: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """:func:`mean_loss` on checked input."""
    if O.shape[-1] == 1:
        per_example = softplus((1 - 2 * Y) * O)[..., 0]
    else:
        per_example = cross_entropy(O, np.broadcast_to(Y, O.shape))
    return per_example.mean(axis=-1)


def backprop(
    layers: list[Layer], X, Y, H: list[np.ndarray] | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The gradient of the mean cross-entropy, [(∂L/∂W_l, ∂L/∂b_l) for each layer],
    by the chain rule.

    δ_D = ∂L/∂o = (p − y)/n, where p = σ(o) or softmax(o): the output's error.
    For l = D, …, 1: ∂L/∂W_l = h_{l-1}ᵀ δ_l and ∂L/∂b_l = Σ_m (δ_l)_m,
    then the error moves one layer back through W_l and the sigmoid's
    slope σ' = h(1 − h): δ_{l-1} = (δ_l W_lᵀ) ⊙ h_{l-1} ⊙ (1 − h_{l-1}).
    ``H`` is the forward pass, if already computed. ``Y`` holds the targets, one row per
    example (a 0/1 column for one output unit, one-hot rows for several). Raises as
    :func:`forward_pass` does, and ``ValueError`` for Y of the wrong shape.
    """
    X = _check_layers(layers, X)
    Y = as_float_array(Y, "Y", min_ndim=2)
    if Y.shape != (len(X), layers[-1].W.shape[-1]):
        raise ValueError(
            f"Y has shape {Y.shape}, expected {(len(X), layers[-1].W.shape[-1])} "
            f"(one row of targets per example, one column per output unit)"
        )
    return _backprop(layers, X, Y, H)


def _backprop(
    layers: list[Layer], X: np.ndarray, Y: np.ndarray, H: list[np.ndarray] | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`backprop` on checked input."""
    H = _forward(layers, X) if H is None else H
    # an error below the smallest float is 0: harmless
    with np.errstate(under="ignore"):
        delta = (_output_probs(H[-1]) - Y) / X.shape[0]
        grads = []
        for l in range(len(layers), 0, -1):
            h_in = H[l - 1]
            grads.append((h_in.swapaxes(-1, -2) @ delta, delta.sum(axis=-2)))
            if l > 1:
                delta = (delta @ layers[l - 1].W.swapaxes(-1, -2)) * h_in * (1 - h_in)
    return grads[::-1]


def _descend(layers: list[Layer], grads, rate_W, rate_b) -> None:
    """One gradient step in place: W ← W − η ∂L/∂W, b ← b − η ∂L/∂b."""
    with np.errstate(under="ignore"):
        for layer, (dW, db) in zip(layers, grads):
            layer.W -= rate_W * dW
            layer.b -= rate_b * db


def _train(
    layers: list[Layer],
    X: np.ndarray,
    Y: np.ndarray,
    lr,
    steps: int,
    recorded: list[int],
) -> tuple[np.ndarray, list[list[Layer]]]:
    """The one training loop: ``steps`` gradient steps of B stacked
    networks in place, one rate each, checked at the end.

    ``layers`` hold W (B, inputs, outputs) and b (B, outputs); ``lr`` is one
    rate for all or one per network (B,).
    Returns the losses (B, steps + 1), before every step and after the last,
    and copies of the weights at the steps in ``recorded``. :meth:`MLP.fit` is
    the batch of one; :func:`fit_many` the batch of its seeds.
    """
    rate_W, rate_b = np.reshape(lr, (-1, 1, 1)), np.reshape(lr, (-1, 1))
    saved = []
    history = np.empty((len(layers[0].b), steps + 1))
    with fit_guard(lr):
        for t in range(steps + 1):
            if recorded and t == recorded[len(saved)]:
                saved.append(
                    [Layer(layer.W.copy(), layer.b.copy()) for layer in layers]
                )
            H = _forward(layers, X)
            history[:, t] = _mean_loss(H[-1], Y)
            if t == steps:
                break
            _descend(layers, _backprop(layers, X, Y, H), rate_W, rate_b)
    check_fit_is_finite(
        lr,
        float(np.sum(history[:, -1])),
        *(p for layer in layers for p in (layer.W, layer.b)),
    )
    return history, saved


class MLP:
    """A fully connected network of sigmoid units:
    widths ``sizes = [d, h_1, …, h_{D-1}, K]``.

    The output is one sigmoid unit when K = 1 (two classes, labels 0/1: one logit, as in
    logistic regression) and a softmax over K ≥ 2 units otherwise (labels 0..K−1).
    As every model of the book: :meth:`logits` has one column per output unit,
    (n, 1) or (n, K); :meth:`predict_proba` one column per class,
    (σ(−o), σ(o)) of shape (n, 2) for one unit; ``history_`` after :meth:`fit`.
    ``layers`` holds each layer's ``W`` (inputs, outputs) and ``b``,
    drawn by :func:`init_layers` from ``seed`` (Glorot's uniform start by default,
    which trains a 2-2-1 network on XOR to a solution from most seeds).
    Training is full-batch gradient descent with the hyper-parameters ``lr`` and
    ``steps``, so the same seed gives the same network. Raises ``ValueError`` for widths
    that are not positive integers, a bad ``lr`` or ``steps``, inputs of the wrong width
    and labels out of range.
    """

    def __init__(
        self,
        sizes,
        seed: int = 0,
        init: str | float = "glorot",
        lr: float = 2.0,
        steps: int = 5000,
    ):
        self.sizes = _check_sizes(sizes)
        self.layers = init_layers(self.sizes, seed, init)
        self.lr = as_learning_rate(lr)
        self.steps = as_steps(steps)

    @classmethod
    def from_weights(cls, params, lr: float = 2.0, steps: int = 5000) -> "MLP":
        """A network with the given weights: ``params``
        is a list of (W, b) pairs, W of shape (inputs, outputs).

        The weights are copied; ``lr`` and ``steps`` are for a later :meth:`fit`. Raises
        ``ValueError`` when a W is not 2-D, a b does not match its W, or one layer's
        outputs do not chain into the next layer's inputs, and ``TypeError`` when
        ``params`` is not a list of (W, b) pairs.
        """
        if (
            isinstance(params, (str, bytes))
            or not isinstance(params, Sequence)
            or not all(isinstance(p, Sequence) and len(p) == 2 for p in params)
        ):
            raise TypeError(
                "params must be a list of (W, b) pairs, one per layer, got "
                f"{type(params).__name__}"
            )
        layers = []
        for l, (W, b) in enumerate(params, start=1):
            W = as_float_array(W, f"W of layer {l}")
            b = as_float_array(b, f"b of layer {l}")
            if W.ndim != 2:
                raise ValueError(
                    f"W of layer {l} must be 2-D (inputs, outputs), got shape {W.shape}"
                )
            if b.shape != (W.shape[1],):
                raise ValueError(
                    f"b of layer {l} has shape {b.shape}, expected ({W.shape[1]},) to "
                    "match W"
                )
            if layers and layers[-1].W.shape[1] != W.shape[0]:
                raise ValueError(
                    f"layers do not chain: layer {l - 1} has {layers[-1].W.shape[1]} "
                    "outputs "
                    f"but layer {l}'s W expects {W.shape[0]} inputs"
                )
            layers.append(Layer(W.astype(np.float64), b.astype(np.float64)))
        if not layers:
            raise ValueError("params is empty: a network needs at least one layer")
        net = cls.__new__(cls)
        net.sizes = [layers[0].W.shape[0]] + [layer.W.shape[1] for layer in layers]
        net.layers = layers
        net.lr, net.steps = as_learning_rate(lr), as_steps(steps)
        return net

    @property
    def n_classes(self) -> int:
        """2 for one sigmoid output unit, K for a softmax over K units."""
        return max(2, self.sizes[-1])

    def _inputs(self, X) -> np.ndarray:
        return as_design_matrix(X, n_features=self.sizes[0]).astype(float, copy=False)

    def _targets(self, X: np.ndarray, y, *, fitting: bool = False) -> np.ndarray:
        """Labels as the output's targets: a 0/1 column
        for one sigmoid unit, one-hot rows for a softmax.

        When ``fitting``, every class must occur (the one rule of every fit).
        """
        if fitting:
            y, _ = as_class_labels(y, self.n_classes)
        else:
            y = as_labels(y, self.n_classes)
            if y.ndim != 1:
                raise ValueError(
                    f"y must be 1-D (one label per example), got shape {y.shape}"
                )
        check_same_length(X, y)
        return (
            y[:, None].astype(float)
            if self.sizes[-1] == 1
            else one_hot(y, self.n_classes)
        )

    def forward(self, X) -> list[np.ndarray]:
        """Every layer's output: [X, h_1, …, h_{D-1}, o],
        hidden layers in (0, 1), o the output logits (n, K)."""
        return _forward(self.layers, self._inputs(X))

    def loss(self, X, y) -> float:
        """The cross-entropy averaged over the examples, L
        = (1/n) Σ_m −log P(y_m | x_m)."""
        X = self._inputs(X)
        return float(_mean_loss(_forward(self.layers, X)[-1], self._targets(X, y)))

    def gradients(self, X, y) -> list[tuple[np.ndarray, np.ndarray]]:
        """[(∂L/∂W, ∂L/∂b) for each layer], shaped like W and b, by :func:`backprop`."""
        X = self._inputs(X)
        return _backprop(self.layers, X, self._targets(X, y))

    def fit(self, X, y) -> "MLP":
        """``steps`` steps of full-batch gradient descent,
        W ← W − lr ∂L/∂W (and b alike), from the current weights.

        ``history_`` holds the loss before every step and after the
        last (steps + 1 values). Returns self. Raises ``ValueError`` for a class without
        examples and a fit whose loss or weights stop being
        finite (too large an ``lr``). Separable data (XOR after a good transform,
        or solved by a hidden layer) give no warning: chapter 6 fits them on purpose.
        """
        X = self._inputs(X)
        Y = self._targets(X, y, fitting=True)
        batch = [
            Layer(layer.W[None].copy(), layer.b[None].copy()) for layer in self.layers
        ]
        history, _ = _train(batch, X, Y, self.lr, self.steps, [])
        for layer, trained in zip(self.layers, batch):
            layer.W[...], layer.b[...] = trained.W[0], trained.b[0]
        self.history_ = history[0]
        return self

    def logits(self, X) -> np.ndarray:
        """The output logits o, one column per output unit:
        shape (n, 1) for one sigmoid unit, (n, K) for a softmax."""
        return self.forward(X)[-1]

    def predict_proba(self, X) -> np.ndarray:
        """P(class | x), shape (n, K) for every K:
        (σ(−o), σ(o)) for one output unit, softmax(o) otherwise."""
        return _proba(self.logits(X))

    def predict(self, X) -> np.ndarray:
        """The predicted label: 1 where σ(o) > ½ (o > 0) for
        one output unit, else the largest logit."""
        return _label(self.logits(X))


def _check_rates(lr) -> np.ndarray | float:
    """One learning rate, or one per network (a 1-D array): positive finite numbers."""
    if np.ndim(lr) == 0:
        return as_learning_rate(lr)
    lr_arr = as_float_array(lr, "lr")
    if lr_arr.ndim != 1 or (lr_arr <= 0).any():
        raise ValueError(
            "lr must be a positive number or a 1-D list of them, one per seed, got "
            f"{lr!r}"
        )
    return lr_arr


@dataclass
class ManyFits:
    """B networks trained side by side by :func:`fit_many`.

    ``layers``: the final weights, each W of shape (B, inputs, outputs) and
    b (B, outputs). ``history``: (B, steps + 1) losses, as ``MLP.history_`` for each
    network. ``recorded``: the steps at which weights were
    saved (0, every, 2·every, …, steps), and ``snapshots``: those weights,
    each W of shape (T, B, inputs, outputs), b (T, B, outputs).
    """

    sizes: list[int]
    layers: list[Layer]
    history: np.ndarray
    recorded: np.ndarray
    snapshots: list[Layer]

    def network(self, i: int, t: int | None = None) -> MLP:
        """Network i as an :class:`MLP`: its final
        weights, or those saved at snapshot index t."""
        i = as_count(
            i,
            "i",
            maximum=len(self.history) - 1,
            why="the networks are numbered from 0",
        )
        if t is not None:
            t = as_count(
                t,
                "t",
                maximum=len(self.recorded) - 1,
                why="one index per saved snapshot",
            )
        source = (
            self.layers
            if t is None
            else [Layer(s.W[t], s.b[t]) for s in self.snapshots]
        )
        return MLP.from_weights([(layer.W[i], layer.b[i]) for layer in source])


def fit_many(
    sizes,
    X,
    y,
    seeds,
    *,
    lr=2.0,
    steps: int = 5000,
    init="glorot",
    every: int | None = None,
) -> ManyFits:
    """Train one network per seed at once:
    ``MLP(sizes, seed, init, lr, steps).fit(X, y)`` for every seed.

    The weights of all B networks are stacked along a leading axis and updated by the
    same NumPy operations, so a hundred starts cost little more than one.
    ``lr`` and ``init`` are one value for all, or a list with one per seed.
    With ``every``, the weights are saved every ``every`` steps (and at the end) for
    replaying the training. Raises what :class:`MLP` and its ``fit`` raise,
    and ``ValueError`` for an empty ``seeds``, ``lr`` or ``init`` of the wrong length,
    or ``every`` < 1.
    """
    if isinstance(seeds, (str, bytes)) or np.ndim(seeds) != 1:
        raise TypeError(
            f"seeds must be a list of seeds, one per network, got {seeds!r}"
        )
    seeds = [as_seed(s, f"seeds[{k}]") for k, s in enumerate(seeds)]
    if not seeds:
        raise ValueError("seeds is empty: give at least one seed")
    lr, steps = _check_rates(lr), as_steps(steps)
    if np.ndim(lr) == 1 and len(lr) != len(seeds):
        raise ValueError(f"lr has {len(lr)} rates for {len(seeds)} seeds")
    inits = list(init) if isinstance(init, (list, tuple)) else [init] * len(seeds)
    if len(inits) != len(seeds):
        raise ValueError(f"init has {len(inits)} entries for {len(seeds)} seeds")
    if every is not None:
        every = as_count(every, "every", minimum=1)
    template = MLP(sizes, seed=seeds[0], init=inits[0])
    X = template._inputs(X)
    Y = template._targets(X, y, fitting=True)
    n_params = sum(layer.W.size + layer.b.size for layer in template.layers)
    n_saved = 0 if every is None else steps // every + 2
    check_size(
        len(seeds) * (n_params * (1 + n_saved) + steps + 1),
        "the networks, their snapshots and histories",
    )
    starts = [init_layers(template.sizes, s, i) for s, i in zip(seeds, inits)]
    layers = [
        Layer(np.stack([s[l].W for s in starts]), np.stack([s[l].b for s in starts]))
        for l in range(len(template.layers))
    ]
    recorded = [] if every is None else sorted(set(range(0, steps, every)) | {steps})
    history, saved = _train(layers, X, Y, lr, steps, recorded)
    snapshots = (
        [
            Layer(np.stack([s[l].W for s in saved]), np.stack([s[l].b for s in saved]))
            for l in range(len(layers))
        ]
        if saved
        else []
    )
    return ManyFits(
        template.sizes, layers, history, np.array(recorded, dtype=np.int64), snapshots
    )
