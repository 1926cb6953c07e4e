"""In CI (``AIRLOCK_REQUIRE_SANDBOX=1``, set by .ci/run after installing bubblewrap and
libseccomp) a sandbox test that would skip for a missing backend fails instead."""

from __future__ import annotations

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("AIRLOCK_REQUIRE_SANDBOX") != "1" or not report.skipped:
        return
    reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
    if "Landlock" in reason:  # a kernel feature: nothing an install step can add
        return
    report.outcome = "failed"
    report.longrepr = f"sandbox backend required in CI but the test skipped: {reason}"
