"""Shared fixtures: a browser already on the machine, the mock portal, and the CLI run as a subprocess."""

from __future__ import annotations

import os
import platform
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fixtures.mock_portal import MockConfig, MockPortal
from infonavit_fetch.browser.finder import find_browser


def browser_executable() -> str:
    return find_browser(explicit=None, system=platform.system(), env=os.environ).path


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return browser_executable()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], chromium_path: str) -> dict[str, Any]:
    # pytest-playwright has no executable-path option; Playwright's own download is not available here.
    return {**browser_type_launch_args, "executable_path": chromium_path}


@pytest.fixture
def start_portal() -> Iterator[Callable[..., MockPortal]]:
    """Start a mock portal chosen by the test: `start_portal(delivery=..., failure=..., delay=...)`."""
    started: list[MockPortal] = []

    def start(**config: Any) -> MockPortal:
        portal = MockPortal(MockConfig(**config)).start()
        started.append(portal)
        return portal

    yield start
    for portal in started:
        portal.stop()


@pytest.fixture
def portal(start_portal: Callable[..., MockPortal]) -> MockPortal:
    return start_portal()


def has_xvfb() -> bool:
    return shutil.which("xvfb-run") is not None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On CI (CI=true) a skipped test fails the run, naming what it missed: a machine without a tool the
    tests need would otherwise be green without those tests."""
    if os.environ.get("CI", "").lower() != "true" or hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if reporter is None or not skipped:
        return
    reporter.write_line("")
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reporter.write_line(f"CI: skipped {report.nodeid}: {reason}", red=True)
    reporter.write_line(f"CI: {len(skipped)} skipped tests fail the run (install what they name)", red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
