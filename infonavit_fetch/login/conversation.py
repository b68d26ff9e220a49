"""The manual's step 2: NSS and password in the form, the code typed by the person, the portal's answer.

The answer is read by meaning (see `portal.classify_message`): only an answer about the code alone lets
the form be sent again, so the password is never sent twice on a misreading.
"""

from __future__ import annotations

import contextlib
import functools
import time
from typing import TYPE_CHECKING, Any

from infonavit_fetch.cli.console import AnswerTimeout, NoAnswer
from infonavit_fetch.cli.settings import CAPTCHA_ATTEMPTS
from infonavit_fetch.errors import (
    AccountNeedsAttention,
    CaptchaNotSolved,
    CredentialsRejected,
    FetchError,
    PortalChanged,
    PortalUnavailable,
    SessionExpired,
    network_reason,
    unavailable,
)
from infonavit_fetch.i18n import t
from infonavit_fetch.login.captcha import NobodyThere
from infonavit_fetch.login.form import read_form
from infonavit_fetch.outputs.diagnostics import why
from infonavit_fetch.site import portal
from infonavit_fetch.site.portal import Label, LoginPage, Outcome
from infonavit_fetch.site.text import fold
from infonavit_fetch.walk.look import FOLD_JS, LATER_JS

if TYPE_CHECKING:
    from playwright.sync_api import Locator

    from infonavit_fetch.browser.session import Run

# After the tool pressed «Iniciar sesión», this long without a single request leaving the browser means the
# press did not send the form (seconds).
NOTHING_SENT_S = 3.0
# Resolves on the next change of the page (a state, not a pause), or after `ms` when nothing changes.
PAGE_CHANGED_JS = """(ms) => new Promise((resolve) => {
  const observer = new MutationObserver(() => { observer.disconnect(); resolve(true); });
  observer.observe(document, {subtree: true, childList: true, attributes: true});
  setTimeout(() => { observer.disconnect(); resolve(true); }, ms);
})"""
# A login spread over more pages than this (without a code to type) is not understood.
MAX_LOGIN_PAGES = 4

# Every short visible text on the page, and which of them are new and read like an answer to a login.
ANSWER_JS = (
    r"""
(args) => {
  const SEEN = 'data-infonavit-fetch-seen';
  const fold = """
    + FOLD_JS
    + r""";
  const visible = (el) => el.checkVisibility && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    && el.getBoundingClientRect().width > 1;
  const blocks = new Map();
  const said = new Map();  // what a block says, without the words of its links and buttons (options, not news)
  const CONTROLS = 'a, button, summary, select, [role=button], [role=link], [role=menuitem], [role=tab], [role=option]';
  const squeeze = (text) => (text || '').replace(/\s+/g, ' ').trim();
  const walker = document.createTreeWalker(document.body || document, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.nodeValue.trim() || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName) || !visible(el)) continue;
    const block = el.closest('[role=alert], [role=status], [aria-live]:not([aria-live=off]), p, li, label, div, span')
      || el;
    if (blocks.has(block)) continue;
    const text = squeeze(block.innerText);
    if (!text || text.length > 300) continue;
    blocks.set(block, text);
    if (block.closest(CONTROLS)) continue;
    if (!block.querySelector(CONTROLS)) { said.set(block, text); continue; }
    const prose = block.cloneNode(true);
    prose.querySelectorAll(CONTROLS).forEach((control) => control.remove());
    const words = squeeze(prose.textContent);
    if (words) said.set(block, words);
  }
  if (args.mark) for (const block of blocks.keys()) block.setAttribute(SEEN, '');
  const standing = new Set(args.standing);
  const rx = new RegExp(args.rx);
  const fresh = [...said].filter(([block, text]) => !block.hasAttribute(SEEN) && !standing.has(text)
                                                    && !standing.has(blocks.get(block)) && rx.test(fold(text)))
    .map(([, text]) => text);
  const password = [...document.querySelectorAll('input[type=password]')].some(visible);
  // A control that puts off what the page asks ("Recordármelo después"): a reminder, not a demand.
  const later = [...document.querySelectorAll(CONTROLS + ', input[type=button], input[type=submit]')].some((c) => {
    const label = fold(squeeze(c.innerText || c.value || c.getAttribute('aria-label')));
    return visible(c) && ("""
    + LATER_JS
    + r""")(label, args.later, args.maxLater);
  });
  const all = fold(document.body ? document.body.innerText : '');
  const waypoint = args.waypoints.some((w) => all.includes(w));
  // What only a logged-in page says ("Cerrar sesión", "¡Hola, …! Bienvenido", "Último acceso"), in a text
  // the login page did not show already (its own "Bienvenido a Mi Cuenta" is no sign).
  const signed = [...blocks.values()]
    .some((text) => !standing.has(text) && args.signs.some((sign) => fold(text).includes(sign)));
  const newDocument = !window.__infonavitFetchLogin;
  if (args.mark) window.__infonavitFetchLogin = true;
  const ready = document.readyState === 'complete';
  const inside = !password && (waypoint || signed || (newDocument && ready));
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')].filter(visible)
    .map((h) => (h.innerText || '').replace(/\s+/g, ' ').trim()).filter((text) => text && text.length <= 300);
  let state = null;
  if (fresh.length) state = 'message';
  else if (inside) state = 'in';
  else if (password && newDocument && ready) state = 'form';
  return {state, texts: [...new Set(blocks.values())], fresh, inside, headings, later};
}
"""
)


def _fill(box: Locator, value: str, timeout: float) -> None:
    box.fill(value, timeout=timeout)


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


class Login:
    """The login form of this run, from opening the portal to the answer to the last code."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.standing: list[str] = []  # what the login page says before anything is sent (help texts)
        self.sends_before = 0  # the run's requests that could carry the form, before this code was sent
        self.pressed_again = False  # «Iniciar sesión» pressed once more for this code (nothing had left)
        self.form_before: tuple[int, ...] = ()  # what the login page asked before the last press
        self.boxes_gone = 0  # looks in a row at a page without a login box, since the last press

    def open_portal(self) -> None:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        run = self.run
        run.console.step(t("Abriendo el portal Mi Cuenta Infonavit…"))
        try:
            response = run.page.goto(run.settings.portal_url, wait_until="domcontentloaded")
        except PlaywrightTimeout:
            raise PortalUnavailable(
                t("El portal no respondió en {p0:.0f} segundos.", p0=run.settings.timeout),
                hint=t("Revisa tu conexión a internet e intenta más tarde (o usa un --timeout mayor)."),
            ) from None
        except PlaywrightError as exc:
            if "net::ERR_" not in str(exc):
                raise
            raise PortalUnavailable(
                t("No se pudo conectar con el portal: {reason}.", reason=network_reason(str(exc))),
                hint=t(
                    "Revisa tu conexión a internet y que la dirección del portal sea correcta; luego intenta de nuevo."
                ),
            ) from None
        status = response.status if response else 0
        outcome = portal.classify_status(status)
        if outcome:
            raise unavailable(outcome, status)
        login = LoginPage(run.page)
        try:
            found = run.wait_for_any({"login": login.any_box.first, "problem": portal.problem_marker(run.page)})
        except PlaywrightTimeout:
            raise PortalChanged(
                t("No se encontró en el portal el campo «{p0}» para iniciar sesión.", p0=Label.NSS),
                hint=t(
                    "Puede que el portal haya cambiado o esté muy lento. Intenta con un --timeout mayor; si se "
                    "repite, usa --debug-dir y comparte la carpeta."
                ),
            ) from None
        if found == "problem":
            raise run.problem()

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
        attempts = CAPTCHA_ATTEMPTS
        self.standing = self._answer()["texts"]
        attempt = codes = pages = 0
        password_sent = False
        while True:
            login = LoginPage(run.page)
            form = self.read(login)
            if form["password"] and password_sent:
                raise self.error(Outcome.UNKNOWN, self.alert_text())  # asked again: never typed twice
            if form["other"] and (form["password"] or form["captcha"]):
                # A box of the form the tool has nothing for: never send the password with it half-answered.
                return self.person_finishes(form)
            if form["captcha"]:
                attempt += 1
                if attempt > attempts:
                    raise CaptchaNotSolved(
                        t("El código de la imagen no coincidió {attempts} veces.", attempts=attempts),
                        hint=t("Vuelve a ejecutar el comando y escribe el código con calma (no distingue mayúsculas)."),
                    )
                self.fill_credentials(login, form, first=attempt == 1)
                self._answer(mark=True)  # what is on the page now is not the answer to this code
                run.console.step(t("Esperando el código de la imagen (captcha)…"))
                run.log(f"código: intento {attempt} de {attempts}")
                run.ensure_on_portal()
                heard = len(run.said_in_dialogs)  # an alert may answer while the code is still being sent
                self.sends_before, self.pressed_again = run.sends, False
                self.form_before, self.boxes_gone = _shape(form), 0
                run.solver.ask(login, attempt, attempts)
            elif form["otp"]:
                codes += 1
                if codes > attempts:
                    raise CaptchaNotSolved(
                        t("El código de verificación no coincidió {attempts} veces.", attempts=attempts),
                        hint=t("Vuelve a ejecutar el comando con el código más reciente que te llegó."),
                    )
                self._answer(mark=True)
                heard = len(run.said_in_dialogs)
                self.sends_before, self.pressed_again = run.sends, False
                self.form_before, self.boxes_gone = _shape(form), 0
                self.one_time_code(login)
            elif (form["nss"] or form["password"]) and form["go"] and not (form["password"] and form["other"]):
                # (a box it cannot name beside the password: pressing on could send the password half-answered)
                if form["nss"] > 1:
                    return self.person_finishes(form)
                pages += 1
                if pages > MAX_LOGIN_PAGES:
                    return self.person_finishes(form)
                self.fill_credentials(login, form, first=True)
                self._answer(mark=True)
                heard = len(run.said_in_dialogs)
                self.sends_before, self.pressed_again = run.sends, False
                self.form_before, self.boxes_gone = _shape(form), 0
                run.log(f"se pulsa «{form['go']}» (el portal pide los datos en varias páginas)")
                login.marked("go").first.click()
            else:
                return self.person_finishes(form)
            password_sent = password_sent or bool(form["password"])
            outcome, said = self.outcome(heard)
            run.log(f"resultado del inicio de sesión: {portal.OUTCOME_WORDS[outcome]}")
            if outcome is Outcome.LOGGED_IN:
                run.console.step(t("Sesión iniciada."))
                return
            if outcome in (Outcome.NEXT_PAGE, Outcome.ONE_TIME_CODE):
                continue
            if outcome in portal.RETRYABLE and (form["captcha"] or form["otp"]):
                # Safe to try again: the portal turned the code down before it looked at the password.
                password_sent = False
                if attempt < attempts:
                    run.console.say(t("El código no coincidió. El portal mostró un código nuevo."))
                continue
            raise self.error(outcome, said)

    def read(self, login: LoginPage) -> dict[str, Any]:
        """What the page asks for; a box the words around it did not name is still found the older way, by
        the manual's label written as plain text before it («Introduce el código» in a <span>)."""
        form = read_form(self.run.page)
        for role, box in (("captcha", login.captcha_field), ("nss", login.nss)):
            if not form[role] and form["other"] and box.count() and box.is_visible():
                box.evaluate("(el, role) => el.setAttribute('data-infonavit-login', role)", role)
                form[role], form["other"] = 1, form["other"] - 1
        return form

    def fill_credentials(self, login: LoginPage, form: dict[str, Any], *, first: bool) -> None:
        """NSS and password where the page asks for them, typed once per page: a page that cleared them gets
        them again."""
        credentials = self.run.credentials
        self.run.ensure_on_portal()  # secrets are typed only into the portal's own pages
        act = self.run.act_on_portal
        if form["nss"] and (first or login.nss.input_value() != credentials.nss):
            act(lambda ms: login.nss.fill(credentials.nss, timeout=ms))
        if form["password"] and (first or not login.password.input_value()):
            act(lambda ms: login.password.fill(credentials.password, timeout=ms))
        self.run.log("NSS y contraseña escritos en el formulario")

    def one_time_code(self, login: LoginPage) -> None:
        """A code the portal sent by SMS or e-mail: asked of the person like the captcha (in the terminal, or
        typed by them in the window)."""
        run = self.run
        run.console.step(t("El portal envió un código de verificación (por SMS o correo)."))
        if not run.solver.submits:
            run.console.say(
                t("En la ventana del navegador escribe el código que te llegó y pulsa el botón para continuar.")
            )
            return
        try:
            code = run.console.read_line(
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

    def person_finishes(self, form: dict[str, Any]) -> None:
        """A login page the tool cannot fill: in a visible browser the person finishes the login in the window,
        and the tool goes on once the login boxes are gone; headless, an exit that names what is asked."""
        run = self.run
        if run.settings.headless:
            raise self.cannot_log_in(form)
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
            gone = gone + 1 if not any(_shape(read_form(run.page))) else 0
            if gone >= 2:  # two looks in a row without a login box
                run.console.step(t("Sesión iniciada."))
                return
            with contextlib.suppress(Exception):  # until the page changes, one slice at most
                run.page.wait_for_function(PAGE_CHANGED_JS, arg=1000, timeout=1000)
        raise CaptchaNotSolved(
            t("Se agotó el tiempo para terminar el inicio de sesión en la ventana."),
            hint=t("Vuelve a ejecutar el comando cuando puedas terminarlo (o usa --captcha-timeout)."),
        )

    def cannot_log_in(self, form: dict[str, Any]) -> FetchError:
        """A login page the tool cannot fill: in a visible browser the person finishes it; headless, an
        exit that names what the portal asks for."""
        asked = ", ".join(w for w in form.get("words", []) if w) or t("algo que no se reconoce")
        return PortalChanged(
            t("La página de inicio de sesión pide algo que no se sabe llenar ({asked}).", asked=asked[:120]),
            hint=t(
                "Ejecuta el comando sin --headless y termina tú el inicio de sesión en la ventana; si se repite, "
                "usa --debug-dir y comparte la carpeta."
            ),
        )

    def _arg(self, *, mark: bool = False, ignored: tuple[str, ...] = ()) -> dict[str, Any]:
        return answer_arg([*self.standing, *ignored], mark=mark)

    def _answer(self, *, mark: bool = False, ignored: tuple[str, ...] = ()) -> dict[str, Any]:
        result: dict[str, Any] = self.run.page.evaluate(ANSWER_JS, self._arg(mark=mark, ignored=ignored))
        return result

    def outcome(self, dialogs_before: int) -> tuple[Outcome, str]:
        """Wait for the portal's answer to the code: logged in, a message (read by meaning), or the form
        again without one (unknown: never retried). `dialogs_before`: the browser's dialogs that came
        before the code was sent (none of them answers it)."""
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        run = self.run
        started = time.monotonic()
        deadline = started + run.solver.wait_seconds
        ignored: tuple[str, ...] = ()
        predicate = f"(args) => {{ const answer = ({ANSWER_JS})(args); return answer.state ? answer : null; }}"
        while True:
            if aloud := self._said_in_dialogs(dialogs_before):
                return aloud
            remaining = (deadline - time.monotonic()) * 1000
            if remaining <= 0:
                return self._no_answer()
            try:
                found = run.page.wait_for_function(
                    predicate, arg=self._arg(ignored=ignored), timeout=max(1.0, min(remaining, 1000))
                )
                answer: dict[str, Any] = found.json_value()
            except PlaywrightTimeout:
                if run.foreign_url or portal.problem_marker(run.page).count():
                    raise run.problem() from None
                self.close_notice()
                self.press_again_if_nothing_left(started)
                if goes_on := self.next_page():
                    return goes_on, ""
                continue
            except PlaywrightError as exc:
                if "context was destroyed" in str(exc) or "navigat" in str(exc):
                    continue  # the answer is a new page, still loading
                raise
            run.ensure_on_portal()
            state = answer["state"]
            if state == "message":
                said: list[str] = answer["fresh"]
                run.log(f"mensaje del portal: {said!r}")
                read = _meaning(said)
                if read and read[0] is Outcome.PASSWORD_CHANGE and answer["later"]:
                    run.log("el portal sugiere cambiar la contraseña y deja hacerlo después: se sigue")
                    return Outcome.LOGGED_IN, ""
                if (read is None or read[0] in portal.RETRYABLE) and (goes_on := self.next_page()):
                    return goes_on, ""
                if read:
                    return read
                ignored = (*ignored, *said)  # talk that is not an answer (a clock, a help text, a greeting)
                if not answer["inside"]:
                    continue
                state = "in"
            if state == "in":
                if portal.says_problem(answer["headings"]):
                    raise run.problem()
                if goes_on := self.next_page():
                    return goes_on, ""
                return Outcome.LOGGED_IN, ""
            if state == "form":
                if aloud := self._said_in_dialogs(dialogs_before):  # an alert shown as the form came back
                    return aloud
                message = self.alert_text()
                run.log(f"el portal volvió a mostrar el formulario; mensaje: {message!r}")
                return Outcome.UNKNOWN, message

    def next_page(self) -> Outcome | None:
        """The page now asks for something else than before the press (the password after the NSS, the
        code on a page of its own, a code sent by SMS): the login goes on. An app whose login boxes have
        all gone, two looks in a row, without a word about it, is in. None when neither."""
        form = read_form(self.run.page)
        shape = _shape(form)
        if not any(shape):
            self.boxes_gone += 1
            return Outcome.LOGGED_IN if any(self.form_before) and self.boxes_gone >= 2 else None
        self.boxes_gone = 0
        if shape == self.form_before:
            return None
        return Outcome.ONE_TIME_CODE if form["otp"] and not form["captcha"] else Outcome.NEXT_PAGE

    def press_again_if_nothing_left(self, started: float) -> None:
        """The tool pressed «Iniciar sesión», yet a while later not one request has left the browser (the
        press landed while the page was not ready for it): nothing was sent, so pressing once more cannot
        send the password twice. Once per code."""
        from playwright.sync_api import Error as PlaywrightError

        run = self.run
        if not run.solver.submits or self.pressed_again or run.sends != self.sends_before:
            return
        if time.monotonic() - started < NOTHING_SENT_S:
            return
        self.pressed_again = True
        run.log(f"el envío no salió del navegador; se pulsa «{Label.LOGIN}» otra vez")
        with contextlib.suppress(PlaywrightError):
            LoginPage(run.page).submit.click(timeout=NOTHING_SENT_S * 1000)

    def _said_in_dialogs(self, since: int) -> tuple[Outcome, str] | None:
        """An answer in a dialog of the browser (an alert), read like any message on the page."""
        return _meaning(self.run.said_in_dialogs[since:])

    def close_notice(self) -> None:
        """A notice that shows over the form while the person is at it (the page reloaded after a wrong
        code) is closed for them, and the cursor put back in the code's box."""
        login = LoginPage(self.run.page)
        if login.close_notice() and not self.run.solver.submits and login.password.input_value():
            login.captcha_field.focus()  # the form is ready for the code

    def _no_answer(self) -> tuple[Outcome, str]:
        run = self.run
        if not run.solver.submits:
            raise CaptchaNotSolved(
                t("Se agotó el tiempo para escribir el código en el navegador."),
                hint=t("Vuelve a ejecutar el comando cuando puedas escribirlo (o usa --captcha-timeout)."),
            )
        if run.last_status >= 400:
            raise run.problem()
        raise PortalChanged(
            t("Después de pulsar «{p0}» el portal no mostró ni el menú ni un mensaje conocido.", p0=Label.LOGIN),
            hint=t("Puede que el portal haya cambiado. Usa --debug-dir y comparte la carpeta."),
        )

    def alert_text(self) -> str:
        """Whatever the login page says in an alert, to quote it when its meaning is unknown."""
        alert = self.run.page.get_by_role("alert").filter(visible=True).first
        try:
            return alert.inner_text(timeout=1000).strip() if alert.count() else ""
        except Exception:
            return ""

    def error(self, outcome: Outcome, said: str) -> FetchError:
        quote = t(" El portal dijo: «{said}».", said=said) if said else ""
        if outcome is Outcome.BAD_CREDENTIALS:
            return CredentialsRejected(
                t("El portal rechazó el NSS o la contraseña.") + quote,
                hint=t(
                    "Revisa tu contraseña entrando tú al portal. infonavit-fetch solo intenta una vez por ejecución "
                    "para no bloquear tu cuenta."
                ),
            )
        if outcome is Outcome.AMBIGUOUS:
            return CredentialsRejected(
                t("El portal rechazó el inicio de sesión y no dice si fue el código o la contraseña.") + quote,
                hint=t(
                    "Para no bloquear tu cuenta no se volvió a enviar la contraseña. Revisa tus datos entrando tú al "
                    "portal y vuelve a ejecutar el comando."
                ),
            )
        if outcome is Outcome.BLOCKED:
            return AccountNeedsAttention(
                t("El portal dice que tu cuenta está bloqueada."),
                hint=t(
                    "Desbloquéala desde el portal («¿Olvidaste tu contraseña?») o llamando a Infonavitel "
                    "(800 008 3900) y vuelve a intentarlo."
                ),
            )
        if outcome is Outcome.PASSWORD_CHANGE:
            return AccountNeedsAttention(
                t("El portal pide que cambies tu contraseña antes de continuar."),
                hint=t("Entra tú al portal, cambia la contraseña y vuelve a ejecutar el comando con la nueva."),
            )
        if outcome is Outcome.SESSION_EXPIRED:
            return SessionExpired()
        if outcome is Outcome.UNKNOWN:
            # It may have been the password: sending it again could lock the account, so stop here.
            shown = t(" y mostró: «{message}»", message=said) if said else ""
            return PortalChanged(
                t("El portal no aceptó el inicio de sesión{said}.", said=shown),
                hint=t(
                    "No se reconoce ese mensaje, así que no se volvió a enviar la contraseña para no bloquear tu "
                    "cuenta. Revisa tus datos entrando tú al portal y vuelve a intentarlo."
                ),
            )
        return self.run.problem()


def _shape(form: dict[str, Any]) -> tuple[int, ...]:
    """What a login page asks for, to tell one page of the conversation from the next."""
    return (form["nss"], form["password"], form["captcha"], form["otp"])


def _meaning(texts: list[str]) -> tuple[Outcome, str] | None:
    """What the portal's answer means, from the texts of it that mean something (and those texts); None
    when none does (a clock, a help text, a greeting)."""
    known = [text for text in texts if portal.classify_message(text) is not Outcome.UNKNOWN]
    return (portal.classify_answer(known), " ".join(known)) if known else None
