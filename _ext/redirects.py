"""Sphinx extension: a page that moved still answers at its old address.

``book_redirects`` in the Sphinx configuration maps an old page name to the new one
(``"chapters/05a-generative-to-logistic": "chapters/05-generative-to-logistic"``). After
an HTML build, each old name gets a small page that sends the reader on at once (an
HTTP-equivalent refresh, and a script that keeps the ``#section`` of the old link), names
the new page as canonical for search engines, and links to it for a reader without
script. A target that is not a page of the build is an error, so a redirect cannot point
into nothing.
"""
from __future__ import annotations

import html
import posixpath
from pathlib import Path

from sphinx.errors import ConfigError

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Moved: {title}</title>
<link rel="canonical" href="{href}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={href}">
<script>location.replace({href_js} + location.hash);</script>
</head>
<body>
<p>This page has moved to <a href="{href}">{title}</a>.</p>
</body>
</html>
"""


def page(old: str, new: str, title: str, lang: str = "en") -> str:
    """The HTML of the redirect from page ``old`` to page ``new`` (names without .html)."""
    href = posixpath.relpath(new, posixpath.dirname(old) or ".") + ".html"
    return PAGE.format(lang=html.escape(lang), title=html.escape(title), href=html.escape(href),
                       href_js=repr(href).replace("<", "\\x3c"))


def write(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for old, new in app.config.book_redirects.items():
        if new not in app.env.found_docs:
            raise ConfigError(f"book_redirects: {old!r} points to {new!r}, which is not a page of the book")
        if old in app.env.found_docs:
            raise ConfigError(f"book_redirects: {old!r} is still a page of the book; it cannot also redirect")
        title = app.env.titles[new].astext() if new in app.env.titles else new
        target = out / f"{old}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page(old, new, title, app.config.language or "en"), encoding="utf-8")


def setup(app):
    app.add_config_value("book_redirects", {}, "html", types=[dict])
    app.connect("build-finished", write)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
