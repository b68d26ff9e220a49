"""The picture of the code handed to the person: the image's own pixels whatever covers it on screen, and
a screenshot where the page cannot hand its pixels over (a picture from another site, a background image)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fixtures.mock_portal import pages as mock_pages
from infonavit_fetch.login.captcha import picture_of_code
from infonavit_fetch.login.picture import read_png
from infonavit_fetch.site.portal import LoginPage

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

PORTAL = "http://portal.test"
ELSEWHERE = "http://captcha-vendor.test"  # another site: its picture cannot be read back from a canvas
OVER_EVERYTHING = (
    '<div style="position:fixed;inset:0;background:rgb(200,0,0);z-index:9">Aviso importante</div>'  # no close
)


def login_with(page: Page, captcha_html: str, extra: str = "") -> LoginPage:
    form = f"""<!doctype html><html><body><form>
      <label>Número de Seguridad Social (NSS) <input name="nss"></label>
      <label>Contraseña <input type="password" name="p"></label>
      {captcha_html}
      <label>Introduce el código <input name="code"></label>
      <button>Iniciar sesión</button></form>{extra}</body></html>"""

    def serve(route: Route) -> None:
        if route.request.url.endswith("/captcha.svg"):
            route.fulfill(content_type="image/svg+xml", body=mock_pages.captcha_svg("AbCdE"))
        else:
            route.fulfill(content_type="text/html; charset=utf-8", body=form)

    page.route(f"{PORTAL}/**", serve)
    page.route(f"{ELSEWHERE}/**", serve)
    page.goto(f"{PORTAL}/")
    return LoginPage(page)


def red_share(png: bytes) -> float:
    picture = read_png(png)
    pixels = [pixel for row in picture.pixels for pixel in row]
    return sum(r > 150 and g < 60 and b < 60 for r, g, b in pixels) / len(pixels)


def test_a_layer_over_the_image_is_not_in_the_picture(page: Page) -> None:
    login = login_with(page, f'<img src="{PORTAL}/captcha.svg" alt="código">', extra=OVER_EVERYTHING)
    png = picture_of_code(login, 5000)
    picture = read_png(png)
    assert (picture.width, picture.height) == (180, 60)  # the image's own size
    assert red_share(png) == 0.0
    assert len({pixel for row in picture.pixels for pixel in row}) > 20  # not blank


def test_a_picture_from_another_site_is_shot_as_shown(page: Page) -> None:
    login = login_with(page, f'<img src="{ELSEWHERE}/captcha.svg" alt="código" width="180" height="60">')
    picture = read_png(picture_of_code(login, 5000))
    assert abs(picture.width - 180) <= 1 and abs(picture.height - 60) <= 1  # a screenshot, on whole pixels
    assert len({pixel for row in picture.pixels for pixel in row}) > 20


def test_a_background_image_is_shot_as_shown(page: Page) -> None:
    captcha = (
        f'<div role="img" aria-label="código" style="width:180px;height:60px;'
        f'background:url({PORTAL}/captcha.svg)"></div>'
    )
    login = login_with(page, captcha)
    page.wait_for_function("() => document.readyState === 'complete'")
    picture = read_png(picture_of_code(login, 5000))
    assert abs(picture.width - 180) <= 1 and abs(picture.height - 60) <= 1  # a screenshot, on whole pixels
    assert len({pixel for row in picture.pixels for pixel in row}) > 20
