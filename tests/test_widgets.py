"""The explorer machinery itself: registration, controls, the blitting canvas."""
import ipywidgets as widgets
import numpy as np
import pytest

from book.explorers import ALL  # importing book.explorers registers every explorer
from book.widgets import Canvas, Explorer, controls_of, dropdown, explorer, float_slider, int_slider


def test_registering_the_same_name_twice_fails():
    name = next(iter(ALL))
    with pytest.raises(ValueError, match="already registered"):
        explorer(name)(lambda: None)


def test_slider_start_outside_its_range_fails():
    with pytest.raises(ValueError, match="outside"):
        float_slider(3.0, 0.0, 1.0, 0.1, "x")
    with pytest.raises(ValueError, match="outside"):
        int_slider(5, 0, 4, "n")
    with pytest.raises(ValueError, match="not one of"):
        dropdown("c", ["a", "b"], "letter")


def test_blitted_frame_equals_a_full_redraw():
    canvas = Canvas()
    (line,) = canvas.axes[0].plot([0, 1], [0, 1])
    canvas.animate(line)
    canvas.axes[0].set(xlim=(0, 1), ylim=(0, 1))
    canvas.rgba()
    line.set_ydata([1, 0])
    blitted = canvas.rgba().copy()
    canvas.invalidate()
    full = canvas.rgba()
    assert np.array_equal(blitted, full)


def test_explorer_redraws_on_change_and_finds_nested_controls():
    canvas = Canvas()
    (line,) = canvas.axes[0].plot([0, 1], [0, 0])
    canvas.animate(line)
    canvas.axes[0].set(ylim=(-1, 1))

    def update(a):
        line.set_ydata([0, a])
        return f"a = {a}"

    ex = Explorer({"a": float_slider(0.0, -1, 1, 0.5, "a")}, update, canvas, alt="a line")
    first = ex.image.value
    ex.controls["a"].value = 1.0
    assert ex.readout.value == "a = 1.0" and ex.image.value != first
    assert controls_of(widgets.VBox([ex])) == [ex.controls["a"]]
