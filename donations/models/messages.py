"""Messages sent to donors (e-receipts by email, SMS or Zalo) and their delivery log.

A message is queued when a donation is recorded for a donor who agreed to be contacted,
and sent afterwards by the task worker; saving a donation never waits for it. Every try
is a row of ``MessageAttempt``, so the log says what happened each time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from donations.models.donations import Donation
from donations.models.donors import Donor


class Message(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"
        ZALO = "zalo", "Zalo"

    class Status(models.TextChoices):
        QUEUED = "queued", "Chờ gửi"
        SENDING = "sending", "Đang gửi"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Lỗi – sẽ gửi lại"
        GAVE_UP = "gave_up", "Đã thôi gửi"

    donation = models.ForeignKey(
        Donation,
        verbose_name="khoản ủng hộ",
        on_delete=models.PROTECT,
        related_name="outgoing_messages",
    )
    donor = models.ForeignKey(
        Donor, verbose_name="người ủng hộ", on_delete=models.PROTECT, related_name="messages"
    )
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    address = models.CharField("gửi tới", max_length=254)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("số lần thử", default=0)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    provider_id = models.CharField("mã tin của nhà cung cấp", max_length=100, blank=True)
    next_attempt_at = models.DateTimeField("gửi lại lúc", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người yêu cầu gửi lại",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    sent_at = models.DateTimeField("gửi được lúc", null=True, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "tin gửi người ủng hộ"
        verbose_name_plural = "tin gửi người ủng hộ"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="message_created_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="message_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        """Still to be sent (queued, or failed with tries left)."""
        return self.status in {self.Status.QUEUED, self.Status.FAILED}


class MessageAttempt(models.Model):
    """One try at sending a message: when, and what the mail server or gateway said."""

    message = models.ForeignKey(
        Message, verbose_name="tin", on_delete=models.CASCADE, related_name="log"
    )
    at = models.DateTimeField("lúc", auto_now_add=True)
    ok = models.BooleanField("gửi được", default=False)
    error = models.TextField("lỗi", blank=True)
    provider_id = models.CharField("mã tin của nhà cung cấp", max_length=100, blank=True)

    class Meta:
        verbose_name = "lần gửi tin"
        verbose_name_plural = "lần gửi tin"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {'OK' if self.ok else self.error[:80]}"
