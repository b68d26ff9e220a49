"""Every failure an employee can meet: the exit code, a message naming the cause and the next step,
no file left in the output folder, no traceback, and no browser left running.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from fixtures.mock_portal import MockPortal
from tests.cli import CTRL_C, EOF, RIGHT, WAIT, WRONG, Cli, wait_browser_gone
from tests.promises import assert_password_policy

HEADLESS = ["--headless", "--captcha", "terminal"]


@dataclass(frozen=True)
class Scenario:
    name: str
    code: int
    fragments: tuple[str, ...]
    failure: str | None = None  # the mock portal's failure mode; None for a healthy portal
    args: tuple[str, ...] = ()
    answers: tuple[str, ...] = (RIGHT,)
    env: dict[str, str | None] = field(default_factory=dict)
    portal_url: str | None = None  # "closed", "silent" or None for the mock
    env_file: str | None = None
    delivery: str | None = None  # the mock's way of handing over the notice; None for its default


SCENARIOS = [
    # --- the mock portal's failures ---
    Scenario("wrong password", 3, ("rechazó el NSS o la contraseña", "solo intenta una vez"), "wrong-password"),
    Scenario("wrong captcha three times", 4, ("no coincidió 3 veces",), "wrong-captcha", answers=(RIGHT,) * 3),
    Scenario("blocked account", 5, ("cuenta está bloqueada", "Infonavitel"), "blocked"),
    Scenario("password change required", 5, ("cambies tu contraseña", "vuelve a ejecutar"), "password-change"),
    Scenario("maintenance", 6, ("en mantenimiento", "Intenta más tarde"), "maintenance", answers=()),
    Scenario(
        "the page after the login says it cannot serve",
        6,
        ("respondió con un error del servidor.", "no de tus datos"),
        "unavailable-inside",
    ),
    Scenario("access denied", 6, ("Access Denied", "intenta de nuevo"), "access-denied", answers=()),
    Scenario("server error on a step", 6, ("error del servidor (HTTP 500)", "más tarde"), "server-error"),
    Scenario(
        "session expired, nobody to log in again",
        6,
        ("sesión del portal expiró", "Vuelve a ejecutar"),
        "session-expired",
        answers=(RIGHT, EOF),
    ),
    Scenario("not at Formaliza yet", 7, ("etapa «Inscripción»", "«Formaliza tu crédito»"), "not-ready"),
    Scenario(
        "no print button",
        8,
        ("No se encontró «Imprime los documentos»", "--debug-dir"),
        "no-print",
        args=("--timeout", "8"),  # it waits the whole step time for the button before giving up
    ),
    Scenario(
        "HTML page instead of the PDF",
        8,
        ("en lugar del PDF", "No fue posible generar"),
        "html-instead-of-pdf",
        args=("--timeout", "8"),  # the walk waits a whole step time on that page for a way on before giving up
    ),
    Scenario("truncated PDF", 9, ("PDF incompleto o dañado", "Vuelve a intentarlo"), "truncated-pdf"),
    Scenario(
        "a login box the tool has nothing for",
        8,
        ("pide algo que no se sabe llenar", "clave de empleado", "sin --headless"),
        "extra-login-field",
    ),
    Scenario(
        "redirect to a foreign host",
        8,
        ("127.0.0.2", "no es un sitio del Infonavit"),
        "foreign-redirect",
    ),
    Scenario(
        "login refused with an unknown message",
        8,
        ("no pudimos validar tu información (código 0x3F)", "no se volvió a enviar la contraseña"),
        "unknown-login-message",
    ),
    # --- outside the mock ---
    Scenario(
        "no connection",
        6,
        ("No se pudo conectar con el portal", "conexión", "vuelve a ejecutar con --debug-dir CARPETA"),
        portal_url="closed",
        answers=(),
    ),
    Scenario(
        "portal accepts and never answers",
        6,
        ("no respondió en 5 segundos", "intenta más tarde"),
        portal_url="silent",
        args=("--timeout", "5"),
        answers=(),
    ),
    Scenario("output folder cannot be written", 9, ("No se puede guardar en", "--out"), answers=()),
    Scenario(
        "malformed .env",
        2,
        ("no se entiende (línea 2)", "NOMBRE=valor"),
        env_file="INFONAVIT_NSS=84966311213\nesto no es una variable\n",
        env={"INFONAVIT_NSS": None},
        answers=(),
    ),
    Scenario("NSS with letters", 2, ("solo debe tener números",), args=("--nss", "8496631121A"), answers=()),
    Scenario("NSS of ten digits", 2, ("11 dígitos", "tiene 10"), args=("--nss", "8496631121"), answers=()),
    Scenario("NSS of twelve digits", 2, ("11 dígitos", "tiene 12"), args=("--nss", "849663112131"), answers=()),
    Scenario("NSS with a bad check digit", 2, ("dígito verificador",), args=("--nss", "84966311215"), answers=()),
    Scenario(
        "no terminal and no credentials",
        2,
        ("Falta el NSS y no hay una terminal", "INFONAVIT_NSS"),
        env={"INFONAVIT_NSS": None, "INFONAVIT_PASSWORD": None},
        answers=(),
    ),
    Scenario("no terminal and no password", 2, ("Falta la contraseña",), env={"INFONAVIT_PASSWORD": None}, answers=()),
    Scenario("plain http portal", 2, ("no usa https",), portal_url="http://micuenta.infonavit.org.mx/", answers=()),
    Scenario(
        "an e-mail address with ñ",
        2,
        ("--email-to", "acento o ñ"),
        args=("--email-draft", "--email-to", "ñ@dominio.mx"),
        answers=(),
    ),
    *(
        Scenario(
            f"portal address of another site ({why})", 2, ("no es un sitio del Infonavit",), portal_url=url, answers=()
        )
        for why, url in (
            ("another host", "https://evil.example/"),
            ("a user name before the host", "https://micuenta.infonavit.org.mx@evil.example/"),
            ("a user name before the real host", "https://x@micuenta.infonavit.org.mx/"),
            ("a look-alike in other letters", "https://micuenta.xn--infonvit-7fg.org.mx/"),
            ("the name inside another domain", "https://micuenta.infonavit.org.mx.evil.example/"),
        )
    ),
    Scenario(
        "browser captcha without a browser",
        2,
        ("necesita", "--captcha terminal"),
        args=("--captcha", "browser"),
        answers=(),
    ),
    Scenario("Ctrl-C while waiting for the captcha", 130, ("Cancelado", "No se guardó nada"), answers=(CTRL_C,)),
    Scenario("nobody types the captcha (stdin ends)", 4, ("No se recibió el código",), answers=(EOF,)),
    Scenario(
        "captcha not typed in time",
        4,
        ("Se agotó el tiempo para escribir el código",),
        args=("--captcha-timeout", "5"),
        answers=(WAIT,),
    ),
    Scenario("wrong code, then nobody", 4, ("No se recibió el código",), answers=(WRONG, EOF)),
    # --- checked before the browser starts (issue #10) ---
    Scenario(
        ".env password with an unquoted #",
        2,
        ("« #» sin comillas (línea 2)", 'INFONAVIT_PASSWORD="tu contraseña #1"'),
        env_file="INFONAVIT_NSS=84966311213\nINFONAVIT_PASSWORD=abc #x\n",
        env={"INFONAVIT_NSS": None, "INFONAVIT_PASSWORD": None},
        answers=(),
    ),
    *(
        Scenario(
            f"{option} {value}",
            2,
            (f"{option} debe ser un número de segundos entre",),
            args=(option, value),
            answers=(),
        )
        for option, value in (
            ("--timeout", "inf"),
            ("--timeout", "900"),  # below the minimum, click says so (tests/test_words.py)
            ("--timeout", "600.5"),  # just over the upper end
            ("--captcha-timeout", "3600.5"),
            ("--captcha-timeout", "inf"),
        )
    ),
    Scenario(
        "--timeout nan",
        2,
        ("--timeout debe ser un número de segundos entre 1 y 600",),
        args=("--timeout", "nan"),
        answers=(),
    ),
    *(
        Scenario(  # just under the lower end: said with the range, as the upper end is
            f"{option} {value}",
            2,
            (f"{option} debe ser un número de segundos entre",),
            args=(option, value),
            answers=(),
        )
        for option, value in (("--timeout", "0.5"), ("--captcha-timeout", "4.5"))
    ),
    Scenario("--trace without --debug-dir", 2, ("--trace necesita --debug-dir",), args=("--trace",), answers=()),
    *(
        Scenario(
            f"--email-to {name}",
            2,
            ("--email-to debe ser una sola dirección",),
            args=("--email-draft", "--email-to", value),
            answers=(),
        )
        for name, value in (
            ("with a newline", "care@manpowergroup.com.mx\nBcc: x@y.mx"),
            ("with two", "a@b.mx, c@d.mx"),
        )
    ),
    Scenario(
        "report folder cannot be written",
        9,
        ("No se puede guardar en", "es un archivo, no una carpeta", "--debug-dir"),
        args=("--debug-dir", "bloqueo/informe"),  # "bloqueo" is a file (see test_failure)
        answers=(),
    ),
]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield int(sock.getsockname()[1])


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_failure(
    scenario: Scenario,
    start_portal: Callable[..., MockPortal],
    silent_port: int,
    tmp_path: Path,
) -> None:
    portal = start_portal(failure=scenario.failure)
    out = tmp_path / "avisos"
    out.mkdir()
    if scenario.name == "output folder cannot be written":
        blocker = tmp_path / "no-es-carpeta"
        blocker.write_text("a file where the folder should be")
        out = blocker / "avisos"
    url = {"closed": f"http://127.0.0.1:{closed_port()}/", "silent": f"http://127.0.0.1:{silent_port}/"}.get(
        scenario.portal_url or "", scenario.portal_url or portal.url
    )
    args = ["download", *HEADLESS, "--out", str(out), "--portal-url", url, *scenario.args]
    if scenario.name == "browser captcha without a browser":
        args.remove("--captcha")
        args.remove("terminal")
    if scenario.env_file is not None:
        (tmp_path / ".env").write_text(scenario.env_file)
    (tmp_path / "bloqueo").write_text("a file where a folder could be asked for")
    cli = Cli(portal, tmp_path, env=dict(scenario.env))  # type: ignore[arg-type]
    started = time.monotonic()
    result = cli.run(args, answers=scenario.answers, timeout=120)
    elapsed = time.monotonic() - started

    assert result.returncode == scenario.code, result.stderr
    for fragment in scenario.fragments:
        assert fragment in result.stderr, f"{fragment!r} not in:\n{result.stderr}"
    assert result.stdout == ""
    for noise in ("Traceback", "Future exception", "Exception ignored", "Error occurred"):
        assert noise not in result.stderr, result.stderr
    if out.parent.is_dir():
        assert not out.exists() or list(out.iterdir()) == []  # no new or partial file
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".part")] == []
    assert wait_browser_gone(result.marker) == []
    assert_password_policy(portal.state)  # never a second password attempt, nothing sent after a refusal
    if scenario.portal_url == "silent":
        assert elapsed < 5 + 20, f"took {elapsed:.1f} s for a 5 s timeout"


def test_traceback_only_when_asked(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("INFONAVIT_")}
    base = [sys.executable, "-m", "infonavit_fetch", "download", "--nss", "84966311215", "--headless"]
    quiet = subprocess.run(base, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    loud = subprocess.run([*base, "--traceback"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert quiet.returncode == loud.returncode == 2
    assert "Traceback" not in quiet.stderr
    assert "Traceback (most recent call last)" in loud.stderr and "BadInput" in loud.stderr
    assert "dígito verificador" in loud.stderr
