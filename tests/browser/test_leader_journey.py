"""A group's front-work leader, on a phone, updates a household's need and proposes a
new household; ward staff accept the proposal and the household joins the register."""

import pytest

from tests.browser.conftest import PHONE, login

pytestmark = pytest.mark.browser


def test_leader_updates_a_need_and_proposes_a_household_that_staff_accept(demo, new_page, screens):
    leader = new_page(viewport=PHONE)
    login(leader, "to2")
    leader.goto(leader.base_url + "/quan-ly/ho-gia-dinh/")
    screens.shot(leader, "danh-sach-to-2")
    first = leader.locator("main a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
        ".filter(h => /\\/ho-gia-dinh\\/\\d+\\/$/.test(h))"
    )[0]
    leader.goto(leader.base_url + first)
    assert "Tổ dân phố số 2" in leader.locator("main").inner_text()

    leader.locator("main a[href*='/nhu-cau/'][href$='/sua/']").first.click()
    leader.fill("#id_estimated_cost", "4500000")
    screens.shot(leader, "sua-nhu-cau")
    # The form is sent once its words line has read the amount (a moment later).
    with leader.expect_navigation():
        leader.click("main button[type=submit]")
    assert leader.url == leader.base_url + first + "#nhu-cau"
    assert "4.500.000" in leader.locator("main").inner_text()

    leader.goto(leader.base_url + "/quan-ly/ho-gia-dinh/them/")
    leader.fill("#id_head_name", "Phạm Thị Mới")
    leader.fill("#id_head_birth_year", "1948")
    leader.fill("#id_address", "Số 3 ngõ 5 (tổ 2)")
    leader.fill("#id_circumstances", "Cụ sống một mình, con ở xa.")
    leader.check("#id_especially_difficult")
    leader.locator("input[name=difficulty_reasons][value=elderly_alone]").check()
    leader.fill("#id_note", "Cụ sống một mình, họp tổ ngày 05/11 đề nghị đưa vào danh sách.")
    leader.click("main button[type=submit]")
    assert "đề xuất" in leader.locator(".alert").first.inner_text().lower()
    screens.shot(leader, "de-xuat-ho-moi")

    staff = new_page()
    login(staff, "canbo")
    staff.goto(staff.base_url + "/quan-ly/ho-gia-dinh/de-xuat/")
    staff.locator("main a", has_text="Phạm Thị Mới").first.click()
    with staff.expect_navigation():
        staff.get_by_role("button", name="Chấp nhận và áp dụng…").click()
    # The review step says what will be written before anything is.
    assert "Phạm Thị Mới" in staff.locator("#review-step").inner_text()
    with staff.expect_navigation():
        staff.get_by_role("button", name="Xác nhận chấp nhận và áp dụng").click()
    screens.shot(staff, "chap-nhan")
    staff.goto(staff.base_url + "/quan-ly/ho-gia-dinh/?q=pham thi moi")
    assert "Phạm Thị Mới" in staff.locator("main").inner_text()
