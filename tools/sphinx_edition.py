"""Build the book through Jupyter Book's own Sphinx call, with settings of its own.

    python tools/sphinx_edition.py BUILDER OUTDIR DOCTREEDIR [NAME=JSON ...]

``jupyter-book build`` reads _config.yml and _toc.yml but takes no Sphinx setting on
its command line (Sphinx's ``-D``). The Chinese edition needs a few (``language``,
``locale_dirs``), and the message catalogues a builder of their own (``gettext``);
a second copy of _config.yml would drift from the first. This script makes the call
``jupyter-book build . --all -W -n --keep-going`` makes, with each ``NAME=JSON`` pair
as one more setting (``language='"zh_CN"'``), into OUTDIR, with its doctrees in
DOCTREEDIR. tools/build_book.py runs it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from jupyter_book.sphinx import build_sphinx

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    if len(argv) < 3 or any("=" not in pair for pair in argv[3:]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    builder, outdir, doctreedir = argv[:3]
    settings = {name: json.loads(value) for name, value in (pair.split("=", 1) for pair in argv[3:])}
    result = build_sphinx(
        ROOT,
        Path(outdir).resolve(),
        noconfig=True,
        path_config=ROOT / "_config.yml",
        confoverrides={"external_toc_path": (ROOT / "_toc.yml").as_posix(), "latex_individualpages": False,
                       "nitpicky": True, **settings},
        doctreedir=Path(doctreedir).resolve(),
        builder=builder,
        force_all=True,
        freshenv=True,
        warningiserror=True,
        keep_going=True,
    )
    return result if isinstance(result, int) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
