"""Sign-in records, throttling and the person's own sign-in history."""

from lddh.ward.models import AuditEvent

LOGIN_URL = "/dang-nhap/"


def _try(client, password, username="canbo", address="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_sign_in_and_a_failure_are_recorded_with_address(world, client):
    _try(client, "sai")
    _try(client, "lddh2024")
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert (failed.object_id, failed.object_repr) == ("canbo", "10.0.0.1")
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor == world.users["staff"]


def test_five_failures_lock_the_username_even_with_the_right_password(world, client):
    for _ in range(5):
        assert _try(client, "sai").status_code == 200
    response = _try(client, "lddh2024")
    assert response.status_code == 200
    assert "tạm bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked", object_id="canbo").exists()


def test_the_lock_is_per_username_and_not_case_or_accent_tricks(world, client):
    for _ in range(5):
        _try(client, "sai", username="CanBo")
    assert "tạm bị khóa" in _try(client, "lddh2024", username="canbo").content.decode()
    # Another person is not locked out by someone hammering canbo.
    assert _try(client, "lddh2024", username="thuongtruc", address="10.0.0.9").status_code == 302


def test_the_lock_expires_after_the_window(world, client, settings):
    for _ in range(5):
        _try(client, "sai")
    assert "tạm bị khóa" in _try(client, "lddh2024").content.decode()
    settings.LOGIN_LOCKOUT_MINUTES = 0  # every failure is now older than the window
    assert _try(client, "lddh2024").status_code == 302


def test_one_address_guessing_many_usernames_is_locked(world, client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for name in ["a", "b", "c"]:
        _try(client, "sai", username=name, address="10.9.9.9")
    assert "tạm bị khóa" in _try(client, "lddh2024", address="10.9.9.9").content.decode()
    assert _try(client, "lddh2024", address="10.1.1.1").status_code == 302


def test_a_person_sees_their_own_recent_sign_ins_only(world, client):
    _try(client, "sai")
    _try(client, "lddh2024")
    html = client.get("/quan-ly/dang-nhap-gan-day/").content.decode()
    assert "Nhập sai mật khẩu" in html and "Đăng nhập" in html and "10.0.0.1" in html
    other = world.client("committee").get("/quan-ly/dang-nhap-gan-day/").content.decode()
    assert "10.0.0.1" not in other
