"""Downloads of one day or one month, CSV and XLSX, with the page's columns only."""

from __future__ import annotations

import io

from openpyxl import load_workbook


def _xlsx(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_donor_list_of_a_month_as_csv(ward, anon_client):
    response = anon_client.get("/cong-khai/2024/tai-ve/ung-ho-2024-10.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert (
        lines[0] == "Ngày,Số biên nhận,Người ủng hộ,Tổ dân phố / tổ chức,Hình thức,Số tiền (đồng)"
    )
    assert len(lines) == 1 + 3  # the voided receipt and the direct support are not here
    assert "Nguyễn Văn Ân" in text and "Nhà hảo tâm giấu tên" in text and "Bích" not in text


def test_donor_list_of_a_day_as_xlsx_sums_to_the_day(ward, anon_client):
    rows = _xlsx(anon_client.get("/cong-khai/2024/tai-ve/ung-ho-2024-10-25.xlsx"))
    data = [row for row in rows if row and row[1] and str(row[1]).startswith("VNN-")]
    assert [(row[2], row[5]) for row in data] == [("Công ty TNHH Ánh Dương", 3_000_000)]


def test_spending_of_a_month(ward, anon_client):
    rows = _xlsx(anon_client.get("/cong-khai/2024/tai-ve/chi-ho-tro-2024-11.xlsx"))
    data = [row[:5] for row in rows if row and row[0] == "11/2024"]
    assert data == [
        ("11/2024", "Sửa chữa nhà", 1, 1, 1_500_000),
        ("11/2024", "Khám chữa bệnh, bệnh hiểm nghèo", 1, 1, 600_000),
    ]
    csv = b"".join(
        anon_client.get("/cong-khai/2024/tai-ve/chi-ho-tro-2024-11-02.csv").streaming_content
    ).decode("utf-8-sig")
    assert "02/11/2024,Sửa chữa nhà,1,1,1500000" in csv


def test_the_home_page_links_each_month(ward, anon_client):
    page = anon_client.get("/").content.decode()
    assert "/cong-khai/2024/tai-ve/ung-ho-2024-10.xlsx" in page
    assert "/cong-khai/2024/tai-ve/chi-ho-tro-2024-11.csv" in page
