"""The figure check: no clipped text, no text boxes that overlap,
no legend over the data, text legible on a phone.

:func:`figure_problems` draws a Matplotlib figure and reads the window extent of every
text the reader sees: figure texts, each axes' titles, axis labels, offset texts,
the tick labels inside the axis' view, annotations,
legend entries and legend boxes. It reports, as sentences:

* **clipped text**: an extent that leaves the figure's canvas by more
  than ``TOLERANCE_PX``;
* **overlapping text**: two extents from different artists that overlap by more than
  ``TOLERANCE_PX`` in both directions (a legend counts as its box);
* **a legend over the data**: a legend inside its axes that covers more of the plotted
  points and lines (sampled every ``SAMPLE_PX`` pixels along each line) than the best of
  the nine standard places would, ``covered > 2 × best`` and at
  least ``MIN_COVERED`` samples;
* **text too small on a phone**: a figure is shown scaled to the column,
  so a text of ``s`` points in a figure ``W`` inches wide at ``dpi`` dots per inch
  appears ``px = s · dpi/72 · min(1, column / (W · dpi))`` CSS pixels high;
  on a phone column of ``PHONE_COLUMN_PX`` it must reach ``MIN_PHONE_PX``.
  For a figure wider than the column this is ``s · column / (72 W)``, whatever the dpi:
  10-point text needs a figure at most ``10 · 360 / (72 · 8) = 6.25`` inches wide.

:func:`check_figure` raises :class:`FigureProblems` with the list. Loaded as an IPython
extension (``tools/ipython_kernel_config.py`` does it when ``BOOK_FIGURE_CHECK=1``,
as the Makefile sets it for strict nbval), it checks every figure a cell shows, and
the cell fails with the list, so strict nbval fails.
"""

from __future__ import annotations

import functools
import os

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure, SubFigure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from book.checks import as_number, as_positive

__all__ = [
    "FigureProblems",
    "figure_problems",
    "check_figure",
    "phone_px",
    "TOLERANCE_PX",
    "PHONE_COLUMN_PX",
    "MIN_PHONE_PX",
]

#: Overlap or overhang (in pixels) below which two boxes still count as apart.
TOLERANCE_PX = 1.0
#: The width of the book's text column on a 390-pixel-wide phone (CSS pixels).
PHONE_COLUMN_PX = 360.0
#: The smallest text, in CSS pixels, a figure may
#: show on that column: half the body text's 16 px.
MIN_PHONE_PX = 8.0
#: Spacing (pixels) of the points sampled along each plotted line for the legend check.
SAMPLE_PX = 3.0
#: The fewest covered samples that count as a legend over the data.
MIN_COVERED = 3
#: The environment variable that turns the kernel-side check on (``1``).
ENV = "BOOK_FIGURE_CHECK"

_LOCATIONS = {
    "upper right": (1, 1),
    "upper left": (0, 1),
    "lower left": (0, 0),
    "lower right": (1, 0),
    "center left": (0, 0.5),
    "center right": (1, 0.5),
    "lower center": (0.5, 0),
    "upper center": (0.5, 1),
    "center": (0.5, 0.5),
}


class FigureProblems(AssertionError):
    """A figure failed the check; the message lists every problem, one a line."""


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _axes_name(fig: Figure, ax: Axes) -> str:
    number = fig.axes.index(ax) + 1 if ax in fig.axes else 0
    title = next((t.get_text() for t in _titles(ax) if t.get_text().strip()), "")
    return f"axes {number}" + (f" ('{_short(title, 30)}')" if title else "")


def _titles(ax: Axes) -> list[Text]:
    # Matplotlib keeps the left and right titles
    # beside ``ax.title`` (center) under these names.
    return [
        t
        for t in (
            getattr(ax, "_left_title", None),
            ax.title,
            getattr(ax, "_right_title", None),
        )
        if t is not None
    ]


def _shown(artist) -> bool:
    return artist.get_visible() and (
        not isinstance(artist, Text) or bool(artist.get_text().strip())
    )


def _texts(fig: Figure, renderer) -> list[tuple[str, object, Text | Legend]]:
    """(description, owner, artist) of every text the
    reader sees; artists of one owner may touch."""
    found: list[tuple[str, object, Text | Legend]] = []
    for text in fig.texts:
        if _shown(text):
            found.append((f"figure text '{_short(text.get_text())}'", text, text))
    for legend in fig.legends:
        if legend.get_visible():
            found.append(("figure legend", legend, legend))
            found += [
                (f"figure legend entry '{_short(t.get_text())}'", legend, t)
                for t in legend.get_texts()
                if _shown(t)
            ]
    for sub in getattr(fig, "subfigs", []):
        found += _texts(sub, renderer)
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison and not _titles(ax):
            continue
        name = _axes_name(fig.figure if isinstance(fig, SubFigure) else fig, ax)
        found += [
            (f"{name} title '{_short(t.get_text())}'", t, t)
            for t in _titles(ax)
            if _shown(t)
        ]
        if ax.axison:
            for letter, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
                if not axis.get_visible():
                    continue
                for what, text in (
                    (f"{letter} label", axis.label),
                    (f"{letter} offset text", axis.get_offset_text()),
                ):
                    if _shown(text):
                        found.append(
                            (f"{name} {what} '{_short(text.get_text())}'", text, text)
                        )
                # The ticks and the label a draw would draw now,
                # placed as it would (Axis.draw's own first steps):
                # an axis keeps spare ticks from earlier draws, and an explorer's canvas
                # may show a cached background without drawing its axes again.
                ticks = axis._update_ticks()
                axis._update_label_position(renderer)
                for tick in ticks:
                    if not tick.get_visible():
                        continue
                    for label in (tick.label1, tick.label2):
                        if _shown(label):
                            found.append(
                                (
                                    f"{name} {letter} tick label "
                                    f"'{_short(label.get_text())}'",
                                    label,
                                    label,
                                )
                            )
        for text in ax.texts:
            if _shown(text):
                found.append((f"{name} text '{_short(text.get_text())}'", text, text))
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            found.append((f"{name} legend", legend, legend))
            found += [
                (f"{name} legend entry '{_short(t.get_text())}'", legend, t)
                for t in legend.get_texts()
                if _shown(t)
            ]
    return found


def _overlap(a: Bbox, b: Bbox) -> tuple[float, float]:
    return min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)


def _clipped(what: str, box: Bbox, canvas: Bbox, tol: float) -> list[str]:
    out = []
    for edge, by in (
        ("left", canvas.x0 - box.x0),
        ("right", box.x1 - canvas.x1),
        ("bottom", canvas.y0 - box.y0),
        ("top", box.y1 - canvas.y1),
    ):
        if by > tol:
            out.append(f"{what} runs past the {edge} edge by {by:.0f} px")
    return out


def _samples(ax: Axes) -> np.ndarray:
    """Display coordinates of the data drawn in ``ax``: markers, scatter points,
    and points every SAMPLE_PX along lines."""
    pieces = [np.empty((0, 2))]

    def along(xy: np.ndarray, joined: bool) -> None:
        xy = xy[np.isfinite(xy).all(axis=1)]
        if not joined or len(xy) < 2:
            pieces.append(xy)
            return
        steps = np.maximum(
            1, np.ceil(np.hypot(*np.diff(xy, axis=0).T) / SAMPLE_PX)
        ).astype(int)
        for (a, b), n in zip(zip(xy[:-1], xy[1:]), steps):
            pieces.append(a + np.linspace(0, 1, n, endpoint=False)[:, None] * (b - a))
        pieces.append(xy[-1:])

    for line in ax.lines:
        if line.get_visible() and len(line.get_xydata()):
            xy = line.get_transform().transform(line.get_xydata())
            if (
                not line.get_transform().contains_branch(ax.transData)
                or line.get_transform() == ax.transAxes
            ):
                # axhline-like artists span the axes in
                # axes coordinates: not data to avoid
                continue
            along(xy, line.get_linestyle() not in ("None", "", " ", "none"))
    for collection in ax.collections:
        if not collection.get_visible():
            continue
        if isinstance(collection, PathCollection) and len(collection.get_offsets()):
            pieces.append(
                collection.get_offset_transform().transform(collection.get_offsets())
            )
        elif isinstance(collection, LineCollection):
            for segment in collection.get_segments():
                along(collection.get_transform().transform(segment), True)
    points = np.concatenate(pieces)
    box = ax.bbox
    keep = (
        (points[:, 0] >= box.x0)
        & (points[:, 0] <= box.x1)
        & (points[:, 1] >= box.y0)
        & (points[:, 1] <= box.y1)
    )
    return points[keep]


def _covered(box: Bbox, points: np.ndarray) -> int:
    return int(
        np.sum(
            (points[:, 0] > box.x0)
            & (points[:, 0] < box.x1)
            & (points[:, 1] > box.y0)
            & (points[:, 1] < box.y1)
        )
    )


def _legend_over_data(
    name: str, ax: Axes, legend: Legend, box: Bbox, renderer
) -> list[str]:
    frame = ax.bbox
    if min(box.x1, frame.x1) <= max(box.x0, frame.x0) or min(box.y1, frame.y1) <= max(
        box.y0, frame.y0
    ):
        return []  # a legend beside its axes covers none of their data
    points = _samples(ax)
    covered = _covered(box, points)
    if covered < MIN_COVERED:
        return []
    pad = legend.borderaxespad * renderer.points_to_pixels(
        legend.prop.get_size_in_points()
    )
    best, where = covered, ""
    for place, (fx, fy) in _LOCATIONS.items():
        x0 = frame.x0 + pad + fx * (frame.width - 2 * pad - box.width)
        y0 = frame.y0 + pad + fy * (frame.height - 2 * pad - box.height)
        n = _covered(Bbox.from_bounds(x0, y0, box.width, box.height), points)
        if n < best:
            best, where = n, place
    if covered > 2 * best:
        return [
            f"{name} legend covers {covered} sampled points of the plotted data; at "
            f"'{where}' it would cover {best}"
        ]
    return []


def phone_px(
    size_pt: float, width_in: float, dpi: float, column_px: float = PHONE_COLUMN_PX
) -> float:
    """CSS pixels of ``size_pt``-point text in a figure ``width_in`` inches wide,
    shown in a column of ``column_px``.

    ``px = size_pt · dpi/72 · min(1, column_px / (width_in · dpi))``:
    the picture keeps its own width where it fits and is scaled down to the column where
    it does not.
    """
    size_pt = as_positive(size_pt, "size_pt")
    width_in, dpi, column_px = (
        as_positive(width_in, "width_in"),
        as_positive(dpi, "dpi"),
        as_positive(column_px, "column_px"),
    )
    return size_pt * dpi / 72 * min(1.0, column_px / (width_in * dpi))


def figure_problems(
    fig: Figure,
    *,
    renderer=None,
    tight: bool = False,
    column_px: float = PHONE_COLUMN_PX,
    min_px: float | None = MIN_PHONE_PX,
    tol: float = TOLERANCE_PX,
) -> list[str]:
    """Every problem of ``fig``'s text, as sentences (empty when there is none).

    ``renderer`` is the renderer of the figure's last draw (an explorer's canvas passes
    its own, so the check measures the frame it shows); without one the figure is drawn
    first. ``tight`` says the figure is saved with ``bbox_inches="tight"`` (the
    notebook's inline display): nothing is then clipped, the picture grows to hold every
    text instead, and the phone size is computed for that grown width.
    ``min_px=None`` skips the phone check.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    column_px, tol = (
        as_positive(column_px, "column_px"),
        as_number(tol, "tol", minimum=0),
    )
    if min_px is not None:
        min_px = as_positive(min_px, "min_px")
    if renderer is None:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
    boxes = [
        (what, owner, artist, artist.get_window_extent(renderer))
        for what, owner, artist in _texts(fig, renderer)
    ]
    problems: list[str] = []
    width_px = fig.bbox.width
    if tight:
        grown = Bbox.union([fig.bbox] + [box for *_, box in boxes])
        width_px = grown.width + 2 * 0.1 * fig.dpi  # savefig.pad_inches
    else:
        for what, _, _, box in boxes:
            problems += _clipped(what, box, fig.bbox, tol)
    for i, (what_a, owner_a, artist_a, a) in enumerate(boxes):
        for what_b, owner_b, artist_b, b in boxes[i + 1 :]:
            if owner_a is owner_b:
                continue
            dx, dy = _overlap(a, b)
            if dx > tol and dy > tol:
                problems.append(f"{what_a} overlaps {what_b} ({dx:.0f} × {dy:.0f} px)")
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            problems += _legend_over_data(
                _axes_name(fig, ax),
                ax,
                legend,
                legend.get_window_extent(renderer),
                renderer,
            )
    if min_px is not None:
        sized = [
            (artist.get_fontsize(), what)
            for what, _, artist, _ in boxes
            if isinstance(artist, Text)
        ]
        if sized:
            size, what = min(sized)
            px = phone_px(size, width_px / fig.dpi, fig.dpi, column_px)
            if px < min_px - 1e-9:
                small = sum(
                    phone_px(s, width_px / fig.dpi, fig.dpi, column_px) < min_px - 1e-9
                    for s, _ in sized
                )
                need_pt = min_px * 72 * width_px / fig.dpi / column_px
                problems.append(
                    f"text too small on a phone: {small} texts, the smallest {what} at "
                    f"{size:g} pt, show at "
                    f"{px:.1f} CSS px (< {min_px:g}) on a {column_px:g} px column; "
                    "this figure "
                    f"({width_px / fig.dpi:.1f} in wide) needs text of at least "
                    f"{need_pt:.1f} pt, or a width of at "
                    f"most {size * column_px / (72 * min_px):.1f} in"
                )
    return problems


def check_figure(fig: Figure, **kwargs) -> None:
    """Raise :class:`FigureProblems`
    listing :func:`figure_problems` (same arguments), if there are any."""
    problems = figure_problems(fig, **kwargs)
    if problems:
        raise FigureProblems(
            f"{len(problems)} problem(s) in the figure:\n"
            + "\n".join(f"- {p}" for p in problems)
        )


# --- the kernel-side
# check (IPython extension) ---------------------------------------------


def _open_figures() -> list[Figure]:
    from matplotlib._pylab_helpers import Gcf  # pyplot's registry of open figures

    return [manager.canvas.figure for manager in Gcf.get_all_fig_managers()]


def _inline_is_tight() -> bool:
    try:
        from matplotlib_inline.backend_inline import InlineBackend
    except ImportError:
        return False
    return InlineBackend.instance().print_figure_kwargs.get("bbox_inches") == "tight"


def _problems_of_open_figures() -> str:
    tight = _inline_is_tight()
    found = []
    for number, fig in enumerate(_open_figures(), 1):
        found += [f"- figure {number}: {p}" for p in figure_problems(fig, tight=tight)]
    return (
        f"{len(found)} figure problem(s) ({ENV}=1):\n" + "\n".join(found)
        if found
        else ""
    )


def load_ipython_extension(ipython) -> None:
    """Check every figure a cell shows; a cell
    whose figure has problems fails with their list.

    ``plt.show()`` checks the open figures, shows them, then raises
    :class:`FigureProblems`; figures left open at the end of a cell (which the inline
    backend then shows) are checked by a ``post_execute`` callback registered before
    pyplot's own, whose error also fails the cell. Nothing changes in a kernel that
    does not load this extension.
    """

    def at_end_of_cell() -> None:
        problems = _problems_of_open_figures()
        if problems:
            import matplotlib.pyplot as plt

            plt.close("all")
            raise FigureProblems(problems)

    ipython.events.register("post_execute", at_end_of_cell)
    # After the callback: the inline backend's flush runs after it.
    import matplotlib.pyplot as plt

    if getattr(plt.show, "_book_figure_check", False):
        return
    original = plt.show

    @functools.wraps(original)
    def show(*args, **kwargs):
        problems = _problems_of_open_figures()
        result = original(*args, **kwargs)
        if problems:
            raise FigureProblems(problems)
        return result

    show._book_figure_check = True
    plt.show = show
