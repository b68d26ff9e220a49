"""What the employee reads around the download itself: help, option errors, prompts, the end of a run.

All through the real command in a subprocess; Spanish by default, English with --lang en.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.mock_portal import MockPortal
from tests.cli import Cli, browser_processes

ROOT = Path(__file__).parent.parent


# Installed as the README says (pipx): the command is on PATH, so the help names it by its name alone
# (tests/test_next_step.py checks the full path printed when it is not).
INSTALLED = {"PATH": os.pathsep.join((str(Path(sys.executable).parent), os.environ.get("PATH", "")))}


def cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, stdin: int | None = None, pipe: bool = False
):
    """The command with stdin from /dev/null (nobody there), a pty (`stdin`), or an empty pipe (`pipe`)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("INFONAVIT_") and k not in ("DISPLAY",)}
    return subprocess.run(
        [sys.executable, "-m", "infonavit_fetch", *args],
        capture_output=True,
        text=True,
        env={**base, "COLUMNS": "80", **(env or {})},
        cwd=cwd or ROOT,
        stdin=stdin if stdin is not None else (None if pipe else subprocess.DEVNULL),
        input="" if pipe else None,
        timeout=60,
    )


@pytest.mark.parametrize("command", [[], ["download"], ["demo"], ["doctor"], ["descargar"], ["prueba"], ["revisar"]])
def test_help_is_spanish_and_fits_80_columns(command: list[str]) -> None:
    run = cli(*command, "--help", env=INSTALLED)
    assert run.returncode == 0
    assert run.stdout.startswith("Empieza con: infonavit-fetch demo\n\nUso: " if command == [] else "Uso: ")
    assert "Opciones:" in run.stdout and "Muestra esta ayuda y termina." in run.stdout
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "[default:", "env var:", "<path>"):
        assert english not in run.stdout
    for noise in ("[por omisión", "[variable", "x>=", "x<=", "<=x", "[x"):
        assert noise not in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    # The exit codes are listed in the top-level help only; each command's help points there.
    if command == []:
        assert "faltan credenciales sin\n       terminal" in run.stdout or "sin terminal)" in run.stdout
        assert "Códigos de salida:" in run.stdout and " 143  " in run.stdout
    else:
        assert "SIGHUP" not in run.stdout and "Códigos de salida:" not in run.stdout
        assert "Los códigos de salida están en: infonavit-fetch --help" in run.stdout


def test_help_in_english_with_lang_en() -> None:
    run = cli("download", "--lang", "en", "--help", env=INSTALLED)
    assert run.stdout.startswith("Usage: ") and "download [OPTIONS]" in run.stdout
    assert "Show" in run.stdout and "The exit codes are in: infonavit-fetch --help" in run.stdout
    assert "Códigos" not in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    top = cli("--help", env={"INFONAVIT_LANG": "en", **INSTALLED})
    assert top.stdout.startswith("Start with: infonavit-fetch demo") and "Exit codes:" in top.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["download", "--timeout", "0"], "--timeout debe ser un número de segundos entre 1 y 600 (se recibió 0.0)."),
        (["download", "--timeout", "abc"], "El valor de --timeout no es válido: debe ser un número."),
        (["download", "--lang", "fr"], "«fr» no es una opción; usa una de: es, en"),
        (["download", "--pasword"], "No existe la opción --pasword."),
        (["download", "--out"], "Falta el valor de --out."),
        (["bajar"], "No existe el comando «bajar»."),
    ],
)
def test_option_errors_are_spanish(args: list[str], said: str) -> None:
    run = cli(*args)
    assert run.returncode == 2
    assert said in run.stderr
    assert "Error:" not in run.stderr and "Usage" not in run.stderr and "Try '" not in run.stderr
    assert "(código de salida 2)" in run.stderr and "--debug-dir" not in run.stderr


def test_option_errors_in_english() -> None:
    run = cli("download", "--lang", "en", "--captcha-timeout", "1")
    assert "--captcha-timeout must be a number of seconds between 5 and 3600 (got 1.0)." in run.stderr


@pytest.mark.parametrize("given", [["--password", "secreto"], ["--password=secreto"]])
def test_password_option_says_how_to_give_it(given: list[str]) -> None:
    run = cli("download", *given)
    assert run.returncode == 2
    assert "nunca se escribe en la línea de comandos" in run.stderr
    assert "INFONAVIT_PASSWORD" in run.stderr and ".env" in run.stderr and "se te pregunta" in run.stderr
    assert "secreto" not in run.stderr


def test_out_that_is_a_file_is_said_plainly(tmp_path: Path) -> None:
    (tmp_path / "avisos").write_text("")
    run = cli(
        "download",
        "--nss",
        "84966311213",
        "--out",
        str(tmp_path / "avisos"),
        env={"INFONAVIT_PASSWORD": "x"},
        pipe=True,
    )
    assert run.returncode == 9
    assert f"No se puede guardar en {tmp_path / 'avisos'}: es un archivo, no una carpeta." in run.stderr
    assert "File exists" not in run.stderr and "--debug-dir" not in run.stderr


def test_read_only_folder_is_said_plainly(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a read-only file system here")
    try:
        run = cli("download", "--nss", "84966311213", "--out", str(ro), env={"INFONAVIT_PASSWORD": "x"}, pipe=True)
    finally:
        subprocess.run(["umount", str(ro)], check=False)
    assert run.returncode == 9
    assert "está en un disco de solo lectura" in run.stderr and "Read-only" not in run.stderr


def test_env_file_in_latin1_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes("# contraseña de María\nINFONAVIT_NSS=84966311215\n".encode("latin-1"))
    run = cli("download", cwd=tmp_path, env={"INFONAVIT_PASSWORD": "x"})
    assert run.returncode == 2
    assert "dígito verificador" in run.stderr  # the NSS inside was read; no codec error
    assert "codec" not in run.stderr


def test_missing_password_without_terminal_does_not_contradict_itself(tmp_path: Path) -> None:
    run = cli("download", "--nss", "84966311213", cwd=tmp_path)
    assert run.returncode == 2
    assert "Falta la contraseña y no hay una terminal donde preguntarla." in run.stderr
    assert "INFONAVIT_PASSWORD" in run.stderr and "nunca en la línea de comandos" in run.stderr
    assert "se pedirá aquí" not in run.stderr and "--debug-dir" not in run.stderr


def test_no_way_to_ask_for_the_code_stops_before_the_browser(tmp_path: Path) -> None:
    marker = "--infonavit-test-run=never-started"
    started = time.monotonic()
    run = cli(
        "download",
        "--out",
        str(tmp_path),
        env={"INFONAVIT_NSS": "84966311213", "INFONAVIT_PASSWORD": "x", "INFONAVIT_BROWSER_ARGS": marker},
    )
    assert run.returncode == 2
    assert "No hay pantalla ni una terminal donde escribir el código de la imagen." in run.stderr
    assert "Abriendo el portal" not in run.stderr and "se pedirá aquí" not in run.stderr
    assert time.monotonic() - started < 10 and browser_processes("never-started") == []


def test_nss_prompt_asks_again_after_a_typo(portal: MockPortal, tmp_path: Path) -> None:
    """At a terminal (a pty here): two typos, then the right NSS; the run goes on to the end."""
    master, slave = pty.openpty()
    env = Cli(portal, tmp_path).base_env("nss-prompt")
    env.pop("INFONAVIT_NSS")
    proc = subprocess.Popen(
        [sys.executable, "-m", "infonavit_fetch", "download", "--out", str(tmp_path), "--portal-url", portal.url],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
        text=True,
    )
    os.close(slave)
    assert proc.stderr is not None
    seen = ""
    for answer in ("12345678901", "8496631121", "84966311213"):
        while seen.count("(NSS): ") <= ("12345678901", "8496631121", "84966311213").index(answer):
            seen += proc.stderr.read(1)
        os.write(master, (answer + "\n").encode())
    while "Enter: " not in seen:
        seen += proc.stderr.read(1)
    os.write(master, (portal.state.last_captcha + "\n").encode())
    out, rest = proc.communicate(timeout=120)
    os.close(master)
    seen += rest
    assert proc.returncode == 0, seen
    assert seen.count("(NSS): ") == 3
    assert "✗ El NSS no es válido: su último dígito (dígito verificador) no corresponde." in seen
    assert "✗ El NSS debe tener 11 dígitos y el que escribiste tiene 10." in seen
    assert Path(out.strip()).exists()


def test_nss_prompt_gives_up_after_three_typos(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    os.write(master, b"1\n2\n3\n")
    run = cli("download", cwd=tmp_path, env={"INFONAVIT_PASSWORD": "x"}, stdin=slave)
    os.close(slave)
    os.close(master)
    assert run.returncode == 2
    assert run.stderr.count("(NSS): ") == 3
    assert "--debug-dir" not in run.stderr


def test_a_successful_run_ends_with_its_time_and_the_next_step(portal: MockPortal, tmp_path: Path) -> None:
    result = Cli(portal, tmp_path).run(["download", "--out", str(tmp_path)])
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"Listo en \d+\.\d s\.\nSiguiente paso: envía el PDF a CARE \(care@manpowergroup\.com\.mx\)\.", result.stderr
    )
    assert result.stdout == f"{result.saved}\n"  # stdout stays the path alone

    drafted = Cli(portal, tmp_path).run(["download", "--out", str(tmp_path), "--email-draft", "--json"])
    assert drafted.returncode == 0, drafted.stderr
    draft = next(tmp_path.glob("*.eml"))
    assert f"Siguiente paso: abre el borrador {draft} y pulsa «Enviar»." in drafted.stderr
    assert drafted.stdout.startswith("{") and drafted.stdout.count("\n") == 1


def test_debug_dir_is_offered_only_where_a_report_helps(start_portal, tmp_path: Path) -> None:
    wrong_password = Cli(start_portal(failure="wrong-password"), tmp_path).run(["download", "--out", str(tmp_path)])
    assert wrong_password.returncode == 3 and "--debug-dir" not in wrong_password.stderr
    lost = ["download", "--out", str(tmp_path), "--timeout", "5"]  # the way is lost after the patience
    changed = Cli(start_portal(failure="no-print"), tmp_path).run(lost)
    assert changed.returncode == 8 and "--debug-dir" in changed.stderr


def test_second_demo_reinstalls_nothing_and_says_only_its_own_lines(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    subprocess.run(["bash", "scripts/setup.sh"], cwd=ROOT, check=True, capture_output=True, timeout=600)
    # What a reinstall would touch: the stamp of the installed project and pip's log.
    traces = [ROOT / ".venv" / ".infonavit-fetch-installed", ROOT / ".venv" / "install.log"]
    before = [path.stat().st_mtime_ns if path.exists() else None for path in traces]
    run = subprocess.run(
        ["bash", "scripts/demo.sh", "--auto", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    for noise in ("WARNING", "pip", "setuptools", "Preparando", "Collecting", "Successfully"):
        assert noise not in run.stderr
    assert re.search(r"Listo en (\d+\.\d) s", run.stderr) is not None, run.stderr
    assert [path.stat().st_mtime_ns if path.exists() else None for path in traces] == before  # nothing reinstalled
    assert Path(run.stdout.strip()).parent == tmp_path


def test_a_step_tried_again_gets_no_check_mark(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal: the captcha step shown again (a wrong code) marks the earlier try ✗, never ✓."""
    import io

    from infonavit_fetch.cli.console import Console

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("TERM", "xterm")
    screen = Terminal()
    console = Console(stderr=screen)
    console.step("Esperando el código de la imagen (captcha)…")
    console.say("El código no coincidió. El portal mostró un código nuevo.")
    console.step("Esperando el código de la imagen (captcha)…")
    console.step("Sesión iniciada.")
    console.close()
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", screen.getvalue())
    assert "✗ Esperando el código de la imagen (captcha)…" in text
    assert "✓ Esperando el código de la imagen (captcha)…" in text  # the second try, which did work
    assert text.index("✗ Esperando") < text.index("✓ Esperando")
