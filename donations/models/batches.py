"""Batches of receipts printed by the task worker: a list too long to lay out while the
browser waits is queued, rendered in the background and downloaded when ready."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReceiptBatch(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Chờ in"
        RUNNING = "running", "Đang in"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người in",
        on_delete=models.PROTECT,
        related_name="+",
    )
    receipt_ids = models.JSONField("biên nhận", default=list)
    count = models.PositiveIntegerField("số biên nhận")
    first_number = models.CharField("từ số", max_length=40)
    last_number = models.CharField("đến số", max_length=40)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # The PDF itself: receipts name donors, so it is served only through the office's
    # download view, never from public media.
    pdf = models.BinaryField("tệp PDF", null=True, editable=False)
    error = models.TextField("lỗi", blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lượt in biên nhận hàng loạt"
        verbose_name_plural = "lượt in biên nhận hàng loạt"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.first_number} – {self.last_number} ({self.count})"

    @property
    def filename(self) -> str:
        if self.first_number == self.last_number:
            return f"bien-nhan-{self.first_number}.pdf"
        return f"bien-nhan-{self.first_number}-den-{self.last_number}.pdf"
