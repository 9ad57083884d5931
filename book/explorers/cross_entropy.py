"""Chapter 3's explorers: the cross-entropy over the plane of logits,
and gradient descent of softmax regression."""

from __future__ import annotations

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize

from book.data import blobs
from book.plotting import CLASS_COLORS, class_markers, grid
from book.softmax import cross_entropy, cross_entropy_grad, smoothed_target, softmax
from book.softmax_regression import SoftmaxRegression
from book.widgets import Canvas, Explorer, dropdown, explorer, float_slider, int_slider

__all__ = [
    "cross_entropy_explorer",
    "gradient_descent_explorer",
    "plane_logits",
    "gradient_descent_paths",
]

K = 3
NAMES = [f"class {k}" for k in range(K)]

#: The plane of logit differences (o₁ − o₀, o₂ − o₀) shown by the first explorer.
PLANE = (-6.0, 6.0)
#: Colour scale of the loss over the plane:
#: losses above this are drawn in the top colour.
PLANE_LOSS_MAX = 8.0
#: Arrows are drawn this many times longer than the gradient: the point's to be seen at
#: the plane's scale, the field's to stay shorter than the spacing of their grid.
ARROW_GAIN = 3.0
FIELD_GAIN = 1.0


def plane_logits(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Logits (0, u, v): o₀ = 0 loses nothing, since
    adding a constant to every logit changes no probability."""
    return np.stack([np.zeros_like(u), u, v], axis=-1)


@explorer(static={"o1": 5, "o2": 5, "smoothing": 4})
def cross_entropy_explorer(
    *, o1: float = 1.0, o2: float = -2.0, label: int = 0, smoothing: float = 0.0
) -> Explorer:
    """The loss l(y, o) over the plane of logits (0, o₁, o₂),
    the point o and the descent direction −(p − y).

    The background is the loss at every point of the plane, with small arrows
    of −∇l; the large arrow starts at the chosen logits. Without smoothing the
    loss has no minimum (it keeps falling as o_y grows); with smoothing ε > 0
    its minimum, at o_k − o₀ = log(y_k / y₀), is marked with a star.
    """
    canvas = Canvas(1, 2, figsize=(6.2, 3.2), gridspec_kw={"width_ratios": [1.25, 1]})
    ax, ax_p = canvas.axes
    uu, _, points = grid(PLANE, PLANE, 121)
    O_field = plane_logits(points[:, 0], points[:, 1])
    # The field is coloured here, as RGBA bytes, the kind
    # of image Agg draws fastest (no colour mapping).
    colorize = ScalarMappable(Normalize(0, PLANE_LOSS_MAX), "cividis")
    field = canvas.animate(
        ax.imshow(
            np.zeros((*uu.shape, 4), np.uint8),
            origin="lower",
            extent=(*PLANE, *PLANE),
            aspect="auto",
            interpolation="nearest",
        )
    )
    canvas.fig.colorbar(colorize, ax=ax, label="loss l(y, o)", shrink=0.9)
    _, _, coarse = grid(PLANE, PLANE, 7)
    O_coarse = plane_logits(coarse[:, 0], coarse[:, 1])
    flow = canvas.animate(
        ax.quiver(
            coarse[:, 0],
            coarse[:, 1],
            np.zeros(len(coarse)),
            np.zeros(len(coarse)),
            color="white",
            alpha=0.8,
            angles="xy",
            scale_units="xy",
            scale=1 / FIELD_GAIN,
            width=0.006,
        )
    )
    arrow = canvas.animate(
        ax.quiver(
            [0.0],
            [0.0],
            [0.0],
            [0.0],
            color="#D55E00",
            angles="xy",
            scale_units="xy",
            scale=1 / ARROW_GAIN,
            width=0.012,
            zorder=4,
        )
    )
    point = canvas.animate(
        ax.plot(
            [], [], "o", color="white", markeredgecolor="black", markersize=8, zorder=5
        )[0]
    )
    star = canvas.animate(
        ax.plot(
            [], [], "*", color="white", markeredgecolor="black", markersize=14, zorder=5
        )[0]
    )
    ax.set(
        xlim=PLANE,
        ylim=PLANE,
        xlabel=r"$o_1 - o_0$",
        ylabel=r"$o_2 - o_0$",
        title=r"loss over the logits, arrows $-\nabla l$",
    )
    ax.grid(False)

    width = 0.38
    classes = np.arange(K)
    bars_p = canvas.animate(
        *ax_p.bar(classes - width / 2, np.zeros(K), width, color=CLASS_COLORS[:K])
    )
    bars_y = canvas.animate(
        *ax_p.bar(
            classes + width / 2,
            np.zeros(K),
            width,
            fill=False,
            edgecolor="black",
            linewidth=1.2,
        )
    )
    ax_p.set(
        ylim=(0, 1.05),
        xticks=classes,
        xticklabels=NAMES,
        ylabel="probability",
        title=r"$\mathbf{p}$ filled, $\mathbf{y}$ outlined",
    )

    # (label, smoothing) → (coloured loss field, flow arrows): computed once per target
    landscapes = {}

    def landscape(label, smoothing):
        key = (label, round(smoothing, 9))
        if key not in landscapes:
            y = smoothed_target(label, smoothing)
            loss_field = cross_entropy(
                O_field, np.broadcast_to(y, O_field.shape)
            ).reshape(uu.shape)
            G = cross_entropy_grad(O_coarse, np.broadcast_to(y, O_coarse.shape))
            landscapes[key] = (
                colorize.to_rgba(loss_field, bytes=True),
                -G[:, 1],
                -G[:, 2],
            )
        return landscapes[key]

    def update(o1, o2, label, smoothing):
        y = smoothed_target(label, smoothing)
        o = np.array([0.0, o1, o2])
        p = softmax(o)
        g = cross_entropy_grad(o, y)
        loss = float(cross_entropy(o, y))
        image, U, V = landscape(label, smoothing)
        field.set_data(image)
        flow.set_UVC(U, V)
        # The gradient's o₀ component is −(g₁ + g₂): it sums to zero,
        # so the plane holds all of it.
        arrow.set_offsets([[o1, o2]])
        arrow.set_UVC([-g[1]], [-g[2]])
        point.set_data([o1], [o2])
        if smoothing > 0:
            star.set_data([np.log(y[1] / y[0])], [np.log(y[2] / y[0])])
        else:
            star.set_data([], [])
        for bar, height in zip(bars_p, p):
            bar.set_height(height)
        for bar, height in zip(bars_y, y):
            bar.set_height(height)
        # 0.0 − 0.0 is +0.0, printed without a sign
        entropy = 0.0 - float(np.sum(y[y > 0] * np.log(y[y > 0])))
        minimum = (
            "none: the loss falls forever as o<sub>y</sub> grows"
            if smoothing == 0
            else (f"at ({np.log(y[1] / y[0]):+.2f}, {np.log(y[2] / y[0]):+.2f})")
        )
        return (
            f"loss H(y, p) = {loss:.3f} = H(y) {entropy:.3f} + KL(y‖p) "
            f"{loss - entropy:.3f} &nbsp; "
            f"gradient p − y = ({g[0]:+.3f}, {g[1]:+.3f}, {g[2]:+.3f}) &nbsp; minimum "
            f"{minimum}"
        )

    controls = {
        "o1": float_slider(o1, *PLANE, 0.25, "o₁ − o₀"),
        "o2": float_slider(o2, *PLANE, 0.25, "o₂ − o₀"),
        "label": dropdown(
            label, [(name, k) for k, name in enumerate(NAMES)], "true label y"
        ),
        "smoothing": float_slider(smoothing, 0.0, 0.6, 0.05, "label smoothing ε"),
    }
    return Explorer(
        controls,
        update,
        canvas,
        alt="Left: the cross-entropy loss as a colour map over the plane of logit "
        "differences, with "
        "arrows pointing downhill and a large arrow at the chosen logits. Right: bars "
        "of the "
        "predicted probabilities beside the target distribution.",
    )


#: Gradient-descent steps precomputed for every learning rate of the second explorer.
GD_STEPS = 150
#: Grid of log₁₀ η: the learning-rate slider moves
#: on it, and each value's path is computed once.
LOG_LR = (-1.0, 2.0, 0.25)
#: Plot limits of the data and the resolution of the shaded regions.
DATA_LIM = (-5.0, 5.0)
GRID_N = 80


def gradient_descent_paths(
    X: np.ndarray, y: np.ndarray, log_lrs: np.ndarray, steps: int = GD_STEPS
) -> list[SoftmaxRegression]:
    """One softmax regression per learning rate 10^log_lr,
    fitted by ``steps`` steps from zero, with its path kept."""
    return [
        SoftmaxRegression(lr=10.0**e, steps=steps).fit(X, y, n_classes=K)
        for e in log_lrs
    ]


#: The class colours as RGB in 0..255.
_RGB = np.array(
    [[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in CLASS_COLORS[:K]], dtype=float
)


def _shade(P: np.ndarray) -> np.ndarray:
    """RGBA bytes of each row of probabilities P: its most
    probable class's colour, paler the less sure the model is.

    RGBA bytes are the kind of image Agg draws fastest.
    """
    # 0 for a uniform p, 1 for a certain one
    sure = (P.max(axis=1, keepdims=True) - 1 / K) / (1 - 1 / K)
    alpha = 0.12 + 0.5 * sure
    rgba = np.full((len(P), 4), 255, np.uint8)
    rgba[:, :3] = np.round((1 - alpha) * 255 + alpha * _RGB[P.argmax(axis=1)])
    return rgba


@explorer(static={"log_lr": 7, "step": 9})
def gradient_descent_explorer(*, log_lr: float = 0.0, step: int = 10) -> Explorer:
    """Softmax regression on three blobs after
    ``step`` gradient steps of size η = 10^log_lr.

    Every learning rate's path is computed when the explorer is built, so
    moving a slider only looks a step up. The regions are shaded by the most
    probable class, paler where the model is unsure; the loss panel shows the
    whole curve of the chosen η over the curves of all the others.
    """
    X, y = blobs()
    log_lrs = np.arange(LOG_LR[0], LOG_LR[1] + LOG_LR[2] / 2, LOG_LR[2])
    models = gradient_descent_paths(X, y, log_lrs)
    best = min(float(m.history_.min()) for m in models)

    canvas = Canvas(1, 2, figsize=(6.2, 3.2))
    ax, ax_l = canvas.axes
    _, _, points = grid(DATA_LIM, DATA_LIM, GRID_N)
    regions = canvas.animate(
        ax.imshow(
            np.zeros((GRID_N, GRID_N, 4), np.uint8),
            origin="lower",
            extent=(*DATA_LIM, *DATA_LIM),
            interpolation="nearest",
            aspect="auto",
        )
    )
    # animated only so that they are drawn over the regions, which are
    for k in range(K):
        canvas.animate(class_markers(ax, k, X[y == k], size=4, edge=0.4))
    ax.set(
        xlim=DATA_LIM,
        ylim=DATA_LIM,
        xlabel="x₁",
        ylabel="x₂",
        title="most probable class (pale: unsure)",
    )
    ax.grid(False)

    steps = np.arange(GD_STEPS + 1)
    for m in models:
        ax_l.plot(steps, m.history_, color="0.8", linewidth=0.8)
    curve = canvas.animate(
        ax_l.plot(steps, models[0].history_, color="black", linewidth=1.5)[0]
    )
    dot = canvas.animate(ax_l.plot([], [], "o", color="#D55E00", markersize=7)[0])
    ax_l.axhline(best, color="0.5", linestyle=":", linewidth=1)
    ax_l.set(
        yscale="log",
        xlim=(0, GD_STEPS),
        ylim=(0.1, 3),
        xlabel="gradient step",
        ylabel="mean cross-entropy L",
        title="loss (grey: the other learning rates)",
    )
    ax_l.set_yticks([0.1, 0.2, 0.5, 1, 2], labels=["0.1", "0.2", "0.5", "1", "2"])
    ax_l.set_yticks([], minor=True)

    def update(log_lr, step):
        i = int(round((log_lr - LOG_LR[0]) / LOG_LR[2]))
        model = models[i]
        W, b = model.W_path_[step], model.b_path_[step]
        regions.set_data(_shade(softmax(points @ W + b)).reshape(GRID_N, GRID_N, 4))
        curve.set_ydata(model.history_)
        loss = float(model.history_[step])
        dot.set_data([step], [loss])
        accuracy = np.mean(np.argmax(X @ W + b, axis=1) == y)
        return (
            f"η = {model.lr:.3g}, step {step}: loss L = {loss:.4f} (lowest reached by "
            f"any η: {best:.4f}), "
            f"training accuracy {accuracy:.1%}"
        )

    controls = {
        "log_lr": float_slider(
            log_lr, LOG_LR[0], LOG_LR[1], LOG_LR[2], "log₁₀ learning rate η"
        ),
        "step": int_slider(step, 0, GD_STEPS, "gradient step"),
    }
    return Explorer(
        controls,
        update,
        canvas,
        alt="Left: three classes of points with the plane shaded by the class softmax "
        "regression "
        "predicts after some gradient steps. Right: the training loss against the "
        "step, for the "
        "chosen learning rate in black over the other learning rates in grey.",
    )
