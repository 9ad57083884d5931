"""The built book as a self-contained site (read as text; tests/browser opens it in a browser).

Every page loads its scripts, styles and pictures from the site itself, and every
such file exists; MathJax, RequireJS and the widget manager are the vendored
copies, loaded in the order the widget glue needs, only where needed; every
saved widget view carries the one-line kernel note with launch links; every
chapter can be downloaded as .ipynb and as MyST Markdown; the theme has a
default colour mode and the book's print styles are linked.
"""
import re
from urllib.parse import urlparse

import nbformat
import pytest

from book_pages import HTML, ROOT, toc_pages

VENDOR = HTML / "_static" / "vendor"
WIDGET_SCRIPTS = ["vendor/requirejs/require.js", "widgets-glue.js", "vendor/html-manager/dist/embed-amd.js"]
MATHJAX = "vendor/mathjax/tex-mml-chtml.js"


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
        "which needs npm; without it the pages load MathJax and the widget manager from CDNs"
    )
    for name in [MATHJAX, *WIDGET_SCRIPTS]:
        assert (HTML / "_static" / name).is_file(), f"_static/{name} is missing"


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
def test_vendored_scripts_load_where_needed_in_order(page, page_soup):
    doc = page_soup(page)
    scripts = [static_name(tag["src"]) for tag in doc.find_all("script", src=True)]
    scripts = [name for name in scripts if name]
    has_widgets = doc.find("script", type="application/vnd.jupyter.widget-state+json") is not None
    widget_scripts = [name for name in scripts if name in WIDGET_SCRIPTS]
    if has_widgets:
        assert widget_scripts == WIDGET_SCRIPTS, f"{page}: widget scripts {widget_scripts}"
        glue = doc.find("script", src=re.compile(r"widgets-glue\.js"))
        assert glue.get("data-vendor") == WIDGET_SCRIPTS[2], f"{page}: the glue does not name the bundle"
        bundle = doc.find("script", src=re.compile(r"embed-amd\.js"))
        assert bundle.get("data-jupyter-widgets-cdn") == "./", f"{page}: the widget manager would ask a CDN"
    else:
        assert not widget_scripts, f"{page} has no widgets but loads {widget_scripts}"
    # Jupyter Book adds every .js under _static/ to every page; the vendored files must not be.
    others = [name for name in scripts if name.startswith("vendor/") and name not in [MATHJAX, *WIDGET_SCRIPTS]]
    assert not others, f"{page} loads vendored files directly: {others[:5]}"
    assert not doc.find(string=re.compile("THEBE_JS_URL")), f"{page}: sphinx_thebe is back (a console error)"


@pytest.mark.parametrize("page", PAGES)
def test_every_explorer_says_it_needs_a_kernel(page, page_soup):
    doc = page_soup(page)
    for view in doc.find_all("script", type="application/vnd.jupyter.widget-view+json"):
        note = view.find_next_sibling("p", class_="explorer-kernel-note")
        assert note is not None, f"{page}: a widget view without the kernel note"
        links = {a.get_text(): a["href"] for a in note.find_all("a")}
        assert links.get("Binder", "").startswith("https://mybinder.org/v2/gh/"), f"{page}: {links}"
        assert links.get("Colab", "").startswith("https://colab.research.google.com/github/"), f"{page}: {links}"
        assert f"{page}.ipynb" in links["Binder"] and links["Colab"].endswith(f"{page}.ipynb")


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
