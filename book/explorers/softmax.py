"""Chapter 2's explorer: three logits and a temperature, the softmax bars, the loss and its gradient."""
from __future__ import annotations

import numpy as np

from book.softmax import cross_entropy, cross_entropy_grad, softmax
from book.plotting import CLASS_COLORS
from book.widgets import Canvas, Explorer, dropdown, explorer, float_slider


@explorer(static={"o0": 9, "temperature": 9})
def softmax_explorer(*, o0: float = 2.0, o1: float = 1.0, o2: float = -1.0,
                     temperature: float = 1.0, label: int = 0) -> Explorer:
    """Probability bars p = softmax(o / T) and the gradient p − e_y for a chosen label y."""
    canvas = Canvas(1, 2, figsize=(6.4, 2.8))
    ax_p, ax_g = canvas.axes
    classes = np.arange(3)
    bars_p = canvas.animate(*ax_p.bar(classes, np.zeros(3), color=CLASS_COLORS[:3]))
    bars_g = canvas.animate(*ax_g.bar(classes, np.zeros(3), color=CLASS_COLORS[:3]))
    ax_p.set(ylim=(0, 1), xticks=classes, xticklabels=["class 0", "class 1", "class 2"],
             ylabel="probability", title="p = softmax(o / T)")
    ax_g.set(ylim=(-1, 1), xticks=classes, xticklabels=["class 0", "class 1", "class 2"],
             ylabel="∂l/∂o", title="gradient p − y")
    ax_g.axhline(0, color="black", linewidth=0.8)

    def update(o0, o1, o2, temperature, label):
        o = np.array([o0, o1, o2]) / temperature
        p = softmax(o)
        g = cross_entropy_grad(o, label)
        for bar, height in zip(bars_p, p):
            bar.set_height(height)
        for bar, height in zip(bars_g, g):
            bar.set_height(height)
        loss = float(cross_entropy(o, label))
        return (f"p = ({p[0]:.3f}, {p[1]:.3f}, {p[2]:.3f}) &nbsp; loss −log p<sub>{label}</sub> = {loss:.3f}"
                f" &nbsp; gradient sums to {g.sum():+.1e}")

    controls = {
        "o0": float_slider(o0, -5, 5, 0.1, "logit o₀"),
        "o1": float_slider(o1, -5, 5, 0.1, "logit o₁"),
        "o2": float_slider(o2, -5, 5, 0.1, "logit o₂"),
        "temperature": float_slider(temperature, 0.1, 5, 0.1, "temperature T"),
        "label": dropdown(label, [("class 0", 0), ("class 1", 1), ("class 2", 2)], "true label y"),
    }
    return Explorer(controls, update, canvas,
                    alt="Bar charts of the softmax probabilities of three classes and of the gradient p − y.")
