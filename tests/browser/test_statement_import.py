"""The treasurer uploads a bank statement with a break in its balance through the real
page, is told the file is held and why, types a reason, accepts, and sees every row of
the file accounted for."""

import pytest

from donations.models import Account, BalanceGap, BankLayout, StatementImport, StatementLine
from tests.browser.conftest import PHONE, login
from tests.donations.test_statement_traits import WITH_GAPS, build, vnd

pytestmark = pytest.mark.browser


def test_treasurer_accepts_a_statement_with_a_break(browser_world, new_page, screens):
    account = Account.objects.create(name="TK Vietcombank", kind=Account.Kind.BANK, order=2)
    layout = BankLayout.objects.create(
        name="Thử – Vietcombank CSV (dấu chấm)", header_row=6,
        date_column="Ngày giao dịch", reference_column="Số tham chiếu",
        credit_column="Số tiền ghi có", debit_column="Số tiền ghi nợ", balance_column="Số dư",
        description_column="Mô tả", date_format="%d/%m/%Y", thousands_separator=".",
        decimal_separator=",", order=20,
    )  # fmt: skip
    built = build(WITH_GAPS, repeat_header_after=(4,))
    page = new_page(viewport=PHONE)
    login(page, "ketoan")
    page.goto(page.base_url + "/quan-ly/ung-ho/sao-ke/")
    page.select_option("#id_account", str(account.pk))
    page.select_option("#id_layout", str(layout.pk))
    page.set_input_files(
        "#id_file", {"name": "sao-ke-thang-9.csv", "mimeType": "text/csv", "buffer": built.data}
    )
    screens.shot(page, "tai-len")
    page.click("main button[type=submit]")

    held = page.locator("#import-held")
    held.wait_for()
    assert "số dư trong tệp không liên tục ở 2 chỗ" in held.inner_text()
    assert "Chưa có dòng nào được lưu" in held.inner_text()
    breaks = page.locator("#import-breaks").inner_text()
    for before, row, amount in built.breaks:
        assert f"Dòng {row}: số dư" in breaks and f"sau dòng {before}" in breaks
        assert f"có {vnd(amount)} tiền vào" in breaks.replace("\xa0", " ")
    assert StatementLine.objects.count() == 0
    screens.shot(page, "cho-quyet-dinh")

    reason = "Ngân hàng xác nhận hai khoản nộp tiền mặt sẽ có trong sao kê sau"
    page.locator("#accept-reason").press_sequentially(reason)
    page.get_by_role("button", name="Vẫn nhập, giữ các chỗ chênh lệch").click()

    accounting = page.locator("#import-accounting")
    accounting.wait_for()
    n = built.file_row_count()
    expected = (
        f"{n} dòng trong tệp = {built.line_count} dòng mới + 0 dòng đã có + "
        f"{n - built.line_count} dòng không phải giao dịch"
    )
    assert expected in accounting.inner_text()
    assert page.locator("#import-gaps > li").count() == 2
    assert reason in page.locator("main").inner_text()
    screens.shot(page, "da-nhap")

    batch = StatementImport.objects.get()
    assert batch.status == StatementImport.Status.DONE and batch.accept_reason == reason
    assert (batch.credit_sum, batch.debit_sum) == (built.credit_sum, built.debit_sum)
    assert StatementLine.objects.count() == built.line_count
    assert BalanceGap.objects.filter(explained_at=None).count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a phone"
