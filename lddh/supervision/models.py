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


# --------------------------------------------------------------------------- feedback


class Feedback(models.Model):
    """A resident's feedback (phản ánh, kiến nghị) sent from the public form without
    signing in. The inspection team handles it; the standing committee decides whether
    the answer is published. Only the tracking code (``code``) lets the sender follow it;
    it never shows the content or the contact again (a leaked code reveals little)."""

    class Topic(models.TextChoices):
        WRONG_HOUSEHOLD = "wrong_household", "Hỗ trợ sai đối tượng"
        NOT_RECEIVED = "not_received", "Chưa nhận được tiền, quà hỗ trợ"
        WRONG_FIGURES = "wrong_figures", "Số liệu công khai chưa đúng"
        STAFF_CONDUCT = "staff_conduct", "Thái độ, tác phong cán bộ"
        OTHER = "other", "Nội dung khác"

    class Status(models.TextChoices):
        RECEIVED = "received", "Mới tiếp nhận"
        IN_PROGRESS = "in_progress", "Đang xem xét, xử lý"
        ANSWERED = "answered", "Đã trả lời"
        CLOSED = "closed", "Đã kết thúc"

    code = models.CharField("mã theo dõi", max_length=20, unique=True, editable=False)
    topic = models.CharField("chủ đề", max_length=20, choices=Topic.choices)
    content = models.TextField("nội dung")
    group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField("họ tên người gửi", max_length=100, blank=True)
    contact_phone = models.CharField("điện thoại", max_length=30, blank=True)
    contact_email = models.EmailField("thư điện tử", max_length=254, blank=True)
    received_at = models.DateTimeField("tiếp nhận lúc", auto_now_add=True)
    due_on = models.DateField("hạn trả lời")
    status = models.CharField(
        "tình trạng", max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xử lý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField("giao xử lý lúc", null=True, blank=True)
    handling_note = models.TextField("ghi chú xử lý (nội bộ)", blank=True)
    answer = models.TextField("trả lời", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người trả lời",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    public_question = models.TextField(
        "nội dung công khai",
        blank=True,
        help_text="Nội dung phản ánh như được công khai, đã bỏ tên, địa chỉ, số điện thoại.",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người công khai",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("công khai lúc", null=True, blank=True)

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="feedback_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["received", "in_progress"]) | ~Q(answer=""),
                name="feedback_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(answer=""),
                name="feedback_published_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Phản ánh {self.code}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.IN_PROGRESS)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def feedback_attachment_path(instance: FeedbackAttachment, filename: str) -> str:
    # The stored name never comes from the sender: a random name with the checked type.
    return f"phan-anh/{instance.feedback_id}/{instance.token}.{instance.extension}"


class FeedbackAttachment(CheckedFile):
    """A photo or PDF sent with the feedback, accepted by its content. Never public."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("tệp", upload_to=feedback_attachment_path, max_length=200)
    # Sent by a resident who is not signed in: no user.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "tệp kèm phản ánh"
        verbose_name_plural = "tệp kèm phản ánh"
        ordering = ["feedback", "pk"]
