"""Between two looks the walk waits for the page to change, not for time, and not in a busy loop."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from infonavit_fetch.walk import LOOK_SLICE_MS, Walk

if TYPE_CHECKING:
    from playwright.sync_api import Page


def walk_on(page: Page) -> Walk:
    run: Any = SimpleNamespace(page=page, settings=SimpleNamespace(route="formaliza"))
    return Walk(run)


def test_a_page_that_stays_put_is_waited_on_for_a_whole_slice(page: Page) -> None:
    page.set_content("<main><p>Cargando tu información…</p></main>")
    started = time.monotonic()
    assert walk_on(page).wait_for_change() is False
    assert time.monotonic() - started >= LOOK_SLICE_MS / 1000 * 0.9  # no busy loop of looks


def test_a_change_ends_the_wait_at_once(page: Page) -> None:
    page.set_content(
        "<main><p>Cargando…</p></main><script>setTimeout(() => document.querySelector('main')"
        ".insertAdjacentHTML('beforeend', '<a href=#>Mi Espacio Infonavit</a>'), 60)</script>"
    )
    started = time.monotonic()
    assert walk_on(page).wait_for_change() is True
    assert time.monotonic() - started < LOOK_SLICE_MS / 1000
