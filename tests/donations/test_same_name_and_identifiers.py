"""One person is one donor: a new donor whose name matches an existing one (ignoring
case, diacritics and spacing) is shown the candidates and the person chooses; phone
numbers and tax codes are checked wherever they are typed."""

import unicodedata

import pytest
from django.urls import reverse

from donations import services
from donations.forms.statements import StatementRecordForm
from donations.models import CollectionRound, Donation, Donor
from lddh.ward.vocab import DonorSource
from tests.donations.test_views import CREATE, form_data
from tests.factories import make_round


def _new_donor_entry(client, books, name, **overrides):
    return form_data(
        client,
        books,
        donor="",
        new_name=name,
        new_source=DonorSource.INDIVIDUAL,
        **overrides,
    )


@pytest.mark.parametrize(
    "typed",
    [
        "Nguyễn Văn An",
        "nguyễn văn an",
        "  Nguyễn   Văn An ",
        "Nguyen Van An",
        unicodedata.normalize("NFD", "Nguyễn Văn An"),
    ],
)
def test_entry_of_a_known_name_shows_the_candidates_and_saves_nothing(books, staff_client, typed):
    response = staff_client.post(CREATE, _new_donor_entry(staff_client, books, typed))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Có thể trùng" in page
    assert f'name="use_donor" value="{books.donor.pk}"' in page
    assert Donor.objects.count() == 1 and not Donation.objects.exists()


def test_same_name_typed_four_times_makes_one_donor(books, staff_client):
    name = "Hoàng Thị Mai"
    data = _new_donor_entry(staff_client, books, name)
    assert staff_client.post(CREATE, data).status_code == 302
    for _ in range(3):
        again = _new_donor_entry(staff_client, books, name)
        response = staff_client.post(CREATE, again)
        assert "Có thể trùng" in response.content.decode()
    assert Donor.objects.filter(name_key="hoang thi mai").count() == 1


def test_picking_the_candidate_records_the_gift_for_the_existing_donor(books, staff_client):
    data = _new_donor_entry(staff_client, books, "nguyen van an", use_donor=str(books.donor.pk))
    response = staff_client.post(CREATE, data)
    assert response.status_code == 302
    assert Donation.objects.get().donor == books.donor
    assert Donor.objects.count() == 1


def test_confirming_a_different_person_creates_a_new_donor(books, staff_client):
    data = _new_donor_entry(staff_client, books, "Nguyễn Văn An", create_anyway="on")
    assert staff_client.post(CREATE, data).status_code == 302
    assert Donor.objects.filter(name_key="nguyen van an").count() == 2


def test_donor_page_shows_candidates_for_a_known_name(books, staff_client):
    response = staff_client.post(
        reverse("donations:donor_create"),
        {"source": DonorSource.INDIVIDUAL, "name": "NGUYỄN VĂN AN"},
    )
    assert "Có thể trùng" in response.content.decode()
    assert Donor.objects.count() == 1


def test_round_line_with_a_known_name_waits_for_a_choice(books, world, staff_client):
    round = make_round(
        actor=books.staff,
        group=world.groups[2],
        campaign=books.campaign,
        lines=[("nguyen van an", "200.000"), ("Lê Thị Thu", "100.000")],
    )
    page = staff_client.get(reverse("donations:round_check", args=[round.pk])).content.decode()
    assert "Có thể trùng:" in page
    assert f'name="dong-1" value="{books.donor.pk}"' in page and 'name="dong-1" value="0"' in page

    post = reverse("donations:round_post", args=[round.pk])
    response = staff_client.post(post, {"revision": round.revision}, follow=True)
    assert "hãy chọn người đã có" in response.content.decode().lower()
    round.refresh_from_db()
    assert round.status == CollectionRound.Status.DRAFT and not Donation.objects.exists()

    staff_client.post(
        post, {"revision": round.revision, "dong-1": str(books.donor.pk), "xac_nhan": "1"}
    )
    round.refresh_from_db()
    assert round.is_posted
    assert round.lines.get(position=1).donor == books.donor
    assert Donor.objects.filter(name_key="nguyen van an").count() == 1


def test_round_line_confirmed_as_a_new_person_creates_a_donor(books, world, staff_client):
    round = make_round(
        actor=books.staff,
        group=world.groups[2],
        campaign=books.campaign,
        lines=[("Nguyễn Văn An", "200.000")],
    )
    post = reverse("donations:round_post", args=[round.pk])
    staff_client.post(post, {"revision": round.revision, "dong-1": "0", "xac_nhan": "1"})
    round.refresh_from_db()
    assert round.is_posted
    assert Donor.objects.filter(name_key="nguyen van an").count() == 2


# --------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize("phone", ["abc", "123", "0912 345", "+1 202 555 0100", "09a2345678"])
def test_donor_phone_that_is_not_a_number_is_refused_naming_the_field(books, staff_client, phone):
    response = staff_client.post(
        reverse("donations:donor_create"),
        {"source": DonorSource.INDIVIDUAL, "name": "Lê Văn Tám", "phone": phone},
    )
    assert response.status_code == 200
    assert "Điện thoại: “" in response.content.decode()
    assert Donor.objects.count() == 1


@pytest.mark.parametrize(
    "phone", ["0912 345 678", "0912.345.678", "+84 912 345 678", "024 3976 1234", "1900 1234"]
)
def test_donor_phone_written_the_usual_ways_is_accepted(books, staff_client, phone):
    response = staff_client.post(
        reverse("donations:donor_create"),
        {"source": DonorSource.INDIVIDUAL, "name": "Lê Văn Tám", "phone": phone},
    )
    assert response.status_code == 302
    assert Donor.objects.get(name="Lê Văn Tám").phone == phone


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0101234567", "0101234567"),
        ("0101234567-001", "0101234567-001"),
        ("0101234567001", "0101234567-001"),
        ("0101 234 567", "0101234567"),
    ],
)
def test_tax_code_of_ten_or_ten_and_three_digits_is_accepted(books, staff_client, typed, kept):
    response = staff_client.post(
        reverse("donations:donor_create"),
        {"source": DonorSource.BUSINESS, "name": "Công ty TNHH Hồng Hà", "tax_code": typed},
    )
    assert response.status_code == 302
    assert Donor.objects.get(name="Công ty TNHH Hồng Hà").tax_code == kept


@pytest.mark.parametrize("typed", ["abc", "123456789", "01012345678", "0101234567-01", "MST01"])
def test_malformed_tax_code_is_refused_naming_the_field(books, staff_client, typed):
    response = staff_client.post(
        reverse("donations:donor_create"),
        {"source": DonorSource.BUSINESS, "name": "Công ty TNHH Hồng Hà", "tax_code": typed},
    )
    assert response.status_code == 200
    assert "Mã số thuế: “" in response.content.decode()


def test_new_donor_on_the_entry_page_has_its_phone_and_tax_code_checked(books, staff_client):
    data = _new_donor_entry(
        staff_client, books, "Công ty CP Mới", new_phone="abc", new_tax_code="12"
    )
    page = staff_client.post(CREATE, data).content.decode()
    assert "Điện thoại: “abc”" in page and "Mã số thuế: “12”" in page
    assert not Donation.objects.exists()


def test_service_refuses_a_bad_phone_whatever_the_caller(books):
    with pytest.raises(services.DonationError, match="Điện thoại"):
        services.donor_create(
            actor=books.staff, source=DonorSource.INDIVIDUAL, name="Lê Văn Tám", phone="abc"
        )


def test_statement_line_new_donor_phone_is_checked(books):
    form = StatementRecordForm(data={"new_name": "Lê Văn Tám", "new_phone": "abc"})
    form.is_valid()
    assert "Điện thoại: “abc”" in " ".join(form.errors.get("new_phone", []))
