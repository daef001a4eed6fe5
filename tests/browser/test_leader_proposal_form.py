"""A group leader on a 360 px phone proposes a new household by typing only what the
leader knows; hostile values are answered by Vietnamese messages naming the field; an
impossible date in a list's filter is an error above the list."""

import pytest

from households.models import Proposal
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
DJANGO_GENERIC = (
    "Trường này là bắt buộc",
    "Nhập một số nguyên",
    "Nhập một ngày hợp lệ",
    "---------",
)


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"{page.url} is {width} px wide"


def _errors(page) -> str:
    return " ".join(page.locator("main [id^=error_] strong, main .alert-danger").all_inner_texts())


def test_leader_proposes_a_household_on_a_small_phone(demo, new_page, screens):
    page = new_page(viewport=SMALL_PHONE)
    login(page, "to1")
    page.goto(page.base_url + "/quan-ly/ho-gia-dinh/them/")
    main = page.locator("main")
    assert "là mục bắt buộc" in main.inner_text()
    assert page.locator("#id_group").get_attribute("type") == "hidden"
    for generic in DJANGO_GENERIC:
        assert generic not in page.content()
    # The keyboards a phone opens: digits for years and amounts.
    assert page.get_attribute("#id_head_birth_year", "inputmode") == "numeric"
    assert page.get_attribute("#id_nc-0-estimated_cost", "inputmode") == "numeric"
    _fits(page)

    # Hostile values first.
    page.fill("#id_head_name", "Nguyễn " * 20)  # 140 characters: longer than allowed
    page.fill("#id_head_birth_year", "19a4")
    page.fill("#id_tv-0-full_name", "Nguyễn Văn Bình")
    page.fill("#id_tv-0-birth_year", "2999")
    page.fill("#id_tv-1-birth_year", "1990")  # a year without a name
    page.select_option("#id_nc-0-type", "house_repair")
    page.fill("#id_nc-0-estimated_cost", "mười triệu")
    page.fill("#id_decision_year", "năm ngoái")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    errors = _errors(page)
    screens.shot(page, "de-xuat-loi")
    for expected in (
        "Họ tên chủ hộ dài quá: tối đa 100 ký tự",
        "Năm sinh chủ hộ phải là số nguyên",
        "Hãy nhập địa chỉ.",
        "Hãy nhập hoàn cảnh của hộ.",
        "Năm sinh không được ở tương lai.",
        "Hãy nhập họ tên thành viên",
        "Dự toán (đồng) không hợp lệ",
        "Năm quyết định phải là số nguyên",
    ):
        assert expected in errors, (expected, errors)
    for generic in DJANGO_GENERIC:
        assert generic not in page.content()
    # What was typed is still there, to correct.
    assert page.input_value("#id_head_birth_year") == "19a4"
    _fits(page)

    # Corrected: only the natural fields, typed.
    page.fill("#id_head_name", "Phạm Thị Mới")
    page.fill("#id_head_birth_year", "1948")
    page.fill("#id_address", "Số 3 ngõ 5 phố Lê Đại Hành")
    page.fill("#id_tv-0-birth_year", "1972")
    page.fill("#id_tv-1-birth_year", "")
    page.select_option("#id_tv-0-relation", "child")
    page.fill("#id_circumstances", "Cụ sống một mình, con ở xa, đau khớp.")
    page.locator("input[name=difficulty_reasons][value=elderly_alone]").check()
    page.fill("#id_nc-0-estimated_cost", "15000000")
    page.fill("#id_decision_year", "")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Đã gửi đề xuất" in page.locator(".alert").first.inner_text()
    screens.shot(page, "de-xuat-da-gui")
    _fits(page)
    proposal = Proposal.objects.get(payload__head_name="Phạm Thị Mới")
    assert proposal.payload["members"][0]["full_name"] == "Nguyễn Văn Bình"
    assert proposal.payload["needs"][0]["estimated_cost"] == 15_000_000
    assert proposal.payload["category"] == "none" and proposal.payload["especially_difficult"]


def test_an_impossible_date_in_a_list_filter_is_shown_above_the_list(demo, new_page, screens):
    page = new_page(viewport=SMALL_PHONE)
    login(page, "canbo")
    page.goto(page.base_url + "/quan-ly/ung-ho/?date_from=31/02/2024")
    alert = page.locator("main .filter-errors")
    assert alert.is_visible()
    assert "31/02/2024” không phải ngày có thật (tháng 2 năm 2024 chỉ có 29 ngày)" in (
        alert.inner_text()
    )
    screens.shot(page, "loc-ngay-sai")
