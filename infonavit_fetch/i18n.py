"""Messages in Spanish (the source) or English: `t("texto {x}", x=...)`, like gettext.

The Spanish text is the key, so the code reads as the employee will read it. `--lang en` or
INFONAVIT_LANG=en switches to English; a test checks that every t("...") has its translation.
The portal's own labels («Formaliza tu crédito») stay in Spanish in both: that is what the page shows.
"""

from __future__ import annotations

import os

from infonavit_fetch.messages_en import EN

LANGUAGES = ("es", "en")
_language = os.environ.get("INFONAVIT_LANG", "es") if os.environ.get("INFONAVIT_LANG") in LANGUAGES else "es"


def set_language(language: str) -> None:
    global _language
    _language = language if language in LANGUAGES else "es"


def argv_language(argv: list[str]) -> str | None:
    """The language given with --lang on a command line, if any (read before the help is written)."""
    for index, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        if value in LANGUAGES:
            return value
    return None


def language() -> str:
    return _language


def t(text: str, **params: object) -> str:
    template = EN.get(text, text) if _language == "en" else text
    return template.format(**params) if params else template
