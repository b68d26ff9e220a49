"""Getting the PDF's bytes whichever way the portal delivers them.

Chromium shows an inline PDF in its viewer and fires no download; `response.body()` then only holds the
viewer's HTML. So every response from the portal's own hosts that could carry the document goes through
a route that fetches it, keeps a PDF's bytes and hands the response on to the browser unchanged. That
one mechanism covers attachments, inline tabs, `window.open`, form posts and `blob:` URLs built by
script (the script's own `fetch` is routed too).

A PDF that never crosses the network as a PDF (made in the page, or sent as bytes the route cannot
recognize, then shown from a `blob:` URL or saved by a link with `download`) is read where it ends up:
from the `blob:` tab or frame, by the page that made it, or from the download the browser kept.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import PortalChanged, PortalUnavailable, connection_lost
from .i18n import t
from .portal import WORKING_WORDS, Label, is_portal_origin, maybe_portal_rx
from .text import fold

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Download, Page, Request, Response, Route

CARRIERS = ("document", "fetch", "xhr", "other")
VIEWER_PATIENCE_MS = 15_000  # at most, for a page that came instead of the PDF to go quiet
SLICE_MS = 250  # between two looks at what reached no route (blob: tabs and frames, downloads)


@dataclass
class Catch:
    pdf: bytes | None = None
    pages_shown: list[tuple[int, Page | None]] = field(default_factory=list)  # (HTTP status, its tab)
    extra_pages: list[Page] = field(default_factory=list)  # tabs opened meanwhile (the PDF viewer)
    failed: bool = False  # a response could not be read (the connection was lost)
    downloads: list[Download] = field(default_factory=list)  # files the browser saved meanwhile
    blobs_read: set[str] = field(default_factory=set)  # blob: addresses already looked into

    @property
    def done(self) -> bool:
        return self.pdf is not None or bool(self.pages_shown) or self.failed

    def close_extra(self, keep: Page) -> None:
        """Close the tabs opened meanwhile, without waiting for them to go: a tab still turning into the
        PDF viewer (a window that moved itself to the PDF a moment ago) never reports closing, and waiting
        for it hung the run after the PDF had arrived."""
        for extra in self.extra_pages:
            if extra is not keep and not extra.is_closed():
                with suppress(Exception):
                    extra.close(run_before_unload=True)


@contextmanager
def pdf_catcher(context: BrowserContext, *, portal_url: str, log: Callable[[str], None]) -> Iterator[Catch]:
    """While open, every response from the portal's hosts that carries a PDF is kept in the `Catch`."""
    catch = Catch()

    def handle(route: Route) -> None:
        request = route.request
        if request.resource_type not in CARRIERS or not is_portal_origin(request.url, portal_url):
            route.fallback()
            return
        try:
            response = route.fetch()
            body = response.body()
        except Exception as exc:  # connection lost while fetching: let the browser see the failure
            log(f"no se pudo leer {request.url}: {exc.__class__.__name__}")
            catch.failed = True
            route.abort()
            return
        pdf = body if body.startswith(b"%PDF-") else embedded_pdf(body, response.headers.get("content-type", ""))
        if pdf is not None:
            log(f"PDF recibido ({len(pdf)} bytes, {request.resource_type}) de {request.url}")
            catch.pdf = pdf
        elif request.resource_type == "document" and is_top_level(request) and not 300 <= response.status < 400:
            log(f"en lugar del PDF llegó una página (HTTP {response.status}) de {request.url}")
            catch.pages_shown.append((response.status, _page_of(request)))
        route.fulfill(response=response, body=body)

    matches = maybe_portal_rx(portal_url)

    def on_download(download: Download) -> None:
        catch.downloads.append(download)

    def on_page(new: Page) -> None:
        catch.extra_pages.append(new)
        new.on("download", on_download)

    context.route(matches, handle)
    context.on("page", on_page)
    for page in context.pages:
        page.on("download", on_download)
    try:
        yield catch
    finally:
        context.remove_listener("page", on_page)
        for page in context.pages:  # the tabs opened meanwhile among them
            with suppress(Exception):
                page.remove_listener("download", on_download)
        with suppress(Exception):  # the browser may already be gone
            context.unroute(matches, handle)


def capture_pdf(
    context: BrowserContext,
    page: Page,
    click: Callable[[], None],
    *,
    portal_url: str,
    timeout_ms: float,
    log: Callable[[str], None],
) -> bytes:
    """Run `click` and return the PDF it makes the portal send."""
    from playwright.sync_api import Error as PlaywrightError

    with pdf_catcher(context, portal_url=portal_url, log=log) as catch:
        try:
            click()
            if not catch.done:
                _wait_for_response(
                    context,
                    lambda: catch.done,
                    timeout_ms,
                    meanwhile=lambda: made_in_the_page(context, catch, portal_url),
                )
            if catch.pdf is None and catch.failed:
                raise connection_lost()
            if catch.pdf is None:
                # A page came first. It may still bring the PDF (an embedded viewer): let it load, then look again.
                status, shown = catch.pages_shown[0]
                if status >= 500 or status == 403:
                    raise PortalUnavailable(
                        t("El portal respondió con un error (HTTP {status}) al pedir el aviso.", status=status),
                        hint=t("Es un problema del portal. Intenta de nuevo más tarde."),
                    )
                if shown is None:  # a new tab whose page event may still be on its way
                    shown = (
                        catch.extra_pages[-1]
                        if catch.extra_pages
                        else context.wait_for_event("page", timeout=timeout_ms)
                    )
                if not shown.is_closed():
                    shown.wait_for_load_state("load", timeout=timeout_ms)
                made_in_the_page(context, catch, portal_url)
                if catch.pdf is None and not shown.is_closed():
                    # A document viewer (PDF.js, a report server's) asks for the PDF only once it has started,
                    # after its page's load: the page is done when its network has been quiet a moment.
                    with suppress(PlaywrightError):
                        shown.wait_for_load_state("networkidle", timeout=min(timeout_ms, VIEWER_PATIENCE_MS))
                    made_in_the_page(context, catch, portal_url)
                if catch.pdf is None and _says_working(shown):
                    # A window that says it prepares the document asks now and then whether it is ready
                    # (its network is quiet between two questions), then moves to it: a person waits.
                    log("la página dice que prepara el documento; se espera a que lo entregue")
                    _wait_for_response(
                        context,
                        lambda: catch.pdf is not None or not _says_working(shown),
                        timeout_ms,
                        meanwhile=lambda: made_in_the_page(context, catch, portal_url),
                    )
                if catch.pdf is None:
                    raise _page_instead_of_pdf(_title(shown))
            return catch.pdf
        finally:
            catch.close_extra(keep=page)


def _page_instead_of_pdf(title: str) -> PortalChanged:
    message = (
        t(
            "Al pulsar «{button}» el portal mostró una página («{title}») en lugar del PDF.",
            button=Label.PRINT,
            title=title,
        )
        if title
        else t("Al pulsar «{button}» el portal mostró una página en lugar del PDF.", button=Label.PRINT)
    )
    return PortalChanged(
        message,
        hint=t(
            "Puede ser una falla momentánea del portal: intenta más tarde. Si se repite, usa --debug-dir y "
            "comparte la carpeta."
        ),
    )


# The bytes behind a blob: address, read by the page that made it (the address is valid only there).
BLOB_BYTES_JS = """async (url) => {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(text);
}"""


def made_in_the_page(context: BrowserContext, catch: Catch, portal_url: str) -> None:
    """A PDF that reached no route: a `blob:` of the portal's shown in a tab or a frame, or a file the
    browser saved (a link with `download`, whose blob: address the page may already have revoked)."""
    if catch.pdf is not None:
        return
    for download in list(catch.downloads):
        catch.downloads.remove(download)
        with suppress(Exception):
            path = download.path()
            data = path.read_bytes() if path else b""
            if data.startswith(b"%PDF-"):
                catch.pdf = data
                return
    for page in context.pages:  # the tabs opened meanwhile among them
        for frame in page.frames:
            url = frame.url
            if not url.startswith("blob:") or url in catch.blobs_read:
                continue
            catch.blobs_read.add(url)
            if not is_portal_origin(url.removeprefix("blob:"), portal_url):
                continue
            with suppress(Exception):
                data = base64.b64decode(frame.evaluate(BLOB_BYTES_JS, url))
                if data.startswith(b"%PDF-"):
                    catch.pdf = data
                    return


def _wait_for_response(
    context: BrowserContext, ready: Callable[[], bool], timeout_ms: float, *, meanwhile: Callable[[], None]
) -> None:
    """Wait until `ready()`; the route handler makes it true just before a response event fires (or
    fails a request, which fires none: hence the slices, after each of which `meanwhile` looks at what
    reached no route)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    def check(_: Response) -> bool:
        return ready()

    deadline = time.monotonic() + timeout_ms / 1000
    while not ready():
        meanwhile()
        if ready():
            break
        remaining = (deadline - time.monotonic()) * 1000
        if remaining <= 0:
            raise PortalChanged(
                t(
                    "Se pulsó «{p0}» pero el portal no entregó el PDF en {p1:.0f} s.",
                    p0=Label.PRINT,
                    p1=timeout_ms / 1000,
                ),
                hint=t("Si el portal está lento, intenta con un --timeout mayor; si se repite, usa --debug-dir."),
            )
        with suppress(PlaywrightTimeout):
            context.wait_for_event("response", predicate=check, timeout=min(remaining, SLICE_MS))


_BASE64_PDF = re.compile(rb"JVBERi0(?:[A-Za-z0-9+=]|\\?/)+")  # "%PDF-" in base64; JSON may write "/" as "\/"


def embedded_pdf(body: bytes, content_type: str) -> bytes | None:
    """A PDF sent as base64 inside JSON or text (the page then shows it from a blob or data URL)."""
    if not any(kind in content_type for kind in ("json", "text", "xml", "javascript")):
        return None
    for match in _BASE64_PDF.finditer(body):
        try:
            data = base64.b64decode(match.group(0).replace(b"\\/", b"/"), validate=True)
        except (binascii.Error, ValueError):
            continue
        if data.startswith(b"%PDF-"):
            return data
    return None


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


def _says_working(page: Page) -> bool:
    """Whether a page says it is still at work on the document (read with a bound: no question to a page
    may hang the capture)."""
    if page.is_closed():
        return False
    try:
        text = fold(page.locator("body").inner_text(timeout=2000)[:2000])
    except Exception:
        return False
    return any(word in text for word in WORKING_WORDS)


def _title(page: Page | None) -> str:
    if page is None or page.is_closed():
        return ""
    try:
        heading = page.get_by_role("heading").first
        if heading.count():
            return heading.inner_text(timeout=2000).strip()
        return page.title().strip()
    except Exception:
        return ""
