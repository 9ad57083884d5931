"""The book's own Sphinx extension: what a reader of the online book needs beyond Jupyter Book.

* **Self-contained pages.** ``_config.yml`` points MathJax, RequireJS and the
  widget manager at ``_static/vendor/`` (filled by ``tools/vendor_js.sh``).
  Jupyter Book adds every ``.js``/``.css`` file under ``_static/`` to every page;
  the vendored libraries and the widget glue must not be (MathJax loads its own
  components, and the widget scripts belong only on pages with widgets, in their
  order), so they are taken out of ``html_js_files``/``html_css_files`` here.
  Where the vendored copy is missing (no npm when the book was built), the pages
  fall back to the libraries' CDNs, and the build says so.
* **A note beside each explorer.** Every saved widget view gets, right after it,
  one line saying that moving the controls needs a running kernel, with links
  to the page's own launch buttons (Binder, Colab, JupyterHub when configured).
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

import html
import json
import logging as std_logging
import os
import time
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

VENDOR = "vendor/"
WIDGET_VIEW = '<script type="application/vnd.jupyter.widget-view+json">'
NOTE_CLASS = "explorer-kernel-note"
LAUNCH_PLACEHOLDER = "<!--explorer-launch-links-->"
LAUNCHERS = ("Binder", "Colab", "JupyterHub")

# The defaults of Sphinx (MathJax) and MyST-NB (RequireJS), and the widget manager
# at the version tools/vendor_js.sh vendors.
CDN_MATHJAX = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"
CDN_REQUIREJS = "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js"
CDN_WIDGETS = "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1.0.15/dist/embed-amd.js"


def _is_vendored(url: str) -> bool:
    return url.startswith(VENDOR)


def configure_assets(app: Sphinx, config) -> None:
    """Keep vendored files off the every-page list; fall back to CDNs when they are missing."""
    per_page = set(config.nb_ipywidgets_js)
    # _config.yml names _static and Jupyter Book adds it again: list each file once.
    config.html_static_path = list(dict.fromkeys(config.html_static_path))
    config.html_js_files = _unique(
        entry for entry in config.html_js_files
        if not _is_vendored(_name(entry)) and _name(entry) not in per_page
    )
    config.html_css_files = _unique(entry for entry in config.html_css_files if not _is_vendored(_name(entry)))

    static = Path(app.confdir, "_static")
    if (static / VENDOR / "VERSIONS").is_file():
        logger.info("book_site: MathJax, RequireJS and the widget manager are served from _static/vendor/")
        return
    logger.info(
        "book_site: _static/vendor/ is missing (tools/vendor_js.sh could not run npm): "
        "the pages load MathJax, RequireJS and the widget manager from their CDNs"
    )
    if _is_vendored(config.mathjax_path):
        config.mathjax_path = CDN_MATHJAX
    fallback = {}
    for url, attributes in config.nb_ipywidgets_js.items():
        if url.endswith("require.js") and _is_vendored(url):
            fallback[CDN_REQUIREJS] = {"crossorigin": "anonymous"}
        elif url.endswith("embed-amd.js") and _is_vendored(url):
            fallback[CDN_WIDGETS] = {"data-jupyter-widgets-cdn": "https://cdn.jsdelivr.net/npm/",
                                     "crossorigin": "anonymous"}
        else:  # the glue: without data-vendor it only adds the MathJax shim
            fallback[url] = {k: v for k, v in attributes.items() if k != "data-vendor"}
    config.nb_ipywidgets_js = fallback


def _name(entry) -> str:
    return entry[0] if isinstance(entry, (tuple, list)) else entry


def _unique(entries) -> list:
    seen, kept = set(), []
    for entry in entries:
        if _name(entry) not in seen:
            seen.add(_name(entry))
            kept.append(entry)
    return kept


class ExplorerNote(SphinxPostTransform):
    """Put the one-line kernel note right after every saved widget view (HTML output only)."""

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for raw in list(self.document.findall(nodes.raw)):
            if raw.get("format") == "html" and raw.astext().startswith(WIDGET_VIEW):
                note = (
                    f'<p class="{NOTE_CLASS}">Moving the controls needs a running Python kernel'
                    f"{LAUNCH_PLACEHOLDER}; this page shows the explorer's first picture.</p>"
                )
                raw.parent.insert(raw.parent.index(raw) + 1, nodes.raw("", note, format="html"))


def _launch_links(buttons) -> list[tuple[str, str]]:
    """(text, url) of every launch button (Binder, Colab, JupyterHub) in the theme's header."""
    found = []
    for button in buttons:
        if button.get("type") == "group":
            found += _launch_links(button.get("buttons", []))
        elif button.get("text") in LAUNCHERS and button.get("url"):
            found.append((button["text"], button["url"]))
    return found


def fill_launch_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Replace the note's placeholder with this page's launch links (after the theme made them)."""
    body = context.get("body", "")
    if LAUNCH_PLACEHOLDER not in body:
        return
    links = _launch_links(context.get("header_buttons", []))
    if links:
        anchors = " or ".join(
            f'<a class="reference external" href="{html.escape(url)}">{html.escape(text)}</a>'
            for text, url in links
        )
        text = f" (launch this chapter on {anchors}, also in the rocket menu at the top)"
    else:
        text = ""
    context["body"] = body.replace(LAUNCH_PLACEHOLDER, text)


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
    app.add_post_transform(ExplorerNote)
    # After sphinx-book-theme's own handlers (priority 500), which make the header buttons.
    app.connect("html-page-context", add_markdown_download, priority=510)
    app.connect("html-page-context", fill_launch_links, priority=510)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
