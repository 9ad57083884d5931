"""The no-kernel explorers: grids, frame counts, and frames equal to what the kernel explorer draws.

A build draws the whole figure and precomputes what the explorer shows (0.2–1.3 s), so each
kernel explorer is built once for this module and shared, always at its start: a test that
moves its controls sets them back, and must then find exactly the picture and readout the
explorer showed when built. Only `render` builds its own, as it does in the book.
"""
import io
import sys
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

import book.explorers  # noqa: F401  (registers every explorer)
from book.explorers import ALL, STATIC
from book.figcheck import figure_problems
from book.static_frames import MAX_FRAMES, grid_values, quantize_png, render, static_controls

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
from static_explorers import explorer_call, markup  # noqa: E402
from test_explorers import positions  # noqa: E402  (each control's minimum, middle and maximum)

#: The stated compression tolerance. A 256-colour palette keeps the book's flat-colour figures
#: nearly exact: the mean absolute channel difference stays under MEAN_TOL, and only antialiased
#: edges (under EDGE_FRACTION of the pixels) may differ by more than CHANNEL_TOL.
MEAN_TOL = 1.0
CHANNEL_TOL = 24
EDGE_FRACTION = 0.005


def decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


@pytest.fixture(scope="module", params=sorted(ALL))
def name(request) -> str:
    """Each registered explorer's name; module scope groups each explorer's tests together."""
    return request.param


@pytest.fixture(scope="module")
def built(name):
    """The kernel explorer ``name``, built once, and the picture and readout it starts on."""
    ex = ALL[name]()
    return ex, ex.values(), ex.image.value, ex.readout.value


def back_to_start(built) -> None:
    """Set every control of the shared explorer back to its start; it must show its first picture again."""
    ex, start, image, readout = built
    for key, value in start.items():
        ex.controls[key].value = value
    assert ex.image.value == image, "moving the controls back to their start changed the picture"
    assert ex.readout.value == readout, "moving the controls back to their start changed the readout"


@pytest.fixture
def ex(built):
    """The module's explorer ``name`` at its start; set back to its start afterwards."""
    assert built[0].values() == built[1]
    yield built[0]
    back_to_start(built)


@pytest.fixture(scope="module")
def full_softmax():
    """Every frame of the softmax explorer (81): the full render, made once for the tests that need one."""
    return render("softmax_explorer")


def test_every_explorer_has_a_static_version_within_bounds(name, ex):
    assert STATIC[name], f"{name} declares no static controls (explorer(static={{...}}))"
    frames = 1
    for key, n in STATIC[name].items():
        values, start = grid_values(ex.controls[key], n)
        assert values[start] == ex.controls[key].value
        frames *= len(values)
    assert frames <= MAX_FRAMES


def test_frames_match_the_kernel_explorer(name, built, ex):
    grid = static_controls(ex, STATIC[name])  # the grid render(name) uses: the explorer is at its start
    rng = np.random.default_rng(0)
    picks = [tuple(int(rng.integers(len(c.values))) for c in grid) for _ in range(3)]
    static = render(name, only=picks)
    assert [(c.key, c.values) for c in static.controls] == [(c.key, c.values) for c in grid]
    for positions, frame, readout in zip(picks, static.frames, static.readouts):
        back_to_start(built)  # the kernel explorer as built, moved control by control as a reader would
        for control, pos in zip(static.controls, positions):
            ex.controls[control.key].value = control.values[pos]
        assert readout == ex.readout.value
        want, got = decode(ex.image.value), decode(frame)
        assert want.shape == got.shape
        diff = np.abs(want - got)
        assert diff.mean() <= MEAN_TOL, diff.mean()
        assert np.mean(diff.max(axis=2) > CHANNEL_TOL) <= EDGE_FRACTION


def test_frames_pass_the_figure_check(name, ex):
    """No clipped or overlapping text, no legend over the data, text legible on a phone (book.figcheck).

    Each control at its minimum, middle and maximum, the others at their start values: the
    frames the static book and the kernel explorer draw with the same update and canvas.
    The check measures the frame as drawn (the canvas's renderer, its cached background).
    """
    start = ex.values()
    found = {}
    try:
        for key, control in ex.controls.items():
            for value in positions(control):
                ex.update(**dict(start, **{key: value}))
                ex.canvas.rgba()
                for problem in figure_problems(ex.canvas.fig, renderer=ex.canvas.canvas.get_renderer()):
                    found.setdefault(problem, []).append(f"{key}={value!r}")
    finally:
        ex.refresh()  # the artists back at the start values
    assert not found, f"{name}:\n" + "\n".join(f"{p} (at {', '.join(where)})" for p, where in found.items())


def test_a_full_render_has_one_frame_per_grid_point(full_softmax):
    static = full_softmax
    assert len(static.frames) == len(static.readouts) == int(np.prod([len(c.values) for c in static.controls]))
    assert static.index(tuple(len(c.values) - 1 for c in static.controls)) == len(static.frames) - 1
    assert len(set(static.frames)) > len(static.frames) // 2


def test_markup_has_plain_controls_picture_and_readout(full_softmax):
    html = markup(full_softmax)  # its readouts hold HTML tags, so "</" must be escaped in the frames' JSON
    assert 'type="range"' in html or "<select" in html
    assert "<img class=\"static-explorer-picture\"" in html and "<output class=\"static-explorer-readout\">" in html
    assert "</script>" in html and html.count("</script>") == 1


def test_grid_values_of_sliders_and_dropdowns():
    slider = widgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.1)
    values, start = grid_values(slider, 5)
    assert values == [0.0, 0.3, 0.5, 0.8, 1.0] and start == 1
    ints, start = grid_values(widgets.IntSlider(value=2, min=0, max=10), 3)
    assert ints == [0, 2, 10] and start == 1
    menu = widgets.Dropdown(options=[("a", 1), ("b", 2)], value=2)
    assert grid_values(menu, 9) == ([1, 2], 1)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        grid_values(slider, 0)
    with pytest.raises(TypeError, match="cannot vary"):
        grid_values(widgets.Text(), 3)


def test_explorer_call_recognises_only_plain_calls():
    known = {"softmax_explorer"}
    assert explorer_call("softmax_explorer()", known) == ("softmax_explorer", {})
    assert explorer_call("book.explorers.softmax_explorer(o0=1.5)", known) == ("softmax_explorer", {"o0": 1.5})
    assert explorer_call("x = softmax_explorer()", known) is None
    assert explorer_call("softmax_explorer(3)", known) is None
    assert explorer_call("softmax_explorer(o0=f(2))", known) is None
    assert explorer_call("other()", known) is None
    assert explorer_call("softmax_explorer(", known) is None


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="n must be a positive integer"):
        grid_values(widgets.IntSlider(value=2, min=0, max=10), 2.0)
    with pytest.raises(TypeError, match="name must be an explorer's name"):
        render(None)
    with pytest.raises(ValueError, match="is not a position on"):
        render("softmax_explorer", only=[(0,)])
    with pytest.raises(ValueError, match="rgba must be an"):
        quantize_png(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="colors must be at most 256"):
        quantize_png(np.zeros((4, 4, 4), np.uint8), colors=300)
