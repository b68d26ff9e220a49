"""The manual's steps 3 to 5: from the logged-in page to the PDF, walked the way a person would.

At each look the walk acts on the furthest of the manual's waypoints in sight (in the page, its frames
from portal hosts, and open shadow roots), skips what is already open or passed, and gets past what
stands in the way: an overlay is closed by its close / decline / postpone control, a page that asks for
something else first is put off, a menu that hides the next words is opened. When nothing leads on for
a short while in a visible browser, the person is asked for that one click, and the PDF is saved
whatever they clicked.
"""

from __future__ import annotations

import contextlib
import functools
import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from infonavit_fetch.delivery import NothingDelivered, prepares_document
from infonavit_fetch.errors import NoticeNotReady, PortalChanged, SessionExpired, browser_closed
from infonavit_fetch.i18n import t
from infonavit_fetch.outputs.diagnostics import why
from infonavit_fetch.site import portal
from infonavit_fetch.site.portal import Label
from infonavit_fetch.site.text import fold
from infonavit_fetch.walk.look import LOOK_JS, MARK, READING_JS, Overlay, Sight, Sighting

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Locator, Page

    from infonavit_fetch.browser.session import Run

# How long a visible browser waits for the next words before asking the person (seconds).
HANDOVER_PATIENCE = 10.0
# A page that has not changed for this long, with the step the walk is at marked as open: it is pressed.
STILL_PAGE_S = 2.0
# How long one click may wait for its target to take it (covered targets are dealt with by the walk).
CLICK_MS = 5000.0
FIRST_TRY_MS = 1500.0  # after this much of a click's budget, a page that went on meanwhile ends the click
# A change on the page ends a wait between looks; this only bounds one wait (a state, not a pause),
# so that what the page's content does not show (a new tab, a frame's own navigation) is seen soon too.
LOOK_SLICE_MS = 250.0
# The same action is tried at most this often: a control that does nothing is not pressed forever.
MAX_SAME_ACTION = 2
# A click found covered after its first try ends then, and the walk takes the cover away (or lets a busy
# layer go) before pressing again; this often per step, then a click waits out its whole budget.
MAX_COVERED = 2
# Scrolls down one page of the same address at most (a list that grows as it is scrolled ends somewhere).
MAX_SCROLLS = 25

# Resolves as soon as the page's reading differs from `prev` (checked on each change of the document,
# not on a clock); a watcher gives up after `ms`, so none outlives the wait that set it.
SIGNATURE_JS = (
    """([prev, ms]) => new Promise((resolve) => {
  const now = """
    + READING_JS
    + """;
  if (now() !== prev) { resolve(true); return; }
  let timer = null;
  const done = (changed) => {
    observer.disconnect(); clearTimeout(timer);
    removeEventListener('hashchange', check); removeEventListener('popstate', check);
    resolve(changed);
  };
  const check = () => { if (now() !== prev) done(true); };
  const observer = new MutationObserver(check);
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  addEventListener('hashchange', check); addEventListener('popstate', check);
  timer = setTimeout(() => done(false), ms);
})"""
)

# Scrolls down what scrolls on this page (the window, or the biggest scrolling box: an app's content pane)
# by most of its height, as a person looking further down does; true when it moved. Resolves once the
# page has drawn that, so that content which loads when it comes into view knows it has.
SCROLL_DOWN_JS = """() => {
  const root = document.scrollingElement || document.documentElement;
  let best = null, bestArea = 0;
  for (const el of [root, ...document.querySelectorAll('body *')]) {
    if (el.scrollHeight - el.clientHeight - el.scrollTop < 2 || el.clientHeight < 100) continue;
    if (el !== root && !/(auto|scroll|overlay)/.test(getComputedStyle(el).overflowY)) continue;
    const area = el.clientHeight * el.clientWidth;
    if (area > bestArea) { best = el; bestArea = area; }
  }
  if (!best) return false;
  best.scrollBy({top: Math.max(200, best.clientHeight * 0.8), behavior: 'instant'});
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), 200);  // a hidden tab draws no frames
    requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(timer); resolve(true); }));
  });
}"""

# What a person's click at the middle of `el` would land on, when that is not `el` (or inside it): the
# cover's words, or its tag when it has none; "" when `el` is on top; null when that cannot be told (no
# box, or its middle outside the window).
COVERED_BY_JS = r"""(el) => {
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (!r.width || !r.height || x < 0 || y < 0 || x > innerWidth || y > innerHeight) return null;
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  if (!hit) return null;
  for (let node = hit; node; node = node.parentNode || node.host) if (node === el) return '';
  const cover = hit.closest('[role=dialog], [role=alertdialog], [aria-modal=true], dialog') || hit;
  // The layer to take away: the outermost box around what was hit that is laid over the page (not in its
  // flow) and does not hold the target; the next look offers its close control.
  let layer = cover;
  for (let node = cover; node && node !== document.body && !node.contains(el); node = node.parentElement) {
    if (getComputedStyle(node).position !== 'static') layer = node;
  }
  layer.setAttribute('data-infonavit-cover', '');
  // An icon has no words of its own: the nearest box around it that has some names it.
  for (let node = cover, up = 0; node && up < 6; node = node.parentElement, up++) {
    const words = (node.innerText || node.getAttribute('aria-label') || node.getAttribute('title') || '')
      .replace(/\s+/g, ' ').trim();
    if (words) return words.slice(0, 60);
  }
  return cover.tagName.toLowerCase();
}"""


@functools.cache
def _look_script(route: portal.Route, *, ask_first: bool = False) -> str:
    """The look script with what it is told about the route and the portal's vocabularies written into
    it (folded once): handed over as an argument, the vocabularies cost the page more than the look."""
    return f"() => ({LOOK_JS})({json.dumps({**_look_args(route), 'askFirst': ask_first})})"


def _look_args(route: portal.Route) -> dict[str, Any]:
    return {
        "mark": MARK,
        "waypoints": [fold(w) for w in route.waypoints],
        "exact": [w in route.exact for w in route.waypoints],
        "rowWaypoint": len(route.waypoints) - 1 if route.row else -1,
        "otherKinds": [fold(k) for k in portal.OTHER_NOTICES],
        "download": [fold(label) for label in portal.DOWNLOAD_LABELS],
        "home": [fold(label) for label in portal.HOME_LABELS],
        "maxText": portal.MAX_CONTROL_TEXT,
        "maxSeenExtra": portal.MAX_SEEN_EXTRA,
        "maxExtraWords": portal.MAX_EXTRA_WORDS,
        "stageWaypoint": portal.STAGE_WAYPOINT if route.name == portal.FORMALIZA.name else -1,
        "forms": [portal.waypoint_forms(w) for w in route.waypoints],
        "menuSteps": portal.MENU_STEPS if route.name == portal.FORMALIZA.name else 1,
        "stopwords": list(portal.STOPWORDS),
        "finished": list(portal.FINISHED_STAGE),
        "creditActive": list(portal.CREDIT_ACTIVE),
        "noticeTitle": fold(portal.NOTICE_TITLE),
        "stageMarkers": [fold(m) for m in portal.CURRENT_STAGE_MARKERS],
        "dismiss": [[fold(label), rank] for rank, labels in enumerate(portal.DISMISS_LABELS) for label in labels],
        "avoid": [fold(label) for label in portal.LEADS_ELSEWHERE],
        "pass": [fold(label) for label in portal.PASS_LABELS],
        "later": [fold(word) for word in portal.LATER_WORDS],
        "maxLater": portal.MAX_LATER_LABEL,
        "laterRank": portal.LATER_RANK,
        "openers": [fold(label) for label in portal.MENU_OPENERS],
        "acknowledge": [fold(label) for label in portal.ACKNOWLEDGE_LABELS],
    }


class _RouteChanged(Exception):
    """The stage says the notice is elsewhere: the walk goes on by the other route."""


@dataclass
class Seen:
    frame: Frame
    sight: Sight


@dataclass(frozen=True)
class Signature:
    frames: str  # the addresses of the page and its frames
    main: str  # the page's reading
    clicked: str  # the reading of the frame clicked in


class Walk:
    """From the logged-in page to the PDF's bytes."""

    def __init__(self, run: Run) -> None:
        self.run = run
        chosen = run.settings.route
        self.route = portal.MI_CREDITO if chosen == portal.MI_CREDITO.name else portal.FORMALIZA
        self.reached = -1  # the furthest waypoint seen so far
        self.passed = -1  # the furthest waypoint whose click changed the page: never clicked again
        self.done: Counter[str] = Counter()  # how often each action was taken
        self.stage_read = False
        self.changed = False  # whether the last click changed the page
        self.last_blocked: tuple[str, str] | None = None  # the last click that could not happen, and what covered it
        self.seen: list[Seen] = []  # the last look
        # The way on is in sight but leads back here (a page that lets nothing through before it is
        # answered): the look then also reads the controls that put such a page off.
        self.ask_first = False
        self.handing_over: float | None = None  # while the person is asked for a click: until when
        self.handover = contextlib.ExitStack()  # the catcher armed meanwhile
        self.reached_at_hand_over = -1
        self.page_came = ""  # the title of a page that came instead of the PDF
        self.page_said = ""  # and what it said

    # --- the walk -----------------------------------------------------------------------------------

    def to_notice(self) -> bytes:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            return self._walk()
        except PlaywrightTimeout:  # a wait the walk did not expect to be long: still a step not found
            raise self.lost() from None
        finally:
            self.handover.close()

    def _walk(self) -> bytes:
        run = self.run
        if self.route is portal.MI_CREDITO:
            run.console.step(t("Buscando el aviso en «{p0}»…", p0=Label.MI_CREDITO))
        else:
            run.console.step(t("Entrando a «{p0}»…", p0=Label.MI_ESPACIO))
        headed = not run.settings.headless
        patience = min(HANDOVER_PATIENCE, run.settings.timeout) if headed else run.settings.timeout
        last_progress = time.monotonic()
        while True:
            self.adopt_new_tab()
            seen = self.look()
            if pdf := self.caught(seen):
                return pdf
            if self.progress(seen):
                last_progress = time.monotonic()
            if self.handing_over is not None:
                if self.person_went_on(seen):
                    last_progress = time.monotonic()
                    continue
                self.wait_for_change()
                continue
            best = self.best(seen)
            if best is not None and self.last_blocked and self.close_overlays(seen):
                # A click that could not happen: what covers it may be a layer of another frame (the
                # page over a frame's button), which a look inside that frame does not see.
                continue
            if best is not None:
                where, sighting = best
                if self.delivers(sighting):
                    pdf = self.print_notice(where, sighting)
                    if pdf is not None:
                        return pdf
                    last_progress = time.monotonic()
                    continue
                if self.act_on(where, sighting):
                    last_progress = time.monotonic()
                    continue
            elif self.clear_the_way(seen) or self.look_further_down(seen):
                last_progress = time.monotonic()
                continue
            if time.monotonic() - last_progress > STILL_PAGE_S and self.press_open_step(seen):
                last_progress = time.monotonic()
                continue
            if time.monotonic() - last_progress > STILL_PAGE_S and self.sent_back(seen):
                last_progress = time.monotonic()
                continue
            if not self.ask_first and self.going_round(seen):
                self.run.log("los pasos a la vista no llevan a otra página: se busca qué pide esta primero")
                self.ask_first = True
                continue
            if time.monotonic() - last_progress > patience:
                if headed and self.portal_is_preparing(last_progress):
                    self.wait_for_change()
                    continue
                if headed:
                    self.hand_over()
                    continue
                raise self.lost()
            self.wait_for_change()

    def delivers(self, sighting: Sighting) -> bool:
        """Whether a click on this waypoint may bring the notice: the route's last, and «Imprime los
        documentos» whatever follows it (a list of documents may come instead of the PDF)."""
        last = len(self.route.waypoints) - 1
        return sighting.waypoint == last or (
            self.route.name == portal.FORMALIZA.name and sighting.waypoint == portal.PRINT_WAYPOINT
        )

    def caught(self, seen: list[Seen]) -> bytes | None:
        """The notice, if it has arrived by any way (whoever clicked); a page that is the notice itself is
        printed first."""
        run = self.run
        documents = tuple((where.frame, url) for where in seen for url in where.sight.documents)
        if pdf := run.catcher.poll(documents):
            return pdf
        for where in seen:
            if where.sight.notice_title and self._once(f"print-page:{where.frame.url}") and self._is_notice(where):
                run.log("la página muestra el aviso mismo; se imprime a PDF")
                run.catcher.print_page(where.frame.page)
                if pdf := run.catcher.notice:
                    return pdf
        if self.handing_over is not None and time.monotonic() > self.handing_over:
            raise PortalChanged(
                t("No se encontró «{missing}» y nadie hizo clic en el aviso a tiempo.", missing=self._missing()),
                hint=t("Vuelve a ejecutar el comando; si el portal cambió, usa --debug-dir y comparte la carpeta."),
            )
        return None

    def _is_notice(self, where: Seen) -> bool:
        """The notice shown as a page: under its title, the worker's NSS and the notice's own fields (a page
        that names the notice in a heading, a list of documents, does not carry them)."""
        try:
            text = where.frame.locator("body").inner_text(timeout=2000)
        except Exception:
            return False
        digits = "".join(ch for ch in text if ch.isdigit() or ch == " ").replace(" ", "")
        fields = sum(fold(label) in fold(text) for label in portal.NOTICE_PAGE_FIELDS)
        return self.run.credentials.nss in digits and fields >= portal.NOTICE_PAGE_MIN_FIELDS

    def look(self) -> list[Seen]:
        """One look at every frame of the page that belongs to the portal."""
        from playwright.sync_api import Error as PlaywrightError

        run = self.run
        if run.page.is_closed():
            raise browser_closed()
        run.ensure_on_portal()
        script = _look_script(self.route, ask_first=self.ask_first)
        seen: list[Seen] = []
        for frame in list(run.page.frames):
            if frame.is_detached() or not self._frame_on_portal(frame):
                continue
            try:
                raw: dict[str, Any] = frame.evaluate(script)
            except PlaywrightError:
                continue  # the frame is navigating: the next look sees its new page
            seen.append(Seen(frame, Sight.parse(raw)))
        if not run.home_url and any(s.waypoint == 0 for where in seen for s in where.sight.found if s.actionable):
            run.home_url = run.page.url  # where the menu is: the way back for the other route
        try:
            self.check(seen)
        except _RouteChanged:
            return self.look()
        self.seen = seen
        return seen

    def _frame_on_portal(self, frame: Frame) -> bool:
        url = frame.url
        if url in ("", "about:blank", "about:srcdoc"):
            return frame.parent_frame is None or self._frame_on_portal(frame.parent_frame)
        return portal.is_portal_origin(url, self.run.settings.portal_url)

    def check(self, seen: list[Seen]) -> None:
        """What a look can tell besides the way on: a login form (the session ended), an error page, the stage."""
        run = self.run
        main = seen[0].sight if seen and seen[0].frame is run.page.main_frame else None
        if main is not None and main.password and not main.found:
            raise SessionExpired()
        if main is not None and not main.found and portal.problem_marker(run.page).count():
            self.retry_failed_page()
        if run.last_status >= 500 and main is not None and not main.found:
            self.retry_failed_page()
        for where in seen:
            if where.sight.stage is not None and not self.stage_read:
                self.read_stage(where.sight)
        if self.route is portal.FORMALIZA and any(where.sight.active for where in seen) and not self.stage_read:
            self.credit_active()

    def retry_failed_page(self) -> None:
        """Reloading a page that failed to load is safe; a form submission is never repeated."""
        run = self.run
        if run.last_status >= 500 and run.last_method == "GET" and not run.foreign_url and self._once("reload"):
            run.log(f"la página falló (HTTP {run.last_status}); se vuelve a cargar una vez")
            run.page.reload(wait_until="domcontentloaded")
            return
        raise run.problem()

    def read_stage(self, sight: Sight) -> None:
        assert sight.stage is not None
        self.stage_read = True
        where = portal.STAGE_POSITION_WORDS.get(sight.stage.pos, sight.stage.pos)
        self.run.log(f"etapa actual: {sight.stage.text!r} ({where} «{Label.STAGE_FORMALIZA}»)")
        if sight.stage.pos == "at":
            return
        stage = _strip_markers(sight.stage.text)
        if sight.stage.pos == "before":
            raise NoticeNotReady(
                t(
                    "Tu crédito está en la etapa «{stage}». El aviso aparece hasta la etapa «{p1}».",
                    stage=stage,
                    p1=Label.STAGE_FORMALIZA,
                ),
                hint=t("Vuelve a intentarlo cuando tu crédito avance; el portal te avisa cuando cambia de etapa."),
            )
        if self.run.settings.route == portal.FORMALIZA.name:
            raise NoticeNotReady(
                t(
                    "Tu crédito ya pasó la etapa «{p1}» (está en «{stage}»); ahí ya no se ofrece el aviso.",
                    stage=stage,
                    p1=Label.STAGE_FORMALIZA,
                ),
                hint=t(
                    "Ejecuta el comando con --route mi-credito (o sin --route) para bajarlo de «{p0}».",
                    p0=Label.MI_CREDITO,
                ),
            )
        self.run.console.step(
            t(
                "Tu crédito ya pasó «{p0}» (está en «{stage}»): el aviso se busca en «{p1}».",
                p0=Label.STAGE_FORMALIZA,
                stage=stage,
                p1=Label.MI_CREDITO,
            )
        )
        self.run.log(f"etapa posterior a «{Label.STAGE_FORMALIZA}»: se sigue la ruta «{portal.MI_CREDITO.name}»")
        self.route = portal.MI_CREDITO
        self.reached = self.passed = -1
        raise _RouteChanged()

    def credit_active(self) -> None:
        """The page says in its own words that the credit is already active: its notice is under «Mi
        crédito», not at «Formaliza tu crédito» (when the person chose a route, theirs is kept)."""
        self.stage_read = True
        if self.run.settings.route != "auto":
            return
        self.run.console.step(
            t("El portal dice que tu crédito ya está activo: el aviso se busca en «{p1}».", p1=Label.MI_CREDITO)
        )
        self.run.log(f"el portal dice que el crédito está activo: se sigue la ruta «{portal.MI_CREDITO.name}»")
        self.route = portal.MI_CREDITO
        self.reached = self.passed = -1
        raise _RouteChanged()

    def progress(self, seen: list[Seen]) -> bool:
        furthest = max((where.sight.furthest_seen for where in seen), default=-1)
        if furthest > self.reached:
            words = next((s.text for w in seen for s in w.sight.found if s.waypoint == furthest), "")
            self.run.log(f"a la vista: «{self.route.waypoints[furthest]}» ({words[:60]!r})")
            self.reached = furthest
            return True
        return False

    def best(self, seen: list[Seen]) -> tuple[Seen, Sighting] | None:
        """The furthest waypoint a person could act on, in any frame; one pressed too often is left."""
        # Never back more than one step from the furthest words in sight: a menu entry behind is no way on.
        furthest = max((where.sight.furthest_seen for where in seen), default=-1)
        choices = []
        for where in seen:
            for sighting in where.sight.found:
                if sighting.waypoint < furthest - 1 or sighting.waypoint <= self.passed:
                    continue
                if sighting.actionable and self.done[self._key(sighting)] < MAX_SAME_ACTION:
                    choices.append((where, sighting))
        if not choices:
            return None
        # A step under a stage the page calls finished is the last resort; under the current one, the first.
        return max(
            choices,
            key=lambda c: (c[1].section >= 0, not c[1].prose, c[1].waypoint, c[1].section, -c[1].extra),
        )

    def _once(self, key: str, times: int = 1) -> bool:
        """Whether the action `key` was taken fewer than `times` times; if so it counts as taken now (a
        control that does nothing is not pressed forever)."""
        if self.done[key] >= times:
            return False
        self.done[key] += 1
        return True

    @staticmethod
    def _key(sighting: Sighting) -> str:
        return f"{sighting.waypoint}:{fold(sighting.text)}"

    # --- acting ---------------------------------------------------------------------------------------

    def act_on(self, where: Seen, sighting: Sighting) -> bool:
        """Click a waypoint; True when the click happened. Something covering it is taken away first."""
        if self.dismiss_cover(where, sighting):
            return True
        label = self.route.waypoints[sighting.waypoint]
        self.done[self._key(sighting)] += 1
        self.run.log(f"clic en «{label}» ({sighting.text!r})")
        cover = sighting.cover.text if sighting.cover else ""
        clicked = self.click(where.frame, sighting.id, label, cover=cover, counted=self._key(sighting))
        if clicked and self.changed and not sighting.prose:
            self.passed = max(self.passed, sighting.waypoint)
        return clicked

    def click(
        self, frame: Frame, mark: str, label: str, *, cover: str = "", closing: bool = False, counted: str = ""
    ) -> bool:
        """Click the control the look marked `mark`; True when the click happened. `closing`: it closes
        something in the way, so its going away meanwhile is just as good, and failing blocks nothing.
        `counted`: the action this click was counted as; a click found covered gives it back."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        target = self._marked(frame, mark)
        before = self._signature(frame)
        started = self.run.navigations_started
        budget = min(CLICK_MS, self.run.settings.timeout_ms)
        first = min(FIRST_TRY_MS, budget)
        try:
            try:
                target.click(timeout=first)
            except PlaywrightTimeout:
                # The page may have gone on without this click (an earlier one took effect): then the
                # control is simply gone, and waiting the rest of the budget for it would be lost time.
                if self._moved_on(before, frame):
                    return self._moved_on_without(label)
                if closing and self._gone(target):
                    return self._gone_meanwhile(label)
                # Something came over it since the look (a cookie bar sliding in, an app's busy layer):
                # the walk's next look sees it and takes it away, or waits for it to go.
                over = self._covered_by(target)
                if over and self._once(f"covered:{label}", MAX_COVERED):
                    self.run.log(f"«{label}» está tapado ({over!r}); se quita lo que estorba antes de pulsarlo")
                    if not closing:  # a close control that cannot be pressed blocks nothing
                        self.last_blocked = (label, over)
                    if counted:
                        self.done[counted] -= 1  # not pressed: the press comes once the way is clear
                    return False
                if budget <= first:
                    raise
                target.click(timeout=budget - first)
        except PlaywrightTimeout:
            if self._moved_on(before, frame):
                return self._moved_on_without(label)
            if closing and self._gone(target):
                return self._gone_meanwhile(label)
            if closing:
                self.run.log(f"no se pudo hacer clic en «{label}»")
                self.escape()
                return False
            self.click_failed(label, cover)
            self.passed = -1  # a menu that closed meanwhile is opened again by the step before
            return False
        except PlaywrightError as exc:
            if self.run.page.is_closed():
                raise browser_closed() from None
            self.run.log(f"el clic en «{label}» no se pudo dar: {why(exc)}")
            return False
        self.changed = self.settle(before, frame, started)
        if self.changed and not closing:
            self.last_blocked = None  # what kept a click from the way is gone: it is no longer the story
        return True

    def _moved_on(self, before: Signature, frame: Frame) -> bool:
        """A new tab, or another address in the tab or in the clicked frame (a frame of its own, such as
        an advert, may change its address at any time: it does not count)."""
        if self.run.new_pages or self.run.page.is_closed():
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
        self.last_blocked = (label, cover)
        if not self._once(f"blocked:{label}", MAX_SAME_ACTION):
            raise self.blocked(label, cover) from None
        self.escape()

    def escape(self) -> None:
        """Escape closes most drawers and dialogs."""
        from playwright.sync_api import Error as PlaywrightError

        with contextlib.suppress(PlaywrightError):
            self.run.page.keyboard.press("Escape")

    def _marked(self, frame: Frame, mark: str) -> Locator:
        return frame.locator(f'[{MARK}="{mark}"]').first

    def dismiss_cover(self, where: Seen, sighting: Sighting) -> bool:
        """Close the overlay that covers a waypoint; False when nothing closes it (the click then tells
        whether it really is in the way)."""
        if sighting.cover is None:
            return False
        overlay = next((o for o in where.sight.overlays if o.root == sighting.cover.id), None)
        return overlay is not None and self.dismiss(where.frame, overlay)

    def dismiss(self, frame: Frame, overlay: Overlay) -> bool:
        """Press the control that closes `overlay`. True when it was pressed, or tried: either way the
        page is not what the look saw, and the walk looks again before anything else. False when this
        control was pressed too often already."""
        times = 1 if overlay.once else MAX_SAME_ACTION
        key = f"dismiss:{fold(overlay.about)[:60]}:{fold(overlay.text)}"
        if not self._once(key, times):
            return False
        self.run.log(f"se cierra algo que estorba ({overlay.about[:60]!r}) con «{overlay.text}»")
        with self.run.closing_it_myself():
            self.click(frame, overlay.id, overlay.text, closing=True, counted=key)
        return True

    def clear_the_way(self, seen: list[Seen]) -> bool:
        """Nothing to click on the way: close an overlay, put off a page that asks for something else,
        open a menu that hides the next words. True when something was done."""
        if self.close_overlays(seen):
            return True
        in_sight = max((where.sight.furthest_seen for where in seen), default=-1)
        for where in seen:
            for waypoint, anchor in where.sight.hidden:
                if waypoint > self.passed and self._once(f"reveal:{waypoint}", MAX_SAME_ACTION):
                    self.run.log(f"se abre el menú que esconde «{self.route.waypoints[waypoint]}»")
                    if self.reveal(where.frame, anchor):
                        return True
            # Words further on than any in sight now (not than any seen once: a menu that showed them may
            # have closed again, and its opener is then pressed again).
            ahead = any(waypoint > max(self.passed, in_sight) for waypoint in where.sight.hidden_waypoints)
            for opener in where.sight.openers if ahead else ():
                key = f"open:{fold(opener.text)}"
                if self._once(key, MAX_SAME_ACTION):
                    self.run.log(f"se abre el menú («{opener.text}»)")
                    return self.click(where.frame, opener.id, opener.text, counted=key)
        if any(where.sight.busy for where in seen):
            return False  # a page still loading is no page that asks for something
        if self.reached < 0 and self.route is portal.MI_CREDITO:
            # "Mi crédito" is in the portal's menu, which Mi Espacio may not have: back to the home first.
            for where in seen:
                for control in where.sight.home:
                    key = f"home:{fold(control.text)}"
                    if self._once(key):
                        self.run.log(f"se vuelve al inicio del portal («{control.text}»)")
                        return self.click(where.frame, control.id, control.text, counted=key)
            home = self.run.home_url or self.run.settings.portal_url
            if self.run.page.url != home and self._once("home:url"):
                self.run.log("se vuelve a la página de inicio del portal")
                self.run.page.goto(home, wait_until="domcontentloaded")
                return True
        for where in seen:
            for control in where.sight.pass_controls:
                key = f"pass:{fold(control.text)}"
                if self._once(key):
                    self.run.log(f"la página pide otra cosa primero; se pospone con «{control.text}»")
                    clicked = self.click(where.frame, control.id, control.text, counted=key)
                    if clicked and self.changed and self.ask_first:
                        self.start_over()  # the steps that led back here lead on now
                    return clicked
        if self.reached < 0 or not any(where.sight.found for where in seen):
            for where in seen:
                for control in where.sight.related:
                    key = f"related:{fold(control.text)}"
                    if self._once(key, MAX_SAME_ACTION):
                        self.run.log(f"se busca el paso siguiente en «{control.text}»")
                        return self.click(where.frame, control.id, control.text, counted=key)
        return False

    def look_further_down(self, seen: list[Seen]) -> bool:
        """Nothing leads on in sight: a person scrolls down («en la parte inferior…», says the manual), and
        what a page loads only once it is scrolled to shows up. True when a page moved."""
        from playwright.sync_api import Error as PlaywrightError

        if any(where.sight.busy for where in seen):
            return False
        for where in seen:
            key = f"scroll:{where.frame.url}"
            if self.done[key] >= MAX_SCROLLS:
                continue
            try:
                moved = bool(where.frame.evaluate(SCROLL_DOWN_JS))
            except PlaywrightError:
                continue
            if moved:
                if not self.done[key]:
                    self.run.log(f"se baja por la página buscando «{self._missing()}»")
                self.done[key] += 1
                self.wait_for_change()
                return True
        return False

    def going_round(self, seen: list[Seen]) -> bool:
        """Steps in sight that were pressed as often as allowed: they lead back to this page. (Not when
        a press could not happen: something covers the way, which is another story.)"""
        return self.last_blocked is None and any(
            sighting.actionable and self.done[self._key(sighting)] >= MAX_SAME_ACTION
            for where in seen
            for sighting in where.sight.found
        )

    def sent_back(self, seen: list[Seen]) -> bool:
        """Nothing further in sight for a while, but a step already passed is (the portal sent the person
        back, say until a notice was accepted): the walk goes on from there, once per page."""
        if any(where.sight.busy for where in seen) or self.passed < 0:
            return False
        behind = any(
            sighting.actionable and not sighting.prose and sighting.waypoint <= self.passed
            for where in seen
            for sighting in where.sight.found
        )
        # Once per page, whatever its query says (a portal that writes a new state token into every address
        # would otherwise send the walk round for ever).
        page = urlsplit(self.run.page.url)._replace(query="", fragment="").geturl()
        if not behind:
            return False
        if not self._once(f"sent-back:{page}"):
            # Sent back to the same page again (an interstitial every page redirects to until it is answered):
            # a person reads what this page asks first.
            if self.ask_first or not self._once(f"ask-first:{page}"):
                return False
            self.run.log("el portal vuelve una y otra vez a esta página: se busca qué pide esta primero")
            self.ask_first = True
            return True
        self.run.log("el portal volvió a un paso anterior; se sigue desde ahí")
        self.start_over()
        return True

    def start_over(self) -> None:
        self.ask_first = False
        self.passed = -1
        for key in [key for key in self.done if key[:1].isdigit()]:
            del self.done[key]

    def press_open_step(self, seen: list[Seen]) -> bool:
        """The step the walk is at is marked by the portal as the one the person is on (aria-current, a
        selected tab, an expanded header), yet nothing of the next one shows: a person presses it anyway,
        once (a non-linear stepper shows a stage's detail only when its step is pressed). Never one the
        walk opened itself: pressed again, it would close."""
        if any(where.sight.busy for where in seen):
            return False
        for where in seen:
            for sighting in where.sight.found:
                if not (sighting.open and sighting.clickable and not sighting.disabled and not sighting.prose):
                    continue
                if any(key.startswith(f"{sighting.waypoint}:") and count for key, count in self.done.items()):
                    continue  # the walk pressed this step already (its words may read otherwise once open)
                key = f"open-step:{self._key(sighting)}"
                if sighting.waypoint == self.reached and self._once(key):
                    label = self.route.waypoints[sighting.waypoint]
                    self.run.log(f"«{label}» se ve abierto pero no muestra el paso siguiente; se pulsa")
                    return self.click(where.frame, sighting.id, label, counted=key)
        return False

    def close_overlays(self, seen: list[Seen]) -> bool:
        """Close a dialog or a layer over the page, in any frame; True when one was closed."""
        for where in seen:
            for overlay in sorted(where.sight.overlays, key=lambda o: (o.under, o.rank)):
                if (overlay.dialog or overlay.big or overlay.blocking) and self.dismiss(where.frame, overlay):
                    return True
        return False

    def reveal(self, frame: Frame, mark: str) -> bool:
        from playwright.sync_api import Error as PlaywrightError

        anchor = self._marked(frame, mark)
        try:
            anchor.hover(timeout=min(CLICK_MS, self.run.settings.timeout_ms))
            anchor.evaluate(
                "el => (el.querySelector('a, button, [tabindex]') || el).focus && "
                "(el.querySelector('a, button, [tabindex]') || el).focus()"
            )
        except PlaywrightError:
            return False
        return True

    def settle(self, before: Signature, frame: Frame, started: int) -> bool:
        """After a click in `frame`: a new tab is followed, a page that loads is let load. True when the
        click changed something (a new tab, another page or frame, other content)."""
        from playwright.sync_api import Error as PlaywrightError

        page = self.run.page
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state("domcontentloaded", timeout=self.run.settings.timeout_ms)
        if self._went_elsewhere(before):
            return True  # known without asking the page
        if frame is not page.main_frame and self._reading(page.main_frame) != before.main:
            return True
        if self.wait_for_change(frame, prev=before.clicked):
            return True
        # Nothing to see yet, but the click asked for a page (a form sent into a new tab, a slow server):
        # a person waits for it rather than clicking again.
        if not self.run.wait_for_pages_since(started):
            return False
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state("domcontentloaded", timeout=self.run.settings.timeout_ms)
        return self._went_elsewhere(before) or self._reading(frame) != before.clicked

    def _went_elsewhere(self, before: Signature) -> bool:
        """A new tab, or another address in the page or any of its frames since `before`."""
        return bool(self.run.new_pages) or self._frame_addresses() != before.frames

    def adopt_new_tab(self) -> None:
        run = self.run
        while run.new_pages:
            page = run.new_pages.pop()
            run.new_pages.clear()
            if page.is_closed():
                continue
            run.log(f"se abrió una pestaña nueva: {page.url}")
            run.page = page
            run.watch(page)
            with contextlib.suppress(Exception):
                page.wait_for_load_state("domcontentloaded", timeout=run.settings.timeout_ms)

    def _reading(self, frame: Frame, *, looked: bool = False) -> str:
        """READING_JS in `frame`; with `looked`, as the last look read it when it read that frame."""
        if looked:
            for where in self.seen:
                if where.frame is frame and where.sight.reading:
                    return where.sight.reading
        try:
            return str(frame.evaluate(READING_JS))
        except Exception:
            return ""

    def _frame_addresses(self) -> str:
        page = self.run.page
        return " ".join(each.url for each in page.frames) if not page.is_closed() else ""

    def _signature(self, frame: Frame) -> Signature:
        """What a click in `frame` that did something changes: the addresses of the page and its frames,
        the page's reading and that of `frame`. The readings come from the last look (the click follows
        it at once), so that a click does not cost two more questions to the page."""
        main = self.run.page.main_frame
        reading = self._reading(main, looked=True)
        clicked = reading if frame is main else self._reading(frame, looked=True)
        return Signature(self._frame_addresses(), reading, clicked)

    def wait_for_change(
        self, frame: Frame | None = None, slice_ms: float = LOOK_SLICE_MS, *, prev: str | None = None
    ) -> bool:
        """Until the page (or `frame`) changes from its reading `prev` (by default, now), or one slice
        passes: a state, not a pause. True when it changed."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        where = frame or self.run.page.main_frame
        before = self._reading(where) if prev is None else prev
        try:
            found = where.wait_for_function(SIGNATURE_JS, arg=[before, slice_ms], timeout=slice_ms)
            # On a busy machine the page's own timer and Playwright's run out together, and the wait ends
            # with the page's answer «no change» rather than a timeout: that answer is read, not assumed.
            return found.json_value() is not False
        except PlaywrightTimeout:
            return False
        except PlaywrightError:  # the page went away meanwhile: another one loads
            return True

    # --- the end of the walk --------------------------------------------------------------------------

    def print_notice(self, where: Seen, sighting: Sighting) -> bytes | None:
        """The click that may bring the notice, with the PDF caught whatever way it comes; None when
        something covered it (it was taken away, or Escape pressed) or a page came instead (a list of
        documents, a viewer): the walk then looks again."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        run = self.run
        label = self.route.waypoints[sighting.waypoint]
        cover = sighting.cover.text if sighting.cover else ""
        if self.dismiss_cover(where, sighting):
            return None
        run.console.step(t("Descargando el aviso…"))
        run.log(f"clic en «{label}» ({sighting.text!r})")
        target = self._marked(where.frame, sighting.id)
        try:
            answer = run.catcher.after_click(
                run.page,
                lambda: target.click(timeout=min(CLICK_MS, run.settings.timeout_ms)),
                timeout_ms=run.settings.timeout_ms,
            )
        except PlaywrightTimeout:
            self.click_failed(label, cover)
            return None
        except NothingDelivered:
            if run.settings.headless:
                raise
            self.passed = max(self.passed, sighting.waypoint)
            self.hand_over()
            return None
        self.done[self._key(sighting)] += 1
        self.passed = max(self.passed, sighting.waypoint)
        if answer.pdf is not None:
            return answer.pdf
        self.page_came = _title(answer.page)
        self.page_said = _said(answer.page)
        run.log(f"en lugar del PDF llegó una página ({self.page_came!r}); se busca en ella el aviso")
        if self._once("armed-after-print"):
            # From here any click, the tool's or the person's, may bring the notice (a form that answers
            # with an attachment cannot be asked again): every answer of the portal is read on its way.
            self.handover.enter_context(run.catcher.arming())
        if self.route.name == portal.FORMALIZA.name and not self.route.row:
            self.route = portal.FORMALIZA_LIST  # a list of documents: the notice's own entry
        return None

    def hand_over(self) -> None:
        """Ask the person for the one click the tool cannot find; whatever their clicks bring is caught
        (the catcher is armed meanwhile), and once they bring the portal to a step further on, the walk
        goes on from there."""
        run = self.run
        missing = self._missing()
        run.console.say(
            t(
                "No encuentro «{missing}». Haz clic tú en lo que te lleve al aviso; yo guardo el PDF en cuanto "
                "aparezca. (Ctrl-C para cancelar)",
                missing=missing,
            )
        )
        run.log(f"se pidió ayuda a la persona: no se encontró «{missing}»")
        run.record_clicks()
        self.handing_over = time.monotonic() + run.settings.captcha_timeout
        self.handover.enter_context(run.catcher.arming())
        self.reached_at_hand_over = self.reached

    def portal_is_preparing(self, since: float) -> bool:
        """A window that says it prepares the document: a person waits for it (up to the run's timeout) before
        looking for another way."""
        run = self.run
        if time.monotonic() - since > run.settings.timeout:
            return False
        if not any(prepares_document(page) for page in run.context.pages):
            return False
        if self._once("preparing"):
            run.log("una ventana dice que prepara el documento; se espera a que lo entregue")
        return True

    def person_went_on(self, seen: list[Seen]) -> bool:
        """While the person is asked: they brought the portal to a step further on, and the walk goes on."""
        best = self.best(seen)
        if best is None or best[1].waypoint <= self.reached_at_hand_over:
            return False
        self.run.log("la persona llevó el portal a un paso conocido; se sigue el camino")
        self.handing_over = None
        return True

    def _missing(self) -> str:
        waypoints = self.route.waypoints
        missing = waypoints[min(self.reached + 1, len(waypoints) - 1)]
        return t("el aviso de retención") if self.route.row and missing == waypoints[-1] else missing

    def lost(self) -> PortalChanged:
        if self.last_blocked is not None:  # the way was in sight, but something kept the click from it
            return self.blocked(*self.last_blocked)
        missing = self._missing()
        if self.page_came:
            # Advice that fits what happened: a page that says the portal failed, or one not understood.
            failed = portal.classify_message(
                self.page_said
            ) is not portal.Outcome.UNKNOWN or portal.PORTAL_FAILED.search(fold(self.page_said))
            return PortalChanged(
                t(
                    "Al pulsar «{button}» el portal mostró una página («{title}») en lugar del PDF.",
                    button=Label.PRINT,
                    title=self.page_came,
                ),
                hint=t(
                    "Puede ser una falla momentánea del portal: intenta más tarde. Si se repite, usa --debug-dir y "
                    "comparte la carpeta."
                )
                if failed
                else t(
                    "Ejecuta el comando sin --headless: cuando no sepa qué hacer te pedirá ese clic y guardará el PDF. "
                    "Si se repite, usa --debug-dir y comparte la carpeta."
                ),
            )
        after = t(" después de «{after}»", after=self.route.waypoints[self.reached]) if self.reached >= 0 else ""
        return PortalChanged(
            t("No se encontró «{label}» en el portal{where}.", label=missing, where=after),
            hint=t(
                "Puede que el portal haya cambiado o esté muy lento. Intenta con un --timeout mayor o sin --headless "
                "(así puedes hacer tú ese clic); si se repite, usa --debug-dir y comparte la carpeta."
            ),
        )

    def blocked(self, label: str, cover: str) -> PortalChanged:
        if cover:
            return PortalChanged(
                t("No se pudo hacer clic en «{label}»: lo tapa «{cover}».", label=label, cover=cover[:80]),
                hint=t("Cierra eso tú en el portal si puedes; si se repite, usa --debug-dir y comparte la carpeta."),
            )
        return PortalChanged(
            t("No se pudo hacer clic en «{label}».", label=label),
            hint=t("Puede que el portal haya cambiado. Usa --debug-dir y comparte la carpeta."),
        )


def _strip_markers(stage_text: str) -> str:
    text = stage_text
    for marker in portal.CURRENT_STAGE_MARKERS:
        if fold(text).endswith(fold(marker)) and len(text) > len(marker):
            text = text[: len(text) - len(marker)]
    return text.strip(" -·:") or stage_text


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
