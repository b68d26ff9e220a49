"""One look at a page, the way a person scans it: which of the manual's words are in sight, and on what.

A single script (infonavit_fetch/js/look.js) runs in each frame and answers everything the walk needs
for its next move: the waypoints in sight (on anything a person would click, innermost element first,
inside open shadow roots too), whether something covers them, the overlays on the page and the control
that closes each, the controls that put off a page asking for something else, menus that hide a
waypoint, and where the credit's current stage stands against "Formaliza tu crédito". One evaluation
per frame per look keeps a look cheap however many candidates a page has.

The elements it answers with get a `data-infonavit-fetch` attribute, so that Playwright can click
exactly them; the attribute is renewed on every look.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infonavit_fetch.js import script

MARK = "data-infonavit-fetch"

# The page's reading: its address, the length of its text and its number of elements (what a click that
# did something changes; the walk compares readings rather than whole pages). reading() in js/prelude.js.
READING_JS = script("reading")

# The look itself: js/look.js, called with the route and the portal's vocabularies (see walk.sight).
LOOK_JS = script("look")


@dataclass(frozen=True)
class Cover:
    id: str
    text: str


@dataclass(frozen=True)
class Sighting:
    """A waypoint's words on the page, on the innermost element that carries them."""

    waypoint: int
    id: str
    extra: int  # characters of other text around the words (0: the element says just that)
    prose: bool  # the words inside a sentence, not a label: acted on only when nothing else is in sight
    clickable: bool
    open: bool  # an expanded disclosure, a selected tab: already done
    disabled: bool
    text: str
    cover: Cover | None
    section: int = 0  # 1: in the current stage's section; -1: in a finished stage's; 0: not told

    @property
    def actionable(self) -> bool:
        return self.clickable and not self.open and not self.disabled


@dataclass(frozen=True)
class Control:
    id: str
    text: str


@dataclass(frozen=True)
class Overlay:
    id: str  # the control that closes it
    text: str
    rank: int
    root: str
    about: str
    big: bool
    dialog: bool
    once: bool = False  # a box to tick: pressed again, it would be unticked
    under: bool = False  # its control is under another layer: that one is closed first
    blocking: bool = False  # a click of the walk landed on it (however small it is, it is in the way)


@dataclass(frozen=True)
class Stage:
    pos: str  # "before", "at" or "past" "Formaliza tu crédito"
    text: str


@dataclass
class Sight:
    """What one frame shows."""

    found: list[Sighting] = field(default_factory=list)
    seen: list[int] = field(default_factory=list)
    hidden: list[tuple[int, str]] = field(default_factory=list)  # (waypoint, a visible element to hover)
    hidden_waypoints: list[int] = field(default_factory=list)  # waypoints whose words are on the page, hidden
    overlays: list[Overlay] = field(default_factory=list)
    pass_controls: list[Control] = field(default_factory=list)
    openers: list[Control] = field(default_factory=list)
    home: list[Control] = field(default_factory=list)
    related: list[Control] = field(default_factory=list)  # controls that share a waypoint's first word
    stage: Stage | None = None
    password: bool = False
    busy: bool = False
    documents: list[str] = field(default_factory=list)  # data: and blob: addresses of embeds, objects, frames
    notice_title: bool = False  # the notice's own title is on the page (the notice shown as a page)
    active: bool = False  # the page says the credit is already active
    url: str = ""
    reading: str = ""  # READING_JS at the end of the look

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Sight:
        return cls(
            found=[
                Sighting(
                    waypoint=int(f["w"]),
                    id=str(f["id"]),
                    extra=int(f["extra"]),
                    prose=bool(f["prose"]),
                    clickable=bool(f["clickable"]),
                    open=bool(f["open"]),
                    disabled=bool(f["disabled"]),
                    text=str(f["text"]),
                    cover=Cover(str(f["cover"]["id"]), str(f["cover"]["text"])) if f["cover"] else None,
                    section=int(f.get("section", 0)),
                )
                for f in raw["found"]
            ],
            seen=[int(i) for i in raw["seen"]],
            hidden=[(int(h["w"]), str(h["id"])) for h in raw["hidden"]],
            hidden_waypoints=[int(i) for i in raw["hiddenWaypoints"]],
            overlays=[
                Overlay(
                    str(o["id"]),
                    str(o["text"]),
                    int(o["rank"]),
                    str(o["root"]),
                    str(o["about"]),
                    bool(o["big"]),
                    bool(o["dialog"]),
                    bool(o["once"]),
                    bool(o["under"]),
                    bool(o.get("blocking", False)),
                )
                for o in raw["overlays"]
            ],
            pass_controls=[Control(str(c["id"]), str(c["text"])) for c in raw["pass"]],
            openers=[Control(str(c["id"]), str(c["text"])) for c in raw["openers"]],
            home=[Control(str(c["id"]), str(c["text"])) for c in raw["home"]],
            related=[Control(str(c["id"]), str(c["text"])) for c in raw.get("related", [])],
            stage=Stage(str(raw["stage"]["pos"]), str(raw["stage"]["text"])) if raw["stage"] else None,
            password=bool(raw["password"]),
            busy=bool(raw["busy"]),
            documents=[str(d) for d in raw.get("documents", [])],
            notice_title=bool(raw.get("noticeTitle", False)),
            active=bool(raw.get("active", False)),
            url=str(raw["url"]),
            reading=str(raw["reading"]),
        )

    @property
    def furthest_seen(self) -> int:
        return max(self.seen, default=-1)
