"""Voids: requested by the office, decided by the standing committee (a second
person); an approved void reverses the ledger entry."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from donations.models import Donation, LedgerEntry, Receipt, VoidRequest
from donations.services import totals
from donations.services.common import DonationError
from donations.services.ledger import ledger_write, lock_fund
from donations.services.stock import stock_reverse
from lddh.ward.audit import AuditAction, log_event

# --------------------------------------------------------------------------- voids


@transaction.atomic
def void_request(*, actor, donation: Donation, reason: str) -> VoidRequest:
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise DonationError("Hãy ghi rõ lý do hủy (ít nhất 5 ký tự).", code="reason")
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    if donation.is_voided:
        raise DonationError("Khoản này đã bị hủy.", code="voided")
    if VoidRequest.objects.filter(donation=donation, status=VoidRequest.Status.PENDING).exists():
        raise DonationError("Khoản này đã có đề nghị hủy đang chờ duyệt.", code="pending")
    request = VoidRequest.objects.create(donation=donation, reason=reason, requested_by=actor)
    log_event(
        actor=actor,
        action=AuditAction.DONATION_VOID_REQUEST,
        obj=donation,
        after={"void_request": request.pk, "reason": reason},
    )
    return request


def _lock_pending(void: VoidRequest, actor) -> VoidRequest:
    void = VoidRequest.objects.select_for_update().select_related("donation").get(pk=void.pk)
    if void.status != VoidRequest.Status.PENDING:
        raise DonationError("Đề nghị hủy này đã được quyết định.", code="decided")
    if actor.pk == void.requested_by_id:
        raise DonationError("Người đề nghị hủy không được tự duyệt.", code="same_person")
    if actor.pk == void.donation.entered_by_id:
        raise DonationError("Người đã nhập khoản ủng hộ không được duyệt hủy.", code="same_person")
    return void


@transaction.atomic
def void_approve(*, actor, void: VoidRequest, note: str = "") -> VoidRequest:
    """Void the receipt: status "đã hủy", a reversing ledger entry, audit events."""
    void = _lock_pending(void, actor)
    donation = void.donation
    receipt = Receipt.objects.select_for_update().get(donation=donation)
    now = timezone.now()
    void.status = VoidRequest.Status.APPROVED
    void.decided_by = actor
    void.decided_at = now
    void.decision_note = note.strip()
    void.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    donation.status = Donation.Status.VOIDED
    donation.save(update_fields=["status"])
    receipt.status = Receipt.Status.VOIDED
    receipt.voided_at = now
    receipt.save(update_fields=["status", "voided_at"])
    if donation.fund_id is not None:
        fund = lock_fund(donation.fund)
        original = LedgerEntry.objects.get(receipt=receipt, kind=LedgerEntry.Kind.RECEIPT)
        ledger_write(
            actor=actor,
            fund=fund,
            account=original.account,
            amount=-original.amount,
            kind=LedgerEntry.Kind.VOID,
            date=timezone.localdate(),
            document_type="donations.voidrequest",
            document_id=str(void.pk),
            description=f"Hủy biên nhận {receipt.number}: {void.reason}",
            donation=donation,
            receipt=receipt,
            reverses=original,
        )
    totals.donation_voided(donation)  # under the fund's row lock, like the reversal
    stock_reverse(actor=actor, donation=donation, date=timezone.localdate())
    log_event(
        actor=actor,
        action=AuditAction.DONATION_VOID_APPROVE,
        obj=donation,
        before={"status": Donation.Status.VALID},
        after={"status": Donation.Status.VOIDED, "void_request": void.pk},
        note=void.reason,
    )
    log_event(
        actor=actor,
        action=AuditAction.RECEIPT_VOID,
        obj=receipt,
        before={"status": Receipt.Status.ISSUED},
        after={"status": Receipt.Status.VOIDED},
        note=void.reason,
    )
    return void


@transaction.atomic
def void_reject(*, actor, void: VoidRequest, reason: str) -> VoidRequest:
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise DonationError("Hãy ghi lý do từ chối (ít nhất 5 ký tự).", code="reason")
    void = _lock_pending(void, actor)
    void.status = VoidRequest.Status.REJECTED
    void.decided_by = actor
    void.decided_at = timezone.now()
    void.decision_note = reason
    void.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    log_event(
        actor=actor,
        action=AuditAction.DONATION_VOID_REJECT,
        obj=void.donation,
        after={"void_request": void.pk},
        note=reason,
    )
    return void
