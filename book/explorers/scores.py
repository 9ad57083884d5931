"""Chapter 1's explorer: the three scorers' decision regions side by side, as a class centre and a cost move."""
from __future__ import annotations

import numpy as np

from book.data import BLOB_CENTERS, blobs
from book.plotting import CLASS_COLORS, CLASS_MARKERS, class_cmap, grid
from book.scores import MarginScorer, SquareLossScorer, zero_one_cost
from book.softmax import cross_entropy, one_hot
from book.softmax_regression import SoftmaxRegression
from book.widgets import Canvas, Explorer, explorer, float_slider

#: Plot limits and the coarse grid on which the regions are evaluated.
LIM = (-5.0, 5.0)
GRID_N = 80
#: Subgradient / gradient steps per update, warm-started from the previous solution.
WARM_STEPS = 10


@explorer(static={"center_y": 9, "cliff": 9})
def scores_explorer(*, center_x: float = BLOB_CENTERS[2][0], center_y: float = BLOB_CENTERS[2][1],
                    cliff: float = 1.0) -> Explorer:
    """Move class 2's centre and the cost Δ(0, 1); see how least squares, margins and softmax divide the plane.

    The least-squares fit is refitted in closed form; the margin and softmax
    models continue from their previous solution for ``WARM_STEPS`` steps, so
    after a large jump they need a few updates to settle (watch the loss).
    """
    K = 3
    X, y = blobs(centers=[BLOB_CENTERS[0], BLOB_CENTERS[1], (center_x, center_y)])
    square = SquareLossScorer().fit(X, y)
    margin = MarginScorer(cost=_cost(cliff)).fit(X, y)
    margin.steps, margin.warm_start = WARM_STEPS, True
    soft = SoftmaxRegression().fit(X, y)
    models = {"square loss on one-hot": square, "margin with cost Δ": margin, "softmax probabilities": soft}

    canvas = Canvas(1, 3, figsize=(7.2, 2.7), sharey=True)
    _, _, points = grid(LIM, LIM, GRID_N)
    # Region colours as opaque RGBA bytes (class colour at 30 % over white): set_data then skips colour mapping.
    shade = np.round(255 * (0.3 * class_cmap(K)(np.arange(K)) + 0.7)).astype(np.uint8)
    images, clouds, stars = [], [], []
    for ax, title in zip(canvas.axes, models):
        images.append(canvas.animate(ax.imshow(shade[np.zeros((GRID_N, GRID_N), int)], origin="lower",
                                               extent=(*LIM, *LIM), interpolation="nearest", aspect="auto")))
        clouds.append([canvas.animate(ax.plot(*X[y == k].T, linestyle="none", marker=CLASS_MARKERS[k], markersize=4,
                                              color=CLASS_COLORS[k], markeredgecolor="white",
                                              markeredgewidth=0.4)[0]) for k in range(K)])
        stars.append(canvas.animate(ax.plot([], [], "X", color="black", markersize=9)[0]))
        ax.set(xlim=LIM, ylim=LIM, xlabel="x₁", title=title)
        ax.grid(False)
    canvas.axes[0].set_ylabel("x₂")

    def update(center_x, center_y, cliff):
        X, y = blobs(centers=[BLOB_CENTERS[0], BLOB_CENTERS[1], (center_x, center_y)])
        Y = one_hot(y, K)
        square.fit(X, y)
        margin.cost = _cost(cliff)
        margin.fit(X, y)
        for _ in range(WARM_STEPS):
            soft.step(X, Y)
        losses = [square.loss(X, y), margin.loss(X, y), float(np.mean(cross_entropy(soft.logits(X), y)))]
        rows = []
        for image, cloud, star, (name, model), loss in zip(images, clouds, stars, models.items(), losses):
            image.set_data(shade[model.predict(points).reshape(GRID_N, GRID_N)])
            cloud[2].set_data(*X[y == 2].T)  # only class 2 moves
            star.set_data([center_x], [center_y])
            accuracy = np.mean(model.predict(X) == y)
            rows.append(f"<tr><td>{name}</td><td>{loss:.3f}</td><td>{accuracy:.0%}</td></tr>")
        return ("<table><tr><th>scorer</th><th>training loss</th><th>training accuracy</th></tr>"
                + "".join(rows) + "</table>")

    controls = {
        "center_x": float_slider(center_x, -3, 3, 0.25, "class 2 centre x₁"),
        "center_y": float_slider(center_y, -3, 3, 0.25, "class 2 centre x₂"),
        "cliff": float_slider(cliff, 0, 4, 0.25, "cost Δ(0, 1) of calling a 0 a 1"),
    }
    return Explorer(controls, update, canvas,
                    alt="Three panels of the same three-class data, shaded by the class that the square-loss, "
                        "margin and softmax scorers predict; class 2's centre is marked with a cross.")


def _cost(cliff: float) -> np.ndarray:
    """The 0–1 cost with Δ(0, 1), the cost of taking a class-0 point for class 1, set to ``cliff``."""
    D = zero_one_cost(3)
    D[0, 1] = cliff
    return D
