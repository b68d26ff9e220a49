"""The mock portal's markup variants, each driven to the notice the way its author knows it works.

These tests check the mock itself (that every variant can be completed, that decoys are dead ends);
they are not tests of the tool. On failure, the chosen markups are printed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import urllib.request
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, FrameLocator, Locator, Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from fixtures.mock_portal import ACCOUNTS, DELIVERIES, VARIANT_NAMES, WIDGETS, MockConfig, MockPortal, describe
from fixtures.mock_portal.documents import TITLES

ACCOUNT = ACCOUNTS[0]
TENCION = "¿En qué va mi solicitud de crédito?"
AVISOS = "Avisos de suspensión, retención y modificación de descuentos"

Scope = Page | Frame | FrameLocator


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.set_default_timeout(8000)
    yield context
    context.close()


@pytest.fixture
def start() -> Iterator[Callable[..., MockPortal]]:
    started: list[MockPortal] = []

    def run(**config: object) -> MockPortal:
        portal = MockPortal(MockConfig(**config)).start()  # type: ignore[arg-type]
        started.append(portal)
        print("markups:", describe(portal.config))
        return portal

    yield run
    for portal in started:
        portal.stop()


def captcha_code(portal: MockPortal) -> str:
    with urllib.request.urlopen(portal.url + "__mock__/captcha") as answer:
        return str(answer.read().decode())


def log_in(page: Page, portal: MockPortal, *, code: str | None = None) -> None:
    page.goto(portal.url)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=re.compile("^(Cerrar|Aceptar)$")).first.click()
    expect(dialog).to_be_hidden()
    page.get_by_label("Número de Seguridad Social (NSS)").fill(ACCOUNT.nss)
    page.get_by_label("Contraseña").fill(ACCOUNT.password)
    page.get_by_label("Introduce el código").fill(code if code is not None else captcha_code(portal))
    page.get_by_role("button", name="Iniciar sesión").click()


class Catcher:
    """Keeps the bytes of every notice the browser receives (PDF, or the JSON carrying it)."""

    def __init__(self, context: BrowserContext) -> None:
        self.bodies: list[bytes] = []
        context.route(re.compile(r"/(api/)?documentos/aviso-\w+(\.pdf)?(\?.*)?$"), self.handle)

    def handle(self, route: Route) -> None:
        if route.request.method != "GET":  # a form's POST: its redirect to the PDF comes back here
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        body = response.body()
        if body.startswith(b"%PDF"):
            self.bodies.append(body)
        elif body.startswith(b"{"):
            answer = json.loads(body)
            self.bodies.append(bytes(answer["data"]) if "data" in answer else base64.b64decode(answer["contenido"]))
        route.fulfill(response=response)


def click_for_notice(context: BrowserContext, catcher: Catcher, click: Callable[[], None]) -> bytes:
    with context.expect_event(
        "requestfinished", predicate=lambda r: "documentos/aviso-" in r.url and r.method == "GET"
    ) as finished:
        click()
    if not catcher.bodies:  # a redirect's target (a form's POST answered 303) is not routed: ask again
        return context.request.get(finished.value.url).body()
    return catcher.bodies[-1]


def assert_notice(data: bytes, portal: MockPortal, kind: str = "retencion") -> None:
    assert data.startswith(b"%PDF")
    assert TITLES[kind].encode("cp1252") in data
    assert portal.served_kinds and set(portal.served_kinds) == {kind}


# --- one driver per named variant -------------------------------------------------------------------


def accept_consent_when_shown(page: Page) -> None:
    """The consent wall comes with the first mouse move after login, in the middle of a click."""
    wall = page.get_by_role("dialog", name="Tu privacidad es importante")
    page.add_locator_handler(wall, lambda: wall.get_by_role("button", name="Aceptar todas").click())


def drive_bootstrap(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    accept_consent_when_shown(page)
    log_in(page, portal)
    modal = page.get_by_role("dialog", name="Unamos Créditos")
    expect(modal).to_be_visible()
    modal.get_by_role("button", name="Cerrar").click()
    page.get_by_role("button", name="Tramitar mi crédito").click()
    page.get_by_role("link", name=TENCION).click()
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Mi Espacio Infonavit").click()
    espacio = popup.value
    expect(espacio.locator(".timeline-item.current")).to_contain_text("Formaliza tu crédito")
    espacio.get_by_role("button", name="Indicaciones").click()
    return click_for_notice(page.context, catcher, espacio.get_by_role("button", name="Imprime los documentos").click)


def drive_angular_material(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    log_in(page, portal, code="zzzzz")
    expect(page.locator("#f3-error")).to_have_text("Código captcha erróneo")
    log_in(page, portal)
    survey = page.get_by_role("dialog", name="¿Cómo calificarías tu experiencia?")
    expect(survey).to_be_visible()
    survey.get_by_role("button", name="Ahora no").click()
    expect(page.get_by_role("heading", name=re.compile("Bienvenido"))).to_be_visible()  # after the spinner
    page.get_by_role("button", name="Abrir menú").click()
    page.get_by_role("button", name="Tramitar mi crédito").click()
    page.get_by_role("link", name=TENCION).click()
    page.get_by_text("Mi Espacio Infonavit", exact=True).click()  # a card: a div with a click handler
    expect(page.locator("[aria-current=step]")).to_contain_text("Formaliza tu crédito")
    page.get_by_role("button", name="Indicaciones").click()  # inside an open shadow root
    return click_for_notice(page.context, catcher, page.get_by_role("button", name="Imprimir").click)


def drive_websphere_portal(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    log_in(page, portal)
    content = page.frame_locator("#wpsContent")
    content.get_by_role("link", name="Tramitar mi crédito").click()
    content.get_by_role("link", name=TENCION).click()
    with page.expect_popup() as popup:
        content.get_by_role("link", name="Mi Espacio Infonavit").click()
    espacio = popup.value
    expect(espacio.locator(".step--active")).to_contain_text("En proceso")
    stage = espacio.frame_locator("iframe.stage-frame")
    stage.get_by_text("Indicaciones", exact=True).click()
    return click_for_notice(page.context, catcher, stage.get_by_text("Imprime los documentos").click)


def drive_react_spa(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    log_in(page, portal)
    page.wait_for_url(re.compile(r"/app#/inicio$"))
    page.get_by_role("button", name="Cerrar chat").click()  # waits for the late bubble
    page.get_by_role("link", name="Tramitar mi crédito").hover()
    page.get_by_role("link", name=TENCION).click()
    page.wait_for_url(re.compile(r"#/credito/solicitud$"))
    page.get_by_role("link", name="Mi Espacio Infonavit").click()
    expect(page.get_by_role("tab", name="Formaliza tu crédito")).to_have_attribute("aria-selected", "true")
    return click_for_notice(page.context, catcher, page.get_by_role("link", name="Imprime los documentos").click)


def drive_legacy_aspnet(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    log_in(page, portal, code="zzzzz")
    expect(page.locator("#ctl00_lblMensaje")).to_have_text("El texto ingresado no corresponde a la imagen.")
    log_in(page, portal)
    main = page.frame_locator("frame[name=principal]")
    main.get_by_role("link", name="Tramitar mi crédito").hover()
    main.get_by_role("link", name=TENCION).click()
    with page.expect_popup() as popup:
        main.locator(".banner-row a").click()  # an image with an empty alt, the words beside it
    espacio = popup.value
    espacio.get_by_text("Indicaciones", exact=True).click()
    return click_for_notice(page.context, catcher, espacio.get_by_role("link", name="Imprime los documentos").click)


def drive_multi_host(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    log_in(page, portal)
    page.get_by_role("button", name="Tramitar mi crédito").click()
    page.get_by_role("link", name=TENCION).click()
    page.get_by_role("button", name="Mi Espacio Infonavit").click()
    page.wait_for_url(portal.other_url + "mi-espacio")
    current = page.get_by_role("button", name="Formaliza tu crédito · Etapa actual")
    expect(current).to_have_attribute("aria-expanded", "true")
    stage = page.frame_locator("iframe.stage-frame")
    stage.get_by_role("button", name="Indicaciones").click()
    with page.expect_download() as download:
        stage.get_by_role("button", name="Imprime los documentos").click()
    path = download.value.path()
    assert download.value.suggested_filename == f"AvisoRetencion_{ACCOUNT.credit_number}.pdf"
    return path.read_bytes()


def handle_overlays(page: Page) -> None:
    """Close whatever covers the page, as a person would, whenever it shows."""
    page.add_locator_handler(page.get_by_text("No, gracias"), lambda: page.get_by_text("No, gracias").click())
    modal = page.get_by_role("dialog", name="Unamos Créditos")
    page.add_locator_handler(modal, lambda: modal.get_by_role("button", name="Cerrar").click())
    survey = page.get_by_role("dialog", name="¿Cómo calificarías tu experiencia?")
    page.add_locator_handler(survey, lambda: survey.get_by_role("button", name="Ahora no").click())
    cookies = page.get_by_role("region", name="Aviso de cookies")
    page.add_locator_handler(cookies, lambda: cookies.get_by_role("button", name="Aceptar").click())
    chat = page.get_by_role("button", name="Cerrar chat")
    page.add_locator_handler(chat, lambda: chat.click())
    accept_consent_when_shown(page)


def drive_overlays_everywhere(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    handle_overlays(page)
    log_in(page, portal)
    expect(page.get_by_role("heading", name="Tu contraseña vence en 5 días")).to_be_visible()
    page.get_by_role("link", name="Recordármelo después").click()
    expect(page.get_by_role("heading", name="Actualiza tus datos de contacto")).to_be_visible()
    page.get_by_role("link", name="Recordar más tarde").click()
    for _ in range(3):  # the promo may show while the menu is open; closing it closes the menu too
        page.get_by_role("button", name="Tramitar mi crédito").click()
        with contextlib.suppress(PlaywrightTimeoutError):
            page.get_by_role("link", name=TENCION).click(timeout=3000)
            break
    page.get_by_role("link", name="Mi Espacio Infonavit").click()
    page.get_by_text("Indicaciones", exact=True).click()  # a <summary>
    return click_for_notice(page.context, catcher, page.get_by_role("button", name="Imprime los documentos").click)


def drive_lands_on_mi_espacio(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    log_in(page, portal)
    page.get_by_role("link", name="Continuar a Mi Cuenta").click()
    expect(page.get_by_role("heading", name="Mi Espacio Infonavit")).to_be_visible()
    expect(page.get_by_role("button", name="Tramitar mi crédito")).to_have_count(0)  # no menu here
    page.get_by_text("Indicaciones", exact=True).click()
    with page.expect_popup():
        data = click_for_notice(page.context, catcher, page.get_by_text("Imprime los documentos").click)
    return data


def drive_tiles_portal(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    log_in(page, portal)
    page.get_by_role("region", name="Aviso de cookies").get_by_role("button", name="Aceptar").click()
    page.get_by_text("Tramitar mi crédito", exact=True).click()  # a tile: a div with a click handler
    page.get_by_text(TENCION, exact=True).click()
    page.get_by_text("Mi Espacio Infonavit", exact=True).click()
    expect(page.locator(".timeline-item.current")).to_contain_text("Etapa actual")
    with page.expect_popup():
        data = click_for_notice(page.context, catcher, page.get_by_text("Imprime los documentos").click)
    return data


def drive_dialog_steps(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    handle_overlays(page)
    log_in(page, portal)
    page.get_by_role("button", name="Tramitar mi crédito").click()
    page.get_by_role("link", name=TENCION).click()
    page.get_by_role("link", name="Mi Espacio Infonavit").click()
    page.get_by_role("button", name="Indicaciones").click()
    steps = page.get_by_role("dialog", name="Indicaciones")
    expect(steps.get_by_role("button", name="Cerrar")).to_have_count(2)  # the × and the footer's
    steps.get_by_role("button", name="Cerrar").last.click()
    expect(steps).to_be_hidden()
    page.get_by_role("button", name="Indicaciones").click()
    with page.expect_popup():
        data = click_for_notice(page.context, catcher, steps.get_by_role("button", name="Imprime los documentos").click)
    return data


def drive_mui_dialogs(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    handle_overlays(page)
    log_in(page, portal)
    page.get_by_role("button", name="Abrir menú").click()
    page.get_by_role("button", name="Tramitar mi crédito").click()
    page.get_by_role("link", name=TENCION).click()
    page.get_by_role("link", name="Mi Espacio Infonavit").click()
    step = page.get_by_role("button", name="Formaliza tu crédito")
    expect(step).to_have_attribute("aria-current", "step")
    expect(page.get_by_text("Indicaciones", exact=True)).to_be_hidden()  # the detail shows once the step is pressed
    step.click()
    expect(page.get_by_role("dialog")).to_have_count(0)  # rendered only while open
    page.get_by_text("Indicaciones", exact=True).click()  # a block with a click handler
    steps = page.get_by_role("dialog", name="Indicaciones")
    return click_for_notice(page.context, catcher, steps.get_by_role("link", name="Imprime los documentos").click)


DRIVERS: dict[str, tuple[str, Callable[[Page, MockPortal, Catcher], bytes]]] = {
    "bootstrap": ("inline-new-tab", drive_bootstrap),
    "angular-material": ("blob", drive_angular_material),
    "websphere-portal": ("window-open", drive_websphere_portal),
    "react-spa": ("inline-same-tab", drive_react_spa),
    "legacy-aspnet": ("form-post", drive_legacy_aspnet),
    "multi-host": ("attachment", drive_multi_host),
    "overlays-everywhere": ("base64-json", drive_overlays_everywhere),
    "lands-on-mi-espacio": ("inline-new-tab", drive_lands_on_mi_espacio),
    "tiles-portal": ("window-open", drive_tiles_portal),
    "dialog-steps": ("inline-new-tab", drive_dialog_steps),
    "mui-dialogs": ("blob", drive_mui_dialogs),
}


def test_every_named_variant_has_a_driver() -> None:
    assert set(DRIVERS) == set(VARIANT_NAMES)


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_variant_leads_to_the_notice(context: BrowserContext, start: Callable[..., MockPortal], variant: str) -> None:
    delivery, drive = DRIVERS[variant]
    portal = start(variant=variant, delivery=delivery)
    catcher = Catcher(context)
    data = drive(context.new_page(), portal, catcher)
    assert_notice(data, portal)
    assert portal.state.decoys == []


# --- choosing markups -------------------------------------------------------------------------------


def test_seed_and_variant_choose_markups() -> None:
    assert describe(MockConfig()) == dict.fromkeys(WIDGETS, "classic")
    assert describe(MockConfig(seed=7)) == describe(MockConfig(seed=7))
    assert len({tuple(describe(MockConfig(seed=s)).values()) for s in range(20)}) == 20
    both = describe(MockConfig(variant="react-spa", seed=7))
    assert both["loading"] == "hash-spa" and both["menu"] == "hover"
    free = [w for w in WIDGETS if w not in ("loading", "menu", "login_button", "login_error", "login_wording")]
    assert all(both[w] == describe(MockConfig(seed=7))[w] for w in free if w not in describe_fixed("react-spa"))
    with pytest.raises(ValueError, match="unknown variant"):
        MockConfig(variant="nope")


def describe_fixed(variant: str) -> set[str]:
    from fixtures.mock_portal.variants import VARIANTS

    return set(VARIANTS[variant])


def test_many_seeds_render_every_page() -> None:
    """Without a browser: every page of 15 random mixes answers (no exception in the server)."""
    import http.cookiejar
    import urllib.parse

    for seed in range(15):
        with MockPortal(MockConfig(seed=seed, credit_state=("formaliza", "active", "deeds")[seed % 3])) as portal:
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            opener.open(portal.url).read()
            form = {"f1": ACCOUNT.nss, "f2": ACCOUNT.password, "f3": captcha_code(portal)}
            opener.open(portal.url + "login", urllib.parse.urlencode(form).encode()).read()
            for path in ("inicio", "credito/solicitud", "mi-espacio", "mi-espacio/etapa", "mi-credito/avisos"):
                with opener.open(portal.url + path) as answer:
                    assert answer.status == 200, (seed, path, describe(portal.config))


# --- decoys -----------------------------------------------------------------------------------------


def assert_dead_end(page: Page, portal: MockPortal, slug: str) -> None:
    page.wait_for_url(re.compile(f"/fuera/{slug}$"))
    assert portal.state.decoys[-1] == slug
    for way_on in ("Tramitar mi crédito", "Mi Espacio Infonavit", "Imprime los documentos", "Mi crédito"):
        expect(page.get_by_text(way_on)).to_have_count(0)


def test_decoys_lead_to_dead_ends(context: BrowserContext, start: Callable[..., MockPortal]) -> None:
    page = context.new_page()
    portal = start(variant="overlays-everywhere")
    log_in(page, portal)
    page.get_by_role("link", name="Cambiar contraseña").click()
    assert_dead_end(page, portal, "cambiar-contrasena")
    portal = start(variant="overlays-everywhere")
    log_in(page, portal)
    page.get_by_role("link", name="Recordármelo después").click()
    page.get_by_role("button", name="Actualizar datos").click()
    assert_dead_end(page, portal, "actualizar-datos")

    portal = start(variant="bootstrap")
    log_in(page, portal)
    expect(page.get_by_role("button", name="Tramitar mi crédito")).to_be_visible()  # the home page, logged in
    page.mouse.move(200, 200)  # the first interaction loads the consent manager
    page.mouse.move(260, 240)
    wall = page.get_by_role("dialog", name="Tu privacidad es importante")
    wall.get_by_role("link", name="Configurar cookies").click()
    assert_dead_end(page, portal, "cookies")
    portal = start(variant="bootstrap")
    accept_consent_when_shown(page)
    log_in(page, portal)
    page.get_by_role("dialog", name="Unamos Créditos").get_by_role("link", name="Conoce más").click()
    assert_dead_end(page, portal, "unamos-creditos")
    page.goto(portal.url + "inicio")
    page.get_by_role("button", name="Tramitar mi crédito").click()
    page.get_by_role("link", name="Solicitud de crédito en línea").click()
    assert_dead_end(page, portal, "solicitud-en-linea")

    portal = start(variant="angular-material")
    log_in(page, portal)
    page.get_by_role("dialog").get_by_role("link", name="Responder encuesta").click()
    assert_dead_end(page, portal, "encuesta")

    portal = start(variant="tiles-portal")
    log_in(page, portal)
    page.get_by_role("region", name="Aviso de cookies").get_by_role("link", name="Configurar").click()
    assert_dead_end(page, portal, "cookies")
    assert portal.served_kinds == []


# --- past "Formaliza tu crédito": the notices under "Mi crédito" ------------------------------------


def test_active_credit_has_its_notices_under_mi_credito(
    context: BrowserContext, start: Callable[..., MockPortal]
) -> None:
    portal = start(variant="bootstrap", credit_state="active", delivery="inline-new-tab")
    page = context.new_page()
    accept_consent_when_shown(page)
    catcher = Catcher(context)
    log_in(page, portal)
    page.get_by_role("dialog").get_by_role("button", name="Cerrar").click()
    page.goto(portal.url + "mi-espacio")
    expect(page.locator(".timeline-item.current")).to_contain_text("Crédito activo")
    expect(page.get_by_text("Tu crédito está activo.")).to_be_visible()
    expect(page.get_by_text("Imprime los documentos")).to_have_count(0)
    page.goto(portal.url + "inicio")
    page.get_by_role("button", name="Mi crédito", exact=True).click()
    page.get_by_role("link", name=AVISOS).click()
    expect(page.get_by_role("button", name=re.compile("^Descargar aviso"))).to_have_count(3)
    with page.expect_popup():
        data = click_for_notice(context, catcher, page.get_by_role("button", name="Descargar aviso de retención").click)
    assert_notice(data, portal)


def test_notices_table_lists_suspension_first(context: BrowserContext, start: Callable[..., MockPortal]) -> None:
    portal = start(credit_state="active", delivery="inline-same-tab")
    page = context.new_page()
    catcher = Catcher(context)
    log_in(page, portal)
    page.get_by_role("button", name="Mi crédito", exact=True).click()
    page.get_by_role("link", name=AVISOS).click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Aviso de suspensión de descuentos")
    row = rows.filter(has_text="Aviso de suspensión de descuentos")
    data = click_for_notice(context, catcher, row.get_by_role("link", name="Descargar").click)
    assert_notice(data, portal, "suspension")
    assert portal.served_kinds == ["suspension"]


def log_in_by_request(context: BrowserContext, portal: MockPortal) -> None:
    """Log the context in without the pages (for tests about what comes after)."""
    context.request.get(portal.url)
    form: dict[str, str | float | bool] = {"f1": ACCOUNT.nss, "f2": ACCOUNT.password, "f3": captcha_code(portal)}
    assert context.request.post(portal.url + "login", form=form).ok


@pytest.mark.parametrize("delivery", DELIVERIES)
def test_notice_cards_follow_every_delivery(
    context: BrowserContext, start: Callable[..., MockPortal], delivery: str
) -> None:
    portal = start(variant="bootstrap", credit_state="active", delivery=delivery)
    log_in_by_request(context, portal)
    catcher = Catcher(context)
    page = context.new_page()
    accept_consent_when_shown(page)
    page.goto(portal.url + "mi-credito/avisos")
    button = page.get_by_role("button", name="Descargar aviso de modificación")
    if delivery == "attachment":
        with page.expect_download() as download:
            button.click()
        assert download.value.suggested_filename == f"AvisoModificacion_{ACCOUNT.credit_number}.pdf"
        data = download.value.path().read_bytes()
    else:
        data = click_for_notice(context, catcher, button.click)
    assert_notice(data, portal, "modificacion")


# --- random mixes -----------------------------------------------------------------------------------


def close_overlays_in(page: Page, scope: Page | FrameLocator) -> None:
    """Like handle_overlays, for a page or for the portal's frame inside it."""
    pairs = [
        (scope.get_by_text("No, gracias"), scope.get_by_text("No, gracias")),
        (scope.get_by_role("dialog", name="Unamos Créditos"), scope.get_by_role("button", name="Cerrar", exact=True)),
        (
            scope.get_by_role("dialog", name="¿Cómo calificarías tu experiencia?"),
            scope.get_by_role("button", name="Ahora no"),
        ),
        (scope.get_by_role("region", name="Aviso de cookies"), scope.get_by_role("button", name="Aceptar")),
        (scope.get_by_role("button", name="Cerrar chat"), scope.get_by_role("button", name="Cerrar chat")),
        (
            scope.get_by_role("dialog", name="Tu privacidad es importante"),
            scope.get_by_role("button", name="Rechazar opcionales"),
        ),
    ]
    for shown, close in pairs:
        page.add_locator_handler(shown, clicker(close))


def clicker(target: Locator) -> Callable[[], None]:
    # Not a lambda with a default argument: Playwright passes the overlay to a handler that takes one.
    def click() -> None:
        # If the page went on underneath (a frame navigated), there is nothing left to close.
        with contextlib.suppress(PlaywrightTimeoutError):
            target.click(timeout=2000)

    return click


def open_credit_menu(scope: Page | FrameLocator, menu: str) -> None:
    if menu in ("classic", "bootstrap-dropdown", "websphere-leftnav"):
        # A dialog that comes up while the menu is open (closed by the locator handler) closes the menu
        # too: a person opens it again. On a busy machine that dialog often lands just then.
        opener = scope.get_by_role("link" if menu == "websphere-leftnav" else "button", name="Tramitar mi crédito")
        for _ in range(3):
            opener.click()
            try:
                scope.get_by_role("link", name=TENCION).click(timeout=5000)
                return
            except PlaywrightTimeoutError:
                continue
        raise AssertionError(f"«{TENCION}» never stayed open long enough to be clicked")
    if menu == "hover":
        # A flyout shown by :hover closes when the pointer leaves it, e.g. to close a late overlay:
        # hover again, as a person would.
        for _ in range(3):
            scope.get_by_role("link", name="Tramitar mi crédito").hover()
            try:
                scope.get_by_role("link", name=TENCION).click(timeout=2000)
                return
            except PlaywrightTimeoutError:
                continue
    elif menu == "offcanvas":
        scope.get_by_role("button", name="Abrir menú").click()
        scope.get_by_role("button", name="Tramitar mi crédito").click()
    elif menu == "tiles":
        scope.get_by_text("Tramitar mi crédito", exact=True).click()
        scope.get_by_text(TENCION, exact=True).click()
        return
    scope.get_by_role("link", name=TENCION).click()


def drive_by_look(page: Page, portal: MockPortal, catcher: Catcher) -> bytes:
    """A driver for any mix of markups: it reads describe() and does what a person would do."""
    look = portal.describe()
    close_overlays_in(page, page)
    if look["native_dialogs"] == "alerts":  # «Aceptar», as a person answers them
        page.context.on("dialog", lambda dialog: dialog.accept())
    log_in(page, portal)
    if look["password_notice"] == "reminder":
        page.get_by_role("link", name="Recordármelo después").click()
    if look["interstitial"] == "contact-update":
        page.get_by_role("link", name="Recordar más tarde").click()
    elif look["interstitial"] == "campaign":
        page.get_by_role("link", name="Continuar a Mi Cuenta").click()
    frame = {"portal-shell": "#wpsContent", "frameset": "frame[name=principal]"}.get(look["frames"])
    scope: Page | FrameLocator = page.frame_locator(frame) if frame else page
    if frame:
        close_overlays_in(page, scope)
    espacio, espacio_scope = page, scope
    if look["landing"] != "mi-espacio":
        if look["landing"] == "classic":
            open_credit_menu(scope, look["menu"])
        control = {
            "classic": scope.get_by_role("link", name="Mi Espacio Infonavit"),
            "button": scope.get_by_role("button", name="Mi Espacio Infonavit"),
            "card": scope.get_by_text("Mi Espacio Infonavit", exact=True),
            "banner": scope.locator(".banner-row a"),
        }[look["mi_espacio_link"]]
        if look["lazy_sections"] == "on-scroll":  # it is put in the page once its place is in view
            scope.locator("#lazy-section").scroll_into_view_if_needed()
        if look["mi_espacio_opens"] in ("new-tab", "window-open"):
            with page.expect_popup() as popup:
                control.click()
            espacio = espacio_scope = popup.value
            close_overlays_in(espacio, espacio)
        else:
            control.click()
    stage: Page | FrameLocator = espacio_scope
    if look["stage_frame"] != "classic":
        stage = espacio_scope.frame_locator("iframe.stage-frame")
    if look["print_control"] == "mat-icon-button":
        target = stage.get_by_role("button", name="Imprimir")
    else:
        target = stage.get_by_text("Imprime los documentos")
    opener = None
    if look["indicaciones"] in ("classic", "bootstrap-accordion", "shadow"):
        opener = stage.get_by_role("button", name="Indicaciones")
    elif look["indicaciones"] in ("details", "clickable-div"):
        opener = stage.get_by_text("Indicaciones", exact=True)
    for _ in range(3):  # a click that a late overlay swallowed opened nothing: look, and click again
        if opener is not None and not target.is_visible():
            opener.click()
        try:
            target.wait_for(state="visible", timeout=2000)
            break
        except PlaywrightTimeoutError:
            continue
    if portal.config.delivery == "attachment":
        with espacio.expect_download() as download:
            target.click()
        return download.value.path().read_bytes()
    return click_for_notice(page.context, catcher, target.click)


@pytest.mark.parametrize("seed", [2, 5, 13])
def test_random_mixes_can_be_completed(context: BrowserContext, start: Callable[..., MockPortal], seed: int) -> None:
    portal = start(seed=seed, delivery=DELIVERIES[seed % len(DELIVERIES)])
    data = drive_by_look(context.new_page(), portal, Catcher(context))
    assert_notice(data, portal)
    assert portal.state.decoys == []
