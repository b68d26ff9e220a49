"""What the portal's answer to a login means, and the failure the person reads when it lets nobody in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infonavit_fetch.errors import (
    AccountNeedsAttention,
    CaptchaNotSolved,
    CredentialsRejected,
    FetchError,
    PortalChanged,
    SessionExpired,
)
from infonavit_fetch.i18n import t
from infonavit_fetch.site import portal
from infonavit_fetch.site.portal import Label, Outcome

if TYPE_CHECKING:
    from infonavit_fetch.browser.session import Run


def meaning(texts: list[str]) -> tuple[Outcome, str] | None:
    """What the portal's answer means, from the texts of it that mean something (and those texts); None
    when none does (a clock, a help text, a greeting)."""
    known = [text for text in texts if portal.classify_message(text) is not Outcome.UNKNOWN]
    return (portal.classify_answer(known), " ".join(known)) if known else None


def refusal(run: Run, outcome: Outcome, said: str) -> FetchError:
    """The failure a login ends with when the portal did not let the person in; `said` is quoted."""
    quote = t(" El portal dijo: «{said}».", said=said) if said else ""
    if outcome is Outcome.BAD_CREDENTIALS:
        return CredentialsRejected(
            t("El portal rechazó el NSS o la contraseña.") + quote,
            hint=t(
                "Revisa tu contraseña entrando tú al portal. infonavit-fetch solo intenta una vez por ejecución "
                "para no bloquear tu cuenta."
            ),
        )
    if outcome is Outcome.AMBIGUOUS:
        return CredentialsRejected(
            t("El portal rechazó el inicio de sesión y no dice si fue el código o la contraseña.") + quote,
            hint=t(
                "Para no bloquear tu cuenta no se volvió a enviar la contraseña. Revisa tus datos entrando tú al "
                "portal y vuelve a ejecutar el comando."
            ),
        )
    if outcome is Outcome.BLOCKED:
        return AccountNeedsAttention(
            t("El portal dice que tu cuenta está bloqueada."),
            hint=t(
                "Desbloquéala desde el portal («¿Olvidaste tu contraseña?») o llamando a Infonavitel "
                "(800 008 3900) y vuelve a intentarlo."
            ),
        )
    if outcome is Outcome.PASSWORD_CHANGE:
        return AccountNeedsAttention(
            t("El portal pide que cambies tu contraseña antes de continuar."),
            hint=t("Entra tú al portal, cambia la contraseña y vuelve a ejecutar el comando con la nueva."),
        )
    if outcome is Outcome.SESSION_EXPIRED:
        return SessionExpired()
    if outcome is Outcome.UNKNOWN:
        # It may have been the password: sending it again could lock the account, so stop here.
        shown = t(" y mostró: «{message}»", message=said) if said else ""
        return PortalChanged(
            t("El portal no aceptó el inicio de sesión{said}.", said=shown),
            hint=t(
                "No se reconoce ese mensaje, así que no se volvió a enviar la contraseña para no bloquear tu "
                "cuenta. Revisa tus datos entrando tú al portal y vuelve a intentarlo."
            ),
        )
    return run.problem()


def cannot_log_in(form: dict[str, Any]) -> FetchError:
    """A login page the tool cannot fill, in a hidden browser: an exit that names what the portal asks for."""
    asked = ", ".join(w for w in form.get("words", []) if w) or t("algo que no se reconoce")
    return PortalChanged(
        t("La página de inicio de sesión pide algo que no se sabe llenar ({asked}).", asked=asked[:120]),
        hint=t(
            "Ejecuta el comando sin --headless y termina tú el inicio de sesión en la ventana; si se repite, "
            "usa --debug-dir y comparte la carpeta."
        ),
    )


def no_answer(run: Run) -> FetchError:
    """No answer came in time: the person did not type the code in the window, the portal failed, or it
    answered in a way not understood."""
    if not run.solver.submits:
        return CaptchaNotSolved(
            t("Se agotó el tiempo para escribir el código en el navegador."),
            hint=t("Vuelve a ejecutar el comando cuando puedas escribirlo (o usa --captcha-timeout)."),
        )
    if run.last_status >= 400:
        return run.problem()
    return PortalChanged(
        t("Después de pulsar «{p0}» el portal no mostró ni el menú ni un mensaje conocido.", p0=Label.LOGIN),
        hint=t("Puede que el portal haya cambiado. Usa --debug-dir y comparte la carpeta."),
    )
