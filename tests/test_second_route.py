"""An employee whose credit is past "Formaliza tu crédito": the notice comes from "Mi crédito" →
"Avisos de suspensión, retención y modificación de descuentos", and it is the retention one, never the
suspension or the modification notice listed beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.mock_portal import ACCOUNTS, DELIVERIES, MockPortal, notice_pdf
from fixtures.mock_portal.variants import describe
from tests.cli import Cli, wait_browser_gone

HEADLESS = ["--headless", "--captcha", "terminal"]


def run(portal: MockPortal, tmp_path: Path, *args: str) -> tuple[int, str, Path | None]:
    out = tmp_path / "avisos"
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--out", str(out), "--timeout", "20", "-v", *args])
    assert wait_browser_gone(result.marker) == []
    saved = result.saved if result.returncode == 0 else None
    return result.returncode, result.stderr, saved


def assert_retention(portal: MockPortal, code: int, stderr: str, saved: Path | None) -> None:
    assert code == 0, f"markups: {describe(portal.config)}\n{stderr}"
    assert saved is not None and saved.read_bytes() == notice_pdf(ACCOUNTS[0])
    assert "suspension" not in portal.state.served_kinds
    assert "modificacion" not in portal.state.served_kinds
    assert portal.state.decoys == []


@pytest.mark.parametrize(
    ("credit_state", "variant"),
    [("active", None), ("deeds", None), ("active", "lands-on-mi-espacio"), ("active", "tiles-portal")],
)
def test_past_formaliza_the_notice_comes_from_mi_credito(
    start_portal: Callable[..., MockPortal], tmp_path: Path, credit_state: str, variant: str | None
) -> None:
    portal = start_portal(credit_state=credit_state, variant=variant)
    code, stderr, saved = run(portal, tmp_path)
    assert_retention(portal, code, stderr, saved)
    assert "el aviso se busca en «Mi crédito»" in stderr


@pytest.mark.parametrize("delivery", DELIVERIES)
def test_every_delivery_on_the_notices_page(
    start_portal: Callable[..., MockPortal], tmp_path: Path, delivery: str
) -> None:
    portal = start_portal(credit_state="active", delivery=delivery, variant="react-spa")
    code, stderr, saved = run(portal, tmp_path, "--route", "mi-credito")
    assert_retention(portal, code, stderr, saved)


def test_the_route_can_be_forced_formaliza(start_portal: Callable[..., MockPortal], tmp_path: Path) -> None:
    portal = start_portal(credit_state="active")
    code, stderr, _saved = run(portal, tmp_path, "--route", "formaliza")
    assert code == 7, stderr
    assert "--route mi-credito" in stderr
    assert portal.state.served_kinds == []


def test_before_formaliza_is_still_not_ready(start_portal: Callable[..., MockPortal], tmp_path: Path) -> None:
    portal = start_portal(failure="not-ready")
    code, stderr, _saved = run(portal, tmp_path)
    assert code == 7, stderr
    assert "Inscripción" in stderr
