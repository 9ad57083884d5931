"""What a page of the built book costs a reader: requests and bytes on first load, and how soon
its first explorer responds on a slow network.

tests/browser uses it on the visits it makes anyway (tests/browser/conftest.py,
tests/browser/test_weight.py) and writes benchmarks/results/page-weight.json,
which `make bench` reports (benchmarks/report.py). Run alone it prints that file
as a table:

    python benchmarks/page_weight.py            # the table of the last browser test
    python benchmarks/page_weight.py --site     # the site's size on disk, by kind of file

* **First load** is every request the page makes until its ``load`` event and
  MathJax's typesetting, with the reader at the top of the page: what lies
  further down and loads lazily (pictures, explorer frames) is not counted.
* **Bytes as sent**: the local test server sends files as they are, a static
  host (GitHub Pages) gzips text. So ``bytes`` is each file's size on disk and
  ``gzip`` the size gzip -6 makes of a text file (HTML, CSS, JavaScript, JSON,
  SVG), or the file's size for one already compressed (PNG, WebP, WOFF2).
* **First explorer responds**: on a network throttled to :data:`THROTTLE`
  (Chromium's network emulation, with the cache off), the milliseconds from the
  start of navigation until the page's first static explorer, scrolled into
  view as soon as it exists, shows a new picture after a control moves. The
  pages come from :func:`serve`, which sends text gzipped, as a static host does.
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import functools
import gzip
import http.server
import json
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "page-weight.json"

#: The slow network of the "first explorer responds" measurement (a slow home line, a good phone).
THROTTLE = {"mbit_per_s": 10, "latency_ms": 40}
#: The issue's goals (issue 17): a chapter page's first load as sent, its HTML, the first response.
GOALS = {"first_load_gzip": 1_000_000, "html_bytes": 400_000, "first_explorer_ms": 2000, "site_bytes": 15_000_000}

#: File kinds a static host sends gzipped; the others are compressed already.
TEXT = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".map", ".xml", ".ttf", ".eot", ".otf", ""}


@functools.lru_cache(maxsize=None)
def sent_size(path: Path) -> tuple[int, int]:
    """(bytes on disk, bytes as a static host sends it: gzip -6 of a text file, else as is)."""
    data = path.read_bytes()
    if path.suffix.lower() in TEXT:
        return len(data), min(len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))
    return len(data), len(data)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Files of the built site, text gzipped (``Content-Encoding: gzip``) as a static host sends it."""

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if not (path.is_file() and path.suffix.lower() in TEXT and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        body = _gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@functools.lru_cache(maxsize=None)
def _gzipped(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


class LocalServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server for a browser test: a deep queue of connections waiting to be accepted
    (socketserver's default is 5, and a page that opens many at once on a busy machine had some refused
    and retried seconds later), and quiet when the browser drops a connection it no longer needs (a
    page closed while its frames were still arriving): that is not an error of the site."""

    request_queue_size = 128

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(html: Path):
    """A local server of ``html`` that gzips text, on a free port; yields its base URL."""
    server = LocalServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Weight:
    """One page's first load."""

    page: str
    requests: int = 0
    bytes: int = 0
    gzip: int = 0
    html_bytes: int = 0
    first_explorer_ms: float | None = None
    files: list[str] = field(default_factory=list)


class Recorder:
    """Every local response of one Playwright page, as files of the built site."""

    def __init__(self, page, base: str, html: Path):
        self.base, self.html, self.urls = base, html, []
        page.on("response", self._seen)

    def _seen(self, response) -> None:
        if response.url.startswith(self.base + "/") and response.status < 400:
            self.urls.append(response.url)

    def weight(self, name: str) -> Weight:
        """The page's weight so far (call it right after the first load)."""
        weight = Weight(name)
        for url in self.urls:
            path = self.html / unquote(urlparse(url).path).lstrip("/")
            if not path.is_file():
                continue
            raw, sent = sent_size(path)
            weight.requests += 1
            weight.bytes += raw
            weight.gzip += sent
            weight.files.append(path.relative_to(self.html).as_posix())
        page_file = self.html / f"{name}.html"
        weight.html_bytes = page_file.stat().st_size if page_file.is_file() else 0
        return weight


# Runs in the page from its first script on: as soon as a static explorer exists, scroll it into
# view and move its first control that has two positions or more off its starting position (to 0,
# or to 1 if it starts at 0) until the picture changes (the explorer's script has set up and its
# frame has arrived); note when the new picture is decoded.
#: Injected before a page's own scripts: moves the first explorer's first control one step as soon as
#: the explorer answers input, and notes (performance.now(), in ms) when the new frame has arrived and
#: is decoded. ``window.__bookFirstState`` says how far it got, for the report when it never does.
FIRST_RESPONSE = """(() => {
  const state = s => { window.__bookFirstState = s; };
  state("no explorer in the page yet");
  const tick = () => {
    const root = document.querySelector(".static-explorer");
    const controls = root ? Array.from(root.querySelectorAll('input[type="range"], select')) : [];
    const control = controls.find(c => (c.tagName === "SELECT" ? c.options.length - 1 : Number(c.max)) > 0);
    if (!control) { setTimeout(tick, 10); return; }
    if (!window.__bookScrolled) { root.scrollIntoView({block: "center"}); window.__bookScrolled = true; }
    const start = control.tagName === "SELECT"
      ? Math.max(0, Array.from(control.options).findIndex(o => o.defaultSelected))
      : Number(control.getAttribute("value"));
    const startFrame = root.getAttribute("data-frame"), picture = root.querySelector("img.static-explorer-picture");
    control.value = String(start === 0 ? 1 : 0);
    control.dispatchEvent(new Event("input", {bubbles: true}));
    if (root.dataset.frame === startFrame) { state("the explorer does not answer input yet"); setTimeout(tick, 10); return; }
    const wanted = picture.src;
    // The frame has arrived when the picture holds it completely; decode() then says it can be drawn.
    // (A rejected decode() is retried: it rejects, for one, while the file is still arriving.)
    const done = () => {
      if (!(picture.complete && picture.naturalWidth > 0 && picture.src === wanted)) {
        state(`frame ${root.dataset.frame} requested, not arrived (complete=${picture.complete})`);
        setTimeout(done, 10);
        return;
      }
      picture.decode().then(() => { state("responded"); window.__bookFirstResponse = performance.now(); },
                            error => { state(`frame ${root.dataset.frame} arrived, decode(): ${error}`); setTimeout(done, 10); });
    };
    done();
  };
  tick();
})()"""


#: How far a page got that never responded: the script's own state, and the document's.
STUCK_STATE = """() => `${window.__bookFirstState}; document ${document.readyState} at ${location.href}, ` +
  `${document.querySelectorAll(".static-explorer").length} explorers, ` +
  `${document.querySelectorAll(".static-explorer input, .static-explorer select").length} controls, ` +
  `${performance.getEntriesByType("resource").length} resources loaded, ${Math.round(performance.now())} ms`"""


def first_explorer_ms(context, url: str, timeout_ms: float = 20_000) -> tuple[float | None, str]:
    """Open ``url`` in a new page of ``context`` on the throttled network, cache off: the milliseconds
    until its first explorer responds (None: no response within ``timeout_ms``), and how far it got."""
    page = context.new_page()
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        rate = THROTTLE["mbit_per_s"] * 1e6 / 8
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": THROTTLE["latency_ms"],
                                                      "downloadThroughput": rate, "uploadThroughput": rate})
        page.add_init_script(FIRST_RESPONSE)
        page.goto(url, wait_until="commit")
        try:
            page.wait_for_function("() => window.__bookFirstResponse !== undefined", timeout=timeout_ms,
                                   polling=50)
        except Exception:  # noqa: BLE001 - reported as no response, with the state it was in
            return None, page.evaluate(STUCK_STATE)
        return page.evaluate("() => window.__bookFirstResponse"), "responded"
    finally:
        page.close()


def write(weights: list[Weight], fields: tuple[str, ...], order: list[str], path: Path = RESULTS) -> None:
    """Record ``fields`` of each of ``weights`` in ``path``, keeping what is there of other fields
    and pages, the pages in ``order`` (the table of contents'): the first loads and the first
    responses are measured by two browser tests, which may run at the same time (in make test,
    in two processes); a lock makes each update whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            old = json.loads(path.read_text()) if path.is_file() else {}
        except ValueError:
            old = {}
        pages = {w["page"]: w for w in old.get("pages", [])} if old.get("throttle") == THROTTLE else {}
        for weight in weights:
            entry = pages.setdefault(weight.page, asdict(Weight(weight.page)))
            entry.update({name: getattr(weight, name) for name in fields})
        rank = {name: i for i, name in enumerate(order)}
        ordered = sorted(pages.values(), key=lambda w: rank.get(w["page"], len(rank)))
        path.write_text(json.dumps({"throttle": THROTTLE, "goals": GOALS, "pages": ordered}, indent=1) + "\n")


def table(results: dict) -> list[str]:
    """The per-page table (Markdown), from a page-weight.json."""
    lines = ["| page | requests | bytes (MB) | gzip (MB) | HTML (kB) | first explorer (ms) |",
             "|---|---:|---:|---:|---:|---:|"]
    for w in results["pages"]:
        ms = w.get("first_explorer_ms")
        lines.append(f"| {w['page']} | {w['requests']} | {w['bytes'] / 1e6:.2f} | {w['gzip'] / 1e6:.2f} | "
                     f"{w['html_bytes'] / 1e3:.0f} | {'-' if ms is None else f'{ms:.0f}'} |")
    return lines


def site_size(html: Path) -> dict[str, int]:
    """Bytes on disk of the built site, in all and by file suffix."""
    sizes: dict[str, int] = {}
    for path in html.rglob("*"):
        if path.is_file():
            sizes[path.suffix.lower() or "(none)"] = sizes.get(path.suffix.lower() or "(none)", 0) + path.stat().st_size
    return {"all": sum(sizes.values()), **dict(sorted(sizes.items(), key=lambda kv: -kv[1]))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--site", type=Path, nargs="?", const=ROOT / "_build" / "html", default=None,
                        help="print the built site's size by kind of file instead")
    args = parser.parse_args(argv)
    if args.site is not None:
        for kind, size in site_size(args.site).items():
            print(f"{kind:>10} {size / 1e6:8.2f} MB")
        return
    if not args.results.is_file():
        sys.exit(f"{args.results} is missing: the browser test (make browser) writes it")
    results = json.loads(args.results.read_text())
    print(f"throttle: {results['throttle']}")
    print("\n".join(table(results)))


if __name__ == "__main__":
    main()
