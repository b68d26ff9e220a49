"""One look at a page, as the walk takes it, on small pages written the way portals write them: what is
a control's label and what is a sentence about it, which control puts off a page that asks for something."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infonavit_fetch.site import portal
from infonavit_fetch.walk.look import Sight
from infonavit_fetch.walk.sight import look_script as _look_script

if TYPE_CHECKING:
    from playwright.sync_api import Page

INDICACIONES = portal.WAYPOINTS.index(portal.Label.INDICACIONES)
MI_ESPACIO = portal.WAYPOINTS.index(portal.Label.MI_ESPACIO)


def look(page: Page, body: str) -> Sight:
    page.set_content(f"<!doctype html><html lang=es><body>{body}</body></html>")
    return Sight.parse(page.evaluate(_look_script(portal.FORMALIZA)))


def test_words_inside_a_sentence_are_not_a_controls_label(page: Page) -> None:
    sight = look(
        page,
        """<div role="button" tabindex="0" class="MuiCardActionArea-root">
             <h3>Mi Espacio Infonavit</h3>
             <p>Da seguimiento a cada etapa de tu trámite, consulta las indicaciones y descarga tus documentos.</p>
           </div>
           <button>Ver indicaciones</button>""",
    )
    by_words = {(s.waypoint, s.text): s for s in sight.found}
    assert not by_words[(MI_ESPACIO, "Mi Espacio Infonavit")].prose
    sentence = next(s for s in sight.found if s.waypoint == INDICACIONES and s.text.startswith("Da seguimiento"))
    assert sentence.prose and sentence.clickable  # the card can be clicked, but not as «Indicaciones»
    assert not by_words[(INDICACIONES, "Ver indicaciones")].prose  # a short label that says little else


def test_a_label_that_says_later_puts_off_whatever_its_verb(page: Page) -> None:
    sight = look(
        page,
        """<h1>Confirma tu correo electrónico</h1>
           <p>Necesitamos que confirmes tu correo electrónico.</p>
           <a href="#" class="btn btn-danger">Actualizar correo</a>
           <a href="#" class="btn btn-default">Confirmar después</a>""",
    )
    assert [c.text for c in sight.pass_controls] == ["Confirmar después"]


def test_a_dialog_is_put_off_by_its_later_not_by_its_update(page: Page) -> None:
    sight = look(
        page,
        """<p>Tramitar mi crédito</p>
           <div role="dialog" aria-modal="true" style="position:fixed;inset:0;background:#fff">
             <h2>Tus datos de contacto</h2>
             <button>Actualizar ahora</button> <button>Actualizar más tarde</button>
           </div>""",
    )
    assert [(o.text, o.rank) for o in sight.overlays] == [("Actualizar más tarde", portal.LATER_RANK)]


COMPONENT = """<script>
customElements.define('gob-button', class extends HTMLElement {
  connectedCallback() {
    this.attachShadow({mode: 'open'}).innerHTML = '<button type="button" class="btn"><slot></slot></button>';
  }
});
</script>"""


def test_words_slotted_into_a_components_button_are_on_a_control(page: Page) -> None:
    sight = look(page, COMPONENT + "<p>Indicaciones</p><gob-button>Imprime los documentos</gob-button>")
    printing = next(s for s in sight.found if s.waypoint == portal.PRINT_WAYPOINT)
    assert printing.clickable and not printing.prose


def test_a_page_that_lets_nothing_through_is_put_off_by_a_components_later(page: Page) -> None:
    body = (
        COMPONENT + "<nav><a href='/credito'>Tramitar mi crédito</a></nav><h1>Aviso de privacidad actualizado</h1>"
        "<gob-button>Continuar</gob-button> <gob-button>Leer después</gob-button>"
    )
    assert look(page, body).pass_controls == []  # the way on is in sight: nothing asks to be put off
    page.set_content(f"<!doctype html><html lang=es><body>{body}</body></html>")
    asking = Sight.parse(page.evaluate(_look_script(portal.FORMALIZA, ask_first=True)))
    assert [c.text for c in asking.pass_controls] == ["Leer después", "Continuar"]  # putting off comes first
