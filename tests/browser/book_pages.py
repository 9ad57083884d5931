"""The book's pages, as _toc.yml lists them, and where the built site is."""
from __future__ import annotations

import os
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
#: The built book; BOOK_HTML points the tests at another build (a private --path-output).
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))


def toc_pages() -> list[str]:
    """Every page of _toc.yml, root first, as paths without suffix (``chapters/02-softmax``)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return pages


def is_notebook(page: str) -> bool:
    return (ROOT / f"{page}.ipynb").is_file()
