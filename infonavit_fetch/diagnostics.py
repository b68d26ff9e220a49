"""What a person can attach to a bug report: a step log, a masked screenshot, the page without its values.

Nothing written here holds the password or the full NSS.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .console import Console
from .nss import mask_nss

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


@dataclass
class Redactor:
    """Replaces the secrets of this run wherever they could show up in text."""

    nss: str = ""
    password: str = ""

    def text(self, value: str) -> str:
        if self.password:
            value = value.replace(self.password, "********")
        if self.nss:
            value = value.replace(self.nss, mask_nss(self.nss))
        return value

    def data(self, value: bytes) -> bytes:
        for secret, mask in ((self.password, "********"), (self.nss, mask_nss(self.nss))):
            if secret:
                value = value.replace(secret.encode("utf-8"), mask.encode("utf-8"))
        return value


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
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = parent / f"infonavit-fetch-{stamp}"
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = parent / f"infonavit-fetch-{stamp}-{suffix}"
    folder.mkdir(parents=True)
    return folder


def write_page(folder: Path, page: Page, masks: list[Locator], redactor: Redactor, log: StepLog) -> None:
    """Screenshot (secret fields painted over) and HTML (values removed) of the page where the run stopped.

    The run may stop while the page is still navigating (a redirect caught on its way); each capture
    then waits for the new document and is tried once more.
    """

    def screenshot() -> None:
        page.screenshot(path=str(folder / "pagina.png"), mask=masks, full_page=True, timeout=10_000)

    def html() -> None:
        (folder / "pagina.html").write_text(redactor.text(strip_form_values(page.content())), encoding="utf-8")
        log(f"página guardada: {page.url}")

    for name, capture in (("la captura de pantalla", screenshot), ("el HTML de la página", html)):
        for attempt in (1, 2):
            try:
                capture()
                break
            except Exception as exc:  # the page may be navigating, or gone; the log says so
                if attempt == 2 or page.is_closed():
                    log(f"no se pudo guardar {name}: {exc.__class__.__name__}")
                    break
                try:
                    page.wait_for_load_state("domcontentloaded", timeout=5_000)
                except Exception as wait_error:
                    log(f"la página no terminó de cargar: {wait_error.__class__.__name__}")


def write_log(folder: Path, log: StepLog) -> None:
    (folder / "registro.txt").write_text("\n".join(log.lines) + "\n", encoding="utf-8")


def redact_zip(path: Path, redactor: Redactor) -> None:
    """Rewrite a Playwright trace with the secrets replaced in every member."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, redactor.data(src.read(info)))
    tmp.replace(path)
