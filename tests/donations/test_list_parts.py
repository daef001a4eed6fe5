"""The donation list's total says what it adds: one part per fund and one for direct
support, from the per-day totals or, for a narrower scope or filter, from the rows; the
parts always add up to the total shown."""

from __future__ import annotations

import pytest

from donations import services
from donations.models import Donation
from donations.selectors import donation_list_parts, donation_list_totals
from lddh.ward.access import access_for


def _books_with_every_purpose(books):
    books.record(amount=300_000)
    books.record(amount=200_000, fund=books.ct)
    books.record(
        amount=1_000_000,
        purpose=Donation.Purpose.DIRECT,
        beneficiary="Hộ bà Nguyễn Thị Hoa, tổ 2",
    )
    voided = books.record(amount=700_000)
    void = services.void_request(actor=books.staff, donation=voided, reason="Nhập trùng")
    services.void_approve(actor=books.committee, void=void)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, [300_000, 200_000, 1_000_000]),
        ({"purpose": Donation.Purpose.FUND}, [300_000, 200_000]),
        ({"q": "Nguyễn"}, None),  # not a key of the per-day totals: from the rows
    ],
)
def test_the_parts_add_up_to_the_list_total(books, data, expected):
    _books_with_every_purpose(books)
    everyone = access_for(books.staff)
    rows = Donation.objects.all()
    if "purpose" in data:
        rows = rows.filter(purpose=data["purpose"])
    parts = donation_list_parts(everyone, data, rows)
    total = donation_list_totals(everyone, data, rows)["total"]
    assert sum(part.amount for part in parts) == total
    if expected is not None:
        assert [part.amount for part in parts] == expected
    labels = [part.label for part in parts]
    if expected and len(expected) == 3:
        assert labels[-1] == "hỗ trợ trực tiếp"
        assert (books.vnn.short_name or books.vnn.name) in labels


def test_the_list_page_prints_the_parts(books, world):
    _books_with_every_purpose(books)
    html = world.client("staff").get("/quan-ly/ung-ho/").content.decode()
    line = html.split('id="list-total">', 1)[1].split("<br>", 1)[0]
    assert "1.500.000" in line and " = " in line and "hỗ trợ trực tiếp" in line
