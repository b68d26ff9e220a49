"""`infonavit-fetch doctor` on this machine: all green with Chromium installed, and clear ✗ lines."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.mock_portal import MockPortal
from infonavit_fetch.errors import network_reason
from tests.conftest import browser_executable
from tests.web import Handler, serving


def doctor(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("INFONAVIT_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "infonavit_fetch", "doctor", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=full_env,
        timeout=120,
    )


def fits(text: str, width: int) -> bool:
    """Every line within `width` columns, but for a line that is one path or address alone (never cut)."""
    return all(len(line) <= width or len(line.split()) == 1 for line in text.splitlines())


def said(result: subprocess.CompletedProcess[str]) -> str:
    """What doctor printed, its lines (wrapped at 80 columns) joined again: the sentences as written."""
    return re.sub(r"\n +", " ", result.stdout)


def test_all_green_offline(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("INFONAVIT_NSS=84966311213\nINFONAVIT_PASSWORD=muy-secreta\n")
    result = doctor(tmp_path, "--offline")
    assert result.returncode == 0, result.stdout + result.stderr
    out = said(result)
    assert "✓ Python 3." in out
    for dependency in ("playwright", "typer", "python-dotenv", "pypdf"):
        assert f"✓ {dependency} " in out
    assert "✓ navegador: " in out and "✓ el navegador arranca" in out
    assert f"✓ se puede guardar en {tmp_path.resolve()}" in out
    assert "define INFONAVIT_NSS, INFONAVIT_PASSWORD" in out
    assert "muy-secreta" not in out and "84966311213" not in out  # names, never values
    assert "Todo listo." in out


def test_portal_answers(portal: MockPortal, tmp_path: Path) -> None:
    result = doctor(tmp_path, "--portal-url", portal.url)
    assert result.returncode == 0, result.stdout
    assert f"✓ el portal responde ({portal.url}, HTTP 200)" in said(result)


def test_portal_in_maintenance_is_a_cross(start_portal: Callable[..., MockPortal], tmp_path: Path) -> None:
    portal = start_portal(failure="maintenance")
    result = doctor(tmp_path, "--portal-url", portal.url)
    assert result.returncode == 6  # the README's «portal no disponible»
    assert "✗ el portal no está disponible: está en mantenimiento (HTTP 503)" in said(result)
    assert "→ Intenta más tarde" in said(result)
    assert fits(result.stdout, 80)


def test_missing_browser_and_bad_env_file_say_how_to_fix(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("esto no sirve\n")
    result = doctor(tmp_path, "--offline", "--browser-path", str(tmp_path / "no-existe"))
    assert result.returncode == 2  # the README's code for «no hay navegador» (and for a bad .env)
    out = said(result)
    assert "✗ No existe el navegador indicado" in out
    assert "✗ el archivo" in out and "NOMBRE=valor" in out
    assert "Hay algo que arreglar" in out
    assert fits(result.stdout, 80)


def test_uses_the_browser_named_in_the_environment(tmp_path: Path) -> None:
    result = doctor(tmp_path, "--offline", env={"INFONAVIT_BROWSER_PATH": browser_executable()})
    assert result.returncode == 0
    assert f"navegador: indicado en {browser_executable()}" in said(result)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


ENGLISH = ("net::", "Page.goto", "ERR_", "at http", "Error")


def test_no_connection_is_said_in_spanish_with_code_6(tmp_path: Path) -> None:
    """Nothing listens on the port: the person reads what is wrong and what to do, never Playwright's text."""
    result = doctor(tmp_path, "--portal-url", f"http://127.0.0.1:{free_port()}/")
    assert result.returncode == 6, result.stdout + result.stderr
    out = said(result)
    assert "✗ sin conexión con el portal: el sitio rechazó la conexión" in out
    assert "→ Revisa tu conexión a internet" in out
    assert not [word for word in ENGLISH if word in result.stdout + result.stderr]
    assert fits(result.stdout, 80)


def answering(status: int, body: str) -> contextlib.AbstractContextManager[str]:
    """A tiny web server on this computer that answers every request with `status` and `body`."""

    class Answer(Handler):
        def do_GET(self) -> None:
            self.send_page(status, body)

    return serving(Answer)


@pytest.mark.parametrize(
    ("status", "body", "says"),
    [
        (503, "<h1>Service Unavailable</h1>", "✗ el portal no está disponible: está en mantenimiento (HTTP 503)"),
        (500, "<h1>Internal Server Error</h1>", "✗ el portal no está disponible: error del servidor (HTTP 500)"),
        (502, "<h1>Bad Gateway</h1>", "✗ el portal no está disponible: error del servidor (HTTP 502)"),
        (200, "<p>Estamos en mantenimiento programado.</p>", "✗ el portal no está disponible: está en mantenimiento"),
        (403, "<h1>Access Denied</h1>", "✗ el portal negó el acceso («Access Denied») (HTTP 403)"),
    ],
)
def test_portal_down_is_said_in_spanish_with_code_6(tmp_path: Path, status: int, body: str, says: str) -> None:
    with answering(status, body) as url:
        result = doctor(tmp_path, "--portal-url", url)
    assert result.returncode == 6, result.stdout + result.stderr
    assert says in said(result)
    assert "Hay algo que arreglar" in result.stdout
    assert fits(result.stdout, 80)


@pytest.mark.parametrize(
    ("failure", "reason"),
    [
        ("Page.goto: net::ERR_NAME_NOT_RESOLVED at https://micuenta.infonavit.org.mx/", "no se encontró el sitio"),
        ("Page.goto: net::ERR_INTERNET_DISCONNECTED at https://x/", "no hay conexión a internet"),
        ("Page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/", "rechazó la conexión"),
        ("Page.goto: net::ERR_CONNECTION_TIMED_OUT at https://x/", "no contestó a tiempo"),
        ("Page.goto: Timeout 30000ms exceeded.", "no contestó a tiempo"),
        ("Page.goto: net::ERR_CERT_AUTHORITY_INVALID at https://x/", "certificado"),
        ("Page.goto: net::ERR_PROXY_CONNECTION_FAILED at https://x/", "proxy"),
        ("Page.goto: net::ERR_SOMETHING_NEW at https://x/", "no se pudo conectar"),
    ],
)
def test_network_failures_in_plain_spanish(failure: str, reason: str) -> None:
    said_here = network_reason(failure)
    assert reason in said_here
    assert "ERR_" not in said_here and "net::" not in said_here and "http" not in said_here


def test_a_name_that_does_not_resolve_is_no_connection(tmp_path: Path) -> None:
    """A portal name no server knows: said as without a network (the issue's ERR_NAME_NOT_RESOLVED)."""
    result = doctor(tmp_path, "--portal-url", "https://no-existe-infonavit-fetch.infonavit.org.mx/")
    if result.returncode == 0:
        pytest.skip("this network answers for every name")
    assert result.returncode == 6, result.stdout + result.stderr
    assert "✗ sin conexión con el portal: " in said(result)
    assert not [word for word in ENGLISH if word in result.stdout + result.stderr]
    assert fits(result.stdout, 80)


def test_doctor_refuses_a_portal_address_that_is_not_the_portals(tmp_path: Path) -> None:
    result = doctor(tmp_path, "--portal-url", "http://ejemplo.com/", "--offline")
    assert result.returncode == 2
    assert "La dirección del portal no usa https: http://ejemplo.com/" in result.stderr
    assert "✓ Python" not in result.stdout  # said before any check runs


def test_the_spanish_name_revisar_is_doctor(tmp_path: Path) -> None:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("INFONAVIT_")}
    result = subprocess.run(
        [sys.executable, "-m", "infonavit_fetch", "revisar", "--offline"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=full_env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Todo listo." in result.stdout
