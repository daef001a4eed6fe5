"""A resident on a 360 px phone: the public home shows the figures, then how to give
safely, the donor search, the spending and, last, the verification codes; every public
page carries the same menu; a receipt number typed the way it is read off paper is
found."""

import datetime

import pytest
from django.core.cache import cache

from lddh.public.services import report_publish
from lddh.ward.models import WardProfile
from tests.public.conftest import Ward

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}
ORDER = ["#so-lieu", "#ung-ho-an-toan", "#tra-cuu", "#chi-ho-tro", "#kiem-chung"]
PUBLIC_PAGES = [
    "/",
    "/cong-khai/2024/",
    "/cong-khai/2024/ung-ho/",
    "/cong-khai/2024/chi-ho-tro/",
    "/tra-cuu/",
    "/cong-khai/bao-cao/",
]


@pytest.fixture
def resident_ward(browser_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    ward = Ward(browser_world)
    profile = WardProfile.objects.get()
    profile.phone, profile.address = "024 3976 0000", "Số 1 Trần Khánh Dư"
    profile.save()
    ward.report = report_publish(
        actor=browser_world.users["committee"],
        title="Báo cáo 2024",
        period_start=datetime.date(2024, 10, 1),
        period_end=datetime.date(2024, 11, 30),
    )
    yield ward
    cache.clear()


def _menu(page) -> list[tuple[str, str]]:
    links = page.locator("#public-menu a")
    return [
        (links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]


def test_the_public_home_in_a_resident_s_order_on_a_phone(resident_ward, new_page, screens):
    page = new_page(viewport=SMALL_PHONE)
    page.goto(page.base_url + "/")
    tops = [page.locator(selector).bounding_box()["y"] for selector in ORDER]
    assert tops == sorted(tops), dict(zip(ORDER, tops, strict=True))
    warning = page.locator("#ung-ho-an-toan .alert-warning")
    assert "Cảnh giác với tài khoản giả" in warning.inner_text()
    assert warning.bounding_box()["y"] < page.locator("#tra-cuu").bounding_box()["y"]
    verification = page.locator("#kiem-chung")
    assert resident_ward.report.sha256 in verification.inner_text()
    assert "dấu vân tay" in verification.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    screens.shot(page, "trang-chu-thu-tu-360")
    assert page.request.get(page.base_url + "/favicon.ico").status == 200


def test_every_public_page_has_the_same_menu(resident_ward, new_page):
    page = new_page(viewport=SMALL_PHONE)
    menus = {}
    for url in [*PUBLIC_PAGES, f"/bien-nhan/{resident_ward.gift_an.receipt.token}/"]:
        page.goto(page.base_url + url)
        menus[url] = _menu(page)
        for i in range(page.locator("#public-menu a").count()):
            assert page.locator("#public-menu a").nth(i).bounding_box()["height"] >= 44, url
    first = menus["/"]
    assert [label for label, _ in first] == [
        "Tổng quan",
        "Người ủng hộ",
        "Chi hỗ trợ",
        "Kiểm tra biên nhận",
        "Báo cáo đã công bố",
        "Niêm yết bình xét",
        "Phản ánh, kiến nghị",
    ]
    assert {url: menu for url, menu in menus.items() if menu != first} == {}


def test_a_receipt_number_typed_with_spaces_is_found(resident_ward, new_page, screens):
    receipt = resident_ward.gift_an.receipt
    series, year, seq = receipt.number.split("-")
    page = new_page(viewport=SMALL_PHONE)
    page.goto(page.base_url + "/")
    page.click("#public-menu >> text=Kiểm tra biên nhận")
    page.wait_for_url("**/tra-cuu/")
    for typed in (f"{series} {year} {seq}", f"{series.lower()}-{year}-{int(seq)}", str(int(seq))):
        page.fill("#id_so", typed)
        page.fill("#id_tien", "500.000")
        page.click("main form button[type=submit]")
        result = page.locator("#check-result")
        assert "hợp lệ" in result.inner_text(), typed
        assert receipt.number in result.inner_text(), typed
    screens.shot(page, "tra-cuu-co-dau-cach")
    page.fill("#id_so", f"{series} {year} {seq}")
    page.fill("#id_tien", "500.001")
    page.click("main form button[type=submit]")
    result = page.locator("#check-result")
    assert "Không tìm thấy" in result.inner_text()
    assert "024 3976 0000" in result.inner_text() and "Số 1 Trần Khánh Dư" in result.inner_text()
    assert "Nguyễn Văn Ân" not in result.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    screens.shot(page, "tra-cuu-khong-thay")
