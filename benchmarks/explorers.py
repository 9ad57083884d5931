"""Time one update of every explorer (callback + redraw + PNG), as a reader dragging a slider would.

Prints, for each explorer, the time to build it and the median and 95th
percentile of one update over many steps of each control, split into the
update callback and the redraw with PNG encoding. Not a test: a slow machine
fails nothing. `make bench` puts these figures in benchmarks/results/report.md.

    .venv/bin/python benchmarks/explorers.py [--steps N] [NAME ...]
"""
from __future__ import annotations

import argparse
import statistics
import time

import ipywidgets as widgets
import numpy as np

import book.explorers  # noqa: F401  (registers every explorer)
from book.explorers import ALL
from book.widgets import controls_of

STEPS = 40


def steps_of(control, steps: int = STEPS) -> list:
    """``steps`` values sweeping the control across its range (a drop-down: its options in turn)."""
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        values = np.linspace(control.min, control.max, steps)
        if isinstance(control, widgets.IntSlider):
            values = np.round(values).astype(int)
        return [v.item() for v in values]
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [bool(i % 2 == 0) != control.value for i in range(steps)]
    options = [o[1] if isinstance(o, tuple) else o for o in control.options]
    return [options[i % len(options)] for i in range(steps)]


def _timed(fn, into: list):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            into.append((time.perf_counter() - start) * 1e3)
    return wrapper


def stats(times_ms: list[float]) -> dict:
    return {"median_ms": statistics.median(times_ms), "p95_ms": float(np.percentile(times_ms, 95))}


def measure(name: str, steps: int = STEPS) -> dict:
    """Build explorer ``name`` and move each of its controls through ``steps`` values.

    Returns the build time and, per step, the whole update (setting the
    control's value, as the widget does) and its two parts: the explorer's
    update callback, and the canvas's redraw + PNG encoding. The update's
    CPU time (this process, every thread) is given too: on a machine busy with
    other work it stays near the quiet machine's wall time when wall time does not.
    """
    start = time.perf_counter()
    ex = ALL[name]()
    build_ms = (time.perf_counter() - start) * 1e3
    callback, draw = [], []
    ex.update = _timed(ex.update, callback)  # Explorer.refresh looks both up on the instance
    ex.canvas.png = _timed(ex.canvas.png, draw)
    total, cpu = [], []
    for control in controls_of(ex):
        for value in steps_of(control, steps):
            updates = len(callback)
            start, start_cpu = time.perf_counter(), time.process_time()
            control.value = value
            elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
            if len(callback) > updates:  # a value equal to the current one updates nothing
                total.append(elapsed * 1e3)
                cpu.append(elapsed_cpu * 1e3)
    return {
        "build_ms": build_ms,
        "steps": len(callback) - 1,  # the first call is the build's own
        **stats(total),
        "cpu_median_ms": statistics.median(cpu),
        "callback_median_ms": statistics.median(callback[1:]),
        "draw_png_median_ms": statistics.median(draw[1:]),
    }


def main(argv: list[str] | None = None) -> dict[str, dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS, help="values per control (default %(default)s)")
    parser.add_argument("names", nargs="*", help="explorers to time (default: all)")
    args = parser.parse_args(argv)
    print(f"{'explorer':32s} {'build ms':>9s} {'median ms':>10s} {'p95 ms':>8s} {'cpu ms':>7s} {'callback':>9s} "
          f"{'draw+png':>9s}")
    results = {}
    for name in args.names or sorted(ALL):
        r = results[name] = measure(name, args.steps)
        print(f"{name:32s} {r['build_ms']:9.0f} {r['median_ms']:10.1f} {r['p95_ms']:8.1f} {r['cpu_median_ms']:7.1f} "
              f"{r['callback_median_ms']:9.1f} {r['draw_png_median_ms']:9.1f}")
    return results


if __name__ == "__main__":
    main()
