"""Proof of spending on the public pages: a redacted scan of a signed handover record
(names, addresses and signatures covered) is uploaded by the standing committee and
published only when a second person approves it.

- upload: the standing committee, for a paid support (its handover record exists);
  the file is a JPEG, PNG or PDF judged by its content;
- approve or reject (with a reason): another member of the standing committee or the
  people's inspection board (supervisor), never the person who uploaded it;
- a scan is reviewed once; a rejected scan stays rejected and a corrected one is
  uploaded instead (every file is kept, append-only);
- withdraw (with a reason): an approved scan found to show something private after all
  is taken off the public pages by the standing committee or the inspection board, even
  its uploader (taking down is never the risky step).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from households.models import (
    RedactedScan,
    RedactedScanReview,
    RedactedScanWithdrawal,
    Support,
)
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.roles import Role
from lddh.ward.uploads import check_upload

__all__ = [
    "MSG_NOT_UPLOADER",
    "MSG_REVIEW_RIGHTS",
    "MSG_UPLOAD_RIGHTS",
    "STATE_LABELS",
    "can_review_scans",
    "redacted_scan_approve",
    "redacted_scan_reject",
    "redacted_scan_upload",
    "redacted_scan_withdraw",
]

MSG_UPLOAD_RIGHTS = "Chỉ Ban Thường trực được tải lên bản chụp đã che thông tin để công khai."
MSG_REVIEW_RIGHTS = (
    "Chỉ Ban Thường trực hoặc Ban Thanh tra nhân dân được duyệt bản chụp để công khai."
)
MSG_NOT_UPLOADER = (
    "Người tải lên bản chụp không được tự duyệt: cần một người thứ hai (thành viên Ban "
    "Thường trực khác hoặc Ban Thanh tra nhân dân) kiểm tra đã che hết họ tên, địa chỉ, "
    "chữ ký rồi mới công khai."
)


STATE_LABELS = {
    "waiting": "Chờ người thứ hai duyệt",
    "approved": "Đã duyệt, công khai",
    "rejected": "Không duyệt",
    "withdrawn": "Đã thôi công khai",
}
"""What the audit log records as the scan's state (read by people, so in Vietnamese)."""


def can_review_scans(access) -> bool:
    return access.has(Role.COMMITTEE, Role.SUPERVISOR)


def _scan_values(scan: RedactedScan) -> dict:
    return {
        "scan": scan.pk,
        "support": scan.support_id,
        "handover_number": scan.support.handover_number,
        "name": scan.original_name,
        "sha256": scan.sha256,
    }


@transaction.atomic
def redacted_scan_upload(*, actor, support: Support, upload, note: str = "") -> RedactedScan:
    """Store a redacted scan of the support's signed handover record, waiting for a
    second person's review (not public yet)."""
    if not access_for(actor).has(Role.COMMITTEE):
        raise PermissionDenied(MSG_UPLOAD_RIGHTS)
    support = Support.objects.select_for_update().get(pk=support.pk)
    if not support.is_paid:
        raise ValidationError(
            {"file": ["Chỉ công khai bản chụp của hỗ trợ đã chi / bàn giao (đã có biên bản)."]}
        )
    checked = check_upload(upload, field="file")
    scan = RedactedScan(support=support).store(checked, name=upload.name, note=note, actor=actor)
    log_event(
        actor=actor,
        action=AuditAction.REDACTED_SCAN_UPLOAD,
        obj=scan,
        after={**_scan_values(scan), "state": STATE_LABELS["waiting"]},
        note=scan.note,
    )
    return scan


def _review(*, actor, scan: RedactedScan, approved: bool, reason: str) -> RedactedScanReview:
    if not can_review_scans(access_for(actor)):
        raise PermissionDenied(MSG_REVIEW_RIGHTS)
    # Lock the support: two reviewers of the same scan see each other's decision.
    Support.objects.select_for_update().only("pk").get(pk=scan.support_id)
    scan = RedactedScan.objects.select_related("support").get(pk=scan.pk)
    if actor.pk == scan.uploaded_by_id:
        raise ValidationError(MSG_NOT_UPLOADER)
    if RedactedScanReview.objects.filter(scan=scan).exists():
        raise ValidationError(f"Bản chụp này đã được xét ({scan.state_label.lower()}).")
    review = RedactedScanReview.objects.create(
        scan=scan, approved=approved, reason=reason, reviewed_by=actor
    )
    log_event(
        actor=actor,
        action=AuditAction.REDACTED_SCAN_APPROVE if approved else AuditAction.REDACTED_SCAN_REJECT,
        obj=scan,
        before={"state": STATE_LABELS["waiting"]},
        after={**_scan_values(scan), "state": STATE_LABELS["approved" if approved else "rejected"]},
        note=reason,
    )
    return review


@transaction.atomic
def redacted_scan_approve(*, actor, scan: RedactedScan) -> RedactedScanReview:
    """Publish the scan: a second person checked that nothing private shows."""
    return _review(actor=actor, scan=scan, approved=True, reason="")


@transaction.atomic
def redacted_scan_reject(*, actor, scan: RedactedScan, reason: str) -> RedactedScanReview:
    """Refuse the scan (something private still shows, wrong record…), with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Ghi lý do không duyệt để người tải lên sửa lại."]})
    return _review(actor=actor, scan=scan, approved=False, reason=reason)


@transaction.atomic
def redacted_scan_withdraw(*, actor, scan: RedactedScan, reason: str) -> RedactedScanWithdrawal:
    """Take an approved scan off the public pages (a name or a signature still shows…),
    with the reason; the file is kept, its public address answers "not found"."""
    if not can_review_scans(access_for(actor)):
        raise PermissionDenied(MSG_REVIEW_RIGHTS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Ghi lý do thôi công khai bản chụp."]})
    Support.objects.select_for_update().only("pk").get(pk=scan.support_id)
    scan = RedactedScan.objects.select_related("support", "review").get(pk=scan.pk)
    if scan.state != "approved":
        raise ValidationError(
            f"Chỉ thôi công khai được bản chụp đang công khai ({scan.state_label.lower()})."
        )
    withdrawal = RedactedScanWithdrawal.objects.create(scan=scan, reason=reason, withdrawn_by=actor)
    log_event(
        actor=actor,
        action=AuditAction.REDACTED_SCAN_WITHDRAW,
        obj=scan,
        before={"state": STATE_LABELS["approved"]},
        after={**_scan_values(scan), "state": STATE_LABELS["withdrawn"]},
        note=reason,
    )
    return withdrawal
