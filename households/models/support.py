"""Money out (docs/domain.md §5): a support decided for a household, its payment or handover
with a numbered handover record, its follow-ups, the distribution rounds that create
many at once, and the configured levels the approver is warned about.

A paid support is never edited or deleted (money records are append-only): save() refuses once the
stored row is paid, delete() always refuses (cancelling keeps the record with a reason).
The fund's ledger entry of a payment lives in donations; the support points to it.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from campaigns.models import Campaign
from donations.models import Account, Donation, Fund, LedgerEntry
from households.models.register import Household, Need
from lddh.ward.fields import MoneyField
from lddh.ward.models import AppendOnlyError, AppendOnlyModel, CheckedFile, ResidentialGroup

MAX_SUPPORT = 10_000_000_000
"""The largest single support (10 tỷ đồng): anything above is a typing error."""


class SupportCategory(models.TextChoices):
    """The spending categories of the reports (docs/domain.md §5), in the reports' order."""

    NEW_HOUSE = "new_house", "Xây mới nhà"
    HOUSE_REPAIR = "house_repair", "Sửa chữa nhà"
    LIVELIHOOD = "livelihood", "Sinh kế, phương tiện sản xuất"
    LOAN = "loan", "Hỗ trợ vốn vay"
    TRAINING_JOB = "training_job", "Học nghề, việc làm"
    SCHOLARSHIP = "scholarship", "Học bổng, đỡ đầu học sinh"
    MEDICAL = "medical", "Khám chữa bệnh, bệnh hiểm nghèo"
    HEALTH_INSURANCE = "health_insurance", "Thẻ BHYT"
    GIFT = "gift", "Quà Tết, thăm hỏi"
    MONTHLY = "monthly", "Trợ cấp thường xuyên"
    EMERGENCY = "emergency", "Trợ cấp đột xuất"
    OTHER = "other", "Khác"


class SupportForm(models.TextChoices):
    CASH = "cash", "Tiền mặt"
    IN_KIND = "in_kind", "Hiện vật"
    REFERRAL = "referral", "Giới thiệu vay vốn / việc làm"


class SupportSource(models.TextChoices):
    FUND = "fund", "Quỹ “Vì người nghèo”"
    DIRECT = "direct", "Hỗ trợ trực tiếp của nhà hảo tâm"
    PROGRAMME = "programme", "Chương trình, nguồn khác"


class SupportLevel(models.Model):
    """The most a support of one category should be, from a date (configuration: the
    approver is warned above it; the levels change, so they are data)."""

    category = models.CharField("loại hỗ trợ", max_length=20, choices=SupportCategory.choices)
    max_amount = MoneyField("mức tối đa (đồng)")
    valid_from = models.DateField("áp dụng từ ngày")
    note = models.CharField("căn cứ", max_length=300, blank=True)

    class Meta:
        verbose_name = "mức hỗ trợ"
        verbose_name_plural = "mức hỗ trợ"
        ordering = ["category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["category", "valid_from"], name="support_level_unique"),
            models.CheckConstraint(
                condition=Q(max_amount__gt=0),
                name="support_level_positive",
                violation_error_message="Mức hỗ trợ phải lớn hơn 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.max_amount:,} đ".replace(",", ".")

    @classmethod
    def for_category(cls, category: str, day: datetime.date) -> SupportLevel | None:
        return (
            cls.objects.filter(category=category, valid_from__lte=day)
            .order_by("-valid_from")
            .first()
        )


def public_token() -> str:
    """A random id for a public address: never sequential, so nobody can walk the
    records that are not public (docs/architecture.md)."""
    return secrets.token_hex(8)


class DistributionRound(models.Model):
    """A round of gifts (e.g. Tết): many supports made in one step, one signed list."""

    name = models.CharField("tên đợt", max_length=200)
    campaign = models.ForeignKey(
        Campaign, verbose_name="chiến dịch", on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        "loại hỗ trợ",
        max_length=20,
        choices=SupportCategory.choices,
        default=SupportCategory.GIFT,
    )
    form = models.CharField(
        "hình thức", max_length=10, choices=SupportForm.choices, default=SupportForm.CASH
    )
    amount = MoneyField("mức mỗi hộ (đồng)")
    item = models.CharField(
        "hiện vật", max_length=200, blank=True, help_text="Với hiện vật: ví dụ “Suất quà Tết”."
    )
    source = models.CharField(
        "nguồn", max_length=10, choices=SupportSource.choices, default=SupportSource.FUND
    )
    fund = models.ForeignKey(
        Fund, verbose_name="quỹ", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        Account,
        verbose_name="chi từ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    programme_name = models.CharField("tên chương trình / nguồn", max_length=200, blank=True)
    filters = models.JSONField("tiêu chí chọn hộ", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)
    public_token = models.CharField(
        "mã công khai", max_length=16, unique=True, default=public_token, editable=False
    )

    class Meta:
        verbose_name = "đợt trao hỗ trợ"
        verbose_name_plural = "đợt trao hỗ trợ"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_SUPPORT),
                name="round_amount_range",
                violation_error_message="Mức mỗi hộ phải lớn hơn 0.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Đợt trao hỗ trợ không bị xóa; hãy hủy từng khoản hỗ trợ.")


class HandoverCounter(models.Model):
    """The last handover record number of a year; locked while a number is taken."""

    year = models.PositiveSmallIntegerField("năm", unique=True)
    last = models.PositiveIntegerField("số cuối đã cấp", default=0)

    class Meta:
        verbose_name = "bộ đếm biên bản bàn giao"
        verbose_name_plural = "bộ đếm biên bản bàn giao"

    def __str__(self) -> str:
        return f"BB-{self.year}: {self.last}"


class SupportQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Hỗ trợ chỉ được thay đổi qua các thao tác nghiệp vụ.")

    def delete(self):
        raise AppendOnlyError("Hỗ trợ không bao giờ bị xóa; hãy hủy kèm lý do.")

    def counted(self):
        """Supports that stand: proposed, approved or paid (not rejected nor cancelled)."""
        return self.filter(status__in=Support.STANDING)


class Support(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Chờ duyệt"
        APPROVED = "approved", "Đã duyệt, chờ chi"
        REJECTED = "rejected", "Không duyệt"
        PAID = "paid", "Đã chi / bàn giao"
        CANCELLED = "cancelled", "Đã hủy"

    STANDING = ("proposed", "approved", "paid")

    household = models.ForeignKey(
        Household, verbose_name="hộ", on_delete=models.PROTECT, related_name="supports"
    )
    group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="tổ dân phố",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Tổ của hộ khi đề xuất (giữ nguyên nếu hộ chuyển tổ sau này).",
    )
    need = models.ForeignKey(
        Need,
        verbose_name="đáp ứng nhu cầu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supports",
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name="chiến dịch", on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(
        DistributionRound,
        verbose_name="đợt trao",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supports",
    )
    category = models.CharField("loại hỗ trợ", max_length=20, choices=SupportCategory.choices)
    form = models.CharField("hình thức", max_length=10, choices=SupportForm.choices)
    amount = MoneyField("số tiền / trị giá (đồng)")
    description = models.CharField("nội dung hỗ trợ", max_length=300)
    partner = models.CharField(
        "đơn vị tiếp nhận giới thiệu",
        max_length=200,
        blank=True,
        help_text="Với giới thiệu: ví dụ Ngân hàng Chính sách xã hội quận, Công ty X.",
    )
    source = models.CharField("nguồn", max_length=10, choices=SupportSource.choices)
    fund = models.ForeignKey(
        Fund, verbose_name="quỹ", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        Account,
        verbose_name="chi từ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    donation = models.ForeignKey(
        Donation,
        verbose_name="khoản hỗ trợ trực tiếp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    programme_name = models.CharField("tên chương trình / nguồn", max_length=200, blank=True)
    repeat_reason = models.TextField(
        "lý do hỗ trợ lần nữa cùng loại",
        blank=True,
        help_text="Bắt buộc khi hộ đã được hỗ trợ cùng loại trong chiến dịch này.",
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đề xuất",
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField("đề xuất lúc")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người sửa gần nhất",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The decision (approval or rejection) of the standing committee.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("quyết định lúc", null=True, blank=True)
    decision_number = models.CharField(
        "số quyết định", max_length=60, blank=True, help_text="Ví dụ: 15/QĐ-BVĐ"
    )
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    decision_signer = models.CharField("người ký quyết định", max_length=100, blank=True)
    reject_reason = models.TextField("lý do không duyệt", blank=True)
    posting_reason = models.TextField(
        "lý do duyệt khi danh sách niêm yết chưa xong",
        blank=True,
        help_text="Ý kiến bằng văn bản của Ban Thường trực khi duyệt trước khi hết thời gian "
        "niêm yết hoặc khi còn kiến nghị chưa xử lý xong.",
    )
    # The payment or handover.
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chi / bàn giao",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField("ghi chi lúc", null=True, blank=True)
    handover_date = models.DateField("ngày chi / bàn giao", null=True, blank=True)
    handover_number = models.CharField("số biên bản bàn giao", max_length=20, blank=True)
    receiver_name = models.CharField("người nhận", max_length=100, blank=True)
    witness_name = models.CharField("người chứng kiến", max_length=100, blank=True)
    handover_note = models.TextField("ghi chú bàn giao", blank=True)
    recipient = models.JSONField(
        "hộ nhận (bản chụp khi chi)",
        null=True,
        blank=True,
        help_text="Tên chủ hộ, địa chỉ, tổ lúc chi: biên bản in lại luôn giống bản đã ký.",
    )
    ledger_entry = models.OneToOneField(
        LedgerEntry,
        verbose_name="bút toán sổ quỹ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người hủy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    cancel_reason = models.TextField("lý do hủy", blank=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = "hỗ trợ"
        verbose_name_plural = "hỗ trợ"
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-proposed_at"], name="support_status_idx"),
            models.Index(fields=["group", "status"], name="support_group_idx"),
            models.Index(fields=["household", "campaign", "category"], name="support_repeat_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=MAX_SUPPORT),
                name="support_amount_range",
            ),
            # Cash and goods have a value; a referral may record none.
            models.CheckConstraint(
                condition=Q(form="referral") | Q(amount__gt=0),
                name="support_amount_positive_unless_referral",
            ),
            models.CheckConstraint(
                condition=(
                    Q(source="fund", fund__isnull=False, account__isnull=False, donation=None)
                    | Q(source="direct", fund=None, account=None, donation__isnull=False)
                    | Q(source="programme", fund=None, account=None, donation=None)
                ),
                name="support_source_matches",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid")
                | (
                    Q(paid_by__isnull=False, handover_date__isnull=False, decided_by__isnull=False)
                    & ~Q(handover_number="")
                ),
                name="support_paid_has_handover",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "paid"])
                | ~Q(decided_by=models.F("proposed_by")),
                name="support_approver_not_proposer",
            ),
            models.UniqueConstraint(
                fields=["handover_number"],
                condition=~Q(handover_number=""),
                name="support_handover_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Hỗ trợ số {self.pk}: {self.get_category_display()}"

    def save(self, *args, **kwargs):
        if (
            not self._state.adding
            and type(self).objects.filter(pk=self.pk, status=self.Status.PAID).exists()
        ):
            raise AppendOnlyError("Hỗ trợ đã chi không được sửa; sai sót phải được điều chỉnh.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Hỗ trợ không bao giờ bị xóa; hãy hủy kèm lý do.")

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.APPROVED)

    @property
    def moves_fund(self) -> bool:
        """Only a support paid from the fund writes to the fund's ledger."""
        return self.source == SupportSource.FUND and self.amount > 0

    def source_label(self) -> str:
        if self.source == SupportSource.FUND:
            return f"{self.fund} – {self.account}" if self.fund_id else self.get_source_display()
        if self.source == SupportSource.PROGRAMME:
            return self.programme_name or self.get_source_display()
        return self.get_source_display()


class SupportItem(models.Model):
    """One line of a support in kind: what, how many, worth how much."""

    support = models.ForeignKey(Support, on_delete=models.CASCADE, related_name="items")
    description = models.CharField("hiện vật", max_length=200)
    quantity = models.PositiveIntegerField("số lượng", default=1)
    unit = models.CharField("đơn vị", max_length=30, blank=True)
    valuation = MoneyField("trị giá (đồng)")

    class Meta:
        verbose_name = "hiện vật hỗ trợ"
        verbose_name_plural = "hiện vật hỗ trợ"
        ordering = ["support", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valuation__gt=0) & Q(quantity__gt=0), name="support_item_positive"
            )
        ]

    def __str__(self) -> str:
        return self.description


class FollowUp(AppendOnlyModel):
    """A visit after the handover: house completed, item still in use."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "Đang thực hiện"
        COMPLETED = "completed", "Đã hoàn thành"
        IN_USE = "in_use", "Còn sử dụng, đúng mục đích"
        NOT_IN_USE = "not_in_use", "Không còn sử dụng / sai mục đích"
        OTHER = "other", "Khác"

    support = models.ForeignKey(
        Support, verbose_name="hỗ trợ", on_delete=models.PROTECT, related_name="follow_ups"
    )
    date = models.DateField("ngày theo dõi")
    status = models.CharField("tình trạng", max_length=15, choices=Status.choices)
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("ghi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "theo dõi sau hỗ trợ"
        verbose_name_plural = "theo dõi sau hỗ trợ"
        ordering = ["support", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.get_status_display()}"


def attachment_path(instance: SupportAttachment, filename: str) -> str:
    # The stored name never comes from the user: a random name with the checked type.
    return f"ho-tro/{instance.support_id}/{instance.token}.{instance.extension}"


class SupportAttachment(CheckedFile):
    """A scan of the signed handover record or a photo, checked by its content."""

    support = models.ForeignKey(Support, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("tệp", upload_to=attachment_path, max_length=200)

    class Meta:
        verbose_name = "tệp đính kèm hỗ trợ"
        verbose_name_plural = "tệp đính kèm hỗ trợ"
        ordering = ["support", "pk"]
