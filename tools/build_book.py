"""The strict build of the book into _build/html, and of its Chinese edition into
_build/html/zh_CN/, with a short log on the terminal.

    python tools/build_book.py force   # execute every chapter once (make book: what is published)
    python tools/build_book.py off     # render the committed outputs (make test, after nbval)
    python tools/build_book.py off en  # one edition only (en, zh_CN: make test builds them apart)

The Chinese edition (_ext/translation.py) is built from the same sources with
``language = "zh_CN"`` (tools/sphinx_edition.py), after the English one: with ``force``
it reads the English build's executions from their cache, with ``off`` the committed
outputs, and the frames from the same frame cache, so nothing executes or renders twice.
Then the Chinese edition's files that equal the English edition's are removed and its
pages point at those (``translation.share_with_english``).

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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
LOG = BUILD / "book.log"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
#: The translated editions, each into _build/html/<language>/ (_ext/translation.py).
TRANSLATIONS = ["zh_CN"]

ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXECUTED = re.compile(r"^(?P<path>\S+\.(ipynb|md)): Executed notebook in (?P<s>[0-9.]+) seconds")
SHOWN = re.compile(r"^(book_site: |vendor: )")
PROBLEM = re.compile(r"WARNING|ERROR|CRITICAL|Traceback|Exception|[Ee]rror:|build finished with problems|"
                     r"build succeeded|^\s*raise |^\S+Error\b")
PROGRESS = re.compile(r"^(reading sources|writing output|copying images|copying assets)\.\.\. ")
TAIL = 25


def show(line: str) -> None:
    print(f"    {line}", flush=True)


def run(command: list[str], env: dict, log_path: Path, prefix: str = "") -> int:
    """Run one Sphinx build: its whole output into ``log_path``; on the terminal what says where
    the time went and every problem (each line after ``prefix``); the log's end when it fails."""
    tail: list[str] = []
    with open(log_path, "w", encoding="utf-8") as log:
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
                show(f"{prefix}executed {name} in {float(executed['s']):.1f} s")
            elif SHOWN.match(line):
                show(prefix + (SHOWN.sub("", line, count=1) if line.startswith("book_site: ") else line))
            elif PROBLEM.search(line):
                show(prefix + line)
        status = process.wait()
    if status != 0:
        show(f"{prefix}the build exited with {status}; the last {len(tail)} lines of "
             f"{log_path.relative_to(ROOT)} (progress lines left out):")
        for line in tail:
            show(f"| {line}")
    return status


def main(argv: list[str]) -> int:
    editions = ["en", *TRANSLATIONS]
    if not argv or argv[0] not in ("force", "off") or not set(argv[1:]) <= set(editions):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    mode, wanted = argv[0], argv[1:] or editions
    if "en" in wanted:
        for folder in ("html", ".doctrees", "jupyter_execute", "screenshots"):
            shutil.rmtree(BUILD / folder, ignore_errors=True)
    elif not (BUILD / "html" / "index.html").is_file():
        print("the English edition comes first (the translations share its files): "
              "python tools/build_book.py MODE en", file=sys.stderr)
        return 2
    for language in TRANSLATIONS:
        if language in wanted:
            for folder in (BUILD / "html" / language, BUILD / f".doctrees-{language}", BUILD / "screenshots" / language):
                shutil.rmtree(folder, ignore_errors=True)
    BUILD.mkdir(exist_ok=True)
    vendor = subprocess.run([str(ROOT / "tools" / "vendor_js.sh")], capture_output=True, text=True)
    for line in (vendor.stdout + vendor.stderr).splitlines():
        show(line)
    if vendor.returncode != 0:
        return vendor.returncode

    # "force": every chapter executes once, into a fresh cache that the translated editions
    # then read (jupyter-cache keys on the code cells only, so a cache kept between builds would
    # miss an edit of book/). "off": the committed outputs.
    execute = "off"
    if mode == "force":
        if "en" in wanted:
            shutil.rmtree(BUILD / ".jupyter_cache", ignore_errors=True)
        execute = "cache"
    env = {**os.environ, "BOOK_EXECUTE": execute}
    builds = []
    if "en" in wanted:
        command = [str(JUPYTER_BOOK), "build", ".", "--all", "-W", "-n", "--keep-going"]
        show(f"English: BOOK_EXECUTE={execute} {' '.join(['jupyter-book', *command[1:]])} "
             "(full log: _build/book.log)")
        builds.append((command, LOG, ""))
    for language in (lang for lang in TRANSLATIONS if lang in wanted):
        out = BUILD / "html" / language
        command = [sys.executable, str(ROOT / "tools" / "sphinx_edition.py"), "html", str(out),
                   str(BUILD / f".doctrees-{language}"), f'language="{language}"']
        log = BUILD / f"book-{language}.log"
        show(f"{language}: the same chapters through locales/{language}/ into {out.relative_to(ROOT)}/ "
             f"(full log: {log.relative_to(ROOT)})")
        builds.append((command, log, f"{language}: "))
    # One after another: with "force" the translations read the English build's executions from
    # the cache. (Side by side, from the committed outputs, measured no faster in make test.)
    for command, log, prefix in builds:
        if (status := timed(command, env, log, prefix)) != 0:
            return status
    for language in (lang for lang in TRANSLATIONS if lang in wanted):
        count, size = share_with_english(BUILD / "html" / language, BUILD / "html")
        show(f"{language}: {count} files shared with the English edition ({size / 1e6:.1f} MB)")
    return 0


def timed(command: list[str], env: dict, log: Path, prefix: str) -> int:
    started = time.perf_counter()
    status = run(command, env, log, prefix)
    if status == 0:
        show(f"{prefix or 'English: '}built in {time.perf_counter() - started:.0f} s")
    return status


def share_with_english(outdir: Path, english: Path) -> tuple[int, int]:
    sys.path.insert(0, str(ROOT / "_ext"))
    from translation import share_with_english as share

    return share(outdir, english)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
