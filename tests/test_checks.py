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
    for bad in (-1, 2.5, True):
        with pytest.raises(ValueError, match="non-negative integer"):
            as_steps(bad)
