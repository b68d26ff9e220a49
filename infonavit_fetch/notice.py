"""The notice read back: the fields an employee checks before sending it, taken from the PDF's text.

Only the notice's official title is known for sure; the field labels below are the ones public
descriptions of the notice use, matched loosely. A field not found is reported as missing, never fatal.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .i18n import t
from .nss import mask_nss
from .text import label_pattern

# field -> labels it may carry on the notice (first found wins)
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "nombre": ("Nombre del trabajador", "Nombre del acreditado", "Trabajador", "Nombre"),
    "nss": ("NSS", "Número de Seguridad Social"),
    "credito": ("Número de crédito", "No. de crédito", "Crédito"),
    "patron": ("Nombre o razón social del patrón", "Razón social", "Patrón"),
    "nrp": ("NRP", "Registro patronal"),
    "tipo_descuento": ("Tipo de descuento",),
    "valor_descuento": ("Valor del descuento", "Monto del descuento", "Factor de descuento"),
    "fecha_inicio": ("Fecha de inicio del descuento", "Fecha de inicio", "A partir de"),
}

FIELD_NAMES_ES = {
    "nombre": "Nombre",
    "nss": "NSS",
    "credito": "Número de crédito",
    "patron": "Patrón",
    "nrp": "NRP",
    "tipo_descuento": "Tipo de descuento",
    "valor_descuento": "Valor del descuento",
    "fecha_inicio": "Fecha de inicio",
}


@dataclass(frozen=True)
class NoticeSummary:
    nombre: str | None = None
    nss: str | None = None  # masked
    credito: str | None = None
    patron: str | None = None
    nrp: str | None = None
    tipo_descuento: str | None = None
    valor_descuento: str | None = None
    fecha_inicio: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)

    @property
    def missing(self) -> list[str]:
        return [name for name, value in self.as_dict().items() if not value]


def _value_after(text: str, label: str) -> str | None:
    pattern = re.compile(label_pattern(label, exact=False).pattern + r"\s*:\s*(.+)", re.IGNORECASE)
    for line in text.splitlines():
        match = pattern.search(line)
        if match and match.start() == len(line) - len(line.lstrip()):
            value = match.group(1).strip()
            if value:
                return value
    return None


def read_notice(text: str) -> NoticeSummary:
    found: dict[str, str | None] = {}
    for name, labels in FIELD_LABELS.items():
        found[name] = next((v for label in labels if (v := _value_after(text, label))), None)
    nss = found.get("nss")
    if nss:
        digits = re.sub(r"\D", "", nss)
        found["nss"] = mask_nss(digits) if len(digits) == 11 else None
    credit = found.get("credito")
    if credit:
        digits = re.sub(r"\D", "", credit)
        found["credito"] = digits if len(digits) == 10 else credit
    return NoticeSummary(**found)


def summary_lines(summary: NoticeSummary) -> list[str]:
    width = max(len(label) for label in FIELD_NAMES_ES.values())
    lines = []
    for name, value in summary.as_dict().items():
        shown = value if value else t("(no se encontró en el PDF)")
        lines.append(f"  {t(FIELD_NAMES_ES[name]) + ':':{width + 1}} {shown}")
    return lines
