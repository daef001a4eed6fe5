"""Propose a statement layout from the cells of a file, and check a layout against it.

The proposal names the header row, which real header cell holds each field, the date
format and the separators. It is checked against the file itself: each line's balance
must follow from the previous one (previous balance + credit − debit, in either order of
time), and amounts below 1.000 đ are counted, since a wrong thousands separator turns
50.000 đ into 50 đ. Header names are compared without diacritics or case
(lddh.ward.text.normalise). Nothing here writes; the person confirms or corrects."""

from __future__ import annotations

import datetime
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from donations.statements.parse import Layout, parse_amount
from lddh.ward.text import normalise

HEADER_SCAN_ROWS = 30
SMALL_AMOUNT = 1_000
MAX_PROBLEMS_SHOWN = 10
FIELDS = Layout.FIELDS
FIELD_LABELS = {
    "date": "Ngày",
    "reference": "Số tham chiếu",
    "transaction_id": "Mã giao dịch duy nhất",
    "credit": "Ghi có (tiền vào)",
    "debit": "Ghi nợ (tiền ra)",
    "direction": "Cột Nợ/Có",
    "balance": "Số dư",
    "description": "Nội dung",
}
DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%y",
)
SEPARATORS = ((".", ","), (",", "."), (" ", ","), ("", ","))
"""(thousands, decimal) pairs tried, Vietnamese usage first."""

# Phrases that name a field, most specific first; a field takes the first header cell
# that holds one of its phrases as whole words. Fields are taken in this order, so
# "Số dư" is a balance before anything else reads "dư", and "Nợ/Có" is a direction
# before it is a debit.
_PHRASES = {
    "direction": ("no/co", "no / co", "co/no", "dr/cr", "cr/dr", "d/c", "c/d", "chieu giao dich"),
    "balance": ("so du", "balance"),
    "credit": ("ghi co", "phat sinh co", "so tien co", "tien vao", "credit", "co"),
    "debit": ("ghi no", "phat sinh no", "so tien no", "tien ra", "debit", "no"),
    "transaction_id": ("so giao dich", "ma giao dich", "transaction number", "transaction id"),
    "reference": (
        "so tham chieu",
        "tham chieu",
        "so but toan",
        "so chung tu",
        "so ct",
        "ma gd",
        "ref",
        "reference",
        "doc no",
    ),
    "description": ("mo ta", "noi dung", "dien giai", "description", "chi tiet", "narrative"),
    "date": (
        "ngay hach toan",
        "posting date",
        "accounting date",
        "ngay giao dich",
        "ngay gd",
        "ngay hieu luc",
        "effective date",
        "transaction date",
        "ngay",
        "date",
    ),
    "amount": ("so tien", "amount"),
}
_DIRECTION_OUT = {"d", "dr", "no", "n", "-", "debit", "chi"}
_DIRECTION_IN = {"c", "cr", "co", "+", "credit", "thu"}


def cell_text(value: object) -> str:
    """A header cell as one line of text (line breaks and runs of spaces folded)."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        value = int(value)
    return " ".join(str(value).split())


def _has_phrase(key: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w/]){re.escape(phrase)}(?![\w/])", key) is not None


def guess_columns(header: Sequence[object]) -> dict[str, str]:
    """Field → header text, from the names of a header row's cells."""
    keys = [(cell_text(cell), normalise(cell_text(cell))) for cell in header]
    taken: set[int] = set()
    found: dict[str, str] = {}
    for field_name, phrases in _PHRASES.items():
        for phrase in phrases:
            hit = next(
                (
                    i
                    for i, (text, key) in enumerate(keys)
                    if text and i not in taken and _has_phrase(key, phrase)
                ),
                None,
            )
            if hit is not None:
                taken.add(hit)
                found[field_name] = keys[hit][0]
                break
    if "amount" in found:
        amount = found.pop("amount")
        if "credit" not in found:
            found["credit"] = amount  # one amount column, signed or with a direction
    if "direction" in found and "debit" in found and "credit" not in found:
        found["credit"] = found.pop("debit")
    return found


def find_header_row(rows: Sequence[Sequence[object]]) -> int | None:
    """The 0-based index of the row that names the most fields (date and an amount at
    least), among the first rows."""
    best, best_score = None, 2
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = guess_columns(row)
        if "date" not in columns or "credit" not in columns:
            continue
        score = len(columns)
        if score > best_score:
            best, best_score = index, score
    return best


# --------------------------------------------------------------------------- reading


def read_amount(value: object, thousands: str, decimal: str) -> int:
    """Whole đồng from a cell, or ValueError: the import's own reading
    (donations.statements.parse.parse_amount), so a proposal the check accepts is one the
    import reads the same way."""
    return parse_amount(value, Layout(thousands=thousands, decimal=decimal))


def read_date(value: object, date_format: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        raise ValueError(value)
    for candidate in (text, text.split()[0]):
        try:
            return datetime.datetime.strptime(candidate, date_format).date()
        except ValueError:
            continue
    raise ValueError(value)


def guess_date_format(cells: Iterable[object]) -> str:
    """The format that reads the most of these cells (the whole cell first, then its
    first word: some banks put the reference under the date in one cell)."""
    texts = [str(c).strip() for c in cells if c not in (None, "") and isinstance(c, str)]
    if not texts:
        return DATE_FORMATS[0]
    for pick in (lambda t: t, lambda t: t.split()[0]):
        scores = []
        for fmt in DATE_FORMATS:
            count = 0
            for text in texts:
                try:
                    datetime.datetime.strptime(pick(text), fmt)
                    count += 1
                except ValueError:
                    pass
            scores.append((count, -DATE_FORMATS.index(fmt), fmt))
        count, _, fmt = max(scores)
        if count:
            return fmt
    return DATE_FORMATS[0]


@dataclass
class Check:
    """What a layout reads from a file, and how well the lines agree with themselves."""

    lines: int = 0
    credit_sum: int = 0
    debit_sum: int = 0
    balance_pairs: int = 0
    balance_ok: int = 0
    order: str = ""  # "asc": oldest first; "desc": newest first
    small: list[int] = field(default_factory=list)  # rows with an amount below 1.000 đ
    problems: list[str] = field(default_factory=list)
    has_balance: bool = False

    @property
    def ok(self) -> bool:
        return (
            self.lines > 0
            and not self.problems
            and not self.small
            and self.balance_ok == self.balance_pairs
        )

    @property
    def messages(self) -> list[str]:
        out = [f"{self.lines} dòng giao dịch đọc được (có ngày và số tiền)."]
        if self.has_balance and self.balance_pairs:
            order = "cũ trước, mới sau" if self.order == "asc" else "mới nhất trước"
            out.append(
                f"{self.balance_ok}/{self.balance_pairs} dòng khớp số dư (số dư dòng trước "
                f"+ ghi có − ghi nợ = số dư; thứ tự {order})."
            )
        elif not self.has_balance:
            out.append("Không có cột số dư: không kiểm được các dòng bằng số dư.")
        if self.small:
            rows = ", ".join(str(r) for r in self.small[:MAX_PROBLEMS_SHOWN])
            out.append(
                f"{len(self.small)} số tiền dưới 1.000 đ (dòng {rows}): có thể sai dấu tách "
                "hàng nghìn."
            )
        out.extend(self.problems[:MAX_PROBLEMS_SHOWN])
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            out.append(f"… và {len(self.problems) - MAX_PROBLEMS_SHOWN} dòng khác không đọc được.")
        return out


def _direction(value: object) -> int:
    key = normalise(cell_text(value))
    if key in _DIRECTION_IN:
        return 1
    if key in _DIRECTION_OUT:
        return -1
    raise ValueError(value)


def check_layout(
    rows: Sequence[Sequence[object]],
    *,
    header_row: int,
    columns: dict[str, str],
    date_format: str,
    thousands: str,
    decimal: str,
) -> Check:
    """Read the rows under the 1-based header row with these settings. A row whose date
    cell does not read as a date is not a line (a title, a total, a balance row); a row
    with a date whose amounts do not read is a problem, named by its row number."""
    check = Check()
    index = header_row - 1
    if not 0 <= index < len(rows):
        check.problems.append(f"Dòng tiêu đề {header_row} không có trong tệp.")
        return check
    keys = [normalise(cell_text(c)) for c in rows[index]]
    positions: dict[str, int] = {}
    for field_name, name in columns.items():
        if not name:
            continue
        key = normalise(name)
        if key not in keys:
            check.problems.append(f"Dòng {header_row} không có cột “{name}”.")
            continue
        positions[field_name] = keys.index(key)
    for needed in ("date", "credit"):
        if needed not in positions:
            if needed not in columns or not columns.get(needed):
                check.problems.append(f"Chưa chọn cột {FIELD_LABELS[needed].lower()}.")
            return check
    check.has_balance = "balance" in positions

    def cell(row, name):
        at = positions.get(name)
        return row[at] if at is not None and at < len(row) else ""

    lines: list[tuple[int, int, int, int | None]] = []  # row, credit, debit, balance
    for number, row in enumerate(rows[index + 1 :], start=index + 2):
        raw_date = cell(row, "date")
        if raw_date in (None, ""):
            continue
        try:
            read_date(raw_date, date_format)
        except ValueError:
            continue  # not a transaction line
        try:
            credit = read_amount(cell(row, "credit"), thousands, decimal)
            debit = read_amount(cell(row, "debit"), thousands, decimal)
            if "direction" in positions and _direction(cell(row, "direction")) < 0:
                credit, debit = 0, abs(credit)
            if credit < 0:
                credit, debit = 0, debit - credit
            raw_balance = cell(row, "balance")
            balance = (
                read_amount(raw_balance, thousands, decimal) if str(raw_balance).strip() else None
            )
        except ValueError:
            check.problems.append(f"Dòng {number}: số tiền không đọc được.")
            continue
        if credit == 0 and debit == 0:
            continue
        if 0 < credit < SMALL_AMOUNT or 0 < debit < SMALL_AMOUNT:
            check.small.append(number)
        lines.append((number, credit, debit, balance))
    check.lines = len(lines)
    check.credit_sum = sum(x[1] for x in lines)
    check.debit_sum = sum(x[2] for x in lines)
    if check.has_balance and len(lines) > 1:
        pairs = list(itertools.pairwise(lines))
        rising = sum(1 for a, b in pairs if None not in (a[3], b[3]) and a[3] + b[1] - b[2] == b[3])
        falling = sum(
            1 for a, b in pairs if None not in (a[3], b[3]) and b[3] + a[1] - a[2] == a[3]
        )
        check.balance_pairs = len(pairs)
        check.order = "asc" if rising >= falling else "desc"
        check.balance_ok = max(rising, falling)
    elif lines:
        check.order = "asc"
    return check


@dataclass
class Proposal:
    header_row: int | None  # 1-based; None when no row names a date and an amount
    headers: list[str]
    columns: dict[str, str]
    date_format: str
    thousands: str
    decimal: str
    check: Check

    @property
    def messages(self) -> list[str]:
        if self.header_row is None:
            return [
                "Không tìm thấy dòng tiêu đề (một dòng có tên cột ngày và số tiền) trong "
                f"{HEADER_SCAN_ROWS} dòng đầu. Hãy chọn dòng tiêu đề và các cột."
            ]
        return [f"Dòng tiêu đề: dòng {self.header_row}.", *self.check.messages]


def _score(check: Check) -> tuple:
    return (
        -len(check.problems),
        check.balance_ok,
        -len(check.small),
        check.lines,
    )


def propose_layout(rows: Sequence[Sequence[object]]) -> Proposal:
    """The best reading of the file: header row and columns by name, then the date
    format that reads the date cells and the separators under which the most lines read,
    the balances agree and the fewest amounts fall below 1.000 đ."""
    index = find_header_row(rows)
    if index is None:
        return Proposal(None, [], {}, DATE_FORMATS[0], ".", ",", Check())
    header = rows[index]
    headers = [cell_text(c) for c in header if cell_text(c)]
    columns = guess_columns(header)
    keys = [normalise(cell_text(c)) for c in header]
    date_at = keys.index(normalise(columns["date"]))
    date_format = guess_date_format(row[date_at] for row in rows[index + 1 :] if date_at < len(row))
    money_at = [
        keys.index(normalise(columns[name]))
        for name in ("credit", "debit", "balance")
        if name in columns
    ]
    money_texts = [
        row[at]
        for row in rows[index + 1 :]
        for at in money_at
        if at < len(row) and isinstance(row[at], str)
    ]
    best: tuple | None = None
    for thousands, decimal in SEPARATORS:
        check = check_layout(
            rows,
            header_row=index + 1,
            columns=columns,
            date_format=date_format,
            thousands=thousands,
            decimal=decimal,
        )
        # Among equal readings, the separator the amounts actually carry.
        score = (*_score(check), sum(bool(thousands) and thousands in t for t in money_texts))
        if best is None or score > best[3]:
            best = (thousands, decimal, check, score)
    thousands, decimal, check, _ = best
    return Proposal(index + 1, headers, columns, date_format, thousands, decimal, check)


def layout_settings(layout) -> dict:
    """check_layout's keyword arguments for a BankLayout."""
    thousands = layout.thousands_separator
    decimal = layout.decimal_separator or ("." if thousands == "," else ",")
    return {
        "header_row": layout.header_row,
        "columns": {name: getattr(layout, f"{name}_column", "") or "" for name in FIELDS},
        "date_format": layout.date_format or DATE_FORMATS[0],
        "thousands": thousands,
        "decimal": decimal,
    }


def locate_header(rows: Sequence[Sequence[object]], layout) -> int | None:
    """The 1-based row that holds the layout's date, credit and description columns:
    its own header row first, then any of the first rows."""
    wanted = [
        normalise(getattr(layout, f"{name}_column", "") or "")
        for name in ("date", "credit", "description")
    ]
    hint = layout.header_row - 1
    order = [hint, *(i for i in range(min(HEADER_SCAN_ROWS, len(rows))) if i != hint)]
    for index in order:
        if 0 <= index < len(rows):
            keys = {normalise(cell_text(c)) for c in rows[index]}
            if all(key in keys for key in wanted if key):
                return index + 1
    return None


def matching_presets(rows: Sequence[Sequence[object]], layouts=None) -> list:
    """The layouts (by default the active presets) that read this file: their columns
    are in one of its first rows, every dated line's amounts read, and the balances
    agree."""
    if layouts is None:
        from donations.models import BankLayout

        layouts = BankLayout.objects.filter(preset=True, active=True)
    found = []
    for layout in layouts:
        header_row = locate_header(rows, layout)
        if header_row is None:
            continue
        settings = layout_settings(layout) | {"header_row": header_row}
        if check_layout(rows, **settings).ok:
            found.append(layout)
    return found
