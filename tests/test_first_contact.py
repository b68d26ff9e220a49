"""Reading a portal nobody here has seen, the way a person reads it: the steps in other words and on
controls that show no text, the step of the current stage where it shows twice, a credit the page calls
active, the notice shown as a page, a login page known only by what its boxes are for, a reminder that
mentions the password in passing, and lines of the notice that carry several pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from infonavit_fetch.login.conversation import ANSWER_JS, answer_arg
from infonavit_fetch.login.form import read_form
from infonavit_fetch.site import portal
from infonavit_fetch.site.notice import read_notice
from infonavit_fetch.site.portal import Outcome, classify_message
from infonavit_fetch.walk.hands import COVERED_BY_JS
from infonavit_fetch.walk.look import Sight
from infonavit_fetch.walk.sight import look_script as _look_script

if TYPE_CHECKING:
    from playwright.sync_api import Page

W = {label: index for index, label in enumerate(portal.WAYPOINTS)}
L = portal.Label


def look(page: Page, body: str, route: portal.Route = portal.FORMALIZA) -> Sight:
    page.set_content(f"<!doctype html><html lang=es><body>{body}</body></html>")
    return Sight.parse(page.evaluate(_look_script(route)))


def labels(sight: Sight) -> dict[int, list[str]]:
    """Per waypoint, the words of each sighting that is a control's label (not a sentence about it)."""
    found: dict[int, list[str]] = {}
    for sighting in sight.found:
        if sighting.clickable and not sighting.prose:
            found.setdefault(sighting.waypoint, []).append(sighting.text)
    return found


@pytest.mark.parametrize(
    ("words", "waypoint"),
    [
        ("En qué va mi solicitud", L.REQUEST_STATUS),
        ("¿En qué va tu solicitud de crédito?", L.REQUEST_STATUS),
        ("Ir a Mi Espacio Infonavit", L.MI_ESPACIO),
        ("Imprime tus documentos", L.PRINT),
        ("Imprimir documentos", L.PRINT),
        ("Ver indicaciones", L.INDICACIONES),
        ("Formaliza tu crédito", L.STAGE_FORMALIZA),
        ("Trámite: tramitar mi crédito", L.MENU_CREDIT),
    ],
)
def test_a_step_in_other_words_is_still_the_step(page: Page, words: str, waypoint: str) -> None:
    sight = look(page, f'<a href="/x">{words}</a>')
    assert labels(sight) == {W[waypoint]: [words]}


@pytest.mark.parametrize(
    "words",
    [
        "Estás formalizando tu crédito",  # a verb in another form is another thing
        "Consulta las etapas de tu trámite e imprime tus documentos en el portal",  # a sentence
        "Imprime tu carta de instrucción notarial",  # another document
        "Solicita tu crédito",
    ],
)
def test_words_that_only_resemble_a_step_are_not_it(page: Page, words: str) -> None:
    assert labels(look(page, f'<a href="/x">{words}</a>')) == {}


@pytest.mark.parametrize(
    "control",
    [
        '<a href="/t"><img src="data:," alt="Tramitar mi crédito" width="80" height="40"></a>',
        '<input type="image" src="data:," alt="Tramitar mi crédito" width="80" height="40">',
        '<button aria-label="Tramitar mi crédito">☰</button>',
        '<span id="l1">Tramitar mi crédito</span><button aria-labelledby="l1">→</button>',
        '<a href="/t"><svg width="30" height="30"><title>Tramitar mi crédito</title>'
        '<rect width="30" height="30"/></svg></a>',
        '<form><input type="submit" value="Tramitar mi crédito"></form>',
    ],
)
def test_a_control_without_text_is_read_by_its_accessible_name(page: Page, control: str) -> None:
    sight = look(page, control)
    assert W[L.MENU_CREDIT] in labels(sight), sight.found


def test_a_step_named_only_in_a_sentence_is_looked_for_on_a_short_control_that_shares_its_word(page: Page) -> None:
    # A card that mentions the step in a sentence (and opens help when pressed), and an icon-only tab bar.
    page.set_content(
        """<!doctype html><html lang=es><body>
        <div role=button onclick="0">Tu solicitud: estás formalizando tu crédito; tramitar mi crédito sigue
          desde la pestaña de trámites de la parte de abajo de la pantalla.</div>
        <nav role=tablist><button role=tab aria-label="Inicio">⌂</button>
          <button role=tab aria-label="Trámites">▤</button><button role=tab aria-label="Más">⋯</button></nav>
        </body></html>"""
    )
    sight = Sight.parse(page.evaluate(_look_script(portal.FORMALIZA, ask_first=True)))
    assert all(s.prose for s in sight.found), sight.found
    assert [c.text for c in sight.related] == ["Trámites"]


def test_a_small_layer_a_click_landed_on_is_offered_for_closing(page: Page) -> None:
    """A banner laid over the page with position:absolute (not fixed, not a dialog, small): once a click of
    the walk lands on it, the next look offers its own put-off control."""
    page.set_content(
        """<!doctype html><html lang=es><body style="margin:0">
        <div style="position:relative"><div style="height:60px">Mi Cuenta</div>
          <a href="#x" id=way style="display:block;height:60px">Tramitar mi crédito</a>
          <section aria-label="Instala la app" style="position:absolute;top:40px;left:0;right:0;height:100px;
            background:#fff"><span>Instala la app</span><button>Instalar</button><button>Ahora no</button></section>
        </div></body></html>"""
    )
    assert page.locator("#way").evaluate(COVERED_BY_JS).startswith("Instala la app")
    sight = Sight.parse(page.evaluate(_look_script(portal.FORMALIZA)))
    (banner,) = [o for o in sight.overlays if o.blocking]
    assert banner.text == "Ahora no" and not banner.big and not banner.dialog


def test_a_close_like_control_that_leads_away_is_never_the_way_to_close(page: Page) -> None:
    # «Cerrar sesión» starts like «Cerrar» and comes first: a person closes the notice, not the session.
    sight = look(
        page,
        """<div role=dialog aria-modal=true style="position:fixed;inset:0;background:#fff">
             <p>Tu sesión está por expirar.</p><button>Cerrar sesión</button><button>Cerrar</button></div>""",
    )
    assert [o.text for o in sight.overlays] == ["Cerrar"]


def test_of_two_print_steps_the_one_of_the_current_stage_is_taken(page: Page) -> None:
    sight = look(
        page,
        """<section><h3>Inscripción de tu crédito</h3><p>Etapa concluida</p>
             <a href="/solicitud.pdf">Imprime los documentos</a></section>
           <section><h3>Formaliza tu crédito</h3><p>Etapa en curso</p>
             <a href="/aviso.pdf">Imprime los documentos</a></section>""",
    )
    prints = [s for s in sight.found if s.waypoint == W[L.PRINT]]
    assert sorted(s.section for s in prints) == [-1, 1]


def test_a_credit_the_page_calls_active_is_seen(page: Page) -> None:
    assert look(page, "<p>Tu crédito Infonavit está vigente desde el 15/03/2024</p>").active
    assert look(page, "<p>Tu solicitud ya concluyó. Tu crédito está activo.</p>").active
    assert not look(page, "<p>Aún no tienes un crédito vigente. Tu precalificación está vigente.</p>").active


def test_the_notice_as_a_page_is_told_from_a_list_that_names_it(page: Page) -> None:
    assert look(page, "<h1>AVISO PARA RETENCIÓN DE DESCUENTOS</h1><table><tr><td>NSS</td></tr></table>").notice_title
    listing = "<table><tr><td>Aviso para retención de descuentos</td><td><button>Descargar</button></td></tr></table>"
    assert not look(page, listing).notice_title


def test_the_notice_s_row_in_a_list_of_documents(page: Page) -> None:
    sight = look(
        page,
        """<table>
             <tr><td>Carta de instrucción notarial</td><td><button>Descargar</button></td></tr>
             <tr><td>Aviso de suspensión de descuentos</td><td><button>Descargar</button></td></tr>
             <tr><td>Avisos de retención y suspensión</td><td><button>Descargar</button></td></tr>
             <tr><td>Aviso para retención de descuentos</td><td><button id="this">Descargar</button></td></tr>
           </table>""",
        portal.FORMALIZA_LIST,
    )
    row = [s for s in sight.found if s.waypoint == len(portal.FORMALIZA_LIST.waypoints) - 1 and s.clickable]
    assert len(row) == 1
    assert page.locator(f'[data-infonavit-fetch="{row[0].id}"]').get_attribute("id") == "this"


@pytest.mark.parametrize(
    ("body", "asks"),
    [
        (
            "<form><label for=n>Número de Seguridad Social (NSS)</label><input id=n><button>Continuar</button></form>",
            (1, 0, 0, 0),
        ),
        (
            '<form><input placeholder="NSS (11 dígitos)"><input type=password aria-label="Contraseña">'
            '<img src="data:," width="120" height="40"><input placeholder="Código de la imagen">'
            '<button aria-label="Iniciar sesión">→</button></form>',
            (1, 1, 1, 0),
        ),
        (
            "<form><p>Tu NSS tiene 11 dígitos</p><input name=usuario inputmode=numeric><input type=password>"
            "<button>Continuar</button></form>",
            (1, 1, 0, 0),
        ),
        (
            "<form><p>Te enviamos un código de 6 dígitos por SMS</p><label for=c>Código de verificación</label>"
            "<input id=c><button>Verificar</button></form>",
            (0, 0, 0, 1),
        ),
        (
            "<form><p>Te enviamos un código a tu correo</p>"
            + "".join(f'<input maxlength=1 aria-label="Dígito {i}">' for i in range(1, 7))
            + "<button>Confirmar</button></form>",
            (0, 0, 0, 6),
        ),
    ],
)
def test_a_login_page_is_read_by_what_its_boxes_are_for(page: Page, body: str, asks: tuple[int, ...]) -> None:
    page.set_content(f"<!doctype html><html lang=es><body>{body}</body></html>")
    form = read_form(page)
    assert (form["nss"], form["password"], form["captcha"], form["otp"]) == asks
    assert form["go"]  # the page's own way forward


@pytest.mark.parametrize(
    "signed_in",
    [
        '<nav><button aria-label="Inicio">⌂</button><button aria-label="Trámites">▤</button></nav>'
        '<a href="#salir">Cerrar sesión</a>',
        '<header><span>Último acceso: 04/12/2026 08:41</span><button aria-label="Menú">☰</button></header>',
    ],
)
def test_a_single_page_app_is_seen_signed_in_by_what_only_a_signed_in_page_says(page: Page, signed_in: str) -> None:
    # The same document before and after the press (no new page loads), and not one step's words in
    # sight: only what a page says once the person is in.
    page.set_content(
        "<!doctype html><html lang=es><body><main><form><p>Bienvenido a Mi Cuenta Infonavit</p>"
        "<input name=nss><input type=password><button>Iniciar sesión</button></form></main></body></html>"
    )
    before = page.evaluate(ANSWER_JS, answer_arg([], mark=True))
    assert before["state"] == "form"
    page.evaluate("(html) => { document.querySelector('main').innerHTML = html; }", signed_in)
    after = page.evaluate(ANSWER_JS, answer_arg(before["texts"], mark=False))
    assert after["state"] == "in"


@pytest.mark.parametrize(
    ("message", "outcome"),
    [
        ("Mantenerlo actualizado te permite recuperar tu contraseña.", Outcome.UNKNOWN),
        ("Tu contraseña vence el 13/12/2026. Te recomendamos cambiarla ahora.", Outcome.UNKNOWN),
        ("Tu contraseña ha expirado.", Outcome.PASSWORD_CHANGE),
        ("Es necesario que cambies tu contraseña antes de continuar.", Outcome.PASSWORD_CHANGE),
    ],
)
def test_the_password_mentioned_in_passing_is_no_demand(message: str, outcome: Outcome) -> None:
    assert classify_message(message) is outcome


def test_lines_of_several_pairs_give_each_field_its_own_value() -> None:
    text = "\n".join(
        [
            "AVISO PARA RETENCIÓN DE DESCUENTOS",
            "Patrón: SERVICIOS DEL NORTE SA DE CV   NRP: Y54-12345-10-8",
            "NSS: 84966311213   CURP: HELG850312MDFRPD09",
            "NÚM. DE CRÉDITO: 1526093847 TIPO DE DESCUENTO: CUOTA FIJA MONETARIA VALOR: $3,482.17",
            "Inicio del descuento: 01/12/2026   Periodicidad del entero: Bimestral",
        ]
    )
    read = read_notice(text)
    assert read.patron == "SERVICIOS DEL NORTE SA DE CV"
    assert read.nrp == "Y54-12345-10-8"
    assert read.credito == "1526093847"
    assert read.tipo_descuento == "CUOTA FIJA MONETARIA"
    assert read.valor_descuento == "$3,482.17"
    assert read.fecha_inicio == "01/12/2026"
