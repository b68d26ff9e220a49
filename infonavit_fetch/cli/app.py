"""The command line: parses options, runs the job, maps failures to exit codes. Nothing else.

Playwright is imported only inside the commands, so that --help and --version stay fast.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import math
import os
import re
import shlex
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional
from urllib.parse import urlsplit

import typer

if TYPE_CHECKING:
    from infonavit_fetch.job import Saved

from infonavit_fetch import __version__
from infonavit_fetch.cli import invocation
from infonavit_fetch.cli.console import Console
from infonavit_fetch.cli.settings import (
    CAPTCHA_TIMEOUT_RANGE,
    CARE_ADDRESS,
    DEFAULT_CAPTCHA_TIMEOUT,
    DEFAULT_TIMEOUT,
    TIMEOUT_RANGE,
    Settings,
)
from infonavit_fetch.cli.texts import OPTION_CHECKS, Command, Group, usage_failure
from infonavit_fetch.errors import BadInput, Cancelled, FetchError, HungUp, OptionErrors, Terminated, UnexpectedError
from infonavit_fetch.i18n import argv_language, language, set_language, t
from infonavit_fetch.site.portal import DEFAULT_PORTAL_URL, is_loopback, is_portal_address, without_trailing_dot

# The help below is written when this module loads, so `--lang` is read from the command line first.
set_language(argv_language(sys.argv[1:]) or language())

# Each command's help ends here; the exit codes are in the top-level help only (the group's epilog).
EPILOG = t("Los códigos de salida están en: {command} --help", command=invocation.command())

app = typer.Typer(
    name="infonavit-fetch",
    cls=Group,
    help=t("Descarga el «aviso de retención de descuentos» de Mi Cuenta Infonavit en un solo paso."),
    options_metavar=t("[OPCIONES]"),
    subcommand_metavar=t("COMANDO [OPCIONES]..."),
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Language(str, enum.Enum):
    es = "es"
    en = "en"


LangOpt = Annotated[
    Language,
    typer.Option(
        "--lang",
        envvar="INFONAVIT_LANG",
        metavar="es|en",
        show_default=False,
        show_envvar=False,
        help=t("Idioma de los mensajes (también INFONAVIT_LANG)."),
    ),
]


class RouteChoice(str, enum.Enum):
    auto = "auto"
    formaliza = "formaliza"
    mi_credito = "mi-credito"


RouteOpt = Annotated[
    RouteChoice,
    typer.Option(
        "--route",
        metavar=t("CAMINO"),
        show_default=False,
        help=t("Por dónde buscar el aviso: auto (según la etapa; por omisión), formaliza o mi-credito."),
    ),
]


class CaptchaMode(str, enum.Enum):
    browser = "browser"
    terminal = "terminal"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"infonavit-fetch {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool],  # noqa: UP045 - typer reads the annotation at run time on Python 3.10
        typer.Option("--version", callback=_version, is_eager=True, help=t("Muestra la versión y termina.")),
    ] = None,
) -> None:
    pass  # the group's help is the app's (above), in the current language


# The help of each option says its default and range in words: typer's own «[por omisión: …; x>=1]» is off.
OutOpt = Annotated[
    Path,
    typer.Option(
        "--out",
        "-o",
        metavar=t("CARPETA"),
        show_default=False,
        help=t("Carpeta del PDF (por omisión, la actual)."),
    ),
]
CaptchaOpt = Annotated[
    Optional[CaptchaMode],  # noqa: UP045
    typer.Option(
        "--captcha",
        metavar="browser|terminal",
        show_default=False,
        help=t("Dónde escribes el código (por omisión, browser; con --headless, terminal)."),
    ),
]
HeadlessOpt = Annotated[bool, typer.Option("--headless", help=t("Navegador oculto; el código se pide aquí."))]
BrowserOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--browser-path",
        envvar="INFONAVIT_BROWSER_PATH",
        metavar=t("RUTA"),
        show_envvar=False,
        help=t("Chrome, Edge o Chromium a usar (o INFONAVIT_BROWSER_PATH)."),
    ),
]
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar=t("SEG"),
        show_default=False,
        help=t(
            "Espera por paso del portal: entre {low} y {high} segundos (por omisión, {usual}).",
            low=TIMEOUT_RANGE[0],
            high=TIMEOUT_RANGE[1],
            usual=round(DEFAULT_TIMEOUT),
        ),
    ),
]
CaptchaTimeoutOpt = Annotated[
    float,
    typer.Option(
        "--captcha-timeout",
        metavar=t("SEG"),
        show_default=False,
        help=t(
            "Tiempo para cada código: entre {low} y {high} segundos (por omisión, {usual}).",
            low=CAPTCHA_TIMEOUT_RANGE[0],
            high=CAPTCHA_TIMEOUT_RANGE[1],
            usual=round(DEFAULT_CAPTCHA_TIMEOUT),
        ),
    ),
]
DebugOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--debug-dir",
        metavar=t("CARPETA"),
        help=t("Informe para reportar fallas (sin contraseña ni NSS completo)."),
    ),
]
TraceOpt = Annotated[
    bool,
    typer.Option("--trace", help=t("Añade al informe una traza (lleva cookies de sesión).")),
]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help=t("Muestra cada paso mientras ocurre."))]
JsonOpt = Annotated[bool, typer.Option("--json", help=t("Salida en JSON: la ruta y los datos del aviso."))]
EmailDraftOpt = Annotated[
    bool,
    typer.Option("--email-draft", help=t("Borrador de correo (.eml) con el aviso adjunto.")),
]
EmailToOpt = Annotated[
    str,
    typer.Option(
        "--email-to",
        metavar=t("CORREO"),
        show_default=False,
        help=t("Para quién es el correo (por omisión, CARE)."),
    ),
]
OpenOpt = Annotated[
    Optional[bool],  # noqa: UP045 - None: the folder opens only for a person watching on a desktop
    typer.Option(
        "--open/--no-open",
        show_default=False,
        help=t("Abre el PDF y el borrador (--no-open: nada)."),
    ),
]
EmailComposeOpt = Annotated[
    bool,
    typer.Option("--email-compose", help=t("Abre un correo nuevo para adjuntar el PDF.")),
]


class Webmail(str, enum.Enum):
    gmail = "gmail"
    outlook = "outlook"


WebmailOpt = Annotated[
    Optional[Webmail],  # noqa: UP045
    typer.Option(
        "--webmail",
        metavar="gmail|outlook",
        show_default=False,
        help=t("Ese correo en Gmail u Outlook.com."),
    ),
]
TracebackOpt = Annotated[bool, typer.Option("--traceback", help=t("Muestra el detalle técnico de un error."))]


@app.command(
    cls=Command,
    epilog=EPILOG,
    options_metavar=t("[OPCIONES]"),
    short_help=t("Inicia sesión (tú escribes el código) y guarda el aviso en PDF."),
    help=t(
        "Inicia sesión (tú escribes el código de la imagen) y guarda el aviso en PDF. La contraseña se toma de "
        "INFONAVIT_PASSWORD o del archivo .env, o se pregunta sin mostrarse; nunca de la línea de comandos."
    ),
)
def download(
    out: OutOpt = Path("."),
    nss: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--nss", metavar="NSS", help=t("Tu NSS; si no, INFONAVIT_NSS, el .env o se pide.")),
    ] = None,
    env_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--env-file",
            metavar=t("ARCHIVO"),
            help=t("Otro archivo .env (por omisión, el de aquí)."),
        ),
    ] = None,
    captcha: CaptchaOpt = None,
    route: RouteOpt = RouteChoice.auto,
    headless: HeadlessOpt = False,
    portal_url: Annotated[
        str,
        typer.Option(
            "--portal-url",
            metavar="URL",
            show_default=False,
            help=t("Inicio del portal (por omisión, el real)."),
        ),
    ] = DEFAULT_PORTAL_URL,
    browser_path: BrowserOpt = None,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    captcha_timeout: CaptchaTimeoutOpt = DEFAULT_CAPTCHA_TIMEOUT,
    debug_dir: DebugOpt = None,
    trace: TraceOpt = False,
    json_output: JsonOpt = False,
    email_draft: EmailDraftOpt = False,
    email_to: EmailToOpt = CARE_ADDRESS,
    email_compose: EmailComposeOpt = False,
    webmail: WebmailOpt = None,
    open_files: OpenOpt = None,
    verbose: VerboseOpt = False,
    show_traceback: TracebackOpt = False,
    lang: LangOpt = Language.es,
) -> None:
    set_language(lang.value)
    console = Console(verbose=verbose)
    outputs = _outputs(email_draft, email_to, email_compose, webmail, open_files, json_output)
    browser = BrowserOptions(
        out=out,
        captcha=captcha,
        headless=headless,
        portal_url=portal_url,
        browser_path=browser_path,
        timeout=timeout,
        captcha_timeout=captcha_timeout,
        debug_dir=debug_dir,
        trace=trace,
    )
    job = functools.partial(_download_job, console, outputs, browser, nss=nss, env_file=env_file, route=route)
    _run(job, console, show_traceback, debug_dir, json_output)


def _download_job(
    console: Console,
    outputs: Outputs,
    browser: BrowserOptions,
    *,
    nss: str | None,
    env_file: Path | None,
    route: RouteChoice,
) -> Saved:
    """The download the command line asked for, done on the thread that owns the browser driver."""
    from infonavit_fetch import job as run_job
    from infonavit_fetch.login import credentials

    # The options, the .env and a given NSS were checked as the command line was read (_option_problems).
    nss_value, password = credentials.resolve(nss_option=nss, env=os.environ, env_file=env_file, console=console)
    settings = replace(_settings(console, outputs, browser), route=route.value)
    credentials.forget(os.environ)  # the driver and the browser start without the secrets
    return run_job.download_and_save(settings, nss_value, password, console)


@app.command(
    cls=Command,
    epilog=EPILOG,
    options_metavar=t("[OPCIONES]"),
    short_help=t("Prueba todo sin cuenta, con un portal de prueba."),
    help=t("Prueba todo sin cuenta: abre un portal de prueba en tu computadora y descarga su aviso."),
)
def demo(
    auto: Annotated[
        bool, typer.Option("--auto", help=t("El código lo contesta la demo (para equipos sin nadie al teclado)."))
    ] = False,
    out: OutOpt = Path("."),
    delivery: Annotated[
        str,
        typer.Option(
            "--delivery",
            metavar=t("FORMA"),
            show_default=False,
            help=t("Cómo entrega el PDF el portal de prueba (p. ej. inline-new-tab, attachment, blob)."),
        ),
    ] = "inline-new-tab",
    captcha: CaptchaOpt = None,
    headless: HeadlessOpt = False,
    browser_path: BrowserOpt = None,
    timeout: TimeoutOpt = DEFAULT_TIMEOUT,
    captcha_timeout: CaptchaTimeoutOpt = DEFAULT_CAPTCHA_TIMEOUT,
    debug_dir: DebugOpt = None,
    trace: TraceOpt = False,
    json_output: JsonOpt = False,
    email_draft: EmailDraftOpt = False,
    email_to: EmailToOpt = CARE_ADDRESS,
    email_compose: EmailComposeOpt = False,
    webmail: WebmailOpt = None,
    open_files: OpenOpt = None,
    verbose: VerboseOpt = False,
    show_traceback: TracebackOpt = False,
    lang: LangOpt = Language.es,
) -> None:
    set_language(lang.value)
    console = Console(verbose=verbose)
    outputs = _outputs(email_draft, email_to, email_compose, webmail, open_files, json_output)

    def job() -> Saved:
        from infonavit_fetch import job as run_job

        browser = BrowserOptions(
            out=out,
            captcha=captcha,
            headless=headless,
            portal_url="http://127.0.0.1/",  # the mock's own address replaces it once it has started
            browser_path=browser_path,
            timeout=timeout,
            captcha_timeout=captcha_timeout,
            debug_dir=debug_dir,
            trace=trace,
        )
        return run_job.demo(_settings(console, outputs, browser, auto=auto), console, delivery=delivery, auto=auto)

    _run(job, console, show_traceback, debug_dir, json_output, demo=True)


@app.command(
    cls=Command,
    options_metavar=t("[OPCIONES]"),
    short_help=t("Revisa si esta computadora está lista."),
    epilog=EPILOG,
    help=t(
        "Revisa si esta computadora está lista: Python, dependencias, navegador, pantalla, carpeta, .env, portal."
        "\n\nSale con 0 si todo lo necesario está bien; si algo falla, con el código de la primera ✗: 2 (falta "
        "el navegador o el .env está mal), 6 (sin conexión o portal no disponible), 9 (la carpeta no se puede "
        "escribir), 1 (Python o dependencias)."
    ),
)
def doctor(
    out: OutOpt = Path("."),
    env_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--env-file", metavar=t("ARCHIVO"), help=t("Archivo .env a revisar (por omisión, el de aquí).")),
    ] = None,
    browser_path: BrowserOpt = None,
    portal_url: Annotated[
        str,
        typer.Option(
            "--portal-url", metavar="URL", show_default=False, help=t("Portal a probar (por omisión, el real).")
        ),
    ] = DEFAULT_PORTAL_URL,
    offline: Annotated[bool, typer.Option("--offline", help=t("No revisa si el portal responde."))] = False,
    lang: LangOpt = Language.es,
) -> None:
    from infonavit_fetch.cli.console import fit, terminal_width
    from infonavit_fetch.cli.doctor import run_doctor

    set_language(lang.value)

    def say(text: str) -> None:  # at most 80 columns, or the terminal's width if narrower
        typer.echo(fit(text, min(terminal_width(sys.stdout) or 80, 80)))

    ready = run_doctor(
        out=out.expanduser().resolve(),
        env_file=(env_file or Path.cwd() / ".env").expanduser(),
        browser_path=browser_path,
        portal_url=without_trailing_dot(portal_url),
        offline=offline,
        say=say,
    )
    code = ready  # 0, or the exit code of the first needed check that failed
    say(t("Todo listo.") if code == 0 else t("Hay algo que arreglar (ver ✗ arriba)."))
    raise typer.Exit(code)


# A report (--debug-dir) helps only where the portal did something unforeseen: an unexpected error, the
# portal unavailable, the portal looking different. Not for bad input, a wrong password or code, a folder.
REPORT_HELPS = (UnexpectedError.exit_code, 6, 8)


@dataclass(frozen=True)
class Outputs:
    email_to: str | None
    open_files: bool
    compose_to: str | None = None
    compose_with: str = "mailto"
    show_folder: bool = False


def _outputs(
    email_draft: bool,
    email_to: str,
    email_compose: bool,
    webmail: Webmail | None,
    open_files: bool | None,
    json_output: bool,
) -> Outputs:
    """What the run leaves ready at its end. Unasked (neither --open nor --no-open), the PDF's folder opens
    only where a person reads the result on a terminal: a script that reads the path (standard output to a
    pipe or a file) or --json sees no window open."""
    return Outputs(
        email_to if email_draft else None,
        bool(open_files),
        compose_to=email_to if email_compose or webmail else None,
        compose_with=webmail.value if webmail else "mailto",
        show_folder=open_files is None and not json_output and _is_terminal(sys.stdout),
    )


@dataclass(frozen=True)
class BrowserOptions:
    """What the command line asks of the browser's run: the PDF's folder, where the code is typed, the
    portal, the browser and its waits, the report."""

    out: Path
    captcha: CaptchaMode | None
    headless: bool
    portal_url: str
    browser_path: str | None
    timeout: float
    captcha_timeout: float
    debug_dir: Path | None
    trace: bool


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def _settings(console: Console, outputs: Outputs, browser: BrowserOptions, *, auto: bool = False) -> Settings:
    from infonavit_fetch.outputs.opener import has_display

    no_display = not browser.headless and not has_display()
    headless = browser.headless or no_display
    mode = (browser.captcha or (CaptchaMode.terminal if headless else CaptchaMode.browser)).value
    if no_display:
        where = "" if auto else t(" y el código se pedirá aquí")
        console.say(t("No hay pantalla: el navegador trabajará oculto{where}.", where=where))
    if browser.trace:
        console.warn(
            t("la traza de Playwright guarda las cookies de tu sesión: compártela solo con quien la revisará.")
        )
    extra = tuple(shlex.split(os.environ.get("INFONAVIT_BROWSER_ARGS", "")))
    return replace(
        Settings(),
        portal_url=without_trailing_dot(browser.portal_url),
        out_dir=browser.out.expanduser().resolve(),
        browser_path=browser.browser_path,
        headless=headless,
        captcha_mode=mode,
        timeout=browser.timeout,
        captcha_timeout=browser.captcha_timeout,
        debug_dir=browser.debug_dir.expanduser().resolve() if browser.debug_dir else None,
        trace=browser.trace,
        extra_browser_args=extra,
        email_to=outputs.email_to,
        open_files=outputs.open_files,
        compose_to=outputs.compose_to,
        compose_with=outputs.compose_with,
        show_folder=outputs.show_folder,
    )


SINGLE_ADDRESS = re.compile(r"[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"']+")


def _check_seconds(option: str, value: float, bounds: tuple[int, int], usual: float) -> None:
    low, high = bounds
    if not (math.isfinite(value) and low <= value <= high):  # nan fails every comparison
        raise BadInput(
            t(
                "{option} debe ser un número de segundos entre {low} y {high} (se recibió {value}).",
                option=option,
                low=low,
                high=high,
                value=value,
            ),
            hint=t("Por ejemplo {option} {p0:.0f}", option=option, p0=usual),
        )


def _check_portal_url(portal_url: str) -> None:
    parts = urlsplit(portal_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(
            t("La dirección del portal no es válida: {portal_url}", portal_url=portal_url),
            hint=t("Debe empezar con https://"),
        )
    if parts.scheme != "https" and not is_loopback(parts.hostname):
        raise BadInput(
            t("La dirección del portal no usa https: {portal_url}", portal_url=portal_url),
            hint=t("Por seguridad solo se acepta https (o http hacia esta misma computadora, para pruebas)."),
        )
    if not is_portal_address(portal_url):
        raise BadInput(
            t("La dirección del portal no es un sitio del Infonavit: {portal_url}", portal_url=portal_url),
            hint=t(
                "Usa la dirección de Mi Cuenta Infonavit ({p0}) o no pongas --portal-url; para pruebas, una "
                "dirección de esta misma computadora.",
                p0=DEFAULT_PORTAL_URL,
            ),
        )


def _check_email_to(address: str) -> None:
    if not SINGLE_ADDRESS.fullmatch(address):
        raise BadInput(
            t("--email-to debe ser una sola dirección de correo: {p0!r}", p0=address),
            hint=t("Por ejemplo --email-to {p0}", p0=CARE_ADDRESS),
        )
    if not address.isascii():
        # An address with ñ or accents needs SMTPUTF8 (RFC 6531), which an .eml draft cannot promise.
        raise BadInput(
            t("--email-to tiene letras con acento o ñ: {p0!r}", p0=address),
            hint=t("Escribe la dirección como la da tu empresa, sin acentos ni ñ; por ejemplo {p0}", p0=CARE_ADDRESS),
        )


def _check_run(params: dict[str, Any], *, auto: bool) -> None:
    """The captcha can be answered where the run will happen: a screen for the browser, a terminal for
    the terminal. Stop before the browser starts: it could only fail at the code."""
    from infonavit_fetch.outputs.opener import has_display

    captcha, headless = params.get("captcha"), params.get("headless", False)
    no_display = not headless and not has_display()
    if no_display and captcha is CaptchaMode.browser:
        raise BadInput(t("--captcha browser necesita una pantalla y aquí no hay."), hint=t("Usa --captcha terminal."))
    if captcha is CaptchaMode.browser and headless:
        raise BadInput(
            t("--captcha browser necesita un navegador visible."), hint=t("Quita --headless o usa --captcha terminal.")
        )
    terminal = captcha is CaptchaMode.terminal or (captcha is None and (headless or no_display))
    if terminal and not auto and not Console().can_answer:
        raise BadInput(
            t("No hay pantalla ni una terminal donde escribir el código de la imagen.")
            if no_display
            else t("No hay una terminal donde escribir el código de la imagen."),
            hint=t("Ejecuta el comando en una terminal (o en una computadora con pantalla, sin --headless)."),
        )


def _option_problems(params: dict[str, Any], command: str) -> list[BadInput]:
    """Every problem with a command's options (and, for a download, with the NSS and the .env), found as
    the command line is read: all are said at once, before anything is asked or the browser opens.
    A value the command line already refused is missing from `params` and not checked again."""
    checks: list[Callable[[], None]] = []
    if "portal_url" in params:
        checks.append(lambda: _check_portal_url(params["portal_url"]))
    if "timeout" in params:
        checks.append(lambda: _check_seconds("--timeout", params["timeout"], TIMEOUT_RANGE, DEFAULT_TIMEOUT))
    if "captcha_timeout" in params:
        checks.append(
            lambda: _check_seconds(
                "--captcha-timeout", params["captcha_timeout"], CAPTCHA_TIMEOUT_RANGE, DEFAULT_CAPTCHA_TIMEOUT
            )
        )
    if "email_to" in params:
        checks.append(lambda: _check_email_to(params["email_to"]))
    if params.get("trace") and params.get("debug_dir") is None:

        def trace_needs_a_folder() -> None:
            raise BadInput(
                t("--trace necesita --debug-dir."), hint=t("Indica la carpeta del informe con --debug-dir CARPETA.")
            )

        checks.append(trace_needs_a_folder)
    problems: list[BadInput] = []
    for check in checks:
        try:
            check()
        except BadInput as exc:
            problems.append(exc)
    if command == "download":  # then the NSS and the password, as far as they are known without asking
        from infonavit_fetch.browser import driver
        from infonavit_fetch.login import credentials

        problems += credentials.problems(
            nss_option=params.get("nss"), env=driver.environment(), env_file=params.get("env_file"), console=Console()
        )
    if command != "doctor" and "captcha" in params and "headless" in params:  # and where the code is typed
        try:
            _check_run(params, auto=bool(params.get("auto")))
        except BadInput as exc:
            problems.append(exc)
    return problems


for _command in ("download", "demo", "doctor"):
    OPTION_CHECKS[_command] = functools.partial(_option_problems, command=_command)


# While the command line is read beside the browser driver's start (see start.py), the job it asks for is
# left here, to be done on the thread that owns the driver.
_deferral = threading.local()


def _run(
    job: Callable[[], Saved],
    console: Console,
    show_traceback: bool,
    debug_dir: Path | None,
    json_output: bool,
    *,
    demo: bool = False,
) -> None:
    act = functools.partial(_act, job, console, show_traceback, debug_dir, json_output, demo=demo)
    later: list[Callable[[], None]] | None = getattr(_deferral, "later", None)
    if later is not None:
        later.append(act)
    else:
        act()


def _act(
    job: Callable[[], Saved],
    console: Console,
    show_traceback: bool,
    debug_dir: Path | None,
    json_output: bool,
    *,
    demo: bool,
) -> None:
    from infonavit_fetch.cli.interrupts import handled

    started = time.monotonic()
    try:
        with handled():
            saved = job()
    except KeyboardInterrupt as exc:
        error: FetchError = _cancelled(getattr(exc, "name", "SIGINT"))
        with contextlib.suppress(OSError):  # a closed terminal (SIGHUP) has nowhere to show it
            _report(console, error, show_traceback, debug_dir)
        raise typer.Exit(error.exit_code) from None
    except FetchError as exc:
        _report(console, exc, show_traceback, debug_dir)
        raise typer.Exit(exc.exit_code) from None
    except Exception as exc:
        error = UnexpectedError(
            t("Ocurrió un error inesperado ({p0}).", p0=exc.__class__.__name__),
            hint=t("Vuelve a intentarlo. Si se repite, ejecuta con --traceback y comparte lo que aparezca."),
        )
        _report(console, error, show_traceback, debug_dir)
        raise typer.Exit(error.exit_code) from None
    console.say(t("Listo en {took}.", took=_duration(time.monotonic() - started)))
    if saved.shown.mail:
        console.say(
            t(
                "Siguiente paso: en el correo que se abrió, adjunta el PDF (arrástralo desde su carpeta) y pulsa "
                "«Enviar»."
            )
        )
    elif saved.draft is not None:
        console.say(t("Siguiente paso: abre el borrador {draft} y pulsa «Enviar».", draft=saved.draft))
    elif demo:
        console.say(t("Siguiente paso: con tu cuenta, {command} download --email-draft", command=invocation.command()))
    else:
        console.say(t("Siguiente paso: envía el PDF a CARE ({address}).", address=CARE_ADDRESS))
    # The last lines give the PDF's full path: on a terminal, the result line itself (standard output,
    # which stays the path alone) follows its label; elsewhere the label carries the path.
    if not json_output and _is_terminal(console.stdout):
        console.say(t("El aviso quedó en:"))
    else:
        console.say(t("El aviso quedó en: {path}", path=saved.path))
    console.result(saved.as_json() if json_output else str(saved.path))


def _cancelled(signal_name: str) -> Cancelled:
    """Ctrl-C, or the system or a closed terminal asking the tool to end: the same cleanup, its own code."""
    kind = {"SIGTERM": Terminated, "SIGHUP": HungUp}.get(signal_name)
    hint = t("No se guardó nada. Para intentarlo otra vez, vuelve a ejecutar el comando.")
    if kind is None:
        return Cancelled(t("Cancelado."), hint=hint)
    return kind(t("Cancelado: se recibió la señal {name}.", name=signal_name), hint=hint)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60)} s"


def _report(console: Console, error: FetchError, show_traceback: bool, debug_dir: Path | None) -> None:
    console.close()
    if console.prompt_open:  # Ctrl-C at a question: the message goes on a line of its own
        console.say("")
        console.prompt_open = False
    if show_traceback and isinstance(error, OptionErrors):  # each problem where it was found
        for found in error.errors:
            console.say("".join(traceback.format_exception(type(found), found, found.__traceback__)).rstrip())
    elif show_traceback:
        console.say(traceback.format_exc().rstrip())
    hints: set[str] = set()
    each: FetchError
    for each in error.errors if isinstance(error, OptionErrors) else [error]:
        console.say(f"✗ {each.message}")
        if each.hint and each.hint not in hints:  # several option errors may share «see --help»
            console.say(f"  {each.hint}")
            hints.add(each.hint)
    if error.report is not None:  # only a report that was written (not one whose folder failed)
        console.say(t("  Informe para reportar la falla en: {p0}", p0=error.report))
    elif error.exit_code in REPORT_HELPS:
        console.say(t("  Para un informe que puedas compartir, vuelve a ejecutar con --debug-dir CARPETA."))
    console.say(t("  (código de salida {p0})", p0=error.exit_code))


def run() -> None:
    sys.exit(_exit_code(lambda: app(standalone_mode=False)))


def read_command_line() -> Callable[[], int]:
    """Read the command line (usage errors are said at once) and return what it asks for, not yet done:
    the caller does it on its own thread, where the browser driver lives. The call returns the exit code."""
    later: list[Callable[[], None]] = []
    _deferral.later = later
    try:
        code = _exit_code(lambda: app(standalone_mode=False))
    finally:
        _deferral.later = None
    if later:
        return functools.partial(_exit_code, later[0])
    return lambda: code


def cancelled_before_start() -> int:
    """Ctrl-C while the tool was still starting: said as any cancellation."""
    error = _cancelled("SIGINT")
    _report(Console(), error, False, None)
    return error.exit_code


def _exit_code(call: Callable[[], object]) -> int:
    try:
        code = call()
    except typer.Exit as exc:  # a job done outside typer (read_command_line) ends this way
        return int(exc.exit_code)
    except typer.TyperException as exc:  # an option typer/click could not take
        if type(exc).__name__ == "NoArgsIsHelpError":  # no command given: the help says what there is
            typer.echo(exc.message)
            return 2
        error = usage_failure(exc)
        _report(Console(), error, False, None)
        return error.exit_code
    except FetchError as exc:  # the options' problems, found as they were read (texts.Command.parse_args)
        _report(Console(), exc, isinstance(exc, OptionErrors) and exc.show_traceback, None)
        return exc.exit_code
    except typer.Abort:
        return Cancelled.exit_code
    return code if isinstance(code, int) else 0
