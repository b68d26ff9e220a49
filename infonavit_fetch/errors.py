"""Every failure a user can meet: one exception each, carrying its exit code and a Spanish message.

The message says what happened and what to do next. Exit codes are a public contract (README, --help).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import ClassVar

from .i18n import t

EXIT_CODES: dict[int, str] = {
    0: "aviso guardado",
    1: "error inesperado",
    2: "datos de entrada inválidos (opciones, NSS, faltan credenciales sin terminal)",
    3: "el portal rechazó el NSS o la contraseña",
    4: "no se resolvió el código (captcha): tres códigos incorrectos o se agotó el tiempo",
    5: "la cuenta requiere atención en el portal (bloqueada, cambio de contraseña)",
    6: "portal no disponible (mantenimiento, Access Denied, error del servidor, sin conexión, tiempo agotado)",
    7: "el aviso aún no está disponible (el crédito no está en «Formaliza tu crédito»)",
    8: "el portal no se veía como se esperaba (falta un paso o una etiqueta)",
    9: "no se pudo guardar el PDF",
    130: "cancelado (Ctrl-C o se cerró la ventana del navegador)",
}


class FetchError(Exception):
    """A failure with a message for the employee. Subclasses fix the exit code."""

    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.report: Path | None = None  # the --debug-dir folder written for this failure

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class UnexpectedError(FetchError):
    exit_code = 1


class BadInput(FetchError):
    exit_code = 2


class CredentialsRejected(FetchError):
    exit_code = 3


class CaptchaNotSolved(FetchError):
    exit_code = 4


class AccountNeedsAttention(FetchError):
    exit_code = 5


class PortalUnavailable(FetchError):
    exit_code = 6


class NoticeNotReady(FetchError):
    exit_code = 7


class PortalChanged(FetchError):
    exit_code = 8


class SaveFailed(FetchError):
    exit_code = 9


class Cancelled(FetchError):
    exit_code = 130


def exit_codes_help(width: int = 76) -> str:
    """The exit codes, one a line, wrapped between words under a hanging indent (the help's epilog)."""
    return "\n".join(
        textwrap.fill(t(meaning), width, initial_indent=f"{code:>3}  ", subsequent_indent=" " * 5)
        for code, meaning in EXIT_CODES.items()
    )


def os_reason(exc: OSError) -> str:
    """Why the system refused, as a plain sentence instead of "(Permission denied)"."""
    import errno

    reasons = {
        errno.EEXIST: t("es un archivo, no una carpeta"),
        errno.ENOTDIR: t("una parte de la ruta es un archivo, no una carpeta"),
        errno.EACCES: t("no tienes permiso de escribir ahí"),
        errno.EPERM: t("no tienes permiso de escribir ahí"),
        errno.EROFS: t("está en un disco de solo lectura"),
        errno.ENOSPC: t("el disco está lleno"),
        errno.ENAMETOOLONG: t("la ruta es demasiado larga"),
    }
    return reasons.get(exc.errno or 0, exc.strerror or exc.__class__.__name__)
