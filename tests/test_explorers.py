"""Every explorer in book.explorers.ALL: each control at its minimum, middle and maximum.

Runs with warnings as errors (pyproject's filterwarnings), so a warning raised
while redrawing fails the test, as does any exception in an update.

Each explorer is built once for this module, not once per test: a build draws
the whole figure and precomputes what the explorer shows (0.2–1.3 s each). The
tests share it at its start: after each test every control is set back to its
starting value, and the picture and readout must then be exactly the ones the
explorer showed when built (a picture is a function of the controls alone).
"""
import ipywidgets as widgets
import numpy as np
import pytest

import book.explorers  # noqa: F401  (registers every explorer)
from book.explorers import ALL, STATIC
from book.widgets import Explorer, controls_of


def positions(control):
    """The minimum, middle and maximum a reader can set on ``control``."""
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        lo, hi = control.min, control.max
        mid = lo + (hi - lo) / 2
        if isinstance(control, widgets.IntSlider):
            mid = int(round(mid))
        elif control.step:
            mid = lo + round((mid - lo) / control.step) * control.step
        return [lo, mid, hi]
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons, widgets.SelectionSlider)):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [values[0], values[len(values) // 2], values[-1]]
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [False, True, False]
    raise AssertionError(f"no test positions for control type {type(control).__name__}")


@pytest.fixture(scope="module", params=sorted(ALL))
def name(request) -> str:
    """Each registered explorer's name; module scope groups each explorer's tests together."""
    return request.param


@pytest.fixture(scope="module")
def built(name):
    """The explorer ``name``, built once, with the control values, picture and readout it starts on."""
    ex = ALL[name]()
    return ex, ex.values(), ex.image.value, ex.readout.value


@pytest.fixture
def ex(built):
    """The module's explorer at its start; afterwards every control is set back, and the start must show again."""
    explorer, start, image, readout = built
    assert explorer.values() == start
    yield explorer
    for key, value in start.items():
        explorer.controls[key].value = value
    assert explorer.image.value == image, "moving the controls back to their start changed the picture"
    assert explorer.readout.value == readout, "moving the controls back to their start changed the readout"


def test_the_registry_is_not_empty():
    assert len(ALL) >= 1


def test_explorer_shape(name, ex):
    assert isinstance(ex, Explorer), f"{name} must return a book.widgets.Explorer"
    assert controls_of(ex), f"{name} has no controls"
    assert ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert ex.image.tooltip, f"{name}'s picture needs alt text (tooltip)"
    for key in STATIC[name]:
        assert key in ex.controls, f"{name}: static control {key!r} is not one of its controls"


def test_every_control_at_min_middle_max(name, ex):
    for control in controls_of(ex):
        start = control.value
        seen = set()
        for value in positions(control):
            control.value = value
            assert control.value == value
            seen.add((ex.image.value, ex.readout.value))
        assert len(seen) > 1, f"{name}: moving {control.description!r} changed neither picture nor readout"
        control.value = start


def test_update_is_plain_python(name, ex):
    """The update function can be called directly with the controls' values."""
    assert isinstance(ex.update(**ex.values()), str)
    frame = ex.canvas.rgba()
    assert frame.ndim == 3 and frame.shape[2] == 4 and np.ptp(frame) > 0
