"""The tool on portals it was not written against: every named variant of the mock and a set of seeds,
end to end through the real CLI in Chromium. Every one must end with the notice saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.mock_portal import ACCOUNTS, MockPortal, notice_pdf
from fixtures.mock_portal.markup import AFTER_FRAME, AT_ONCE
from fixtures.mock_portal.variants import VARIANT_NAMES, describe
from tests.cli import Cli, wait_browser_gone

HEADLESS = ["--headless", "--captcha", "terminal"]
SEEDS = range(1, 21)


def download(portal: MockPortal, tmp_path: Path) -> str:
    """The whole download, checked; its step log (-v) for what else a test wants to see in it."""
    out = tmp_path / "avisos"
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--out", str(out), "--timeout", "20", "-v"])
    chosen = describe(portal.config)
    assert result.returncode == 0, f"markups: {chosen}\n{result.stderr}"
    assert result.saved.read_bytes() == notice_pdf(ACCOUNTS[0]), chosen
    assert portal.state.password_attempts == 1
    assert portal.state.decoys == [], f"a control that leads elsewhere was clicked: {portal.state.decoys}"
    assert wait_browser_gone(result.marker) == []
    return result.stderr


@pytest.mark.parametrize("variant", VARIANT_NAMES)
def test_every_named_variant(start_portal: Callable[..., MockPortal], tmp_path: Path, variant: str) -> None:
    download(start_portal(variant=variant), tmp_path)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_variants(start_portal: Callable[..., MockPortal], tmp_path: Path, seed: int) -> None:
    download(start_portal(seed=seed), tmp_path)


def test_a_wall_that_comes_in_the_middle_of_a_click_is_taken_away_before_pressing_again(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    """The Bootstrap variant's consent manager loads on the first mouse move after login, so its wall
    comes over the page between the walk's look and its click (and over the promotion's modal). The click
    ends as soon as it finds itself covered, the wall is answered first, and the click is made again: no
    click waits out its whole budget, none is reported as failed."""
    portal = start_portal(variant="bootstrap")
    log = download(portal, tmp_path)
    assert "está tapado ('Tu privacidad es importante" in log
    assert re.search(
        r"se cierra algo que estorba \('Tu privacidad es importante[^\n]*con «(Rechazar opcionales|Aceptar todas)»", log
    )
    assert "no se pudo hacer clic" not in log


def test_a_layer_of_the_page_over_a_frames_button_is_closed_once_the_click_fails(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    """Seed 4 lands on Mi Espacio with its stages in a frame from another host, and a survey over the whole
    page that shows once the frame has shown its content (never before it). «Indicaciones» looks free from
    inside the frame, but the click cannot land: the tool must close the page's layers (in any frame)
    before trying again."""
    portal = start_portal(seed=4)
    chosen = describe(portal.config)
    assert (chosen["landing"], chosen["stage_frame"], chosen["overlay"]) == (
        "mi-espacio",
        "iframe-other-host",
        "survey",
    )
    portal.timings["soon_ms"] = AFTER_FRAME
    download(portal, tmp_path)


def test_a_dialog_the_walk_closes_itself_is_not_closed_under_its_click(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    """The Bootstrap variant's modal is over the home page as it arrives. The walk presses the modal's own
    close control; the login notice handler (which would close the same dialog by its «Close» just
    before that click) stands aside, so no click waits for a control that is gone."""
    portal = start_portal(variant="bootstrap")
    portal.timings["soon_ms"] = AT_ONCE
    log = download(portal, tmp_path)
    assert "se cierra algo que estorba ('Unamos Créditos" in log
    assert "no se pudo hacer clic" not in log
    assert "se fue mientras se pulsaba" not in log  # nor waited a first try for it before going on
