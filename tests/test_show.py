"""The end of a run without a browser: what is opened for the person, what is said when it cannot be, the
webmail links, and when the PDF's folder opens unasked (a person on a desktop terminal, never a script)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

import pytest

from infonavit_fetch.cli import app as cli
from infonavit_fetch.cli.settings import Settings
from infonavit_fetch.outputs import opener
from infonavit_fetch.outputs.nextstep import compose_link, show_the_notice
from infonavit_fetch.site.notice import NoticeSummary

NSS = "84966311213"
PDF = Path("/home/josé/Documentos/aviso-retencion-84966311213-2026-12-07.pdf")
SUMMARY = NoticeSummary(nombre="JOSÉ ÁNGEL PEÑA MUÑOZ", credito="1526093847")


class FakePopen:
    """A started opener: records its command and environment and exits with `code` (None: still running)."""

    started: ClassVar[list[tuple[Any, dict[str, str]]]] = []
    code: ClassVar[int | None] = 0

    def __init__(self, command: Any, **kwargs: Any) -> None:
        FakePopen.started.append((command, kwargs.get("env", dict(os.environ))))

    def wait(self, timeout: float | None = None) -> int:
        if FakePopen.code is None:
            raise subprocess.TimeoutExpired("opener", timeout or 0)
        return FakePopen.code


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch) -> type[FakePopen]:
    """A Linux desktop whose xdg-open is FakePopen."""
    FakePopen.started = []
    FakePopen.code = 0
    monkeypatch.setattr("platform.system", lambda: "Linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr("subprocess.Popen", FakePopen)
    monkeypatch.setattr(opener, "SETTLE_SECONDS", 0.01)
    return FakePopen


def show(settings: Settings, draft: Path | None = None) -> tuple[Any, list[str]]:
    said: list[str] = []
    shown = show_the_notice(settings, PDF, draft, NSS, SUMMARY, said.append)
    return shown, said


def test_webmail_links_open_a_new_message_with_the_same_fields() -> None:
    gmail = compose_link("gmail", "care@manpowergroup.com.mx", PDF, NSS, SUMMARY)
    outlook = compose_link("outlook", "care@manpowergroup.com.mx", PDF, NSS, SUMMARY)
    subject = "Aviso%20de%20retenci%C3%B3n%20de%20descuentos%20Infonavit%20-%20cr%C3%A9dito%201526093847"
    assert gmail.startswith(
        f"https://mail.google.com/mail/?view=cm&fs=1&to=care@manpowergroup.com.mx&su={subject}&body="
    )
    assert outlook.startswith(
        f"https://outlook.live.com/mail/0/deeplink/compose?to=care@manpowergroup.com.mx&subject={subject}&body="
    )
    for link in (gmail, outlook):
        assert NSS not in link and "%0A" in link and "%0D" not in link and " " not in link
        assert "aviso-retencion-%2A%2A%2A%2A%2A%2A%2A1213-2026-12-07.pdf" in link  # the file, NSS masked
        assert "jos%C3%A9" in link  # its folder, in UTF-8


def test_compose_opens_the_link_then_the_folder_without_the_secrets(
    desktop: type[FakePopen], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INFONAVIT_PASSWORD", "secreta")  # were it still here, no opener would get it
    monkeypatch.setenv("INFONAVIT_NSS", NSS)
    settings = replace(Settings(), compose_to="care@manpowergroup.com.mx", compose_with="gmail")
    shown, said = show(settings)
    commands = [command for command, _ in desktop.started]
    link = compose_link("gmail", "care@manpowergroup.com.mx", PDF, NSS, SUMMARY)
    assert commands == [["xdg-open", link], ["xdg-open", str(PDF.parent)]]
    assert all("INFONAVIT_PASSWORD" not in env and "INFONAVIT_NSS" not in env for _, env in desktop.started)
    assert shown.mail and shown.folder
    assert said == [
        "Se abrió un correo nuevo para care@manpowergroup.com.mx en Gmail.",
        "Se abrió la carpeta del aviso.",
    ]


def test_open_without_xdg_open_says_what_is_missing(desktop: type[FakePopen], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    shown, said = show(replace(Settings(), open_files=True), draft=PDF.with_suffix(".eml"))
    assert desktop.started == []
    assert said == [
        "No se pudo abrir el PDF ni el borrador: no se encontró xdg-open, el programa que abre archivos (en Debian "
        "o Ubuntu: sudo apt install xdg-utils)."
    ]
    assert not shown.folder and not shown.mail


def test_a_mail_program_that_is_not_there_leaves_the_message_to_write(desktop: type[FakePopen]) -> None:
    desktop.code = 3  # xdg-open: no program for mailto: links
    shown, said = show(replace(Settings(), compose_to="care@manpowergroup.com.mx"))
    assert not shown.mail and not shown.folder
    assert said == [
        "No se pudo abrir el correo nuevo en tu programa de correo ni la carpeta del aviso: no hay un programa "
        "para abrirlo.",
        "Escribe tú el correo: para care@manpowergroup.com.mx, con el asunto «Aviso de retención de descuentos "
        "Infonavit - crédito 1526093847», y adjunta el PDF.",
    ]


def test_a_folder_opened_unasked_says_nothing_when_it_cannot(desktop: type[FakePopen]) -> None:
    desktop.code = None  # still running after its moment: taken as shown
    shown, said = show(replace(Settings(), show_folder=True))
    assert shown.folder and said == ["Se abrió la carpeta del aviso."]
    desktop.code = 4
    shown, said = show(replace(Settings(), show_folder=True))
    assert said == [] and not shown.folder


def test_the_folder_is_shown_with_the_file_picked_out_on_windows_and_macos(monkeypatch: pytest.MonkeyPatch) -> None:
    FakePopen.started, FakePopen.code = [], 0
    monkeypatch.setattr("subprocess.Popen", FakePopen)
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(opener, "SETTLE_SECONDS", 0.01)
    for system in ("Windows", "Darwin"):
        monkeypatch.setattr("platform.system", lambda system=system: system)
        show(replace(Settings(), show_folder=True))
    assert [command for command, _ in FakePopen.started] == [f'explorer /select,"{PDF}"', ["open", "-R", str(PDF)]]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stdout", "open_files", "json_output", "folder"),
    [
        (Tty(), None, False, True),  # a person reads the result on a terminal: the folder opens
        (io.StringIO(), None, False, False),  # a script reads the path: nothing opens
        (Tty(), None, True, False),  # --json is for programs
        (Tty(), False, False, False),  # --no-open
        (Tty(), True, False, False),  # --open: the PDF itself instead
    ],
)
def test_the_folder_opens_unasked_only_for_a_person_at_a_terminal(
    stdout: io.StringIO, open_files: bool | None, json_output: bool, folder: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", stdout)
    outputs = cli._outputs(False, "care@manpowergroup.com.mx", False, None, open_files, json_output)
    assert outputs.show_folder is folder
    assert outputs.open_files is bool(open_files) and outputs.compose_to is None and outputs.email_to is None


def test_webmail_alone_asks_for_the_new_message() -> None:
    outputs = cli._outputs(False, "rh@empresa.mx", False, cli.Webmail.outlook, None, True)
    assert (outputs.compose_to, outputs.compose_with, outputs.email_to) == ("rh@empresa.mx", "outlook", None)
