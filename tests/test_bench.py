"""`make bench` writes its report: benchmarks/report.py run on reduced sizes into a temporary folder.

Not a timed test: it checks that every table is there and holds numbers, not
that they meet their goals.
"""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    notebook = tmp / "tiny.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import book\nprint(book.softmax([0.0, 1.0]).round(3))")]
    nbformat.write(nb, notebook)
    live = tmp / "live.json"  # as the live test writes it
    live.write_text(json.dumps({"written": "then", "explorers": {"softmax_explorer": {
        "chapter": "02-softmax.ipynb", "steps": 24, "median_ms": 61.5, "p95_ms": 90.0, "max_ms": 120.0}}}))
    out = tmp / "results"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "report.py"), "--small", "--out", str(out),
                          "--live", str(live), "--chapters", str(notebook), "--explorers", "softmax_explorer"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    return (out / "report.md").read_text(encoding="utf-8"), json.loads((out / "report.json").read_text())


def test_every_table_is_written(report):
    text, _ = report
    for heading in ("## Explorers in the kernel", "## Explorers in a browser", "## Chapters",
                    "Clean strict build of the whole book", "## Numerical kernels"):
        assert heading in text


def test_explorer_times_are_measured(report):
    _, data = report
    r = data["explorers"]["softmax_explorer"]
    assert r["steps"] > 0 and 0 < r["median_ms"] <= r["p95_ms"]
    assert 0 < r["callback_median_ms"] and 0 < r["draw_png_median_ms"]
    assert "| softmax_explorer |" in report[0]


def test_live_results_are_merged(report):
    text, data = report
    assert data["live"]["explorers"]["softmax_explorer"]["median_ms"] == 61.5
    assert "| softmax_explorer | 02-softmax.ipynb | 24 | 61.5 | 90.0 | 120.0 | ✓ |" in text


def test_chapter_is_executed_and_timed(report):
    _, data = report
    assert data["chapters"]["tiny.ipynb"]["ok"] and data["chapters"]["tiny.ipynb"]["seconds"] > 0
    assert data["book"] is None  # only with --book


def test_every_numerical_kernel_is_compared(report):
    _, data = report
    assert set(data["kernels"]) == {"softmax", "log_softmax", "logsumexp", "cross_entropy", "cross_entropy_grad"}
    for r in data["kernels"].values():
        assert r["agree"], "the book and its reference must compute the same thing to be compared"
        assert r["book_ms"] > 0 and r["reference_ms"] > 0 and r["ratio"] == pytest.approx(r["book_ms"] / r["reference_ms"])


def test_a_report_without_live_results_says_how_to_get_them():
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "benchmarks" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.markdown({"written": "now", "small": True, "live": None, "book": None, "explorers": {},
                            "chapters": {}, "kernels": {}, "static": {"frames": [], "swaps": {}},
                            "machine": {"cpus": 2, "load": 0.0, "python": "3", "numpy": "2", "matplotlib": "3"}})
    assert "No results yet: the live test (`make test`, or `make live`) writes them." in text
    assert "not measured (slow: `make bench BENCH=--book`)" in text
    assert "No results yet: `make book` writes the frame counts, the browser test the swap times." in text
