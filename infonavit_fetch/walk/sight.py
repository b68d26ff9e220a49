"""The walk's eyes: one look at every frame of the tab that belongs to the portal, what a page reads
like (to tell that a click changed it), and waiting for a change rather than for time."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from infonavit_fetch.js import script
from infonavit_fetch.site import portal
from infonavit_fetch.site.text import fold
from infonavit_fetch.walk.look import LOOK_JS, MARK, READING_JS, Sight

if TYPE_CHECKING:
    from playwright.sync_api import Frame, JSHandle, Locator

    from infonavit_fetch.browser.session import Run

# A change on the page ends a wait between looks; this only bounds one wait (a state, not a pause),
# so that what the page's content does not show (a new tab, a frame's own navigation) is seen soon too.
LOOK_SLICE_MS = 250.0

# Resolves as soon as the page's reading differs from `prev` (js/signature.js).
SIGNATURE_JS = script("signature")


@dataclass
class Seen:
    frame: Frame
    sight: Sight


@dataclass(frozen=True)
class Signature:
    frames: str  # the addresses of the page and its frames
    main: str  # the page's reading
    clicked: str  # the reading of the frame clicked in
    pages: int  # pages asked for in any tab so far (a reload at the same address is one more)


@functools.cache
def look_script(route: portal.Route, *, ask_first: bool = False) -> str:
    """The look script with what it is told about the route and the portal's vocabularies written into
    it (folded once): handed over as an argument, the vocabularies cost the page more than the look."""
    return f"() => ({LOOK_JS})({json.dumps({**look_args(route), 'askFirst': ask_first})})"


def look_args(route: portal.Route) -> dict[str, Any]:
    formaliza = route.name == portal.FORMALIZA.name
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
        "stageWaypoint": portal.STAGE_WAYPOINT if formaliza else -1,
        "forms": [portal.waypoint_forms(w) for w in route.waypoints],
        "menuSteps": portal.MENU_STEPS if formaliza else 1,
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


class Eyes:
    """Looks at the run's tab; remembers the last look (a click's signature is read from it)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.seen: list[Seen] = []

    def look(self, route: portal.Route, *, ask_first: bool) -> list[Seen]:
        """One look at every frame of the page that belongs to the portal."""
        from playwright.sync_api import Error as PlaywrightError

        script = look_script(route, ask_first=ask_first)
        seen: list[Seen] = []
        for frame in list(self.run.page.frames):
            if frame.is_detached() or not self.on_portal(frame):
                continue
            try:
                raw: dict[str, Any] = frame.evaluate(script)
            except PlaywrightError:
                continue  # the frame is navigating: the next look sees its new page
            seen.append(Seen(frame, Sight.parse(raw)))
        self.seen = seen
        return seen

    def on_portal(self, frame: Frame) -> bool:
        url = frame.url
        if url in ("", "about:blank", "about:srcdoc"):
            return frame.parent_frame is None or self.on_portal(frame.parent_frame)
        return portal.is_portal_origin(url, self.run.settings.portal_url)

    def marked(self, frame: Frame, mark: str) -> Locator:
        """The control the look marked `mark`."""
        return frame.locator(f'[{MARK}="{mark}"]').first

    def reading(self, frame: Frame, *, looked: bool = False) -> str:
        """READING_JS in `frame`; with `looked`, as the last look read it when it read that frame."""
        if looked:
            for where in self.seen:
                if where.frame is frame and where.sight.reading:
                    return where.sight.reading
        try:
            return str(frame.evaluate(READING_JS))
        except Exception:
            return ""

    def frame_addresses(self) -> str:
        page = self.run.page
        return " ".join(each.url for each in page.frames) if not page.is_closed() else ""

    def signature(self, frame: Frame) -> Signature:
        """What a click in `frame` that did something changes: the addresses of the page and its frames,
        the page's reading and that of `frame`. The readings come from the last look (the click follows
        it at once), so that a click does not cost two more questions to the page."""
        main = self.run.page.main_frame
        reading = self.reading(main, looked=True)
        clicked = reading if frame is main else self.reading(frame, looked=True)
        return Signature(self.frame_addresses(), reading, clicked, self.run.tabs.started)

    def went_elsewhere(self, before: Signature) -> bool:
        """A new tab, or another address in the page or any of its frames since `before`."""
        return bool(self.run.tabs.new_pages) or self.frame_addresses() != before.frames

    def wait_for_change(
        self, frame: Frame | None = None, slice_ms: float = LOOK_SLICE_MS, *, prev: str | None = None
    ) -> bool:
        """Until the page (or `frame`) changes from its reading `prev` (by default, now), or one slice
        passes: a state, not a pause. True when it changed."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        where = frame or self.run.page.main_frame
        before = self.reading(where) if prev is None else prev
        try:
            return _changed(where.wait_for_function(SIGNATURE_JS, arg=[before, slice_ms], timeout=slice_ms))
        except PlaywrightTimeout:
            return False
        except PlaywrightError:  # the page went away meanwhile: another one loads
            return True


def _changed(answer: JSHandle) -> bool:
    """On a busy machine the page's own timer and Playwright's run out together, and the wait ends with the
    page's answer «no change» rather than a timeout: that answer is read, not assumed."""
    return answer.json_value() is not False
