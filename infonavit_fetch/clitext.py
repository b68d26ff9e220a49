"""The command line's own words in the employee's language: the help's frame and option errors.

Typer (and click under it) writes "Usage:", "Options:", "Show this message and exit." and its errors in
English. Typer's own words go through gettext before the help is wrapped, so they are given in the current
language there; "Usage:" is click's, written after, and is replaced by a shorter word. An option error
becomes one of the tool's own messages, with exit code 2.
"""

from __future__ import annotations

import re
from typing import Any

import typer.core
from typer.core import TyperCommand, TyperGroup

from .errors import BadInput
from .i18n import t

PASSWORD_OPTIONS = ("--password", "--contraseña", "--pass", "--pwd")


def _typer_words() -> dict[str, str]:
    """What typer passes through gettext, in the current language (placeholders kept for typer)."""
    return {
        "Options": t("Opciones"),
        "Commands": t("Comandos"),
        "Arguments": t("Argumentos"),
        "default: {default}": t("por omisión: {default}"),
        "env var: {var}": t("variable: {var}"),
        "required": t("obligatorio"),
        "Aborted!": t("Cancelado."),
    }


def _gettext(text: str) -> str:
    return _typer_words().get(text, text)


# typer.core reads `_` (gettext) each time it writes a heading or a default, before wrapping the text.
if hasattr(typer.core, "_"):
    typer.core._ = _gettext


def frame(text: str) -> str:
    """The help with its first word ("Usage:", written by click itself) in the current language."""
    return t("Uso: ") + text[len("Usage: ") :] if text.startswith("Usage: ") else text


class _Words:
    def get_help(self, ctx: Any) -> str:
        return frame(super().get_help(ctx))  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = t("Muestra esta ayuda y termina.")
        return option


class Command(_Words, TyperCommand):
    pass


class Group(_Words, TyperGroup):
    pass


def _reason(message: str) -> str | None:
    """Why a value was refused, from typer's English message; None when it is not a known one."""
    if found := re.search(r"greater than or equal to (\S+)", message):
        return t("debe ser un número igual o mayor que {p0}", p0=found.group(1))
    if found := re.search(r"less than or equal to (\S+)", message):
        return t("debe ser un número igual o menor que {p0}", p0=found.group(1))
    if re.search(r"valid (number|float|integer)", message):
        return t("debe ser un número")
    if found := re.search(r"'([^']*)' is not one of (.+?)\.?$", message):
        return t("«{p0}» no es una opción; usa una de: {p1}", p0=found.group(1), p1=found.group(2).replace("'", ""))
    return None


def usage_failure(exc: Exception) -> BadInput:
    """A click/typer usage error, said as the tool says everything else."""
    message = str(getattr(exc, "message", exc))
    option = getattr(exc, "option_name", None)
    param = getattr(exc, "param", None)
    name = option or (param.opts[0] if param is not None and getattr(param, "opts", None) else "")
    help_hint = t("Las opciones están en: infonavit-fetch --help (o el --help de cada comando).")
    if option in PASSWORD_OPTIONS:
        return BadInput(
            t("La contraseña nunca se escribe en la línea de comandos: otros programas y el historial la verían."),
            hint=t(
                "Ponla en la variable de entorno INFONAVIT_PASSWORD o en un archivo .env (INFONAVIT_PASSWORD=…), o "
                "simplemente no la indiques: se te pregunta sin mostrarse."
            ),
        )
    if option is not None and type(exc).__name__ == "NoSuchOption":
        return BadInput(t("No existe la opción {option}.", option=option), hint=help_hint)
    if name and "requires an argument" in message:
        return BadInput(t("Falta el valor de {name}.", name=name), hint=help_hint)
    if name:
        reason = _reason(message) or message
        return BadInput(
            t("El valor de {name} no es válido: {reason}.", name=name, reason=reason.rstrip(".")), hint=help_hint
        )
    command = re.search(r"No such command '([^']*)'", message)
    if command:
        return BadInput(
            t("No existe el comando «{p0}».", p0=command.group(1)), hint=t("Los comandos son: download, demo, doctor.")
        )
    extra = re.search(r"extra argument\(?s?\)? \((.*)\)", message)
    if extra:
        return BadInput(t("No se entiende «{p0}»: cada opción empieza con --.", p0=extra.group(1)), hint=help_hint)
    return BadInput(t("La línea de comandos no se entiende: {message}", message=message), hint=help_hint)
