"""A list page's keys are cached like its count (lddh/ward/pagination.py): a
second visit of a deep page reads no keys (no OFFSET), and the pages move at once when
money moves or a donor changes."""

import datetime

from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations import services
from donations.models import Donation, Donor, Receipt
from tests.donations.test_staff_lists import DAY, _rows, record

LIST = reverse("donations:list")
REGISTER = reverse("donations:receipt_register")
DONORS = reverse("donations:donor_list")


def _pks(response) -> list[int]:
    return [row.pk for row in response.context["page_obj"]]


def _django_page(queryset, number: int) -> list[int]:
    return [row.pk for row in Paginator(queryset, 50).page(number)]


def test_second_visit_of_a_deep_page_reads_no_keys(books, staff_client):
    _rows(books, 130)
    first = staff_client.get(LIST, {"page": "2"})
    with CaptureQueriesContext(connection) as queries:
        again = staff_client.get(LIST, {"page": "2"})
    assert _pks(again) == _pks(first)
    assert _pks(again) == _django_page(Donation.objects.order_by("-date", "-pk"), 2)
    assert not any("OFFSET" in q["sql"].upper() for q in queries)
    # The other sort has its own keys.
    by_amount = staff_client.get(LIST, {"page": "2", "sap_xep": "so_tien"})
    assert _pks(by_amount) == _django_page(Donation.objects.order_by("amount", "pk"), 2)


def test_cached_pages_move_with_a_new_donation_and_a_void(books, staff_client):
    _rows(books, 120)
    before = _pks(staff_client.get(LIST, {"page": "2"}))
    newest = record(books, date=DAY + datetime.timedelta(days=10))
    after = _pks(staff_client.get(LIST, {"page": "2"}))
    assert after != before
    assert after == _django_page(Donation.objects.order_by("-date", "-pk"), 2)
    assert newest.pk in _pks(staff_client.get(LIST))
    # Voiding takes the donation out of the "valid" filter's pages at once.
    valid = {"status": "valid", "page": "1"}
    assert newest.pk in _pks(staff_client.get(LIST, valid))
    void = services.void_request(actor=books.staff, donation=newest, reason="Nhập sai")
    services.void_approve(actor=books.committee, void=void)
    assert newest.pk not in _pks(staff_client.get(LIST, valid))


def test_register_and_donor_pages_are_cached_and_exact(books, staff_client):
    _rows(books, 110)
    for url, queryset in (
        (REGISTER, Receipt.objects.order_by("-date", "-pk")),
        (DONORS, Donor.objects.order_by("name_key", "pk")),
    ):
        staff_client.get(url, {"page": "2"})
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url, {"page": "2"})
        assert not any("OFFSET" in q["sql"].upper() for q in queries), url
        assert len(_pks(response)) == 50
        assert set(_pks(response)) <= set(queryset.values_list("pk", flat=True))
    # A renamed donor moves in the donor list's order at once.
    first_page = _pks(staff_client.get(DONORS))
    services.donor_update(actor=books.staff, donor=Donor.objects.get(pk=first_page[0]), name="Zzz")
    assert _pks(staff_client.get(DONORS))[0] != first_page[0]
