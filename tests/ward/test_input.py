"""Text that means one thing: every typed value is cleaned at the door
(lddh.ward.input), through the pages people use."""

import unicodedata

import pytest
from django.urls import reverse

from donations.models import Donor
from households.models import Household
from lddh.ward.input import NUL_MESSAGE
from lddh.ward.text import clean_input
from lddh.ward.vocab import DonorSource

NFC_NAME = "Nguyễn Thị Hường"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)
DONOR_CREATE = reverse("donations:donor_create")


def _donor(client, **overrides):
    data = {"source": DonorSource.INDIVIDUAL, "name": NFC_NAME} | overrides
    return client.post(DONOR_CREATE, data)


def test_decomposed_text_is_stored_composed(world, staff_client):
    assert NFD_NAME != NFC_NAME  # the keyboard sent combining marks
    response = _donor(staff_client, name=NFD_NAME, address=unicodedata.normalize("NFD", "Phố Huế"))
    assert response.status_code == 302
    donor = Donor.objects.get()
    assert donor.name == NFC_NAME and donor.address == "Phố Huế"


def test_decomposed_name_is_the_same_donor_as_the_composed_one(world, staff_client):
    _donor(staff_client, name=NFC_NAME)
    response = _donor(staff_client, name=NFD_NAME)
    assert response.status_code == 200
    assert "Có thể trùng" in response.content.decode()
    assert Donor.objects.count() == 1


@pytest.mark.parametrize(
    "mark",
    [
        *["\u202e", "\u202a", "\u202d", "\u2066", "\u2067", "\u2069", "\u200e", "\u200f"],
        # Every other format character too: zero-width joiners, word joiner, soft hyphen.
        *["\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\u00ad"],
    ],
)
def test_bidirectional_and_invisible_marks_are_removed(world, staff_client, mark):
    _donor(staff_client, name=f"Trần{mark} Văn Bình")
    assert Donor.objects.get().name == "Trần Văn Bình"


@pytest.mark.parametrize("control", ["\x01", "\x07", "\x1b", "\x7f", "\x85", "\x9b"])
def test_control_characters_are_removed(world, staff_client, control):
    _donor(staff_client, name=f"Lê{control} Hoa")
    assert Donor.objects.get().name == "Lê Hoa"


def test_line_breaks_and_tabs_of_a_textarea_are_kept(world, staff_client):
    _donor(staff_client, note="Dòng một\r\nDòng\thai\u202e")
    assert Donor.objects.get().note == "Dòng một\r\nDòng\thai"


def test_search_terms_are_cleaned_too(world, staff_client):
    _donor(staff_client, name=NFC_NAME)
    response = staff_client.get(reverse("donations:donor_list"), {"q": f"\u202e{NFD_NAME}"})
    assert response.status_code == 200
    assert NFC_NAME in response.content.decode()


SEARCH_LISTS = [
    ("households:list", "q"),
    ("households:support_list", "q"),
    ("donations:list", "q"),
    ("donations:donor_list", "q"),
    ("donations:receipt_register", "q"),
    ("donations:donor_search", "donor_query"),
    ("donations:round_list", "q"),
    ("donations:statement_queue", "q"),
    ("supervision:audit", "q"),
    ("campaigns:list", "q"),
]


@pytest.mark.parametrize(("name", "param"), SEARCH_LISTS)
def test_nul_in_a_search_is_refused_clearly(world, committee_client, name, param):
    response = committee_client.get(reverse(name) + f"?{param}=%00")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_nul_in_the_public_donor_search_is_refused_clearly(world, anon_client):
    response = anon_client.get(reverse("public:donors", args=[2024]) + "?ten=a%00b")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_nul_in_a_posted_form_is_refused_and_nothing_is_saved(world, staff_client):
    response = _donor(staff_client, name="Lê\x00 Hoa")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not Donor.objects.exists()


def test_nul_in_a_posted_household_is_refused(world, staff_client, group1):
    response = staff_client.post(
        reverse("households:create"),
        {"group": group1.pk, "head_name": "Phạm\x00 Văn Tư", "address": "Số 1"},
    )
    assert response.status_code == 400
    assert not Household.objects.exists()


def test_passwords_are_left_as_typed(world, anon_client):
    user = world.users["staff"]
    password = unicodedata.normalize("NFD", "mật khẩu dài Ờ 2026")
    user.set_password(password)
    user.save()
    response = anon_client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302


def test_clean_input_rules():
    assert clean_input(NFD_NAME) == NFC_NAME
    assert clean_input("a\u202eb\u2066c\u200bd") == "abcd"
    assert clean_input("x\x00y") == "xy"
    assert clean_input("ascii stays") == "ascii stays"


def test_the_cleaning_runs_for_every_request_after_the_csrf_check(settings):
    middleware = settings.MIDDLEWARE
    clean = middleware.index("lddh.ward.input.CleanInputMiddleware")
    assert clean > middleware.index("django.middleware.csrf.CsrfViewMiddleware")
