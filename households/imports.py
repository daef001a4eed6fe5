"""Import an existing register from Excel (docs/mau-nhap-ho-gia-dinh.md).

Reading and checking happen here, writing in services.household_import: the file is
read, every row checked (shape, the rules of the register, duplicates against the
register and inside the file), and shown as a preview. Nothing is written unless every
row is sound; rows that match a household already in the register are left alone, so
importing the same file twice changes nothing.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from households.models import Category, DifficultyReason, Household, Standard
from households.services import (
    MSG_CCCD,
    check_birth_year,
    duplicate_message,
    find_duplicate,
    validate_classification,
)
from lddh.ward.models import ResidentialGroup
from lddh.ward.money import MoneyError, parse_dong
from lddh.ward.text import check_phone, clean_input, normalise
from lddh.ward.uploads import Deadline, WorkbookRefused, check_workbook, workbook_rows

SHEET_TITLE = "Danh sách hộ"
MAX_ROWS = 2000


@dataclass(frozen=True)
class ImportColumn:
    key: str
    title: str
    required: bool
    help: str
    width: int = 18
    text: bool = False  # formatted as text in the template (keeps leading zeros)


COLUMNS = (
    ImportColumn("group", "Tổ dân phố", True, "Số tổ từ 1 đến 9 (hoặc TDP03, Tổ 3).", 12),
    ImportColumn("head_name", "Họ tên chủ hộ", True, "Viết có dấu, ví dụ Nguyễn Thị Lan.", 26),
    ImportColumn("head_birth_year", "Năm sinh chủ hộ", True, "Bốn chữ số, ví dụ 1958.", 12),
    ImportColumn("address", "Địa chỉ", True, "Số nhà, ngõ, phố.", 32),
    ImportColumn(
        "head_cccd", "Số CCCD chủ hộ", False, "12 chữ số; để trống nếu chưa có.", 16, text=True
    ),
    ImportColumn("phone", "Điện thoại", False, "Có thể để trống.", 14, text=True),
    ImportColumn(
        "category",
        "Phân loại",
        False,
        "Một trong: " + "; ".join(Category.labels) + ". Để trống = Chưa được công nhận.",
        24,
    ),
    ImportColumn("decision_number", "Số quyết định", False, "Ví dụ 125/QĐ-UBND.", 16),
    ImportColumn("decision_year", "Năm quyết định", False, "Ví dụ 2024.", 12),
    ImportColumn(
        "standard",
        "Chuẩn áp dụng",
        False,
        "Để trống, hoặc 07/2021 (Nghị định 07/2021/NĐ-CP), hoặc 351/2025.",
        16,
    ),
    ImportColumn(
        "especially_difficult",
        "Hoàn cảnh đặc biệt khó khăn",
        False,
        "Có hoặc Không (để trống = Không).",
        14,
    ),
    ImportColumn(
        "difficulty_reasons",
        "Lý do khó khăn",
        False,
        "Một hoặc nhiều, cách nhau dấu chấm phẩy: " + "; ".join(DifficultyReason.labels) + ".",
        30,
    ),
    ImportColumn("circumstances", "Hoàn cảnh", False, "Mô tả ngắn hoàn cảnh của hộ.", 50),
    ImportColumn(
        "income_per_person",
        "Thu nhập bình quân (đồng/người/tháng)",
        False,
        "Số đồng, ví dụ 1.500.000; để trống nếu chưa rõ.",
        18,
    ),
)
COLUMN_BY_TITLE = {normalise(c.title): c for c in COLUMNS}
YES = {"co", "x", "yes", "1", "true", "dung"}
NO = {"", "khong", "no", "0", "false", "sai"}


# ---------------------------------------------------------------- the template


def template_workbook() -> bytes:
    """The empty template with its instructions: what people download and fill in."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FCE4D6")
    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index, value=column.title + (" *" if column.required else ""))
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.required:
            cell.fill = fill
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.text:
            for row in range(2, 502):
                ws.cell(row=row, column=index).number_format = "@"
    ws.freeze_panes = "A2"
    category_col = get_column_letter(_index("category"))
    categories = DataValidation(
        type="list", formula1='"' + ",".join(Category.labels) + '"', allow_blank=True
    )
    categories.add(f"{category_col}2:{category_col}501")
    yes_no = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    yes_no_col = get_column_letter(_index("especially_difficult"))
    yes_no.add(f"{yes_no_col}2:{yes_no_col}501")
    ws.add_data_validation(categories)
    ws.add_data_validation(yes_no)

    guide = wb.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    guide.append(["Mẫu nhập danh sách hộ gia đình – Quỹ “Vì người nghèo” phường"])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append(
        [
            "Điền mỗi hộ một dòng ở trang “Danh sách hộ”, bắt đầu từ dòng 2; không đổi tên "
            "các cột. Cột có dấu * là bắt buộc."
        ]
    )
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Cách ghi"])
    for cell in guide[4]:
        cell.font = bold
    for column in COLUMNS:
        guide.append([column.title, "Có" if column.required else "", column.help])
    guide.append([])
    for line in RULES:
        guide.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


RULES = (
    "Hộ trùng: cùng số CCCD, hoặc cùng họ tên chủ hộ (không phân biệt dấu, hoa thường), "
    "năm sinh và tổ. Hộ đã có trong danh sách được giữ nguyên, không ghi đè.",
    "Chỉ ghi khi mọi dòng đều hợp lệ: nếu một dòng có lỗi, không dòng nào được ghi.",
    "Nhập lại đúng tệp này lần nữa không làm thay đổi gì.",
    "Số CCCD là thông tin cá nhân nhạy cảm: chỉ cán bộ phường được xem; giữ tệp cẩn thận "
    "và xóa sau khi nhập.",
)


def _index(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)


# ---------------------------------------------------------------- reading a file


@dataclass
class ImportRow:
    line: int
    values: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    existing: Household | None = None

    @property
    def status(self) -> str:
        if self.errors:
            return "error"
        return "existing" if self.existing else "new"


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(r.errors for r in self.rows)

    @property
    def new_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.status == "new"]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def count_existing(self) -> int:
        return self.count("existing")

    @property
    def count_error(self) -> int:
        return self.count("error")


def read_file(content: bytes) -> ImportPreview:
    """The file's rows checked, writing nothing. The workbook is checked before it is
    parsed and read within the import deadline (lddh.ward.uploads)."""
    deadline = Deadline()
    try:
        check_workbook(content)
    except WorkbookRefused as refused:
        return ImportPreview([], [refused.message])
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        return ImportPreview([], ["Không đọc được tệp: hãy lưu lại dưới dạng Excel (.xlsx)."])
    try:
        ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
        raw_rows = list(itertools.islice(workbook_rows(ws, deadline=deadline), MAX_ROWS + 2))
    except WorkbookRefused as refused:
        return ImportPreview([], [refused.message])
    except Exception:  # openpyxl raises many kinds on a sheet damaged in the middle
        return ImportPreview([], ["Tệp Excel bị hỏng giữa chừng: không đọc hết được."])
    finally:
        wb.close()
    if not raw_rows:
        return ImportPreview([], ["Tệp trống: hãy dùng mẫu của phường."])
    header = [normalise(str(v or "").replace("*", "")) for v in raw_rows[0]]
    positions = {}
    for position, title in enumerate(header):
        if title in COLUMN_BY_TITLE:
            positions[COLUMN_BY_TITLE[title].key] = position
    missing = [c.title for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        return ImportPreview(
            [], ["Thiếu cột: " + ", ".join(missing) + ". Hãy dùng mẫu của phường."]
        )
    if len(raw_rows) > MAX_ROWS + 1:
        return ImportPreview([], [f"Tệp có quá {MAX_ROWS} dòng; hãy chia thành nhiều tệp."])
    groups = {g.number: g for g in ResidentialGroup.objects.all()}
    rows = []
    for line, raw in enumerate(raw_rows[1:], start=2):
        values = {key: raw[pos] if pos < len(raw) else None for key, pos in positions.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        rows.append(_check_row(ImportRow(line=line, values=values), groups))
    if not rows:
        return ImportPreview([], ["Tệp không có dòng dữ liệu nào (từ dòng 2)."])
    _check_duplicates(rows)
    return ImportPreview(rows)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(clean_input(str(value)).split())


def _year(value: Any, label: str, errors: list[str]) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        errors.append(f"{label} “{text[:20]}” không phải là năm (bốn chữ số).")
        return None
    return int(text)


def _choice(value: str, choices, label: str, errors: list[str], default=""):
    text = normalise(value)
    if not text:
        return default
    for code, name in choices:
        if text in (normalise(name), code):
            return code
    errors.append(f"{label} “{value}” không có trong danh sách cho phép.")
    return default


def _check_row(row: ImportRow, groups: dict[int, ResidentialGroup]) -> ImportRow:
    v, errors = row.values, row.errors
    group_text = _text(v.get("group"))
    digits = re.findall(r"[0-9]{1,3}", group_text)
    group = groups.get(int(digits[-1])) if digits else None
    if not group:
        errors.append(f"Không có tổ dân phố “{group_text}”." if group_text else "Thiếu tổ dân phố.")
    head_name = _text(v.get("head_name"))
    if not head_name:
        errors.append("Thiếu họ tên chủ hộ.")
    birth_year = _year(v.get("head_birth_year"), "Năm sinh", errors)
    if birth_year is None and _text(v.get("head_birth_year")) == "":
        errors.append("Thiếu năm sinh chủ hộ.")
    try:
        check_birth_year(birth_year)
    except ValidationError as exc:
        errors.extend(exc.messages)
    address = _text(v.get("address"))
    if not address:
        errors.append("Thiếu địa chỉ.")
    cccd = _cccd(v.get("head_cccd"), errors)
    category = _choice(_text(v.get("category")), Category.choices, "Phân loại", errors, "none")
    standard_text = normalise(_text(v.get("standard")))
    standard = ""
    if "351" in standard_text:
        standard = Standard.ND351_2025
    elif "07" in standard_text:
        standard = Standard.ND07_2021
    elif standard_text:
        errors.append(f"Chuẩn áp dụng “{_text(v.get('standard'))}” không rõ.")
    difficult_text = normalise(_text(v.get("especially_difficult")))
    if difficult_text not in YES | NO:
        errors.append("Cột “Hoàn cảnh đặc biệt khó khăn” chỉ ghi Có hoặc Không.")
    reasons = []
    for part in re.split(r"[;,\n]", _text(v.get("difficulty_reasons"))):
        if part.strip():
            reasons.append(_choice(part, DifficultyReason.choices, "Lý do", errors))
    income = None
    income_text = _text(v.get("income_per_person"))
    if income_text:
        try:
            income = parse_dong(income_text)
        except MoneyError as exc:
            errors.append(f"Thu nhập: {exc.message}.")
    decision_year = _year(v.get("decision_year"), "Năm quyết định", errors)
    classification = {
        "category": category,
        "decision_number": _text(v.get("decision_number")),
        "decision_year": decision_year,
        "standard": standard,
        "especially_difficult": difficult_text in YES,
        "difficulty_reasons": [r for r in reasons if r],
    }
    if not errors:
        try:
            classification = validate_classification(classification)
        except ValidationError as exc:
            errors.extend(exc.messages)
    row.data = {
        "group": group,
        "head_name": head_name,
        "head_birth_year": birth_year,
        "address": address,
        "head_cccd": cccd,
        "phone": _phone(v.get("phone"), errors),
        **classification,
        "circumstances": clean_input(str(v.get("circumstances") or "")).strip(),
        "income_per_person": income,
    }
    if not errors:
        match = find_duplicate(
            group=group, head_name=head_name, head_birth_year=birth_year, head_cccd=cccd
        )
        if match:
            field_name, household = match
            if field_name == "head_cccd" and normalise(household.head_name) != normalise(head_name):
                errors.append(
                    f"Số CCCD đã thuộc hộ khác trong danh sách (hồ sơ số {household.pk})."
                )
            else:
                row.existing = household
    return row


def _cccd(value: Any, errors: list[str]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        text = str(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # Excel stored it as a number and dropped the leading zeros: a CCCD has 12 digits.
        text = str(int(value)).zfill(12)
    else:
        text = "".join(str(value).split()).replace(".", "")
    if not (len(text) == 12 and text.isdigit()):
        errors.append(f"{MSG_CCCD[:-1]} (đang ghi “{_text(value)}”).")
        return ""
    return text


def _phone(value: Any, errors: list[str]) -> str:
    text = _text(value)
    if isinstance(value, int | float) and text.isdigit() and len(text) == 9:
        text = "0" + text  # Excel dropped the leading zero
    try:
        return check_phone(text)
    except ValueError as error:
        errors.append(str(error))
        return ""


def _check_duplicates(rows: list[ImportRow]) -> None:
    seen_cccd: dict[str, int] = {}
    seen_key: dict[tuple, int] = {}
    for row in rows:
        if row.errors:
            continue
        cccd = row.data["head_cccd"]
        key = (row.data["group"].pk, normalise(row.data["head_name"]), row.data["head_birth_year"])
        if cccd and cccd in seen_cccd:
            row.errors.append(f"Trùng số CCCD với dòng {seen_cccd[cccd]}.")
        elif key in seen_key:
            row.errors.append(f"Trùng hộ với dòng {seen_key[key]} (cùng họ tên, năm sinh, tổ).")
        if cccd:
            seen_cccd.setdefault(cccd, row.line)
        seen_key.setdefault(key, row.line)
        if row.errors:
            row.existing = None


__all__ = [
    "COLUMNS",
    "ImportPreview",
    "ImportRow",
    "duplicate_message",
    "read_file",
    "template_workbook",
]
