"""How the person types this program again, in a new terminal, from wherever they are.

Every command the tool prints as a next step («Siguiente paso: con tu cuenta, … download») starts with
`command()`: the bare name when PATH finds this very program (installed with pipx, or an activated venv),
else the full path that does (a checkout's `.venv/bin/infonavit-fetch` after `scripts/demo.sh`).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import sysconfig
from pathlib import Path

NAME = "infonavit-fetch"


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def own_script() -> Path | None:
    """The launcher that started this process, or the one installed beside this Python; None if neither."""
    exe = ".exe" if os.name == "nt" else ""
    candidates: list[Path] = []
    argv0 = sys.argv[0] if sys.argv else ""
    # pip's launchers set argv[0] to the script's path without ".exe" (Windows) or "-script.py".
    if argv0 and Path(argv0).name.lower() in (NAME, NAME + ".exe"):
        candidates += [Path(argv0), Path(argv0 + exe)]
    # `python -m infonavit_fetch`, or a launcher found some other way: the one this Python installed.
    candidates.append(Path(sys.executable).parent / (NAME + exe))
    for scheme in (None, f"{os.name}_user"):
        try:
            scripts = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:
            continue
        candidates.append(Path(scripts) / (NAME + exe))
    for candidate in candidates:
        if _is_file(candidate):
            return candidate.absolute()
    return None


def _same(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def quoted(path: str) -> str:
    """A path typed as one word: shell quoting on Linux and macOS; PowerShell's call operator on Windows."""
    if os.name == "nt":
        return f'& "{path}"' if any(c in path for c in " &()'`$;,{}@#") else path
    return shlex.quote(path)


def command() -> str:
    """What to type to run this program again in a new terminal (PATH as it is now)."""
    own = own_script()
    found = shutil.which(NAME)
    if found is not None and (own is None or _same(found, own)):
        return NAME
    if own is not None:
        return quoted(str(own))
    return f"{quoted(sys.executable)} -m infonavit_fetch"
