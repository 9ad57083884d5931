"""Input checks: every bad input gets an error that names the problem."""
import numpy as np
import pytest

from book.checks import as_design_matrix, as_distribution, as_float_array, as_labels, check_same_length


@pytest.mark.parametrize("bad, error, message", [
    (["a", "b"], TypeError, "numeric"),
    ([1 + 2j], TypeError, "real"),
    ([], ValueError, "empty"),
    ([1.0, np.nan], ValueError, "NaN"),
    ([1.0, np.inf], ValueError, "infinite"),
])
def test_as_float_array_rejects(bad, error, message):
    with pytest.raises(error, match=message):
        as_float_array(bad, "o")


def test_as_float_array_keeps_float32_and_promotes_ints():
    assert as_float_array(np.ones(2, np.float32), "o").dtype == np.float32
    assert as_float_array([1, 2], "o").dtype == np.float64


@pytest.mark.parametrize("bad, error, message", [
    ([0, 3], ValueError, "out of range"),
    ([-1], ValueError, "out of range"),
    ([0.5], ValueError, "non-integer"),
    (["a"], TypeError, "integer class labels"),
    ([], ValueError, "empty"),
    ([np.nan], ValueError, "NaN"),
])
def test_as_labels_rejects(bad, error, message):
    with pytest.raises(error, match=message):
        as_labels(bad, 3)


def test_as_labels_accepts_whole_floats_and_checks_shape():
    assert as_labels([0.0, 2.0], 3).tolist() == [0, 2]
    with pytest.raises(ValueError, match="shape"):
        as_labels([0, 1], 3, shape=(3,))


def test_as_distribution_rejects_bad_rows():
    with pytest.raises(ValueError, match="negative"):
        as_distribution([[1.5, -0.5]], (1, 2))
    with pytest.raises(ValueError, match="sums to"):
        as_distribution([[0.5, 0.4]], (1, 2))
    with pytest.raises(ValueError, match="shape"):
        as_distribution([0.5, 0.5], (1, 2))


def test_design_matrix_and_lengths():
    with pytest.raises(ValueError, match="2-D"):
        as_design_matrix([1.0, 2.0])
    with pytest.raises(ValueError, match="features"):
        as_design_matrix([[1.0, 2.0]], n_features=3)
    with pytest.raises(ValueError, match="different lengths"):
        check_same_length(np.zeros((3, 2)), np.zeros(2))


def test_learning_rate_and_steps():
    from book.checks import as_learning_rate, as_steps

    assert as_learning_rate(1) == 1.0 and as_steps(np.int64(3)) == 3
    with pytest.raises(TypeError, match="lr must be a number"):
        as_learning_rate("0.1")
    for bad in (0.0, -1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match="positive finite"):
            as_learning_rate(bad)
    with pytest.raises(ValueError, match="non-negative integer"):
        as_steps(-1)
    for bad in (2.5, 2.0, True, "3", None):
        with pytest.raises(TypeError, match="non-negative integer"):
            as_steps(bad)
    with pytest.raises(ValueError, match="at most 100,000"):
        as_steps(10**7)


# --- the rules of book.checks ------------------------------------------------------------------------

from book.checks import (MAX_ELEMENTS, NotFittedError, as_axis, as_bool, as_choice,  # noqa: E402
                         as_class_labels, as_count, as_n_classes, as_nonnegative, as_number, as_positive,
                         as_rng, as_seed, check_fit_is_finite, check_fitted, check_size, fit_guard)


def test_a_boolean_is_not_a_number():
    for check in (as_number, as_positive, as_nonnegative, as_count, as_seed, as_n_classes):
        with pytest.raises(TypeError, match="boolean"):
            check(True, "x") if check not in (as_seed, as_n_classes) else check(True)
    with pytest.raises(TypeError, match="booleans"):
        as_float_array([True, False], "o")


def test_but_boolean_labels_are_two_classes():
    assert as_labels([True, False, True], 2).tolist() == [1, 0, 1]
    labels, K = as_class_labels(np.array([True, False]))
    assert labels.tolist() == [1, 0] and K == 2


@pytest.mark.parametrize("value, kind", [("1", TypeError), (None, TypeError), (1j, TypeError),
                                         (np.nan, ValueError), (np.inf, ValueError),
                                         (np.ones(2), ValueError)])
def test_as_number_rejects(value, kind):
    with pytest.raises(kind, match="x must be"):
        as_number(value, "x")


def test_as_number_bounds_and_scalars():
    assert as_number(np.float32(0.5), "x", minimum=0, below=1) == 0.5
    assert as_number(np.array(2), "x") == 2.0
    with pytest.raises(ValueError, match=r"x must be a finite number ≥ 0 and < 1, got 1"):
        as_number(1, "x", minimum=0, below=1)
    assert as_positive(np.inf, "C", allow_inf=True) == np.inf
    with pytest.raises(ValueError, match="C must be a positive finite number"):
        as_positive(np.inf, "C")
    with pytest.raises(ValueError, match="reg must be a finite number ≥ 0"):
        as_nonnegative(-1e-3, "reg")


def test_counts_are_integers_in_range():
    assert as_count(np.int32(3), "n") == 3
    for bad in (3.0, 2.5, "3", None):
        with pytest.raises(TypeError, match="n must be a non-negative integer"):
            as_count(bad, "n")
    with pytest.raises(ValueError, match="n must be an integer ≥ 4, got 3"):
        as_count(3, "n", minimum=4)
    with pytest.raises(ValueError, match="n must be at most 10"):
        as_count(11, "n", maximum=10)


@pytest.mark.parametrize("seed, kind", [(-1, ValueError), (1.5, TypeError), (None, TypeError),
                                        (True, TypeError), ("0", TypeError)])
def test_as_seed_rejects(seed, kind):
    with pytest.raises(kind, match="seed must be a non-negative integer"):
        as_seed(seed)


def test_rng_flags_choices_axes():
    assert isinstance(as_rng(np.random.default_rng(0)), np.random.Generator)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        as_rng(0)
    assert as_bool(np.True_, "flag") is True
    with pytest.raises(TypeError, match="flag must be True or False, got 1"):
        as_bool(1, "flag")
    with pytest.raises(ValueError, match="loss must be one of"):
        as_choice("hinge", "loss", ("square",))
    with pytest.raises(TypeError, match="loss must be one of"):
        as_choice(None, "loss", ("square",))
    assert as_axis(-1, 2) == -1
    for bad in (1.0, True, "0", None):
        with pytest.raises(TypeError, match="axis must be an integer"):
            as_axis(bad, 2)
    with pytest.raises(ValueError, match="axis 2 is out of range for o with 2"):
        as_axis(2, 2)


def test_labels_are_checked_before_they_are_cast():
    """1e20 is a whole number too large for int64: an error naming it, not a cast warning."""
    with pytest.raises(ValueError, match=r"out of range: 1e\+20"):
        as_labels([0.0, 1e20], 3)
    with pytest.raises(ValueError, match="infinite"):
        as_labels([0.0, np.inf], 3)
    with pytest.raises(ValueError, match="class indices"):
        as_labels([0.0, 1e20], None)


def test_class_labels_for_a_fit():
    labels, K = as_class_labels([0, 2, 1, 2])
    assert K == 3 and labels.dtype == np.int64
    with pytest.raises(ValueError, match="label 1 has no examples in y.*largest label is 2"):
        as_class_labels([0, 2, 2])
    with pytest.raises(ValueError, match="label 2 has no examples in y.*n_classes = 3"):
        as_class_labels([0, 1], n_classes=3)
    with pytest.raises(ValueError, match="one class only"):
        as_class_labels([1, 1])
    with pytest.raises(ValueError, match="1-D"):
        as_class_labels([[0, 1]])


def test_caps():
    check_size(MAX_ELEMENTS, "an array")
    with pytest.raises(ValueError, match="MAX_ELEMENTS"):
        check_size(MAX_ELEMENTS + 1, "an array")
    with pytest.raises(ValueError, match="n_classes must be at most"):
        as_n_classes(MAX_ELEMENTS + 1)


def test_not_fitted_is_a_value_error_and_an_attribute_error():
    class Model:
        pass

    with pytest.raises(NotFittedError, match="this Model is not fitted yet: call fit"):
        check_fitted(Model(), "W_")
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)


def test_a_diverging_fit_names_the_learning_rate():
    with pytest.raises(ValueError, match=r"diverged.*lr = 1e\+300"):
        with fit_guard(1e300):
            np.float64(1e300) * np.float64(1e300)
    with pytest.raises(ValueError, match=r"weights reached 2.0e\+299.*lr = 0.5"):
        check_fit_is_finite(0.5, 1.0, np.array([2e299]))
    with pytest.raises(ValueError, match="loss is inf"):
        check_fit_is_finite(0.5, np.inf, np.zeros(2))
    check_fit_is_finite(100.0, 1e10, np.full(3, 1e100))
