"""Chapter 1's explorer: the three scorers' decision
regions side by side, as a class centre and a cost move.

The two iteratively trained scorers are never retrained from scratch in an
update. Each slider moves on a lattice (its step), and the solution at a
lattice point is the solution at its neighbour one step closer to the start,
continued for ``LINK_STEPS`` steps: a chain of warm starts that always runs
the same way, so the picture at a setting does not depend on the path a
reader took to reach it (the static book's frames are the kernel's frames).
A slider moved by one step costs one link; solutions are cached.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from book.data import BLOB_CENTERS, blobs
from book.plotting import class_cmap, class_markers, grid
from book.scores import MarginScorer, SquareLossScorer, zero_one_cost
from book.softmax import cross_entropy
from book.softmax_regression import SoftmaxRegression
from book.widgets import Canvas, Explorer, explorer, float_slider

#: Plot limits and the coarse grid on which the regions are evaluated.
LIM = (-5.0, 5.0)
TICKS = (-4, -2, 0, 2, 4)
GRID_N = 80
#: Gradient (softmax) or subgradient (margin) steps
#: from a lattice point to its neighbour.
LINK_STEPS = 30
#: Lattices of the two sliders: (lowest value, step, number of points).
HEIGHTS = (-3.0, 0.25, 25)
CLIFFS = (0.0, 0.5, 9)


def _index(value: float, lattice: tuple) -> int:
    """The lattice point nearest ``value``."""
    lo, step, n = lattice
    return int(np.clip(round((value - lo) / step), 0, n - 1))


def _toward(i: int, root: int) -> int:
    """The neighbour of lattice index ``i`` one step closer to ``root``."""
    return i - int(np.sign(i - root))


def _cost(cliff: float) -> np.ndarray:
    """The 0–1 cost with Δ(0, 1), the cost of
    taking a class-0 point for class 1, set to ``cliff``."""
    D = zero_one_cost(3)
    D[0, 1] = cliff
    return D


@explorer(static={"center_y": 9, "cliff": 9})
def scores_explorer(
    *, center_y: float = BLOB_CENTERS[2][1], cliff: float = 1.0
) -> Explorer:
    """Slide class 2's centre up and down and raise the cost Δ(0, 1);
    see how the three scorers divide the plane."""
    K = 3
    x2 = BLOB_CENTERS[2][0]
    root_h, root_c = _index(center_y, HEIGHTS), _index(cliff, CLIFFS)

    @cache
    def data(h: int):
        X, y = blobs(
            centers=[
                BLOB_CENTERS[0],
                BLOB_CENTERS[1],
                (x2, HEIGHTS[0] + h * HEIGHTS[1]),
            ]
        )
        return X, y

    soft = SoftmaxRegression(steps=LINK_STEPS)
    margin = MarginScorer(steps=LINK_STEPS, warm_start=True)

    @cache
    def soft_at(h: int) -> tuple[np.ndarray, np.ndarray]:
        """(W, b) of softmax regression, reached along the height from the start."""
        X, y = data(h)
        if h == root_h:
            fitted = SoftmaxRegression().fit(X, y)
        else:
            W, b = soft_at(_toward(h, root_h))
            fitted = soft.fit(X, y, W_init=W, b_init=b)
        return fitted.W_.copy(), fitted.b_.copy()

    @cache
    def margin_at(h: int, c: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(W, b, Δ) of the margin scorer, reached
        along the cost first, then along the height."""
        X, y = data(h)
        cost = _cost(CLIFFS[0] + c * CLIFFS[1])
        if (h, c) == (root_h, root_c):
            fitted = MarginScorer(cost=cost).fit(X, y)
        else:
            parent = (h, _toward(c, root_c)) if c != root_c else (_toward(h, root_h), c)
            margin.W_, margin.b_, _ = (a.copy() for a in margin_at(*parent))
            margin.cost = cost
            fitted = margin.fit(X, y)
        return fitted.W_.copy(), fitted.b_.copy(), fitted.cost_

    square = SquareLossScorer()
    models = {
        "square loss on one-hot": square,
        "margin with cost Δ": margin,
        "softmax probabilities": soft,
    }

    canvas = Canvas(1, 3, figsize=(6.2, 2.5), sharey=True)
    _, _, points = grid(LIM, LIM, GRID_N)
    # Region colours (class colour at 30 % over white) as opaque float32 RGBA:
    # set_data then skips colour mapping, and Matplotlib resamples float32 RGBA faster
    # than bytes or a colormapped array.
    shade = (0.3 * class_cmap(K)(np.arange(K)) + 0.7).astype(np.float32)
    X, y = data(root_h)
    images, clouds, stars = [], [], []
    for ax, title in zip(canvas.axes, models):
        images.append(
            canvas.animate(
                ax.imshow(
                    shade[np.zeros((GRID_N, GRID_N), int)],
                    origin="lower",
                    extent=(*LIM, *LIM),
                    interpolation="nearest",
                    aspect="auto",
                )
            )
        )
        # Every point is animated, not only class 2's:
        # a static point would be hidden under the regions.
        clouds.append(
            [
                canvas.animate(class_markers(ax, k, X[y == k], size=4.5, edge=0.4))
                for k in range(K)
            ]
        )
        stars.append(
            canvas.animate(ax.plot([], [], "X", color="black", markersize=8)[0])
        )
        ax.set(xlim=LIM, ylim=LIM, xticks=TICKS, yticks=TICKS, xlabel="x₁", title=title)
        ax.grid(False)
    canvas.axes[0].set_ylabel("x₂")

    def update(center_y, cliff):
        h, c = _index(center_y, HEIGHTS), _index(cliff, CLIFFS)
        X, y = data(h)
        square.fit(X, y)
        # Copies: the models' steps update W_ in place, and the cache must not change.
        margin.W_, margin.b_, margin.cost_ = (a.copy() for a in margin_at(h, c))
        soft.W_, soft.b_ = (a.copy() for a in soft_at(h))
        losses = [
            square.loss(X, y),
            margin.loss(X, y),
            float(np.mean(cross_entropy(soft.logits(X), y))),
        ]
        rows = []
        for image, cloud, star, (name, model), loss in zip(
            images, clouds, stars, models.items(), losses
        ):
            image.set_data(shade[model.predict(points).reshape(GRID_N, GRID_N)])
            cloud[2].set_data(*X[y == 2].T)  # only class 2 moves
            star.set_data([x2], [HEIGHTS[0] + h * HEIGHTS[1]])
            accuracy = np.mean(model.predict(X) == y)
            rows.append(
                f"<tr><td>{name}</td><td>{loss:.3f}</td><td>{accuracy:.0%}</td></tr>"
            )
        return (
            "<table><tr><th>scorer</th><th>training loss</th><th>training "
            "accuracy</th></tr>" + "".join(rows) + "</table>"
        )

    controls = {
        "center_y": float_slider(
            center_y,
            HEIGHTS[0],
            HEIGHTS[0] + HEIGHTS[1] * (HEIGHTS[2] - 1),
            HEIGHTS[1],
            "height of class 2's centre",
        ),
        "cliff": float_slider(
            cliff,
            CLIFFS[0],
            CLIFFS[0] + CLIFFS[1] * (CLIFFS[2] - 1),
            CLIFFS[1],
            "cost Δ(0, 1) of calling a 0 a 1",
        ),
    }
    return Explorer(
        controls,
        update,
        canvas,
        alt="Three panels of the same three-class data, shaded by the class that the "
        "square-loss, "
        "margin and softmax scorers predict; class 2's centre is marked with a cross.",
    )
