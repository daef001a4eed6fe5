"""A clerk types a known donor's name again (decomposed Unicode, as some keyboards send
it) on the donation entry page: the page shows the "có thể trùng" candidate, the clerk
picks it, and the gift goes to the one existing donor."""

import unicodedata

import pytest

from donations.models import Donation, Donor
from tests.browser.conftest import login
from tests.donations.conftest import Books

pytestmark = pytest.mark.browser


def test_clerk_typing_a_known_name_picks_the_existing_donor(browser_world, new_page, screens):
    books = Books(browser_world)
    existing = books.donor  # "Nguyễn Văn An"
    page = new_page()
    login(page, "canbo")
    page.goto(page.base_url + "/quan-ly/ung-ho/nhap/")
    typed = unicodedata.normalize("NFD", "nguyễn  văn an")
    assert typed != "nguyễn  văn an"
    page.fill("#id_new_name", typed)
    page.select_option("#id_new_source", "individual")
    page.fill("#id_amount", "300000")
    page.fill("#id_date", "20/10/2024")
    page.click("main button[type=submit]")

    warning = page.locator(".alert-warning", has_text="Có thể trùng")
    warning.wait_for()
    assert "Nguyễn Văn An" in warning.inner_text()
    screens.shot(page, "co-the-trung")
    assert Donor.objects.count() == 1 and not Donation.objects.exists()

    page.check(f"#use-donor-{existing.pk}")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Đã lưu khoản ủng hộ, biên nhận số")
    screens.shot(page, "da-luu")
    assert Donor.objects.count() == 1
    assert Donation.objects.get().donor == existing
