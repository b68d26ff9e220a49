"""The walk's hands: a click as a person gives it (and what it changed), Escape, a hover that opens a
menu, a scroll further down."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from infonavit_fetch.js import script
from infonavit_fetch.outputs.diagnostics import why
from infonavit_fetch.walk.failures import blocked
from infonavit_fetch.walk.policy import MAX_SAME_ACTION, Memory
from infonavit_fetch.walk.sight import Eyes, Signature

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Locator

    from infonavit_fetch.browser.session import Run

# How long one click may wait for its target to take it (covered targets are dealt with by the walk).
CLICK_MS = 5000.0
FIRST_TRY_MS = 1500.0  # after this much of a click's budget, a page that went on meanwhile ends the click
# A click found covered after its first try ends then, and the walk takes the cover away (or lets a busy
# layer go) before pressing again; this often per step, then a click waits out its whole budget.
MAX_COVERED = 2

# Scrolls down what scrolls on this page by most of its height; true when it moved (js/scroll_down.js).
SCROLL_DOWN_JS = script("scroll_down")
# What a click at the middle of an element would land on instead of it (js/covered_by.js).
COVERED_BY_JS = script("covered_by")

FOCUS_FIRST_JS = (
    "el => (el.querySelector('a, button, [tabindex]') || el).focus && "
    "(el.querySelector('a, button, [tabindex]') || el).focus()"
)


class Hands:
    """Clicks in the run's tab; `changed` tells whether the last click changed the page."""

    def __init__(self, run: Run, eyes: Eyes, memory: Memory) -> None:
        self.run = run
        self.eyes = eyes
        self.memory = memory
        self.changed = False

    def click(
        self, frame: Frame, mark: str, label: str, *, cover: str = "", closing: bool = False, counted: str = ""
    ) -> bool:
        """Click the control the look marked `mark`; True when the click happened. `closing`: it closes
        something in the way, so its going away meanwhile is just as good, and failing blocks nothing.
        `counted`: the action this click was counted as; a click found covered gives it back."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        target = self.eyes.marked(frame, mark)
        before = self.eyes.signature(frame)
        try:
            pressed = self._press(target, before, frame, label, closing=closing, counted=counted)
        except PlaywrightTimeout:
            return self._not_taken(target, before, frame, label, cover=cover, closing=closing)
        except PlaywrightError as exc:
            if self.run.page.is_closed():
                from infonavit_fetch.errors import browser_closed

                raise browser_closed() from None
            self.run.log(f"el clic en «{label}» no se pudo dar: {why(exc)}")
            return False
        if pressed is not None:
            return pressed
        self.changed = self.settle(before, frame)
        if self.changed and not closing:
            self.memory.landed()  # what kept a click from the way is gone: it is no longer the story
        return True

    def _press(
        self, target: Locator, before: Signature, frame: Frame, label: str, *, closing: bool, counted: str
    ) -> bool | None:
        """The click itself, in two tries; None when it landed (what it did is read next), else the click's
        outcome decided on the way (the page went on without it, or something came over the control)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        first, rest = self._tries()
        try:
            target.click(timeout=first)
            return None
        except PlaywrightTimeout:
            # The page may have gone on without this click (an earlier one took effect): then the
            # control is simply gone, and waiting the rest of the budget for it would be lost time.
            if self.moved_on(before, frame):
                return self._moved_on_without(label)
            if closing and self._gone(target):
                return self._gone_meanwhile(label)
            # Something came over it since the look (a cookie bar sliding in, an app's busy layer):
            # the walk's next look sees it and takes it away, or waits for it to go.
            over = self._covered_by(target)
            if over and self.memory.once(f"covered:{label}", MAX_COVERED):
                self.run.log(f"«{label}» está tapado ({over!r}); se quita lo que estorba antes de pulsarlo")
                if not closing:  # a close control that cannot be pressed blocks nothing
                    self.memory.blocked(label, over)
                if counted:
                    self.memory.uncount(counted)  # not pressed: the press comes once the way is clear
                return False
            if not rest:
                raise
        target.click(timeout=rest)
        return None

    def _tries(self) -> tuple[float, float]:
        """A click's (or a hover's) budget in two tries: the first, and the rest of it (0: none left)."""
        budget = min(CLICK_MS, self.run.settings.timeout_ms)
        first = min(FIRST_TRY_MS, budget)
        return first, budget - first

    def _not_taken(
        self, target: Locator, before: Signature, frame: Frame, label: str, *, cover: str, closing: bool
    ) -> bool:
        """A click whose whole budget ran out."""
        if self.moved_on(before, frame):
            return self._moved_on_without(label)
        if closing and self._gone(target):
            return self._gone_meanwhile(label)
        if closing:
            self.run.log(f"no se pudo hacer clic en «{label}»")
            self.escape()
            return False
        self.click_failed(label, cover)
        self.memory.lost_the_menu()
        return False

    def moved_on(self, before: Signature, frame: Frame) -> bool:
        """A new tab, a page asked for, or another address in the tab or in the clicked frame (a frame of
        its own, such as an advert, may change its address at any time: it does not count)."""
        if self.run.tabs.new_pages or self.run.page.is_closed():
            return True
        # A page asked for since: the click took effect even if the portal sent it back to the same
        # address (an interstitial every page redirects to until it is answered).
        if self.run.tabs.started > before.pages:
            return True
        address = before.main.split("|", 1)[0]
        if address and self.run.page.url != address:
            return True
        clicked = before.clicked.split("|", 1)[0]
        return frame.is_detached() or bool(clicked and frame.url != clicked)

    @staticmethod
    def _covered_by(target: Locator) -> str:
        """What covers `target` where a person would click it; "" when nothing does or it cannot be told."""
        try:
            over = target.evaluate(COVERED_BY_JS, timeout=CLICK_MS)
        except Exception:
            return ""
        return over if isinstance(over, str) else ""

    @staticmethod
    def _gone(target: Locator) -> bool:
        """Whether a control is no longer there to be clicked (a layer that slid away while it was pressed)."""
        try:
            return not target.is_visible()
        except Exception:
            return True

    def _gone_meanwhile(self, label: str) -> bool:
        self.run.log(f"«{label}» se fue mientras se pulsaba; se sigue")
        self.changed = True
        return True

    def _moved_on_without(self, label: str) -> bool:
        self.run.log(f"la página cambió mientras se pulsaba «{label}»; se sigue desde la nueva")
        self.changed = True
        return True

    def click_failed(self, label: str, cover: str) -> None:
        """A click that could not happen: noted, and Escape pressed (it closes most drawers and dialogs);
        the second time for the same step the walk ends naming it and what covers it."""
        self.run.log(f"no se pudo hacer clic en «{label}»{f' (lo tapa {cover!r})' if cover else ''}")
        self.memory.blocked(label, cover)
        if not self.memory.once(f"blocked:{label}", MAX_SAME_ACTION):
            raise blocked(label, cover) from None
        self.escape()

    def escape(self) -> None:
        """Escape closes most drawers and dialogs."""
        from playwright.sync_api import Error as PlaywrightError

        with contextlib.suppress(PlaywrightError):
            self.run.page.keyboard.press("Escape")

    def reveal(self, frame: Frame, mark: str) -> bool:
        """Hover (and focus) the visible part of a menu, as a person's pointer opens it."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        anchor = self.eyes.marked(frame, mark)
        first, rest = self._tries()
        try:
            try:
                anchor.hover(timeout=first)
            except PlaywrightTimeout:
                # A menu under a layer that stays: no pointer reaches it, and waiting the rest of the
                # budget changes nothing (the walk deals with the layer).
                if not rest or self._covered_by(anchor):
                    return False
                anchor.hover(timeout=rest)
            anchor.evaluate(FOCUS_FIRST_JS)
        except PlaywrightError:
            return False
        return True

    def scroll_down(self, frame: Frame) -> bool:
        """True when the frame moved."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            return bool(frame.evaluate(SCROLL_DOWN_JS))
        except PlaywrightError:
            return False

    def settle(self, before: Signature, frame: Frame) -> bool:
        """After a click in `frame`: a new tab is followed, a page that loads is let load. True when the
        click changed something (a new tab, another page or frame, other content)."""
        from playwright.sync_api import Error as PlaywrightError

        page = self.run.page
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state("domcontentloaded", timeout=self.run.settings.timeout_ms)
        if self.eyes.went_elsewhere(before):
            return True  # known without asking the page
        if frame is not page.main_frame and self.eyes.reading(page.main_frame) != before.main:
            return True
        if self.eyes.wait_for_change(frame, prev=before.clicked):
            return True
        # Nothing to see yet, but the click asked for a page (a form sent into a new tab, a slow server):
        # a person waits for it rather than clicking again.
        if not self.run.tabs.wait_for_pages_since(before.pages):
            return False
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state("domcontentloaded", timeout=self.run.settings.timeout_ms)
        return self.eyes.went_elsewhere(before) or self.eyes.reading(frame) != before.clicked
