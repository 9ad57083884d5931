"""The strict build of the book into _build/html, with a short log on the terminal.

    python tools/build_book.py force   # execute every chapter (make book: what is published)
    python tools/build_book.py off     # render the committed outputs (make test, after nbval)

Removes the previous HTML, doctrees, executed notebooks and screenshots (not the
static explorers' frame cache, _build/.static-explorers/), vendors the pages'
JavaScript (tools/vendor_js.sh), and runs ``jupyter-book build . --all -W -n
--keep-going`` with ``BOOK_EXECUTE`` set (tools/book_site.py). Sphinx's whole
output goes to _build/book.log; the terminal gets what says where the time went:
each chapter's execution time, the static explorers' frames, the reading and
writing times (the ``book_site:`` lines), and every warning or error. When the
build fails, the end of the log follows.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
LOG = BUILD / "book.log"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXECUTED = re.compile(r"^(?P<path>\S+\.(ipynb|md)): Executed notebook in (?P<s>[0-9.]+) seconds")
SHOWN = re.compile(r"^(book_site: |vendor: )")
PROBLEM = re.compile(r"WARNING|ERROR|CRITICAL|Traceback|Exception|[Ee]rror:|build finished with problems|"
                     r"build succeeded|^\s*raise |^\S+Error\b")
PROGRESS = re.compile(r"^(reading sources|writing output|copying images|copying assets)\.\.\. ")
TAIL = 25


def show(line: str) -> None:
    print(f"    {line}", flush=True)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("force", "off"):
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    mode = argv[0]
    for folder in ("html", ".doctrees", "jupyter_execute", "screenshots"):
        shutil.rmtree(BUILD / folder, ignore_errors=True)
    BUILD.mkdir(exist_ok=True)
    vendor = subprocess.run([str(ROOT / "tools" / "vendor_js.sh")], capture_output=True, text=True)
    for line in (vendor.stdout + vendor.stderr).splitlines():
        show(line)
    if vendor.returncode != 0:
        return vendor.returncode

    command = [str(JUPYTER_BOOK), "build", ".", "--all", "-W", "-n", "--keep-going"]
    env = {**os.environ, "BOOK_EXECUTE": mode}
    show(f"BOOK_EXECUTE={mode} {' '.join(['jupyter-book', *command[1:]])} (full log: _build/book.log)")
    tail: list[str] = []
    with open(LOG, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True, bufsize=1)
        for raw in process.stdout:
            log.write(raw)
            line = ANSI.sub("", raw.rstrip("\n"))
            if not PROGRESS.match(line):
                tail = (tail + [line])[-TAIL:]
            executed = EXECUTED.match(line)
            if executed:
                path = Path(executed["path"])
                name = path.relative_to(ROOT) if path.is_absolute() and path.is_relative_to(ROOT) else path
                show(f"executed {name} in {float(executed['s']):.1f} s")
            elif SHOWN.match(line):
                show(SHOWN.sub("", line, count=1) if line.startswith("book_site: ") else line)
            elif PROBLEM.search(line):
                show(line)
        status = process.wait()
    if status != 0:
        show(f"jupyter-book exited with {status}; the last {len(tail)} lines of _build/book.log "
             "(progress lines left out):")
        for line in tail:
            show(f"| {line}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
