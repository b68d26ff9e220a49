"""The captcha drawn in the terminal: a PNG read with zlib alone and shown as coloured half-blocks."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from fixtures.mock_portal import MockPortal
from infonavit_fetch.login.picture import HALF_BLOCK, read_png
from tests.cli import Cli

CELL = re.compile(r"\x1b\[38;2;(\d+);(\d+);(\d+)m\x1b\[48;2;(\d+);(\d+);(\d+)m" + HALF_BLOCK)


def paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def encode_png(rows: Sequence[Sequence[tuple[int, ...]]], colour: int) -> bytes:
    """An 8-bit PNG whose rows use the five filter types in turn (what Chromium's encoder may choose)."""
    bpp = {2: 3, 6: 4}[colour]
    raw = bytearray()
    prior = bytes(len(rows[0]) * bpp)
    for y, row in enumerate(rows):
        line = bytes(v for pixel in row for v in pixel)
        kind = y % 5
        out = bytearray()
        for i, value in enumerate(line):
            left = line[i - bpp] if i >= bpp else 0
            up, upper_left = prior[i], (prior[i - bpp] if i >= bpp else 0)
            predictor = [0, left, up, (left + up) // 2, paeth(left, up, upper_left)][kind]
            out.append((value - predictor) & 0xFF)
        raw += bytes([kind]) + out
        prior = line

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", len(rows[0]), len(rows), 8, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b"")
    )


def known_image(width: int = 180, height: int = 60) -> list[list[tuple[int, int, int]]]:
    """Four quadrants: red, green / blue, a gradient; a black bar across the middle rows 28-31."""
    rows = []
    for y in range(height):
        row = []
        for x in range(width):
            if 28 <= y < 32:
                row.append((0, 0, 0))
            elif y < height // 2:
                row.append((220, 20, 30) if x < width // 2 else (20, 200, 40))
            else:
                row.append((30, 40, 210) if x < width // 2 else (x, x, x))
        rows.append(row)
    return rows


def cells(line: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(tuple(map(int, m[:3])), tuple(map(int, m[3:]))) for m in CELL.findall(line)]


@pytest.mark.parametrize("colour", [2, 6])
def test_reads_every_filter_type(colour: int) -> None:
    rows = known_image()
    data = encode_png([[(*p, 255) for p in row] for row in rows] if colour == 6 else rows, colour)
    picture = read_png(data)
    assert (picture.width, picture.height) == (180, 60)
    assert picture.pixels == rows


def test_alpha_is_laid_over_white() -> None:
    picture = read_png(encode_png([[(0, 0, 0, 0), (0, 0, 0, 255)]], 6))
    assert picture.pixels == [[(255, 255, 255), (0, 0, 0)]]


def test_half_blocks_draw_the_known_image() -> None:
    from infonavit_fetch.login.picture import half_blocks

    lines = half_blocks(read_png(encode_png(known_image(), 2)), 90)  # half size: 90×30 pixels, 15 lines
    assert len(lines) == 15
    grid = [cells(line) for line in lines]
    assert all(len(row) == 90 for row in grid)
    assert grid[0][0] == ((220, 20, 30), (220, 20, 30))  # top left: red above and below
    assert grid[0][89] == ((20, 200, 40), (20, 200, 40))  # top right: green
    assert grid[14][0] == ((30, 40, 210), (30, 40, 210))  # bottom left: blue
    assert grid[7][10] == ((0, 0, 0), (0, 0, 0))  # pixel rows 14-15 of 30: the black bar (28-31)
    gray = grid[14][80][0]
    assert gray[0] == gray[1] == gray[2] and 155 <= gray[0] <= 165  # the gradient, averaged from x=160-161
    assert all(line.endswith("\x1b[0m") for line in lines)


def test_an_interlaced_png_is_refused() -> None:
    data = bytearray(encode_png([[(1, 2, 3)]], 2))
    data[28] = 1  # IHDR's interlace byte
    with pytest.raises(ValueError, match="interlace"):
        read_png(bytes(data))


def test_without_a_display_the_captcha_is_drawn_in_the_terminal(portal: MockPortal, tmp_path: Path) -> None:
    result = Cli(portal, tmp_path, env={"COLUMNS": "81"}).run(["download", "--out", str(tmp_path)])
    assert result.returncode == 0, result.stderr
    drawn = [line for line in result.stderr.splitlines() if HALF_BLOCK in line]
    assert 8 <= len(drawn) <= 40
    assert all(len(cells(line)) == len(cells(drawn[0])) <= 80 for line in drawn)
    assert "La imagen del código está en:" in result.stderr
