"""The one catcher of the run: from the login to the end, whatever brings the notice, whoever clicked.

Chromium shows an inline PDF in its viewer and fires no download; `response.body()` then only holds the
viewer's HTML. So the catcher works two ways:
- Always (passive): it listens to every tab, popup and frame. A response of the portal that carries a
  PDF or base64 of one (fetch, XHR), a download, a `blob:` or `data:` document in a tab, frame, embed or
  object, a tab showing a PDF in the viewer (asked for again) are all read where they end up. A person's
  click in the visible browser is caught the same way as the tool's.
- Armed (around the tool's click on the print step, and while the person is asked for a click): every
  response from the portal's hosts that could carry the document goes through a route that fetches it,
  keeps a PDF's bytes (whatever its content type) and hands the response on to the browser unchanged.
  That covers attachments, inline tabs, `window.open`, form posts and one-time links.

Every PDF caught is a candidate, judged by its content: the one that reads as the retention notice wins;
another document is kept only to be reported (never by its address, nor by who clicked).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from infonavit_fetch.delivery.ways import (
    MAX_NOTICE_BYTES,
    TEXT_KINDS,
    blob_bytes,
    data_url_bytes,
    download_bytes,
    pdf_in_body,
    refetch,
)
from infonavit_fetch.errors import PortalChanged, PortalUnavailable, connection_lost
from infonavit_fetch.i18n import t
from infonavit_fetch.outputs.diagnostics import resource_word, why
from infonavit_fetch.site.portal import WORKING_WORDS, Label, is_portal_origin, maybe_portal_rx
from infonavit_fetch.site.text import fold

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Download, Frame, Page, Request, Response, Route

    from infonavit_fetch.delivery.printing import Printer

CARRIERS = ("document", "fetch", "xhr", "other")
SLICE_MS = 250  # between two looks at what reached no route (blob: tabs and frames, downloads)
SMALLEST_PDF = 200  # a JSON or text answer shorter than this carries no PDF
ASK_AGAIN = 3  # how often a PDF shown in the viewer is asked for again before it is given up


class NothingDelivered(PortalChanged):
    """The print step was pressed and nothing came in time (no PDF, no page)."""


@dataclass(frozen=True)
class Candidate:
    data: bytes
    source: str
    notice: bool | None  # reads as the retention notice; None: not a whole PDF (cut short, damaged)


@dataclass
class Answer:
    """What the print step's click brought: the notice (or another PDF), or a page to go on from."""

    pdf: bytes | None = None
    page: Page | None = None


@dataclass
class Catcher:
    context: BrowserContext
    portal_url: str
    log: Callable[[str], None]
    judge: Callable[[bytes], bool | None]  # True: the notice; False: another PDF; None: not a whole PDF
    printer: Printer | None = None
    candidates: list[Candidate] = field(default_factory=list)
    pages_shown: list[tuple[int, Page | None]] = field(default_factory=list)  # while armed: (status, tab)
    extra_pages: list[Page] = field(default_factory=list)  # tabs opened while armed (the PDF viewer)
    failed: bool = False  # while armed, a response could not be read (the connection was lost)
    too_big: str = ""  # a response over MAX_NOTICE_BYTES (its address)
    armed: int = 0
    since: int = 0  # the candidates before the last print click (another document counts from there)
    _queued: list[Response] = field(default_factory=list)
    _downloads: list[Download] = field(default_factory=list)
    _read: set[str] = field(default_factory=set)  # blob:, data: and viewer addresses already read
    _asked_again: dict[str, int] = field(default_factory=dict)  # viewer addresses asked for again: how often
    _routed: set[Request] = field(default_factory=set)  # requests the armed route answered (and read)

    # --- listening ------------------------------------------------------------------------------------

    def start(self) -> None:
        self.context.on("page", self._on_page)
        self.context.on("response", self._on_response)
        for page in self.context.pages:
            page.on("download", self._on_download)

    def _on_download(self, download: Download) -> None:
        self._downloads.append(download)

    def _on_page(self, page: Page) -> None:
        page.on("download", self._on_download)
        if self.armed:
            self.extra_pages.append(page)

    def _on_response(self, response: Response) -> None:
        """Passive: note a response that may carry the notice (read later, in `poll`). What the armed route
        answered it has read itself; a request sent before the route was armed (a person's click a moment
        before the hand-over, its answer reported late on a busy machine) is noted here like any other."""
        request = response.request
        if request in self._routed:
            return
        if request.resource_type not in CARRIERS or not is_portal_origin(request.url, self.portal_url):
            return
        headers = response.headers
        kind = headers.get("content-type", "").lower()
        size = int(headers.get("content-length", "0") or 0) if headers.get("content-length", "").isdigit() else -1
        if 0 <= size < SMALLEST_PDF or size > MAX_NOTICE_BYTES:
            return
        pdf_like = "pdf" in kind or "octet-stream" in kind or "attachment" in headers.get("content-disposition", "")
        if request.resource_type in ("fetch", "xhr"):
            pdf_like = pdf_like or any(text in kind for text in TEXT_KINDS)
        if pdf_like and 200 <= response.status < 300:
            self._queued.append(response)

    # --- the candidates -------------------------------------------------------------------------------

    def offer(self, data: bytes, source: str) -> None:
        if any(candidate.data == data for candidate in self.candidates):
            return
        verdict = self.judge(data)
        what = "el aviso" if verdict else "otro documento" if verdict is False else "un PDF incompleto o dañado"
        self.log(f"PDF recibido ({len(data)} bytes, {source}): {what}")
        self.candidates.append(Candidate(data, source, verdict))

    @property
    def notice(self) -> bytes | None:
        return next((c.data for c in self.candidates if c.notice), None)

    @property
    def other(self) -> bytes | None:
        """Another document (or a damaged PDF), caught since the last print click: what is reported when the
        notice does not come."""
        recent = self.candidates[self.since :]
        return next((c.data for c in recent if c.notice is False), None) or next((c.data for c in recent), None)

    def poll(self, documents: tuple[tuple[Frame, str], ...] = ()) -> bytes | None:
        """Read what reached no route: queued responses, downloads, `blob:`/`data:` documents in tabs
        and frames, and `documents` (an embed's or object's address, as the look found them). The notice
        when it is among the candidates."""
        queued, self._queued = self._queued, []
        for response in queued:
            self._read_response(response)
        while self._downloads:
            download = self._downloads.pop(0)
            if data := download_bytes(download):
                self.offer(data, f"descarga {download.suggested_filename}")
        for page in self.context.pages:
            for frame in page.frames:
                self._read_address(frame, frame.url)
        for frame, url in documents:
            self._read_address(frame, url)
        return self.notice

    def _read_response(self, response: Response) -> None:
        request = response.request
        with suppress(Exception):
            body = response.body()
            if data := pdf_in_body(body, response.headers.get("content-type", "")):
                self.offer(data, f"{resource_word(request.resource_type)} {request.url}")
                return
        # A document shown in the browser's PDF viewer: its body is the viewer's page. A GET is asked again;
        # an answer that fails (a busy machine, a portal slow for a moment) is asked for at the next looks.
        url = request.url
        if request.resource_type == "document" and request.method == "GET" and url not in self._read:
            if data := refetch(self.context, url):
                self._read.add(url)
                self.offer(data, f"visor {url}")
                return
            tries = self._asked_again[url] = self._asked_again.get(url, 0) + 1
            self.log(f"no se pudo volver a pedir el documento del visor ({url}; intento {tries} de {ASK_AGAIN})")
            if tries < ASK_AGAIN:
                self._queued.append(response)
            else:
                self._read.add(url)

    def _read_address(self, frame: Frame, url: str) -> None:
        if url in self._read or not url.startswith(("blob:", "data:")):
            return
        self._read.add(url)
        if url.startswith("data:"):
            if data := data_url_bytes(url):
                self.offer(data, "data:")
        elif is_portal_origin(url.removeprefix("blob:"), self.portal_url) and (data := blob_bytes(frame, url)):
            self.offer(data, "blob:")

    def print_page(self, page: Page) -> None:
        """The notice shown as a page: printed, as a person would, and offered like any other PDF."""
        if self.printer is None:
            return
        try:
            data = self.printer.print_page(page)
        except Exception as exc:
            self.log(f"no se pudo imprimir la página del aviso: {why(exc)}")
            return
        self.offer(data, f"página impresa {page.url}")

    # --- armed ----------------------------------------------------------------------------------------

    @contextmanager
    def arming(self) -> Iterator[None]:
        """While open, every response from the portal's hosts goes through `_handle`."""
        matches = maybe_portal_rx(self.portal_url)
        self.armed += 1
        if self.armed == 1:
            self.context.route(matches, self._handle)
        try:
            yield
        finally:
            self.armed -= 1
            if not self.armed:
                with suppress(Exception):  # the browser may already be gone
                    self.context.unroute(matches, self._handle)

    def _handle(self, route: Route) -> None:
        request = route.request
        if request.resource_type not in CARRIERS or not is_portal_origin(request.url, self.portal_url):
            route.fallback()
            return
        self._routed.add(request)
        try:
            response = route.fetch()
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > MAX_NOTICE_BYTES:
                # Bigger than any notice: never read here (its bytes stay in the driver, which hands them on).
                self._too_big(request.url, int(length))
                route.fulfill(response=response)
                return
            body = response.body()
        except Exception as exc:  # connection lost while fetching: let the browser see the failure
            self.log(f"no se pudo leer {request.url}: {why(exc)}")
            self.failed = True
            route.abort()
            return
        if len(body) > MAX_NOTICE_BYTES:
            self._too_big(request.url, len(body))
        elif data := pdf_in_body(body, response.headers.get("content-type", "")):
            self.offer(data, f"{resource_word(request.resource_type)} {request.url}")
        elif request.resource_type == "document" and is_top_level(request) and not 300 <= response.status < 400:
            self.log(f"en lugar del PDF llegó una página (HTTP {response.status}) de {request.url}")
            self.pages_shown.append((response.status, _page_of(request)))
        route.fulfill(response=response, body=body)

    def _too_big(self, url: str, size: int) -> None:
        self.too_big = url
        self.log(f"respuesta de {size // (1024 * 1024)} MB, más que cualquier aviso: no se lee ({url})")

    def close_extra(self, keep: Page) -> None:
        """Close the tabs opened while armed, without waiting for them to go: a tab still turning into the
        PDF viewer (a window that moved itself to the PDF a moment ago) never reports closing, and waiting
        for it hung the run after the PDF had arrived."""
        for extra in self.extra_pages:
            if extra is not keep and not extra.is_closed():
                with suppress(Exception):
                    extra.close(run_before_unload=True)
        self.extra_pages.clear()

    # --- the print step -------------------------------------------------------------------------------

    def after_click(self, page: Page, click: Callable[[], None], *, timeout_ms: float) -> Answer:
        """Run `click` armed; the notice (or another PDF) it brings, or the page that came instead."""
        from playwright.sync_api import Error as PlaywrightError

        self.pages_shown.clear()
        self.extra_pages.clear()
        self.failed = False
        self.since = len(self.candidates)
        with self.arming():
            click()
            if not self._settled():
                self.wait(lambda: self._settled(), timeout_ms)
            if self.notice is None and self.failed:
                raise connection_lost()
            self.refuse_too_big()
            if self.notice is None and self.pages_shown:
                # A page came first. It may still bring the PDF (an embedded viewer): let it load, then look.
                status, shown = self.pages_shown[0]
                if status >= 500 or status == 403:
                    raise PortalUnavailable(
                        t("El portal respondió con un error (HTTP {status}) al pedir el aviso.", status=status),
                        hint=t("Es un problema del portal. Intenta de nuevo más tarde."),
                    )
                if shown is None:  # a new tab whose page event may still be on its way
                    shown = (
                        self.extra_pages[-1]
                        if self.extra_pages
                        else self.context.wait_for_event("page", timeout=timeout_ms)
                    )
                if not shown.is_closed():
                    with suppress(PlaywrightError):
                        shown.wait_for_load_state("load", timeout=timeout_ms)
                # A document viewer (PDF.js, a report server's) asks for the PDF once it has started, and a window
                # that says it prepares the document moves to it later: the walk goes on looking, and whatever
                # arrives meanwhile is caught like any PDF of the run.
                self.poll()
                if self.notice is None and self.other is None:
                    return Answer(page=shown)
        pdf = self.notice or self.other
        self.close_extra(keep=page)
        return Answer(pdf=pdf)

    def refuse_too_big(self) -> None:
        """Only an answer bigger than any notice came: said, not waited out in silence."""
        if self.notice is None and self.other is None and self.too_big:
            raise PortalChanged(
                t(
                    "Al pulsar «{p0}» el portal entregó un archivo de más de {p1} MB; un aviso pesa mucho menos, "
                    "así que no se leyó ni se guardó.",
                    p0=Label.PRINT,
                    p1=MAX_NOTICE_BYTES // (1024 * 1024),
                ),
                hint=t("Intenta más tarde o descarga el aviso tú en el portal; si se repite, usa --debug-dir."),
            )

    def _settled(self) -> bool:
        return (
            self.notice is not None
            or bool(self.pages_shown)
            or self.failed
            or self.other is not None
            or bool(self.too_big)
        )

    def wait(self, ready: Callable[[], bool], timeout_ms: float) -> None:
        """Until `ready()`; the route handler makes it true just before a response event fires (or fails a
        request, which fires none: hence the slices, after each of which `poll` reads what reached no
        route)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        def check(_: Response) -> bool:
            return ready()

        deadline = time.monotonic() + timeout_ms / 1000
        while not ready():
            self.poll()
            if ready():
                break
            remaining = (deadline - time.monotonic()) * 1000
            if remaining <= 0:
                raise NothingDelivered(
                    t(
                        "Se pulsó «{p0}» pero el portal no entregó el PDF en {p1:.0f} s.",
                        p0=Label.PRINT,
                        p1=timeout_ms / 1000,
                    ),
                    hint=t("Si el portal está lento, intenta con un --timeout mayor; si se repite, usa --debug-dir."),
                )
            with suppress(PlaywrightTimeout):
                self.context.wait_for_event("response", predicate=check, timeout=min(remaining, SLICE_MS))


def is_top_level(request: Request) -> bool:
    try:
        return request.frame.parent_frame is None
    except Exception:  # a new tab's first navigation has no frame yet: it is a top-level one
        return request.is_navigation_request()


def _page_of(request: Request) -> Page | None:
    try:
        return request.frame.page
    except Exception:  # a new tab's first navigation: its page is not known yet
        return None


def prepares_document(page: Page) -> bool:
    """Whether a page says it is still at work on the document (read with a bound: no question to a page
    may hang the capture)."""
    if page.is_closed():
        return False
    try:
        text = fold(page.locator("body").inner_text(timeout=2000)[:2000])
    except Exception:
        return False
    return any(word in text for word in WORKING_WORDS)
