"""Time book.softmax, book.log_softmax and book.logsumexp against scipy.special.

Each function runs on the same (100 000 × 1 000) float64 array of logits along
the last axis; the script prints the best of several alternating runs of each
(the best is the least disturbed by other work on the machine) and the ratio
book / SciPy. A ratio at or under about 1.2 is the book's aim. Not a test: a
slow machine fails nothing. ``--small`` uses a (1 000 × 100) array so that a test can run
the script in a moment.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.special

import book

PAIRS = [
    ("softmax", book.softmax, scipy.special.softmax),
    ("log_softmax", book.log_softmax, scipy.special.log_softmax),
    ("logsumexp", book.logsumexp, scipy.special.logsumexp),
]


def best_times(ours, theirs, o: np.ndarray, repeats: int) -> tuple[float, float]:
    """The shortest of ``repeats`` wall-clock times of ``ours(o, axis=-1)`` and of ``theirs(o, axis=-1)``.

    The two alternate, so that a burst of other work on the machine slows both
    rather than only one of them.
    """
    best = [np.inf, np.inf]
    for _ in range(repeats):
        for i, fn in enumerate((ours, theirs)):
            start = time.perf_counter()
            fn(o, axis=-1)
            best[i] = min(best[i], time.perf_counter() - start)
    return best[0], best[1]


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Print the times and ratios; return {function name: book time / SciPy time}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="use a (1000 × 100) array")
    parser.add_argument("--repeats", type=int, default=None, help="runs per function (best is kept)")
    args = parser.parse_args(argv)
    shape = (1_000, 100) if args.small else (100_000, 1_000)
    repeats = args.repeats or (20 if args.small else 3)
    o = 10.0 * np.random.default_rng(0).standard_normal(shape)
    print(f"logits: {shape[0]} × {shape[1]} float64, best of {repeats} runs")
    print(f"{'function':12s} {'book ms':>10s} {'scipy ms':>10s} {'ratio':>7s}")
    ratios = {}
    for name, ours, theirs in PAIRS:
        t_ours, t_theirs = best_times(ours, theirs, o, repeats)
        ratios[name] = t_ours / t_theirs
        print(f"{name:12s} {t_ours * 1e3:10.2f} {t_theirs * 1e3:10.2f} {ratios[name]:7.2f}")
    return ratios


if __name__ == "__main__":
    main()
