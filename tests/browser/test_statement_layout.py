"""A treasurer makes a statement layout from the bank's own file, on a 360 px phone:
reads the file, sees the proposal checked by the balances, changes a column pick, saves
it for the account, and the account's statements are then read with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from donations.models import Account, BankLayout, StatementLine
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SAMPLE = (
    Path(__file__).resolve().parent.parent / "donations/statement_samples/vietinbank_efast.xlsx"
)
PHONE_360 = {"width": 360, "height": 780}


def test_treasurer_makes_a_layout_from_a_file_and_the_account_uses_it(
    browser_world, new_page, screens
):
    account = Account.objects.create(name="TK VietinBank phường", kind=Account.Kind.BANK)
    page = new_page(viewport=PHONE_360)
    login(page, "ketoan")
    page.goto(page.base_url + "/quan-ly/ung-ho/sao-ke/mau/")
    page.click("#make-layout")
    page.set_input_files("#id_file", str(SAMPLE))
    page.click("#read-sample")
    check = page.locator("#layout-check")
    check.wait_for()
    assert "31/31 dòng khớp số dư" in check.inner_text()
    assert "không được lưu" in page.inner_text("main")
    # The first rows scroll inside their box; the page itself fits the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screens.shot(page, "proposal")

    # The proposal took the accounting date; the treasurer prefers the transaction date.
    date_select = page.locator("#id_date_column")
    assert date_select.input_value() == "Ngày hạch toán Accounting date"
    date_select.select_option("Ngày phát sinh Transaction date")
    page.fill("#id_name", "VietinBank của phường")
    page.select_option("#id_account", label=account.name)
    page.click("#save-layout")
    page.wait_for_url("**/sao-ke/mau/")
    row = page.locator("tr", has_text="VietinBank của phường")
    assert account.name in row.inner_text()
    screens.shot(page, "saved")

    layout = BankLayout.objects.get(name="VietinBank của phường")
    assert layout.date_column == "Ngày phát sinh Transaction date"
    assert not layout.preset
    account.refresh_from_db()
    assert account.statement_layout == layout
    assert AuditEvent.objects.filter(action=AuditAction.BANK_LAYOUT_CREATE).count() == 1

    # The upload page pre-selects the account's layout, and the file goes in with it.
    page.goto(page.base_url + "/quan-ly/ung-ho/sao-ke/")
    page.select_option("#id_account", label=account.name)
    assert page.locator("#id_layout").input_value() == str(layout.pk)
    page.set_input_files("#id_file", str(SAMPLE))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/sao-ke/nhap/*/")
    assert "= 32 dòng mới + 0 dòng đã có" in page.locator("#import-accounting").inner_text()
    assert StatementLine.objects.filter(account=account).count() == 32
