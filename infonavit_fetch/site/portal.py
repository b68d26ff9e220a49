"""Everything the tool knows about Mi Cuenta Infonavit: addresses, visible labels, messages, page objects.

When the real portal differs from what is written here, this is the one file to edit. Only the wording
in the employees' manual is confirmed; the rest is what a person would look for. Elements are found by
role and visible text (see `text.label_pattern`), never by generated ids or classes.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from infonavit_fetch.site.text import any_pattern, fold, label_pattern, phrase_source

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
    # The route for a credit past "Formaliza tu crédito" (public guides, not the manual).
    MI_CREDITO = "Mi crédito"
    NOTICES = "Avisos de suspensión, retención y modificación de descuentos"
    RETENTION = "retención"


# The manual's route, in order. The walk acts on the furthest of these in sight at each look.
WAYPOINTS: tuple[str, ...] = (
    Label.MENU_CREDIT,
    Label.REQUEST_STATUS,
    Label.MI_ESPACIO,
    Label.STAGE_FORMALIZA,
    Label.INDICACIONES,
    Label.PRINT,
)
STAGE_WAYPOINT = WAYPOINTS.index(Label.STAGE_FORMALIZA)
MENU_STEPS = WAYPOINTS.index(Label.MI_ESPACIO)  # the steps found in the portal's menus
PRINT_WAYPOINT = WAYPOINTS.index(Label.PRINT)


@dataclass(frozen=True)
class Route:
    """A way to the notice: its waypoints in order; the last one is the click that brings the PDF."""

    name: str
    waypoints: tuple[str, ...]
    exact: tuple[str, ...] = ()  # waypoints whose element must say just that ("Mi crédito", not "Tramitar mi crédito")
    row: bool = False  # the last waypoint names a row of a list: the click is on that row's download control


# Words that do not tell one step from another: articles, possessives, «Ir a …».
STOPWORDS = (
    "el",
    "la",
    "los",
    "las",
    "lo",
    "tu",
    "tus",
    "mi",
    "mis",
    "su",
    "sus",
    "de",
    "del",
    "a",
    "al",
    "ir",
    "y",
    "o",
)
# Words of a waypoint a portal may leave out («En qué va mi solicitud» for the manual's «¿En qué va mi
# solicitud de crédito?»).
OPTIONAL_WORDS: dict[str, tuple[str, ...]] = {Label.REQUEST_STATUS: ("credito",)}


def stem(word: str) -> str:
    """The part of a folded word that stays when it changes form (imprime/imprimir, documento/documentos,
    formaliza/formalización); short words stay whole."""
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def waypoint_forms(label: str) -> list[list[tuple[str, int]]]:
    """The words a label must show, in any order (pure: unit-tested): each as its stem and the longest a
    form of it may be (a plural, another person of the verb: «imprimir», not «formalizando»); the whole
    label, and the label without the words a portal may leave out."""
    words = [w for w in re.split(r"[^a-z0-9]+", fold(label)) if w and w not in STOPWORDS]
    forms = [[(stem(w), len(w) + 2) for w in words]]
    optional = OPTIONAL_WORDS.get(label, ())
    if optional:
        forms.append([(stem(w), len(w) + 2) for w in words if w not in optional])
    return forms


FORMALIZA = Route("formaliza", WAYPOINTS)
# An active credit (or one past Formaliza): "Mi crédito" → the notices page → the retention notice's row.
MI_CREDITO = Route(
    "mi-credito", (Label.MI_CREDITO, Label.NOTICES, Label.RETENTION), exact=(Label.MI_CREDITO,), row=True
)
ROUTES = {route.name: route for route in (FORMALIZA, MI_CREDITO)}
# After «Imprime los documentos» a page that lists several documents: the notice's own row, and its control.
FORMALIZA_LIST = Route("formaliza", (*WAYPOINTS, Label.RETENTION), row=True)
# The other notices on that page: never taken for the retention one.
OTHER_NOTICES = ("suspension", "suspensión", "modificacion", "modificación")
# The controls that download a row's document (an icon-only button counts too).
DOWNLOAD_LABELS = (
    "descargar",
    "descarga",
    "imprimir",
    "imprime",
    "ver pdf",
    "pdf",
    "ver aviso",
    "ver",
    "obtener",
    "consultar",
)
# The controls that lead back to the portal's home, where its menu is.
HOME_LABELS = (
    "inicio",
    "ir al inicio",
    "volver al inicio",
    "regresar al inicio",
    "regresar a mi cuenta",
    "volver a mi cuenta",
    "ir a mi cuenta",
    "pagina principal",
)
# An element whose text is longer than this is a paragraph that mentions a waypoint, not a control.
MAX_CONTROL_TEXT = 160
# Words in sight count as reached only on an element that says little else (not a paragraph about them).
MAX_SEEN_EXTRA = 40
# A label may carry a few words besides a waypoint's («Ir a …», «(PDF)», «Etapa en curso»); more make a sentence.
MAX_EXTRA_WORDS = 3

# Controls that take something out of the way, best first: close, decline or postpone, acknowledge.
DISMISS_LABELS: tuple[tuple[str, ...], ...] = (
    ("cerrar", "×", "✕", "✖", "x", "close", "cerrar aviso", "cerrar ventana", "cerrar chat"),
    (
        "ahora no",
        "no, gracias",
        "no gracias",
        "no, por ahora",
        "omitir",
        "omitir por ahora",
        "saltar",
        "mas tarde",
        "quizas mas tarde",
        "recordar mas tarde",
        "recordarme mas tarde",
        "recordarme despues",
        "en otro momento",
        "despues",
        "cancelar",
        "rechazar",
        "rechazar todo",
        "no volver a mostrar",
        "no mostrar de nuevo",
    ),
    ("aceptar", "acepto", "aceptar todo", "entendido", "enterado", "de acuerdo", "ok", "listo", "continuar"),
)
# The words beside the box a notice wants ticked before its «Acepto» lets the person on (having read a
# notice; never consent to anything else).
ACKNOWLEDGE_LABELS = ("he leido", "lei y acepto", "acepto el aviso de privacidad", "enterado del aviso")
# Controls that lead somewhere else (an answer, a setting, an update, a campaign): never clicked to pass.
LEADS_ELSEWHERE = (
    "cerrar sesion",
    "salir",
    "responder",
    "contestar",
    "encuesta",
    "configurar",
    "personalizar",
    "preferencias",
    "actualizar",
    "actualiza ",
    "conoce mas",
    "ver mas",
    "saber mas",
    "mas informacion",
    "leer mas",
    "iniciar chat",
    "chatear",
    "llamar",
    "descargar app",
    "registrar",
    "solicitar",
)
# Controls that put off a page that asks for something else first (update your data, a campaign).
PASS_LABELS = (
    "recordar mas tarde",
    "recordarme mas tarde",
    "recordarme despues",
    "omitir",
    "omitir por ahora",
    "ahora no",
    "mas tarde",
    "en otro momento",
    "no, gracias",
    "no gracias",
    "saltar",
    "despues",
    "continuar",
    "continuar a mi cuenta",
    "continuar al portal",
    "ir a mi cuenta",
    "ir al portal",
    "ir al inicio",
    "enterado",
    "entendido",
    "de acuerdo",
)
# A short control whose label says "later" puts off what asks for something, whatever its verb
# ("Confirmar después", "Actualizar más tarde", "Recuérdamelo luego"); ranked with the declines above.
LATER_WORDS = ("despues", "mas tarde", "luego", "en otro momento", "ahora no", "por ahora", "sin cambiar")
MAX_LATER_LABEL = 30
LATER_RANK = next(rank for rank, labels in enumerate(DISMISS_LABELS) if "mas tarde" in labels)
# Words that only a logged-in page shows (a single-page app changes no document, and its menu may show
# only icons): read in texts the login page did not show, on a page without a password box.
LOGGED_IN_SIGNS = ("cerrar sesion", "salir de mi cuenta", "ultimo acceso", "bienvenid")
# What a page that came instead of the PDF says while the portal still prepares it (a report server's
# small window «Generando documento, espere por favor…» that asks now and then, then moves to the PDF).
WORKING_WORDS = ("generando", "espere", "procesando", "preparando", "cargando", "un momento")
# Controls that open a collapsed menu (a "hamburger").
MENU_OPENERS = ("menu", "abrir menu", "mostrar menu", "menu principal", "☰", "navegacion", "toggle navigation")

# Buttons that take a dialog out of the way (the notice over the login page, an "update your e-mail"
# that shows in the middle of a click): the whole of a button's name is one of DISMISS_LABELS.
MODAL_CLOSE_LABELS = tuple(label for labels in DISMISS_LABELS for label in labels)
# A dialog with a label of the route is a step of it (see LoginPage.modal_close_button), never closed as
# something in the way. A label, not a sentence: at most MAX_SEEN_EXTRA characters more than the words
# (for `get_by_text`, which reads the text of the innermost element holding them).
ROUTE_LABELS = re.compile(
    "|".join(
        rf"(?:^(?=[\s\S]{{0,{len(word) + MAX_SEEN_EXTRA}}}$)[\s\S]*?{phrase_source(word)})"
        for word in dict.fromkeys(word for route in ROUTES.values() for word in route.waypoints)
    ),
    re.IGNORECASE,
)

# What a login page's boxes are, by the words around them (regexes on folded words, see text.fold;
# login_form.py reads them). A captcha box has a picture beside it; a one-time code says
# it was sent (SMS, e-mail) or comes as one box per digit.
NSS_WORDS = r"\bnss\b|seguridad social|\busuario\b"
CODE_WORDS = r"\bcodigo\b|captcha|caracteres|\bimagen\b|\bverificacion\b|\bclave dinamica\b|\btoken\b|\bdigito"
ONE_TIME_WORDS = r"enviamos|te llego|sms|mensaje|\bcorreo\b|celular|telefono|un solo uso|dos pasos|\bdigito"
GO_WORDS = (
    "iniciar sesion",
    "ingresar",
    "ingresa",
    "entrar",
    "acceder",
    "continuar",
    "siguiente",
    "validar",
    "verificar",
    "confirmar",
    "enviar",
    "aceptar",
)

# What marks the current stage in Mi Espacio, besides aria-current.
CURRENT_STAGE_MARKERS = (
    "Etapa actual",
    "Tu etapa actual",
    "Paso actual",
    "Actual",
    "En proceso",
    "En progreso",
    "En curso",
    "Estás aquí",
)

NOTICE_TITLE = "AVISO PARA RETENCIÓN DE DESCUENTOS"
# What the notice shown as a web page carries besides its title (FACTS: its fields); at least this many.
NOTICE_PAGE_FIELDS = ("CURP", "RFC", "Registro patronal", "NRP", "Tipo de descuento", "Folio", "Fecha de inicio")
NOTICE_PAGE_MIN_FIELDS = 3

# A page that came instead of the PDF and says the portal failed to make it (folded text).
PORTAL_FAILED = re.compile(
    r"\bno (?:fue|es) posible\b|\bno se pudo\b|\berror\b|\bintenta(?:lo)? (?:de nuevo|mas tarde|nuevamente)\b"
    r"|\bfalla\b|\bno disponible\b"
)
# What a page says of a stage that is over (regexes on folded text): a step under it is not the current one.
FINISHED_STAGE = (r"\bconcluid", r"\bterminad", r"\bfinalizad", r"\bcompletad", r"\bcumplid", r"\betapa cerrada")
# What a page says, in its own words, of a credit already active: the notice is then under «Mi crédito».
CREDIT_ACTIVE = (
    r"\bcredito\b(?: [^ .]+){0,3} (?:ya )?(?:esta|se encuentra) (?:activo|vigente|en ejercicio)",
    r"\bcredito\b(?: [^ .]+){0,3} (?:ya )?(?:fue formalizado|se formalizo|esta formalizado)",
    r"\btu credito activo\b",
)

# --- Messages the portal shows, grouped by what they mean --------------------------------------------


class Outcome(enum.Enum):
    LOGGED_IN = "logged-in"
    WRONG_CAPTCHA = "wrong-captcha"
    BAD_CREDENTIALS = "bad-credentials"
    BLOCKED = "blocked"
    PASSWORD_CHANGE = "password-change"
    NEXT_PAGE = "next-page"  # the login goes on over another page that asks for something else
    ONE_TIME_CODE = "one-time-code"  # the portal asks for a code it sent by SMS or e-mail
    MISSING_INPUT = "missing-input"
    SESSION_EXPIRED = "session-expired"
    MAINTENANCE = "maintenance"
    ACCESS_DENIED = "access-denied"
    SERVER_ERROR = "server-error"
    FOREIGN_HOST = "foreign-host"
    AMBIGUOUS = "ambiguous"  # about the code and the credentials at once
    UNKNOWN = "unknown"


# How the step log (-v, --debug-dir) names each answer: Spanish words, not the code's.
OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.LOGGED_IN: "sesión iniciada",
    Outcome.WRONG_CAPTCHA: "el código de la imagen no coincidió",
    Outcome.BAD_CREDENTIALS: "NSS o contraseña rechazados",
    Outcome.BLOCKED: "cuenta bloqueada",
    Outcome.PASSWORD_CHANGE: "pide cambiar la contraseña",
    Outcome.NEXT_PAGE: "otra página del inicio de sesión",
    Outcome.ONE_TIME_CODE: "pide un código enviado por SMS o correo",
    Outcome.MISSING_INPUT: "falta un dato",
    Outcome.SESSION_EXPIRED: "la sesión expiró",
    Outcome.MAINTENANCE: "portal en mantenimiento",
    Outcome.ACCESS_DENIED: "acceso denegado",
    Outcome.SERVER_ERROR: "error del portal",
    Outcome.FOREIGN_HOST: "otro sitio",
    Outcome.AMBIGUOUS: "mensaje sobre el código y la contraseña a la vez",
    Outcome.UNKNOWN: "mensaje desconocido",
}
STAGE_POSITION_WORDS = {"before": "antes de", "at": "es", "past": "después de"}


# Pages that say the portal cannot serve are known by their phrases: they are few and fixed.
MESSAGES: dict[Outcome, tuple[str, ...]] = {
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

# The answers to a login are read by meaning, not by phrase: what the message is about (the code, the
# credentials, the account, the session) and what it says of it. Regexes on folded text (see text.fold).
ABOUT_CODE = (
    r"\bcodigo",
    r"\bcaptcha",
    r"\brecaptcha",
    r"\bcaracteres",
    r"\bimagen",
    r"\bverificacion",
    r"\bseguridad",
    r"\bletras",
)
ABOUT_CREDENTIALS = (
    r"\bnss\b",
    r"\bcontrasena",
    r"\bpassword",
    r"\busuario",
    r"\bcredenciales",
    r"\bdatos de acceso",
    r"\bclave",
    r"\bcorreo",
)
ABOUT_PASSWORD = (r"\bcontrasena", r"\bpassword", r"\bclave de acceso")
ABOUT_SESSION = (r"\bsesion",)
SAYS_WRONG = (
    r"\bincorrect",
    r"\binvalid",
    r"\bno valid",
    r"\bno es valid",
    r"\bno son valid",
    r"\bno coincid",
    r"\bno concuerda",
    r"\bno corresponde",
    r"\berrone",
    r"\bequivocad",
    r"\bno es correct",
    r"\bno son correct",
    r"\bfallid",
    r"\bfallo\b",
    r"\bno reconoc",
    r"\berror\b",
    r"\bmal escrit",
    r"\bno existe",
    r"\bno esta registrad",
    r"\bno se encontr",
    r"\bno fue posible (validar|verificar)",
    r"\brechaz",
    r"\bnot match",
    r"\bwrong\b",
)
SAYS_BLOCKED = (
    r"\bbloque",
    r"\bsuspendid",
    r"\binhabilitad",
    r"\bdesactivad",
    r"\bdemasiados intentos",
    r"\bexcedi",
    r"\blimite de intentos",
    r"\bnumero maximo de intentos",
)
# What could happen, not what did: "cámbiala para evitar que tu acceso sea bloqueado", "si excedes los
# intentos tu cuenta será bloqueada". The clause from such words to the end of its sentence says nothing
# about the account now.
HYPOTHETICAL = re.compile(
    r"\b(para evitar|evitar que|evita que|para que no|antes de que|si (excedes|superas|rebasas|fallas)|"
    r"podria|podrias|puede ser|pueden ser|sera|serian?|se bloqueara|se suspendera)\b[^.;!?]*"
)
SAYS_EXPIRED = (r"\bexpir", r"\bcaduc", r"\bvencid", r"\bfinaliz", r"\bterminad", r"\bconcluy", r"\binactividad")
SAYS_CHANGE = (r"\bcambi(a|ar|e|es)\b", r"\bactualiza", r"\brenueva", r"\bnueva contrasena", r"\bestablece")
SAYS_MISSING = (
    r"\bingresa\b",
    r"\bcaptura\b",
    r"\bescribe\b",
    r"\bintroduce\b",
    r"\bcompleta\b",
    r"\bobligatori",
    r"\brequerid",
    r"\bvaci",
    r"\bfalta",
)
# The password itself expired or to be changed, not one mentioned in passing («mantén tu correo al día
# para recuperar tu contraseña»): the verb and the word close together.
PASSWORD_ITSELF = re.compile(
    r"\b(?:cambi|actualiz|renuev|establec|nueva)\w*\s+(?:\w+\s+){0,2}(?:contrasena|clave)"
    r"|\b(?:contrasena|clave de acceso)\s+(?:\w+\s+){0,3}(?:expir|caduc|venci)"
)
# Words inside the labels that would read as a subject of their own.
NOT_A_SUBJECT = ("numero de seguridad social", "seguridad social")

# The page the tool shows in place of a host outside the portal; its marker is matched like any message.
FOREIGN_HOST_MARKER = "infonavit-fetch detuvo la navegación"


def _any(patterns: tuple[str, ...], text: str) -> bool:
    return any(re.search(pattern, text) for pattern in patterns)


def classify_message(text: str) -> Outcome:
    """What a message on the portal means, read by meaning (pure: unit-tested).

    Safety first: a message that could be about the password is never read as "wrong code", so that
    the password is never sent twice on a misreading.
    """
    folded = fold(text)
    if fold(FOREIGN_HOST_MARKER) in folded:
        return Outcome.FOREIGN_HOST
    for outcome in (Outcome.ACCESS_DENIED, Outcome.MAINTENANCE):
        if any(fold(phrase) in folded for phrase in MESSAGES[outcome]):
            return outcome
    for label in NOT_A_SUBJECT:
        folded = folded.replace(label, "nss")
    code = _any(ABOUT_CODE, folded)
    credentials = _any(ABOUT_CREDENTIALS, folded)
    password = _any(ABOUT_PASSWORD, folded)
    actual = HYPOTHETICAL.sub(" ", folded)
    if _any(SAYS_BLOCKED, actual) and ("cuenta" in actual or _any(ABOUT_CREDENTIALS, actual) or "acceso" in actual):
        return Outcome.BLOCKED
    if password and PASSWORD_ITSELF.search(folded) and not _any(SAYS_WRONG, folded):
        return Outcome.PASSWORD_CHANGE
    if _any(ABOUT_SESSION, folded) and _any(SAYS_EXPIRED, folded):
        return Outcome.SESSION_EXPIRED
    if _any(SAYS_WRONG, folded):
        if code and credentials:
            return Outcome.AMBIGUOUS
        if code:
            return Outcome.WRONG_CAPTCHA
        if credentials or "datos" in folded:
            return Outcome.BAD_CREDENTIALS
    if _any(SAYS_MISSING, folded) and (code or credentials):
        return Outcome.MISSING_INPUT
    if any(fold(phrase) in folded for phrase in MESSAGES[Outcome.SERVER_ERROR]):
        return Outcome.SERVER_ERROR
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


# Compiled on first use: --help should not pay for it.
@functools.cache
def problem_rx() -> re.Pattern[str]:
    phrases = tuple(p for o in (Outcome.MAINTENANCE, Outcome.ACCESS_DENIED, Outcome.SERVER_ERROR) for p in MESSAGES[o])
    return any_pattern((*phrases, FOREIGN_HOST_MARKER))


@functools.cache
def message_like_rx() -> str:
    """A JavaScript regex source: a folded text that may be the portal's answer to a login."""
    return "|".join((*ABOUT_CODE, *ABOUT_CREDENTIALS, *ABOUT_SESSION, *SAYS_BLOCKED, "cuenta"))


# --- Where the browser may go -----------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_portal_address(url: str) -> bool:
    """An address a person may give with --portal-url: the Infonavit's own hosts, named in plain letters (no
    user name before the host, no look-alike in other scripts), or this computer for tests."""
    parts = urlsplit(url)
    netloc = parts.netloc
    host = (parts.hostname or "").lower().removesuffix(".")
    if "@" in netloc or not host.isascii() or any(label.startswith("xn--") for label in host.split(".")):
        return False
    return is_loopback(host) or host == PORTAL_DOMAIN or host.endswith("." + PORTAL_DOMAIN)


def without_trailing_dot(url: str) -> str:
    """The same address with its host's trailing dot taken off (`micuenta.infonavit.org.mx.` is that host)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host.endswith("."):
        return url
    return parts._replace(netloc=parts.netloc.replace(host, host.removesuffix("."), 1)).geturl()


def portal_host_allowed(url: str, portal_url: str) -> bool:
    """True for the portal's own hosts: *.infonavit.org.mx over https, or any port of the loopback address
    the portal URL names."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return True  # about:, blob:, data:, chrome-extension: (the PDF viewer) stay in the browser
    host = (parts.hostname or "").lower().removesuffix(".")
    if host == PORTAL_DOMAIN or host.endswith("." + PORTAL_DOMAIN):
        return parts.scheme == "https"  # over plain http anyone on the way could read or change the page
    # A local copy of the portal: its hosts are the ports of that one loopback address.
    portal = urlsplit(portal_url)
    return is_loopback(host) and host == (portal.hostname or "").lower()


# What a browser drops from an address (tabs, line breaks) or reads as a slash (a backslash, in http and
# https addresses), by the WHATWG URL rules; Python's urljoin keeps them, so `/\other.host/` is a path on the
# portal to Python and another host to the browser.
_DROPPED_IN_ADDRESS = re.compile(r"[\t\n\r]")
_ODD_IN_ADDRESS = re.compile(r"[\\\x00-\x1f\x7f]")


def browser_target(base: str, location: str) -> str:
    """Where a redirect's `Location` takes the browser, read as the browser reads it."""
    cleaned = _DROPPED_IN_ADDRESS.sub("", location).strip("\x00\x20")
    return urljoin(base, cleaned.replace("\\", "/"))


def odd_address(location: str) -> bool:
    """An address holding what a browser reads otherwise than Python does: never followed, when in doubt."""
    return bool(_ODD_IN_ADDRESS.search(location))


def is_portal_origin(url: str, portal_url: str) -> bool:
    """An http(s) URL on one of the portal's hosts (the ones whose responses may carry the PDF)."""
    return url.startswith(("http://", "https://")) and portal_host_allowed(url, portal_url)


# The same hosts as URL patterns the browser's driver matches itself: a route with a Python predicate
# would stop every request of every page (styles, images, scripts) to ask Python. Both patterns are
# wide: what they let through to Python is decided there by the functions above. They use the syntax
# that Python's `re` and JavaScript's RegExp read alike.
def _hosts_rx(portal_url: str, *, userinfo: bool) -> str:
    before = r"[^/?#\s]*[.@]" if userinfo else r"[^/?#@\s]*\."
    hosts = [rf"https://(?:{before})?{re.escape(PORTAL_DOMAIN)}"]
    host = (urlsplit(portal_url).hostname or "").lower()
    if is_loopback(host):
        hosts.append(r"https?://" + re.escape(f"[{host}]" if ":" in host else host))
    return "(?:" + "|".join(hosts) + r")(?::\d+)?(?:[/?#]|$)"


def maybe_portal_rx(portal_url: str) -> re.Pattern[str]:
    """Every URL on the portal's hosts (and a few more, such as one with a user name before the host)."""
    return re.compile("^" + _hosts_rx(portal_url, userinfo=True), re.IGNORECASE)


def maybe_foreign_rx(portal_url: str) -> re.Pattern[str]:
    """Every http(s) URL off the portal's hosts (and a few more)."""
    return re.compile("^(?!" + _hosts_rx(portal_url, userinfo=False) + ")https?://", re.IGNORECASE)


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

    def marked(self, role: str) -> Locator:
        """A box or button `login_form.read_form` found for `role` (nss, password, captcha, otp, go)."""
        return self.page.locator(f'[data-infonavit-login="{role}"]').filter(visible=True)

    @property
    def nss(self) -> Locator:
        return self.marked("nss").or_(field(self.page, Label.NSS)).or_(field(self.page, Label.NSS_SHORT)).first

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
        return self.marked("captcha").or_(field(self.page, Label.CAPTCHA)).first

    @property
    def any_box(self) -> Locator:
        """Any box a login page could ask to fill (what shows that the login page is there)."""
        return self.page.locator(
            "input[type=password], input[type=text], input[type=tel], input[type=number], input[type=email], "
            "input:not([type])"
        ).filter(visible=True)

    @property
    def captcha_image(self) -> Locator:
        # The image sits next to "Introduce el código"; its alt text varies, so take the image of the
        # form that holds the captcha field: a picture by its role, or else any image or canvas (an
        # <img alt=""> has no role: it says it is decoration).
        form = self.page.locator("form", has=self.captcha_field)
        if not form.locator("img, canvas, [role=img]").count():
            # The picture outside the form, or a page without one (an app): the nearest box that holds one.
            form = self.captcha_field.locator("xpath=ancestor::*[.//img or .//canvas or .//*[@role='img']][1]")
        pictures = form.get_by_role("img").filter(visible=True)
        return pictures.first if pictures.count() else form.locator("img, canvas").filter(visible=True).first

    @property
    def submit(self) -> Locator:
        """The button by its role, or else the words on whatever carries them (the last such: a title
        "Iniciar sesión" comes before its button)."""
        if self.marked("go").count():
            return self.marked("go").first
        by_role = clickable(self.page, Label.LOGIN)
        if by_role.count():
            return by_role
        return self.page.get_by_text(label_pattern(Label.LOGIN)).filter(visible=True).last

    def settle(self) -> None:
        """Until the page stops changing (a notice shown a moment after load is then on screen), so that
        the code's picture is taken as the person sees it; bounded, as a busy page never stops."""
        from playwright.sync_api import Error as PlaywrightError

        quiet = """() => new Promise((resolve) => {
          let timer = null;
          const done = () => { observer.disconnect(); resolve(true); };
          const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 300); });
          observer.observe(document, {subtree: true, childList: true, attributes: true});
          timer = setTimeout(done, 300);
        })"""
        with contextlib.suppress(PlaywrightError):
            self.page.wait_for_function(quiet, timeout=3000)
        self.close_notice()

    def close_notice(self) -> bool:
        """Close a notice shown over the form; True when there was one."""
        from playwright.sync_api import Error as PlaywrightError

        close = self.modal_close_button()
        if not (close.count() and close.is_visible()):
            return False
        # force: otherwise the page's notice handler (Run.watch) closes it first and this click waits
        # for a button that is gone.
        with contextlib.suppress(PlaywrightError):
            close.click(timeout=1000, force=True)
        return True

    def modal_close_button(self, *, sparing_the_route: bool = False) -> Locator:
        """The close control of a dialog on screen. `sparing_the_route` leaves alone a dialog with a
        label worded as the route (an «Indicaciones» that opens as a dialog, with «Imprime los
        documentos» beside its «Cerrar»): that one is a step of the walk, not something in its way. Words
        of the route in a sentence («sigue las indicaciones de tu etapa») do not make a dialog a step."""
        # What get_by_role("dialog") / ("alertdialog") find, written as CSS: Playwright checks this before
        # every action of the run, and a role query works out the role of every element on the page.
        dialog = self.page.locator("dialog, [role=dialog], [role=alertdialog], [aria-modal=true]").filter(visible=True)
        if sparing_the_route:
            dialog = dialog.filter(has_not=self.page.get_by_text(ROUTE_LABELS))
        return dialog.get_by_role("button", name=_modal_close_rx()).first


@functools.cache
def _modal_close_rx() -> re.Pattern[str]:
    """A button named by one of MODAL_CLOSE_LABELS, whole (built once: the handler is added again after
    each overlay the walk closes itself)."""
    return re.compile("|".join(label_pattern(label).pattern for label in MODAL_CLOSE_LABELS), re.IGNORECASE)


def problem_marker(page: Page) -> Locator:
    """A heading that says the portal cannot serve: maintenance, Access Denied, a server error.

    Only headings: a normal page may mention "mantenimiento" in a footer or a notice, and must not
    stop the run. Error pages without such a heading are caught by their HTTP status instead.
    """
    return page.get_by_role("heading", name=problem_rx()).filter(visible=True).first


def says_problem(headings: list[str]) -> bool:
    """Whether one of a page's visible headings, already read, says what `problem_marker` finds."""
    return any(problem_rx().search(heading) for heading in headings)
