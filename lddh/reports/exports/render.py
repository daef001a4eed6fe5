"""The shared XLSX renderer (lddh.ward.exports) extended with what reports need.

lddh.ward.exports writes one table per sheet whose only formulas are the grand totals.
The reports also need formulas inside the table: subtotals per source or per group, the
fund's identity "opening + receipts − spending = closing", percentages against targets.
An Export's rows() may therefore yield, besides plain rows of values:

- ``Heading(text)``: a bold line that starts a block (subtotals sum from here);
- ``Subtotal(label)``: SUBTOTAL(9, …) of the block's rows in every total-able column
  (money and int), so the grand total, also SUBTOTAL(9, …), never counts them twice;
- ``Line(values)``: a row outside the data (not in totals) whose values may be
  ``Formula`` objects; ``{r}`` in a formula is its own row, ``{name}`` the row of an
  earlier Line or Subtotal with that name (``=D{opening}+D{receipts}-D{spending}``).

Plain text is still never a formula: every string goes through the core's neutralising
path. The workbook is write-only (streamed, bounded memory) like the core's.
"""

from __future__ import annotations

import datetime
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lddh.ward.exports import (
    BOX,
    DATE_FORMAT,
    MONEY_FORMAT,
    XLSX_TYPE,
    Column,
    Export,
    clean_text,
    header_cell,
    sheet_title,
    styled_cell,
)

PERCENT_FORMAT = "0.0%"
FORMATS = {"money": MONEY_FORMAT, "int": "#,##0", "percent": PERCENT_FORMAT, "date": DATE_FORMAT}
SUMMABLE = ("money", "int")
WRAP = Alignment(wrap_text=True)  # bottom-aligned like the plain cells beside it


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


class _Writer:
    def __init__(self, ws, columns: Sequence[Column], nowrap: Sequence[str] = ()):
        self.ws = ws
        self.columns = columns
        self.ncols = max(len(columns), 1)
        self.row = 0  # the last row written
        self.names: dict[str, int] = {}
        self.kinds = [c.kind for c in columns]
        # Long text wraps in its cell (printed pages): only the wide text columns, so
        # the hot loop stays mostly plain values.
        self.wraps = [
            c.kind == "text" and c.width >= 24 and c.header not in nowrap for c in columns
        ]

    def append(self, values: Sequence[Any]) -> int:
        self.ws.append(values)
        self.row += 1
        return self.row

    def value_cell(self, index: int, value: Any, *, bold=False, italic=False, border=True):
        """A cell of the table: numbers formatted by column kind, text neutralised."""
        column = self.columns[index] if index < len(self.columns) else Column("")
        if value is None:
            return styled_cell(self.ws, None, border=border) if border else None
        if isinstance(value, Formula):
            text = value.text.format_map({"r": self.row + 1, **self.names})
            cell = WriteOnlyCell(self.ws, value=text)  # the one place a formula is made
            fmt = FORMATS.get(column.kind)
        elif isinstance(value, str):
            cell = WriteOnlyCell(self.ws, value=clean_text(value))
            cell.data_type = "s"  # text is text, whatever it starts with
            fmt = None
        else:
            cell = WriteOnlyCell(self.ws, value=value)
            fmt = FORMATS.get(column.kind)
            if isinstance(value, datetime.date):
                fmt = DATE_FORMAT
        if fmt:
            cell.number_format = fmt
        if bold or italic:
            cell.font = Font(bold=bold, italic=italic)
        if border:
            cell.border = BOX
        return cell

    def append_data(self, values: Sequence[Any]) -> None:
        """A data row, as tall as its longest wrapped text (LibreOffice does not fit row
        heights when it opens a file). The height is dropped once the row is written, so
        memory stays flat however many rows there are."""
        lines = 1
        for index, value in enumerate(values):
            if isinstance(value, str) and index < len(self.wraps) and self.wraps[index]:
                per_line = max(self.columns[index].width * 1.1, 8)
                lines = max(lines, math.ceil(len(value) / per_line))
        row = self.row + 1
        if lines > 1:
            self.ws.row_dimensions[row].height = 15 * min(lines, 10)
        self.append(self.data_cells(values))
        if lines > 1:
            del self.ws.row_dimensions[row]

    def data_cells(self, values: Sequence[Any]) -> list[Any]:
        """The hot loop of a data row: plain values where the type needs no format,
        formatted cells for money, dates and formulas; text always stays text."""
        out: list[Any] = []
        ws = self.ws
        for index, value in enumerate(values):
            if value is None:
                out.append(None)
            elif isinstance(value, str):
                value = clean_text(value)
                wrap = index < len(self.wraps) and self.wraps[index]
                if value.startswith("=") or wrap:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"
                    if wrap:
                        cell.alignment = WRAP
                    out.append(cell)
                else:
                    out.append(value)
            elif isinstance(value, Formula | datetime.date):
                out.append(self.value_cell(index, value, border=False))
            elif index < len(self.kinds) and self.kinds[index] in FORMATS:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = FORMATS[self.kinds[index]]
                out.append(cell)
            else:
                out.append(value)
        return out


def _spread(ws, text, first: int, last: int, row: list[Any], **style) -> None:
    """Text centred over columns first..last without merging (write-only sheets cannot
    merge): "centre across selection" on the text cell and the empty cells after it."""
    align = Alignment(horizontal="centerContinuous", vertical="top")
    cell = styled_cell(ws, text, **style)
    cell.alignment = align
    row[first] = cell
    for index in range(first + 1, last + 1):
        blank = WriteOnlyCell(ws, value=None)
        blank.alignment = align
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


def _top_rows(export: Export, ws, columns: Sequence[Column]) -> list[list[Any]]:
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
            _spread(ws, left_lines[i], 0, split - 1, row, bold=i == len(left_lines) - 1)
        if i < len(right_lines):
            is_date = bool(date_line) and i == len(right_lines) - 1
            _spread(ws, right_lines[i], split, width - 1, row, bold=not is_date, italic=is_date)
        rows.append(row)
    rows.append([])
    title: list[Any] = [None] * width
    _spread(ws, export.title.upper(), 0, width - 1, title, bold=True, size=13)
    rows.append(title)
    for line in export.subtitle_lines():
        row = [None] * width
        _spread(ws, line, 0, width - 1, row, italic=True)
        rows.append(row)
    rows.append([])
    return rows


def write_sheet(wb: Workbook, export: Export) -> SheetSummary:
    columns = list(export.columns_for())
    ws = wb.create_sheet(sheet_title(export.sheet_name))
    w = _Writer(ws, columns, getattr(export, "nowrap", ()))
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if w.ncols > 6 else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5

    top = _top_rows(export, ws, columns)
    header_row = len(top) + 1
    # Write-only sheets emit their view with the first row: freeze before appending.
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    for row in top:
        w.append(row)
    lines = max((len(c.header) / max(c.width - 1, 4) for c in columns), default=1)
    ws.row_dimensions[header_row].height = 15 * max(1, min(4, math.ceil(lines)))
    w.append([header_cell(ws, c.header) for c in columns])

    summary = SheetSummary(totals={c.header: 0 for c in columns if c.total})
    summable = [i for i, c in enumerate(columns) if c.kind in SUMMABLE]
    total_index = [i for i, c in enumerate(columns) if c.total]
    first_data = header_row + 1
    block_start = first_data
    block_sums = dict.fromkeys(summable, 0)
    has_subtotals = False
    label = getattr(export, "label_column", 0)

    for item in export.rows():
        if isinstance(item, Heading):
            heading = [styled_cell(ws, None, bold=True, border=True) for _ in range(w.ncols)]
            heading[label] = styled_cell(ws, item.text, bold=True, border=True)
            if item.number and label:
                heading[0] = styled_cell(ws, item.number, bold=True, border=True)
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
                letter = get_column_letter(i + 1)
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
            values = list(item)
            for i in summable:
                value = values[i] if i < len(values) else None
                if isinstance(value, int):
                    block_sums[i] += value
                    header = columns[i].header
                    if header in summary.totals:
                        summary.totals[header] += value
            w.append_data(values)
            summary.rows += 1

    last_data = w.row
    if total_index:
        line = [w.value_cell(i, None) for i in range(w.ncols)]
        line[label] = w.value_cell(label, export.total_label, bold=True)
        function = "SUBTOTAL(9," if has_subtotals else "SUM("
        for i in total_index:
            letter = get_column_letter(i + 1)
            text = (
                f"={function}{letter}{first_data}:{letter}{last_data})"
                if last_data >= first_data
                else "=0"
            )
            line[i] = w.value_cell(i, Formula(text), bold=True)
        w.append(line)

    for text in export.footer_lines():
        w.append([styled_cell(ws, text, italic=True)])
    for text in getattr(export, "chain_lines", list)():
        w.append([styled_cell(ws, text, italic=True)])

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
    ws, n = w.ws, len(signatures)
    if places is None:
        places = _signature_places(w.columns, n)
    centre = Alignment(horizontal="center", vertical="top")

    def line(texts: list[str], **style) -> None:
        row: list[Any] = [None] * max(w.ncols, places[-1] + 1)
        for place, text in zip(places, texts, strict=True):
            if text:
                cell = styled_cell(ws, text, **style)
                cell.alignment = centre
                row[place] = cell
        w.append(row)

    w.append([])
    captions = [caption.split("\n") for caption, _ in signatures]
    for line_no in range(max(len(parts) for parts in captions)):
        line([parts[line_no] if line_no < len(parts) else "" for parts in captions], bold=True)
    line(["(Ký, ghi rõ họ tên)"] * n, italic=True)
    for _ in range(3):
        w.append([])
    line([name for _, name in signatures], bold=True)


def write_report_xlsx(target: IO[bytes], *exports: Export) -> list[SheetSummary]:
    wb = Workbook(write_only=True)
    summaries = [write_sheet(wb, export) for export in exports]
    wb.save(target)
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
