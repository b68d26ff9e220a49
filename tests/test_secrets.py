"""Secrets stay secret: with --debug-dir and --trace, nothing printed or written holds the password, and
the full NSS appears only in the saved PDF's name and contents."""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fixtures.mock_portal import ACCOUNTS, MockPortal
from tests.cli import EOF, RIGHT, Cli
from tests.test_failures import SCENARIOS, Scenario

ACCOUNT = ACCOUNTS[1]  # its password ("Ñandú-Seguro 9") is easy to find and unlike any page text
MOCK_SCENARIOS = [s for s in SCENARIOS if s.failure is not None]
RUNS = [
    *MOCK_SCENARIOS,
    Scenario("success", 0, ()),
    Scenario("success after the session expired", 0, (), "session-expired", answers=(RIGHT, RIGHT)),
    Scenario("nobody at the captcha", 4, (), answers=(EOF,)),
]


def contents(path: Path) -> Iterator[tuple[str, bytes]]:
    """Every file's bytes, and every member of a zip file (Playwright traces) decompressed."""
    data = path.read_bytes()
    yield str(path), data
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                yield f"{path}!{member.filename}", archive.read(member)


@pytest.mark.parametrize("scenario", RUNS, ids=[s.name for s in RUNS])
def test_no_secret_leaks(scenario: Scenario, start_portal: Callable[..., MockPortal], tmp_path: Path) -> None:
    portal = start_portal(failure=scenario.failure)
    out, debug = tmp_path / "avisos", tmp_path / "informe"
    cli = Cli(portal, tmp_path, nss=ACCOUNT.nss, password=ACCOUNT.password)
    args = [
        "download",
        "--headless",
        "--captcha",
        "terminal",
        "-o",
        str(out),
        "--debug-dir",
        str(debug),
        "--trace",
        "-v",
        *scenario.args,
    ]
    result = cli.run(args, answers=scenario.answers)
    assert result.returncode == scenario.code, result.stderr

    saved = result.saved if result.returncode == 0 else None
    printed = result.stdout + result.stderr
    assert ACCOUNT.password not in printed
    if saved is not None:
        printed = printed.replace(saved.name, "")
    assert ACCOUNT.nss not in printed

    bundles = list(debug.iterdir())
    assert len(bundles) == 1
    written = {p.name for p in bundles[0].iterdir()}
    assert stat.S_IMODE(bundles[0].stat().st_mode) == 0o700  # the trace holds session cookies
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in bundles[0].iterdir()} == dict.fromkeys(written, 0o600)
    assert "registro.txt" in written
    if scenario.code not in (0,):
        assert {"pagina.png", "pagina.html"} <= written
    if scenario.code == 0 or scenario.failure in ("not-ready", "no-print", "html-instead-of-pdf", "truncated-pdf"):
        assert any(name.startswith("traza-") for name in written)  # the trace, from after the login
    assert "cookies" in result.stderr  # the warning that the trace holds session cookies

    checked = 0
    for path in tmp_path.rglob("*"):
        if not path.is_file():
            continue
        is_saved_pdf = saved is not None and path == saved
        if not is_saved_pdf:
            assert ACCOUNT.nss not in str(path.relative_to(tmp_path))
        for where, data in contents(path):
            checked += 1
            if "!" in where:  # a trace: no pictures of the page (the NSS as pixels), no screencast
                assert not data.startswith((b"\xff\xd8\xff", b"\x89PNG")), f"a picture: {where}"
                assert b"screencast-frame" not in data, where
            assert ACCOUNT.password.encode() not in data, f"password in {where}"
            if not is_saved_pdf:
                assert ACCOUNT.nss.encode() not in data, f"full NSS in {where}"
    assert checked >= 3
