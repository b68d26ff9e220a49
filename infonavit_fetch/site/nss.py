"""The Número de Seguridad Social: checking it and masking it for anything meant for sharing."""

from __future__ import annotations

from infonavit_fetch.errors import BadInput
from infonavit_fetch.i18n import t


def luhn_check_digit(payload: str) -> int:
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def validate_nss(raw: str) -> str:
    """Return the NSS as 11 digits, or raise BadInput saying what is wrong with it."""
    nss = "".join(raw.split()).replace("-", "")
    if not nss:
        raise BadInput(t("No se indicó el NSS."), hint=t("Escribe tu Número de Seguridad Social de 11 dígitos."))
    if not nss.isdigit() or not nss.isascii():
        raise BadInput(
            t("El NSS solo debe tener números."),
            hint=t("Revisa tu NSS: son 11 dígitos, sin letras. Lo encuentras en tu recibo de nómina."),
        )
    if len(nss) != 11:
        raise BadInput(
            t("El NSS debe tener 11 dígitos y el que escribiste tiene {p0}.", p0=len(nss)),
            hint=t("Revisa tu NSS en tu recibo de nómina o en «Consulta tu Número de Seguridad Social» del portal."),
        )
    if not check_digit_matches(nss):
        raise BadInput(
            t("El NSS no es válido: su último dígito (dígito verificador) no corresponde."),
            hint=t("Seguramente hay un dígito equivocado o invertido. Revísalo en tu recibo de nómina."),
        )
    return nss


def mask_nss(nss: str) -> str:
    """Keep the last four digits only: enough to tell accounts apart in a bug report."""
    if len(nss) <= 4:
        return "*" * len(nss)
    return "*" * (len(nss) - 4) + nss[-4:]


def check_digit_matches(nss: str) -> bool:
    """The NSS's last digit is the check digit of the first ten (Luhn)."""
    return luhn_check_digit(nss[:10]) == int(nss[10])
