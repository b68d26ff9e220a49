"""A whole run as the employee sees it: check the folder, download, check the PDF, save it."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from infonavit_fetch.cli.console import Console
from infonavit_fetch.cli.settings import Settings
from infonavit_fetch.errors import BadInput, NotTheNotice, SaveFailed, os_reason
from infonavit_fetch.flow import Credentials, download
from infonavit_fetch.i18n import t
from infonavit_fetch.login.captcha import BrowserCaptcha, CaptchaSolver, ProgrammedCaptcha, TerminalCaptcha
from infonavit_fetch.outputs.diagnostics import Redactor, StepLog
from infonavit_fetch.outputs.files import create_new, unguessable
from infonavit_fetch.outputs.nextstep import Shown, show_the_notice, write_draft
from infonavit_fetch.outputs.opener import has_display
from infonavit_fetch.outputs.save import save_notice
from infonavit_fetch.site.notice import NoticeSummary, nss_of_notice, read_notice, summary_lines
from infonavit_fetch.site.portal import Label


def make_solver(settings: Settings, console: Console) -> CaptchaSolver:
    if settings.captcha_mode == "browser":
        return BrowserCaptcha(console, settings.captcha_timeout)
    open_viewer = console.interactive and has_display()
    return TerminalCaptcha(console, settings.captcha_timeout, settings.timeout, open_viewer=open_viewer)


def ensure_writable(folder: Path, hint: str = "") -> None:
    """Fail before the login, not after it, when the PDF (or the report) could not be saved anyway.

    The probe is a new file of a random name, never opened through a link: whatever is in the folder
    already, a leftover or a link planted by someone else, is left alone.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / unguessable(".infonavit-fetch-", ".probe")
        with create_new(probe):
            pass
        probe.unlink()
    except OSError as exc:
        raise SaveFailed(
            t("No se puede guardar en {folder}: {p1}.", folder=folder, p1=os_reason(exc)),
            hint=hint or t("Elige con --out una carpeta tuya, por ejemplo Documentos o Descargas."),
        ) from None


@dataclass(frozen=True)
class Saved:
    path: Path
    summary: NoticeSummary
    draft: Path | None = None
    shown: Shown = field(default_factory=Shown)  # what the end of the run opened for the person

    def as_json(self) -> str:
        return json.dumps(
            {
                "archivo": str(self.path),
                "aviso": self.summary.as_dict(),
                "faltantes": self.summary.missing,
                "borrador_correo": str(self.draft) if self.draft else None,
            },
            ensure_ascii=False,
        )


def download_and_save(
    settings: Settings,
    nss: str,
    password: str,
    console: Console,
    *,
    code: Callable[[], str] | None = None,
) -> Saved:
    made = missing_folders(settings.out_dir)
    ensure_writable(settings.out_dir)
    try:
        return _download_and_save(settings, nss, password, console, code)
    except BaseException:
        remove_if_empty(made)  # a folder the tool made and that holds nothing is not left behind
        raise


def missing_folders(folder: Path) -> list[Path]:
    """The folders of `folder`'s path that do not exist yet, deepest first."""
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    return missing


def remove_if_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first: a parent is empty only once its child is gone
        try:
            folder.rmdir()
        except FileNotFoundError:
            continue
        except OSError:  # not empty: the run kept something there
            return


def _download_and_save(
    settings: Settings, nss: str, password: str, console: Console, code: Callable[[], str] | None
) -> Saved:
    if settings.debug_dir is not None:
        ensure_writable(settings.debug_dir, hint=t("Elige con --debug-dir una carpeta tuya para el informe."))
    log = StepLog(console, Redactor(nss, password))
    solver = ProgrammedCaptcha(code, settings.timeout) if code else make_solver(settings, console)
    checked = download(settings, Credentials(nss, password), solver, console, log)
    if not checked.reads_like_notice:
        kept = save_notice(checked.data, settings.out_dir, nss, stem="NO-ES-EL-AVISO")
        raise NotTheNotice(
            t(
                "El portal entregó un PDF que no es el «aviso de retención de descuentos». Se guardó para que lo "
                "revises en {path}",
                path=kept,
            ),
            hint=t(
                "No lo envíes como aviso sin abrirlo. Si no es tu aviso, vuelve a intentarlo más tarde o descárgalo "
                "tú en el portal."
            ),
        )
    named = nss_of_notice(checked.text)
    if named is not None and named != nss:
        kept = save_notice(checked.data, settings.out_dir, nss, stem="NO-ES-TU-AVISO")
        raise NotTheNotice(
            t(
                "El portal entregó un aviso de retención de otro trabajador (su NSS termina en {theirs}, el tuyo en "
                "{yours}). Se guardó aparte para que lo revises en {path}",
                theirs=named[-4:],
                yours=nss[-4:],
                path=kept,
            ),
            hint=t(
                "No lo envíes a tu patrón. Vuelve a intentarlo más tarde o descárgalo tú en el portal; si se repite, "
                "avisa al Infonavit."
            ),
        )
    path = save_notice(checked.data, settings.out_dir, nss)
    console.done(t("Aviso guardado en {path}", path=path))
    summary = read_notice(checked.text)
    console.say(t("Datos del aviso (revísalos antes de enviarlo):"))
    for line in summary_lines(summary):
        console.say(line)
    draft = None
    if settings.email_to:
        draft = write_draft(path, settings.email_to, nss, summary)
        console.say(t("Borrador de correo para {p0} listo en {draft}", p0=settings.email_to, draft=draft))
    shown = show_the_notice(settings, path, draft, nss, summary, console.say)
    return Saved(path, summary, draft, shown)


def demo(settings: Settings, console: Console, *, delivery: str, auto: bool) -> Saved:
    # The mock is installed inside the package (see pyproject.toml); in a checkout it is fixtures/mock_portal.
    if TYPE_CHECKING:
        import fixtures.mock_portal as mock
    else:
        mock = importlib.import_module("infonavit_fetch.mock_portal")
    if delivery not in mock.DELIVERIES:
        raise BadInput(
            t("Forma de entrega desconocida: {delivery}", delivery=delivery),
            hint=t("Usa una de: {choices}", choices=", ".join(mock.DELIVERIES)),
        )
    account = mock.ACCOUNTS[0]
    with mock.MockPortal(mock.MockConfig(delivery=delivery)) as portal:
        console.say(t("Demostración con el portal de prueba en {p0} (datos ficticios).", p0=portal.url))
        console.say(t("Cuenta de prueba: NSS {p0}. Al final llegarás a «{p1}».", p0=account.nss, p1=Label.PRINT))
        demo_settings = replace(settings, portal_url=portal.url)
        return download_and_save(
            demo_settings,
            account.nss,
            account.password,
            console,
            code=(lambda: portal.state.last_captcha) if auto else None,
        )
