"""The hostile amounts table through the server alone: the parser, the words endpoint the
pages ask while a person types, and the donation entry form. Every row is refused with
its Vietnamese message and writes nothing, or is stored as exactly the expected amount.
The browser tests type the same rows (tests/browser/test_money_typing.py)."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from donations.models import MAX_DONATION, Donation, Fund
from lddh.ward.fields import DongField, unusual_reasons
from lddh.ward.models import AuditEvent
from lddh.ward.money import MoneyError, amount_in_words, format_dong, parse_dong
from tests.donations.test_views import CREATE, form_data
from tests.money_table import HOSTILE_AMOUNTS

ROWS = [pytest.param(typed, expected, id=repr(typed)) for typed, expected in HOSTILE_AMOUNTS]


def test_the_table_is_long_enough():
    assert len(HOSTILE_AMOUNTS) >= 25
    assert {e for _, e in HOSTILE_AMOUNTS if isinstance(e, str)} >= {
        "fraction",
        "negative",
        "invalid",
        "shorthand",
        "mixed",
        "grouping",
        "too_large",
    }


@pytest.mark.parametrize(("typed", "expected"), ROWS)
def test_parser(typed, expected):
    if isinstance(expected, int):
        assert parse_dong(typed) == expected
    else:
        with pytest.raises(MoneyError) as refused:
            parse_dong(typed)
        assert refused.value.code == expected


def _message(typed: str, **limits) -> str:
    """What the money field with these limits says of ``typed`` ("" when it is accepted)."""
    try:
        DongField(**limits).clean(typed)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


@pytest.mark.parametrize(("typed", "expected"), ROWS)
def test_words_endpoint_reads_what_the_server_stores(staff_client, typed, expected):
    answer = staff_client.get(reverse("amount_words"), {"so": typed}).json()
    if isinstance(expected, int):
        assert answer == {
            "ok": True,
            "amount": expected,
            "figure": format_dong(expected),
            "words": amount_in_words(expected),
        }
    else:
        assert answer == {"ok": False, "error": _message(typed)}


def test_words_endpoint_uses_the_fields_limits(staff_client):
    url = reverse("amount_words")
    answer = staff_client.get(url, {"so": "0", "toi-thieu": "1"}).json()
    assert answer == {"ok": False, "error": "Số tiền phải từ 1 đ trở lên."}
    answer = staff_client.get(url, {"so": "200.000.000.000", "toi-da": str(MAX_DONATION)}).json()
    assert answer["ok"] is False and answer["error"].startswith("Số tiền quá lớn")
    # Limits that are not whole numbers are ignored, never an error page.
    answer = staff_client.get(url, {"so": "5.000", "toi-thieu": "x", "toi-da": "-1"}).json()
    assert answer["amount"] == 5000


def test_words_endpoint_with_nothing_typed_says_nothing(staff_client):
    answer = staff_client.get(reverse("amount_words"), {"so": "  "}).json()
    assert answer["ok"] is False and answer["error"] == ""


@pytest.mark.parametrize(("typed", "expected"), ROWS)
def test_donation_entry(books, staff_client, typed, expected):
    events = AuditEvent.objects.count()
    data = form_data(staff_client, books, amount=typed, campaign="")
    response = staff_client.post(CREATE, data)
    if isinstance(expected, str):
        assert response.status_code == 200
        message = _message(typed, min_value=1, max_value=MAX_DONATION)
        assert html.escape(message, quote=False) in response.content.decode()
        assert not Donation.objects.exists()
        assert AuditEvent.objects.count() == events
        return
    if unusual_reasons(expected, review_above=books.vnn.review_above):
        # Asked once more, in the page, with the figure and words; nothing saved yet.
        assert response.status_code == 200
        assert response.context["form"].second_looks[0].amount == expected
        assert amount_in_words(expected) in response.content.decode()
        assert not Donation.objects.exists()
        response = staff_client.post(CREATE, {**data, "amount_confirmed": str(expected)})
    assert response.status_code == 302, response.context["form"].errors
    assert Donation.objects.get().amount == expected


# --------------------------------------------------------------------------- second look


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("1.250.500", "không tròn nghìn đồng"),
        ("60.000.000", "mức cần xem lại của quỹ"),
    ],
)
def test_an_unusual_amount_asks_once_more_and_saves_nothing_before(
    books, staff_client, amount, reason
):
    data = form_data(staff_client, books, amount=amount)
    response = staff_client.post(CREATE, data)
    page = response.content.decode()
    assert response.status_code == 200 and reason in page
    assert 'name="amount_confirmed"' in page
    assert not Donation.objects.exists()
    # Confirming another amount than the one typed does not count.
    response = staff_client.post(CREATE, {**data, "amount_confirmed": "1"})
    assert response.status_code == 200 and not Donation.objects.exists()
    response = staff_client.post(CREATE, {**data, "amount_confirmed": str(parse_dong(amount))})
    assert response.status_code == 302
    assert Donation.objects.get().amount == parse_dong(amount)


def test_the_review_figure_is_the_funds(books, staff_client):
    Fund.objects.filter(pk=books.vnn.pk).update(review_above=100_000_000)
    response = staff_client.post(CREATE, form_data(staff_client, books, amount="60.000.000"))
    assert response.status_code == 302


def test_ten_times_the_donors_usual_gift_asks_once_more(books, staff_client):
    for _ in range(3):
        books.record(amount=200_000)
    data = form_data(staff_client, books, amount="5.000.000")
    response = staff_client.post(CREATE, data)
    assert response.status_code == 200
    assert "gấp hơn 10 lần mức thường ủng hộ (200.000 đ)" in response.content.decode()
    assert Donation.objects.count() == 3
    response = staff_client.post(CREATE, form_data(staff_client, books, amount="1.000.000"))
    assert response.status_code == 302


def test_in_kind_total_asks_once_more(books, staff_client):
    data = form_data(
        staff_client,
        books,
        amount="",
        channel="in_kind",
        **{
            "items-0-description": "Gạo",
            "items-0-quantity": "100",
            "items-0-unit": "kg",
            "items-0-valuation": "1.800.500",
        },
    )
    response = staff_client.post(CREATE, data)
    assert response.status_code == 200
    assert "Một triệu tám trăm nghìn năm trăm đồng" in response.content.decode()
    assert not Donation.objects.exists()
    response = staff_client.post(CREATE, {**data, "amount_confirmed": "1800500"})
    assert response.status_code == 302
    assert Donation.objects.get().amount == 1_800_500


def test_a_text_longer_than_the_field_reads_is_refused_whole(books, staff_client):
    """Leading zeros or spaces beyond what the field reads are refused, never read in
    part: the words line and the form say the same thing."""
    typed = "0" * 55 + "1500000"
    answer = staff_client.get(reverse("amount_words"), {"so": typed}).json()
    assert answer["ok"] is False and "dài quá 40 ký tự" in answer["error"]
    response = staff_client.post(CREATE, form_data(staff_client, books, amount=typed))
    assert "dài quá 40 ký tự" in response.content.decode()
    assert not Donation.objects.exists()


def test_a_date_further_back_than_late_receipts_asks_once_more(books, staff_client, settings):
    """Outside any campaign too: 20/10/2024 typed (or left as the default) in December
    2026 is asked about before a receipt is numbered."""
    settings.CAMPAIGN_LATE_ENTRY_DAYS = 30
    data = form_data(staff_client, books, campaign="", date="20/10/2024")
    response = staff_client.post(CREATE, data)
    page = response.content.decode()
    assert response.status_code == 200 and 'name="date_confirmed"' in page
    assert "Xem lại ngày trước khi lưu" in page and not Donation.objects.exists()
    response = staff_client.post(CREATE, {**data, "date_confirmed": "2024-10-20"})
    assert response.status_code == 302
    assert Donation.objects.get().date.isoformat() == "2024-10-20"
