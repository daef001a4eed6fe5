"""/tra-cuu/: receipt number and amount → the public line, or "không tìm thấy"."""

from __future__ import annotations

from django.test import Client

from donations.models.constants import ANONYMOUS_NAME
from lddh.public.throttle import RECEIPT_CHECKS
from lddh.ward.money import format_dong

URL = "/tra-cuu/"


def test_a_donor_confirms_their_receipt(ward, anon_client):
    receipt = ward.gift_an.receipt
    page = anon_client.post(URL, {"so": receipt.number.lower(), "tien": "500.000 đ"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "hợp lệ" in text and receipt.number in text and "Nguyễn Văn Ân" in text
    assert format_dong(500_000) in text and "Quỹ" in text


def test_the_number_alone_reveals_nothing(ward, anon_client):
    receipt = ward.gift_an.receipt
    text = anon_client.post(URL, {"so": receipt.number, "tien": "500.001"}).content.decode()
    assert "Không tìm thấy biên nhận" in text
    assert "Nguyễn Văn Ân" not in text


def test_a_voided_receipt_says_so(ward, anon_client):
    receipt = ward.voided.receipt
    text = anon_client.post(URL, {"so": receipt.number, "tien": "700000"}).content.decode()
    assert "đã bị hủy" in text


def test_an_anonymous_donor_stays_anonymous(ward, anon_client):
    receipt = ward.gift_hidden.receipt
    text = anon_client.post(URL, {"so": receipt.number, "tien": "1.000.000"}).content.decode()
    assert ANONYMOUS_NAME in text and "Bích" not in text


def test_a_direct_support_receipt_names_no_household(ward, anon_client):
    receipt = ward.direct.receipt
    text = anon_client.post(URL, {"so": receipt.number, "tien": "800.000"}).content.decode()
    assert "Hỗ trợ trực tiếp" in text and "Đào Thị Hoa" not in text


def test_the_page_leaks_nothing_private(ward, anon_client):
    receipt = ward.gift_an.receipt
    text = anon_client.post(URL, {"so": receipt.number, "tien": "500000"}).content.decode()
    for private in ("0912345678", "Quỳnh Mai", "MBVCB", "Nhà có người ốm", "0101234567"):
        assert private not in text


def test_checks_are_limited_per_client(ward):
    first = Client(REMOTE_ADDR="203.0.113.7")
    other = Client(REMOTE_ADDR="203.0.113.8")
    receipt = ward.gift_an.receipt
    for _ in range(RECEIPT_CHECKS):
        assert first.post(URL, {"so": "VNN-2024-999999", "tien": "1"}).status_code == 200
    blocked = first.post(URL, {"so": receipt.number, "tien": "500000"})
    assert blocked.status_code == 429
    assert "Nguyễn Văn Ân" not in blocked.content.decode()
    assert "thử lại sau ít phút" in blocked.content.decode()
    assert other.post(URL, {"so": receipt.number, "tien": "500000"}).status_code == 200
    assert first.get(URL).status_code == 200  # the empty form is not counted


def test_behind_a_trusted_proxy_the_address_it_saw_counts(ward, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    client = Client(REMOTE_ADDR="10.0.0.1")
    for i in range(RECEIPT_CHECKS):
        # A client forging the first X-Forwarded-For entry does not escape the limit.
        forged = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{i}, 203.0.113.9"}
        assert client.post(URL, {"so": "A", "tien": "1"}, **forged).status_code == 200
    again = client.post(URL, {"so": "A", "tien": "1"}, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert again.status_code == 429
    fresh = client.post(URL, {"so": "A", "tien": "1"}, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert fresh.status_code == 200


def test_an_untrusted_sender_cannot_choose_its_address(ward, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for i in range(RECEIPT_CHECKS):
        forged = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        assert forged.post(URL, {"so": "A", "tien": "1"}).status_code == 200
    again = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert again.post(URL, {"so": "A", "tien": "1"}).status_code == 429


def test_the_count_is_kept_in_the_database_not_in_a_process(ward):
    """A worker process with an empty memory (or a cache restart) sees the same count."""
    from django.core.cache import cache

    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(RECEIPT_CHECKS):
        client.post(URL, {"so": "A", "tien": "1"})
        cache.clear()
    assert client.post(URL, {"so": "A", "tien": "1"}).status_code == 429


def test_a_later_wish_for_anonymity_reaches_both_receipt_checks(ward, anon_client):
    """A donor who asks for anonymity after the receipt was printed: the QR page
    (/bien-nhan/<token>/) and /tra-cuu/ both say "Nhà hảo tâm giấu tên" from then on."""
    from donations import services as donation_services

    receipt = ward.gift_an.receipt
    qr_url = f"/bien-nhan/{receipt.token}/"
    assert "Nguyễn Văn Ân" in anon_client.get(qr_url).content.decode()
    donation_services.donor_update(actor=ward.staff, donor=ward.an, anonymous=True)
    html = anon_client.get(qr_url).content.decode()
    assert "Nguyễn Văn Ân" not in html and "Nhà hảo tâm giấu tên" in html
    assert "Hợp lệ" in html and receipt.number in html
    checked = anon_client.post(URL, {"so": receipt.number, "tien": "500.000"}).content.decode()
    assert "hợp lệ" in checked
    assert "Nguyễn Văn Ân" not in checked and "Nhà hảo tâm giấu tên" in checked
