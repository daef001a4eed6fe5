"""Household phone numbers and CCCD are checked wherever they are typed: the forms and
the Excel import, with messages that name the field."""

import unicodedata

import pytest
from django.urls import reverse

from households.models import Category, Household
from tests.factories import HouseholdFactory
from tests.households.test_excel import IMPORT, _row, _xlsx


def _create(client, world, **overrides):
    data = {
        "group": world.groups[2].pk,
        "head_name": "Trần Thị Mơ",
        "head_birth_year": "1950",
        "address": "Số 9 phố Mai Hắc Đế",
        "category": Category.NEAR_POOR,
    } | overrides
    return client.post(reverse("households:create"), data)


@pytest.mark.parametrize("phone", ["abc", "12345", "0912-abc-678"])
def test_household_phone_that_is_not_a_number_is_refused(world, phone):
    response = _create(world.client("staff"), world, phone=phone)
    assert response.status_code == 200
    assert "Điện thoại: “" in response.content.decode()
    assert not Household.objects.exists()


def test_household_phone_written_the_usual_way_is_kept(world):
    response = _create(world.client("staff"), world, phone="0912 345 678")
    assert response.status_code == 302
    assert Household.objects.get().phone == "0912 345 678"


@pytest.mark.parametrize(
    "cccd",
    # Full-width digits look the same but would escape the duplicate check.
    [
        "12345",
        "0010500123456",
        "00105001234a",
        "\uff10\uff10\uff11\uff10\uff17\uff10\uff10\uff11\uff12\uff13\uff14\uff15",
    ],
)
def test_household_cccd_must_have_twelve_digits(world, cccd):
    response = _create(world.client("staff"), world, head_cccd=cccd)
    assert "Số CCCD phải gồm đúng 12 chữ số." in response.content.decode()
    assert not Household.objects.exists()


def test_household_edit_refuses_a_bad_phone(world):
    household = HouseholdFactory(group=world.groups[2])
    response = world.client("staff").post(
        reverse("households:edit", args=[household.pk]),
        {
            "group": world.groups[2].pk,
            "head_name": household.head_name,
            "head_birth_year": "1950",
            "address": "Số 1",
            "phone": "abc",
        },
    )
    assert "Điện thoại: “abc”" in response.content.decode()
    household.refresh_from_db()
    assert household.phone != "abc"


def test_import_row_with_a_bad_phone_is_an_error_naming_the_field(world):
    client = world.client("staff")
    preview = client.post(IMPORT, {"file": _xlsx([_row(**{"Điện thoại": "abc"})])})
    assert not preview.context["preview"].ok
    assert "Điện thoại: “abc”" in preview.content.decode()


def test_import_cleans_decomposed_names_and_marks(world):
    client = world.client("staff")
    name = unicodedata.normalize("NFD", "Nguyễn Văn Ân") + "\u202e"
    preview = client.post(IMPORT, {"file": _xlsx([_row(name=name)])})
    row = preview.context["preview"].rows[0]
    assert row.data["head_name"] == "Nguyễn Văn Ân"
