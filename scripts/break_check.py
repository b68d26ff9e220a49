"""Break the package on purpose, one promise at a time, and check that the suite notices.

Each break (the list is in scripts/breaks.py) aims at symbols, not at lines: it replaces a function's body
or an assignment's value, or wraps a function or a value, found by `module:qualified name` in a temporary
copy of the repository (`path.js:function` for a page script; a few exact text edits remain for what has no
name). The tests that guard that promise then run inside the copy (the copy first on PYTHONPATH, so both
pytest and the CLI subprocesses it starts import the broken package); a break is caught when they fail.
First, the same tests run on an unbroken copy and must pass: a test that fails anyway proves nothing.

Before anything runs, every break is aimed and its rewritten files compiled; a break that no longer finds
its target (moved, renamed) is named in one line, and nothing runs.

    .venv/bin/python scripts/break_check.py                   # every break
    .venv/bin/python scripts/break_check.py -k guard          # the breaks whose name contains "guard"
    .venv/bin/python scripts/break_check.py --check-imports   # only: each broken copy still imports

Breaks run side by side (--jobs, one more than the cores by default), each in its own copy.

Exit status 0 when every break was caught (or, with --check-imports, every broken module imports), 1 when
one survived, a target is not found, or the baseline failed.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from breaks import BREAKS, Break, Change, Edit, Replace, Wrap

__all__ = ["BREAKS", "Break", "Edit", "Replace", "Wrap", "changed_files", "problems"]

ROOT = Path(__file__).resolve().parent.parent
IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "screens", "*.egg-info"
)


class Miss(Exception):
    """A change that cannot be made, said in one line."""


# --- aiming: which file a change rewrites -------------------------------------------------------------


def split_target(target: str) -> tuple[str, str]:
    where, _, name = target.partition(":")
    if not where or not name:
        raise Miss(f"target {target} is not `module:qualified name` nor `path.js:function`")
    return where, name


def file_of(tree: Path, change: Change) -> str:
    """The file a change rewrites, relative to `tree`."""
    if isinstance(change, Edit):
        return change.path
    where, _ = split_target(change.target)
    if where.endswith(".js"):
        if not (tree / where).is_file():
            raise Miss(f"target {change.target} not found (no file {where})")
        return where
    base = where.replace(".", "/")
    for candidate in (f"{base}.py", f"{base}/__init__.py"):
        if (tree / candidate).is_file():
            return candidate
    raise Miss(f"target {change.target} not found (no module {where})")


def changed_files(tree: Path, changes: Iterable[Change]) -> dict[str, str]:
    """The files the changes rewrite (relative path: new text), each change applied to the text the
    earlier ones left. Raises Miss when one cannot be made."""
    texts: dict[str, str] = {}
    for change in changes:
        path = file_of(tree, change)
        if path not in texts:
            if not (tree / path).is_file():
                raise Miss(f"text edit in {path}: no such file")
            texts[path] = (tree / path).read_text(encoding="utf-8")
        texts[path] = rewrite(texts[path], change)
    for path, text in texts.items():
        if path.endswith(".py"):
            try:
                compile(text, path, "exec", dont_inherit=True)
            except SyntaxError as exc:
                raise Miss(f"the rewritten {path} does not compile: {exc.msg} (line {exc.lineno})") from None
    return texts


def rewrite(text: str, change: Change) -> str:
    if isinstance(change, Edit):
        found = text.count(change.old)
        if found != 1:
            first = change.old.strip().splitlines()[0] if change.old.strip() else repr(change.old)
            raise Miss(f"text edit in {change.path} matches {found} times, not once: {first[:80]}")
        return text.replace(change.old, change.new, 1)
    where, name = split_target(change.target)
    if where.endswith(".js"):
        return rewrite_js(text, change, name)
    return rewrite_python(text, change, name)


def problems(tree: Path, breaks: Sequence[Break]) -> list[str]:
    """One line per break that cannot be made on `tree` (a target not found, a text edit that does not
    match once, a rewritten file that does not compile)."""
    wrong = []
    for item in breaks:
        try:
            changed_files(tree, item.changes)
        except Miss as exc:
            wrong.append(f"break {item.name}: {exc}")
    return wrong


# --- Python: found by qualified name in the syntax tree, rewritten as text -----------------------------

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Decorators that make a function something else than a callable (a descriptor): a wrapper goes under them.
DESCRIPTORS = {"staticmethod", "classmethod", "property", "cached_property", "functools.cached_property"}


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a scope, inside its if/for/while/with/try blocks too, but not inside the functions
    and classes it defines."""
    for node in body:
        yield node
        if isinstance(node, SCOPES):
            continue
        for block in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(node, block, []))
        for handler in getattr(node, "handlers", []):
            yield from _statements(handler.body)
        for case in getattr(node, "cases", []):
            yield from _statements(case.body)


def _binds(node: ast.stmt, name: str, *, last: bool) -> bool:
    if isinstance(node, SCOPES):
        return node.name == name
    if not last:
        return False
    if isinstance(node, ast.Assign):
        return any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and node.target.id == name
    if isinstance(node, ast.Import):
        return any((alias.asname or alias.name.split(".")[0]) == name for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return any((alias.asname or alias.name) == name for alias in node.names)
    return False


def find_python(source: str, qualname: str) -> ast.stmt:
    """The one statement that defines `qualname` (Class.method, function.<locals>.inner, CONSTANT, a name
    imported, a function's local variable): a def, a class, an assignment or an import."""
    parts = [part for part in qualname.split(".") if part != "<locals>"]
    scopes: list[list[ast.stmt]] = [ast.parse(source).body]
    found: list[ast.stmt] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        found = [node for body in scopes for node in _statements(body) if _binds(node, part, last=last)]
        scopes = [node.body for node in found if isinstance(node, SCOPES)]
    if len(found) != 1:
        raise Miss("not found" if not found else f"found {len(found)} times, not once")
    return found[0]


def _lines(text: str) -> list[str]:
    """The lines as the syntax tree counts them (only "\\n" ends a line), each with its end."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _offset(lines: list[str], lineno: int, col: int) -> int:
    """The text offset of the syntax tree's (line, column in UTF-8 bytes)."""
    if lineno > len(lines):
        return sum(map(len, lines))
    return sum(map(len, lines[: lineno - 1])) + len(lines[lineno - 1].encode()[:col].decode())


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _indented(code: str, indent: str) -> str:
    body = textwrap.dedent(code).strip("\n")
    return "\n".join(indent + line if line.strip() else "" for line in body.split("\n"))


def _expression(code: str, indent: str) -> str:
    """An expression to put in a line indented by `indent`: in brackets, on lines of its own, when it has
    several."""
    code = textwrap.dedent(code).strip("\n")
    return f"(\n{_indented(code, indent + '    ')}\n{indent})" if "\n" in code else code.strip()


def rewrite_python(source: str, change: Replace | Wrap, qualname: str) -> str:
    try:
        node = find_python(source, qualname)
    except Miss as exc:
        raise Miss(f"target {change.target} {exc}") from None
    except SyntaxError as exc:
        raise Miss(f"target {change.target}: its module does not parse ({exc.msg}, line {exc.lineno})") from None
    lines = _lines(source)
    name = qualname.rsplit(".", 1)[-1]
    if isinstance(node, SCOPES):
        if isinstance(change, Replace):
            return _replace_body(source, lines, node, change.code)
        return _add_wrapper(lines, node, change.wrapper)
    if isinstance(change, Replace) and isinstance(node, ast.Assign | ast.AnnAssign):
        if node.value is None:
            raise Miss(f"target {change.target} is declared without a value")
        start = _offset(lines, node.value.lineno, node.value.col_offset)
        end = _offset(lines, node.value.end_lineno or node.value.lineno, node.value.end_col_offset or 0)
        return source[:start] + _expression(change.code, _indent(lines[node.lineno - 1])) + source[end:]
    # An imported name, or a value wrapped: bound again right after its statement, at its indentation.
    indent = _indent(lines[node.lineno - 1])
    if isinstance(change, Replace):
        value = _expression(change.code, indent)
    else:
        value = f"{_bracketed(change.wrapper, indent)}({name})"
    after = node.end_lineno or node.lineno
    return "".join([*lines[:after], f"{indent}{name} = {value}\n", *lines[after:]])


def _bracketed(code: str, indent: str) -> str:
    expression = _expression(code, indent)
    return expression if expression.startswith("(\n") else f"({expression})"


def _replace_body(
    source: str, lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, code: str
) -> str:
    first, last = node.body[0], node.body[-1]
    before = lines[first.lineno - 1].encode()[: first.col_offset].decode()
    end = _offset(lines, last.end_lineno or last.lineno, last.end_col_offset or 0)
    if before.strip():  # the body follows the colon on the header's line: `def f(): return 1`
        start = _offset(lines, first.lineno, first.col_offset)
        return source[:start] + "\n" + _indented(code, _indent(lines[node.lineno - 1]) + "    ") + source[end:]
    start = _offset(lines, first.lineno, 0)
    return source[:start] + _indented(code, before) + source[end:]


def _is_descriptor(decorator: ast.expr) -> bool:
    if isinstance(decorator, ast.Attribute) and decorator.attr in ("setter", "getter", "deleter"):
        return True
    return ast.unparse(decorator) in DESCRIPTORS


def _add_wrapper(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, wrapper: str) -> str:
    """The wrapper as a decorator: right above the def, or under the descriptor decorators that lead."""
    above = 0
    while above < len(node.decorator_list) and _is_descriptor(node.decorator_list[above]):
        above += 1
    at = node.decorator_list[above].lineno if above < len(node.decorator_list) else node.lineno
    indent = _indent(lines[node.lineno - 1])
    line = f"{indent}@{_bracketed(wrapper, indent)}\n"
    return "".join([*lines[: at - 1], line, *lines[at - 1 :]])


# --- JavaScript: a named function found outside strings and comments, its braces matched --------------

# After these a slash starts a regular expression; after anything else (a name, a number, `)`), it divides.
REGEX_WORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await"}
REGEX_AFTER = {"", *"(,=:[!&|?{};+-*%<>~^", *REGEX_WORDS, "instanceof"}


def _skip_quoted(text: str, at: int) -> int:
    quote, i = text[at], at + 1
    while i < len(text) and text[i] != quote and text[i] != "\n":
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _skip_regex(text: str, at: int) -> int:
    i, in_class = at + 1, False
    while i < len(text) and text[i] != "\n":
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            i += 1
            while i < len(text) and (text[i].isalnum() or text[i] == "_"):
                i += 1  # the flags
            return i
        i += 1
    return i


def _js_code(text: str, start: int = 0) -> Iterator[int]:
    """The offsets from `start` (which is in code) that are code: not in a string, the text of a template
    literal, a regular expression or a comment. The braces of a template's `${}` are not yielded either."""
    i, n = start, len(text)
    substitutions: list[int] = []  # for each `${` we are in, the depth of braces opened inside it
    in_template = False
    last = ""
    while i < n:
        char = text[i]
        if in_template:
            if char == "\\":
                i += 2
            elif char == "`":
                in_template, last, i = False, "a", i + 1
            elif text.startswith("${", i):
                substitutions.append(0)
                in_template, last, i = False, "(", i + 2
            else:
                i += 1
            continue
        if char.isspace():
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif char in "'\"":
            i, last = _skip_quoted(text, i), "a"
        elif char == "`":
            in_template, i = True, i + 1
        elif char == "/" and last in REGEX_AFTER:
            i, last = _skip_regex(text, i), "a"
        elif char == "}" and substitutions and substitutions[-1] == 0:
            substitutions.pop()
            in_template, i = True, i + 1
        elif char.isalnum() or char in "_$":
            end = i
            while end < n and (text[end].isalnum() or text[end] in "_$"):
                end += 1
            yield from range(i, end)
            i, last = end, text[i:end]
        else:
            if substitutions and char in "{}":
                substitutions[-1] += 1 if char == "{" else -1
            yield i
            i, last = i + 1, char


def _closing(text: str, opening: int) -> int:
    """The offset of the bracket that closes the one at `opening`."""
    pair = {"(": ")", "{": "}", "[": "]"}[text[opening]]
    depth = 0
    for i in _js_code(text, opening):
        if text[i] == text[opening]:
            depth += 1
        elif text[i] == pair:
            depth -= 1
            if depth == 0:
                return i
    raise Miss(f"no `{pair}` closes the `{text[opening]}` at offset {opening}")


def find_js(text: str, name: str) -> tuple[int, int, int, int]:
    """(where `function name` starts, where its name does, its body's `{`, its `}`) for the one function
    declared so."""
    code = set(_js_code(text))
    found = [
        match
        for match in re.finditer(rf"\bfunction\s*\*?\s*({re.escape(name)})\s*\(", text)
        if match.start() in code and match.start(1) in code
    ]
    if len(found) != 1:
        raise Miss("not found" if not found else f"found {len(found)} times, not once")
    match = found[0]
    parameters_end = _closing(text, match.end() - 1)
    opening = next((i for i in _js_code(text, parameters_end + 1)), len(text))
    if opening >= len(text) or text[opening] != "{":
        raise Miss("has no body in braces")
    return match.start(), match.start(1), opening, _closing(text, opening)


def rewrite_js(text: str, change: Replace | Wrap, name: str) -> str:
    try:
        start, named, opening, closing = find_js(text, name)
    except Miss as exc:
        raise Miss(f"target {change.target} {exc}") from None
    line_start = text.rfind("\n", 0, start) + 1
    indent = _indent(text[line_start:start] + "x")
    if isinstance(change, Replace):
        return text[:opening] + "{\n" + _indented(change.code, indent + "  ") + "\n" + indent + text[closing:]
    # The original, renamed, stays; a function of the same name (hoisted like it) calls it through the wrapper.
    renamed = f"{name}__unbroken"
    wrapper = (
        f"\n{indent}function {name}(...args) {{\n"
        f"{indent}  return ({change.wrapper.strip()})({renamed}).apply(this, args);\n{indent}}}"
    )
    return text[:named] + renamed + text[named + len(name) : closing + 1] + wrapper + text[closing + 1 :]


# --- running -----------------------------------------------------------------------------------------


def make_copy(parent: Path, name: str) -> Path:
    copy = parent / name
    shutil.copytree(ROOT, copy, ignore=IGNORED, symlinks=True)
    return copy


def apply(copy: Path, item: Break) -> list[str]:
    """Make the break in `copy`; the files it rewrote."""
    texts = changed_files(copy, item.changes)
    for path, text in texts.items():
        (copy / path).write_text(text, encoding="utf-8")
    return list(texts)


def python_env(copy: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}


def pytest_in(copy: Path, args: tuple[str, ...] | list[str], log: Path) -> int:
    env = python_env(copy)
    # The copy must be what gets imported, by pytest and by the CLI it starts (python -m infonavit_fetch).
    where = subprocess.run(
        [sys.executable, "-c", "import infonavit_fetch, fixtures; print(infonavit_fetch.__file__, fixtures.__file__)"],
        cwd=copy / "tests",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if where.count(str(copy)) != 2:
        raise SystemExit(f"break_check: the copy is not what Python imports: {where}")
    # Its own temporary root: pytest runs side by side would otherwise prune each other's.
    basetemp = log.with_suffix(".tmp")
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", f"--basetemp={basetemp}", *args]
    with log.open("w", encoding="utf-8") as out:
        return subprocess.run(command, cwd=copy, env=env, stdout=out, stderr=subprocess.STDOUT, check=False).returncode


def tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def run_one(work: Path, number: int, item: Break) -> tuple[Break, int, float, Path]:
    """One break in a copy of its own: its targeted tests' pytest status, the time taken and the log."""
    copy = make_copy(work, f"break-{number}")
    log = work / f"break-{number}.log"
    began = time.monotonic()
    try:
        apply(copy, item)
        status = pytest_in(copy, item.tests, log)
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    return item, status, time.monotonic() - began, log


def imports_of(item: Break, work: Path, number: int) -> str:
    """Make the break in a copy of the package alone and import each Python module it rewrote (a page
    script is checked by node, where there is one): what failed, or ""."""
    copy = work / f"imports-{number}"
    shutil.copytree(ROOT / "infonavit_fetch", copy / "infonavit_fetch", ignore=IGNORED)
    try:
        texts = changed_files(ROOT, item.changes)
        failed = []
        for path, text in texts.items():
            if not path.startswith("infonavit_fetch/"):
                continue  # a script or a test helper: not part of the package
            (copy / path).write_text(text, encoding="utf-8")
        for path in texts:
            if path.endswith(".py") and path.startswith("infonavit_fetch/"):
                module = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
                command = [sys.executable, "-c", f"import {module}"]
            elif path.endswith(".js") and shutil.which("node"):
                command = ["node", "--check", str(copy / path)]
            else:
                continue
            done = subprocess.run(command, cwd=copy, env=python_env(copy), capture_output=True, text=True, check=False)
            if done.returncode != 0:
                lines = (done.stderr or done.stdout).strip().splitlines() or [f"exit {done.returncode}"]
                failed.append(f"{path}: {next((x for x in reversed(lines) if 'Error' in x), lines[-1]).strip()}")
        return "; ".join(failed)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def check_imports(breaks: list[Break], jobs: int) -> int:
    started = time.monotonic()
    broken = 0
    with tempfile.TemporaryDirectory(prefix="break-imports-") as tmp, ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = {pool.submit(imports_of, item, Path(tmp), number): item for number, item in enumerate(breaks)}
        for done in as_completed(runs):
            if failed := done.result():
                broken += 1
                print(f"break {runs[done].name}: does not import: {failed}", flush=True)
    took = time.monotonic() - started
    print(f"{len(breaks) - broken} of {len(breaks)} broken copies import ({took:.0f} s, {jobs} at once)")
    return 1 if broken else 0


def baseline_fails(work: Path, breaks: list[Break], jobs: int) -> str:
    """The targeted tests on an unbroken copy, each set once: what failed, or "" when all passed."""
    clean = make_copy(work, "unbroken")
    sets = list(dict.fromkeys(item.tests for item in breaks))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = {pool.submit(pytest_in, clean, tests, work / f"baseline-{n}.log"): n for n, tests in enumerate(sets)}
        for done in as_completed(runs):
            number = runs[done]
            if done.result() != 0:
                for other in runs:
                    other.cancel()
                log = work / f"baseline-{number}.log"
                return f"pytest {' '.join(sets[number])} fails without any break:\n{tail(log)}"
    return ""


# The test files whose tests drive the visible browser or a whole walk (a broken tool there often waits out
# a step's time), heaviest first: a break's expected cost is the heaviest file it runs.
SLOW_FILES = (
    ("tests/test_hand_over.py", "tests/test_blind_portals.py"),
    ("tests/test_variants_e2e.py", "tests/test_walk.py", "tests/test_print_click.py", "tests/test_guard.py"),
    ("tests/test_download_e2e.py", "tests/test_failures.py", "tests/test_secrets.py", "tests/test_first_contact.py"),
)


def expected_cost(item: Break) -> int:
    """How slow a break's tests are likely to be: a rank for the order the breaks are started in."""
    files = {arg.split("::")[0] for arg in item.tests}
    return next((len(SLOW_FILES) - rank for rank, names in enumerate(SLOW_FILES) if files & set(names)), 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", default="", help="only the breaks whose name contains this")
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the run on the unbroken copy (when the whole suite has just passed on this tree, as in .ci/run)",
    )
    # One more than the cores: much of a break's time is its broken tool waiting out a step. Two per core
    # loaded the machine so that a person's click came after the tool asked, and a break went unseen.
    parser.add_argument("--jobs", type=int, default=(os.cpu_count() or 1) + 1, help="breaks checked at once")
    parser.add_argument(
        "--check-imports",
        action="store_true",
        help="only make each break in a copy of the package and import the modules it rewrote (no tests run)",
    )
    options = parser.parse_args()
    breaks = [b for b in BREAKS if options.k.lower() in b.name.lower()]
    if not breaks:
        print(f"break_check: no break's name contains {options.k!r}")
        return 2
    # Checked before anything runs: a break that no longer applies would otherwise stop the run at its turn.
    wrong = problems(ROOT, breaks)
    if wrong:
        print("\n".join(wrong))
        print(f"break_check: {len(wrong)} of {len(breaks)} breaks no longer aim at the code; nothing was run")
        return 1
    jobs = max(1, options.jobs)
    if options.check_imports:
        return check_imports(breaks, jobs)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="break-check-") as tmp:
        work = Path(tmp)
        if not options.no_baseline:
            failed = baseline_fails(work, breaks, jobs)
            if failed:
                print(f"baseline FAILED ({failed}")
                return 1
            print(f"baseline: the targeted tests pass on the unbroken copy ({time.monotonic() - started:.0f} s)")
        survived = []
        # Each break in its own copy and its own pytest, so they can run side by side; the slow ones first,
        # so that none of them starts last and runs on alone.
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            order = sorted(enumerate(breaks), key=lambda numbered: -expected_cost(numbered[1]))
            runs = [pool.submit(run_one, work, number, item) for number, item in order]
            for done in as_completed(runs):
                item, status, took, log = done.result()
                if status == 1:
                    print(f"caught    {item.name} ({took:.0f} s)", flush=True)
                else:
                    survived.append(item.name)
                    why = "tests passed" if status == 0 else f"pytest exit {status}"
                    print(f"SURVIVED  {item.name} ({why}; {took:.0f} s)\n{tail(log)}", flush=True)
    total, took = len(breaks), time.monotonic() - started
    print(f"{total - len(survived)} of {total} breaks caught, {len(survived)} survived ({took:.0f} s, {jobs} at once)")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
