"""The manual's steps 3 to 5: from the logged-in page to the PDF, walked the way a person would.

At each look the walk asks the policy (`policy.next_action`) what a person would do with what is in
sight, does it, and looks again: the furthest of the manual's waypoints in sight is acted on, what is
already open or passed is skipped, what stands in the way is got past (an overlay closed, a page that
asks for something else put off, a menu that hides the next words opened). When nothing leads on for a
short while in a visible browser, the person is asked for that one click, and the PDF is saved whatever
they clicked.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING

from infonavit_fetch.errors import browser_closed
from infonavit_fetch.i18n import t
from infonavit_fetch.site import portal
from infonavit_fetch.site.portal import Label
from infonavit_fetch.walk import policy
from infonavit_fetch.walk.ending import Ending
from infonavit_fetch.walk.failures import lost, missing
from infonavit_fetch.walk.hands import Hands
from infonavit_fetch.walk.policy import Memory, Scene
from infonavit_fetch.walk.sight import LOOK_SLICE_MS, Eyes, Seen
from infonavit_fetch.walk.stage import RouteChanged, StageReader

if TYPE_CHECKING:
    from infonavit_fetch.browser.session import Run
    from infonavit_fetch.walk.look import Control, Sighting

__all__ = ["HANDOVER_PATIENCE", "LOOK_SLICE_MS", "Walk"]

# How long a visible browser waits for the next words before asking the person (seconds).
HANDOVER_PATIENCE = 10.0

# The step log's words for a control on the way that is not a step.
CONTROL_LOG: dict[type[policy.OnControl], str] = {
    policy.OpenMenu: "se abre el menú («{}»)",
    policy.GoHome: "se vuelve al inicio del portal («{}»)",
    policy.PutOff: "la página pide otra cosa primero; se pospone con «{}»",
    policy.Related: "se busca el paso siguiente en «{}»",
}


class Walk:
    """From the logged-in page to the PDF's bytes."""

    def __init__(self, run: Run) -> None:
        self.run = run
        chosen = run.settings.route
        self.memory = Memory(portal.MI_CREDITO if chosen == portal.MI_CREDITO.name else portal.FORMALIZA)
        self.eyes = Eyes(run)
        self.hands = Hands(run, self.eyes, self.memory)
        self.stage = StageReader(run, self.memory)
        self.ending = Ending(run, self.hands, self.memory)
        self.home_url = ""  # a page where the portal's menu was seen (its home): the way back for the other route

    def to_notice(self) -> bytes:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            return self._walk()
        except PlaywrightTimeout:  # a wait the walk did not expect to be long: still a step not found
            raise self.lost() from None
        finally:
            self.ending.armed.close()

    def lost(self) -> Exception:
        return lost(self.memory, page_came=self.ending.page_came, page_said=self.ending.page_said)

    def _walk(self) -> bytes:
        run = self.run
        if self.memory.route is portal.MI_CREDITO:
            run.console.step(t("Buscando el aviso en «{p0}»…", p0=Label.MI_CREDITO))
        else:
            run.console.step(t("Entrando a «{p0}»…", p0=Label.MI_ESPACIO))
        headed = not run.settings.headless
        patience = min(HANDOVER_PATIENCE, run.settings.timeout) if headed else run.settings.timeout
        last_progress = time.monotonic()
        while True:
            self.follow_new_tab()
            seen = self.look()
            if pdf := self.ending.caught(seen):
                return pdf
            if self.progress(seen):
                last_progress = time.monotonic()
            scene = Scene(
                tuple(where.sight for where in seen),
                url=run.page.url,
                at_home=run.page.url == (self.home_url or run.settings.portal_url),
                still_for=time.monotonic() - last_progress,
                patience=patience,
                timeout=run.settings.timeout,
                headed=headed,
            )
            outcome = self.act(scene, seen)
            if isinstance(outcome, bytes):
                return outcome
            if outcome:
                last_progress = time.monotonic()

    def act(self, scene: Scene, seen: list[Seen]) -> bytes | bool | None:
        """What the policy says to do at this look, done: the PDF, True when the walk went on (the page is
        looked at afresh), False when it waited, None when it looks again at once."""
        tried: list[policy.Action] = []
        while True:
            action = policy.next_action(scene, self.memory, tried)
            outcome = self.do(action, seen)
            if outcome is not False or isinstance(action, policy.Wait):
                return outcome
            tried.append(action)

    def do(self, action: policy.Action, seen: list[Seen]) -> bytes | bool | None:
        """One action; False when it came to nothing (the policy then says what next)."""
        memory = self.memory
        if action.key and not isinstance(action, (policy.Scroll, policy.Print)):
            memory.count(action.key)
        match action:
            case policy.Wait():
                self.eyes.wait_for_change()
                return False
            case policy.PersonWentOn():
                self.ending.person_went_on()
                return True
            case policy.Print(frame=frame, sighting=sighting) if sighting is not None:
                return self.ending.print_notice(seen[frame], sighting) or True
            case policy.OnStep(frame=frame, sighting=sighting) if sighting is not None:
                return self.press(seen[frame], sighting, action)
            case policy.Dismiss(frame=frame, overlay=overlay) if overlay is not None:
                self.run.log(f"se cierra algo que estorba ({overlay.about[:60]!r}) con «{overlay.text}»")
                with self.run.closing_it_myself():
                    self.hands.click(seen[frame].frame, overlay.id, overlay.text, closing=True, counted=action.key)
                return True if action.onward else None
            case policy.Reveal(frame=frame, waypoint=waypoint, anchor=anchor):
                self.run.log(f"se abre el menú que esconde «{memory.route.waypoints[waypoint]}»")
                return self.hands.reveal(seen[frame].frame, anchor)
            case policy.OnControl(frame=frame, control=control) if control is not None:
                return self.use_control(seen[frame], control, action)
            case policy.GoHomeAddress():
                self.run.log("se vuelve a la página de inicio del portal")
                self.run.page.goto(self.home_url or self.run.settings.portal_url, wait_until="domcontentloaded")
                return True
            case policy.Scroll(frame=frame):
                return self.scroll(seen[frame], action.key)
        return self.change_course(action)

    def change_course(self, action: policy.Action) -> bool | None:
        """The actions that change what the walk does rather than the page."""
        match action:
            case policy.StartOver():
                self.run.log("el portal volvió a un paso anterior; se sigue desde ahí")
                self.memory.start_over()
                return True
            case policy.AskFirst(reason="round"):
                self.run.log("los pasos a la vista no llevan a otra página: se busca qué pide esta primero")
                self.memory.read_first()
                return None
            case policy.AskFirst():
                self.run.log("el portal vuelve una y otra vez a esta página: se busca qué pide esta primero")
                self.memory.read_first()
                return True
            case policy.WaitForDocument():
                if not self.ending.portal_is_preparing():
                    return False
                self.eyes.wait_for_change()
                return None
            case policy.HandOver():
                self.ending.hand_over()
                return None
            case policy.GiveUp():
                raise self.lost()
        raise AssertionError(f"no way to do {action!r}")

    def press(self, where: Seen, sighting: Sighting, action: policy.Action) -> bool:
        """Click a waypoint (or, once, the step the portal shows as open); True when the click happened."""
        memory = self.memory
        label = memory.route.waypoints[sighting.waypoint]
        if isinstance(action, policy.PressOpenStep):
            self.run.log(f"«{label}» se ve abierto pero no muestra el paso siguiente; se pulsa")
            return self.hands.click(where.frame, sighting.id, label, counted=action.key)
        self.run.log(f"clic en «{label}» ({sighting.text!r})")
        cover = sighting.cover.text if sighting.cover else ""
        clicked = self.hands.click(where.frame, sighting.id, label, cover=cover, counted=action.key)
        if clicked and self.hands.changed and not sighting.prose:
            memory.went_past(sighting.waypoint)
        return clicked

    def use_control(self, where: Seen, control: Control, action: policy.OnControl) -> bool:
        """A control on the way that is not a step: a menu's opener, the way home, a «later», a related one."""
        self.run.log(CONTROL_LOG[type(action)].format(control.text))
        ask_first = self.memory.ask_first
        clicked = self.hands.click(where.frame, control.id, control.text, counted=action.key)
        if isinstance(action, policy.PutOff) and clicked and self.hands.changed and ask_first:
            self.memory.start_over()  # the steps that led back here lead on now
        return clicked

    def scroll(self, where: Seen, key: str) -> bool:
        """Nothing leads on in sight: a person scrolls down, and what a page loads only once it is
        scrolled to shows up. True when the page moved."""
        if not self.hands.scroll_down(where.frame):
            return False
        if not self.memory.done[key]:
            self.run.log(f"se baja por la página buscando «{missing(self.memory)}»")
        self.memory.count(key)
        self.eyes.wait_for_change()
        return True

    def follow_new_tab(self) -> None:
        run = self.run
        while (page := run.follow_new_tab()) is not None:
            run.log(f"se abrió una pestaña nueva: {page.url}")
            with contextlib.suppress(Exception):
                page.wait_for_load_state("domcontentloaded", timeout=run.settings.timeout_ms)

    def look(self) -> list[Seen]:
        """One look at every frame of the page that belongs to the portal, and what it tells of the stage."""
        run = self.run
        if run.page.is_closed():
            raise browser_closed()
        run.ensure_on_portal()
        seen = self.eyes.look(self.memory.route, ask_first=self.memory.ask_first)
        if not self.home_url and any(s.waypoint == 0 for where in seen for s in where.sight.found if s.actionable):
            self.home_url = run.page.url  # where the menu is: the way back for the other route
        try:
            self.stage.check(seen)
        except RouteChanged:
            return self.look()
        return seen

    def progress(self, seen: list[Seen]) -> bool:
        furthest = self.memory.progress([where.sight for where in seen])
        if furthest is None:
            return False
        words = next((s.text for w in seen for s in w.sight.found if s.waypoint == furthest), "")
        self.run.log(f"a la vista: «{self.memory.route.waypoints[furthest]}» ({words[:60]!r})")
        return True
