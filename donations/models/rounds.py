"""Collection rounds (đợt thu): a group's or organisation's list of contributions handed
in with the cash, entered as a draft and posted in one transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from campaigns.models import Campaign
from donations.models.books import Account, Fund
from donations.models.donations import Donation
from donations.models.donors import Donor
from lddh.ward.models import AppendOnlyError, MemberOrganisation, ResidentialGroup

ROUND_CODE_PREFIX = "R"


class CollectionRound(models.Model):
    """A list of contributions collected by a group or a member organisation.

    A draft may be edited (by the office, or by the leader of its group); posting turns
    every line into a donation with its receipt, or the total into one donation with the
    list attached, and makes the round read-only.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Nháp (chưa ghi sổ)"
        POSTED = "posted", "Đã ghi sổ"

    class ReceiptMode(models.TextChoices):
        PER_LINE = "per_line", "Mỗi người một biên nhận"
        SINGLE = "single", "Một biên nhận cho cả đợt (kèm danh sách)"

    code = models.CharField(
        "mã đợt thu",
        max_length=12,
        unique=True,
        help_text="Mã ngắn ghi trong nội dung chuyển khoản, ví dụ R0042.",
    )
    group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collection_rounds",
    )
    organisation = models.ForeignKey(
        MemberOrganisation,
        verbose_name="tổ chức thành viên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collection_rounds",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="chiến dịch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collection_rounds",
    )
    fund = models.ForeignKey(
        Fund, verbose_name="quỹ", on_delete=models.PROTECT, related_name="collection_rounds"
    )
    account = models.ForeignKey(
        Account,
        verbose_name="nộp vào",
        on_delete=models.PROTECT,
        related_name="collection_rounds",
    )
    collector = models.CharField("người thu", max_length=200)
    date = models.DateField("ngày nộp")
    expected_count = models.PositiveIntegerField("số người theo danh sách giấy")
    expected_total = models.PositiveBigIntegerField("tổng tiền theo danh sách giấy (đồng)")
    receipt_mode = models.CharField(
        "biên nhận",
        max_length=10,
        choices=ReceiptMode.choices,
        default=ReceiptMode.PER_LINE,
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    note = models.TextField("ghi chú", blank=True)
    revision = models.PositiveIntegerField(
        "lần sửa",
        default=0,
        help_text="Tăng mỗi lần sửa; việc ghi sổ chỉ nhận đúng bản đã kiểm tra.",
    )
    collective_donation = models.OneToOneField(
        Donation,
        verbose_name="khoản ủng hộ chung của đợt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collection_round",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi sổ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    posted_at = models.DateTimeField("ghi sổ lúc", null=True, blank=True)

    class Meta:
        verbose_name = "đợt thu"
        verbose_name_plural = "đợt thu"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__isnull=False, organisation__isnull=True)
                | Q(group__isnull=True, organisation__isnull=False),
                name="round_group_xor_organisation",
                violation_error_message="Đợt thu thuộc một tổ dân phố hoặc một tổ chức thành viên.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", posted_at__isnull=True)
                | Q(status="posted", posted_at__isnull=False),
                name="round_posted_at_iff_posted",
            ),
            models.CheckConstraint(
                condition=~Q(receipt_mode="single", status="posted")
                | Q(collective_donation__isnull=False),
                name="round_single_has_donation",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-date"], name="round_status_idx"),
            models.Index(fields=["group", "-date"], name="round_group_idx"),
        ]

    def __str__(self) -> str:
        return f"Đợt thu {self.code} – {self.owner_name}"

    def delete(self, *args, **kwargs):
        if self.status == self.Status.POSTED:
            raise AppendOnlyError("Đợt thu đã ghi sổ không bị xóa.")
        super().delete(*args, **kwargs)

    @staticmethod
    def format_code(number: int) -> str:
        return f"{ROUND_CODE_PREFIX}{number:04d}"

    @property
    def owner_name(self) -> str:
        if self.group_id is not None:
            return self.group.name
        return self.organisation.name if self.organisation_id else ""

    @property
    def transfer_note(self) -> str:
        """What a payer writes in the transfer: fund code and round code, ASCII."""
        return f"{self.fund.code} {self.code}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_posted(self) -> bool:
        return self.status == self.Status.POSTED


class RoundLine(models.Model):
    """One contribution on the list. While the round is a draft the line keeps what was
    typed (a bad amount stays visible for the check); once posted it never changes.

    In one-receipt mode the lines are the list attached to the receipt: name, amount and
    the display preference are kept, so public pages can list each contributor."""

    round = models.ForeignKey(
        CollectionRound, verbose_name="đợt thu", on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField("STT")
    name = models.CharField("họ tên", max_length=200, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    amount_text = models.CharField("số tiền (như đã nhập)", max_length=40, blank=True)
    amount = models.PositiveBigIntegerField("số tiền (đồng)", null=True, blank=True)
    anonymous = models.BooleanField("giấu tên khi công khai", default=False)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    donor = models.ForeignKey(
        Donor,
        verbose_name="người ủng hộ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="round_lines",
    )
    donation = models.OneToOneField(
        Donation,
        verbose_name="khoản ủng hộ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="round_line",
    )

    class Meta:
        verbose_name = "dòng đợt thu"
        verbose_name_plural = "dòng đợt thu"
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="round_line_position"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="round_line_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    @property
    def public_name(self) -> str:
        from donations.models.constants import ANONYMOUS_NAME

        return ANONYMOUS_NAME if self.anonymous else self.name
