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


def test_the_admin_signs_in_through_the_staff_sign_in_and_hears_of_failures(
    browser_world, new_page, screens
):
    from lddh.ward.models import AuditEvent
    from tests.factories import UserFactory

    UserFactory(username="admin", is_staff=True, is_superuser=True)
    for _ in range(5):  # a stranger elsewhere: it locks that address, not the admin
        AuditEvent.objects.create(
            action="auth.login_failed",
            object_type="auth.user",
            object_id="admin",
            object_repr="203.0.113.66",
        )
    page = new_page()
    page.goto(page.base_url + "/admin/")
    assert page.url.startswith(page.base_url + "/dang-nhap/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "lddh2024")
    page.click("main button[type=submit]")
    page.wait_for_url(page.base_url + "/admin/")
    assert "5 lần đăng nhập sai từ 203.0.113.66" in page.content()
    screens.shot(page, "quan-tri-sau-dang-nhap")
