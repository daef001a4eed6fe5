"""On a 360 px phone, a clerk records a donor's consent in the donor form, the next gift
sends the e-receipt, the message page and the donation's delivery log fit the screen, and
"Gửi lại" sends it again."""

import pytest
from django.core import mail

from donations.models import Donor, Message
from tests.browser.conftest import login
from tests.donations.conftest import Books

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_consent_typed_on_a_phone_then_receipt_sent_and_sent_again(
    browser_world, new_page, screens, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    books = Books(browser_world)
    page = new_page(viewport=NARROW)
    login(page, "canbo")
    page.goto(page.base_url + f"/quan-ly/ung-ho/nguoi-ung-ho/{books.donor.pk}/sua/")
    page.fill("#id_email", "an.nguyen@example.vn")
    page.select_option("#id_consent_how", "phieu")
    page.check("#id_contact_consent")
    _fits(page)
    screens.shot(page, "dong-y")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Đã lưu thông tin người ủng hộ")
    assert Donor.objects.get(pk=books.donor.pk).contactable

    donation = books.record(donor=Donor.objects.get(pk=books.donor.pk))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an.nguyen@example.vn"]
    page.goto(page.base_url + "/quan-ly/ung-ho/tin-nhan/")
    page.wait_for_selector(f"text={donation.receipt.number}")
    _fits(page)
    screens.shot(page, "danh-sach-tin")

    page.goto(page.base_url + f"/quan-ly/ung-ho/{donation.pk}/")
    page.click("text=Nhật ký gửi")
    _fits(page)
    page.click("button:has-text('Gửi lại')")
    page.wait_for_selector("text=Đã xếp lịch gửi lại biên nhận")
    _fits(page)
    screens.shot(page, "gui-lai")
    assert Message.objects.filter(status=Message.Status.SENT).count() == 2
    assert len(mail.outbox) == 2
