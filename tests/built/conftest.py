"""The built-site tests need a built site."""
import pytest

from book_pages import HTML


@pytest.fixture(scope="session", autouse=True)
def built():
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html/index.html is missing: run `make book` first")
