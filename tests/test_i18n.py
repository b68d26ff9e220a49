"""Every message in both languages: each t("…") has an English translation with the same placeholders."""

from __future__ import annotations

import ast
import string
import subprocess
import sys
from pathlib import Path

import pytest

from infonavit_fetch import i18n
from infonavit_fetch.browser.finder import find_browser
from infonavit_fetch.errors import EXIT_CODES, exit_codes_help
from infonavit_fetch.messages_en import EN
from infonavit_fetch.site.notice import FIELD_NAMES_ES, NoticeSummary, summary_lines

PACKAGE = Path(__file__).parent.parent / "infonavit_fetch"


def browser_kinds() -> set[str]:
    """The kinds of browser written as literals in browser.py (`BrowserChoice(path, "…")`)."""
    tree = ast.parse((PACKAGE / "browser" / "finder.py").read_text(encoding="utf-8"))
    return {
        str(node.args[1].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "BrowserChoice"
        and len(node.args) == 2
        and isinstance(node.args[1], ast.Constant)
    }


# Keys passed to t() through a variable rather than a literal, each taken from where the code keeps it.
DYNAMIC_KEYS = {*FIELD_NAMES_ES.values(), *EXIT_CODES.values(), *browser_kinds()}


def literal_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
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
    """Each key that reaches t() through a variable comes out translated where the code uses it."""
    try:
        i18n.set_language("en")
        lines = "\n".join(summary_lines(NoticeSummary()))
        assert [name for name in FIELD_NAMES_ES.values() if EN[name] + ":" not in lines] == []
        shown = exit_codes_help(width=1000)
        assert [meaning for meaning in EXIT_CODES.values() if EN[meaning] not in shown] == []
    finally:
        i18n.set_language("es")
    kinds = browser_kinds()
    named = find_browser(explicit=__file__, system="Linux", env={})
    own = find_browser(explicit=None, system="Linux", env={}, playwright_chromium=__file__)
    assert {named.kind, own.kind} <= kinds and kinds <= set(EN)
    # ... and the browser's kind is translated where it is shown.
    translated_kind = [
        node
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "t"
        and node.args
        and isinstance(node.args[0], ast.Attribute)
        and node.args[0].attr == "kind"
    ]
    assert translated_kind


def test_user_facing_errors_go_through_t() -> None:
    """No FetchError is raised with a bare string: it would stay Spanish under --lang en."""
    errors = {
        "BadInput", "SaveFailed", "PortalUnavailable", "PortalChanged", "CredentialsRejected", "AccountNeedsAttention",
        "CaptchaNotSolved", "NoticeNotReady", "Cancelled", "UnexpectedError", "ForeignHost",
    }  # fmt: skip
    bare = []
    for path in sorted(PACKAGE.rglob("*.py")):
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
