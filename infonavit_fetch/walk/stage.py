"""What a look tells besides the way on: a login form (the session ended), a page that failed, and the
stage the credit is at, which may send the walk by the other route (the notice under «Mi crédito»)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infonavit_fetch.errors import NoticeNotReady, SessionExpired
from infonavit_fetch.i18n import t
from infonavit_fetch.site import portal
from infonavit_fetch.site.portal import Label
from infonavit_fetch.site.text import fold
from infonavit_fetch.walk.look import Sight
from infonavit_fetch.walk.policy import Memory
from infonavit_fetch.walk.sight import Seen

if TYPE_CHECKING:
    from infonavit_fetch.browser.session import Run


class RouteChanged(Exception):
    """The stage says the notice is elsewhere: the walk goes on by the other route."""


class StageReader:
    def __init__(self, run: Run, memory: Memory) -> None:
        self.run = run
        self.memory = memory
        self.read = False

    def check(self, seen: list[Seen]) -> None:
        """Raises what the look tells: the session ended, the page failed, the notice is not there yet;
        RouteChanged when the walk goes on by the other route."""
        run = self.run
        main = seen[0].sight if seen and seen[0].frame is run.page.main_frame else None
        if main is not None and main.password and not main.found:
            raise SessionExpired()
        if main is not None and not main.found and portal.problem_marker(run.page).count():
            self.retry_failed_page()
        if run.last_status >= 500 and main is not None and not main.found:
            self.retry_failed_page()
        for where in seen:
            if where.sight.stage is not None and not self.read:
                self.read_stage(where.sight)
        if self.memory.route is portal.FORMALIZA and any(where.sight.active for where in seen) and not self.read:
            self.credit_active()

    def retry_failed_page(self) -> None:
        """Reloading a page that failed to load is safe; a form submission is never repeated."""
        run = self.run
        if run.last_status >= 500 and run.last_method == "GET" and not run.foreign_url and self.memory.once("reload"):
            run.log(f"la página falló (HTTP {run.last_status}); se vuelve a cargar una vez")
            run.page.reload(wait_until="domcontentloaded")
            return
        raise run.problem()

    def read_stage(self, sight: Sight) -> None:
        assert sight.stage is not None
        self.read = True
        where = portal.STAGE_POSITION_WORDS.get(sight.stage.pos, sight.stage.pos)
        self.run.log(f"etapa actual: {sight.stage.text!r} ({where} «{Label.STAGE_FORMALIZA}»)")
        if sight.stage.pos == "at":
            return
        stage = strip_markers(sight.stage.text)
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
        self.memory.change_route(portal.MI_CREDITO)
        raise RouteChanged()

    def credit_active(self) -> None:
        """The page says in its own words that the credit is already active: its notice is under «Mi
        crédito», not at «Formaliza tu crédito» (when the person chose a route, theirs is kept)."""
        self.read = True
        if self.run.settings.route != "auto":
            return
        self.run.console.step(
            t("El portal dice que tu crédito ya está activo: el aviso se busca en «{p1}».", p1=Label.MI_CREDITO)
        )
        self.run.log(f"el portal dice que el crédito está activo: se sigue la ruta «{portal.MI_CREDITO.name}»")
        self.memory.change_route(portal.MI_CREDITO)
        raise RouteChanged()


def strip_markers(stage_text: str) -> str:
    text = stage_text
    for marker in portal.CURRENT_STAGE_MARKERS:
        if fold(text).endswith(fold(marker)) and len(text) > len(marker):
            text = text[: len(text) - len(marker)]
    return text.strip(" -·:") or stage_text
