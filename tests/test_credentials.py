"""Where the NSS and the password come from, as the README promises it (breaks proposed by a reader of the
README who had not read the tests)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from infonavit_fetch.cli.console import Console
from infonavit_fetch.errors import BadInput
from infonavit_fetch.login.credentials import ask_nss, forget, read_env_file, resolve


def quiet_console() -> Console:
    return Console(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())


def test_the_password_in_the_environment_wins_over_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / "x.env"
    env_file.write_text("INFONAVIT_NSS=31927465000\nINFONAVIT_PASSWORD=del-archivo\n")
    env = {"INFONAVIT_NSS": "84966311213", "INFONAVIT_PASSWORD": "del-entorno"}
    assert resolve(nss_option=None, env=env, env_file=env_file, console=quiet_console()) == (
        "84966311213",
        "del-entorno",
    )


@pytest.mark.parametrize("line", ["INFONAVIT_PASSWORD=secreta #1", "INFONAVIT_PASSWORD=  abc\t#x"])
def test_a_password_that_an_unquoted_hash_would_cut_is_refused(tmp_path: Path, line: str) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"INFONAVIT_NSS=84966311213\n{line}\n")
    with pytest.raises(BadInput, match="sin comillas") as raised:
        read_env_file(env_file, required=True)
    assert "línea 2" in str(raised.value)
    assert "secreta" not in str(raised.value) + str(raised.value.hint)


@pytest.mark.parametrize("line", ['INFONAVIT_PASSWORD="secreta #1"', "INFONAVIT_PASSWORD='secreta #1'"])
def test_a_quoted_password_keeps_its_hash(tmp_path: Path, line: str) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"INFONAVIT_NSS=84966311213\n{line}\n")
    assert read_env_file(env_file, required=True)["INFONAVIT_PASSWORD"] == "secreta #1"


def test_an_nss_line_with_a_comment_is_read_as_usual(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("INFONAVIT_NSS=84966311213 # el mío\nINFONAVIT_PASSWORD=secreta\n")
    assert read_env_file(env_file, required=True)["INFONAVIT_NSS"] == "84966311213"


def test_the_secrets_leave_the_environment_once_read() -> None:
    env = {"INFONAVIT_NSS": "84966311213", "INFONAVIT_PASSWORD": "secreta", "HOME": "/home/ana"}
    forget(env)
    assert env == {"HOME": "/home/ana"}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_mistyped_nss_is_said_and_asked_again() -> None:
    stderr = io.StringIO()
    console = Console(stdin=Terminal("8496631121\n84966311213\n"), stdout=io.StringIO(), stderr=stderr)
    assert ask_nss(console) == "84966311213"
    assert stderr.getvalue().count("Número de Seguridad Social (NSS): ") == 2
    assert "11 dígitos" in stderr.getvalue()


def test_a_third_mistyped_nss_ends_the_run_with_its_reason() -> None:
    stderr = io.StringIO()
    console = Console(stdin=Terminal("1\n2\n84966311215\n84966311213\n"), stdout=io.StringIO(), stderr=stderr)
    with pytest.raises(BadInput, match="dígito verificador"):
        ask_nss(console)
    assert stderr.getvalue().count("Número de Seguridad Social (NSS): ") == 3
