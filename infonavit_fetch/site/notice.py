"""The notice read back: the fields an employee checks before sending it, taken from the PDF's text.

Only the notice's official title is known for sure; the field labels below are the ones public
descriptions of the notice use, matched loosely (accents, case, spacing). A value is taken only where
the layout leaves no doubt about it and only if it looks like what the field holds (an NSS has 11 digits,
a date is a date...): a field not found is reported as missing, never guessed and never fatal.

Three ways a label carries its value are read: "Label: value" on one line, "Label value" on one line
(a table without colons), and the label alone on its line (a colon or a parenthesised hint after it
allowed) with the value on the next line. Prose ("...con NSS 8496...") is not read.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass

from infonavit_fetch.i18n import t
from infonavit_fetch.site.nss import mask_nss
from infonavit_fetch.site.text import fold

# field -> labels it may carry on the notice (the longest that fits a line wins)
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "nombre": (
        "Nombre del trabajador",
        "Nombre del acreditado",
        "Nombre completo",
        "Trabajador",
        "Nombre",
        "Derechohabiente",
    ),
    "nss": ("NSS", "Número de Seguridad Social", "Número de Seguridad Social (NSS)", "Núm. de afiliación IMSS"),
    "credito": ("Número de crédito", "No. de crédito", "Núm. de crédito", "Crédito Infonavit", "Crédito"),
    "patron": (
        "Nombre o razón social del patrón",
        "Nombre o razón social",
        "Nombre, denominación o razón social",
        "Razón social del empleador",
        "Razón social",
        "Patrón",
        "Empleador",
    ),
    "nrp": ("NRP", "Registro patronal", "Registro patronal (NRP)", "Número de registro patronal", "Reg. patronal"),
    "tipo_descuento": ("Tipo de descuento", "Modalidad de descuento"),
    "valor_descuento": (
        "Valor",
        "Importe / factor",
        "Valor del descuento",
        "Monto del descuento",
        "Monto del descuento mensual",
        "Valor del descuento mensual",
        "Importe del descuento",
        "Factor de descuento",
        "Factor / monto de descuento",
    ),
    "fecha_inicio": (
        "Fecha de inicio de los descuentos",
        "Fecha de inicio de descuentos",
        "Fecha de inicio del descuento",
        "Fecha de inicio de descuento",
        "Fecha de inicio",
        "Inicio del descuento",
        "Aplicar a partir del",
        "Aplicar a partir de",
        "Fecha de aplicación",
    ),
}
# Other labels a notice prints, which end the value of the pair before them on a line of several pairs
# («Patrón: … NRP: …», «FOLIO: … FECHA DE EMISIÓN: … MOTIVO: …»).
OTHER_LABELS = (
    "RFC",
    "R.F.C.",
    "R.F.C. patrón",
    "CURP",
    "Folio",
    "Fecha",
    "Fecha de emisión",
    "Emitido el",
    "Motivo",
    "Causa del aviso",
    "Periodicidad",
    "Periodicidad del entero",
    "Delegación",
    "Valor anterior",
    "Monto anterior",
    "Importe / factor anterior",
    "Clave de control",
    "Suspender a partir de",
    "Fecha de suspensión",
)

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


_MONTHS = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
_CAPITALS = "A-ZÁÉÍÓÚÜÑ"
# Kinds of discount the notice can name (FACTS: porcentaje, cuota fija monetaria, VSM or UMA), folded.
DISCOUNT_TYPES = {
    fold(kind)
    for kind in (
        "factor de descuento",
        "factor",
        "porcentaje",
        "cuota fija monetaria",
        "cuota fija",
        "veces salario minimo (vsm)",
        "veces salario minimo",
        "vsm",
        "veces uma",
        "uma",
        "veces unidad de medida y actualizacion (uma)",
        "veces unidad de medida y actualizacion",
    )
}


def _first(pattern: str) -> Callable[[str], str | None]:
    compiled = re.compile(pattern, re.IGNORECASE)

    def check(value: str) -> str | None:
        match = compiled.match(value)
        return match.group(1) if match else None

    return check


def _whole(pattern: str, *, flags: int = 0) -> Callable[[str], str | None]:
    compiled = re.compile(pattern, flags)
    return lambda value: value if compiled.fullmatch(value) else None


_PERIOD = r"(?:mensual|quincenal|semanal|bimestral|catorcenal)(?:es)?|(?:por|al) (?:mes|bimestre)"


def _discount_type(value: str) -> str | None:
    """A kind of discount, maybe with its period ("Cuota fija mensual")."""
    kind = re.sub(rf"\s+(?:{_PERIOD})$", "", fold(value))
    return value if kind in DISCOUNT_TYPES else None


# "$3,482.17", "25.5 %", "3.2 VSM", "$ 2,845.60 mensuales", "1,200.00 MXN quincenales"; the amount in
# words that may follow in parentheses is left out ("$4,812.37 (cuatro mil … 37/100 M.N.)").
_AMOUNT = re.compile(
    rf"(\$? ?\d[\d,]*(?:\.\d+)?(?: ?(?:%|VSM|UMA))?(?: ?(?:M\.?N\.?|MXN|pesos))?(?: (?:{_PERIOD}))?"
    # "20 % del salario base de cotización"
    r"(?: (?:del|sobre el) salario(?: base de cotizaci[oó]n| integrado| diario)?)?)"
    r"(?: \([^()]*\))?",
    re.IGNORECASE,
)


def _discount_value(value: str) -> str | None:
    match = _AMOUNT.fullmatch(value)
    return match.group(1) if match else None


# field -> what its value must look like; the part of the value kept, or None for "not this"
_VALUES: dict[str, Callable[[str], str | None]] = {
    "nombre": _whole(rf"[{_CAPITALS}][{_CAPITALS}'.-]*(?: [{_CAPITALS}][{_CAPITALS}'.-]*)+"),
    "nss": _first(r"(\d{11})(?![\d/-])"),
    "credito": _first(r"(\d{10})(?![\d/-])"),
    "patron": _whole(rf"[{_CAPITALS}0-9&][{_CAPITALS}0-9&.,' -]*[{_CAPITALS}0-9.]"),
    # "Y5412345108", or as IMSS writes it, "Y54-12345-10-8"
    "nrp": _first(r"([A-Z0-9](?:[ -]?\d){10})(?![\d/-])"),
    "tipo_descuento": _discount_type,
    "valor_descuento": _discount_value,
    "fecha_inicio": _whole(
        rf"\d{{1,2}}([/-])\d{{1,2}}\1\d{{4}}|\d{{1,2}}/[A-Z]{{3}}/\d{{4}}|\d{{1,2}} de (?:{_MONTHS}) de \d{{4}}",
        flags=re.IGNORECASE,
    ),
}


def _same_length_fold(text: str) -> str:
    """Lower case without accents, one character for one: positions in the result are positions in `text`."""
    return "".join((unicodedata.normalize("NFKD", c)[:1] or c).lower() if len(c.lower()) == 1 else c for c in text)


def _label_source(label: str) -> str:
    parts: list[str] = []
    for char in _same_length_fold(label):
        if char.isspace():
            parts.append(r"\s*" if parts and parts[-1] == r"\.?" else r"\s+")
        elif char == ".":
            parts.append(r"\.?")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


_HINT = r"(?:\s*\((?:[^()]|\([^()]*\))*\))?"  # "(NSS)", "(apellido paterno, materno, nombre(s))"


@dataclass(frozen=True)
class _Label:
    field: str
    text: str
    inline: re.Pattern[str]  # "Label: value" or "Label value"
    alone: re.Pattern[str]  # the label alone on its line, its value on the next one


def _labels() -> list[_Label]:
    labels = []
    for name, texts in FIELD_LABELS.items():
        for text in texts:
            source = _label_source(text)
            labels.append(
                _Label(
                    name,
                    text,
                    re.compile(rf"\s*{source}{_HINT}(?:\s*:\s*|\s+)(?P<value>\S.*)$"),
                    re.compile(rf"\s*{source}\s*:?{_HINT}\s*:?\s*$"),
                )
            )
    return sorted(labels, key=lambda label: -len(label.text))  # "Nombre del trabajador" before "Trabajador"


_LABELS = _labels()
# Where a line of several pairs is cut: before a known label that a colon follows, after a space.
_PAIR_START = re.compile(
    r"\s+(?=(?:"
    + "|".join(
        _label_source(text)
        for text in sorted(
            {*(t for texts in FIELD_LABELS.values() for t in texts), *OTHER_LABELS}, key=len, reverse=True
        )
    )
    + rf"){_HINT}\s*:)"
)


def _pairs(line: str) -> list[str]:
    """A line cut into its label:value pairs (one, on most layouts)."""
    folded = _same_length_fold(line)
    cuts = [match.start() for match in _PAIR_START.finditer(folded) if match.start() > 0]
    bounds = [0, *cuts, len(line)]
    return [line[start:end].strip() for start, end in itertools.pairwise(bounds) if line[start:end].strip()]


def _candidates(lines: list[str]) -> dict[str, list[str]]:
    """Per field, every value found next to one of its labels that looks like the field's value."""
    found: dict[str, list[str]] = {name: [] for name in FIELD_LABELS}
    lines = [pair for line in lines for pair in _pairs(line)]
    for index, line in enumerate(lines):
        folded = _same_length_fold(line)
        for label in _LABELS:
            if label.alone.match(folded):
                following = next((rest.strip() for rest in lines[index + 1 :] if rest.strip()), "")
                raw = following
            elif match := label.inline.match(folded):
                raw = line[match.start("value") :].strip()
            else:
                continue
            value = _VALUES[label.field](raw)
            if value:
                found[label.field].append(" ".join(value.split()))
            break  # the longest label that fits the line is the line's label
    return found


def nss_of_notice(text: str) -> str | None:
    """The worker's NSS the notice names, in full (never shown: only compared); None when it cannot be read
    for sure."""
    values = _candidates(text.splitlines()).get("nss") or []
    return values[0] if values and len(set(values)) == 1 else None


def read_notice(text: str) -> NoticeSummary:
    """The notice's fields; a field whose label is missing, whose value does not look right, or that shows
    two different values, is None."""
    found: dict[str, str | None] = {}
    for name, values in _candidates(text.splitlines()).items():
        found[name] = values[0] if values and len(set(values)) == 1 else None
    if found["nss"]:
        found["nss"] = mask_nss(found["nss"])
    return NoticeSummary(**found)


def summary_lines(summary: NoticeSummary) -> list[str]:
    width = max(len(label) for label in FIELD_NAMES_ES.values())
    lines = []
    for name, value in summary.as_dict().items():
        shown = value if value else t("(no se encontró en el PDF)")
        lines.append(f"  {t(FIELD_NAMES_ES[name]) + ':':{width + 1}} {shown}")
    return lines
