"""`infonavit-fetch doctor`: is this computer ready? Each check is a line with ✓ or ✗ and a fix.

It ends with the README's exit codes: 0 when all is ready, otherwise the code of the first needed check
that failed (2 no browser or a bad .env, 6 no connection or the portal unavailable, 9 a folder that cannot
be written, 1 Python or a dependency).
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from infonavit_fetch.browser.driver import ENV_NSS, ENV_PASSWORD
from infonavit_fetch.browser.finder import BrowserChoice, find_browser
from infonavit_fetch.errors import BadInput, FetchError, PortalUnavailable, SaveFailed, UnexpectedError, network_reason
from infonavit_fetch.i18n import t
from infonavit_fetch.login.credentials import read_env_file
from infonavit_fetch.outputs.opener import has_display

DEPENDENCIES = ("playwright", "typer", "python-dotenv", "pypdf")


@dataclass(frozen=True)
class Check:
    ok: bool
    what: str
    fix: str = ""
    needed: bool = True
    code: int = UnexpectedError.exit_code  # the exit code when this check fails (the README's table)

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
    from infonavit_fetch.job import ensure_writable

    try:
        ensure_writable(folder)
    except FetchError as exc:
        return Check(False, t("no se puede escribir en {folder}", folder=folder), exc.hint, code=SaveFailed.exit_code)
    return Check(True, t("se puede guardar en {folder}", folder=folder))


def check_env_file(path: Path) -> Check:
    try:
        values = read_env_file(path, required=False)
    except FetchError as exc:
        return Check(
            False, t("el archivo {path} tiene un error: {p1}", path=path, p1=exc.message), exc.hint, code=exc.exit_code
        )
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
) -> int:
    """Print every check; 0 when all the needed ones pass, else the exit code of the first that failed."""
    checks: list[Check] = [check_python(), *check_dependencies()]
    for check in checks:
        say(check.line())
    browser_checks = _browser_checks(browser_path, portal_url, offline)
    rest = [*browser_checks, check_display(), check_folder(out), check_env_file(env_file)]
    for check in rest:
        say(check.line())
    failed = [c for c in [*checks, *rest] if c.needed and not c.ok]
    return failed[0].code if failed else 0


def _browser_checks(browser_path: str | None, portal_url: str, offline: bool) -> list[Check]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            choice: BrowserChoice = find_browser(
                explicit=browser_path, system=platform.system(), env=os.environ, playwright_chromium=_own(pw)
            )
        except FetchError as exc:  # no browser: bad input, as for a download (code 2)
            return [Check(False, exc.message, exc.hint, code=exc.exit_code)]
        found = Check(True, t("navegador: {p0} en {p1}", p0=t(choice.kind), p1=choice.path))
        try:
            browser = pw.chromium.launch(executable_path=choice.path, headless=True)
        except PlaywrightError:  # its English (and often very long) text is not the person's business
            return [
                found,
                Check(
                    False,
                    t("el navegador no arranca"),
                    t("Indica otro con --browser-path, o reinstala el que hay."),
                    code=BadInput.exit_code,
                ),
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

    from infonavit_fetch.site.portal import Outcome, classify_message, classify_status

    assert isinstance(page, Page)
    unavailable = PortalUnavailable.exit_code
    try:
        response = page.goto(portal_url, timeout=30_000)
    except PlaywrightError as exc:
        return Check(
            False,
            t("sin conexión con el portal: {reason}", reason=network_reason(str(exc))),
            t("Revisa tu conexión a internet (y el proxy o la VPN, si usas); luego intenta de nuevo."),
            code=unavailable,
        )
    status = response.status if response else 0
    outcome = classify_status(status)
    if outcome is None and status < 400:
        try:
            said = classify_message(page.locator("body").inner_text(timeout=5_000))
        except PlaywrightError:
            said = Outcome.UNKNOWN
        outcome = said if said in (Outcome.MAINTENANCE, Outcome.ACCESS_DENIED) else None
    if outcome is Outcome.MAINTENANCE:
        what = t("el portal no está disponible: está en mantenimiento")
    elif outcome is Outcome.ACCESS_DENIED:
        what = t("el portal negó el acceso («Access Denied»)")
    elif status >= 500:
        what = t("el portal no está disponible: error del servidor")
    elif status >= 400:
        what = t("el portal no encontró la página")
    else:
        return Check(True, t("el portal responde ({portal_url}, HTTP {status})", portal_url=portal_url, status=status))
    return Check(
        False,
        f"{what} (HTTP {status})" if status >= 400 else what,
        t("Intenta más tarde; si usas VPN o una red de oficina, prueba sin ella."),
        code=unavailable,
    )


def _own(pw: object) -> str | None:
    try:
        return str(pw.chromium.executable_path)  # type: ignore[attr-defined]
    except Exception:
        return None
