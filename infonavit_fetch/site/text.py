"""Matching visible text the way a person reads it: accents, case, "¿?", quotes and extra spaces don't matter."""

from __future__ import annotations

import re
import unicodedata

# Marks around or between words that are not words themselves: sentence marks, quotes of every kind,
# brackets. fold reads each as a space (FOLDED_AWAY in infonavit_fetch/js/prelude.js: the same characters).
FOLDED_AWAY = "¿?¡!.:«»\"“”‘’‚‛„‟‹›'()[]"
# What a person does not read as a letter of its own: the marks drawn on one (accents, tilde, diaeresis:
# nonspacing marks, once NFKD has taken them off) and invisible characters (soft hyphen, zero-width spaces,
# direction marks: format characters).
_UNREAD = frozenset(("Mn", "Cf"))
# Between and around a label's words on the page: spaces and what fold reads as spaces (a character
# class JavaScript reads the same way).
_GAP_CHARS = "\\s" + "".join("\\" + c if c in "()[]" else c for c in FOLDED_AWAY)
_GAP = f"[{_GAP_CHARS}]"
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
    """Text as a person reads it to compare words: lower case, without accents and invisible characters,
    "¿?¡!.:", quotes and brackets as spaces, spaces squeezed.

    fold() in infonavit_fetch/js/prelude.js gives the same result in the page, letter for letter
    (tests/test_fold_parity.py): the page folds what it shows, and compares it with words folded here.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) not in _UNREAD).lower()
    return " ".join("".join(" " if c in FOLDED_AWAY else c for c in bare).split())


def _char_pattern(char: str) -> str:
    if char in _VARIANTS:
        variants = _VARIANTS[char]
        return "[" + variants + variants.upper() + "]"
    if char.isalpha():
        return "[" + char + char.upper() + "]" if char.upper() != char else char
    return re.escape(char)


def label_pattern(label: str, *, exact: bool = True) -> re.Pattern[str]:
    """A regex for Playwright that finds `label` whatever its accents, case, spaces, "¿?", quotes and brackets.

    Kept to syntax that JavaScript reads the same way, since Playwright runs it in the page.
    With `exact`, the whole accessible name or text must be the label (a little punctuation aside).
    """
    return re.compile(_source(label, exact=exact), re.IGNORECASE)


def _source(label: str, *, exact: bool) -> str:
    words = fold(label).split(" ")
    body = (_GAP + "+").join("".join(_char_pattern(c) for c in word) for word in words)
    # Around the words: punctuation, quotes, brackets, or the asterisk that marks a required field
    # ("Contraseña *").
    return f"^{_GAP}*{body}[{_GAP_CHARS}*]*$" if exact else body


def phrase_source(phrase: str) -> str:
    """The regex source that finds `phrase` anywhere in a text, tolerant like `label_pattern`."""
    return _source(phrase, exact=False)


def any_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One regex matching any of the phrases anywhere in a text, tolerant like `label_pattern`."""
    return re.compile("|".join(f"(?:{_source(p, exact=False)})" for p in phrases), re.IGNORECASE)


def contains(text: str, phrase: str) -> bool:
    return fold(phrase) in fold(text)
