"""The receipt check takes a number the way a person reads it off paper: any case,
spaces, dashes or nothing between the parts, or the bare sequence number (in the year
of the campaign on the public pages). The amount must still match, and a wrong amount
gets the very answer a missing receipt gets."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache

from donations.models import Donation
from donations.selectors.public import ReceiptNumberQuery, parse_receipt_number
from lddh.public.forms import DonorSearchForm
from lddh.ward.models import WardProfile
from tests.factories import DonorFactory, FundFactory, record_donation

URL = "/tra-cuu/"
OFFICE_PHONE = "024 3976 0000"
OFFICE_ADDRESS = "Số 1 Trần Khánh Dư, phường Lê Đại Hành"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("VNN-2024-000690", ReceiptNumberQuery(seq=690, series="VNN", year=2024)),
        ("VNN 2024 000690", ReceiptNumberQuery(seq=690, series="VNN", year=2024)),
        ("vnn-2024-000690", ReceiptNumberQuery(seq=690, series="VNN", year=2024)),
        ("VNN2024000690", ReceiptNumberQuery(seq=690, series="VNN", year=2024)),
        (" vnn . 2024 / 690 ", ReceiptNumberQuery(seq=690, series="VNN", year=2024)),
        ("VNN-2024-1000000", ReceiptNumberQuery(seq=1_000_000, series="VNN", year=2024)),
        ("2024-000690", ReceiptNumberQuery(seq=690, year=2024)),
        ("690", ReceiptNumberQuery(seq=690)),
        ("000690", ReceiptNumberQuery(seq=690)),
    ],
)
def test_a_typed_number_is_read_like_the_paper(typed, expected):
    assert parse_receipt_number(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "   ", "VNN", "VNN-2024", "0", "VNN-2024-000000", "Ư-1", "1;2"]
)
def test_what_is_no_receipt_number_is_refused(typed):
    assert parse_receipt_number(typed) is None


@pytest.fixture
def office(ward):
    profile = WardProfile.objects.get()
    profile.phone, profile.address = OFFICE_PHONE, OFFICE_ADDRESS
    profile.save()
    cache.clear()
    return ward


def _result(response) -> str:
    """The answer block of the page (the rest holds a fresh CSRF token each time)."""
    html = response.content.decode()
    match = re.search(r'id="check-result".*?(?=<form)', html, re.S)
    assert match, html
    return match.group(0)


def _variants(number: str) -> list[str]:
    series, year, seq = number.split("-")
    return [
        f"{series} {year} {seq}",
        number.lower(),
        f"{series}{year}{seq}",
        f"{series.lower()} - {year} - {int(seq)}",
        f"{year}-{seq}",
        str(int(seq)),
        seq,
    ]


def test_every_way_of_typing_the_number_finds_the_receipt(office, anon_client):
    receipt = office.gift_an.receipt
    assert receipt.number.startswith("VNN-2024-")
    for typed in _variants(receipt.number):
        text = _result(anon_client.post(URL, {"so": typed, "tien": "500.000"}))
        assert "hợp lệ" in text and receipt.number in text, typed
        assert "Nguyễn Văn Ân" in text, typed


def test_a_wrong_amount_is_answered_like_a_missing_receipt(office, anon_client):
    receipt = office.gift_an.receipt
    series, year, _seq = receipt.number.split("-")
    missing = _result(anon_client.post(URL, {"so": f"{series}-{year}-999999", "tien": "500.000"}))
    for typed in _variants(receipt.number):
        wrong = _result(anon_client.post(URL, {"so": typed, "tien": "500.001"}))
        assert wrong == missing, typed
        assert "Nguyễn Văn Ân" not in wrong
    assert "Không tìm thấy biên nhận" in missing


def test_not_found_gives_the_office_s_phone_and_address(office, anon_client):
    text = _result(anon_client.post(URL, {"so": "690", "tien": "1.000"}))
    assert OFFICE_PHONE in text and OFFICE_ADDRESS in text
    assert 'href="tel:02439760000"' in text


def test_the_qr_page_of_an_unknown_receipt_gives_the_office_too(office, anon_client):
    response = anon_client.get("/bien-nhan/khong-co-ma-nay/")
    assert response.status_code == 404
    assert OFFICE_PHONE in response.content.decode()
    assert OFFICE_ADDRESS in response.content.decode()


def test_the_bare_number_looks_in_the_public_campaign_s_year(office, anon_client):
    """A receipt of another year with the same sequence number and amount is not found
    by the bare number, only by its whole number."""
    receipt = office.gift_an.receipt
    record_donation(
        actor=office.staff,
        donor=DonorFactory(name="Người năm trước"),
        amount=500_000,
        date=datetime.date(2023, 11, 1),
        campaign=None,
    )
    earlier = Donation.objects.get(donor__name="Người năm trước").receipt
    assert earlier.year == 2023
    page = anon_client.get(URL).content.decode()
    assert "năm 2024" in page
    text = _result(anon_client.post(URL, {"so": str(receipt.seq), "tien": "500000"}))
    assert receipt.number in text
    if earlier.seq == receipt.seq:
        text = _result(anon_client.post(URL, {"so": earlier.number, "tien": "500000"}))
        assert earlier.number in text


def test_two_funds_with_the_same_number_and_amount_need_the_whole_number(office, anon_client):
    receipt = office.gift_an.receipt
    other_fund = FundFactory(code="HT", name="Quỹ Hỗ trợ", short_name="Quỹ Hỗ trợ")
    twin = None
    for _ in range(receipt.seq):
        twin = record_donation(
            actor=office.staff, fund=other_fund, amount=500_000, date=office.gift_an.date
        ).receipt
    assert twin.seq == receipt.seq and twin.series == "HT"
    bare = _result(anon_client.post(URL, {"so": str(receipt.seq), "tien": "500000"}))
    assert "Không tìm thấy biên nhận" in bare
    whole = _result(anon_client.post(URL, {"so": f"ht {twin.year} {twin.seq}", "tien": "500000"}))
    assert twin.number in whole


def test_a_shape_that_is_no_number_is_told_how_to_type_it(office, anon_client):
    response = anon_client.post(URL, {"so": "biên nhận của tôi", "tien": "500000"})
    assert response.status_code == 200
    assert "hoặc chỉ số thứ tự như 690" in response.content.decode()


def test_the_donor_list_finds_a_number_typed_with_spaces(office, anon_client):
    receipt = office.gift_an.receipt
    series, year, seq = receipt.number.split("-")
    text = anon_client.get(
        "/cong-khai/2024/ung-ho/", {"so": f"{series.lower()} {year} {int(seq)}"}
    ).content.decode()
    assert "Nguyễn Văn Ân" in text and "Tìm thấy 1 khoản" in text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Q1-2024-000690", ReceiptNumberQuery(seq=690, series="Q1", year=2024)),
        ("q1 2024 690", ReceiptNumberQuery(seq=690, series="Q1", year=2024)),
        ("Q12024000690", ReceiptNumberQuery(seq=690, series="Q1", year=2024)),
        ("VNN2024000690", ReceiptNumberQuery(seq=690, series="VNN", year=2024)),
        ("2024000690", ReceiptNumberQuery(seq=690, year=2024)),  # a code "2" takes no year 0240
    ],
)
def test_a_fund_code_with_digits_is_read_with_the_known_codes(typed, expected):
    assert parse_receipt_number(typed, ["Q1", "VNN", "2", "HTTT"]) == expected


def test_a_receipt_of_a_fund_whose_code_holds_a_digit_is_found(office, anon_client):
    fund = FundFactory(code="Q1", name="Quỹ số 1", short_name="Quỹ số 1")
    receipt = record_donation(
        actor=office.staff, fund=fund, amount=700_000, date=office.gift_an.date
    ).receipt
    assert receipt.number.startswith("Q1-")
    for typed in (receipt.number, receipt.number.replace("-", ""), receipt.number.lower()):
        text = _result(anon_client.post(URL, {"so": typed, "tien": "700.000"}))
        assert "hợp lệ" in text and receipt.number in text, typed
    search = DonorSearchForm({"so": receipt.number.replace("-", "").lower()})
    assert search.is_valid() and search.cleaned_data["so"] == receipt.number
