"""Start the browser on a fresh temporary profile, and end it (and remove the profile) whatever happens."""

from __future__ import annotations

import os
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .browser import find_browser
from .console import Console
from .diagnostics import StepLog
from .errors import BadInput
from .i18n import t
from .settings import Settings

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Playwright


@contextmanager
def open_browser(settings: Settings, console: Console, log: StepLog) -> Iterator[BrowserContext]:
    """A fresh browser profile in a temporary folder, removed with everything in it at the end.

    A persistent context (rather than browser.new_context) gives the person one ordinary window, and
    lets a debugging client see the page the tool drives.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    # The profile folder outlives Playwright: its exit ends the browser, and only then is the folder
    # removed (a browser still shutting down, as when the person closes its window, keeps writing there).
    with (
        tempfile.TemporaryDirectory(prefix="infonavit-fetch-", ignore_cleanup_errors=True) as profile,
        sync_playwright() as pw,
    ):
        choice = find_browser(
            explicit=settings.browser_path,
            system=platform.system(),
            env=os.environ,
            playwright_chromium=_playwright_chromium(pw),
        )
        log(f"navegador: {choice.kind} en {choice.path}")
        try:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=choice.path,
                headless=settings.headless,
                args=["--lang=es-MX", *settings.extra_browser_args],
                timeout=max(settings.timeout_ms, 30_000),
                locale="es-MX",
                accept_downloads=False,
                no_viewport=not settings.headless,
                viewport={"width": 1280, "height": 900} if settings.headless else None,
            )
        except PlaywrightError as exc:
            raise BadInput(
                t("No se pudo abrir el navegador ({p0}: {p1}).", p0=choice.kind, p1=choice.path),
                hint=t(
                    "Revisa que el navegador funcione abriéndolo tú, o indica otro con --browser-path. Detalle: {p0}",
                    p0=str(exc).splitlines()[0],
                ),
            ) from None
        try:
            yield context
        finally:
            try:
                context.close()
            except Exception as exc:
                log(f"al cerrar el navegador: {exc.__class__.__name__}")


def _playwright_chromium(pw: Playwright) -> str | None:
    try:
        return pw.chromium.executable_path
    except Exception:
        return None
