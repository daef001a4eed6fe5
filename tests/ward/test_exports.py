import csv
import datetime
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from lddh.ward.exports import Column, Export, csv_rows, write_xlsx, xlsx_response

EVIL = '=HYPERLINK("http://x","y")'


class Donors(Export):
    title = "Sổ theo dõi ủng hộ"
    sheet_name = "Sổ theo dõi: 2024/10"  # ':' and '/' are not allowed in sheet names
    filename = "so-theo-doi"
    columns = [
        Column("Ngày", "date", 12),
        Column("Người ủng hộ", "text", 30),
        Column("Số tiền (đồng)", "money", 16, total=True),
        Column("Số lượt", "int", 8, total=True),
    ]

    def __init__(self, rows):
        self._rows = rows

    def header_lines(self):
        return ["ỦY BAN MTTQ VIỆT NAM", "PHƯỜNG LÊ ĐẠI HÀNH", "BAN THƯỜNG TRỰC"]

    def subtitle_lines(self):
        return ["Từ ngày 17/10/2024 đến ngày 18/11/2024"]

    def signatures(self):
        return [("NGƯỜI LẬP BIỂU", "Nguyễn Thị Hương"), ("TM. BAN THƯỜNG TRỰC", "Trần Thanh Tuấn")]

    def rows(self):
        self.total = 0
        for row in self._rows:
            self.total += row[2]
            yield row

    def footer_lines(self):
        return [f"Bằng chữ: {self.total} đồng"]


ROWS = [
    (datetime.date(2024, 10, 17), "Nguyễn Văn An", 1_500_000, 1),
    (datetime.date(2024, 10, 18), EVIL, 200_000, 1),
    (datetime.date(2024, 10, 19), "+84 912 345 678", 50_000, 1),
    (datetime.date(2024, 10, 20), "Bad\x01char\x1f", 3_000_000_000, 1),
]


def _book(rows=ROWS):
    buffer = io.BytesIO()
    summary = write_xlsx(buffer, Donors(rows))
    buffer.seek(0)
    return load_workbook(buffer), summary, buffer


def _find(ws, value):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} not in sheet")


def test_header_title_and_frozen_column_headers():
    wb, _, _ = _book()
    ws = wb.active
    assert ws.title == "Sổ theo dõi  2024 10"
    assert ws["A1"].value == "ỦY BAN MTTQ VIỆT NAM"
    assert _find(ws, "SỔ THEO DÕI ỦNG HỘ").font.b
    header = _find(ws, "Người ủng hộ")
    assert ws.freeze_panes == f"A{header.row + 1}"
    assert ws.print_title_rows == f"${header.row}:${header.row}"
    assert ws.column_dimensions["B"].width == 30
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4


def test_formula_like_text_is_written_as_literal_text():
    wb, _, _ = _book()
    cell = _find(wb.active, EVIL)
    assert cell.data_type == "s"
    assert _find(wb.active, "+84 912 345 678").data_type == "s"


def test_characters_excel_rejects_are_removed():
    wb, _, _ = _book()
    _find(wb.active, "Badchar")


def test_money_and_dates_have_number_formats():
    wb, _, _ = _book()
    ws = wb.active
    money = _find(ws, 1_500_000)
    assert money.number_format == "#,##0"
    assert ws.cell(row=money.row, column=1).number_format == "dd/mm/yyyy"


def test_totals_are_formulas_and_match_the_rows():
    wb, summary, _ = _book()
    ws = wb.active
    total_label = _find(ws, "Tổng cộng")
    header = _find(ws, "Người ủng hộ")
    first, last = header.row + 1, header.row + len(ROWS)
    assert ws.cell(row=total_label.row, column=3).value == f"=SUM(C{first}:C{last})"
    assert summary == [{"rows": 4, "Số tiền (đồng)": 3_001_750_000, "Số lượt": 4}]


def test_footer_lines_follow_the_total_and_may_use_streamed_totals():
    wb, _, _ = _book()
    ws = wb.active
    assert _find(ws, "Bằng chữ: 3001750000 đồng").row == _find(ws, "Tổng cộng").row + 1


def test_signature_blocks_at_the_bottom():
    wb, _, _ = _book()
    ws = wb.active
    assert _find(ws, "TM. BAN THƯỜNG TRỰC").row < _find(ws, "Trần Thanh Tuấn").row


def test_an_empty_export_still_opens_with_zero_totals():
    wb, summary, _ = _book(rows=[])
    assert _find(wb.active, "Tổng cộng")
    assert summary[0]["rows"] == 0


def test_csv_neutralises_formulas_and_reads_in_excel():
    text = "".join(csv_rows(Donors(ROWS)))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Ngày", "Người ủng hộ", "Số tiền (đồng)", "Số lượt"]
    assert rows[1] == ["17/10/2024", "Nguyễn Văn An", "1500000", "1"]
    assert rows[2][1] == "'" + EVIL
    assert rows[3][1] == "'+84 912 345 678"
    assert rows[4][1] == "Badchar"


def test_xlsx_response_is_an_attachment(db):
    response = xlsx_response(Donors(ROWS))
    assert response["Content-Disposition"].startswith('attachment; filename="so-theo-doi.xlsx"')
    body = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(body)).active["A1"].value == "ỦY BAN MTTQ VIỆT NAM"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice Calc not installed")
def test_libreoffice_opens_the_file_and_computes_the_same_totals(tmp_path):
    _, _, buffer = _book()
    source = tmp_path / "so.xlsx"
    source.write_bytes(buffer.getvalue())
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader((tmp_path / "so.csv").read_text(encoding="utf-8").splitlines()))
    total = next(r for r in rows if r and r[0] == "Tổng cộng")
    assert int(total[2].replace(",", "").replace(".", "")) == 3_001_750_000
    assert int(total[3]) == 4
    assert any(EVIL in r for r in rows)
