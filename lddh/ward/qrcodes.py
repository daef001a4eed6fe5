"""QR codes made with segno, the data mask chosen faster with the same result.

segno tries the eight data masks of ISO/IEC 18004 (7.8.3) and keeps the one with the
lowest penalty, module by module in Python: about 5 ms of the 6 ms a receipt's QR code
takes, and a receipt prints one. ``best_mask`` computes the same penalties with whole
rows at a time (runs found by a regular expression, 2×2 blocks and the XOR of a mask as
integer operations on a row's bytes, the 1:1:3:1:1 pattern with segno's own search), so
it picks the same mask and returns the same matrix: the QR code, its PNG and the PDF
are the same byte for byte (tests/ward/test_qrcodes.py compares them with segno's
choice). Micro QR codes and a mask asked for keep segno's own function.
"""

from __future__ import annotations

import base64
import re
import struct
import threading
import zlib
from functools import lru_cache

import segno
from segno import encoder

_segno_best_mask = encoder.find_and_apply_best_mask
_installed = threading.Lock()
RUN = re.compile(rb"(.)\1{4,}", re.DOTALL)
N3_PATTERN = bytes((0x1, 0x0, 0x1, 0x1, 0x1, 0x0, 0x1))
SEPARATOR = b"\xff"


@lru_cache(maxsize=64)
def _mask_rows(width: int) -> tuple[tuple[int, ...], ...]:
    """Per mask pattern, each row's XOR as an integer (big-endian, one byte a module):
    the pattern's bit where the module is in the encoding region, else 0."""
    function_matrix = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(function_matrix, width, width)
    encoder.add_alignment_patterns(function_matrix, width, width)
    function_matrix[-8][8] = 0x1
    masks = []
    for pattern in encoder.get_data_mask_functions(False):
        rows = []
        for i in range(width):
            region = function_matrix[i]
            rows.append(
                int.from_bytes(
                    bytes(1 if region[j] > 0x1 and pattern(i, j) else 0 for j in range(width)),
                    "big",
                )
            )
        masks.append(tuple(rows))
    return tuple(masks)


def penalty(rows: list[bytes], size: int) -> int:
    """``sum(segno.encoder.mask_scores(rows, size, size))``: N1 + N2 + N3 + N4."""
    columns = [bytes(column) for column in zip(*rows, strict=True)]
    lines = (*rows, *columns)
    # Every row and column in one text, apart by a byte no module holds: a run or a
    # pattern never crosses from one line to the next.
    text = SEPARATOR.join(lines)
    # N1: each run of five or more alike scores its length less 2.
    rest, runs = RUN.subn(b"", text)
    score = len(text) - len(rest) - 2 * runs
    # N3: segno's search for 1:1:3:1:1 (``n3_pattern_occurrences``) in each line, run
    # over the whole text: the position in its line decides as in segno.
    stride = size + 1
    found = text.find(N3_PATTERN)
    while found != -1:
        line, at = divmod(found, stride)
        seq = lines[line]
        offset = at + 7
        if (
            at in (0, size - 7)
            or not any(seq[max(at - 4, 0) : at])
            or not any(seq[offset : min(offset + 4, size)])
        ):
            score += 40
        else:
            offset = at + 4
        found = text.find(N3_PATTERN, line * stride + offset)
    # N2: 2×2 blocks alike, counted at their lower right module.
    last = None
    for row in rows:
        value = int.from_bytes(row, "big")
        if last is not None:
            rows_differ = value ^ last
            alike = rows_differ | (value ^ (value >> 8)) | (rows_differ >> 8)
            score += 3 * alike.to_bytes(size, "big")[1:].count(0)
        last = value
    dark = sum(b"".join(rows))  # N4: the dark modules' share
    percent = float(dark) / (size**2)
    return score + 10 * int(abs(percent * 100 - 50) / 5)


def best_mask(matrix, width, height, proposed_mask=None):
    """``segno.encoder.find_and_apply_best_mask`` for a QR code (not Micro) whose mask
    is chosen: the same mask and the same masked matrix, found faster."""
    if proposed_mask is not None or width != height or width < 21:
        return _segno_best_mask(matrix, width, height, proposed_mask)
    best_score = None
    best_pattern = best_rows = None
    for number, xors in enumerate(_mask_rows(width)):
        rows = [
            (int.from_bytes(row, "big") ^ xor).to_bytes(width, "big")
            for row, xor in zip(matrix, xors, strict=True)
        ]
        score = penalty(rows, width)
        if best_score is None or score < best_score:
            best_score, best_pattern, best_rows = score, number, rows
    return best_pattern, tuple(bytearray(row) for row in best_rows)


def install() -> None:
    """Make segno choose its masks with ``best_mask`` (once per process)."""
    with _installed:
        encoder.find_and_apply_best_mask = best_mask


def make(content: str, *, error: str):
    """``segno.make(content, error=error)``, the mask chosen by ``best_mask``."""
    if encoder.find_and_apply_best_mask is not best_mask:
        install()
    return segno.make(content, error=error)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_data_uri(code, *, scale: int, border: int) -> str:
    """``code.png_data_uri(scale=scale, border=border)`` (black on white, greyscale of
    one bit a pixel, the same chunks and compression: the same bytes), written with whole
    scanlines instead of segno's pixel by pixel, which took about 1,4 ms a receipt."""
    size = len(code.matrix[0]) + 2 * border
    width = size * scale
    padding = "0" * (-width % 8)
    light = "1" * scale
    dark = "0" * scale
    blank = "1" * (border * scale)
    lines = []
    for row in code.matrix:
        bits = blank + "".join(dark if module else light for module in row) + blank + padding
        lines.append(b"\x00" + int(bits, 2).to_bytes(len(bits) // 8, "big"))
    white = b"\x00" + int("1" * width + padding, 2).to_bytes((width + len(padding)) // 8, "big")
    # As segno: a row's further scanlines say "same as above" (PNG filter 2, Up).
    same = (b"\x02" + bytes(len(white) - 1)) * (scale - 1)
    raw = b"".join(
        [white * (border * scale), *(line + same for line in lines), white * (border * scale)]
    )
    header = struct.pack(">IIBBBBB", width, size * scale, 1, 0, 0, 0, 0)
    png = b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(raw, 9)),
            _chunk(b"IEND", b""),
        ]
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
