"""The donor's personal VietQR: on the thank-you letter and on the donor card, carrying
the fund's official account and the donor's own transfer note."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from donations.documents import personal_qr
from donations.models import Account
from donations.services import donor_create
from donations.statements.codes import donor_note
from lddh.ward.vietqr import parse_payload
from tests.factories import OfficialAccountFactory


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


@pytest.fixture
def official(world):
    account = OfficialAccountFactory(ward=world.ward, account_number="0011001932418")
    Account.objects.create(name="TK Vietcombank", kind=Account.Kind.BANK, official_account=account)
    return account


@pytest.fixture
def donor(world):
    return donor_create(actor=world.users["staff"], source="individual", name="Phạm Thị Lan")


def test_the_qr_carries_the_account_and_the_donors_own_note(official, donor):
    qr = personal_qr(donor)
    data = parse_payload(qr["payload"])
    assert data["account"] == "0011001932418" and data["bin"] == "970436"
    assert data["note"] == donor_note(donor) and donor.code in data["note"]
    assert data["amount"] is None  # any amount: the donor chooses each time
    assert qr["uri"].startswith("data:image/svg+xml")


def test_no_official_bank_account_no_qr(world, donor):
    assert personal_qr(donor) is None


def test_thank_you_letter_prints_the_personal_qr(books, official, staff_client):
    books.record()
    url = reverse("donations:thank_you_pdf", args=[books.donor.pk])
    text = pdf_text(staff_client.get(url, {"chien-dich": books.campaign.pk}))
    books.donor.refresh_from_db()
    assert books.donor.code in text and donor_note(books.donor) in text
    assert "0011001932418" in text


def test_donor_card_from_the_donor_page(official, donor, staff_client):
    page = staff_client.get(reverse("donations:donor_detail", args=[donor.pk])).content.decode()
    url = reverse("donations:donor_card", args=[donor.pk])
    assert url in page
    text = pdf_text(staff_client.get(url))
    assert "Phạm Thị Lan" in text and donor.code in text
    assert "0011001932418" in text and donor_note(donor) in text
    reader = PdfReader(io.BytesIO(staff_client.get(url).content))
    assert len(reader.pages) == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("treasurer", 403), ("supervisor", 403), ("leader2", 403), ("higher", 403), ("anon", 302)],
)
def test_donor_card_by_object_id_for_other_roles(world, donor, persona, status):
    response = world.client(persona).get(reverse("donations:donor_card", args=[donor.pk]))
    assert response.status_code == status


def test_donor_card_of_an_unknown_donor_is_404(world, staff_client):
    assert staff_client.get(reverse("donations:donor_card", args=[999_999])).status_code == 404
