"""The book's one checking toolkit: central differences,
and numerical checks that print the same on every machine.

Derivatives. :func:`gradient`, :func:`jacobian` and :func:`hessian` estimate
the derivatives of a function by central differences, one coordinate at a
time, for a point x of any shape. They are how a chapter checks a derivative it
derived, so every chapter and test uses these three instead of its own loop.
:func:`flatten` puts several arrays (a network's weights and biases) into the
one vector these functions differentiate by, and back.

Printed errors. A rounding or truncation error is a claim about its size: "the
two agree to 1e-12". Its last digits are not part of the claim; they change
with the CPU's vector instructions, the BLAS kernel and the Python version. So
a chapter prints such an error as the bound it meets, ``< 1e-12`` (:func:`bound`),
and nbval compares that text. When the claim breaks, the printed text changes to
the error's value and the bound it missed, so the check still fails.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from book.checks import as_float_array, as_number, check_size

__all__ = ["bound", "gradient", "jacobian", "hessian", "flatten"]


def bound(error, tol: float = 1e-12) -> str:
    """The claim ``|error| < tol`` as text: ``"< 1e-12"`` when it holds.

    When it does not hold (or ``error`` is NaN) the text is the error and the
    bound it breaks, ``"3.1e-06 (not < 1e-12)"``: a different printed output,
    so nbval fails. ``tol`` is printed with one significant digit; choose it as
    a round number above what the check can reach (rounding: a few times
    machine epsilon times the size of the numbers; central differences with
    step h: about h² plus epsilon / h).
    """
    tol = as_number(tol, "tol", above=0)
    err = abs(as_number(error, "error", allow_inf=True, allow_nan=True))
    if err < tol:
        return f"< {tol:.0e}"
    return f"{err:.1e} (not < {tol:.0e})"


def _point(x) -> np.ndarray:
    """A float64 copy of the point x (any shape):
    the caller's array is never changed."""
    return np.array(as_float_array(x, "x"), dtype=np.float64)


def _steps(h, shape: tuple) -> np.ndarray:
    """The step of every coordinate: ``h`` is one positive
    number or an array broadcastable to x's shape."""
    if np.ndim(h) == 0:
        return np.full(shape, as_number(h, "h", above=0))
    steps = as_float_array(h, "h")
    if (steps <= 0).any():
        raise ValueError("h must hold positive steps")
    try:
        return np.broadcast_to(steps, shape).astype(np.float64)
    except ValueError:
        raise ValueError(
            f"h has shape {steps.shape}, which does not broadcast to x's shape {shape}"
        ) from None


def _caller(f: Callable, what: str):
    """f as a function of a float64 array that always
    gets a fresh copy and must return finite real numbers."""
    if not callable(f):
        raise TypeError(f"f must be a function, got {type(f).__name__}")
    shape = []

    def call(v: np.ndarray) -> np.ndarray:
        out = np.asarray(f(v.copy()))
        if (
            out.dtype == bool
            or not np.issubdtype(out.dtype, np.number)
            or np.iscomplexobj(out)
        ):
            raise TypeError(f"f must return real numbers, got dtype {out.dtype}")
        if what == "a number" and out.ndim != 0:
            raise ValueError(
                "f must return a single number here, got an array of shape "
                f"{out.shape} "
                f"(for a function with several outputs use jacobian)"
            )
        if shape and out.shape != shape[0]:
            raise ValueError(
                f"f returned shape {out.shape} at one point and {shape[0]} at another"
            )
        shape[:] = [out.shape]
        if not np.isfinite(out).all():
            raise ValueError(
                "f returned a value that is not finite near x: every point within h of "
                "x must be "
                "inside f's domain"
            )
        return out.astype(np.float64)

    return call


def jacobian(f: Callable, x, h=1e-6) -> np.ndarray:
    """J[s, j] = ∂f_s/∂x_j ≈ (f(x + h e_j) − f(x − h e_j)) / 2h, by central differences.

    ``f`` maps an array shaped like ``x`` (any shape, a scalar included) to an
    array of a fixed shape S; the result has shape S + x.shape, so
    ``J[s][j]`` is the derivative of output s by coordinate j. Each call gets a
    fresh copy, and the caller's ``x`` is never changed. ``h`` is one step, or
    one per coordinate (an array broadcastable to x's shape).

    The error to expect, per entry: truncation h²/6 · |∂³f/∂x_j³| plus
    rounding of about ε|f|/h (ε = 2.2e-16), smallest near h = ε^(1/3) ≈ 6e-6
    times the scale of x: about 1e-10 relative to the derivative with the
    default h = 1e-6 for functions of size one. Raises ``TypeError`` for a
    non-callable ``f`` or a non-numeric x or output, and ``ValueError`` for NaN
    or infinite x, a step that is not positive, or an output that is not finite.
    """
    x0 = _point(x)
    steps = _steps(h, x0.shape)
    call = _caller(f, "an array")
    columns = []
    for j in np.ndindex(x0.shape):
        up, down = x0.copy(), x0.copy()
        up[j] += steps[j]
        down[j] -= steps[j]
        columns.append((call(up) - call(down)) / (2 * steps[j]))
        if len(columns) == 1:
            check_size(columns[0].size * x0.size, "the Jacobian")
    out_shape = columns[0].shape
    return np.stack(columns, axis=-1).reshape(out_shape + x0.shape)


def gradient(f: Callable, x, h=1e-6) -> np.ndarray:
    """∇f(x)_j = ∂f/∂x_j ≈ (f(x + h e_j) − f(x − h e_j))
    / 2h for a scalar function f; shaped like x.

    The same as :func:`jacobian` for an ``f`` that returns one number, with
    the same error: truncation h²/6 · |∂³f/∂x_j³| plus rounding ε|f|/h.
    """
    x0 = _point(x)
    steps = _steps(h, x0.shape)
    call = _caller(f, "a number")
    g = np.empty(x0.shape)
    for j in np.ndindex(x0.shape):
        up, down = x0.copy(), x0.copy()
        up[j] += steps[j]
        down[j] -= steps[j]
        g[j] = (call(up) - call(down)) / (2 * steps[j])
    return g


def hessian(f: Callable, x, h=1e-4) -> np.ndarray:
    """H[i, j] = ∂²f/∂x_i∂x_j of a scalar function f by
    central differences; shape x.shape + x.shape.

    H[i, j] ≈ [f(x + h e_i + h e_j) − f(x + h e_i − h e_j) − f(x − h e_i + h e_j)
    + f(x − h e_i − h e_j)] / 4h² (on the diagonal, [f(x + 2h e_i) − 2f(x) +
    f(x − 2h e_i)] / 4h²). The result is symmetric: each pair i ≤ j is computed
    once. The error to expect: truncation O(h²) (a fourth derivative times h²)
    plus rounding of about ε|f|/h², smallest near h = ε^(1/4) ≈ 1e-4 times the
    scale of x: about 1e-7 relative with the default h = 1e-4. For the
    Jacobian of a known gradient, which is more accurate, use :func:`jacobian`.
    Raises as :func:`jacobian` does.
    """
    x0 = _point(x)
    steps = _steps(h, x0.shape)
    call = _caller(f, "a number")
    check_size(x0.size**2, "the Hessian")
    index = list(np.ndindex(x0.shape))
    H = np.empty((x0.size, x0.size))
    for a, i in enumerate(index):
        for b in range(a, len(index)):
            j = index[b]
            values = []
            for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                v = x0.copy()
                v[i] += si * steps[i]
                v[j] += sj * steps[j]
                values.append(call(v))
            H[a, b] = H[b, a] = (values[0] - values[1] - values[2] + values[3]) / (
                4 * steps[i] * steps[j]
            )
    return H.reshape(x0.shape + x0.shape)


class _Leaf:
    """Where :func:`flatten` found an array:
    its shape (a plain tuple would read as a tuple of arrays)."""

    def __init__(self, shape: tuple):
        self.shape = shape


def flatten(params) -> tuple[np.ndarray, Callable]:
    """θ, every number of ``params`` in one vector, and ``unflatten``,
    which puts a vector of that length back.

    ``params`` is an array, or a list or tuple of arrays nested to any depth, such as a
    network's layers [(W₁, b₁), (W₂, b₂), …]; a list or tuple is always
    such a container, so pass an array as a NumPy array. Then θ
    = (W₁.ravel(), b₁.ravel(), W₂.ravel(), …), the arrays in the order they appear,
    each in C order, as float64. ``unflatten(t)`` returns the same
    nesting (lists stay lists, tuples tuples) of arrays of the same shapes,
    filled from t in the same order, so ``unflatten(θ)`` equals ``params``.
    So the functions above differentiate by many arrays at once:
    ``unflatten(gradient(lambda t: f(unflatten(t)), θ))`` is ∂f/∂params shaped like
    ``params``, and a Jacobian or Hessian by θ has one row and column per number.
    Raises ``TypeError`` for an entry that is not numbers (booleans included) and
    ``ValueError`` for NaN, an infinite value or an empty list or array;
    the ``unflatten`` it returns raises ``ValueError`` for a vector of another length.
    """
    vectors: list[np.ndarray] = []

    def template(p, where: str):
        if isinstance(p, (list, tuple)):
            if len(p) == 0:
                raise ValueError(f"{where} is an empty {type(p).__name__}")
            parts = [template(q, f"{where}[{i}]") for i, q in enumerate(p)]
            return tuple(parts) if isinstance(p, tuple) else parts
        arr = as_float_array(p, where)
        vectors.append(arr.astype(np.float64).ravel())
        return _Leaf(arr.shape)

    shapes = template(params, "params")
    theta = np.concatenate(vectors)
    n = theta.size

    def unflatten(t) -> list | tuple | np.ndarray:
        t = as_float_array(t, "t")
        if t.shape != (n,):
            raise ValueError(
                f"t must be a vector of length {n} (the numbers in params), got shape "
                f"{t.shape}"
            )
        start = 0

        def fill(shape):
            nonlocal start
            if isinstance(shape, list):
                return [fill(s) for s in shape]
            if isinstance(shape, tuple):
                return tuple(fill(s) for s in shape)
            size = int(np.prod(shape.shape))
            start += size
            return t[start - size : start].astype(np.float64).reshape(shape.shape)

        return fill(shapes)

    return theta, unflatten
