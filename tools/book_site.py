"""The book's own Sphinx extension: what a reader of the online book needs beyond Jupyter Book.

* **Self-contained pages.** ``_config.yml`` points MathJax at
  ``_static/vendor/`` (filled by ``tools/vendor_js.sh``). Jupyter Book adds every
  ``.js``/``.css`` file under ``_static/`` to every page; the vendored files must
  not be (MathJax loads its own components), so they are taken out of
  ``html_js_files``/``html_css_files`` here. Where the vendored copy is missing
  (no npm when the book was built), the pages fall back to MathJax's CDN, and the
  build says so. (The static explorers, _ext/static_explorers.py, need no widget
  manager: the pages load none.)
* **Light pages** (issue 17). The theme's icons come from a subset of its Font
  Awesome fonts holding only the icons the site shows (``_static/book-icons/``,
  a few kB, instead of the 1.5 MB ``fontawesome.js``, which
  _templates/static/webpack-macros.html no longer loads); the published site
  has no source maps, no copy of the theme's translation catalogues, and no saved
  widget views in the downloadable notebooks; every image of a page but its first
  loads lazily.
* **A Markdown download.** Each notebook page's download menu offers the
  chapter as MyST Markdown (``.md``) beside the ``.ipynb``.
* **Execution on demand.** ``_config.yml`` executes every chapter (for
  publication). The environment variable ``BOOK_EXECUTE`` overrides that
  (``off``: render the committed outputs), for ``make test``, whose nbval stage
  has just checked the committed outputs against a fresh run.
* **A build timeline.** Lines starting ``book_site:`` say how long the static
  explorers' frames, reading (and executing) the sources and writing the HTML
  took; ``tools/build_book.py`` shows them and the chapters' execution times.
* **A readable build log.** MyST-Parser and MyST-NB log their whole parsed
  configuration (``MdParserConfig(...)``, ``NbParserConfig(...)``, about 1,000
  characters each) at the default verbosity on every build, with no setting to
  turn it off; those two records, and only they, are dropped (``sphinx-build
  -v`` still shows them).
"""
from __future__ import annotations

import json
import logging as std_logging
import os
import re
import shutil
import time
from pathlib import Path

import nbformat
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

VENDOR = "vendor/"

#: Sphinx's default MathJax, at the version tools/vendor_js.sh vendors (startup.js loads the
#: components _config.yml's mathjax3_config names from beside itself).
CDN_MATHJAX = "https://cdn.jsdelivr.net/npm/mathjax@3.2.2/es5/startup.js"


def _is_vendored(url: str) -> bool:
    return url.startswith(VENDOR)


def configure_assets(app: Sphinx, config) -> None:
    """Keep vendored files off the every-page list; fall back to MathJax's CDN when it is missing."""
    # _config.yml names _static and Jupyter Book adds it again: list each file once.
    config.html_static_path = list(dict.fromkeys(config.html_static_path))
    config.html_js_files = _unique(entry for entry in config.html_js_files if not _is_vendored(_name(entry)))
    config.html_css_files = _unique(entry for entry in config.html_css_files if not _is_vendored(_name(entry)))

    static = Path(app.confdir, "_static")
    if (static / VENDOR / "VERSIONS").is_file():
        logger.info("book_site: MathJax is served from _static/vendor/")
        return
    logger.info("book_site: _static/vendor/ is missing (tools/vendor_js.sh could not run npm): "
                "the pages load MathJax from its CDN")
    if _is_vendored(config.mathjax_path):
        config.mathjax_path = CDN_MATHJAX


def _name(entry) -> str:
    return entry[0] if isinstance(entry, (tuple, list)) else entry


def _unique(entries) -> list:
    seen, kept = set(), []
    for entry in entries:
        if _name(entry) not in seen:
            seen.add(_name(entry))
            kept.append(entry)
    return kept


def notebook_as_myst(path: Path) -> str:
    """A notebook as MyST Markdown (the text notebook format Jupytext and MyST-NB read), outputs left out."""
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    lines = ["---", "jupytext:", "  text_representation:", "    extension: .md", "    format_name: myst",
             "kernelspec:"]
    lines += [f"  {key}: {json.dumps(value)}" for key, value in kernel.items()]
    lines += ["---", ""]
    previous = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if previous == "markdown":
                lines += ["+++", ""]  # a cell break between two Markdown cells
            lines += [cell.source, ""]
        else:
            directive = "{code-cell} ipython3" if cell.cell_type == "code" else "{raw-cell}"
            fence = "```" + "`" * _longest_backtick_run(cell.source)
            lines.append(fence + directive)
            tags = cell.metadata.get("tags")
            if tags:
                lines.append(f":tags: {json.dumps(tags)}")
            lines += [cell.source, fence, ""]
        previous = cell.cell_type
    return "\n".join(lines)


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return max(0, longest - 2)


def add_markdown_download(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Offer a notebook page as MyST Markdown in its download menu, and write that file."""
    source = Path(app.env.doc2path(pagename)) if pagename in app.env.all_docs else None
    if source is None or source.suffix != ".ipynb":
        return
    target = Path(app.outdir, "_sources", pagename + ".md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(notebook_as_myst(source), encoding="utf-8")
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].insert(1, {
                "type": "link",
                "url": f"{context['pathto']('_sources', 1)}/{pagename}.md",
                "text": ".md",
                "icon": "fas fa-file-lines",
                "tooltip": "Download as MyST Markdown",
                "label": "download-markdown-button",
            })


IMG = re.compile(r"<img\b(?![^>]*\bloading=)(?![^>]*\bsrc=\"data:)")


def lazy_images(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``loading="lazy"`` on every image of the page's body but its first (which may be in view);
    not on an inline picture (a static explorer's first frame), which costs no request."""
    body = context.get("body", "")
    matches = list(IMG.finditer(body))
    for match in reversed(matches[1:]):
        body = body[:match.end()] + ' loading="lazy" decoding="async"' + body[match.end():]
    context["body"] = body


#: The theme's Font Awesome fonts (pydata-sphinx-theme's CSS names them), by the classes that select them.
ICON_FONTS = {"fa-solid-900": ("Font Awesome 6 Free", 900, {"fa-solid", "fas"}),
              "fa-regular-400": ("Font Awesome 6 Free", 400, {"fa-regular", "far"}),
              "fa-brands-400": ("Font Awesome 6 Brands", 400, {"fa-brands", "fab"})}
ICON_DIR = "book-icons"
ICON_CLASS = re.compile(r'class="([^"]*\bfa-[^"]*)"')
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"\\([0-9a-f]+)"\}')
CSS_GLYPH = re.compile(r'([^{}]*)\{[^{}]*?content:"\\(f[0-9a-f]{3})"')
CSS_VARIABLE = re.compile(r'--pst-icon-[a-z-]+:"([\ue000-\uf8ff])"')
FA_SELECTORS = re.compile(r"^(\.fa-[a-z0-9-]+:(before|after),?)+$")


def css_glyphs(css: str) -> set[int]:
    """The Font Awesome glyphs a style sheet draws by itself (the theme's admonition and sidebar icons,
    in ``--pst-icon-*`` variables or ``content`` rules), not those of the ``.fa-*`` icon classes."""
    found = {ord(char) for char in CSS_VARIABLE.findall(css)}
    found |= {int(code, 16) for selector, code in CSS_GLYPH.findall(css) if not FA_SELECTORS.match(selector.strip())}
    return found


def icon_codepoints(css: str) -> dict[str, int]:
    """Each Font Awesome class of the theme's CSS (``fa-bars``) and its glyph's code point."""
    found = {}
    for selectors, code in ICON_RULE.findall(css):
        for name in re.findall(r"\.(fa-[a-z0-9-]+):", selectors):
            found[name] = int(code, 16)
    return found


def icons_used(outdir: Path, css: str) -> dict[str, set[int]]:
    """The code points of every icon the site shows, by font: from the pages' ``<i class="fa-...">``
    (all of them, since any could be shown in one style or another) and from the theme's CSS rules that
    draw a glyph themselves (admonitions, the search button)."""
    codes = icon_codepoints(css)
    used = {font: set() for font in ICON_FONTS}
    for page in outdir.rglob("*.html"):
        for classes in ICON_CLASS.findall(page.read_text(encoding="utf-8")):
            names = set(classes.split())
            for font, (_, _, styles) in ICON_FONTS.items():
                if names & styles or (font == "fa-solid-900" and not names & {"fab", "fa-brands", "far", "fa-regular"}):
                    used[font] |= {codes[n] for n in names if n in codes}
    for sheet in outdir.glob("_static/**/*.css"):
        glyphs = css_glyphs(sheet.read_text(encoding="utf-8", errors="replace"))
        for font in ICON_FONTS:  # which font a rule uses is in its cascade: keep the glyph in every one
            used[font] |= glyphs
    return used


def subset_icons(app: Sphinx, exception) -> None:
    """Write _static/book-icons/: the theme's icon fonts cut down to the icons the site shows (WOFF),
    and book-icons.css, whose @font-face rules come after the theme's and so replace them."""
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset

    outdir = Path(app.outdir)
    theme_css = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    fonts = outdir / "_static" / "vendor" / "fontawesome" / "webfonts"
    if not theme_css.is_file() or not fonts.is_dir():
        logger.info("book_site: no Font Awesome in the theme's files: the icons are left as they are")
        return
    used = icons_used(outdir, theme_css.read_text(encoding="utf-8"))
    target = outdir / "_static" / ICON_DIR
    target.mkdir(exist_ok=True)
    rules, total = [], 0
    for font, (family, weight, _) in ICON_FONTS.items():
        options = subset.Options()
        options.flavor = "woff"  # zlib; WOFF2 would need the brotli module
        options.layout_features = []
        font_file = subset.load_font(str(fonts / f"{font}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(used[font]) or [0x20])
        subsetter.subset(font_file)
        subset.save_font(font_file, str(target / f"{font}.woff"), options)
        total += (target / f"{font}.woff").stat().st_size
        rules.append(f'@font-face{{font-family:"{family}";font-style:normal;font-weight:{weight};'
                     f'font-display:block;src:url({font}.woff) format("woff")}}')
    (target / "book-icons.css").write_text("/* The theme's icon fonts, only the icons this site shows "
                                           "(tools/book_site.py). */\n" + "\n".join(rules) + "\n")
    # The full fonts and the script that drew the icons as SVG are no longer loaded by any page.
    for path in [*fonts.iterdir(), outdir / "_static" / "scripts" / "fontawesome.js",
                 outdir / "_static" / "scripts" / "fontawesome.js.LICENSE.txt"]:
        path.unlink(missing_ok=True)
    logger.info(f"book_site: icons: {sum(map(len, used.values()))} glyphs in three fonts, {total / 1024:.0f} KiB "
                "(_static/book-icons/)")


SOURCE_MAP_COMMENT = re.compile(rb"\n?(//|/\*)# sourceMappingURL=\S+?\.map( \*/)?\s*$")


def drop_source_maps(app: Sphinx, exception) -> None:
    """No source maps in the published site (3.5 MB a reader never uses), nor comments naming them."""
    if exception is not None or app.builder.format != "html":
        return
    maps = list(Path(app.outdir, "_static").rglob("*.map"))
    for path in maps:
        source = path.with_suffix("")  # x.js.map → x.js
        if source.is_file():
            source.write_bytes(SOURCE_MAP_COMMENT.sub(b"\n", source.read_bytes()))
        path.unlink()
    if maps:
        logger.info(f"book_site: {len(maps)} source maps left out of the site")


def drop_theme_catalogues(app: Sphinx, exception) -> None:
    """No copy of the theme's translation catalogues (_static/locales, 46 languages, 0.7 MB).

    sphinx-book-theme copies them as static files, but Sphinx reads them at build time from
    the installed theme; no page loads them.
    """
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir, "_static", "locales")
    if folder.is_dir():
        shutil.rmtree(folder)
        logger.info("book_site: the theme's translation catalogues left out of the site")


def slim_notebook_downloads(app: Sphinx, exception) -> None:
    """The downloadable notebooks (_sources/) without saved widget state or widget views.

    A saved widget view is a stale picture of an explorer that only a running kernel can move
    (0.5 MB over the chapters); the figures and printed outputs stay. Opened in Jupyter, the
    notebook runs as the repository's does.
    """
    if exception is not None or app.builder.format != "html":
        return
    saved = 0
    for path in Path(app.outdir, "_sources").rglob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
        nb.get("metadata", {}).pop("widgets", None)
        for cell in nb.get("cells", []):
            cell["outputs"] = [out for out in cell.get("outputs", [])
                               if WIDGET_VIEW not in out.get("data", {})]
        slim = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        if len(slim) < len(text):
            saved += len(text.encode()) - len(slim.encode())
            path.write_text(slim, encoding="utf-8")
    if saved:
        logger.info(f"book_site: downloadable notebooks without saved widget views ({saved / 1e6:.1f} MB less)")


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class DropConfigDump(std_logging.Filter):
    """Drop the one-line dump of MyST's or MyST-NB's parsed configuration at the default verbosity."""

    def __init__(self, app: Sphinx):
        super().__init__()
        self.app = app

    def filter(self, record: std_logging.LogRecord) -> bool:
        if self.app.verbosity > 0 or record.levelno != std_logging.INFO:
            return True
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        return not any(type(arg).__name__ in CONFIG_DUMPS for arg in args)


#: The loggers (Sphinx prefixes "sphinx.") that log the parsed configuration, and its class names.
CONFIG_LOGGERS = ("sphinx.myst_parser.sphinx_ext.main", "sphinx.myst_nb.sphinx_ext")
CONFIG_DUMPS = {"MdParserConfig", "NbParserConfig"}


EXECUTE_ENV = "BOOK_EXECUTE"
EXECUTION_MODES = ("off", "force", "auto", "cache", "inline")


def execution_from_env(app: Sphinx, config) -> None:
    """BOOK_EXECUTE=off (or another MyST-NB execution mode) overrides _config.yml's execute_notebooks."""
    mode = os.environ.get(EXECUTE_ENV, "").strip()
    if not mode:
        return
    if mode not in EXECUTION_MODES:
        raise ExtensionError(f"{EXECUTE_ENV}={mode!r}: expected one of {', '.join(EXECUTION_MODES)}")
    config.nb_execution_mode = mode
    if mode == "cache":
        # One cache for every edition (tools/build_book.py builds the Chinese one into
        # _build/html/zh_CN/, whose default cache would be a folder of its own): the English
        # build executes, the translations read its outputs.
        config.nb_execution_cache_path = str(Path(app.srcdir) / "_build" / ".jupyter_cache")
    what = {"off": "rendered from their committed outputs", "force": "executed"}.get(mode, f"executed in mode {mode!r}")
    logger.info(f"book_site: {EXECUTE_ENV}={mode}: the chapters are {what}")


class Timeline:
    """When each phase of the build started, for one ``book_site:`` line per phase."""

    def __init__(self):
        self.marks: dict[str, float] = {}
        self.cached: set[str] = set()

    def mark(self, name: str) -> float:
        self.marks[name] = time.perf_counter()
        return self.marks[name]

    def since(self, name: str) -> float:
        return time.perf_counter() - self.marks[name]


TIMELINE = Timeline()


def _frame_cache(app: Sphinx) -> Path:
    return Path(app.doctreedir).parent / ".static-explorers"  # as _ext/static_explorers.py keeps it


def frames_started(app: Sphinx) -> None:
    TIMELINE.mark("frames")
    TIMELINE.cached = {p.name for p in _frame_cache(app).glob("*.pickle")}


def frames_done(app: Sphinx) -> None:
    from book.explorers import ALL

    rendered = len({p.name for p in _frame_cache(app).glob("*.pickle")} - TIMELINE.cached)
    logger.info(f"book_site: static-explorer frames ready in {TIMELINE.since('frames'):.0f} s "
                f"({rendered} of {len(ALL)} explorers rendered, the others from the cache _build/.static-explorers/)")


def reading_started(app: Sphinx, env, docnames) -> None:
    TIMELINE.mark("read")


def reading_done(app: Sphinx, env) -> None:
    logger.info(f"book_site: {len(env.all_docs)} sources read in {TIMELINE.since('read'):.0f} s")
    TIMELINE.mark("write")


def build_done(app: Sphinx, exception) -> None:
    if exception is not None or "write" not in TIMELINE.marks:
        return
    cache = getattr(app.env, "static_explorer_cache", None)
    stats = list(getattr(cache, "stats", {}).values())
    if stats:
        frames = sum(s["frames"] for s in stats)
        size = sum(s["bytes"] for s in stats) / 1e6
        pages = len({s["page"] for s in stats})
        logger.info(f"book_site: {len(stats)} static explorers on {pages} pages, {frames} frames, {size:.1f} MB")
    logger.info(f"book_site: HTML written in {TIMELINE.since('write'):.0f} s")


def setup(app: Sphinx) -> dict:
    for name in CONFIG_LOGGERS:
        std_logging.getLogger(name).addFilter(DropConfigDump(app))
    app.connect("config-inited", execution_from_env)
    app.connect("config-inited", configure_assets)
    # Around _ext/static_explorers.py's own builder-inited handler (priority 500), which renders the frames.
    app.connect("builder-inited", frames_started, priority=400)
    app.connect("builder-inited", frames_done, priority=600)
    app.connect("env-before-read-docs", reading_started)
    app.connect("env-updated", reading_done)
    app.connect("build-finished", build_done, priority=600)
    # After sphinx-book-theme's own handlers (priority 500), which make the header buttons.
    app.connect("html-page-context", add_markdown_download, priority=510)
    app.connect("html-page-context", lazy_images, priority=900)
    app.connect("build-finished", drop_source_maps)
    app.connect("build-finished", drop_theme_catalogues)
    app.connect("build-finished", slim_notebook_downloads)
    app.connect("build-finished", subset_icons)
    app.add_css_file(f"{ICON_DIR}/book-icons.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
