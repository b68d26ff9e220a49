"""`infonavit-fetch doctor`: is this computer ready? Each check is a line with ✓ or ✗ and a fix."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .browser import BrowserChoice, find_browser
from .captcha import has_display
from .credentials import read_env_file
from .driver import ENV_NSS, ENV_PASSWORD
from .errors import FetchError
from .i18n import t

DEPENDENCIES = ("playwright", "typer", "python-dotenv", "pypdf")


@dataclass(frozen=True)
class Check:
    ok: bool
    what: str
    fix: str = ""
    needed: bool = True

    def line(self) -> str:
        mark = "✓" if self.ok else ("✗" if self.needed else "·")
        text = f"{mark} {self.what}"
        return f"{text}\n    → {self.fix}" if self.fix and not self.ok else text


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info >= (3, 10):  # noqa: UP036 - reported even where the install did not stop it
        return Check(True, t("Python {version}", version=version))
    return Check(
        False,
        t("Python {version}", version=version),
        t("Instala Python 3.10 o más nuevo desde https://www.python.org/"),
    )


def check_dependencies() -> list[Check]:
    checks = []
    for name in DEPENDENCIES:
        try:
            checks.append(Check(True, f"{name} {metadata.version(name)}"))
        except metadata.PackageNotFoundError:
            checks.append(
                Check(
                    False,
                    t("falta {name}", name=name),
                    t("Reinstala infonavit-fetch (pipx reinstall infonavit-fetch)."),
                )
            )
    return checks


def check_display() -> Check:
    if has_display():
        return Check(True, t("hay pantalla: el navegador puede verse"), needed=False)
    return Check(
        False,
        t("no hay pantalla: el navegador trabajará oculto y el código se pedirá en la terminal"),
        t("Es normal por SSH o en servidores; nada que arreglar."),
        needed=False,
    )


def check_folder(folder: Path) -> Check:
    from .job import ensure_writable

    try:
        ensure_writable(folder)
    except FetchError as exc:
        return Check(False, t("no se puede escribir en {folder}", folder=folder), exc.hint)
    return Check(True, t("se puede guardar en {folder}", folder=folder))


def check_env_file(path: Path) -> Check:
    try:
        values = read_env_file(path, required=False)
    except FetchError as exc:
        return Check(False, t("el archivo {path} tiene un error: {p1}", path=path, p1=exc.message), exc.hint)
    if not path.is_file():
        return Check(
            True, t("no hay archivo .env en {p0} (se preguntarán NSS y contraseña)", p0=path.parent), needed=False
        )
    names = ", ".join(sorted(values)) or t("ninguna variable")
    known = [n for n in (ENV_NSS, ENV_PASSWORD) if n in values]
    suffix = "" if known else t(" (ninguna de infonavit-fetch)")
    return Check(True, t("archivo .env {path}: define {names}", path=path, names=names) + suffix)


def run_doctor(
    *,
    out: Path,
    env_file: Path,
    browser_path: str | None,
    portal_url: str,
    offline: bool,
    say: Callable[[str], None],
) -> bool:
    """Print every check; True when all the needed ones pass."""
    checks: list[Check] = [check_python(), *check_dependencies()]
    for check in checks:
        say(check.line())
    browser_checks = _browser_checks(browser_path, portal_url, offline)
    rest = [*browser_checks, check_display(), check_folder(out), check_env_file(env_file)]
    for check in rest:
        say(check.line())
    return all(c.ok for c in [*checks, *rest] if c.needed)


def _browser_checks(browser_path: str | None, portal_url: str, offline: bool) -> list[Check]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            choice: BrowserChoice = find_browser(
                explicit=browser_path, system=platform.system(), env=os.environ, playwright_chromium=_own(pw)
            )
        except FetchError as exc:
            return [Check(False, exc.message, exc.hint)]
        found = Check(True, t("navegador: {p0} en {p1}", p0=t(choice.kind), p1=choice.path))
        try:
            browser = pw.chromium.launch(executable_path=choice.path, headless=True)
        except PlaywrightError as exc:
            first = str(exc).splitlines()[0]
            return [
                found,
                Check(False, t("el navegador no arranca ({first})", first=first), t("Indica otro con --browser-path.")),
            ]
        try:
            page = browser.new_page()
            page.goto("about:blank")
            checks = [found, Check(True, t("el navegador arranca (versión {p0})", p0=browser.version))]
            if offline:
                checks.append(Check(True, t("portal: no se revisó (--offline)"), needed=False))
            else:
                checks.append(_portal_check(page, portal_url))
            return checks
        finally:
            browser.close()


def _portal_check(page: object, portal_url: str) -> Check:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    try:
        response = page.goto(portal_url, timeout=30_000)
    except PlaywrightError as exc:
        reason = str(exc).splitlines()[0]
        return Check(
            False,
            t("el portal no responde ({reason})", reason=reason),
            t("Revisa tu conexión a internet o intenta más tarde."),
        )
    status = response.status if response else 0
    if status >= 400:
        return Check(
            False,
            t("el portal respondió HTTP {status}", status=status),
            t("Intenta más tarde; si usas VPN, prueba sin ella."),
        )
    return Check(True, t("el portal responde ({portal_url}, HTTP {status})", portal_url=portal_url, status=status))


def _own(pw: object) -> str | None:
    try:
        return str(pw.chromium.executable_path)  # type: ignore[attr-defined]
    except Exception:
        return None
