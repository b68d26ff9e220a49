"""The next step, ready: an e-mail draft with the notice attached (desktop mail programs), a new message
opened in the person's mail program or webmail (they attach the PDF, whose folder is opened beside it), and
the PDF shown at the end of the run."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from urllib.parse import quote

from infonavit_fetch.cli.settings import CARE_ADDRESS, Settings
from infonavit_fetch.errors import SaveFailed
from infonavit_fetch.i18n import t
from infonavit_fetch.outputs.opener import Opener
from infonavit_fetch.site.notice import NoticeSummary
from infonavit_fetch.site.nss import mask_nss

__all__ = ["CARE_ADDRESS", "Shown", "compose_link", "draft_message", "show_the_notice", "write_draft"]

# Where each webmail writes a new message, its fields given in the address (--webmail).
WEBMAIL_COMPOSE = {
    "gmail": ("https://mail.google.com/mail/?view=cm&fs=1", "to", "su", "body"),
    "outlook": ("https://outlook.live.com/mail/0/deeplink/compose?", "to", "subject", "body"),
}
WEBMAIL_NAMES = {"gmail": "Gmail", "outlook": "Outlook.com"}


def draft_message(pdf: Path, to: str, nss: str, summary: NoticeSummary) -> EmailMessage:
    credit = summary.credito or "(ver PDF adjunto)"
    name = summary.nombre or ""
    message = EmailMessage(policy=SMTP)
    message["To"] = to
    message["Subject"] = f"Aviso de retención de descuentos Infonavit - NSS {nss} - crédito {credit}"
    # Outlook opens a message marked unsent as a draft ready to send; Thunderbird offers "Edit as new".
    message["X-Unsent"] = "1"
    message.set_content(
        "Hola:\n\n"
        "Les envío el aviso de retención de descuentos de mi crédito Infonavit para que se inicien los "
        "descuentos correspondientes.\n\n"
        f"NSS: {nss}\n"
        f"Número de crédito: {credit}\n" + (f"Nombre: {name}\n" if name else "") + "\nQuedo atento(a). Gracias.\n"
    )
    message.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf", filename=pdf.name)
    return message


def write_draft(pdf: Path, to: str, nss: str, summary: NoticeSummary) -> Path:
    """Write the draft beside the PDF, under a name of its own (never over another file)."""
    data = draft_message(pdf, to, nss, summary).as_bytes()
    for attempt in range(1, 100):
        path = pdf.with_name(pdf.stem + ("" if attempt == 1 else f"-{attempt}") + ".eml")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise SaveFailed(
                t("No se pudo escribir el borrador de correo en {p0} ({p1}).", p0=path.parent, p1=exc.strerror)
            ) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return path
    raise SaveFailed(t("Ya hay demasiados borradores con el nombre {p0}.eml.", p0=pdf.stem))


def compose_subject(summary: NoticeSummary) -> str:
    credit = f" - crédito {summary.credito}" if summary.credito else ""
    return f"Aviso de retención de descuentos Infonavit{credit}"


def compose_body(pdf: Path, nss: str, summary: NoticeSummary) -> str:
    """The message to CARE, in Spanish whatever --lang says, under a first paragraph for the sender: attach
    the PDF (named, with the folder it is in) and delete the paragraph. A link travels through the mail
    program's command line, the browser's history and the webmail's logs: it carries no full NSS, so the
    file is named with the NSS masked as everywhere else (the folder that opens beside the message shows it)."""
    shown_name = pdf.name.replace(nss, mask_nss(nss)) if nss else pdf.name
    lines = [
        f"[Antes de enviar: adjunta el PDF del aviso, el archivo {shown_name} de la carpeta {pdf.parent} "
        "(arrástralo a este correo), y borra este párrafo.]",
        "",
        "Hola:",
        "",
        "Les envío adjunto el aviso de retención de descuentos de mi crédito Infonavit para que se inicien los "
        "descuentos correspondientes.",
        "",
    ]
    if summary.credito:
        lines.append(f"Número de crédito: {summary.credito}")
    if summary.nombre:
        lines.append(f"Nombre: {summary.nombre}")
    if nss:
        lines.append(f"NSS: termina en {nss[-4:]} (completo en el aviso adjunto)")
    lines += ["", "Quedo atento(a). Gracias."]
    return "\r\n".join(lines)  # RFC 6068: line breaks in a mailto body are CRLF


def compose_link(via: str, to: str, pdf: Path, nss: str, summary: NoticeSummary) -> str:
    """A new message to `to`, as a `mailto:` link (the system's mail program) or a webmail's compose page.
    Every field is percent-encoded as UTF-8 (RFC 6068), a space as %20: mail programs do not read «+»."""
    subject, body = compose_subject(summary), compose_body(pdf, nss, summary)
    if via == "mailto":
        return f"mailto:{quote(to, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    base, to_field, subject_field, body_field = WEBMAIL_COMPOSE[via]
    fields = ((to_field, to), (subject_field, subject), (body_field, body.replace("\r\n", "\n")))
    joined = "&".join(f"{name}={quote(value, safe='@')}" for name, value in fields)
    return f"{base}{'' if base.endswith('?') else '&'}{joined}"


@dataclass(frozen=True)
class Shown:
    folder: bool = False  # the folder holding the PDF was opened
    mail: bool = False  # a new message to CARE was opened in the mail program or webmail


def show_the_notice(
    settings: Settings,
    pdf: Path,
    draft: Path | None,
    nss: str,
    summary: NoticeSummary,
    say: Callable[[str], None],
) -> Shown:
    """Open what the run was asked to open; say what could not be opened, and what to do instead.

    The folder opens with a new message (to drag the PDF in) and, unasked, where a person is watching on a
    desktop (`settings.show_folder`): that one says nothing when it fails, the path is on the last lines."""
    opener = Opener()
    mail = mail_name = ""
    if settings.compose_to:
        mail_name = WEBMAIL_NAMES.get(settings.compose_with) or t("tu programa de correo")
        mail = t("el correo nuevo en {p0}", p0=mail_name)
        opener.open(compose_link(settings.compose_with, settings.compose_to, pdf, nss, summary), mail)
    if settings.open_files:
        opener.open(pdf, t("el PDF"))
        if draft is not None:
            opener.open(draft, t("el borrador"))
    folder = t("la carpeta del aviso")
    reveal = bool(settings.compose_to) or settings.show_folder
    if reveal:
        opener.reveal(pdf, folder)
    failed = opener.failed()
    if settings.compose_to or settings.open_files:
        by_reason: dict[str, list[str]] = {}
        for what, why in failed.items():
            by_reason.setdefault(why, []).append(what)
        for why, things in by_reason.items():
            say(t("No se pudo abrir {what}: {why}.", what=t(" ni ").join(things), why=why))
    shown = Shown(folder=reveal and folder not in failed, mail=bool(mail) and mail not in failed)
    if shown.mail:
        say(t("Se abrió un correo nuevo para {p0} en {p1}.", p0=settings.compose_to, p1=mail_name))
    elif settings.compose_to:
        say(
            t(
                "Escribe tú el correo: para {to}, con el asunto «{subject}», y adjunta el PDF.",
                to=settings.compose_to,
                subject=compose_subject(summary),
            )
        )
    if shown.folder:
        say(t("Se abrió la carpeta del aviso."))
    return shown
