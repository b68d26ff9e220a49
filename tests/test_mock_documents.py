"""The notices the mock portal can serve: every layout and kind is a real PDF that shows its ground truth."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from fixtures.mock_portal.accounts import ACCOUNTS, Account
from fixtures.mock_portal.documents import (
    FIELD_NAMES,
    NOTICE_KINDS,
    NOTICE_LAYOUTS,
    PHONE,
    notice_fields,
    notice_page_count,
    notice_pdf,
    other_pdf,
    truncated_pdf,
)

PAGES = {
    "classic": 1,
    "table": 1,
    "capitals": 1,
    "two-pages": 2,
    "letter": 1,
    "two_pairs": 1,
    "three_pairs": 1,
    "other_words": 1,
    "web_print": 1,
}
TITLES = {
    "retencion": "AVISO PARA RETENCIÓN DE DESCUENTOS",
    "suspension": "AVISO PARA SUSPENSIÓN DE DESCUENTOS",
    "modificacion": "AVISO PARA MODIFICACIÓN DE DESCUENTOS",
}
CASES = [(layout, kind) for layout in NOTICE_LAYOUTS for kind in NOTICE_KINDS]


def page_texts(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    return [page.extract_text() for page in reader.pages]


def test_there_are_nine_layouts_and_three_kinds() -> None:
    assert tuple(PAGES) == NOTICE_LAYOUTS
    assert tuple(TITLES) == NOTICE_KINDS


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a.nss)
def test_the_default_is_the_classic_retention_notice(account: Account) -> None:
    assert notice_pdf(account) == notice_pdf(account, layout="classic", kind="retencion")
    assert notice_fields(account) == notice_fields(account, "classic", "retencion")
    assert truncated_pdf(account) == notice_pdf(account)[: len(notice_pdf(account)) // 2]
    assert page_texts(other_pdf(account))[0].startswith("CONSTANCIA DE CRÉDITO")


@pytest.mark.parametrize(("layout", "kind"), CASES)
@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a.nss)
def test_every_notice_is_a_pdf_showing_its_ground_truth(account: Account, layout: str, kind: str) -> None:
    data = notice_pdf(account, layout=layout, kind=kind)
    assert data.startswith(b"%PDF-1.4\n") and data.rstrip().endswith(b"%%EOF")
    assert data == notice_pdf(account, layout=layout, kind=kind)  # byte-for-byte stable
    texts = page_texts(data)
    assert len(texts) == PAGES[layout] == notice_page_count(layout)
    assert pypdf.PdfReader(io.BytesIO(data)).metadata.title == TITLES[kind]  # type: ignore[union-attr]
    text = "\n".join(texts)
    fields = notice_fields(account, layout, kind)
    assert tuple(fields) == FIELD_NAMES
    assert fields["title"] == TITLES[kind]
    assert TITLES[kind] in texts[0]
    for name, value in fields.items():
        if value is not None:
            assert value in text, f"{name}={value!r} not in the {layout} notice"
    raw = {
        "rfc": account.rfc,
        "curp": account.curp,
        "discount_value": account.discount_value,
    }
    for name, value in fields.items():
        if value is None:
            assert raw[name] not in text, f"{name} should be absent from the {layout} notice"


@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_which_fields_each_layout_leaves_out(kind: str) -> None:
    account = ACCOUNTS[0]
    for layout in NOTICE_LAYOUTS:
        missing = {name for name, value in notice_fields(account, layout, kind).items() if value is None}
        expected = {"rfc", "curp"} if layout == "letter" else set()
        if kind == "suspension":
            expected.add("discount_value")
        assert missing == expected, layout


def test_the_layouts_are_written_differently() -> None:
    account = ACCOUNTS[0]
    texts = {layout: "\n".join(page_texts(notice_pdf(account, layout=layout))) for layout in NOTICE_LAYOUTS}
    assert len({notice_pdf(account, layout=layout) for layout in NOTICE_LAYOUTS}) == len(NOTICE_LAYOUTS)
    for layout, text in texts.items():
        if layout != "classic":
            assert "Número de crédito:" not in text and "Nombre del trabajador:" not in text, layout
            assert PHONE in text, layout  # a decoy run of digits
    assert "Número de Seguridad Social" in texts["table"] and "Número de Crédito" in texts["table"]
    for label in ("NOMBRE DEL TRABAJADOR", "NÚMERO DE SEGURIDAD SOCIAL", "NÚMERO DE CRÉDITO", "REGISTRO PATRONAL"):
        assert label in texts["capitals"]
    assert "Crédito Infonavit" in texts["two-pages"]
    assert f"con NSS {account.nss}" in texts["letter"] and "No. de Crédito" in texts["letter"]
    assert f"NRP {account.employer_nrp}" in texts["letter"]
    # The table puts the employer first; the classic layout puts the worker first.
    assert texts["table"].index(account.employer_nrp) < texts["table"].index(account.nss)
    assert texts["classic"].index(account.employer_nrp) > texts["classic"].index(account.nss)


def test_the_dates_and_folios_vary_in_form() -> None:
    account = ACCOUNTS[0]  # issued 24/11/2026, starting 01/12/2026
    dates = {
        layout: (f["date"], f["start_date"], f["folio"])
        for layout in NOTICE_LAYOUTS
        for f in [notice_fields(account, layout)]
    }
    assert dates["classic"] == ("24/11/2026", "01/12/2026", "ARD-2026-0481516")
    assert dates["capitals"][1] == "1 DE DICIEMBRE DE 2026"
    assert dates["two-pages"] == ("24/11/2026", "1 de diciembre de 2026", "2026481516")
    assert dates["letter"][:2] == ("24 de noviembre de 2026", "01/12/2026")


def test_two_pages_split_the_worker_from_the_discount() -> None:
    account = ACCOUNTS[1]
    first, second = page_texts(notice_pdf(account, layout="two-pages"))
    fields = notice_fields(account, "two-pages")
    for name in ("name", "nss", "rfc", "curp", "credit_number", "folio"):
        value = fields[name]
        assert value is not None and value in first, name
    for name in ("discount_type", "discount_value", "start_date"):
        value = fields[name]
        assert value is not None and value in second and value not in first, name
    for page, number in ((first, 1), (second, 2)):
        assert f"Hoja {number} de 2" in page and PHONE in page and f"Folio {fields['folio']}" in page
    assert "FUNDAMENTO LEGAL" in second


def test_a_modification_shows_the_previous_value_as_well() -> None:
    account = ACCOUNTS[0]
    for layout in ("table", "capitals", "two-pages", "letter"):
        text = "\n".join(page_texts(notice_pdf(account, layout=layout, kind="modificacion")))
        assert "$2,950.00" in text and account.discount_value in text, layout


def test_unknown_layouts_and_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="layout"):
        notice_pdf(ACCOUNTS[0], layout="poster")
    with pytest.raises(ValueError, match="kind"):
        notice_fields(ACCOUNTS[0], "table", "cancelacion")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
@pytest.mark.parametrize("layout", NOTICE_LAYOUTS)
def test_poppler_renders_every_page_without_complaint(layout: str, tmp_path: Path) -> None:
    source = tmp_path / f"{layout}.pdf"
    source.write_bytes(notice_pdf(ACCOUNTS[2], layout=layout, kind="modificacion"))
    done = subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(source), str(tmp_path / layout)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == ""
    assert len(list(tmp_path.glob(f"{layout}*.png"))) == PAGES[layout]
