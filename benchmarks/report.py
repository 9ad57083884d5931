"""Every benchmark of the book in one report: `make bench` runs this.

Writes benchmarks/results/report.md (tables, each with its goal) and
report.json (the same figures, for tools), measured on this machine in one run:

1. each explorer's update in the kernel (benchmarks/explorers.py): callback +
   redraw + PNG, median and 95th percentile; goal 33 ms median, 16.7 ms (one
   60 fps frame) where it can be reached;
2. each explorer's step time in a browser, key press to new picture, from the
   live test's results file (tests/live, written by `make test`) when present;
   goal 150 ms;
3. each chapter's execution time, `jupyter execute` from a fresh kernel;
   goal under 30 s;
4. with ``--book``, the clean build of the whole book (slow: it executes every
   chapter again), into a temporary folder; goal under two minutes;
5. each page's weight on first load (requests, bytes, gzip bytes as a static
   host sends them, HTML) and the time until its first explorer responds on a
   throttled network, from the browser test's results file
   (benchmarks/page_weight.py, written by `make browser`) when present; goals
   1 MB gzip and 400 kB HTML a chapter page, 2 s to the first response;
6. the numerical kernels (`softmax`, `log_softmax`, `logsumexp` from
   benchmarks/softmax.py; `cross_entropy` and its gradient here) against
   SciPy-based formulas on the same logits, as time ratios.

Benchmarks are not tests: nothing here fails on a slow machine. ``--small``
shrinks every measurement so that a test can check the report is written.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.special

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import explorers as explorer_bench  # noqa: E402  (benchmarks/explorers.py)
import page_weight  # noqa: E402  (benchmarks/page_weight.py)

import book  # noqa: E402
from book.widgets import Canvas  # noqa: E402

BIN = Path(sys.executable).parent
GOALS = {"kernel_ms": 33.0, "frame_ms": 1000 / 60, "browser_ms": 150.0, "chapter_s": 30.0, "book_s": 120.0}


def _load_softmax_bench():
    """benchmarks/softmax.py (book vs scipy.special), imported by path: its name is taken by book.softmax."""
    spec = importlib.util.spec_from_file_location("softmax_bench", HERE / "softmax.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ce_reference(o: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cross-entropy from SciPy: logsumexp(o) − o_y."""
    return scipy.special.logsumexp(o, axis=-1) - np.take_along_axis(o, y[:, None], axis=-1)[:, 0]


def _ce_grad_reference(o: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Its gradient from SciPy and plain NumPy: softmax(o) − one-hot(y)."""
    g = scipy.special.softmax(o, axis=-1)
    g[np.arange(len(y)), y] -= 1.0
    return g


def kernels(small: bool) -> dict:
    """Best-of-n times of the book's numerical kernels and of their references, on the same logits."""
    softmax_bench = _load_softmax_bench()
    n, k = (1_000, 100) if small else (10_000, 1_000)
    repeats = 5 if small else 7
    rng = np.random.default_rng(0)
    o = 10.0 * rng.standard_normal((n, k))
    y = rng.integers(0, k, n)
    pairs = [(name, ours, theirs, "scipy.special." + name) for name, ours, theirs in softmax_bench.PAIRS]
    pairs += [
        ("cross_entropy", lambda o, axis: book.cross_entropy(o, y), lambda o, axis: _ce_reference(o, y),
         "scipy.special.logsumexp(o) − o_y"),
        ("cross_entropy_grad", lambda o, axis: book.cross_entropy_grad(o, y),
         lambda o, axis: _ce_grad_reference(o, y), "scipy.special.softmax(o) − one-hot(y)"),
    ]
    results = {}
    for name, ours, theirs, reference in pairs:
        agree = bool(np.allclose(ours(o, axis=-1), theirs(o, axis=-1), rtol=1e-10, atol=1e-12))
        t_ours, t_theirs = softmax_bench.best_times(ours, theirs, o, repeats)
        results[name] = {"shape": [n, k], "book_ms": t_ours * 1e3, "reference_ms": t_theirs * 1e3,
                         "ratio": t_ours / t_theirs, "reference": reference, "agree": agree}
    return results


def chapters(notebooks: list[Path]) -> dict:
    """Wall-clock time of `jupyter execute` of each notebook (kernel start included), nothing saved."""
    results = {}
    for nb in notebooks:
        start = time.perf_counter()
        run = subprocess.run([str(BIN / "jupyter"), "execute", "--timeout=300", str(nb)],
                             cwd=nb.parent, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        results[nb.name] = {"seconds": seconds, "ok": run.returncode == 0}
        if run.returncode != 0:
            results[nb.name]["error"] = run.stderr.strip().splitlines()[-1:]
    return results


def clean_book() -> dict:
    """A clean strict build of the whole book, as `make book` does, but into a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="book-bench-") as out:
        start = time.perf_counter()
        vendor = ROOT / "tools" / "vendor_js.sh"
        if vendor.exists():
            subprocess.run(["bash", str(vendor)], cwd=ROOT, capture_output=True)
        run = subprocess.run([str(BIN / "jupyter-book"), "build", ".", "--all", "-W", "-n", "--keep-going",
                              "--path-output", out], cwd=ROOT, capture_output=True, text=True)
        return {"seconds": time.perf_counter() - start, "ok": run.returncode == 0}


def _mark(value: float | None, goal: float, stretch: float | None = None) -> str:
    if value is None:
        return "–"
    if stretch is not None and value <= stretch:
        return "✓✓"
    return "✓" if value <= goal else "✗"


def markdown(report: dict) -> str:
    g = GOALS
    m = report["machine"]
    lines = [
        "# Benchmark report",
        "",
        f"Written {report['written']} on {m['cpus']} CPUs (load average {m['load']} at the start), "
        f"Python {m['python']}, NumPy {m['numpy']}, Matplotlib {m['matplotlib']}."
        + (" Reduced sizes (`--small`)." if report["small"] else ""),
        "",
        f"## Explorers in the kernel (callback + redraw + PNG; goal ≤ {g['kernel_ms']:.0f} ms median, "
        f"✓✓ ≤ {g['frame_ms']:.1f} ms)",
        "",
        "CPU ms is the update's processor time: on a busy machine it stays close to what a quiet one would",
        "measure, while the wall-clock median and p95 grow with the load.",
        "",
        "| explorer | build ms | steps | median ms | p95 ms | CPU ms | callback ms | redraw+PNG ms | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for name, r in report["explorers"].items():
        lines.append(f"| {name} | {r['build_ms']:.0f} | {r['steps']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | "
                     f"{r['cpu_median_ms']:.1f} | "
                     f"{r['callback_median_ms']:.1f} | {r['draw_png_median_ms']:.1f} | "
                     f"{_mark(r['median_ms'], g['kernel_ms'], g['frame_ms'])} |")
    lines += ["", f"## Explorers in a browser (key press to new picture, Voilà + Chromium; goal ≤ "
              f"{g['browser_ms']:.0f} ms median)", ""]
    live = report["live"]
    if live is None:
        lines.append("No results yet: the live test (`make test`, or `make live`) writes them.")
    else:
        lines += [f"From the live test of {live.get('written', '?')} ({live['source']}).", "",
                  "| explorer | chapter | steps | median ms | p95 ms | max ms | goal |", "|---|---|---:|---:|---:|---:|:-:|"]
        for name, r in live["explorers"].items():
            lines.append(f"| {name} | {r['chapter']} | {r['steps']} | {r['median_ms']} | {r['p95_ms']} | "
                         f"{r['max_ms']} | {_mark(r['median_ms'], g['browser_ms'])} |")
    lines += ["", "## Explorers without a kernel (frames rendered by `make book`; swap = input event to decoded "
              "picture in Chromium, goal well under 16.7 ms)", ""]
    static = report["static"]
    if not static["frames"]:
        lines.append("No results yet: `make book` writes the frame counts, the browser test the swap times.")
    else:
        lines += ["| explorer | page | frames | KiB | swap median ms | swap max ms |", "|---|---|---:|---:|---:|---:|"]
        for r in static["frames"]:
            swap = static["swaps"].get(r["explorer"], {})
            lines.append(f"| {r['explorer']} | {r['page']} | {r['frames']} | {r['bytes'] / 1024:.0f} | "
                         f"{swap.get('median_ms', float('nan')):.1f} | {swap.get('max_ms', float('nan')):.1f} |")
        lines += ["", "Frames are lossless WebP; the same frames as palette PNGs: "
                  f"{sum(r.get('png_bytes') or 0 for r in static['frames']) / 1024:.0f} KiB, as WebP "
                  f"{sum(r['bytes'] for r in static['frames']) / 1024:.0f} KiB."]
    weight = report.get("weight")
    w = page_weight.GOALS
    lines += ["", f"## Pages on first load (goals for a chapter page: ≤ {w['first_load_gzip'] / 1e6:.0f} MB gzip, "
              f"HTML ≤ {w['html_bytes'] / 1e3:.0f} kB, first explorer ≤ {w['first_explorer_ms'] / 1e3:.0f} s)", ""]
    if weight is None:
        lines.append("No results yet: the browser test (`make browser`) writes them.")
    else:
        lines += [f"First explorer response on {weight['throttle']['mbit_per_s']} Mbit/s with "
                  f"{weight['throttle']['latency_ms']} ms latency (Chromium's network emulation, cache off).", "",
                  *page_weight.table(weight)]
    lines += ["", f"## Chapters (`jupyter execute`, fresh kernel; goal < {g['chapter_s']:.0f} s each)", "",
              "| chapter | seconds | ran | goal |", "|---|---:|:-:|:-:|"]
    for name, r in report["chapters"].items():
        lines.append(f"| {name} | {r['seconds']:.1f} | {'yes' if r['ok'] else 'FAILED'} | "
                     f"{_mark(r['seconds'], g['chapter_s'])} |")
    book_line = ("not measured (slow: `make bench BENCH=--book`)" if report["book"] is None else
                 f"{report['book']['seconds']:.0f} s{'' if report['book']['ok'] else ' (FAILED)'} "
                 f"{_mark(report['book']['seconds'], g['book_s'])}")
    lines += ["", f"Clean strict build of the whole book (goal < {g['book_s'] / 60:.0f} min): {book_line}", "",
              "## Numerical kernels (best of several alternating runs; ratio = book / reference)", "",
              "| function | logits | book ms | reference ms | ratio | reference | same values |",
              "|---|---|---:|---:|---:|---|:-:|"]
    for name, r in report["kernels"].items():
        lines.append(f"| {name} | {r['shape'][0]} × {r['shape'][1]} | {r['book_ms']:.2f} | "
                     f"{r['reference_ms']:.2f} | {r['ratio']:.2f} | {r['reference']} | {'yes' if r['agree'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="reduced sizes (for the test of this script)")
    parser.add_argument("--book", action="store_true", help="also time a clean build of the whole book (slow)")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="folder for report.md and report.json")
    parser.add_argument("--live", type=Path, default=HERE / "results" / "live.json",
                        help="the live test's results file (default: %(default)s)")
    parser.add_argument("--frames", type=Path, default=ROOT / "_build" / "static-explorers.json",
                        help="the build's static-explorer frame counts (default: %(default)s)")
    parser.add_argument("--swaps", type=Path, default=HERE / "results" / "static-swap.json",
                        help="the browser test's frame-swap times (default: %(default)s)")
    parser.add_argument("--weight", type=Path, default=page_weight.RESULTS,
                        help="the browser test's page weights (default: %(default)s)")
    parser.add_argument("--chapters", type=Path, nargs="*", default=None,
                        help="notebooks to time (default: every chapter)")
    parser.add_argument("--explorers", nargs="*", default=None, help="explorers to time (default: all)")
    args = parser.parse_args(argv)

    import matplotlib

    report = {
        "written": time.strftime("%Y-%m-%d %H:%M:%S"),
        "small": args.small,
        "machine": {"cpus": os.cpu_count(), "load": round(os.getloadavg()[0], 1),
                    "python": platform.python_version(), "numpy": np.__version__,
                    "matplotlib": matplotlib.__version__},
        "goals": GOALS,
    }
    print("explorers in the kernel …", flush=True)
    warm_up = Canvas()  # the first figure loads fonts and styles: keep that out of the first explorer's build
    warm_up.png()
    names = args.explorers if args.explorers is not None else sorted(explorer_bench.ALL)
    steps = 5 if args.small else explorer_bench.STEPS
    report["explorers"] = {name: explorer_bench.measure(name, steps) for name in names}
    report["live"] = None
    if args.live.is_file():
        report["live"] = {**json.loads(args.live.read_text()), "source": args.live.name}
    report["static"] = {
        "frames": json.loads(args.frames.read_text()) if args.frames.is_file() else [],
        "swaps": json.loads(args.swaps.read_text()) if args.swaps.is_file() else {},
    }
    report["weight"] = json.loads(args.weight.read_text()) if args.weight.is_file() else None
    print("numerical kernels …", flush=True)
    report["kernels"] = kernels(args.small)
    notebooks = args.chapters if args.chapters is not None else sorted((ROOT / "chapters").glob("*.ipynb"))
    print(f"{len(notebooks)} chapters …", flush=True)
    report["chapters"] = chapters([nb.resolve() for nb in notebooks])
    report["book"] = None
    if args.book:
        print("clean build of the book …", flush=True)
        report["book"] = clean_book()
    args.out.mkdir(parents=True, exist_ok=True)
    text = markdown(report)
    (args.out / "report.md").write_text(text, encoding="utf-8")
    (args.out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(text)
    print(f"written: {args.out / 'report.md'} and report.json")
    return report


if __name__ == "__main__":
    main()
