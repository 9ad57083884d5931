"""Chapter 5b's explorers: gradient descent with
cross-entropy vs square error, and the learning curves.

Both precompute everything when they are built (every trajectory on the
learning-rate grid; every learning curve on the contamination grid), so an
update only moves artists.
"""

from __future__ import annotations

import numpy as np

from book.data import RACE_DATA, RACE_START, RACE_STEPS, blobs
from book.learning_curves import MODELS, Setting, learning_curves, paired_difference
from book.logistic import LOSSES, gd_paths, loss_and_gradient
from book.plotting import CLASS_COLORS, CLASS_MARKERS, PALETTE
from book.widgets import Canvas, Explorer, explorer, float_slider, int_slider

_LOSS_TITLES = {"cross_entropy": "cross-entropy", "square": "square error"}


@explorer(static={"lr": 4, "step": 19})
def logistic_training_explorer(*, lr: float = 1.0, step: int = 20) -> Explorer:
    """Gradient descent from a poor start on cross-entropy
    and on square error, side by side, step by step."""
    X, y = blobs(**RACE_DATA)
    lrs = np.round(np.arange(0.25, 16.0001, 0.25), 2)
    w_grid, b_grid = np.linspace(-8, 6, 141), np.linspace(-6, 6, 121)
    W, B = np.meshgrid(w_grid, b_grid)
    canvas = Canvas(2, 2, figsize=(6.2, 4.6))
    runs, paths, dots, curves, marks = {}, {}, {}, {}, {}
    for col, loss in enumerate(LOSSES):
        coef, intercept, history = gd_paths(
            X,
            y,
            lrs,
            RACE_STEPS,
            coef_init=[RACE_START[0]],
            intercept_init=RACE_START[1],
            loss=loss,
        )
        accuracy = np.mean(
            ((coef[..., 0, None] * X[:, 0] + intercept[..., None]) > 0) == y, axis=-1
        )
        runs[loss] = (coef[..., 0], intercept, history, accuracy)
        ax_s, ax_l = canvas.axes[col], canvas.axes[2 + col]
        surface = loss_and_gradient(W[..., None], B, X, y, loss)[0]
        ax_s.contourf(W, B, surface, levels=20, cmap="cividis")
        ax_s.plot(*RACE_START, "x", color="white", markersize=8)
        ax_s.set(
            xlim=(w_grid[0], w_grid[-1]),
            ylim=(b_grid[0], b_grid[-1]),
            xlabel="weight w",
            ylabel="bias b",
            title=f"{_LOSS_TITLES[loss]} over (w, b)",
        )
        paths[loss] = canvas.animate(
            ax_s.plot([], [], color=PALETTE[3], linewidth=1.8)[0]
        )
        dots[loss] = canvas.animate(
            ax_s.plot([], [], "o", color=PALETTE[3], markeredgecolor="white")[0]
        )
        top = float(history.max())
        ax_l.set(
            xlim=(0, RACE_STEPS),
            ylim=(0, 1.05 * top),
            xlabel="step",
            ylabel=f"mean {_LOSS_TITLES[loss]}",
            title=f"{_LOSS_TITLES[loss]} per step",
        )
        curves[loss] = canvas.animate(ax_l.plot([], [], color=CLASS_COLORS[col])[0])
        marks[loss] = canvas.animate(ax_l.plot([], [], "o", color=CLASS_COLORS[col])[0])
    steps_axis = np.arange(RACE_STEPS + 1)

    def update(lr, step):
        i = int(np.argmin(np.abs(lrs - lr)))
        parts = []
        for loss in LOSSES:
            w, b, history, accuracy = runs[loss]
            paths[loss].set_data(w[: step + 1, i], b[: step + 1, i])
            dots[loss].set_data([w[step, i]], [b[step, i]])
            curves[loss].set_data(steps_axis, history[:, i])
            marks[loss].set_data([step], [history[step, i]])
            parts.append(
                f"{_LOSS_TITLES[loss]}: loss {history[step, i]:.3f}, training accuracy "
                f"{accuracy[step, i]:.0%}, "
                f"(w, b) = ({w[step, i]:.2f}, {b[step, i]:.2f})"
            )
        return f"step {step}, learning rate η = {lrs[i]:.2f}<br>" + "<br>".join(parts)

    controls = {
        "lr": float_slider(lr, 0.25, 16.0, 0.25, "learning rate η"),
        "step": int_slider(step, 0, RACE_STEPS, "step"),
    }
    return Explorer(
        controls,
        update,
        canvas,
        alt="Contour plots of the cross-entropy and the square error over a weight and "
        "a bias, each with "
        "the gradient-descent path from the same poor start, and the loss per step "
        "below each.",
    )


def _listed(sizes: np.ndarray) -> str:
    return ", ".join(str(n) for n in sizes) if sizes.size else "none"


#: The contamination grid of the learning-curve
#: explorer and its training-set sizes and repeats.
CONTAMINATIONS = np.round(np.arange(0.0, 0.3001, 0.05), 2)
EXPLORER_SIZES = (6, 10, 20, 50, 100, 200, 500)
EXPLORER_REPEATS = 100
#: Short legend labels: the legend sits under three panels of a 6.2-inch picture.
_SHORT = {
    "gaussian": "Gaussian",
    "naive_bayes": "naive Bayes",
    "logistic": "logistic regression",
}


@explorer(static={"contamination": 7})
def learning_curve_explorer(*, contamination: float = 0.2) -> Explorer:
    """Learning curves of the three linear classifiers
    as the Gaussian assumption gets more wrong."""
    curves = [
        learning_curves(Setting(float(pi)), EXPLORER_SIZES, EXPLORER_REPEATS)
        for pi in CONTAMINATIONS
    ]
    sizes = np.array(EXPLORER_SIZES)
    canvas = Canvas(1, 3, figsize=(6.2, 3.0))
    ax_x, ax_e, ax_d = canvas.axes
    # The same seed draws the same class-0 points
    # for every π, so only class 1 needs redrawing.
    samples = [
        Setting(float(pi)).sample(200, np.random.default_rng(7))
        for pi in CONTAMINATIONS
    ]
    X0, y0 = samples[0]
    ax_x.scatter(
        *X0[y0 == 0].T, s=6, c=CLASS_COLORS[0], marker=CLASS_MARKERS[0], label="class 0"
    )
    ones = canvas.animate(
        ax_x.scatter(
            *X0[y0 == 1].T,
            s=6,
            c=CLASS_COLORS[1],
            marker=CLASS_MARKERS[1],
            label="class 1",
        )
    )
    ax_x.set(
        xlim=(-3.5, 7.5),
        ylim=(-3.5, 5),
        xlabel="$x_1$",
        ylabel="$x_2$",
        title="a sample",
    )
    lines = {
        key: canvas.animate(
            ax_e.plot(
                sizes,
                np.zeros(len(sizes)),
                "o-",
                markersize=3,
                color=PALETTE[j],
                label=_SHORT[key],
            )[0]
        )
        for j, key in enumerate(MODELS)
    }
    means = np.array([[c.errors[key].mean(axis=1) for key in MODELS] for c in curves])
    ax_e.set(
        xscale="log",
        ylim=(0.98 * means.min(), 1.02 * means.max()),
        xlabel="training size n",
        ylabel="test error",
        title="mean test error",
    )
    # One legend under the panels (class markers and models),
    # so that it covers no curve.
    canvas.fig.legend(
        handles=[*ax_x.collections, *lines.values()],
        loc="outside lower center",
        ncols=3,
    )
    diffs = [
        paired_difference(c.errors["gaussian"], c.errors["logistic"]) for c in curves
    ]
    bands = [
        canvas.animate(
            ax_d.fill_between(sizes, lo, hi, color=PALETTE[0], alpha=0.3, linewidth=0)
        )
        for _, lo, hi in diffs
    ]
    diff_line = canvas.animate(
        ax_d.plot(sizes, diffs[0][0], "o-", markersize=3, color=PALETTE[0])[0]
    )
    ax_d.axhline(0, color="black", linewidth=0.8)
    reach = max(
        float(np.max(np.abs([lo for _, lo, _ in diffs]))),
        float(np.max(np.abs([hi for _, _, hi in diffs]))),
    )
    ax_d.set(
        xscale="log",
        ylim=(-1.05 * reach, 1.05 * reach),
        xlabel="training size n",
        ylabel="error difference",
        title="Gaussian − logistic",
    )

    def update(contamination):
        i = int(np.argmin(np.abs(CONTAMINATIONS - contamination)))
        X, y = samples[i]
        ones.set_offsets(X[y == 1])
        for key, line in lines.items():
            line.set_ydata(curves[i].errors[key].mean(axis=1))
        for j, band in enumerate(bands):
            band.set_visible(j == i)
        mean, lo, hi = diffs[i]
        diff_line.set_ydata(mean)
        small, large = mean[sizes == 10][0], mean[-1]
        return (
            f"contamination π = {CONTAMINATIONS[i]:.2f} ({EXPLORER_REPEATS} repeats "
            "per size): "
            f"Gaussian − logistic = {small:+.3f} at n = 10, {large:+.3f} at n = "
            f"{sizes[-1]}.<br>"
            "Gaussian model significantly ahead (band below 0) at n = "
            f"{_listed(sizes[hi < 0])}; "
            f"logistic regression (band above 0) at n = {_listed(sizes[lo > 0])}."
        )

    controls = {
        "contamination": float_slider(contamination, 0.0, 0.3, 0.05, "contamination π")
    }
    return Explorer(
        controls,
        update,
        canvas,
        alt="A sample of the two classes, the mean test error of three linear "
        "classifiers against the "
        "training-set size, and the paired difference between the Gaussian model and "
        "logistic "
        "regression with its 95 % band (shaded).",
    )
