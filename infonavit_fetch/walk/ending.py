"""The end of the walk: the click that may bring the notice, the notice caught whoever clicked, the
person asked for the one click the tool cannot find, a window that prepares the document waited for."""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

from infonavit_fetch.delivery import NothingDelivered, prepares_document
from infonavit_fetch.i18n import t
from infonavit_fetch.js import script
from infonavit_fetch.site import portal
from infonavit_fetch.site.text import fold
from infonavit_fetch.walk.failures import missing, nobody_clicked
from infonavit_fetch.walk.hands import CLICK_MS, Hands
from infonavit_fetch.walk.policy import Memory, step_key
from infonavit_fetch.walk.sight import Seen

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from infonavit_fetch.browser.session import Run
    from infonavit_fetch.walk.look import Sighting


LANDING_CHECK_MS = 1000.0  # asking a control whether the click reached it (an answer, not a pause)


class Ending:
    def __init__(self, run: Run, hands: Hands, memory: Memory) -> None:
        self.run = run
        self.hands = hands
        self.memory = memory
        self.handing_over: float | None = None  # while the person is asked for a click: until when
        self.armed = contextlib.ExitStack()  # the catcher armed meanwhile
        self.page_came = ""  # the title of a page that came instead of the PDF
        self.page_said = ""  # and what it said

    def caught(self, seen: list[Seen]) -> bytes | None:
        """The notice, if it has arrived by any way (whoever clicked); a page that is the notice itself is
        printed first."""
        run = self.run
        documents = tuple((where.frame, url) for where in seen for url in where.sight.documents)
        if pdf := run.catcher.poll(documents):
            return pdf
        for where in seen:
            if where.sight.notice_title and self.memory.once(f"print-page:{where.frame.url}") and self.is_notice(where):
                run.log("la página muestra el aviso mismo; se imprime a PDF")
                run.catcher.print_page(where.frame.page)
                if pdf := run.catcher.notice:
                    return pdf
        if self.handing_over is not None and time.monotonic() > self.handing_over:
            raise nobody_clicked(self.memory)
        return None

    def is_notice(self, where: Seen) -> bool:
        """The notice shown as a page: under its title, the worker's NSS and the notice's own fields (a page
        that names the notice in a heading, a list of documents, does not carry them)."""
        try:
            text = where.frame.locator("body").inner_text(timeout=2000)
        except Exception:
            return False
        digits = "".join(ch for ch in text if ch.isdigit() or ch == " ").replace(" ", "")
        fields = sum(fold(label) in fold(text) for label in portal.NOTICE_PAGE_FIELDS)
        return self.run.credentials.nss in digits and fields >= portal.NOTICE_PAGE_MIN_FIELDS

    def print_notice(self, where: Seen, sighting: Sighting) -> bytes | None:
        """The click that may bring the notice, with the PDF caught whatever way it comes; None when
        something covered it (Escape was pressed) or a page came instead (a list of documents, a viewer):
        the walk then looks again."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        run, memory = self.run, self.memory
        label = memory.route.waypoints[sighting.waypoint]
        run.console.step(t("Descargando el aviso…"))
        run.log(f"clic en «{label}» ({sighting.text!r})")
        target = self.hands.eyes.marked(where.frame, sighting.id)
        try:
            answer = run.catcher.after_click(
                run.page,
                lambda: _press_landing(target, min(CLICK_MS, run.settings.timeout_ms)),
                timeout_ms=run.settings.timeout_ms,
            )
        except (PlaywrightTimeout, ClickLost):
            self.hands.click_failed(label, sighting.cover.text if sighting.cover else "")
            return None
        except NothingDelivered:
            if run.settings.headless:
                raise
            memory.went_past(sighting.waypoint)
            self.hand_over()
            return None
        memory.count(step_key(sighting))
        memory.went_past(sighting.waypoint)
        if answer.pdf is not None:
            return answer.pdf
        self.page_instead(answer.page)
        return None

    def page_instead(self, page: Page | None) -> None:
        """A page came instead of the PDF: from here any click may bring the notice."""
        run, memory = self.run, self.memory
        self.page_came = _title(page)
        self.page_said = _said(page)
        run.log(f"en lugar del PDF llegó una página ({self.page_came!r}); se busca en ella el aviso")
        self.arm_after_print()
        memory.route_to_list()

    def arm_after_print(self) -> None:
        """From here any click, the tool's or the person's, may bring the notice (a form that answers with
        an attachment cannot be asked again): every answer of the portal is read on its way."""
        if self.memory.once("armed-after-print"):
            self.armed.enter_context(self.run.catcher.arming())

    def moving_on(self) -> bool:
        """A window that said it prepares the document, now on its way to its next page."""
        return bool(self.memory.done["preparing"] and self.run.tabs.navigations)

    def hand_over(self) -> None:
        """Ask the person for the one click the tool cannot find; whatever their clicks bring is caught
        (the catcher is armed meanwhile), and once they bring the portal to a step further on, the walk
        goes on from there."""
        run = self.run
        step = missing(self.memory)
        run.console.say(
            t(
                "No encuentro «{missing}». Haz clic tú en lo que te lleve al aviso; yo guardo el PDF en cuanto "
                "aparezca. (Ctrl-C para cancelar)",
                missing=step,
            )
        )
        run.log(f"se pidió ayuda a la persona: no se encontró «{step}»")
        run.record_clicks()
        self.handing_over = time.monotonic() + run.settings.captcha_timeout
        self.armed.enter_context(run.catcher.arming())
        self.memory.asked_person()

    def person_went_on(self) -> None:
        self.run.log("la persona llevó el portal a un paso conocido; se sigue el camino")
        self.handing_over = None
        self.memory.person_went_on()

    def portal_is_preparing(self) -> bool:
        """A window that says it prepares the document: a person waits for it before looking for another way,
        and goes on waiting while that window moves on to the document (on a busy machine its words are gone
        a moment before the document is caught)."""
        run = self.run
        if run.catcher.poll() is not None:
            return True  # it came meanwhile: the next look catches it
        preparing = any(prepares_document(page) for page in run.context.pages) or self.moving_on()
        if preparing and self.memory.once("preparing"):
            run.log("una ventana dice que prepara el documento; se espera a que lo entregue")
        return preparing


class ClickLost(Exception):
    """The press was made, but on something that came over the control meanwhile."""


# Where the press went (js/landing.js), armed before it and read after it; unarmed reads as reached.
LANDING_JS = script("landing")
LANDED_JS = "el => el.__infonavitLanding ? el.__infonavitLanding() : 'control'"


def _press_landing(target: Locator, timeout_ms: float) -> None:
    """Click `target` and make sure the click reached it. Playwright checks before pressing that nothing
    covers a control in a frame, but a layer of the page around the frame that comes during the press
    (a survey shown a moment after the page loads, on a busy machine) takes the click, and Playwright,
    seeing no event in the control's frame, reports success: nothing is asked of the portal then, and a
    wait for the notice would wait its whole time for nothing. A layer that goes away with the click
    it took (its own button was under the pointer) leaves nothing to see afterwards: what tells is that
    no click came into the control's window at all."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    handle = target.element_handle(timeout=timeout_ms)
    with contextlib.suppress(PlaywrightError):
        handle.evaluate(LANDING_JS)
    target.click(timeout=timeout_ms)
    try:
        # The handle, not the locator: a control whose page went on is gone at once, not waited for.
        reached = handle.evaluate(LANDED_JS)
    except PlaywrightError:
        return  # the control's page went on: the click took it there
    if reached == "control":
        return
    if reached == "none":
        raise ClickLost()
    # The page's own code may stop a click on its way to the control: only a control that something in its
    # window covers now lost it.
    try:
        target.click(trial=True, timeout=LANDING_CHECK_MS)
    except PlaywrightTimeout:
        raise ClickLost() from None
    except PlaywrightError:
        return


def _title(page: Page | None) -> str:
    """What a page calls itself: its first heading, or else its title (read with a bound)."""
    if page is None or page.is_closed():
        return ""
    try:
        heading = page.get_by_role("heading").first
        if heading.count():
            return " ".join(heading.inner_text(timeout=2000).split())[:80]
        return page.title().strip()[:80]
    except Exception:
        return ""


def _said(page: Page | None) -> str:
    """The first words of a page (read with a bound)."""
    if page is None or page.is_closed():
        return ""
    try:
        return " ".join(page.locator("body").inner_text(timeout=2000).split())[:600]
    except Exception:
        return ""
