"""The built book as a self-contained site (read as text; tests/browser opens it in a browser).

Every page loads its scripts, styles and pictures from the site itself, and every
such file exists; MathJax is the vendored copy; no page loads a widget manager,
saved widget state, fontawesome.js or a source map, and every image but a page's
first loads lazily; every static explorer's note links to Binder and Colab
(where every control moves); every chapter can be downloaded as .ipynb and as
MyST Markdown; the theme has a default colour mode and the book's print styles
are linked.
"""
import re
from urllib.parse import urlparse

import nbformat
import pytest

from book_pages import HTML, ROOT, toc_pages

VENDOR = HTML / "_static" / "vendor"
MATHJAX = "vendor/mathjax/startup.js"
#: What a page must not load any more (issue 17): the widget stack, and the theme's SVG icon script.
HEAVY = re.compile(r"require\.js|embed-amd\.js|widgets-glue\.js|fontawesome\.js")


PAGES = toc_pages()


def resources(doc):
    """Every URL the page loads by itself: scripts, stylesheets, icons, pictures, frames."""
    urls = [tag["src"] for tag in doc.find_all(["script", "img", "iframe", "source"], src=True)]
    urls += [tag["href"] for tag in doc.find_all("link", href=True)
             if set(tag.get("rel", [])) & {"stylesheet", "preload", "icon", "modulepreload"}]
    return urls


def static_name(url):
    """``../_static/vendor/x.js?v=1`` → ``vendor/x.js``; None for a file outside _static."""
    path = urlparse(url).path
    return path.split("_static/", 1)[1] if "_static/" in path else None


def test_vendored_libraries_are_there():
    assert (VENDOR / "VERSIONS").is_file(), (
        "_static/vendor/ is missing from the build: `make book` runs tools/vendor_js.sh, "
        "which needs npm; without it the pages load MathJax from its CDN"
    )
    assert (HTML / "_static" / MATHJAX).is_file(), f"_static/{MATHJAX} is missing"


@pytest.mark.parametrize("page", PAGES)
def test_everything_loaded_comes_from_the_site(page, page_soup):
    doc = page_soup(page)
    base = (HTML / f"{page}.html").parent
    for url in resources(doc):
        parsed = urlparse(url)
        assert not (parsed.scheme in ("http", "https") or url.startswith("//")), \
            f"{page}: loads {url} from outside the site"
        if parsed.scheme == "data":
            continue
        assert (base / parsed.path).resolve().is_file(), f"{page}: loads {url}, which is not in the build"


@pytest.mark.parametrize("page", PAGES)
def test_pages_load_no_widget_stack_and_only_vendored_mathjax(page, page_soup):
    doc = page_soup(page)
    scripts = [tag["src"] for tag in doc.find_all("script", src=True)]
    assert not [src for src in scripts if HEAVY.search(src)], f"{page} loads {scripts}"
    assert doc.find("script", type="application/vnd.jupyter.widget-state+json") is None, \
        f"{page}: saved widget state in the page"
    assert doc.find("script", type="application/vnd.jupyter.widget-view+json") is None, \
        f"{page}: a saved widget view in the page"
    # Jupyter Book adds every .js under _static/ to every page; the vendored files must not be.
    vendored = [static_name(src) for src in scripts if (static_name(src) or "").startswith("vendor/")]
    assert vendored in ([], [MATHJAX]), f"{page} loads vendored files directly: {vendored[:5]}"
    assert not doc.find(string=re.compile("THEBE_JS_URL")), f"{page}: sphinx_thebe is back (a console error)"


def test_no_source_maps_in_the_site():
    maps = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.map"))
    assert not maps, f"source maps in the published site: {maps}"
    named = [p.name for p in (HTML / "_static").rglob("*.js")
             if b"sourceMappingURL=" in p.read_bytes()[-300:] and not p.name.startswith("mathjax")]
    assert not named, f"scripts that name a source map that is not there: {named}"


@pytest.mark.parametrize("page", PAGES)
def test_images_below_the_first_load_lazily(page, page_soup):
    images = [img for img in page_soup(page).select("article img") if not img.get("src", "").startswith("data:")]
    eager = [img.get("src", "")[:60] for img in images[1:] if img.get("loading") != "lazy"]
    assert not eager, f"{page}: images after the first without loading=lazy: {eager}"


@pytest.mark.parametrize("page", PAGES)
def test_every_explorer_note_links_to_binder_and_colab(page, page_soup):
    doc = page_soup(page)
    for node in doc.select(".static-explorer"):
        note = node.select_one(".static-explorer-note")
        links = {a.get_text(): a["href"] for a in note.find_all("a")}
        assert links.get("Binder", "").startswith("https://mybinder.org/v2/gh/"), f"{page}: {links}"
        assert links.get("Colab", "").startswith("https://colab.research.google.com/github/"), f"{page}: {links}"
        assert f"{page}.ipynb" in links["Binder"] and links["Colab"].endswith(f"{page}.ipynb")
        assert "<!--" not in str(note), f"{page}: the launch-link placeholder is left in the note"


@pytest.mark.parametrize("page", [p for p in PAGES if (ROOT / f"{p}.ipynb").is_file()])
def test_chapter_downloads_as_notebook_and_markdown(page, page_soup):
    doc = page_soup(page)
    downloads = {a.get_text(strip=True): a["href"] for a in doc.select(".dropdown-download-buttons a")}
    assert {".ipynb", ".md"} <= set(downloads), f"{page}: downloads {sorted(downloads)}"
    base = (HTML / f"{page}.html").parent
    assert (base / downloads[".ipynb"]).is_file()
    markdown = (base / downloads[".md"]).read_text(encoding="utf-8")
    assert markdown.startswith("---\njupytext:") and "format_name: myst" in markdown
    notebook = nbformat.read(base / downloads[".ipynb"], as_version=4)  # the notebook as built
    for cell in notebook.cells:
        assert cell.source in markdown, f"{page}: a {cell.cell_type} cell is missing from the .md download"
    assert markdown.count("{code-cell}") == sum(c.cell_type == "code" for c in notebook.cells)


@pytest.mark.parametrize("page", PAGES)
def test_theme_mode_and_print_styles(page, page_soup):
    doc = page_soup(page)
    assert doc.body.get("data-default-mode") == "auto", f"{page}: no default colour mode"
    sheets = [static_name(link["href"]) for link in doc.find_all("link", rel="stylesheet", href=True)]
    assert "book.css" in sheets, f"{page}: the book's styles (print, dark mode) are not linked"


def test_print_styles_keep_figures_whole():
    css = (HTML / "_static" / "book.css").read_text(encoding="utf-8")
    printing = css[css.index("@media print"):]
    assert "max-width: 100%" in printing and "break-inside: avoid" in printing
