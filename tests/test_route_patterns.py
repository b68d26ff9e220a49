"""The URL patterns the browser's driver matches by itself (so that a page's styles and images do not each
stop to ask Python) send every URL the host checks must see to them, in Python and in the browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from infonavit_fetch.site.portal import is_portal_origin, maybe_foreign_rx, maybe_portal_rx, portal_host_allowed

if TYPE_CHECKING:
    from playwright.sync_api import Page

REAL = "https://micuenta.infonavit.org.mx/"
MOCK = "http://127.0.0.1:8765/"
V6 = "http://[::1]:8765/"
URLS = [
    "https://micuenta.infonavit.org.mx/inicio",
    "https://MiCuenta.Infonavit.org.mx/Inicio",
    "https://servicios.infonavit.org.mx:8443/doc.pdf?x=1",
    "https://infonavit.org.mx",
    "https://infonavit.org.mx?x",
    "https://a.b.infonavit.org.mx#top",
    "http://micuenta.infonavit.org.mx/inicio",
    "https://infonavit.org.mx.example.com/",
    "https://evil-infonavit.org.mx/",
    "https://example.com/?next=https://micuenta.infonavit.org.mx/",
    "https://example.com/infonavit.org.mx/",
    "https://micuenta.infonavit.org.mx@example.com/",
    "https://user@micuenta.infonavit.org.mx/",
    "https://user:secret@infonavit.org.mx/",
    "http://127.0.0.1:8765/mi-espacio",
    "http://127.0.0.1:9999/",
    "http://127.0.0.1/",
    "https://127.0.0.1:8765/",
    "http://127.0.0.2:8765/",
    "http://127.0.0.12:8765/",
    "http://127.0.0.1.example.com/",
    "http://localhost:8765/",
    "http://[::1]:8765/x",
    "http://[::1]/",
    "http://portal-falso.example.test/inicio",
    "https://www.google.com/recaptcha/api2/anchor",
]


def foreign(url: str, portal_url: str) -> bool:
    return not portal_host_allowed(url, portal_url)


@pytest.mark.parametrize("portal_url", [REAL, MOCK, V6])
def test_the_patterns_let_through_every_url_the_checks_must_see(portal_url: str) -> None:
    to_guard, on_portal = maybe_foreign_rx(portal_url), maybe_portal_rx(portal_url)
    for url in URLS:
        if foreign(url, portal_url):
            assert to_guard.search(url), f"{url} would reach a foreign host unguarded"
        if is_portal_origin(url, portal_url):
            assert on_portal.search(url), f"{url} would load without the portal's checks"
    # And they are narrow enough to spare the ordinary requests: the portal's own ones are not guarded as
    # foreign, and other sites' ones are not taken for the portal's.
    own = [url for url in URLS if is_portal_origin(url, portal_url) and "@" not in url]
    assert own and not any(to_guard.search(url) for url in own)
    others = [url for url in URLS if foreign(url, portal_url) and "@" not in url]
    assert others and not any(on_portal.search(url) for url in others)


@pytest.mark.parametrize("portal_url", [REAL, MOCK, V6])
def test_the_browser_reads_the_patterns_as_python_does(page: Page, portal_url: str) -> None:
    for pattern in (maybe_foreign_rx(portal_url), maybe_portal_rx(portal_url)):
        in_browser = page.evaluate(
            "([source, urls]) => urls.map((url) => new RegExp(source, 'i').test(url))", [pattern.pattern, URLS]
        )
        assert in_browser == [bool(pattern.search(url)) for url in URLS], pattern.pattern
