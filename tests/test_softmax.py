"""book.softmax: laws (hypothesis), agreement with scipy.special, and one test per bad-input error."""
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.special as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from book import (
    cross_entropy,
    cross_entropy_grad,
    log_sigmoid,
    log_softmax,
    logsumexp,
    one_hot,
    sigmoid,
    softmax,
    softplus,
    square_normalize,
)
from book.numcheck import gradient, jacobian

ROOT = Path(__file__).resolve().parents[1]

#: |error| / max(1, |reference|) allowed against SciPy, by dtype.
TOL = {np.float64: 1e-12, np.float32: 1e-5}


def logits(dtype=np.float64, bound=1e4, min_classes=1, max_classes=6):
    """(batch, K) arrays of logits in [−bound, bound]: values a reader could pass, up to ±1e4."""
    shapes = st.tuples(st.integers(1, 4), st.integers(min_classes, max_classes))
    elements = st.floats(-bound, bound, allow_subnormal=False, width=32 if dtype == np.float32 else 64)
    return arrays(dtype, shapes, elements=elements)


def scaled_error(ours, ref) -> float:
    """max |ours − ref| / max(1, |ref|) over finite values, in float64."""
    ours, ref = np.asarray(ours, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    assert np.all(np.isfinite(ref)) and np.all(np.isfinite(ours))
    return float(np.max(np.abs(ours - ref) / np.maximum(1.0, np.abs(ref))))


def assert_close(actual, desired, **kw):
    """np.testing.assert_allclose, letting the comparison itself underflow (tiny probabilities are fine)."""
    with np.errstate(under="ignore"):
        np.testing.assert_allclose(actual, desired, **kw)


def scipy_reference(fn, o, **kw):
    """SciPy's answer, in float64, on the same values (its exp may underflow to 0; that is correct)."""
    with np.errstate(under="ignore"):
        return fn(np.asarray(o, dtype=np.float64), **kw)


# --- agreement with scipy.special --------------------------------------------------

PAIRS = [
    (softmax, sp.softmax),
    (log_softmax, sp.log_softmax),
    (logsumexp, sp.logsumexp),
]
ELEMENTWISE = [
    (sigmoid, sp.expit),
    (log_sigmoid, sp.log_expit),
    (softplus, sp.softplus),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("ours, theirs", PAIRS, ids=[p[0].__name__ for p in PAIRS])
@given(data=st.data())
def test_softmax_family_agrees_with_scipy(ours, theirs, dtype, data):
    o = data.draw(logits(dtype))
    result = ours(o)
    assert result.dtype == dtype
    assert np.all(np.isfinite(result))
    assert scaled_error(result, scipy_reference(theirs, o, axis=-1)) <= TOL[dtype]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("ours, theirs", ELEMENTWISE, ids=[p[0].__name__ for p in ELEMENTWISE])
@given(data=st.data())
def test_sigmoid_family_agrees_with_scipy(ours, theirs, dtype, data):
    width = 32 if dtype == np.float32 else 64
    z = data.draw(arrays(dtype, st.integers(1, 8), elements=st.floats(-1e4, 1e4, allow_subnormal=False, width=width)))
    result = ours(z)
    assert result.dtype == dtype
    assert np.all(np.isfinite(result))
    assert scaled_error(result, scipy_reference(theirs, z)) <= TOL[dtype]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_logits_are_finite_and_quiet(dtype):
    """±1e4 logits: no overflow, no warning (tests turn floating-point flags into errors), right answers."""
    o = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4]], dtype=dtype)
    p = softmax(o)
    np.testing.assert_array_equal(p[0], [1, 0, 0])
    assert_close(p[1], 1 / 3, rtol=1e-6)
    assert_close(p[2], [0.5, 0.5, 0], rtol=1e-6)
    assert_close(log_softmax(o)[0], [0, -2e4, -1e4], rtol=1e-6)
    assert_close(logsumexp(o), [1e4, -1e4 + np.log(3), 1e4 + np.log(2)], rtol=1e-6)
    assert_close(cross_entropy(o, [1, 0, 2]), [2e4, np.log(3), 2e4 + np.log(2)], rtol=1e-6)
    z = np.array([-1e4, 1e4], dtype=dtype)
    np.testing.assert_array_equal(sigmoid(z), [0, 1])
    assert_close(log_sigmoid(z), [-1e4, 0], rtol=1e-6)
    assert_close(softplus(z), [0, 1e4], rtol=1e-6)


# --- laws ------------------------------------------------------------------------------

@given(logits())
def test_softmax_is_a_distribution(o):
    p = softmax(o)
    assert np.all((p >= 0) & (p <= 1))
    assert_close(p.sum(axis=-1), 1.0, atol=1e-13)


@given(logits(bound=50), st.floats(-50, 50, allow_subnormal=False))
def test_adding_a_constant_to_every_logit_changes_nothing(o, c):
    assert_close(softmax(o + c), softmax(o), rtol=1e-11, atol=1e-13)
    assert_close(log_softmax(o + c), log_softmax(o), atol=1e-11)
    assert_close(logsumexp(o + c), logsumexp(o) + c, atol=1e-11)


@given(logits(bound=1e3))
def test_log_softmax_is_logits_minus_logsumexp(o):
    assert_close(log_softmax(o), o - logsumexp(o)[:, None], rtol=1e-12, atol=1e-12)
    log_p = log_softmax(o)
    with np.errstate(under="ignore"):
        p = np.exp(log_p)
    assert_close(p, softmax(o), rtol=1e-12, atol=1e-300)


@given(st.floats(-1e4, 1e4, allow_subnormal=False), st.floats(-1e4, 1e4, allow_subnormal=False))
def test_two_class_softmax_is_the_sigmoid_of_the_difference(o1, o2):
    """softmax((o₁, o₂))₁ = σ(o₁ − o₂): the bridge from chapter 2 to chapter 5's logistic regression."""
    p = softmax([o1, o2])
    assert_close(p[0], sigmoid(o1 - o2), rtol=1e-14, atol=1e-300)
    assert_close(log_softmax([o1, o2])[0], log_sigmoid(o1 - o2), rtol=1e-12, atol=1e-12)


@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-700, 700, allow_subnormal=False)))
def test_sigmoid_laws(z):
    """σ(−z) = 1 − σ(z); log σ(z) − log σ(−z) = z; softplus(z) − softplus(−z) = z."""
    assert_close(sigmoid(-z), 1 - sigmoid(z), atol=1e-15)
    assert_close(log_sigmoid(z) - log_sigmoid(-z), z, atol=1e-12)
    assert_close(softplus(z) - softplus(-z), z, atol=1e-12)


@given(arrays(np.float64, (3, 4, 5), elements=st.floats(-30, 30, allow_subnormal=False)),
       st.sampled_from([0, 1, 2, -1, -2]))
def test_any_axis_of_a_batch(o, axis):
    """The functions work along any axis: the same as moving that axis last."""
    last = np.moveaxis(o, axis, -1)
    assert_close(np.moveaxis(softmax(o, axis=axis), axis, -1), softmax(last), rtol=1e-14)
    assert_close(np.moveaxis(log_softmax(o, axis=axis), axis, -1), log_softmax(last), rtol=1e-14)
    assert_close(logsumexp(o, axis=axis), logsumexp(last), rtol=1e-14)


def test_a_minus_inf_logit_is_an_impossible_class():
    o = np.array([[0.0, -np.inf, 1.0], [-np.inf, 2.0, -np.inf]])
    p = softmax(o)
    assert p[0, 1] == 0 and p[1, 0] == 0 and p[1, 2] == 0 and p[1, 1] == 1
    assert_close(p[0, [0, 2]], softmax([0.0, 1.0]), rtol=1e-15)
    assert log_softmax(o)[0, 1] == -np.inf
    assert_close(logsumexp(o), [logsumexp([0.0, 1.0]), 2.0], rtol=1e-15)
    # Zero weight on the impossible class: no 0 · (−inf) = NaN.
    assert_close(cross_entropy(o[0], [0.5, 0.0, 0.5]), cross_entropy([0.0, 1.0], [0.5, 0.5]))
    assert cross_entropy(o[0], 1) == np.inf  # −log 0: the observed class was declared impossible
    np.testing.assert_array_equal(cross_entropy_grad(o, [0, 0])[1], [-1.0, 1.0, 0.0])
    assert sigmoid(-np.inf) == 0 and sigmoid(np.inf) == 1


def test_log_softmax_stays_finite_where_log_of_softmax_does_not():
    o = np.array([0.0, -800.0])
    with np.errstate(divide="ignore", under="ignore"):
        naive = np.log(softmax(o))
    assert naive[1] == -np.inf
    assert log_softmax(o)[1] == pytest.approx(-800.0)


@given(logits(bound=20, min_classes=2), st.data())
def test_cross_entropy_with_labels(o, data):
    y = data.draw(arrays(np.int64, o.shape[:-1], elements=st.integers(0, o.shape[-1] - 1)))
    loss = cross_entropy(o, y)
    assert loss.shape == o.shape[:-1]
    assert np.all(loss >= 0)
    expected = logsumexp(o) - np.take_along_axis(o, y[:, None], axis=-1)[:, 0]  # log Σ exp(o) − o_y
    assert_close(loss, expected, rtol=1e-12, atol=1e-12)
    assert_close(loss, -scipy_reference(sp.log_softmax, o, axis=-1)[np.arange(len(y)), y],
                               rtol=1e-12, atol=1e-12)
    assert_close(loss, cross_entropy(o, one_hot(y, o.shape[-1])), rtol=1e-12, atol=1e-12)


def distributions(shape):
    """Label distributions of ``shape``: non-negative rows summing to one (some entries exactly 0)."""
    return arrays(np.float64, shape, elements=st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0])).filter(
        lambda w: np.all(w.sum(axis=-1) > 0)).map(lambda w: w / w.sum(axis=-1, keepdims=True))


@given(logits(bound=20, min_classes=2), st.data())
def test_cross_entropy_with_distributions(o, data):
    Y = data.draw(distributions(o.shape))
    loss = cross_entropy(o, Y)
    with np.errstate(under="ignore"):
        y_dot_o = np.sum(Y * o, axis=-1)
    assert_close(loss, logsumexp(o) - y_dot_o, rtol=1e-10, atol=1e-10)
    # Gibbs: H(y, p) ≥ H(y), equality only at p = y.
    entropy = -np.sum(sp.xlogy(Y, Y), axis=-1)
    assert np.all(loss >= entropy - 1e-12)


@given(logits(bound=10, min_classes=2), st.data())
def test_gradient_matches_central_differences(o, data):
    Y = data.draw(distributions(o.shape))
    # ∂l_n/∂o_nj: row n's loss depends on row n only, so moving o_j of every row at once gives all rows
    numeric = jacobian(lambda v: cross_entropy(o + v, Y), np.zeros(o.shape[-1]))
    analytic = cross_entropy_grad(o, Y)
    assert_close(analytic, numeric, atol=1e-7)
    assert_close(analytic, softmax(o) - Y, atol=1e-15)
    assert_close(analytic.sum(axis=-1), 0.0, atol=1e-14)


@given(logits(bound=20, min_classes=2), st.data())
def test_gradient_with_labels_equals_gradient_with_one_hot(o, data):
    y = data.draw(arrays(np.int64, o.shape[:-1], elements=st.integers(0, o.shape[-1] - 1)))
    assert_close(cross_entropy_grad(o, y), softmax(o) - one_hot(y, o.shape[-1]), atol=1e-15)


@given(arrays(np.float64, st.integers(2, 6), elements=st.floats(-10, 10, allow_subnormal=False)), st.data())
def test_hessian_is_diag_p_minus_p_p_transpose(o, data):
    """∂²l/∂o² = diag(p) − ppᵀ, whatever the label: symmetric, PSD, with null vector 1."""
    y = data.draw(st.integers(0, len(o) - 1))
    p = softmax(o)
    H = np.diag(p) - np.outer(p, p)
    numeric = jacobian(lambda v: cross_entropy_grad(v, y), o)
    assert_close(numeric, H, atol=1e-7)
    assert_close(H @ np.ones(len(o)), 0.0, atol=1e-15)
    assert np.linalg.eigvalsh(H).min() >= -1e-15


@given(arrays(np.int64, st.integers(1, 10), elements=st.integers(0, 4)))
def test_one_hot(y):
    Y = one_hot(y, 5)
    assert Y.shape == (len(y), 5)
    np.testing.assert_array_equal(Y.sum(axis=1), 1)
    np.testing.assert_array_equal(np.argmax(Y, axis=1), y)


def test_float32_stays_float32():
    o = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    for fn in (softmax, log_softmax, logsumexp, sigmoid, log_sigmoid, softplus):
        assert fn(o).dtype == np.float32, fn.__name__
    assert cross_entropy(o, [2]).dtype == np.float32
    assert cross_entropy_grad(o, [2]).dtype == np.float32


def test_integer_logits_become_float64():
    assert_close(softmax([1, 2, 3]), softmax([1.0, 2.0, 3.0]))


# --- bad input: one test per error -----------------------------------------------------

@pytest.mark.parametrize("fn", [softmax, log_softmax, logsumexp])
def test_nan_logit(fn):
    with pytest.raises(ValueError, match="NaN"):
        fn([[0.0, 1.0], [np.nan, 2.0]])


@pytest.mark.parametrize("fn", [softmax, log_softmax, logsumexp])
def test_plus_inf_logit(fn):
    with pytest.raises(ValueError, match=re.escape("+inf")):
        fn([0.0, np.inf])


@pytest.mark.parametrize("fn", [softmax, log_softmax, logsumexp])
def test_all_minus_inf_row(fn):
    with pytest.raises(ValueError, match="no class is possible"):
        fn([[0.0, 1.0], [-np.inf, -np.inf]])


@pytest.mark.parametrize("fn", [softmax, log_softmax, logsumexp])
def test_empty_class_axis(fn):
    with pytest.raises(ValueError, match="empty class axis"):
        fn(np.zeros((3, 0)))


@pytest.mark.parametrize("fn", [softmax, log_softmax, logsumexp])
def test_empty_batch(fn):
    with pytest.raises(ValueError, match="empty"):
        fn(np.zeros((0, 3)))


@pytest.mark.parametrize("fn", [softmax, log_softmax, logsumexp])
def test_scalar_logits(fn):
    with pytest.raises(ValueError, match="scalar"):
        fn(1.0)


@pytest.mark.parametrize("fn", [softmax, log_softmax, logsumexp])
def test_axis_out_of_range(fn):
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        fn(np.zeros((2, 3)), axis=2)


@pytest.mark.parametrize("bad", [["a", "b"], [1 + 2j, 0j]], ids=["strings", "complex"])
def test_non_numeric_logits(bad):
    with pytest.raises(TypeError, match="o must be"):
        softmax(bad)


@pytest.mark.parametrize("fn", [sigmoid, log_sigmoid, softplus])
def test_nan_in_sigmoid_family(fn):
    with pytest.raises(ValueError, match="z contains NaN"):
        fn([0.0, np.nan])


@pytest.mark.parametrize("fn", [cross_entropy, cross_entropy_grad])
def test_label_out_of_range(fn):
    with pytest.raises(ValueError, match="out of range: 3"):
        fn(np.zeros((2, 3)), [0, 3])
    with pytest.raises(ValueError, match="out of range: -1"):
        fn(np.zeros((2, 3)), [-1, 0])


@pytest.mark.parametrize("fn", [cross_entropy, cross_entropy_grad])
def test_non_integer_label(fn):
    with pytest.raises(ValueError, match="non-integer"):
        fn(np.zeros((2, 3)), [0, 0.5])


@pytest.mark.parametrize("fn", [cross_entropy, cross_entropy_grad])
def test_label_of_wrong_type(fn):
    with pytest.raises(TypeError, match="integer class labels"):
        fn(np.zeros((2, 3)), ["cat", "dog"])


@pytest.mark.parametrize("fn", [cross_entropy, cross_entropy_grad])
def test_nan_label(fn):
    with pytest.raises(ValueError, match="NaN"):
        fn(np.zeros((2, 3)), [0, np.nan])


@pytest.mark.parametrize("fn", [cross_entropy, cross_entropy_grad])
def test_distribution_with_a_negative_entry(fn):
    with pytest.raises(ValueError, match="negative entry"):
        fn(np.zeros((1, 3)), [[1.2, -0.2, 0.0]])


@pytest.mark.parametrize("fn", [cross_entropy, cross_entropy_grad])
def test_distribution_row_not_summing_to_one(fn):
    with pytest.raises(ValueError, match="sums to 0.9"):
        fn(np.zeros((2, 3)), [[1.0, 0.0, 0.0], [0.3, 0.3, 0.3]])


@pytest.mark.parametrize("fn", [cross_entropy, cross_entropy_grad])
def test_nan_in_distribution(fn):
    with pytest.raises(ValueError, match="NaN"):
        fn(np.zeros((1, 3)), [[np.nan, 0.5, 0.5]])


@pytest.mark.parametrize("fn", [cross_entropy, cross_entropy_grad])
def test_mismatched_shapes(fn):
    with pytest.raises(ValueError, match=re.escape("y has shape (3,); expected labels of shape (2,)")):
        fn(np.zeros((2, 3)), [0, 1, 2])


@pytest.mark.parametrize("fn", [cross_entropy, cross_entropy_grad])
def test_bad_logits_in_the_loss(fn):
    with pytest.raises(ValueError, match="o contains NaN"):
        fn([[np.nan, 0.0]], [0])
    with pytest.raises(ValueError, match="empty class axis"):
        fn(np.zeros((2, 0)), [0, 0])


def test_one_hot_bad_number_of_classes():
    with pytest.raises(ValueError, match="n_classes must be a positive integer"):
        one_hot([0], 0)
    with pytest.raises(TypeError):
        one_hot([0], 2.5)


def test_one_hot_label_out_of_range():
    with pytest.raises(ValueError, match="out of range: 4"):
        one_hot([0, 4], 3)


# --- the benchmark script runs ---------------------------------------------------------

def test_benchmark_runs_and_prints_ratios():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "softmax.py"), "--small", "--repeats", "2"],
                         capture_output=True, text=True, check=True, timeout=120)
    assert out.stderr == ""
    rows = {line.split()[0]: line.split() for line in out.stdout.splitlines()[2:]}
    assert sorted(rows) == ["log_softmax", "logsumexp", "softmax"]
    for name, (_, ours, theirs, ratio) in rows.items():
        assert float(ours) > 0 and float(theirs) > 0 and float(ratio) > 0, name


# --- what chapter 3's explorer computes ---------------------------------------------------

def test_label_smoothing_moves_the_minimum_to_log_y():
    """With y = (1 − ε)e_y + ε/K the loss has its minimum where p = y, i.e. at o = log y (plus any constant)."""
    from book.explorers import ALL
    from book.softmax import smoothed_target

    y = smoothed_target(1, 0.3)
    assert_close(y, [0.1, 0.8, 0.1], rtol=1e-15)
    assert_close(cross_entropy_grad(np.log(y) + 7.0, y), 0.0, atol=1e-15)
    u, v = np.log(y[1] / y[0]), np.log(y[2] / y[0])
    readout = ALL["cross_entropy_explorer"](label=1, smoothing=0.3).readout.value
    assert f"minimum at ({u:+.2f}, {v:+.2f})" in readout
    entropy = -np.sum(y * np.log(y))
    assert f"H(y) {entropy:.3f}" in readout


# --- the foil of chapter 2: o_i² / Σ_j o_j² ----------------------------------------------------

@given(logits(bound=1e4).map(lambda o: np.round(o, 3)), st.floats(1e-3, 1e3))
def test_square_normalize_laws(o, t):
    """A distribution, blind to the sign and to the scale of the scores (three decimals: no products underflow)."""
    assume(np.all(np.max(np.abs(o), axis=-1) > 0))
    q = square_normalize(o)
    assert np.all(q >= 0)
    assert_close(q.sum(axis=-1), 1.0, atol=1e-14)
    assert_close(square_normalize(-o), q, atol=1e-15)
    assert_close(square_normalize(t * o), q, rtol=1e-12, atol=1e-15)
    assert_close(q, o ** 2 / np.sum(o ** 2, axis=-1, keepdims=True), rtol=1e-12, atol=1e-300)


def test_square_normalize_of_huge_scores_is_finite():
    assert_close(square_normalize([1e200, -1e200]), [0.5, 0.5], rtol=1e-15)


def test_square_normalize_row_of_zeros():
    with pytest.raises(ValueError, match="row of zeros"):
        square_normalize([[1.0, 2.0], [0.0, 0.0]])


def test_square_normalize_nan():
    with pytest.raises(ValueError, match="o contains NaN"):
        square_normalize([1.0, np.nan])
