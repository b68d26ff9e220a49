"""The person beside the tool, in the visible browser (on Xvfb here): what their click brings is caught,
however the portal delivers it and whether or not the tool had asked them yet.

The person is played through the browser's debugging port, as in test_browser_captcha.py. The mock's
print control reads «Descargar aviso de retención» (failure renamed-print), words the tool does not
take for the manual's «Imprime los documentos»: only the person can make that last click.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from fixtures.mock_portal import DELIVERIES, MockPortal, notice_pdf
from infonavit_fetch.walk.walker import HANDOVER_PATIENCE
from tests.cli import Result, wait_browser_gone
from tests.test_browser_captcha import ACCOUNT, CAPTCHA_FOCUSED, as_the_person, free_port, pytestmark, visible_cli

__all__ = ["pytestmark"]  # needs Xvfb or a display, like the captcha typed in the browser

ASKED = "() => typeof window.__infonavitFetchClicked === 'function'"  # the tool asked and notes clicks
ASKED_TO_LOG_IN = ASKED
# The test's person attaches to the browser over CDP, and Playwright's attach takes the browser's downloads
# over for its own client: a PDF made in the page and only saved by a link with `download` (bytes-save) then
# never reaches the tool. A person at the window does not attach anything; the headless test of that delivery
# (test_download_e2e.py) shows the tool reads such a file.
PERSON_DELIVERIES = [delivery for delivery in DELIVERIES if delivery != "bytes-save"]


def run_beside(portal: MockPortal, tmp_path: Path, port: int, act: Callable[[Page], None]) -> Result:
    """The visible run with the person at the window; it must end with the notice's exact bytes."""
    out = tmp_path / "out"
    result = visible_cli(portal, tmp_path, port).run(
        # The person clicks within seconds of being asked: a notice lost ends the run in half a minute, not at
        # 150 s (and a break of the catcher is seen as soon).
        ["download", "--out", str(out), "-v", "--captcha-timeout", "30"],
        human=as_the_person(port, portal, act),
        timeout=150,
    )
    assert result.returncode == 0, result.stderr
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)
    assert wait_browser_gone(result.marker) == []
    return result


@pytest.mark.parametrize("delivery", PERSON_DELIVERIES)
def test_the_persons_click_brings_the_notice_whatever_way_it_comes(
    start_portal: Callable[..., MockPortal], tmp_path: Path, delivery: str
) -> None:
    portal = start_portal(delivery=delivery, failure="renamed-print")
    port = free_port()

    def act(page: Page) -> None:
        page.wait_for_function(CAPTCHA_FOCUSED, timeout=30_000)
        page.keyboard.type(portal.state.last_captcha)
        page.keyboard.press("Enter")
        # A person does not wait to be asked: they click what they recognise as soon as they see it.
        page.get_by_text("Descargar aviso de retención").click(timeout=60_000)

    run_beside(portal, tmp_path, port, act)
    assert portal.state.password_attempts == 1


@pytest.mark.parametrize("delivery", ["form-post", "blob", "generating"])
def test_the_click_the_person_was_asked_for_is_caught_too(
    start_portal: Callable[..., MockPortal], tmp_path: Path, delivery: str
) -> None:
    portal = start_portal(delivery=delivery, failure="renamed-print")
    port = free_port()

    def act(page: Page) -> None:
        page.wait_for_function(CAPTCHA_FOCUSED, timeout=30_000)
        page.keyboard.type(portal.state.last_captcha)
        page.keyboard.press("Enter")
        page.wait_for_function(ASKED, timeout=60_000)
        page.get_by_text("Descargar aviso de retención").click()

    result = run_beside(portal, tmp_path, port, act)
    assert "No encuentro «Imprime los documentos»" in result.stderr


def test_the_person_asked_for_a_click_gets_the_captcha_time_not_the_step_time(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    """A person asked for the last click is given --captcha-timeout, as the README says: here they take
    twice the --timeout of a portal step before clicking, and the notice is still caught."""
    portal = start_portal(failure="renamed-print")
    port = free_port()

    def act(page: Page) -> None:
        page.wait_for_function(CAPTCHA_FOCUSED, timeout=30_000)
        page.keyboard.type(portal.state.last_captcha)
        page.keyboard.press("Enter")
        page.wait_for_function(ASKED, timeout=60_000)
        page.wait_for_timeout(12_000)  # the person reads the window before clicking
        page.get_by_text("Descargar aviso de retención").click()

    out = tmp_path / "out"
    result = visible_cli(portal, tmp_path, port).run(
        ["download", "--out", str(out), "-v", "--timeout", "6", "--captcha-timeout", "90"],
        human=as_the_person(port, portal, act),
        timeout=150,
    )
    assert result.returncode == 0, result.stderr
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)
    assert "No encuentro «Imprime los documentos»" in result.stderr


def test_a_login_page_the_tool_cannot_fill_is_finished_by_the_person(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(failure="extra-login-field")  # «Clave de empleado»: nothing the tool has
    port = free_port()

    def act(page: Page) -> None:
        notice = page.locator("#aviso")  # the portal's notice over the login, closed as a person closes it
        page.add_locator_handler(notice, lambda: notice.get_by_role("button").first.click())
        page.get_by_label("Clave de empleado").wait_for(timeout=30_000)
        page.wait_for_function(ASKED_TO_LOG_IN, timeout=30_000)  # the tool asked and is watching
        page.get_by_label("Número de Seguridad Social (NSS)").fill(ACCOUNT.nss)
        page.get_by_label("Contraseña").fill(ACCOUNT.password)
        page.get_by_label("Clave de empleado").fill("E-1234")
        page.get_by_label("Introduce el código").fill(portal.state.last_captcha)
        page.get_by_role("button", name="Iniciar sesión").click()

    result = run_beside(portal, tmp_path, port, act)
    assert "Termina tú de entrar en la ventana del navegador" in result.stderr
    assert portal.state.password_attempts == 1  # the person's; the tool typed nothing


def test_a_window_that_says_it_prepares_the_notice_is_waited_for_not_handed_over(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    # Longer than the visible browser's patience before it asks the person (walk.HANDOVER_PATIENCE).
    portal = start_portal(delivery="generating", generating_s=HANDOVER_PATIENCE + 4)
    port = free_port()

    def act(page: Page) -> None:
        page.wait_for_function(CAPTCHA_FOCUSED, timeout=30_000)
        page.keyboard.type(portal.state.last_captcha)
        page.keyboard.press("Enter")

    result = run_beside(portal, tmp_path, port, act)
    # A person waits for «Generando documento…»; nobody is asked (the whole log on failure: a race shows there).
    assert "No encuentro" not in result.stderr, result.stderr
    assert "prepara el documento" in result.stderr
