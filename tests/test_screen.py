"""What the employee sees on their screen: the whole X screen, grabbed while the tool's browser is open.

The pictures are of the screen (`import -window root`), not of the page: the grey "unsupported
command-line flag" bar and the "Save password?" bubble are the browser's, and a page screenshot never
shows them. The page's own screenshot is compared with the same area of the screen: where nothing covers
the page, they agree pixel for pixel. The pictures stay in tests/screens/ to be looked at.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from fixtures.mock_portal import MockPortal
from infonavit_fetch.login.picture import Picture, read_png
from tests.cli import Cli
from tests.test_browser_captcha import CAPTCHA_FOCUSED, as_the_person, free_port

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("import")), reason="needs Xvfb and imagemagick's import"
)

SHOTS = Path(__file__).parent / "screens"
# Tab strip and toolbar of a plain Chromium window; an infobar adds some 40 pixels below them.
BROWSER_FRAME_MAX = 100
Area = tuple[int, int, int, int]  # x0, y0, x1, y1 in the page
# Where Chromium's "Save password?" bubble opens: under the key icon at the right end of the address bar.
BUBBLE_AREA: Area = (600, 0, 10_000, 320)


@pytest.fixture
def x_display() -> Iterator[str]:
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x960x24", "-nolisten", "tcp"], pass_fds=(write,)
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def grab_screen(display: str, name: str, height: int | None = None) -> Picture:
    """The whole screen, kept in tests/screens/; `height`: only its top rows (quicker to read)."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    crop = ["-crop", f"10000x{height}+0+0", "+repage"] if height else []
    subprocess.run(["import", "-display", display, "-window", "root", *crop, f"PNG24:{path}"], check=True, timeout=30)
    return read_png(path.read_bytes())


def differing_rows(screen: Picture, page: Picture, left: int, top: int, area: Area) -> list[int]:
    """Rows of the page that do not match the screen at (left, top).

    Every 2nd row and 4th pixel is compared; a row differs when several of its pixels do (a text cursor
    blinking in a field is one pixel, a bar or a bubble is many).
    """
    x0, y0, x1, y1 = area
    bad = []
    for y in range(y0, min(y1, page.height), 2):
        differ = 0
        for x in range(x0, min(x1, page.width), 4):
            a, b = screen.pixel(left + x, top + y), page.pixel(x, y)
            differ += max(abs(a[i] - b[i]) for i in range(3)) > 24
        if differ > 4:
            bad.append(y)
    return bad


def check_screen(
    page: Page, display: str, name: str, area: Area = (0, 0, 10_000, 10_000), offset: tuple[int, int] | None = None
) -> tuple[int, int]:
    """The page sits right under the browser's toolbar, and nothing of the browser's covers it (in `area`)."""
    x, y, outer_w, outer_h, inner_w, inner_h = page.evaluate(
        "() => [screenX, screenY, outerWidth, outerHeight, innerWidth, innerHeight]"
    )
    frame = outer_h - inner_h
    assert frame <= BROWSER_FRAME_MAX, f"a bar of {frame - 87} px over the page? see {SHOTS / name}.png"
    left, top = x + (outer_w - inner_w) // 2, y + frame
    bands: list[int] = []
    for _ in range(3):  # the page itself may change between its picture and the screen's (a modal closing)
        y1 = area[3]
        height = min(y1, inner_h)
        shown = read_png(page.screenshot(clip={"x": 0, "y": 0, "width": inner_w, "height": height}))
        screen = grab_screen(display, name, height=top + 8 + height if y1 < inner_h else None)
        # The browser draws a frame around the page at most a few pixels off; find where the page starts
        # (once: the comparison is slow in Python, and after the login the tool soon moves on).
        offsets = [offset] if offset else [(dx, dy) for dy in range(-4, 5) for dx in range(-4, 5)]
        best = min(offsets, key=lambda d: len(differing_rows(screen, shown, left + d[0], top + d[1], area)))
        rows = differing_rows(screen, shown, left + best[0], top + best[1], area)
        # A focused field's ring is drawn on the screen only: single rows. A bubble or a bar is a band.
        bands = [y for y in rows if all(y + k in rows for k in range(2, 12, 2))]
        if not bands:
            return best
        page.wait_for_timeout(300)
    raise AssertionError(f"something covers the page from row {bands[:1]}; see {SHOTS / name}.png")


def tool_process(out: Path) -> int:
    """The CLI's own Python process, known by its --out folder."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"infonavit_fetch" in args and str(out).encode() in args:
                return int(entry.name)
    raise AssertionError("the tool's process is gone")


@contextlib.contextmanager
def paused(pid: int) -> Iterator[None]:
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def test_the_browser_window_shows_the_portal_and_nothing_else(start_portal, x_display: str, tmp_path: Path) -> None:
    portal: MockPortal = start_portal()
    port = free_port()

    def act(page: Page) -> None:
        page.wait_for_function(CAPTCHA_FOCUSED, timeout=60_000)
        offset = check_screen(page, x_display, "login")
        page.get_by_label("Introduce el código").fill(portal.state.last_captcha)
        page.get_by_role("button", name="Iniciar sesión").click()
        page.get_by_role("button", name="Tramitar mi crédito").wait_for(timeout=60_000)
        # The tool would walk on meanwhile: it is paused (only its own process: the browser still draws)
        # while the page after the login is looked at.
        with paused(tool_process(tmp_path)):
            page.wait_for_timeout(300)  # the browser's bubbles come up right after the page
            for _ in range(3):
                try:
                    check_screen(page, x_display, "after-login", BUBBLE_AREA, offset)
                    return
                except PlaywrightError as exc:  # a page the tool asked for just before arrived meanwhile
                    if "context was destroyed" not in str(exc):
                        raise
                    page.wait_for_load_state()
        raise AssertionError("the pages after the login changed too fast to be compared")

    cli = Cli(portal, tmp_path, browser_args=(f"--remote-debugging-port={port}",), env={"DISPLAY": x_display})
    result = cli.run(["download", "--out", str(tmp_path)], human=as_the_person(port, portal, act), timeout=240)
    assert result.returncode == 0, result.stderr
    assert result.saved.exists()


def test_the_sandbox_stays_on_wherever_chromium_can_run_it() -> None:
    from infonavit_fetch.browser.launch import quiet_window_args, sandbox_possible

    assert sandbox_possible("Windows", 0) and sandbox_possible("Darwin", 0) and sandbox_possible("Linux", 1000)
    assert not sandbox_possible("Linux", 0)
    assert "--test-type" in quiet_window_args(sandbox=False)
    assert "--test-type" not in quiet_window_args(sandbox=True)
