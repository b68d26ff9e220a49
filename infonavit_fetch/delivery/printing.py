"""The notice shown as a web page (its title and fields in HTML, with an «Imprimir» button): printed to a
PDF as a person would print it. Chromium prints only when headless; a visible run prints a copy of the
page in a headless browser of the same driver, with the session's cookies for its styles and images."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

PRINT_TIMEOUT_MS = 30_000


@dataclass
class Printer:
    playwright: Playwright
    executable_path: str
    headless: bool
    _browser: Browser | None = field(default=None, repr=False)

    def print_page(self, page: Page) -> bytes:
        if self.headless:
            return page.pdf(print_background=True, prefer_css_page_size=True)
        html = _with_base(page.content(), page.url)
        if self._browser is None:
            self._browser = self.playwright.chromium.launch(executable_path=self.executable_path, headless=True)
        context = self._browser.new_context()
        try:
            context.add_cookies(page.context.cookies())  # type: ignore[arg-type]
            copy = context.new_page()
            copy.set_content(html, wait_until="load", timeout=PRINT_TIMEOUT_MS)
            return copy.pdf(print_background=True, prefer_css_page_size=True)
        finally:
            context.close()

    def close(self) -> None:
        if self._browser is not None:
            with suppress(Exception):
                self._browser.close()
            self._browser = None


def _with_base(html: str, url: str) -> str:
    """The page's HTML with a <base> so that its relative styles and images load from the portal."""
    base = f'<base href="{url}">'
    head = re.search(r"<head[^>]*>", html, re.IGNORECASE)
    if head:
        return html[: head.end()] + base + html[head.end() :]
    return base + html
