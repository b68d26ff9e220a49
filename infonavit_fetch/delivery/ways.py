"""The ways a notice's bytes can reach the browser, each read where it ends up.

Each function takes what one way leaves behind (a response body, a download, a `blob:` or `data:`
address, a page that is the notice itself) and gives the PDF's bytes, or None when that is not a PDF.
Which PDF is the notice is decided by its content (see `Catcher`), never here.
"""

from __future__ import annotations

import base64
import binascii
import re
from contextlib import suppress
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

from infonavit_fetch.js import script

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Download, Frame

PDF_MAGIC = b"%PDF-"
# The most of one response or file that is looked at for a notice (a notice is a few hundred KB).
MAX_NOTICE_BYTES = 20 * 1024 * 1024
_BASE64_PDF = re.compile(rb"JVBERi0(?:[A-Za-z0-9+=]|\\?/)+")  # "%PDF-" in base64; JSON may write "/" as "\/"
TEXT_KINDS = ("json", "text", "xml", "javascript")


def pdf_in_body(body: bytes, content_type: str) -> bytes | None:
    """A PDF sent as itself (whatever the content type says: octet-stream, text/plain…), or as base64
    inside JSON or text (the page then shows it from a `blob:` or `data:` address)."""
    if body.startswith(PDF_MAGIC):
        return body
    if not any(kind in content_type for kind in TEXT_KINDS):
        return None
    for match in _BASE64_PDF.finditer(body):
        try:
            data = base64.b64decode(match.group(0).replace(b"\\/", b"/"), validate=True)
        except (binascii.Error, ValueError):
            continue
        if data.startswith(PDF_MAGIC):
            return data
    return None


def data_url_bytes(url: str) -> bytes | None:
    """The bytes of a `data:` address (an `<embed>`, `<object>`, `<iframe>` or tab showing the PDF)."""
    if not url.startswith("data:") or "," not in url:
        return None
    head, payload = url[5:].split(",", 1)
    try:
        data = base64.b64decode(payload, validate=False) if head.endswith(";base64") else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
    return data if data.startswith(PDF_MAGIC) else None


# The bytes behind a blob: address, read by the page that made it (the address is valid only there).
BLOB_BYTES_JS = script("blob_bytes")


def blob_bytes(frame: Frame, url: str) -> bytes | None:
    with suppress(Exception):
        data = base64.b64decode(frame.evaluate(BLOB_BYTES_JS, url))
        if data.startswith(PDF_MAGIC):
            return data
    return None


def download_bytes(download: Download) -> bytes | None:
    """A file the browser saved (an attachment, a link with `download`, a viewer's download button)."""
    with suppress(Exception):
        path = download.path()
        if path and path.stat().st_size <= MAX_NOTICE_BYTES:
            data = path.read_bytes()
            if data.startswith(PDF_MAGIC):
                return data
    return None


def refetch(context: BrowserContext, url: str) -> bytes | None:
    """A PDF a tab shows in the browser's viewer, asked for again with the session's cookies (the
    viewer's page holds only a wrapper; a GET is safe to repeat)."""
    with suppress(Exception):
        response = context.request.get(url, timeout=15_000, max_redirects=5)
        body = response.body()
        if response.ok and body.startswith(PDF_MAGIC):
            return body
    return None
