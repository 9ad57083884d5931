"""What a page costs a reader (issue 17): bytes on first load.

Every page's requests and bytes on first load come from the visit the other
browser tests make anyway (``visit.weight``; benchmarks/page_weight.py says
what is counted). A chapter page must stay within the goals of
:data:`page_weight.GOALS`: at most 1 MB as a static host sends it (gzip), its
HTML at most 400 kB. The weights go to benchmarks/results/page-weight.json,
which `make bench` reports, beside the first explorer's response on a slow
network (test_first_response.py).
"""
from __future__ import annotations

import json

import pytest

from book_pages import HTML, benchmark, is_notebook, toc_pages

page_weight = benchmark("page_weight")

PAGES = toc_pages()
CHAPTERS = [page for page in PAGES if is_notebook(page)]
GOALS = page_weight.GOALS
WEIGHTS: dict[str, object] = {}


@pytest.fixture(scope="module", autouse=True)
def write_weights():
    yield
    if WEIGHTS:
        weights = [WEIGHTS[name] for name in PAGES if name in WEIGHTS]
        page_weight.write(weights, ("requests", "bytes", "gzip", "html_bytes", "files"), PAGES)
        print(f"\npage weight on first load, written to {page_weight.RESULTS.relative_to(page_weight.ROOT)} "
              "(with the first explorer's response on a slow network where test_first_response.py has run):")
        print("\n".join(page_weight.table(json.loads(page_weight.RESULTS.read_text()))))


@pytest.mark.parametrize("name", PAGES)
def test_first_load_is_light(open_page, name):
    weight = open_page(name).weight
    WEIGHTS[name] = weight
    if not is_notebook(name):
        return  # measured, not bound: the goals are a chapter page's
    problems = []
    if weight.gzip > GOALS["first_load_gzip"]:
        heaviest = sorted(weight.files, key=lambda f: -page_weight.sent_size(HTML / f)[1])[:5]
        problems.append(f"first load {weight.gzip / 1e6:.2f} MB as sent (gzip), goal "
                        f"{GOALS['first_load_gzip'] / 1e6:.1f} MB; heaviest: {heaviest}")
    if weight.html_bytes > GOALS["html_bytes"]:
        problems.append(f"HTML {weight.html_bytes / 1e3:.0f} kB, goal {GOALS['html_bytes'] / 1e3:.0f} kB")
    assert not problems, f"{name}: " + "; ".join(problems)
