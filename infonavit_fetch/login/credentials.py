"""Where the NSS and the password come from: option, environment, a .env file, or a prompt.

The password is never taken from the command line, where other programs and the shell history see it.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING

from infonavit_fetch.browser.driver import ENV_NSS, ENV_PASSWORD, SECRET_VARIABLES
from infonavit_fetch.cli.console import Console
from infonavit_fetch.errors import BadInput
from infonavit_fetch.i18n import t
from infonavit_fetch.site.nss import validate_nss

if TYPE_CHECKING:
    from dotenv.parser import Binding


def read_env_file(path: Path, *, required: bool) -> dict[str, str]:
    """The variables of a .env file; a line it cannot read is an error, not a silent skip."""
    if not path.is_file():
        if required:
            raise BadInput(
                t("No existe el archivo {path}.", path=path), hint=t("Revisa la ruta que diste con --env-file.")
            )
        return {}
    import io

    from dotenv.parser import parse_stream

    try:
        data = path.read_bytes()
    except OSError:
        raise BadInput(
            t("No se pudo abrir el archivo {path}.", path=path), hint=t("Revisa que puedas abrirlo tú (sus permisos).")
        ) from None
    try:
        # Notepad's "Unicode" is UTF-16 with a byte-order mark.
        text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Notepad's "ANSI" on a Spanish Windows: Windows-1252 (Latin-1 with a few more characters).
        text = data.decode("cp1252") if _is_cp1252(data) else data.decode("latin-1")
    bindings = list(parse_stream(io.StringIO(text)))
    bad = [b for b in bindings if b.error]
    if bad:
        number = _line_number(bad[0])
        raise BadInput(
            t("El archivo {path} tiene una línea que no se entiende (línea {number}).", path=path, number=number),
            hint=t(
                "Cada línea debe ser NOMBRE=valor, por ejemplo INFONAVIT_NSS=84966311213. Si la contraseña tiene "
                "espacios o #, ponla entre comillas."
            ),
        )
    for binding in bindings:
        if _password_cut_by_comment(binding):
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
    for name in SECRET_VARIABLES:
        env.pop(name, None)


def problems(
    *, nss_option: str | None, env: Mapping[str, str], env_file: Path | None, console: Console
) -> list[BadInput]:
    """Everything wrong with the NSS and the password that can be known before asking for them: the .env
    file, an NSS that is not one, a secret missing where nobody can be asked, an invisible character."""
    try:
        file_values = read_env_file(env_file or Path.cwd() / ".env", required=env_file is not None)
    except BadInput as exc:
        file_values = {}
        found: list[BadInput] = [exc]
    else:
        found = []
    unread = bool(found)  # a secret may be missing only because its file could not be read: not said twice
    raw_nss, password = _given(nss_option, env, file_values)
    if raw_nss is not None:
        try:
            validate_nss(raw_nss)
        except BadInput as exc:
            found.append(exc)
    elif not console.interactive and not unread:
        found.append(_missing_nss(file_values))
    if password:
        if _has_control_character(password):
            found.append(_control_character())
    elif not console.interactive and not unread:
        found.append(_missing_password())
    return found


def _given(
    nss_option: str | None, env: Mapping[str, str], file_values: Mapping[str, str]
) -> tuple[str | None, str | None]:
    """(NSS, password) as given: the option wins over the environment, the environment over the .env file."""
    nss = nss_option or env.get(ENV_NSS) or file_values.get(ENV_NSS)
    password = env.get(ENV_PASSWORD) or file_values.get(ENV_PASSWORD)
    return nss, password


def _missing_nss(file_values: Mapping[str, str]) -> BadInput:
    found = ", ".join(sorted(file_values))
    return BadInput(
        t("Falta el NSS y no hay una terminal donde preguntarlo."),
        hint=t(
            "Escríbelo con --nss, o ponlo en la variable {p0} o en un archivo .env en esta carpeta (o el que "
            "indiques con --env-file).",
            p0=ENV_NSS,
        )
        + (
            " "
            + t(
                "El archivo .env define {found}; los nombres que se leen son {p0} y {p1}.",
                found=found,
                p0=ENV_NSS,
                p1=ENV_PASSWORD,
            )
            if found
            else ""
        ),
    )


def _missing_password() -> BadInput:
    return BadInput(
        t("Falta la contraseña y no hay una terminal donde preguntarla."),
        hint=t(
            "Ponla en la variable {p0} o en un archivo .env en esta carpeta (o el que indiques con "
            "--env-file); nunca en la línea de comandos.",
            p0=ENV_PASSWORD,
        ),
    )


def _has_control_character(password: str) -> bool:
    return any(ord(char) < 0x20 or ord(char) == 0x7F for char in password)


def _control_character() -> BadInput:
    return BadInput(
        t("La contraseña tiene un carácter invisible (de control), que el portal no recibiría como tal."),
        hint=t("Revisa cómo la guardaste ({p0} o el archivo .env) y escríbela de nuevo.", p0=ENV_PASSWORD),
    )


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
    raw_nss, password = _given(nss_option, env, file_values)
    if raw_nss is not None:
        nss = validate_nss(raw_nss)
    elif not console.interactive:
        raise _missing_nss(file_values)
    else:
        nss = ask_nss(console)
    if not password:
        if not console.interactive:
            raise _missing_password()
        password = ask_password(console.fit_prompt(t("Contraseña de Mi Cuenta Infonavit (no se ve al escribir): ")))
        if not password:
            raise BadInput(t("No se escribió la contraseña."), hint=t("Vuelve a ejecutar el comando y escríbela."))
    if _has_control_character(password):
        raise _control_character()
    return nss, password


def ask_nss(console: Console, tries: int = 3) -> str:
    """Ask for the NSS at the terminal; a typo is said and asked again, up to `tries` times."""
    for attempt in range(1, tries + 1):
        console.stderr.write(console.fit_prompt(t("Número de Seguridad Social (NSS): ")))
        console.stderr.flush()
        line = console.stdin.readline()
        try:
            return validate_nss(line.strip())
        except BadInput as exc:
            if attempt == tries or not line:
                raise
            console.say(f"✗ {exc.message} {exc.hint}")
    raise AssertionError("unreachable")


def _is_cp1252(data: bytes) -> bool:
    return not any(byte in data for byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D))


def _password_cut_by_comment(binding: Binding) -> bool:
    """The password's line has an unquoted « #»: python-dotenv reads only what comes before it."""
    return binding.key == ENV_PASSWORD and _comment_cuts_value(binding.original.string)
