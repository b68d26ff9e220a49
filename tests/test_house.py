"""The house stays livable: the README's map names every room and module with its job, no class or
function grows past a size a reader takes in at once, and no page script hides in a Python string."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "infonavit_fetch"
MAX_CLASS_LINES = 300
MAX_FUNCTION_LINES = 60
MAX_SCRIPT_LINES = 25  # JavaScript inside a Python string; longer scripts live in infonavit_fetch/js/


def readme_map() -> dict[str, str]:
    """The README's map: each path under infonavit_fetch/ (folders end in /) with its one-line job."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\ninfonavit_fetch/\n(.*?)```", text, re.S)
    assert block, "the README's map (a ```text block starting with infonavit_fetch/) is missing"
    rooms: dict[str, str] = {}
    parents: list[tuple[int, str]] = []
    for line in block.group(1).splitlines():
        match = re.match(r"( *)(\S+)\s*(.*)", line)
        if not match:
            continue
        indent, name, job = len(match.group(1)), match.group(2), match.group(3)
        parents = [(level, path) for level, path in parents if level < indent]
        path = "".join(p for _, p in parents) + name
        rooms[path] = job
        if name.endswith("/"):
            parents.append((indent, name))
    return rooms


def modules() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if path.name == "__init__.py":
            if relative.parent != Path("."):
                found.add(f"{relative.parent.as_posix()}/")
        elif "__pycache__" not in relative.parts:
            found.add(relative.as_posix())
    return found


def test_the_readme_map_names_every_room_and_module_with_its_job() -> None:
    rooms = readme_map()
    assert sorted(modules() - set(rooms)) == [], "in the package but not in the README's map"
    gone = {path for path in rooms if not path.endswith(".js")} - modules()
    assert sorted(gone) == [], "in the README's map but not in the package"
    assert [path for path, job in rooms.items() if len(job.split()) < 3] == [], "a room without its job"


def test_no_room_is_too_big_to_take_in() -> None:
    too_big = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            lines = (getattr(node, "end_lineno", None) or 0) - getattr(node, "lineno", 0) + 1
            if isinstance(node, ast.ClassDef) and lines > MAX_CLASS_LINES:
                too_big.append(f"{where}:{node.lineno} class {node.name}: {lines} lines")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and lines > MAX_FUNCTION_LINES:
                too_big.append(f"{where}:{node.lineno} {node.name}(): {lines} lines")
            elif isinstance(node, ast.Constant) and _script_lines(node.value) > MAX_SCRIPT_LINES:
                too_big.append(f"{where}:{node.lineno} a page script of {_script_lines(node.value)} lines")
    assert too_big == []


def _script_lines(value: object) -> int:
    """How many lines of JavaScript a string constant holds (0 when it is not a page script)."""
    if not isinstance(value, str) or not ("=>" in value or "function" in value or "document." in value):
        return 0
    return value.count("\n") + 1
