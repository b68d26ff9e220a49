"""Run the real CLI in a subprocess and play the employee at its captcha prompt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fixtures.mock_portal import ACCOUNTS, MockPortal

PROMPT = "Escribe el código de la imagen y pulsa Enter:"
OTP_PROMPT = "Escribe el código que te envió el portal (SMS o correo) y pulsa Enter:"
ACCOUNT = ACCOUNTS[0]

# What the employee does at each prompt: type the right code, a wrong one, close stdin, or press Ctrl-C.
RIGHT, WRONG, EOF, CTRL_C, WAIT = "right", "wrong", "eof", "ctrl-c", "wait"
# ... or anything else, done by a function given the process and the run's marker (see browser_processes).
Act = Callable[["subprocess.Popen[str]", str], None]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    marker: str
    prompts: int

    @property
    def saved(self) -> Path:
        lines = self.stdout.splitlines()
        assert len(lines) == 1, f"stdout must be exactly the path, got {self.stdout!r}\nstderr:\n{self.stderr}"
        return Path(lines[0])


@dataclass
class Cli:
    """`Cli(portal).run([...])`: the tool as an employee would run it, NSS and password in the environment."""

    portal: MockPortal | None
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    nss: str = ACCOUNT.nss
    password: str = ACCOUNT.password
    browser_args: tuple[str, ...] = ()
    wrapper: tuple[str, ...] = ()  # e.g. ("xvfb-run", "-a") for a visible browser on a virtual screen

    def base_env(self, marker: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INFONAVIT_")}
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
        from tests.conftest import browser_executable

        env.update(
            INFONAVIT_BROWSER_PATH=browser_executable(),
            INFONAVIT_NSS=self.nss,
            INFONAVIT_PASSWORD=self.password,
            # An unknown switch Chromium ignores: it lets the test find the browser's processes.
            INFONAVIT_BROWSER_ARGS=" ".join((f"--infonavit-test-run={marker}", *self.browser_args)),
            PYTHONUNBUFFERED="1",
        )
        env.update(self.env)
        return {k: v for k, v in env.items() if v is not None}

    def run(
        self,
        args: Sequence[str],
        *,
        answers: Sequence[str | Act] = (RIGHT,),
        timeout: float = 120,
        on_start: Callable[[subprocess.Popen[str]], None] | None = None,
        human: Callable[[], None] | None = None,
    ) -> Result:
        """Run to the end. `human`, if given, runs in a thread alongside: the person at the browser."""
        marker = uuid.uuid4().hex
        cmd = [*self.wrapper, sys.executable, "-m", "infonavit_fetch", *args]
        if self.portal is not None and args and args[0] == "download" and "--portal-url" not in args:
            cmd += ["--portal-url", self.portal.url]
        proc = subprocess.Popen(
            cmd,
            cwd=self.cwd,
            env=self.base_env(marker),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            start_new_session=True,  # its own process group, so Ctrl-C reaches all of it as on a terminal
        )
        if on_start:
            on_start(proc)
        stderr: list[str] = []
        changed = threading.Condition()

        def pump_stderr() -> None:
            assert proc.stderr is not None
            while chunk := proc.stderr.read(1):
                with changed:
                    stderr.append(chunk)
                    changed.notify_all()
            with changed:
                changed.notify_all()

        out: list[str] = []
        threads = [
            threading.Thread(target=pump_stderr, daemon=True),
            threading.Thread(target=lambda: out.append(proc.stdout.read() if proc.stdout else ""), daemon=True),
        ]
        human_errors: list[BaseException] = []
        if human is not None:

            def play() -> None:
                try:
                    human()
                except BaseException as exc:
                    human_errors.append(exc)

            threads.append(threading.Thread(target=play, daemon=True))
        for thread in threads:
            thread.start()
        answered = 0
        deadline = time.monotonic() + timeout
        pending = list(answers)
        while proc.poll() is None and time.monotonic() < deadline and not human_errors:
            with changed:
                changed.wait(timeout=0.2)
                said = "".join(stderr)
                prompts = said.count(PROMPT) + said.count(OTP_PROMPT)
            if prompts > answered:
                answered += 1
                what = pending.pop(0) if pending else EOF
                if callable(what):
                    what(proc, marker)
                else:
                    self.answer(proc, what)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            if human_errors:
                raise AssertionError(f"the person failed; stderr:\n{''.join(stderr)}") from human_errors[0]
            raise AssertionError(f"the CLI did not finish in {timeout} s; stderr so far:\n{''.join(stderr)}")
        for thread in threads:
            thread.join(timeout=10)
        if human_errors:
            raise AssertionError(f"the person could not do their part; stderr:\n{''.join(stderr)}") from human_errors[0]
        return Result(proc.returncode, "".join(out), "".join(stderr), marker, answered)

    def answer(self, proc: subprocess.Popen[str], what: str) -> None:
        assert proc.stdin is not None
        if what == WAIT:
            return
        if what == CTRL_C:
            os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the tool, the driver, everything it started
            return
        if what == EOF:
            proc.stdin.close()
            return
        code = self.portal.state.last_captcha if (self.portal and what == RIGHT) else "zzzzz"
        proc.stdin.write(code + "\n")
        proc.stdin.flush()


def browser_processes(marker: str) -> list[int]:
    """Pids of processes started with the run's marker switch (the browser and its helpers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(int(entry.name))
    return found


def wait_browser_gone(marker: str, timeout: float = 10) -> list[int]:
    """The browser must go with the CLI; give the OS a moment to reap the helpers."""
    deadline = time.monotonic() + timeout
    while (left := browser_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left
