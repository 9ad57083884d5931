"""The explorer pattern: a Matplotlib picture
and readouts driven by ipywidgets controls.

An explorer is a function that takes only keyword arguments (the controls'
starting values) and returns an :class:`Explorer`, an ``ipywidgets.VBox`` whose
children are the controls, the picture (an ``ipywidgets.Image`` holding PNG
bytes) and an HTML readout. Why this shape:

* the picture is PNG bytes, so the same explorer works in a live kernel, in
  the saved widget state of the static book, and under strict nbval (no
  ``Output`` widget, no ``clear_output``, nothing printed);
* the update is a plain Python function ``update(**values) -> readout``, so it
  is unit-tested like any other function;
* drawing reuses one figure and redraws only the artists that move (blitting)
  over a cached background, so an update takes milliseconds, not the 50–100 ms
  of a full ``savefig``.

Every explorer registers itself with :func:`explorer`, so ``ALL`` lists them
all without anyone editing a shared list.
"""

from __future__ import annotations

import functools
import inspect
import struct
import zlib
from typing import Callable

import ipywidgets as widgets
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from book.checks import (
    as_bool,
    as_count,
    as_float_array,
    as_number,
    as_positive,
    check_size,
)
from book.plotting import use_book_style

__all__ = [
    "ALL",
    "STATIC",
    "explorer",
    "Canvas",
    "Explorer",
    "float_slider",
    "int_slider",
    "dropdown",
    "controls_of",
]

#: Every explorer in the book: name → function returning an :class:`Explorer`.
ALL: dict[str, Callable[..., "Explorer"]] = {}

#: For the static (no-kernel) book: name → {control name: number of grid points}.
STATIC: dict[str, dict[str, int]] = {}


def explorer(name: str | None = None, *, static: dict[str, int] | None = None):
    """Register an explorer function in :data:`ALL`
    under ``name`` (default: its own name).

    ``static`` names the controls that the no-kernel version of the explorer
    varies and how many grid points each gets (keep the product under ~100);
    the other controls stay at their defaults there.

    The registered function checks its arguments before it builds anything: each
    start value must be of its default's kind (a number for a float default, an
    integer for an int, a string for a str; never a boolean for a number), so
    ``softmax_explorer(label=True)`` or ``(o0="2")`` is a ``TypeError`` that names
    the argument. The controls then check that the value is in their range.
    """
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a string or None, got {type(name).__name__}")
    if static is not None and not isinstance(static, dict):
        raise TypeError(
            "static must be a dict of control name → number of grid points, got "
            f"{type(static).__name__}"
        )
    grid = {}
    for key, n in (static or {}).items():
        if not isinstance(key, str):
            raise TypeError(
                f"static's keys must be control names (strings), got {key!r}"
            )
        grid[key] = as_count(n, f"static[{key!r}]", minimum=1)

    def register(fn):
        if not callable(fn):
            raise TypeError(f"explorer registers a function, got {type(fn).__name__}")
        key = name or fn.__name__
        if key in ALL:
            raise ValueError(f"an explorer named {key!r} is already registered")
        defaults = {
            p.name: p.default
            for p in inspect.signature(fn).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
            and p.default is not inspect.Parameter.empty
        }

        @functools.wraps(fn)
        def checked(**kwargs):
            for arg, value in kwargs.items():
                if arg in defaults:
                    _check_start(f"{fn.__name__}: {arg}", value, defaults[arg])
            return fn(**kwargs)

        ALL[key] = checked
        STATIC[key] = grid
        return checked

    return register


def _check_start(name: str, value, default) -> None:
    """A start value of the same kind as the argument's default."""
    if isinstance(default, (bool, np.bool_)):
        as_bool(value, name)
    elif isinstance(default, (int, np.integer)):
        as_count(value, name, minimum=None)
    elif isinstance(default, (float, np.floating)):
        as_number(value, name)
    elif isinstance(default, str) and not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {value!r}")


class Canvas:
    """One Matplotlib figure, rendered to PNG bytes without pyplot.

    Artists passed to :meth:`animate` are drawn on every :meth:`png` call over a
    cached background that holds everything else (axes, ticks, labels, fixed
    data). Call :meth:`invalidate` when something in the background changes
    (axis limits, say) so the next frame redraws it.
    """

    def __init__(
        self,
        nrows: int = 1,
        ncols: int = 1,
        figsize=(6.4, 3.6),
        dpi: int = 80,
        **subplots_kw,
    ):
        nrows, ncols = (
            as_count(nrows, "nrows", minimum=1),
            as_count(ncols, "ncols", minimum=1),
        )
        size = as_float_array(figsize, "figsize")
        if size.shape != (2,) or (size <= 0).any():
            raise ValueError(
                "figsize must be (width, height) in inches, two positive numbers, got "
                f"{figsize!r}"
            )
        dpi = as_count(dpi, "dpi", minimum=1)
        check_size(int(4 * size[0] * dpi * size[1] * dpi), "the canvas's RGBA pixels")
        use_book_style()
        self.fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.fig)
        self.axes = self.fig.subplots(
            nrows, ncols, squeeze=False, **subplots_kw
        ).ravel()
        self._animated: list = []
        self._background = None

    def animate(self, *artists):
        """Mark ``artists`` as the moving parts: redrawn each frame,
        left out of the background."""
        if not artists:
            raise TypeError("animate needs at least one artist")
        for artist in artists:
            if not hasattr(artist, "set_animated"):
                raise TypeError(
                    f"animate takes Matplotlib artists, got {type(artist).__name__}"
                )
            artist.set_animated(True)
            self._animated.append(artist)
        return artists[0] if len(artists) == 1 else artists

    def invalidate(self) -> None:
        """Forget the cached background (call after changing anything not animated)."""
        self._background = None

    def rgba(self) -> np.ndarray:
        """The current frame as an (h, w, 4) uint8 array."""
        if self._background is None:
            self.fig.draw_without_rendering()  # settle the constrained layout first
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in self._animated:
            if artist.get_visible():
                artist.draw(renderer)
        return np.asarray(self.canvas.buffer_rgba())

    def png(self) -> bytes:
        """The current frame as PNG bytes (see :func:`_png`)."""
        return _png(self.rgba())


def _png(frame: np.ndarray) -> bytes:
    """PNG bytes of the RGB channels of an (h, w, 4) uint8
    frame: rows unfiltered, zlib level 1.

    Pillow picks a filter for every row by trying them all, which costs five to
    ten times the compression itself on an explorer's frame (15–25 ms of a
    33 ms budget); plot colours are flat enough to compress as small without.
    """
    h, w = frame.shape[:2]
    # each row: filter type 0 (none), then R G B R G B …
    rows = np.zeros((h, 1 + 3 * w), np.uint8)
    rows[:, 1:].reshape(h, w, 3)[...] = frame[..., :3]
    # 8 bits per channel, truecolour, no interlace
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        _PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows, 1))
        + _chunk(b"IEND", b"")
    )


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 of type and data."""
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data))
    )


class _Picture(widgets.Image):
    """An ``ipywidgets.Image`` whose tooltip (our alt text) works in a browser.

    ipywidgets' front end (8.1) reads ``description.length`` whenever a widget
    has a tooltip; ``Image`` has no ``description``, so an Image with a tooltip
    fails to render at all (a TypeError in the page, the picture never shows).
    An empty synced ``description`` lets the tooltip become the image's title.
    """

    description = traitlets.Unicode("").tag(sync=True)


class Explorer(widgets.VBox):
    """Controls, a picture and a readout, wired to a plain update function.

    ``update(**values)`` receives every control's value by name, moves the
    canvas's artists and returns the readout's HTML (or ``""``). It runs once
    at construction, and again whenever any control changes.
    """

    def __init__(
        self,
        controls: dict[str, widgets.ValueWidget],
        update: Callable[..., str],
        canvas: Canvas,
        *,
        alt: str,
        columns: int = 2,
    ):
        if (
            not isinstance(controls, dict)
            or not controls
            or not all(
                isinstance(k, str) and isinstance(c, widgets.ValueWidget)
                for k, c in controls.items()
            )
        ):
            raise TypeError(
                "controls must be a non-empty dict of name → ipywidgets control"
            )
        if not callable(update):
            raise TypeError(f"update must be a function, got {type(update).__name__}")
        if not isinstance(canvas, Canvas):
            raise TypeError(
                f"canvas must be a book.widgets.Canvas, got {type(canvas).__name__}"
            )
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError(
                "alt must be a sentence saying what the picture shows (it is the "
                "picture's alt text)"
            )
        columns = as_count(columns, "columns", minimum=1)
        self.controls = dict(controls)
        self.update = update
        self.canvas = canvas
        self.image = _Picture(
            format="png", tooltip=alt, layout=widgets.Layout(max_width="100%")
        )
        self.readout = widgets.HTML()
        grid = widgets.GridBox(
            list(self.controls.values()),
            layout=widgets.Layout(
                grid_template_columns=f"repeat({columns}, minmax(0, 1fr))"
            ),
        )
        super().__init__([grid, self.image, self.readout])
        for control in self.controls.values():
            control.observe(self.refresh, names="value")
        self.refresh()

    def values(self) -> dict:
        """The controls' current values, by name."""
        return {key: control.value for key, control in self.controls.items()}

    def refresh(self, _change=None) -> None:
        """Run the update with the current values and show the new picture and readout.

        Raises ``ValueError`` naming the control when a drop-down holds a value that is
        not one of its options (``None``, say), before the update meets it.
        """
        for control in self.controls.values():
            if isinstance(control, _CHOICES):
                _check_choice(
                    control.value, _option_values(control.options), control.description
                )
        self.readout.value = self.update(**self.values()) or ""
        self.image.value = self.canvas.png()


def _layout() -> widgets.Layout:
    return widgets.Layout(width="auto")


_STYLE = {"description_width": "initial"}


_CHOICES = (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons)


def _option_values(options) -> list:
    return [o[1] if isinstance(o, tuple) else o for o in options]


def _check_choice(value, values: list, description: str) -> None:
    """``value`` is one of
    ``values`` (a boolean only matches a boolean, never 0 or 1)."""
    if not any(
        v == value
        and isinstance(v, (bool, np.bool_)) == isinstance(value, (bool, np.bool_))
        for v in values
    ):
        raise ValueError(f"{description}: {value!r} is not one of {values}")


def _check_range(value, lo, hi, step, description: str, integer: bool) -> None:
    check = (
        (lambda v, what: as_count(v, f"{description}: {what}", minimum=None))
        if integer
        else (lambda v, what: as_number(v, f"{description}: {what}"))
    )
    value, lo, hi = check(value, "start value"), check(lo, "lo"), check(hi, "hi")
    if not lo < hi:
        raise ValueError(f"{description}: lo must be below hi, got [{lo}, {hi}]")
    if integer:
        as_count(step, f"{description}: step", minimum=1)
    else:
        as_positive(step, f"{description}: step")
    if not lo <= value <= hi:
        raise ValueError(f"{description}: start value {value} is outside [{lo}, {hi}]")


def float_slider(
    value: float, lo: float, hi: float, step: float, description: str
) -> widgets.FloatSlider:
    """A float slider from ``lo`` to ``hi`` that starts at ``value``."""
    _check_range(value, lo, hi, step, description, integer=False)
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=True,
        style=_STYLE,
        layout=_layout(),
    )


def int_slider(
    value: int, lo: int, hi: int, description: str, step: int = 1
) -> widgets.IntSlider:
    """An integer slider from ``lo`` to ``hi`` that starts at ``value``."""
    _check_range(value, lo, hi, step, description, integer=True)
    return widgets.IntSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=True,
        style=_STYLE,
        layout=_layout(),
    )


def dropdown(value, options, description: str) -> widgets.Dropdown:
    """A drop-down menu; ``options`` is a list of values or of (label, value) pairs."""
    if (
        isinstance(options, (str, bytes))
        or not isinstance(options, (list, tuple))
        or not options
    ):
        raise TypeError(
            f"{description}: options must be a non-empty list, got {options!r}"
        )
    values = _option_values(options)
    try:
        _check_choice(value, values, description)
    except ValueError:
        raise ValueError(
            f"{description}: start value {value!r} is not one of {values}"
        ) from None
    return widgets.Dropdown(
        value=value,
        options=options,
        description=description,
        style=_STYLE,
        layout=_layout(),
    )


def controls_of(widget) -> list:
    """Every control (slider, drop-down, toggle,
    …) inside ``widget``, found by walking ``.children``."""
    found = []
    for child in getattr(widget, "children", ()):
        if isinstance(child, widgets.Box):
            found.extend(controls_of(child))
        elif isinstance(child, (widgets.ValueWidget,)) and not isinstance(
            child, (widgets.Image, widgets.HTML, widgets.Label, widgets.HTMLMath)
        ):
            found.append(child)
    return found
