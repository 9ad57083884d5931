"""The built-site tests need a built site; each page is parsed once per test process.

* ``page_soup(page)``: a built page (``chapters/02-softmax``) parsed with
  BeautifulSoup, the same tree for every test that asks for that page (the
  chapter pages are megabytes of HTML: parsing each once, not once per test,
  is most of these tests' time). Tests only read it: never change the tree.
"""
import functools

import pytest

from book_pages import HTML, soup


@pytest.fixture(scope="session", autouse=True)
def built():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html/index.html is missing: run `make book` first")


@pytest.fixture(scope="session")
def page_soup():
    return functools.lru_cache(maxsize=None)(soup)
