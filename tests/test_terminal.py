"""What a person reads in a real terminal of 60, 80 or 100 columns (issue 22, items 2, 3 and 10).

The real command runs in a pseudo-terminal whose window size is set (TIOCSWINSZ, no COLUMNS): stdin, stdout
and stderr are the terminal, as when a person types the command. Lines fit the width and break at spaces,
never inside a word; a single token wider than the line (a path) may stay whole.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixtures.mock_portal import MockPortal
from tests.cli import Cli

ROOT = Path(__file__).parent.parent
WIDTHS = (60, 80, 100)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass
class Screen:
    returncode: int
    text: str  # what the terminal showed, line ends as "\n"
    width: int

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def joined(self) -> str:
        """The lines put back together with one space: a sentence cut inside a word would not be found."""
        return " ".join(line.strip() for line in self.lines if line.strip())

    def too_wide(self) -> list[str]:
        """Lines wider than the terminal, except a single unbreakable token (after a mark or an indent)."""
        return [
            line
            for line in self.lines
            if len(line) > self.width and " " in re.sub(r"^\s*(?:[✗✓→·…] )?", "", line).strip()
        ]

    def orphans(self) -> list[str]:
        """Lines that hold nothing but closing punctuation, as «).» left alone by a terminal's cut."""
        return [line for line in self.lines if line.strip() and re.fullmatch(r"[).,;:»]+", line.strip())]


# Installed as the README says (pipx): the command is on PATH, so the help names it by its name alone
# (tests/test_next_step.py checks the full path printed when it is not).
INSTALLED = {"PATH": os.pathsep.join((str(Path(sys.executable).parent), os.environ.get("PATH", "")))}


def in_terminal(
    args: list[str],
    width: int,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    answers: list[tuple[str, str]] | None = None,
    timeout: float = 60,
) -> Screen:
    """Run the CLI with a pseudo-terminal of `width` columns as its terminal; answer the prompts in
    `answers` ((prompt, line typed), in order) and fail on any other wait for input (a prompt nobody expected)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    base = {k: v for k, v in os.environ.items() if not k.startswith("INFONAVIT_")}
    for name in ("COLUMNS", "LINES", "DISPLAY", "WAYLAND_DISPLAY"):
        base.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "infonavit_fetch", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**base, "TERM": "xterm", **(env or {})},
        cwd=cwd or ROOT,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    given = list(answers or [])
    pending = list(given)
    answered = 0
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the process ended and closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
                shown = seen.decode("utf-8", "replace")
                while pending and shown.count(pending[0][0]) > sum(p == pending[0][0] for p, _ in given[:answered]):
                    os.write(master, (pending.pop(0)[1] + "\n").encode())
                    answered += 1
            elif proc.poll() is not None:
                break
        else:
            raise AssertionError(f"still running (waiting for input?):\n{seen.decode('utf-8', 'replace')}")
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    text = ANSI.sub("", seen.decode("utf-8", "replace")).replace("\r\n", "\n").replace("\r", "\n")
    return Screen(code, text, width)


def assert_fits(screen: Screen, *sentences: str) -> None:
    assert screen.too_wide() == [], screen.text
    assert screen.orphans() == [], screen.text
    joined = screen.joined()
    for sentence in sentences:
        assert sentence in joined, f"{sentence!r} cut or missing at {screen.width} columns:\n{screen.text}"


# --- item 2: every option checked, all the errors at once, before anything is asked ------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_all_option_errors_at_once_before_any_question(width: int, tmp_path: Path) -> None:
    screen = in_terminal(["download", "--timeout", "9999", "--email-to", "a@b.com, c@d.com"], width, cwd=tmp_path)
    assert screen.returncode == 2, screen.text
    assert "(NSS)" not in screen.text and "Contraseña" not in screen.text  # nothing was asked
    assert_fits(
        screen,
        "✗ --timeout debe ser un número de segundos entre 1 y 600 (se recibió 9999.0).",
        "Por ejemplo --timeout 45",
        "✗ --email-to debe ser una sola dirección de correo: 'a@b.com, c@d.com'",
        "Por ejemplo --email-to care@manpowergroup.com.mx",
        "(código de salida 2)",
    )
    assert screen.text.count("✗ ") == 2 and screen.text.count("(código de salida 2)") == 1
    # each error on a line of its own
    assert [line for line in screen.lines if line.startswith("✗ ")] == [
        next(line for line in screen.lines if line.startswith("✗ --timeout")),
        next(line for line in screen.lines if line.startswith("✗ --email-to")),
    ]


def test_refused_values_and_checks_are_said_together(tmp_path: Path) -> None:
    """A value the command line cannot read (not a number, not a choice) and the tool's own checks."""
    screen = in_terminal(
        [
            "descargar",
            "--timeout",
            "abc",
            "--route",
            "atajo",
            "--captcha-timeout",
            "1",
            "--email-to",
            "josé@empresa.mx",
            "--trace",
            "--portal-url",
            "http://ejemplo.com/",
            "--nss",
            "12345678901",
        ],
        80,
        cwd=tmp_path,
    )
    assert screen.returncode == 2, screen.text
    assert "(NSS)" not in screen.text and "Contraseña" not in screen.text
    assert_fits(
        screen,
        "✗ El valor de --timeout no es válido: debe ser un número.",
        "✗ El valor de --route no es válido: «atajo» no es una opción; usa una de: auto, formaliza, mi-credito.",
        "✗ --captcha-timeout debe ser un número de segundos entre 5 y 3600 (se recibió 1.0).",
        "✗ --email-to tiene letras con acento o ñ: 'josé@empresa.mx'",
        "✗ --trace necesita --debug-dir.",
        "✗ La dirección del portal no usa https: http://ejemplo.com/",
        "✗ El NSS no es válido: su último dígito (dígito verificador) no corresponde.",
    )
    assert screen.text.count("✗ ") == 7
    # The shared hint («see --help») is said once, not after each refused value.
    assert screen.text.count("Las opciones están en:") == 1


# --- item 3: text wraps at spaces at any width ----------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_errors_and_hints_wrap_between_words(width: int, tmp_path: Path) -> None:
    screen = in_terminal(
        ["download", "--email-to", "josé@empresa.mx", "--portal-url", "https://ejemplo.com/"], width, cwd=tmp_path
    )
    assert screen.returncode == 2
    assert_fits(
        screen,
        "Escribe la dirección como la da tu empresa, sin acentos ni ñ; por ejemplo care@manpowergroup.com.mx",
        "Usa la dirección de Mi Cuenta Infonavit (https://micuenta.infonavit.org.mx/) o no pongas --portal-url; "
        "para pruebas, una dirección de esta misma computadora.",
    )
    if width < 100:
        assert any(line.startswith("  ") and not line.startswith("  (") for line in screen.lines[1:])


@pytest.mark.parametrize("width", WIDTHS)
def test_the_nss_prompt_and_its_typo_wrap_between_words(width: int, tmp_path: Path) -> None:
    """The issue's «recibo de nóm|ina»: a typo at the NSS question, said at the terminal's width."""
    screen = in_terminal(
        ["download", "--out", str(tmp_path)],
        width,
        cwd=tmp_path,
        env={"INFONAVIT_PASSWORD": "x"},
        answers=[("(NSS): ", "84966311214"), ("(NSS): ", "8496631121"), ("(NSS): ", "84966311214")],
        timeout=30,
    )
    assert screen.returncode == 2, screen.text
    assert_fits(
        screen,
        "✗ El NSS no es válido: su último dígito (dígito verificador) no corresponde. Seguramente hay un dígito "
        "equivocado o invertido. Revísalo en tu recibo de nómina.",
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_a_folder_that_cannot_be_used_is_said_between_words(width: int, tmp_path: Path) -> None:
    blocker = tmp_path / "una carpeta con un nombre bastante largo para el aviso"
    blocker.write_text("")
    screen = in_terminal(
        ["download", "--nss", "84966311213", "--out", str(blocker)],
        width,
        cwd=tmp_path,
        env={"INFONAVIT_PASSWORD": "x"},
    )
    assert screen.returncode == 9, screen.text
    assert_fits(screen, "es un archivo, no una carpeta.", "Elige con --out una carpeta tuya")


def test_the_captcha_timeout_hint_keeps_its_closing_parenthesis(portal: MockPortal, tmp_path: Path) -> None:
    """The issue's «(o usa --captcha-timeout» with «).» alone on the next line, at 60 columns."""
    env = Cli(portal, tmp_path).base_env("terminal-width")
    env = {k: v for k, v in env.items() if k.startswith("INFONAVIT_")}
    screen = in_terminal(
        ["download", "--headless", "--captcha-timeout", "5", "--out", str(tmp_path), "--portal-url", portal.url],
        60,
        cwd=tmp_path,
        env={**env, "TERM": "dumb"},
        timeout=90,
    )
    assert screen.returncode == 4, screen.text
    assert_fits(
        screen,
        "✗ Se agotó el tiempo para escribir el código.",
        "Vuelve a ejecutar el comando cuando puedas escribirlo (o usa --captcha-timeout).",
    )


# --- item 10: the help on one screen ------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_download_help_fits_one_screen(width: int) -> None:
    screen = in_terminal(["download", "--help"], width, env=INSTALLED)
    assert screen.returncode == 0
    if width >= 80:
        assert len(screen.lines) <= 40, screen.text
    assert screen.too_wide() == [] and max(map(len, screen.lines)) <= width
    for noise in ("[por omisión", "x>=", "[variable", "SIGHUP", "Códigos de salida:"):
        assert noise not in screen.text
    joined = screen.joined()
    for said in ("entre 1 y 600 segundos (por omisión, 45)", "entre 5 y 3600 segundos (por omisión, 300)"):
        assert said in joined, screen.text
    # option values whole on one line
    for value in ("mi-credito", "browser|terminal", "INFONAVIT_BROWSER_PATH", "--captcha-timeout", "es|en"):
        assert any(value in line for line in screen.lines), value
    assert "Los códigos de salida están en: infonavit-fetch --help" in joined


@pytest.mark.parametrize("width", WIDTHS)
def test_top_level_help_starts_with_the_demo_and_has_the_exit_codes(width: int) -> None:
    screen = in_terminal(["--help"], width, env=INSTALLED)
    assert screen.returncode == 0
    assert screen.lines[0] == "Empieza con: infonavit-fetch demo"
    assert max(map(len, screen.lines)) <= width
    joined = screen.joined()
    assert "download, descargar" in joined and "demo, prueba" in joined and "doctor, revisar" in joined
    assert "Códigos de salida:" in joined
    assert "NO-ES-EL-AVISO-….pdf o NO-ES-TU-AVISO-….pdf" in joined  # not split at its hyphens
    for code in (0, 1, 2, 6, 9, 10, 129, 130, 143):
        assert re.search(rf"^ +{code}  ", screen.text, re.MULTILINE), code


@pytest.mark.parametrize(("spanish", "english"), [("descargar", "download"), ("prueba", "demo"), ("revisar", "doctor")])
def test_spanish_command_names(spanish: str, english: str) -> None:
    screen = in_terminal([spanish, "--help"], 80)
    assert screen.returncode == 0
    assert f" {spanish} [OPCIONES]" in screen.lines[0]
    assert screen.text.replace(spanish, english, 1) == in_terminal([english, "--help"], 80).text
