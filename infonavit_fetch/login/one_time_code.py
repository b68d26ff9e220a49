"""A code the portal sends by SMS or e-mail during the login, asked of the person like the captcha."""

from __future__ import annotations

import contextlib
import functools
from typing import TYPE_CHECKING

from infonavit_fetch.cli.console import AnswerTimeout, NoAnswer
from infonavit_fetch.cli.settings import CAPTCHA_ATTEMPTS
from infonavit_fetch.errors import CaptchaNotSolved
from infonavit_fetch.i18n import t
from infonavit_fetch.login.captcha import NobodyThere

if TYPE_CHECKING:
    from playwright.sync_api import Locator

    from infonavit_fetch.browser.session import Run
    from infonavit_fetch.site.portal import LoginPage


def _fill(box: Locator, value: str, timeout: float) -> None:
    box.fill(value, timeout=timeout)


class OneTimeCodes:
    """The codes the portal sends during one login: each read from the person in the terminal and typed in
    its boxes, or typed by the person in the window when the browser is theirs."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.sent = 0  # codes the portal asked for in this login

    def one_more(self) -> None:
        """The portal asks for one more code: past CAPTCHA_ATTEMPTS of them the login stops."""
        self.sent += 1
        if self.sent > CAPTCHA_ATTEMPTS:
            raise CaptchaNotSolved(
                t("El código de verificación no coincidió {attempts} veces.", attempts=CAPTCHA_ATTEMPTS),
                hint=t("Vuelve a ejecutar el comando con el código más reciente que te llegó."),
            )

    def ask(self, login: LoginPage) -> None:
        run = self.run
        run.console.step(t("El portal envió un código de verificación (por SMS o correo)."))
        if not run.solver.submits:
            run.console.say(
                t("En la ventana del navegador escribe el código que te llegó y pulsa el botón para continuar.")
            )
            return
        self._type(login, self._read())

    def _read(self) -> str:
        run = self.run
        try:
            return run.console.read_line(
                t("Escribe el código que te envió el portal (SMS o correo) y pulsa Enter: "),
                run.settings.captcha_timeout,
            ).strip()
        except NoAnswer:
            raise NobodyThere from None
        except AnswerTimeout:
            raise CaptchaNotSolved(
                t("Se agotó el tiempo para escribir el código de verificación."),
                hint=t("Vuelve a ejecutar el comando cuando tengas el código a la mano."),
            ) from None

    def _type(self, login: LoginPage, code: str) -> None:
        run = self.run
        boxes = login.marked("otp")
        if boxes.count() > 1:  # one box per digit
            for box, digit in zip(boxes.all(), code, strict=False):
                run.act_on_portal(functools.partial(_fill, box, digit))
        else:
            run.act_on_portal(lambda ms: boxes.first.fill(code, timeout=ms))
        run.log("código de verificación escrito")
        go = login.marked("go")
        if go.count():
            with contextlib.suppress(Exception):
                go.first.click(timeout=5000)
