"""Open the built book (_build/html) in headless Chromium, as a reader would, with no network.

Fixtures:

* ``site``: a local HTTP server over _build/html on a free port, started for
  the session and stopped at its end; ``site.url(page)`` is a page's address.
* ``browser``: a Playwright context in Debian's Chromium (the ``chromium_browser``
  fixture of tests/conftest.py, shared with the live test: installed when missing
  and possible, otherwise every test here is skipped with the reason). Every
  request that is not for the local server fails inside Chromium
  (``book_pages.CHROMIUM_ARGS``) and is recorded in ``browser.blocked``.
* ``open_page(name)``: loads a page of _toc.yml, waits (bounded) for MathJax,
  brings every image in, and returns a :class:`Visit`
  with what happened: console errors, blocked outside requests, failed local
  requests, and the page's weight on first load (``visit.weight``, counted by
  benchmarks/page_weight.py from the requests made until MathJax is ready).
  Each page is visited once per session and shared by every test that asks
  for it (later tests, say of the static explorers, reuse the visit).
* ``open_phone_page(name)``: the same page in a second context, a 390 x 844
  phone (device scale 3, mobile, touch), loaded once with fewer waits (the load
  event and MathJax); returns a :class:`Visit` too. tests/browser/test_layout.py
  uses it.
* ``screenshot(visit)``: a full-page screenshot of a visited page into
  _build/screenshots/1280/ or _build/screenshots/390/ (the phone's, at CSS
  pixels). ``open_page`` and ``open_phone_page`` take one of every page when
  BOOK_SCREENSHOTS=all (``make browser``); otherwise a test takes one of a page
  only when it fails (a tall page's full screenshot takes seconds).
* ``axe_script``: the path of axe-core's axe.min.js (tools/ensure_axe.sh installs
  it with npm into tests/browser/axe/, never into the published _static/); a
  test injects it into a page. Without npm the accessibility test fails in CI
  (CI=true) and is skipped elsewhere, with the reason printed.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import threading
from dataclasses import dataclass, field

import pytest

from book_pages import EDITION, EDITION_HTML, HTML, ROOT, benchmark, record_outside

page_weight = benchmark("page_weight")

SCREENSHOTS = HTML.parent / "screenshots" / EDITION if EDITION else HTML.parent / "screenshots"
#: The two widths every page is looked at: a laptop and a phone (CSS pixels).
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

#: Upper bounds for the waits (milliseconds); each wait ends as soon as its condition holds.
LOAD_TIMEOUT = 30_000
MATHJAX_TIMEOUT = 30_000
IMAGES_TIMEOUT = 15_000


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the test reports failures itself
        pass


@dataclass
class Site:
    base: str

    def url(self, page: str) -> str:
        """A page of the edition under test (``chapters/02-softmax``)."""
        return f"{self.base}/{EDITION + '/' if EDITION else ''}{page}.html"


@pytest.fixture(scope="session")
def site():
    if not (EDITION_HTML / "index.html").is_file():
        pytest.fail("_build/html/index.html is missing: run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = page_weight.LocalServer(("127.0.0.1", 0), handler)
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
    width: int = DESKTOP["width"]
    mathjax: str = "absent"  # "absent", "ready", or "timeout"
    images_ready: bool = True
    seconds: float = 0.0
    weight: object = None  # page_weight.Weight: requests and bytes on first load (desktop visits)


@dataclass
class Browser:
    context: object  # playwright.sync_api.BrowserContext
    blocked: list[str] = field(default_factory=list)  # every outside request, in order


def _context(chromium_browser, site, **options):
    """A browser context that records every request not for the local server (each one fails: CHROMIUM_ARGS)."""
    context = chromium_browser.new_context(service_workers="block", **options)
    browser = Browser(context)
    record_outside(context, site.base, browser.blocked)
    try:
        yield browser
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser(chromium_browser, site):
    yield from _context(chromium_browser, site, viewport=DESKTOP)


@pytest.fixture(scope="session")
def phone(chromium_browser, site):
    """A second context: a 390 px phone (device scale 3, mobile viewport, touch)."""
    yield from _context(chromium_browser, site, viewport=PHONE, device_scale_factor=3,
                        is_mobile=True, has_touch=True)


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe.min.js from tests/browser/axe/node_modules (tools/ensure_axe.sh), or fail in CI / skip."""
    result = subprocess.run(["bash", str(ROOT / "tools" / "ensure_axe.sh")], capture_output=True, text=True)
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "no axe-core"
        print(f"\naxe-core unavailable: {reason}")
        if os.environ.get("CI"):
            pytest.fail(f"axe-core unavailable in CI: {reason}")
        pytest.skip(f"axe-core unavailable (the accessibility check needs npm): {reason}")
    return result.stdout.strip().splitlines()[-1]


WAIT_MATHJAX = """ms => {
  const mj = window.MathJax;
  if (!mj || !mj.startup || !mj.startup.promise) return "absent";
  const timeout = new Promise(resolve => setTimeout(() => resolve("timeout"), ms));
  return Promise.race([mj.startup.promise.then(() => "ready"), timeout]);
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
PHONE_VISITS: dict[str, Visit] = {}


def take_screenshot(visit: Visit) -> str:
    """Save a full-page screenshot of a visited page under _build/screenshots/<width>/; returns its path."""
    folder = SCREENSHOTS / str(visit.width)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (visit.name.replace("/", "--") + ".png")
    visit.page.screenshot(path=str(path), full_page=True, scale="css")
    return str(path)


@pytest.fixture(scope="session")
def screenshot():
    """``screenshot(visit) -> path``: a full-page screenshot of a visited page."""
    return take_screenshot


def pytest_terminal_summary(terminalreporter):
    """How long each page took to load and settle (MathJax, images), at each width."""
    if VISITS or PHONE_VISITS:
        terminalreporter.section("browser: seconds per page (1280 px: load, MathJax, images; "
                                 "390 px: load, MathJax)")
        names = list(dict.fromkeys([*VISITS, *PHONE_VISITS]))
        terminalreporter.write_line(f"{'1280':>6}  {'390':>6}")
        for name in names:
            wide = f"{VISITS[name].seconds:6.1f}" if name in VISITS else f"{'-':>6}"
            narrow = f"{PHONE_VISITS[name].seconds:6.1f}" if name in PHONE_VISITS else f"{'-':>6}"
            terminalreporter.write_line(f"{wide}  {narrow}  {name}")
        terminalreporter.write_line(f"{sum(v.seconds for v in VISITS.values()):6.1f}  "
                                    f"{sum(v.seconds for v in PHONE_VISITS.values()):6.1f}  all pages")


def _visit(browser: Browser, site, name: str, width: int, weigh: bool, images: bool) -> Visit:
    """Load a page in ``browser``'s context: wait (bounded) for the load event and MathJax; with ``weigh``,
    note the first load's weight; with ``images``, bring every image in and wait for them."""
    import time

    page = browser.context.new_page()
    page.set_default_timeout(LOAD_TIMEOUT)
    result = Visit(name, page, width=width)
    _watch(page, result, site.base)
    recorder = page_weight.Recorder(page, site.base, HTML) if weigh else None
    blocked_before = len(browser.blocked)
    start = time.perf_counter()
    page.goto(site.url(name), wait_until="load")
    result.mathjax = page.evaluate(WAIT_MATHJAX, MATHJAX_TIMEOUT)
    if recorder:
        result.weight = recorder.weight(name)  # the first load: before anything is scrolled into view
    if images:
        page.evaluate(BRING_IMAGES_IN)
        try:
            page.wait_for_function(IMAGES_LOADED, timeout=IMAGES_TIMEOUT)
        except Exception:  # noqa: BLE001
            result.images_ready = False
    result.seconds = time.perf_counter() - start
    result.blocked = browser.blocked[blocked_before:]
    if os.environ.get("BOOK_SCREENSHOTS") == "all":
        if not images:
            page.evaluate(BRING_IMAGES_IN)  # only for the picture: the checks do not need the images
        take_screenshot(result)
    return result


#: The Chinese edition's pages are visited once each, as on the phone: its text is its own, but
#: its code cells, outputs, figures and explorers are the English edition's, which the English
#: visits at 1280 px check. So every test of a page (test_pages, test_static_explorers,
#: test_layout's phone check) looks at that one visit, and the check of code at 1280 px is the
#: English edition's only.
PHONE_ONLY = bool(EDITION)


@pytest.fixture(scope="session")
def open_page(request, site):
    """``open_page(name) -> Visit``: each page loaded once at 1280 px, then shared (in the
    Chinese edition, the phone's visit: PHONE_ONLY)."""
    if PHONE_ONLY:
        yield request.getfixturevalue("open_phone_page")
        return
    browser = request.getfixturevalue("browser")

    def visit(name: str) -> Visit:
        if name not in VISITS:
            VISITS[name] = _visit(browser, site, name, DESKTOP["width"], weigh=True, images=True)
        return VISITS[name]

    yield visit
    _close(VISITS)


def _close(visits: dict[str, Visit]) -> None:
    for result in visits.values():
        result.page.close()
        result.page = None


def _watch(page, result: Visit, base: str) -> None:
    page.on("console", lambda msg: msg.type == "error" and result.console_errors.append(
        f"{msg.text} ({msg.location.get('url', '')}:{msg.location.get('lineNumber', '')})"))
    page.on("pageerror", lambda err: result.console_errors.append(f"uncaught: {err}"))
    page.on("requestfailed", lambda req: req.url.startswith(base)
            and result.failed.append(f"{req.url}: {req.failure}"))
    page.on("response", lambda resp: resp.url.startswith(base) and resp.status >= 400
            and result.failed.append(f"{resp.url}: HTTP {resp.status}"))


@pytest.fixture(scope="session")
def open_phone_page(phone, site):
    """``open_phone_page(name) -> Visit``: each page loaded once on the phone, then shared (its
    images brought in only in the Chinese edition, whose page tests use this visit)."""

    def visit(name: str) -> Visit:
        if name not in PHONE_VISITS:
            PHONE_VISITS[name] = _visit(phone, site, name, PHONE["width"], weigh=False, images=PHONE_ONLY)
        return PHONE_VISITS[name]

    yield visit
    _close(PHONE_VISITS)
