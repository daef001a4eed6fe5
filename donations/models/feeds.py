"""Bank feeds: a provider (SePay, Casso) pushing each transaction of an official account.

A ``BankFeed`` is one provider's feed of one account, with the secret it authenticates
with and the committee's rules of what is recorded without a person. Every request the
receiver gets is a ``FeedDelivery``, kept with its raw body whatever became of it:
refused, a repeat, stored as a ``StatementLine``, matched or recorded.

The secrets are kept as typed (an HMAC needs the key itself), shown only by their last
characters once saved, and compared in constant time (``hmac.compare_digest``)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from donations.models.books import Account, Fund
from donations.models.statements import StatementLine


def new_feed_token() -> str:
    """The unguessable part of a feed's address (about 190 bits)."""
    return secrets.token_urlsafe(32)


def new_feed_secret() -> str:
    return secrets.token_urlsafe(32)


def masked(secret: str) -> str:
    """A secret as a page shows it once saved: only its last four characters."""
    return f"••••••••{secret[-4:]}" if secret else ""


class BankFeed(models.Model):
    """One provider's feed of one bank account, and what it may record by itself."""

    class Provider(models.TextChoices):
        SEPAY = "sepay", "SePay"
        CASSO = "casso", "Casso"

    class Auth(models.TextChoices):
        API_KEY = "api_key", "Khóa API (Authorization: Apikey …)"
        HMAC = "hmac", "Chữ ký HMAC"

    account = models.ForeignKey(
        Account, verbose_name="tài khoản", on_delete=models.PROTECT, related_name="feeds"
    )
    provider = models.CharField("dịch vụ", max_length=10, choices=Provider.choices)
    auth = models.CharField("cách xác thực", max_length=10, choices=Auth.choices, default=Auth.HMAC)
    token = models.CharField(
        "mã đường dẫn", max_length=64, unique=True, default=new_feed_token, editable=False
    )
    secret = models.CharField("khóa bí mật", max_length=200, default=new_feed_secret)
    previous_secret = models.CharField("khóa cũ", max_length=200, blank=True)
    previous_valid_until = models.DateTimeField("khóa cũ dùng được đến", null=True, blank=True)
    rotated_at = models.DateTimeField("đổi khóa lúc", null=True, blank=True)
    fund = models.ForeignKey(
        Fund,
        verbose_name="quỹ ghi nhận",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Quỹ của các khoản ghi tự động theo mã người ủng hộ.",
    )
    active = models.BooleanField("đang nhận", default=True)
    auto_receipts = models.BooleanField(
        "tự khớp theo số biên nhận",
        default=True,
        help_text="Nội dung ghi số biên nhận đã lập, cùng số tiền: khớp dòng với khoản đó.",
    )
    auto_rounds = models.BooleanField(
        "tự khớp theo mã đợt thu",
        default=True,
        help_text="Nội dung ghi mã đợt thu đã ghi sổ, cùng tổng tiền: khớp dòng với đợt thu.",
    )
    auto_donor_codes = models.BooleanField(
        "tự ghi theo mã người ủng hộ",
        default=True,
        help_text="Nội dung ghi mã riêng của một người ủng hộ, hoặc mã một cam kết ủng hộ (VNN "
        "P0007): lập khoản ủng hộ và biên nhận ngay (khoản nộp theo cam kết tính vào cam kết).",
    )
    auto_campaign_codes = models.BooleanField(
        "tự ghi theo mã chiến dịch",
        default=True,
        help_text="Nội dung ghi mã chiến dịch: lập khoản ủng hộ cho chiến dịch, tên người nộp "
        "lấy từ nội dung (không đọc được tên: “Nhà hảo tâm”).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "nguồn tiền tự động"
        verbose_name_plural = "nguồn tiền tự động"
        ordering = ["account", "provider"]
        constraints = [
            models.UniqueConstraint(fields=["account", "provider"], name="feed_once_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} – {self.account}"

    @property
    def secret_masked(self) -> str:
        return masked(self.secret)

    @property
    def previous_masked(self) -> str:
        return masked(self.previous_secret)

    def keys(self, now) -> list[str]:
        """The secrets a request may be signed with now: the current one, and the one
        before it until its grace period ends (a rotation loses no delivery)."""
        keys = [self.secret]
        if self.previous_secret and self.previous_valid_until and now < self.previous_valid_until:
            keys.append(self.previous_secret)
        return keys


class FeedDelivery(models.Model):
    """One request to a feed's address, kept whatever became of it."""

    class Status(models.TextChoices):
        REJECTED = "rejected", "Từ chối (không xác thực được)"
        RECEIVED = "received", "Đã nhận"
        VERIFIED = "verified", "Đã xác thực"
        DUPLICATE = "duplicate", "Gửi lại (đã có, không thêm gì)"
        STORED = "stored", "Đã lưu dòng sao kê"
        MATCHED = "matched", "Đã khớp tự động"
        RECORDED = "recorded", "Đã ghi khoản ủng hộ tự động"
        ERROR = "error", "Lỗi"

    feed = models.ForeignKey(
        BankFeed,
        verbose_name="nguồn tiền",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    provider = models.CharField("dịch vụ", max_length=10, choices=BankFeed.Provider.choices)
    received_at = models.DateTimeField("nhận lúc", auto_now_add=True)
    remote_address = models.CharField("địa chỉ gửi", max_length=45, blank=True)
    verified = models.BooleanField("đã xác thực", default=False)
    body = models.BinaryField("nội dung nhận được")
    headers = models.JSONField("tiêu đề liên quan", default=dict, blank=True)
    provider_id = models.CharField("mã giao dịch của dịch vụ", max_length=100, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    error = models.TextField("lỗi / ghi chú", blank=True)
    line = models.ForeignKey(
        StatementLine,
        verbose_name="dòng sao kê",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="lần gửi đầu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    processed_at = models.DateTimeField("xử lý lúc", null=True, blank=True)
    replays = models.PositiveIntegerField("số lần xử lý lại", default=0)

    class Meta:
        verbose_name = "lần nhận từ nguồn tiền"
        verbose_name_plural = "lần nhận từ nguồn tiền"
        ordering = ["-received_at", "-pk"]
        constraints = [
            # A provider's transaction is stored once per feed, however often it is sent.
            models.UniqueConstraint(
                fields=["feed", "provider_id"],
                condition=Q(verified=True, duplicate_of__isnull=True) & ~Q(provider_id=""),
                name="feed_delivery_once",
            ),
        ]
        indexes = [
            models.Index(fields=["feed", "-received_at", "-id"], name="feed_delivery_log_idx"),
            models.Index(
                fields=["feed", "status", "-received_at", "-id"], name="feed_delivery_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.provider_id or '—'} ({self.status})"

    @property
    def text(self) -> str:
        """The body as text, for the page that shows it."""
        return bytes(self.body).decode("utf-8", errors="replace")
