"""The command line's own words in the employee's language: the help's frame and option errors.

Typer (and click under it) writes "Usage:", "Options:", "Show this message and exit." and its errors in
English. Typer's own words go through gettext before the help is wrapped, so they are given in the current
language there; "Usage:" is click's, written after, and is replaced by a shorter word. An option error
becomes one of the tool's own messages, with exit code 2.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import Any

import typer.core
from typer import _click
from typer.core import TyperCommand, TyperGroup

from infonavit_fetch.cli import invocation
from infonavit_fetch.errors import BadInput, OptionErrors, exit_codes_help
from infonavit_fetch.i18n import t

PASSWORD_OPTIONS = ("--password", "--contraseña", "--pass", "--pwd")

# The commands' Spanish names, accepted as the English ones (which stay: other programs call them).
ALIASES = {"descargar": "download", "prueba": "demo", "revisar": "doctor"}

# The checks of a command's options, by the command's (English) name; cli/app.py fills it. Each gets the values
# read from the command line and returns every problem it finds, so that all are said at once.
OPTION_CHECKS: dict[str, Callable[[dict[str, Any]], list[BadInput]]] = {}


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


def wrap(text: str, width: int, indent: str = "") -> str:
    """Help text wrapped at spaces only: an option's value (`mi-credito`, a path) is never split. Paragraphs
    are kept; one that starts with a line of "\\b" is written as it is (it was laid out already)."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        if paragraph.startswith("\b\n"):
            paragraphs.append("\n".join(indent + line for line in paragraph[2:].splitlines()))
            continue
        paragraphs.append(
            textwrap.fill(
                " ".join(paragraph.split()),
                max(width, len(indent) + 10),
                initial_indent=indent,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n\n".join(paragraphs)


class HelpFormatter(_click.HelpFormatter):
    """click's help layout, with text broken only at spaces."""

    def write_text(self, text: str) -> None:
        self.write(wrap(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max(len(first) for first, _ in rows), col_max) + col_spacing
        hang = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + hang)
            lines = wrap(second, max(self.width - first_col - 2, 10)).splitlines() or [""]
            self.write(lines[0] + "\n" + "".join(f"{hang}{line}\n" for line in lines[1:]))


class HelpContext(_click.Context):
    formatter_class = HelpFormatter


class _Words:
    context_class: type[_click.Context] = HelpContext

    def get_help(self, ctx: Any) -> str:
        return frame(super().get_help(ctx))  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = t("Muestra esta ayuda y termina.")
        return option


class Command(_Words, TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """click's reading of the options, except that a refused value does not stop it: every option is
        read, the command's own checks run on what was read, and all the problems are said together."""
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            return super().parse_args(ctx, args)
        parser = self.make_parser(ctx)
        opts, rest, order = parser.parse_args(args=list(args))
        problems: list[BadInput] = []
        for param in _click.core.iter_params_for_processing(order, self.get_params(ctx)):
            try:
                _, rest = param.handle_parse_result(ctx, opts, rest)
            except _click.exceptions.BadParameter as exc:
                problems.append(usage_failure(exc))
        if rest and not ctx.allow_extra_args and not ctx.resilient_parsing:
            ctx.fail(f"Got unexpected extra argument(s) ({' '.join(rest)})")
        check = OPTION_CHECKS.get(self.name or "")
        if check is not None and not ctx.resilient_parsing:
            problems.extend(check(ctx.params))
        if problems:
            error = OptionErrors(problems)
            error.show_traceback = bool(ctx.params.get("show_traceback"))
            raise error
        ctx.args = rest
        ctx._opt_prefixes.update(parser._opt_prefixes)
        return rest


class Group(_Words, TyperGroup):
    def get_help(self, ctx: Any) -> str:
        return t("Empieza con: {command} demo", command=invocation.command()) + "\n\n" + super().get_help(ctx)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return super().get_command(ctx, ALIASES.get(cmd_name, cmd_name))

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        spanish = {english: name for name, english in ALIASES.items()}
        rows = [
            (f"{name}, {spanish[name]}" if name in spanish else name, command.get_short_help_str(1000))
            for name, command in self.commands.items()
            if not command.hidden
        ]
        with formatter.section(t("Comandos")):
            formatter.write_dl(rows)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        """The exit codes, said here only (each command's help points here)."""
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(t("Códigos de salida:"))
            formatter.write_paragraph()
            formatter.write_text("\b\n" + exit_codes_help(formatter.width - formatter.current_indent))


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
    help_hint = t(
        "Las opciones están en: {command} --help (o el --help de cada comando).", command=invocation.command()
    )
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
            t("No existe el comando «{p0}».", p0=command.group(1)),
            hint=t("Los comandos son: download (descargar), demo (prueba) y doctor (revisar)."),
        )
    extra = re.search(r"extra argument\(?s?\)? \((.*)\)", message)
    if extra:
        return BadInput(t("No se entiende «{p0}»: cada opción empieza con --.", p0=extra.group(1)), hint=help_hint)
    return BadInput(t("La línea de comandos no se entiende: {message}", message=message), hint=help_hint)
