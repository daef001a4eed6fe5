"""Optional TOTP two-factor sign-in; required for committee and treasurer when set."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lddh.ward.models import AuditEvent

SETUP, VERIFY = "/quan-ly/xac-thuc-hai-buoc/", "/dang-nhap/ma-xac-thuc/"


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def no_throttle(settings):
    """django-otp delays the next try after a wrong code; these tests try at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def sign_in(client, username="canbo"):
    response = client.post("/dang-nhap/", {"username": username, "password": "lddh2024"})
    assert response.status_code == 302
    return response


def test_a_person_turns_on_two_factor_with_a_code_from_the_app(world, client, no_throttle):
    sign_in(client)
    html = client.get(SETUP).content.decode()
    assert "<svg" in html and "Xác nhận và bật" in html
    device = TOTPDevice.objects.get(user=world.users["staff"], confirmed=False)
    wrong = client.post(SETUP, {"code": "000000"})
    assert "Mã không đúng" in wrong.content.decode()
    assert client.post(SETUP, {"code": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="auth.2fa_enabled").exists()


@pytest.fixture
def staff_with_device(world):
    return TOTPDevice.objects.create(user=world.users["staff"], name="app", confirmed=True)


def test_with_a_device_the_back_office_waits_for_the_code(staff_with_device, client, no_throttle):
    sign_in(client)
    response = client.get("/quan-ly/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.get("/").status_code == 200  # public pages stay open
    assert "Mã không đúng" in client.post(VERIFY, {"code": "123456"}).content.decode()
    assert AuditEvent.objects.filter(action="auth.2fa_failed").exists()
    response = client.post(VERIFY, {"code": code(staff_with_device), "next": "/quan-ly/"})
    assert response["Location"] == "/quan-ly/"
    assert client.get("/quan-ly/").status_code == 200


def test_next_cannot_send_the_person_to_another_site(staff_with_device, client):
    sign_in(client)
    response = client.post(
        VERIFY, {"code": code(staff_with_device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/quan-ly/"


def test_without_the_setting_nobody_is_forced(world, client):
    sign_in(client, "thuongtruc")
    assert client.get("/quan-ly/").status_code == 200


@pytest.mark.parametrize("username", ["thuongtruc", "ketoan"])
def test_when_required_committee_and_treasurer_must_set_it_up(world, client, settings, username):
    settings.TWO_FACTOR_REQUIRED = True
    sign_in(client, username)
    response = client.get("/quan-ly/ung-ho/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


def test_when_required_staff_are_not_forced(world, client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    sign_in(client, "canbo")
    assert client.get("/quan-ly/").status_code == 200


def test_a_required_role_cannot_turn_it_off(world, client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    device = TOTPDevice.objects.create(user=world.users["committee"], name="a", confirmed=True)
    sign_in(client, "thuongtruc")
    client.post(VERIFY, {"code": code(device)})
    client.post(SETUP, {"code": code(device)})
    assert TOTPDevice.objects.filter(user=world.users["committee"]).exists()


def test_others_turn_it_off_with_a_current_code(staff_with_device, client, no_throttle):
    sign_in(client)
    client.post(VERIFY, {"code": code(staff_with_device)})
    assert client.post(SETUP, {"code": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(pk=staff_with_device.pk).exists()
    staff_with_device.refresh_from_db()
    # A fresh code for the next step (the same code is not accepted twice).
    staff_with_device.last_t = -1
    staff_with_device.save()
    assert client.post(SETUP, {"code": code(staff_with_device)}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=staff_with_device.pk).exists()


def test_after_a_wrong_code_even_the_right_one_must_wait(staff_with_device, client):
    sign_in(client)
    client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": code(staff_with_device)})
    assert response.status_code == 200  # throttled: guessing cannot go fast
