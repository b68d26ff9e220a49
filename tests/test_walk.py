"""The walk after login, end to end: what happens when the way is lost on the way."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import pytest

from fixtures.mock_portal import MockPortal
from fixtures.mock_portal.server import LOOKALIKE_FAILURES
from tests.cli import Cli, wait_browser_gone

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page

HEADLESS = ["--headless", "--captcha", "terminal"]


@pytest.mark.parametrize(
    ("request_seen", "step"),
    [("GET /credito/solicitud", "walking"), ("GET /mi-espacio", "the PDF coming")],
)
def test_portal_gone_is_no_connection_at_once(
    start_portal: Callable[..., MockPortal], tmp_path: Path, request_seen: str, step: str
) -> None:
    # The mock answers each request a second late; it is gone before it answers the next one.
    portal = start_portal(delay=1.0)
    stopped_at: list[float] = []

    def pull_the_cable() -> None:
        deadline = time.monotonic() + 60
        while request_seen not in portal.state.requests:
            assert time.monotonic() < deadline, f"the run never sent {request_seen}"
            time.sleep(0.05)
        portal.cut()
        stopped_at.append(time.monotonic())

    out = tmp_path / "out"
    result = Cli(portal, tmp_path).run(
        ["download", *HEADLESS, "--out", str(out), "--timeout", "40"], human=pull_the_cable
    )
    ended = time.monotonic()
    assert result.returncode == 6, result.stderr
    assert "Se perdió la conexión con el portal" in result.stderr, step
    assert ended - stopped_at[0] < 15  # seconds, not the whole --timeout
    assert "Traceback" not in result.stderr
    assert not out.exists() or list(out.iterdir()) == []
    assert wait_browser_gone(result.marker) == []


@pytest.mark.parametrize("failure", LOOKALIKE_FAILURES)
def test_a_look_alike_host_never_gets_a_request(
    start_portal: Callable[..., MockPortal], tmp_path: Path, failure: str
) -> None:
    """The portal sends the browser to a copy of its login on another address (a redirect before or after
    login, or a script after login): the tool stops there, and the copy (a real server that records
    everything) receives nothing at all. The redirects are answered by `Run.guard_redirects`, the script's
    navigation by `Run.guard`: without either, the copy gets a request. Two logins' answers are 307s (the
    form, password and all, sent again where they point): one to `/\\<look-alike>/…`, which a browser reads
    as the other host, and one after the session expired, on the run's second login."""
    portal = start_portal(failure=failure)
    answers = {"lookalike-login": (), "foreign-while-typing": (), "relogin-redirect": ("right", "right")}.get(
        failure, ("right",)
    )
    started = time.monotonic()
    # A step time over the bound below: a page gone elsewhere seen only once a wait is out fails the bound.
    args = ["download", *HEADLESS, "--out", str(tmp_path / "out"), "--timeout", "25"]
    result = Cli(portal, tmp_path).run(args, answers=answers)
    assert result.returncode == 8, result.stderr
    assert "127.0.0.2" in result.stderr and "no es un sitio del Infonavit" in result.stderr
    assert time.monotonic() - started < 20  # at once, not after a wait for the boxes that went away
    if failure != "foreign-redirect":
        # Before the login, a redirect is answered before the browser follows it; a page's own
        # navigation elsewhere is stopped by the route on foreign hosts.
        assert portal.foreign_requests == []
    else:  # after the login the hop is seen, not stopped: the look-alike gets a bare page load at most
        assert all(request.method == "GET" and not request.body for request in portal.foreign_requests)
    assert not portal.field_values_reported
    assert wait_browser_gone(result.marker) == []


def test_a_click_that_cannot_happen_names_the_step_and_what_covers_it(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(failure="stuck-overlay")
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--out", str(tmp_path / "out"), "--timeout", "10"])
    assert result.returncode == 8, result.stderr
    assert "No se pudo hacer clic en «Indicaciones»: lo tapa «Estamos actualizando tu información»" in result.stderr
    assert "Traceback" not in result.stderr and "Timeout" not in result.stderr
    assert wait_browser_gone(result.marker) == []


def test_a_click_that_was_blocked_once_is_not_blamed_once_it_landed(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    """A layer kept the click from «Indicaciones» until Escape took it away; the click then landed, and what
    is really missing further on («Imprime los documentos») is what the person is told."""
    portal = start_portal(failure="escape-layer-no-print")
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--out", str(tmp_path / "out"), "--timeout", "8"])
    assert result.returncode == 8, result.stderr
    # What was missing, and the last step found before it.
    assert "No se encontró «Imprime los documentos» en el portal después de «Indicaciones»" in result.stderr
    assert "No se pudo hacer clic" not in result.stderr
    assert wait_browser_gone(result.marker) == []


def test_the_notice_handler_never_becomes_the_error_of_the_action(page: Page) -> None:
    """A dialog that fades out is still on screen when Playwright runs the handler, and gone by its click:
    the handler gives up quietly, and the action it ran before goes on (it once ended a run with exit 1)."""
    from infonavit_fetch.browser.session import Run

    page.set_content("<div role=dialog><p>Aviso</p><button>Aceptar</button></div><input>")
    page.set_default_timeout(6000)
    button = page.get_by_role("button", name="Aceptar")
    page.evaluate("document.querySelector('[role=dialog]').remove()")
    logged: list[str] = []
    started = time.monotonic()
    Run._close_modal(cast(Run, SimpleNamespace(log=logged.append)), button)
    assert time.monotonic() - started < 5
    assert logged == ["se cerró un aviso (ventana modal) que cubría la página"]


def test_a_portal_without_its_login_form_is_exit_8_in_spanish(portal: MockPortal, tmp_path: Path) -> None:
    """A page where the login form never shows (the address changed, a new design): said, not a traceback."""
    result = Cli(portal, tmp_path).run(
        ["download", *HEADLESS, "--portal-url", portal.url + "pendiente", "--timeout", "3", "-o", str(tmp_path)]
    )
    assert result.returncode == 8, result.stderr
    said = "No se encontró en el portal el campo «Número de Seguridad Social (NSS)» para iniciar sesión."
    assert said in result.stderr
    assert "Traceback" not in result.stderr and portal.state.password_attempts == 0


def test_the_browsers_own_dialogs_are_answered_as_a_person_does(page: Page) -> None:
    """«Aceptar» on an alert or a confirm; a prompt that asks to type something is declined, never answered
    with an empty text the portal could take for an answer."""
    from types import SimpleNamespace

    from infonavit_fetch.browser.session import Run

    run: Any = SimpleNamespace(log=lambda _message: None, said_in_dialogs=[])

    def answer(dialog: Dialog) -> None:
        Run.on_dialog(run, dialog)

    page.on("dialog", answer)
    page.set_content("<p>Mi Cuenta</p>")
    assert page.evaluate("() => confirm('¿Salir de esta página?')") is True
    assert page.evaluate("() => prompt('Escribe tu RFC', 'XAXX010101000')") is None
    assert run.said_in_dialogs == ["¿Salir de esta página?", "Escribe tu RFC"]
