"""The next step, ready: an e-mail draft with the notice attached, and opening files for the employee."""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from .errors import SaveFailed
from .i18n import t
from .notice import NoticeSummary
from .settings import CARE_ADDRESS

__all__ = ["CARE_ADDRESS", "draft_message", "write_draft"]


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
