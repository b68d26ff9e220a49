"""The main job end to end: the real CLI, real Chromium, the mock portal, a person at the captcha."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.mock_portal import ACCOUNTS, DELIVERIES, MockPortal, notice_pdf
from tests.cli import RIGHT, WRONG, Cli, wait_browser_gone
from tests.promises import assert_password_policy

ACCOUNT = ACCOUNTS[0]
HEADLESS = ["--headless", "--captcha", "terminal"]


@pytest.mark.parametrize("delivery", DELIVERIES)
def test_download_every_delivery_mode(start_portal: Callable[..., MockPortal], tmp_path: Path, delivery: str) -> None:
    portal = start_portal(delivery=delivery)
    out = tmp_path / "avisos"
    # A bound well under the default: a capture that hangs (a tab closed while it turns into the PDF
    # viewer) fails here in a minute; a notice never caught, once the step time of 20 s is out.
    started_on = dt.date.today().isoformat()
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--out", str(out), "--timeout", "20"], timeout=60)
    assert result.returncode == 0, result.stderr
    saved = result.saved
    # Named for the day it was saved on (a run at midnight: either day, not the day the tests started).
    days = {started_on, dt.date.today().isoformat()}
    assert saved in {out / f"aviso-retencion-{ACCOUNT.nss}-{day}.pdf" for day in days}
    assert saved.read_bytes() == notice_pdf(ACCOUNT) == portal.state.served_documents[-1]
    assert os.listdir(out) == [saved.name]  # nothing else, no temporary file
    if os.name == "posix":
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert "Aviso guardado" in result.stderr
    assert portal.state.password_attempts == 1
    assert wait_browser_gone(result.marker) == []


def test_a_window_that_turns_into_the_pdf_at_once_is_closed_without_waiting_for_it(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    # The «Generando documento…» window moves to the PDF on its first question: the PDF arrives while the
    # print click's answer is awaited, and that window, turning into the PDF viewer, is closed then.
    portal = start_portal(delivery="generating", generating_s=0)
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--out", str(tmp_path / "avisos")], timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)
    assert wait_browser_gone(result.marker) == []


def test_wrong_code_then_right_one_on_the_terminal(portal: MockPortal, tmp_path: Path) -> None:
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "-o", str(tmp_path)], answers=[WRONG, RIGHT])
    assert result.returncode == 0, result.stderr
    assert result.prompts == 2
    assert "El código no coincidió" in result.stderr
    assert "Intento 2 de 3" in result.stderr
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)


def test_a_wrong_code_answered_in_a_browser_alert_is_tried_again(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(seed=10)  # an older portal: alert() for the login's errors, confirm() before Mi Espacio
    assert portal.describe()["native_dialogs"] == "alerts"
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "-o", str(tmp_path), "-v"], answers=[WRONG, RIGHT])
    assert result.returncode == 0, result.stderr
    assert result.prompts == 2
    assert "El código no coincidió" in result.stderr
    assert "¿Deseas continuar?" in result.stderr  # the confirm was answered (and logged)
    assert portal.state.password_attempts == 1
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)


def test_a_press_that_sent_nothing_is_made_again_once(start_portal: Callable[..., MockPortal], tmp_path: Path) -> None:
    """The login page's script swallows the first press of «Iniciar sesión»: no request leaves the
    browser, so pressing once more cannot send the password twice. The run logs in with one code and one
    password attempt instead of waiting out the login and ending with exit 8."""
    portal = start_portal(failure="first-press-lost")
    # A login never answered ends once the step time of 20 s is out.
    args = ["download", *HEADLESS, "-o", str(tmp_path), "-v", "--timeout", "20"]
    result = Cli(portal, tmp_path).run(args, answers=[RIGHT])
    assert result.returncode == 0, result.stderr
    assert result.prompts == 1
    assert "el envío no salió del navegador; se pulsa «Iniciar sesión» otra vez" in result.stderr
    assert portal.state.password_attempts == 1
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)


def test_a_slow_answer_to_the_login_is_waited_for_not_pressed_again(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    """Every answer takes 2 s, so the login's answer comes more than 3 s after the press: the form went
    out, and the tool waits for its answer instead of pressing again (the password is sent once)."""
    portal = start_portal(failure="wrong-password", delay=2.0)
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "-o", str(tmp_path), "-v"], answers=[RIGHT])
    assert result.returncode == 3, result.stderr
    assert "el envío no salió" not in result.stderr
    assert portal.state.password_attempts == 1


def test_second_account_and_existing_file_get_a_numbered_name(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    account = ACCOUNTS[1]  # a password with spaces and "ñ"
    portal = start_portal(delivery="attachment")
    # The name carries the day it is saved on: a run that crosses midnight saves on the next day.
    today = dt.date.today()
    days = [today.isoformat(), (today + dt.timedelta(days=1)).isoformat()]
    taken = [tmp_path / f"aviso-retencion-{account.nss}-{day}.pdf" for day in days]
    for earlier in taken:
        earlier.write_bytes(b"the employee's earlier copy")
    cli = Cli(portal, tmp_path, nss=account.nss, password=account.password)
    result = cli.run(["download", *HEADLESS, "-o", str(tmp_path)])
    assert result.returncode == 0, result.stderr
    assert result.saved.name in {f"aviso-retencion-{account.nss}-{day}-2.pdf" for day in days}
    assert result.saved.read_bytes() == notice_pdf(account)
    assert [earlier.read_bytes() for earlier in taken] == [b"the employee's earlier copy"] * 2


def test_default_out_is_the_current_folder_and_env_file_is_read(portal: MockPortal, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"INFONAVIT_NSS={ACCOUNT.nss}\nINFONAVIT_PASSWORD='{ACCOUNT.password}'\n")
    cli = Cli(portal, tmp_path, env={"INFONAVIT_NSS": None, "INFONAVIT_PASSWORD": None})  # type: ignore[dict-item]
    result = cli.run(["download", *HEADLESS])
    assert result.returncode == 0, result.stderr
    assert result.saved.parent == tmp_path.resolve()


def test_real_environment_wins_over_the_env_file(portal: MockPortal, tmp_path: Path) -> None:
    other = tmp_path / "otro.env"
    other.write_text("INFONAVIT_NSS=31927465000\nINFONAVIT_PASSWORD=otra-clave-123\n")
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--env-file", str(other)])
    assert result.returncode == 0, result.stderr
    assert ACCOUNT.nss in result.saved.name  # INFONAVIT_NSS from the environment, not the file


def test_slow_portal_still_works(start_portal: Callable[..., MockPortal], tmp_path: Path) -> None:
    portal = start_portal(delay=0.5, delivery="form-post")
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "-o", str(tmp_path)])
    assert result.returncode == 0, result.stderr
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)


def test_session_expired_midway_is_recovered_by_logging_in_again(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(failure="session-expired")
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "-o", str(tmp_path)], answers=[RIGHT, RIGHT])
    assert result.returncode == 0, result.stderr
    assert "La sesión del portal expiró" in result.stderr
    assert portal.state.logins == 2
    assert_password_policy(portal.state, session_expired=True)  # sent twice, the first time accepted
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)


def test_a_page_that_failed_to_load_is_loaded_again_once(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(failure="server-error-once")
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "-o", str(tmp_path), "-v"])
    assert result.returncode == 0, result.stderr
    assert "se vuelve a cargar una vez" in result.stderr
    assert portal.state.requests.count("GET /credito/solicitud") == 2
    assert portal.state.password_attempts == 1


def test_demo_auto(tmp_path: Path) -> None:
    result = Cli(None, tmp_path).run(["demo", "--auto", "--out", str(tmp_path / "demo")])
    assert result.returncode == 0, result.stderr
    assert result.prompts == 0
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)
    assert "portal de prueba" in result.stderr


def test_help_and_version_do_not_import_playwright(tmp_path: Path) -> None:
    import subprocess
    import sys

    for flag in ("--help", "--version"):
        run = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "infonavit_fetch", flag],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=True,
        )
        imported = [line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if "|" in line]
        assert not [name for name in imported if name.startswith(("playwright", "pypdf", "dotenv"))], flag
        assert run.stdout.strip()


def test_json_summary_and_email_draft_in_a_folder_with_spaces_and_accents(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    import email
    import json
    from email import policy

    portal = start_portal(delivery="blob")
    out = tmp_path / "Usuarios" / "José" / "Mis documentos"
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--out", str(out), "--json", "--email-draft"])
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1
    answer = json.loads(result.stdout)
    pdf = Path(answer["archivo"])
    assert pdf.parent == out and pdf.read_bytes() == notice_pdf(ACCOUNT)
    assert answer["aviso"]["credito"] == ACCOUNT.credit_number
    assert answer["aviso"]["nss"] == "*******1213"
    assert answer["aviso"]["tipo_descuento"] == ACCOUNT.discount_type
    assert answer["faltantes"] == []
    assert "Número de crédito:" in result.stderr and ACCOUNT.employer_name in result.stderr

    draft = Path(answer["borrador_correo"])
    assert draft == pdf.with_suffix(".eml")
    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["To"] == "care@manpowergroup.com.mx"
    assert message["X-Unsent"] == "1"
    assert ACCOUNT.nss in message["Subject"] and ACCOUNT.credit_number in message["Subject"]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and ACCOUNT.credit_number in body.get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == pdf.name
    assert attachment.get_content() == notice_pdf(ACCOUNT)


def test_other_markup_help_text_that_reads_like_an_error_is_not_the_answer(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    # "Si el código es incorrecto…" stands on the page from the start: after a wrong code it must not hide
    # the real answer, and after a wrong password it must not pass for a wrong code (a second password).
    portal = start_portal(plain_markup=True)
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "-o", str(tmp_path)], answers=[WRONG, RIGHT])
    assert result.returncode == 0, result.stderr
    refusing = start_portal(plain_markup=True, failure="wrong-password")
    result = Cli(refusing, tmp_path).run(["download", *HEADLESS, "-o", str(tmp_path / "no")], answers=[RIGHT, RIGHT])
    assert result.returncode == 3, result.stderr
    assert result.prompts == 1 and refusing.state.password_attempts == 1


def test_same_wording_other_markup_script_popup_and_base64_pdf(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(plain_markup=True, mi_espacio_popup=True, delivery="base64-json")
    cli = Cli(portal, tmp_path)

    def read_then_type(proc: subprocess.Popen[str], marker: str) -> None:
        # A person looks at the picture a moment before typing; meanwhile the portal's notice shows (a
        # quarter second after the page), and it is over the form when the code is typed. An instant
        # answer could beat the notice, and then there is nothing to close.
        time.sleep(1.0)
        cli.answer(proc, RIGHT)

    result = cli.run(["download", *HEADLESS, "-o", str(tmp_path), "-v"], answers=[read_then_type])
    assert result.returncode == 0, result.stderr
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)
    assert "abrió una pestaña nueva" in result.stderr
    assert "se cerró un aviso" in result.stderr


def test_without_a_display_it_goes_headless_with_the_terminal_captcha_and_says_so(
    portal: MockPortal, tmp_path: Path
) -> None:
    result = Cli(portal, tmp_path).run(["download", "-o", str(tmp_path)])  # no --headless, no DISPLAY
    assert result.returncode == 0, result.stderr
    assert "No hay pantalla: el navegador trabajará oculto y el código se pedirá aquí." in (result.stderr)
    assert result.prompts == 1
    assert result.saved.read_bytes() == notice_pdf(ACCOUNT)
