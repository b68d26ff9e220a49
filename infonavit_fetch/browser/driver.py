"""Playwright's driver, started before the command line is read (see start.py) and handed over to the
browser's launch. This module imports nothing of the tool: all it waits for is the driver's process."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
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
_temp_dirs: dict[int, str] = {}  # each driver's own temporary folder, by id(driver)
TEMP_VARIABLES = ("TMPDIR", "TEMP", "TMP")


def start() -> Playwright:
    """Playwright's driver, its process started without the secrets in its environment, and with a
    temporary folder of its own, which the browser it starts inherits: a browser ended by a signal sent to
    the whole group (a terminal's Ctrl-C) leaves its temporary files there, and `stop` removes them all."""
    from playwright.sync_api import sync_playwright

    if sys.platform == "darwin":
        # macOS's temporary folder is already long, and Chromium puts a socket in it (at most 104 characters).
        with without_secrets(os.environ):
            return sync_playwright().start()
    temp = tempfile.mkdtemp(prefix="ift-")
    with without_secrets(os.environ), _temp_folder(os.environ, temp):  # the driver's process inherits these
        driver = sync_playwright().start()
    _temp_dirs[id(driver)] = temp
    return driver


def stop(driver: Playwright) -> None:
    """End the driver (and so the browser it started), then remove its temporary folder."""
    try:
        driver.stop()
    finally:
        temp = _temp_dirs.pop(id(driver), None)
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


@contextmanager
def _temp_folder(env: MutableMapping[str, str], folder: str) -> Iterator[None]:
    kept = {name: env.get(name) for name in TEMP_VARIABLES}
    env.update(dict.fromkeys(TEMP_VARIABLES, folder))
    try:
        yield
    finally:
        for name, value in kept.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value


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
            stop(_booted.pop())


def silence_playwright(env: MutableMapping[str, str]) -> None:
    """Playwright's logging off for this process and the ones it starts, before Playwright is imported
    (it reads DEBUG then): "DEBUG=pw:api" is the first thing a troubleshooting guide asks for, and that
    log quotes every value typed. The tool's own report is --debug-dir."""
    for name in DRIVER_LOGGING:
        env.pop(name, None)


# The secrets while they are out of os.environ for the driver's start: the options, read meanwhile on
# another thread, are checked with them (environment()).
_hidden: dict[str, str] = {}


@contextmanager
def without_secrets(env: MutableMapping[str, str]) -> Iterator[None]:
    """The NSS and the password are out of `env` meanwhile (the job reads them later)."""
    kept = {name: env[name] for name in SECRET_VARIABLES if name in env}
    if env is os.environ:
        _hidden.update(kept)  # before they leave os.environ: a reader always finds them in one or the other
    for name in kept:
        env.pop(name)
    try:
        yield
    finally:
        env.update(kept)
        if env is os.environ:
            for name in kept:
                _hidden.pop(name, None)


def environment() -> dict[str, str]:
    """This process's environment with the secrets, even while the driver starts without them."""
    return {**os.environ, **_hidden}
