"""Publication snapshots: a period's public report, published once and never changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from lddh.ward.models import AppendOnlyModel


def report_path(instance: PublishedReport, filename: str) -> str:
    # The stored name is the fingerprint: nothing from the user reaches the file system.
    return f"cong-khai/{instance.sha256}.pdf"


class PublishedReport(AppendOnlyModel):
    """A public report of one period, published by the standing committee.

    Append-only: the file and its SHA-256 never change, so anyone holding a copy can
    tell whether a figure was altered later. A correction is a new publication."""

    title = models.CharField("tiêu đề", max_length=200)
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    file = models.FileField("tệp báo cáo", upload_to=report_path, max_length=200)
    size = models.PositiveIntegerField("dung lượng (byte)")
    sha256 = models.CharField("mã băm SHA-256", max_length=64, unique=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người công bố",
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("công bố lúc", auto_now_add=True)
    chain_heads = models.JSONField(
        "mã kiểm tra sổ quỹ",
        default=list,
        blank=True,
        editable=False,
        help_text="Chuỗi mã băm của từng quỹ lúc công bố: [{quỹ, đến bút toán số, mã băm}].",
    )

    class Meta:
        verbose_name = "báo cáo công khai"
        verbose_name_plural = "báo cáo công khai"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="published_report_period_order",
                violation_error_message="Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="published_report_sha256_format",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return f"cong-khai-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}.pdf"
