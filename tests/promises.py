"""Checks of the README's promises shared by several tests: secrets in every encoding, masks on the pixels,
the password's sends."""

from __future__ import annotations

import base64
import contextlib
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

from infonavit_fetch.login.picture import Picture, Rgb, read_png
from infonavit_fetch.site.nss import mask_nss
from infonavit_fetch.site.portal import LoginPage

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator

    from fixtures.mock_portal.server import PortalState

# --- secrets in any encoding -------------------------------------------------------------------------


def encodings(secret: str) -> Iterator[tuple[str, bytes]]:
    """`secret` as it could be written anywhere: raw UTF-8, URL-encoded (with %20 and with +, hex in both
    cases), JSON-escaped (\\u00d1 and raw), and base64 (standard and URL-safe, at each of the three
    alignments it can have inside a longer base64 text)."""
    raw = secret.encode("utf-8")
    found = {
        "raw": raw,
        "url %20": quote(secret, safe="").encode(),
        "url +": quote_plus(secret, safe="").encode(),
        "json": json.dumps(secret)[1:-1].encode(),
        "json utf-8": json.dumps(secret, ensure_ascii=False)[1:-1].encode("utf-8"),
    }
    found["url %20 lower-case hex"] = _lower_hex(found["url %20"])
    found["url + lower-case hex"] = _lower_hex(found["url +"])
    for shift in range(3):
        # Inside a longer text the secret may start at any byte of a 3-byte group: keep only the characters
        # that depend on the secret's bytes alone.
        start, end = (shift * 8 + 5) // 6, ((shift + len(raw)) * 8) // 6
        for name, encode in (("base64", base64.b64encode), ("base64 url-safe", base64.urlsafe_b64encode)):
            found[f"{name} at byte {shift}"] = encode(b"\0" * shift + raw)[start:end]
    for name, data in found.items():
        assert len(data) >= 8, (name, data)  # a shorter needle would be found by chance
        yield name, data


def _lower_hex(data: bytes) -> bytes:
    parts = data.split(b"%")
    return parts[0] + b"".join(b"%" + part[:2].lower() + part[2:] for part in parts[1:])


def contents(path: Path) -> Iterator[tuple[str, bytes]]:
    """Every file's bytes, every member of a zip file (Playwright traces) decompressed, and inside each what
    a reader could get out: base64 runs decoded and a PDF's compressed streams inflated, as deep as they go."""
    data = path.read_bytes()
    yield from _unpacked(str(path), data)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                yield from _unpacked(f"{path}!{member.filename}", archive.read(member))


BASE64_RUN = re.compile(rb"[A-Za-z0-9+/]{64,}={0,2}")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def _unpacked(where: str, data: bytes, depth: int = 3) -> Iterator[tuple[str, bytes]]:
    yield where, data
    if depth == 0:
        return
    for number, match in enumerate(PDF_STREAM.finditer(data)):
        with contextlib.suppress(zlib.error):
            yield from _unpacked(f"{where}#stream{number}", zlib.decompress(match.group(1)), depth - 1)
    for number, match in enumerate(BASE64_RUN.finditer(data)):
        run = match.group(0)
        with contextlib.suppress(ValueError):
            decoded = base64.b64decode(run[: len(run) - len(run) % 4] if not run.endswith(b"=") else run)
            if decoded.startswith(b"%PDF") or b"stream" in decoded:
                yield from _unpacked(f"{where}#base64-{number}", decoded, depth - 1)


def leaks(data: bytes, secret: str) -> list[str]:
    """The encodings of `secret` found in `data`."""
    return [name for name, needle in encodings(secret) if needle in data]


# --- masks on the pixels -----------------------------------------------------------------------------

MASK_COLOUR: Rgb = (255, 0, 255)  # Playwright's default mask colour (#FF00FF)
HEADLESS_VIEWPORT_HEIGHT = 900  # launch.py's headless viewport is 1280×900; the width comes from the PNG


@dataclass(frozen=True)
class Region:
    what: str
    x: int
    y: int
    width: int
    height: int


def secret_regions(browser: Browser, html: str, base_url: str, width: int, nss: str) -> list[Region]:
    """Where the NSS and password fields, and any text showing the NSS, are on the saved page.

    The report's HTML is laid out again in the same browser and viewport width, without scripts (the DOM as
    it was saved). Its text shows the NSS masked where the page showed it in full: those elements are found
    by the masked NSS.
    """
    context = browser.new_context(
        viewport={"width": width, "height": HEADLESS_VIEWPORT_HEIGHT}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(base_url, wait_until="domcontentloaded")  # the portal's origin, for its images and styles
        page.set_content(html, wait_until="load")
        login = LoginPage(page)
        found: list[tuple[str, Locator]] = [("NSS field", login.nss), ("password field", login.password)]
        shown = page.get_by_text(mask_nss(nss))
        found += [(f"text showing the NSS #{i}", shown.nth(i)) for i in range(shown.count())]
        regions = []
        for what, locator in found:
            if locator.count() == 0 or not locator.is_visible():
                continue
            box = locator.bounding_box()
            assert box is not None, what
            regions.append(Region(what, round(box["x"]), round(box["y"]), round(box["width"]), round(box["height"])))
        return regions
    finally:
        context.close()


def unmasked(png: bytes, regions: list[Region], *, inset: int = 3, share: float = 0.9) -> list[str]:
    """The regions of the screenshot that are not painted over with the mask colour (at least `share` of
    the pixels inside, `inset` pixels in from the edges)."""
    picture = read_png(png)
    bad = []
    for region in regions:
        pixels = list(_inside(picture, region, inset))
        assert pixels, f"{region} is outside the {picture.width}×{picture.height} screenshot"
        covered = sum(_close(p, MASK_COLOUR) for p in pixels) / len(pixels)
        if covered < share:
            bad.append(f"{region.what} at {region.x},{region.y} ({covered:.0%} masked)")
    return bad


def _inside(picture: Picture, region: Region, inset: int) -> Iterator[Rgb]:
    for y in range(max(0, region.y + inset), min(picture.height, region.y + region.height - inset)):
        for x in range(max(0, region.x + inset), min(picture.width, region.x + region.width - inset)):
            yield picture.pixel(x, y)


def _close(a: Rgb, b: Rgb, tolerance: int = 8) -> bool:
    return all(abs(p - q) <= tolerance for p, q in zip(a, b, strict=True))


# --- the password ------------------------------------------------------------------------------------

REFUSALS = ("password", "unknown", "blocked")  # answers after which the password must never go again
NOT_LOOKED_AT = ("captcha", "incomplete")  # the portal turned the form down before it read the password


def assert_password_policy(state: PortalState, *, session_expired: bool = False) -> None:
    """What the README promises: after the portal refused a login (or answered something the tool cannot
    know) no login form is sent again; the password is read by the portal once per run, and a second time
    only to log back in after the session expired, when it had just been accepted."""
    answers = state.login_answers
    for index, answer in enumerate(answers):
        if answer in REFUSALS:
            assert answers[index + 1 :] == [], f"a login form was sent after the portal answered {answer!r}: {answers}"
    checked = [answer for answer in answers if answer not in NOT_LOOKED_AT]
    assert len(checked) == state.password_attempts, answers
    if session_expired:
        assert checked == ["ok", "ok"] and state.expired_once, answers
    else:
        assert len(checked) <= 1, f"the password was sent to be checked {len(checked)} times: {answers}"
