"""Issue #10, "Guard the employee": faults answered at once, signals cleaned up after, nothing of the
person's handed to other processes or left where others could use it.

End-to-end tests run the real CLI against the mock portal, in its own process group (see tests/cli.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.mock_portal import ACCOUNTS, MockPortal, notice_pdf
from fixtures.mock_portal.server import PDF_PATH
from infonavit_fetch.browser.launch import process_ended, profile_owner
from infonavit_fetch.cli import interrupts
from infonavit_fetch.job import ensure_writable
from infonavit_fetch.outputs.diagnostics import Redactor
from infonavit_fetch.outputs.files import create_new
from infonavit_fetch.outputs.save import notice_filename, save_notice
from tests.cli import CTRL_C, RIGHT, Cli, browser_processes, wait_browser_gone

ACCOUNT = ACCOUNTS[0]
HEADLESS = ["--headless", "--captcha", "terminal"]
# Lines that are not the tool's own: Python's and Playwright's complaints while shutting down.
NOISE = ("Traceback", "Future exception", "Exception ignored", "Error occurred", "Connection closed")


def assert_only_the_tools_lines(stderr: str) -> None:
    for noise in NOISE:
        assert noise not in stderr, f"{noise!r} in:\n{stderr}"


def cmdline(pid: int) -> list[str]:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def descendants(root: int) -> list[int]:
    """Every process started, directly or not, by `root` (the Playwright driver, the browser, its helpers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat_line = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat_line.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def main_browser_process(marker: str) -> int:
    (pid,) = [pid for pid in browser_processes(marker) if not any(a.startswith("--type=") for a in cmdline(pid))]
    return pid


# --- item 5: a browser that dies while the terminal asks for the code ------------------------------


def test_a_browser_that_dies_at_the_terminal_captcha_is_noticed_at_once(portal: MockPortal, tmp_path: Path) -> None:
    killed_at: list[float] = []

    def crash(proc: subprocess.Popen[str], marker: str) -> None:
        os.kill(main_browser_process(marker), signal.SIGKILL)
        killed_at.append(time.monotonic())

    out = tmp_path / "avisos"
    result = Cli(portal, tmp_path).run(
        ["download", *HEADLESS, "-o", str(out), "--captcha-timeout", "120"], answers=[crash]
    )
    took = time.monotonic() - killed_at[0]
    assert result.returncode == 130, result.stderr
    assert "Se cerró la ventana del navegador" in result.stderr
    assert took < 5, f"noticed after {took:.1f} s"
    assert_only_the_tools_lines(result.stderr)
    assert not out.exists() or list(out.iterdir()) == []


# --- items 6 and 7: Ctrl-C, SIGTERM and SIGHUP clean up the same way, and quietly -------------------


def send_to_group(name: str) -> Callable[[subprocess.Popen[str], str], None]:
    """A closed terminal sends SIGHUP to the whole group, as Ctrl-C sends SIGINT."""
    return lambda proc, _marker: os.killpg(proc.pid, getattr(signal, name))


def send_to_tool(name: str) -> Callable[[subprocess.Popen[str], str], None]:
    """`kill`, a service manager or a logout send SIGTERM to the tool alone."""
    return lambda proc, _marker: proc.send_signal(getattr(signal, name))


@pytest.mark.parametrize(
    ("how", "code", "said"),
    [
        (CTRL_C, 130, "Cancelado."),
        (send_to_tool("SIGTERM"), 143, "Cancelado: se recibió la señal SIGTERM."),
        (send_to_group("SIGHUP"), 129, "Cancelado: se recibió la señal SIGHUP."),
        # What a terminal does: the signal reaches the whole group, the driver and the browser with the tool.
        (send_to_group("SIGINT"), 130, "Cancelado."),
        (send_to_group("SIGTERM"), 143, "Cancelado: se recibió la señal SIGTERM."),
    ],
    ids=["ctrl-c", "sigterm", "sighup", "sigint-to-group", "sigterm-to-group"],
)
def test_signals_at_the_captcha_prompt_clean_up_everything(
    portal: MockPortal,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    how: str | Callable[[subprocess.Popen[str], str], None],
    code: int,
    said: str,
) -> None:
    profiles: list[str] = []
    during: list[str] = []

    def stop(proc: subprocess.Popen[str], marker: str) -> None:
        args = cmdline(main_browser_process(marker))
        profiles.extend(a.split("=", 1)[1] for a in args if a.startswith("--user-data-dir="))
        during.extend(p.name for p in temp.iterdir())
        if callable(how):
            how(proc, marker)
        else:
            cli.answer(proc, how)

    out = tmp_path / "avisos"
    # The person's temporary folder: nothing of the run may stay in it. A short path: Chromium puts a socket
    # there, and a socket's path has a short limit.
    temp = Path(tempfile.mkdtemp(prefix="if-"))
    request.addfinalizer(lambda: shutil.rmtree(temp, ignore_errors=True))
    cli = Cli(portal, tmp_path, env={"TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp)})
    result = cli.run(["download", *HEADLESS, "-o", str(out)], answers=[stop])
    assert result.returncode == code, result.stderr
    assert wait_browser_gone(result.marker) == []
    assert sorted(p.name for p in temp.iterdir()) == []
    # While it ran, only the tool's own three were there (the driver's folder, the profile, the picture of the
    # code): the driver and the browser keep their files in that folder of their own, whatever a signal
    # leaves of them goes with it (whether Chromium cleaned up after a signal depends on the moment).
    assert during and all(name.startswith(("ift-", "infonavit-fetch-", "infonavit-codigo-")) for name in during), during
    assert said in result.stderr and "No se guardó nada." in result.stderr
    assert re.search(r"^✗ Cancelado", result.stderr, re.MULTILINE)  # on a line of its own, not after the question
    assert "vuelve a ejecutar el comando" in result.stderr  # what to do next
    assert_only_the_tools_lines(result.stderr)
    image = re.search(r"La imagen del código está en: (\S+)", result.stderr)
    assert image is not None and not Path(image.group(1)).exists()
    assert profiles and not Path(profiles[0]).exists()
    assert wait_browser_gone(result.marker) == []
    assert not out.exists()  # the tool made it for the notice, which never came


@pytest.mark.skipif(sys.platform != "linux", reason="Chromium's profile lock names its process on Linux and macOS")
def test_the_profile_is_removed_only_after_its_browser_has_ended(tmp_path: Path) -> None:
    """A closed terminal's SIGHUP makes the driver close the browser too: the tool's close can return
    while the browser still writes into its profile, which would then outlive the run."""
    browser = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    os.symlink(f"vm-host-{browser.pid}", tmp_path / "SingletonLock")
    assert profile_owner(str(tmp_path)) == browser.pid
    assert not process_ended(browser.pid, 0.2)
    assert browser.stdin is not None
    ends = threading.Timer(0.5, browser.stdin.close)
    ends.start()
    started = time.monotonic()
    assert process_ended(browser.pid, 10)
    assert 0.3 < time.monotonic() - started < 5
    browser.wait()
    assert process_ended(browser.pid, 10)  # long gone
    (tmp_path / "SingletonLock").unlink()
    assert profile_owner(str(tmp_path)) is None


def test_ctrl_c_while_the_pdf_is_in_transit_prints_only_the_tools_lines(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(delay=1.0)  # every answer takes a second: the PDF is on its way for that long
    started: list[subprocess.Popen[str]] = []

    def press_ctrl_c_when_the_pdf_is_asked_for() -> None:
        deadline = time.monotonic() + 90
        while not any(PDF_PATH in request for request in portal.state.requests):
            assert time.monotonic() < deadline, "the PDF was never asked for"
            time.sleep(0.02)
        os.killpg(started[0].pid, signal.SIGINT)

    out = tmp_path / "avisos"
    result = Cli(portal, tmp_path).run(
        ["download", *HEADLESS, "-o", str(out)], on_start=started.append, human=press_ctrl_c_when_the_pdf_is_asked_for
    )
    assert result.returncode == 130, result.stderr
    assert "Cancelado." in result.stderr
    assert_only_the_tools_lines(result.stderr)
    assert not out.exists() or list(out.iterdir()) == []
    assert wait_browser_gone(result.marker) == []


def test_signal_set_up_works_where_there_is_no_sighup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(signal, "SIGHUP")  # as on Windows
    monkeypatch.setattr(interrupts, "quiet_shutdown", lambda: None)  # keep this test process's logging as it is
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(interrupts.Interrupted) as stopped, interrupts.handled():
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100):  # the handler runs between two bytecodes of the main thread
            time.sleep(0.01)
    assert stopped.value.name == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) is before


# --- item 8: the driver and the browser never see the secrets -----------------------------------------


def test_the_driver_and_the_browser_do_not_inherit_the_secrets(portal: MockPortal, tmp_path: Path) -> None:
    environments: dict[str, bytes] = {}  # command line → environment

    def look_then_answer(proc: subprocess.Popen[str], marker: str) -> None:
        for pid in descendants(proc.pid):
            try:
                environments[" ".join(cmdline(pid))] = (Path("/proc") / str(pid) / "environ").read_bytes()
            except OSError:
                continue
        cli.answer(proc, RIGHT)

    cli = Cli(portal, tmp_path)
    result = cli.run(["download", *HEADLESS, "-o", str(tmp_path)], answers=[look_then_answer])
    assert result.returncode == 0, result.stderr
    assert any("run-driver" in c for c in environments) and any(result.marker in c for c in environments)
    for command, environment in environments.items():
        names = {entry.split(b"=", 1)[0] for entry in environment.split(b"\0")}
        assert not names & {b"INFONAVIT_PASSWORD", b"INFONAVIT_NSS"}, command
        assert ACCOUNT.password.encode() not in environment, command


def test_playwright_debug_logging_set_by_someone_never_shows_what_is_typed(portal: MockPortal, tmp_path: Path) -> None:
    """DEBUG=pw:api is the first thing a Playwright troubleshooting guide asks for; its log quotes every
    fill, so the driver is started without it (and without its file and inspector switches)."""
    log_file = tmp_path / "pw.log"
    cli = Cli(portal, tmp_path, env={"DEBUG": "pw:api,pw:protocol", "DEBUG_FILE": str(log_file)})
    result = cli.run(["download", *HEADLESS, "-o", str(tmp_path / "out")], answers=[RIGHT])
    assert result.returncode == 0, result.stderr
    written = log_file.read_text(errors="replace") if log_file.exists() else ""
    for text in (result.stderr, result.stdout, written):
        assert ACCOUNT.password not in text
        assert "pw:api" not in text


# --- item 3: files in --out are new, of random names, never through a link -------------------------------


def test_the_writability_probe_leaves_a_planted_link_and_its_target_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victima.txt"
    victim.write_text("datos de otra persona")
    out = tmp_path / "avisos"
    out.mkdir()
    planted = out / f".infonavit-fetch-{os.getpid()}.probe"  # the name the probe had before
    planted.symlink_to(victim)
    ensure_writable(out)
    assert victim.read_text() == "datos de otra persona"
    assert planted.is_symlink() and os.listdir(out) == [planted.name]


def test_a_leftover_part_file_is_neither_in_the_way_nor_deleted(tmp_path: Path) -> None:
    day = dt.date(2026, 1, 2)
    leftover = tmp_path / f".{notice_filename(ACCOUNT.nss, day)}.{os.getpid()}.part"  # the name it had before
    leftover.write_bytes(b"an earlier run's")
    saved = save_notice(notice_pdf(ACCOUNT), tmp_path, ACCOUNT.nss, day)
    assert saved.read_bytes() == notice_pdf(ACCOUNT)
    assert leftover.read_bytes() == b"an earlier run's"
    assert sorted(os.listdir(tmp_path)) == sorted([leftover.name, saved.name])


def test_new_files_are_never_opened_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "target"
    for link in (tmp_path / "dangling", tmp_path / "to-a-file"):
        if link.name == "to-a-file":
            target.write_text("x")
        link.symlink_to(target)
        with pytest.raises(FileExistsError):
            create_new(link)
    assert target.read_text() == "x"


# --- item 9: smaller guards --------------------------------------------------------------------------------


def test_the_redactor_does_not_show_the_secrets() -> None:
    shown = repr(Redactor(ACCOUNT.nss, ACCOUNT.password))
    assert ACCOUNT.password not in shown and ACCOUNT.nss not in shown


def test_a_pdf_that_is_not_the_notice_is_kept_under_a_name_that_says_so_and_the_run_fails(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(failure="other-pdf")
    out = tmp_path / "avisos"
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "-o", str(out), "--email-draft"])
    assert result.returncode == 10, result.stderr
    assert result.stdout == ""
    (kept,) = out.iterdir()  # no draft for CARE, no file named like the notice
    assert kept.name.startswith("NO-ES-EL-AVISO-") and kept.suffix == ".pdf"
    assert kept.read_bytes() == portal.state.served_documents[-1] != notice_pdf(ACCOUNT)
    assert "no es el «aviso de retención de descuentos»" in result.stderr and kept.name in result.stderr
    assert "(código de salida 10)" in result.stderr


def test_a_notice_of_another_worker_is_kept_aside_and_never_saved_as_yours(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(failure="someone-elses-notice")
    out = tmp_path / "avisos"
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "-o", str(out), "--email-draft", "--json"])
    assert result.returncode == 10, result.stderr
    assert result.stdout == ""
    (kept,) = out.iterdir()  # no draft, nothing named as this worker's notice
    assert kept.name.startswith("NO-ES-TU-AVISO-") and kept.suffix == ".pdf"
    assert kept.read_bytes() == portal.state.served_documents[-1] != notice_pdf(ACCOUNT)
    assert "aviso de retención de otro trabajador" in result.stderr and kept.name in result.stderr
    assert f"el tuyo en {ACCOUNT.nss[-4:]}" in result.stderr
    other = next(a for a in ACCOUNTS if a.nss != ACCOUNT.nss)
    assert other.nss not in result.stderr and other.name not in result.stderr  # nothing of theirs shown


def test_an_answer_bigger_than_any_notice_is_not_read_and_the_run_says_so(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(failure="huge-notice")  # 60 MB where the notice should be
    out = tmp_path / "avisos"
    started = time.monotonic()
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "-o", str(out), "--timeout", "30"], timeout=120)
    assert result.returncode == 8, result.stderr
    assert "más de 20 MB" in result.stderr
    assert time.monotonic() - started < 30  # said when it came, not after the whole step time
    assert_only_the_tools_lines(result.stderr)
    assert not out.exists() or list(out.iterdir()) == []
    assert wait_browser_gone(result.marker) == []


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_the_password_typed_at_the_terminal_is_not_shown(tmp_path: Path) -> None:
    """In a real terminal (a pseudo-terminal here) the password prompt does not echo what is typed."""
    import pty

    secret = "NoDebeVerse#77"
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFONAVIT_")}
    args = [sys.executable, "-m", "infonavit_fetch", "download", "--nss", "84966311213", "--headless"]
    args += ["--captcha", "terminal", "--portal-url", "http://127.0.0.1:9/", "--out", str(tmp_path / "avisos")]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the tool, with the pseudo-terminal as its terminal
        os.chdir(tmp_path)
        os.execve(sys.executable, args, env)
    seen = b""
    deadline = time.monotonic() + 60
    typed = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child ended: the terminal is gone
                break
            if not chunk:
                break
            seen += chunk
        if not typed and b"no se ve al escribir" in seen:
            os.write(fd, secret.encode() + b"\r")
            typed = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert typed, seen.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 6, seen.decode(errors="replace")  # nothing listens on port 9
    assert secret.encode() not in seen
