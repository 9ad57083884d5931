"""Open the built book (_build/html) in headless Chromium, as a reader would, with no network.

Fixtures:

* ``site``: a local HTTP server over _build/html on a free port, started for
  the session and stopped at its end; ``site.url(page)`` is a page's address.
* ``browser``: a Playwright context in Debian's Chromium (the ``chromium_browser``
  fixture of tests/conftest.py, shared with the live test: installed when missing
  and possible, otherwise every test here is skipped with the reason). Every
  request that is not for the local server is aborted and recorded.
* ``open_page(name)``: loads a page of _toc.yml, waits (bounded) for MathJax
  and the widget manager, brings every image in, and returns a :class:`Visit`
  with what happened: console errors, blocked outside requests, failed local
  requests. Each page is visited once per session and shared by every test
  that asks for it (later tests, say of the static explorers, reuse the visit).
* ``screenshot(visit)``: a full-page screenshot of a visited page into
  _build/screenshots/. ``open_page`` takes one of every page when
  BOOK_SCREENSHOTS=all (``make browser``); otherwise a test takes one of a page
  only when it fails (a tall page's full screenshot takes seconds).
"""
from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass, field

import pytest

from book_pages import HTML, local_only

SCREENSHOTS = HTML.parent / "screenshots"

#: Upper bounds for the waits (milliseconds); each wait ends as soon as its condition holds.
LOAD_TIMEOUT = 30_000
MATHJAX_TIMEOUT = 30_000
WIDGETS_TIMEOUT = 30_000
IMAGES_TIMEOUT = 15_000


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the test reports failures itself
        pass


@dataclass
class Site:
    base: str

    def url(self, page: str) -> str:
        return f"{self.base}/{page}.html"


@pytest.fixture(scope="session")
def site():
    if not (HTML / "index.html").is_file():
        pytest.fail("_build/html/index.html is missing: run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Visit:
    """One page as the browser saw it."""

    name: str
    page: object  # playwright.sync_api.Page, left open for later checks
    console_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    mathjax: str = "absent"  # "absent", "ready", or "timeout"
    widgets_ready: bool = True
    images_ready: bool = True
    seconds: float = 0.0


@dataclass
class Browser:
    context: object  # playwright.sync_api.BrowserContext
    blocked: list[str] = field(default_factory=list)  # every outside request, in order


@pytest.fixture(scope="session")
def browser(chromium_browser, site):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    browser = Browser(context)
    context.route("**/*", local_only(site.base, browser.blocked))
    try:
        yield browser
    finally:
        context.close()


WAIT_MATHJAX = """ms => {
  const mj = window.MathJax;
  if (!mj || !mj.startup || !mj.startup.promise) return "absent";
  const timeout = new Promise(resolve => setTimeout(() => resolve("timeout"), ms));
  return Promise.race([mj.startup.promise.then(() => "ready"), timeout]);
}"""

# Every saved widget view has been replaced by its rendered view (or an error box).
WIDGETS_RENDERED = """() => {
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
  return Array.from(views).every(tag => {
    const area = tag.previousElementSibling;
    if (!area || !area.classList.contains("widget-subarea")) return false;
    if (area.querySelector(".jupyter-widgets-error-widget")) return true;
    return Array.from(area.querySelectorAll("img")).every(img => img.complete && img.naturalWidth > 0)
      && area.querySelector(".jupyter-widgets") !== null;
  });
}"""

BRING_IMAGES_IN = """async () => {
  for (const img of Array.from(document.images)) {
    img.scrollIntoView({block: "center"});
    await new Promise(resolve => requestAnimationFrame(resolve));
    if (img.loading === "lazy" && !img.complete) img.loading = "eager";  // e.g. in a closed dropdown
  }
  window.scrollTo(0, 0);
}"""

IMAGES_LOADED = "() => Array.from(document.images).every(img => img.complete)"


VISITS: dict[str, Visit] = {}


def take_screenshot(visit: Visit) -> str:
    """Save a full-page screenshot of a visited page under _build/screenshots/; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (visit.name.replace("/", "--") + ".png")
    visit.page.screenshot(path=str(path), full_page=True)
    return str(path)


@pytest.fixture(scope="session")
def screenshot():
    """``screenshot(visit) -> path``: a full-page screenshot of a visited page."""
    return take_screenshot


def pytest_terminal_summary(terminalreporter):
    """How long each page took to load and settle (MathJax, widgets, images)."""
    if VISITS:
        terminalreporter.section("browser: seconds per page (load, MathJax, widgets, images)")
        for name, result in VISITS.items():
            terminalreporter.write_line(f"{result.seconds:6.1f}  {name}")
        total = sum(result.seconds for result in VISITS.values())
        terminalreporter.write_line(f"{total:6.1f}  all {len(VISITS)} pages")


@pytest.fixture(scope="session")
def open_page(browser, site):
    """``open_page(name) -> Visit``: each page loaded once, then shared."""
    import time

    visits = VISITS

    def visit(name: str) -> Visit:
        if name in visits:
            return visits[name]
        page = browser.context.new_page()
        page.set_default_timeout(LOAD_TIMEOUT)
        result = Visit(name, page)
        url = site.url(name)
        page.on("console", lambda msg: msg.type == "error" and result.console_errors.append(
            f"{msg.text} ({msg.location.get('url', '')}:{msg.location.get('lineNumber', '')})"))
        page.on("pageerror", lambda err: result.console_errors.append(f"uncaught: {err}"))
        page.on("requestfailed", lambda req: req.url.startswith(site.base)
                and result.failed.append(f"{req.url}: {req.failure}"))
        page.on("response", lambda resp: resp.url.startswith(site.base) and resp.status >= 400
                and result.failed.append(f"{resp.url}: HTTP {resp.status}"))
        blocked_before = len(browser.blocked)
        start = time.perf_counter()
        page.goto(url, wait_until="load")
        result.mathjax = page.evaluate(WAIT_MATHJAX, MATHJAX_TIMEOUT)
        try:
            page.wait_for_function(WIDGETS_RENDERED, timeout=WIDGETS_TIMEOUT)
        except Exception:  # noqa: BLE001 - the checks report what is missing
            result.widgets_ready = False
        page.evaluate(BRING_IMAGES_IN)
        try:
            page.wait_for_function(IMAGES_LOADED, timeout=IMAGES_TIMEOUT)
        except Exception:  # noqa: BLE001
            result.images_ready = False
        if result.mathjax == "ready":  # typesetting queued by the widgets' labels
            page.evaluate("() => MathJax.startup.promise")
        result.seconds = time.perf_counter() - start
        result.blocked = browser.blocked[blocked_before:]
        if os.environ.get("BOOK_SCREENSHOTS") == "all":
            take_screenshot(result)
        visits[name] = result
        return result

    yield visit
    for result in visits.values():
        result.page.close()
        result.page = None
