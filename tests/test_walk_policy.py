"""The walk's policy without a browser: from what is in sight and what was done, the next thing a person
following the manual does. Each case is a page described the way the look script reports it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from infonavit_fetch.site import portal
from infonavit_fetch.walk import policy
from infonavit_fetch.walk.look import Control, Cover, Overlay, Sight, Sighting
from infonavit_fetch.walk.policy import MAX_SAME_ACTION, STILL_PAGE_S, Memory, Scene, next_action, step_key

TRAMITAR, EN_QUE_VA, MI_ESPACIO, FORMALIZA, INDICACIONES, IMPRIME = range(6)
LATE = STILL_PAGE_S + 1  # a page that stayed as it is long enough for a person to try something else


def step(waypoint: int, text: str = "", **kwargs: Any) -> Sighting:
    fields: dict[str, Any] = {
        "waypoint": waypoint,
        "id": f"s{waypoint}",
        "extra": 0,
        "prose": False,
        "clickable": True,
        "open": False,
        "disabled": False,
        "text": text or portal.FORMALIZA_LIST.waypoints[waypoint],
        "cover": None,
    }
    fields.update(kwargs)
    return Sighting(**fields)


def overlay(text: str = "Cerrar", **kwargs: Any) -> Overlay:
    fields: dict[str, Any] = {
        "id": "o1",
        "text": text,
        "rank": 0,
        "root": "r1",
        "about": "Aviso de privacidad",
        "big": True,
        "dialog": True,
    }
    fields.update(kwargs)
    return Overlay(**fields)


def sight(*found: Sighting, **kwargs: Any) -> Sight:
    kwargs.setdefault("seen", [s.waypoint for s in found])
    kwargs.setdefault("url", "https://portal.test/inicio")
    return Sight(found=list(found), **kwargs)


def control(text: str, mark: str = "c1") -> Control:
    return Control(mark, text)


@dataclass
class Case:
    name: str
    sights: tuple[Sight, ...]
    expected: type[policy.Action]
    memory: dict[str, Any] = field(default_factory=dict)
    scene: dict[str, Any] = field(default_factory=dict)
    tried: tuple[policy.Action, ...] = ()
    check: dict[str, Any] = field(default_factory=dict)  # attributes the chosen action must have
    done: dict[str, int] = field(default_factory=dict)
    route: portal.Route = portal.FORMALIZA


def decide(case: Case) -> policy.Action:
    memory = Memory(case.route, **case.memory)
    memory.done.update(case.done)
    scene = Scene(case.sights, **{"url": "https://portal.test/inicio", **case.scene})
    return next_action(scene, memory, case.tried)


STEP_EN_QUE_VA = step(EN_QUE_VA)
BLOCKED_COVER = step(MI_ESPACIO, cover=Cover("r1", "Aviso de privacidad"))

CASES = [
    # --- the way on -------------------------------------------------------------------------------------
    Case(
        "the furthest waypoint in sight is pressed",
        (sight(step(TRAMITAR), step(EN_QUE_VA)),),
        policy.Press,
        check={"sighting": STEP_EN_QUE_VA},
    ),
    Case(
        "the furthest in any frame, not only the first",
        (sight(step(TRAMITAR)), sight(step(MI_ESPACIO))),
        policy.Press,
        check={"frame": 1},
    ),
    Case(
        "a step two behind the furthest words is no way on",
        (sight(step(TRAMITAR), step(EN_QUE_VA, clickable=False), step(MI_ESPACIO, clickable=False)),),
        policy.Scroll,
    ),
    Case(
        "a step already passed is not pressed again",
        (sight(step(TRAMITAR)),),
        policy.Scroll,
        memory={"passed": TRAMITAR},
    ),
    Case(
        "a step pressed as often as allowed is left",
        (sight(step(EN_QUE_VA)),),
        policy.Scroll,
        done={step_key(STEP_EN_QUE_VA): MAX_SAME_ACTION},
        memory={"ask_first": True},
    ),
    Case("an open step (expanded, selected) is not pressed", (sight(step(FORMALIZA, open=True)),), policy.Scroll),
    Case("a disabled step is not pressed", (sight(step(FORMALIZA, disabled=True)),), policy.Scroll),
    Case(
        "words in a sentence only when nothing else is in sight",
        (sight(step(INDICACIONES, prose=True, id="p"), step(FORMALIZA, id="f")),),
        policy.Press,
        check={"sighting": step(FORMALIZA, id="f")},
    ),
    Case(
        "a step under a finished stage is the last resort",
        (sight(step(INDICACIONES, id="old", section=-1), step(INDICACIONES, id="new", section=1)),),
        policy.Press,
        check={"sighting": step(INDICACIONES, id="new", section=1)},
    ),
    Case(
        "the element that says just the words wins over a wordier one",
        (sight(step(MI_ESPACIO, id="long", extra=40), step(MI_ESPACIO, id="short")),),
        policy.Press,
        check={"sighting": step(MI_ESPACIO, id="short")},
    ),
    # --- the click that may bring the notice ---------------------------------------------------------
    Case("«Imprime los documentos» is the print click", (sight(step(IMPRIME)),), policy.Print),
    Case(
        "the notice's row on the second route is the print click",
        (sight(step(2, "Aviso de retención")),),
        policy.Print,
        route=portal.MI_CREDITO,
    ),
    Case(
        "the list's notice row after «Imprime»",
        (sight(step(6, "Aviso de retención")),),
        policy.Print,
        route=portal.FORMALIZA_LIST,
    ),
    # --- what stands in the way ----------------------------------------------------------------------
    Case("a covered step: its cover is closed first", (sight(BLOCKED_COVER, overlays=[overlay()]),), policy.Dismiss),
    Case(
        "a cover closed as often as allowed: the step is pressed anyway",
        (sight(BLOCKED_COVER, overlays=[overlay()]),),
        policy.Press,
        done={"dismiss:aviso de privacidad:cerrar": MAX_SAME_ACTION},
    ),
    Case(
        "a box to tick is pressed once only",
        (sight(BLOCKED_COVER, overlays=[overlay("Acepto", once=True)]),),
        policy.Press,
        done={"dismiss:aviso de privacidad:acepto": 1},
    ),
    Case(
        "a covered print step: the cover goes first",
        (sight(step(IMPRIME, cover=Cover("r1", "Encuesta")), overlays=[overlay("No, gracias")]),),
        policy.Dismiss,
    ),
    Case(
        "a blocked click: a dialog in another frame is closed, not counted as a step forward",
        (sight(step(MI_ESPACIO)), sight(overlays=[overlay()])),
        policy.Dismiss,
        memory={"last_blocked": ("Mi Espacio Infonavit", "")},
        check={"frame": 1, "onward": False},
    ),
    Case(
        "nothing on the way: a dialog over the page is closed",
        (sight(overlays=[overlay()]),),
        policy.Dismiss,
        check={"onward": True},
    ),
    Case(
        "a small layer that blocks nothing is left",
        (sight(overlays=[overlay(big=False, dialog=False)]),),
        policy.Scroll,
    ),
    Case(
        "an overlay's control under another layer waits its turn",
        (sight(overlays=[overlay("Cerrar", id="under", under=True), overlay("Entendido", id="top", rank=3)]),),
        policy.Dismiss,
        check={"overlay": overlay("Entendido", id="top", rank=3)},
    ),
    # --- a menu that hides the next words -----------------------------------------------------------
    Case(
        "a hover menu that hides the next step is opened by hovering",
        (sight(hidden=[(EN_QUE_VA, "m1")], hidden_waypoints=[EN_QUE_VA]),),
        policy.Reveal,
        check={"waypoint": EN_QUE_VA, "anchor": "m1"},
    ),
    Case(
        "a hover that did nothing: the menu's button is pressed",
        (sight(hidden=[(EN_QUE_VA, "m1")], hidden_waypoints=[EN_QUE_VA], openers=[control("Menú")]),),
        policy.OpenMenu,
        tried=(policy.Reveal(key="reveal:1", frame=0, waypoint=EN_QUE_VA, anchor="m1"),),
    ),
    Case(
        "a menu button only when the hidden words are further on than what is in sight",
        (sight(step(MI_ESPACIO), hidden_waypoints=[TRAMITAR], openers=[control("Menú")]),),
        policy.Press,
    ),
    Case(
        "a menu whose words are behind the furthest in sight is not opened",
        (sight(step(MI_ESPACIO, clickable=False), hidden_waypoints=[TRAMITAR], openers=[control("Menú")]),),
        policy.Scroll,
    ),
    # --- a page that asks for something else first -----------------------------------------------------
    Case("an interstitial is put off", (sight(pass_controls=[control("Más tarde")]),), policy.PutOff),
    Case("a page still loading is not put off", (sight(pass_controls=[control("Más tarde")], busy=True),), policy.Wait),
    Case(
        "a control that shares a step's first words when nothing is reached",
        (sight(related=[control("Mi Espacio")]),),
        policy.Related,
    ),
    Case(
        "a put-off that did nothing ends the clearing: a look further down",
        (sight(pass_controls=[control("Omitir")]),),
        policy.Scroll,
        tried=(policy.PutOff(key="pass:omitir", frame=0, control=control("Omitir")),),
    ),
    Case("a page further down", (sight(),), policy.Scroll),
    Case("scrolled as far as allowed: wait", (sight(),), policy.Wait, done={"scroll:https://portal.test/inicio": 25}),
    # --- the second route ----------------------------------------------------------------------------
    Case(
        "«Mi crédito» not in sight: the portal's home link",
        (sight(home=[control("Inicio")]),),
        policy.GoHome,
        route=portal.MI_CREDITO,
    ),
    Case("no home link: the home by its address", (sight(),), policy.GoHomeAddress, route=portal.MI_CREDITO),
    Case("already at home: no going home", (sight(),), policy.Scroll, route=portal.MI_CREDITO, scene={"at_home": True}),
    Case("the first route never goes home", (sight(home=[control("Inicio")]),), policy.Scroll),
    # --- a page that stays as it is ----------------------------------------------------------------
    Case(
        "the step at which the walk is, shown open, is pressed once",
        (sight(step(FORMALIZA, open=True)),),
        policy.PressOpenStep,
        memory={"reached": FORMALIZA},
        scene={"still_for": LATE},
        done={"scroll:https://portal.test/inicio": 25},
    ),
    Case(
        "an open step the walk pressed itself is not pressed again",
        (sight(step(FORMALIZA, open=True)),),
        policy.Wait,
        memory={"reached": FORMALIZA},
        scene={"still_for": LATE},
        done={"scroll:https://portal.test/inicio": 25, "3:formaliza tu credito": 1},
    ),
    Case(
        "sent back to a step already passed: start over from there",
        (sight(step(TRAMITAR)),),
        policy.StartOver,
        memory={"passed": EN_QUE_VA},
        scene={"still_for": LATE},
        done={"scroll:https://portal.test/inicio": 25},
    ),
    Case(
        "sent back to the same page again: read what it asks first",
        (sight(step(TRAMITAR)),),
        policy.AskFirst,
        memory={"passed": EN_QUE_VA},
        scene={"still_for": LATE, "url": "https://portal.test/inicio?t=2"},
        done={"scroll:https://portal.test/inicio": 25, "sent-back:https://portal.test/inicio": 1},
        check={"reason": "again"},
    ),
    Case(
        "steps pressed as often as allowed lead round: read what the page asks first",
        (sight(step(EN_QUE_VA)),),
        policy.AskFirst,
        done={step_key(STEP_EN_QUE_VA): MAX_SAME_ACTION, "scroll:https://portal.test/inicio": 25},
        check={"reason": "round"},
    ),
    Case(
        "not round when a click was blocked: that is another story",
        (sight(step(EN_QUE_VA)),),
        policy.Wait,
        done={step_key(STEP_EN_QUE_VA): MAX_SAME_ACTION, "scroll:https://portal.test/inicio": 25},
        memory={"last_blocked": ("x", "y")},
    ),
    # --- out of patience ----------------------------------------------------------------------------
    Case(
        "out of patience in a visible browser: first a window that prepares the document",
        (sight(busy=True),),
        policy.WaitForDocument,
        scene={"still_for": 11, "patience": 10},
    ),
    Case(
        "no such window: the person is asked",
        (sight(busy=True),),
        policy.HandOver,
        scene={"still_for": 11, "patience": 10},
        tried=(policy.WaitForDocument(),),
    ),
    Case(
        "past the run's timeout nobody prepares anything: the person is asked",
        (sight(busy=True),),
        policy.HandOver,
        scene={"still_for": 31, "patience": 10, "timeout": 30},
    ),
    Case(
        "headless: the walk gives up naming the step",
        (sight(busy=True),),
        policy.GiveUp,
        scene={"still_for": 31, "patience": 30, "headed": False},
    ),
    Case(
        "a failed press with nothing else to do: wait",
        (sight(step(EN_QUE_VA)),),
        policy.Wait,
        tried=(policy.Press(key="1:x", frame=0, sighting=STEP_EN_QUE_VA),),
    ),
    # --- while the person is asked -----------------------------------------------------------------
    Case(
        "the person brought the portal a step further: the walk goes on",
        (sight(step(FORMALIZA)),),
        policy.PersonWentOn,
        memory={"asking_person": True, "reached_at_hand_over": MI_ESPACIO},
    ),
    Case(
        "the person is still on it: wait, nothing is clicked",
        (sight(step(MI_ESPACIO), overlays=[overlay()]),),
        policy.Wait,
        memory={"asking_person": True, "reached_at_hand_over": MI_ESPACIO},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_policy_does_what_a_person_would(case: Case) -> None:
    action = decide(case)
    assert type(action) is case.expected, action
    for name, value in case.check.items():
        assert getattr(action, name) == value, action


def test_every_kind_of_action_is_in_the_table() -> None:
    kinds = {
        cls
        for cls in vars(policy).values()
        if isinstance(cls, type) and issubclass(cls, policy.Action) and cls not in (policy.Action,)
    }
    kinds -= {policy.OnStep, policy.OnControl}
    assert kinds <= {case.expected for case in CASES}
    assert len(CASES) >= 30


def test_the_same_question_after_a_failure_has_the_next_answer() -> None:
    """What was tried at this look and came to nothing is not offered again; the next is."""
    scene = Scene((sight(hidden=[(EN_QUE_VA, "m1"), (MI_ESPACIO, "m2")], hidden_waypoints=[EN_QUE_VA]),))
    memory = Memory(portal.FORMALIZA)
    first = next_action(scene, memory)
    second = next_action(scene, memory, (first,))
    assert (first, second) == (
        policy.Reveal(key="reveal:1", frame=0, waypoint=EN_QUE_VA, anchor="m1"),
        policy.Reveal(key="reveal:2", frame=0, waypoint=MI_ESPACIO, anchor="m2"),
    )
    assert isinstance(next_action(scene, memory, (first, second)), policy.Scroll)


def test_memory_counts_progress_and_starts_over() -> None:
    memory = Memory(portal.FORMALIZA)
    assert memory.progress([sight(step(TRAMITAR), step(EN_QUE_VA))]) == EN_QUE_VA
    assert memory.progress([sight(step(TRAMITAR))]) is None
    memory.passed = EN_QUE_VA
    memory.done.update({"1:x": 2, "scroll:a": 3})
    memory.ask_first = True
    memory.start_over()
    assert (memory.passed, memory.ask_first, dict(memory.done)) == (-1, False, {"scroll:a": 3})
    memory.change_route(portal.MI_CREDITO)
    assert (memory.route, memory.reached) == (portal.MI_CREDITO, -1)


def test_the_policy_is_pure() -> None:
    """Asking changes nothing: the walk counts an action when it does it."""
    case = CASES[0]
    memory = Memory(case.route)
    before = replace(memory, done=memory.done.copy())
    next_action(Scene(case.sights), memory)
    assert memory == before
