"""The report renderer (lddh.reports.exports.render): awkward values, the sheet's layout
and print setup, and its use of XlsxWriter's public API only."""

import ast
import datetime
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lddh.reports.exports import render
from lddh.ward import exports as ward_exports
from lddh.ward.exports import Column, Export

DAY = datetime.date(2024, 10, 17)
LONG = "Một dòng rất dài " * 20


class Awkward(Export):
    title = "Thử các giá trị khó"
    sheet_name = "Thử: [khó]"
    columns = (
        Column("Ngày", "date", 12),
        Column("Họ tên", "text", 30),
        Column("Số tiền", "money", 16, total=True),
        Column("Số khoản", "int", 10, total=True),
        Column("Ghi chú", "text", 14),
    )

    def rows(self):
        yield (DAY, "Nguyễn Văn An", 1_500_000, 1, "")
        yield (DAY, "=SUM(A1:A9)", 2_000, 2, "+cmd|' /C calc'!A0")
        yield (DAY, "-x", 0, 0, "@tên")
        yield (DAY, "Bell\x07 and tab\t inside", 10, 1, None)
        yield (DAY, "  spaces kept  ", 10, 1, "x" * 40_000)
        yield (DAY, LONG, 5, 1, "ngắn")
        yield (datetime.date(1900, 1, 15), "trước 01/03/1900", 7, 1, "")
        yield (datetime.datetime(2024, 10, 17, 9, 30), "giờ", 3, 1, "")
        yield (DAY, "số thực", 2.5, True, "")
        yield (DAY, "dòng ngắn")
        yield ["danh sách", "không phải bộ", 4, 1, "\x01"]
        yield (DAY, "công thức", render.Formula("=D{r}*1000"), 1, "")
        yield render.Line(["", "Dòng ngoài bảng", render.Formula("=C{r}")])


def _sheet(*exports):
    target = io.BytesIO()
    summaries = render.write_report_xlsx(target, *exports)
    target.seek(0)
    return summaries, load_workbook(target)


def _row(ws, label, column=1):
    for row in ws.iter_rows():
        if row[column].value == label:
            return row
    raise AssertionError(label)


def test_awkward_values_are_written_as_what_they_are():
    (summary,), wb = _sheet(Awkward())
    ws = wb.active
    assert summary.rows == 12
    assert summary.totals == {"Số tiền": 1_502_039, "Số khoản": 11}

    first = _row(ws, "Nguyễn Văn An")
    assert first[0].value == datetime.datetime(2024, 10, 17)
    assert first[0].number_format == "dd/mm/yyyy"
    assert first[2].value == 1_500_000 and first[2].number_format == "#,##0"
    assert first[3].number_format == "#,##0"
    assert first[1].alignment.wrap_text  # the wide text column wraps
    assert not first[4].alignment.wrap_text and first[4].value is None

    # Text is text, whatever it starts with.
    for text in ("=SUM(A1:A9)", "+cmd|' /C calc'!A0", "-x", "@tên"):
        cells = [c for row in ws.iter_rows() for c in row if c.value == text]
        assert cells and all(c.data_type == "s" for c in cells), text
    assert _row(ws, "Bell and tab\t inside")[4].value is None  # control character removed
    spaced = _row(ws, "  spaces kept  ")
    assert len(spaced[4].value) == 32_767  # Excel's limit for one cell
    assert _row(ws, "không phải bộ")[4].value is None  # nothing left after cleaning

    early = _row(ws, "trước 01/03/1900")[0]
    assert early.value == datetime.datetime(1900, 1, 15) and early.number_format == "dd/mm/yyyy"
    timed = _row(ws, "giờ")[0]
    assert timed.value == datetime.datetime(2024, 10, 17, 9, 30)
    assert timed.number_format == "dd/mm/yyyy"
    floats = _row(ws, "số thực")
    assert floats[2].value == 2.5 and floats[2].number_format == "#,##0"
    assert floats[3].value is True

    tall = _row(ws, LONG)
    assert ws.row_dimensions[tall[0].row].height == 150  # 11 lines, at most 10 shown
    assert not ws.row_dimensions[first[0].row].height

    computed = _row(ws, "công thức")[2]
    assert computed.value == f"=D{computed.row}*1000" and computed.data_type == "f"
    assert computed.number_format == "#,##0" and computed.border.left.style is None

    line = _row(ws, "Dòng ngoài bảng")
    assert line[2].value == f"=C{line[2].row}" and line[2].data_type == "f"
    assert line[2].number_format == "#,##0" and line[2].border.left.style == "thin"
    total = _row(ws, Awkward.total_label, column=0)
    header_row = int(ws.freeze_panes[1:]) - 1
    assert total[2].value == f"=SUM(C{header_row + 1}:C{line[0].row})"
    assert total[2].font.b and total[2].number_format == "#,##0"


def test_sheet_layout_and_print_setup():
    _summaries, wb = _sheet(Awkward(), Awkward())
    assert wb.sheetnames == ["Thử   khó", "Thử   khó1"]  # forbidden characters, unique
    ws = wb.worksheets[0]
    widths = {}
    for dimension in ws.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            widths[index] = dimension.width
    assert widths == {i: c.width for i, c in enumerate(Awkward.columns, start=1)}

    header_row = int(ws.freeze_panes[1:]) - 1
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    header = [c for c in ws[header_row] if c.value]
    assert [c.value for c in header] == [c.header for c in Awkward.columns]
    assert all(c.font.b and c.border.left.style == "thin" for c in header)
    assert all(c.fill.fgColor.rgb.endswith("E7E6E6") and c.alignment.wrap_text for c in header)
    title = next(c for row in ws.iter_rows() for c in row if c.value == Awkward.title.upper())
    assert title.font.b and title.font.sz == 13
    assert title.alignment.horizontal == "centerContinuous"

    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.orientation == "portrait"  # five columns
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_options.horizontalCentered
    assert (ws.page_margins.left, ws.page_margins.right) == (0.5, 0.5)


def test_formulas_carry_no_stale_result():
    """A formula is stored with an empty result, so LibreOffice computes it on opening
    (it does not recalculate a stored result of 0)."""
    target = io.BytesIO()
    render.write_report_xlsx(target, Awkward())
    target.seek(0)
    formulas = load_workbook(target, data_only=True).active
    total = _row(formulas, Awkward.total_label, column=0)
    assert total[2].value is None  # not 0


# ------------------------------------------------------------- public ground only


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _private_uses(source: str) -> list[str]:
    """Every place the module reaches into another object's private parts: an
    attribute with a leading underscore (dunders aside) of anything but self or cls, a
    private name or module imported, getattr/setattr/delattr/hasattr with such a name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            if _private(node.attr) and owner not in ("self", "cls"):
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".")
            names = [alias.name for alias in node.names]
            if any(_private(p) for p in parts) or any(_private(n) for n in names):
                found.append(f"line {node.lineno}: from {node.module} import {names}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if any(_private(p) for p in alias.name.split(".")):
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "delattr", "hasattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and _private(str(node.args[1].value))
        ):
            found.append(f"line {node.lineno}: {node.func.id}(…, {node.args[1].value!r})")
    return found


@pytest.mark.parametrize("module", [render, ward_exports], ids=lambda m: m.__name__)
def test_the_xlsx_writers_use_public_api_only(module):
    """The spreadsheet libraries are used through their documented API, so an upgrade
    within the pinned range cannot silently change what is written."""
    assert _private_uses(Path(module.__file__).read_text()) == []


def test_the_scan_finds_private_uses():
    source = (
        "from openpyxl.worksheet._writer import WorksheetWriter\n"
        "import xlsxwriter._private\n"
        "from x import _hidden\n"
        "ws._writer.write_row = fast\n"
        "getattr(ws, '_values_to_row')\n"
        "self.__dict__\n"
        "self._cache\n"
    )
    assert len(_private_uses(source)) == 5
