"""Everything the tool knows about Mi Cuenta Infonavit: addresses, visible labels, messages, page objects.

When the real portal differs from what is written here, this is the one file to edit. Only the wording
in the employees' manual is confirmed; the rest is what a person would look for. Elements are found by
role and visible text (see `text.label_pattern`), never by generated ids or classes.
"""

from __future__ import annotations

import enum
import functools
import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .text import any_pattern, fold, label_pattern

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

DEFAULT_PORTAL_URL = "https://micuenta.infonavit.org.mx/"
PORTAL_DOMAIN = "infonavit.org.mx"

# --- Labels, as the manual writes them --------------------------------------------------------------


class Label:
    NSS = "Número de Seguridad Social (NSS)"
    NSS_SHORT = "NSS"
    PASSWORD = "Contraseña"
    CAPTCHA = "Introduce el código"
    LOGIN = "Iniciar sesión"
    MENU_CREDIT = "Tramitar mi crédito"
    REQUEST_STATUS = "¿En qué va mi solicitud de crédito?"
    MI_ESPACIO = "Mi Espacio Infonavit"
    STAGE_FORMALIZA = "Formaliza tu crédito"
    INDICACIONES = "Indicaciones"
    PRINT = "Imprime los documentos"


# Buttons that close the notice shown over the login page on load.
MODAL_CLOSE_LABELS = ("Cerrar", "Aceptar", "Entendido", "Continuar", "Close", "×", "X")

# What marks the current stage in Mi Espacio, besides aria-current.
CURRENT_STAGE_MARKERS = ("Etapa actual", "Paso actual", "En proceso", "En curso", "Estás aquí")

NOTICE_TITLE = "AVISO PARA RETENCIÓN DE DESCUENTOS"

# --- Messages the portal shows, grouped by what they mean --------------------------------------------


class Outcome(enum.Enum):
    LOGGED_IN = "logged-in"
    WRONG_CAPTCHA = "wrong-captcha"
    BAD_CREDENTIALS = "bad-credentials"
    BLOCKED = "blocked"
    PASSWORD_CHANGE = "password-change"
    MISSING_INPUT = "missing-input"
    SESSION_EXPIRED = "session-expired"
    MAINTENANCE = "maintenance"
    ACCESS_DENIED = "access-denied"
    SERVER_ERROR = "server-error"
    FOREIGN_HOST = "foreign-host"
    UNKNOWN = "unknown"


MESSAGES: dict[Outcome, tuple[str, ...]] = {
    Outcome.WRONG_CAPTCHA: (
        "código de verificación es incorrecto",
        "código es incorrecto",
        "código incorrecto",
        "código no coincide",
        "captcha incorrecto",
        "captcha inválido",
    ),
    Outcome.BAD_CREDENTIALS: (
        "NSS o la contraseña son incorrectos",
        "usuario o contraseña incorrectos",
        "contraseña incorrecta",
        "contraseña es incorrecta",
        "datos incorrectos",
        "NSS no está registrado",
    ),
    Outcome.BLOCKED: ("cuenta está bloqueada", "cuenta bloqueada", "cuenta ha sido bloqueada"),
    Outcome.MISSING_INPUT: (
        "Ingresa tu NSS, tu contraseña y el código",
        "Ingresa el código",
        "Captura el código",
        "campos obligatorios",
        "completa los campos",
    ),
    Outcome.PASSWORD_CHANGE: (
        "cambies tu contraseña",
        "cambiar tu contraseña",
        "actualiza tu contraseña",
        "contraseña ha expirado",
        "contraseña ha caducado",
    ),
    Outcome.SESSION_EXPIRED: ("sesión ha expirado", "sesión expiró", "sesión ha caducado", "sesión ha finalizado"),
    Outcome.MAINTENANCE: ("en mantenimiento", "mantenimiento programado", "estamos realizando mejoras"),
    Outcome.ACCESS_DENIED: ("Access Denied", "Acceso denegado"),
    Outcome.SERVER_ERROR: (
        "Error inesperado",
        "Internal Server Error",
        "Service Unavailable",
        "Bad Gateway",
        "Gateway Time-out",
        "Servicio no disponible",
    ),
}

# Order matters when a page says two things: the most specific first.
_CLASSIFY_ORDER = (
    Outcome.ACCESS_DENIED,
    Outcome.MAINTENANCE,
    Outcome.BLOCKED,
    Outcome.PASSWORD_CHANGE,
    Outcome.WRONG_CAPTCHA,
    Outcome.BAD_CREDENTIALS,
    Outcome.MISSING_INPUT,
    Outcome.SESSION_EXPIRED,
    Outcome.SERVER_ERROR,
)

# The page the tool shows in place of a host outside the portal; its marker is matched like any message.
FOREIGN_HOST_MARKER = "infonavit-fetch detuvo la navegación"


def classify_message(text: str) -> Outcome:
    """What a message on the portal means (pure: unit-tested)."""
    folded = fold(text)
    if fold(FOREIGN_HOST_MARKER) in folded:
        return Outcome.FOREIGN_HOST
    for outcome in _CLASSIFY_ORDER:
        if any(fold(phrase) in folded for phrase in MESSAGES[outcome]):
            return outcome
    return Outcome.UNKNOWN


# Answers after which sending the form again is safe: the portal had not looked at the password yet.
RETRYABLE = (Outcome.WRONG_CAPTCHA, Outcome.MISSING_INPUT)


def classify_answer(messages: list[str]) -> Outcome:
    """What the portal's messages after a login mean, safety first (pure: unit-tested).

    A retry is only allowed when every message asks for it; anything else (an unknown message, a
    rejected password) wins, so that the password is never sent twice on a misreading.
    """
    outcomes = [classify_message(message) for message in messages]
    if not outcomes:
        return Outcome.UNKNOWN
    stops = [outcome for outcome in outcomes if outcome not in RETRYABLE]
    return stops[0] if stops else outcomes[0]


def classify_status(status: int) -> Outcome | None:
    if status == 403:
        return Outcome.ACCESS_DENIED
    if status == 503:
        return Outcome.MAINTENANCE
    if status >= 500:
        return Outcome.SERVER_ERROR
    return None


def _phrases(*outcomes: Outcome) -> tuple[str, ...]:
    return tuple(phrase for outcome in outcomes for phrase in MESSAGES[outcome])


# Compiled on first use: they are large, and --help should not pay for them.
@functools.cache
def login_messages_rx() -> re.Pattern[str]:
    return any_pattern(
        _phrases(
            Outcome.WRONG_CAPTCHA,
            Outcome.BAD_CREDENTIALS,
            Outcome.BLOCKED,
            Outcome.PASSWORD_CHANGE,
            Outcome.MISSING_INPUT,
        )
    )


@functools.cache
def problem_rx() -> re.Pattern[str]:
    return any_pattern(
        (*_phrases(Outcome.MAINTENANCE, Outcome.ACCESS_DENIED, Outcome.SERVER_ERROR), FOREIGN_HOST_MARKER)
    )


@functools.cache
def session_expired_rx() -> re.Pattern[str]:
    return any_pattern(MESSAGES[Outcome.SESSION_EXPIRED])


# --- Where the browser may go -----------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def portal_host_allowed(url: str, portal_url: str) -> bool:
    """True for the portal's own hosts: *.infonavit.org.mx over https, or the loopback host the portal URL names."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return True  # about:, blob:, data:, chrome-extension: (the PDF viewer) stay in the browser
    host = (parts.hostname or "").lower()
    if host == PORTAL_DOMAIN or host.endswith("." + PORTAL_DOMAIN):
        return parts.scheme == "https"  # over plain http anyone on the way could read or change the page
    portal = urlsplit(portal_url)
    return is_loopback(host) and host == (portal.hostname or "").lower() and parts.port == portal.port


def is_portal_origin(url: str, portal_url: str) -> bool:
    """An http(s) URL on one of the portal's hosts (the ones whose responses may carry the PDF)."""
    return url.startswith(("http://", "https://")) and portal_host_allowed(url, portal_url)


def foreign_host_page(url: str) -> str:
    host = urlsplit(url).hostname or url
    return (
        "<!doctype html><html lang='es'><meta charset='utf-8'><title>Sitio externo bloqueado</title>"
        "<body style='font-family:sans-serif;margin:40px'>"
        f"<h1>{FOREIGN_HOST_MARKER.capitalize()}</h1>"
        f"<p>El portal intentó llevar el navegador a <b>{host}</b>, que no es un sitio del Infonavit.</p>"
        "</body></html>"
    )


# --- Page objects -----------------------------------------------------------------------------------


def clickable(page: Page, label: str, *, exact: bool = True) -> Locator:
    """Something a person would click that reads `label`: a link, a button, a menu item or a tab."""
    name = label_pattern(label, exact=exact)
    found = page.get_by_role("link", name=name)
    for role in ("button", "menuitem", "tab"):
        found = found.or_(page.get_by_role(role, name=name))
    return found.filter(visible=True).first


def field(page: Page, label: str) -> Locator:
    """A text box known by its label, its placeholder, or else the first box after the label's text
    (portals that write the label as a plain text next to the box)."""
    pattern = label_pattern(label)
    after_text = page.get_by_text(pattern).locator(
        "xpath=following::input[not(@type='hidden') and not(@type='checkbox') and not(@type='radio')][1]"
    )
    return (
        page.get_by_label(pattern)
        .or_(page.get_by_placeholder(pattern))
        .filter(visible=True)
        .first.or_(after_text.filter(visible=True).first)
        .first
    )


def text(page: Page, phrase: str, *, exact: bool = False) -> Locator:
    return page.get_by_text(label_pattern(phrase, exact=exact)).filter(visible=True).first


@dataclass
class LoginPage:
    page: Page

    @property
    def nss(self) -> Locator:
        return field(self.page, Label.NSS).or_(field(self.page, Label.NSS_SHORT)).first

    @property
    def password(self) -> Locator:
        return (
            self.page.locator("input[type=password]")
            .filter(visible=True)
            .first.or_(field(self.page, Label.PASSWORD))
            .first
        )

    @property
    def captcha_field(self) -> Locator:
        return field(self.page, Label.CAPTCHA)

    @property
    def captcha_image(self) -> Locator:
        # The image sits next to "Introduce el código"; its alt text varies, so take the image of the
        # form that holds the captcha field.
        return self.page.locator("form", has=self.captcha_field).get_by_role("img").filter(visible=True).first

    @property
    def submit(self) -> Locator:
        return clickable(self.page, Label.LOGIN)

    @property
    def all_messages(self) -> Locator:
        """Every text on the page that reads like an answer to a login."""
        return self.page.get_by_text(login_messages_rx()).or_(self.page.get_by_text(session_expired_rx()))

    @property
    def messages(self) -> Locator:
        """A message about the login that was not on the page before the last submission."""
        return self.all_messages.and_(self.page.locator(":not([data-infonavit-fetch-seen])")).filter(visible=True)

    def message_texts(self) -> list[str]:
        return [text.strip() for text in self.messages.all_inner_texts() if text.strip()]

    def mark_messages_seen(self) -> None:
        """Mark the messages now on the page, so that only a new one counts as the answer to a submit."""
        self.all_messages.evaluate_all("els => els.forEach(e => e.setAttribute('data-infonavit-fetch-seen', ''))")

    def standing_texts(self) -> set[str]:
        """Texts that read like messages but stand on the login page before anything is sent (help
        texts such as "si el código es incorrecto…"): they are never taken as the portal's answer."""
        return {text.strip() for text in self.all_messages.all_inner_texts() if text.strip()}

    def modal_close_button(self) -> Locator:
        dialog = (
            self.page.get_by_role("dialog")
            .or_(self.page.get_by_role("alertdialog"))
            .or_(self.page.locator("[aria-modal=true]"))
        )
        pattern = re.compile("|".join(label_pattern(label).pattern for label in MODAL_CLOSE_LABELS), re.IGNORECASE)
        return dialog.filter(visible=True).get_by_role("button", name=pattern).first


def logged_in_marker(page: Page) -> Locator:
    return clickable(page, Label.MENU_CREDIT)


def problem_marker(page: Page) -> Locator:
    """A heading that says the portal cannot serve: maintenance, Access Denied, a server error.

    Only headings: a normal page may mention "mantenimiento" in a footer or a notice, and must not
    stop the run. Error pages without such a heading are caught by their HTTP status instead.
    """
    return page.get_by_role("heading", name=problem_rx()).filter(visible=True).first


@dataclass
class MiEspacio:
    page: Page

    @property
    def print_button(self) -> Locator:
        return clickable(self.page, Label.PRINT, exact=False)

    @property
    def indicaciones(self) -> Locator:
        return clickable(self.page, Label.INDICACIONES, exact=False)

    @property
    def formaliza(self) -> Locator:
        return text(self.page, Label.STAGE_FORMALIZA)

    @property
    def loaded(self) -> Locator:
        """Mi Espacio has shown its stages (or what a stage offers)."""
        return self.print_button.or_(self.indicaciones).or_(self.formaliza).first

    def current_stage(self) -> str | None:
        """The stage the portal marks as current, read from the page (None if it does not say)."""
        current = self.page.locator("[aria-current]:not([aria-current=false])").filter(visible=True)
        if current.count():
            return _strip_markers(current.first.inner_text())
        marker_rx = any_pattern(CURRENT_STAGE_MARKERS)
        holder = self.page.locator("li, [role=listitem], [role=tab]").filter(has_text=marker_rx)
        if holder.count():
            return _strip_markers(holder.first.inner_text())
        return None


def _strip_markers(stage_text: str) -> str:
    lines = [line.strip() for line in stage_text.splitlines() if line.strip()]
    kept = [line for line in lines if not any(fold(m) == fold(line) for m in CURRENT_STAGE_MARKERS)]
    return " ".join(kept or lines)


def is_formaliza(stage: str) -> bool:
    return fold(Label.STAGE_FORMALIZA) in fold(stage)
