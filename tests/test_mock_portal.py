"""The mock portal itself, driven in Chromium: every page, every delivery mode, every failure."""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
import urllib.request
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from fixtures.mock_portal import ACCOUNTS, DELIVERIES, MockPortal, notice_pdf

ACCOUNT = ACCOUNTS[0]


def captcha_code(portal: MockPortal) -> str:
    with urllib.request.urlopen(portal.url + "__mock__/captcha") as answer:
        return str(answer.read().decode())


def close_modal(page: Page) -> None:
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cerrar").click()
    expect(dialog).to_be_hidden()


def log_in(page: Page, portal: MockPortal, *, password: str = ACCOUNT.password, code: str | None = None) -> None:
    page.goto(portal.url)
    close_modal(page)
    page.get_by_label("Número de Seguridad Social (NSS)").fill(ACCOUNT.nss)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_label("Introduce el código").fill(code if code is not None else captcha_code(portal))
    page.get_by_role("button", name="Iniciar sesión").click()


def go_to_mi_espacio(page: Page) -> None:
    page.get_by_role("button", name="Tramitar mi crédito").click()
    page.get_by_role("link", name="¿En qué va mi solicitud de crédito?").click()
    expect(page.get_by_role("heading", name="¿En qué va mi solicitud de crédito?")).to_be_visible()
    page.get_by_role("link", name="Mi Espacio Infonavit").click()
    expect(page.get_by_role("heading", name="Mi Espacio Infonavit")).to_be_visible()


def test_login_page_has_the_manuals_wording(page: Page, portal: MockPortal) -> None:
    page.goto(portal.url)
    for text in (
        "Número de Seguridad Social (NSS)",
        "Recordarme",
        "Consulta tu Número de Seguridad Social",
        "Contraseña",
        "¿Olvidaste tu contraseña?",
        "Introduce el código",
        "Crear una cuenta",
        "Aviso de Privacidad",
    ):
        expect(page.get_by_text(text, exact=True).first).to_be_attached()
    expect(page.get_by_role("button", name="Iniciar sesión")).to_be_visible()
    expect(page.get_by_role("img", name="Código de verificación")).to_be_visible()


def test_modal_covers_the_page_until_closed(page: Page, portal: MockPortal) -> None:
    page.goto(portal.url)
    expect(page.get_by_role("dialog")).to_be_visible()
    with pytest.raises(Exception, match="intercepts pointer events"):
        page.get_by_label("Contraseña").click(timeout=1500)
    close_modal(page)
    page.get_by_label("Contraseña").click()


def test_captcha_is_new_on_every_load_and_checked_without_case(page: Page, portal: MockPortal) -> None:
    page.goto(portal.url)
    first = captcha_code(portal)
    page.reload()
    second = captcha_code(portal)
    assert first != second and len(second) == 5
    log_in(page, portal, code="")  # log_in reloads: take the code of that load
    expect(page.get_by_role("alert")).to_contain_text("Ingresa tu NSS")
    page.goto(portal.url)
    close_modal(page)
    page.get_by_label("Número de Seguridad Social (NSS)").fill(ACCOUNT.nss)
    page.get_by_label("Contraseña").fill(ACCOUNT.password)
    page.get_by_label("Introduce el código").fill(captcha_code(portal).swapcase())
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("button", name="Tramitar mi crédito")).to_be_visible()


def test_wrong_captcha_shows_a_message_and_a_new_code(page: Page, portal: MockPortal) -> None:
    log_in(page, portal, code="zzzzz")
    expect(page.get_by_role("alert")).to_contain_text("código de verificación es incorrecto")
    assert portal.state.password_attempts == 0  # the password is not checked with a wrong code


def test_wrong_password_is_rejected(page: Page, portal: MockPortal) -> None:
    log_in(page, portal, password="no-es-esta")
    expect(page.get_by_role("alert")).to_contain_text("El NSS o la contraseña son incorrectos")
    assert portal.state.password_attempts == 1


def test_pages_after_login_need_a_session(page: Page, portal: MockPortal) -> None:
    for path in ("inicio", "credito/solicitud", "mi-espacio", "documentos/aviso-retencion.pdf"):
        page.goto(portal.url + path)
        expect(page.get_by_label("Introduce el código")).to_be_visible()
        assert page.url == portal.url


def test_menu_submenu_and_mi_espacio(page: Page, portal: MockPortal) -> None:
    log_in(page, portal)
    menu = page.get_by_role("button", name="Tramitar mi crédito")
    expect(page.get_by_role("link", name="¿En qué va mi solicitud de crédito?")).to_be_hidden()
    menu.click()
    submenu = page.locator("#sub-credito").get_by_role("link")
    expect(submenu).to_have_count(4)  # a careless click goes elsewhere
    expect(page.get_by_role("link", name="Tramitar mi crédito en pareja")).to_be_visible()
    menu.click()
    go_to_mi_espacio(page)
    current = page.locator("[aria-current=step]")
    expect(current).to_contain_text("Formaliza tu crédito")
    expect(current).to_contain_text("Etapa actual")
    print_button = page.get_by_text("Imprime los documentos")
    expect(print_button).to_be_hidden()
    page.get_by_role("button", name="Indicaciones").click()
    expect(print_button).to_be_visible()


@pytest.mark.parametrize("delivery", DELIVERIES)
def test_each_delivery_mode_serves_the_notice(
    context: BrowserContext, start_portal: Callable[..., MockPortal], delivery: str
) -> None:
    portal = start_portal(delivery=delivery)
    page = context.new_page()
    log_in(page, portal)
    go_to_mi_espacio(page)
    page.get_by_role("button", name="Indicaciones").click()
    target = page.get_by_text("Imprime los documentos")
    if delivery == "attachment":
        with page.expect_download() as download:
            target.click()
        assert download.value.suggested_filename == f"AvisoRetencion_{ACCOUNT.credit_number}.pdf"
        assert download.value.path().read_bytes() == notice_pdf(ACCOUNT)
    elif delivery == "bytes-save":
        with page.expect_download() as download:
            target.click()
        assert download.value.url.startswith("blob:")
        assert download.value.path().read_bytes() == notice_pdf(ACCOUNT)
    elif delivery == "inline-same-tab":
        with page.expect_response(re.compile(r"aviso-retencion\.pdf$")) as response:
            target.click()
        assert response.value.headers["content-type"] == "application/pdf"
        assert response.value.headers["content-disposition"].startswith("inline")
        page.wait_for_url(re.compile(r"aviso-retencion\.pdf$"))
    else:
        with context.expect_page() as popup:
            target.click()
        shown = popup.value
        if delivery == "viewer":
            frame = shown.frame_locator("iframe[title=Documento]")
            expect(shown.locator("iframe[title=Documento]")).to_have_attribute("src", re.compile(r"^blob:"))
            data = frame.locator(":root").evaluate(
                "async () => Array.from(new Uint8Array(await (await fetch(location.href)).arrayBuffer()))"
            )
            assert bytes(data) == notice_pdf(ACCOUNT)
        elif delivery in ("blob", "base64-json", "bytes-tab"):
            shown.wait_for_url(re.compile(r"^blob:"))
            data = shown.evaluate(
                "async () => Array.from(new Uint8Array(await (await fetch(location.href)).arrayBuffer()))"
            )
            assert bytes(data) == notice_pdf(ACCOUNT)
        else:
            shown.wait_for_url(re.compile(r"aviso-retencion\.pdf"))
            if delivery == "form-post":
                assert "POST /documentos/aviso-retencion" in portal.state.requests
    assert portal.state.served_documents == [notice_pdf(ACCOUNT)]
    served = context.request.get(portal.url + "documentos/aviso-retencion.pdf")
    assert served.body() == notice_pdf(ACCOUNT)


def test_delay_is_added_to_every_response(page: Page, start_portal: Callable[..., MockPortal]) -> None:
    import time

    portal = start_portal(delay=0.4)
    started = time.monotonic()
    page.goto(portal.url)
    expect(page.get_by_role("img", name="Código de verificación")).to_be_visible()
    assert time.monotonic() - started >= 0.8  # the page and its captcha image


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ("wrong-captcha", "código de verificación es incorrecto"),
        ("wrong-password", "El NSS o la contraseña son incorrectos"),
        ("blocked", "Tu cuenta está bloqueada"),
        ("password-change", "es necesario que cambies tu contraseña"),
        ("unknown-login-message", "no pudimos validar tu información"),
    ],
)
def test_login_failures(page: Page, start_portal: Callable[..., MockPortal], failure: str, expected: str) -> None:
    portal = start_portal(failure=failure)
    log_in(page, portal)
    expect(page.get_by_text(expected)).to_be_visible()
    expect(page.get_by_role("button", name="Tramitar mi crédito")).to_be_hidden()


@pytest.mark.parametrize(
    ("failure", "status", "text"),
    [("maintenance", 503, "Sitio en mantenimiento"), ("access-denied", 403, "Access Denied")],
)
def test_portal_wide_failures(
    page: Page, start_portal: Callable[..., MockPortal], failure: str, status: int, text: str
) -> None:
    portal = start_portal(failure=failure)
    response = page.goto(portal.url)
    assert response is not None and response.status == status
    expect(page.get_by_role("heading", name=text)).to_be_visible()


@pytest.mark.parametrize("failure", ["server-error", "server-error-once"])
def test_server_error_on_one_step(page: Page, start_portal: Callable[..., MockPortal], failure: str) -> None:
    portal = start_portal(failure=failure)
    log_in(page, portal)
    page.get_by_role("button", name="Tramitar mi crédito").click()
    with page.expect_response(re.compile("/credito/solicitud$")) as response:
        page.get_by_role("link", name="¿En qué va mi solicitud de crédito?").click()
    assert response.value.status == 500
    expect(page.get_by_role("heading", name="Error inesperado")).to_be_visible()
    second = page.reload()
    assert second is not None and second.status == (500 if failure == "server-error" else 200)


def test_session_expires_once_at_mi_espacio(page: Page, start_portal: Callable[..., MockPortal]) -> None:
    portal = start_portal(failure="session-expired")
    log_in(page, portal)
    page.get_by_role("button", name="Tramitar mi crédito").click()
    page.get_by_role("link", name="¿En qué va mi solicitud de crédito?").click()
    page.get_by_role("link", name="Mi Espacio Infonavit").click()
    expect(page.get_by_role("alert")).to_contain_text("Tu sesión ha expirado")
    log_in(page, portal)
    go_to_mi_espacio(page)  # the second session lasts


def test_not_ready_shows_the_current_stage(page: Page, start_portal: Callable[..., MockPortal]) -> None:
    portal = start_portal(failure="not-ready")
    log_in(page, portal)
    go_to_mi_espacio(page)
    expect(page.locator("[aria-current=step]")).to_contain_text("Inscripción")
    expect(page.get_by_role("button", name="Indicaciones")).to_have_count(0)


def test_no_print_button(page: Page, start_portal: Callable[..., MockPortal]) -> None:
    portal = start_portal(failure="no-print")
    log_in(page, portal)
    go_to_mi_espacio(page)
    page.get_by_role("button", name="Indicaciones").click()
    expect(page.get_by_text("Entrégalo a tu patrón")).to_be_visible()
    expect(page.get_by_text("Imprime los documentos")).to_have_count(0)


def test_html_instead_of_pdf(context: BrowserContext, start_portal: Callable[..., MockPortal]) -> None:
    portal = start_portal(failure="html-instead-of-pdf")
    page = context.new_page()
    log_in(page, portal)
    go_to_mi_espacio(page)
    page.get_by_role("button", name="Indicaciones").click()
    with context.expect_page() as popup:
        page.get_by_text("Imprime los documentos").click()
    expect(popup.value.get_by_role("heading")).to_have_text("No fue posible generar el documento")
    assert portal.state.served_documents == []


def test_truncated_pdf(context: BrowserContext, start_portal: Callable[..., MockPortal]) -> None:
    portal = start_portal(failure="truncated-pdf")
    page = context.new_page()
    log_in(page, portal)
    go_to_mi_espacio(page)
    body = context.request.get(portal.url + "documentos/aviso-retencion.pdf").body()
    assert body.startswith(b"%PDF-") and b"%%EOF" not in body
    assert len(body) == len(notice_pdf(ACCOUNT)) // 2


def test_foreign_redirect_after_login(page: Page, start_portal: Callable[..., MockPortal]) -> None:
    portal = start_portal(failure="foreign-redirect")
    page.goto(portal.url)
    close_modal(page)
    page.get_by_label("Número de Seguridad Social (NSS)").fill(ACCOUNT.nss)
    page.get_by_label("Contraseña").fill(ACCOUNT.password)
    page.get_by_label("Introduce el código").fill(captcha_code(portal))
    with page.expect_request(re.compile(r"^http://127\.0\.0\.2:\d+/inicio")) as foreign:
        page.get_by_role("button", name="Iniciar sesión").click()
    redirect = foreign.value.redirected_from
    assert redirect is not None and redirect.url == portal.url + "login" and redirect.method == "POST"
    expect(page.get_by_label("Contraseña")).to_be_visible()  # a look-alike login on the recording host
    assert any(r.path == "/inicio" and r.method == "GET" for r in portal.foreign_requests)


def test_lookalike_login_records_what_is_typed(page: Page, start_portal: Callable[..., MockPortal]) -> None:
    portal = start_portal(failure="lookalike-login")
    response = page.goto(portal.url)
    assert response is not None and response.url == portal.foreign_url
    assert response.request.redirected_from is not None and response.request.redirected_from.url == portal.url
    for label in ("Número de Seguridad Social (NSS)", "Contraseña", "Introduce el código"):
        expect(page.get_by_label(label)).to_be_visible()
    expect(page.get_by_role("img", name="Código de verificación")).to_be_visible()
    expect(page.get_by_role("button", name="Iniciar sesión")).to_be_visible()
    assert not portal.field_values_reported
    page.get_by_role("button", name="Cerrar").click()
    with page.expect_request(re.compile(r"/__eventos$")):
        page.get_by_label("Número de Seguridad Social (NSS)").press_sequentially("849")
    with page.expect_response(re.compile(r"/micuenta/login$")):
        page.get_by_role("button", name="Iniciar sesión").click()
    for _ in range(50):  # the beacons travel on their own: give the server a moment to record them
        if any(e["value"] == "849" for e in portal.foreign_events):
            break
        page.wait_for_timeout(100)
    assert portal.field_values_reported
    assert any(e["field"] == "f1" and e["value"].startswith("84") for e in portal.foreign_events)
    assert {e["type"] for e in portal.foreign_events} >= {"input", "keydown"}
    posted = [r for r in portal.foreign_requests if r.method == "POST" and r.path == "/micuenta/login"]
    assert posted and b"f1=849" in posted[0].body
    assert all(r.headers.get("Host", "").startswith("127.0.0.2:") for r in portal.foreign_requests)
    assert portal.state.logins == 0


def test_other_pdf_is_a_whole_pdf_that_is_not_the_notice(
    context: BrowserContext, start_portal: Callable[..., MockPortal]
) -> None:
    portal = start_portal(failure="other-pdf")
    page = context.new_page()
    log_in(page, portal)
    body = context.request.get(portal.url + "documentos/aviso-retencion.pdf").body()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert body != notice_pdf(ACCOUNT)


def test_plain_markup_keeps_the_wording_but_not_the_markup(page: Page, start_portal: Callable[..., MockPortal]) -> None:
    portal = start_portal(plain_markup=True, mi_espacio_popup=True)
    page.goto(portal.url)
    overlay = page.locator("[aria-modal=true]")
    expect(overlay).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    overlay.get_by_role("button", name="Aceptar").click()
    expect(page.get_by_label("Introduce el código")).to_have_count(0)  # text beside the box, no <label>
    expect(page.get_by_text("Introduce el código", exact=True)).to_be_visible()
    page.locator("input[name=f1]").fill(ACCOUNT.nss)
    page.locator("input[name=f2]").fill(ACCOUNT.password)
    page.locator("input[name=f3]").fill(captcha_code(portal))
    page.get_by_role("button", name="Iniciar sesión").click()  # an <input type=submit>
    page.get_by_role("link", name="Tramitar mi crédito").click()
    page.get_by_role("link", name="¿En qué va mi solicitud de crédito?").click()
    with page.context.expect_page() as popup:  # opened by script, no target attribute
        page.get_by_role("button", name="Mi Espacio Infonavit").click()
    espacio = popup.value
    expect(espacio.get_by_text("En curso")).to_be_visible()
    expect(espacio.locator("[aria-current]")).to_have_count(0)
    espacio.get_by_role("link", name="Indicaciones").click()
    expect(espacio.get_by_text("Imprime los documentos")).to_be_visible()


def test_a_connection_the_browser_drops_prints_nothing(
    start_portal: Callable[..., MockPortal], capfd: pytest.CaptureFixture[str]
) -> None:
    # The demo runs the mock in the person's own process: a traceback from the server is a traceback they see.
    portal = start_portal()
    already = set(threading.enumerate())
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", portal.port)) as dropped:
            dropped.sendall(b"GET /micuenta/login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            dropped.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST

    def handling() -> bool:
        return any("process_request_thread" in t.name for t in set(threading.enumerate()) - already)

    deadline = time.monotonic() + 10
    while handling() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not handling()
    with urllib.request.urlopen(portal.url) as answer:  # the portal still serves
        assert answer.status == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception" not in err, err
