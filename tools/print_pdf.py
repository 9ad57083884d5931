"""Print every page of the built book to PDF with headless Chromium, offline (`make pdf`).

Serves _build/html on a free local port, opens each page of _toc.yml with
every outside request blocked, waits (bounded) for MathJax and for every
image (lazy ones are made eager: a printed page shows them all), and prints it with the book's print styles to _build/pdf/NN-page.pdf
(A4, numbered in reading order). Needs Debian's Chromium
(tools/ensure_chromium.sh installs it where it can).
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "pdf"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EAGER = """() => document.querySelectorAll('img[loading="lazy"]').forEach(img => { img.loading = "eager"; })"""
READY = "() => Array.from(document.images).every(img => img.complete)"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]
    for part in toc.get("parts", []):
        found += [entry["file"] for entry in part["chapters"]]
    return found


def chromium() -> str:
    result = subprocess.run(["bash", str(ROOT / "tools" / "ensure_chromium.sh")],
                            stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit("print_pdf: no Chromium (see the message above)")
    return result.stdout.strip().splitlines()[-1]


def main() -> None:
    if not (HTML / "index.html").is_file():
        sys.exit("print_pdf: _build/html is missing: run `make book` first")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    executable = chromium()
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=executable, args=ARGS, headless=True)
            context.route("**/*", lambda route, request: route.continue_()
                          if request.url.startswith(base + "/") else route.abort("blockedbyclient"))
            page = context.new_page()
            for number, name in enumerate(pages()):
                page.goto(f"{base}/{name}.html", wait_until="load")
                page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
                page.evaluate(EAGER)
                page.wait_for_function(READY, timeout=30_000)
                target = OUT / f"{number:02d}-{Path(name).name}.pdf"
                page.pdf(path=str(target), format="A4", print_background=True,
                         margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
                print(f"print_pdf: {target.relative_to(ROOT)} ({target.stat().st_size / 1024:.0f} KiB)")
            context.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
