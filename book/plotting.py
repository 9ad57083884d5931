"""One look for every figure in the book.

The palette is Okabe and Ito's, chosen so that readers with any common form of
colour blindness can tell the classes apart. Figures have a white face so they
stay readable in the book's dark mode.
"""

from __future__ import annotations

from typing import Callable

import contourpy
import matplotlib as mpl
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, ListedColormap
from matplotlib.path import Path

from book.checks import (
    as_count,
    as_design_matrix,
    as_float_array,
    as_labels,
    as_number,
    check_size,
)

__all__ = [
    "PALETTE",
    "CLASS_COLORS",
    "class_cmap",
    "posterior_cmap",
    "use_book_style",
    "grid",
    "decision_regions",
    "scatter_classes",
    "class_markers",
    "level_line",
    "region_path",
]

#: Okabe–Ito colours: blue, orange, bluish green,
#: vermillion, reddish purple, sky blue, yellow, black.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
]

#: Colour of class k in every figure of the book.
CLASS_COLORS = PALETTE[:6]

#: Marker of class k, so classes differ in shape as well as colour.
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P"]

_STYLE = {
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
    "axes.titlesize": 11,
    "figure.dpi": 80,
    "image.cmap": "cividis",
}


def use_book_style() -> None:
    """Apply the book's Matplotlib style (palette, white face, light grid)."""
    mpl.rcParams.update(_STYLE)


def _n_classes(n_classes) -> int:
    return as_count(
        n_classes,
        "n_classes",
        minimum=1,
        maximum=len(CLASS_COLORS),
        why=f"the book has {len(CLASS_COLORS)} class colours",
    )


def _alpha(alpha) -> float:
    return as_number(alpha, "alpha", minimum=0, maximum=1)


def _limits(lim, name: str) -> tuple[float, float]:
    lo_hi = as_float_array(lim, name)
    if lo_hi.shape != (2,) or not lo_hi[0] < lo_hi[1]:
        raise ValueError(f"{name} must be (low, high) with low < high, got {lim!r}")
    return float(lo_hi[0]), float(lo_hi[1])


def class_cmap(n_classes: int, alpha: float = 1.0) -> ListedColormap:
    """A colormap whose k-th colour is class k's colour (at most six classes)."""
    n_classes, alpha = _n_classes(n_classes), _alpha(alpha)
    colors = [mpl.colors.to_rgba(c, alpha) for c in CLASS_COLORS[:n_classes]]
    return ListedColormap(colors)


def posterior_cmap() -> LinearSegmentedColormap:
    """A colormap for P(C_1 | x): class 0's colour
    at 0, white at ½, class 1's colour at 1."""
    return LinearSegmentedColormap.from_list(
        "posterior", [CLASS_COLORS[0], "white", CLASS_COLORS[1]]
    )


def grid(xlim=(-4.0, 4.0), ylim=(-4.0, 4.0), n: int = 200):
    """A regular grid over the plane:
    returns (xx, yy, points) with points of shape (n*n, 2)."""
    xlim, ylim = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    n = as_count(n, "n", minimum=2)
    check_size(2 * n * n, "the grid's points")
    xs = np.linspace(*xlim, n)
    ys = np.linspace(*ylim, n)
    xx, yy = np.meshgrid(xs, ys)
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def decision_regions(
    ax,
    predict: Callable[[np.ndarray], np.ndarray],
    n_classes: int,
    xlim=(-4.0, 4.0),
    ylim=(-4.0, 4.0),
    n: int = 200,
    alpha: float = 0.25,
):
    """Shade the plane by the class ``predict``
    assigns to each point; returns the image artist."""
    if not callable(predict):
        raise TypeError(
            "predict must be a function of points (n, 2) returning labels, got "
            f"{type(predict).__name__}"
        )
    n_classes, alpha = _n_classes(n_classes), _alpha(alpha)
    xx, yy, points = grid(xlim, ylim, n)
    labels = as_labels(
        predict(points), n_classes, (len(points),), name="predict(points)"
    ).reshape(xx.shape)
    xlim, ylim = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    return ax.imshow(
        labels,
        origin="lower",
        extent=(*xlim, *ylim),
        cmap=class_cmap(n_classes, alpha),
        vmin=-0.5,
        vmax=n_classes - 0.5,
        interpolation="nearest",
        aspect="auto",
    )


def scatter_classes(
    ax, X: np.ndarray, y: np.ndarray, n_classes: int | None = None, **kw
):
    """Scatter points coloured and shaped by class, with a legend entry per class."""
    X = as_design_matrix(X)
    if X.shape[1] < 2:
        raise ValueError(
            f"X needs two columns (the plane's coordinates), got shape {X.shape}"
        )
    y = as_labels(y, None, (len(X),))
    n_classes = int(np.max(y)) + 1 if n_classes is None else n_classes
    n_classes = _n_classes(n_classes)
    y = as_labels(y, n_classes)
    artists = []
    for k in range(n_classes):
        mask = y == k
        artists.append(
            ax.scatter(
                X[mask, 0],
                X[mask, 1],
                c=CLASS_COLORS[k],
                marker=CLASS_MARKERS[k],
                edgecolors="white",
                linewidths=0.5,
                label=f"class {k}",
                **kw,
            )
        )
    return artists


def class_markers(ax, k: int, points=None, *, size: float, edge: float = 0.5):
    """Class ``k``'s points as markers in its colour and shape with a white edge,
    drawn as one line artist without a line: what an explorer animates and moves
    with ``set_data``. ``points`` is an (n, 2) array, or None for an empty artist."""
    xs, ys = ([], []) if points is None else np.asarray(points, dtype=float).T
    return ax.plot(
        xs,
        ys,
        ls="none",
        marker=CLASS_MARKERS[k],
        color=CLASS_COLORS[k],
        markersize=size,
        markeredgecolor="white",
        markeredgewidth=edge,
    )[0]


def level_line(
    xs: np.ndarray, ys: np.ndarray, Z: np.ndarray, level: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """The curve Z = level on the grid (xs, ys),
    as x and y arrays with NaN between separate pieces."""
    pieces = contourpy.contour_generator(xs, ys, Z).lines(level)
    if not pieces:
        return np.array([np.nan]), np.array([np.nan])
    gap = np.full((1, 2), np.nan)
    joined = np.concatenate([p for piece in pieces for p in (piece, gap)])
    return joined[:, 0], joined[:, 1]


def region_path(xs: np.ndarray, ys: np.ndarray, Z: np.ndarray) -> Path:
    """The region Z > 0 of the grid (xs, ys) as one Matplotlib
    path (empty where Z ≤ 0 everywhere).

    Drawn as a filled patch over a background shaded for the other class,
    it costs far less per frame than an image of the grid.
    """
    points, codes = contourpy.contour_generator(
        xs, ys, Z, fill_type="OuterCode"
    ).filled(0.0, np.inf)
    if not points:
        return Path(np.empty((0, 2)))
    return Path(np.concatenate(points), np.concatenate(codes))
