"""Records of the inspection team (plan content 4): inspections with their findings and
follow-up, the records they looked at, their attachments, and random samples of paid
supports or households verified on the spot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from campaigns.models import Campaign
from donations.models import Fund
from households.models import Household, Support
from lddh.ward.models import CheckedFile, ResidentialGroup


class Inspection(models.Model):
    class Scope(models.TextChoices):
        FUND = "fund", "Quỹ (thu, chi, sổ sách)"
        GROUP = "group", "Một tổ dân phố"
        HOUSEHOLD = "household", "Một hộ gia đình"
        CONSTRUCTION = "construction", "Một công trình (xây, sửa nhà)"

    class Status(models.TextChoices):
        OPEN = "open", "Mới lập, chờ khắc phục"
        IN_PROGRESS = "in_progress", "Đang khắc phục"
        CLOSED = "closed", "Đã khắc phục, kết thúc"

    date = models.DateField("ngày kiểm tra")
    title = models.CharField("nội dung kiểm tra", max_length=200)
    team = models.CharField(
        "đoàn kiểm tra", max_length=300, help_text="Họ tên, chức vụ các thành viên."
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="chiến dịch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope = models.CharField("phạm vi", max_length=15, choices=Scope.choices)
    fund = models.ForeignKey(
        Fund, verbose_name="quỹ", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        Household,
        verbose_name="hộ gia đình",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    support = models.ForeignKey(
        Support,
        verbose_name="công trình (hỗ trợ xây, sửa nhà)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    findings = models.TextField("kết quả kiểm tra")
    recommendations = models.TextField("kiến nghị", blank=True)
    follow_up_by = models.CharField("người / bộ phận khắc phục", max_length=200, blank=True)
    follow_up_due = models.DateField("hạn khắc phục", null=True, blank=True)
    status = models.CharField(
        "tình trạng", max_length=12, choices=Status.choices, default=Status.OPEN
    )
    status_note = models.TextField("ghi chú theo dõi", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "đợt kiểm tra"
        verbose_name_plural = "đợt kiểm tra"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["-date", "-id"], name="inspection_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="fund", fund__isnull=False)
                    | Q(scope="group", group__isnull=False)
                    | Q(scope="household", household__isnull=False)
                    | Q(scope="construction", support__isnull=False)
                ),
                name="inspection_scope_has_object",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.title}"

    def scope_label(self) -> str:
        target = {
            self.Scope.FUND: self.fund,
            self.Scope.GROUP: self.group,
            self.Scope.HOUSEHOLD: self.household,
            self.Scope.CONSTRUCTION: self.support,
        }.get(self.scope)
        if self.scope == self.Scope.HOUSEHOLD and self.household_id:
            target = f"hộ {self.household.head_name} ({self.household.group.name})"
        return f"{self.get_scope_display()}: {target}" if target else self.get_scope_display()


class InspectionRecord(models.Model):
    """A record the inspection looked at: a receipt, a support, a household..."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="records")
    object_type = models.CharField("loại chứng từ", max_length=60)
    object_id = models.CharField("mã", max_length=64)
    label = models.CharField("chứng từ", max_length=200)

    class Meta:
        verbose_name = "chứng từ được kiểm tra"
        verbose_name_plural = "chứng từ được kiểm tra"
        ordering = ["inspection", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "object_type", "object_id"], name="inspection_record_once"
            )
        ]

    def __str__(self) -> str:
        return self.label


def attachment_path(instance: InspectionAttachment, filename: str) -> str:
    # The stored name never comes from the user: a random name with the checked type.
    return f"kiem-tra/{instance.inspection_id}/{instance.token}.{instance.extension}"


class InspectionAttachment(CheckedFile):
    """A scan of the signed minutes or a photo, accepted by its content."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("tệp", upload_to=attachment_path, max_length=200)

    class Meta:
        verbose_name = "tệp đính kèm kiểm tra"
        verbose_name_plural = "tệp đính kèm kiểm tra"
        ordering = ["inspection", "pk"]


class Sample(models.Model):
    """A random sample drawn for on-the-spot verification. The population is the
    ordered list of candidate ids at the moment of the draw; with the recorded seed,
    random.Random(seed).sample(population, size) draws the same items again."""

    class Kind(models.TextChoices):
        SUPPORTS = "supports", "Hỗ trợ đã chi"
        HOUSEHOLDS = "households", "Hộ gia đình trong danh sách"

    kind = models.CharField("chọn mẫu từ", max_length=12, choices=Kind.choices)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="chiến dịch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="chỉ trong tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    size = models.PositiveSmallIntegerField("cỡ mẫu")
    seed = models.BigIntegerField("hạt giống ngẫu nhiên")
    population_size = models.PositiveIntegerField("tổng số để chọn")
    population = models.JSONField("danh sách mã để chọn (theo thứ tự)", default=list)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    inspection = models.OneToOneField(
        Inspection,
        verbose_name="biên bản kiểm tra",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sample",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chọn mẫu",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("chọn lúc", auto_now_add=True)

    class Meta:
        verbose_name = "mẫu xác minh"
        verbose_name_plural = "mẫu xác minh"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="sample_size_positive"),
        ]

    def __str__(self) -> str:
        return f"Mẫu số {self.pk}: {self.size} {self.get_kind_display().lower()}"


class SampleItem(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", "Chưa xác minh"
        CONFIRMED = "confirmed", "Đúng thực tế"
        DISCREPANCY = "discrepancy", "Có sai lệch"

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("thứ tự")
    support = models.ForeignKey(
        Support, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(
        "kết quả", max_length=12, choices=Result.choices, default=Result.PENDING
    )
    note = models.TextField("ghi chú", blank=True)
    checked_on = models.DateField("ngày xác minh", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xác minh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "mục mẫu xác minh"
        verbose_name_plural = "mục mẫu xác minh"
        ordering = ["sample", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "position"], name="sample_item_position"),
            models.CheckConstraint(
                condition=~Q(result="discrepancy") | ~Q(note=""),
                name="sample_discrepancy_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.household.head_name}"
