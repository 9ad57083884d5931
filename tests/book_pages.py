"""The book's pages, as _toc.yml lists them, where the built site is, and how Chromium runs here."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
#: The built book; BOOK_HTML points the tests at another build (a private --path-output).
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
#: The edition under test: the English book at the site's root (BOOK_EDITION unset), or a
#: translation in its folder of the site (BOOK_EDITION=zh_CN: _build/html/zh_CN/).
EDITION = os.environ.get("BOOK_EDITION", "").strip("/")
#: Where that edition's pages are (the browser tests still serve the whole site, HTML).
EDITION_HTML = HTML / EDITION if EDITION else HTML


def toc_pages() -> list[str]:
    """Every page of _toc.yml, root first, as paths without suffix (``chapters/02-softmax``)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return pages


def soup(page: str) -> BeautifulSoup:
    """A built page (``chapters/02-softmax``), parsed."""
    return BeautifulSoup((EDITION_HTML / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def benchmark(name: str):
    """The module benchmarks/<name>.py (benchmarks/ is not a package), imported once by path."""
    if f"benchmarks.{name}" not in sys.modules:
        spec = importlib.util.spec_from_file_location(f"benchmarks.{name}", ROOT / "benchmarks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules[f"benchmarks.{name}"]


def is_notebook(page: str) -> bool:
    return (ROOT / f"{page}.ipynb").is_file()


#: Chromium as this machine's network allows it: no GPU, no QUIC, no background
#: traffic to Google's services (refused here, and noise in the console), and nothing
#: that leaves the machine: every address but the loopback's (which Chromium never
#: proxies) goes to a proxy on the discard port, where nothing listens, and no host name
#: resolves but the loopback's. So a request for a CDN or a hub fails at once, inside
#: Chromium; :func:`record_outside` notes it. (Routing every request through Playwright
#: to abort the outside ones cost about 1 s of CPU per page load.)
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def record_outside(target, base: str, blocked: list[str]) -> None:
    """Append to ``blocked`` the address of every request of ``target`` (a Playwright page or
    context) that is not under ``base``: each one fails (:data:`CHROMIUM_ARGS`), so a test can
    say what the page tried to fetch."""

    def failed(request) -> None:
        if not request.url.startswith((base + "/", "data:")):
            blocked.append(request.url)

    target.on("requestfailed", failed)
