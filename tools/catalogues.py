"""Make or update the Chinese edition's message catalogues (``make catalogues``).

    python tools/catalogues.py

1. Sphinx's gettext builder, with execution off, writes one template per page of the table of
   contents into _build/gettext/ (every paragraph, heading, list item, caption and math block).
2. ``book.pot`` gathers what those templates cannot see: the text the book's extensions write
   (every ``translate("...")`` in _ext/ and tools/book_site.py), the alt text of every figure a
   chapter makes (its code cell's ``mystnb.image.alt``) and of every explorer's picture (from the
   frame cache the gettext build fills, _build/.static-explorers/).
3. ``sphinx-intl update`` brings locales/zh_CN/LC_MESSAGES/*.po up to date: a new message comes
   in untranslated, a changed one fuzzy (with the old translation as a guess), a removed one
   obsolete. tests/test_catalogues.py fails on each until the catalogue is fixed by hand, and the
   Chinese build fails on an untranslated message (_ext/translation.py).
"""
from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
TEMPLATES = BUILD / "gettext"
LOCALES = ROOT / "locales"
LANGUAGES = ["zh_CN"]
EXTENSION_SOURCES = [ROOT / "_ext" / "static_explorers.py", ROOT / "_ext" / "translation.py",
                     ROOT / "tools" / "book_site.py"]
PROJECT = "Classification: from scores to networks"


def page_templates() -> None:
    shutil.rmtree(TEMPLATES, ignore_errors=True)
    command = [sys.executable, str(ROOT / "tools" / "sphinx_edition.py"), "gettext", str(TEMPLATES),
               str(BUILD / ".doctrees-gettext")]
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, "BOOK_EXECUTE": "off"},
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"the gettext build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    (TEMPLATES / "sphinx.pot").exists() or sys.exit("the gettext build wrote no sphinx.pot")


def alt_texts() -> list[str]:
    found = []
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
            if alt:
                found.append(alt)
    sys.path.insert(0, str(ROOT))
    for path in sorted((BUILD / ".static-explorers").glob("*.pickle")):
        static = pickle.loads(path.read_bytes())
        if getattr(static, "alt", ""):
            found.append(static.alt)
    return found


def book_template() -> None:
    catalogue = Catalog(project=PROJECT)
    for source in EXTENSION_SOURCES:
        for line, message, comments, context in extract_from_file(
                "python", str(source), keywords={"translate": None}, comment_tags=()):
            catalogue.add(message, locations=[(source.relative_to(ROOT).as_posix(), line)])
    import yaml

    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    catalogue.add(title, auto_comments=["the book's title (_config.yml)"])
    for alt in alt_texts():
        catalogue.add(alt, auto_comments=["alt text of a picture"])
    with (TEMPLATES / "book.pot").open("wb") as f:
        write_po(f, catalogue, width=79, omit_header=False, no_location=True)


def update_catalogues() -> None:
    command = [str(Path(sys.executable).parent / "sphinx-intl"), "update", "-p", str(TEMPLATES),
               "-d", str(LOCALES), "-w", "79"]
    for language in LANGUAGES:
        subprocess.run([*command, "-l", language], cwd=ROOT, check=True)
        for path in (LOCALES / language / "LC_MESSAGES").rglob("*.po"):
            with path.open("rb") as f:
                catalogue = read_po(f, locale=language)
            catalogue.fuzzy = False  # the header's flag, not a message's
            catalogue.project, catalogue.version = PROJECT, ""
            catalogue.copyright_holder = "The classification-book authors"
            catalogue.msgid_bugs_address = ""
            catalogue.last_translator = catalogue.language_team = "The classification-book authors"
            catalogue.header_comment = (f"# {PROJECT}: the {language} edition's translations.\n"
                                        "# Made and updated by `make catalogues` (tools/catalogues.py).")
            with path.open("wb") as f:
                write_po(f, catalogue, width=79, omit_header=False)


def main() -> None:
    print("==> the pages' message templates (gettext build, execution off)", flush=True)
    page_templates()
    print("==> book.pot: the extensions' text and the pictures' alt text", flush=True)
    book_template()
    print("==> updating the catalogues", flush=True)
    update_catalogues()
    for language in LANGUAGES:
        folder = LOCALES / language / "LC_MESSAGES"
        counts = []
        for path in sorted(folder.rglob("*.po")):
            with path.open("rb") as f:
                catalogue = read_po(f, locale=language)
            entries = [m for m in catalogue if m.id]
            missing = sum(1 for m in entries if not m.string or m.fuzzy)
            counts.append((path.relative_to(folder).as_posix(), len(entries), missing, len(catalogue.obsolete)))
        total = sum(c[1] for c in counts)
        print(f"{language}: {total} messages in {len(counts)} catalogues")
        for name, n, missing, obsolete in counts:
            if missing or obsolete:
                print(f"    {name}: {missing} of {n} to translate or check, {obsolete} obsolete")


if __name__ == "__main__":
    main()
