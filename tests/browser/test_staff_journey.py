"""Ward staff record a cash donation from a new donor at the desk, open its receipt and
see the campaign figure change on the staff home."""

import io

import pytest
from pypdf import PdfReader

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _amount(text: str) -> int:
    return int("".join(ch for ch in text if ch.isdigit()))


def test_staff_records_a_cash_donation_and_prints_its_receipt(demo, new_page, screens):
    page = new_page()
    login(page, "canbo")
    before = _amount(page.locator("#raised-total").inner_text())
    screens.shot(page, "tong-quan-truoc")

    page.goto(page.base_url + "/quan-ly/ung-ho/nhap/")
    page.fill("#id_new_name", "Trần Văn Mới")
    page.select_option("#id_new_source", "individual")
    page.fill("#id_new_phone", "0912 345 678")
    page.fill("#id_amount", "1500000")
    assert page.input_value("#id_amount") == "1.500.000"  # formatted as typed
    page.fill("#id_date", "10/11/2024")
    screens.shot(page, "nhap-ung-ho")
    page.click("main button[type=submit]")

    page.wait_for_selector("text=Đã lưu khoản ủng hộ, biên nhận số")
    screens.shot(page, "bien-nhan")
    link = page.locator("a", has_text="In biên nhận").first
    response = page.request.get(page.base_url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "Trần Văn Mới" in text
    assert "Một triệu năm trăm nghìn đồng" in " ".join(text.split())

    page.goto(page.base_url + "/quan-ly/")
    after = _amount(page.locator("#raised-total").inner_text())
    assert after == before + 1_500_000
    screens.shot(page, "tong-quan-sau")


def test_a_mistyped_amount_keeps_everything_the_person_typed(demo, new_page):
    page = new_page()
    login(page, "canbo")
    page.goto(page.base_url + "/quan-ly/ung-ho/nhap/")
    page.fill("#id_new_name", "Lê Thị Nhầm")
    page.select_option("#id_new_source", "individual")
    page.fill("#id_date", "10/11/2024")
    page.click("main button[type=submit]")  # no amount
    assert page.input_value("#id_new_name") == "Lê Thị Nhầm"
    assert page.locator(".invalid-feedback, .alert-danger").count() >= 1
