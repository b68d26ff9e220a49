"""The last press of a login page's way forward, and what the page did after it."""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

from infonavit_fetch.login.boxes import shape
from infonavit_fetch.login.form import read_form
from infonavit_fetch.site.portal import Label, LoginPage, Outcome

if TYPE_CHECKING:
    from infonavit_fetch.browser.session import Run

# After the tool pressed «Iniciar sesión», this long without a single request leaving the browser means the
# press did not send the form (seconds).
NOTHING_SENT_S = 3.0


class LastPress:
    """The last press of the login page's way forward, the tool's or the person's: what the page asked
    before it, the requests sent until then, and what the page looks like since."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.sends_before = 0  # the run's requests that could carry the form, before this code was sent
        self.pressed_again = False  # «Iniciar sesión» pressed once more for this code (nothing had left)
        self.form_before: tuple[int, ...] = ()  # what the login page asked before the last press
        self.boxes_gone = 0  # looks in a row at a page without a login box, since the last press

    def begin(self, form: dict[str, Any]) -> None:
        """A press is about to be made on a page that asks for `form`."""
        self.sends_before, self.pressed_again = self.run.sends, False
        self.form_before, self.boxes_gone = shape(form), 0

    def next_page(self) -> Outcome | None:
        """The page now asks for something else than before the press (the password after the NSS, the
        code on a page of its own, a code sent by SMS): the login goes on. An app whose login boxes have
        all gone, two looks in a row, without a word about it, is in. None when neither."""
        form = read_form(self.run.page)
        now = shape(form)
        if not any(now):
            self.boxes_gone += 1
            return Outcome.LOGGED_IN if any(self.form_before) and self.boxes_gone >= 2 else None
        self.boxes_gone = 0
        if now == self.form_before:
            return None
        return Outcome.ONE_TIME_CODE if form["otp"] and not form["captcha"] else Outcome.NEXT_PAGE

    def press_again_if_nothing_left(self, started: float) -> None:
        """The tool pressed «Iniciar sesión», yet a while later not one request has left the browser (the
        press landed while the page was not ready for it): nothing was sent, so pressing once more cannot
        send the password twice. Once per code."""
        from playwright.sync_api import Error as PlaywrightError

        run = self.run
        if not run.solver.submits or self.pressed_again or run.sends != self.sends_before:
            return
        if time.monotonic() - started < NOTHING_SENT_S:
            return
        self.pressed_again = True
        run.log(f"el envío no salió del navegador; se pulsa «{Label.LOGIN}» otra vez")
        with contextlib.suppress(PlaywrightError):
            LoginPage(run.page).submit.click(timeout=NOTHING_SENT_S * 1000)
