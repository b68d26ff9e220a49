"""The print click that something takes on its way: a layer of the page around the stage's frame that
comes while «Imprime los documentos» is pressed (a survey shown a moment after the page loads, which on
a busy machine lands mid-press). Playwright reports such a click as done; the tool must see that the link
never got it, take the layer away and press again, instead of waiting its whole time for a notice nobody
asked for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fixtures.mock_portal import MockPortal, markup
from tests.cli import Cli

HEADLESS = ["--headless", "--captcha", "terminal"]
MI_ESPACIO_PAGE = 2  # the page whose overlay is the survey, with seed 9

# The survey, held back until the pointer reaches the print link in the stage's frame: then it shows over
# the frame, between Playwright's check that nothing covers the link and its press.
SHOW_ON_THE_WAY = """<script>document.addEventListener('mousemove', function (e) {
  var link = e.composedPath().find(function (n) {
    return n.tagName === 'A' && /Imprime los documentos/.test(n.textContent);
  });
  var layer = link && parent.document.getElementById('ov-survey');
  if (layer && !sessionStorage.getItem('mc-overlay-survey')) { layer.hidden = false; }
}, true);</script>"""


# The same survey, gone with the click it took (a dialog that closes on a click on its backdrop): afterwards
# nothing covers the link, and only where the click went tells that it was lost.
GONE_WITH_THE_CLICK = SHOW_ON_THE_WAY.replace(
    "layer.hidden = false;",
    "layer.hidden = false; layer.addEventListener('click', function () { layer.hidden = true; "
    "sessionStorage.setItem('mc-overlay-survey', '1'); }, {once: true});",
)


@pytest.fixture(params=[SHOW_ON_THE_WAY, GONE_WITH_THE_CLICK], ids=["stays", "gone-with-the-click"])
def survey_mid_press(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    overlay_for = markup.overlay_for
    stage_frame_page = markup.stage_frame_page

    def held_back(look: Any, page_index: int, **kwargs: Any) -> Any:
        kind, delay = overlay_for(look, page_index, **kwargs)
        return (kind, 10**8) if page_index == MI_ESPACIO_PAGE else (kind, delay)

    def showing_on_the_way(*args: Any, **kwargs: Any) -> str:
        return str(stage_frame_page(*args, **kwargs)).replace("</body>", request.param + "</body>")

    monkeypatch.setattr(markup, "overlay_for", held_back)
    monkeypatch.setattr(markup, "stage_frame_page", showing_on_the_way)


@pytest.mark.usefixtures("survey_mid_press")
def test_a_print_click_taken_by_a_layer_that_came_meanwhile_is_made_again(
    start_portal: Callable[..., MockPortal], tmp_path: Path
) -> None:
    portal = start_portal(seed=9)
    out = tmp_path / "out"
    result = Cli(portal, tmp_path).run(["download", *HEADLESS, "--out", str(out), "--timeout", "20", "-v"])
    assert result.returncode == 0, result.stderr
    assert "no se pudo hacer clic en «Imprime los documentos»" in result.stderr
    assert len(list(out.glob("*.pdf"))) == 1
