"""The no-kernel explorers in the built book: one for every explorer, within the size bounds.

Reads _build/html as text (after `make book`); the browser test moves them.
"""
import json

import pytest

from book_pages import HTML

import book.explorers  # noqa: F401  (registers every explorer)
from book.explorers import ALL

REPORT = HTML.parent / "static-explorers.json"

#: Bounds from issue 17 (a light book): a chapter page's HTML, and the English site on disk
#: (frames are most of it: keep each explorer's static grid at about 100 frames or fewer).
HTML_BYTES = 400_000
SITE_BYTES = 15_000_000


def chapter_pages():
    return sorted(HTML.glob("chapters/*.html"))


def name(page):
    """``.../_build/html/chapters/02-softmax.html`` → ``chapters/02-softmax``, as page_soup takes it."""
    return page.relative_to(HTML).with_suffix("").as_posix()


def test_every_explorer_has_a_static_version_in_the_book(page_soup):
    found = set()
    for page in chapter_pages():
        doc = page_soup(name(page))
        found |= {node["data-explorer"] for node in doc.select(".static-explorer")}
    assert found == set(ALL), f"without a static version in the book: {sorted(set(ALL) - found)}"


def test_the_build_reports_frames_and_bytes():
    report = json.loads(REPORT.read_text())
    assert {entry["explorer"] for entry in report} == set(ALL)
    for entry in report:
        assert 1 <= entry["frames"] <= 121 and entry["bytes"] > 0
        # Lossless WebP was chosen over the palette PNGs for being smaller: it must stay so.
        assert entry["format"].startswith("webp") and entry["bytes"] < entry["png_bytes"], entry


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.stem)
def test_static_markup_is_plain_and_complete(page, page_soup):
    doc = page_soup(name(page))
    for node in doc.select(".static-explorer"):
        data = json.loads(node.select_one("script.static-explorer-data").string)
        controls = node.select('input[type="range"], select')
        assert len(controls) == len(data["controls"]) >= 1
        assert node.select_one("img.static-explorer-picture")["alt"].strip()
        assert node.select_one("output.static-explorer-readout") is not None
        sizes = [len(c["labels"]) for c in data["controls"]]
        total = 1
        for size in sizes:
            total *= size
        assert len(data["frames"]) == len(data["readouts"]) == total
        for url in data["frames"]:
            frame = (page.parent / url).resolve()
            assert frame.is_file() and frame.read_bytes()[8:12] == b"WEBP", f"{page.name}: frame {url}"
        assert node.select_one("img.static-explorer-picture")["src"].startswith("data:image/webp;base64,"), \
            "the starting frame is inline, so the page shows a picture at once"
        cell = node.find_parent(class_="cell")
        assert "has-static-explorer" in cell["class"]
        assert not cell.select(".cell_output"), "the saved widget view must be gone: the static version replaces it"


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.stem)
def test_chapter_page_html_is_small(page):
    size = page.stat().st_size
    assert size <= HTML_BYTES, f"{page.name}: {size / 1e3:.0f} kB of HTML (goal {HTML_BYTES / 1e3:.0f} kB)"


def test_the_whole_site_is_small():
    """The English site (the translations in their folders have a bound of their own:
    tests/built/test_translation.py)."""
    translations = [HTML / language for language in ("zh_CN",)]
    size = sum(f.stat().st_size for f in HTML.rglob("*")
               if f.is_file() and not any(f.is_relative_to(t) for t in translations))
    assert size <= SITE_BYTES, f"the site is {size / 1e6:.1f} MB"


def test_explorer_notes_and_sliders_read_well(page_soup):
    """Each note agrees in number ("the control x stays at its", "the controls x and y stay at
    their"), each slider announces its shown value (aria-valuetext), and each explorer has an id
    that its page's contents link to."""
    import re

    problems = []
    for page in chapter_pages():
        doc = page_soup(name(page))
        contents = {a.get("href") for a in doc.select("#pst-page-toc-nav a")}
        for node in doc.select(".static-explorer"):
            note = node.select_one(".static-explorer-note").get_text()
            held = re.search(r"Here (the controls? )(.*?) (stays? at (its|their) starting values?)", note)
            if "starting value" in note and not held:
                problems.append(f"{name(page)}: note does not say which controls stay: {note!r}")
            elif held and (held.group(1) == "the control ") != (held.group(3) == "stays at its starting value"):
                problems.append(f"{name(page)}: note disagrees in number: {note!r}")
            for slider in node.select('input[type="range"]'):
                shown = slider.find_next_sibling("output").get_text()
                if slider.get("aria-valuetext") != shown:
                    problems.append(f"{name(page)}: slider {slider.get('aria-label')!r} shows {shown!r} but "
                                    f"announces {slider.get('aria-valuetext')!r}")
            if f"#{node.get('id')}" not in contents:
                problems.append(f"{name(page)}: explorer {node['data-explorer']} (id {node.get('id')!r}) is not "
                                "in the page's contents")
    assert not problems, "\n".join(problems)


def test_downloads_keep_figures_but_no_saved_widget_views():
    """tools/book_site.py: the downloadable notebooks lose only the stale widget pictures."""
    notebooks = sorted((HTML / "_sources" / "chapters").glob("*.ipynb"))
    assert notebooks, "no downloadable notebook in _sources/chapters"
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
        assert "widgets" not in nb["metadata"], path.name
        assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs), path.name
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{path.name} lost its figures"


def test_the_theme_catalogues_are_not_published():
    assert not (HTML / "_static" / "locales").exists()
