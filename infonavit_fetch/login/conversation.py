"""The manual's step 2: NSS and password in the form, the code typed by the person, the portal's answer.

The answer is read by meaning (see `portal.classify_message`): only an answer about the code alone lets
the form be sent again, so the password is never sent twice on a misreading.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

from infonavit_fetch.cli.settings import CAPTCHA_ATTEMPTS
from infonavit_fetch.errors import CaptchaNotSolved, PortalChanged
from infonavit_fetch.i18n import t
from infonavit_fetch.js import script
from infonavit_fetch.login.boxes import fill_credentials, read_boxes, shape
from infonavit_fetch.login.form import read_form
from infonavit_fetch.login.one_time_code import OneTimeCodes
from infonavit_fetch.login.outcome import cannot_log_in, meaning, no_answer, refusal
from infonavit_fetch.login.press import LastPress
from infonavit_fetch.outputs.diagnostics import why
from infonavit_fetch.site import portal
from infonavit_fetch.site.portal import LoginPage, Outcome
from infonavit_fetch.site.text import fold

if TYPE_CHECKING:
    from infonavit_fetch.browser.session import Run

# Resolves on the next change of the page (a state, not a pause), or after `ms` when nothing changes.
PAGE_CHANGED_JS = script("page_changed")
# A login spread over more pages than this (without a code to type) is not understood.
MAX_LOGIN_PAGES = 4

# Every short visible text on the page, and which of them are new and read like an answer to a login
# (js/answer.js).
ANSWER_JS = script("answer")


def answer_arg(standing: list[str], *, mark: bool) -> dict[str, Any]:
    """ANSWER_JS's argument: `standing` are the texts the login page showed already (no answer)."""
    return {
        "standing": standing,
        "mark": mark,
        "rx": portal.message_like_rx(),
        "waypoints": [fold(w) for w in portal.WAYPOINTS[:3]],
        "signs": [fold(sign) for sign in portal.LOGGED_IN_SIGNS],
        "later": [fold(word) for word in portal.LATER_WORDS],
        "maxLater": portal.MAX_LATER_LABEL,
    }


class PortalAnswer:
    """The portal's answer to a press of the login page, read from the page as it changes (a message read by
    meaning, the app, the form again) or from the browser's own dialogs."""

    def __init__(self, run: Run, press: LastPress) -> None:
        self.run = run
        self.press = press
        self.standing: list[str] = []  # what the login page says before anything is sent (help texts)
        self.ignored: tuple[str, ...] = ()  # what the page said since the press that answers nothing

    def _arg(self, *, mark: bool = False, ignored: tuple[str, ...] = ()) -> dict[str, Any]:
        return answer_arg([*self.standing, *ignored], mark=mark)

    def look(self, *, mark: bool = False) -> dict[str, Any]:
        """The page now; `mark`: what it shows is seen, so none of it can answer the next press."""
        result: dict[str, Any] = self.run.page.evaluate(ANSWER_JS, self._arg(mark=mark))
        return result

    def wait(self, dialogs_before: int) -> tuple[Outcome, str]:
        """Wait for the portal's answer to the code: logged in, a message (read by meaning), or the form
        again without one (unknown: never retried). `dialogs_before`: the browser's dialogs that came
        before the code was sent (none of them answers it)."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        run = self.run
        started = time.monotonic()
        deadline = started + run.solver.wait_seconds
        self.ignored = ()
        while True:
            if aloud := self._said_in_dialogs(dialogs_before):
                return aloud
            remaining = (deadline - time.monotonic()) * 1000
            if remaining <= 0:
                raise no_answer(run)
            try:
                found = run.page.wait_for_function(
                    ANSWER_JS,  # with `until`: null until the page has answered
                    arg={**self._arg(ignored=self.ignored), "until": True},
                    timeout=max(1.0, min(remaining, 1000)),
                )
                answer: dict[str, Any] = found.json_value()
            except PlaywrightTimeout:
                if run.foreign_url or portal.problem_marker(run.page).count():
                    raise run.problem() from None
                self.close_notice()
                self.press.press_again_if_nothing_left(started)
                if goes_on := self.press.next_page():
                    return goes_on, ""
                continue
            except PlaywrightError as exc:
                if "context was destroyed" in str(exc) or "navigat" in str(exc):
                    continue  # the answer is a new page, still loading
                raise
            run.ensure_on_portal()
            if read := self._read(answer, dialogs_before):
                return read

    def _read(self, answer: dict[str, Any], dialogs_before: int) -> tuple[Outcome, str] | None:
        """What a new state of the page answers; None when it answers nothing yet."""
        run = self.run
        state = answer["state"]
        if state == "message":
            said: list[str] = answer["fresh"]
            run.log(f"mensaje del portal: {said!r}")
            read = meaning(said)
            if read and read[0] is Outcome.PASSWORD_CHANGE and answer["later"]:
                run.log("el portal sugiere cambiar la contraseña y deja hacerlo después: se sigue")
                return Outcome.LOGGED_IN, ""
            if (read is None or read[0] in portal.RETRYABLE) and (goes_on := self.press.next_page()):
                return goes_on, ""
            if read:
                return read
            self.ignored = (*self.ignored, *said)  # talk that is not an answer (a clock, a help text, a greeting)
            if not answer["inside"]:
                return None
            state = "in"
        if state == "in":
            if portal.says_problem(answer["headings"]):
                raise run.problem()
            if goes_on := self.press.next_page():
                return goes_on, ""
            return Outcome.LOGGED_IN, ""
        if state == "form":
            if aloud := self._said_in_dialogs(dialogs_before):  # an alert shown as the form came back
                return aloud
            message = self.alert_text()
            run.log(f"el portal volvió a mostrar el formulario; mensaje: {message!r}")
            return Outcome.UNKNOWN, message
        return None

    def _said_in_dialogs(self, since: int) -> tuple[Outcome, str] | None:
        """An answer in a dialog of the browser (an alert), read like any message on the page."""
        return meaning(self.run.said_in_dialogs[since:])

    def close_notice(self) -> None:
        """A notice that shows over the form while the person is at it (the page reloaded after a wrong
        code) is closed for them, and the cursor put back in the code's box."""
        login = LoginPage(self.run.page)
        if login.close_notice() and not self.run.solver.submits and login.password.input_value():
            login.captcha_field.focus()  # the form is ready for the code

    def alert_text(self) -> str:
        """Whatever the login page says in an alert, to quote it when its meaning is unknown."""
        alert = self.run.page.get_by_role("alert").filter(visible=True).first
        try:
            return alert.inner_text(timeout=1000).strip() if alert.count() else ""
        except Exception:
            return ""


class Login:
    """The login form of this run, from its first page to the answer to the last code."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.press = LastPress(run)
        self.answer = PortalAnswer(run, self.press)
        self.codes = OneTimeCodes(run)
        self.captchas = 0  # codes of the image asked for in this login
        self.pages = 0  # pages of the login pressed on without a code
        self.password_sent = False  # the password went out, and no answer about the code alone came back

    def log_in(self) -> None:
        """The login; a wait that runs out on a page that differs is the portal's, never an unexpected error."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.converse()
        except PlaywrightTimeout as exc:
            self.run.log(f"el inicio de sesión no avanzó: {why(exc)}")
            self.run.ensure_on_portal()  # a page that went to another host says so first
            raise PortalChanged(
                t("La página de inicio de sesión no respondió como se esperaba."),
                hint=t(
                    "Ejecuta el comando sin --headless y termina tú el inicio de sesión en la ventana; si se repite, "
                    "usa --debug-dir y comparte la carpeta."
                ),
            ) from None

    def converse(self) -> None:
        """The login as a conversation: each page's questions answered with what the tool has (the NSS, the
        password once, the code the person reads), the page's own way forward pressed, until the portal
        answers. Only an answer about the code lets the password be typed again."""
        run = self.run
        self.answer.standing = self.answer.look()["texts"]
        self.captchas = self.pages = 0
        self.codes = OneTimeCodes(run)
        self.password_sent = False
        while True:
            login = LoginPage(run.page)
            form = read_boxes(run.page, login)
            if form["password"] and self.password_sent:  # asked again: never typed twice
                raise refusal(run, Outcome.UNKNOWN, self.answer.alert_text())
            heard = self._take_turn(login, form)
            if heard is None:
                return
            self.password_sent = self.password_sent or bool(form["password"])
            outcome, said = self.answer.wait(heard)
            run.log(f"resultado del inicio de sesión: {portal.OUTCOME_WORDS[outcome]}")
            if self._logged_in(form, outcome, said):
                return

    def _take_turn(self, login: LoginPage, form: dict[str, Any]) -> int | None:
        """What the page asks answered and its way forward pressed: the browser's dialogs heard before the
        press (none of them answers it), or None once the person finished a login the tool cannot fill."""
        if form["other"] and (form["password"] or form["captcha"]):
            # A box of the form the tool has nothing for: never send the password with it half-answered.
            self.person_finishes(form)
            return None
        if form["captcha"]:
            return self._captcha(login, form)
        if form["otp"]:
            self.codes.one_more()
            self.answer.look(mark=True)
            heard = self._press_coming(form)
            self.codes.ask(login)
            return heard
        if (form["nss"] or form["password"]) and form["go"] and not (form["password"] and form["other"]):
            # (a box it cannot name beside the password: pressing on could send the password half-answered)
            return self._next_page(login, form)
        self.person_finishes(form)
        return None

    def _captcha(self, login: LoginPage, form: dict[str, Any]) -> int:
        """NSS and password typed, and the code of the image asked of the person."""
        run = self.run
        self.captchas += 1
        if self.captchas > CAPTCHA_ATTEMPTS:
            raise CaptchaNotSolved(
                t("El código de la imagen no coincidió {attempts} veces.", attempts=CAPTCHA_ATTEMPTS),
                hint=t("Vuelve a ejecutar el comando y escribe el código con calma (no distingue mayúsculas)."),
            )
        fill_credentials(run, login, form, first=self.captchas == 1)
        self.answer.look(mark=True)  # what is on the page now is not the answer to this code
        run.console.step(t("Esperando el código de la imagen (captcha)…"))
        run.log(f"código: intento {self.captchas} de {CAPTCHA_ATTEMPTS}")
        run.ensure_on_portal()
        heard = self._press_coming(form)
        run.solver.ask(login, self.captchas, CAPTCHA_ATTEMPTS)
        return heard

    def _next_page(self, login: LoginPage, form: dict[str, Any]) -> int | None:
        """A login spread over pages: what this one asks typed, and its way forward pressed."""
        if form["nss"] > 1:
            self.person_finishes(form)
            return None
        self.pages += 1
        if self.pages > MAX_LOGIN_PAGES:
            self.person_finishes(form)
            return None
        fill_credentials(self.run, login, form, first=True)
        self.answer.look(mark=True)
        heard = self._press_coming(form)
        self.run.log(f"se pulsa «{form['go']}» (el portal pide los datos en varias páginas)")
        login.marked("go").first.click()
        return heard

    def _press_coming(self, form: dict[str, Any]) -> int:
        """The browser's dialogs heard so far: an alert may answer while the code is still being sent."""
        heard = len(self.run.said_in_dialogs)
        self.press.begin(form)
        return heard

    def _logged_in(self, form: dict[str, Any], outcome: Outcome, said: str) -> bool:
        """Whether the portal's answer lets the person in; one that asks for more (another page, another
        code) goes on, and one that turns the login down ends the run."""
        if outcome is Outcome.LOGGED_IN:
            self.run.console.step(t("Sesión iniciada."))
            return True
        if outcome in (Outcome.NEXT_PAGE, Outcome.ONE_TIME_CODE):
            return False
        if outcome in portal.RETRYABLE and (form["captcha"] or form["otp"]):
            # Safe to try again: the portal turned the code down before it looked at the password.
            self.password_sent = False
            if self.captchas < CAPTCHA_ATTEMPTS:
                self.run.console.say(t("El código no coincidió. El portal mostró un código nuevo."))
            return False
        raise refusal(self.run, outcome, said)

    def person_finishes(self, form: dict[str, Any]) -> None:
        """A login page the tool cannot fill: in a visible browser the person finishes the login in the window,
        and the tool goes on once the login boxes are gone; headless, an exit that names what is asked."""
        run = self.run
        if run.settings.headless:
            raise cannot_log_in(form)
        run.console.say(
            t(
                "No sé llenar esta página de inicio de sesión. Termina tú de entrar en la ventana del navegador; "
                "sigo en cuanto entres. (Ctrl-C para cancelar)"
            )
        )
        run.log(f"se pidió a la persona terminar el inicio de sesión (la página pide: {form.get('words')!r})")
        run.record_clicks()
        deadline = time.monotonic() + run.settings.captcha_timeout
        gone = 0
        while time.monotonic() < deadline:
            run.ensure_on_portal()
            gone = gone + 1 if not any(shape(read_form(run.page))) else 0
            if gone >= 2:  # two looks in a row without a login box
                run.console.step(t("Sesión iniciada."))
                return
            with contextlib.suppress(Exception):  # until the page changes, one slice at most
                run.page.wait_for_function(PAGE_CHANGED_JS, arg=1000, timeout=1000)
        raise CaptchaNotSolved(
            t("Se agotó el tiempo para terminar el inicio de sesión en la ventana."),
            hint=t("Vuelve a ejecutar el comando cuando puedas terminarlo (o usa --captcha-timeout)."),
        )
