"""The end of the walk without a browser: a window that prepares the document is waited for, also in
the moment it moves on to the document (on a busy machine its words are gone before the PDF is caught)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from infonavit_fetch.site import portal
from infonavit_fetch.walk.ending import Ending
from infonavit_fetch.walk.policy import Memory


class Page:
    def __init__(self, text: str) -> None:
        self.text = text

    def is_closed(self) -> bool:
        return False

    def locator(self, selector: str) -> Any:
        return SimpleNamespace(inner_text=lambda timeout: self.text)


def ending(*pages: Page, caught: bytes | None = None, on_their_way: int = 0) -> Ending:
    run: Any = SimpleNamespace(
        catcher=SimpleNamespace(poll=lambda: caught),
        context=SimpleNamespace(pages=list(pages)),
        tabs=SimpleNamespace(navigations={object(): n for n in range(on_their_way)}),
        log=lambda message: None,
    )
    return Ending(run, hands=None, memory=Memory(portal.FORMALIZA))  # type: ignore[arg-type]


def test_a_window_that_says_it_prepares_the_document_is_waited_for() -> None:
    assert ending(Page("Mi Espacio"), Page("Generando documento, espere por favor…")).portal_is_preparing()


def test_no_such_window_is_no_reason_to_wait() -> None:
    assert not ending(Page("Mi Espacio"), Page("Indicaciones")).portal_is_preparing()


def test_the_window_on_its_way_to_the_document_is_still_waited_for() -> None:
    window = Page("Generando documento…")
    end = ending(window)
    run: Any = end.run
    assert end.portal_is_preparing()
    window.text = ""  # its words gone: the next page is on its way
    run.tabs.navigations = {object(): 1}
    assert end.portal_is_preparing()
    run.tabs.navigations = {}  # and nothing on its way: it has stopped preparing
    assert not end.portal_is_preparing()


def test_a_page_on_its_way_alone_is_no_window_that_prepares() -> None:
    assert not ending(Page("Mi Espacio"), on_their_way=1).portal_is_preparing()


def test_a_document_caught_meanwhile_is_waited_for_not_handed_over() -> None:
    assert ending(Page("Mi Espacio"), caught=b"%PDF-1.7").portal_is_preparing()
