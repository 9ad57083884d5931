"""The no-kernel explorers, moved in headless Chromium with every outside request blocked.

On every chapter page, each static explorer's every control is moved to its
ends and middle: the picture and readout must change, every frame must load,
each slider's aria-valuetext must be the value shown beside it,
no console error may appear, and the static version must be visible and alone
in its cell (no saved widget view). The time of each frame swap (from the
control's input event to the new picture decoded) is written to
benchmarks/results/static-swap.json and printed; it is a measurement, not a
pass/fail bound.
"""
from __future__ import annotations

import json
import statistics

import pytest

from book_pages import EDITION_HTML, HTML, ROOT, is_notebook, toc_pages

CHAPTERS = [page for page in toc_pages() if is_notebook(page)]
RESULTS = ROOT / "benchmarks" / "results" / "static-swap.json"
SWAPS: dict[str, list[float]] = {}

# Move control `c` of explorer `e` to position `p`; resolve, once the new picture is decoded, with
# the frame shown, the picture's source, the readout and the milliseconds the swap took.
MOVE = """async ([e, c, p]) => {
  const root = document.querySelectorAll(".static-explorer")[e];
  const control = root.querySelectorAll('input[type="range"], select')[c];
  const picture = root.querySelector("img.static-explorer-picture");
  const start = performance.now();
  control.value = String(p);
  control.dispatchEvent(new Event("input", {bubbles: true}));
  await picture.decode();
  const shown = control.parentElement.querySelector("output.static-explorer-value");
  return {ms: performance.now() - start, frame: root.dataset.frame, src: picture.src,
          valuetext: control.getAttribute("aria-valuetext"), shown: shown ? shown.textContent : null,
          readout: root.querySelector("output.static-explorer-readout").innerHTML,
          loaded: picture.complete && picture.naturalWidth > 0};
}"""

LAYOUT = """() => Array.from(document.querySelectorAll(".static-explorer")).map(root => ({
  name: root.dataset.explorer,
  visible: root.offsetParent !== null,
  savedViewGone: root.closest(".cell").querySelector(".cell_output, .widget-subarea") === null,
  controls: Array.from(root.querySelectorAll('input[type="range"], select')).map(el =>
    el.tagName === "SELECT" ? el.options.length - 1 : Number(el.max)),
}))"""


@pytest.fixture(scope="module", autouse=True)
def write_swap_times():
    yield
    if SWAPS:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        table = {name: {"median_ms": statistics.median(ms), "max_ms": max(ms), "swaps": len(ms)}
                 for name, ms in SWAPS.items()}
        RESULTS.write_text(json.dumps(table, indent=1))
        print("\nstatic explorers: frame swap, median / max ms")
        for name, row in table.items():
            print(f"  {name:32s} {row['median_ms']:6.2f} / {row['max_ms']:6.2f} over {row['swaps']} swaps")


@pytest.mark.parametrize("name", CHAPTERS)
def test_static_explorers_move(open_page, name):
    if 'class="static-explorer"' not in (EDITION_HTML / f"{name}.html").read_text(encoding="utf-8"):
        pytest.skip(f"{name} has no explorer")
    visit = open_page(name)
    errors_before = len(visit.console_errors)
    layout = visit.page.evaluate(LAYOUT)
    problems = []
    for e, explorer in enumerate(layout):
        if not explorer["visible"]:
            problems.append(f"{explorer['name']}: the static version is not visible")
        if not explorer["savedViewGone"]:
            problems.append(f"{explorer['name']}: a saved widget view is in the page beside the static version")
        for c, last in enumerate(explorer["controls"]):
            seen = set()
            for position in sorted({0, last // 2, last}):
                moved = visit.page.evaluate(MOVE, [e, c, position])
                SWAPS.setdefault(explorer["name"], []).append(moved["ms"])
                if moved["shown"] is not None and moved["valuetext"] != moved["shown"]:
                    problems.append(f"{explorer['name']}: control {c} shows {moved['shown']!r} but announces "
                                    f"aria-valuetext {moved['valuetext']!r}")
                if not moved["loaded"]:
                    problems.append(f"{explorer['name']}: frame {moved['frame']} did not load")
                seen.add((moved["src"], moved["readout"]))
            if last > 0 and len(seen) < 2:
                problems.append(f"{explorer['name']}: control {c} changed neither picture nor readout")
    new_errors = visit.console_errors[errors_before:]
    problems += [f"console error: {message}" for message in new_errors]
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)
