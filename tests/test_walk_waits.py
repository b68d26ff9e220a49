"""Between two looks the walk waits for the page to change, not for time, and not in a busy loop."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest

from fixtures.mock_portal import MockPortal
from infonavit_fetch.browser.tabs import Tabs
from infonavit_fetch.site import portal
from infonavit_fetch.walk.hands import FIRST_TRY_MS, Hands
from infonavit_fetch.walk.look import MARK
from infonavit_fetch.walk.policy import Memory
from infonavit_fetch.walk.sight import LOOK_SLICE_MS, Eyes
from tests.cli import Cli
from tests.web import Handler, serving

if TYPE_CHECKING:
    from playwright.sync_api import Page


def walk_on(page: Page, html: str) -> Eyes:
    """A walk on `html`, served as a page of its own (a whole navigation, nothing left to commit)."""
    page.route("http://portal.test/**", lambda route: route.fulfill(content_type="text/html", body=html))
    page.goto("http://portal.test/")
    run: Any = SimpleNamespace(page=page, settings=SimpleNamespace(route="formaliza"))
    return Eyes(run)


def test_a_page_that_stays_put_is_waited_on_for_a_whole_slice(page: Page) -> None:
    walk = walk_on(page, "<main><p>Cargando tu información…</p></main>")
    # A page just opened, on a loaded machine, may still be settling (CI once saw this first wait end at
    # once); the promise is about a page that stays put, so it is measured on the next wait.
    walk.wait_for_change()
    started = time.monotonic()
    assert walk.wait_for_change() is False
    assert time.monotonic() - started >= LOOK_SLICE_MS / 1000 * 0.9  # no busy loop of looks


def test_a_change_ends_the_wait_at_once(page: Page) -> None:
    walk = walk_on(
        page,
        # a page that keeps changing (a progress text): whenever the wait starts, a change comes soon
        "<main><p>Cargando</p></main><script>setInterval(() => document.querySelector('p').append('.'), 30)</script>",
    )
    started = time.monotonic()
    assert walk.wait_for_change(slice_ms=10_000) is True
    assert time.monotonic() - started < 2  # seconds: the change, not the slice, ended it


def test_a_click_that_opens_a_slow_tab_is_not_pressed_again(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    """«Mi Espacio Infonavit» opens in a new tab that shows only with the server's answer: a person waits
    for it, and does not open a second one."""
    portal = start_portal(variant="bootstrap", delay=0.5)
    result = Cli(portal, tmp_path).run(["download", "--headless", "--captcha", "terminal", "-o", str(tmp_path)])
    assert result.returncode == 0, result.stderr
    assert portal.state.requests.count("GET /mi-espacio") == 1, result.stderr


def test_a_wait_that_ends_with_the_pages_own_no_change_is_no_change() -> None:
    """On a busy machine the page's timer and Playwright's run out together and the wait ends with the
    page's answer (false) instead of a timeout: that is no change, not a reason to look again at once."""

    class Answer:
        def __init__(self, value: bool) -> None:
            self.value = value

        def json_value(self) -> bool:
            return self.value

    class Frame:
        def __init__(self, value: bool) -> None:
            self.value = value

        def wait_for_function(self, *args: object, **kwargs: object) -> Answer:
            return Answer(self.value)

    walk = Eyes(SimpleNamespace(page=None))  # type: ignore[arg-type]
    assert walk.wait_for_change(Frame(False), prev="x") is False  # type: ignore[arg-type]
    assert walk.wait_for_change(Frame(True), prev="x") is True  # type: ignore[arg-type]


class SendsBack(Handler):
    """A portal that sends every page back to its notice until the notice is answered, slowly: the
    step's page comes back as the very same address, after longer than a click's first try."""

    asked: list[str]

    def do_GET(self) -> None:
        self.asked.append(self.path)
        if self.path == "/credito/solicitud":
            time.sleep(FIRST_TRY_MS / 1000 + 1)  # the portal's slow answer, not the tool's wait
            self.send_response(302)
            self.send_header("Location", "/aviso-privacidad")
            self.end_headers()
            return
        self.send_page(
            200,
            "<!doctype html><html lang=es><body><h1>Aviso de privacidad</h1>"
            '<nav><a href="/credito/solicitud">¿En qué va mi solicitud de crédito?</a></nav></body></html>',
        )


@pytest.fixture
def sends_back() -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []
    with serving(type("Handler", (SendsBack,), {"asked": asked})) as url:
        yield url, asked


def test_a_click_the_portal_answers_slowly_with_the_same_page_is_not_pressed_again(
    page: Page, sends_back: tuple[str, list[str]]
) -> None:
    """The click took effect (a page was asked for) though the portal's answer is the address the click
    was made on: a person sees the page reload and does not press again (on a busy machine the walk once
    took such a click for one that never landed, and ended with exit 8)."""
    url, asked = sends_back
    logged: list[str] = []
    tabs = Tabs(page.context, timeout=10)
    tabs.listen()
    run: Any = SimpleNamespace(
        page=page,
        tabs=tabs,
        log=logged.append,
        settings=SimpleNamespace(timeout=10, timeout_ms=10_000, route="formaliza"),
    )
    page.goto(f"{url}aviso-privacidad")
    page.locator("a").evaluate(f"a => a.setAttribute('{MARK}', 'step')")
    hands = Hands(run, Eyes(run), Memory(route=portal.FORMALIZA))
    assert hands.click(page.main_frame, "step", "¿En qué va mi solicitud de crédito?") is True
    page.wait_for_load_state()
    assert asked.count("/credito/solicitud") == 1, logged
    assert hands.changed
