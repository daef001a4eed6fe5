"""The feedback address is printed with a QR code on the papers residents hold: the
receipt (still one A5 page) and the support handover record and signed list."""

from __future__ import annotations

import io
from types import SimpleNamespace

import segno
from django.urls import reverse
from pypdf import PdfReader

from donations import documents as donation_documents
from households import documents as household_documents
from lddh.ward.feedback_link import feedback_qr_data_uri
from tests.households.support_helpers import Books, approve, pay, pdf_text, propose


def test_the_qr_code_encodes_the_site_address_of_the_form(settings):
    settings.SITE_URL = "https://quy.lddh.example.vn"
    url = reverse("public:feedback")
    expected = segno.make(f"https://quy.lddh.example.vn{url}", error="m")
    assert feedback_qr_data_uri() == expected.png_data_uri(scale=4, border=1)


def test_the_receipt_prints_the_feedback_qr_and_stays_one_page(world):
    donation = Books(world).give(300_000)
    context = donation_documents.receipt_context(donation.receipt, copy=False)
    assert context["feedback_qr"] == feedback_qr_data_uri()
    content = donation_documents.receipt_pdf(donation.receipt, copy=False)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    # The caption wraps in its narrow column, and where the extracted text breaks its
    # lines depends on the verify address beside it (a random token): compare the
    # characters without the breaks.
    assert "Phảnánh,kiếnnghị" in _squeezed(content)


def _squeezed(content: bytes) -> str:
    return "".join(pdf_text(content).split())


def test_the_handover_record_prints_the_feedback_address(world, settings):
    books = Books(world, 5_000_000)
    support = pay(world, approve(world, propose(world, books, amount=1_000_000)))
    assert f"{settings.SITE_URL}/phan-anh/" in _squeezed(household_documents.voucher_pdf(support))


def test_the_signed_list_prints_the_feedback_address(world, settings):
    round = SimpleNamespace(
        pk=1,
        name="Trao quà Tết",
        campaign_id=None,
        get_category_display=lambda: "Quà",
        item="",
        source="fund",
        fund=SimpleNamespace(name="Quỹ Vì người nghèo"),
        programme_name="",
        form="cash",
        created_by=world.users["staff"],
    )
    context = household_documents.signed_list_context(round, [])
    assert context["feedback_qr"] == feedback_qr_data_uri()
    assert f"{settings.SITE_URL}/phan-anh/" in _squeezed(
        household_documents.signed_list_pdf(round, [])
    )
