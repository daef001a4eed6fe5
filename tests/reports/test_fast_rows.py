"""The report renderer's fast data rows (ready-made XML, see render._FastRows) write
exactly the cells openpyxl's own path writes, awkward values included."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from lddh.reports.exports import render
from lddh.ward.exports import Column, Export

HAS_LXML = render.LXML


class Awkward(Export):
    title = "Thử các giá trị khó"
    columns = (
        Column("Ngày", "date", 12),
        Column("Họ tên", "text", 30),
        Column("Số tiền", "money", 16, total=True),
        Column("Số khoản", "int", 10, total=True),
        Column("Ghi chú", "text", 14),
    )

    def rows(self):
        day = datetime.date(2024, 10, 17)
        yield (day, "Nguyễn Văn An", 1_500_000, 1, "")
        yield (day, "=SUM(A1:A9)", 2_000, 2, "+cmd|' /C calc'!A0")
        yield (day, "-x", 0, 0, "@tên")
        yield (day, "Bell\x07 and tab\t inside", 10, 1, None)
        yield (day, "  spaces kept  ", 10, 1, "x" * 40_000)
        yield (day, "Một dòng rất dài " * 20, 5, 1, "ngắn")
        yield (datetime.date(1899, 12, 31), "trước 1900", 7, 1, "")
        yield (datetime.datetime(2024, 10, 17, 9, 30), "giờ", 3, 1, "")
        yield (day, "số thực", 2.5, True, "")
        yield (day, "dòng ngắn")
        yield render.Line(["", "Dòng ngoài bảng", render.Formula("=C{r}")])


def _cells(monkeypatch, fast: bool):
    monkeypatch.setattr(render, "LXML", fast and HAS_LXML)
    target = io.BytesIO()
    summary = render.write_report_xlsx(target, Awkward())[0]
    target.seek(0)
    ws = load_workbook(target).active
    cells = [
        (
            c.coordinate,
            c.value,
            c.data_type if c.value is not None else "empty",
            c.number_format,
            c.alignment.wrap_text,
            c.font.b,
            c.border.left.style,
        )
        for row in ws.iter_rows()
        for c in row
    ]
    heights = {i: d.height for i, d in ws.row_dimensions.items() if d.height}
    return summary, cells, heights


def test_fast_rows_write_what_openpyxl_writes(monkeypatch):
    if not HAS_LXML:
        pytest.skip("the fast path needs lxml")
    slow = _cells(monkeypatch, fast=False)
    fast = _cells(monkeypatch, fast=True)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    assert fast[2] == slow[2]


def test_text_that_looks_like_a_formula_stays_text(monkeypatch):
    _summary, cells, _heights = _cells(monkeypatch, fast=True)
    by_value = {value: kind for _coord, value, kind, *_ in cells if isinstance(value, str)}
    assert by_value["=SUM(A1:A9)"] == "s"
    assert by_value["+cmd|' /C calc'!A0"] == "s"
