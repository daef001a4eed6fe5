"""The register of near-poor and especially-difficult households (docs/domain.md §4): the
households, their members, needs and support plans, the review rounds of a campaign,
and the proposals a group leader makes for the office to accept or return."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from campaigns.models import Campaign
from lddh.ward.fields import MoneyField
from lddh.ward.models import ResidentialGroup
from lddh.ward.text import normalise


class Category(models.TextChoices):
    """The official category recognised by the ward People's Committee, or none."""

    NONE = "none", "Chưa được công nhận"
    POOR = "poor", "Hộ nghèo"
    NEAR_POOR = "near_poor", "Hộ cận nghèo"
    ESCAPED_POOR = "escaped_poor", "Hộ mới thoát nghèo"
    ESCAPED_NEAR_POOR = "escaped_near_poor", "Hộ mới thoát cận nghèo"
    AVERAGE = "average", "Hộ có mức sống trung bình"


class Standard(models.TextChoices):
    ND07_2021 = "nd07_2021", "Nghị định 07/2021/NĐ-CP (chuẩn nghèo 2022–2026)"
    ND351_2025 = "nd351_2025", "Nghị định 351/2025/NĐ-CP (chuẩn nghèo từ 2027)"


class DifficultyReason(models.TextChoices):
    SERIOUS_ILLNESS = "serious_illness", "Bệnh hiểm nghèo"
    DISABILITY = "disability", "Khuyết tật"
    ELDERLY_ALONE = "elderly_alone", "Người cao tuổi sống một mình"
    ORPHANED_CHILD = "orphaned_child", "Trẻ mồ côi"
    SUDDEN_HARDSHIP = "sudden_hardship", "Khó khăn đột xuất"
    OTHER = "other", "Khác"


class HouseholdQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Household.Status.ACTIVE)

    def search(self, text: str):
        key = normalise(text)
        return self.filter(search_key__icontains=key) if key else self


class Household(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Đang theo dõi"
        EXITED = "exited", "Đã ra khỏi danh sách"

    class Title(models.TextChoices):
        NONE = "", "—"
        MR = "ông", "Ông"
        MRS = "bà", "Bà"

    group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="tổ dân phố",
        on_delete=models.PROTECT,
        related_name="households",
    )
    head_name = models.CharField("họ tên chủ hộ", max_length=100)
    head_birth_year = models.PositiveSmallIntegerField("năm sinh chủ hộ", null=True, blank=True)
    address = models.CharField("địa chỉ", max_length=300)
    head_cccd = models.CharField(
        "số CCCD chủ hộ", max_length=12, blank=True, help_text="12 chữ số; có thể để trống."
    )
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    category = models.CharField(
        "phân loại chính thức", max_length=20, choices=Category.choices, default=Category.NONE
    )
    decision_number = models.CharField(
        "số quyết định công nhận",
        max_length=60,
        blank=True,
        help_text="Ví dụ: 125/QĐ-UBND",
    )
    decision_year = models.PositiveSmallIntegerField("năm quyết định", null=True, blank=True)
    standard = models.CharField(
        "chuẩn áp dụng", max_length=20, choices=Standard.choices, blank=True
    )
    especially_difficult = models.BooleanField("hoàn cảnh đặc biệt khó khăn", default=False)
    difficulty_reasons = models.JSONField(
        "lý do khó khăn", default=list, blank=True, help_text="Mã trong DifficultyReason."
    )
    circumstances = models.TextField("hoàn cảnh", blank=True)
    income_per_person = MoneyField("thu nhập bình quân (đồng/người/tháng)", null=True, blank=True)
    plan_goal = models.TextField(
        "mục tiêu hỗ trợ bền vững",
        blank=True,
        help_text="Hộ cần gì để tự vươn lên, không tái nghèo.",
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    exit_date = models.DateField("ngày ra khỏi danh sách", null=True, blank=True)
    exit_reason = models.TextField("lý do ra khỏi danh sách", blank=True)
    head_title = models.CharField(
        "cách gọi chủ hộ",
        max_length=3,
        choices=Title.choices,
        blank=True,
        help_text="Dùng cho tên viết tắt công khai, ví dụ “Hộ bà N.T.H., tổ 5”.",
    )
    public_consent = models.BooleanField(
        "đồng ý công khai tên viết tắt",
        default=False,
        help_text="Hộ đồng ý để trang công khai ghi tên viết tắt của chủ hộ và số tổ; "
        "nếu không, hộ chỉ được tính vào số lượng.",
    )
    search_key = models.CharField(max_length=1000, blank=True, editable=False, db_index=False)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "hộ gia đình"
        verbose_name_plural = "hộ gia đình"
        ordering = ["group__number", "head_name", "pk"]
        indexes = [models.Index(fields=["group", "status", "head_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["head_cccd"],
                condition=~Q(head_cccd=""),
                name="household_cccd_unique",
                violation_error_message="Số CCCD này đã có trong danh sách.",
            ),
            models.CheckConstraint(
                condition=Q(income_per_person__isnull=True) | Q(income_per_person__gte=0),
                name="household_income_not_negative",
                violation_error_message="Thu nhập không được âm.",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(exit_date__isnull=False),
                name="household_exit_has_date",
                violation_error_message="Hộ ra khỏi danh sách phải có ngày.",
            ),
        ]

    def __str__(self) -> str:
        return f"Hộ {self.head_name} ({self.group.name})" if self.group_id else self.head_name

    def save(self, *args, **kwargs):
        self.search_key = self.build_search_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key", "updated_at"}
        super().save(*args, **kwargs)

    def build_search_key(self, member_names: list[str] | None = None) -> str:
        if member_names is None:
            member_names = list(self.members.values_list("full_name", flat=True)) if self.pk else []
        parts = [self.head_name, self.address, self.decision_number, *member_names]
        return normalise(" ".join(p for p in parts if p))[:1000]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def public_pseudonym(self) -> str:
        """'Hộ bà N.T.H., tổ 5' when the household consented, else '' (count only).
        Never the full name, the address or anything about health."""
        if not self.public_consent:
            return ""
        initials = ".".join(word[0].upper() for word in self.head_name.split() if word)
        title = f"{self.head_title} " if self.head_title else ""
        group = f", tổ {self.group.number}" if self.group_id else ""
        return f"Hộ {title}{initials}.{group}" if initials else ""

    def difficulty_reason_labels(self) -> list[str]:
        labels = dict(DifficultyReason.choices)
        return [labels.get(code, code) for code in self.difficulty_reasons or []]


class Member(models.Model):
    class Relation(models.TextChoices):
        HEAD = "head", "Chủ hộ"
        SPOUSE = "spouse", "Vợ / chồng"
        CHILD = "child", "Con"
        GRANDCHILD = "grandchild", "Cháu"
        PARENT = "parent", "Bố / mẹ"
        SIBLING = "sibling", "Anh / chị / em"
        OTHER = "other", "Khác"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField("họ tên", max_length=100)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    relation = models.CharField(
        "quan hệ với chủ hộ", max_length=20, choices=Relation.choices, default=Relation.OTHER
    )
    is_student = models.BooleanField("đang đi học", default=False)
    school = models.CharField("trường", max_length=200, blank=True)
    grade = models.CharField("lớp / năm học", max_length=50, blank=True)
    is_disabled = models.BooleanField("khuyết tật", default=False)
    is_seriously_ill = models.BooleanField("mắc bệnh hiểm nghèo", default=False)
    health_note = models.TextField(
        "ghi chú sức khỏe (riêng tư)",
        blank=True,
        help_text="Chỉ cán bộ Mặt trận phường và Ban Thường trực được xem.",
    )
    is_elderly = models.BooleanField("người cao tuổi", default=False)
    is_working = models.BooleanField("đang làm việc, có thu nhập", default=False)

    class Meta:
        verbose_name = "thành viên"
        verbose_name_plural = "thành viên"
        ordering = ["household", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def flag_labels(self) -> list[str]:
        flags = [
            (self.is_student, "đang đi học"),
            (self.is_disabled, "khuyết tật"),
            (self.is_seriously_ill, "bệnh hiểm nghèo"),
            (self.is_elderly, "cao tuổi"),
            (self.is_working, "đang làm việc"),
        ]
        return [label for on, label in flags if on]


class NeedType(models.TextChoices):
    """The needs named in the ward's plan, and the usual others (docs/domain.md §4)."""

    PRODUCTION = "production", "Phương tiện lao động, sản xuất"
    LOAN = "loan", "Vay vốn"
    TRAINING_JOB = "training_job", "Học nghề, việc làm"
    STUDENT = "student", "Đỡ đầu học sinh"
    SERIOUS_ILLNESS = "serious_illness", "Bệnh hiểm nghèo"
    HOUSE_BUILD = "house_build", "Xây mới nhà"
    HOUSE_REPAIR = "house_repair", "Sửa chữa nhà"
    HEALTH_INSURANCE = "health_insurance", "Thẻ bảo hiểm y tế"
    TET_GIFT = "tet_gift", "Quà Tết"
    MONTHLY = "monthly", "Trợ cấp hằng tháng"
    OTHER = "other", "Khác"


class Need(models.Model):
    class Priority(models.IntegerChoices):
        HIGH = 1, "Cao"
        MEDIUM = 2, "Trung bình"
        LOW = 3, "Thấp"

    class Status(models.TextChoices):
        OPEN = "open", "Chưa đáp ứng"
        PLANNED = "planned", "Đã có kế hoạch"
        MET = "met", "Đã đáp ứng"
        WITHDRAWN = "withdrawn", "Không còn nhu cầu"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="needs")
    type = models.CharField("loại nhu cầu", max_length=20, choices=NeedType.choices)
    description = models.TextField("mô tả", blank=True)
    estimated_cost = MoneyField("dự toán (đồng)", default=0)
    priority = models.PositiveSmallIntegerField(
        "mức ưu tiên", choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        "tình trạng", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField("ghi nhận lúc", default=timezone.now)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "nhu cầu"
        verbose_name_plural = "nhu cầu"
        ordering = ["household", "priority", "pk"]
        indexes = [models.Index(fields=["type", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__gte=0),
                name="need_cost_not_negative",
                violation_error_message="Dự toán không được âm.",
            )
        ]

    def __str__(self) -> str:
        return self.get_type_display()

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.PLANNED)


class PlanItem(models.Model):
    """One step of a household's support plan: what, by whom, by when."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Đang thực hiện"
        DONE = "done", "Đã xong"
        CANCELLED = "cancelled", "Hủy"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="plan_items")
    need = models.ForeignKey(
        Need,
        verbose_name="cho nhu cầu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    action = models.CharField("việc cần làm", max_length=300)
    responsible = models.CharField(
        "ai thực hiện",
        max_length=200,
        help_text="Ví dụ: Hội Phụ nữ phường; Ban công tác Mặt trận tổ 3; doanh nghiệp X.",
    )
    due_date = models.DateField("thời hạn", null=True, blank=True)
    status = models.CharField(
        "tình trạng", max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    class Meta:
        verbose_name = "bước trong kế hoạch hỗ trợ"
        verbose_name_plural = "kế hoạch hỗ trợ"
        ordering = ["household", "due_date", "pk"]

    def __str__(self) -> str:
        return self.action


class ReviewRound(models.Model):
    """A group's review (rà soát) of its list for one campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="chiến dịch", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        ResidentialGroup, verbose_name="tổ dân phố", on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xác nhận hoàn thành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "đợt rà soát của tổ"
        verbose_name_plural = "đợt rà soát của tổ"
        ordering = ["-campaign__start_date", "group__number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "group"], name="review_round_unique")
        ]

    def __str__(self) -> str:
        return f"Rà soát {self.group} – {self.campaign.year}"


class Review(models.Model):
    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", "Giữ nguyên"
        CHANGED = "changed", "Có thay đổi"
        EXIT = "exit", "Đề xuất ra khỏi danh sách"

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviews")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="reviews")
    outcome = models.CharField("kết quả", max_length=10, choices=Outcome.choices)
    note = models.TextField("ghi chú", blank=True)
    reviewed_at = models.DateTimeField("rà soát lúc", default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người rà soát",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "kết quả rà soát"
        verbose_name_plural = "kết quả rà soát"
        ordering = ["-reviewed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "household"], name="review_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.household}: {self.get_outcome_display()}"


class Proposal(models.Model):
    """A leader's change that waits for ward staff or the committee."""

    class Kind(models.TextChoices):
        NEW = "new", "Đề xuất hộ mới"
        CLASSIFY = "classify", "Đề xuất thay đổi phân loại"
        EXIT = "exit", "Đề xuất ra khỏi danh sách"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ duyệt"
        ACCEPTED = "accepted", "Đã chấp nhận"
        RETURNED = "returned", "Đã trả lại"

    kind = models.CharField("loại đề xuất", max_length=10, choices=Kind.choices)
    group = models.ForeignKey(
        ResidentialGroup, verbose_name="tổ dân phố", on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household,
        verbose_name="hộ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="chiến dịch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    payload = models.JSONField("nội dung đề xuất", default=dict)
    before = models.JSONField("giá trị trước", null=True, blank=True)
    note = models.TextField("lý do đề xuất", blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField("lý do trả lại", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đề xuất",
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField("đề xuất lúc", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("quyết định lúc", null=True, blank=True)
    meeting = models.ForeignKey(
        "households.ReviewMeeting",
        verbose_name="cuộc họp bình xét đã đồng ý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreed_proposals",
    )

    class Meta:
        verbose_name = "đề xuất"
        verbose_name_plural = "đề xuất"
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["status", "group"])]

    def __str__(self) -> str:
        who = self.household.head_name if self.household_id else self.payload.get("head_name")
        return f"{self.get_kind_display()} số {self.pk}: {who}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
