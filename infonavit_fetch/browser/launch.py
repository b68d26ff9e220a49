"""Start the browser on a fresh temporary profile, and end it (and remove the profile) whatever happens."""

from __future__ import annotations

import json
import os
import platform
import select
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from infonavit_fetch.browser import driver as booted_driver
from infonavit_fetch.browser.finder import find_browser
from infonavit_fetch.cli.console import Console
from infonavit_fetch.cli.settings import Settings
from infonavit_fetch.delivery.printing import Printer
from infonavit_fetch.errors import BadInput
from infonavit_fetch.i18n import t
from infonavit_fetch.outputs.diagnostics import StepLog, why

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Playwright


@contextmanager
def open_browser(settings: Settings, console: Console, log: StepLog) -> Iterator[tuple[BrowserContext, Printer]]:
    """A fresh browser profile in a temporary folder, removed with everything in it at the end.

    A persistent context (rather than browser.new_context) gives the person one ordinary window, and
    lets a debugging client see the page the tool drives.
    """
    from playwright.sync_api import Error as PlaywrightError

    # The profile folder outlives Playwright: its exit ends the browser, and only then is the folder
    # removed (a browser still shutting down, as when the person closes its window, keeps writing there).
    with (
        tempfile.TemporaryDirectory(prefix="infonavit-fetch-", ignore_cleanup_errors=True) as profile,
        _driver() as pw,
    ):
        choice = find_browser(
            explicit=settings.browser_path,
            system=platform.system(),
            env=os.environ,
            playwright_chromium=_playwright_chromium(pw),
        )
        log(f"navegador: {choice.kind} en {choice.path}")
        write_preferences(profile)
        sandbox = sandbox_possible()
        try:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=choice.path,
                headless=settings.headless,
                chromium_sandbox=sandbox,
                args=[*quiet_window_args(sandbox=sandbox), *settings.extra_browser_args],
                timeout=max(settings.timeout_ms, 30_000),
                locale="es-MX",
                accept_downloads=True,  # a PDF saved by a link with `download` is read from the file kept
                no_viewport=not settings.headless,
                viewport={"width": 1280, "height": 900} if settings.headless else None,
            )
        except PlaywrightError as exc:
            raise BadInput(
                t("No se pudo abrir el navegador ({p0}: {p1}).", p0=t(choice.kind), p1=choice.path),
                hint=t(
                    "Revisa que el navegador funcione abriéndolo tú, o indica otro con --browser-path. Detalle: {p0}",
                    p0=str(exc).splitlines()[0],
                ),
            ) from None
        browser_pid = profile_owner(profile)
        printer = Printer(pw, choice.path, settings.headless)
        try:
            yield context, printer
        finally:
            printer.close()
            try:
                context.close()
            except Exception as exc:
                log(f"al cerrar el navegador: {why(exc)}")
            # A closed terminal's SIGHUP reaches the driver too: it starts closing the browser itself, and
            # context.close() can return while that browser still writes into its profile.
            if browser_pid is not None and not process_ended(browser_pid, BROWSER_EXIT_PATIENCE_S):
                log("el navegador seguía abierto al quitar su perfil")


BROWSER_EXIT_PATIENCE_S = 10.0


def profile_owner(profile: str) -> int | None:
    """The browser's main process, from the lock Chromium keeps in its profile ("host-pid"; Linux and macOS)."""
    try:
        owner = os.readlink(os.path.join(profile, "SingletonLock"))
    except OSError:  # Windows keeps a plain lock file; a browser that had not made it yet
        return None
    pid = owner.rpartition("-")[2]
    return int(pid) if pid.isdigit() else None


def process_ended(pid: int, patience_s: float) -> bool:
    """Wait, for at most `patience_s`, until process `pid` has ended; False if it is still running."""
    if sys.platform == "linux":  # Linux: a descriptor that becomes readable when the process ends
        try:
            fd = os.pidfd_open(pid)
        except OSError:  # already gone (or never ours to watch)
            return True
        try:
            readable, _, _ = select.select([fd], [], [], patience_s)
            return bool(readable)
        finally:
            os.close(fd)
    if sys.platform == "darwin":  # macOS: the kernel reports the process's exit
        queue = select.kqueue()
        try:
            watch = select.kevent(pid, filter=select.KQ_FILTER_PROC, fflags=select.KQ_NOTE_EXIT)
            return bool(queue.control([watch], 1, patience_s))
        except OSError:
            return True
        finally:
            queue.close()
    return True


@contextmanager
def _driver() -> Iterator[Playwright]:
    """The driver booted while the options were read, or else one started now."""
    driver = booted_driver.take()
    if driver is None:
        driver = booted_driver.start()
    try:
        yield driver
    finally:
        booted_driver.stop(driver)


# The window should look like the employee's own browser: no first-run pages, no "make me your default
# browser", no translate or password-saving bubbles over the portal, no infobars about how it was started.
QUIET_SWITCHES = (
    "--lang=es-MX",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-session-crashed-bubble",
    # No --disable-features here: a second one would replace Playwright's own list. The password and
    # translate bubbles are turned off in the profile's preferences instead.
)

PREFERENCES = {
    "credentials_enable_service": False,
    "credentials_enable_autosignin": False,
    "profile": {
        "password_manager_enabled": False,
        "password_manager_leak_detection": False,
        "default_content_setting_values": {"notifications": 2, "geolocation": 2},
        "exit_type": "Normal",
        "exited_cleanly": True,
    },
    "autofill": {"profile_enabled": False, "credit_card_enabled": False},
    "translate": {"enabled": False},
    "browser": {"check_default_browser": False, "has_seen_welcome_page": True},
    "distribution": {"suppress_first_run_bubble": True, "skip_first_run_ui": True},
    "download": {"prompt_for_download": False},
}


def write_preferences(profile: str) -> None:
    """The temporary profile's Default/Preferences, written before the browser first reads it."""
    folder = os.path.join(profile, "Default")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "Preferences"), "w", encoding="utf-8") as handle:
        json.dump(PREFERENCES, handle)


def sandbox_possible(system: str | None = None, uid: int | None = None) -> bool:
    """Chromium's sandbox stays on wherever it can run; on Linux it cannot run as root."""
    if (system or platform.system()) != "Linux":
        return True
    return (os.geteuid() if uid is None else uid) != 0


def quiet_window_args(*, sandbox: bool) -> list[str]:
    # Without the sandbox Chromium shows "You are using an unsupported command-line flag: --no-sandbox"
    # in a grey bar over the page; --test-type is the switch that keeps such infobars away.
    return [*QUIET_SWITCHES, *(() if sandbox else ("--test-type",))]


def _playwright_chromium(pw: Playwright) -> str | None:
    try:
        return pw.chromium.executable_path
    except Exception:
        return None
