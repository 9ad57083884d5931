"""Chapter 5a's explorer: two Gaussian classes, their
fitted generative model, its posterior and boundary.

The class samples are fixed standard-normal draws u, moved to x = μ + L u
(LLᵀ = Σ) for the chosen means and covariances, so a slider moves the same
points rather than drawing new ones; the model is refitted in closed form on
every update (means, covariances, priors: microseconds) and its posterior is
evaluated on a coarse grid.
"""

from __future__ import annotations

import numpy as np
from contourpy import FillType, contour_generator
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.path import Path

from book.generative import GaussianGenerative, _affine_sample
from book.plotting import CLASS_COLORS, CLASS_MARKERS, grid, posterior_cmap
from book.widgets import Canvas, Explorer, dropdown, explorer, float_slider, int_slider

#: Class 0's mean and size stay fixed; the reader moves class 1 against it.
MU0 = np.array([-1.0, 0.0])
N0 = 100
N1_MAX = 300
LIM = (-5.0, 5.0)
#: The posterior is shaded in bands between these probabilities,
#: computed on a GRID × GRID grid.
LEVELS = np.array([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])
GRID = 50


def band_colors() -> np.ndarray:
    """One light, opaque colour per band between
    LEVELS (posterior_cmap mixed with white), shape (bands, 4).

    Opaque rather than translucent: blending every band over the background would cost
    time in every frame.
    """
    middles = (LEVELS[:-1] + LEVELS[1:]) / 2
    colors = 0.55 * posterior_cmap()(middles) + 0.45
    colors[:, 3] = 1.0
    return colors


def sample_classes(
    mu1,
    rho: float,
    scale: float,
    spread1: float,
    n1: int,
    U0: np.ndarray,
    U1: np.ndarray,
):
    """Class 0 ~ N(MU0, Σ), class 1 ~ N(μ_1, spread1² Σ) with Σ
    = scale² [[1, ρ], [ρ, 1]]: returns (X, y)."""
    L = scale * np.linalg.cholesky(np.array([[1.0, rho], [rho, 1.0]]))
    y = np.repeat([0, 1], [len(U0), n1])
    mu = np.array([MU0, mu1], dtype=float)[y]
    return _affine_sample(
        mu, np.array([L, spread1 * L])[y], np.vstack([U0, U1[:n1]])
    ), y


def posterior_contours(
    xs: np.ndarray, ys: np.ndarray, z: np.ndarray
) -> tuple[list[list[Path]], list]:
    """Contours of P(C_1 | x) = σ(z) on a grid: (bands, boundary).

    ``bands[i]`` holds the Matplotlib paths of the region where the posterior
    lies between LEVELS[i] and LEVELS[i + 1]; ``boundary`` the (m, 2) polylines
    where z = 0, i.e. P = ½. Cut on the log-odds z rather than on σ(z): the same
    bands (σ is increasing), and no sigmoid of a huge |z| far from the data.
    """
    cuts = np.log(LEVELS[1:-1] / (1 - LEVELS[1:-1]))
    cuts = np.concatenate(
        [[min(z.min(), cuts[0]) - 1.0], cuts, [max(z.max(), cuts[-1]) + 1.0]]
    )
    gen = contour_generator(xs, ys, z, fill_type=FillType.OuterCode)
    bands = []
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        points, codes = gen.filled(lo, hi)
        bands.append([Path(p, c) for p, c in zip(points, codes)])
    return bands, gen.lines(0.0)


@explorer(static={"mu1_x": 5, "rho": 5, "n1": 3})
def generative_explorer(
    *,
    mu1_x: float = 1.5,
    mu1_y: float = 1.0,
    rho: float = 0.3,
    scale: float = 1.0,
    spread1: float = 1.0,
    n1: int = 100,
    model: str = "shared",
) -> Explorer:
    """Move the classes' Gaussians and sizes; watch the
    fitted posterior P(C_1 | x), the boundary and w, b."""
    rng = np.random.default_rng(5)
    U0 = rng.standard_normal((N0, 2))
    U1 = rng.standard_normal((N1_MAX, 2))
    xx, yy, points = grid(LIM, LIM, GRID)

    canvas = Canvas(1, 1, figsize=(4.6, 4.0))
    ax = canvas.axes[0]
    colors = band_colors()
    bands = canvas.animate(PathCollection([], edgecolors="none"))
    ax.add_collection(bands)
    dots = [
        canvas.animate(
            ax.scatter(
                [],
                [],
                s=12,
                c=CLASS_COLORS[k],
                marker=CLASS_MARKERS[k],
                edgecolors="white",
                linewidths=0.4,
            )
        )
        for k in range(2)
    ]
    boundary = canvas.animate(LineCollection([], colors="black", linewidths=1.6))
    ax.add_collection(boundary)
    means = canvas.animate(ax.scatter([], [], s=90, c="black", marker="X"))
    ax.set(
        xlim=LIM,
        ylim=LIM,
        xlabel="$x_1$",
        ylabel="$x_2$",
        title="fitted P(C₁ | x); black: boundary P = ½",
    )
    colorbar = canvas.fig.colorbar(
        ScalarMappable(BoundaryNorm(LEVELS, len(LEVELS) - 1), ListedColormap(colors)),
        ax=ax,
        label="P(C₁ | x)",
    )
    colorbar.set_ticks(LEVELS)
    # Proxy handles, because the animated scatters are empty when the background is
    # drawn; the legend sits outside the axes,
    # since the animated bands would be painted over it.
    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker=CLASS_MARKERS[k],
            color=CLASS_COLORS[k],
            label=f"class {k}",
        )
        for k in range(2)
    ]
    handles.append(
        Line2D(
            [],
            [],
            linestyle="",
            marker="X",
            color="black",
            markersize=8,
            label="fitted means",
        )
    )
    canvas.fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8)

    def update(mu1_x, mu1_y, rho, scale, spread1, n1, model):
        X, y = sample_classes((mu1_x, mu1_y), rho, scale, spread1, n1, U0, U1)
        gen = GaussianGenerative(shared_covariance=(model == "shared")).fit(X, y)
        z = gen.logits(points).reshape(xx.shape)
        per_band, lines = posterior_contours(xx[0], yy[:, 0], z)
        bands.set_paths([path for paths in per_band for path in paths])
        bands.set_facecolor(
            np.repeat(colors, [len(paths) for paths in per_band], axis=0)
        )
        boundary.set_segments(lines)
        for k in range(2):
            dots[k].set_offsets(X[y == k])
        means.set_offsets(gen.means_)
        accuracy = np.mean(gen.predict(X) == y)
        fitted = (
            f"w = ({gen.W_[0, 0]:+.2f}, {gen.W_[1, 0]:+.2f}), b = {gen.b_[0]:+.2f}"
            if model == "shared"
            else "separate covariances: z is quadratic in x, there is no single w"
        )
        return (
            f"{fitted} &nbsp; N₁/N₀ = {n1}/{N0}, ln(N₁/N₀) = {np.log(n1 / N0):+.2f}"
            f" &nbsp; training accuracy {accuracy:.3f}"
        )

    controls = {
        "mu1_x": float_slider(mu1_x, -3, 4, 0.1, "class 1 mean, x₁"),
        "mu1_y": float_slider(mu1_y, -3, 4, 0.1, "class 1 mean, x₂"),
        "rho": float_slider(rho, -0.9, 0.9, 0.05, "correlation ρ"),
        "scale": float_slider(scale, 0.3, 2.0, 0.05, "standard deviation s"),
        "spread1": float_slider(
            spread1, 0.3, 3.0, 0.05, "class 1 spread (1 = shared Σ)"
        ),
        "n1": int_slider(n1, 10, N1_MAX, "class 1 size N₁ (N₀ = 100)", step=10),
        "model": dropdown(
            model,
            [("shared Σ (linear)", "shared"), ("separate Σ (quadratic)", "separate")],
            "fitted model",
        ),
    }
    return Explorer(
        controls,
        update,
        canvas,
        alt="Two classes of points drawn from Gaussians over a shaded map of the "
        "fitted "
        "posterior probability of class 1, with the decision boundary drawn in black.",
    )
