"""The launch ceremony on a phone: many pledges typed into the quick-entry screen with
hostile amounts (each row saved or refused with a message naming it, the typed text
kept), then a pledge paid at the counter through the donation form opened from the
pledge's page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import Account, Donation, Donor, Fund, Pledge
from tests.browser.conftest import login
from tests.factories import CampaignFactory, DonorFactory

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 780}


@pytest.fixture
def ceremony(browser_world):
    today = timezone.localdate()
    Fund.objects.create(code="VNN", name="Quỹ “Vì người nghèo”", order=1)
    Account.objects.create(name="Két tiền mặt", kind=Account.Kind.CASH, order=1)
    CampaignFactory(
        year=today.year,
        start_date=today - datetime.timedelta(days=5),
        end_date=today + datetime.timedelta(days=25),
        status=Campaign.Status.ACTIVE,
    )
    DonorFactory(source="business", name="Công ty TNHH Minh Phát")
    return today


def _fits(page):
    wide = page.evaluate("""() => Array.from(document.querySelectorAll('body *')).filter(
        e => e.getBoundingClientRect().right > 361).slice(0, 8).map(
        e => e.tagName + '#' + e.id + '.' + e.className + ':' + e.getBoundingClientRect().right)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], wide


def _type_row(page, n: int, name: str, source: str, amount: str, due: str) -> None:
    page.locator(f"#id_dong-{n}-donor_name").press_sequentially(name)
    if source:
        page.select_option(f"#id_dong-{n}-source", source)
    page.locator(f"#id_dong-{n}-amount").press_sequentially(amount)
    page.locator(f"#id_dong-{n}-due_date").press_sequentially(due)


def test_quick_entry_and_a_counter_payment_on_a_phone(ceremony, new_page):
    due = (ceremony + datetime.timedelta(days=10)).strftime("%d/%m/%Y")
    page = new_page(viewport=NARROW)
    login(page, "canbo")
    page.goto(page.base_url + "/quan-ly/ung-ho/cam-ket/ghi-nhanh/")
    _fits(page)
    _type_row(page, 0, "Công ty TNHH Minh Phát", "", "1.000.000", due)
    _type_row(page, 1, "Ngân hàng Á Châu", "business", "1.5tr", due)
    _type_row(page, 2, "Trường THCS Lê Đại Hành", "agency", "-500000", due)
    _type_row(page, 3, "Cửa hàng Hòa Bình", "business", "mười triệu", due)
    page.click("#quick-form button[type=submit]")
    page.wait_for_selector("#quick-refused")
    _fits(page)
    # One row saved, three refused, each named by its row and field.
    assert Pledge.objects.count() == 1
    assert "Công ty TNHH Minh Phát" in page.inner_text("#quick-saved")
    refused = page.inner_text("#quick-refused")
    for row in ("Dòng 2", "Dòng 3", "Dòng 4"):
        assert f"{row} – Số tiền (đồng)" in refused, refused
    # No donor was made for a refused row, and what was typed is still there.
    assert not Donor.objects.filter(name="Ngân hàng Á Châu").exists()
    assert page.input_value("#id_dong-0-donor_name") == "Ngân hàng Á Châu"
    assert page.input_value("#id_dong-0-amount") == "1.5tr"
    assert page.input_value("#id_dong-1-amount") == "-500000"
    # The first refused row corrected with dots: saved; the others stay refused.
    page.fill("#id_dong-0-amount", "")
    page.locator("#id_dong-0-amount").press_sequentially("1.500.000")
    page.click("#quick-form button[type=submit]")
    page.wait_for_selector("#quick-refused")
    bank = Pledge.objects.get(donor__name="Ngân hàng Á Châu")
    assert bank.amount == 1_500_000
    assert Pledge.objects.count() == 2

    # The counter: from the pledge's page, the entry form comes filled in for it.
    pledge = Pledge.objects.get(donor__name="Công ty TNHH Minh Phát")
    page.goto(page.base_url + f"/quan-ly/ung-ho/cam-ket/{pledge.pk}/")
    _fits(page)
    assert "Chưa nộp" in page.inner_text("main")
    page.click("text=Ghi khoản nộp tại quầy")
    page.wait_for_selector("#donation-form")
    assert page.input_value("#id_pledge") == str(pledge.pk)
    page.fill("#id_amount", "")
    page.locator("#id_amount").press_sequentially("1.000.000")
    page.click("#donation-form button[type=submit]")
    page.wait_for_url("**/quan-ly/ung-ho/*/?moi=1")
    donation = Donation.objects.get()
    assert donation.amount == 1_000_000 and donation.pledge_payment.pledge == pledge
    page.goto(page.base_url + f"/quan-ly/ung-ho/cam-ket/{pledge.pk}/")
    main = page.inner_text("main")
    assert "Đã nộp đủ" in main and donation.receipt.number in main
    _fits(page)


def test_the_pledge_form_with_its_instalments_fits_a_phone(ceremony, new_page):
    page = new_page(viewport=NARROW)
    login(page, "canbo")
    page.goto(page.base_url + "/quan-ly/ung-ho/cam-ket/ghi/")
    page.wait_for_selector("#id_dot-0-amount")
    _fits(page)
