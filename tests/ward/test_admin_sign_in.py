"""The admin site signs in through /dang-nhap/ only: its limits hold for /admin/ too."""

from django.test import Client

from tests.factories import UserFactory

ADMIN_LOGIN = "/admin/login/"


def _admin(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def _fail_five_times(address="203.0.113.66"):
    for _ in range(5):
        Client().post("/dang-nhap/", {"username": "admin", "password": "sai"}, REMOTE_ADDR=address)


def test_the_admin_login_page_sends_visitors_to_the_apps_sign_in(db):
    response = Client().get(ADMIN_LOGIN + "?next=/admin/donations/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=%2Fadmin%2Fdonations%2F"
    assert Client().get("/admin/", follow=True).redirect_chain[-1][0].startswith("/dang-nhap/")


def test_a_password_posted_to_the_admin_login_is_never_checked(db):
    _admin(db)
    client = Client()
    response = client.post(
        ADMIN_LOGIN, {"username": "admin", "password": "lddh2024", "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_locked_out_admin_stays_locked_out_of_the_admin_site(db):
    _admin(db)
    _fail_five_times()
    for _ in range(40):
        Client(REMOTE_ADDR="203.0.113.66").post(
            ADMIN_LOGIN, {"username": "admin", "password": "sai"}
        )
    client = Client(REMOTE_ADDR="203.0.113.66")
    client.post(ADMIN_LOGIN, {"username": "admin", "password": "lddh2024"})
    assert "_auth_user_id" not in client.session
    page = client.post(
        "/dang-nhap/?next=/admin/", {"username": "admin", "password": "lddh2024"}
    ).content.decode()
    assert "tạm bị khóa" in page and "_auth_user_id" not in client.session


def test_the_admin_signs_in_through_the_app_and_reaches_the_admin_site(db):
    _admin(db)
    client = Client()
    response = client.post(
        "/dang-nhap/", {"username": "admin", "password": "lddh2024", "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(ADMIN_LOGIN).status_code == 302  # already in: on to the admin site


def test_a_signed_in_person_without_the_admin_site_gets_no_login_loop(world):
    client = world.client("staff")
    assert client.get("/admin/").status_code == 302  # Django's admin: to its login page
    assert client.get(ADMIN_LOGIN + "?next=/admin/").status_code == 403


def test_the_admin_login_ignores_a_next_to_another_site(db):
    response = Client().get(ADMIN_LOGIN + "?next=https://evil.example/")
    assert response["Location"] == "/dang-nhap/?next=%2Fadmin%2F"
