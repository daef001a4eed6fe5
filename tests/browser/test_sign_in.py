"""A person signs in and finds what their role may use."""

import pytest

from tests.browser.conftest import PHONE, login

pytestmark = pytest.mark.browser


def test_staff_signs_in_and_sees_the_back_office(browser_world, new_page, screens):
    page = new_page()
    page.goto(page.base_url + "/dang-nhap/")
    screens.shot(page, "dang-nhap")
    login(page, "canbo")
    assert page.locator("h1").inner_text().startswith("Xin chào")
    screens.shot(page, "tong-quan")


def test_leader_on_a_phone_sees_only_their_group(browser_world, new_page, screens):
    page = new_page(viewport=PHONE)
    login(page, "to2")
    body = page.locator("main").inner_text()
    assert "Tổ dân phố số 2" in body and "Tổ dân phố số 3" not in body
    screens.shot(page, "to-truong-dien-thoai")


def test_wrong_password_keeps_the_person_on_the_login_page(browser_world, new_page):
    page = new_page()
    page.goto(page.base_url + "/dang-nhap/")
    page.fill("#id_username", "canbo")
    page.fill("#id_password", "sai-mat-khau")
    page.click("button[type=submit]")
    assert "mật khẩu chính xác" in page.locator("main").inner_text()
    assert page.input_value("#id_username") == "canbo"
