"""book.numcheck: an error printed as the bound it meets, and a broken claim printed differently."""
import numpy as np
import pytest

from book.numcheck import bound


@pytest.mark.parametrize("err", [0.0, 1e-17, -3e-13, np.float32(2e-13), np.float64(9.9e-13)])
def test_an_error_under_the_bound_prints_as_the_bound(err):
    assert bound(err) == "< 1e-12"


def test_the_text_does_not_depend_on_the_last_digits():
    assert len({bound(e, 1e-9) for e in (1.1e-16, 3.2e-10, 5.3e-10, 9.99e-10)}) == 1


@pytest.mark.parametrize("err, text", [(1e-12, "1.0e-12 (not < 1e-12)"),
                                       (3.14e-6, "3.1e-06 (not < 1e-12)"),
                                       (-2.0, "2.0e+00 (not < 1e-12)")])
def test_a_broken_claim_prints_the_error(err, text):
    assert bound(err) == text


def test_nan_breaks_the_claim():
    assert bound(float("nan")) == "nan (not < 1e-12)"


def test_the_tolerance_is_printed_with_one_digit():
    assert bound(0.0, 2e-8) == "< 2e-08"


@pytest.mark.parametrize("err, kind", [(True, TypeError), ("1e-3", TypeError), (None, TypeError),
                                       (1j, TypeError), (np.zeros(2), ValueError)])
def test_bad_errors_are_refused(err, kind):
    with pytest.raises(kind, match="error"):
        bound(err)


@pytest.mark.parametrize("tol, kind", [(0.0, ValueError), (-1e-3, ValueError), (np.inf, ValueError),
                                       (np.nan, ValueError), (False, TypeError), ("small", TypeError)])
def test_bad_tolerances_are_refused(tol, kind):
    with pytest.raises(kind, match="tol"):
        bound(0.0, tol)
