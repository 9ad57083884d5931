"""Old page addresses (files renamed, chapters split) still lead to the right page.

_config.yml's ``book_redirects`` maps each old page to its new one; _ext/redirects.py
writes a small page at every old address.
"""
from __future__ import annotations

import posixpath

import pytest
import yaml

from book_pages import HTML, ROOT, soup, toc_pages

REDIRECTS = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]["book_redirects"]


def test_every_chapter_file_is_numbered_as_the_book_numbers_it():
    chapters = [page for page in toc_pages() if page.startswith("chapters/")]
    numbers = [posixpath.basename(page).split("-", 1)[0] for page in chapters]
    assert numbers == [f"{n:02d}" for n in range(1, len(chapters) + 1)], chapters


@pytest.mark.parametrize("old", sorted(REDIRECTS))
def test_an_old_address_sends_the_reader_to_the_new_page(old):
    new = REDIRECTS[old]
    assert new in toc_pages(), f"{old} redirects to {new}, which is not in _toc.yml"
    assert old not in toc_pages(), f"{old} is a page of the book and a redirect"
    page = soup(old)
    href = posixpath.relpath(new, posixpath.dirname(old)) + ".html"
    assert page.find("link", rel="canonical")["href"] == href
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={href}"
    assert f"location.replace('{href}' + location.hash)" in page.find("script").string
    assert page.find("a")["href"] == href
    target = (HTML / old).parent / href
    assert target.resolve() == (HTML / f"{new}.html").resolve() and target.is_file()
    title = soup(new).title.string
    assert page.find("a").string.strip() and page.find("a").string in title
