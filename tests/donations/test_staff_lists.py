"""Staff lists that stay fast at a million rows (keys-first pages, counts from the per-day
totals, sortable on indexed columns) and the batch receipt print."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from donations import documents, services
from donations.filters import DonationFilter
from donations.models import Donation, Receipt, ReceiptPrint
from donations.selectors import donation_list_totals
from lddh.ward.access import access_for
from lddh.ward.models import AuditEvent
from lddh.ward.pagination import KeysFirstPaginator, Runs
from tests.factories import DonorFactory, make_round

DAY = datetime.date(2024, 10, 20)
LIST = reverse("donations:list")
REGISTER = reverse("donations:receipt_register")
DONORS = reverse("donations:donor_list")
BATCH = reverse("donations:receipt_batch")


def record(books, **kwargs):
    return books.record(**kwargs)


def _rows(books, n: int, *, days: int = 3) -> list[Donation]:
    """n donations over a few days (many share a date: the pk breaks the ties)."""
    return [
        record(
            books,
            donor=DonorFactory(name=f"Người {i:03d}"),
            date=DAY + datetime.timedelta(days=i % days),
            amount=100_000 + (i * 7919) % 50 * 1_000,
        )
        for i in range(n)
    ]


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


# --------------------------------------------------------------------------- pagination


@pytest.mark.parametrize("order", [("-date", "-pk"), ("amount", "pk"), ("-amount", "-pk")])
def test_keys_first_pages_equal_django_pages(books, order):
    _rows(books, 23)
    queryset = Donation.objects.select_related("donor").order_by(*order)
    plain = Paginator(queryset, 5)
    fast = KeysFirstPaginator(queryset, 5, count=queryset.count())
    assert fast.num_pages == plain.num_pages == 5
    for number in plain.page_range:  # pages 4 and 5 are read backwards from the end
        assert [d.pk for d in fast.page(number)] == [d.pk for d in plain.page(number)]
    assert [d.pk for d in fast.get_page(99)] == [d.pk for d in plain.page(5)]


@pytest.mark.parametrize("order", [("-date", "-pk"), ("date", "pk")])
def test_pages_started_at_their_day_equal_django_pages(books, order):
    """With the rows of each day, a page scans from the day it starts on (or back from
    the day it ends on): the same rows as Django's pages, in either direction."""
    _rows(books, 23, days=4)
    queryset = Donation.objects.order_by(*order)
    totals = donation_list_totals(access_for(books.staff), {}, queryset)
    assert sum(totals["days"].values()) == totals["count"] == 23
    plain = Paginator(queryset, 3)
    fast = KeysFirstPaginator(queryset, 3, count=23, runs=Runs("date", totals["days"]))
    for number in plain.page_range:
        assert [d.pk for d in fast.page(number)] == [d.pk for d in plain.page(number)]


def test_a_page_started_at_its_day_skips_only_rows_of_that_day(books):
    _rows(books, 24, days=4)  # six a day
    queryset = Donation.objects.order_by("-date", "-pk")
    days = donation_list_totals(access_for(books.staff), {}, queryset)["days"]
    paginator = KeysFirstPaginator(queryset, 2, count=24, runs=Runs("date", days))
    with CaptureQueriesContext(connection) as queries:
        list(paginator.page(5))  # rows 8–9: the third and fourth of the second day
    sql = queries[0]["sql"]
    assert "OFFSET 2" in sql and '"date" <=' in sql


def test_runs_are_ignored_when_the_list_is_not_ordered_by_their_field(books):
    _rows(books, 10)
    queryset = Donation.objects.order_by("-amount", "-pk")
    days = donation_list_totals(access_for(books.staff), {}, queryset)["days"]
    fast = KeysFirstPaginator(queryset, 3, count=10, runs=Runs("date", days))
    plain = Paginator(queryset, 3)
    for number in plain.page_range:
        assert [d.pk for d in fast.page(number)] == [d.pk for d in plain.page(number)]


def test_keys_first_page_costs_two_queries_whatever_the_page(books):
    _rows(books, 30)
    queryset = Donation.objects.select_related("donor", "receipt").order_by("-date", "-pk")
    paginator = KeysFirstPaginator(queryset, 5, count=30)
    for number in (1, 3, 6):
        with CaptureQueriesContext(connection) as queries:
            rows = list(paginator.page(number))
            [(row.donor.name, row.receipt.number) for row in rows]
        assert len(queries) == 2  # the page's keys, then its rows with their joins
        assert "OFFSET" not in queries[1]["sql"].upper()


# --------------------------------------------------------------------------- list totals


def figures(totals: dict) -> dict:
    """Count and total (the per-day totals also give the rows of each day)."""
    return {"count": totals["count"], "total": totals["total"]}


def test_list_totals_follow_every_money_movement(books, world):
    first = record(books, amount=300_000)
    everyone = access_for(books.staff)
    queryset = Donation.objects.all()
    assert figures(donation_list_totals(everyone, {}, queryset)) == {"count": 1, "total": 300_000}
    record(books, amount=200_000)
    assert figures(donation_list_totals(everyone, {}, queryset)) == {"count": 2, "total": 500_000}
    void = services.void_request(actor=books.staff, donation=first, reason="Nhập sai")
    services.void_approve(actor=books.committee, void=void)
    assert figures(donation_list_totals(everyone, {}, queryset)) == {"count": 2, "total": 200_000}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"channel": "bank"},
        {"status": "voided"},
        {"source": "business", "purpose": "fund"},
        {"date_from": DAY, "date_to": DAY + datetime.timedelta(days=1)},
        {"amount_min": 150_000},  # not a key of the totals: one plain aggregate
        {"q": "Người 00"},
    ],
)
def test_list_totals_equal_the_filtered_rows(books, world, data):
    rows = _rows(books, 9)
    record(books, donor=DonorFactory(source="business"), amount=700_000, channel="bank")
    void = services.void_request(actor=books.staff, donation=rows[0], reason="Nhập sai")
    services.void_approve(actor=books.committee, void=void)
    query = {
        k: v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v for k, v in data.items()
    }
    filterset = DonationFilter(query, queryset=Donation.objects.all())
    assert filterset.is_valid()
    expected = filterset.qs.aggregate(
        count=Count("pk"), total=Coalesce(Sum("amount", filter=Q(status="valid")), 0)
    )
    got = donation_list_totals(access_for(books.staff), filterset.form.cleaned_data, filterset.qs)
    assert figures(got) == expected


def test_list_totals_by_keys_read_the_day_totals_only(books):
    _rows(books, 5)
    everyone = access_for(books.staff)
    with CaptureQueriesContext(connection) as queries:
        donation_list_totals(everyone, {"channel": "cash"}, Donation.objects.all())
    assert len(queries) == 1 and "donations_daytotal" in queries[0]["sql"]


def test_list_totals_follow_a_donor_s_new_source(books):
    donor = DonorFactory(source="individual")
    record(books, donor=donor, amount=400_000)
    everyone = access_for(books.staff)
    business = {"source": "business"}
    assert donation_list_totals(everyone, business, Donation.objects.none())["count"] == 0
    services.donor_update(actor=books.staff, donor=donor, source="business")
    assert figures(donation_list_totals(everyone, business, Donation.objects.none())) == {
        "count": 1,
        "total": 400_000,
    }


def test_list_shows_new_donation_and_void_at_once(books, staff_client):
    record(books, amount=300_000)
    page = staff_client.get(LIST).context
    assert page["page_obj"].paginator.count == 1 and page["total"] == 300_000
    donation = record(books, amount=200_000)
    page = staff_client.get(LIST).context
    assert page["page_obj"].paginator.count == 2 and page["total"] == 500_000
    void = services.void_request(actor=books.staff, donation=donation, reason="Nhập sai")
    services.void_approve(actor=books.committee, void=void)
    assert staff_client.get(LIST).context["total"] == 300_000


def test_office_list_count_comes_from_the_day_totals(books, staff_client):
    _rows(books, 12)
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(LIST, {"channel": "cash", "page": "1"})
    assert response.context["page_obj"].paginator.count == 12
    # No count over the donations themselves. The menu's badges count other tables; the
    # pledges due reach a donation only through a pledge's own payment links, by key.
    assert not any(
        "COUNT(" in q["sql"].upper() and 'FROM "donations_donation"' in q["sql"] for q in queries
    )


def test_leader_count_is_not_shared_with_the_office(books, world, staff_client, leader2_client):
    record(books, credited_group=world.groups[2])
    record(books)
    assert staff_client.get(LIST).context["page_obj"].paginator.count == 2
    assert leader2_client.get(LIST).context["page_obj"].paginator.count == 1


# --------------------------------------------------------------------------- sorting


def test_donation_list_sorts_by_amount_both_ways(books, staff_client):
    _rows(books, 8)
    amounts = sorted(Donation.objects.values_list("amount", flat=True))
    up = staff_client.get(LIST, {"sap_xep": "so_tien"})
    assert [d.amount for d in up.context["page_obj"]] == amounts
    down = staff_client.get(LIST, {"sap_xep": "-so_tien"})
    assert [d.amount for d in down.context["page_obj"]] == amounts[::-1]
    assert 'aria-sort="descending"' in down.content.decode()


def test_unknown_sort_key_falls_back_to_newest_first(books, staff_client):
    rows = _rows(books, 6)
    response = staff_client.get(LIST, {"sap_xep": "donor__phone"})
    expected = sorted(rows, key=lambda d: (d.date, d.pk), reverse=True)
    assert [d.pk for d in response.context["page_obj"]] == [d.pk for d in expected]


def test_register_and_donor_list_sort(books, staff_client):
    _rows(books, 6)
    register = staff_client.get(REGISTER, {"sap_xep": "-ngay"}).context["page_obj"]
    dates = [r.date for r in register]
    assert dates == sorted(dates, reverse=True)
    numbers = [r.number for r in staff_client.get(REGISTER).context["page_obj"]]
    assert numbers == sorted(numbers)
    keys = [d.name_key for d in staff_client.get(DONORS, {"sap_xep": "-ten"}).context["page_obj"]]
    assert keys == sorted(keys, reverse=True) and len(keys) == 7  # sorted without diacritics


def test_donor_list_totals_per_donor(books, staff_client):
    other = DonorFactory(name="Trần Thị Bình")
    record(books, amount=100_000)
    record(books, amount=200_000)
    voided = record(books, donor=other, amount=50_000)
    record(books, donor=other, amount=70_000)
    void = services.void_request(actor=books.staff, donation=voided, reason="Nhập sai")
    services.void_approve(actor=books.committee, void=void)
    rows = {d.name: (d.count, d.total) for d in staff_client.get(DONORS).context["page_obj"]}
    assert rows["Nguyễn Văn An"] == (2, 300_000)
    assert rows["Trần Thị Bình"] == (1, 70_000)


@pytest.mark.parametrize("url", [LIST, REGISTER, DONORS])
def test_list_query_count_same_for_one_and_many_rows(books, staff_client, url):
    record(books)
    staff_client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(url).status_code == 200
    _rows(books, 70)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url, {"page": "2"})
    assert len(response.context["page_obj"]) > 0
    assert len(many) == len(one)


# --------------------------------------------------------------------------- batch print


def test_receipts_pdf_one_a5_page_per_receipt(books):
    donations = _rows(books, 3)
    receipts = [d.receipt for d in donations]
    pdf = documents.receipts_pdf(receipts, copies={receipts[1].pk: True})
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    texts = [page.extract_text() for page in reader.pages]
    for receipt, text in zip(receipts, texts, strict=True):
        assert receipt.number in text
    assert "BẢN SAO" not in texts[0] and "BẢN SAO" in texts[1] and "BẢN SAO" not in texts[2]
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (148, 210)  # A5


def test_batch_page_shows_what_will_be_printed(books, staff_client):
    _rows(books, 4, days=1)
    response = staff_client.get(BATCH, {"date_from": "20/10/2024", "date_to": "20/10/2024"})
    assert response.status_code == 200
    assert response.context["count"] == 4
    assert "In 4 biên nhận" in response.content.decode()
    assert not ReceiptPrint.objects.exists()  # looking prints nothing


def test_batch_print_logs_prints_and_marks_reprints(books, staff_client):
    donations = _rows(books, 3, days=1)
    first = donations[0].receipt
    services.receipt_print(actor=books.staff, receipt=first)  # printed alone before
    response = staff_client.post(BATCH + "?date_from=20/10/2024&date_to=20/10/2024")
    pages = pdf_pages(response)
    assert len(pages) == 3
    by_number = {
        r.number: text for r in Receipt.objects.all() for text in pages if r.number in text
    }
    assert "BẢN SAO" in by_number[first.number]
    assert sum("BẢN SAO" in text for text in pages) == 1
    assert ReceiptPrint.objects.count() == 4
    assert ReceiptPrint.objects.filter(is_copy=True).count() == 1
    assert AuditEvent.objects.filter(action="receipt.print").count() == 4
    again = pdf_pages(staff_client.post(BATCH + "?date_from=20/10/2024"))
    assert all("BẢN SAO" in text for text in again)


def test_batch_print_by_series_range_and_round(books, world, staff_client):
    donations = _rows(books, 5)
    numbers = sorted(d.receipt.number for d in donations)
    seqs = sorted(d.receipt.seq for d in donations)
    series = donations[0].receipt.series
    response = staff_client.post(BATCH + f"?series={series}&seq_from={seqs[1]}&seq_to={seqs[3]}")
    pages = pdf_pages(response)
    assert [next(n for n in numbers if n in text) for text in pages] == numbers[1:4]
    round = make_round(
        actor=books.staff,
        group=world.groups[2],
        campaign=books.campaign,
        fund=books.vnn,
        lines=[("Đinh Văn An", "200.000"), ("Trần Thị Bình", "100.000")],
    )
    services.round_post(actor=books.staff, round=round)
    page = staff_client.get(BATCH, {"round": round.code.lower()})
    assert page.context["count"] == 2


def test_batch_refuses_more_than_the_maximum(books, staff_client, monkeypatch):
    monkeypatch.setattr(documents, "BATCH_MAX", 2)
    monkeypatch.setattr("donations.services.batches.QUEUED_BATCH_FACTOR", 1)
    _rows(books, 3)
    response = staff_client.post(BATCH)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "nhiều hơn mức tối đa" in response.content.decode()
    assert not ReceiptPrint.objects.exists()


def test_batch_rendering_failure_logs_nothing(books, staff_client, monkeypatch):
    _rows(books, 2)

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint crashed")

    monkeypatch.setattr(documents, "receipts_pdf", broken)
    response = staff_client.post(BATCH)
    assert response.status_code == 503
    assert not ReceiptPrint.objects.exists()
    assert not AuditEvent.objects.filter(action="receipt.print").exists()


def test_batch_reachable_from_register_and_list(books, staff_client, treasurer_client):
    record(books)
    assert BATCH in staff_client.get(REGISTER, {"year": "2024"}).content.decode()
    assert (
        f"{BATCH}?date_from=20%2F10%2F2024"
        in staff_client.get(LIST, {"date_from": "20/10/2024"}).content.decode()
    )
    assert BATCH not in treasurer_client.get(REGISTER).content.decode()


def test_batch_query_count_does_not_grow_with_receipts(books, staff_client):
    _rows(books, 1)
    staff_client.get(BATCH)
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        staff_client.get(BATCH)
    _rows(books, 30)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(BATCH)
    assert response.context["count"] == 31
    assert len(many) == len(one)
