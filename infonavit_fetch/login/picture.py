"""The captcha drawn in the terminal: a PNG read with zlib alone, shown as coloured half-blocks.

Each character cell shows two pixels, one above the other: "▀" painted with the upper one as the
foreground colour and the lower one as the background (24-bit ANSI colours). A 180×60 captcha fits an
80-column terminal in about 13 lines. No imaging library: Playwright's screenshots are 8-bit,
non-interlaced PNGs, and that is all this reads.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

Rgb = tuple[int, int, int]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # grey, RGB, grey+alpha, RGBA
HALF_BLOCK = "▀"
RESET = "\x1b[0m"


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    pixels: list[list[Rgb]]  # rows of RGB, alpha already laid over white

    def pixel(self, x: int, y: int) -> Rgb:
        return self.pixels[y][x]


def read_png(data: bytes) -> Picture:
    """Decode an 8-bit, non-interlaced grey/RGB/RGBA PNG; ValueError for anything else."""
    if not data.startswith(_SIGNATURE):
        raise ValueError("not a PNG")
    pos, header, compressed = len(_SIGNATURE), b"", bytearray()
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed += body
        elif kind == b"IEND":
            break
    if len(header) != 13:
        raise ValueError("PNG without a header")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in _CHANNELS or interlace != 0:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = _CHANNELS[colour]
    raw = zlib.decompress(bytes(compressed))
    stride = width * channels
    if len(raw) < height * (stride + 1):
        raise ValueError("PNG data too short")
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, channels)
        rows.append([_rgb(line, x * channels, channels) for x in range(width)])
        previous = line
    return Picture(width, height, rows)


def _unfilter(kind: int, line: bytearray, prior: bytearray, bpp: int) -> bytearray:
    if kind == 0:
        return line
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = prior[i]
        if kind == 1:
            add = left
        elif kind == 2:
            add = up
        elif kind == 3:
            add = (left + up) // 2
        elif kind == 4:
            upper_left = prior[i - bpp] if i >= bpp else 0
            add = _paeth(left, up, upper_left)
        else:
            raise ValueError(f"unknown PNG filter {kind}")
        line[i] = (line[i] + add) & 0xFF
    return line


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _rgb(line: bytearray, at: int, channels: int) -> Rgb:
    if channels <= 2:
        r = g = b = line[at]
    else:
        r, g, b = line[at], line[at + 1], line[at + 2]
    if channels in (2, 4):
        alpha = line[at + channels - 1]
        r, g, b = (round(v * alpha / 255 + 255 * (255 - alpha) / 255) for v in (r, g, b))
    return (r, g, b)


def scaled(picture: Picture, width: int) -> Picture:
    """The picture at `width` pixels (never wider than it is), each pixel the average of those it covers."""
    width = max(1, min(width, picture.width))
    height = max(1, round(picture.height * width / picture.width))
    rows = []
    for ty in range(height):
        y0, y1 = _span(ty, height, picture.height)
        row: list[Rgb] = []
        for tx in range(width):
            x0, x1 = _span(tx, width, picture.width)
            cells = [picture.pixels[y][x] for y in range(y0, y1) for x in range(x0, x1)]
            n = len(cells)
            row.append((sum(c[0] for c in cells) // n, sum(c[1] for c in cells) // n, sum(c[2] for c in cells) // n))
        rows.append(row)
    return Picture(width, height, rows)


def _span(index: int, parts: int, total: int) -> tuple[int, int]:
    start = index * total // parts
    return start, max(start + 1, (index + 1) * total // parts)


def half_blocks(picture: Picture, columns: int) -> list[str]:
    """Lines of "▀" that draw `picture` at most `columns` wide: two pixel rows per line."""
    small = scaled(picture, columns)
    lines = []
    for y in range(0, small.height, 2):
        cells = []
        for x in range(small.width):
            top = small.pixel(x, y)
            bottom = small.pixel(x, y + 1) if y + 1 < small.height else (255, 255, 255)
            cells.append("\x1b[38;2;{};{};{}m\x1b[48;2;{};{};{}m".format(*top, *bottom) + HALF_BLOCK)
        lines.append("".join(cells) + RESET)
    return lines
