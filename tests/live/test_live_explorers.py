"""Live widgets, end to end: every chapter with explorers served by Voilà, driven in headless Chromium.

Voilà serves one notebook of every chapter's setup cells and explorer cells,
as the chapters have them (``voila_live.explorer_notebook``; nbval runs the
rest of each chapter). The page must load
with no error output, show one picture per explorer call, and answer every
slider step (arrow keys on the handle, as a reader would) and every drop-down
choice with a new picture or readout, with no error on the kernel's websocket,
no console error, and no outside request but the two Font Awesome style sheets
of Voilà's template. Step times (key press to the new picture loaded in the
page) go to benchmarks/results/live.json for `make bench`.

A deliberately broken explorer (tests/live/broken_explorer.ipynb) checks that
an exception in a callback, which the page never shows, fails the test.
"""
from __future__ import annotations

import pytest

from voila_live import BROKEN, EXPECTED_OUTSIDE, EXPLORER_BOX, LIVE_NOTEBOOK, chapters_with_explorers, drive_explorer

CHAPTERS = chapters_with_explorers()
STDERR_OUTPUT = '[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output .jp-RenderedText.jp-mod-error'


def page_problems(visit, voila) -> list[str]:
    """What is wrong with a loaded page before any control is touched."""
    problems = []
    if visit.problem:
        problems.append(f"the page did not finish loading: {visit.problem}\nVoilà log:\n{voila.log_text()}")
    errors = visit.page.locator(STDERR_OUTPUT)
    for i in range(errors.count()):
        problems.append(f"error output in the page: {errors.nth(i).inner_text()[:1500]}")
    outside = [url for url in visit.blocked if not EXPECTED_OUTSIDE.match(url)]
    if outside:
        problems.append(f"requests outside the server (blocked): {outside}")
    # Each blocked request shows as one console error; anything else is a real one.
    failed_loads = [e for e in visit.console_errors if e.startswith("Failed to load resource")]
    other = [e for e in visit.console_errors if not e.startswith("Failed to load resource")]
    if len(failed_loads) > len(visit.blocked):
        problems.append(f"resources failed to load: {failed_loads}")
    problems += [f"console error: {e}" for e in other]
    return problems


def test_the_broken_explorer_fails(live_pages, voila):
    """The harness sees an exception raised in a widget callback (it shows only on the kernel's websocket)."""
    visit = live_pages[BROKEN]
    assert not page_problems(visit, voila)
    box = visit.page.locator(EXPLORER_BOX)
    report = drive_explorer(visit.page, box.first, "broken_explorer", visit.kernel, steps=5)
    assert report.times_ms, "the steps below a = 0.25 should have redrawn the picture"
    assert any("RuntimeError: broken on purpose" in e for e in report.errors), report.errors


#: Where each chapter's explorers start among the page's explorers (the notebook's order).
FIRST = {nb: sum(len(CHAPTERS[other]) for other in list(CHAPTERS)[:i]) for i, nb in enumerate(CHAPTERS)}


@pytest.mark.parametrize("notebook", sorted(CHAPTERS), ids=lambda nb: nb.stem)
def test_explorers_answer_every_control(notebook, live_pages, voila, results):
    visit = live_pages[LIVE_NOTEBOOK]
    names = CHAPTERS[notebook]
    problems = page_problems(visit, voila)
    assert not problems, f"{notebook.name}:\n" + "\n".join(problems)
    boxes = visit.page.locator(EXPLORER_BOX)
    total = sum(map(len, CHAPTERS.values()))
    assert boxes.count() == total, f"the chapters call {total} explorers but the page shows {boxes.count()}"
    results["chapters"][notebook.name] = {"explorers": names, "loaded_after_s": round(visit.load_s, 1)}
    errors = []
    for i, name in enumerate(names):
        report = drive_explorer(visit.page, boxes.nth(FIRST[notebook] + i), name, visit.kernel)
        key = name if name not in results["explorers"] else f"{name} ({notebook.stem}, call {i + 1})"
        results["explorers"][key] = {"chapter": notebook.name, **report.summary()}
        errors += report.errors
    errors += page_problems(visit, voila)
    assert not errors, f"{notebook.name}:\n" + "\n".join(errors)
