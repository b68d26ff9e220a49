"""login → navigate → capture: the manual's clicks, done by the tool, with the human for the captcha."""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import portal
from .captcha import CaptchaSolver, NobodyThere
from .capture import capture_pdf, is_top_level
from .console import Console
from .diagnostics import Redactor, StepLog, new_bundle_dir, redact_zip, write_log, write_page
from .errors import (
    AccountNeedsAttention,
    Cancelled,
    CaptchaNotSolved,
    CredentialsRejected,
    FetchError,
    NoticeNotReady,
    PortalChanged,
    PortalUnavailable,
    UnexpectedError,
)
from .i18n import t
from .launch import open_browser
from .portal import Label, LoginPage, MiEspacio, Outcome
from .save import CheckedPdf, check_pdf
from .settings import CAPTCHA_ATTEMPTS, Settings

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page, Request, Response, Route

WAIT_SLICE_MS = 1000.0


@dataclass(frozen=True)
class Credentials:
    nss: str
    password: str = field(repr=False)


class SessionExpired(PortalUnavailable):
    def __init__(self) -> None:
        super().__init__(
            t("La sesión del portal expiró a mitad del trámite y no hubo nadie para volver a iniciarla."),
            hint=t("Vuelve a ejecutar el comando y escribe el código cuando te lo pida."),
        )


class ForeignHost(PortalChanged):
    pass


class _TabOpened(Exception):
    """The click opened a new tab while the tool waited on the old one."""


@dataclass
class Run:
    """One download: the browser, the page being driven, and what the run has seen."""

    settings: Settings
    credentials: Credentials
    solver: CaptchaSolver
    console: Console
    log: StepLog
    context: BrowserContext
    page: Page
    last_status: int = 0
    last_method: str = "GET"
    foreign_url: str = ""
    traces: list[Path] = field(default_factory=list)
    new_pages: list[Page] = field(default_factory=list)
    follow_new_pages: bool = False
    standing: set[str] = field(default_factory=set)  # message-like texts on the login page from the start

    def on_new_page(self, page: Page) -> None:
        if self.follow_new_pages:
            self.new_pages.append(page)

    # --- plumbing -------------------------------------------------------------------------------

    def watch(self, page: Page) -> None:
        page.set_default_timeout(self.settings.timeout_ms)
        page.set_default_navigation_timeout(self.settings.timeout_ms)
        page.on("response", self._on_response)
        page.on("request", self._on_request)
        # The notice over the login page (and any like it) is closed before each action it would block.
        close = LoginPage(page).modal_close_button()
        page.add_locator_handler(close, lambda btn: self._close_modal(btn), no_wait_after=True)

    def _close_modal(self, button: Locator) -> None:
        self.log("se cerró un aviso (ventana modal) que cubría la página")
        button.click()

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.is_navigation_request() and is_top_level(request):
            self.last_status = response.status
            self.last_method = request.method
            self.log(f"página {response.status} {request.method} {response.url}")

    def _on_request(self, request: Request) -> None:
        # Routes do not see the hops of a redirect, so a redirect away from the portal is caught here.
        if (
            request.is_navigation_request()
            and is_top_level(request)
            and not portal.portal_host_allowed(request.url, self.settings.portal_url)
        ):
            self.foreign_url = self.foreign_url or request.url
            self.log(f"el portal redirigió a un sitio externo: {request.url}")

    def guard(self, route: Route) -> None:
        """Keep the browser on the portal: a navigation elsewhere is stopped and shown as such."""
        request = route.request
        # Only the page itself: frames from elsewhere (a captcha widget, a map) are the portal's business.
        if request.is_navigation_request() and is_top_level(request):
            self.foreign_url = request.url
            self.log(f"navegación bloqueada hacia un sitio externo: {request.url}")
            route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=portal.foreign_host_page(request.url)
            )
        else:
            route.fallback()

    def wait_for_any(self, candidates: dict[str, Locator], timeout_ms: float | None = None) -> str:
        """Wait until one of the candidates is visible and say which (first in order wins)."""
        combined: Locator | None = None
        for locator in candidates.values():
            combined = locator if combined is None else combined.or_(locator)
        assert combined is not None
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        timeout = self.settings.timeout_ms if timeout_ms is None else timeout_ms
        deadline = time.monotonic() + timeout / 1000
        while True:
            # In slices, so that a redirect to a foreign host (seen by an event, not on the page) stops
            # the wait at once; each slice still waits for a state, not for time.
            remaining = (deadline - time.monotonic()) * 1000
            try:
                combined.first.wait_for(state="visible", timeout=max(1.0, min(WAIT_SLICE_MS, remaining)))
            except PlaywrightTimeout:
                if self.foreign_url:
                    raise foreign_host_error(self.foreign_url) from None
                if self.follow_new_pages and self.new_pages:
                    raise _TabOpened() from None
                if remaining <= WAIT_SLICE_MS:
                    raise
                continue
            for name, locator in candidates.items():
                if locator.is_visible():
                    return name

    def problem(self) -> FetchError:
        """The error for a page that says the portal cannot serve, or a foreign host."""
        if self.foreign_url:
            return foreign_host_error(self.foreign_url)
        outcome = portal.classify_status(self.last_status) or portal.classify_message(self._visible_text())
        return unavailable(outcome, self.last_status)

    def _visible_text(self) -> str:
        try:
            return self.page.locator("body").inner_text(timeout=5000)
        except Exception:
            return ""

    # --- the steps ------------------------------------------------------------------------------

    def open_portal(self) -> None:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self.console.step(t("Abriendo el portal Mi Cuenta Infonavit…"))
        try:
            response = self.page.goto(self.settings.portal_url, wait_until="domcontentloaded")
        except PlaywrightTimeout:
            raise PortalUnavailable(
                t("El portal no respondió en {p0:.0f} segundos.", p0=self.settings.timeout),
                hint=t("Revisa tu conexión a internet e intenta más tarde (o usa un --timeout mayor)."),
            ) from None
        except PlaywrightError as exc:
            if "net::ERR_" not in str(exc):
                raise
            code = str(exc).split("net::", 1)[1].split()[0]
            raise PortalUnavailable(
                t("No se pudo conectar con el portal ({code}).", code=code),
                hint=t(
                    "Revisa tu conexión a internet y que la dirección del portal sea correcta; luego intenta de nuevo."
                ),
            ) from None
        status = response.status if response else 0
        outcome = portal.classify_status(status)
        if outcome:
            raise unavailable(outcome, status)
        login = LoginPage(self.page)
        found = self.wait_for_any(
            {"login": login.nss, "in": portal.logged_in_marker(self.page), "problem": portal.problem_marker(self.page)}
        )
        if found == "problem":
            raise self.problem()

    def login(self) -> None:
        login = LoginPage(self.page)
        attempts = CAPTCHA_ATTEMPTS
        self.standing = login.standing_texts()
        for attempt in range(1, attempts + 1):
            self.fill_credentials(login, first=attempt == 1)
            login.mark_messages_seen()
            self.console.step(t("Esperando el código de la imagen (captcha)…"))
            self.log(f"código: intento {attempt} de {attempts}")
            self.solver.ask(login, attempt, attempts)
            outcome = self.login_outcome(login)
            self.log(f"resultado del inicio de sesión: {outcome.value}")
            if outcome is Outcome.LOGGED_IN:
                self.console.step(t("Sesión iniciada."))
                return
            if outcome in portal.RETRYABLE:
                # Safe to try again: the portal turned the code down before it looked at the password.
                if attempt < attempts:
                    self.console.say(t("El código no coincidió. El portal mostró un código nuevo."))
                continue
            raise login_error(outcome, self, self.login_message(login))
        raise CaptchaNotSolved(
            t("El código de la imagen no coincidió {attempts} veces.", attempts=attempts),
            hint=t("Vuelve a ejecutar el comando y escribe el código con calma (no distingue mayúsculas)."),
        )

    def fill_credentials(self, login: LoginPage, *, first: bool) -> None:
        """NSS and password, typed once per page: a page that cleared them gets them again."""
        if first or login.nss.input_value() != self.credentials.nss:
            login.nss.fill(self.credentials.nss)
        if first or not login.password.input_value():
            login.password.fill(self.credentials.password)
        login.nss.evaluate("e => e.setAttribute('data-infonavit-fetch-filled', '')")
        self.log("NSS y contraseña escritos en el formulario")

    def login_outcome(self, login: LoginPage) -> Outcome:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        fresh_form = login.nss.and_(self.page.locator(":not([data-infonavit-fetch-filled])"))
        try:
            found = self.wait_for_any(
                {
                    "in": portal.logged_in_marker(self.page),  # the usual answer first: one look
                    "message": login.messages.first,
                    "problem": portal.problem_marker(self.page),
                    "fresh-form": fresh_form,
                },
                timeout_ms=self.solver.wait_seconds * 1000,
            )
        except PlaywrightTimeout:
            if not self.solver.submits:
                raise CaptchaNotSolved(
                    t("Se agotó el tiempo para escribir el código en el navegador."),
                    hint=t("Vuelve a ejecutar el comando cuando puedas escribirlo (o usa --captcha-timeout)."),
                ) from None
            if self.last_status >= 400:
                raise self.problem() from None
            raise PortalChanged(
                t("Después de pulsar «{p0}» el portal no mostró ni el menú ni un mensaje conocido.", p0=Label.LOGIN),
                hint=t("Puede que el portal haya cambiado. Usa --debug-dir y comparte la carpeta."),
            ) from None
        if found == "in":
            return Outcome.LOGGED_IN
        if found == "problem":
            raise self.problem()
        if found == "message":
            said = [text for text in login.message_texts() if text not in self.standing]
            self.log(f"mensaje del portal: {said!r}")
            return portal.classify_answer(said)
        self.log(f"el portal volvió a mostrar el formulario; mensaje: {self.login_message(login)!r}")
        return Outcome.UNKNOWN

    def login_message(self, login: LoginPage) -> str:
        """Whatever the login page says in an alert, to quote it when its meaning is unknown."""
        alert = self.page.get_by_role("alert").filter(visible=True).first
        try:
            return alert.inner_text(timeout=1000).strip() if alert.count() else ""
        except Exception:
            return ""

    def go_to_mi_espacio(self) -> MiEspacio:
        self.console.step(t("Entrando a «{p0}»…", p0=Label.MI_ESPACIO))
        steps: list[tuple[str, Callable[[Page], Locator], str]] = [
            (Label.MENU_CREDIT, lambda page: portal.clickable(page, Label.REQUEST_STATUS), Label.REQUEST_STATUS),
            (
                Label.REQUEST_STATUS,
                lambda page: portal.clickable(page, Label.MI_ESPACIO, exact=False),
                Label.MI_ESPACIO,
            ),
            (Label.MI_ESPACIO, lambda page: MiEspacio(page).loaded, Label.MI_ESPACIO),
        ]
        for target_label, expect, expect_label in steps:
            exact = target_label != Label.MI_ESPACIO
            self.click_step(portal.clickable(self.page, target_label, exact=exact), target_label, expect, expect_label)
        return MiEspacio(self.page)

    def click_step(
        self, target: Locator, target_label: str, expect: Callable[[Page], Locator], expect_label: str
    ) -> None:
        """Click what a person would click, then wait for what they would see next.

        The target is what the step before waited for, so it is on screen; should it be gone, the wait
        below says what the page shows instead.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self.log(f"clic en «{target_label}»")
        self.new_pages.clear()
        self.follow_new_pages = True  # a script may open a tab, and say so only a moment after the click
        try:
            try:
                target.click()
            except PlaywrightTimeout:
                self.await_on_page(target, target_label)
                raise
            for _ in range(2):
                if self.new_pages:
                    self.log(f"«{target_label}» abrió una pestaña nueva")
                    self.page = self.new_pages.pop()
                    self.watch(self.page)
                    self.follow_new_pages = False
                try:
                    self.await_on_page(expect(self.page), expect_label, after=target_label)
                    return
                except _TabOpened:
                    continue
        finally:
            self.follow_new_pages = False

    def await_on_page(self, wanted: Locator, label: str, after: str = "", retried: bool = False) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            found = self.wait_for_any(
                {"ok": wanted, "problem": portal.problem_marker(self.page), "login": LoginPage(self.page).nss}
            )
        except PlaywrightTimeout:  # (a foreign host has already been raised by wait_for_any)
            if self.last_status >= 400:
                found = "problem"
            else:
                where = t(" después de «{after}»", after=after) if after else ""
                raise PortalChanged(
                    t("No se encontró «{label}» en el portal{where}.", label=label, where=where),
                    hint=t(
                        "Puede que el portal haya cambiado o esté muy lento. Intenta con un --timeout mayor; "
                        "si se repite, usa --debug-dir y comparte la carpeta."
                    ),
                ) from None
        if found == "login":
            raise SessionExpired()
        if found == "problem":
            # Reloading a page that failed to load is safe; a form submission is never repeated.
            if not retried and self.last_status >= 500 and self.last_method == "GET" and not self.foreign_url:
                self.log(f"la página falló (HTTP {self.last_status}); se vuelve a cargar una vez")
                self.page.reload(wait_until="domcontentloaded")
                self.await_on_page(wanted, label, after, retried=True)
                return
            raise self.problem()

    def fetch_notice(self, espacio: MiEspacio) -> bytes:
        stage = espacio.current_stage()
        self.log(f"etapa actual: {stage!r}")
        if stage and not portal.is_formaliza(stage):
            raise NoticeNotReady(
                t(
                    "Tu crédito está en la etapa «{stage}». El aviso aparece hasta la etapa «{p1}».",
                    stage=stage,
                    p1=Label.STAGE_FORMALIZA,
                ),
                hint=t("Vuelve a intentarlo cuando tu crédito avance; el portal te avisa cuando cambia de etapa."),
            )
        if not espacio.print_button.is_visible():
            if espacio.indicaciones.is_visible():
                self.log(f"clic en «{Label.INDICACIONES}»")
                espacio.indicaciones.click()
            else:
                raise PortalChanged(
                    t(
                        "En «{p0}» no aparecen «{p1}» ni «{p2}».",
                        p0=Label.MI_ESPACIO,
                        p1=Label.INDICACIONES,
                        p2=Label.PRINT,
                    ),
                    hint=t(
                        "Revisa en el portal en qué etapa está tu crédito; si está en «{p0}», "
                        "usa --debug-dir y comparte la carpeta.",
                        p0=Label.STAGE_FORMALIZA,
                    ),
                )
            self.await_on_page(espacio.print_button, Label.PRINT, after=Label.INDICACIONES)
        self.console.step(t("Descargando el aviso…"))
        button = espacio.print_button
        return capture_pdf(
            self.context,
            self.page,
            lambda: button.click(),
            portal_url=self.settings.portal_url,
            timeout_ms=self.settings.timeout_ms,
            log=self.log,
        )

    # --- traces (only after login: they would hold whatever is typed while they run) --------------

    def start_trace(self) -> None:
        if self.settings.trace and self.settings.debug_dir is not None:
            self.context.tracing.start(screenshots=True, snapshots=True)
            self.log("traza de Playwright iniciada (después del inicio de sesión)")

    def stop_trace(self, folder: Path | None) -> None:
        if not self.settings.trace or folder is None:
            return
        path = folder / f"traza-{len(self.traces) + 1}.zip"
        try:
            self.context.tracing.stop(path=str(path))
        except Exception as exc:
            self.log(f"no se pudo guardar la traza: {exc.__class__.__name__}")
            return
        redact_zip(path, self.log.redactor)
        self.traces.append(path)


def unavailable(outcome: Outcome, status: int) -> PortalUnavailable:
    if outcome is Outcome.MAINTENANCE:
        return PortalUnavailable(
            t("El portal Mi Cuenta Infonavit está en mantenimiento."),
            hint=t("Intenta más tarde; el mantenimiento suele durar unas horas."),
        )
    if outcome is Outcome.ACCESS_DENIED:
        return PortalUnavailable(
            t("El portal negó el acceso («Access Denied»): su filtro de seguridad bloqueó la conexión."),
            hint=t(
                "Espera unos minutos e intenta de nuevo. Si usas VPN o una red de oficina, prueba sin ella o desde "
                "otra red."
            ),
        )
    code = f" (HTTP {status})" if status else ""
    return PortalUnavailable(
        t("El portal respondió con un error del servidor{code}.", code=code),
        hint=t("Es una falla del portal, no de tus datos. Intenta de nuevo más tarde."),
    )


def foreign_host_error(url: str) -> ForeignHost:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or url
    return ForeignHost(
        t(
            "El portal intentó llevar el navegador a «{host}», que no es un sitio del Infonavit; por seguridad "
            "se detuvo la descarga.",
            host=host,
        ),
        hint=t(
            "Revisa la dirección del portal (--portal-url). Si no la cambiaste, intenta más tarde y no escribas "
            "tus datos en ese sitio."
        ),
    )


def login_error(outcome: Outcome, run: Run, message: str = "") -> FetchError:
    if outcome is Outcome.BAD_CREDENTIALS:
        return CredentialsRejected(
            t("El portal rechazó el NSS o la contraseña."),
            hint=t(
                "Revisa tu contraseña entrando tú al portal. infonavit-fetch solo intenta una vez por ejecución para "
                "no bloquear tu cuenta."
            ),
        )
    if outcome is Outcome.BLOCKED:
        return AccountNeedsAttention(
            t("El portal dice que tu cuenta está bloqueada."),
            hint=t(
                "Desbloquéala desde el portal («¿Olvidaste tu contraseña?») o llamando a Infonavitel (800 008 3900) "
                "y vuelve a intentarlo."
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
        said = t(" y mostró: «{message}»", message=message) if message else ""
        return PortalChanged(
            t("El portal no aceptó el inicio de sesión{said}.", said=said),
            hint=t(
                "No se reconoce ese mensaje, así que no se volvió a enviar la contraseña para no bloquear tu "
                "cuenta. Revisa tus datos entrando tú al portal y vuelve a intentarlo."
            ),
        )
    return run.problem()


# --- the whole run --------------------------------------------------------------------------------


def download(
    settings: Settings, credentials: Credentials, solver: CaptchaSolver, console: Console, log: StepLog
) -> CheckedPdf:
    """Log in, walk to the notice and return it checked; the browser is closed whatever happens."""
    from playwright.sync_api import Error as PlaywrightError

    redactor = log.redactor
    # pypdf checks the PDF at the end; importing it meanwhile, while the main thread mostly waits on the
    # browser, takes its ~0.1 s off the run.
    threading.Thread(target=importlib.import_module, args=("pypdf",), daemon=True).start()
    bundle = new_bundle_dir(settings.debug_dir) if settings.debug_dir else None
    with open_browser(settings, console, log) as context:
        page = context.pages[0] if context.pages else context.new_page()
        run = Run(settings, credentials, solver, console, log, context, page)
        run.watch(page)
        context.on("page", run.on_new_page)
        context.route(lambda url: not portal.portal_host_allowed(url, settings.portal_url), run.guard)
        try:
            run.open_portal()
            run.login()
            run.start_trace()
            for attempt in (1, 2):
                try:
                    espacio = run.go_to_mi_espacio()
                    pdf = run.fetch_notice(espacio)
                    break
                except SessionExpired:
                    if attempt == 2:
                        raise
                    console.say(t("La sesión del portal expiró. Hay que iniciar sesión otra vez."))
                    run.stop_trace(bundle)  # no trace runs while the password is typed
                    try:
                        run.login()
                    except NobodyThere:
                        raise SessionExpired() from None
                    run.start_trace()
            run.stop_trace(bundle)
            return check_pdf(pdf)  # inside: a damaged PDF still leaves the page in the report
        except NobodyThere:
            error: FetchError = CaptchaNotSolved(
                t("No se recibió el código de la imagen: la entrada estándar terminó."),
                hint=t("Ejecuta el comando en una terminal para poder escribir el código."),
            )
            _leave_bundle(run, bundle, redactor)
            error.report = bundle
            raise error from None
        except FetchError as exc:
            _leave_bundle(run, bundle, redactor)
            exc.report = bundle
            raise
        except PlaywrightError as exc:
            _leave_bundle(run, bundle, redactor)
            if run.page.is_closed() or "closed" in str(exc):
                raise Cancelled(
                    t("Se cerró la ventana del navegador antes de terminar."),
                    hint=t("Vuelve a ejecutar el comando y deja la ventana abierta hasta que termine."),
                ) from None
            raise UnexpectedError(
                t("El navegador falló de forma inesperada."),
                hint=t("Detalle: {p0}", p0=redactor.text(str(exc).splitlines()[0])),
            ) from exc
        except BaseException:
            _leave_bundle(run, bundle, redactor)
            raise
        finally:
            if bundle is not None:
                write_log(bundle, log)


def _leave_bundle(run: Run, bundle: Path | None, redactor: Redactor) -> None:
    if bundle is None:
        return
    run.stop_trace(bundle)
    if run.page.is_closed():
        return
    login = LoginPage(run.page)
    masks = [login.nss, login.password, run.page.get_by_text(run.credentials.nss)]
    write_page(bundle, run.page, masks, redactor, run.log)
