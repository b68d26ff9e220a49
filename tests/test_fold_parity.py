"""One fold on both sides: the page folds what it shows with fold() of infonavit_fetch/js/prelude.js and
compares it with words text.fold folded in Python (the portal's vocabularies), so the two must give the
same result for whatever a page may show: quotes, brackets, accents, «¿?¡!», odd spaces, invisible
characters, mixed case, ligatures, emoji. Compared in the real browser, all strings in one evaluation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from infonavit_fetch.js import names, script, with_prelude
from infonavit_fetch.site.text import fold, label_pattern

if TYPE_CHECKING:
    from playwright.sync_api import Page

SHOWN = [
    # quotes and brackets: not words
    "Número de Seguridad Social (NSS)",
    "«Imprime los documentos»",
    '"Aceptar"',
    "“Cerrar”",
    "‘Cerrar’",
    "„Weiter“ ‟dicho‟",
    "‹Omitir›",
    "[Cerrar]",
    "(Etapa actual)",
    'Pulsa "Continuar" para seguir',
    "Etapa: «En curso» (actual).",
    "d’Artagnan l'aviso ‛viejo‛ ‚bajo‘",
    "crédito(s)",
    # sentence marks
    "¿En qué va mi solicitud de crédito?",
    "¡Bienvenido!",
    "Hola. Adiós: fin",
    "  ¿En  qué va mi solicitud de CRÉDITO? ",
    "¿Olvidaste tu contraseña?",
    "…Ver más…",
    "no, gracias",
    "Aviso para retención de descuentos — Folio: 123",
    # odd spaces
    "Formaliza\u00a0tu\u00a0crédito",
    "Imprime\u2009los\u2009documentos",
    "Mi\u202fEspacio\u205fInfonavit",
    "\u3000全角スペース\u3000",
    "línea\nnueva\tcon\rtabs",
    "Tab\u000bvertical\u000cformfeed",
    "párrafo\u2028separado\u2029aquí",
    "x\x85y",
    "a\x1cb\x1dc\x1ed\x1fe",
    "\u00a0\u2007\u2008",
    "   ",
    "",
    "ogham\u1680space",
    # invisible characters
    "Impri\u00adme",
    "Imprime\u200blos documentos",
    "Cerrar\u200c sesión",
    "\ufeffAceptar",
    "Cerrar\u2060sesión",
    "\u200eAceptar\u200f \u202bderecha\u202c",
    # accents, case, letters
    "CONTRASEÑA",
    "contrasen\u0303a",
    "PINGÜINO pingüino",
    "ÁÉÍÓÚ áéíóú ÀÈÌÒÙ ÂÊÎÔÛ ÄËÏÖÜ ÃÕ",
    "Ç ç Ñ ñ",
    "Mixed CaSe WoRdS",
    "Ά Έ ΐ",
    "ΟΔΟΣ ΚΑΙ ΣΟΦΙΑ",
    "ПРИВЕТ Ёж",
    "İstanbul ı",
    "Straße STRASSE ẞ",
    "שָׁלוֹם",
    "a\u1dc4b x\u20d7 e\u0331",
    "a\u20dd",
    "Ḉ ǖ ẫ",
    # compatibility forms
    "ﬁnanciamiento ﬂujo ﬀ ﬃ ﬄ ﬅ ﬆ",
    "Ǆ ǅ ǆ",
    "Nº 12 ª",
    "① ② ½ Ⅻ",
    "x² H₂O",
    "™ ©",
    "Ｃｅｒｒａｒ Ａ－Ｂ",
    "Ω Å K µ",
    # emoji and glyphs
    "emoji 👍 ✅ 📄 PDF",
    "❤️ corazón",
    "👨\u200d👩\u200d👧 familia",
    "1️⃣ Paso uno",
    "🇲🇽 México",
    "Cerrar ×",
    "☰ Menú",
    "▤ ⋯ → ✕",
]


def test_python_and_the_page_fold_alike(page: Page) -> None:
    folded_in_page = page.evaluate(with_prelude("(texts) => texts.map((s) => fold(s))"), SHOWN)
    pairs = zip(SHOWN, folded_in_page, strict=True)
    differ = {shown: (fold(shown), in_page) for shown, in_page in pairs if fold(shown) != in_page}
    assert len(SHOWN) >= 50
    assert differ == {}


@pytest.mark.parametrize(
    ("shown", "read"),
    [
        ("«Imprime los documentos»", "imprime los documentos"),
        ("(Etapa actual)", "etapa actual"),
        ("Número de Seguridad Social (NSS)", "numero de seguridad social nss"),
        ("  ¿En  qué va mi solicitud de CRÉDITO? ", "en que va mi solicitud de credito"),
        ("Impri\u00adme\u200b los\u00a0documentos", "imprime los documentos"),
        ("no, gracias", "no, gracias"),  # a comma is kept: the vocabularies spell both forms
        ("ﬁnanciamiento", "financiamiento"),
    ],
)
def test_fold_reads_words_not_marks(shown: str, read: str) -> None:
    assert fold(shown) == read


@pytest.mark.parametrize(
    "shown",
    ["Número de Seguridad Social (NSS)", "«Número de Seguridad Social (NSS)»", "Numero de seguridad social NSS *"],
)
def test_a_label_pattern_finds_the_label_whatever_fold_drops(shown: str) -> None:
    assert label_pattern("Número de Seguridad Social (NSS)").search(shown)


def test_every_script_is_one_expression_whose_value_is_a_function(page: Page) -> None:
    scripts = names()
    kinds = page.evaluate("(sources) => sources.map((s) => typeof (0, eval)(s))", [script(n) for n in scripts])
    assert dict(zip(scripts, kinds, strict=True)) == dict.fromkeys(scripts, "function")
