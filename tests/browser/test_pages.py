"""Every page of the built book, in headless Chromium with every outside request blocked.

For each page of _toc.yml: no console error, no blocked outside request, no
failed local request, a favicon that loads; every math element typeset by
MathJax with no TeX error and no raw TeX left in the visible text (no $, no TeX
command such as \\mathbf, anywhere outside typeset math, code and scripts); every image loaded (lazy ones included), and
every image of the text with alt text (explorer pictures included); the launch (notebooks), download and repository buttons
there, and a copy button on every code cell. A screenshot of a page that fails
(of every page with BOOK_SCREENSHOTS=all, as `make browser` sets) is saved under
_build/screenshots/. Fixtures: conftest.py.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest

from book_pages import HTML, is_notebook, toc_pages

PAGES = toc_pages()

MATH_REPORT = """() => {
  const math = Array.from(document.querySelectorAll(".math"));
  const untypeset = math.filter(el => !el.querySelector("mjx-container"))
    .map(el => el.textContent.trim().slice(0, 80));
  // Ask MathJax itself: a TeX error is an merror node, an undefined macro an
  // mtext in red (the noundefined extension); name each by its TeX source.
  const errors = [], undefinedMacros = [];
  const doc = window.MathJax && MathJax.startup && MathJax.startup.document;
  for (const item of (doc && doc.math) || []) {
    item.root.walkTree(node => {
      if (node.isKind("merror")) errors.push(item.math.slice(0, 80));
      if (node.isKind("mtext") && node.attributes.get("mathcolor") === "red") undefinedMacros.push(item.math.slice(0, 80));
    });
  }
  document.querySelectorAll("mjx-merror, [data-mjx-error]")
    .forEach(el => errors.push(el.getAttribute("data-mjx-error") || "an merror element"));
  // The whole page: the text, and the navigation and titles too (a title with
  // math would show raw TeX in the sidebar of every other page).
  const page = document.body.cloneNode(true);
  page.querySelectorAll("pre, code, script, style, template, textarea, .math, mjx-container")
    .forEach(el => el.remove());
  return {count: math.length, untypeset, errors, undefinedMacros, text: page.textContent + " " + document.title};
}"""

# Raw TeX that escaped MathJax, anywhere in the text outside typeset math and
# code: a dollar sign not followed by a digit (a delimiter; "$1.50", the price in
# chapter 1, is text, and a formula starting with a digit still leaves its closing
# $ or a command), \( \) \[ \], or a TeX command (\mathbf, \begin). Not a $…$ pair on one line: Markdown can
# split a formula across elements (a line of it that starts with "+ " became a
# list item), and then the pair is on two lines.
RAW_TEX = re.compile(r"\$(?!\d)|\\[()\[\]]|\\[A-Za-z]+")


def raw_tex(text: str) -> list[str]:
    """Every piece of raw TeX in ``text``, each shown with up to 30 characters either side."""
    return [" ".join(text[max(0, m.start() - 30):m.end() + 30].split()) for m in RAW_TEX.finditer(text)]

IMAGES_REPORT = """() => {
  const name = img => (img.currentSrc || img.src || "").slice(0, 120) || img.outerHTML.slice(0, 120);
  const article = document.querySelector("article") || document.body;
  return {
    broken: Array.from(document.images).filter(img => !(img.complete && img.naturalWidth > 0)).map(name),
    noAlt: Array.from(article.querySelectorAll("img"))
      .filter(img => !(img.getAttribute("alt") || "").trim()).map(name),
  };
}"""

BUTTONS_REPORT = """() => {
  const links = selector => Array.from(document.querySelectorAll(selector))
    .map(a => ({text: a.textContent.trim(), href: a.getAttribute("href") || ""}));
  return {
    launch: links(".dropdown-launch-buttons a"),
    download: links(".dropdown-download-buttons a, .dropdown-download-buttons button")
      .concat(Array.from(document.querySelectorAll(".dropdown-download-buttons [onclick]"))
        .map(b => ({text: b.textContent.trim(), href: ""}))),
    repository: links("a.btn-source-repository-button"),
    codeCells: document.querySelectorAll(".cell_input div.highlight pre, .cell_input pre").length,
    copyButtons: document.querySelectorAll(".cell_input button.copybtn").length,
  };
}"""


FAVICON = """() => {
  const link = document.querySelector('link[rel~="icon"]');
  if (!link) return "no <link rel=icon>";
  return fetch(link.href).then(r => r.ok ? "" : `${link.href}: HTTP ${r.status}`, e => `${link.href}: ${e}`);
}"""


def check_requests(visit, problems):
    problems += [f"console error: {message}" for message in visit.console_errors]
    favicon = visit.page.evaluate(FAVICON)
    if favicon:
        problems.append(f"favicon: {favicon}")
    problems += [f"blocked outside request: {url}" for url in visit.blocked]
    problems += [f"failed local request: {failure}" for failure in visit.failed]


def check_math(visit, problems):
    report = visit.page.evaluate(MATH_REPORT)
    if report["count"] and visit.mathjax != "ready":
        problems.append(f"{report['count']} math elements but MathJax is {visit.mathjax}")
    problems += [f"math not typeset: {text!r}" for text in report["untypeset"]]
    problems += [f"TeX error: {text!r}" for text in report["errors"]]
    problems += [f"undefined TeX macro: {text}" for text in report["undefinedMacros"]]
    problems += [f"raw TeX in the text: {piece!r}" for piece in raw_tex(report["text"])]
    return report["count"]


def check_images(visit, problems):
    if not visit.images_ready:
        problems.append("images still loading after the wait")
    report = visit.page.evaluate(IMAGES_REPORT)
    problems += [f"image not loaded: {src}" for src in report["broken"]]
    problems += [f"image without alt text: {src}" for src in report["noAlt"]]


def check_buttons(visit, problems):
    report = visit.page.evaluate(BUTTONS_REPORT)
    page_url = visit.page.url
    if is_notebook(visit.name):
        launchers = {link["text"]: link["href"] for link in report["launch"]}
        for name, prefix in (("Binder", "https://mybinder.org/"), ("Colab", "https://colab.research.google.com/")):
            if not launchers.get(name, "").startswith(prefix):
                problems.append(f"no {name} launch button (found {sorted(launchers)})")
        wanted = (".ipynb", ".md", ".pdf")
    else:
        wanted = (".md", ".pdf")
    downloads = {link["text"]: link["href"] for link in report["download"]}
    for suffix in wanted:
        if suffix not in downloads:
            problems.append(f"no {suffix} download button (found {sorted(downloads)})")
        elif downloads[suffix]:  # a file of the site: it must exist
            target = urlparse(urljoin(page_url, downloads[suffix])).path.lstrip("/")
            if not (HTML / target).is_file():
                problems.append(f"the {suffix} download points at a missing file: {target}")
    if not report["repository"]:
        problems.append("no repository button")
    if report["copyButtons"] < report["codeCells"]:
        problems.append(f"{report['copyButtons']} copy buttons for {report['codeCells']} code cells")


# How chapter 2 once rendered: a line of a $…$ formula that started with "+ "
# became a list item, so the reader saw raw TeX split across two elements.
SPLIT_FORMULA = (
    "<p>The logits are $\\mathbf{O} = \\mathbf{X}\\mathbf{W}</p>"
    "<ul><li><p>\\mathbf{b}$, one row per example.</p></li></ul>"
    '<p>Typeset math is fine: <span class="math">\\(x\\)</span>; so is code: <code>$HOME</code>.</p>'
)


def test_raw_tex_check_catches_a_split_formula(browser):
    """The raw-TeX check fails on a formula that Markdown split across elements (and only on it)."""
    page = browser.context.new_page()
    try:
        page.set_content(SPLIT_FORMULA)
        found = raw_tex(page.evaluate(MATH_REPORT)["text"])
    finally:
        page.close()
    assert len(found) == 6, found  # two dollar signs and four \mathbf, none of them in the math or code
    assert all("HOME" not in piece and "(x" not in piece for piece in found), found


OUTSIDE = ["http://example.com/mathjax.js", "https://example.org/font.woff2", "http://192.0.2.1/frame.png"]
FETCH = """urls => Promise.all(urls.map(url => fetch(url, {mode: "no-cors"}).then(() => `${url}: fetched`, () => "")))"""


def test_outside_requests_fail_and_are_recorded(browser, site):
    """A request for any address but the local server's never leaves the machine (a host name,
    an IP address), and the context notes it among the blocked requests."""
    page = browser.context.new_page()
    before, failures = len(browser.blocked), {}
    page.on("requestfailed", lambda request: failures.setdefault(request.url, request.failure))
    try:
        page.goto(site.url("intro"), wait_until="domcontentloaded")
        fetched = [result for result in page.evaluate(FETCH, OUTSIDE) if result]
    finally:
        page.close()
    assert not fetched, f"outside requests answered: {fetched}"
    assert sorted(browser.blocked[before:]) == sorted(OUTSIDE), browser.blocked[before:]
    # Stopped by Chromium's own settings, not by a network that happens to be missing.
    assert {failures.get(url) for url in OUTSIDE} == {"net::ERR_PROXY_CONNECTION_FAILED"}, failures


@pytest.mark.parametrize("name", PAGES)
def test_page(open_page, screenshot, name):
    visit = open_page(name)
    problems: list[str] = []
    check_requests(visit, problems)
    math = check_math(visit, problems)
    check_images(visit, problems)
    check_buttons(visit, problems)
    print(f"{name}: {math} math elements, {visit.seconds:.1f} s")
    problems = list(dict.fromkeys(problems))  # one line per distinct problem
    if problems and visit.page is not None:
        problems.append(f"screenshot: {screenshot(visit)}")
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)
