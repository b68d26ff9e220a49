"""The tabs the portal opens and the pages on their way, in any tab: what tells the walk that a click
asked for a page that has not come yet (a form sent into a new tab shows that tab only with the answer)."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from infonavit_fetch.delivery import is_top_level

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Request, Response

WAIT_SLICE_MS = 1000.0  # one slice of a wait: a page gone to another host meanwhile is seen within it


@dataclass
class Tabs:
    context: BrowserContext
    timeout: float  # seconds: how long pages on their way are waited for
    new_pages: list[Page] = field(default_factory=list)  # opened since the walk last followed one
    # Pages on their way, in any tab, by the order they were asked for; a redirect's next hop counts as
    # on its way from the redirect's answer until its own request (the order of the hop that redirected).
    navigations: dict[Request, int] = field(default_factory=dict)
    started: int = 0  # pages asked for so far
    redirect_pending: int = 0
    tab_on_its_way: int = 0  # the order of the last page asked for in a tab not open yet

    def listen(self) -> None:
        self.context.on("page", self.on_new_page)
        self.context.on("request", self.on_navigation_start)
        self.context.on("response", self.on_navigation_response)
        self.context.on("requestfinished", self.on_navigation_end)
        self.context.on("requestfailed", self.on_navigation_end)

    def on_new_page(self, page: Page) -> None:
        self.new_pages.append(page)

    def newest(self) -> Page | None:
        """The newest tab opened since this was last asked, still open (older ones are left)."""
        while self.new_pages:
            page = self.new_pages.pop()
            self.new_pages.clear()
            if not page.is_closed():
                return page
        return None

    def on_navigation_start(self, request: Request) -> None:
        # A tab's own page only: a frame's (an ad, a chat widget that keeps loading) is no page asked for.
        if request.is_navigation_request() and is_top_level(request):
            self.started += 1
            self.navigations[request] = self.started
            self.redirect_pending = 0
            if not self._in_known_tab(request):
                self.tab_on_its_way = self.started

    def on_navigation_response(self, response: Response) -> None:
        order = self.navigations.get(response.request, 0)
        if order and 300 <= response.status < 400:
            self.redirect_pending = order

    def on_navigation_end(self, request: Request) -> None:
        self.navigations.pop(request, None)

    def _in_known_tab(self, request: Request) -> bool:
        try:
            return request.frame.page in self.context.pages
        except Exception:  # a new tab's first request: its page is not known yet
            return False

    def wait_for_pages_since(self, started: int) -> bool:
        """Until the pages asked for after the `started`-th one have come, and the tab they open with
        them (a form sent into a new tab shows that tab only with the server's last answer); False when
        none was on its way."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        def pending() -> bool:
            return self.redirect_pending > started or any(order > started for order in self.navigations.values())

        if not pending():
            return False
        deadline = time.monotonic() + self.timeout
        while pending() and time.monotonic() < deadline:
            with contextlib.suppress(PlaywrightTimeout):
                self.context.wait_for_event("requestfinished", predicate=lambda _: not pending(), timeout=WAIT_SLICE_MS)
        if self.tab_on_its_way > started and not self.new_pages:
            with contextlib.suppress(PlaywrightTimeout):
                self.context.wait_for_event("page", timeout=max(deadline - time.monotonic(), 0.001) * 1000)
        return True
