"""Every report against the database: its totals (streamed, written as formulas, and as
LibreOffice computes them) equal the database's sums."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Sum
from django.utils import timezone

from donations.models import Donation, LedgerEntry, Receipt, ReceiptCounter
from households.models import Household, Need, Support
from lddh.ward.models import AuditEvent
from tests.factories import NeedFactory, record_donation
from tests.reports.conftest import (
    EVIL,
    cells,
    download,
    find_row,
    libreoffice_csv,
    needs_soffice,
    number,
    workbook,
)

REPORTS = (
    "quy",
    "so-ung-ho",
    "so-bien-nhan",
    "ho-tro",
    "ho-duoc-ho-tro",
    "tien-do",
    "danh-sach-ho",
)
YEAR_START, YEAR_END = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)


def ledger(books, **filters) -> int:
    return (
        LedgerEntry.objects.filter(fund=books.fund, **filters).aggregate(s=Sum("amount"))["s"] or 0
    )


# ---------------------------------------------------------------- the fund report


def _fund_values(ws) -> dict[str, object]:
    """Label → amount, the first occurrence (block II before block VIII)."""
    values: dict[str, object] = {}
    for row in ws.iter_rows(min_col=1, max_col=5):
        if row[1].value:
            values.setdefault(row[1].value, row[4].value)
    return values


CLOSING_LABEL = "SỐ DƯ CUỐI KỲ (= I + II − III − IV + V.1 − V.2)"


def test_fund_report_figures_come_from_the_ledger(staff_client, books):
    wb, _ = workbook(download(staff_client, books, "quy"))
    ws = wb["Báo cáo Quỹ"]
    values = _fund_values(ws)
    period = {"date__gte": YEAR_START, "date__lte": YEAR_END}
    assert values["SỐ DƯ ĐẦU KỲ"] == 0
    assert values["Số dư cuối kỳ theo sổ quỹ"] == ledger(books, date__lte=YEAR_END)
    receipts = ledger(books, kind__in=("receipt", "void"), **period)
    spending = -ledger(books, kind="payment", **period)
    assert spending == 31_000_000
    # The void is dated today: in 2024 the voided receipt still counts, reversed later.
    assert values["Cá nhân, nhà hảo tâm"] == 500_000 + 1_200_000 + 700_000
    assert values["Doanh nghiệp"] == 50_000_000
    assert values["HỦY SAU KHI GHI"] == 0
    assert values["Sửa chữa nhà"] == 30_000_000
    assert values["Quà Tết, thăm hỏi"] == 1_000_000
    # The transfer between the fund's accounts: in and out, the same amount.
    assert values["Chuyển quỹ đến"] == values["Chuyển quỹ đi"] == 40_000_000
    subtotal = find_row(ws, "Cộng: đã thu")
    assert subtotal[4].value.startswith("=SUBTOTAL(9,E")
    assert subtotal[2].value.startswith("=SUBTOTAL(9,C")
    assert subtotal[3].value is None  # times, not households
    closing = find_row(ws, CLOSING_LABEL)
    assert closing[4].value.startswith("=E") and closing[4].data_type == "f"
    # Households by category (in the households column) and direct support, apart.
    assert values["Hộ cận nghèo"] == 30_000_000
    assert values["Hộ có hoàn cảnh đặc biệt khó khăn (chưa được công nhận)"] == 1_000_000
    assert find_row(ws, "Hộ cận nghèo")[3].value == 1
    assert find_row(ws, "Hộ cận nghèo")[2].value is None
    direct_rows = [r for r in ws.iter_rows() if r[1].value == "Cá nhân, nhà hảo tâm"]
    assert direct_rows[-1][4].value == 2_000_000  # block VIII
    assert receipts - spending == ledger(books, date__lte=YEAR_END)
    headers = [c.value for c in next(r for r in ws.iter_rows() if r[0].value == "STT")]
    assert headers == ["STT", "Nội dung", "Số lượt", "Số hộ", "Số tiền (đồng)"]


def test_fund_identity_with_a_void_inside_the_period(staff_client, books):
    today = timezone.localdate()
    response = download(
        staff_client,
        books,
        "quy",
        ky="custom",
        tu_ngay="01/10/2024",
        den_ngay=today.strftime("%d/%m/%Y"),
    )
    wb, _ = workbook(response)
    values = _fund_values(wb["Báo cáo Quỹ"])
    # Received counts every receipt; the reversal in the period is its own line.
    assert values["Cá nhân, nhà hảo tâm"] == 500_000 + 1_200_000 + 700_000
    assert find_row(wb.active, "Cá nhân, nhà hảo tâm")[2].value == 3
    assert values["HỦY SAU KHI GHI"] == 700_000
    assert find_row(wb.active, "HỦY SAU KHI GHI")[2].value == 1
    total_in = ledger(books, kind__in=("receipt", "void"))
    assert total_in == 54_900_000
    assert values["Số dư cuối kỳ theo sổ quỹ"] == total_in - 31_000_000 == ledger(books)
    assert any("Hủy sau khi ghi:" in str(v) for v in cells(wb))


def test_a_receipt_voided_after_the_period_is_explained(staff_client, books):
    wb, _ = workbook(download(staff_client, books, "quy"))
    texts = [str(v) for v in cells(wb)]
    texts = [t.replace("\xa0", " ") for t in texts]
    later = next(t for t in texts if t.startswith("Hủy sau kỳ:"))
    assert "1 biên nhận" in later and "700.000 đ" in later
    raised = next(t for t in texts if t.startswith("Đã vận động vào Quỹ trong kỳ"))
    assert "54.900.000 đ = đã thu 55.600.000 đ" in raised


def test_an_empty_block_says_none_instead_of_zero_formulas(staff_client, books):
    wb, _ = workbook(
        download(
            staff_client, books, "quy", ky="custom", tu_ngay="01/01/2023", den_ngay="31/12/2023"
        )
    )
    ws = wb["Báo cáo Quỹ"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert not any(v == "=0" for row in rows for v in row)
    start = next(i for i, r in enumerate(rows) if r[0] == "VII")
    assert rows[start + 1][1] == "Không có"
    start = next(i for i, r in enumerate(rows) if r[0] == "VIII")
    assert rows[start + 1][1] == "Không có"


@needs_soffice
def test_libreoffice_computes_the_fund_identity(staff_client, books, tmp_path):
    _, body = workbook(download(staff_client, books, "quy"))
    rows = libreoffice_csv(body, tmp_path)["Báo cáo Quỹ"]
    by_label = {r[1]: r for r in rows if len(r) > 4}
    closing = ledger(books, date__lte=YEAR_END)
    assert number(by_label[CLOSING_LABEL][4]) == closing
    assert number(by_label["Kiểm tra: chênh lệch (phải bằng 0)"][4]) == 0
    assert number(by_label["Cộng: đã thu"][4]) == closing + 31_000_000
    assert number(by_label["Cộng: đã thu"][2]) == 6  # receipts; the void comes later
    assert number(by_label["Cộng: đã chi"][4]) == 31_000_000
    assert number(by_label["Cộng: hỗ trợ trực tiếp"][4]) == 2_000_000


def test_fund_report_pdf_has_the_same_figures(staff_client, books):
    from tests.households.support_helpers import pdf_text

    response = download(staff_client, books, "quy", dinh_dang="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    closing = ledger(books, date__lte=YEAR_END)
    assert f"{closing:,}".replace(",", ".") in text
    assert "55.600.000" in text  # receipts of 2024 (the void comes later)
    assert "31.000.000" in text
    assert "khớp sổ quỹ" in text
    assert "CHỦ TỊCH" in text or "TM. BAN THƯỜNG TRỰC" in text


# ---------------------------------------------------------------- the donor book


def test_donor_list_totals_and_subtotals_per_source(staff_client, books):
    wb, _ = workbook(download(staff_client, books, "so-ung-ho"))
    ws = wb["Sổ theo dõi ủng hộ"]
    valid = Donation.objects.filter(
        purpose="fund", status="valid", date__gte=YEAR_START, date__lte=YEAR_END
    )
    total = find_row(ws, "Tổng cộng")
    assert total[6].value.startswith("=SUBTOTAL(9,G")
    individual = find_row(ws, "Cộng Cá nhân, nhà hảo tâm")
    assert individual[6].value.startswith("=SUBTOTAL(9,G")
    receipt = find_row(ws, books.voided.receipt.number)
    assert receipt[6].value is None and "đã hủy" in receipt[7].value
    assert "Nhập trùng biên nhận" in receipt[7].value
    numbers = [c.value for c in ws["B"] if isinstance(c.value, str) and c.value.startswith("VNN-")]
    assert len(numbers) == 6  # every donation to the fund, the voided one included
    assert books.direct_support.receipt.number not in numbers
    assert valid.aggregate(s=Sum("amount"))["s"] == 54_900_000


@needs_soffice
def test_libreoffice_adds_up_the_donor_list(staff_client, books, tmp_path):
    _, body = workbook(download(staff_client, books, "so-ung-ho"))
    rows = libreoffice_csv(body, tmp_path)["Sổ theo dõi ủng hộ"]
    by_label = {r[0]: r for r in rows if r}
    assert number(by_label["Tổng cộng"][6]) == 54_900_000
    assert number(by_label["Cộng Cá nhân, nhà hảo tâm"][6]) == 1_700_000
    assert number(by_label["Cộng Doanh nghiệp"][6]) == 50_000_000
    assert any(EVIL in r for r in rows)


def test_donor_list_pdf_same_total_and_literal_formula(staff_client, books):
    from tests.households.support_helpers import pdf_text

    response = download(staff_client, books, "so-ung-ho", dinh_dang="pdf")
    text = pdf_text(response.content)
    assert "54.900.000" in text
    assert '=HYPERLINK("http://' in text  # printed as text (wrapped in its cell)


def test_a_donor_list_too_long_for_pdf_suggests_excel(staff_client, books, monkeypatch):
    monkeypatch.setattr("lddh.reports.documents.PDF_ROW_LIMIT", 3)
    response = download(staff_client, books, "so-ung-ho", dinh_dang="pdf")
    assert response.status_code == 200
    assert "quá nhiều để in PDF" in response.content.decode()
    assert not AuditEvent.objects.filter(action="report.download").exists()


# ---------------------------------------------------------------- receipt register


def test_receipt_register_lists_every_number_and_says_no_gaps(staff_client, books):
    wb, _ = workbook(download(staff_client, books, "so-bien-nhan"))
    ws = wb.active
    numbers = [c.value for c in ws["A"] if isinstance(c.value, str) and "-2024-" in c.value]
    expected = list(
        Receipt.objects.filter(year=2024).order_by("series", "seq").values_list("number", flat=True)
    )
    assert sorted(numbers) == sorted(expected)
    voided = find_row(ws, books.voided.receipt.number)
    assert voided[6].value == "Đã hủy" and voided[8].value == "Nhập trùng biên nhận"
    assert voided[5].value == 700_000 and voided[4].value is None
    texts = [str(v) for v in cells(wb)]
    assert any("VNN-2024: 6 số đã cấp" in t and "không có số bị thiếu" in t for t in texts)
    assert not any("THIẾU" in t for t in texts)


def test_receipt_register_finds_a_gap(staff_client, books, world):
    counter = ReceiptCounter.objects.get(series="VNN", year=2024)
    ReceiptCounter.objects.filter(pk=counter.pk).update(last=counter.last + 2)  # 7, 8 lost
    record_donation(actor=world.users["staff"], fund=books.fund, date=datetime.date(2024, 12, 1))
    wb, _ = workbook(download(staff_client, books, "so-bien-nhan"))
    texts = [str(v) for v in cells(wb)]
    assert "THIẾU SỐ: VNN-2024-000007 đến VNN-2024-000008" in texts
    assert any("CÓ SỐ BỊ THIẾU – VNN-2024-000007 đến VNN-2024-000008" in t for t in texts)


def test_receipt_register_finds_numbers_taken_but_never_issued(staff_client, books):
    ReceiptCounter.objects.filter(series="VNN", year=2024).update(last=9)
    wb, _ = workbook(download(staff_client, books, "so-bien-nhan"))
    texts = [str(v) for v in cells(wb)]
    assert any(t.startswith("THIẾU SỐ: VNN-2024-000007 đến VNN-2024-000009") for t in texts)


# ---------------------------------------------------------------- support


def test_support_list_totals_equal_the_database(staff_client, books):
    wb, _ = workbook(download(staff_client, books, "ho-tro", ky="campaign"))
    ws = wb.active
    paid = Support.objects.filter(status="paid", campaign=books.campaign)
    total = find_row(ws, "Tổng cộng")
    header = find_row(ws, "Đã chi / bàn giao (đồng)")
    paid_col = [c.value for c in header].index("Đã chi / bàn giao (đồng)")
    assert total[paid_col].value.startswith("=SUBTOTAL(9,")
    listed = sum(r[paid_col].value or 0 for r in ws.iter_rows() if isinstance(r[0].value, int))
    assert listed == paid.aggregate(s=Sum("amount"))["s"] == 31_000_000
    assert find_row(ws, "Trần Thị Bình")
    pending = find_row(ws, EVIL)  # proposed, not paid: listed, not in the paid total
    assert pending[1].data_type == "s" and pending[paid_col].value is None


def test_support_list_of_a_period_takes_paid_supports_by_handover_date(staff_client, books):
    wb, _ = workbook(download(staff_client, books, "ho-tro"))  # 2024: the proposal is today
    values = cells(wb)
    assert "Trần Thị Bình" in values and "Lê Văn Cường" in values
    assert EVIL not in values


def test_households_supported_by_group_kind_and_category(staff_client, books):
    wb, _ = workbook(download(staff_client, books, "ho-duoc-ho-tro"))
    ws = wb.active
    group2 = find_row(ws, f"Cộng {books.poor_household.group.name}")
    assert group2[3].value == 1  # distinct households, a value
    assert group2[5].value.startswith("=SUBTOTAL(9,F")
    rows = [r for r in ws.iter_rows() if isinstance(r[0].value, int)]
    assert sum(r[5].value for r in rows) == 31_000_000
    assert {(r[1].value, r[2].value) for r in rows} == {
        ("Hộ cận nghèo", "Sửa chữa nhà"),
        ("Hộ có hoàn cảnh đặc biệt khó khăn", "Quà Tết, thăm hỏi"),
    }


# ---------------------------------------------------------------- progress, register


def test_campaign_progress_against_targets(staff_client, books, world):
    from tests.factories import BoardMemberFactory, TargetFactory

    TargetFactory(campaign=books.campaign, group=world.groups[2], amount=1_000_000)
    BoardMemberFactory(campaign=books.campaign, full_name=EVIL, sub_target=10_000_000)
    wb, _ = workbook(download(staff_client, books, "tien-do"))
    ws = wb.active
    group2 = find_row(ws, world.groups[2].name)
    assert group2[2].value == 1_000_000 and group2[3].value == 200_000
    assert group2[4].value.startswith("=IF(")
    whole = find_row(ws, "TOÀN PHƯỜNG")
    assert (
        whole[3].value
        == Donation.objects.filter(
            campaign=books.campaign, status="valid", purpose="fund"
        ).aggregate(s=Sum("amount"))["s"]
    )
    assert find_row(ws, f"{EVIL} – Thành viên Ban vận động")[1].data_type == "s"


@needs_soffice
def test_libreoffice_computes_progress_percentages(staff_client, books, world, tmp_path):
    from tests.factories import TargetFactory

    TargetFactory(campaign=books.campaign, group=world.groups[2], amount=1_000_000)
    _, body = workbook(download(staff_client, books, "tien-do"))
    rows = libreoffice_csv(body, tmp_path)["Tiến độ vận động"]
    group2 = next(r for r in rows if len(r) > 4 and r[1] == world.groups[2].name)
    assert group2[4].startswith("20")  # 200.000 of 1.000.000
    assert group2[4].endswith("%")


def test_register_lists_households_with_needs_per_group(staff_client, books, world):
    NeedFactory(household=books.poor_household, estimated_cost=60_000_000)
    NeedFactory(household=books.poor_household, type="student", estimated_cost=5_000_000)
    wb, _ = workbook(download(staff_client, books, "danh-sach-ho"))
    assert wb.sheetnames == ["Danh sách hộ", "Tổng hợp theo tổ", "Nhu cầu theo loại"]
    row = find_row(wb["Danh sách hộ"], "Trần Thị Bình")
    assert row[7].value == 2 and row[8].value == 65_000_000
    open_cost = Need.objects.filter(
        household__status="active", status__in=("open", "planned")
    ).aggregate(s=Sum("estimated_cost"))["s"]
    summary = wb["Tổng hợp theo tổ"]
    lines = [r for r in summary.iter_rows() if isinstance(r[1].value, int)]
    assert sum(r[8].value for r in lines) == open_cost
    assert sum(r[1].value for r in lines) == Household.objects.active().count()
    assert find_row(wb["Danh sách hộ"], EVIL)[1].data_type == "s"
    # A report never carries CCCD or phone numbers, even for the office.
    values = [str(v) for v in cells(wb)]
    assert not any("0912 345 678" in v or "001080012345" in v for v in values)


# ---------------------------------------------------------------- every report


@needs_soffice
@pytest.mark.parametrize("report", REPORTS)
def test_libreoffice_opens_every_report_without_errors(staff_client, books, report, tmp_path):
    _, body = workbook(download(staff_client, books, report))
    sheets = libreoffice_csv(body, tmp_path)
    assert sheets
    for rows in sheets.values():
        assert rows[0][0] == "ỦY BAN MTTQ VIỆT NAM"


@pytest.mark.parametrize("report", REPORTS)
def test_every_report_has_the_official_layout(staff_client, books, report):
    wb, _ = workbook(download(staff_client, books, report))
    for ws in wb.worksheets:
        assert ws["A1"].value == "ỦY BAN MTTQ VIỆT NAM"
        assert ws.freeze_panes and ws.freeze_panes.startswith("A")
        header_row = int(ws.freeze_panes[1:]) - 1
        assert ws.print_title_rows == f"${header_row}:${header_row}"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        values = [c.value for row in ws.iter_rows() for c in row]
        assert "NGƯỜI LẬP BIỂU" in values and "KẾ TOÁN" in values
        assert any(isinstance(v, str) and v.startswith("Hà Nội, ngày") for v in values)
        header = [c.value for c in ws[header_row]]
        money_columns = {i + 1 for i, h in enumerate(header) if h and "(đồng)" in h}
        assert money_columns
        money = [c for row in ws.iter_rows() for c in row if c.column in money_columns]
        assert all(c.number_format == "#,##0" for c in money if isinstance(c.value, int))


@pytest.mark.parametrize(
    "report", ("so-ung-ho", "so-bien-nhan", "ho-tro", "danh-sach-ho", "tien-do")
)
def test_a_formula_like_name_is_literal_text(staff_client, books, report):
    from tests.factories import BoardMemberFactory

    BoardMemberFactory(campaign=books.campaign, full_name=EVIL, position="")
    wb, _ = workbook(download(staff_client, books, report, ky="campaign"))
    found = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == EVIL]
    assert found and all(c.data_type == "s" for c in found)


def test_characters_excel_rejects_are_removed(staff_client, books, world):
    from tests.factories import DonorFactory

    record_donation(
        actor=world.users["staff"],
        donor=DonorFactory(name="Bad\x01name\x1f"),
        fund=books.fund,
        date=datetime.date(2024, 12, 2),
    )
    wb, _ = workbook(download(staff_client, books, "so-ung-ho"))
    assert "Badname" in cells(wb)


def test_every_download_is_in_the_audit_log(supervisor_client, books, world):
    download(supervisor_client, books, "so-bien-nhan")
    event = AuditEvent.objects.get(action="report.download")
    assert event.actor == world.users["supervisor"]
    assert event.after["report"] == "so-bien-nhan"
    assert event.after["start"] == "2024-01-01" and event.after["end"] == "2024-12-31"
    assert event.after["fund"] == "VNN" and event.after["rows"] == 7  # 6 VNN + 1 HTTT
