"""A yearly campaign ("tháng cao điểm") and its plan."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from lddh.ward.fields import MoneyField
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.vocab import DonorSource

PERIOD_OVER_LABEL = "Đã hết thời gian — chờ Ban Thường trực kết thúc chiến dịch"


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ACTIVE = "active", "Đang triển khai"
        CLOSED = "closed", "Đã kết thúc"

    year = models.PositiveSmallIntegerField("năm")
    name = models.CharField("tên chiến dịch", max_length=300)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày")
    document_number = models.CharField("số kế hoạch", max_length=50, blank=True)
    document_date = models.DateField("ngày ban hành", null=True, blank=True)
    legal_basis = models.TextField("căn cứ", blank=True)
    target = MoneyField("chỉ tiêu vận động (đồng)", default=0)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    subtitle = models.CharField(
        "trích yếu",
        max_length=300,
        blank=True,
        help_text="Dòng dưới chữ KẾ HOẠCH; để trống thì in “Thực hiện <tên chiến dịch> "
        "trên địa bàn <tên phường>”.",
    )
    signer_name = models.CharField("người ký", max_length=100, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signs_for = models.CharField("thay mặt", max_length=100, blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="Mỗi dòng một nơi nhận.")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "chiến dịch"
        verbose_name_plural = "chiến dịch"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="campaign_end_after_start",
                violation_error_message="Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0),
                name="campaign_target_not_negative",
                violation_error_message="Chỉ tiêu không được âm.",
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="active"),
                name="campaign_single_active",
                violation_error_message="Chỉ một chiến dịch được triển khai tại một thời điểm.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def period_over(self) -> bool:
        """Active, but its last day has passed: waiting for the standing committee to
        close it."""
        return self.is_active and timezone.localdate() > self.end_date

    @property
    def status_label(self) -> str:
        """The status as people should read it today: an active campaign past its last
        day is not "being carried out"."""
        if self.period_over:
            return PERIOD_OVER_LABEL
        return self.get_status_display()

    @property
    def entry_deadline(self) -> datetime.date:
        """The last day on which staff may still enter its late paper receipts."""
        return self.end_date + datetime.timedelta(days=settings.CAMPAIGN_LATE_ENTRY_DAYS)

    def entry_is_late(self, today: datetime.date) -> bool:
        """Entry after the grace period: only the standing committee, with a reason."""
        return today > self.entry_deadline

    def default_entry_date(self, today: datetime.date) -> datetime.date:
        """Today while the campaign runs; its last day once it is over (late receipts
        belong to the period, and today would be refused)."""
        return self.end_date if today > self.end_date else today

    def overlaps(self, start: datetime.date, end: datetime.date) -> bool:
        return self.start_date <= end and start <= self.end_date

    def days_left(self, today: datetime.date) -> int:
        """Days from today to the last day, counting both; 0 once the campaign is over."""
        if today > self.end_date:
            return 0
        return (self.end_date - max(today, self.start_date)).days + 1


class BoardMember(models.Model):
    """A member of the fund's mobilisation board (Ban vận động) with assigned sectors."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="chiến dịch", on_delete=models.CASCADE, related_name="board"
    )
    full_name = models.CharField("họ và tên", max_length=100)
    position = models.CharField("chức vụ", max_length=200, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    donor_source = models.CharField(
        "phụ trách nguồn", max_length=20, choices=DonorSource.choices, blank=True
    )
    organisation = models.ForeignKey(
        MemberOrganisation,
        verbose_name="phụ trách tổ chức thành viên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_members",
    )
    groups = models.ManyToManyField(
        ResidentialGroup,
        verbose_name="phụ trách tổ dân phố",
        blank=True,
        related_name="board_members",
    )
    sub_target = MoneyField("chỉ tiêu riêng (đồng)", null=True, blank=True)

    class Meta:
        verbose_name = "thành viên Ban vận động"
        verbose_name_plural = "thành viên Ban vận động"
        ordering = ["campaign", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sub_target__isnull=True) | Q(sub_target__gte=0),
                name="board_member_sub_target_not_negative",
                violation_error_message="Chỉ tiêu không được âm.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.position})" if self.position else self.full_name


class PlanBlock(models.Model):
    """One paragraph of the plan, in a section, in order (the ward's Kế hoạch)."""

    class Section(models.TextChoices):
        PREAMBLE = "preamble", "Mở đầu"
        PURPOSES = "purposes", "I. Mục đích, yêu cầu"
        CONTENTS = "contents", "II. Nội dung thực hiện"
        TIMING = "timing", "III. Thời gian thực hiện"
        WARD_COMMITTEE = "ward_committee", "IV. Ủy ban MTTQ Việt Nam phường"
        PEOPLES_COMMITTEE = "peoples_committee", "IV. Ủy ban nhân dân phường"
        BOARD = "board", "IV. Thành viên Ban vận động"
        ORGANISATIONS = "organisations", "IV. Các tổ chức thành viên"
        FRONT_COMMITTEES = "front_committees", "IV. Các Ban công tác Mặt trận tổ dân phố"
        CLOSING = "closing", "Kết luận"

    campaign = models.ForeignKey(
        Campaign, verbose_name="chiến dịch", on_delete=models.CASCADE, related_name="blocks"
    )
    section = models.CharField("phần", max_length=20, choices=Section.choices)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    text = models.TextField("nội dung")

    class Meta:
        verbose_name = "đoạn kế hoạch"
        verbose_name_plural = "nội dung kế hoạch"
        ordering = ["campaign", "section", "order", "pk"]
        indexes = [models.Index(fields=["campaign", "section", "order"])]

    def __str__(self) -> str:
        return f"{self.get_section_display()} – {self.order}"


class Target(models.Model):
    """A sub-target (chỉ tiêu) of the campaign for one residential group or one member
    organisation."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="chiến dịch", on_delete=models.CASCADE, related_name="targets"
    )
    group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_targets",
    )
    organisation = models.ForeignKey(
        MemberOrganisation,
        verbose_name="tổ chức thành viên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_targets",
    )
    amount = MoneyField("chỉ tiêu (đồng)")

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["campaign", "group__number", "organisation__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(organisation__isnull=True))
                | (Q(group__isnull=True) & Q(organisation__isnull=False)),
                name="target_group_xor_organisation",
                violation_error_message="Chỉ tiêu giao cho một tổ dân phố hoặc một tổ chức "
                "thành viên.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="target_amount_not_negative",
                violation_error_message="Chỉ tiêu không được âm.",
            ),
            models.UniqueConstraint(
                fields=["campaign", "group"],
                condition=Q(group__isnull=False),
                name="target_unique_group",
            ),
            models.UniqueConstraint(
                fields=["campaign", "organisation"],
                condition=Q(organisation__isnull=False),
                name="target_unique_organisation",
            ),
        ]

    def __str__(self) -> str:
        return str(self.group or self.organisation)


class ActivityQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date):
        return self.filter(status=Activity.Status.PLANNED, date__lt=today)

    def due(self, today: datetime.date):
        """Still planned and its day has come: today or earlier."""
        return self.filter(status=Activity.Status.PLANNED, date__lte=today)


class Activity(models.Model):
    """An entry of the campaign calendar: launch ceremony, propaganda, review, inspection,
    publication... Generic on purpose: the supervision pages list inspections from it."""

    class Kind(models.TextChoices):
        PLANNING = "planning", "Xây dựng kế hoạch, hội nghị"
        LAUNCH = "launch", "Lễ phát động"
        PROPAGANDA = "propaganda", "Tuyên truyền"
        COLLECTION = "collection", "Vận động, tiếp nhận ủng hộ"
        REVIEW = "review", "Rà soát hộ gia đình"
        SUPPORT = "support", "Trao hỗ trợ"
        INSPECTION = "inspection", "Kiểm tra, giám sát"
        PUBLICATION = "publication", "Công khai"
        REPORT = "report", "Sơ kết, tổng kết, báo cáo"
        OTHER = "other", "Khác"

    class Status(models.TextChoices):
        PLANNED = "planned", "Dự kiến"
        DONE = "done", "Đã thực hiện"
        CANCELLED = "cancelled", "Hủy"

    campaign = models.ForeignKey(
        Campaign,
        verbose_name="chiến dịch",
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField("loại hoạt động", max_length=20, choices=Kind.choices)
    title = models.CharField("nội dung", max_length=300)
    date = models.DateField("ngày")
    place = models.CharField("địa điểm", max_length=200, blank=True)
    responsible = models.CharField("người / bộ phận phụ trách", max_length=200, blank=True)
    group = models.ForeignKey(
        ResidentialGroup,
        verbose_name="tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_activities",
        help_text="Khi hoạt động diễn ra ở một tổ dân phố (rà soát, kiểm tra...).",
    )
    status = models.CharField(
        "tình trạng", max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    result = models.TextField("kết quả", blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "hoạt động"
        verbose_name_plural = "hoạt động"
        ordering = ["campaign", "date", "pk"]
        indexes = [models.Index(fields=["campaign", "date", "id"])]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.title}"

    def overdue_on(self, today: datetime.date) -> bool:
        return self.status == self.Status.PLANNED and self.date < today

    @property
    def is_overdue(self) -> bool:
        """The date has passed and the activity is still only planned."""
        return self.overdue_on(timezone.localdate())
