"""The house format: ``ruff format`` and an 88-column limit (pyproject.toml, [tool.ruff]).

88 columns is what the book's code column shows at 1280 px: the chapters show book/ by
``literalinclude``, and tests/browser/test_layout.py fails on a code block that scrolls
sideways. One test per folder, so a folder that is not formatted yet fails on its own.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> str:
    """The ruff of this environment (it is in requirements-lock.txt), else the PATH's."""
    here = Path(sys.executable).with_name("ruff")
    found = str(here) if here.exists() else shutil.which("ruff")
    if found is None:
        pytest.fail(
            "ruff is not installed: it is in requirements-lock.txt "
            "(pip install -r requirements-lock.txt, or make venv)"
        )
    return found


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_ruff(), *args, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("folder", ["book", "chapters"])
def test_ruff_format_leaves_the_folder_unchanged(folder):
    done = _run("format", "--check", folder)
    assert done.returncode == 0, (
        f"`ruff format {folder}/` would change these files:\n{done.stdout}{done.stderr}"
    )


def test_book_lines_fit_88_columns():
    done = _run("check", "--select", "E501", "--output-format", "concise", "book")
    assert done.returncode == 0, (
        f"lines of book/ over 88 columns:\n{done.stdout}{done.stderr}"
    )


#: A fenced code block in a chapter's Markdown (a solution, say) sits in an exercise box
#: a few characters narrower than a code cell.
FENCE = re.compile(
    r"^(\s*)(`{3,})(?:python|py|\{code-block\} python)\s*\n(.*?)^\s*\2\s*$", re.S | re.M
)


def _long_lines(text: str, limit: int) -> list[str]:
    return [line for line in text.splitlines() if len(line) > limit]


@pytest.mark.parametrize(
    "chapter", sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb"))
)
def test_a_chapter_shows_no_line_wider_than_its_column(chapter):
    """Code cells and their printed text within 88 columns; fenced code in Markdown within 85."""
    nb = json.loads((ROOT / "chapters" / chapter).read_text(encoding="utf-8"))
    found = []
    for i, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            for match in FENCE.finditer(source):
                found += [
                    f"cell {i}, Markdown code: {line!r}"
                    for line in _long_lines(match.group(3), 85)
                ]
            continue
        if cell["cell_type"] != "code":
            continue
        found += [f"cell {i}, code: {line!r}" for line in _long_lines(source, 88)]
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text = "".join(output["text"])
            elif "text/plain" in output.get("data", {}) and len(output["data"]) == 1:
                text = "".join(
                    output["data"]["text/plain"]
                )  # a printed value, not a figure's repr
            else:
                continue
            found += [f"cell {i}, output: {line!r}" for line in _long_lines(text, 88)]
    assert not found, (
        f"{chapter}: lines wider than the book's code column:\n" + "\n".join(found)
    )
