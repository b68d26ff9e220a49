"""What a person following the manual does next: a pure function of what is in sight and what was done.

No browser here. The walk looks (`Scene`), asks `next_action`, does it, and tells the policy what it
tried at this look and what came of it (`Memory`); the same question then has the next answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from infonavit_fetch.site import portal
from infonavit_fetch.site.text import fold
from infonavit_fetch.walk.look import Control, Overlay, Sight, Sighting

# A page that has not changed for this long, with the step the walk is at marked as open: it is pressed.
STILL_PAGE_S = 2.0
# The same action is tried at most this often: a control that does nothing is not pressed forever.
MAX_SAME_ACTION = 2
# Scrolls down one page of the same address at most (a list that grows as it is scrolled ends somewhere).
MAX_SCROLLS = 25


@dataclass
class Memory:
    """What the walk has done and learnt so far."""

    route: portal.Route
    reached: int = -1  # the furthest waypoint seen so far
    passed: int = -1  # the furthest waypoint whose click changed the page: never clicked again
    done: Counter[str] = field(default_factory=Counter)  # how often each action was taken
    # The way on is in sight but leads back here (a page that lets nothing through before it is
    # answered): the look then also reads the controls that put such a page off.
    ask_first: bool = False
    last_blocked: tuple[str, str] | None = None  # the last click that could not happen, and what covered it
    asking_person: bool = False  # the person has been asked for a click
    reached_at_hand_over: int = -1

    def once(self, key: str, times: int = 1) -> bool:
        """Whether the action `key` was taken fewer than `times` times; if so it counts as taken now."""
        if self.done[key] >= times:
            return False
        self.done[key] += 1
        return True

    def allows(self, key: str, times: int = 1) -> bool:
        return self.done[key] < times

    def count(self, key: str) -> None:
        """The action `key` was taken."""
        self.done[key] += 1

    def uncount(self, key: str) -> None:
        """The action `key` could not be taken after all (a click found covered): it is tried again."""
        self.done[key] -= 1

    def went_past(self, waypoint: int) -> None:
        """A click on `waypoint` changed the page: it is never clicked again."""
        self.passed = max(self.passed, waypoint)

    def blocked(self, label: str, cover: str) -> None:
        """A click on `label` could not happen (`cover` over it): the walk's story, until a click lands."""
        self.last_blocked = (label, cover)

    def landed(self) -> None:
        self.last_blocked = None

    def lost_the_menu(self) -> None:
        """A click that never landed: a menu that closed meanwhile is opened again by the step before."""
        self.passed = -1

    def read_first(self) -> None:
        """What is in sight leads back here: the look also reads what puts such a page off."""
        self.ask_first = True

    def asked_person(self) -> None:
        self.asking_person = True
        self.reached_at_hand_over = self.reached

    def person_went_on(self) -> None:
        self.asking_person = False

    def progress(self, sights: Sequence[Sight]) -> int | None:
        """The furthest waypoint in sight when it is further than any before (it is then reached)."""
        furthest = max((sight.furthest_seen for sight in sights), default=-1)
        if furthest <= self.reached:
            return None
        self.reached = furthest
        return furthest

    def start_over(self) -> None:
        """The portal sent the person back: the steps are walked again from there."""
        self.ask_first = False
        self.passed = -1
        for key in [key for key in self.done if key[:1].isdigit()]:
            del self.done[key]

    def change_route(self, route: portal.Route) -> None:
        self.route = route
        self.reached = self.passed = -1

    def route_to_list(self) -> None:
        """A list of documents came instead of the PDF: the notice's own entry in it is the last step."""
        if self.route.name == portal.FORMALIZA.name and not self.route.row:
            self.route = portal.FORMALIZA_LIST


@dataclass(frozen=True)
class Scene:
    """One look: what each frame of the tab shows (frame 0 first), and how long nothing led on."""

    sights: tuple[Sight, ...]
    url: str = ""  # the tab's address
    at_home: bool = False  # the tab is at the portal's home (where the menu is)
    still_for: float = 0.0  # seconds since the last step forward
    patience: float = 10.0  # how long nothing may lead on before the person is asked (or the walk ends)
    timeout: float = 30.0  # the run's timeout: how long a window that prepares the document is waited for
    headed: bool = True

    @property
    def busy(self) -> bool:
        return any(sight.busy for sight in self.sights)


# --- what the walk may do ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One thing to do; `key` is what it counts as in `Memory.done` (counted when it is done)."""

    key: str = ""


@dataclass(frozen=True)
class OnStep(Action):
    frame: int = 0
    sighting: Sighting | None = None


@dataclass(frozen=True)
class Press(OnStep):
    """Click the waypoint (the way on)."""


@dataclass(frozen=True)
class Print(OnStep):
    """The click that may bring the notice."""


@dataclass(frozen=True)
class PressOpenStep(OnStep):
    """The step the portal shows as open, yet nothing of the next one shows: pressed once anyway."""


@dataclass(frozen=True)
class Dismiss(Action):
    """Close what stands in the way with its own close / decline / postpone control."""

    frame: int = 0
    overlay: Overlay | None = None
    times: int = 1
    onward: bool = True  # closing it counts as a step forward (not when it only lets a blocked click through)


@dataclass(frozen=True)
class Reveal(Action):
    """Hover the visible part of a menu that hides the next words."""

    frame: int = 0
    waypoint: int = 0
    anchor: str = ""


@dataclass(frozen=True)
class OnControl(Action):
    frame: int = 0
    control: Control | None = None


@dataclass(frozen=True)
class OpenMenu(OnControl):
    """Open a menu whose words are on the page but hidden."""


@dataclass(frozen=True)
class GoHome(OnControl):
    """Back to the portal's home, where its menu is («Mi crédito» is not in Mi Espacio's)."""


@dataclass(frozen=True)
class GoHomeAddress(Action):
    """Back to the portal's home by its address (no control leads there)."""


@dataclass(frozen=True)
class PutOff(OnControl):
    """The page asks for something else first: put it off («Más tarde», «Omitir»)."""


@dataclass(frozen=True)
class Related(OnControl):
    """A control that shares a waypoint's first words: the next step may be behind it."""


@dataclass(frozen=True)
class Scroll(Action):
    """Scroll a frame down, as a person looking further down does."""

    frame: int = 0


@dataclass(frozen=True)
class StartOver(Action):
    """The portal went back to a step already passed: the walk goes on from there."""


@dataclass(frozen=True)
class AskFirst(Action):
    """What is in sight leads back here: look for what this page asks first."""

    reason: str = ""  # "round": steps pressed as often as allowed; "again": sent back to this page again


@dataclass(frozen=True)
class PersonWentOn(Action):
    """The person brought the portal to a step further on: the walk goes on."""


@dataclass(frozen=True)
class WaitForDocument(Action):
    """A window may say it prepares the document: a person waits for it."""


@dataclass(frozen=True)
class HandOver(Action):
    """Ask the person for the click the walk cannot find."""


@dataclass(frozen=True)
class GiveUp(Action):
    """Nothing leads on, and nobody can be asked: the walk ends naming the missing step."""


@dataclass(frozen=True)
class Wait(Action):
    """Nothing to do but wait for the page to change."""


# Actions whose failure ends the search for a way to clear (the next is a look further down).
_ENDS_CLEARING = (OpenMenu, GoHome, PutOff, Related)


# --- the policy --------------------------------------------------------------------------------------


def next_action(scene: Scene, memory: Memory, tried: Sequence[Action] = ()) -> Action:
    """The next thing to do at this look, after the actions in `tried` were tried at it and came to nothing."""
    if memory.asking_person:
        best = best_step(scene, memory)
        if best is not None and best[1].waypoint > memory.reached_at_hand_over:
            return PersonWentOn()
        return Wait()
    best = best_step(scene, memory)
    if best is not None:
        action = _on_the_way(scene, memory, best, tried)
    else:
        action = _clear_the_way(scene, memory, tried) or _look_further_down(scene, memory, tried)
    return action or _when_still(scene, memory, tried)


def best_step(scene: Scene, memory: Memory) -> tuple[int, Sighting] | None:
    """The furthest waypoint a person could act on, in any frame; one pressed too often is left."""
    # Never back more than one step from the furthest words in sight: a menu entry behind is no way on.
    furthest = max((sight.furthest_seen for sight in scene.sights), default=-1)
    choices = [
        (frame, sighting)
        for frame, sight in enumerate(scene.sights)
        for sighting in sight.found
        if sighting.waypoint >= furthest - 1
        and sighting.waypoint > memory.passed
        and sighting.actionable
        and memory.allows(step_key(sighting), MAX_SAME_ACTION)
    ]
    if not choices:
        return None
    return max(choices, key=_preference)


def _preference(choice: tuple[int, Sighting]) -> tuple[bool, bool, int, int, int]:
    """Which of the steps in sight a person takes: not one under a stage the page calls finished (the last
    resort; under the current one, the first), a label before words in a sentence, the furthest, the
    element that says just the words."""
    sighting = choice[1]
    return (sighting.section >= 0, not sighting.prose, sighting.waypoint, sighting.section, -sighting.extra)


def step_key(sighting: Sighting) -> str:
    return f"{sighting.waypoint}:{fold(sighting.text)}"


def delivers(route: portal.Route, sighting: Sighting) -> bool:
    """Whether a click on this waypoint may bring the notice: the route's last, and «Imprime los
    documentos» whatever follows it (a list of documents may come instead of the PDF)."""
    last = len(route.waypoints) - 1
    return sighting.waypoint == last or (
        route.name == portal.FORMALIZA.name and sighting.waypoint == portal.PRINT_WAYPOINT
    )


def _on_the_way(scene: Scene, memory: Memory, best: tuple[int, Sighting], tried: Sequence[Action]) -> Action | None:
    frame, sighting = best
    if not tried and (closing := _after_blocked_click(scene, memory)):
        return closing
    if any(isinstance(action, Press) for action in tried):
        return None
    if sighting.cover is not None:
        overlay = next((o for o in scene.sights[frame].overlays if o.root == sighting.cover.id), None)
        if overlay is not None and not any(isinstance(action, Dismiss) for action in tried):
            dismiss = _dismiss(frame, overlay)
            if memory.allows(dismiss.key, dismiss.times):
                return dismiss
    if delivers(memory.route, sighting):
        return Print(key=step_key(sighting), frame=frame, sighting=sighting)
    return Press(key=step_key(sighting), frame=frame, sighting=sighting)


def _after_blocked_click(scene: Scene, memory: Memory) -> Dismiss | None:
    """A click that could not happen: what covers it may be a layer of another frame (the page over a
    frame's button), which a look inside that frame does not see. It is closed first (not a step forward)."""
    if not memory.last_blocked:
        return None
    closing = _closing_overlay(scene, memory)
    return replace(closing, onward=False) if closing else None


def _dismiss(frame: int, overlay: Overlay) -> Dismiss:
    key = f"dismiss:{fold(overlay.about)[:60]}:{fold(overlay.text)}"
    return Dismiss(key=key, frame=frame, overlay=overlay, times=1 if overlay.once else MAX_SAME_ACTION)


def _closing_overlay(scene: Scene, memory: Memory) -> Dismiss | None:
    """A dialog or a layer over the page, in any frame, that can still be closed."""
    for frame, sight in enumerate(scene.sights):
        for overlay in sorted(sight.overlays, key=lambda o: (o.under, o.rank)):
            dismiss = _dismiss(frame, overlay)
            if (overlay.dialog or overlay.big or overlay.blocking) and memory.allows(dismiss.key, dismiss.times):
                return dismiss
    return None


def _clear_the_way(scene: Scene, memory: Memory, tried: Sequence[Action]) -> Action | None:
    """Nothing to click on the way: close an overlay, open a menu that hides the next words, go home for
    the other route, put off a page that asks for something else, try a related control."""
    if any(isinstance(action, _ENDS_CLEARING) for action in tried):
        return None
    if closing := _closing_overlay(scene, memory):
        return closing
    if menu := _open_menu(scene, memory, tried):
        return menu
    if scene.busy:
        return None  # a page still loading is no page that asks for something
    if memory.reached < 0 and memory.route is portal.MI_CREDITO and (home := _go_home(scene, memory)):
        return home
    for frame, sight in enumerate(scene.sights):
        for control in sight.pass_controls:
            if memory.allows(key := f"pass:{fold(control.text)}"):
                return PutOff(key=key, frame=frame, control=control)
    if memory.reached < 0 or not any(sight.found for sight in scene.sights):
        for frame, sight in enumerate(scene.sights):
            for control in sight.related:
                if memory.allows(key := f"related:{fold(control.text)}", MAX_SAME_ACTION):
                    return Related(key=key, frame=frame, control=control)
    return None


def _open_menu(scene: Scene, memory: Memory, tried: Sequence[Action]) -> Action | None:
    in_sight = max((sight.furthest_seen for sight in scene.sights), default=-1)
    for frame, sight in enumerate(scene.sights):
        for waypoint, anchor in sight.hidden:
            reveal = Reveal(key=f"reveal:{waypoint}", frame=frame, waypoint=waypoint, anchor=anchor)
            if waypoint > memory.passed and reveal not in tried and memory.allows(reveal.key, MAX_SAME_ACTION):
                return reveal
        # Words further on than any in sight now (not than any seen once: a menu that showed them may
        # have closed again, and its opener is then pressed again).
        if not any(waypoint > max(memory.passed, in_sight) for waypoint in sight.hidden_waypoints):
            continue
        for opener in sight.openers:
            if memory.allows(key := f"open:{fold(opener.text)}", MAX_SAME_ACTION):
                return OpenMenu(key=key, frame=frame, control=opener)
    return None


def _go_home(scene: Scene, memory: Memory) -> Action | None:
    """«Mi crédito» is in the portal's menu, which Mi Espacio may not have: back to the home first."""
    for frame, sight in enumerate(scene.sights):
        for control in sight.home:
            if memory.allows(key := f"home:{fold(control.text)}"):
                return GoHome(key=key, frame=frame, control=control)
    if not scene.at_home and memory.allows("home:url"):
        return GoHomeAddress(key="home:url")
    return None


def _look_further_down(scene: Scene, memory: Memory, tried: Sequence[Action]) -> Action | None:
    """Nothing leads on in sight: a person scrolls down («en la parte inferior…», says the manual)."""
    if scene.busy:
        return None
    for frame, sight in enumerate(scene.sights):
        scroll = Scroll(key=f"scroll:{sight.url}", frame=frame)
        if scroll not in tried and memory.allows(scroll.key, MAX_SCROLLS):
            return scroll
    return None


def _when_still(scene: Scene, memory: Memory, tried: Sequence[Action]) -> Action:
    """Nothing was done at this look: what a person does when the page stays as it is."""
    pressed = any(isinstance(action, PressOpenStep) for action in tried)
    if scene.still_for > STILL_PAGE_S and not scene.busy and not pressed and (open_step := _open_step(scene, memory)):
        return open_step
    if scene.still_for > STILL_PAGE_S and (back := _sent_back(scene, memory)):
        return back
    if not memory.ask_first and _going_round(scene, memory):
        return AskFirst(reason="round")
    if scene.still_for > scene.patience:
        waiting = any(isinstance(action, WaitForDocument) for action in tried)
        if scene.headed and scene.still_for <= scene.timeout and not waiting:
            return WaitForDocument()
        return HandOver() if scene.headed else GiveUp()
    return Wait()


def _open_step(scene: Scene, memory: Memory) -> Action | None:
    """The step the walk is at is marked by the portal as the one the person is on (aria-current, a
    selected tab, an expanded header), yet nothing of the next one shows: a person presses it anyway,
    once. Never one the walk opened itself: pressed again, it would close."""
    for frame, sight in enumerate(scene.sights):
        for sighting in sight.found:
            if not (sighting.open and sighting.clickable and not sighting.disabled and not sighting.prose):
                continue
            if any(key.startswith(f"{sighting.waypoint}:") and count for key, count in memory.done.items()):
                continue  # the walk pressed this step already (its words may read otherwise once open)
            key = f"open-step:{step_key(sighting)}"
            if sighting.waypoint == memory.reached and memory.allows(key):
                return PressOpenStep(key=key, frame=frame, sighting=sighting)
    return None


def _sent_back(scene: Scene, memory: Memory) -> Action | None:
    """Nothing further in sight for a while, but a step already passed is (the portal sent the person
    back, say until a notice was accepted): the walk goes on from there, once per page."""
    if scene.busy or memory.passed < 0:
        return None
    behind = any(
        sighting.actionable and not sighting.prose and sighting.waypoint <= memory.passed
        for sight in scene.sights
        for sighting in sight.found
    )
    if not behind:
        return None
    # Once per page, whatever its query says (a portal that writes a new state token into every address
    # would otherwise send the walk round for ever).
    page = urlsplit(scene.url)._replace(query="", fragment="").geturl()
    if memory.allows(f"sent-back:{page}"):
        return StartOver(key=f"sent-back:{page}")
    # Sent back to the same page again (an interstitial every page redirects to until it is answered):
    # a person reads what this page asks first.
    if not memory.ask_first and memory.allows(f"ask-first:{page}"):
        return AskFirst(key=f"ask-first:{page}", reason="again")
    return None


def _going_round(scene: Scene, memory: Memory) -> bool:
    """Steps in sight that were pressed as often as allowed: they lead back to this page. (Not when a
    press could not happen: something covers the way, which is another story.)"""
    return memory.last_blocked is None and any(
        sighting.actionable and not memory.allows(step_key(sighting), MAX_SAME_ACTION)
        for sight in scene.sights
        for sighting in sight.found
    )
