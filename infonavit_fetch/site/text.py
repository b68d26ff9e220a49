"""Matching visible text the way a person reads it: accents, case, "¿?" and extra spaces don't matter."""

from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = "¿?¡!.:"
_VARIANTS = {
    "a": "aáàäâã",
    "e": "eéèëê",
    "i": "iíìïî",
    "o": "oóòöôõ",
    "u": "uúùüû",
    "n": "nñ",
    "c": "cç",
}


def fold(text: str) -> str:
    """Lower-case, without accents, without "¿?¡!.:" and with single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = "".join(" " if c in _PUNCTUATION else c for c in bare.casefold())
    return " ".join(bare.split())


def _char_pattern(char: str) -> str:
    if char in _VARIANTS:
        variants = _VARIANTS[char]
        return "[" + variants + variants.upper() + "]"
    if char.isalpha():
        return "[" + char + char.upper() + "]" if char.upper() != char else char
    return re.escape(char)


def label_pattern(label: str, *, exact: bool = True) -> re.Pattern[str]:
    """A regex for Playwright that finds `label` whatever its accents, case, spaces and "¿?".

    Kept to syntax that JavaScript reads the same way, since Playwright runs it in the page.
    With `exact`, the whole accessible name or text must be the label (a little punctuation aside).
    """
    return re.compile(_source(label, exact=exact), re.IGNORECASE)


def _source(label: str, *, exact: bool) -> str:
    words = fold(label).split(" ")
    body = r"\s+".join("".join(_char_pattern(c) for c in word) for word in words)
    # After the words: punctuation, or the asterisk that marks a required field ("Contraseña *").
    return r"^[\s¿¡]*" + body + r"[\s?!.:*]*$" if exact else body


def phrase_source(phrase: str) -> str:
    """The regex source that finds `phrase` anywhere in a text, tolerant like `label_pattern`."""
    return _source(phrase, exact=False)


def any_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching any of the phrases anywhere in a text, tolerant like `label_pattern`."""
    return re.compile("|".join(f"(?:{_source(p, exact=False)})" for p in phrases), re.IGNORECASE)


def contains(text: str, phrase: str) -> bool:
    return fold(phrase) in fold(text)
