"""The level above sees a menu of figures only, downloads the fund report; the file opens
and its figures reconcile with the books: opening + received − voided after recording −
spent + transfers in − transfers out = the ledger's closing balance."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _rows(ws):
    return [[v for v in row if v is not None] for row in ws.iter_rows(values_only=True)]


def _block(rows, start_label, end_label):
    """The amounts (last column) of the numbered lines between two block headings."""
    start = next(i for i, r in enumerate(rows) if start_label in r)
    end = next(i for i, r in enumerate(rows) if end_label in r)
    return [r[-1] for r in rows[start + 1 : end] if r and str(r[0]).isdigit()]


def test_higher_level_downloads_the_fund_report_and_the_totals_reconcile(
    demo, browser, live_server, screens
):
    from campaigns.models import Campaign
    from donations.models import Fund
    from donations.selectors import fund_balance

    context = browser.new_context(accept_downloads=True, locale="vi-VN")
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "captren")
    # The menu offers the figures only: no register, donor or supervision page.
    menu = page.locator("nav").inner_text()
    assert "Báo cáo" in menu and "Chiến dịch" in menu
    for hidden in ("Hộ gia đình", "Người ủng hộ", "Sổ quỹ", "Nhật ký thao tác"):
        assert hidden not in menu, hidden
    assert page.goto(page.base_url + "/quan-ly/ho-gia-dinh/").status == 403
    page.goto(page.base_url + "/quan-ly/bao-cao/")
    assert "chỉ có số liệu" in page.locator("#counts-only").inner_text()
    screens.shot(page, "bao-cao")
    with page.expect_download() as download:
        page.click("main button[type=submit]")
    assert download.value.suggested_filename.endswith(".xlsx")
    # The saved download has no file extension, which openpyxl refuses: read the bytes.
    data = io.BytesIO(Path(download.value.path()).read_bytes())
    rows = _rows(load_workbook(data).worksheets[0])
    context.close()

    assert any("BÁO CÁO KẾT QUẢ VẬN ĐỘNG VÀ SỬ DỤNG QUỸ" in str(r[0]) for r in rows if r)
    opening = next(r[-1] for r in rows if "SỐ DƯ ĐẦU KỲ" in r)
    receipts = sum(_block(rows, "ĐÃ THU TRONG KỲ (theo nguồn)", "Cộng: đã thu"))
    voided = next(r[-1] for r in rows if "HỦY SAU KHI GHI" in r)
    spending = sum(_block(rows, "ĐÃ CHI TRONG KỲ (theo loại hỗ trợ)", "Cộng: đã chi"))
    transfer_in = next(r[-1] for r in rows if "Chuyển quỹ đến" in r)
    transfer_out = next(r[-1] for r in rows if "Chuyển quỹ đi" in r)
    ledger_closing = next(r[-1] for r in rows if "Số dư cuối kỳ theo sổ quỹ" in r)

    campaign = Campaign.objects.get(year=2024)
    fund = Fund.objects.get(code="VNN")
    assert ledger_closing == fund_balance(fund, until=campaign.end_date)
    assert opening + receipts - voided - spending + transfer_in - transfer_out == ledger_closing
    assert receipts > 0
