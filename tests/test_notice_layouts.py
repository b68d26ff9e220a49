"""The read-back of the notice on PDFs written without looking at it: the mock's five layouts (a table,
labels in capitals, another order on two pages, a letter...), every account and every kind of notice.

Each field is read right or reported as not found: never a wrong value.
"""

from __future__ import annotations

import pytest

from fixtures.mock_portal import ACCOUNTS, Account
from fixtures.mock_portal.documents import NOTICE_KINDS, NOTICE_LAYOUTS, notice_fields, notice_pdf
from infonavit_fetch.outputs.save import check_pdf
from infonavit_fetch.site.notice import read_notice
from infonavit_fetch.site.nss import mask_nss

# the mock's field (documents.FIELD_NAMES) -> the read-back's
FIELDS = {
    "name": "nombre",
    "nss": "nss",
    "credit_number": "credito",
    "employer_name": "patron",
    "employer_nrp": "nrp",
    "discount_type": "tipo_descuento",
    "discount_value": "valor_descuento",
    "start_date": "fecha_inicio",
}
# What a layout with labels must yield at least on the retention notice: the fields the person checks first.
MUST_READ = {"nss", "credito", "tipo_descuento"}


def read_back(account: Account, layout: str, kind: str) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """(what the notice shows for each field, None if it leaves it out; what the read-back made of it)."""
    truth = notice_fields(account, layout, kind)
    shown = {ours: truth.get(theirs) for theirs, ours in FIELDS.items()}
    if shown["nss"]:
        shown["nss"] = mask_nss(shown["nss"])
    read = read_notice(check_pdf(notice_pdf(account, layout=layout, kind=kind)).text).as_dict()
    return shown, read


@pytest.mark.parametrize("kind", NOTICE_KINDS)
@pytest.mark.parametrize("layout", NOTICE_LAYOUTS)
@pytest.mark.parametrize("account", ACCOUNTS, ids=[a.nss for a in ACCOUNTS])
def test_every_field_is_right_or_not_found(account: Account, layout: str, kind: str) -> None:
    shown, read = read_back(account, layout, kind)
    wrong = {name: (value, shown[name]) for name, value in read.items() if value is not None and value != shown[name]}
    assert wrong == {}, "read (left) differs from what the notice shows (right)"


@pytest.mark.parametrize("layout", [name for name in NOTICE_LAYOUTS if name != "letter"])
@pytest.mark.parametrize("account", ACCOUNTS, ids=[a.nss for a in ACCOUNTS])
def test_layouts_with_labels_are_read(account: Account, layout: str) -> None:
    _, read = read_back(account, layout, "retencion")
    assert {name for name in MUST_READ if read[name] is None} == set()
    found = sum(value is not None for value in read.values())
    assert found >= 6, read


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nombre del trabajador: (apellido paterno, materno, nombre(s))\n", {}),  # a hint, not a name
        ("NSS: 8496631121\n", {}),  # ten digits
        ("Número de crédito: 15260938470\n", {}),  # eleven digits
        ("Tipo de descuento: ver reverso\n", {}),  # not a kind of discount
        ("Fecha de inicio: a partir de la recepción\n", {}),  # not a date
        ("Valor del descuento:\nTipo de descuento: Porcentaje\n", {"tipo_descuento": "Porcentaje"}),
        ("Trabajadores y patrones 84966311213\n", {}),  # "Trabajador" is not a label here
        ("NSS: 84966311213\nNSS: 31927465000\n", {}),  # two different values: neither is a guess
    ],
)
def test_what_does_not_look_like_the_field_is_not_taken(text: str, expected: dict[str, str]) -> None:
    summary = read_notice("AVISO PARA RETENCIÓN DE DESCUENTOS\n" + text)
    assert {k: v for k, v in summary.as_dict().items() if v is not None} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # As portals written without the tool print them: a plain «Nombre» for the worker.
        ("Nombre: MARÍA GUADALUPE HERNÁNDEZ LÓPEZ\n", {"nombre": "MARÍA GUADALUPE HERNÁNDEZ LÓPEZ"}),
        ("Nombre MARÍA GUADALUPE HERNÁNDEZ LÓPEZ\n", {"nombre": "MARÍA GUADALUPE HERNÁNDEZ LÓPEZ"}),
        (
            "Nombre: MARÍA GUADALUPE HERNÁNDEZ RUIZ\nNombre o razón social: MANPOWER, S.A. DE C.V.\n",
            {"nombre": "MARÍA GUADALUPE HERNÁNDEZ RUIZ", "patron": "MANPOWER, S.A. DE C.V."},
        ),
        (
            "Nombre o razón social SERVICIOS INTEGRALES ALTAMIRA, S.A. DE C.V.\n",
            {"patron": "SERVICIOS INTEGRALES ALTAMIRA, S.A. DE C.V."},
        ),
    ],
)
def test_a_plain_name_label_is_the_worker(text: str, expected: dict[str, str]) -> None:
    summary = read_notice("AVISO PARA RETENCIÓN DE DESCUENTOS\n" + text)
    assert {k: v for k, v in summary.as_dict().items() if v is not None} == expected
