"""Donations, their numbered receipts, prints and voids."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from campaigns.models import BoardMember, Campaign
from donations.models.books import Account, Fund
from donations.models.constants import ANONYMOUS_NAME, MAX_DONATION
from donations.models.donors import Donor
from lddh.ward.models import (
    AppendOnlyError,
    AppendOnlyModel,
    AppendOnlyQuerySet,
    MemberOrganisation,
    ResidentialGroup,
)


class MoneyRecordQuerySet(AppendOnlyQuerySet):
    """No bulk update or delete of money records; the services change them one by one."""


class Donation(models.Model):
    """One contribution. Never edited; a mistake is voided and entered again."""

    class Channel(models.TextChoices):
        CASH = "cash", "Tiền mặt"
        BANK = "bank", "Chuyển khoản ngân hàng"
        TREASURY = "treasury", "Qua Kho bạc Nhà nước"
        IN_KIND = "in_kind", "Hiện vật"

    class Purpose(models.TextChoices):
        FUND = "fund", "Ủng hộ Quỹ"
        DIRECT = "direct", "Hỗ trợ trực tiếp"

    class Status(models.TextChoices):
        VALID = "valid", "Hợp lệ"
        VOIDED = "voided", "Đã hủy"

    donor = models.ForeignKey(
        Donor, verbose_name="người ủng hộ", on_delete=models.PROTECT, related_name="donations"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="chiến dịch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    date = models.DateField("ngày")
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    channel = models.CharField("hình thức", max_length=10, choices=Channel.choices)
    purpose = models.CharField(
        "mục đích", max_length=10, choices=Purpose.choices, default=Purpose.FUND
    )
    fund = models.ForeignKey(
        Fund,
        verbose_name="quỹ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    account = models.ForeignKey(
        Account,
        verbose_name="nộp vào",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    beneficiary = models.CharField(
        "hộ được hỗ trợ trực tiếp",
        max_length=300,
        blank=True,
        help_text="Chỉ với hỗ trợ trực tiếp: tên chủ hộ, tổ dân phố.",
    )
    credited_group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="ghi nhận cho tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    credited_organisation = models.ForeignKey(
        MemberOrganisation,
        verbose_name="ghi nhận cho tổ chức thành viên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    credited_board_member = models.ForeignKey(
        BoardMember,
        verbose_name="thành viên Ban vận động",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    note = models.TextField("ghi chú", blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.VALID
    )
    form_token = models.UUIDField("mã phiếu nhập", null=True, blank=True, unique=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name="thay thế khoản đã hủy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("nhập lúc", auto_now_add=True)

    objects = MoneyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "khoản ủng hộ"
        verbose_name_plural = "khoản ủng hộ"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_DONATION),
                name="donation_amount_range",
                violation_error_message="Số tiền phải lớn hơn 0 và không quá 100 tỷ đồng.",
            ),
            # Fund money sits in an account of a fund; direct support never does.
            models.CheckConstraint(
                condition=(
                    Q(purpose="fund", fund__isnull=False, account__isnull=False)
                    | Q(purpose="direct", fund__isnull=True, account__isnull=True)
                ),
                name="donation_fund_iff_purpose_fund",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "date"], name="donation_campaign_idx"),
            models.Index(fields=["-date", "-id"], name="donation_date_idx"),
            # The staff list's filters and sort keys, each ending in the list's order so a
            # page's keys come from an index-only scan (lddh/ward/pagination.py).
            models.Index(fields=["credited_group", "-date", "-id"], name="donation_group_date_idx"),
            models.Index(fields=["campaign", "-date", "-id"], name="donation_campaign_date_idx"),
            # The office's usual view: the campaign's valid donations, newest first.
            models.Index(
                fields=["campaign", "status", "-date", "-id"],
                name="donation_camp_status_date_idx",
            ),
            models.Index(fields=["channel", "-date", "-id"], name="donation_channel_date_idx"),
            models.Index(fields=["amount", "id"], name="donation_amount_idx"),
            # The public donor list: one campaign's valid fund donations, newest first.
            models.Index(
                fields=["campaign", "status", "purpose", "-date", "-id"],
                name="donation_public_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor} – {self.amount:,} đ – {self.date:%d/%m/%Y}".replace(",", ".")

    def save(self, *args, **kwargs):
        # Only the void service changes an existing donation, and only its status.
        if not self._state.adding and set(kwargs.get("update_fields") or ()) != {"status"}:
            raise AppendOnlyError("Khoản ủng hộ đã ghi không được sửa; hãy hủy và nhập lại.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Khoản ủng hộ không bao giờ bị xóa; hãy đề nghị hủy.")

    @property
    def is_direct(self) -> bool:
        return self.purpose == self.Purpose.DIRECT

    @property
    def is_voided(self) -> bool:
        return self.status == self.Status.VOIDED


class DonationItem(AppendOnlyModel):
    """One line of a gift in kind, valued in đồng."""

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="items")
    description = models.CharField("hiện vật", max_length=200)
    quantity = models.DecimalField("số lượng", max_digits=12, decimal_places=2)
    unit = models.CharField("đơn vị tính", max_length=30)
    valuation = models.PositiveBigIntegerField("trị giá (đồng)")

    class Meta:
        verbose_name = "hiện vật"
        verbose_name_plural = "hiện vật"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valuation__gt=0) & Q(quantity__gt=0), name="donation_item_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.quantity.normalize():f} {self.unit})"


class ReceiptCounter(models.Model):
    """The last number used in a series and year; locked while a number is taken."""

    series = models.CharField("sê-ri", max_length=8)
    year = models.PositiveSmallIntegerField("năm")
    last = models.PositiveIntegerField("số cuối đã cấp", default=0)

    class Meta:
        verbose_name = "bộ đếm biên nhận"
        verbose_name_plural = "bộ đếm biên nhận"
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="receipt_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last}"


class Receipt(models.Model):
    """The numbered receipt of one donation; it snapshots everything it prints."""

    class Status(models.TextChoices):
        ISSUED = "issued", "Hợp lệ"
        VOIDED = "voided", "Đã hủy"

    donation = models.OneToOneField(
        Donation, verbose_name="khoản ủng hộ", on_delete=models.PROTECT, related_name="receipt"
    )
    fund = models.ForeignKey(
        Fund, verbose_name="quỹ", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    series = models.CharField("sê-ri", max_length=8)
    year = models.PositiveSmallIntegerField("năm")
    seq = models.PositiveIntegerField("số thứ tự")
    number = models.CharField("số biên nhận", max_length=30, unique=True)
    token = models.CharField("mã tra cứu", max_length=40, unique=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    voided_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name="thay thế biên nhận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField("lập lúc", auto_now_add=True)
    # What the paper shows, frozen when it is issued.
    date = models.DateField("ngày")
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    amount_words = models.CharField("số tiền bằng chữ", max_length=300)
    donor_name = models.CharField("người nộp", max_length=200)
    donor_display_name = models.CharField("tên công khai", max_length=200)
    donor_representative = models.CharField("người đại diện", max_length=200, blank=True)
    donor_address = models.CharField("địa chỉ", max_length=300, blank=True)
    purpose_label = models.CharField("nội dung", max_length=300)
    channel_label = models.CharField("hình thức", max_length=100)
    fund_name = models.CharField("quỹ", max_length=200, blank=True)
    campaign_name = models.CharField("chiến dịch", max_length=300, blank=True)
    beneficiary = models.CharField("hộ được hỗ trợ", max_length=300, blank=True)
    items = models.JSONField("hiện vật", default=list, blank=True)
    issuer_name = models.CharField("người nhận tiền", max_length=150)

    objects = MoneyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "biên nhận"
        verbose_name_plural = "biên nhận"
        ordering = ["series", "year", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "seq"], name="receipt_number_unique"),
            models.CheckConstraint(condition=Q(seq__gt=0), name="receipt_seq_positive"),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_DONATION),
                name="receipt_amount_range",
            ),
            models.CheckConstraint(
                condition=Q(status="issued", voided_at__isnull=True)
                | Q(status="voided", voided_at__isnull=False),
                name="receipt_voided_at_iff_voided",
            ),
        ]
        indexes = [
            # Sort keys of the receipt register, each ending in the primary key (the
            # tiebreak of every sorted list) so a page's keys come from the index alone.
            models.Index(fields=["series", "year", "seq", "id"], name="receipt_number_idx"),
            models.Index(fields=["date", "id"], name="receipt_date_idx"),
            models.Index(fields=["amount", "id"], name="receipt_amount_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding and set(kwargs.get("update_fields") or ()) != {
            "status",
            "voided_at",
        }:
            raise AppendOnlyError("Biên nhận đã cấp không được sửa; chỉ có thể hủy.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Biên nhận không bao giờ bị xóa.")

    @staticmethod
    def format_number(series: str, year: int, seq: int) -> str:
        return f"{series}-{year}-{seq:06d}"

    @property
    def is_voided(self) -> bool:
        return self.status == self.Status.VOIDED

    @property
    def public_name(self) -> str:
        """The name shown to the public: the printed one, unless the donor has asked to
        be anonymous since (a later wish for privacy is respected, never the reverse)."""
        if self.donation.donor.anonymous:
            return ANONYMOUS_NAME
        return self.donor_display_name


class ReceiptPrint(AppendOnlyModel):
    """Each time a receipt is printed; every print after the first is a copy (BẢN SAO)."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="prints")
    is_copy = models.BooleanField("bản sao")
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người in",
        on_delete=models.PROTECT,
        related_name="+",
    )
    printed_at = models.DateTimeField("in lúc", auto_now_add=True)

    class Meta:
        verbose_name = "lần in biên nhận"
        verbose_name_plural = "lần in biên nhận"
        ordering = ["receipt", "pk"]

    def __str__(self) -> str:
        return f"{self.receipt} – {'bản sao' if self.is_copy else 'bản gốc'}"


class VoidRequest(models.Model):
    """A request to void a receipt; decided by the standing committee (a second person)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ duyệt"
        APPROVED = "approved", "Đã duyệt hủy"
        REJECTED = "rejected", "Từ chối"

    donation = models.ForeignKey(
        Donation, verbose_name="khoản ủng hộ", on_delete=models.PROTECT, related_name="voids"
    )
    reason = models.TextField("lý do hủy")
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đề nghị",
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField("đề nghị lúc", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("quyết định lúc", null=True, blank=True)
    decision_note = models.TextField("ý kiến", blank=True)

    objects = MoneyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "đề nghị hủy biên nhận"
        verbose_name_plural = "đề nghị hủy biên nhận"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["donation"],
                condition=Q(status="pending"),
                name="void_request_one_pending",
                violation_error_message="Khoản này đã có đề nghị hủy đang chờ duyệt.",
            ),
            models.UniqueConstraint(
                fields=["donation"],
                condition=Q(status="approved"),
                name="void_request_one_approved",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True)
                | (~Q(status="pending") & Q(decided_by__isnull=False)),
                name="void_request_decided_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=F("requested_by")),
                name="void_request_second_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Hủy {self.donation_id}: {self.get_status_display()}"

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Đề nghị hủy không bị xóa.")
