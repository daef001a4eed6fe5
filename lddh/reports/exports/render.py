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
from openpyxl import LXML, Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
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
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MAX_TEXT = 32767  # Excel's limit for one cell (openpyxl cuts longer text the same way)

if LXML:
    from lxml.etree import Element, SubElement


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
        if self.fast is not None:
            element = self.fast.row(values, self.row + 1)
            if element is not None:
                self.ws.append(element)
                self.row += 1
                return
        lines = self.lines(values)
        row = self.row + 1
        if lines > 1:
            self.ws.row_dimensions[row].height = 15 * min(lines, 10)
        self.append(self.data_cells(values))
        if lines > 1:
            del self.ws.row_dimensions[row]

    def lines(self, values: Sequence[Any]) -> int:
        """How many printed lines the row's longest wrapped text takes."""
        lines = 1
        for index, value in enumerate(values):
            if isinstance(value, str) and index < len(self.wraps) and self.wraps[index]:
                per_line = max(self.columns[index].width * 1.1, 8)
                lines = max(lines, math.ceil(len(value) / per_line))
        return lines

    fast: _FastRows | None = None

    def start_data(self) -> None:
        """Once the sheet has begun (after its header row): data rows from now on are
        written as ready-made XML rows, see _FastRows."""
        if LXML:
            self.fast = _FastRows(self)

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


class _RawRow(list):
    """A data row already turned into its <row> element (openpyxl's write-only sheet
    accepts lists only; the element rides along)."""

    __slots__ = ("element",)


class _FastRows:
    """The data rows' hot loop without openpyxl's per-cell objects.

    openpyxl's write-only sheet turns every value into a WriteOnlyCell, binds and checks
    its type, hashes its style, then serialises it: most of an export's time. A data row
    holds only a few kinds of cells, so their style ids are looked up once per column and
    each row becomes one lxml <row> element, written by the sheet's own XML stream in
    its place (the sheet is patched to pass such rows through). The cells are exactly
    what openpyxl would write for data_cells(): text always as an inline string (never a
    formula, whatever it starts with), cleaned of the characters Excel refuses, cut at
    32.767 characters, wrapped in the wide text columns; dates as serial numbers with the
    date format; numbers with their column's format. A row holding anything else
    (a Formula, a datetime, a float, a bool…) goes the ordinary way, so the output is the
    same whichever path a row takes."""

    def __init__(self, writer: _Writer):
        ws = writer.ws
        self.ws = ws
        self.letters = [get_column_letter(i + 1) for i in range(max(writer.ncols, 1))]
        self.ncols = len(writer.columns)

        def style(fmt=None, alignment=None) -> str:
            cell = WriteOnlyCell(ws, value=None)
            if fmt:
                cell.number_format = fmt
            if alignment:
                cell.alignment = alignment
            return str(cell.style_id)

        # per column: the style of text (wrapped or none), of numbers, of dates
        self.text_style = [style(alignment=WRAP) if wrap else None for wrap in writer.wraps]
        self.number_style = [
            style(FORMATS[c.kind]) if c.kind in FORMATS else None for c in writer.columns
        ]
        self.date_style = style(DATE_FORMAT)
        self.wrapped = [
            (i, max(c.width * 1.1, 8)) for i, c in enumerate(writer.columns) if writer.wraps[i]
        ]
        self.epoch = ws.parent.epoch
        self.serials: dict[datetime.date, str] = {}
        if ws.parent.iso_dates:
            self.ncols = -1  # dates written as ISO text: leave every row to openpyxl
        self._patch(ws)

    @staticmethod
    def _patch(ws) -> None:
        values_to_row = ws._values_to_row
        writer = ws._writer
        write_row = writer.write_row

        def fast_values_to_row(values, row_idx):
            if type(values) is _RawRow:
                return values
            return values_to_row(values, row_idx)

        def fast_write_row(xf, row, row_idx):
            if type(row) is _RawRow:
                row.element.set("r", str(row_idx))
                xf.write(row.element)
            else:
                write_row(xf, row, row_idx)

        ws._values_to_row = fast_values_to_row
        writer.write_row = fast_write_row

    def serial(self, day: datetime.date) -> str:
        text = self.serials.get(day)
        if text is None:
            if len(self.serials) > 50_000:
                self.serials.clear()
            text = self.serials[day] = f"{to_excel(day, self.epoch):.16g}"
        return text

    def row(self, values: Sequence[Any], row_idx: int) -> _RawRow | None:
        """The row's element, or None when a value needs openpyxl's own path."""
        if len(values) > self.ncols:
            return None
        lines = 1
        for index, per_line in self.wrapped:
            value = values[index] if index < len(values) else None
            if type(value) is str and len(value) > per_line:
                lines = max(lines, math.ceil(len(value) / per_line))
        r = str(row_idx)
        row = (
            Element("row", {"r": r, "ht": str(15 * min(lines, 10)), "customHeight": "1"})
            if lines > 1
            else Element("row", {"r": r})
        )
        letters = self.letters
        for index, value in enumerate(values):
            kind = type(value)
            if kind is str:
                style = self.text_style[index]
                if not value:
                    if style:
                        SubElement(row, "c", {"r": letters[index] + r, "s": style})
                    continue
                if style:
                    cell = SubElement(
                        row, "c", {"r": letters[index] + r, "s": style, "t": "inlineStr"}
                    )
                else:
                    cell = SubElement(row, "c", {"r": letters[index] + r, "t": "inlineStr"})
                if len(value) > MAX_TEXT:
                    value = value[:MAX_TEXT]
                text = SubElement(SubElement(cell, "is"), "t")
                try:
                    text.text = value
                except ValueError:  # control characters: what clean_text removes
                    value = clean_text(value)
                    text.text = value
                    if not value:  # nothing left: an empty cell, as data_cells makes
                        row.remove(cell)
                        if style:
                            SubElement(row, "c", {"r": letters[index] + r, "s": style})
                        continue
                if value and (value[0].isspace() or value[-1].isspace()):
                    text.set(XML_SPACE, "preserve")
            elif kind is int:
                style = self.number_style[index]
                if style:
                    cell = SubElement(row, "c", {"r": letters[index] + r, "s": style, "t": "n"})
                else:
                    cell = SubElement(row, "c", {"r": letters[index] + r, "t": "n"})
                SubElement(cell, "v").text = f"{value:.16g}"
            elif kind is datetime.date:
                cell = SubElement(
                    row, "c", {"r": letters[index] + r, "s": self.date_style, "t": "n"}
                )
                SubElement(cell, "v").text = self.serial(value)
            elif value is not None:
                return None
        raw = _RawRow()
        raw.element = row
        return raw


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
    w.start_data()

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
            add_data(list(item))

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
