"""Sphinx extension: the Chinese edition, built from the same notebooks as the English book.

The English edition is the book as written. The Chinese edition is the same sources built with
``language = "zh_CN"`` (tools/build_book.py builds it into _build/html/zh_CN/, after the English
one): Sphinx replaces each paragraph, heading, list item or caption by its translation from the
gettext catalogues in locales/zh_CN/LC_MESSAGES/ (one per page; ``make catalogues`` makes and
updates them). Code, printed outputs and figures come from the same executed notebooks, so they
stay English. This extension adds what Sphinx's gettext support leaves out:

* **No silent English.** A message of a Chinese page without a translation (a new or changed
  English sentence, until its translation follows) is a warning, so the strict build fails.
* **The extensions' own text and the pictures' alt text** (the static explorers' notes,
  ``_ext/static_explorers.py``; the chapters' figures, whose alt text is cell metadata that
  Sphinx's catalogues never see; the explorers' pictures) come from the catalogue ``book``
  (locales/<language>/LC_MESSAGES/book.po), registered here. An alt text without a translation
  is a warning too.
* **A language switch**: every page's header links to the same page in the other edition
  (_templates/language-switch.html).
* **Chinese search.** Sphinx splits Chinese text into words with jieba; jieba's own dictionary
  splits 交叉熵 into 交叉 / 熵, and the search index keeps no one-character word, so a reader's
  交叉熵 would find nothing. The glossary's Chinese terms (glossary.po) become jieba's user
  dictionary (``_build/jieba-zh_CN.txt``). jieba's lines on loading are kept out of the log.
* **Shared files.** The Chinese edition's static files and images that are the same as the
  English edition's (the explorers' frames, MathJax, the theme, the figures) are removed once
  both are built (:func:`share_with_english`, which tools/build_book.py calls), and its pages
  point at the English edition's copies.
"""
from __future__ import annotations

import filecmp
import html
import logging as std_logging
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation, get_translator
from sphinx.util import logging

logger = logging.getLogger(__name__)
translate = get_translation("book")

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
#: The editions: language code → (the switch's text in that language, the edition's folder in the site).
EDITIONS = {"en": ("English", ""), "zh_CN": ("中文", "zh_CN")}
CJK = re.compile(r"[\u3400-\u9fff]")
IMG_ALT = re.compile(r'(<img\b[^>]*?\balt=")([^"]+)(")')
#: A glossary term as the Chinese glossary gives it: 交叉熵（cross-entropy）.
TERM = re.compile(r"^\s*([^（(]+?)\s*[（(]")


def edition(config) -> str:
    return config.language if config.language in EDITIONS else "en"


def is_translated_edition(app: Sphinx) -> bool:
    return edition(app.config) != "en" and app.builder.name != "gettext"


# ---- No silent English ---------------------------------------------------------------------

def untranslated(app: Sphinx, doctree: nodes.document) -> None:
    """Warn about every message of the page that its catalogue does not translate."""
    if not is_translated_edition(app):
        return
    for node in doctree.findall(nodes.Element):
        # A figure's alt text is not in the page's catalogue: translate_alt_text checks it. A title
        # that an extension writes in the edition's language itself (sphinx-exercise's 练习) is not
        # in it either.
        if node.get("translated") is False and not isinstance(node, nodes.image):
            text = " ".join(node.astext().split())
            if CJK.search(text):
                continue
            logger.warning(f"no translation in locales/{app.config.language}/LC_MESSAGES/{app.env.docname}.po "
                           f"(run make catalogues, then translate it): {text[:120]!r}",
                           location=node, type="i18n", subtype="untranslated")


def translate_toc_captions(app: Sphinx, doctree: nodes.document) -> None:
    """The table of contents' part captions ("Chapters") in the edition's language.

    sphinx-external-toc adds the root page's toctrees after Sphinx has translated the page, so
    their captions come out in English; their messages are in the root page's catalogue."""
    if not is_translated_edition(app) or app.env.docname != app.config.root_doc:
        return
    import gettext

    from sphinx import addnodes

    catalogue = gettext.translation(app.config.root_doc, localedir=str(LOCALES),
                                    languages=[app.config.language], fallback=True)
    for toctree in doctree.findall(addnodes.toctree):
        caption = toctree.get("caption")
        if caption:
            translated = catalogue.gettext(caption)
            if translated == caption:
                logger.warning(f"no translation of the contents' caption {caption!r} in "
                               f"{app.config.root_doc}.po", type="i18n", subtype="untranslated")
            toctree["caption"] = translated
            toctree["rawcaption"] = translated


# ---- Alt text -------------------------------------------------------------------------------

def translate_alt_text(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Every picture's alt text in the edition's language (catalogue ``book``)."""
    if not is_translated_edition(app) or "body" not in context:
        return
    translator = get_translator("book")

    def replace(match: re.Match) -> str:
        english = html.unescape(match.group(2))
        chinese = translator.gettext(english)
        if chinese == english:
            logger.warning(f"{pagename}: no translation of an alt text in book.po (run make catalogues): "
                           f"{english[:100]!r}", type="i18n", subtype="untranslated")
        return match.group(1) + html.escape(chinese) + match.group(3)

    context["body"] = IMG_ALT.sub(replace, context["body"])


# ---- The language switch --------------------------------------------------------------------

def other_edition(language: str) -> str:
    return "zh_CN" if language == "en" else "en"


def switch_url(pagename: str, language: str) -> str:
    """The same page in the other edition, relative to this page."""
    up = "../" * pagename.count("/")
    if language == "en":
        return f"{up}{EDITIONS['zh_CN'][1]}/{pagename}.html"
    return f"../{up}{pagename}.html"


def add_language_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The other edition's address of this page, for _templates/language-switch.html."""
    if app.builder.format != "html":
        return
    language = edition(app.config)
    other = other_edition(language)
    context["book_other_language"] = {
        "url": switch_url(pagename, language),
        "text": EDITIONS[other][0],
        "lang": other.replace("_", "-"),
        "tooltip": translate("This page in English") if other == "en" else "本页的中文版",
    }


# ---- Chinese search -------------------------------------------------------------------------

def glossary_terms(language: str) -> list[str]:
    """The Chinese glossary's terms (交叉熵 of 交叉熵（cross-entropy）), from glossary.po."""
    from babel.messages.pofile import read_po

    path = LOCALES / language / "LC_MESSAGES" / "glossary.po"
    if not path.is_file():
        return []
    english_terms = set(_glossary_term_lines(ROOT / "glossary.md"))
    with path.open("rb") as f:
        catalogue = read_po(f)
    terms = []
    for message in catalogue:
        if message.id in english_terms and message.string:
            match = TERM.match(message.string)
            terms.append(match.group(1) if match else message.string.strip())
    return terms


def _glossary_term_lines(path: Path) -> list[str]:
    """The term lines of the page's ``{glossary}`` block: unindented, non-empty lines."""
    lines, inside = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```{glossary}"):
            inside = True
        elif inside and line.startswith("```"):
            inside = False
        elif inside and line and not line[0].isspace() and not line.startswith(":"):
            lines.append(line.strip())
    return lines


def chinese_search(app: Sphinx, config) -> None:
    if not edition(config).startswith("zh"):
        return
    terms = glossary_terms(config.language)
    out = Path(app.outdir).parent.parent / f"jieba-{config.language}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    # A high count makes jieba keep the term whole; "n": a noun.
    out.write_text("".join(f"{term.replace(' ', '')} 100000 n\n" for term in terms), encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(out)}
    # jieba announces loading its dictionary on its own logger (stderr), at INFO.
    std_logging.getLogger("jieba").setLevel(std_logging.WARNING)
    try:
        import jieba

        jieba.setLogLevel(std_logging.WARNING)
        jieba.dt.tmp_dir = str(out.parent)  # its cache beside the dictionary, not in /tmp
    except ImportError:
        logger.warning("the Chinese edition's search needs jieba (pip install jieba): Chinese words "
                       "are not split", type="i18n")
    logger.info(f"book_site: Chinese search: {len(terms)} glossary terms in jieba's user dictionary")


def translate_title(app: Sphinx, config) -> None:
    if edition(config) == "en":
        return
    title = translate(config.html_title)
    if title == config.html_title:
        logger.warning(f"no translation of the book's title in book.po (run make catalogues): {title!r}",
                       type="i18n", subtype="untranslated")
    config.html_title = title


# ---- Shared files ---------------------------------------------------------------------------

SHARED = ("_static", "_images", "_sources")
CSS_URL = re.compile(r"""url\((?P<q>["']?)(?P<url>[^"')]+)(?P=q)\)""")
REFERENCE = re.compile(r"""(?P<quote>["'(])(?P<up>(?:\.\./)*)(?P<folder>_static|_images|_sources)/(?P<path>[^"')?#]+)""")


def drop_execution_copies(app: Sphinx, exception) -> None:
    """MyST-NB keeps its copies of the executed notebooks beside the output folder: in the English
    site's folder for this edition (the English edition's are in _build/jupyter_execute/)."""
    if is_translated_edition(app):
        shutil.rmtree(Path(app.outdir).parent / "jupyter_execute", ignore_errors=True)


def share_with_english(outdir: Path, english: Path) -> tuple[int, int]:
    """Remove the edition's files (in ``outdir``) that equal the English edition's (in ``english``)
    and point its pages at those; the number of files and bytes removed. tools/build_book.py runs
    it once both editions are built."""
    removed, saved = set(), 0
    for folder in SHARED:
        for path in sorted((outdir / folder).rglob("*")):
            twin = english / path.relative_to(outdir)
            if path.is_file() and twin.is_file() and filecmp.cmp(path, twin, shallow=False):
                saved += path.stat().st_size
                removed.add(path.relative_to(outdir).as_posix())
                path.unlink()
    for path in outdir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        depth = len(path.relative_to(outdir).parts) - 1

        def point(match: re.Match) -> str:
            up = match["up"]
            if len(up) // 3 != depth or f"{match['folder']}/{match['path']}" not in removed:
                return match.group(0)
            return f"{match['quote']}../{up}{match['folder']}/{match['path']}"

        new = REFERENCE.sub(point, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
    # A style sheet the edition keeps may name a file next to it that it no longer has (a font).
    for sheet in outdir.glob("_static/**/*.css"):
        text = sheet.read_text(encoding="utf-8")

        def repoint(match: re.Match) -> str:
            target = match["url"]
            path, suffix = re.match(r"([^?#]*)(.*)", target).groups()
            if re.match(r"^(data:|[a-z]+:|/|#)", target) or (sheet.parent / path).exists():
                return match.group(0)
            twin = english / Path(os.path.normpath(sheet.parent / path)).relative_to(outdir)
            if not twin.exists():
                return match.group(0)
            return f"url({match['q']}{os.path.relpath(twin, sheet.parent)}{suffix}{match['q']})"

        new = CSS_URL.sub(repoint, text)
        if new != text:
            sheet.write_text(new, encoding="utf-8")
    for folder in sorted(outdir.glob("_*/**/"), key=lambda p: -len(p.parts)):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return len(removed), saved


def compile_book_catalogue(language: str) -> None:
    """book.po → book.mo when the .mo is missing or older. Sphinx compiles a page's catalogue
    before reading the page, but an extension's catalogue is loaded at set-up, before that."""
    from sphinx.util.i18n import CatalogInfo

    folder = LOCALES / language / "LC_MESSAGES"
    catalogue = CatalogInfo(str(folder), "book", "utf-8")
    if (folder / "book.po").is_file() and catalogue.is_outdated():
        catalogue.write_mo(language)


def setup(app: Sphinx) -> dict:
    if edition(app.config) != "en":
        compile_book_catalogue(app.config.language)
    app.add_message_catalog("book", str(LOCALES))
    app.connect("config-inited", chinese_search)
    app.connect("config-inited", translate_title)
    app.connect("doctree-read", untranslated)
    app.connect("doctree-read", translate_toc_captions)
    app.connect("html-page-context", add_language_switch)
    # Before tools/book_site.py's lazy images (900), which it does not matter to.
    app.connect("html-page-context", translate_alt_text, priority=800)
    app.connect("build-finished", drop_execution_copies)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
