"""Every message in both languages: each t("…") has an English translation with the same placeholders."""

from __future__ import annotations

import ast
import string
import subprocess
import sys
from pathlib import Path

import pytest

from infonavit_fetch import i18n
from infonavit_fetch.browser import BrowserChoice
from infonavit_fetch.errors import EXIT_CODES
from infonavit_fetch.messages_en import EN
from infonavit_fetch.notice import FIELD_NAMES_ES

PACKAGE = Path(__file__).parent.parent / "infonavit_fetch"
# Keys passed to t() through a variable rather than a literal.
DYNAMIC_KEYS = {*FIELD_NAMES_ES.values(), *EXIT_CODES.values(), "indicado", "Chromium de Playwright"}


def literal_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys[str(node.args[0].value)] = f"{path.name}:{node.lineno}"
    return keys


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_an_english_translation() -> None:
    keys = literal_keys()
    assert len(keys) > 100
    missing = {key: where for key, where in keys.items() if key not in EN}
    assert missing == {}


def test_no_translation_is_left_over() -> None:
    unused = set(EN) - set(literal_keys()) - DYNAMIC_KEYS
    assert unused == set()


@pytest.mark.parametrize("key", sorted(EN))
def test_translation_keeps_the_placeholders(key: str) -> None:
    assert placeholders(EN[key]) == placeholders(key)
    assert EN[key].strip(), key


def test_dynamic_keys_are_real() -> None:
    assert {BrowserChoice("x", "indicado").kind, "Chromium de Playwright"} <= DYNAMIC_KEYS


def test_user_facing_errors_go_through_t() -> None:
    """No FetchError is raised with a bare string: it would stay Spanish under --lang en."""
    errors = {
        "BadInput", "SaveFailed", "PortalUnavailable", "PortalChanged", "CredentialsRejected", "AccountNeedsAttention",
        "CaptchaNotSolved", "NoticeNotReady", "Cancelled", "UnexpectedError", "ForeignHost",
    }  # fmt: skip
    bare = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in errors:
                texts = list(node.args[:1]) + [k.value for k in node.keywords if k.arg == "hint"]
                bare += [f"{path.name}:{node.lineno}" for t in texts if isinstance(t, (ast.Constant, ast.JoinedStr))]
    assert bare == []


def test_switching_language() -> None:
    try:
        i18n.set_language("en")
        assert i18n.t("El NSS debe tener 11 dígitos y el que escribiste tiene {p0}.", p0=10).startswith("The NSS")
        i18n.set_language("xx")
        assert i18n.language() == "es"
    finally:
        i18n.set_language("es")


@pytest.mark.parametrize("how", [["--lang", "en"], []])
def test_cli_speaks_english(how: list[str], tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "INFONAVIT_LANG": "en" if not how else "es"}
    run = subprocess.run(
        [sys.executable, "-m", "infonavit_fetch", "download", *how, "--nss", "84966311215", "--headless"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert run.returncode == 2
    assert "The NSS is not valid: its last digit (the check digit) does not match." in run.stderr
    assert "(exit code 2)" in run.stderr
