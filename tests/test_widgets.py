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


# --- start values and control values are checked ------------------------------------------------

@pytest.mark.parametrize("make, kind, message", [
    (lambda: float_slider("0.5", 0.0, 1.0, 0.1, "x"), TypeError, "x: start value must be a number"),
    (lambda: float_slider(None, 0.0, 1.0, 0.1, "x"), TypeError, "x: start value must be a number"),
    (lambda: float_slider(np.nan, 0.0, 1.0, 0.1, "x"), ValueError, "x: start value must be a number"),
    (lambda: float_slider(True, 0.0, 1.0, 0.1, "x"), TypeError, "boolean"),
    (lambda: float_slider(0.5, 1.0, 0.0, 0.1, "x"), ValueError, "lo must be below hi"),
    (lambda: float_slider(0.5, 0.0, 1.0, 0.0, "x"), ValueError, "x: step must be a positive"),
    (lambda: int_slider(2.0, 0, 4, "n"), TypeError, "n: start value must be an integer"),
    (lambda: int_slider(2, 0, 4, "n", step=0), ValueError, "n: step must be a positive integer"),
    (lambda: dropdown(True, [0, 1, 2], "label"), ValueError, "not one of"),
    (lambda: dropdown(None, [0, 1, 2], "label"), ValueError, "not one of"),
    (lambda: dropdown(0, [], "label"), TypeError, "options must be a non-empty list"),
    (lambda: Canvas(0, 1), ValueError, "nrows must be a positive integer"),
    (lambda: Canvas(figsize=(6.4, -1.0)), ValueError, "figsize must be"),
    (lambda: Canvas(figsize=(1e4, 1e4), dpi=100), ValueError, "MAX_ELEMENTS"),
    (lambda: explorer(static={"x": 0}), ValueError, "static\\['x'\\] must be a positive integer"),
    (lambda: explorer(3), TypeError, "name must be a string"),
])
def test_bad_controls_are_refused(make, kind, message):
    with pytest.raises(kind, match=message):
        make()


def test_an_explorer_checks_the_kind_of_every_start_value():
    explorers = {"softmax": ALL["softmax_explorer"], "expfamily": ALL["expfamily_explorer"]}
    with pytest.raises(TypeError, match="softmax_explorer: label must be an integer, got a boolean"):
        explorers["softmax"](label=True)
    with pytest.raises(TypeError, match="softmax_explorer: o0 must be a number, got '2'"):
        explorers["softmax"](o0="2")
    with pytest.raises(TypeError, match="softmax_explorer: label must be an integer, got 1.0"):
        explorers["softmax"](label=1.0)
    with pytest.raises(ValueError, match="logit o₀: start value 9.0 is outside"):
        explorers["softmax"](o0=9.0)
    with pytest.raises(TypeError, match="expfamily_explorer: family must be a string"):
        explorers["expfamily"](family=None)
    with pytest.raises(ValueError, match="family: start value 'weibull' is not one of"):
        explorers["expfamily"](family="weibull")


def test_a_drop_down_set_to_none_is_refused_before_the_update_meets_it():
    ex = ALL["softmax_explorer"]()
    with pytest.raises(ValueError, match="true label y: None is not one of"):
        ex.controls["label"].value = None


def test_explorer_arguments_are_checked():
    canvas = Canvas()
    slider = float_slider(0.0, -1, 1, 0.5, "a")
    with pytest.raises(TypeError, match="controls must be"):
        Explorer({}, lambda: "", canvas, alt="x")
    with pytest.raises(TypeError, match="update must be a function"):
        Explorer({"a": slider}, None, canvas, alt="x")
    with pytest.raises(TypeError, match="canvas must be"):
        Explorer({"a": slider}, lambda a: "", None, alt="x")
    with pytest.raises(ValueError, match="alt must be"):
        Explorer({"a": slider}, lambda a: "", canvas, alt="")
