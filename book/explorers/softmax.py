"""Chapter 2's explorer: three logits and a temperature,
the softmax bars, the loss and its gradient."""

from __future__ import annotations

import numpy as np

from book.plotting import CLASS_COLORS
from book.softmax import cross_entropy, cross_entropy_grad, softmax
from book.widgets import Canvas, Explorer, dropdown, explorer, float_slider

__all__ = ["softmax_explorer"]

K = 3
#: Range of the logit sliders, also the x-range of the loss curve.
O_LIM = (-5.0, 5.0)
#: The loss curve is clipped at this height; larger losses leave the top of the panel.
LOSS_MAX = 8.0


@explorer(static={"o0": 9, "temperature": 9})
def softmax_explorer(
    *,
    o0: float = 2.0,
    o1: float = 1.0,
    o2: float = -1.0,
    temperature: float = 1.0,
    label: int = 0,
) -> Explorer:
    """Probabilities p = softmax(o / T), the loss −log p_y and its
    gradient p − y for a chosen label y.

    With z = o / T the scaled logits, the left panel shows p beside the target
    e_y (outlined), the middle one the gradient ∂l/∂z = p − e_y (so
    ∂l/∂o = (p − e_y) / T), and the right one the loss as a function of the
    chosen label's logit o_y with the other two held where they are.
    """
    canvas = Canvas(1, 3, figsize=(6.2, 2.6))
    ax_p, ax_g, ax_l = canvas.axes
    classes = np.arange(K)
    names = [f"class {k}" for k in classes]

    bars_p = canvas.animate(*ax_p.bar(classes, np.zeros(K), color=CLASS_COLORS[:K]))
    target = canvas.animate(
        ax_p.bar(
            [0], [1.0], fill=False, edgecolor="black", linestyle="--", linewidth=1.2
        )[0]
    )
    ax_p.set(
        ylim=(0, 1.05),
        xticks=classes,
        xlabel="class",
        ylabel="probability",
        title=r"$\mathbf{p}$ (dashed: target)",
    )

    bars_g = canvas.animate(*ax_g.bar(classes, np.zeros(K), color=CLASS_COLORS[:K]))
    ax_g.axhline(0, color="black", linewidth=0.8)
    ax_g.set(
        ylim=(-1, 1),
        xticks=classes,
        xlabel="class",
        ylabel=r"$\partial l / \partial (o_i/T)$",
        title=r"gradient $\mathbf{p} - \mathbf{y}$",
    )

    grid = np.linspace(*O_LIM, 201)
    curve = canvas.animate(
        ax_l.plot(grid, np.zeros_like(grid), color="black", linewidth=1.5)[0]
    )
    dot = canvas.animate(
        ax_l.plot([], [], "o", markersize=8, markeredgecolor="black")[0]
    )
    ax_l.set(
        xlim=O_LIM,
        ylim=(0, LOSS_MAX),
        xlabel=r"true class's logit $o_y$",
        ylabel=r"loss $-\log p_y$",
        title=r"loss as $o_y$ moves",
    )

    def update(o0, o1, o2, temperature, label):
        o = np.array([o0, o1, o2])
        z = o / temperature
        p = softmax(z)
        g = cross_entropy_grad(z, label)
        loss = float(cross_entropy(z, label))
        for bar, height in zip(bars_p, p):
            bar.set_height(height)
        target.set_x(label - target.get_width() / 2)
        for bar, height in zip(bars_g, g):
            bar.set_height(height)
        # The loss along o_y: o_y takes every value
        # on the grid, the other logits stay put.
        Z = np.repeat(z[None, :], len(grid), axis=0)
        Z[:, label] = grid / temperature
        curve.set_ydata(
            np.minimum(cross_entropy(Z, np.full(len(grid), label)), 2 * LOSS_MAX)
        )
        dot.set_data([o[label]], [loss])
        dot.set_color(CLASS_COLORS[label])
        dot.set_markeredgecolor("black")
        return (
            f"p = ({p[0]:.3f}, {p[1]:.3f}, {p[2]:.3f}) &nbsp; loss −log "
            f"p<sub>{label}</sub> = {loss:.3f}"
            f" &nbsp; ∂l/∂o = (p − y)/T = ({g[0] / temperature:+.3f}, "
            f"{g[1] / temperature:+.3f}, "
            f"{g[2] / temperature:+.3f})"
        )

    controls = {
        "o0": float_slider(o0, *O_LIM, 0.1, "logit o₀"),
        "o1": float_slider(o1, *O_LIM, 0.1, "logit o₁"),
        "o2": float_slider(o2, *O_LIM, 0.1, "logit o₂"),
        "temperature": float_slider(temperature, 0.1, 5, 0.1, "temperature T"),
        "label": dropdown(
            label, [(name, k) for k, name in enumerate(names)], "true label y"
        ),
    }
    return Explorer(
        controls,
        update,
        canvas,
        alt="Three panels: bars of the softmax probabilities of three classes with the "
        "true class "
        "outlined, bars of the gradient p − y, and the loss as a curve of the true "
        "class's logit.",
    )
