"""Tests of the built book in _build/html (run after `make book`).

They read the HTML as text: every chapter has a page, no page shows a traceback,
an error, a warning or a figure repr, every image (explorer pictures included)
exists and has alt text, and math survives as math.
"""
from pathlib import Path

import pytest

from book_pages import HTML, ROOT, toc_pages

PAGES = toc_pages()


@pytest.mark.parametrize("page", PAGES)
def test_page_exists(page):
    assert (HTML / f"{page}.html").is_file()


@pytest.mark.parametrize("page", PAGES)
def test_no_error_text_in_outputs(page, page_soup):
    """No error output, no stderr, no traceback, no figure repr.

    A warning or error that a chapter catches and prints on purpose (the
    overflow demonstration, a ValueError shown to the reader) is ordinary
    stdout and allowed; anything the kernel sent as an error or on stderr is not.
    """
    doc = page_soup(page)
    for output in doc.select(".cell_output"):
        text = output.get_text()
        assert "Traceback (most recent call last)" not in text, f"{page}: a traceback in a cell output"
        assert "<Figure size" not in text, f"{page}: a Matplotlib figure repr in a cell output"
    assert not doc.select(".output.stderr, .stderr"), f"{page}: a stderr output"
    assert not doc.select(".output.traceback, .output.error"), f"{page}: an error output"


@pytest.mark.parametrize("page", PAGES)
def test_images_exist_and_have_alt_text(page, page_soup):
    doc = page_soup(page)
    base = (HTML / f"{page}.html").parent
    for img in doc.select("article img, .bd-article img"):
        src = img.get("src", "")
        assert not src.startswith(("http://", "https://", "//")), f"{page}: image fetched from outside: {src}"
        if not src.startswith("data:"):
            assert (base / src.split("?")[0]).is_file(), f"{page}: missing image {src}"
        assert img.get("alt", "").strip(), f"{page}: image {src[:60]} has no alt text"


@pytest.mark.parametrize("page", PAGES)
def test_math_is_kept_as_math(page, page_soup):
    source = next((ROOT / page).parent.glob(Path(page).name + ".*"))
    text = source.read_text(encoding="utf-8")
    if "$" not in text:
        return
    doc = page_soup(page)
    assert doc.select(".math"), f"{page}: the source has math but the page has no math elements"
    article = doc.select_one("article") or doc
    skipped = set(map(id, article.select(".math, pre, code, script")))  # the shared tree is not changed
    text = "".join(string for string in article.strings  # the strings get_text() joins
                   if not any(id(parent) in skipped for parent in string.parents))
    assert "$$" not in text, f"{page}: raw $$ left in the text"
