"""How soon a chapter's first explorer responds on a slow network (issue 17).

Each chapter page with an explorer is opened on a throttled network (10 Mbit/s, 40 ms; Chromium's
network emulation, cache off) in a context of its own, from a server that gzips text as a static
host does (``page_weight.serve``), and the time until its first explorer shows a new picture after
a control moves is measured: a measurement against the 2 s goal (printed, and written to
benchmarks/results/page-weight.json, which `make bench` reports), not a pass/fail bound, since the
machine's load moves it. The test fails when an explorer never responds. It needs no other visit,
so `make test` runs it in a browser process of its own, beside the other browser tests.
"""
from __future__ import annotations

import pytest

from book_pages import HTML, benchmark, is_notebook, toc_pages

page_weight = benchmark("page_weight")

PAGES = toc_pages()
CHAPTERS = [page for page in PAGES if is_notebook(page)]


@pytest.fixture(scope="module")
def throttled(chromium_browser):
    """(context, base URL): a context of its own, on a server that gzips text."""
    with page_weight.serve(HTML) as base:
        context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        try:
            yield context, base
        finally:
            context.close()


def test_first_explorer_responds_on_a_slow_network(throttled):
    context, base = throttled
    times, states, retried = {}, {}, {}
    for name in CHAPTERS:
        if 'class="static-explorer"' not in (HTML / f"{name}.html").read_text(encoding="utf-8"):
            continue
        times[name], states[name] = page_weight.first_explorer_ms(context, f"{base}/{name}.html")
        if times[name] is None:
            # Once in many runs on a loaded machine, a throttled page stalls in the test's network
            # emulation; a page that stalls again, afresh, fails the test. Both states are printed.
            retried[name] = states[name]
            times[name], states[name] = page_weight.first_explorer_ms(context, f"{base}/{name}.html")
    page_weight.write([page_weight.Weight(name, first_explorer_ms=ms) for name, ms in times.items()],
                      ("first_explorer_ms",), PAGES)
    print("\nfirst explorer responds, throttled: " + ", ".join(
        f"{name.split('/')[-1]} {'never' if ms is None else f'{ms:.0f} ms'}" for name, ms in times.items()))
    for name, state in retried.items():
        print(f"{name}: no response on the first try, so tried again ({state})")
    silent = {name: states[name] for name, ms in times.items() if ms is None}
    assert times and not silent, f"no explorer responded, twice (how far it got): {silent}"
