"""Where the NSS and the password come from: option, environment, a .env file, or a prompt.

The password is never taken from the command line, where other programs and the shell history see it.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING

from .console import Console
from .errors import BadInput
from .i18n import t
from .nss import validate_nss

if TYPE_CHECKING:
    from dotenv.parser import Binding

ENV_NSS = "INFONAVIT_NSS"
ENV_PASSWORD = "INFONAVIT_PASSWORD"


def read_env_file(path: Path, *, required: bool) -> dict[str, str]:
    """The variables of a .env file; a line it cannot read is an error, not a silent skip."""
    if not path.is_file():
        if required:
            raise BadInput(
                t("No existe el archivo {path}.", path=path), hint=t("Revisa la ruta que diste con --env-file.")
            )
        return {}
    from dotenv.parser import parse_stream

    try:
        with path.open(encoding="utf-8-sig") as handle:
            bindings = list(parse_stream(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(
            t("No se pudo leer el archivo {path}: {exc}", path=path, exc=exc), hint=t("Guárdalo como texto UTF-8.")
        ) from None
    bad = [b for b in bindings if b.error]
    if bad:
        number = _line_number(bad[0])
        raise BadInput(
            t("El archivo {path} tiene una línea que no se entiende (línea {number}).", path=path, number=number),
            hint=t(
                "Cada línea debe ser NOMBRE=valor, por ejemplo INFONAVIT_NSS=12345678901. Si la contraseña tiene "
                "espacios o #, ponla entre comillas."
            ),
        )
    for binding in bindings:
        if binding.key == ENV_PASSWORD and _comment_cuts_value(binding.original.string):
            raise BadInput(
                t(
                    "En el archivo {path} la contraseña tiene « #» sin comillas (línea {number}): se leería solo lo "
                    "que va antes.",
                    path=path,
                    number=_line_number(binding),
                ),
                hint=t('Ponla entre comillas, por ejemplo {p0}="tu contraseña #1".', p0=ENV_PASSWORD),
            )
    return {b.key: b.value or "" for b in bindings if b.key}


def _line_number(binding: Binding) -> int:
    text = binding.original.string  # it starts with the blank lines before it
    return binding.original.line + text[: len(text) - len(text.lstrip())].count("\n")


def _comment_cuts_value(line: str) -> bool:
    """`NAME=abc #x`: dotenv reads `abc` and takes the rest for a comment; in a password that is a guess."""
    value = line.partition("=")[2].strip()
    return not value.startswith(("'", '"')) and re.search(r"\s#", value) is not None


def forget(env: MutableMapping[str, str]) -> None:
    """Take the secrets out of this process's environment once read: no child (the Playwright driver, the
    browser and its helpers, a PDF viewer) inherits them."""
    for name in (ENV_NSS, ENV_PASSWORD):
        env.pop(name, None)


def resolve(
    *,
    nss_option: str | None,
    env: Mapping[str, str],
    env_file: Path | None,
    console: Console,
    ask_password: Callable[[str], str] = getpass.getpass,
) -> tuple[str, str]:
    """(nss, password), checked; real environment variables win over the .env file."""
    file_values = read_env_file(env_file or Path.cwd() / ".env", required=env_file is not None)
    raw_nss = nss_option or env.get(ENV_NSS) or file_values.get(ENV_NSS)
    password = env.get(ENV_PASSWORD) or file_values.get(ENV_PASSWORD)
    if raw_nss is None:
        if not console.interactive:
            raise _missing(t("el NSS"))
        console.stderr.write(t("Número de Seguridad Social (NSS): "))
        console.stderr.flush()
        raw_nss = console.stdin.readline().strip()
    nss = validate_nss(raw_nss)
    if not password:
        if not console.interactive:
            raise _missing(t("la contraseña"))
        password = ask_password(t("Contraseña de Mi Cuenta Infonavit (no se ve al escribir): "))
        if not password:
            raise BadInput(t("No se escribió la contraseña."), hint=t("Vuelve a ejecutar el comando y escríbela."))
    return nss, password


def _missing(what: str) -> BadInput:
    return BadInput(
        t("Falta {what} y no hay una terminal para preguntarlo.", what=what),
        hint=t(
            "Defínelo en las variables {p0} e {p1}, o en un archivo .env en esta carpeta (o el que indiques con "
            "--env-file).",
            p0=ENV_NSS,
            p1=ENV_PASSWORD,
        ),
    )
