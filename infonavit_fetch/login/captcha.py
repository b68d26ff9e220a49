"""The human in the loop: the employee reads the captcha and types it, in the browser or the terminal.

No OCR, no solving services. The only solver that does not ask a person is the demo's, which reads the
code from the bundled mock portal it started itself.
"""

from __future__ import annotations

import base64
import binascii
import os
import platform
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from infonavit_fetch.cli.console import AnswerTimeout, Console, NoAnswer
from infonavit_fetch.errors import CaptchaNotSolved, PortalChanged, browser_closed
from infonavit_fetch.i18n import t
from infonavit_fetch.js import script
from infonavit_fetch.outputs.opener import has_display
from infonavit_fetch.site.portal import Label, LoginPage

if TYPE_CHECKING:
    from playwright.sync_api import Page


class NobodyThere(Exception):
    """No person can answer (standard input ended)."""


class CaptchaSolver(Protocol):
    submits: bool  # True when the solver presses "Iniciar sesión" itself
    wait_seconds: float  # how long the login may take once the code is asked for

    def ask(self, login: LoginPage, attempt: int, attempts: int) -> None: ...


class BrowserCaptcha:
    """The employee types the code in the page and presses "Iniciar sesión"."""

    submits = False

    def __init__(self, console: Console, timeout: float) -> None:
        self.console = console
        self.wait_seconds = timeout

    def ask(self, login: LoginPage, attempt: int, attempts: int) -> None:
        login.page.bring_to_front()
        login.captcha_field.focus()
        minutes = max(1, round(self.wait_seconds / 60))
        self.console.countdown(self.wait_seconds)
        intro = "" if attempt == 1 else t("Intento {attempt} de {attempts}. ", attempt=attempt, attempts=attempts)
        self.console.say(
            t(
                "{intro}En la ventana del navegador escribe el código de la imagen en «{p1}» y pulsa «{p2}». Tienes "
                "{minutes} min. (Ctrl-C para cancelar)",
                intro=intro,
                p1=Label.CAPTCHA,
                p2=Label.LOGIN,
                minutes=minutes,
            )
        )


class TerminalCaptcha:
    """The code is shown as an image file and read from standard input; the tool submits it."""

    submits = True

    def __init__(self, console: Console, timeout: float, step_timeout: float, open_viewer: bool) -> None:
        self.console = console
        self.timeout = timeout
        self.wait_seconds = step_timeout
        self.open_viewer = open_viewer

    def ask(self, login: LoginPage, attempt: int, attempts: int) -> None:
        image = picture_of_code(login, self.wait_seconds * 1000)
        # Found while the person reads the picture, not after they press Enter: the box the login marked
        # (else the one labelled for the code) and the button.
        marked = login.marked("captcha")
        box = marked.first if marked.count() else login.captcha_field
        submit = login.submit
        with picture_file(image) as path:
            if self.open_viewer:
                open_with_system(path)
            else:
                self.draw(image)
            intro = "" if attempt == 1 else t("Intento {attempt} de {attempts}. ", attempt=attempt, attempts=attempts)
            self.console.say(t("{intro}La imagen del código está en: {path}", intro=intro, path=path))
            while True:
                try:
                    code = self.console.read_line(
                        t("Escribe el código de la imagen y pulsa Enter: "),
                        self.timeout,
                        idle=lambda seconds: watch_browser(login.page, seconds),
                    )
                except NoAnswer:
                    raise NobodyThere from None
                except AnswerTimeout:
                    raise CaptchaNotSolved(
                        t("Se agotó el tiempo para escribir el código."),
                        hint=t("Vuelve a ejecutar el comando cuando puedas escribirlo (o usa --captcha-timeout)."),
                    ) from None
                if code.strip():
                    break
        box.fill(code.strip())
        submit.click()

    def draw(self, image: bytes) -> None:
        """The picture itself in the terminal, where no window can show it (SSH, no display)."""
        if os.environ.get("TERM") == "dumb":
            return
        from infonavit_fetch.login.picture import half_blocks, read_png

        try:
            picture = read_png(image)
        except (ValueError, zlib.error):
            return  # the file path below still says where it is
        columns = min(shutil.get_terminal_size(fallback=(80, 24)).columns - 1, 100)
        self.console.draw(half_blocks(picture, columns))


class ProgrammedCaptcha:
    """For the demo only: the code comes from the mock portal the demo itself started."""

    submits = True

    def __init__(self, code: Callable[[], str], step_timeout: float) -> None:
        self.code = code
        self.wait_seconds = step_timeout

    def ask(self, login: LoginPage, attempt: int, attempts: int) -> None:
        login.captcha_image.wait_for(state="visible")
        login.captcha_field.fill(self.code())
        login.submit.click()


# The code's own pixels, as the portal sent them: whatever covers the image on screen (a notice that
# shows a moment after load) is not in them, so nothing needs waiting for. None when the
# page cannot hand them over: no <img>/<canvas> (a background image), or a picture from another site.
OWN_PIXELS_JS = script("own_pixels")
PNG_DATA_URL = "data:image/png;base64,"


def picture_of_code(login: LoginPage, wait_ms: float) -> bytes:
    """The captcha as a PNG: the image's own pixels once it has loaded; else a screenshot of it, taken
    once the page has stopped changing and a late notice is closed."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    image = login.captcha_image
    try:
        image.wait_for(timeout=wait_ms)  # as a person waits for the picture to show
    except PlaywrightTimeout:
        raise PortalChanged(
            t("No se encontró en el portal la imagen del código («{p0}»).", p0=Label.CAPTCHA),
            hint=t("Usa --captcha browser para escribirlo en la ventana del navegador; si se repite, usa --debug-dir."),
        ) from None
    try:
        data = image.evaluate(OWN_PIXELS_JS, wait_ms)
        if isinstance(data, str) and data.startswith(PNG_DATA_URL):
            return base64.b64decode(data.removeprefix(PNG_DATA_URL), validate=True)
    except PlaywrightTimeout:
        raise
    except (PlaywrightError, binascii.Error):
        pass
    login.settle()
    return image.screenshot()


def watch_browser(page: Page, seconds: float) -> None:
    """Wait up to `seconds` inside Playwright, so that a closed or crashed browser is seen at once.

    (The sync API handles the browser's events only while the main thread is inside one of its calls.)
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if not page.is_closed():
        try:
            page.wait_for_event("close", timeout=seconds * 1000)
        except PlaywrightTimeout:
            return
        except PlaywrightError:  # the page crashed, or the browser is gone with the connection to it
            pass
    raise browser_closed()


def open_with_system(path: Path) -> None:
    """Open a file with the desktop's default program; silently nothing where there is none."""
    try:
        if platform.system() == "Windows":
            os.startfile(str(path))  # type: ignore[attr-defined]  # noqa: S606 - Windows only
        elif platform.system() == "Darwin":
            subprocess.Popen(["open", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elif has_display():
            subprocess.Popen(["xdg-open", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        pass


@contextmanager
def picture_file(image: bytes) -> Iterator[Path]:
    """The captcha's picture in a file of its own for as long as the person reads it; removed after."""
    handle, name = tempfile.mkstemp(prefix="infonavit-codigo-", suffix=".png")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(image)
        yield path
    finally:
        path.unlink(missing_ok=True)
