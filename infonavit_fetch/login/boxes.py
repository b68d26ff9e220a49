"""A login page's boxes: what the page asks for, and the NSS and password typed where it asks for them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infonavit_fetch.login.form import read_form

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from infonavit_fetch.browser.session import Run
    from infonavit_fetch.site.portal import LoginPage


def read_boxes(page: Page, login: LoginPage) -> dict[str, Any]:
    """What the page asks for; a box the words around it did not name is still found the older way, by
    the manual's label written as plain text before it («Introduce el código» in a <span>)."""
    form = read_form(page)
    for role, box in (("captcha", login.captcha_field), ("nss", login.nss)):
        if not form[role] and form["other"] and box.count() and box.is_visible():
            box.evaluate("(el, role) => el.setAttribute('data-infonavit-login', role)", role)
            form[role], form["other"] = 1, form["other"] - 1
    return form


def shape(form: dict[str, Any]) -> tuple[int, ...]:
    """What a login page asks for, to tell one page of the conversation from the next."""
    return (form["nss"], form["password"], form["captcha"], form["otp"])


def fill_credentials(run: Run, login: LoginPage, form: dict[str, Any], *, first: bool) -> None:
    """NSS and password where the page asks for them, typed once per page: a page that cleared them gets
    them again."""
    credentials = run.credentials
    run.ensure_on_portal()  # secrets are typed only into the portal's own pages
    act = run.act_on_portal
    if form["nss"] and (first or login.nss.input_value() != credentials.nss):
        act(lambda ms: login.nss.fill(credentials.nss, timeout=ms))
    if form["password"] and (first or not login.password.input_value()):
        act(lambda ms: login.password.fill(credentials.password, timeout=ms))
    run.log("NSS y contraseña escritos en el formulario")
