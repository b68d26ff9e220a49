"""The real CLI's other promises, end to end: exit 1 for an unexpected error, the e-mail draft for another
address (`--email-to`), and `--open` handing the PDF and the draft to the system's opener."""

from __future__ import annotations

import email
import os
import stat
import time
from email import policy
from pathlib import Path

from fixtures.mock_portal import ACCOUNTS, MockPortal, notice_pdf
from tests.cli import Cli, wait_browser_gone

ACCOUNT = ACCOUNTS[0]
HEADLESS = ["--headless", "--captcha", "terminal"]


def test_an_unexpected_error_is_exit_1_with_a_way_to_report_it(portal: MockPortal, tmp_path: Path) -> None:
    # INFONAVIT_BROWSER_ARGS is split like a shell line; an unclosed quote is nothing the tool expects.
    out = tmp_path / "avisos"
    cli = Cli(portal, tmp_path, env={"INFONAVIT_BROWSER_ARGS": '--lang="es'})
    result = cli.run(["download", *HEADLESS, "--out", str(out)], answers=())
    assert result.returncode == 1, result.stderr
    assert "Ocurrió un error inesperado (ValueError)" in result.stderr
    assert "--traceback" in result.stderr and "--debug-dir" in result.stderr
    assert "(código de salida 1)" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not out.exists() or list(out.iterdir()) == []
    assert portal.state.password_attempts == 0
    assert wait_browser_gone(result.marker) == []

    loud = cli.run(["download", *HEADLESS, "--out", str(out), "--traceback"], answers=())
    assert loud.returncode == 1
    assert "Traceback (most recent call last)" in loud.stderr and "No closing quotation" in loud.stderr


def test_an_out_folder_whose_parents_are_missing_is_made_whole(portal: MockPortal, tmp_path: Path) -> None:
    out = tmp_path / "Documentos" / "Infonavit" / "avisos"  # none of the three exists yet
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--out", str(out)])
    assert result.returncode == 0, result.stderr
    assert result.saved.parent == out
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)


def test_email_to_another_address(portal: MockPortal, tmp_path: Path) -> None:
    address = "recursos.humanos@empresa-ejemplo.com.mx"
    result = Cli(portal, tmp_path).run(
        ["download", *HEADLESS, "--out", str(tmp_path), "--email-draft", "--email-to", address]
    )
    assert result.returncode == 0, result.stderr
    pdf = result.saved
    draft = pdf.with_suffix(".eml")
    assert f"Borrador de correo para {address} listo en {draft}" in result.stderr
    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["To"] == address
    assert "care@manpowergroup.com.mx" not in draft.read_text(encoding="utf-8", errors="replace")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == pdf.name
    assert attachment.get_content() == pdf.read_bytes()
    if os.name == "posix":
        assert stat.S_IMODE(draft.stat().st_mode) == 0o600


def test_open_hands_the_pdf_and_the_draft_to_the_systems_opener(portal: MockPortal, tmp_path: Path) -> None:
    """`xdg-open` is a script on PATH that records what it was given and whether it got the secrets."""
    bin_dir, log = tmp_path / "bin", tmp_path / "opened.txt"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text(
        "#!/bin/sh\n"
        f'printf "%s|%s|%s\\n" "$1" "${{INFONAVIT_PASSWORD:+password}}" "${{INFONAVIT_NSS:+nss}}" >> "{log}"\n'
    )
    opener.chmod(0o755)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "DISPLAY": ":404"}  # a desktop to open on
    out = tmp_path / "avisos"
    result = Cli(portal, tmp_path, env=env).run(["download", *HEADLESS, "--out", str(out), "--email-draft", "--open"])
    assert result.returncode == 0, result.stderr
    pdf = result.saved
    expected = {f"{pdf}||", f"{pdf.with_suffix('.eml')}||"}
    deadline = time.monotonic() + 10  # the opener runs on its own; give it a moment
    lines: set[str] = set()
    while time.monotonic() < deadline and not expected <= lines:
        lines = set(log.read_text().splitlines()) if log.exists() else set()
        time.sleep(0.1)
    assert expected <= lines, lines  # both opened, and neither secret in the opener's environment
    others = lines - expected  # with a display, the captcha image was opened too (and is gone by now)
    assert all(line.endswith("||") and "infonavit-codigo-" in line for line in others), others
