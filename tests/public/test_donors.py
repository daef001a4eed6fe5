"""The public donor list: search by name without diacritics, receipt number, amount and
dates; anonymous donors stay anonymous; voided receipts and direct support apart."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.models.constants import ANONYMOUS_NAME
from donations.selectors.public import DonorFilters, public_donation_rows, public_donations
from lddh.ward.money import format_dong
from tests.factories import DonorFactory

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
    """A name matching few donors is answered from the keys of their donations (through
    the donor index; the count is their number, a page a slice of them): the same rows
    as the list query, newest first, with the other filters and anonymity applied; a
    broad name falls back to the list query."""
    from donations.selectors import public as public_selectors

    for i in range(3):
        ward.give(DonorFactory(name=f"Nguyễn Văn Ấn {i}"), 100_000 + i, "cash")
    ward.give(DonorFactory(name="Nguyễn Văn Ấn kín", anonymous=True), 90_000, "cash")

    def by_name(filters):
        keys = public_selectors.public_keys_by_name(ward.campaign, filters)
        return None if keys is None else public_selectors.public_donations_in(keys)

    for filters in (
        DonorFilters(name="nguyen van"),
        DonorFilters(name="nguyen van", amount=100_001),
        DonorFilters(name="an", direct=True),
        DonorFilters(name="khong ai"),
    ):
        assert by_name(filters) == list(public_donations(ward.campaign, filters))
    rows = by_name(DonorFilters(name="van"))
    assert [r["amount"] for r in rows][:4] == [100_002, 100_001, 100_000, 500_000]
    assert 90_000 not in [r["amount"] for r in rows]
    assert by_name(DonorFilters()) is None
    monkeypatch.setattr(public_selectors, "NAME_DONOR_CAP", 2)
    assert by_name(DonorFilters(name="van")) is None
    page = anon_client.get(URL, {"ten": "van"}).content.decode()  # the list query again
    assert "Nguyễn Văn Ấn 2" in page and "kín" not in page


def test_a_name_search_pages_its_keys_with_constant_queries(ward, anon_client):
    """Page 2 of a narrow name holds the oldest rows, the count is exact, and a search
    costs the same queries whether the name has 3 rows or 55."""

    def give(n, start=0):
        for i in range(start, start + n):
            day = datetime.date(2024, 10, 17) + datetime.timedelta(days=i % 20)
            ward.give(DonorFactory(name=f"Lò Thị Mẩy {i}"), 10_000 + i, "cash", date=day)

    def search(**more):
        return anon_client.get(URL, {"ten": "lo thi may", **more}).content.decode()

    give(3)
    anon_client.get(URL)  # the figures, built once after new money
    with CaptureQueriesContext(connection) as few:
        search()
    give(52, start=3)
    anon_client.get(URL)
    with CaptureQueriesContext(connection) as many:
        first = search()
    assert len(many) == len(few)
    second = search(page="2")
    assert "Tìm thấy 55 khoản" in first
    newest_first = sorted(
        range(55), key=lambda i: (datetime.date(2024, 10, 17) + datetime.timedelta(i % 20), i)
    )[::-1]
    assert f"Lò Thị Mẩy {newest_first[0]}<" in first
    assert f"Lò Thị Mẩy {newest_first[-1]}<" in second
    assert f"Lò Thị Mẩy {newest_first[-1]}<" not in first


def test_a_search_is_kept_until_money_moves(ward, anon_client):
    """The keys and count of a search are kept per data version: asking again skips the
    look-up, and a new donation (or a donor turning anonymous) shows at once."""
    donor = DonorFactory(name="Hà Văn Lưu")
    ward.give(donor, 120_000, "cash")
    page = anon_client.get(URL, {"ten": "ha van luu"}).content.decode()
    assert "Tìm thấy 1 khoản" in page
    with CaptureQueriesContext(connection) as again:
        anon_client.get(URL, {"ten": "ha van luu"})
    assert not [q for q in again.captured_queries if "name_key" in q["sql"]]
    ward.give(donor, 130_000, "cash")
    assert "Tìm thấy 2 khoản" in anon_client.get(URL, {"ten": "ha van luu"}).content.decode()
    donor.anonymous = True
    donor.save()
    page = anon_client.get(URL, {"ten": "ha van luu"}).content.decode()
    assert "Hà Văn Lưu" not in page and "Tìm thấy 0 khoản" in page


def test_a_broad_search_counts_up_to_the_cap_and_asks_to_refine(ward, anon_client, monkeypatch):
    """A search matching more rows than COUNT_CAP says "more than" and pages only that
    far; the list without a search keeps its exact count."""
    from lddh.public import views

    for i in range(4):
        ward.give(DonorFactory(name=f"Người góp {i}"), 20_000 + i, "cash")
    monkeypatch.setattr(views, "COUNT_CAP", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    page = anon_client.get(URL, {"tu": "20/10/2024"}).content.decode()
    assert "Hơn 3 dòng khớp: hãy thu hẹp tìm kiếm" in page
    last = anon_client.get(URL, {"tu": "20/10/2024", "page": "9"})
    assert last.context["page_obj"].number == 2
    # A narrow name is answered from keys: the same cap and pages.
    by_name = anon_client.get(URL, {"ten": "nguoi gop", "page": "9"})
    assert "Hơn 3 dòng khớp" in by_name.content.decode()
    assert by_name.context["page_obj"].number == 2
    assert [row.amount for row in by_name.context["rows"]] == [20_001, 20_000]
    whole = anon_client.get(URL)
    assert whole.context["page_obj"].paginator.count == 7 and not whole.context["capped"]


def test_many_different_searches_do_not_push_the_figures_out(ward, anon_client, monkeypatch):
    """Each search keeps an entry in the cache; with Django's default of 300 entries a
    run of different searches would cull the cached year page and figures (a rebuild of
    ~1 s at 1.000.000 donations). The default per-process cache holds enough."""
    from lddh.public import cache as public_cache

    # The question is the count of entries, not their age: on a busy machine the 320
    # searches can outlast the per-process cache's 30 seconds.
    monkeypatch.setattr(public_cache, "LOCAL_TTL", 3600)
    year = "/cong-khai/2024/"
    anon_client.get(year)
    for i in range(320):  # just past the 300 of Django's default
        anon_client.get(URL, {"ten": f"khong co ai {i}"})
    with CaptureQueriesContext(connection) as queries:
        assert anon_client.get(year).status_code == 200
    assert len(queries) == 0
