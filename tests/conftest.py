"""Shared test settings: deterministic hypothesis runs, floating-point warnings as errors, Chromium."""
import os
import subprocess

import numpy as np
import pytest
from hypothesis import settings

from book_pages import CHROMIUM_ARGS, ROOT

# Derandomised so that a failure is reproducible run to run and in CI. Two profiles, chosen with
# HYPOTHESIS_PROFILE (`make unit HYPOTHESIS_PROFILE=thorough`): "book", the default (`make unit`,
# `make test`), tries Hypothesis's default 100 examples per property; "thorough" tries 200, as
# every run did before the unit stage had to fit `make test`'s five minutes (it takes about 20 s
# more CPU). A test that sets its own max_examples keeps it under either profile.
settings.register_profile("book", derandomize=True, deadline=None, max_examples=100)
settings.register_profile("thorough", derandomize=True, deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "book")


@pytest.fixture(autouse=True)
def _numpy_errors_raise():
    """Overflow, invalid operations and division by zero raise instead of warning."""
    with np.errstate(all="raise"):
        yield


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, for the browser and live tests.

    tools/ensure_chromium.sh installs it when it is missing and the machine
    allows; where it cannot, every test that needs it is skipped with the
    script's reason printed, never silently.
    """
    result = subprocess.run(["bash", str(ROOT / "tools" / "ensure_chromium.sh")],
                            capture_output=True, text=True)
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "no Chromium"
        print(f"\nChromium unavailable, test skipped: {reason}")
        pytest.skip(f"Chromium unavailable: {reason}")
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def chromium_browser(chromium):
    """One headless Chromium (Playwright) for the whole session, shared by the browser and live
    tests (each opens its own context in it), so that a run of both starts it once."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
