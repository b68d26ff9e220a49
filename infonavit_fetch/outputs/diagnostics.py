"""What a person can attach to a bug report: a step log, a masked screenshot, the page without its values.

Nothing written here holds the password or the full NSS.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import functools
import json
import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, AnyStr
from urllib.parse import quote, quote_plus

from infonavit_fetch.cli.console import Console
from infonavit_fetch.js import script
from infonavit_fetch.outputs.files import create_private
from infonavit_fetch.site.nss import mask_nss

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


@dataclass
class Redactor:
    """Replaces the secrets of this run wherever they could show up in text: as typed, URL-encoded (a form
    sent, a link), JSON-escaped, and inside base64 (a trace keeps some bodies that way)."""

    nss: str = field(default="", repr=False)
    password: str = field(default="", repr=False)

    def _pairs(self) -> list[tuple[str, str]]:
        """(a way the secret may be written, what replaces it), longest first."""
        pairs = []
        for secret, mask in ((self.password, "********"), (self.nss, mask_nss(self.nss))):
            if secret:
                pairs += [(form, mask) for form in _written_forms(secret)]
        return sorted(set(pairs), key=lambda pair: -len(pair[0]))

    # The NSS written with spaces, dashes or dots between its digits («8496 6311 213»), as text and as UTF-8
    # bytes (where a no-break space is two bytes); built once, as the log redacts every line.
    @functools.cached_property
    def _spread_text(self) -> re.Pattern[str] | None:
        return _spread(self.nss, SPREAD_SEPARATORS) if self.nss.isdigit() else None

    @functools.cached_property
    def _spread_bytes(self) -> re.Pattern[bytes] | None:
        return _spread(self.nss.encode(), _SPREAD_SEPARATORS_BYTES) if self.nss.isdigit() else None

    def text(self, value: str) -> str:
        for secret, mask in self._pairs():
            value = value.replace(secret, mask)
        spread = self._spread_text
        return spread.sub(mask_nss(self.nss), value) if spread else value

    def data(self, value: bytes) -> bytes:
        pairs = [(secret.encode("utf-8"), mask.encode("utf-8")) for secret, mask in self._pairs()]

        def plain(chunk: bytes) -> bytes:
            for secret, mask in pairs:
                chunk = chunk.replace(secret, mask)
            return chunk

        def in_base64(match: re.Match[bytes]) -> bytes:
            run = match.group(0)
            urlsafe = b"-" in run or b"_" in run
            try:
                decoded = base64.b64decode(run, altchars=b"-_" if urlsafe else None, validate=True)
            except (binascii.Error, ValueError):
                return run
            cleaned = plain(decoded)
            if cleaned == decoded:
                return run
            return base64.b64encode(cleaned, altchars=b"-_" if urlsafe else None)

        if not pairs:
            return value
        value = _BASE64_RUN.sub(in_base64, plain(value))
        spread = self._spread_bytes
        return spread.sub(mask_nss(self.nss).encode(), value) if spread else value


def _spread(digits: AnyStr, separator: AnyStr) -> re.Pattern[AnyStr]:
    """`digits`, with at most one `separator` between each two, and no digit just before or after."""
    edge_before, edge_after = (rb"(?<!\d)", rb"(?!\d)") if isinstance(digits, bytes) else (r"(?<!\d)", r"(?!\d)")
    parts = [digits[i : i + 1] for i in range(len(digits))]
    return re.compile(edge_before + separator.join(parts) + edge_after)


_BASE64_RUN = re.compile(
    rb"(?:[A-Za-z0-9+/]{4}){3,}(?:[A-Za-z0-9+/]{2,3}={0,2})?|(?:[A-Za-z0-9_-]{4}){3,}[A-Za-z0-9_-]{0,3}"
)


def _written_forms(secret: str) -> set[str]:
    forms = {secret, quote(secret, safe=""), quote_plus(secret, safe=""), json.dumps(secret)[1:-1]}
    forms |= {_lower_hex(form) for form in forms}
    return forms


def _lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), text)


# The browser's own words, said in Spanish for the step log (-v and the report speak the person's language).
RESOURCE_WORDS = {
    "document": "página",
    "xhr": "petición",
    "fetch": "petición",
    "other": "respuesta",
    "media": "archivo",
    "stylesheet": "estilo",
    "script": "programa",
    "image": "imagen",
}
DIALOG_WORDS = {
    "alert": "aviso",
    "confirm": "confirmación",
    "prompt": "pregunta",
    "beforeunload": "¿salir de la página?",
}


def resource_word(resource_type: str) -> str:
    return RESOURCE_WORDS.get(resource_type, "respuesta")


def dialog_word(dialog_type: str) -> str:
    return DIALOG_WORDS.get(dialog_type, "diálogo")


def why(exc: BaseException) -> str:
    """What went wrong, in a few Spanish words, for the step log: never a class name or the driver's English."""
    text = str(exc)
    if "Timeout" in exc.__class__.__name__ or "Timeout " in text:
        return "se agotó la espera"
    if "net::ERR_" in text:
        from infonavit_fetch.errors import network_reason

        return f"falla de red: {network_reason(text)}"
    if "closed" in text.lower() or "detached" in text.lower():
        return "la página o el navegador se cerró"
    if isinstance(exc, OSError):
        from infonavit_fetch.errors import os_reason

        return os_reason(exc)
    return "falla del navegador"


@dataclass
class StepLog:
    """A step-by-step record of what the tool saw and did; shown with -v, written with --debug-dir."""

    console: Console
    redactor: Redactor
    lines: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def __call__(self, message: str) -> None:
        line = self.redactor.text(message)
        self.lines.append(f"[{time.monotonic() - self.started:7.2f}s] {line}")
        self.console.detail(line)


_VALUE_ATTR = re.compile(r"""\svalue\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_INPUT_TAG = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_TEXTAREA = re.compile(r"(<textarea\b[^>]*>).*?(</textarea>)", re.IGNORECASE | re.DOTALL)


def strip_form_values(html: str) -> str:
    """The page's HTML with every form value removed."""
    html = _INPUT_TAG.sub(lambda m: _VALUE_ATTR.sub("", m.group(0)), html)
    return _TEXTAREA.sub(r"\1\2", html)


def new_bundle_dir(parent: Path) -> Path:
    """A new folder only this user can open (0700): the report may hold session cookies."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    parent.mkdir(parents=True, exist_ok=True)
    for suffix in range(1, 1000):
        folder = parent / (f"infonavit-fetch-{stamp}" + (f"-{suffix}" if suffix > 1 else ""))
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        folder.chmod(0o700)  # whatever the umask
        return folder
    raise FileExistsError(parent / f"infonavit-fetch-{stamp}")


def write_private(path: Path, data: bytes) -> None:
    with create_private(path) as handle:
        handle.write(data)


SPREAD_SEPARATORS = r"[\s.\-\u00a0]?"
_SPREAD_SEPARATORS_BYTES = rb"(?:[\s.\-]|\xc2\xa0)?"  # the same in UTF-8 bytes
# Marks each element that shows the NSS in any form: an input's value (read-only or not), its own text, or
# the text a style puts before or after it, the digits plain or spread out.
NSS_SHOWN_JS = script("nss_shown")


def nss_shown(page: Page, nss: str) -> Locator:
    """What shows the NSS on the page, however it is written (to paint over in the page's picture)."""
    with contextlib.suppress(Exception):  # a page on its way: the other masks still hold
        page.evaluate(NSS_SHOWN_JS, [nss, SPREAD_SEPARATORS])
    return page.locator("[data-infonavit-nss]")


def write_page(folder: Path, page: Page, masks: list[Locator], redactor: Redactor, log: StepLog) -> None:
    """Screenshot (secret fields painted over) and HTML (values removed) of the page where the run stopped.

    The run may stop while the page is still navigating (a redirect caught on its way); each capture
    then waits for the new document and is tried once more.
    """

    def screenshot() -> None:
        write_private(folder / "pagina.png", page.screenshot(mask=masks, full_page=True, timeout=10_000))

    def html() -> None:
        write_private(folder / "pagina.html", redactor.text(strip_form_values(page.content())).encode("utf-8"))
        log(f"página guardada: {page.url}")

    for name, capture in (("la captura de pantalla", screenshot), ("el HTML de la página", html)):
        for attempt in (1, 2):
            try:
                capture()
                break
            except Exception as exc:  # the page may be navigating, or gone; the log says so
                if attempt == 2 or page.is_closed():
                    log(f"no se pudo guardar {name}: {why(exc)}")
                    break
                try:
                    page.wait_for_load_state("domcontentloaded", timeout=5_000)
                except Exception as wait_error:
                    log(f"la página no terminó de cargar: {why(wait_error)}")


def write_log(folder: Path, log: StepLog) -> None:
    write_private(folder / "registro.txt", ("\n".join(log.lines) + "\n").encode("utf-8"))


# What a trace may carry that byte replacement cannot clean: pictures of the page (screencast frames,
# images) show the NSS as pixels, and a PDF (the notice itself) holds it in compressed streams.
_PDF_IN_BASE64 = re.compile(rb"JVBER[A-Za-z0-9+/]*={0,2}")  # "%PDF" in base64, and the rest of the run
_OPAQUE = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"RIFF", b"%PDF-")


def redact_zip(path: Path, redactor: Redactor) -> None:
    """Rewrite a Playwright trace (0600) with the secrets replaced in every member and no pictures or PDFs."""
    tmp = path.with_suffix(".tmp")
    with (
        zipfile.ZipFile(path) as src,
        create_private(tmp) as raw,
        zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if data.startswith(_OPAQUE):
                continue
            if info.filename.endswith(".trace"):
                data = b"".join(line for line in data.splitlines(keepends=True) if b'"screencast-frame"' not in line)
            # A PDF written out as base64 (a route's answer, a blob read back): its compressed streams hold the
            # notice, NSS and all, where no search for the NSS finds it.
            data = _PDF_IN_BASE64.sub(b"", data)
            dst.writestr(info.filename, redactor.data(data))
    tmp.replace(path)
