"""Input checks shared by every public function of the book.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the
argument and says what it got, so a reader who passes the wrong thing learns
what to fix instead of meeting a NumPy traceback from deep inside a formula.
The rules are the same everywhere:

* **TypeError or ValueError.** ``TypeError`` when an argument is not of a
  usable kind: a string, ``None``, a boolean where a number belongs, a float
  where a whole number belongs (2.5 or 2.0 steps), a complex number, a
  generator that is not a ``numpy.random.Generator``. ``ValueError`` when it is
  of the right kind but not allowed: negative, zero, NaN, infinite, out of
  range, the wrong shape, a class without examples, too large for the caps below.
* **Booleans are truth values, not numbers.** ``True`` where a number belongs
  (``lr=True``, ``steps=True``, ``n_per_class=True``, a boolean array of
  logits or inputs) is a ``TypeError``, although Python would quietly read it
  as 1. The one exception is class labels: there, as in scikit-learn, False and
  True are the two classes 0 and 1, so a boolean ``y`` is a two-class ``y``.
* **Whole numbers** (counts, steps, seeds, numbers of classes, axes) are
  Python or NumPy integers. Labels are the exception again: a float label that
  is a whole number (1.0) is accepted, since labels read from a file often are floats.
* **Caps.** No array the book allocates holds more than :data:`MAX_ELEMENTS`
  numbers, and no gradient-descent fit takes more than :data:`MAX_STEPS` steps:
  beyond them a call is refused before it starts, instead of ending minutes
  later in a ``MemoryError`` or a fit nobody waits for.

How a fit ends (the section "Checking arguments" of CONTRIBUTING.md says the
same): a gradient-descent fit (``SoftmaxRegression``, ``LogisticRegressionGD``,
``MarginScorer``, ``MLP``, ``fit_many``, ``gd_paths``) takes exactly ``steps`` steps, at
least one (a model with given weights comes from ``from_weights``);
there is no tolerance, so its ``history_`` always has ``steps + 1`` entries.
It ends early only with a ``ValueError`` naming the learning rate, when the loss or the
weights stop being finite float64 numbers (:func:`fit_guard`,
:func:`check_fit_is_finite`). A loss that merely rises is not an error:
too large a step is a lesson the book teaches on purpose. Newton's
methods (``logistic_newton``, ``fit_family``) stop at a tolerance or after their largest
number of steps, whichever comes first.
"""

from __future__ import annotations

import numbers
import warnings
from contextlib import contextmanager

import numpy as np

__all__ = [
    "MAX_ELEMENTS",
    "MAX_STEPS",
    "NotFittedError",
    "SeparableDataWarning",
    "as_float_array",
    "as_labels",
    "as_class_labels",
    "as_distribution",
    "as_design_matrix",
    "check_same_length",
    "as_number",
    "as_positive",
    "as_nonnegative",
    "as_count",
    "as_seed",
    "as_rng",
    "as_bool",
    "as_choice",
    "as_axis",
    "as_n_classes",
    "as_learning_rate",
    "as_steps",
    "check_size",
    "check_fitted",
    "fit_guard",
    "check_fit_is_finite",
    "warn_separable",
]

#: Tolerance for "a row of a label distribution sums to one".
SUM_TOL = 1e-6

#: The most numbers one array allocated by the
#: book may hold: 10⁸ float64 numbers are 800 MB.
MAX_ELEMENTS = 10**8

#: The most steps one gradient-descent fit may take: 20 times the most any chapter
#: takes; on four points a step costs about 50 µs, so 10⁵ steps are a few seconds.
MAX_STEPS = 100_000


class NotFittedError(ValueError, AttributeError):
    """A model used before :meth:`fit`: a ``ValueError``, and an
    ``AttributeError`` (as scikit-learn's is)."""


class SeparableDataWarning(UserWarning):
    """A fit on linearly separable data without a penalty:
    its loss has no minimum, so the weights keep growing."""


def _got(value) -> str:
    """How a message shows the value it got: its repr,
    shortened; an array by its shape and dtype."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (bool, np.bool_)):
        return f"a boolean ({value!r})"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_)) or (
        isinstance(value, np.ndarray) and value.dtype == bool
    )


# --- arrays ---------------------------------------------------------------------------


def as_float_array(
    a, name: str, *, min_ndim: int = 0, allow_inf: bool = False
) -> np.ndarray:
    """Return ``a`` as a float32 or float64 array, checking it is usable.

    Integers become float64; float32 stays float32 so that float32 arithmetic
    can be demonstrated. Raises ``TypeError`` for non-numeric, complex or
    boolean input and ``ValueError`` for too few dimensions, an empty array or
    NaN (and ±inf unless ``allow_inf``).
    """
    arr = np.asarray(a)
    if arr.dtype == bool:
        raise TypeError(
            f"{name} must hold numbers, got booleans (dtype bool): a boolean is not a "
            "number; "
            f"convert it with .astype(float) if 0 and 1 are meant"
        )
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} dimension(s), got shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    if not allow_inf and np.isinf(arr).any():
        raise ValueError(f"{name} contains an infinite value")
    return arr


def as_labels(
    y, n_classes: int | None, shape: tuple | None = None, name: str = "y"
) -> np.ndarray:
    """Return integer class labels in ``0..n_classes-1`` as an int64 array.

    Booleans are the labels 0 and 1. Floats are accepted only when they are
    whole numbers (``1.0``), since a label of ``0.7`` is almost always a label
    distribution passed by mistake; they are checked before they are cast, so
    a label such as 1e20 is an error, not a cast warning. ``n_classes=None``
    accepts any class index 0, 1, 2, … below :data:`MAX_ELEMENTS`.
    """
    K = MAX_ELEMENTS if n_classes is None else as_n_classes(n_classes, minimum=1)
    arr = np.asarray(y)
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if arr.dtype == bool:
        arr = arr.astype(np.int64)
    if np.issubdtype(arr.dtype, np.floating):
        if np.isnan(arr).any():
            raise ValueError(f"{name} contains NaN")
        if np.isinf(arr).any():
            raise ValueError(
                f"{name} contains an infinite value, which is no class label"
            )
        if not np.all(arr == np.round(arr)):
            raise ValueError(
                f"{name} must hold integer class labels, got non-integer values"
            )
    elif not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"{name} has shape {arr.shape}, expected {tuple(shape)}")
    bad = (arr < 0) | (arr >= K)
    if bad.any():
        label = arr[bad].flat[0]
        label = int(label) if np.issubdtype(arr.dtype, np.integer) else f"{label:g}"
        allowed = (
            "labels are class indices 0, 1, 2, …"
            if n_classes is None
            else f"labels must be 0..{K - 1} for {K} classes"
        )
        raise ValueError(f"{name} has a label out of range: {label} ({allowed})")
    return arr.astype(np.int64)


def as_class_labels(
    y, n_classes: int | None = None, name: str = "y"
) -> tuple[np.ndarray, int]:
    """The labels a classifier is fitted to: one per
    example (1-D), in 0..K−1, every class present.

    K is ``n_classes``, or the largest label plus one. Returns (labels as
    int64, K). This is the one rule of every ``fit``: a class that never
    occurs in ``y`` has nothing to be fitted to, so it is an error that names
    the missing class (relabel the classes that occur as 0..K′−1), and so are
    labels of one class only.
    """
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D (one label per example), got shape {arr.shape}"
        )
    if n_classes is None:
        # whole numbers ≥ 0 before K is read off the largest
        labels = as_labels(arr, None, name=name)
        K, source = int(labels.max()) + 1, f"the largest label is {int(labels.max())}"
    else:
        K = as_n_classes(n_classes, minimum=1)
        labels, source = as_labels(arr, K, name=name), f"n_classes = {K}"
    counts = np.bincount(labels, minlength=K)
    present = np.flatnonzero(counts)
    if len(present) < 2:
        raise ValueError(
            f"{name} holds one class only (label {present[0]}): a classifier needs "
            "examples of "
            f"at least two classes"
        )
    if len(present) < K:
        missing = int(np.flatnonzero(counts == 0)[0])
        raise ValueError(
            f"label {missing} has no examples in {name}, although the classes are "
            f"0..{K - 1} "
            f"({source}): a class without examples cannot be fitted; relabel the "
            "classes that "
            f"occur as 0..K′−1"
        )
    return labels, K


def as_distribution(
    y, shape: tuple, name: str = "y", tol: float = SUM_TOL
) -> np.ndarray:
    """Return ``y`` as probability vectors along the last axis.

    Checks: the shape matches, no entry is negative or NaN, and every row sums
    to one within ``tol``.
    """
    arr = as_float_array(y, name)
    if arr.shape != tuple(shape):
        raise ValueError(f"{name} has shape {arr.shape}, expected {tuple(shape)}")
    if (arr < 0).any():
        raise ValueError(f"{name} is a label distribution but has a negative entry")
    sums = arr.sum(axis=-1)
    worst = np.max(np.abs(sums - 1.0))
    if worst > tol:
        raise ValueError(
            f"{name} is a label distribution but a row sums to "
            f"{sums.flat[np.argmax(np.abs(sums - 1.0))]:.6g}, "
            f"not 1 (tolerance {tol:g})"
        )
    return arr


def as_design_matrix(X, name: str = "X", n_features: int | None = None) -> np.ndarray:
    """Return ``X`` as a finite 2-D float array of shape (n, d)."""
    arr = as_float_array(X, name)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n examples × d features), got shape {arr.shape}"
        )
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(f"{name} has {arr.shape[1]} features, expected {n_features}")
    return arr


def check_same_length(X: np.ndarray, y: np.ndarray, names: str = "X and y") -> None:
    """Raise ``ValueError`` when X and y do not have the same number of examples."""
    if len(X) != len(y):
        raise ValueError(f"{names} have different lengths: {len(X)} and {len(y)}")


def check_size(count: int, what: str) -> None:
    """Refuse to allocate ``what`` when it would hold more
    than :data:`MAX_ELEMENTS` numbers."""
    if count > MAX_ELEMENTS:
        raise ValueError(
            f"{what} would hold {count:,} numbers, more than MAX_ELEMENTS = "
            f"{MAX_ELEMENTS:,} "
            f"(800 MB of float64): ask for less"
        )


# --- single values --------------------------------------------------------------------


def _real(value, name: str, what: str):
    """``value`` as a Python or NumPy real
    scalar (a 0-d array is unwrapped); TypeError otherwise."""
    if _is_bool(value):
        raise TypeError(
            f"{name} must be {what}, got {_got(value)}: a boolean is not a number"
        )
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise ValueError(
                f"{name} must be a single number, got an array of shape {value.shape}"
            )
        value = value[()]
    if not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {what}, got {_got(value)}")
    return value


def _bounds(minimum, maximum, above, below) -> str:
    parts = []
    if above is not None:
        parts.append(f"> {above:g}")
    if minimum is not None:
        parts.append(f"≥ {minimum:g}")
    if below is not None:
        parts.append(f"< {below:g}")
    if maximum is not None:
        parts.append(f"≤ {maximum:g}")
    return " and ".join(parts)


def as_number(
    value,
    name: str,
    *,
    minimum=None,
    maximum=None,
    above=None,
    below=None,
    allow_inf: bool = False,
    allow_nan: bool = False,
) -> float:
    """A real number as a float, within the given
    bounds (``above``/``below`` strict, ``minimum``/``maximum`` not).

    A Python or NumPy real scalar or a 0-d array. Raises ``TypeError`` for a
    boolean, a string, None or a complex number; ``ValueError`` for an array of
    several numbers, NaN, ±inf (unless allowed) or a value out of bounds.
    """
    x = float(_real(value, name, "a number"))
    bounds = _bounds(minimum, maximum, above, below)
    if np.isnan(x) and not allow_nan:
        raise ValueError(
            f"{name} must be a number{' ' + bounds if bounds else ''}, got nan"
        )
    if np.isinf(x) and not allow_inf:
        raise ValueError(
            f"{name} must be a finite number{' ' + bounds if bounds else ''}, got {x}"
        )
    if not np.isnan(x) and (
        (above is not None and not x > above)
        or (minimum is not None and not x >= minimum)
        or (below is not None and not x < below)
        or (maximum is not None and not x <= maximum)
    ):
        raise ValueError(
            f"{name} must be a {'' if allow_inf else 'finite '}number {bounds}, got "
            f"{value!r}"
        )
    return x


def as_positive(value, name: str, *, allow_inf: bool = False) -> float:
    """A number > 0 (finite unless ``allow_inf``: ``C = np.inf`` means no penalty)."""
    x = float(_real(value, name, "a positive number"))
    if not (x > 0 and (allow_inf or np.isfinite(x))):
        raise ValueError(
            f"{name} must be a positive {'' if allow_inf else 'finite '}number, got "
            f"{value!r}"
        )
    return x


def as_nonnegative(value, name: str) -> float:
    """A finite number ≥ 0 (a penalty, a noise level)."""
    x = float(_real(value, name, "a number ≥ 0"))
    if not (np.isfinite(x) and x >= 0):
        raise ValueError(f"{name} must be a finite number ≥ 0, got {value!r}")
    return x


def as_count(
    value,
    name: str,
    *,
    minimum: int | None = 0,
    maximum: int | None = None,
    why: str = "",
) -> int:
    """A whole number (Python or NumPy integer,
    not a boolean or a float) in ``minimum..maximum``.

    ``minimum=None`` allows any integer; ``why`` says, in the error,
    why there is a maximum.
    """
    phrase = {
        None: "an integer",
        0: "a non-negative integer",
        1: "a positive integer",
    }.get(minimum, f"an integer ≥ {minimum}")
    if _is_bool(value):
        raise TypeError(
            f"{name} must be {phrase}, got {_got(value)}: a boolean is not a number"
        )
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {phrase}, got {_got(value)}")
    n = int(value)
    if minimum is not None and n < minimum:
        raise ValueError(f"{name} must be {phrase}, got {n}")
    if maximum is not None and n > maximum:
        raise ValueError(
            f"{name} must be at most {maximum:,}{' (' + why + ')' if why else ''}, got "
            f"{n:,}"
        )
    return n


def as_seed(seed, name: str = "seed") -> int:
    """A seed for ``np.random.default_rng``: a non-negative
    integer (None would give new numbers on every run)."""
    return as_count(seed, name)


def as_rng(rng, name: str = "rng") -> np.random.Generator:
    """A ``numpy.random.Generator``, the seeded source of every random draw."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)), "
            f"got {type(rng).__name__}"
        )
    return rng


def as_bool(value, name: str) -> bool:
    """A flag: True or False (or a NumPy boolean),
    nothing that merely converts to one."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_got(value)}")
    return bool(value)


def as_choice(value, name: str, choices):
    """One of the strings ``choices`` (TypeError for a non-string,
    ValueError for an unknown one)."""
    choices = tuple(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {choices}, got {_got(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def as_axis(axis, ndim: int, of: str = "o", name: str = "axis") -> int:
    """An axis of an array of ``ndim`` dimensions: an integer
    in −ndim..ndim−1 (returned as given)."""
    if _is_bool(axis) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_got(axis)}")
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(
            f"{name} {axis} is out of range for {of} with {ndim} dimension(s)"
        )
    return axis


def as_n_classes(n_classes, name: str = "n_classes", minimum: int = 2) -> int:
    """A number of classes K: an integer of at least
    ``minimum`` and at most :data:`MAX_ELEMENTS`."""
    return as_count(
        n_classes, name, minimum=minimum, maximum=MAX_ELEMENTS, why="MAX_ELEMENTS"
    )


def as_learning_rate(lr, name: str = "lr") -> float:
    """A gradient-descent step size: a positive
    finite number (``TypeError`` for a non-number)."""
    if _is_bool(lr) or not isinstance(lr, (numbers.Real, np.number, np.ndarray)):
        raise TypeError(f"{name} must be a number, got {_got(lr)}")
    return as_positive(lr, name)


def as_steps(steps, name: str = "steps") -> int:
    """A number of gradient steps: an integer
    in 1..:data:`MAX_STEPS` (a fit takes at least one step)."""
    n = as_count(
        steps,
        name,
        maximum=MAX_STEPS,
        why="MAX_STEPS: a longer fit takes minutes; more steps rarely help, a larger "
        "lr or Newton's method does",
    )
    if n == 0:
        raise ValueError(
            f"{name} must be a positive integer, got 0: a fit takes at least one step "
            "(a model with given weights is made with its from_weights class method)"
        )
    return n


# --- models and fits ------------------------------------------------------------------


def check_fitted(model, attribute: str) -> None:
    """Raise :class:`NotFittedError` unless ``model``
    has ``attribute``, which :meth:`fit` sets."""
    if not hasattr(model, attribute):
        raise NotFittedError(
            f"this {type(model).__name__} is not fitted yet: call fit(X, y) first"
        )


def _diverged(lr, name: str, what: str) -> ValueError:
    rate = f"{name} = {lr:g}" if np.ndim(lr) == 0 else f"{name} (up to {np.max(lr):g})"
    return ValueError(
        f"the fit diverged: {what}; {rate} is too large a step for this data, "
        f"try a smaller {name}"
    )


@contextmanager
def fit_guard(lr, name: str = "lr"):
    """The loop of a gradient-descent fit, in which
    an overflow or an invalid operation ends the fit.

    Inside, NumPy raises on a floating-point overflow or invalid operation (a
    step so large that a weight or the loss leaves float64); this turns that
    into one ``ValueError`` that names the learning rate. It changes no number
    a fit computes: where nothing overflows, the fit is what it was.
    """
    try:
        with np.errstate(over="raise", invalid="raise"):
            yield
    except FloatingPointError as err:
        if "overflow" not in str(err) and "invalid" not in str(err):
            raise  # an underflow or division a caller asked to raise is not this error
        raise _diverged(lr, name, f"a number left float64 ({err})") from None


def check_fit_is_finite(lr, loss, *weights, name: str = "lr") -> None:
    """End a fit with a ``ValueError`` naming the learning
    rate unless its loss and weights are usable numbers.

    Usable: the loss is finite and so is Σ w² over all the weights, which
    fails from |w| ≈ 1e154 on. Weights that large are no fit (they come from a
    step size that only does not overflow yet), and every formula that squares
    them (a penalty, a norm, a Newton step) would overflow.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        size = sum(float(np.sum(np.square(w))) for w in weights)
    if not np.isfinite(loss):
        raise _diverged(lr, name, f"the loss is {loss}")
    if not np.isfinite(size):
        biggest = max(float(np.max(np.abs(w))) for w in weights)
        raise _diverged(
            lr,
            name,
            f"the weights reached {biggest:.1e}, beyond what float64 can square",
        )


def warn_separable(model: str, remedy: str) -> None:
    """Warn, once per fit, that the fitted weights separate the training data,
    so that its loss has no minimum."""
    warnings.warn(
        f"{model}: the fitted weights classify every training example correctly, so "
        "the data are linearly "
        "separable and the unpenalised loss has no minimum: the weights grow without "
        "bound as steps increase, "
        f"and what you get depends on when the fit stops. {remedy}",
        SeparableDataWarning,
        stacklevel=3,
    )
