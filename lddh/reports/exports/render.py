"""The XLSX renderer of the ward's reports: one table per sheet with the ward's header,
formulas inside the table and signature blocks.

The reports need formulas inside the table: subtotals per source or per group, the fund's
identity "opening + receipts − spending = closing", percentages against targets. An
Export's rows() may therefore yield, besides plain rows of values:

- ``Heading(text)``: a bold line that starts a block (subtotals sum from here);
- ``Subtotal(label)``: SUBTOTAL(9, …) of the block's rows in every total-able column
  (money and int), so the grand total, also SUBTOTAL(9, …), never counts them twice;
- ``Line(values)``: a row outside the data (not in totals) whose values may be
  ``Formula`` objects; ``{r}`` in a formula is its own row, ``{name}`` the row of an
  earlier Line or Subtotal with that name (``=D{opening}+D{receipts}-D{spending}``).

Plain text is never a formula: every string is written as a string (``write_string``)
after the characters Excel refuses are removed, whatever it starts with.

The workbook is written with XlsxWriter in constant-memory mode, through its public API
only: each row is flushed to a temporary file when the next one begins, so memory stays
flat however many rows there are, and rows are written strictly in order. Cell formats
are made once per look (``Styles``) and reused. Formulas are stored without a computed
result (an empty value), so Excel and LibreOffice both calculate them on opening.
A column of width ``w`` is stored as ``w`` characters, as the ward's openpyxl exports
store it (7 pixels a character of Calibri 11); row heights are in points. Empty cells of
the data rows are left out.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import xlsxwriter
from django.http import FileResponse
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from lddh.ward.exports import (
    DATE_FORMAT,
    MONEY_FORMAT,
    XLSX_TYPE,
    Column,
    Export,
    clean_text,
    sheet_title,
)

PERCENT_FORMAT = "0.0%"
FORMATS = {"money": MONEY_FORMAT, "int": "#,##0", "percent": PERCENT_FORMAT, "date": DATE_FORMAT}
SUMMABLE = ("money", "int")
HEADER_FILL = "#E7E6E6"  # the column headings' shading, as in the ward's exports
PIXELS_PER_CHARACTER = 7  # the width of a digit in Calibri 11, Excel's width unit
LINE_HEIGHT = 15  # points: one line of Calibri 11
A4 = 9  # Excel's paper size number
# Excel counts 29/02/1900, a day that never was: serial numbers from 01/03/1900 on are
# one more than the days since 31/12/1899.
EXCEL_EPOCH = datetime.date(1899, 12, 31)
LEAP_BUG_END = datetime.date(1900, 3, 1)


@dataclass(frozen=True)
class Formula:
    text: str  # "=D{r}/C{r}", "=D{opening}+D{receipts}"


@dataclass(frozen=True)
class Heading:
    text: str
    number: str = ""  # "II" in the first column when the label column is not the first


@dataclass(frozen=True)
class Subtotal:
    label: str
    name: str = ""
    values: dict[int, Any] = field(default_factory=dict)  # column index → value or Formula
    skip: tuple[int, ...] = ()  # columns left empty (nothing to add up there)


@dataclass(frozen=True)
class Line:
    values: Sequence[Any]
    name: str = ""
    bold: bool = False
    italic: bool = False


@dataclass
class SheetSummary:
    """What was written, for tests and the audit log: data rows and streamed totals."""

    rows: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    subtotals: list[dict[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Look:
    """How a cell looks; Styles turns each distinct look into one workbook format."""

    bold: bool = False
    italic: bool = False
    size: int | None = None
    number_format: str | None = None
    border: bool = False  # a thin black box
    fill: str | None = None  # "#RRGGBB", solid
    align: str | None = None  # XlsxWriter's horizontal alignment: "center", "center_across"
    valign: str | None = None  # "top"
    wrap: bool = False


PLAIN = Look()


class Styles:
    """The workbook's formats, one per look, made on first use."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.formats: dict[Look, Format | None] = {PLAIN: None}

    def __call__(self, look: Look = PLAIN, **changes: Any) -> Format | None:
        if changes:
            look = dataclasses.replace(look, **changes)
        if look not in self.formats:
            self.formats[look] = self.workbook.add_format(_properties(look))
        return self.formats[look]


def _properties(look: Look) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    if look.bold:
        properties["bold"] = True
    if look.italic:
        properties["italic"] = True
    if look.size:
        properties["font_size"] = look.size
    if look.number_format:
        properties["num_format"] = look.number_format
    if look.border:
        properties.update(border=1, border_color="#000000")
    if look.fill:
        properties.update(pattern=1, bg_color=look.fill)
    if look.align:
        properties["align"] = look.align
    if look.valign:
        properties["valign"] = look.valign
    if look.wrap:
        properties["text_wrap"] = True
    return properties


def excel_serial(day: datetime.date) -> int:
    """Excel's serial number of a day (1900 date system), from 01/03/1900 on."""
    return (day - EXCEL_EPOCH).days + 1


# A cell to write: its value (a Formula already holds its final text) and its format.
Cell = tuple[Any, Format | None]


class _Writer:
    """One sheet, written top to bottom. ``row`` is the number of rows written so far,
    which is also the 0-based index of the next row and the 1-based number (as Excel
    shows it) of the last one."""

    def __init__(self, ws: Worksheet, styles: Styles, columns: Sequence[Column], nowrap=()) -> None:
        self.ws = ws
        self.styles = styles
        self.columns = columns
        self.ncols = max(len(columns), 1)
        self.row = 0
        self.names: dict[str, int] = {}
        # Long text wraps in its cell (printed pages): only the wide text columns.
        self.wraps = [
            c.kind == "text" and c.width >= 24 and c.header not in nowrap for c in columns
        ]
        self.wrapped = [(i, max(c.width * 1.1, 8)) for i, c in enumerate(columns) if self.wraps[i]]
        # The data rows' formats per column: of text (wrapped or none), of numbers.
        wrap = styles(wrap=True)
        self.text_format = [wrap if w else None for w in self.wraps]
        self.number_format = [styles(number_format=FORMATS.get(c.kind)) for c in columns]
        self.date_format = styles(number_format=DATE_FORMAT)
        self.serials: dict[datetime.date, int] = {}

    # ------------------------------------------------------------------ any row

    def put(self, row: int, col: int, value: Any, fmt: Format | None) -> None:
        """One cell, by the type of its value; text is always text."""
        ws = self.ws
        if isinstance(value, str):
            value = clean_text(value)
            if value:
                ws.write_string(row, col, value, fmt)
            elif fmt is not None:
                ws.write_blank(row, col, None, fmt)
        elif value is None:
            if fmt is not None:
                ws.write_blank(row, col, None, fmt)
        elif isinstance(value, Formula):
            # An empty result: the spreadsheet calculates the formula when it opens.
            ws.write_formula(row, col, value.text, fmt, "")
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float | decimal.Decimal):
            ws.write_number(row, col, value, fmt)
        elif isinstance(value, datetime.date | datetime.time | datetime.timedelta):
            ws.write_datetime(row, col, value, fmt)
        else:
            raise TypeError(f"a cell cannot hold {type(value).__name__}: {value!r}")

    def append(self, cells: Sequence[Cell | None] = ()) -> int:
        """A row of (value, format) pairs; None is an empty cell. Returns its number."""
        row = self.row
        for col, cell in enumerate(cells):
            if cell is not None:
                self.put(row, col, *cell)
        self.row += 1
        return self.row

    def styled(self, value: Any, look: Look = PLAIN, **changes: Any) -> Cell:
        return value, self.styles(look, **changes)

    def value_cell(self, index: int, value: Any, *, bold=False, italic=False, border=True):
        """A cell of the table outside the data: numbers formatted by column kind, a
        Formula's names and ``{r}`` filled in."""
        column = self.columns[index] if index < len(self.columns) else Column("")
        number_format = None
        if value is None:  # an empty cell of the table: its box only
            return (None, self.styles(border=True)) if border else None
        if isinstance(value, Formula):
            value = Formula(value.text.format_map({"r": self.row + 1, **self.names}))
            number_format = FORMATS.get(column.kind)
        elif not isinstance(value, str):
            number_format = FORMATS.get(column.kind)
            if isinstance(value, datetime.date):
                number_format = DATE_FORMAT
        look = Look(bold=bold, italic=italic, border=border, number_format=number_format)
        return value, self.styles(look)

    # ---------------------------------------------------------------- data rows

    def append_data(self, values: Sequence[Any]) -> None:
        """A data row, as tall as its longest wrapped text (LibreOffice does not fit row
        heights when it opens a file). The hot loop of an export: strings, ints and days
        are written straight away with their column's format; anything else goes
        through put()."""
        row = self.row
        n = len(values)
        if n > self.ncols:  # more values than columns: the general path
            for index, value in enumerate(values):
                if value is not None:
                    self.put(row, index, *self.data_cell(index, value))
            self.row = row + 1
            return
        for index, per_line in self.wrapped:
            if index < n:
                value = values[index]
                if type(value) is str and len(value) > per_line:
                    self.taller(row, values)
                    break
        ws = self.ws
        write_string = ws.write_string
        write_number = ws.write_number
        text_format = self.text_format
        number_format = self.number_format
        for index, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if value:
                    if not value.isprintable():  # tabs, line breaks, refused characters
                        value = clean_text(value)
                        if not value:
                            continue
                    write_string(row, index, value, text_format[index])
            elif kind is int:
                write_number(row, index, value, number_format[index])
            elif value is None:
                continue
            elif kind is datetime.date and value >= LEAP_BUG_END:
                serial = self.serials.get(value)
                if serial is None:
                    if len(self.serials) > 50_000:
                        self.serials.clear()
                    serial = self.serials[value] = excel_serial(value)
                write_number(row, index, serial, self.date_format)
            else:
                self.put(row, index, *self.data_cell(index, value))
        self.row = row + 1

    def taller(self, row: int, values: Sequence[Any]) -> None:
        """The row's height: the most lines its wrapped texts take, at most 10."""
        lines = 1
        for index, per_line in self.wrapped:
            value = values[index] if index < len(values) else None
            if type(value) is str:
                lines = max(lines, math.ceil(len(value) / per_line))
        self.ws.set_row(row, LINE_HEIGHT * min(lines, 10))

    def data_cell(self, index: int, value: Any) -> Cell:
        """A data value the hot loop left: a Formula, a datetime, a float, a bool…"""
        if isinstance(value, Formula):
            return self.value_cell(index, value, border=False)
        if isinstance(value, datetime.date):
            return value, self.date_format
        if isinstance(value, str):
            return value, self.text_format[index] if index < self.ncols else None
        return value, self.number_format[index] if index < self.ncols else None


def _spread(w: _Writer, text: str, first: int, last: int, row: list[Any], **look) -> None:
    """Text centred over columns first..last without merging: "centre across selection"
    on the text cell and the empty cells after it."""
    row[first] = w.styled(text, align="center_across", valign="top", **look)
    blank = w.styled(None, align="center_across", valign="top")
    for index in range(first + 1, last + 1):
        row[index] = blank


def _split(widths: list[float]) -> int:
    """The first column of the right-hand block (motto, date line): the right block is
    wide enough for the national motto, the left one for the issuing body."""
    total = sum(widths)
    need = max(38, total * 0.4)
    for split in range(len(widths) - 1, 0, -1):
        if sum(widths[split:]) >= need and sum(widths[:split]) >= 30:
            return split
    return max(len(widths) // 2, 1)


def _top_rows(export: Export, w: _Writer, columns: Sequence[Column]) -> list[list[Any]]:
    """The issuing body at the left, the national motto and the date line at the right,
    then the title and the subtitles centred over the table."""
    widths = [c.width for c in columns] + [16] * (4 - len(columns))
    width = len(widths)
    split = _split(widths)
    left_lines = list(export.header_lines())
    right_lines = list(export.nation_lines())
    date_line = getattr(export, "date_line", lambda: "")()
    if date_line:
        right_lines.append(date_line)
    rows: list[list[Any]] = []
    for i in range(max(len(left_lines), len(right_lines))):
        row: list[Any] = [None] * width
        if i < len(left_lines):
            _spread(w, left_lines[i], 0, split - 1, row, bold=i == len(left_lines) - 1)
        if i < len(right_lines):
            is_date = bool(date_line) and i == len(right_lines) - 1
            _spread(w, right_lines[i], split, width - 1, row, bold=not is_date, italic=is_date)
        rows.append(row)
    rows.append([])
    title: list[Any] = [None] * width
    _spread(w, export.title.upper(), 0, width - 1, title, bold=True, size=13)
    rows.append(title)
    for line in export.subtitle_lines():
        row = [None] * width
        _spread(w, line, 0, width - 1, row, italic=True)
        rows.append(row)
    rows.append([])
    return rows


def _page_setup(ws: Worksheet, ncols: int) -> None:
    """A4, landscape for wide tables, one page wide, centred, half-inch side margins."""
    ws.set_paper(A4)
    if ncols > 6:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=1, bottom=1)
    ws.set_header("", margin=0.5)
    ws.set_footer("", margin=0.5)


def _unique_title(name: str, taken: set[str]) -> str:
    """The sheet's name, numbered when an earlier sheet has it (names are unique in a
    workbook, whatever their case)."""
    base = sheet_title(name).strip("'").strip() or "Dữ liệu"
    title, number = base, 0
    while title.casefold() in taken:
        number += 1
        title = f"{base[: 31 - len(str(number))]}{number}"
    taken.add(title.casefold())
    return title


def write_sheet(
    wb: Workbook, export: Export, styles: Styles | None = None, taken: set[str] | None = None
) -> SheetSummary:
    columns = list(export.columns_for())
    styles = styles or Styles(wb)
    ws = wb.add_worksheet(_unique_title(export.sheet_name, set() if taken is None else taken))
    w = _Writer(ws, styles, columns, getattr(export, "nowrap", ()))
    for index, column in enumerate(columns):
        ws.set_column_pixels(index, index, round(column.width * PIXELS_PER_CHARACTER))
    _page_setup(ws, w.ncols)

    top = _top_rows(export, w, columns)
    header_row = len(top) + 1
    ws.freeze_panes(header_row, 0)
    ws.repeat_rows(header_row - 1)
    for row in top:
        w.append(row)
    lines = max((len(c.header) / max(c.width - 1, 4) for c in columns), default=1)
    ws.set_row(header_row - 1, LINE_HEIGHT * max(1, min(4, math.ceil(lines))))
    header = Look(bold=True, border=True, fill=HEADER_FILL, align="center", valign="top", wrap=True)
    w.append([w.styled(c.header, header) for c in columns])

    summary = SheetSummary(totals={c.header: 0 for c in columns if c.total})
    summable = [i for i, c in enumerate(columns) if c.kind in SUMMABLE]
    total_index = [i for i, c in enumerate(columns) if c.total]
    first_data = header_row + 1
    block_start = first_data
    block_sums = dict.fromkeys(summable, 0)
    has_subtotals = False
    label = getattr(export, "label_column", 0)

    totals = summary.totals
    summed = [(i, columns[i].header if columns[i].header in totals else None) for i in summable]

    def add_data(values: Sequence[Any]) -> None:
        n = len(values)
        for i, header in summed:
            value = values[i] if i < n else None
            if isinstance(value, int):
                block_sums[i] += value
                if header is not None:
                    totals[header] += value
        w.append_data(values)
        summary.rows += 1

    for item in export.rows():
        if type(item) is tuple:  # the common case first: a plain row of values
            add_data(item)
        elif isinstance(item, Heading):
            blank = w.styled(None, bold=True, border=True)
            heading = [blank] * w.ncols
            heading[label] = w.styled(item.text, bold=True, border=True)
            if item.number and label:
                heading[0] = w.styled(item.number, bold=True, border=True)
            w.append(heading)
            block_start = w.row + 1
            block_sums = dict.fromkeys(summable, 0)
        elif isinstance(item, Subtotal):
            has_subtotals = True
            line: list[Any] = [w.value_cell(i, None) for i in range(w.ncols)]
            line[label] = w.value_cell(label, item.label, bold=True)
            for i in summable:
                if i in item.skip:
                    continue
                letter = xl_col_to_name(i)
                text = f"=SUBTOTAL(9,{letter}{block_start}:{letter}{w.row})"
                line[i] = w.value_cell(
                    i, Formula(text if w.row >= block_start else "=0"), bold=True
                )
            for i, value in item.values.items():
                line[i] = w.value_cell(i, value, bold=True)
            w.append(line)
            if item.name:
                w.names[item.name] = w.row
            summary.subtotals.append({columns[i].header: block_sums[i] for i in summable})
            block_start = w.row + 1
            block_sums = dict.fromkeys(summable, 0)
        elif isinstance(item, Line):
            values = list(item.values) + [None] * (w.ncols - len(item.values))
            w.append(
                [
                    w.value_cell(i, v, bold=item.bold, italic=item.italic)
                    for i, v in enumerate(values)
                ]
            )
            if item.name:
                w.names[item.name] = w.row
        else:
            add_data(list(item))

    last_data = w.row
    if total_index:
        line = [w.value_cell(i, None) for i in range(w.ncols)]
        line[label] = w.value_cell(label, export.total_label, bold=True)
        function = "SUBTOTAL(9," if has_subtotals else "SUM("
        for i in total_index:
            letter = xl_col_to_name(i)
            text = (
                f"={function}{letter}{first_data}:{letter}{last_data})"
                if last_data >= first_data
                else "=0"
            )
            line[i] = w.value_cell(i, Formula(text), bold=True)
        w.append(line)

    for text in export.footer_lines():
        w.append([w.styled(text, italic=True)])
    for text in getattr(export, "chain_lines", list)():
        w.append([w.styled(text, italic=True)])

    signatures = list(export.signatures())
    if signatures:
        _write_signatures(w, signatures, getattr(export, "signature_columns", None))
    return summary


def _signature_places(columns: Sequence[Column], n: int) -> list[int]:
    """The column under the middle of each of n equal parts of the table's width, moved
    right when two would share one (a narrow table)."""
    widths = [c.width for c in columns] or [16]
    total = sum(widths)
    places: list[int] = []
    for k in range(n):
        middle, edge, place = total * (2 * k + 1) / (2 * n), 0.0, len(widths) - 1
        for index, width in enumerate(widths):
            edge += width
            if middle <= edge:
                place = index
                break
        if places and place <= places[-1]:
            place = places[-1] + 1
        places.append(place)
    return places


def _write_signatures(w: _Writer, signatures, places) -> None:
    """Captions (several lines each), "(Ký, ghi rõ họ tên)", room to sign, names: each
    block centred on its column, the columns spread over the table's width."""
    n = len(signatures)
    if places is None:
        places = _signature_places(w.columns, n)

    def line(texts: list[str], **look) -> None:
        row: list[Any] = [None] * max(w.ncols, places[-1] + 1)
        for place, text in zip(places, texts, strict=True):
            if text:
                row[place] = w.styled(text, align="center", valign="top", **look)
        w.append(row)

    w.append()
    captions = [caption.split("\n") for caption, _ in signatures]
    for line_no in range(max(len(parts) for parts in captions)):
        line([parts[line_no] if line_no < len(parts) else "" for parts in captions], bold=True)
    line(["(Ký, ghi rõ họ tên)"] * n, italic=True)
    for _ in range(3):
        w.append()
    line([name for _, name in signatures], bold=True)


def write_report_xlsx(target: IO[bytes], *exports: Export) -> list[SheetSummary]:
    """Write the exports, one sheet each, into target (a binary file)."""
    wb = xlsxwriter.Workbook(target, {"constant_memory": True})
    styles = Styles(wb)
    taken: set[str] = set()
    try:
        summaries = [write_sheet(wb, export, styles, taken) for export in exports]
    finally:
        wb.close()
    return summaries


def report_xlsx_response(*exports: Export, filename: str) -> tuple[FileResponse, list]:
    """The workbook written to a spooled temporary file, then streamed as a download."""
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    summaries = write_report_xlsx(spool, *exports)
    spool.seek(0)
    response = FileResponse(
        spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )
    return response, summaries
