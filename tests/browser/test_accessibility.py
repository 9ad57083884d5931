"""Accessibility of every page, at 1280 px: axe-core, and the way to the explorers.

* axe-core (from npm, into tests/browser/axe/ by tools/ensure_axe.sh; injected
  here, never published) runs once on every page with its default rules: any
  violation of serious or critical impact fails, listed with the elements it names.
* On a chapter with static explorers: the second Tab stop of the page is the
  "Skip to the explorers" link (_templates/layout.html), it leads to the first
  explorer, and the page's contents have an entry for every explorer
  (_ext/static_explorers.py).
"""
from __future__ import annotations

import pytest

from book_pages import EDITION_HTML, HTML, toc_pages

PAGES = toc_pages()
FAILING_IMPACTS = ("serious", "critical")

AXE_RUN = """() => axe.run(document, {resultTypes: ["violations"]}).then(result => result.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")), count: v.nodes.length,
})))"""

# The first Tab stops from the top of the page, and the explorers' anchors.
EXPLORER_ROUTE = """() => {
  const stops = Array.from(document.querySelectorAll('a[href], button, input, select, textarea, [tabindex], summary'))
    .filter(el => el.tabIndex >= 0 && !el.disabled && getComputedStyle(el).visibility !== "hidden"
            && (el.getClientRects().length > 0 || el.closest(".skip-link")));
  const explorers = Array.from(document.querySelectorAll(".static-explorer")).map(root => root.id);
  const contents = Array.from(document.querySelectorAll("#pst-page-toc-nav a")).map(a => a.getAttribute("href"));
  return {first: stops.slice(0, 3).map(el => ({text: el.textContent.trim(), href: el.getAttribute("href")})),
          explorers, contents};
}"""


@pytest.mark.parametrize("name", PAGES)
def test_axe(open_page, axe_script, name):
    visit = open_page(name)
    if not visit.page.evaluate("() => typeof window.axe === 'object'"):
        visit.page.add_script_tag(path=axe_script)
    violations = visit.page.evaluate(AXE_RUN)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    minor = sorted({f"{v['id']} ({v['impact']})" for v in violations if v["impact"] not in FAILING_IMPACTS})
    print(f"{name}: axe: {len(failing)} serious or critical; others: {', '.join(minor) or 'none'}")
    assert not failing, f"{name}: axe-core violations:\n  " + "\n  ".join(
        f"{v['impact']} {v['id']}: {v['help']} ({v['count']} elements: {', '.join(v['nodes'])})" for v in failing)


CHAPTERS = [page for page in PAGES if 'class="static-explorer"' in (EDITION_HTML / f"{page}.html").read_text(encoding="utf-8")]


@pytest.mark.parametrize("name", CHAPTERS)
def test_explorers_within_reach(open_page, name):
    visit = open_page(name)
    route = visit.page.evaluate(EXPLORER_ROUTE)
    problems = []
    stops = [stop["text"] for stop in route["first"]]
    if len(route["first"]) < 2 or route["first"][1]["text"] != "Skip to the explorers":
        problems.append(f"the second Tab stop is not 'Skip to the explorers' (the first three: {stops})")
    elif route["first"][1]["href"] != f"#{route['explorers'][0]}":
        problems.append(f"the skip link leads to {route['first'][1]['href']}, not the first explorer "
                        f"#{route['explorers'][0]}")
    for anchor in route["explorers"]:
        if not anchor:
            problems.append("an explorer without an id")
        elif f"#{anchor}" not in route["contents"]:
            problems.append(f"no entry for #{anchor} in the page's contents ({route['contents'][:4]}...)")
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)
