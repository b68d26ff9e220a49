"""The step log (-v on the terminal, registro.txt in the report) speaks the person's language: no code names,
no class names, no driver English (issue 22, item 11)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.mock_portal import MockPortal
from infonavit_fetch.outputs.diagnostics import dialog_word, resource_word, why
from tests.cli import RIGHT, WRONG, Cli

HEADLESS = ["--headless", "--captcha", "terminal"]

# What the tool's own words must never be: Playwright's, the browser's or the code's.
INTERNAL = re.compile(
    r"\b(logged-in|at|before|past|document|xhr|fetch|alert|confirm|prompt|beforeunload|Timeout\w*|\w*Error|"
    r"exceeded|Locator|waiting|closed|None|True|False|click|page|button|net::)\b"
)
# What is quoted from the portal (its own words), addresses and paths are not the tool's words.
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|https?://\S+|/\S+")


def internal_words(text: str) -> list[str]:
    return [match.group(0) for line in text.splitlines() for match in INTERNAL.finditer(QUOTED.sub(" ", line))]


@pytest.mark.parametrize(
    ("portal_options", "answers", "code"),
    [
        ({"delivery": "attachment"}, [RIGHT], 0),
        ({"seed": 10}, [WRONG, RIGHT], 0),  # an older portal: alert() and confirm()
        ({"failure": "server-error-once"}, [RIGHT], 0),
        ({"failure": "no-print"}, [RIGHT], 8),
    ],
    ids=["attachment", "browser-dialogs", "server-error-once", "no-print"],
)
def test_the_step_log_speaks_spanish_on_the_terminal_and_in_the_report(
    start_portal: Callable[..., MockPortal],
    tmp_path: Path,
    portal_options: dict[str, object],
    answers: list[str],
    code: int,
) -> None:
    portal = start_portal(**portal_options)
    report = tmp_path / "informe"
    args = ["download", *HEADLESS, "-o", str(tmp_path / "avisos"), "-v", "--debug-dir", str(report)]
    result = Cli(portal, tmp_path).run([*args, "--timeout", "8"], answers=answers)
    assert result.returncode == code, result.stderr
    logged = [line for line in result.stderr.splitlines() if line.startswith("  · ")]
    assert len(logged) > 5, result.stderr
    assert internal_words("\n".join(logged)) == []
    if code:
        (log,) = report.glob("*/registro.txt")
        assert internal_words(log.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (TimeoutError("Locator.click: Timeout 5000ms exceeded."), "se agotó la espera"),
        (
            RuntimeError("Page.goto: net::ERR_NAME_NOT_RESOLVED at https://x/"),
            "falla de red: no se encontró el sitio: no hay internet o la dirección está mal escrita",
        ),
        (RuntimeError("Target page, context or browser has been closed"), "la página o el navegador se cerró"),
        (PermissionError(13, "Permission denied"), "no tienes permiso de escribir ahí"),
        (RuntimeError("Protocol error (Page.printToPDF): Printing failed"), "falla del navegador"),
    ],
)
def test_a_failure_is_told_in_spanish_words(error: BaseException, said: str) -> None:
    assert why(error) == said
    assert internal_words(said) == []


def test_the_browsers_words_are_told_in_spanish() -> None:
    assert [resource_word(kind) for kind in ("document", "xhr", "fetch", "other", "websocket")] == [
        "página",
        "petición",
        "petición",
        "respuesta",
        "respuesta",
    ]
    assert [dialog_word(kind) for kind in ("alert", "confirm", "prompt", "beforeunload", "new")] == [
        "aviso",
        "confirmación",
        "pregunta",
        "¿salir de la página?",
        "diálogo",
    ]
