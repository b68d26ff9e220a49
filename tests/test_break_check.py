"""The break-check's own list stays aimed at the code: every break's text is in its file exactly once.

A tidy that moves a line a break replaces would otherwise be found only at the end of CI, after the suite.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_break_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("break_check", ROOT / "scripts" / "break_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("break_check", module)
    spec.loader.exec_module(module)
    return module


def test_every_break_matches_its_file_exactly_once() -> None:
    break_check = load_break_check()
    assert len(break_check.BREAKS) >= 28
    assert break_check.misplaced(ROOT, break_check.BREAKS) == []


def test_a_break_that_no_longer_matches_is_reported(tmp_path: Path) -> None:
    break_check = load_break_check()
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1\nx = 1\n", encoding="utf-8")
    edits = (break_check.Edit("pkg/a.py", "x = 1\n", "x = 2\n"), break_check.Edit("pkg/a.py", "y = 1", ""))
    wrong = break_check.misplaced(tmp_path, [break_check.Break("twice and never", edits, ())])
    assert [line.split(":\n")[0] for line in wrong] == [
        "twice and never: pkg/a.py: 2 times, not once",
        "twice and never: pkg/a.py: 0 times, not once",
    ]
