"""Handing a file, a folder or a link to the desktop's own programs, and knowing when that failed.

Each opener runs in a session of its own (a viewer outlives the terminal and is not reached by Ctrl-C),
with standard input closed and without the secrets in its environment (they are gone from this process
already, see credentials.forget; they are taken out again here so that no opener can ever get them).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from infonavit_fetch.browser.driver import SECRET_VARIABLES
from infonavit_fetch.i18n import t

# How long the run waits, at most, for an opener that fails at once (xdg-open with no program for the
# file type exits 3 or 4 within a moment); one still running after that is taken as having opened it.
SETTLE_SECONDS = 1.0


def has_display() -> bool:
    if platform.system() in ("Windows", "Darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def clean_environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name not in SECRET_VARIABLES}


def cannot_open() -> str | None:
    """Why nothing at all can be opened here (in the person's words), or None when an opener is at hand."""
    system = platform.system()
    if system == "Windows":
        return None
    if system == "Darwin":
        return None if shutil.which("open") else t("no se encontró el programa «open»")
    if not has_display():
        return t("no hay pantalla (por ejemplo, por SSH)")
    if shutil.which("xdg-open") is None:
        return t(
            "no se encontró xdg-open, el programa que abre archivos (en Debian o Ubuntu: sudo apt install xdg-utils)"
        )
    return None


@dataclass
class Opener:
    """Opens things one after another; `failed()` then says which could not be opened, and why."""

    started: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # what → why

    def open(self, target: str | Path, what: str) -> None:
        """`target`: a path or a URL (mailto:, https:); `what`: how the person calls it («el PDF»)."""
        why = cannot_open()
        if why is not None:
            self.failures[what] = why
            return
        try:
            if platform.system() == "Windows":
                os.startfile(str(target))  # type: ignore[attr-defined]  # noqa: S606 - Windows only
                return
            command = ["open" if platform.system() == "Darwin" else "xdg-open", str(target)]
            self.started.append((what, _start(command)))
        except OSError as exc:
            self.failures[what] = t("el sistema no pudo abrirlo ({p0})", p0=exc.strerror or exc.__class__.__name__)

    def reveal(self, path: Path, what: str) -> None:
        """The folder that holds `path`, with the file picked out where the desktop can (Windows, macOS)."""
        system = platform.system()
        if system == "Windows":
            try:  # explorer exits with 1 even when it opened the folder: its exit code says nothing
                _start(f'explorer /select,"{path}"')
            except OSError as exc:
                self.failures[what] = t("el sistema no pudo abrirlo ({p0})", p0=exc.strerror or "explorer")
        elif system == "Darwin" and shutil.which("open"):
            try:
                self.started.append((what, _start(["open", "-R", str(path)])))
            except OSError as exc:
                self.failures[what] = t("el sistema no pudo abrirlo ({p0})", p0=exc.strerror or "open")
        else:
            self.open(path.parent, what)

    def failed(self) -> dict[str, str]:
        """What could not be opened and why, once each opener started has failed or had its moment."""
        deadline = time.monotonic() + SETTLE_SECONDS
        for what, process in self.started:
            try:
                code = process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                continue  # still at it: a program is showing it
            if code != 0:
                self.failures.setdefault(what, t("no hay un programa para abrirlo"))
        self.started.clear()
        return dict(self.failures)


def _start(command: list[str] | str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=clean_environment(),
        start_new_session=os.name == "posix",
    )
