"""The portal opened on its login page, or the reason it could not be."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infonavit_fetch.errors import PortalChanged, PortalUnavailable, network_reason, unavailable
from infonavit_fetch.i18n import t
from infonavit_fetch.site import portal
from infonavit_fetch.site.portal import Label, LoginPage

if TYPE_CHECKING:
    from infonavit_fetch.browser.session import Run


def open_portal(run: Run) -> None:
    """The portal's address opened and its login box found; a portal that cannot be reached, answers with
    an error or shows no login box ends the run."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    run.console.step(t("Abriendo el portal Mi Cuenta Infonavit…"))
    try:
        response = run.page.goto(run.settings.portal_url, wait_until="domcontentloaded")
    except PlaywrightTimeout:
        raise PortalUnavailable(
            t("El portal no respondió en {p0:.0f} segundos.", p0=run.settings.timeout),
            hint=t("Revisa tu conexión a internet e intenta más tarde (o usa un --timeout mayor)."),
        ) from None
    except PlaywrightError as exc:
        if "net::ERR_" not in str(exc):
            raise
        raise PortalUnavailable(
            t("No se pudo conectar con el portal: {reason}.", reason=network_reason(str(exc))),
            hint=t("Revisa tu conexión a internet y que la dirección del portal sea correcta; luego intenta de nuevo."),
        ) from None
    status = response.status if response else 0
    outcome = portal.classify_status(status)
    if outcome:
        raise unavailable(outcome, status)
    login = LoginPage(run.page)
    try:
        found = run.wait_for_any({"login": login.any_box.first, "problem": portal.problem_marker(run.page)})
    except PlaywrightTimeout:
        raise PortalChanged(
            t("No se encontró en el portal el campo «{p0}» para iniciar sesión.", p0=Label.NSS),
            hint=t(
                "Puede que el portal haya cambiado o esté muy lento. Intenta con un --timeout mayor; si se "
                "repite, usa --debug-dir y comparte la carpeta."
            ),
        ) from None
    if found == "problem":
        raise run.problem()
