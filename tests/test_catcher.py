"""The one catcher: what it notes of the portal's answers, without a browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infonavit_fetch.delivery import Catcher

PORTAL = "http://127.0.0.1:8123/"


@dataclass(eq=False)
class Request:
    url: str = PORTAL + "documentos/aviso-retencion.pdf"
    resource_type: str = "document"
    method: str = "GET"


@dataclass(eq=False)
class Response:
    request: Request = field(default_factory=Request)
    status: int = 200
    headers: dict[str, str] = field(
        default_factory=lambda: {"content-type": "application/pdf", "content-length": "1492"}
    )


def armed_catcher() -> Catcher:
    catcher = Catcher(context=Any, portal_url=PORTAL, log=lambda line: None, judge=lambda data: True)  # type: ignore[arg-type]
    catcher.armed = 1
    return catcher


def test_an_answer_the_armed_route_never_saw_is_still_noted() -> None:
    """A person's click a moment before the hand-over armed the route: its request went out unrouted, and on
    a busy machine its answer is reported after the arming. It is read like any other, not dropped."""
    catcher = armed_catcher()
    late = Response()
    catcher._on_response(late)  # type: ignore[arg-type]
    assert catcher._queued == [late]  # type: ignore[comparison-overlap]


def test_an_answer_the_armed_route_read_is_not_read_twice() -> None:
    catcher = armed_catcher()
    routed = Response()
    catcher._routed.add(routed.request)  # type: ignore[arg-type]
    catcher._on_response(routed)  # type: ignore[arg-type]
    assert catcher._queued == []


class ViewerResponse(Response):
    def body(self) -> bytes:
        raise RuntimeError("the viewer's page holds no body")


@dataclass
class Answer:
    data: bytes
    ok: bool = True

    def body(self) -> bytes:
        return self.data


@dataclass
class Portal:
    """The session's own requests: the first ones fail (a portal slow for a moment, a busy machine)."""

    failures: int
    asked: int = 0

    def get(self, url: str, **_: Any) -> Answer:
        self.asked += 1
        if self.asked <= self.failures:
            raise TimeoutError("Request timed out after 15000ms")
        return Answer(b"%PDF-1.4 the notice")


@dataclass
class Context:
    request: Portal
    pages: list[Any] = field(default_factory=list)


def test_a_pdf_in_the_viewer_whose_second_asking_failed_is_asked_for_again() -> None:
    """The notice shown in the browser's viewer is asked for again with the session's cookies; when that
    answer fails, the next looks ask again (a few times), instead of forgetting the notice for good."""
    said: list[str] = []
    portal = Portal(failures=2)
    catcher = Catcher(context=Context(portal), portal_url=PORTAL, log=said.append, judge=lambda data: True)  # type: ignore[arg-type]
    catcher._on_response(ViewerResponse())  # type: ignore[arg-type]
    assert catcher.poll() is None
    assert catcher.poll() is None
    assert catcher.poll() == b"%PDF-1.4 the notice"
    assert portal.asked == 3
    assert catcher.poll() == b"%PDF-1.4 the notice" and portal.asked == 3  # read once it came
    assert "no se pudo volver a pedir el documento del visor" in said[0] and "intento 1 de 3" in said[0]


def test_a_pdf_in_the_viewer_that_never_comes_is_given_up_after_a_few_askings() -> None:
    portal = Portal(failures=10)
    catcher = Catcher(context=Context(portal), portal_url=PORTAL, log=lambda line: None, judge=lambda data: True)  # type: ignore[arg-type]
    catcher._on_response(ViewerResponse())  # type: ignore[arg-type]
    for _ in range(5):
        assert catcher.poll() is None
    assert portal.asked == 3
