"""Map a bank's rows to statement lines through its BankLayout, and fingerprint them."""

from __future__ import annotations

import datetime
import hashlib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from donations.statements.files import FileRefused, is_filled
from lddh.ward.text import clean_input, normalise

HEADER_SCAN_ROWS = 30
MAX_ERRORS_SHOWN = 10
FALLBACK_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# No statement line moves a thousand trillion đồng; a longer number is a damaged cell
# (and would not fit the database's bigint).
MAX_STATEMENT_AMOUNT = 10**15 - 1
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ParsedLine:
    row: int  # 1-based row number in the file, for messages
    date: datetime.date
    reference: str
    credit: int
    debit: int
    balance: int | None
    description: str


class Layout:
    """The fields of a BankLayout the parser needs (a plain object, testable alone)."""

    FIELDS = ("date", "reference", "credit", "debit", "balance", "description")
    REQUIRED = ("date", "credit", "description")
    LABELS = {
        "date": "ngày",
        "reference": "số tham chiếu",
        "credit": "ghi có",
        "debit": "ghi nợ",
        "balance": "số dư",
        "description": "nội dung",
    }

    def __init__(self, layout) -> None:
        self.name = layout.name
        self.header_row = layout.header_row
        self.columns = {f: getattr(layout, f"{f}_column", "") or "" for f in self.FIELDS}
        self.date_format = layout.date_format or "%d/%m/%Y"
        self.thousands = layout.thousands_separator
        self.decimal = "." if self.thousands == "," else ","


def _find_header(rows: Sequence[list], layout: Layout) -> tuple[int, dict[str, int]]:
    wanted = {f: normalise(name) for f, name in layout.columns.items() if name.strip()}

    def positions(row: list) -> dict[str, int]:
        keys = [normalise(str(cell)) for cell in row]
        found = {}
        for field, key in wanted.items():
            if key in keys:
                found[field] = keys.index(key)
        return found

    hint = layout.header_row - 1
    candidates = [hint] if 0 <= hint < len(rows) else []
    candidates += [i for i in range(min(HEADER_SCAN_ROWS, len(rows))) if i != hint]
    # The optional columns (reference, debit, balance) are read when the file has them.
    required = [f for f in Layout.REQUIRED if f in wanted]
    best: dict[str, int] = {}
    for index in candidates:
        found = positions(rows[index])
        if all(f in found for f in required):
            return index, found
        if len(found) > len(best):
            best = found
    missing = [layout.columns[f] for f in required if f not in best]
    raise FileRefused(
        f"Tệp không khớp mẫu “{layout.name}”: không tìm thấy cột "
        + ", ".join(f"“{name}”" for name in missing)
        + ". Hãy chọn đúng mẫu sao kê của ngân hàng, hoặc kiểm tra dòng tiêu đề của tệp."
    )


def parse_amount(value: object, layout: Layout) -> int:
    """Whole đồng from a cell: 1.500.000 / 1,500,000.00 / 1500000 / a number cell."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return _within_limit(value)
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise ValueError(value)
        return _within_limit(int(value))
    text = str(value).strip().replace("\u00a0", " ").replace("VND", "").replace("đ", "")
    text = text.strip()
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-()+ ")
    if layout.thousands:
        text = text.replace(layout.thousands, "")
    text = text.replace(" ", "")
    if layout.decimal in text:
        whole, _, fraction = text.partition(layout.decimal)
        if fraction.strip("0"):
            raise ValueError(value)
        text = whole
    if not text:
        return 0
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_STATEMENT_AMOUNT)):
        raise ValueError(value)
    number = _within_limit(int(text))
    return -number if negative else number


def _within_limit(number: int) -> int:
    if abs(number) > MAX_STATEMENT_AMOUNT:
        raise ValueError(number)
    return number


def parse_date(value: object, layout: Layout) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        raise ValueError(value)
    formats = (layout.date_format, *FALLBACK_DATE_FORMATS)
    for candidate in (text, text.split()[0]):
        for fmt in formats:
            try:
                return datetime.datetime.strptime(candidate, fmt).date()
            except ValueError:
                continue
    raise ValueError(value)


def _text(value: object) -> str:
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        value = int(value)  # a reference typed as a number in Excel
    return clean_input(str(value)).strip()


def parse_statement(rows: Sequence[list], bank_layout) -> list[ParsedLine]:
    """Every money line of the statement. Rows with neither date nor amount (titles,
    totals, opening balance) are skipped; a line with a date or an amount that cannot
    be read refuses the whole file, naming the rows."""
    layout = Layout(bank_layout)
    header_index, columns = _find_header(rows, layout)
    lines: list[ParsedLine] = []
    errors: list[str] = []
    dates: dict[str, datetime.date] = {}

    def cell(row: list, field: str) -> object:
        position = columns.get(field)
        if position is None or position >= len(row):
            return ""
        return row[position]

    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if not is_filled(row):
            continue
        number = index + 1
        raw_date = cell(row, "date")
        try:
            credit = parse_amount(cell(row, "credit"), layout)
            debit = parse_amount(cell(row, "debit"), layout)
        except ValueError:
            errors.append(f"dòng {number}: số tiền không đọc được")
            continue
        if credit < 0:  # one signed amount column
            credit, debit = 0, debit - credit
        if debit < 0:
            credit, debit = credit - debit, 0
        if str(raw_date).strip() == "" or (credit == 0 and debit == 0):
            continue  # a title, a total or an opening balance
        try:
            # A statement has a few hundred distinct dates for thousands of lines.
            date = dates.get(raw_date) if isinstance(raw_date, str) else None
            if date is None:
                date = parse_date(raw_date, layout)
                if isinstance(raw_date, str):
                    dates[raw_date] = date
        except ValueError:
            errors.append(f"dòng {number}: ngày “{raw_date}” không đọc được")
            continue
        if credit and debit:
            errors.append(f"dòng {number}: có cả ghi có và ghi nợ")
            continue
        balance_cell = cell(row, "balance")
        try:
            balance = parse_amount(balance_cell, layout) if str(balance_cell).strip() else None
        except ValueError:
            errors.append(f"dòng {number}: số dư không đọc được")
            continue
        lines.append(
            ParsedLine(
                row=number,
                date=date,
                reference=_text(cell(row, "reference"))[:100],
                credit=credit,
                debit=debit,
                balance=balance,
                description=_SPACES.sub(" ", str(cell(row, "description"))).strip(),
            )
        )
    if errors:
        shown = "; ".join(errors[:MAX_ERRORS_SHOWN])
        more = f" và {len(errors) - MAX_ERRORS_SHOWN} dòng khác" if len(errors) > 10 else ""
        raise FileRefused(f"Không nhập tệp: {shown}{more}. Chưa có dòng nào được lưu.")
    if not lines:
        raise FileRefused(
            "Tệp có dòng tiêu đề nhưng không có giao dịch nào (không có dòng nào có ngày và "
            "số tiền)."
        )
    return lines


def fingerprints(lines: Sequence[ParsedLine]) -> list[str]:
    """A key per line, the same however often or in whichever overlapping file the line
    comes again: the bank's reference when there is one; otherwise date, amounts,
    balance and description, plus the occurrence number of that same tuple in the file
    (two identical transfers on one day stay two lines)."""
    seen: Counter = Counter()
    keys = []
    for line in lines:
        if line.reference:
            material = f"ref|{line.reference}|{line.credit}|{line.debit}"
        else:
            base = (
                f"{line.date.isoformat()}|{line.credit}|{line.debit}|"
                f"{'' if line.balance is None else line.balance}|{line.description}"
            )
            seen[base] += 1
            material = f"row|{base}|{seen[base]}"
        keys.append(hashlib.sha256(material.encode("utf-8")).hexdigest())
    return keys
