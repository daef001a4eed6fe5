import pytest
from django.db import DatabaseError

from lddh.ward.dates import date_line, format_date


def test_login_page_is_vietnamese(db, anon_client):
    html = anon_client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập" in html and 'lang="vi"' in html


def test_staff_logs_in_and_reaches_the_back_office(world, client):
    response = client.post("/dang-nhap/", {"username": "canbo", "password": "lddh2024"})
    assert response.status_code == 302 and response["Location"] == "/quan-ly/"
    html = client.get("/quan-ly/").content.decode()
    assert "Xin chào, Nguyễn Văn An" in html and "Cán bộ Ủy ban MTTQ phường" in html


def test_wrong_password_is_refused_in_vietnamese(world, client):
    response = client.post("/dang-nhap/", {"username": "canbo", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(db, anon_client):
    response = anon_client.get("/quan-ly/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/quan-ly/"


def test_leader_home_shows_only_their_group(world):
    html = world.client("leader1").get("/quan-ly/").content.decode()
    assert "Tổ dân phố số 1" in html
    assert "Tổ dân phố số 2" not in html


def test_navigation_shows_admin_only_to_superusers(world, django_user_model, client):
    assert "/admin/" not in world.client("staff").get("/quan-ly/").content.decode()
    root = django_user_model.objects.create_superuser("root", password="x" * 12)
    client.force_login(root)
    assert "/admin/" in client.get("/quan-ly/").content.decode()


def test_healthz_answers_200_with_the_database(db, anon_client):
    response = anon_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}  # no worker to report on


def test_healthz_answers_503_without_the_database(db, anon_client):
    from unittest import mock

    with mock.patch("lddh.ward.views.connection") as connection:
        connection.cursor.side_effect = DatabaseError("down")
        response = anon_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_missing_page_is_a_vietnamese_404(world, settings):
    settings.DEBUG = False
    response = world.client("staff").get("/quan-ly/khong-co/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_public_home_shows_official_accounts(anon_client, world):
    from tests.factories import OfficialAccountFactory

    OfficialAccountFactory(ward=world.ward, account_number="0011001932418")
    html = anon_client.get("/").content.decode()
    assert "0011001932418" in html and "Tài khoản chính thức" in html


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ((2025, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2025"),
        ((2024, 2, 17), "Hà Nội, ngày 17 tháng 02 năm 2024"),
        ((2024, 10, 17), "Hà Nội, ngày 17 tháng 10 năm 2024"),
        ((2024, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2024"),
    ],
)
def test_date_line(day, expected):
    import datetime

    assert date_line("Hà Nội", datetime.date(*day)) == expected


def test_format_date_is_dd_mm_yyyy():
    import datetime

    assert format_date(datetime.date(2024, 11, 8)) == "08/11/2024"


def test_public_home_shows_a_vietqr_that_pays_the_official_account(anon_client, world):
    from lddh.public.views import account_payload
    from lddh.ward.vietqr import parse_payload
    from tests.factories import OfficialAccountFactory

    account = OfficialAccountFactory(
        ward=world.ward, account_number="0011001932418", bank_bin="970436"
    )
    html = anon_client.get("/").content.decode()
    assert "<svg" in html and "VietQR 0011001932418" in html
    data = parse_payload(account_payload(account))
    assert (data["bin"], data["account"], data["static"]) == ("970436", "0011001932418", True)


def test_an_account_without_bin_gets_no_qr(world):
    from lddh.public.views import account_qr
    from tests.factories import OfficialAccountFactory

    assert account_qr(OfficialAccountFactory(ward=world.ward, bank_bin="")) == ""


def test_an_english_browser_still_gets_vietnamese(world):
    response = world.client("staff").get("/quan-ly/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Xin chào" in response.content.decode()
