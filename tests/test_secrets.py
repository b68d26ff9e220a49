"""Secrets stay secret: with --debug-dir and --trace, nothing printed or written holds the password, and
the full NSS appears only in the saved PDF's name and contents, in no encoding (raw, URL-encoded,
JSON-escaped, base64), in no file and no zip member; the report's screenshot has the NSS and password
fields (and any text showing the NSS) painted over; the trace starts after the login; and the password is
never sent again after the portal refused it."""

from __future__ import annotations

import base64
import io
import json
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote_plus

import pytest

from fixtures.mock_portal import ACCOUNTS, MockPortal
from infonavit_fetch.cli.console import Console
from infonavit_fetch.login.picture import read_png
from infonavit_fetch.outputs.diagnostics import Redactor, StepLog, nss_shown, write_page
from tests.cli import EOF, RIGHT, Cli
from tests.promises import Region, assert_password_policy, contents, encodings, leaks, secret_regions, unmasked
from tests.test_failures import SCENARIOS, Scenario

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ACCOUNT = ACCOUNTS[1]  # its password ("Ñandú-Seguro 9") is easy to find and unlike any page text
MOCK_SCENARIOS = [s for s in SCENARIOS if s.failure is not None]
RUNS = [
    *MOCK_SCENARIOS,
    Scenario("success", 0, ()),
    Scenario("success after the session expired", 0, (), "session-expired", answers=(RIGHT, RIGHT)),
    Scenario("nobody at the captcha", 4, (), answers=(EOF,)),
    # The notice's bytes pass through the tool's route (Route.fulfill): the trace must not keep them.
    *(
        Scenario(f"success, {delivery}", 0, (), delivery=delivery)
        for delivery in ("attachment", "blob", "inline-new-tab")
    ),
]


# The runs that stop on the login page (refused, code not solved, account blocked): its fields must be masked.
LOGIN_PAGE_CODES = (3, 4)


def test_encodings_of_a_secret() -> None:
    found = dict(encodings(ACCOUNT.password))
    assert found["raw"] == "Ñandú-Seguro 9".encode()
    assert found["url %20"] == b"%C3%91and%C3%BA-Seguro%209"
    assert found["url +"] == b"%C3%91and%C3%BA-Seguro+9"
    assert found["json"] == b"\\u00d1and\\u00fa-Seguro 9"
    assert found["json"] in json.dumps({"x": ACCOUNT.password}).encode()
    for shift in range(3):
        text = base64.b64encode(b"ab"[:shift] + ACCOUNT.password.encode() + b"tail")
        assert found[f"base64 at byte {shift}"] in text
        assert leaks(text, ACCOUNT.password) != []


def test_the_redactor_finds_the_secrets_in_every_encoding() -> None:
    redactor = Redactor(nss=ACCOUNT.nss, password=ACCOUNT.password)
    page = f'<span class="who">NSS {ACCOUNT.nss}</span><form><input value="{ACCOUNT.password}"></form>'.encode()
    for shift in range(3):
        trace = b"".join(
            [
                b'{"body":"' + base64.b64encode(b"x" * shift + page) + b'"}\n',
                b'{"postData":"f1='
                + quote_plus(ACCOUNT.nss).encode()
                + b"&f2="
                + quote_plus(ACCOUNT.password).encode(),
                b'"}\n{"value":' + json.dumps(ACCOUNT.password).encode() + b"}\n",
            ]
        )
        cleaned = redactor.data(trace)
        assert leaks(cleaned, ACCOUNT.password) == [] and leaks(cleaned, ACCOUNT.nss) == []
        assert b"*******8903" in base64.b64decode(cleaned.split(b'"')[3])  # the masked NSS, still readable


@pytest.mark.parametrize("scenario", RUNS, ids=[s.name for s in RUNS])
def test_no_secret_leaks(
    scenario: Scenario, start_portal: Callable[..., MockPortal], tmp_path: Path, browser: Browser
) -> None:
    portal = start_portal(failure=scenario.failure, **({"delivery": scenario.delivery} if scenario.delivery else {}))
    out, debug = tmp_path / "avisos", tmp_path / "informe"
    cli = Cli(portal, tmp_path, nss=ACCOUNT.nss, password=ACCOUNT.password)
    args = [
        "download",
        "--headless",
        "--captcha",
        "terminal",
        "-o",
        str(out),
        "--debug-dir",
        str(debug),
        "--trace",
        "-v",
        *scenario.args,
    ]
    result = cli.run(args, answers=scenario.answers)
    assert result.returncode == scenario.code, result.stderr

    saved = result.saved if result.returncode == 0 else None
    printed = result.stdout + result.stderr
    assert ACCOUNT.password not in printed
    if saved is not None:
        printed = printed.replace(saved.name, "")
    assert ACCOUNT.nss not in printed

    bundles = list(debug.iterdir())
    assert len(bundles) == 1
    written = {p.name for p in bundles[0].iterdir()}
    assert stat.S_IMODE(bundles[0].stat().st_mode) == 0o700  # the trace holds session cookies
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in bundles[0].iterdir()} == dict.fromkeys(written, 0o600)
    assert "registro.txt" in written
    if scenario.code not in (0,):
        assert {"pagina.png", "pagina.html"} <= written
    if scenario.code == 0 or scenario.failure in ("not-ready", "no-print", "html-instead-of-pdf", "truncated-pdf"):
        assert any(name.startswith("traza-") for name in written)  # the trace, from after the login
    assert "cookies" in result.stderr  # the warning that the trace holds session cookies
    assert_password_policy(
        portal.state, session_expired=scenario.failure == "session-expired" and result.returncode == 0
    )

    if "pagina.png" in written:
        png = (bundles[0] / "pagina.png").read_bytes()
        html = (bundles[0] / "pagina.html").read_text(encoding="utf-8")
        regions = secret_regions(browser, html, portal.url, read_png(png).width, ACCOUNT.nss)
        if scenario.code in LOGIN_PAGE_CODES or scenario.failure == "blocked":
            assert {"NSS field", "password field"} <= {r.what for r in regions}, regions
        assert unmasked(png, regions) == [], f"not painted over in pagina.png: {regions}"

    login_form_sent = f'"{portal.url.rstrip("/")}/login"'.encode()  # the mock's form action, as a trace writes it
    checked = 0
    for path in tmp_path.rglob("*"):
        if not path.is_file():
            continue
        is_saved_pdf = saved is not None and path == saved
        if not is_saved_pdf:
            assert ACCOUNT.nss not in str(path.relative_to(tmp_path))
        for where, data in contents(path):
            checked += 1
            if "!" in where:  # a trace: no pictures of the page (the NSS as pixels), no screencast
                assert not data.startswith((b"\xff\xd8\xff", b"\x89PNG")), f"a picture: {where}"
                assert b"screencast-frame" not in data, where
                # Traces start after the login (they may show the login page again after an expiry, never a send)
                assert login_form_sent not in data, f"the login form's send in a trace: {where}"
            assert leaks(data, ACCOUNT.password) == [], f"password in {where}"
            if not is_saved_pdf:
                assert leaks(data, ACCOUNT.nss) == [], f"full NSS in {where}"
    assert checked >= 3


ODD_FORMS_PAGE = """<!doctype html><html lang=es><head><style>
  body { font: 16px sans-serif; margin: 20px; } .who::after { content: "NSS 8496 6311 213"; } .who { display: block; }
</style></head><body>
  <h1>Mi Cuenta Infonavit</h1>
  <p>Tu número de seguridad social es <b id=spaced>8496 6311 213</b>, registrado.</p>
  <p id=dashed>NSS: 849-663-112-13</p>
  <label>NSS <input id=readonly readonly value="84966311213"></label>
  <p><input id=disabled disabled value="8496 6311 213" size=16></p>
  <div class=who id=pseudo>Titular:</div>
  <p id=dotted>NSS 8496.6311.213 (verificado)</p>
</body></html>"""


def test_the_nss_is_painted_over_and_left_out_however_the_page_shows_it(page: Page, tmp_path: Path) -> None:
    """Spaced, dashed or dotted digits, a read-only or disabled box, the text a style adds: the report's
    picture has the mask colour over each, and its HTML none of those forms (tested on the pixels)."""
    nss = "84966311213"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_content(ODD_FORMS_PAGE)
    regions = []
    for name in ("spaced", "dashed", "readonly", "disabled", "pseudo", "dotted"):
        box = page.locator(f"#{name}").bounding_box()
        assert box is not None
        regions.append(Region(name, round(box["x"]), round(box["y"]), round(box["width"]), round(box["height"])))
    redactor = Redactor(nss=nss, password="Ñandú-Seguro 9")
    console = Console(stdin=io.StringIO(), stdout=io.StringIO(), stderr=io.StringIO())
    write_page(tmp_path, page, [nss_shown(page, nss)], redactor, StepLog(console, redactor))
    assert unmasked((tmp_path / "pagina.png").read_bytes(), regions) == []
    html = (tmp_path / "pagina.html").read_text(encoding="utf-8")
    digits_spread = re.compile(r"(?<!\d)" + r"[\s.\-]?".join(nss) + r"(?!\d)")
    assert digits_spread.search(html) is None, html
    assert "*******1213" in html  # masked, still readable
