"""A resident on a phone checks the fund: finds a donation by a name typed without
diacritics, confirms a receipt, and sees nothing private."""

import pytest
from django.core.cache import cache

from tests.public.conftest import CCCD, DONOR_ADDRESS, HEALTH, HOUSEHOLD_ADDRESS, PHONE, Ward

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}


@pytest.fixture
def public_ward(browser_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    ward = Ward(browser_world)
    yield ward
    cache.clear()


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]


def test_a_resident_finds_a_donation_and_checks_the_receipt(public_ward, new_page, screens):
    page = new_page(viewport=SMALL_PHONE)
    page.goto(page.base_url + "/")
    main = page.locator("main")
    assert "4.500.000" in main.inner_text()
    assert page.locator("#daily-chart-box").is_visible()  # the chart drew itself
    _no_sideways_scroll(page)
    screens.shot(page, "trang-chu-360")

    page.fill("#home-search", "nguyen van an")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/cong-khai/2024/ung-ho/**")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "Nguyễn Văn Ân" in rows.first.inner_text()
    number = page.locator("tbody tr td[data-label='Số biên nhận']").first.inner_text().strip()
    _no_sideways_scroll(page)
    screens.shot(page, "tim-ten-khong-dau")

    page.goto(page.base_url + "/tra-cuu/")
    page.fill("#id_so", number.lower())
    page.fill("#id_tien", "500.000")
    page.click("form button[type=submit]")
    result = page.locator("#check-result")
    assert "hợp lệ" in result.inner_text()
    assert "Nguyễn Văn Ân" in result.inner_text()
    _no_sideways_scroll(page)
    screens.shot(page, "kiem-tra-bien-nhan")

    for url in ("/", "/cong-khai/2024/ung-ho/", "/cong-khai/2024/chi-ho-tro/", "/tra-cuu/"):
        page.goto(page.base_url + url)
        text = page.content()
        for private in (PHONE, CCCD, DONOR_ADDRESS, HOUSEHOLD_ADDRESS, HEALTH, "Trần Thị Bích"):
            assert private not in text, (url, private)
    page.goto(page.base_url + "/cong-khai/2024/chi-ho-tro/")
    assert "Hộ bà N.T.H., tổ 5" in page.locator("main").inner_text()
    _no_sideways_scroll(page)
    screens.shot(page, "chi-ho-tro-360")


def test_the_public_page_works_without_javascript(public_ward, browser, live_server, screens):
    context = browser.new_context(viewport=SMALL_PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.locator("#daily-table").get_attribute("open") is not None
    assert "20/10/2024" in page.locator("#daily-table").inner_text()
    assert not page.locator("#daily-chart-box").is_visible()
    screens.shot(page, "khong-javascript")
    context.close()
