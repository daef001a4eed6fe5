"""Read a bank's rows as statement lines through a layout, account for every row, and
prove the file by its balance.

Every row of a file ends as exactly one of: a transaction line (``ParsedLine``), or a
row that is not a transaction (``SkippedRow``: the rows before the header, the header
and its repetitions, blank rows, totals, balances, footers), each with its reason. A row
that looks like a transaction but cannot be read refuses the whole file, naming it.

Where the file has a balance column, each line is checked: previous balance + credit −
debit = this balance (in the file's order, oldest first or newest first). A place where
it does not hold is a ``BalanceBreak``: money moved on the account with no line for it.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from donations.statements.files import FileRefused, Row
from lddh.ward.text import clean_input, normalise

HEADER_SCAN_ROWS = 30
MAX_ERRORS_SHOWN = 10
ORDER_SAMPLE = 64
FALLBACK_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%d/%m/%y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
)
# No statement line moves a thousand trillion đồng; a longer number is a damaged cell
# (and would not fit the database's bigint).
MAX_STATEMENT_AMOUNT = 10**15 - 1
_SPACES = re.compile(r"\s+")
_CURRENCY = re.compile(r"(?i)\s*(vnd|vnđ|đồng|đ|₫)\s*")
CREDIT_WORDS = frozenset({"c", "cr", "co", "credit", "+", "ghi co", "thu"})
DEBIT_WORDS = frozenset({"d", "dr", "no", "debit", "-", "ghi no", "chi"})
TOTAL_WORDS = ("tong", "cong")


@dataclass(slots=True)
class ParsedLine:
    row: int  # 1-based row number in the file, for messages
    date: datetime.date
    reference: str
    credit: int
    debit: int
    balance: int | None
    description: str
    transaction_id: str = ""
    raw: str = ""


@dataclass(slots=True)
class SkippedRow:
    row: int
    reason: str
    raw: str


@dataclass(frozen=True, slots=True)
class BalanceBreak:
    """The balance of ``row`` is not what the line before it (``row_before``) and its
    own amounts give. ``amount`` is the money that moved with no line for it (positive:
    more came in than the lines show). ``kind`` is 'balance', or 'total' when the file's
    own total row disagrees with its lines."""

    row_before: int | None
    row: int
    date: datetime.date | None
    expected: int
    found: int
    kind: str = "balance"

    @property
    def amount(self) -> int:
        return self.found - self.expected

    def message(self) -> str:
        dong = money_text
        if self.kind in ("dau", "cuoi"):
            name = "đầu kỳ" if self.kind == "dau" else "cuối kỳ"
            stated, reached = (
                (self.expected, self.found) if self.kind == "dau" else (self.found, self.expected)
            )
            return (
                f"Dòng {self.row}: số dư {name} của tệp là {dong(stated)}, các dòng giao dịch "
                f"cho {dong(reached)} — có {dong(abs(self.amount))} tiền "
                f"{'vào' if self.amount > 0 else 'ra'} không có dòng nào trong tệp."
            )
        if self.kind == "total":
            return (
                f"Dòng {self.row} (dòng cộng của tệp) ghi {dong(self.found)}, các dòng giao "
                f"dịch cộng lại {dong(self.expected)}: chênh {dong(abs(self.amount))}."
            )
        before = f"sau dòng {self.row_before} " if self.row_before else ""
        way = "vào" if self.amount > 0 else "ra"
        return (
            f"Dòng {self.row}: số dư {dong(self.found)}, đúng ra {before}là "
            f"{dong(self.expected)} — có {dong(abs(self.amount))} tiền {way} không có dòng "
            "nào trong tệp."
        )


@dataclass
class ParseResult:
    """A whole file read: its lines, its other rows and its summary."""

    lines: list[ParsedLine] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    summary: Summary | None = None

    def __getattr__(self, name):
        """The summary's figures read from the result itself (result.breaks)."""
        if name in ("lines", "skipped", "summary"):
            raise AttributeError(name)
        return getattr(self.summary, name)


@dataclass
class Summary:
    """What a whole file held, known once it has been read."""

    row_count: int = 0
    line_count: int = 0
    skipped_count: int = 0
    repeated_headers: int = 0
    credit_sum: int = 0
    debit_sum: int = 0
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None
    has_balance: bool = False
    descending: bool = False
    opening_balance: int | None = None
    closing_balance: int | None = None
    breaks: list[BalanceBreak] = field(default_factory=list)
    total_row: int | None = None
    header_row: int = 0


class Layout:
    """The fields of a BankLayout the parser needs (a plain object, testable alone)."""

    FIELDS = (
        "date",
        "reference",
        "transaction_id",
        "credit",
        "debit",
        "direction",
        "balance",
        "description",
    )
    REQUIRED = ("date", "credit", "description")
    LABELS = {
        "date": "ngày",
        "reference": "số tham chiếu",
        "transaction_id": "mã giao dịch",
        "credit": "ghi có",
        "debit": "ghi nợ",
        "direction": "Nợ/Có",
        "balance": "số dư",
        "description": "nội dung",
    }

    def __init__(
        self,
        *,
        name: str = "",
        header_row: int = 1,
        columns: dict[str, str] | None = None,
        date_format: str = "%d/%m/%Y",
        thousands: str = ".",
        decimal: str = "",
        delimiter: str = "",
    ) -> None:
        self.name = name
        self.header_row = header_row
        self.columns = {f: (columns or {}).get(f, "") or "" for f in self.FIELDS}
        self.date_format = date_format or "%d/%m/%Y"
        self.thousands = thousands
        self.decimal = decimal or ("." if thousands == "," else ",")
        self.delimiter = delimiter

    @classmethod
    def from_model(cls, layout) -> Layout:
        if isinstance(layout, Layout):
            return layout
        return cls(
            name=layout.name,
            header_row=layout.header_row,
            columns={f: getattr(layout, f"{f}_column", "") or "" for f in cls.FIELDS},
            date_format=layout.date_format,
            thousands=layout.thousands_separator,
            decimal=getattr(layout, "decimal_separator", ""),
            delimiter=getattr(layout, "csv_delimiter", ""),
        )


def _as_row(index: int, item) -> Row:
    if isinstance(item, Row):
        return item
    cells = list(item)
    return Row(index + 1, cells, "\t".join("" if c is None else str(c) for c in cells))


def _filled(cells: list) -> bool:
    return any(str(cell).strip() for cell in cells if cell is not None)


# --------------------------------------------------------------------------- cells


def _separator_name(sep: str) -> str:
    return {".": "dấu chấm", ",": "dấu phẩy", " ": "dấu cách", "": "không có dấu"}[sep]


def parse_amount(value: object, layout: Layout) -> int:
    """Whole đồng from a cell: 1.500.000 / 1,500,000.00 / 1500000 / a number cell.

    A number whose separators do not fit the layout is refused, never read as another
    number: with thousands '.', "50,000" (three digits after the decimal comma) and
    "1,500,000.00" are errors, not 50 đ or 1 đ."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError("không phải số")
    if isinstance(value, int):
        return _within_limit(value)
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise ValueError("có phần lẻ dưới một đồng")
        return _within_limit(int(value))
    text = str(value).replace("\u00a0", " ").replace("\u202f", " ").strip()
    text = _CURRENCY.sub("", text).strip()
    negative = (
        text.startswith("-") or text.endswith("-") or (text.startswith("(") and text.endswith(")"))
    )
    text = text.strip("-()+ ")
    if not text:
        return 0
    whole, fraction = text, ""
    if layout.decimal and layout.decimal in text:
        whole, _, fraction = text.rpartition(layout.decimal)
        if len(fraction) == 3 and fraction.isdigit():
            raise ValueError(
                f"có vẻ dùng {_separator_name(layout.decimal)} để tách hàng nghìn, nhưng mẫu "
                f"đặt {_separator_name(layout.thousands)}"
            )
        if not fraction.isdigit() or layout.decimal in whole:
            raise ValueError(
                f"có vẻ dùng {_separator_name(layout.decimal)} để tách hàng nghìn, nhưng mẫu "
                f"đặt {_separator_name(layout.thousands)}"
            )
        if fraction.strip("0"):
            raise ValueError("có phần lẻ dưới một đồng")
    if layout.thousands and layout.thousands in whole:
        groups = whole.split(layout.thousands)
        if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
            raise ValueError(
                f"các nhóm số không đúng cách tách hàng nghìn bằng "
                f"{_separator_name(layout.thousands)}"
            )
        whole = "".join(groups)
    if layout.thousands != " ":
        whole = whole.replace(" ", "") if whole.replace(" ", "").isdigit() else whole
    if not (whole.isascii() and whole.isdigit()):
        other = {".", ","} - {layout.thousands, layout.decimal}
        if any(sep in whole for sep in other | {".", ","}):
            raise ValueError(
                f"có dấu tách khác mẫu (mẫu đặt {_separator_name(layout.thousands)} tách "
                "hàng nghìn)"
            )
        raise ValueError("không phải số")
    if len(whole) > len(str(MAX_STATEMENT_AMOUNT)):
        raise ValueError("quá lớn")
    number = _within_limit(int(whole))
    return -number if negative else number


def _within_limit(number: int) -> int:
    if abs(number) > MAX_STATEMENT_AMOUNT:
        raise ValueError("quá lớn")
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


def money_text(value: int) -> str:
    """1.500.000 đ, as the import's messages write amounts."""
    return f"{value:,}".replace(",", ".") + " đ"


# --------------------------------------------------------------------------- header


def _find_header(rows: list[Row], layout: Layout) -> tuple[int, dict[str, int]]:
    wanted = {f: normalise(name) for f, name in layout.columns.items() if name.strip()}

    def positions(row: Row) -> dict[str, int]:
        keys = [normalise(str(cell)) for cell in row.cells]
        found = {}
        for field_name, key in wanted.items():
            if key in keys:
                found[field_name] = keys.index(key)
        return found

    hint = layout.header_row - 1
    candidates = [hint] if 0 <= hint < len(rows) else []
    candidates += [i for i in range(min(HEADER_SCAN_ROWS, len(rows))) if i != hint]
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
        + ". Hãy chọn đúng mẫu sao kê của ngân hàng, hoặc tạo mẫu mới từ chính tệp này."
    )


# --------------------------------------------------------------------------- balance


class _Chain:
    """Checks previous balance + credit − debit = balance line by line. The file's order
    (oldest first or newest first) is decided on its first lines with a balance."""

    def __init__(self, summary: Summary):
        self.summary = summary
        self.pending: list[tuple] = []
        self.descending: bool | None = None
        self.carry: int | None = None  # the balance the next line must show
        self.carry_row: int | None = None
        self.base: int | None = None  # newest first: the balance of the line above
        self.first_seen = False

    def add(self, row: int, date, credit: int, debit: int, balance: int | None) -> None:
        if self.descending is None:
            self.pending.append((row, date, credit, debit, balance))
            if sum(1 for p in self.pending if p[4] is not None) >= ORDER_SAMPLE:
                self._decide()
            return
        self._check(row, date, credit, debit, balance)

    def _decide(self) -> None:
        points = [p for p in self.pending if p[4] is not None]
        up = down = 0
        for p, q in itertools.pairwise(points):
            up += q[4] == p[4] + q[2] - q[3]
            down += p[4] == q[4] + p[2] - p[3]
        self.descending = down > up
        if up == down and len(points) >= 2:
            # A single line per day or no movement: the dates tell.
            self.descending = points[0][1] > points[-1][1]
        self.summary.descending = self.descending
        pending, self.pending = self.pending, []
        for point in pending:
            self._check(*point)

    def _check(self, row: int, date, credit: int, debit: int, balance: int | None) -> None:
        summary = self.summary
        if not self.descending:
            if not self.first_seen:
                self.first_seen = True
                if balance is not None and summary.opening_balance is None:
                    summary.opening_balance = balance - credit + debit
                if summary.opening_balance is not None:
                    self.carry = summary.opening_balance
            if self.carry is not None:
                expected = self.carry + credit - debit
                if balance is not None and balance != expected:
                    summary.breaks.append(
                        BalanceBreak(self.carry_row, row, date, expected=expected, found=balance)
                    )
                self.carry = balance if balance is not None else expected
            elif balance is not None:
                self.carry = balance
            self.carry_row = row
            if self.carry is not None:
                summary.closing_balance = self.carry
            return
        # Newest first: this line's balance must be the balance before the line above.
        if not self.first_seen:
            self.first_seen = True
            if balance is not None and summary.closing_balance is None:
                summary.closing_balance = balance
        if self.carry is not None and balance is not None and balance != self.carry:
            # In time order the break lies between this line and the one above it: the
            # line above should show this balance plus its own movement.
            summary.breaks.append(
                BalanceBreak(
                    row,
                    self.carry_row or row,
                    date,
                    expected=balance + self.base - self.carry,
                    found=self.base,
                )
            )
        base = balance if balance is not None else self.carry
        self.base = base
        self.carry = None if base is None else base - credit + debit
        self.carry_row = row
        if self.carry is not None:
            summary.opening_balance = self.carry

    def finish(self) -> None:
        if self.descending is None:
            self._decide()


# --------------------------------------------------------------------------- rows


class StatementReader:
    """Reads rows one by one (``read``) and yields a ParsedLine or a SkippedRow for each;
    ``summary`` holds the file's counts, sums, balances and breaks once the rows are
    exhausted. Errors are collected, and the file refused at the end, naming the rows."""

    def __init__(self, layout) -> None:
        self.layout = Layout.from_model(layout)
        self.summary = Summary()
        self.errors: list[str] = []
        self.error_count = 0
        self._dates: dict[str, datetime.date] = {}
        self._chain = _Chain(self.summary)
        self._header_keys: list[str] = []
        self._totals: list[tuple[int, int, int]] = []
        self._stated: list[tuple[int, str, int]] = []  # opening/closing balance rows
        self._last_line_row = 0

    # The parts of a row -----------------------------------------------------------

    def _cell(self, row: Row, name: str) -> object:
        position = self.columns.get(name)
        if position is None or position >= len(row.cells):
            return ""
        value = row.cells[position]
        return "" if value is None else value

    def _error(self, row: int, text: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_SHOWN:
            self.errors.append(f"dòng {row}: {text}")

    def _date(self, raw: object) -> datetime.date:
        if isinstance(raw, str):
            found = self._dates.get(raw)
            if found is None:
                found = parse_date(raw, self.layout)
                self._dates[raw] = found
            return found
        return parse_date(raw, self.layout)

    # Reading ----------------------------------------------------------------------

    def read(self, rows: Iterable) -> Iterator[ParsedLine | SkippedRow]:
        iterator = (_as_row(i, item) for i, item in enumerate(rows))
        head: list[Row] = []
        for row in iterator:
            head.append(row)
            if len(head) >= HEADER_SCAN_ROWS:
                break
        if not any(_filled(row.cells) for row in head):
            raise FileRefused("Tệp không có dòng dữ liệu nào.")
        index, self.columns = _find_header(head, self.layout)
        header = head[index]
        self.summary.header_row = header.number
        self._header_keys = [normalise(str(c)) for c in header.cells]
        self._width = len(header.cells)
        for row in head[:index]:
            yield self._skip(row, "dòng trước tiêu đề (tên ngân hàng, tài khoản, kỳ sao kê)")
        yield self._skip(row=header, reason="dòng tiêu đề")
        last: Row | None = None
        for row in head[index + 1 :]:
            last = row
            yield from self._row(row)
        for row in iterator:
            last = row
            yield from self._row(row)
        self._finish(last)

    def _skip(self, row: Row, reason: str) -> SkippedRow:
        self.summary.row_count += 1
        self.summary.skipped_count += 1
        return SkippedRow(row.number, reason, row.raw)

    def _row(self, row: Row) -> Iterator[ParsedLine | SkippedRow]:
        summary = self.summary
        cells = row.cells
        if not _filled(cells):
            yield self._skip(row, "dòng trống")
            return
        number = row.number
        raw_date = self._cell(row, "date")
        has_date = str(raw_date).strip() != ""
        credit = debit = 0
        amount_error = ""
        for name in ("credit", "debit"):
            value = self._cell(row, name)
            try:
                amount = parse_amount(value, self.layout)
            except ValueError as error:
                amount_error = f"“{value}”: {error}"
                break
            if name == "credit":
                credit = amount
            else:
                debit = amount
        direction = self._cell(row, "direction")
        if self.columns.get("direction") is not None and (credit or debit):
            way = normalise(str(direction))
            amount = abs(credit or debit)
            if way in CREDIT_WORDS:
                credit, debit = amount, 0
            elif way in DEBIT_WORDS:
                credit, debit = 0, amount
            elif has_date:
                self._error(number, f"cột Nợ/Có ghi “{direction}”, không rõ tiền vào hay ra")
                return
        if credit < 0:  # one signed amount column
            credit, debit = 0, debit - credit
        if debit < 0:
            credit, debit = credit - debit, 0
        try:
            date = self._date(raw_date) if has_date else None
        except ValueError:
            date = None
        balance_cell = self._cell(row, "balance")
        try:
            balance = parse_amount(balance_cell, self.layout) if str(balance_cell).strip() else None
            balance_error = ""
        except ValueError as error:
            balance, balance_error = None, str(error)

        if date is None:
            if [normalise(str(c)) for c in cells] == self._header_keys:
                summary.repeated_headers += 1
                yield self._skip(row, "dòng tiêu đề lặp lại")
                return
            if not row.ended and 1 < len(cells) < self._width:
                self._error(number, "dòng cuối bị cắt (thiếu cột): tệp tải về chưa trọn")
                return
            # Not a transaction: a title, a total, a balance, a signature. A row with a
            # date that cannot be read but amounts that can is a transaction gone wrong.
            label = normalise(" ".join(str(c) for c in cells if isinstance(c, str)))
            if all(len(str(c).strip()) <= 3 for c in cells):
                # State forms number their columns under the header: A, B, 1, 2, 3…
                yield self._skip(row, "dòng đánh số cột")
                return
            is_total = any(word in label for word in TOTAL_WORDS)
            if has_date and (credit or debit) and not amount_error and not is_total:
                self._error(number, f"ngày “{raw_date}” không đọc được")
                return
            if (credit or debit) and is_total:
                self._totals.append((number, credit, debit))
                yield self._skip(
                    row, f"dòng cộng (ghi có {money_text(credit)}, ghi nợ {money_text(debit)})"
                )
                return
            if credit or debit:
                # Money with no date is neither a line to store nor a row to pass over.
                self._error(number, "có số tiền nhưng không có ngày")
                return
            if balance is not None and not (credit or debit):
                if "dau" in label and summary.line_count == 0 and summary.opening_balance is None:
                    summary.opening_balance = balance
                elif "dau" in label or "cuoi" in label:
                    self._stated.append((number, "dau" if "dau" in label else "cuoi", balance))
                yield self._skip(row, f"dòng số dư ({money_text(balance)})")
                return
            yield self._skip(row, "dòng chữ (tiêu đề, chân trang, chữ ký)")
            return
        if amount_error:
            self._error(number, f"số tiền {amount_error}")
            return
        if balance_error:
            self._error(number, f"số dư {balance_error}")
            return
        if not row.ended and len(cells) < self._width:
            self._error(number, "dòng cuối bị cắt (thiếu cột): tệp tải về chưa trọn")
            return
        if credit and debit:
            self._error(number, "có cả ghi có và ghi nợ")
            return
        if balance is not None:
            summary.has_balance = True
        self._chain.add(number, date, credit, debit, balance)
        if not (credit or debit):
            moved = "" if balance is None else f", số dư {money_text(balance)}"
            yield self._skip(row, f"không có số tiền{moved}")
            return
        if not row.ended:
            self._error(
                number,
                "dòng cuối không kết thúc bằng xuống dòng: tệp có thể bị cắt giữa dòng. "
                "Hãy tải lại tệp từ ngân hàng",
            )
            return
        summary.row_count += 1
        summary.line_count += 1
        summary.credit_sum += credit
        summary.debit_sum += debit
        if summary.first_date is None or date < summary.first_date:
            summary.first_date = date
        if summary.last_date is None or date > summary.last_date:
            summary.last_date = date
        self._last_line_row = number
        yield ParsedLine(
            row=number,
            date=date,
            reference=_text(self._cell(row, "reference"))[:100],
            transaction_id=_text(self._cell(row, "transaction_id"))[:100],
            credit=credit,
            debit=debit,
            balance=balance,
            description=_SPACES.sub(" ", str(self._cell(row, "description"))).strip(),
            raw=row.raw,
        )

    def _finish(self, last: Row | None) -> None:
        summary = self.summary
        self._chain.finish()
        if not summary.has_balance:
            summary.opening_balance = summary.closing_balance = None
            summary.breaks.clear()
        # The file's own opening and closing balance rows must be what the lines reach.
        for number, which, stated in self._stated if summary.has_balance else ():
            reached = summary.opening_balance if which == "dau" else summary.closing_balance
            if reached is not None and stated != reached:
                expected, found = (stated, reached) if which == "dau" else (reached, stated)
                summary.breaks.append(
                    BalanceBreak(None, number, None, expected=expected, found=found, kind=which)
                )
        # The file's own total, after its last line, must equal the sum of its lines.
        after = [t for t in self._totals if t[0] > self._last_line_row]
        if after:
            number, credit, debit = after[-1]
            summary.total_row = number
            for found, expected in ((credit, summary.credit_sum), (debit, summary.debit_sum)):
                if found != expected:
                    summary.breaks.append(
                        BalanceBreak(
                            None, number, None, expected=expected, found=found, kind="total"
                        )
                    )
        if self.error_count:
            shown = "; ".join(self.errors)
            more = self.error_count - len(self.errors)
            tail = f" và {more} dòng khác" if more > 0 else ""
            raise FileRefused(f"Không nhập tệp: {shown}{tail}. Chưa có dòng nào được lưu.")
        if summary.line_count == 0:
            raise FileRefused(
                "Tệp có dòng tiêu đề nhưng không có giao dịch nào (không có dòng nào có ngày "
                "và số tiền)."
            )


def parse_statement(rows: Iterable, layout) -> ParseResult:
    """Every row of the statement, read whole (tests, layout detection, small files)."""
    reader = StatementReader(layout)
    result = ParseResult()
    for item in reader.read(rows):
        if isinstance(item, ParsedLine):
            result.lines.append(item)
        else:
            result.skipped.append(item)
    result.summary = reader.summary
    return result


class Fingerprints:
    """A key per line, the same however often or in whichever overlapping file the line
    comes again, and different for different transfers: the bank's own transaction id
    where the layout has one; otherwise date, reference, direction, amount, description
    and balance, plus the occurrence number of that whole tuple in the file (two
    identical transfers stay two lines). Fed in file order."""

    def __init__(self) -> None:
        self.seen: Counter = Counter()

    def key(self, line: ParsedLine) -> str:
        if line.transaction_id:
            material = f"tid|{line.transaction_id}"
        else:
            direction, amount = ("C", line.credit) if line.credit else ("D", line.debit)
            base = (
                f"{line.date.isoformat()}|{line.reference}|{direction}|{amount}|"
                f"{line.description}|{'' if line.balance is None else line.balance}"
            )
            digest = hashlib.sha256(base.encode("utf-8")).digest()
            self.seen[digest] += 1
            material = f"line|{base}|{self.seen[digest]}"
        return hashlib.sha256(material.encode("utf-8")).hexdigest()


def fingerprints(lines: Iterable[ParsedLine]) -> list[str]:
    keys = Fingerprints()
    return [keys.key(line) for line in lines]
