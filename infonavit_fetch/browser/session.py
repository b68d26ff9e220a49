"""The browser session of one run: the tab being driven, what the run has seen, and its guards.

The steps (login, walk, capture) act through a `Run`; it keeps the browser on the portal's hosts, notes
each page's status, follows tabs the portal opens, and turns what a page says into the run's errors.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from infonavit_fetch.browser.tabs import WAIT_SLICE_MS, Tabs
from infonavit_fetch.cli.console import Console
from infonavit_fetch.cli.settings import Settings
from infonavit_fetch.delivery import Catcher, is_top_level
from infonavit_fetch.errors import FetchError, connection_lost, foreign_host_error, unavailable
from infonavit_fetch.js import script
from infonavit_fetch.login.captcha import CaptchaSolver
from infonavit_fetch.outputs.diagnostics import StepLog, dialog_word, redact_zip, why
from infonavit_fetch.site import portal
from infonavit_fetch.site.portal import LoginPage

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Dialog, Locator, Page, Request, Response, Route

# Tells the tool what the person clicks (js/record_clicks.js).
RECORD_CLICKS_JS = script("record_clicks")

NOTICE_CLICK_MS = 2000.0  # the notice handler's click: a dialog that is closing takes its button away


@dataclass(frozen=True)
class Credentials:
    nss: str
    password: str = field(repr=False)


@dataclass
class Run:
    """One download: the browser, the page being driven, and what the run has seen."""

    settings: Settings
    credentials: Credentials
    solver: CaptchaSolver
    console: Console
    log: StepLog
    context: BrowserContext
    page: Page
    catcher: Catcher
    last_status: int = 0
    last_method: str = "GET"
    foreign_url: str = ""
    network_error: str = ""  # the failure of the last page that could not load (no connection)
    traces: list[Path] = field(default_factory=list)
    said_in_dialogs: list[str] = field(default_factory=list)  # what the browser's own dialogs said
    sends: int = 0  # requests that could carry what a form holds: any but GET, and every page asked for
    recording: bool = False  # the person's clicks are noted (once the tool asked them for one)
    tabs: Tabs = field(init=False)  # the tabs the portal opens, the pages on their way

    def __post_init__(self) -> None:
        self.tabs = Tabs(self.context, self.settings.timeout)

    def on_dialog(self, dialog: Dialog) -> None:
        """A dialog of the browser itself (alert, confirm, "leave this page?") is answered as a person
        does, with «Aceptar»; one that asks to type something is declined. What it said is kept: older
        portals answer a login that way."""
        message = " ".join(dialog.message.split())
        self.log(f"el navegador mostró un diálogo del portal ({dialog_word(dialog.type)}): {message[:160]!r}")
        self.said_in_dialogs.append(message)
        with contextlib.suppress(Exception):
            if dialog.type == "prompt":
                dialog.dismiss()
            else:
                dialog.accept()

    def record_clicks(self) -> None:
        """Note what the person clicks (its visible text) in the step log, for the report: from the moment
        the tool asks them for a click, in every page and frame."""
        if self.recording:
            return
        self.recording = True
        self.context.expose_binding(
            "__infonavitFetchClicked", lambda source, text: self.log(f"la persona hizo clic en {text!r}")
        )
        self.context.add_init_script(script=f"({RECORD_CLICKS_JS})()")
        for page in self.context.pages:
            for frame in page.frames:
                with contextlib.suppress(Exception):
                    frame.evaluate(RECORD_CLICKS_JS)

    def follow_new_tab(self) -> Page | None:
        """The newest tab the portal opened becomes the run's tab; None when none opened."""
        page = self.tabs.newest()
        if page is not None:
            self.page = page
            self.watch(page)
        return page

    # --- plumbing -------------------------------------------------------------------------------

    def watch(self, page: Page) -> None:
        page.set_default_timeout(self.settings.timeout_ms)
        page.set_default_navigation_timeout(self.settings.timeout_ms)
        page.on("response", self._on_response)
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_request_failed)
        # The notice over the login page (and any like it) is closed before each action it would block;
        # a dialog that is a step of the route is left to the walk.
        self._add_notice_handler(page)

    @staticmethod
    def _notice_close(page: Page) -> Locator:
        # One locator for adding and removing the handler: Playwright tells handlers apart by it.
        return LoginPage(page).modal_close_button(sparing_the_route=True)

    def _add_notice_handler(self, page: Page) -> None:
        page.add_locator_handler(self._notice_close(page), lambda btn: self._close_modal(btn), no_wait_after=True)

    @contextmanager
    def closing_it_myself(self) -> Iterator[None]:
        """The walk presses an overlay's own close control: the notice handler stands aside meanwhile.
        Before the walk's click it would close the same dialog by its «Cerrar», and the walk's click would
        then wait its whole time for a control that is gone."""
        page = self.page
        page.remove_locator_handler(self._notice_close(page))
        try:
            yield
        finally:
            if not page.is_closed():
                self._add_notice_handler(page)

    def _close_modal(self, button: Locator) -> None:
        from playwright.sync_api import Error as PlaywrightError

        self.log("se cerró un aviso (ventana modal) que cubría la página")
        # force: the button of a dialog on top, just found visible; no need to wait for it to be still.
        # A dialog that fades out is still "visible" for a moment, and then gone: its button with it.
        # Whatever happens here must not become the error of the action Playwright ran the handler for.
        with contextlib.suppress(PlaywrightError):
            button.click(force=True, timeout=NOTICE_CLICK_MS)

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.is_navigation_request() and is_top_level(request):
            self.last_status = response.status
            self.last_method = request.method
            self.log(f"página {response.status} {request.method} {response.url}")

    def _on_request(self, request: Request) -> None:
        if request.method != "GET" or (request.is_navigation_request() and is_top_level(request)):
            self.sends += 1
        # Routes do not see the hops of a redirect, so a redirect away from the portal is caught here.
        if (
            request.is_navigation_request()
            and is_top_level(request)
            and not portal.portal_host_allowed(request.url, self.settings.portal_url)
        ):
            self.foreign_url = self.foreign_url or request.url
            self.log(f"el portal redirigió a un sitio externo: {request.url}")

    def _on_request_failed(self, request: Request) -> None:
        failure = request.failure or ""
        if request.is_navigation_request() and is_top_level(request) and "ERR_ABORTED" not in failure:
            self.network_error = failure or "net::ERR_FAILED"
            self.log(f"la página no llegó (falla de red: {self.network_error.removeprefix('net::')}): {request.url}")

    def act_on_portal(self, action: Callable[[float], object]) -> None:
        """An action on the page (a box filled) given the run's timeout in slices, so that a page that went to
        another host meanwhile stops it at once instead of after the whole wait for a box that went away."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        deadline = time.monotonic() + self.settings.timeout_ms / 1000
        while True:
            self.ensure_on_portal()
            remaining = (deadline - time.monotonic()) * 1000
            try:
                action(max(1.0, min(WAIT_SLICE_MS, remaining)))
                return
            except PlaywrightTimeout:
                if remaining <= WAIT_SLICE_MS:
                    raise

    def ensure_on_portal(self) -> None:
        """Stop before anything is typed or clicked on a page that is not the portal's (a redirect hop
        to another host is seen by an event, never by a route), or after the connection was lost."""
        if self.foreign_url:
            raise foreign_host_error(self.foreign_url)
        if not self.page.is_closed() and not portal.portal_host_allowed(self.page.url, self.settings.portal_url):
            raise foreign_host_error(self.page.url)
        if self.network_error or self.page.url.startswith("chrome-error://"):
            raise connection_lost(self.network_error)

    @contextmanager
    def redirects_guarded(self) -> Iterator[None]:
        """While the secrets are typed and sent: each page load of the portal goes through
        `guard_redirects`; afterwards pages load untouched."""
        on_portal = portal.maybe_portal_rx(self.settings.portal_url)
        self.context.route(on_portal, self.guard_redirects)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):  # the browser may be gone already
                self.context.unroute(on_portal, self.guard_redirects)

    def guard_redirects(self, route: Route) -> None:
        """Until the login is done, the portal's own page loads: a redirect to another host is answered
        here, before the browser follows it (the hops of a redirect reach no route), so a look-alike
        login never sees a request, let alone the NSS or the password."""
        request = route.request
        if not (
            request.is_navigation_request()
            and is_top_level(request)
            and portal.is_portal_origin(request.url, self.settings.portal_url)
        ):
            route.fallback()
            return
        try:
            response = route.fetch(max_redirects=0)
        except Exception:  # no connection: let the browser meet the failure itself
            route.fallback()
            return
        location = response.headers.get("location", "")
        if 300 <= response.status < 400 and location:
            target = portal.browser_target(request.url, location)
            if portal.odd_address(location) or not portal.portal_host_allowed(target, self.settings.portal_url):
                self.foreign_url = target
                self.log(f"el portal quiso llevar el navegador a un sitio externo: {target}")
                route.fulfill(
                    status=200, content_type="text/html; charset=utf-8", body=portal.foreign_host_page(target)
                )
                return
        if request.method == "GET" and not 300 <= response.status < 400:
            # A page handed over from a fetch loses its cross-origin frames (a captcha widget would be
            # one): the browser loads it itself. A form is never sent twice: its answer is handed over.
            route.continue_()
            return
        route.fulfill(response=response)

    def guard(self, route: Route) -> None:
        """Keep the browser on the portal: a navigation elsewhere is stopped and shown as such."""
        request = route.request
        # Only the page itself: frames from elsewhere (a captcha widget, a map) are the portal's business.
        if (
            request.is_navigation_request()
            and is_top_level(request)
            and not portal.portal_host_allowed(request.url, self.settings.portal_url)
        ):
            self.foreign_url = request.url
            self.log(f"navegación bloqueada hacia un sitio externo: {request.url}")
            route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=portal.foreign_host_page(request.url)
            )
        else:
            route.fallback()

    def wait_for_any(self, candidates: dict[str, Locator], timeout_ms: float | None = None) -> str:
        """Wait until one of the candidates is visible and say which (first in order wins)."""
        combined: Locator | None = None
        for locator in candidates.values():
            combined = locator if combined is None else combined.or_(locator)
        assert combined is not None
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        timeout = self.settings.timeout_ms if timeout_ms is None else timeout_ms
        deadline = time.monotonic() + timeout / 1000
        while True:
            # In slices, so that a redirect to a foreign host (seen by an event, not on the page) stops
            # the wait at once; each slice still waits for a state, not for time.
            remaining = (deadline - time.monotonic()) * 1000
            try:
                combined.first.wait_for(state="visible", timeout=max(1.0, min(WAIT_SLICE_MS, remaining)))
                self.ensure_on_portal()
            except PlaywrightTimeout:
                self.ensure_on_portal()
                if remaining <= WAIT_SLICE_MS:
                    raise
                continue
            for name, locator in candidates.items():
                if locator.is_visible():
                    return name

    def problem(self) -> FetchError:
        """The error for a page that says the portal cannot serve, or a foreign host."""
        if self.foreign_url:
            return foreign_host_error(self.foreign_url)
        outcome = portal.classify_status(self.last_status) or portal.classify_message(self._visible_text())
        return unavailable(outcome, self.last_status)

    def _visible_text(self) -> str:
        try:
            return self.page.locator("body").inner_text(timeout=5000)
        except Exception:
            return ""

    # --- traces (only after login: they would hold whatever is typed while they run) --------------

    def start_trace(self) -> None:
        if self.settings.trace and self.settings.debug_dir is not None:
            self.context.tracing.start(screenshots=True, snapshots=True)
            self.log("traza de Playwright iniciada (después del inicio de sesión)")

    def stop_trace(self, folder: Path | None) -> None:
        if not self.settings.trace or folder is None:
            return
        path = folder / f"traza-{len(self.traces) + 1}.zip"
        try:
            self.context.tracing.stop(path=str(path))
        except Exception as exc:
            self.log(f"no se pudo guardar la traza: {why(exc)}")
            return
        redact_zip(path, self.log.redactor)
        self.traces.append(path)
