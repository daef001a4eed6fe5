"""Uploads are accepted by their content, never by their name: scans and photos by
their first bytes, Excel workbooks by their archive before anything parses them."""

from __future__ import annotations

import io
import re
import time
import zipfile
from typing import NamedTuple

from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)


class CheckedUpload(NamedTuple):
    content_type: str
    extension: str
    content: bytes


def check_upload(upload, *, field: str = "attachment") -> CheckedUpload:
    """A JPEG, PNG or PDF of at most 10 MB, judged by its first bytes; otherwise a
    ValidationError on `field` in Vietnamese."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: ["Tệp quá lớn: tối đa 10 MB; hãy chụp hoặc quét nhỏ hơn."]})
    upload.seek(0)
    content = upload.read()
    if not content:
        raise ValidationError({field: ["Tệp rỗng."]})
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return CheckedUpload(content_type, extension, content)
    raise ValidationError(
        {
            field: [
                "Tệp không phải ảnh JPEG, PNG hoặc tệp PDF (đã kiểm tra nội dung tệp, "
                "không chỉ phần đuôi tên)."
            ]
        }
    )


# --------------------------------------------------------------------------- workbooks

# An .xlsx is a zip archive: a few hundred kilobytes can unpack to gigabytes of sheet XML
# (a "decompression bomb") or declare a sheet of a million rows by 16.384 columns. The
# archive's directory says what each member unpacks to (zipfile never unpacks more than
# that: a member that lies fails its CRC check), so a workbook is judged from its
# directory and the first bytes of each sheet, before openpyxl parses anything.
WORKBOOK_MAX_MEMBERS = 500
WORKBOOK_MAX_MEMBER_BYTES = 50 * 1024 * 1024
WORKBOOK_MAX_TOTAL_BYTES = 100 * 1024 * 1024
WORKBOOK_MAX_RATIO = 100  # unpacked / packed, for members over 1 MB unpacked
WORKBOOK_RATIO_FLOOR = 1024 * 1024
WORKBOOK_MAX_ROWS = 100_000
WORKBOOK_MAX_COLUMNS = 200
IMPORT_SECONDS = 20.0
"""The longest an import may read a file; a slower file is refused, not waited for."""

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([A-Za-z$0-9:]+)\"")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_HEAD_BYTES = 4096

WORKBOOK_DAMAGED = (
    "Không đọc được tệp: tệp Excel bị hỏng (không giải nén được). "
    "Hãy lưu lại dưới dạng Excel (.xlsx) rồi tải lên."
)
WORKBOOK_TOO_BIG = (
    "Tệp Excel bất thường: khi giải nén quá lớn so với một bảng tính bình thường. "
    "Hãy mở tệp bằng Excel, chép phần dữ liệu sang một tệp mới, lưu lại rồi tải lên."
)
WORKBOOK_TOO_WIDE = (
    "Trang tính khai báo {rows} dòng × {columns} cột, quá giới hạn "
    "{max_rows} dòng × {max_columns} cột. "
    "Hãy chép phần dữ liệu sang một tệp mới, lưu lại rồi tải lên."
)
WORKBOOK_TOO_LONG = (
    "Trang tính có quá {max_rows} dòng. Hãy chia thành nhiều tệp rồi tải lên lần lượt."
)
IMPORT_TOO_SLOW = (
    "Đọc tệp quá lâu (quá {seconds} giây) nên đã dừng, chưa nhập gì. "
    "Hãy chia tệp thành nhiều tệp nhỏ hơn rồi tải lên lần lượt."
)


class WorkbookRefused(ValueError):
    """The workbook is refused before or while it is read; ``message`` is Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _dimension(head: bytes) -> tuple[int, int] | None:
    """(rows, columns) that a sheet's <dimension ref="A1:K300"> declares, if it does."""
    found = _DIMENSION.search(head)
    if not found:
        return None
    corners = [_CELL_REF.fullmatch(part) for part in found.group(1).decode().split(":")]
    if not all(corners):
        return None
    rows = max(int(c.group(2)) for c in corners)
    columns = max(_column_number(c.group(1)) for c in corners)
    return rows, columns


def check_workbook(
    data,
    *,
    max_rows: int | None = None,
    max_member_bytes: int | None = None,
    max_total_bytes: int | None = None,
) -> None:
    """Refuse (WorkbookRefused) an .xlsx that would take a worker long to unpack or
    parse: too many members, a member or a total unpacking too large, a compression
    ratio no spreadsheet has, or a sheet declaring more rows or columns than an import
    reads. Reads the archive's directory and a few kilobytes per sheet only. ``data``
    is the file's bytes or an open binary file; the limits default to the WORKBOOK_MAX_*
    constants."""
    max_rows = WORKBOOK_MAX_ROWS if max_rows is None else max_rows
    max_member_bytes = WORKBOOK_MAX_MEMBER_BYTES if max_member_bytes is None else max_member_bytes
    max_total_bytes = WORKBOOK_MAX_TOTAL_BYTES if max_total_bytes is None else max_total_bytes
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise WorkbookRefused(WORKBOOK_DAMAGED) from None
    with archive:
        members = archive.infolist()
        if len(members) > WORKBOOK_MAX_MEMBERS:
            raise WorkbookRefused(WORKBOOK_TOO_BIG)
        total = 0
        for member in members:
            total += member.file_size
            if member.file_size > max_member_bytes or total > max_total_bytes:
                raise WorkbookRefused(WORKBOOK_TOO_BIG)
            if (
                member.file_size > WORKBOOK_RATIO_FLOOR
                and member.file_size > WORKBOOK_MAX_RATIO * max(member.compress_size, 1)
            ):
                raise WorkbookRefused(WORKBOOK_TOO_BIG)
        for member in members:
            if not member.filename.startswith("xl/worksheets/") or member.is_dir():
                continue
            try:
                with archive.open(member) as sheet:
                    head = sheet.read(_HEAD_BYTES)
            except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError):
                raise WorkbookRefused(WORKBOOK_DAMAGED) from None
            size = _dimension(head)
            if size and (size[0] > max_rows or size[1] > WORKBOOK_MAX_COLUMNS):
                raise WorkbookRefused(
                    WORKBOOK_TOO_WIDE.format(
                        rows=_number(size[0]),
                        columns=_number(size[1]),
                        max_rows=_number(max_rows),
                        max_columns=_number(WORKBOOK_MAX_COLUMNS),
                    )
                )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def workbook_rows(sheet, *, deadline: Deadline, max_rows: int = WORKBOOK_MAX_ROWS):
    """The values of a read-only openpyxl sheet row by row (trailing empty cells left
    off), within the deadline, the first WORKBOOK_MAX_COLUMNS columns only, and at most
    ``max_rows`` rows: WorkbookRefused beyond."""
    rows = sheet.iter_rows(values_only=True, max_row=max_rows + 1, max_col=WORKBOOK_MAX_COLUMNS)
    for count, row in enumerate(rows, start=1):
        deadline.check()
        if count > max_rows:
            raise WorkbookRefused(WORKBOOK_TOO_LONG.format(max_rows=_number(max_rows)))
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        yield row[:end]


class Deadline:
    """A time limit for reading an upload: call ``check()`` in the loop that reads it."""

    def __init__(self, seconds: float | None = None):
        self.seconds = IMPORT_SECONDS if seconds is None else seconds
        self.ends = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise WorkbookRefused(IMPORT_TOO_SLOW.format(seconds=f"{self.seconds:g}"))
