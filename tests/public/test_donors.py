"""The public donor list: search by name without diacritics, receipt number, amount and
dates; anonymous donors stay anonymous; voided receipts and direct support apart."""

from __future__ import annotations

from django.urls import reverse

from donations.models.constants import ANONYMOUS_NAME
from donations.public_selectors import DonorFilters, public_donation_rows, public_donations
from lddh.ward.money import format_dong

URL = "/cong-khai/2024/ung-ho/"


def _names(ward, **filters) -> list[str]:
    rows = public_donation_rows(public_donations(ward.campaign, DonorFilters(**filters)))
    return [row.name for row in rows]


def test_name_search_ignores_diacritics_and_case(ward, anon_client):
    assert _names(ward, name="nguyen van an") == ["Nguyễn Văn Ân"]
    assert _names(ward, name="NGUYỄN VĂN ÂN") == ["Nguyễn Văn Ân"]
    page = anon_client.get(URL, {"ten": "nguyen van an"}).content.decode()
    assert "Nguyễn Văn Ân" in page and "Tổ 3" in page and format_dong(500_000) in page
    assert "Ánh Dương" not in page


def test_an_anonymous_donor_is_never_found_by_name_nor_named(ward, anon_client):
    assert _names(ward, name="bich") == []
    rows = public_donation_rows(public_donations(ward.campaign))
    hidden = [row for row in rows if row.amount == 1_000_000]
    assert [(row.name, row.affiliation) for row in hidden] == [(ANONYMOUS_NAME, "")]
    page = anon_client.get(URL).content.decode()
    assert "Bích" not in page and ANONYMOUS_NAME in page


def test_a_donor_who_asks_for_anonymity_later_is_hidden_from_then_on(ward, anon_client):
    ward.an.anonymous = True
    ward.an.save()
    assert _names(ward, name="nguyen van an") == []
    assert "Nguyễn Văn Ân" not in anon_client.get(URL).content.decode()


def test_a_phone_number_or_tax_code_finds_nobody(ward):
    assert _names(ward, name="0912345678") == []
    assert _names(ward, name="0109998887") == []


def test_search_by_receipt_number_amount_and_dates(ward, anon_client):
    number = ward.gift_business.receipt.number
    assert _names(ward, number=number.lower()) == ["Công ty TNHH Ánh Dương"]
    assert _names(ward, amount=500_000) == ["Nguyễn Văn Ân"]
    import datetime

    day = datetime.date(2024, 10, 25)
    assert _names(ward, date_from=day, date_to=day) == ["Công ty TNHH Ánh Dương"]
    page = anon_client.get(URL, {"tien": "3.000.000", "tu": "25/10/2024", "den": "25/10/2024"})
    assert "Ánh Dương" in page.content.decode()
    assert "ung-ho-2024-10-25.xlsx" in page.content.decode()


def test_voided_receipts_are_not_listed(ward, anon_client):
    assert ward.voided.receipt.number not in anon_client.get(URL).content.decode()
    assert 700_000 not in [
        row.amount for row in public_donation_rows(public_donations(ward.campaign))
    ]


def test_direct_support_is_listed_apart_without_the_household(ward, anon_client):
    fund_page = anon_client.get(URL).content.decode()
    assert "Lê Văn Trực" not in fund_page
    direct_page = anon_client.get(URL, {"loai": "truc-tiep"}).content.decode()
    assert "Lê Văn Trực" in direct_page and format_dong(800_000) in direct_page
    assert "Đào Thị Hoa" not in direct_page


def test_the_list_pages_by_fifty(ward, anon_client):
    from donations.models import Donation
    from tests.factories import DonorFactory

    for i in range(52):
        ward.give(DonorFactory(name=f"Người góp {i}"), 10_000 + i, Donation.Channel.CASH)
    first = anon_client.get(URL)
    assert len(first.context["rows"]) == 50
    assert first.context["page_obj"].paginator.num_pages == 2
    second = anon_client.get(URL, {"page": "2"})
    assert len(second.context["rows"]) == 55 - 50
    filtered = anon_client.get(URL, {"ten": "nguoi gop", "page": "2"})
    assert len(filtered.context["rows"]) == 2
    assert "ten=nguoi+gop&amp;page=1" in filtered.content.decode()


def test_the_home_search_box_leads_to_the_list(ward, anon_client):
    page = anon_client.get(reverse("public:home")).content.decode()
    assert f'action="{URL}"' in page and 'name="ten"' in page


def test_a_narrow_name_is_answered_from_its_donors_like_the_list(ward, anon_client, monkeypatch):
    """A name matching few donors is answered in one pass (their donations through the
    donor index, page and count from the same rows): the same rows as the list query,
    newest first, with the other filters and anonymity applied; a broad name falls back
    to the list query."""
    from donations import public_selectors
    from tests.factories import DonorFactory

    for i in range(3):
        ward.give(DonorFactory(name=f"Nguyễn Văn Ấn {i}"), 100_000 + i, "cash")
    ward.give(DonorFactory(name="Nguyễn Văn Ấn kín", anonymous=True), 90_000, "cash")
    for filters in (
        DonorFilters(name="nguyen van"),
        DonorFilters(name="nguyen van", amount=100_001),
        DonorFilters(name="an", direct=True),
        DonorFilters(name="khong ai"),
    ):
        by_name = public_selectors.public_donations_by_name(ward.campaign, filters)
        assert by_name == list(public_donations(ward.campaign, filters))
    rows = public_selectors.public_donations_by_name(ward.campaign, DonorFilters(name="van"))
    assert [r["amount"] for r in rows][:4] == [100_002, 100_001, 100_000, 500_000]
    assert 90_000 not in [r["amount"] for r in rows]
    assert public_selectors.public_donations_by_name(ward.campaign, DonorFilters()) is None
    monkeypatch.setattr(public_selectors, "NAME_DONOR_CAP", 2)
    assert (
        public_selectors.public_donations_by_name(ward.campaign, DonorFilters(name="van")) is None
    )
    page = anon_client.get(URL, {"ten": "van"}).content.decode()  # the list query again
    assert "Nguyễn Văn Ấn 2" in page and "kín" not in page
