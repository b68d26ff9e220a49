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
