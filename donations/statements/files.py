"""Recognise an uploaded file by its content and read its rows as lists of cells.

A statement is read as a stream (files up to 100 MB): rows come one by one with their
number and their raw text, and the file is never held whole as rows. A CSV is decoded
as UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when every other
byte is zero) or Windows-1258; a file that ends in the middle of a character or of a
quoted cell is refused with its line number, as is a PDF, an old .xls or any other
binary file."""

from __future__ import annotations

import codecs
import csv
import io
import os
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from lddh.ward.uploads import Deadline, WorkbookRefused, check_workbook, workbook_rows

MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest collection-round list read (10 MB)."""
MAX_STATEMENT_BYTES = 100 * 1024 * 1024
"""The largest bank statement read (100 MB: a month of a very busy account)."""
STATEMENT_MAX_ROWS = 2_000_000
STATEMENT_SECONDS = 900.0
"""A statement is read by the task worker, not in a request: a generous limit."""

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
PDF_REFUSED = (
    "Sao kê PDF chưa đọc được, hãy xuất CSV hoặc Excel từ ngân hàng (trên Internet "
    "Banking thường có nút “Xuất Excel” hoặc “Tải CSV”) rồi tải lên lại."
)
HEAD_BYTES = 64 * 1024
CHUNK = 1024 * 1024


class FileRefused(ValueError):
    """The file cannot be read; ``message`` is Vietnamese and says what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Row:
    """A row of a file: its number (1-based, as a spreadsheet shows it), its cells, its
    text as the file holds it, and whether it ended with a line break (only the last
    row of a text file can lack one)."""

    number: int
    cells: list
    raw: str
    ended: bool = True


def too_large_message(size: int, limit: int = MAX_STATEMENT_BYTES) -> str:
    mb = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    if size > limit and mb == f"{limit // 1024 // 1024},0":
        mb = f"hơn {limit // 1024 // 1024}"
    return (
        f"Tệp quá lớn ({mb} MB): chỉ nhận tệp đến {limit // 1024 // 1024} MB. "
        "Hãy xuất sao kê theo từng tháng rồi tải lên lần lượt."
    )


def _open(source) -> BinaryIO:
    if isinstance(source, bytes | bytearray):
        return io.BytesIO(source)
    if isinstance(source, str | os.PathLike):
        return open(source, "rb")  # closed by StatementFile.close
    return source


def _size(stream: BinaryIO) -> int:
    position = stream.tell()
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def sniff_head(head: bytes, size: int, limit: int) -> tuple[str, str | None]:
    """('xlsx', None) or ('csv', encoding-or-None) from the first bytes, or FileRefused
    saying why neither. An encoding of None means: UTF-8 or Windows-1258, to be decided
    by reading the file."""
    if size == 0 or not head.strip():
        raise FileRefused("Tệp rỗng: không có dữ liệu nào để nhập.")
    if size > limit:
        raise FileRefused(too_large_message(size, limit))
    if head.startswith(PDF_MAGIC):
        raise FileRefused(PDF_REFUSED)
    if head.startswith(OLE2_MAGIC):
        raise FileRefused(
            "Đây là tệp Excel đời cũ (.xls). Hãy mở bằng Excel, chọn “Lưu thành” "
            "dạng Excel Workbook (.xlsx) hoặc CSV rồi tải lên lại."
        )
    if head.startswith(ZIP_MAGIC):
        return "xlsx", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv", "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "csv", "utf-8-sig"
    bare = _utf16_without_bom(head)
    if bare:
        return "csv", bare
    if b"\x00" in head[:4096]:
        raise FileRefused("Tệp không phải CSV hay Excel (.xlsx): có vẻ là tệp nhị phân.")
    return "csv", None


def _line_of(stream: BinaryIO, offset: int) -> int:
    """The 1-based line number of a byte offset."""
    stream.seek(0)
    lines, read = 1, 0
    while read < offset:
        chunk = stream.read(min(CHUNK, offset - read))
        if not chunk:
            break
        lines += chunk.count(b"\n")
        read += len(chunk)
    return lines


def _cut_character(stream: BinaryIO) -> None:
    stream.seek(0)
    line = _line_of(stream, _size(stream))
    raise FileRefused(
        f"Tệp bị cắt giữa một chữ ở dòng {line} (dòng cuối): tệp tải về chưa trọn. "
        "Hãy tải lại sao kê từ ngân hàng rồi nhập lại. Chưa có dòng nào được lưu."
    )


def _text_encoding(stream: BinaryIO, encoding: str | None) -> str:
    """The encoding a CSV is read with. UTF-8 is proved by decoding the whole file; a
    file that is UTF-8 but for its last bytes was cut in the middle of a character."""
    stream.seek(0)
    if encoding and encoding.startswith("utf-16"):
        decoder = codecs.getincrementaldecoder(encoding)()
        while chunk := stream.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                raise FileRefused(
                    "Tệp UTF-16 có chỗ không đọc được. "
                    "Hãy lưu tệp dạng “CSV UTF-8” rồi tải lên lại."
                ) from None
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            _cut_character(stream)
        return encoding
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    while chunk := stream.read(CHUNK):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            utf8 = False
            break
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            _cut_character(stream)
        return encoding or "utf-8"
    # Not UTF-8: a legacy Vietnamese Windows file. Windows-1258 decodes every byte the
    # banks' exports use; a control character means it is not text at all.
    stream.seek(0)
    head = stream.read(HEAD_BYTES).decode("cp1258", errors="replace")
    if any(ch < " " and ch not in "\t\r\n" for ch in head) or "\ufffd" in head:
        raise FileRefused(
            "Không đọc được chữ trong tệp CSV. Hãy lưu tệp dạng “CSV UTF-8” rồi tải lên lại."
        )
    return "cp1258"


class _Lines:
    """Physical lines of a text stream, remembering those the csv reader consumed since
    the last row (a quoted cell may span lines) so each row keeps its raw text."""

    __slots__ = ("pending", "stream")

    def __init__(self, stream):
        self.stream = stream
        self.pending: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.stream.readline()
        if not line:
            raise StopIteration
        self.pending.append(line)
        return line

    def take(self) -> str:
        raw = "".join(self.pending)
        self.pending.clear()
        return raw


def _delimiter(sample: str, given: str) -> str:
    if given:
        return given
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


class StatementFile:
    """An uploaded file read row by row. ``bytes_read`` follows the reading, for a
    progress bar; ``kind`` is 'csv' or 'xlsx'."""

    def __init__(
        self,
        source,
        *,
        limit: int = MAX_STATEMENT_BYTES,
        max_rows: int = STATEMENT_MAX_ROWS,
        seconds: float | None = None,
    ):
        self.stream = _open(source)
        self.owned = self.stream is not source
        self.size = _size(self.stream)
        self.max_rows = max_rows
        self.seconds = STATEMENT_SECONDS if seconds is None else seconds
        self.stream.seek(0)
        head = self.stream.read(HEAD_BYTES)
        self.kind, encoding = sniff_head(head, self.size, limit)
        self.encoding = _text_encoding(self.stream, encoding) if self.kind == "csv" else ""
        self.delimiter = ""
        self._text = None

    @property
    def bytes_read(self) -> int:
        try:
            return min(self.stream.tell(), self.size)
        except (ValueError, OSError):
            return self.size

    def close(self) -> None:
        if self.owned:
            self.stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def rows(self, *, delimiter: str = "") -> Iterator[Row]:
        deadline = Deadline(self.seconds)
        source = self._csv_rows(delimiter) if self.kind == "csv" else self._xlsx_rows()
        for row in source:
            if row.number > self.max_rows:
                raise FileRefused(
                    f"Tệp có hơn {self.max_rows:,} dòng. Hãy xuất sao kê theo từng tháng.".replace(
                        ",", "."
                    )
                )
            if row.number % 1000 == 1:
                try:
                    deadline.check()
                except WorkbookRefused as refused:
                    raise FileRefused(refused.message) from None
            yield row

    def _csv_rows(self, delimiter: str) -> Iterator[Row]:
        self.stream.seek(0)
        text = io.TextIOWrapper(self.stream, encoding=self.encoding, newline="")
        try:
            sample = text.read(HEAD_BYTES)
            text.seek(0)
            self.delimiter = _delimiter(sample, delimiter)
            lines = _Lines(text)
            reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
            number = 0
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    if "field larger than field limit" in str(error):
                        raise FileRefused(
                            f"Dòng {number + 1}: một ô dài hơn {csv.field_size_limit():,} ký tự"
                            ": đây không phải sao kê của ngân hàng. Chưa có dòng nào được "
                            "lưu.".replace(",", ".", 1)
                        ) from None
                    raise FileRefused(
                        f"Dòng {number + 1}: một ô mở ngoặc kép mà không đóng — tệp bị cắt "
                        "hoặc bị sửa tay. Hãy tải lại sao kê từ ngân hàng. Chưa có dòng nào "
                        "được lưu."
                    ) from None
                number += 1
                raw = lines.take()
                ended = raw.endswith(("\n", "\r"))
                yield Row(
                    number,
                    [unicodedata.normalize("NFC", cell.strip()) for cell in cells],
                    unicodedata.normalize("NFC", raw.rstrip("\r\n")),
                    ended,
                )
        finally:
            text.detach()

    def _xlsx_rows(self) -> Iterator[Row]:
        from openpyxl import load_workbook

        self.stream.seek(0)
        try:
            with zipfile.ZipFile(self.stream) as archive:
                is_workbook = "[Content_Types].xml" in archive.namelist()
        except (zipfile.BadZipFile, EOFError, ValueError):
            raise FileRefused(
                "Tệp Excel bị hỏng (không giải nén được). Hãy tải lại sao kê từ ngân hàng."
            ) from None
        if not is_workbook:
            raise FileRefused("Tệp nén này không phải tệp Excel (.xlsx).")
        self.stream.seek(0)
        try:
            check_workbook(
                self.stream,
                max_rows=self.max_rows,
                max_member_bytes=20 * MAX_STATEMENT_BYTES,
                max_total_bytes=20 * MAX_STATEMENT_BYTES,
            )
        except WorkbookRefused as refused:
            raise FileRefused(refused.message) from None
        self.stream.seek(0)
        try:
            workbook = load_workbook(self.stream, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds on a damaged workbook
            raise FileRefused(
                "Không mở được tệp Excel (tệp hỏng hoặc không đúng định dạng .xlsx)."
            ) from None
        try:
            sheet = workbook.worksheets[0] if workbook.worksheets else None
            if sheet is None:
                raise FileRefused("Tệp Excel không có trang tính nào.")
            try:
                for number, values in enumerate(
                    workbook_rows(sheet, deadline=Deadline(self.seconds), max_rows=self.max_rows),
                    start=1,
                ):
                    cells = ["" if cell is None else _xlsx_cell(cell) for cell in values]
                    yield Row(number, cells, "\t".join(_raw_cell(cell) for cell in cells))
            except FileRefused:
                raise
            except WorkbookRefused as refused:
                raise FileRefused(refused.message) from None
            except Exception:
                raise FileRefused("Tệp Excel bị hỏng giữa chừng: không đọc hết được.") from None
        finally:
            workbook.close()


def _xlsx_cell(cell):
    if isinstance(cell, str):
        return unicodedata.normalize("NFC", cell.strip())
    return cell


def _raw_cell(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "strftime"):
        return cell.isoformat(sep=" ") if hasattr(cell, "hour") else cell.isoformat()
    return str(cell)


def is_filled(row) -> bool:
    cells = row.cells if isinstance(row, Row) else row
    return any(str(cell).strip() for cell in cells)


def sniff(data: bytes, limit: int = MAX_FILE_BYTES) -> str:
    """'xlsx' or 'csv', or FileRefused saying why neither."""
    with StatementFile(data, limit=limit) as opened:
        return opened.kind


def decode_text(data: bytes) -> str:
    """The text of a small CSV, decoded as StatementFile decodes it."""
    opened = StatementFile(data, limit=max(len(data), 1))
    return unicodedata.normalize("NFC", data.decode(opened.encoding))


def read_rows(
    data: bytes,
    *,
    kind: str | None = None,
    delimiter: str = "",
    limit: int = MAX_FILE_BYTES,
) -> list[list]:
    """Every row of a small file (first sheet of a workbook), as lists of cells: the
    collection-round lists. Refused (FileRefused) like a statement."""
    with StatementFile(data, limit=limit, max_rows=100_000, seconds=Deadline().seconds) as opened:
        if kind in ("csv", "xlsx") and opened.kind != kind:
            wanted = "CSV" if kind == "csv" else "Excel (.xlsx)"
            got = "CSV" if opened.kind == "csv" else "Excel (.xlsx)"
            raise FileRefused(f"Mẫu đã chọn cần tệp {wanted}, nhưng tệp tải lên là {got}.")
        rows = [row.cells for row in opened.rows(delimiter=delimiter)]
    if not any(is_filled(row) for row in rows):
        raise FileRefused("Tệp không có dòng dữ liệu nào.")
    return rows
