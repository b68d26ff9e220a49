"""The captcha in the terminal is the one the portal shows: the image the tool writes for the person decodes,
has the size of the portal's picture, is not blank, and matches the mock's captcha for that moment's code
rendered in the same browser, at every attempt, whatever the page shows over it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fixtures.mock_portal import ACCOUNTS, MockPortal, notice_pdf
from fixtures.mock_portal import pages as mock_pages
from infonavit_fetch.login.picture import Picture, read_png
from infonavit_fetch.site.portal import LoginPage
from tests.cli import RIGHT, WRONG, Act, Cli
from tests.promises import HEADLESS_VIEWPORT_HEIGHT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route


def reference(browser: Browser, code: str) -> bytes:
    """The mock's login page with the captcha for `code`, shot in the same browser as the tool shoots it."""
    context = browser.new_context(viewport={"width": 1280, "height": HEADLESS_VIEWPORT_HEIGHT})
    try:
        page = context.new_page()

        def serve(route: Route) -> None:
            if "/captcha.svg" in route.request.url:
                route.fulfill(content_type="image/svg+xml", body=mock_pages.captcha_svg(code))
            else:
                route.fulfill(content_type="text/html; charset=utf-8", body=login)

        login = mock_pages.login_page(token="x").replace(mock_pages.MODAL, "")
        page.route("http://portal.test/**", serve)
        page.goto("http://portal.test/")
        image = LoginPage(page).captcha_image
        image.wait_for()
        page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
        # The picture as the portal sent it: without its frame (border, padding and rounded corners are
        # the page's, not the code's), at its own size.
        image.evaluate(
            """el => Object.assign(el.style, {border: '0', borderRadius: '0', padding: '0', boxSizing: 'content-box',
                                             width: el.naturalWidth + 'px', height: el.naturalHeight + 'px'})"""
        )
        return image.screenshot()
    finally:
        context.close()


def colours(picture: Picture) -> set[tuple[int, int, int]]:
    return {pixel for row in picture.pixels for pixel in row}


def same_picture(shown: Picture, expected: Picture, tolerance: int = 24) -> float:
    """The share of pixels that match (sizes must be equal)."""
    assert (shown.width, shown.height) == (expected.width, expected.height)
    alike = sum(
        all(abs(a - b) <= tolerance for a, b in zip(shown.pixel(x, y), expected.pixel(x, y), strict=True))
        for y in range(shown.height)
        for x in range(shown.width)
    )
    return alike / (shown.width * shown.height)


@pytest.fixture
def temp() -> Iterator[Path]:
    """The tool's temporary folder (tempfile honours TMPDIR), short: the browser's profile goes there too,
    and its socket path must stay under the system's limit."""
    folder = Path(tempfile.mkdtemp(prefix="cap-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("failure", [None, "notice-over-code"])
def test_the_terminal_shows_the_captcha_of_the_moment(
    start_portal: Callable[..., MockPortal], failure: str | None, tmp_path: Path, temp: Path, browser: Browser
) -> None:
    portal = start_portal(failure=failure)  # notice-over-code: the notice covers the image when it is taken
    cli = Cli(portal, tmp_path, env={"TMPDIR": str(temp)})
    seen: list[tuple[bytes, str]] = []

    def look_then(answer: str) -> Act:
        def act(proc: subprocess.Popen[str], marker: str) -> None:
            (image,) = temp.glob("infonavit-codigo-*.png")  # written before the prompt, removed after the answer
            seen.append((image.read_bytes(), portal.state.last_captcha))
            cli.answer(proc, answer)

        return act

    result = cli.run(
        ["download", "--headless", "--captcha", "terminal", "-o", str(tmp_path / "out")],
        answers=[look_then(WRONG), look_then(RIGHT)],
    )
    assert result.returncode == 0, result.stderr
    assert result.saved.read_bytes() == notice_pdf(ACCOUNTS[0])
    assert len(seen) == 2 and seen[0][1] != seen[1][1]  # a new code after the wrong one
    assert list(temp.glob("infonavit-codigo-*")) == []
    for data, code in seen:
        shown = read_png(data)
        expected = read_png(reference(browser, code))
        assert (shown.width, shown.height) == (expected.width, expected.height)
        assert len(colours(shown)) > 20, "a blank image"
        assert same_picture(shown, expected) > 0.97, f"the image is not the captcha {code!r}"
        other = read_png(reference(browser, "ZZZZZ" if code != "ZZZZZ" else "YYYYY"))
        assert same_picture(shown, other) < 0.97  # the comparison can tell codes apart
    assert "▀" in result.stderr  # and it is drawn in the terminal
