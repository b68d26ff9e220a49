"""Opening files so that nobody else's link or leftover decides where the bytes go.

Files in the person's folders are created new (`O_CREAT|O_EXCL`), never through a symbolic link
(`O_NOFOLLOW`, where the system has it: Windows does not), readable by the person only (0600), under
names nobody can guess in advance.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import BinaryIO

_NO_LINKS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def create_new(path: Path) -> BinaryIO:
    """A file that did not exist, made now by this run; FileExistsError if the name is taken (even by a link)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_LINKS, 0o600), "wb")


def create_private(path: Path) -> BinaryIO:
    """A file in a folder of this run's own (0600, never through a link), emptied if it was there."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NO_LINKS, 0o600), "wb")


def unguessable(prefix: str, suffix: str) -> str:
    return f"{prefix}{secrets.token_hex(8)}{suffix}"
