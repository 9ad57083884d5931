"""Chapter 4's explorer: a family's distribution p(x | θ) beside its log-partition g(θ).

The slider moves one natural parameter. On the right, g along that parameter
(precomputed on a fixed grid when the explorer is built), its tangent at θ,
whose slope is E[φ], and its second-order Taylor parabola, whose curvature is
Var[φ]. The categorical family (K = 3) moves θ₀ with θ₁ = θ₂ = 0, so the slope
is P(x = 0). The Gaussian has two natural parameters: the slider moves
θ₁ = μ/σ² and a second slider sets θ₂ = −1/(2σ²), so the right panel is g
along θ₁ at that θ₂ (an exact parabola whose curvature is σ²).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from book.expfamily import ExponentialFamily, families
from book.plotting import PALETTE
from book.widgets import Canvas, Explorer, dropdown, explorer, float_slider

__all__ = ["natural", "slice_derivatives", "expfamily_explorer"]

THETA_LO, THETA_HI = -4.0, 4.0
THETA2_LO, THETA2_HI, THETA2_STEP = -2.0, -0.25, 0.05
THETA_GRID = np.linspace(THETA_LO, THETA_HI, 201)
THETA2_GRID = np.round(
    np.arange(THETA2_LO, THETA2_HI + THETA2_STEP / 2, THETA2_STEP), 10
)


@dataclass(frozen=True)
class _Shown:
    """How the explorer shows one family: its slider's
    coordinate and the x of its left panel."""

    family: ExponentialFamily
    axis: str  #: the slider's coordinate of θ, in words
    #: what the slider multiplies in the exponent:
    #: g's slope is its mean, the curvature its variance
    stat: str
    x: np.ndarray  #: the outcomes drawn as bars, or the grid of a density
    xlabel: str


#: The families on the menu, in its order.
SHOWN = {
    shown.family.name: shown
    for shown in (
        _Shown(
            families["categorical"],
            "θ₀   (θ₁ = θ₂ = 0)",
            "φ₀",
            np.arange(3),
            "class x (bar x = 0 is what θ₀ multiplies)",
        ),
        _Shown(
            families["bernoulli"],
            "θ = log(p / (1 − p))",
            "x",
            np.arange(2),
            "outcome x",
        ),
        # x ≤ 80 holds all but 0.05 % of the mass for every θ on the slider
        _Shown(families["poisson"], "θ = log λ", "x", np.arange(81), "count x"),
        _Shown(
            families["gaussian"],
            "θ₁ = μ/σ²   (θ₂ from its slider)",
            "x",
            np.linspace(-12.0, 12.0, 401),
            "x",
        ),
    )
}
POISSON_X, GAUSS_X = SHOWN["poisson"].x, SHOWN["gaussian"].x
SYMBOL = {"p": "p", "rate": "λ", "mu": "μ", "sigma": "σ"}


def natural(name: str, theta: float, theta2: float) -> np.ndarray:
    """The full natural parameter the explorer shows:
    the slider's θ in its coordinate, the rest fixed."""
    if name == "categorical":
        return np.array([theta, 0.0, 0.0])
    if name == "gaussian":
        return np.array([theta, theta2])
    return np.float64(theta)


def slice_derivatives(
    name: str, theta: float, theta2: float
) -> tuple[float, float, float]:
    """g, ∂g/∂θ = E[φ₀] and ∂²g/∂θ² = Var[φ₀] along the slider's
    coordinate (φ₀: what θ multiplies)."""
    fam = families[name]
    v = natural(name, theta, theta2)
    return (
        float(fam.log_partition(v)),
        float(np.ravel(fam.mean(v))[0]),
        float(np.ravel(fam.covariance(v))[0]),
    )


def _curves() -> dict[str, np.ndarray]:
    """g along the slider's coordinate on THETA_GRID;
    for the Gaussian one row per θ₂ of its slider."""
    out = {
        name: families[name].log_partition(
            np.stack([natural(name, theta, -0.5) for theta in THETA_GRID])
        )
        for name in SHOWN
        if name != "gaussian"
    }
    theta1, theta2 = np.meshgrid(THETA_GRID, THETA2_GRID)
    out["gaussian"] = families["gaussian"].log_partition(
        np.stack([theta1, theta2], axis=-1)
    )
    return out


def _level(value: float, top: float, halvings: int) -> float:
    """The smallest of top, top/2, …, top/2^halvings that
    is at least ``value``: axis limits in steps.

    Limits that move in steps change rarely, so the background is redrawn rarely.
    """
    k = int(np.floor(np.log2(top / max(value, top / 2**halvings))))
    return top / 2 ** max(k, 0)


class _KeyedCanvas(Canvas):
    """A canvas that keeps one cached background per key (a family and its axis limits).

    Going back to a family already drawn then restores its background instead of
    redrawing every axis, tick and label.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = None
        self._saved: dict = {}

    def show(self, key) -> None:
        """Use the background cached for ``key``,
        or draw it afresh on the next frame."""
        self.key = key
        self._background = self._saved.get(key)

    def rgba(self) -> np.ndarray:
        frame = super().rgba()
        self._saved[self.key] = self._background
        return frame


@explorer(static={"family": 4, "theta": 9})
def expfamily_explorer(
    *, family: str = "gaussian", theta: float = 1.0, theta2: float = -0.5
) -> Explorer:
    """p(x | θ) for a chosen family, and g(θ) with its
    tangent (slope = mean) and curvature (= variance)."""
    curves = _curves()
    canvas = _KeyedCanvas(1, 2, figsize=(6.2, 3.3))
    # Fixed margins instead of constrained layout: changing family redraws the
    # background, and a layout pass would make that several times slower.
    canvas.fig.set_layout_engine(None)
    canvas.fig.subplots_adjust(
        left=0.11, right=0.99, bottom=0.25, top=0.92, wspace=0.25
    )
    ax_p, ax_g = canvas.axes
    blue, orange, green, red = PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3]

    bars = {
        "categorical": ax_p.bar(np.arange(3), np.zeros(3), color=[orange, blue, blue]),
        "bernoulli": ax_p.bar([0, 1], np.zeros(2), color=blue, width=0.6),
    }
    for container in bars.values():
        canvas.animate(*container)
    # one patch for the Poisson's 81 probabilities: far cheaper to draw than 81 bars
    steps = canvas.animate(
        ax_p.stairs(
            np.zeros(POISSON_X.size),
            np.append(POISSON_X, POISSON_X[-1] + 1) - 0.5,
            fill=True,
            color=blue,
        )
    )
    (density,) = ax_p.plot(GAUSS_X, np.zeros_like(GAUSS_X), color=blue, linewidth=2)
    (spread,) = ax_p.plot([], [], color=red, linewidth=2.5, solid_capstyle="butt")
    (centre,) = ax_p.plot([], [], "o", color=red, markersize=6)
    canvas.animate(density, spread, centre)

    (curve,) = ax_g.plot([], [], color="black", linewidth=1.8, label="g(θ)")
    (tangent,) = ax_g.plot(
        [], [], color=orange, linewidth=1.8, label="tangent: slope E[φ]"
    )
    (taylor,) = ax_g.plot(
        [], [], "--", color=green, linewidth=1.8, label="parabola: curvature Var[φ]"
    )
    (point,) = ax_g.plot([], [], "o", color=red, markersize=6)
    canvas.animate(curve, tangent, taylor, point)
    # Under the panels: inside the right one it would cover g wherever it went.
    canvas.fig.legend(
        handles=[curve, tangent, taylor], loc="lower center", ncols=3, borderaxespad=0.2
    )
    ax_g.set(xlim=(THETA_LO, THETA_HI), title="log-partition g(θ)")
    shown = {"family": None, "xmax": None, "ymax": None}

    def set_background(name: str, xmax: float, ymax: float) -> None:
        """Axes of the left panel and labels that depend
        on the family: redrawn only when they change."""
        shown_x = SHOWN[name].x
        if name == "poisson":
            ax_p.set(xlim=(-0.6, xmax + 0.6), xticks=np.arange(0, xmax + 1, xmax / 5))
        elif name == "gaussian":
            ax_p.set(xlim=(shown_x[0], shown_x[-1]), xticks=np.linspace(-12, 12, 7))
        else:
            ax_p.set(xlim=(-0.6, shown_x[-1] + 0.6), xticks=shown_x)
        ax_p.set(
            xlabel=SHOWN[name].xlabel,
            ylim=(0, ymax),
            ylabel="density" if name == "gaussian" else "probability",
            title=f"{families[name].label}: p(x | θ)"
            + ("" if name == "categorical" else ", mean ± sd"),
        )
        g = curves[name]
        lo, hi = float(np.min(g)), float(np.max(g))
        ax_g.set(
            ylim=(lo - 0.08 * (hi - lo), hi + 0.08 * (hi - lo)), xlabel=SHOWN[name].axis
        )
        shown.update(family=name, xmax=xmax, ymax=ymax)
        canvas.show((name, xmax, ymax))

    def update(family, theta, theta2):
        fam = families[family]
        v = natural(family, theta, theta2)
        g, slope, curvature = slice_derivatives(family, theta, theta2)
        for name, container in bars.items():
            for bar in container:
                bar.set_visible(name == family)
        steps.set_visible(family == "poisson")
        density.set_visible(family == "gaussian")
        spread.set_visible(family != "categorical")
        centre.set_visible(family != "categorical")

        xmax = 0.0  # only the Poisson's x-axis moves
        if family == "gaussian":
            p = np.exp(fam.log_prob(GAUSS_X, v))
            density.set_ydata(p)
            ymax = 0.85
        else:
            p = np.exp(fam.log_prob(SHOWN[family].x, v))
            for bar, height in zip(bars.get(family, ()), p):
                bar.set_height(height)
            ymax = 1.05
            if family == "poisson":
                steps.set_data(p)
                xmax = _level(slope + 4 * np.sqrt(curvature) + 1, 80.0, 4)
                ymax = 1.05 * _level(float(p.max()), 1.0, 5)
        if (family, xmax, ymax) != (shown["family"], shown["xmax"], shown["ymax"]):
            set_background(family, xmax, ymax)

        if family != "categorical":
            mean, sd = (
                float(np.ravel(fam.mean(v))[0]),
                float(np.sqrt(np.ravel(fam.covariance(v))[0])),
            )
            spread.set_data([mean - sd, mean + sd], [0.93 * ymax] * 2)
            centre.set_data([mean], [0.93 * ymax])

        row = (
            int(np.rint((theta2 - THETA2_LO) / THETA2_STEP))
            if family == "gaussian"
            else None
        )
        curve.set_data(
            THETA_GRID, curves[family][row] if row is not None else curves[family]
        )
        tangent.set_data(
            [THETA_LO, THETA_HI],
            [g + slope * (THETA_LO - theta), g + slope * (THETA_HI - theta)],
        )
        d = np.linspace(-1.5, 1.5, 41)
        taylor.set_data(theta + d, g + slope * d + 0.5 * curvature * d * d)
        point.set_data([theta], [g])

        usual = fam.from_natural(v)
        described = ", ".join(
            f"{SYMBOL[k]} = ({', '.join(f'{x:.3f}' for x in val)})"
            if np.ndim(val)
            else f"{SYMBOL[k]} = {float(val):.3f}"
            for k, val in usual.items()
        )
        stat = SHOWN[family].stat
        return (
            f"{described} &nbsp; g(θ) = {g:.3f} &nbsp; slope g′(θ) = E[{stat}] = "
            f"{slope:.3f}"
            f" &nbsp; curvature g″(θ) = Var[{stat}] = {curvature:.3f}"
        )

    controls = {
        "family": dropdown(
            family,
            [(shown.family.label, name) for name, shown in SHOWN.items()],
            "family",
        ),
        "theta": float_slider(theta, THETA_LO, THETA_HI, 0.05, "natural parameter θ"),
        "theta2": float_slider(
            theta2, THETA2_LO, THETA2_HI, THETA2_STEP, "Gaussian's θ₂ = −1/(2σ²)"
        ),
    }
    return Explorer(
        controls,
        update,
        canvas,
        alt="Left: the distribution of the chosen family at natural parameter θ. "
        "Right: the "
        "log-partition g(θ), its tangent at θ (slope = mean) and its Taylor parabola "
        "(curvature = variance).",
    )
