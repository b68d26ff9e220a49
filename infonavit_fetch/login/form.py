"""What a login page asks for, read the way a person reads it: each visible box by the words around it
(its label, aria-label or aria-labelledby, placeholder, a hint line above it) or else by its type, and the
page's own way forward. The boxes and the button get a `data-infonavit-login` mark (nss, password,
captcha, otp, other, go) so that Playwright acts on exactly them; the mark is renewed on every read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infonavit_fetch.js import script
from infonavit_fetch.site import portal

if TYPE_CHECKING:
    from playwright.sync_api import Page

LOGIN_MARK = "data-infonavit-login"

# The reading itself: js/login_form.js.
LOGIN_FORM_JS = script("login_form")


def read_form(page: Page) -> dict[str, Any]:
    """What the login page asks for now (counts of boxes by role, the way forward's words); marks them."""
    from infonavit_fetch.site.text import fold

    try:
        found: dict[str, Any] = page.evaluate(
            LOGIN_FORM_JS,
            {
                "mark": LOGIN_MARK,
                "nss": portal.NSS_WORDS,
                "code": portal.CODE_WORDS,
                "once": portal.ONE_TIME_WORDS,
                "go": [fold(word) for word in portal.GO_WORDS],
            },
        )
    except Exception:
        return {"nss": 0, "password": 0, "captcha": 0, "otp": 0, "other": 0, "words": [], "go": ""}
    return found
