"""Review meetings (họp bình xét) and public posting (niêm yết), docs/huong-dan/binh-xet.md.

Each residential group reviews its proposals in a meeting of the group's front-work
committee with the head of the group, the party cell, the mass organisations and
residents; they vote item by item; the list the meeting agreed is posted on the group's
notice board (and online, identifying no one) for objections; only then does the ward
decide. A support of a household on a posting is approved only once the posting window
has closed with no open objection, or with the committee's written reason
(households/services/meetings.py, ``posting_blocking``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from households.models.register import Household, Proposal, Review, ReviewRound
from lddh.ward.models import CheckedFile, ResidentialGroup

QUORUM_NUMERATOR = 2
QUORUM_DENOMINATOR = 3
"""A meeting is valid when at least two thirds of the people invited are present."""


def quorum_needed(invited: int) -> int:
    """The fewest people present for a valid meeting: ⌈2/3 × invited⌉."""
    return -(-invited * QUORUM_NUMERATOR // QUORUM_DENOMINATOR)


class ReviewMeeting(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", "Đang chuẩn bị"
        HELD = "held", "Đã họp, đã ghi biểu quyết"
        CLOSED = "closed", "Đã kết thúc"

    round = models.OneToOneField(
        ReviewRound,
        verbose_name="đợt rà soát",
        on_delete=models.PROTECT,
        related_name="meeting",
    )
    group = models.ForeignKey(
        ResidentialGroup, verbose_name="tổ dân phố", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("ngày họp")
    time = models.TimeField("giờ bắt đầu", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=200)
    chair = models.CharField("người chủ trì", max_length=100)
    secretary = models.CharField("thư ký", max_length=100)
    invited_count = models.PositiveSmallIntegerField("số người được mời")
    present_count = models.PositiveSmallIntegerField("số người có mặt", null=True, blank=True)
    content = models.TextField("nội dung cuộc họp", blank=True)
    conclusion = models.TextField("kết luận chung", blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.PREPARING
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chuẩn bị",
        on_delete=models.PROTECT,
        related_name="+",
    )
    prepared_at = models.DateTimeField("chuẩn bị lúc", default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi biểu quyết",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("ghi biểu quyết lúc", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người kết thúc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)

    class Meta:
        verbose_name = "cuộc họp bình xét"
        verbose_name_plural = "cuộc họp bình xét"
        ordering = ["-date", "group__number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(invited_count__gt=0),
                name="meeting_invited_positive",
                violation_error_message="Số người được mời phải lớn hơn 0.",
            )
        ]

    def __str__(self) -> str:
        return f"Họp bình xét {self.group.name} ngày {self.date:%d/%m/%Y}"

    @property
    def quorum(self) -> int:
        return quorum_needed(self.invited_count)

    @property
    def has_quorum(self) -> bool:
        return self.present_count is not None and self.present_count >= self.quorum

    @property
    def is_preparing(self) -> bool:
        return self.status == self.Status.PREPARING


class Attendee(models.Model):
    class Role(models.TextChoices):
        GROUP_HEAD = "group_head", "Tổ trưởng tổ dân phố"
        PARTY = "party", "Bí thư chi bộ"
        FRONT = "front", "Trưởng ban công tác Mặt trận"
        ORGANISATION = "organisation", "Chi hội đoàn thể (phụ nữ, cựu chiến binh, người cao tuổi…)"
        RESIDENT = "resident", "Người dân"
        OTHER = "other", "Khác"

    meeting = models.ForeignKey(
        ReviewMeeting, verbose_name="cuộc họp", on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField("họ tên", max_length=100)
    role = models.CharField("thành phần", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "thành phần dự họp"
        verbose_name_plural = "thành phần dự họp"
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class AgendaItem(models.Model):
    """One household's proposal put to the vote."""

    class Kind(models.TextChoices):
        NEW = "new", "Đề nghị đưa vào danh sách"
        CLASSIFY = "classify", "Đề nghị thay đổi phân loại"
        EXIT = "exit", "Đề nghị đưa ra khỏi danh sách"
        SUPPORT = "support", "Đề nghị hỗ trợ"
        KEEP = "keep", "Đề nghị giữ nguyên trong danh sách"

    class Conclusion(models.TextChoices):
        PENDING = "", "Chưa biểu quyết"
        AGREE = "agree", "Đồng ý đề nghị"
        DISAGREE = "disagree", "Không đồng ý"

    meeting = models.ForeignKey(
        ReviewMeeting, verbose_name="cuộc họp", on_delete=models.CASCADE, related_name="items"
    )
    household = models.ForeignKey(
        Household,
        verbose_name="hộ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name="đề xuất",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    review = models.ForeignKey(
        Review,
        verbose_name="kết quả rà soát",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    kind = models.CharField("loại đề nghị", max_length=10, choices=Kind.choices)
    subject = models.CharField("nội dung đề nghị", max_length=300)
    agree = models.PositiveSmallIntegerField("số đồng ý", null=True, blank=True)
    disagree = models.PositiveSmallIntegerField("số không đồng ý", null=True, blank=True)
    abstain = models.PositiveSmallIntegerField("số không biểu quyết", null=True, blank=True)
    conclusion = models.CharField(
        "kết luận", max_length=10, choices=Conclusion.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = "nội dung bình xét"
        verbose_name_plural = "nội dung bình xét"
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.subject

    def name(self) -> str:
        if self.household_id:
            return self.household.head_name
        if self.proposal_id:
            return self.proposal.payload.get("head_name", "")
        return ""


def scan_path(instance: MeetingScan, filename: str) -> str:
    return f"binh-xet/{instance.meeting_id}/{instance.token}.{instance.extension}"


class MeetingScan(CheckedFile):
    """The signed minutes, scanned (append-only, checked by content)."""

    meeting = models.ForeignKey(
        ReviewMeeting, verbose_name="cuộc họp", on_delete=models.PROTECT, related_name="scans"
    )
    file = models.FileField("tệp", upload_to=scan_path, max_length=200)

    class Meta:
        verbose_name = "bản quét biên bản họp bình xét"
        verbose_name_plural = "bản quét biên bản họp bình xét"
        ordering = ["meeting", "pk"]


class Posting(models.Model):
    """The list a meeting agreed, posted for objections from start_date to end_date
    (both days included)."""

    meeting = models.OneToOneField(
        ReviewMeeting, verbose_name="cuộc họp", on_delete=models.PROTECT, related_name="posting"
    )
    place = models.CharField("nơi niêm yết", max_length=200)
    start_date = models.DateField("niêm yết từ ngày")
    end_date = models.DateField("đến hết ngày")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người niêm yết",
        on_delete=models.PROTECT,
        related_name="+",
    )
    posted_at = models.DateTimeField("ghi lúc", default=timezone.now)

    class Meta:
        verbose_name = "niêm yết danh sách"
        verbose_name_plural = "niêm yết danh sách"
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="posting_end_after_start",
                violation_error_message="Ngày kết thúc niêm yết không được trước ngày bắt đầu.",
            )
        ]

    def __str__(self) -> str:
        return (
            f"Niêm yết danh sách {self.meeting.group.name} từ {self.start_date:%d/%m/%Y} "
            f"đến {self.end_date:%d/%m/%Y}"
        )

    def is_open_on(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date


class Objection(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Đang xử lý"
        CLOSED = "closed", "Đã xong"

    posting = models.ForeignKey(
        Posting, verbose_name="niêm yết", on_delete=models.PROTECT, related_name="objections"
    )
    sender = models.CharField("người kiến nghị", max_length=150)
    content = models.TextField("nội dung kiến nghị")
    received_date = models.DateField("ngày nhận")
    handling = models.TextField("cách xử lý", blank=True)
    answer = models.TextField("trả lời", blank=True)
    status = models.CharField(
        "tình trạng", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("ghi lúc", default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người kết thúc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "kiến nghị về danh sách niêm yết"
        verbose_name_plural = "kiến nghị về danh sách niêm yết"
        ordering = ["posting", "received_date", "pk"]

    def __str__(self) -> str:
        return f"Kiến nghị của {self.sender} ngày {self.received_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
