"""One download: open the browser, log in (login/), walk to the notice (walk/), check what came back."""

from __future__ import annotations

import functools
import importlib
import threading
from pathlib import Path

from infonavit_fetch.browser.launch import open_browser
from infonavit_fetch.browser.session import Credentials, Run
from infonavit_fetch.cli.console import Console
from infonavit_fetch.cli.settings import Settings
from infonavit_fetch.delivery import Catcher
from infonavit_fetch.errors import Cancelled, CaptchaNotSolved, FetchError, SessionExpired, UnexpectedError
from infonavit_fetch.i18n import t
from infonavit_fetch.login.captcha import CaptchaSolver, NobodyThere
from infonavit_fetch.login.conversation import Login
from infonavit_fetch.login.opening import open_portal
from infonavit_fetch.outputs.diagnostics import Redactor, StepLog, new_bundle_dir, nss_shown, write_log, write_page
from infonavit_fetch.outputs.save import CheckedPdf, check_pdf
from infonavit_fetch.site import portal
from infonavit_fetch.site.portal import LoginPage
from infonavit_fetch.walk.walker import Walk

__all__ = ["Credentials", "download"]


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
    with open_browser(settings, console, log) as (context, printer):
        page = context.pages[0] if context.pages else context.new_page()
        catcher = Catcher(context, settings.portal_url, log, judge=_judge, printer=printer)
        catcher.start()  # from the login on: whoever clicks, the notice is caught
        run = Run(settings, credentials, solver, console, log, context, page, catcher)
        run.watch(page)
        run.tabs.listen()
        context.on("dialog", run.on_dialog)
        context.route(portal.maybe_foreign_rx(settings.portal_url), run.guard)
        login = Login(run)
        try:
            with run.redirects_guarded():  # every login of the run: the secrets are typed then
                open_portal(run)
                login.log_in()
            run.start_trace()
            pdf = _walk_to_notice(run, login, bundle)
            run.stop_trace(bundle)
            return _checked(pdf)  # inside: a damaged PDF still leaves the page in the report
        except NobodyThere:
            error: FetchError = _nobody_to_type_the_code()
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
                raise _window_closed() from None
            raise _browser_failed(exc, redactor) from exc
        except BaseException:
            _leave_bundle(run, bundle, redactor)
            raise
        finally:
            if bundle is not None:
                write_log(bundle, log)


def _walk_to_notice(run: Run, login: Login, bundle: Path | None) -> bytes:
    """The notice's PDF, walked to; a session that expires on the way gets one more login and walk."""
    try:
        return Walk(run).to_notice()
    except SessionExpired:
        run.console.say(t("La sesión del portal expiró. Hay que iniciar sesión otra vez."))
        run.stop_trace(bundle)  # no trace runs while the password is typed
        try:
            with run.redirects_guarded():
                login.log_in()
        except NobodyThere:
            raise SessionExpired() from None
        run.start_trace()
    return Walk(run).to_notice()


def _nobody_to_type_the_code() -> CaptchaNotSolved:
    return CaptchaNotSolved(
        t("No se recibió el código de la imagen: la entrada estándar terminó."),
        hint=t("Ejecuta el comando en una terminal para poder escribir el código."),
    )


def _window_closed() -> Cancelled:
    return Cancelled(
        t("Se cerró la ventana del navegador antes de terminar."),
        hint=t("Vuelve a ejecutar el comando y deja la ventana abierta hasta que termine."),
    )


def _browser_failed(exc: Exception, redactor: Redactor) -> UnexpectedError:
    return UnexpectedError(
        t("El navegador falló de forma inesperada."),
        hint=t("Detalle: {p0}", p0=redactor.text(str(exc).splitlines()[0])),
    )


# The catcher's judgement and the run's last check read the same bytes: parsed once.
_checked = functools.lru_cache(maxsize=4)(check_pdf)


def _judge(data: bytes) -> bool | None:
    """Whether a PDF caught is the notice (by its content), another document, or not a whole PDF."""
    try:
        return _checked(data).reads_like_notice
    except FetchError:
        return None


def _leave_bundle(run: Run, bundle: Path | None, redactor: Redactor) -> None:
    if bundle is None:
        return
    run.stop_trace(bundle)
    if run.page.is_closed():
        return
    login = LoginPage(run.page)
    masks = [login.nss, login.password, nss_shown(run.page, run.credentials.nss)]
    write_page(bundle, run.page, masks, redactor, run.log)
