"""Pledges (cam kết ủng hộ): an agency or business promises an amount at the launch of
the peak month and pays later, often in instalments.

A pledge is not money: nothing reaches the fund until a donation is recorded with its
numbered receipt. A payment counts against a pledge through an append-only link
(``PledgePayment``, one per donation), written when the donation is recorded or later by
staff; the donation itself never changes. What has been paid is the sum of the linked
donations that are still valid, so a voided receipt stops counting by itself.

A pledge is never deleted: it is cancelled with a reason (audited)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from campaigns.models import Campaign
from donations.models.books import Fund
from donations.models.constants import MAX_DONATION
from donations.models.donations import Donation
from donations.models.donors import Donor
from lddh.ward.models import AppendOnlyError, AppendOnlyModel

PLEDGE_CODE_PREFIX = "P"


class Pledge(models.Model):
    """A promise to give: money, or goods valued in đồng, due by a date or in instalments
    (every pledge has at least one instalment: a single due date is one instalment)."""

    class Kind(models.TextChoices):
        MONEY = "money", "Tiền"
        GOODS = "goods", "Hiện vật"

    class Channel(models.TextChoices):
        CASH = "cash", "Nộp tiền mặt tại Ủy ban"
        BANK = "bank", "Chuyển khoản ngân hàng"
        TREASURY = "treasury", "Qua Kho bạc Nhà nước"
        IN_KIND = "in_kind", "Hiện vật"
        ROUND = "round", "Qua đợt thu của tổ / tổ chức"

    class Status(models.TextChoices):
        OPEN = "open", "Đang theo dõi"
        CANCELLED = "cancelled", "Đã hủy"

    class Progress(models.TextChoices):
        """The status people read, derived from what has been paid and the due dates."""

        UNPAID = "chua-nop", "Chưa nộp"
        PARTLY = "mot-phan", "Nộp một phần"
        PAID = "da-nop-du", "Đã nộp đủ"
        OVERDUE = "qua-han", "Quá hạn"
        CANCELLED = "da-huy", "Đã hủy"

    donor = models.ForeignKey(
        Donor, verbose_name="người cam kết", on_delete=models.PROTECT, related_name="pledges"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name="chiến dịch", on_delete=models.PROTECT, related_name="pledges"
    )
    fund = models.ForeignKey(
        Fund, verbose_name="quỹ", on_delete=models.PROTECT, related_name="pledges"
    )
    pledged_on = models.DateField("ngày cam kết")
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.MONEY)
    amount = models.PositiveBigIntegerField("số tiền / trị giá (đồng)")
    goods = models.CharField("hiện vật cam kết", max_length=300, blank=True)
    channel = models.CharField(
        "dự kiến nộp qua", max_length=10, choices=Channel.choices, default=Channel.BANK
    )
    note = models.TextField("ghi chú", blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    cancel_reason = models.TextField("lý do hủy", blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người hủy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("ghi lúc", auto_now_add=True)
    form_token = models.UUIDField("mã phiếu nhập", null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "cam kết ủng hộ"
        verbose_name_plural = "cam kết ủng hộ"
        ordering = ["-pledged_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_DONATION),
                name="pledge_amount_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="money", goods="") | (Q(kind="goods") & ~Q(goods="")),
                name="pledge_goods_iff_kind_goods",
            ),
            models.CheckConstraint(
                condition=Q(status="open", cancelled_at__isnull=True)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="pledge_cancelled_at_iff_cancelled",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "-pledged_on"], name="pledge_campaign_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.donor}"

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Không xóa cam kết ủng hộ; hãy hủy cam kết kèm lý do.")

    @staticmethod
    def format_code(number: int) -> str:
        """P and the pledge's number in at least four digits (P0007)."""
        return f"{PLEDGE_CODE_PREFIX}{number:04d}"

    @property
    def code(self) -> str:
        return self.format_code(self.pk) if self.pk else ""

    @property
    def transfer_note(self) -> str:
        """What the payer writes in a transfer: fund code and pledge code (VNN P0007)."""
        return f"{self.fund.code} {self.code}" if self.pk else ""

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


def pledge_progress(*, status: str, amount: int, paid: int, due_by_today: int) -> Pledge.Progress:
    """The status people read: cancelled; paid in full; overdue when what fell due
    before today exceeds what was paid; partly paid; not paid."""
    if status == Pledge.Status.CANCELLED:
        return Pledge.Progress.CANCELLED
    if paid >= amount:
        return Pledge.Progress.PAID
    if due_by_today > paid:
        return Pledge.Progress.OVERDUE
    if paid > 0:
        return Pledge.Progress.PARTLY
    return Pledge.Progress.UNPAID


class PledgeInstalment(AppendOnlyModel):
    """One instalment of a pledge: the amount due by a date. Written with the pledge."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="instalments")
    due_date = models.DateField("hạn nộp")
    amount = models.PositiveBigIntegerField("số tiền (đồng)")

    class Meta:
        verbose_name = "đợt nộp theo cam kết"
        verbose_name_plural = "đợt nộp theo cam kết"
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="pledge_instalment_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pledge.code}: {self.due_date:%d/%m/%Y}"


class PledgePayment(AppendOnlyModel):
    """A donation counted against a pledge. One pledge per donation; never changed: a
    donation linked by mistake is voided (its receipt) and recorded again."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="payments")
    donation = models.OneToOneField(
        Donation, on_delete=models.PROTECT, related_name="pledge_payment"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_at = models.DateTimeField("ghi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "khoản nộp theo cam kết"
        verbose_name_plural = "khoản nộp theo cam kết"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.pledge.code} ← {self.donation_id}"
