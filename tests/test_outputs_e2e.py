"""The real CLI's other promises, end to end: exit 1 for an unexpected error, the e-mail draft for another
address (`--email-to`), `--open` handing the PDF and the draft to the system's opener, `--email-compose`
handing it a `mailto:` link and the PDF's folder, `--open` saying so where nothing can be opened, and the end
of a run watched on a desktop terminal: the folder opened, the last lines the PDF's full path."""

from __future__ import annotations

import email
import os
import re
import stat
import time
from email import policy
from pathlib import Path
from urllib.parse import quote, unquote

from fixtures.mock_portal import ACCOUNTS, MockPortal, notice_pdf
from tests.cli import Cli, wait_browser_gone
from tests.conftest import browser_executable
from tests.test_terminal import in_terminal

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
    env, log = fake_opener(tmp_path)  # and a desktop to open on
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


def fake_opener(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An `xdg-open` on PATH that records each argument with whether it got the secrets, and a desktop."""
    bin_dir, log = tmp_path / "bin", tmp_path / "opened.txt"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text(
        "#!/bin/sh\n"
        f'printf "%s|%s|%s\\n" "$1" "${{INFONAVIT_PASSWORD:+password}}" "${{INFONAVIT_NSS:+nss}}" >> "{log}"\n'
    )
    opener.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "DISPLAY": ":404"}, log


def opened(log: Path, expected: int) -> list[str]:
    """What the opener got, without the captcha image (opened too where there is a display)."""
    deadline = time.monotonic() + 10  # the opener runs on its own; give it a moment
    lines: list[str] = []
    while time.monotonic() < deadline:
        lines = [
            line for line in (log.read_text().splitlines() if log.exists() else []) if "infonavit-codigo-" not in line
        ]
        if len(lines) >= expected:
            break
        time.sleep(0.1)
    return lines


def test_email_compose_opens_a_mailto_link_and_the_pdfs_folder(portal: MockPortal, tmp_path: Path) -> None:
    env, log = fake_opener(tmp_path)
    address = "recursos.humanos@empresa-ejemplo.com.mx"
    out = tmp_path / "Mis documentos"
    result = Cli(portal, tmp_path, env=env).run(
        ["download", *HEADLESS, "--out", str(out), "--email-compose", "--email-to", address]
    )
    assert result.returncode == 0, result.stderr
    pdf = result.saved
    assert result.stdout == f"{pdf}\n"  # standard output stays the path alone
    assert not list(out.glob("*.eml"))  # a draft only with --email-draft

    subject = f"Aviso de retención de descuentos Infonavit - crédito {ACCOUNT.credit_number}"
    shown_name = pdf.name.replace(ACCOUNT.nss, "*******" + ACCOUNT.nss[-4:])
    body = "\r\n".join(
        [
            f"[Antes de enviar: adjunta el PDF del aviso, el archivo {shown_name} de la carpeta {out} "
            "(arrástralo a este correo), y borra este párrafo.]",
            "",
            "Hola:",
            "",
            "Les envío adjunto el aviso de retención de descuentos de mi crédito Infonavit para que se inicien "
            "los descuentos correspondientes.",
            "",
            f"Número de crédito: {ACCOUNT.credit_number}",
            f"Nombre: {ACCOUNT.name}",
            f"NSS: termina en {ACCOUNT.nss[-4:]} (completo en el aviso adjunto)",
            "",
            "Quedo atento(a). Gracias.",
        ]
    )
    link = f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    # exactly the link and the folder, neither with a secret in the opener's environment
    assert sorted(opened(log, 2)) == sorted([f"{link}||", f"{out}||"])
    assert re.fullmatch(r"[A-Za-z0-9%._~@:?&=-]+", link)  # every other character percent-encoded, UTF-8
    assert "%20" in link and "+" not in link and "%C3%B3" in link and "%0D%0A" in link
    assert ACCOUNT.nss not in unquote(link) and ACCOUNT.password not in unquote(link)
    assert ACCOUNT.nss not in link and quote(ACCOUNT.password, safe="") not in link

    said = " ".join(result.stderr.split())
    assert f"Se abrió un correo nuevo para {address} en tu programa de correo." in said
    assert "Se abrió la carpeta del aviso." in said
    assert "Siguiente paso: en el correo que se abrió, adjunta el PDF (arrástralo desde su carpeta)" in said
    assert result.stderr.rstrip().endswith(f"El aviso quedó en: {pdf}")


def test_open_without_a_display_says_so_and_still_succeeds(portal: MockPortal, tmp_path: Path) -> None:
    out = tmp_path / "avisos"
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--out", str(out), "--email-draft", "--open"])
    assert result.returncode == 0, result.stderr
    pdf = result.saved
    assert result.stdout == f"{pdf}\n"
    assert "No se pudo abrir el PDF ni el borrador: no hay pantalla (por ejemplo, por SSH)." in result.stderr
    assert result.stderr.rstrip().endswith(f"El aviso quedó en: {pdf}")  # the way to it, in full


def test_a_run_watched_on_a_desktop_terminal_opens_the_folder_and_ends_with_the_path(tmp_path: Path) -> None:
    """No option: on a terminal with a display the PDF's folder opens; the last lines are its full path."""
    env, log = fake_opener(tmp_path)
    env["INFONAVIT_BROWSER_PATH"] = browser_executable()
    out = tmp_path / "avisos"
    screen = in_terminal(["demo", "--auto", "--headless", "--out", str(out)], 100, env=env, cwd=tmp_path)
    assert screen.returncode == 0, screen.text
    (pdf,) = out.glob("*.pdf")
    assert opened(log, 1) == [f"{out}||"]
    assert "Se abrió la carpeta del aviso." in screen.text
    assert screen.lines[-2:] == ["El aviso quedó en:", str(pdf)]  # the label (stderr), then the result (stdout)
