"""Chapter 6's explorers: a hand-made feature
transform, and a 2-2-1 network that learns one.

``distance_transform_explorer`` moves the two anchor points of the distance transform
φ(x) = (‖x − A‖, ‖x − B‖) and shows the points in the new space with the line a logistic
regression draws there (fitted by chapter 5b's ``logistic_newton`` from zero,
so the picture depends on the anchors alone), and that
line mapped back into the input plane, where it is a curve.

``xor_training_explorer`` replays the training of a 2-2-1 network on XOR: the hidden
representation (where the four points land), the input-space boundary and the loss, at
any step, for several seeds and learning rates. Every trajectory is computed once, by
:func:`book.mlp.fit_many`, the first time the explorer is built, so an update is a
lookup and a redraw.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib import colors as mpl_colors
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from book.features import distance_features, noisy_xor, rings, xor_data
from book.logistic import logistic_newton
from book.mlp import Layer, ManyFits, fit_many, forward_pass
from book.plotting import CLASS_COLORS, class_markers, grid, level_line, region_path
from book.softmax import sigmoid
from book.widgets import Canvas, Explorer, dropdown, explorer, float_slider, int_slider

__all__ = ["distance_transform_explorer", "xor_training_explorer", "xor_trajectories"]

#: The input plane every picture of this chapter shows.
PLANE = (-0.6, 1.6)


#: The shade of each class's region: the class colour at a quarter strength over white,
#: opaque so that class 1's patch hides class 0's background instead of mixing with it.
_SHADE = [tuple(0.75 + 0.25 * np.array(mpl_colors.to_rgb(c))) for c in CLASS_COLORS[:2]]


def _shade_axes(ax, canvas: Canvas) -> PathPatch:
    """Shade ``ax`` as class 0's region and return
    an animated patch for class 1's region."""
    ax.set_facecolor(_SHADE[0])
    return canvas.animate(
        ax.add_patch(
            PathPatch(Path(np.empty((0, 2))), facecolor=_SHADE[1], edgecolor="none")
        )
    )


def _line_in_box(
    w: np.ndarray, b: float, lim: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """The piece of the line w·u + b = 0 inside the square lim × lim,
    as two end points (NaN when it misses)."""
    lo, hi = lim
    ends = []
    for edge in (lo, hi):
        if w[1] != 0:
            ends.append((edge, -(w[0] * edge + b) / w[1]))
        if w[0] != 0:
            ends.append((-(w[1] * edge + b) / w[0], edge))
    inside = [
        e
        for e in ends
        if lo - 1e-9 <= e[0] <= hi + 1e-9 and lo - 1e-9 <= e[1] <= hi + 1e-9
    ]
    if len(inside) < 2:
        return np.array([np.nan]), np.array([np.nan])
    P = np.array(inside)
    far = np.unravel_index(
        np.argmax(((P[:, None] - P[None]) ** 2).sum(-1)), (len(P), len(P))
    )
    return P[list(far), 0], P[list(far), 1]


#: The distance explorer's ridge penalty, scikit-learn's C = RIDGE_C / n:
#: the mean loss plus (1 / (2 RIDGE_C))‖w‖². Small,
#: but it keeps w finite when the classes are separable.
RIDGE_C = 1000.0


def _data_sets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {
        "xor": xor_data(),
        "noisy": noisy_xor(80, 0.15, seed=0),
        "rings": rings(80, 0.06, seed=0),
    }


@explorer(static={"b1": 5, "b2": 5})
def distance_transform_explorer(
    *,
    a1: float = 0.0,
    a2: float = 0.0,
    b1: float = 1.0,
    b2: float = 1.0,
    data: str = "xor",
) -> Explorer:
    """The distance transform with movable anchors A and B:
    the points in both spaces and the boundary."""
    sets = _data_sets()
    canvas = Canvas(1, 2, figsize=(6.2, 3.4))
    ax_in, ax_f = canvas.axes
    feature_lim = (-0.1, 2.8)
    xx, yy, plane = grid(PLANE, PLANE, 80)
    # a linear function's region is exact on a 2 × 2 grid
    corners = np.array(feature_lim)
    cc, dd, fcorners = grid(feature_lim, feature_lim, 2)
    region_in, region_f = _shade_axes(ax_in, canvas), _shade_axes(ax_f, canvas)
    curve = canvas.animate(ax_in.plot([], [], color="black", lw=1.5)[0])
    line = canvas.animate(ax_f.plot([], [], color="black", lw=1.5)[0])
    points_in = [canvas.animate(class_markers(ax_in, k, size=8)) for k in (0, 1)]
    points_f = [canvas.animate(class_markers(ax_f, k, size=8)) for k in (0, 1)]
    anchor_marks = [
        canvas.animate(
            ax_in.plot([], [], ls="none", marker=m, color="black", markersize=s)[0]
        )
        for m, s in (("*", 13), ("D", 7))
    ]
    ax_in.set(
        xlim=PLANE,
        ylim=PLANE,
        xlabel="$x_1$",
        ylabel="$x_2$",
        title="input plane (star A, diamond B)\nboundary: a curve",
    )
    ax_f.set(
        xlim=feature_lim,
        ylim=feature_lim,
        xlabel="$x_1'$ = distance to A",
        ylabel="$x_2'$ = distance to B",
        title="new space\nboundary: a line",
    )

    def update(a1, a2, b1, b2, data):
        A = np.array([[a1, a2], [b1, b2]])
        X, y = sets[data]
        F = distance_features(X, A)
        w, b, _ = logistic_newton(F, y, C=RIDGE_C / len(F))
        b = float(b)
        z_plane = (distance_features(plane, A) @ w + b).reshape(xx.shape)
        region_in.set_path(region_path(xx[0], yy[:, 0], z_plane))
        region_f.set_path(
            region_path(corners, corners, (fcorners @ w + b).reshape(cc.shape))
        )
        curve.set_data(*level_line(xx[0], yy[:, 0], z_plane))
        line.set_data(*_line_in_box(w, b, feature_lim))
        size = 8 if data == "xor" else 4
        for k in (0, 1):
            points_in[k].set_data(*X[y == k].T)
            points_f[k].set_data(*F[y == k].T)
            points_in[k].set_markersize(size)
            points_f[k].set_markersize(size)
        for mark, point in zip(anchor_marks, A):
            mark.set_data([point[0]], [point[1]])
        accuracy = np.mean((F @ w + b > 0) == y)
        return (
            f"A = ({a1:.2f}, {a2:.2f}), B = ({b1:.2f}, {b2:.2f}) &nbsp; logistic "
            "regression in the new space: "
            f"w = ({w[0]:.2f}, {w[1]:.2f}), b = {b:.2f} &nbsp; training accuracy "
            f"{accuracy:.0%}"
        )

    controls = {
        "a1": float_slider(a1, -0.5, 1.5, 0.05, "anchor A: x₁"),
        "a2": float_slider(a2, -0.5, 1.5, 0.05, "anchor A: x₂"),
        "b1": float_slider(b1, -0.5, 1.5, 0.05, "anchor B: x₁"),
        "b2": float_slider(b2, -0.5, 1.5, 0.05, "anchor B: x₂"),
        "data": dropdown(
            data,
            [
                ("the four XOR points", "xor"),
                ("noisy XOR", "noisy"),
                ("two rings", "rings"),
            ],
            "data",
        ),
    }
    return Explorer(
        controls,
        update,
        canvas,
        alt="Left: the input plane with the data, the anchors A and B and the curved "
        "boundary; "
        "right: the points' distances to A and B, with the straight boundary of a "
        "logistic "
        "regression trained there.",
    )


#: The seeds and learning rates whose XOR training the training explorer replays.
TRAINING_SEEDS = tuple(range(16))
TRAINING_RATES = (1.0, 2.0, 3.0, 4.0)
TRAINING_STEPS = 2000
TRAINING_EVERY = 20


@lru_cache(maxsize=1)
def xor_trajectories() -> tuple[ManyFits, np.ndarray]:
    """Every (seed, learning rate) pair's 2-2-1 training on XOR,
    and the hidden codes of the four points at each snapshot.

    Network i = seed_index · len(TRAINING_RATES) + rate_index. The hidden codes have
    shape (snapshots, networks, 4, 2). Computed once per session, in one batched run.
    """
    X, y = xor_data()
    seeds = [s for s in TRAINING_SEEDS for _ in TRAINING_RATES]
    rates = [r for _ in TRAINING_SEEDS for r in TRAINING_RATES]
    fits = fit_many(
        [2, 2, 1], X, y, seeds, lr=rates, steps=TRAINING_STEPS, every=TRAINING_EVERY
    )
    return fits, forward_pass(fits.snapshots, X)[1]


@explorer(static={"seed": 9, "step": 9})
def xor_training_explorer(*, seed: int = 0, lr: float = 2.0, step: int = 0) -> Explorer:
    """Replay a 2-2-1 network's training on XOR: input-space boundary,
    hidden space and loss at any step."""
    fits, codes = xor_trajectories()
    X, y = xor_data()
    canvas = Canvas(1, 3, figsize=(6.2, 3.1))
    ax_in, ax_h, ax_loss = canvas.axes
    xx, yy, plane = grid(PLANE, PLANE, 70)
    hidden_lim = (-0.05, 1.05)
    # the output unit's region is a half-plane: exact on a 2 × 2 grid
    corners = np.array(hidden_lim)
    hh, kk, square = grid(hidden_lim, hidden_lim, 2)
    region_in, region_h = _shade_axes(ax_in, canvas), _shade_axes(ax_h, canvas)
    boundary = canvas.animate(ax_in.plot([], [], color="black", lw=1.5)[0])
    unit_lines = [
        canvas.animate(ax_in.plot([], [], color=color, lw=1.2, ls="--")[0])
        for color in ("#CC79A7", "#009E73")
    ]
    out_line = canvas.animate(ax_h.plot([], [], color="black", lw=1.5)[0])
    trails = [
        canvas.animate(ax_h.plot([], [], color=CLASS_COLORS[k], lw=0.8, alpha=0.6)[0])
        for k in y
    ]
    hidden_points = [canvas.animate(class_markers(ax_h, k, size=8)) for k in (0, 1)]
    for k in (0, 1):  # animated only to be drawn over the animated regions
        canvas.animate(class_markers(ax_in, k, X[y == k], size=8))
    loss_curve = canvas.animate(ax_loss.plot([], [], color="black", lw=1.2)[0])
    marker = canvas.animate(ax_loss.plot([], [], "o", color="#D55E00")[0])
    for level, text in ((np.log(2), "ln 2"), (np.log(2) / 2, "ln 2 / 2")):
        ax_loss.axhline(level, color="grey", ls=":", lw=1)
        ax_loss.text(TRAINING_STEPS, level, text, ha="right", va="bottom")
    ax_in.set(
        xlim=PLANE,
        ylim=PLANE,
        xlabel="$x_1$",
        ylabel="$x_2$",
        title="inputs (dashed: hidden units)",
    )
    ax_h.set(
        xlim=hidden_lim,
        ylim=hidden_lim,
        xlabel="$h_1$",
        ylabel="$h_2$",
        title="hidden space",
    )
    ax_loss.set(
        xlim=(0, TRAINING_STEPS),
        ylim=(1e-3, 1.5),
        yscale="log",
        xlabel="step",
        ylabel="cross-entropy",
        title="loss",
    )
    steps = np.arange(0, TRAINING_STEPS + 1, 10)

    def update(seed, lr, step):
        i = TRAINING_SEEDS.index(seed) * len(TRAINING_RATES) + int(
            np.argmin(np.abs(np.array(TRAINING_RATES) - lr))
        )
        t = int(np.searchsorted(fits.recorded, step))
        layers = [Layer(s.W[t, i], s.b[t, i]) for s in fits.snapshots]
        first, out = layers
        logits = forward_pass(layers, plane)[-1].reshape(xx.shape)
        region_in.set_path(region_path(xx[0], yy[:, 0], logits))
        boundary.set_data(*level_line(xx[0], yy[:, 0], logits))
        for j, artist in enumerate(unit_lines):
            artist.set_data(*_line_in_box(first.W[:, j], first.b[j], PLANE))
        region_h.set_path(
            region_path(
                corners, corners, (square @ out.W[:, 0] + out.b[0]).reshape(hh.shape)
            )
        )
        out_line.set_data(*_line_in_box(out.W[:, 0], out.b[0], hidden_lim))
        for n, trail in enumerate(trails):
            trail.set_data(codes[: t + 1, i, n, 0], codes[: t + 1, i, n, 1])
        for k, artist in enumerate(hidden_points):
            artist.set_data(*codes[t, i][y == k].T)
        loss_curve.set_data(steps, fits.history[i, steps])
        marker.set_data([fits.recorded[t]], [fits.history[i, fits.recorded[t]]])
        z = forward_pass(layers, X)[-1][:, 0]
        p = sigmoid(z)
        solved = bool(np.all((z > 0) == y))
        return (
            f"step {fits.recorded[t]}: loss {fits.history[i, fits.recorded[t]]:.4f} "
            "&nbsp; "
            "P(C₁ | x) at (0,0), (0,1), (1,0), (1,1): "
            f"{', '.join(f'{v:.3f}' for v in p)} &nbsp; "
            + ("all four on the right side of ½" if solved else "not solved")
        )

    controls = {
        "seed": int_slider(
            seed, TRAINING_SEEDS[0], TRAINING_SEEDS[-1], "seed of the start"
        ),
        "lr": float_slider(
            lr, TRAINING_RATES[0], TRAINING_RATES[-1], 1.0, "learning rate"
        ),
        "step": int_slider(
            step, 0, TRAINING_STEPS, "training step", step=TRAINING_EVERY
        ),
    }
    return Explorer(
        controls,
        update,
        canvas,
        columns=3,
        alt="Left: XOR's four points, the 2-2-1 network's boundary and its two hidden "
        "units' lines; "
        "middle: where the four points land in the hidden space, with their paths so "
        "far and the "
        "output unit's line; right: the loss curve with the current step marked.",
    )
