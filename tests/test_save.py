"""The save is atomic and never overwrites: a write that fails midway leaves nothing under the final name
(nor a temporary file), and whoever looks at the folder during a save sees the whole PDF or nothing.

The writes are watched and broken in-process, on the file object `save.py` gets from `files.create_new`.
"""

from __future__ import annotations

import datetime as dt
import errno
import threading
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import pytest

from fixtures.mock_portal import ACCOUNTS, notice_pdf
from infonavit_fetch.errors import SaveFailed
from infonavit_fetch.outputs import files, save

NSS = ACCOUNTS[0].nss
DAY = dt.date(2026, 11, 25)
FINAL = f"aviso-retencion-{NSS}-2026-11-25.pdf"
PIECE = 4096


class WatchedFile:
    """The file `save.py` writes, written a piece at a time; after each piece `after_piece` runs (a reader's
    look at the folder), and the write fails with ENOSPC once `fail_after` bytes are on disk."""

    def __init__(self, real: BinaryIO, after_piece: object = None, fail_after: int | None = None) -> None:
        self.real = real
        self.after_piece = after_piece
        self.fail_after = fail_after
        self.written = 0

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        for start in range(0, len(view), PIECE):
            if self.fail_after is not None and self.written >= self.fail_after:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.real.write(view[start : start + PIECE])
            self.real.flush()
            self.written += len(view[start : start + PIECE])
            if callable(self.after_piece):
                self.after_piece()
        return len(data)

    def flush(self) -> None:
        self.real.flush()

    def fileno(self) -> int:
        return self.real.fileno()

    def __enter__(self) -> WatchedFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.real.close()


def big_pdf() -> bytes:
    """The notice padded to a few hundred kB (a comment before the end), so a save takes many pieces."""
    data = notice_pdf(ACCOUNTS[0])
    return data.replace(b"%%EOF", b"%" + b"x" * 300_000 + b"\n%%EOF")


def visible_pdfs(folder: Path) -> list[Path]:
    """What a person (or a program watching the folder) takes for a finished file."""
    return [p for p in folder.iterdir() if not p.name.startswith(".") and p.suffix == ".pdf"]


def test_a_write_that_fails_midway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = big_pdf()
    real_create = files.create_new
    monkeypatch.setattr(save, "create_new", lambda path: WatchedFile(real_create(path), fail_after=len(data) // 2))
    with pytest.raises(SaveFailed, match="No se pudo guardar"):
        save.save_notice(data, tmp_path, NSS, DAY)
    assert list(tmp_path.iterdir()) == []  # no final name, no .part


def test_a_failed_save_leaves_an_earlier_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    earlier = tmp_path / FINAL
    earlier.write_bytes(b"the employee's earlier copy")
    real_create = files.create_new
    monkeypatch.setattr(save, "create_new", lambda path: WatchedFile(real_create(path), fail_after=PIECE))
    with pytest.raises(SaveFailed):
        save.save_notice(big_pdf(), tmp_path, NSS, DAY)
    assert [p.name for p in tmp_path.iterdir()] == [FINAL]
    assert earlier.read_bytes() == b"the employee's earlier copy"


def test_a_reader_never_sees_a_partial_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = big_pdf()
    partial: list[str] = []
    looks = 0

    def look() -> None:
        nonlocal looks
        looks += 1
        for path in visible_pdfs(tmp_path):
            try:
                seen = path.read_bytes()
            except FileNotFoundError:  # gone between the listing and the read: fine
                continue
            if seen != data:
                partial.append(f"{path.name}: {len(seen)} of {len(data)} bytes")

    # A reader in another thread polls all along, and one looks after every piece written.
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            look()

    poller = threading.Thread(target=poll, daemon=True)
    real_create = files.create_new
    monkeypatch.setattr(save, "create_new", lambda path: WatchedFile(real_create(path), after_piece=look))
    poller.start()
    try:
        saved = save.save_notice(data, tmp_path, NSS, DAY)
    finally:
        done.set()
        poller.join(timeout=10)
    look()
    assert partial == []
    assert looks > len(data) // PIECE
    assert saved.name == FINAL and saved.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == [FINAL]


def test_a_second_save_never_overwrites_the_first(tmp_path: Path) -> None:
    first = save.save_notice(b"%PDF-1 one", tmp_path, NSS, DAY)
    second = save.save_notice(b"%PDF-1 two", tmp_path, NSS, DAY)
    assert (first.name, second.name) == (FINAL, FINAL.replace(".pdf", "-2.pdf"))
    assert first.read_bytes() == b"%PDF-1 one" and second.read_bytes() == b"%PDF-1 two"


def test_each_save_writes_through_a_part_file_of_its_own_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `.part` left by a crash (its name unknown to anyone) never blocks a later save: each save picks a new,
    unguessable name for its part file."""
    used: list[str] = []
    real = files.create_new

    def recording(path: Path) -> BinaryIO:
        used.append(path.name)
        return real(path)

    monkeypatch.setattr(save, "create_new", recording)
    for _ in range(3):
        save.save_notice(b"%PDF-1 x", tmp_path, NSS, DAY)
    assert len(set(used)) == 3 and all(name.endswith(".part") for name in used)


def test_an_email_draft_never_overwrites_one_already_there(tmp_path: Path) -> None:
    from infonavit_fetch.outputs.nextstep import write_draft
    from infonavit_fetch.site.notice import NoticeSummary

    pdf = save.save_notice(notice_pdf(ACCOUNTS[0]), tmp_path, NSS, DAY)
    edited = pdf.with_suffix(".eml")
    edited.write_bytes(b"the person's own edits")  # a draft written and edited on an earlier run
    draft = write_draft(pdf, "care@manpowergroup.com.mx", NSS, NoticeSummary())
    assert draft != edited and draft.name.endswith("-2.eml")
    assert edited.read_bytes() == b"the person's own edits"
