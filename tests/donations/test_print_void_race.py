"""A reprint that races a void prints what it locks: whenever the print is logged after
the void (its audit event says "voided"), the PDF carries the void mark, and a print
logged before the void shows a clean receipt."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from donations import services
from donations.models import Receipt, ReceiptPrint
from donations.views import receipts as receipt_views
from lddh.ward.models import AuditEvent, Membership
from lddh.ward.roles import Role
from tests.donations.test_concurrency import run_together
from tests.factories import UserFactory

VOID_MARK = "ĐÃ BỊ HỦY"


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _approver():
    """A second committee member: the first one entered nothing, but keep them apart."""
    user = UserFactory(username="phochutich")
    Membership.objects.create(user=user, role=Role.COMMITTEE)
    return user


def _void_between_read_and_lock(monkeypatch, void, approver):
    """Approve the void after the page read the receipt and before the print locks it:
    the widest window a real race can hit, made certain."""
    original = services.receipt_print

    def late_void_then_print(*, actor, receipt):
        if not Receipt.objects.get(pk=receipt.pk).is_voided:
            services.void_approve(actor=approver, void=void)
        return original(actor=actor, receipt=receipt)

    monkeypatch.setattr(receipt_views.services, "receipt_print", late_void_then_print)


def test_reprint_racing_a_void_is_marked_voided(books, staff_client, monkeypatch):
    donation = books.record()
    receipt = donation.receipt
    url = reverse("donations:receipt_pdf", args=[receipt.pk])
    assert VOID_MARK not in _pdf_text(staff_client.get(url).content)  # the original
    void = services.void_request(actor=books.staff, donation=donation, reason="Nhập trùng")
    _void_between_read_and_lock(monkeypatch, void, _approver())

    response = staff_client.get(url)

    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="receipt.print").latest("pk")
    assert event.after == {"copy": True, "status": Receipt.Status.VOIDED}
    assert VOID_MARK in _pdf_text(response.content)


def test_batch_print_racing_a_void_is_marked_voided(books, staff_client, monkeypatch):
    donation = books.record()
    void = services.void_request(actor=books.staff, donation=donation, reason="Nhập trùng")
    _void_between_read_and_lock(monkeypatch, void, _approver())

    response = staff_client.post(reverse("donations:receipt_batch"))

    assert response.status_code == 200
    assert ReceiptPrint.objects.count() == 1
    event = AuditEvent.objects.get(action="receipt.print")
    assert event.after["status"] == Receipt.Status.VOIDED
    assert VOID_MARK in _pdf_text(response.content)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reprints_racing_voids_in_threads_print_what_they_log(books):
    """Real threads on PostgreSQL: a reprint and the void's approval released together,
    several times. Each print's PDF agrees with the status its audit event logged."""
    approver = _approver()
    staff = books.staff
    races = 6
    for attempt in range(races):
        donation = books.record(amount=100_000 + attempt)
        receipt = donation.receipt
        url = reverse("donations:receipt_pdf", args=[receipt.pk])
        services.receipt_print(actor=staff, receipt=receipt)  # the original went out
        void = services.void_request(actor=staff, donation=donation, reason="Nhập trùng")
        client = Client()
        client.force_login(staff)

        def work(i, url=url, void=void, client=client):
            if i == 0:
                return client.get(url)
            return services.void_approve(actor=approver, void=void)

        response, approved = run_together(2, work)
        assert not isinstance(approved, Exception), approved
        assert not isinstance(response, Exception), response
        assert response.status_code == 200
        event = AuditEvent.objects.filter(action="receipt.print", object_id=str(receipt.pk))
        logged = event.latest("pk").after["status"]
        marked = VOID_MARK in _pdf_text(response.content)
        assert marked == (logged == Receipt.Status.VOIDED), (attempt, logged, marked)
