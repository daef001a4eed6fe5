"""The Excel template of a collection round's list, and reading a filled one back.

Documented in docs/mau-dot-thu.md. The header row is found by its names (without
diacritics or case), so title rows above it and extra columns do not matter."""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from donations.services.rounds import LineInput
from donations.statements.files import FileRefused, is_filled, read_rows
from lddh.ward.money import format_number
from lddh.ward.text import clean_input, normalise

COLUMNS = [
    ("STT", 6),
    ("Họ và tên", 30),
    ("Điện thoại", 16),
    ("Địa chỉ", 30),
    ("Số tiền (đồng)", 16),
    ("Giấu tên (x)", 12),
    ("Ghi chú", 30),
]
HEADER_ROW = 4
FIELDS = {
    "ho va ten": "name",
    "dien thoai": "phone",
    "dia chi": "address",
    "so tien (dong)": "amount_text",
    "so tien": "amount_text",
    "giau ten (x)": "anonymous",
    "giau ten": "anonymous",
    "ghi chu": "note",
}
REQUIRED = ("name", "amount_text")
NO = {"", "0", "khong", "no", "false", "sai"}
INSTRUCTIONS = [
    "HƯỚNG DẪN ĐIỀN DANH SÁCH ĐỢT THU",
    "",
    "1. Mỗi người ủng hộ một dòng, bắt đầu từ dòng 5 của trang “Danh sách”.",
    "2. Cột “Họ và tên” và “Số tiền (đồng)” bắt buộc; các cột khác có thể để trống.",
    "3. Số tiền ghi số nguyên đồng, ví dụ 200000 hoặc 200.000 (không ghi “đ”, không số lẻ).",
    "4. Điện thoại giúp nhận ra người đã ủng hộ trước đây (tránh tạo trùng người ủng hộ).",
    "5. Người muốn giấu tên khi công khai: ghi x vào cột “Giấu tên (x)”.",
    "6. Không đổi tên các cột ở dòng 4; có thể thêm cột khác, hệ thống bỏ qua.",
    "7. Tải lên ở trang đợt thu (nút “Nhập từ Excel”); các dòng được thêm vào đợt thu nháp,",
    "   rồi bấm “Kiểm tra” để xem lỗi từng dòng trước khi ghi sổ.",
]


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet["A1"] = "DANH SÁCH ỦNG HỘ QUỸ “VÌ NGƯỜI NGHÈO” – ĐỢT THU"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = (
        "Tổ dân phố / tổ chức: ......................  Người thu: ..............  "
        "Ngày: ....../....../........"
    )
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, (title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=title)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width
    for row in range(HEADER_ROW + 1, HEADER_ROW + 201):
        sheet.cell(row=row, column=1, value=row - HEADER_ROW)
        sheet.cell(row=row, column=5).number_format = "#,##0"
        sheet.cell(row=row, column=3).number_format = "@"
    validation = DataValidation(
        type="whole",
        operator="greaterThan",
        formula1="0",
        showErrorMessage=True,
        errorTitle="Số tiền",
        error="Số tiền là số nguyên đồng lớn hơn 0.",
    )
    validation.add(f"E{HEADER_ROW + 1}:E{HEADER_ROW + 200}")
    sheet.add_data_validation(validation)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    guide = workbook.create_sheet("Hướng dẫn")
    for index, text in enumerate(INSTRUCTIONS, start=1):
        guide.cell(row=index, column=1, value=text)
    guide["A1"].font = Font(bold=True)
    guide.column_dimensions["A"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        value = int(value)
    if isinstance(value, int):
        return format_number(value)
    return clean_input(str(value)).strip()


def lines_from_file(data: bytes) -> list[LineInput]:
    """The filled lines of a round list (.xlsx; a CSV with the same columns works too)."""
    rows = read_rows(data)
    header_index, columns = None, {}
    for index, row in enumerate(rows[:30]):
        found = {}
        for position, cell in enumerate(row):
            field = FIELDS.get(normalise(str(cell)))
            if field and field not in found:
                found[field] = position
        if all(field in found for field in REQUIRED):
            header_index, columns = index, found
            break
    if header_index is None:
        raise FileRefused(
            "Tệp không đúng mẫu danh sách đợt thu: không thấy cột “Họ và tên” và "
            "“Số tiền (đồng)”. Hãy tải mẫu Excel ở trang đợt thu và điền vào mẫu đó."
        )
    lines = []
    for row in rows[header_index + 1 :]:
        if not is_filled(row):
            continue

        def cell(field: str, row=row) -> str:
            position = columns.get(field)
            if position is None or position >= len(row):
                return ""
            value = row[position]
            if field != "phone" or not isinstance(value, (int, float)):
                return _text(value)
            if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
                return _text(value)
            digits = str(int(value))
            return f"0{digits}" if len(digits) == 9 else digits

        line = LineInput(
            name=cell("name"),
            phone=cell("phone"),
            address=cell("address"),
            amount_text=cell("amount_text"),
            anonymous=normalise(cell("anonymous")) not in NO,
            note=cell("note"),
        )
        if line.name or line.amount_text:
            lines.append(line)
    if not lines:
        raise FileRefused("Danh sách trong tệp chưa có dòng nào có họ tên hoặc số tiền.")
    return lines
