"""Sign-in records, throttling and the person's own sign-in history."""

from django.test import Client

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


def test_five_failures_lock_that_address_out_even_with_the_right_password(world, client):
    for _ in range(5):
        assert _try(client, "sai").status_code == 200
    response = _try(client, "lddh2024")
    assert response.status_code == 200
    assert "tạm bị khóa" in response.content.decode()
    assert "15 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.locked", object_id="canbo").exists()


def test_a_stranger_cannot_lock_the_owner_out_of_the_office(world, client):
    for _ in range(5):
        _try(Client(), "sai", address="203.0.113.66")
    assert "tạm bị khóa" in _try(Client(), "lddh2024", address="203.0.113.66").content.decode()
    # The right password from an address that never failed still signs the owner in.
    assert _try(client, "lddh2024", address="10.0.0.1").status_code == 302


def test_many_addresses_slow_the_username_down_but_never_lock_a_clean_one(world, settings):
    for i in range(8):  # a spread-out attack: one failure from each of eight addresses
        _try(Client(), "sai", address=f"198.51.100.{i}")
    slowed = _try(Client(), "lddh2024", address="198.51.100.3").content.decode()
    assert "Vui lòng đợi" in slowed and "giây" in slowed
    assert _try(Client(), "lddh2024", address="10.0.0.1").status_code == 302
    assert _try(Client(), "sai", address="10.0.0.2").status_code == 200  # one mistake...
    assert "Vui lòng đợi" in _try(Client(), "lddh2024", address="10.0.0.2").content.decode()
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 0  # ...and once the delay has passed
    assert _try(Client(), "lddh2024", address="10.0.0.2").status_code == 302


def test_the_delay_grows_with_every_failure_and_is_capped(world):
    from lddh.ward.signin import refusal

    _try(Client(), "sai", address="10.0.0.2")
    waits = []
    for i in range(12):
        _try(Client(), "sai", address=f"198.51.100.{i}")
        refused = refusal("canbo", "10.0.0.2")
        waits.append(refused.seconds if refused else 0)
    # The wait left is measured while the test runs: allow a slow machine 3 seconds.
    expected = [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]  # from five failures on, doubling
    assert all(e - 3 <= w <= e for w, e in zip(waits, expected, strict=True)), waits
    assert waits[:3] == [0, 0, 0]


def test_behind_a_trusted_proxy_the_forwarded_client_address_counts(world, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for i in range(5):
        # Whatever the attacker writes to the left, the proxy appends what it saw.
        forged = f"10.0.0.{i}, 203.0.113.66"
        _try(Client(**proxy, HTTP_X_FORWARDED_FOR=forged), "sai", address="127.0.0.1")
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.66")
    assert "tạm bị khóa" in _try(attacker, "lddh2024", address="127.0.0.1").content.decode()
    office = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert _try(office, "lddh2024", address="127.0.0.1").status_code == 302
    failed = AuditEvent.objects.filter(action="auth.login_failed").first()
    assert failed.object_repr == "203.0.113.66"


def test_an_untrusted_sender_cannot_choose_its_address(world, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for i in range(5):
        client = Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        _try(client, "sai", address="203.0.113.66")
    fresh = Client(HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert "tạm bị khóa" in _try(fresh, "lddh2024", address="203.0.113.66").content.decode()


def test_the_owner_is_told_of_failures_at_the_next_sign_in(world, client):
    _try(client, "lddh2024")
    client.post("/dang-xuat/")
    for address in ["203.0.113.66", "203.0.113.66", "198.51.100.7"]:
        _try(Client(), "sai", address=address)
    page = client.post(
        LOGIN_URL,
        {"username": "canbo", "password": "lddh2024"},
        REMOTE_ADDR="10.0.0.1",
        follow=True,
    ).content.decode()
    assert "3 lần đăng nhập sai từ 198.51.100.7, 203.0.113.66 kể từ lần đăng nhập trước" in page
    client.post("/dang-xuat/")
    again = client.post(
        LOGIN_URL,
        {"username": "canbo", "password": "lddh2024"},
        REMOTE_ADDR="10.0.0.1",
        follow=True,
    ).content.decode()
    assert "lần đăng nhập sai" not in again


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


def test_tries_in_flight_count_before_their_failures_are_written(world, client):
    from lddh.ward.signin import claim_attempt

    for _ in range(5):  # five guesses still waiting for their password check
        assert claim_attempt("canbo", "203.0.113.66")
    attacker = _try(Client(), "lddh2024", address="203.0.113.66").content.decode()
    assert "tạm bị khóa" in attacker
    assert _try(client, "lddh2024", address="10.0.0.1").status_code == 302


def test_signing_in_again_and_again_never_locks_the_owner(world):
    for _ in range(8):
        client = Client()
        assert _try(client, "lddh2024").status_code == 302
        client.post("/dang-xuat/")
