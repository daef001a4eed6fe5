"""A yearly campaign ("tháng cao điểm") and its plan."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q

from lddh.ward.fields import MoneyField
from lddh.ward.models import MemberOrganisation, ResidentialGroup
from lddh.ward.vocab import DonorSource


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


class BoardMember(models.Model):
    """A member of the fund's mobilisation board (Ban vận động) with assigned sectors."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="board")
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
