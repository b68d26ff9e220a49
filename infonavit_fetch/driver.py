"""Playwright's driver, started before the command line is read (see start.py) and handed over to the
browser's launch. This module imports nothing of the tool: all it waits for is the driver's process."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

# The variables that hold the secrets (read in credentials.py): no process the tool starts inherits them.
ENV_NSS = "INFONAVIT_NSS"
ENV_PASSWORD = "INFONAVIT_PASSWORD"
SECRET_VARIABLES = (ENV_NSS, ENV_PASSWORD)
# Playwright's own logging and inspector: its log quotes every value typed, the password among them.
DRIVER_LOGGING = ("DEBUG", "DEBUG_FILE", "PWDEBUG")

_booted: list[Playwright] = []  # a driver started before the options were read


def start() -> Playwright:
    """Playwright's driver, its process started without the secrets in its environment."""
    from playwright.sync_api import sync_playwright

    with without_secrets(os.environ):  # the driver's process inherits this environment
        return sync_playwright().start()


def boot(meanwhile: Callable[[], None]) -> None:
    """Start Playwright's driver for the browser opened later; `meanwhile` is called once all that is
    left is waiting for the driver's process (a quarter of a second)."""
    from playwright.sync_api import sync_playwright  # noqa: F401 - imported before `meanwhile`, not during

    meanwhile()
    _booted.append(start())


def take() -> Playwright | None:
    """The driver booted beforehand, if any, now owned by the caller."""
    return _booted.pop() if _booted else None


def stop_unused() -> None:
    """End a driver that was booted and never used (the command stopped before opening the browser)."""
    while _booted:
        with contextlib.suppress(Exception):
            _booted.pop().stop()


def silence_playwright(env: MutableMapping[str, str]) -> None:
    """Playwright's logging off for this process and the ones it starts, before Playwright is imported
    (it reads DEBUG then): "DEBUG=pw:api" is the first thing a troubleshooting guide asks for, and that
    log quotes every value typed. The tool's own report is --debug-dir."""
    for name in DRIVER_LOGGING:
        env.pop(name, None)


@contextmanager
def without_secrets(env: MutableMapping[str, str]) -> Iterator[None]:
    """The NSS and the password are out of `env` meanwhile (the job reads them later)."""
    kept = {name: env.pop(name) for name in SECRET_VARIABLES if name in env}
    try:
        yield
    finally:
        env.update(kept)
