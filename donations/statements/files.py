"""Recognise an uploaded file by its content and read its rows as lists of cells."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator

from lddh.ward.uploads import Deadline, WorkbookRefused, check_workbook, workbook_rows

MAX_FILE_BYTES = 10 * 1024 * 1024
"""The largest file read (10 MB: a year of a busy account is about 2 MB of CSV)."""

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class FileRefused(ValueError):
    """The file cannot be read; ``message`` is Vietnamese and says what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def too_large_message(size: int) -> str:
    mb = size / 1024 / 1024
    return (
        f"Tệp quá lớn ({mb:.1f} MB): chỉ nhận tệp đến {MAX_FILE_BYTES // 1024 // 1024} MB. "
        "Hãy xuất sao kê theo từng tháng hoặc từng quý."
    ).replace(".", ",", 1)


def sniff(data: bytes) -> str:
    """'xlsx' or 'csv', or FileRefused saying why neither."""
    if not data or not data.strip():
        raise FileRefused("Tệp rỗng: không có dữ liệu nào để nhập.")
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(too_large_message(len(data)))
    if data.startswith(OLE2_MAGIC):
        raise FileRefused(
            "Đây là tệp Excel đời cũ (.xls). Hãy mở bằng Excel, chọn “Lưu thành” "
            "dạng Excel Workbook (.xlsx) hoặc CSV rồi tải lên lại."
        )
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, EOFError, ValueError):
            raise FileRefused(
                "Tệp Excel bị hỏng (không giải nén được). Hãy tải lại sao kê từ ngân hàng."
            ) from None
        if "[Content_Types].xml" not in names:
            raise FileRefused("Tệp nén này không phải tệp Excel (.xlsx).")
        return "xlsx"
    if b"\x00" in data[:4096]:
        raise FileRefused("Tệp không phải CSV hay Excel (.xlsx): có vẻ là tệp nhị phân.")
    decode_text(data)
    return "csv"


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8-sig" and sum(ch < " " and ch not in "\t\r\n" for ch in text) > 0:
            continue
        return unicodedata.normalize("NFC", text)
    raise FileRefused(
        "Không đọc được chữ trong tệp CSV. Hãy lưu tệp dạng “CSV UTF-8” rồi tải lên lại."
    )


def _csv_rows(text: str, delimiter: str, deadline: Deadline) -> Iterator[list[str]]:
    if not delimiter:
        sample = text[:8192]
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        try:
            deadline.check()
        except WorkbookRefused as refused:
            raise FileRefused(refused.message) from None
        yield [cell.strip() for cell in row]


def _xlsx_rows(data: bytes, deadline: Deadline) -> Iterator[list[object]]:
    from openpyxl import load_workbook

    try:
        check_workbook(data)
    except WorkbookRefused as refused:
        raise FileRefused(refused.message) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise FileRefused(
            "Không mở được tệp Excel (tệp hỏng hoặc không đúng định dạng .xlsx)."
        ) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRefused("Tệp Excel không có trang tính nào.")
        try:
            for row in workbook_rows(sheet, deadline=deadline):
                yield ["" if cell is None else cell for cell in row]
        except FileRefused:
            raise
        except WorkbookRefused as refused:
            raise FileRefused(refused.message) from None
        except Exception:
            raise FileRefused("Tệp Excel bị hỏng giữa chừng: không đọc hết được.") from None
    finally:
        workbook.close()


def read_rows(data: bytes, *, kind: str | None = None, delimiter: str = "") -> list[list]:
    """Every row of the file (first sheet of a workbook), as lists of cells. A workbook
    is checked before it is parsed (lddh.ward.uploads.check_workbook) and any file is
    read within the import deadline: FileRefused otherwise."""
    deadline = Deadline()
    found = sniff(data)
    if kind in ("csv", "xlsx") and found != kind:
        wanted = "CSV" if kind == "csv" else "Excel (.xlsx)"
        got = "CSV" if found == "csv" else "Excel (.xlsx)"
        raise FileRefused(f"Mẫu sao kê đã chọn cần tệp {wanted}, nhưng tệp tải lên là {got}.")
    if found == "xlsx":
        rows = list(_xlsx_rows(data, deadline))
    else:
        rows = list(_csv_rows(decode_text(data), delimiter, deadline))
    if not any(is_filled(row) for row in rows):
        raise FileRefused("Tệp không có dòng dữ liệu nào.")
    return rows


def is_filled(row: list) -> bool:
    return any(str(cell).strip() for cell in row)
