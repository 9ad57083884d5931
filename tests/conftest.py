"""Shared test settings: deterministic hypothesis runs, and floating-point warnings as errors."""
import numpy as np
import pytest
from hypothesis import settings

# Derandomised so that a failure is reproducible run to run and in CI.
settings.register_profile("book", derandomize=True, deadline=None, max_examples=200)
settings.load_profile("book")


@pytest.fixture(autouse=True)
def _numpy_errors_raise():
    """Overflow, invalid operations and division by zero raise instead of warning."""
    with np.errstate(all="raise"):
        yield
