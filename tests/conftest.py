"""Shared fixtures: a browser already on the machine, the mock portal, and the CLI run as a subprocess."""

from __future__ import annotations

import os
import platform
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fixtures.mock_portal import MockConfig, MockPortal
from infonavit_fetch.browser import find_browser


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
