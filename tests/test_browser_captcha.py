"""The default mode: a visible browser (on Xvfb here) where the person types the captcha themselves.

The test plays that person through the browser's debugging port: it types into the tool's own page.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from fixtures.mock_portal import ACCOUNTS, MockPortal, notice_pdf
from tests.cli import Cli, wait_browser_gone

pytestmark = pytest.mark.skipif(
    not shutil.which("xvfb-run") and not os.environ.get("DISPLAY"), reason="needs Xvfb or a display"
)

ACCOUNT = ACCOUNTS[0]
CAPTCHA_FOCUSED = "() => document.activeElement && document.activeElement.name === 'f3'"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def visible_cli(portal: MockPortal, tmp_path: Path, port: int) -> Cli:
    wrapper = ("xvfb-run", "-a", "-s", "-screen 0 1280x960x24") if shutil.which("xvfb-run") else ()
    cli = Cli(portal, tmp_path, browser_args=(f"--remote-debugging-port={port}",), wrapper=wrapper)
    if not wrapper:
        cli.env["DISPLAY"] = os.environ["DISPLAY"]
    return cli


def as_the_person(port: int, portal: MockPortal, act: Callable[[Page], None]) -> Callable[[], None]:
    """Attach to the tool's browser as the person sitting at it, then `act` on the tool's page."""

    def play() -> None:
        with sync_playwright() as pw:
            deadline = time.monotonic() + 60
            while True:
                try:
                    browser = pw.chromium.connect_over_cdp(f"http://127.0.0.1:{port}", timeout=5000)
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            context = browser.contexts[0]
            page = context.pages[0] if context.pages else context.wait_for_event("page")
            page.wait_for_url(lambda url: url.startswith(portal.url), timeout=60_000)
            act(page)

    return play


def test_person_types_a_wrong_code_then_the_right_one(portal: MockPortal, tmp_path: Path) -> None:
    port = free_port()

    def act(page: Page) -> None:
        page.wait_for_function(CAPTCHA_FOCUSED, timeout=30_000)  # the tool put the cursor there
        page.keyboard.type("zzzzz")
        page.get_by_role("button", name="Iniciar sesión").click()
        page.get_by_text("código de verificación es incorrecto").wait_for()
        page.wait_for_function(CAPTCHA_FOCUSED, timeout=30_000)  # NSS and password again, cursor back
        # The person looks at the form they are about to send: the password is in it (a state the page reaches,
        # read with expect; once, in CI, an immediate read right after the cursor came back saw it empty).
        expect(page.get_by_label("Contraseña")).not_to_have_value("")
        page.keyboard.type(portal.state.last_captcha)
        page.keyboard.press("Enter")

    cli = visible_cli(portal, tmp_path, port)
    result = cli.run(["download", "--out", str(tmp_path)], human=as_the_person(port, portal, act), timeout=150)
    assert result.returncode == 0, result.stderr
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)
    assert "En la ventana del navegador escribe el código" in result.stderr
    assert "Intento 2 de 3" in result.stderr
    assert portal.state.password_attempts == 1
    assert wait_browser_gone(result.marker) == []


def test_person_closes_the_browser_window(portal: MockPortal, tmp_path: Path) -> None:
    port = free_port()

    def act(page: Page) -> None:
        page.wait_for_function(CAPTCHA_FOCUSED, timeout=30_000)
        page.close()

    temp = Path(tempfile.mkdtemp(prefix="t-"))  # the run's own temporary folder: other runs may go on meanwhile
    out = tmp_path / "out"
    cli = visible_cli(portal, tmp_path, port)
    cli.env["TMPDIR"] = str(temp)
    result = cli.run(["download", "--out", str(out)], human=as_the_person(port, portal, act), timeout=150)
    assert result.returncode == 130, result.stderr
    assert list(temp.glob("infonavit-fetch-*")) == []  # profile removed
    assert "Se cerró la ventana del navegador" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() or list(out.iterdir()) == []
    assert wait_browser_gone(result.marker) == []
    shutil.rmtree(temp, ignore_errors=True)


def test_the_person_makes_the_click_the_tool_cannot_find(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(failure="renamed-print")
    port = free_port()

    def act(page: Page) -> None:
        page.wait_for_function(CAPTCHA_FOCUSED, timeout=30_000)
        page.keyboard.type(portal.state.last_captcha)
        page.keyboard.press("Enter")
        # The tool asks for help (and starts noting clicks) only once it cannot find the words itself.
        page.wait_for_function("() => typeof window.__infonavitFetchClicked === 'function'", timeout=60_000)
        page.get_by_text("Descargar aviso de retención").click()

    cli = visible_cli(portal, tmp_path, port)
    report = tmp_path / "informe"
    out = tmp_path / "out"
    result = cli.run(
        ["download", "--out", str(out), "--debug-dir", str(report)], human=as_the_person(port, portal, act), timeout=150
    )
    assert result.returncode == 0, result.stderr
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)
    assert "No encuentro «Imprime los documentos»" in result.stderr
    log = next(report.rglob("registro.txt")).read_text(encoding="utf-8")
    assert "la persona hizo clic en 'Descargar aviso de retención'" in log
    assert wait_browser_gone(result.marker) == []
