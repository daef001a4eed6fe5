"""Hostile Excel files, built cheaply: a workbook whose sheet unpacks to hundreds of
megabytes (a decompression bomb) and one whose sheet declares a million rows."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from openpyxl import Workbook

__all__ = ["xlsx_bomb", "xlsx_declaring"]

SHEET = "xl/worksheets/sheet1.xml"
CELL = b"<c><v>1</v></c>"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
SHEET_TAIL = b"</sheetData></worksheet>"


def _template(header: list[str]) -> dict[str, bytes]:
    workbook = Workbook()
    workbook.active.append(header)
    out = io.BytesIO()
    workbook.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _deflate(data: bytes, mode: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(mode)


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive of already deflated members: (name, deflated, crc, unpacked size)."""
    out = io.BytesIO()
    directory = io.BytesIO()
    for name, deflated, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        fields = (20, 0, 8, 0, 0x21, crc, len(deflated), size, len(encoded), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded + deflated)
        directory.write(
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIIIHH", *fields)
            + struct.pack("<HHHII", 0, 0, 0, 0, offset)
            + encoded
        )
    start, listing = out.tell(), directory.getvalue()
    count = len(members)
    out.write(listing)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(listing), start, 0))
    return out.getvalue()


def xlsx_bomb(*, megabytes: int = 400, header: tuple[str, ...] = ("Họ và tên", "Số tiền")) -> bytes:
    """A valid .xlsx whose first sheet is ``megabytes`` MB of repeated cells (rows of
    1.000 cells), deflated to well under 1 MB. One megabyte is compressed once and its
    deflate blocks repeated (each piece ends on a full flush, so pieces concatenate)."""
    members = []
    for name, data in _template(list(header)).items():
        if name != SHEET:
            members.append((name, _deflate(data, zlib.Z_FINISH), zlib.crc32(data), len(data)))
    row = b"<row>" + CELL * 1000 + b"</row>"
    chunk = row * (1024 * 1024 // len(row))
    piece = _deflate(chunk, zlib.Z_FULL_FLUSH)
    title = f'<row r="1"><c t="inlineStr"><is><t>{header[0]}</t></is></c></row>'
    head = SHEET_HEAD + title.encode()
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(SHEET_TAIL, crc)
    deflated = (
        _deflate(head, zlib.Z_FULL_FLUSH) + piece * megabytes + _deflate(SHEET_TAIL, zlib.Z_FINISH)
    )
    size = len(head) + len(chunk) * megabytes + len(SHEET_TAIL)
    members.append((SHEET, deflated, crc, size))
    return _zip(members)


def xlsx_declaring(ref: str, *, header: tuple[str, ...] = ("Họ và tên", "Số tiền")) -> bytes:
    """A small .xlsx whose first sheet declares the dimension ``ref`` (e.g.
    "A1:XFD1048576") and holds a header and one cell in its last row."""
    members = []
    for name, data in _template(list(header)).items():
        if name == SHEET:
            last = ref.split(":")[-1]
            row_number = "".join(ch for ch in last if ch.isdigit())
            data = (
                SHEET_HEAD.replace(b"<sheetData>", f'<dimension ref="{ref}"/><sheetData>'.encode())
                + f'<row r="{row_number}"><c r="{last}"><v>1</v></c></row>'.encode()
                + SHEET_TAIL
            )
        members.append((name, _deflate(data, zlib.Z_FINISH), zlib.crc32(data), len(data)))
    return _zip(members)
