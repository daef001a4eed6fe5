"""A list page read keys first (lddh/ward/pagination.py) is the page Django's own
paginator gives, in every sort, and moves at once when money moves or a donor changes."""

import datetime

from django.core.paginator import Paginator
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


def test_a_deep_page_is_djangos_page_in_each_sort(books, staff_client):
    _rows(books, 130)
    page = staff_client.get(LIST, {"page": "2"})
    assert _pks(page) == _django_page(Donation.objects.order_by("-date", "-pk"), 2)
    by_amount = staff_client.get(LIST, {"page": "2", "sap_xep": "so_tien"})
    assert _pks(by_amount) == _django_page(Donation.objects.order_by("amount", "pk"), 2)


def test_pages_move_with_a_new_donation_and_a_void(books, staff_client):
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


def test_register_and_donor_pages_are_exact(books, staff_client):
    _rows(books, 110)
    for url, queryset in (
        (REGISTER, Receipt.objects.order_by("-date", "-pk")),
        (DONORS, Donor.objects.order_by("name_key", "pk")),
    ):
        response = staff_client.get(url, {"page": "2"})
        assert len(_pks(response)) == 50, url
        assert set(_pks(response)) <= set(queryset.values_list("pk", flat=True))
    # A renamed donor moves in the donor list's order at once.
    first_page = _pks(staff_client.get(DONORS))
    services.donor_update(actor=books.staff, donor=Donor.objects.get(pk=first_page[0]), name="Zzz")
    assert _pks(staff_client.get(DONORS))[0] != first_page[0]
