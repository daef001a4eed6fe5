"""Proof of spending: a redacted scan of a signed handover record (names, addresses,
signatures covered) that the standing committee publishes on the residents' pages.

A scan is uploaded once (append-only, like every checked file) and is public only after a
second person, never its uploader, has approved it: the review is its own append-only
row, one per scan, approving or rejecting with a reason. A rejected scan stays rejected;
the committee uploads a corrected one. The original, unredacted scans
(SupportAttachment) are never served on a public address."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from households.models.support import Support
from lddh.ward.models import AppendOnlyModel, AppendOnlyQuerySet, CheckedFile


def redacted_scan_path(instance: RedactedScan, filename: str) -> str:
    # The stored name never comes from the user: a random name with the checked type.
    return f"cong-khai-ban-che/{instance.support_id}/{instance.token}.{instance.extension}"


class RedactedScanQuerySet(AppendOnlyQuerySet):
    def waiting(self):
        return self.filter(review__isnull=True)

    def published(self):
        """Approved by a second person and not withdrawn since."""
        return self.filter(review__approved=True, withdrawal__isnull=True)


class RedactedScan(CheckedFile):
    """A redacted scan of a paid support's signed handover record, for the public pages."""

    support = models.ForeignKey(
        Support,
        verbose_name="hỗ trợ (biên bản bàn giao)",
        on_delete=models.PROTECT,
        related_name="redacted_scans",
    )
    file = models.FileField("tệp đã che thông tin", upload_to=redacted_scan_path, max_length=200)

    objects = RedactedScanQuerySet.as_manager()

    class Meta:
        verbose_name = "bản chụp biên bản đã che thông tin"
        verbose_name_plural = "bản chụp biên bản đã che thông tin"
        ordering = ["support", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["token"], name="redacted_scan_token_unique"),
        ]

    @property
    def state(self) -> str:
        """'waiting', 'approved' or 'rejected'."""
        review = getattr(self, "review", None)
        if review is None:
            return "waiting"
        if not review.approved:
            return "rejected"
        return "withdrawn" if hasattr(self, "withdrawal") else "approved"

    @property
    def state_label(self) -> str:
        return {
            "waiting": "Chờ người thứ hai duyệt",
            "approved": "Đã duyệt, đang công khai",
            "rejected": "Không duyệt",
            "withdrawn": "Đã thôi công khai",
        }[self.state]


class RedactedScanReview(AppendOnlyModel):
    """The second person's decision on a redacted scan: approved (published) or rejected
    with the reason. One per scan; never changed."""

    scan = models.OneToOneField(
        RedactedScan, verbose_name="bản chụp", on_delete=models.PROTECT, related_name="review"
    )
    approved = models.BooleanField("duyệt công khai")
    reason = models.TextField("lý do không duyệt", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người duyệt",
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("duyệt lúc", auto_now_add=True)

    class Meta:
        verbose_name = "duyệt bản chụp đã che thông tin"
        verbose_name_plural = "duyệt bản chụp đã che thông tin"
        ordering = ["-reviewed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved=True) | ~Q(reason=""),
                name="redacted_scan_rejection_has_reason",
                violation_error_message="Ghi lý do không duyệt.",
            ),
        ]

    def __str__(self) -> str:
        return "Duyệt" if self.approved else "Không duyệt"


class RedactedScanWithdrawal(AppendOnlyModel):
    """An approved scan taken off the public pages (something private still showed, the
    wrong record…), with the reason. One per scan; never changed: the file is kept, the
    public address answers "not found" from then on."""

    scan = models.OneToOneField(
        RedactedScan, verbose_name="bản chụp", on_delete=models.PROTECT, related_name="withdrawal"
    )
    reason = models.TextField("lý do thôi công khai")
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thôi công khai",
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("thôi công khai lúc", auto_now_add=True)

    class Meta:
        verbose_name = "thôi công khai bản chụp đã che thông tin"
        verbose_name_plural = "thôi công khai bản chụp đã che thông tin"
        ordering = ["-withdrawn_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="redacted_scan_withdrawal_has_reason",
                violation_error_message="Ghi lý do thôi công khai.",
            ),
        ]

    def __str__(self) -> str:
        return "Thôi công khai"
