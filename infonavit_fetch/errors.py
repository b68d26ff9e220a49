"""Every failure a user can meet: one exception each, carrying its exit code and a Spanish message.

The message says what happened and what to do next. Exit codes are a public contract (README, --help).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from infonavit_fetch.i18n import t
from infonavit_fetch.site.portal import Outcome

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
    10: "el PDF no es tu aviso: se guardó como NO-ES-EL-AVISO-….pdf o NO-ES-TU-AVISO-….pdf para que lo revises",
    129: "se cerró la terminal (SIGHUP); nada quedó a medias",
    130: "cancelado (Ctrl-C o se cerró la ventana del navegador)",
    143: "el sistema pidió terminar (SIGTERM); nada quedó a medias",
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


class OptionErrors(BadInput):
    """Several problems with the input, found together and said together (each with its own hint)."""

    def __init__(self, errors: list[BadInput]) -> None:
        super().__init__(errors[0].message, hint=errors[0].hint)
        self.errors = errors
        self.show_traceback = False  # --traceback was given with them


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


class NotTheNotice(FetchError):
    exit_code = 10


class Cancelled(FetchError):
    exit_code = 130


class HungUp(Cancelled):
    exit_code = 129


class Terminated(Cancelled):
    exit_code = 143


def browser_closed() -> Cancelled:
    from infonavit_fetch.i18n import t

    return Cancelled(
        t("Se cerró la ventana del navegador antes de terminar."),
        hint=t("Vuelve a ejecutar el comando y deja la ventana abierta hasta que termine."),
    )


def exit_codes_help(width: int = 76) -> str:
    """The exit codes, one a line, wrapped between words under a hanging indent (the help's epilog)."""
    return "\n".join(
        textwrap.fill(
            t(meaning),
            width,
            initial_indent=f"{code:>3}  ",
            subsequent_indent=" " * 5,
            break_long_words=False,
            break_on_hyphens=False,
        )
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


# --- failures met in more than one step --------------------------------------------------------------


class SessionExpired(PortalUnavailable):
    def __init__(self) -> None:
        super().__init__(
            t("La sesión del portal expiró a mitad del trámite y no hubo nadie para volver a iniciarla."),
            hint=t("Vuelve a ejecutar el comando y escribe el código cuando te lo pida."),
        )


class ForeignHost(PortalChanged):
    pass


def unavailable(outcome: Outcome, status: int) -> PortalUnavailable:
    if outcome is Outcome.MAINTENANCE:
        return PortalUnavailable(
            t("El portal Mi Cuenta Infonavit está en mantenimiento."),
            hint=t("Intenta más tarde; el mantenimiento suele durar unas horas."),
        )
    if outcome is Outcome.ACCESS_DENIED:
        return PortalUnavailable(
            t("El portal negó el acceso («Access Denied»): su filtro de seguridad bloqueó la conexión."),
            hint=t(
                "Espera unos minutos e intenta de nuevo. Si usas VPN o una red de oficina, prueba sin ella o desde "
                "otra red."
            ),
        )
    code = f" (HTTP {status})" if status >= 400 else ""  # a page of the portal that says so itself: no code
    return PortalUnavailable(
        t("El portal respondió con un error del servidor{code}.", code=code),
        hint=t("Es una falla del portal, no de tus datos. Intenta de nuevo más tarde."),
    )


def foreign_host_error(url: str) -> ForeignHost:
    host = urlsplit(url).hostname or url
    return ForeignHost(
        t(
            "El portal intentó llevar el navegador a «{host}», que no es un sitio del Infonavit; por seguridad "
            "se detuvo la descarga.",
            host=host,
        ),
        hint=t(
            "Revisa la dirección del portal (--portal-url). Si no la cambiaste, intenta más tarde y no escribas "
            "tus datos en ese sitio."
        ),
    )


def connection_lost(failure: str = "") -> PortalUnavailable:
    code = failure.split()[0] if failure else ""
    detail = f" ({code})" if code else ""
    return PortalUnavailable(
        t("Se perdió la conexión con el portal a mitad del trámite{detail}.", detail=detail),
        hint=t("Revisa tu conexión a internet y vuelve a ejecutar el comando."),
    )


def network_reason(failure: str) -> str:
    """Why a page could not be reached, as a short Spanish sentence, from Playwright's (English) error such
    as "Page.goto: net::ERR_NAME_NOT_RESOLVED at https://…". Prefixes cover families (ERR_CERT_…)."""
    not_found = t("no se encontró el sitio: no hay internet o la dirección está mal escrita")
    late = t("el sitio no contestó a tiempo")
    cut = t("se cortó la conexión")
    proxy = t("falló el proxy de esta red")
    reasons = (
        ("ERR_INTERNET_DISCONNECTED", t("no hay conexión a internet")),
        ("ERR_NAME_NOT_RESOLVED", not_found),
        ("ERR_NAME_RESOLUTION_FAILED", not_found),
        ("ERR_ADDRESS_UNREACHABLE", t("no se llega al sitio desde esta red")),
        ("ERR_NETWORK_CHANGED", t("la red cambió a mitad de la conexión")),
        ("ERR_CONNECTION_REFUSED", t("el sitio rechazó la conexión (nada contesta en esa dirección)")),
        ("ERR_CONNECTION_TIMED_OUT", late),
        ("ERR_TIMED_OUT", late),
        ("ERR_CONNECTION_RESET", cut),
        ("ERR_CONNECTION_CLOSED", cut),
        ("ERR_EMPTY_RESPONSE", t("el sitio cerró la conexión sin contestar")),
        ("ERR_PROXY", proxy),
        ("ERR_TUNNEL_CONNECTION_FAILED", proxy),
        ("ERR_CERT_", t("falló la conexión segura: el certificado del sitio no es válido")),
        ("ERR_SSL_", t("falló la conexión segura")),
        ("ERR_BLOCKED", t("algo en esta computadora bloqueó la conexión")),
        ("ERR_UNSAFE_PORT", t("el navegador no se conecta a ese puerto (está restringido)")),
    )
    if "net::" not in failure:
        return late if "Timeout" in failure else t("no se pudo conectar")
    code = failure.split("net::", 1)[1].split()[0]
    return next((reason for prefix, reason in reasons if code.startswith(prefix)), t("no se pudo conectar"))
