"""The break-check stays aimed at the code: every break's target is found (and its rewritten files compile).

A tidy that moves or renames what a break aims at would otherwise be found only at the end of CI, after the
suite. Below, the aiming itself on small files: a method's body replaced, an assignment's value, a function
wrapped, a target that is gone said in one line, a page script's function replaced.
"""

from __future__ import annotations

import importlib.util
import runpy
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent


def load_break_check() -> ModuleType:
    if "break_check" in sys.modules:
        return sys.modules["break_check"]
    spec = importlib.util.spec_from_file_location("break_check", ROOT / "scripts" / "break_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["break_check"] = module
    spec.loader.exec_module(module)
    return module


bc = load_break_check()


def test_every_break_aims_at_the_code() -> None:
    assert len(bc.BREAKS) >= 90
    assert len({item.name for item in bc.BREAKS}) == len(bc.BREAKS)
    assert bc.problems(ROOT, bc.BREAKS) == []


# --- the aiming, on small files ----------------------------------------------------------------------

MODULE = '''\
"""A module to break."""

from __future__ import annotations

import functools
from os.path import join as joined

LIMITS = (1, 600)
WORDS: dict[str, str] = {"at": "es"}


def decorate(function):
    @functools.wraps(function)
    def inner(*args, **kwargs):
        return function(*args, **kwargs)

    return inner


class Portal:
    """A class."""

    retries = 3

    @decorate
    def is_preparing(self, since: float) -> bool:
        """Whether the portal says it prepares the document."""
        # a comment in the body
        if since > 1:
            return since > 2  # «ñ» before the end
        return True

    @staticmethod
    def origin(url: str) -> str:
        return url.split("/")[2]

    @property
    def name(self) -> str:
        return "portal"

    def short(self) -> int: return 1


def masked(nss: str) -> str:
    shown = nss[-4:]

    def star(text: str) -> str:
        return "*" * len(text)

    return star(nss[:-4]) + shown


def path_of(name: str) -> str:
    return joined("folder", name)
'''


def broken(tmp_path: Path, *changes: Any) -> dict[str, Any]:
    """The module `pkg.mod` in `tmp_path` with the changes made, run: its names."""
    (tmp_path / "pkg").mkdir(exist_ok=True)
    (tmp_path / "pkg" / "mod.py").write_text(MODULE, encoding="utf-8")
    for path, text in bc.changed_files(tmp_path, changes).items():
        (tmp_path / path).write_text(text, encoding="utf-8")
    return runpy.run_path(str(tmp_path / "pkg" / "mod.py"))


def test_the_module_as_written(tmp_path: Path) -> None:
    names = broken(tmp_path)
    portal = names["Portal"]()
    assert (portal.is_preparing(3), portal.is_preparing(1.5), portal.is_preparing(0)) == (True, False, True)
    assert (portal.origin("https://a.b/c"), portal.name, portal.short()) == ("a.b", "portal", 1)
    assert (names["masked"]("84966311213"), names["path_of"]("x")) == ("*******1213", "folder/x")


def test_a_method_body_is_replaced_its_decorators_and_signature_kept(tmp_path: Path) -> None:
    names = broken(tmp_path, bc.Replace("pkg.mod:Portal.is_preparing", "return since < 0"))
    portal = names["Portal"]()
    assert portal.is_preparing(3) is False and portal.is_preparing(-1) is True
    assert names["Portal"].is_preparing.__wrapped__.__doc__ is None  # the body, docstring and all, is the code
    # A body of several lines, a static method's, and a body on the header's line.
    names = broken(
        tmp_path,
        bc.Replace("pkg.mod:Portal.origin", "host = url.split('//')[1]\nreturn host.upper()"),
        bc.Replace("pkg.mod:Portal.short", "return 2"),
    )
    assert names["Portal"].origin("https://a.b/c") == "A.B/C" and names["Portal"]().short() == 2


def test_an_assignment_gets_a_new_value(tmp_path: Path) -> None:
    names = broken(
        tmp_path,
        bc.Replace("pkg.mod:LIMITS", "(1, 6000)"),
        bc.Replace("pkg.mod:WORDS", "{}"),
        bc.Replace("pkg.mod:Portal.retries", "5"),
        bc.Replace("pkg.mod:masked.shown", '"????"'),  # a function's local variable
    )
    assert (names["LIMITS"], names["WORDS"], names["Portal"].retries) == ((1, 6000), {}, 5)
    assert names["masked"]("84966311213") == "*******????"


def test_a_function_is_wrapped_the_original_called(tmp_path: Path) -> None:
    names = broken(
        tmp_path,
        bc.Wrap("pkg.mod:Portal.is_preparing", "lambda original: lambda *a, **k: not original(*a, **k)"),
        bc.Wrap("pkg.mod:Portal.origin", "lambda original: lambda url: original(url) + '.evil'"),
        bc.Wrap("pkg.mod:Portal.name", "lambda original: lambda self: original(self).upper()"),
        bc.Wrap("pkg.mod:masked.star", "lambda original: lambda text: original(text).replace('*', '#')"),
    )
    portal = names["Portal"]()
    assert (portal.is_preparing(3), portal.is_preparing(1.5)) == (False, True)
    assert (portal.origin("https://a.b/c"), portal.name) == ("a.b.evil", "PORTAL")
    assert names["masked"]("84966311213") == "#######1213"


def test_a_value_and_an_imported_name_are_wrapped_in_their_module(tmp_path: Path) -> None:
    names = broken(
        tmp_path,
        bc.Wrap("pkg.mod:LIMITS", "lambda limits: (limits[0], limits[1] * 10)"),
        bc.Wrap("pkg.mod:joined", "lambda original: lambda *parts: original('elsewhere', *parts[1:])"),
    )
    assert names["LIMITS"] == (1, 6000) and names["path_of"]("x") == "elsewhere/x"
    names = broken(tmp_path, bc.Replace("pkg.mod:joined", "lambda *parts: '|'.join(parts)"))
    assert names["path_of"]("x") == "folder|x"


def test_a_target_that_is_gone_is_said_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(MODULE, encoding="utf-8")
    (tmp_path / "page.js").write_text("function seen() { return 1; }\n", encoding="utf-8")
    breaks = [
        bc.Break("aimed", bc.Replace("pkg.mod:Portal.is_preparing", "return False"), tests=()),
        bc.Break("renamed", bc.Replace("pkg.mod:Portal.is_ready", "return False"), tests=()),
        bc.Break("moved", bc.Wrap("pkg.gone:is_preparing", "lambda f: f"), tests=()),
        bc.Break("twice", bc.Edit("pkg/mod.py", "return", "return not"), tests=()),
        bc.Break("not compiling", bc.Replace("pkg.mod:LIMITS", "(1,"), tests=()),
        bc.Break("script", bc.Replace("page.js:unseen", "return 2;"), tests=()),
    ]
    said = bc.problems(tmp_path, breaks)
    assert said[:3] == [
        "break renamed: target pkg.mod:Portal.is_ready not found",
        "break moved: target pkg.gone:is_preparing not found (no module pkg.gone)",
        f"break twice: text edit in pkg/mod.py matches {MODULE.count('return')} times, not once: return",
    ]
    assert said[3].startswith("break not compiling: the rewritten pkg/mod.py does not compile: ")
    assert said[4:] == ["break script: target page.js:unseen not found"]


def test_the_script_stops_before_anything_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(MODULE, encoding="utf-8")
    breaks = (
        bc.Break("aimed", bc.Replace("pkg.mod:LIMITS", "(1, 6000)"), tests=("tests/nowhere.py",)),
        bc.Break("moved", bc.Replace("pkg.mod:Portal.gone", "return 1"), tests=("tests/nowhere.py",)),
    )
    monkeypatch.setattr(bc, "ROOT", tmp_path)
    monkeypatch.setattr(bc, "BREAKS", breaks)
    monkeypatch.setattr(bc, "make_copy", lambda *args: pytest.fail("a copy was made"))
    monkeypatch.setattr(sys, "argv", ["break_check.py", "--no-baseline"])
    assert bc.main() == 1
    assert capsys.readouterr().out.splitlines() == [
        "break moved: target pkg.mod:Portal.gone not found",
        "break_check: 1 of 2 breaks no longer aim at the code; nothing was run",
    ]


PAGE_JS = r"""// The page's look, with braces in every place a scanner could trip on.
function fold(s) {
  return (s || '').normalize('NFKD').replace(/[\u0300-\u036f}{]/g, '').toLowerCase();
}

function later(label, words, max) {
  /* a comment with a brace } and a function later( */
  const quote = "}" + '{' + `${label.length > 1 ? `${'}'}` : "{"}`;
  const ratio = label.length / max / 2;  // a division, not a regular expression: }
  return label.length <= max && words.some((w) => fold(label).includes(fold(w))) && ratio < 1 && !!quote;
}

function last() { return later('después', ['despues'], 20); }
"""


def test_a_page_script_function_body_is_replaced(tmp_path: Path, page: Page) -> None:
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "look.js").write_text(PAGE_JS, encoding="utf-8")
    text = bc.changed_files(tmp_path, [bc.Replace("js/look.js:later", "return false;")])["js/look.js"]
    assert "function later(label, words, max) {\n  return false;\n}\n\nfunction last()" in text
    assert text.count("fold(s) {") == 1 and "const quote" not in text
    wrapped = bc.changed_files(tmp_path, [bc.Wrap("js/look.js:fold", "(original) => (s) => original(s) + '!'")])
    assert "function fold__unbroken(s) {" in wrapped["js/look.js"]
    # As the browser runs them: the replaced body, and the wrapper calling the original.
    for script, expected in ((PAGE_JS, "truea"), (text, "falsea"), (wrapped["js/look.js"], "truea!")):
        assert page.evaluate(f"() => {{\n{script}\nreturn String(last()) + fold('Á');\n}}") == expected
