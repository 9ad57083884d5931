"""Time one update of every explorer (callback + redraw + PNG), as a reader dragging a slider would.

Prints the median and 95th percentile over many steps of each control. Not a
test: a slow machine does not fail anything. Run with `make bench`.
"""
import statistics
import time

import ipywidgets as widgets
import numpy as np

import book  # noqa: F401  (registers every explorer)
from book.explorers import ALL
from book.widgets import controls_of

STEPS = 40


def steps_of(control):
    """STEPS values sweeping the control across its range and back."""
    if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
        values = np.linspace(control.min, control.max, STEPS)
        if isinstance(control, widgets.IntSlider):
            values = np.round(values).astype(int)
        return [v.item() for v in values]
    options = [o[1] if isinstance(o, tuple) else o for o in control.options]
    return [options[i % len(options)] for i in range(STEPS)]


def main():
    print(f"{'explorer':40s} {'median ms':>10s} {'p95 ms':>8s}")
    for name, make in sorted(ALL.items()):
        ex = make()
        times = []
        for control in controls_of(ex):
            for value in steps_of(control):
                start = time.perf_counter()
                control.value = value
                times.append((time.perf_counter() - start) * 1e3)
        p95 = float(np.percentile(times, 95))
        print(f"{name:40s} {statistics.median(times):10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
