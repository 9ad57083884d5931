"""Fixtures of the live test: one Voilà server for every chapter, one Chromium, pages opened together.

* ``chromium_browser`` (tests/conftest.py): Debian's Chromium, started once
  for the session (shared with the browser test when both run), or the live
  test skipped with the reason.
* ``voila``: one Voilà server over the repository, for the whole session,
  stopped at its end with its kernels; the test fails if anything outlived it.
* ``live_pages``: the page of every chapter's explorers
  (``voila_live.explorer_notebook``: each chapter's setup cells and explorer
  cells, in one notebook) and the broken explorer's page, opened at once, then
  waited for; the explorers are driven only
  once every page has loaded, so that no chapter still executing skews the
  step times.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from book_pages import record_outside
from voila_live import (BROKEN, EXPLORER_BOX, LIVE_NOTEBOOK, RESULTS, ROOT, STEPS, KernelWatch, VoilaServer,
                        chapters_with_explorers, explorer_notebook)

#: Upper bound for a notebook's page to load (ms).
LOAD_TIMEOUT = 120_000
WIDGETS_TIMEOUT = 60_000


@pytest.fixture(scope="session")
def voila(tmp_path_factory):
    root = Path(os.path.commonpath([ROOT, LIVE_NOTEBOOK, BROKEN]))
    server = VoilaServer(root, tmp_path_factory.mktemp("voila") / "voila.log")
    try:
        yield server
    finally:
        server.stop()
    assert not server.leftovers, f"processes outlived Voilà and had to be ended: {server.leftovers}"


@dataclass
class Visit:
    """One notebook as the reader's browser saw it."""

    notebook: Path
    page: object
    kernel: KernelWatch
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    load_s: float = 0.0  # from opening every page together to this one ready
    problem: str = ""


@pytest.fixture(scope="session")
def browser_context(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="session")
def live_pages(browser_context, voila) -> dict[Path, Visit]:
    """The page of every chapter's explorers (key ``LIVE_NOTEBOOK``) and the broken explorer's
    (``BROKEN``), opened together."""
    chapters = chapters_with_explorers()
    notebooks = {explorer_notebook(chapters): sum(map(len, chapters.values())), BROKEN: 1}
    visits = {}
    started = time.monotonic()
    for notebook in notebooks:
        page = browser_context.new_page()
        visit = visits[notebook] = Visit(notebook, page, KernelWatch())
        visit.kernel.attach(page)
        page.on("console", lambda msg, v=visit: msg.type == "error" and v.console_errors.append(msg.text))
        page.on("pageerror", lambda err, v=visit: v.console_errors.append(f"uncaught: {err}"))

        record_outside(page, voila.base, visit.blocked)
        page.goto(voila.url(notebook), wait_until="commit", timeout=LOAD_TIMEOUT)
    for notebook, explorers in notebooks.items():
        visit = visits[notebook]
        try:
            visit.page.wait_for_selector("#loading", state="detached", timeout=LOAD_TIMEOUT)
            visit.page.wait_for_function(
                """([selector, n]) => {
                     const boxes = document.querySelectorAll(selector);
                     return boxes.length >= n && Array.from(boxes).every(b => {
                       const img = b.querySelector(':scope > img.widget-image');
                       return img.complete && img.naturalWidth > 0;
                     });
                   }""", arg=[EXPLORER_BOX, explorers], timeout=WIDGETS_TIMEOUT)
        except Exception as err:  # noqa: BLE001 - the test reports what the page shows
            visit.problem = f"{type(err).__name__}: {str(err).splitlines()[0]}"
        visit.load_s = time.monotonic() - started
    yield visits
    for visit in visits.values():
        visit.page.close()


@pytest.fixture(scope="session")
def results():
    """Step times per explorer, written to RESULTS at the end of the session (for `make bench`)."""
    collected = {"explorers": {}, "chapters": {}}
    yield collected
    if collected["explorers"]:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        collected["written"] = time.strftime("%Y-%m-%d %H:%M:%S")
        collected["steps_per_explorer"] = STEPS
        RESULTS.write_text(json.dumps(collected, indent=2) + "\n")
        print(f"\nlive step times written to {RESULTS}")

