"""Exports: classes that yield rows, one renderer for XLSX and CSV.

An Export names its columns and yields rows; write_xlsx() streams them into an
openpyxl write-only workbook (bounded memory, any row count) with the issuing body's
header, frozen header row, widths, number formats, A4 print setup, totals as Excel
formulas and signature blocks; csv_response() streams the same rows as CSV. Text that
Excel would execute is neutralised and characters Excel rejects are removed.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, ClassVar

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

MONEY_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | money | int | date
    width: float = 16
    total: bool = False  # summed in the total row (money and int columns)


class Export:
    """Subclass and set title, filename, columns; implement rows()."""

    title: ClassVar[str] = ""
    sheet_name: ClassVar[str] = "Dữ liệu"
    filename: ClassVar[str] = "bao-cao"
    columns: ClassVar[Sequence[Column]] = ()
    total_label: ClassVar[str] = "Tổng cộng"

    def header_lines(self) -> Sequence[str]:
        """Issuing body lines at the top left (e.g. from WardProfile.header_line_list)."""
        return ()

    def nation_lines(self) -> Sequence[str]:
        return ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")

    def subtitle_lines(self) -> Sequence[str]:
        """Period, fund, date line: printed under the title."""
        return ()

    def footer_lines(self) -> Sequence[str]:
        """Lines under the total row, e.g. 'Bằng chữ: Một triệu đồng'. Called after
        rows() has been consumed, so it may use totals gathered while streaming."""
        return ()

    def signatures(self) -> Sequence[tuple[str, str]]:
        """(caption, name) pairs printed at the bottom, left to right."""
        return ()

    def rows(self) -> Iterable[Sequence[Any]]:
        raise NotImplementedError

    def columns_for(self) -> Sequence[Column]:
        return self.columns


def clean_text(value: str) -> str:
    """Remove the control characters Excel refuses to open."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def csv_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str):
        value = clean_text(value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")


def styled_cell(
    ws,
    value,
    *,
    bold=False,
    italic=False,
    size=None,
    fmt=None,
    border=False,
    fill=None,
    align=None,
    wrap=False,
) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold or italic or size:
        cell.font = Font(bold=bold, italic=italic, size=size)
    if fmt:
        cell.number_format = fmt
    if border:
        cell.border = BOX
    if fill:
        cell.fill = fill
    if align or wrap:
        cell.alignment = Alignment(horizontal=align, vertical="top", wrap_text=wrap)
    return cell


def header_cell(ws, text: str) -> WriteOnlyCell:
    """A column heading: bold, boxed, shaded, centred and wrapped."""
    return styled_cell(
        ws, text, bold=True, border=True, fill=HEADER_FILL, align="center", wrap=True
    )


def _formula(ws, text: str, fmt: str | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = Font(bold=True)
    cell.border = BOX
    if fmt:
        cell.number_format = fmt
    return cell


def sheet_title(name: str) -> str:
    return name.translate(SHEET_NAME_FORBIDDEN).strip()[:31] or "Dữ liệu"


class _DataCells:
    """Prepared per-column writers for the hot loop: plain values where possible."""

    def __init__(self, ws, columns: Sequence[Column]):
        self.ws = ws
        self.kinds = [c.kind for c in columns]

    def __call__(self, row: Sequence[Any]) -> list[Any]:
        out = []
        ws = self.ws
        for kind, value in zip(self.kinds, row, strict=False):
            if value is None:
                out.append(None)
            elif isinstance(value, str):
                value = clean_text(value)
                if value.startswith("="):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"
                    out.append(cell)
                else:
                    out.append(value)
            elif kind == "money":
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = MONEY_FORMAT
                out.append(cell)
            elif kind == "date" and isinstance(value, datetime.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT
                out.append(cell)
            else:
                out.append(value)
        return out


def _write_sheet(wb: Workbook, export: Export) -> dict[str, int]:
    columns = list(export.columns_for())
    ncols = max(len(columns), 1)
    ws = wb.create_sheet(sheet_title(export.sheet_name))
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if ncols > 6 else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0

    right = max(ncols - 2, 3)  # where the national motto starts
    top: list[list[Any]] = []
    left_lines = list(export.header_lines())
    right_lines = list(export.nation_lines())
    for i in range(max(len(left_lines), len(right_lines))):
        row: list[Any] = [None] * max(ncols, right)
        if i < len(left_lines):
            row[0] = styled_cell(ws, left_lines[i], bold=i == len(left_lines) - 1)
        if i < len(right_lines):
            row[right - 1] = styled_cell(ws, right_lines[i], bold=True)
        top.append(row)
    top.append([])
    top.append([styled_cell(ws, export.title.upper(), bold=True, size=13)])
    top.extend([styled_cell(ws, line, italic=True)] for line in export.subtitle_lines())
    top.append([])
    header_row = len(top) + 1
    # Write-only sheets emit their view with the first row: freeze before appending.
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    for row in top:
        ws.append(row)
    ws.append([header_cell(ws, c.header) for c in columns])

    totals = {c.header: 0 for c in columns if c.total}
    total_index = [(i, c.header) for i, c in enumerate(columns) if c.total]
    convert = _DataCells(ws, columns)
    count = 0
    for row in export.rows():
        for i, header in total_index:
            totals[header] += row[i] or 0
        ws.append(convert(row))
        count += 1

    first, last = header_row + 1, header_row + count
    if total_index:
        line: list[Any] = [styled_cell(ws, export.total_label, bold=True, border=True)]
        line += [None] * (ncols - 1)
        for i, _header in total_index:
            letter = get_column_letter(i + 1)
            fmt = MONEY_FORMAT if columns[i].kind == "money" else None
            text = f"=SUM({letter}{first}:{letter}{last})" if count else "=0"
            line[i] = _formula(ws, text, fmt)
        ws.append(line)

    for line in export.footer_lines():
        ws.append([styled_cell(ws, line, italic=True)])

    signatures = list(export.signatures())
    if signatures:
        step = max(ncols // len(signatures), 1)
        places = [min(k * step, ncols - 1) for k in range(len(signatures))]
        captions: list[Any] = [None] * ncols
        names: list[Any] = [None] * ncols
        for place, (caption, name) in zip(places, signatures, strict=True):
            captions[place] = styled_cell(ws, caption, bold=True)
            names[place] = styled_cell(ws, name, bold=True)
        for row in ([], captions, [], [], [], names):
            ws.append(row)
    return {"rows": count, **totals}


def write_xlsx(target: IO[bytes], *exports: Export) -> list[dict[str, int]]:
    """Write the exports, one sheet each, into target. Returns, per sheet, the row count
    and the totals computed while writing (tests compare them with database sums)."""
    wb = Workbook(write_only=True)
    summaries = [_write_sheet(wb, export) for export in exports]
    wb.save(target)
    return summaries


def xlsx_response(*exports: Export, filename: str | None = None) -> FileResponse:
    """An XLSX download written to a spooled temporary file, then streamed."""
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    write_xlsx(spool, *exports)
    spool.seek(0)
    name = f"{filename or exports[0].filename}.xlsx"
    return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX_TYPE)


class _Echo:
    def write(self, value):
        return value


def csv_rows(export: Export) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM so that Excel reads UTF-8 Vietnamese correctly
    yield writer.writerow([c.header for c in export.columns_for()])
    for row in export.rows():
        yield writer.writerow(
            [csv_safe(v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v) for v in row]
        )


def csv_response(export: Export, filename: str | None = None) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_rows(export), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename or export.filename}.csv"'
    return response
