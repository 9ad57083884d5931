"""Explorers for the online book, where no
kernel runs: every frame rendered ahead of time.

For each explorer, :data:`book.widgets.STATIC` names the controls that the static
version varies and how many grid points each gets. :func:`render` sets the real
explorer's controls to every combination, in turn, and keeps what it shows: the
picture (as a palette-quantised PNG, to keep pages small) and the readout. The
static page then only swaps pictures, so it moves instantly, offline, and shows
exactly what the kernel explorer draws.
"""

from __future__ import annotations

import base64
import io
import itertools
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
from PIL import Image as PILImage

from book.checks import as_count

# importing book.explorers registers every explorer
from book.explorers import (
    ALL,
    STATIC,
)

__all__ = [
    "StaticControl",
    "StaticExplorer",
    "grid_values",
    "static_controls",
    "render",
    "quantize_png",
]

#: The most frames one static explorer may have.
MAX_FRAMES = 121


@dataclass
class StaticControl:
    """One control of a static explorer: its name,
    label, kind and the values it can take."""

    key: str
    description: str
    kind: str  # "range" for sliders, "select" for drop-downs
    values: list
    labels: list[str]
    start: int  # index of the starting value


@dataclass
class StaticExplorer:
    """Every frame of one explorer: the controls' grids
    and, in row-major order, pictures and readouts."""

    name: str
    controls: list[StaticControl]
    fixed: list[str]  # descriptions of the controls held at their start values
    frames: list[bytes] = field(default_factory=list)
    readouts: list[str] = field(default_factory=list)
    alt: str = ""

    def index(self, positions: tuple[int, ...]) -> int:
        """Frame number of a tuple of grid positions, one per control (row-major)."""
        flat = 0
        for control, pos in zip(self.controls, positions):
            flat = flat * len(control.values) + pos
        return flat

    def to_json(self) -> dict:
        """What the page's script needs: controls, base64 frames and readouts."""
        return {
            "name": self.name,
            "alt": self.alt,
            "controls": [
                {
                    "key": c.key,
                    "description": c.description,
                    "kind": c.kind,
                    "labels": c.labels,
                    "start": c.start,
                }
                for c in self.controls
            ],
            "frames": [base64.b64encode(f).decode("ascii") for f in self.frames],
            "readouts": self.readouts,
        }


def _format(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def grid_values(control: widgets.ValueWidget, n: int) -> tuple[list, int]:
    """``n`` values spanning ``control``'s
    range (all options for a drop-down), and the start's index.

    Slider values are snapped to the slider's step, and the interior grid point
    nearest the control's current value is replaced by that value, so the static
    version starts on exactly the picture the explorer first shows and still
    reaches both ends of the range.
    """
    n = as_count(
        n,
        "n",
        minimum=1,
        maximum=MAX_FRAMES,
        why="MAX_FRAMES: a static grid needs at least one point",
    )
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        raw = np.linspace(control.min, control.max, n)
        if isinstance(control, widgets.IntSlider):
            values = sorted({int(round(v)) for v in raw})
        else:
            step = control.step or 0
            snapped = [
                control.min + round((v - control.min) / step) * step if step else v
                for v in raw
            ]
            values = sorted(
                {
                    float(np.clip(round(v, 10), control.min, control.max))
                    for v in snapped
                }
            )
        if control.value not in values:
            interior = range(1, len(values) - 1)
            # keep both ends of the range: replace the nearest interior point
            if interior:
                values[min(interior, key=lambda i: abs(values[i] - control.value))] = (
                    control.value
                )
            else:
                values.append(control.value)
            values.sort()
        return values, values.index(control.value)
    if isinstance(
        control, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons)
    ):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return values, values.index(control.value)
    raise TypeError(f"a static grid cannot vary a {type(control).__name__}")


def _labels(control, values) -> list[str]:
    if isinstance(
        control, (widgets.Dropdown, widgets.ToggleButtons, widgets.RadioButtons)
    ):
        names = {
            (o[1] if isinstance(o, tuple) else o): (
                o[0] if isinstance(o, tuple) else str(o)
            )
            for o in control.options
        }
        return [names[v] for v in values]
    return [_format(v) for v in values]


def static_controls(ex, spec: dict[str, int]) -> list[StaticControl]:
    """The grid of each control named in ``spec`` (control key → number of points)."""
    if not isinstance(spec, dict):
        raise TypeError(
            "spec must be a dict of control name → number of grid points, got "
            f"{type(spec).__name__}"
        )
    out = []
    for key, n in spec.items():
        if key not in ex.controls:
            raise ValueError(
                f"static control {key!r} is not a control of this explorer "
                f"({sorted(ex.controls)})"
            )
        control = ex.controls[key]
        values, start = grid_values(control, n)
        kind = (
            "range"
            if isinstance(control, (widgets.FloatSlider, widgets.IntSlider))
            else "select"
        )
        out.append(
            StaticControl(
                key, control.description, kind, values, _labels(control, values), start
            )
        )
    return out


def quantize_png(rgba: np.ndarray, colors: int = 256) -> bytes:
    """Encode an (h, w, 4) frame as a PNG with a palette of at most ``colors`` colours.

    Figures of flat colours lose almost nothing and shrink to a third or less.
    """
    rgba = np.asarray(rgba)
    if (
        rgba.dtype != np.uint8
        or rgba.ndim != 3
        or rgba.shape[2] not in (3, 4)
        or 0 in rgba.shape
    ):
        raise ValueError(
            f"rgba must be an (h, w, 4) array of uint8, got shape {rgba.shape} and "
            f"dtype {rgba.dtype}"
        )
    colors = as_count(
        colors, "colors", minimum=1, maximum=256, why="a PNG palette holds 256 colours"
    )
    image = PILImage.fromarray(np.ascontiguousarray(rgba[..., :3]))
    out = io.BytesIO()
    image.quantize(
        colors=colors, method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE
    ).save(out, format="png")
    return out.getvalue()


def _explorer(name: str, kwargs: dict):
    if not isinstance(name, str):
        raise TypeError(
            f"name must be an explorer's name (a string), got {type(name).__name__}"
        )
    if name not in ALL:
        raise ValueError(f"no explorer named {name!r}; known: {sorted(ALL)}")
    ex = ALL[name](**kwargs)
    controls = static_controls(ex, STATIC[name])
    total = int(np.prod([len(c.values) for c in controls])) if controls else 1
    if total > MAX_FRAMES:
        raise ValueError(
            f"{name}: the static grid has {total} frames, more than {MAX_FRAMES}"
        )
    fixed = [c.description for key, c in ex.controls.items() if key not in STATIC[name]]
    return ex, StaticExplorer(name, controls, fixed, alt=ex.image.tooltip or "")


def _frame(ex, static: StaticExplorer, positions: tuple[int, ...]) -> tuple[bytes, str]:
    # The same update the kernel runs on a control change, called directly so that
    # setting several controls draws one frame, not one per control.
    values = ex.values()
    values.update({c.key: c.values[pos] for c, pos in zip(static.controls, positions)})
    readout = ex.update(**values) or ""
    return quantize_png(ex.canvas.rgba()), readout


def render(
    name: str, only: list[tuple[int, ...]] | None = None, **kwargs
) -> StaticExplorer:
    """Render explorer ``name`` (built with ``kwargs``) at
    every point of its static grid.

    ``only`` lists grid positions to render instead of all (for tests); the
    frames then come in that order.
    """
    ex, static = _explorer(name, kwargs)
    grid = itertools.product(*[range(len(c.values)) for c in static.controls])
    if only is not None:
        only = [
            tuple(as_count(p, "a grid position") for p in positions)
            for positions in only
        ]
        for positions in only:
            if len(positions) != len(static.controls) or any(
                p >= len(c.values) for p, c in zip(positions, static.controls)
            ):
                raise ValueError(
                    f"only: {positions} is not a position on {name}'s grid "
                    f"{tuple(len(c.values) for c in static.controls)}"
                )
    for positions in only if only is not None else grid:
        frame, readout = _frame(ex, static, tuple(positions))
        static.frames.append(frame)
        static.readouts.append(readout)
    return static
