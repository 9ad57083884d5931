"""The house format: ``ruff format`` and an 88-column limit (pyproject.toml, [tool.ruff]).

88 columns is what the book's code column shows at 1280 px: the chapters show book/ by
``literalinclude``, and tests/browser/test_layout.py fails on a code block that scrolls
sideways. One test per folder, so a folder that is not formatted yet fails on its own.
"""

from __future__ import annotations

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
    # chapters/ fails until its notebooks are formatted (`ruff format chapters/`).
    done = _run("format", "--check", folder)
    assert done.returncode == 0, (
        f"`ruff format {folder}/` would change these files:\n{done.stdout}{done.stderr}"
    )


def test_book_lines_fit_88_columns():
    done = _run("check", "--select", "E501", "--output-format", "concise", "book")
    assert done.returncode == 0, (
        f"lines of book/ over 88 columns:\n{done.stdout}{done.stderr}"
    )
