"""Funds, the accounts money sits in, and the fund ledger over them."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from donations.models.constants import DIRECT_SERIES
from lddh.ward.fields import DEFAULT_REVIEW_ABOVE, MoneyField
from lddh.ward.models import AppendOnlyModel, OfficialAccount


class Fund(models.Model):
    """A fund with its own books (Thông tư 41/2022/TT-BTC): Vì người nghèo, Cứu trợ."""

    code = models.CharField(
        "mã quỹ",
        max_length=8,
        unique=True,
        help_text="Chữ in hoa không dấu, đứng đầu số biên nhận, ví dụ VNN → VNN-2024-000123.",
    )
    name = models.CharField("tên quỹ", max_length=200)
    short_name = models.CharField("tên ngắn", max_length=100, blank=True)
    active = models.BooleanField("đang nhận ủng hộ", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    review_above = MoneyField(
        "số tiền cần xem lại (đồng)",
        default=DEFAULT_REVIEW_ABOVE,
        help_text="Khoản ủng hộ hoặc hỗ trợ lớn hơn số này phải được xác nhận lần nữa khi nhập.",
    )

    class Meta:
        verbose_name = "quỹ"
        verbose_name_plural = "quỹ"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z0-9]{1,8}$") & ~Q(code=DIRECT_SERIES),
                name="fund_code_format",
                violation_error_message="Mã quỹ gồm 1–8 chữ in hoa hoặc chữ số, khác HTTT.",
            ),
            models.CheckConstraint(
                condition=Q(review_above__gte=0), name="fund_review_above_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """Where money sits: the cash box, a bank account, the Treasury account, goods in kind."""

    class Kind(models.TextChoices):
        CASH = "cash", "Quỹ tiền mặt"
        BANK = "bank", "Tài khoản ngân hàng"
        TREASURY = "treasury", "Tài khoản Kho bạc Nhà nước"
        GOODS = "goods", "Hiện vật (quy ra tiền)"

    name = models.CharField("tên", max_length=200)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    official_account = models.ForeignKey(
        OfficialAccount,
        verbose_name="tài khoản chính thức",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField("đang sử dụng", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=1)
    statement_layout = models.ForeignKey(
        "donations.BankLayout",
        verbose_name="mẫu sao kê của tài khoản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
        help_text="Mẫu dùng khi nhập sao kê của tài khoản này.",
    )

    class Meta:
        verbose_name = "tài khoản / két"
        verbose_name_plural = "tài khoản / két"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


GENESIS_HASH = "0" * 64
"""The "previous hash" of the first entry of every fund."""

CHAIN_FIELDS = (
    "fund_id",
    "sequence",
    "account_id",
    "kind",
    "amount",
    "date",
    "document_type",
    "document_id",
    "donation_id",
    "receipt_id",
    "reverses_id",
    "description",
    "created_by_id",
    "created_at",
)
"""The columns an entry's hash covers, in this order (see ledger_hash)."""


def _canonical(value) -> str:
    """One value, typed and unambiguous: strings carry their length, so no separator
    inside a description can make two different entries serialise the same."""
    if value is None:
        return "n"
    if isinstance(value, str):  # also a TextChoices member: its plain value
        text = str.__str__(value)
        return f"s{len(text)}:{text}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"i{int(value)}"
    if isinstance(value, datetime.datetime):
        # Always UTC with microseconds: the same instant reads back the same on any database.
        return "t" + value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, datetime.date):
        return "d" + value.isoformat()
    raise TypeError(f"{type(value).__name__} is not part of a ledger entry's hash")


def ledger_hash(previous: str, values) -> str:
    """sha256 of the previous entry's hash and this entry's CHAIN_FIELDS ``values`` (in
    that order), each written by _canonical. A pure function: the services, the data
    migration and the supervision check all compute it the same way."""
    payload = ",".join(map(_canonical, values))
    return hashlib.sha256(f"{previous}|{payload}".encode()).hexdigest()


class LedgerEntry(AppendOnlyModel):
    """One movement of money in a fund's books. Balances are sums over these rows.

    ``sequence`` is strictly increasing per fund, allocated under the fund's row lock, so
    entries of one fund have one order, and ``hash`` chains each entry to the one before
    it (tamper evidence: changing, removing or inserting a row breaks the chain from that
    row on, which the supervision check reports).
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Thu ủng hộ"
        VOID = "void", "Hủy biên nhận (bút toán đảo)"
        PAYMENT = "payment", "Chi hỗ trợ"
        TRANSFER_OUT = "transfer_out", "Chuyển đi"
        TRANSFER_IN = "transfer_in", "Chuyển đến"

    fund = models.ForeignKey(
        Fund, verbose_name="quỹ", on_delete=models.PROTECT, related_name="entries"
    )
    sequence = models.PositiveBigIntegerField("số thứ tự trong sổ quỹ")
    account = models.ForeignKey(
        Account, verbose_name="tài khoản", on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.BigIntegerField("số tiền (đồng)")
    kind = models.CharField("loại", max_length=15, choices=Kind.choices)
    date = models.DateField("ngày")
    donation = models.ForeignKey(
        "donations.Donation",
        verbose_name="khoản ủng hộ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    receipt = models.ForeignKey(
        "donations.Receipt",
        verbose_name="biên nhận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name="đảo bút toán",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    document_type = models.CharField("loại chứng từ", max_length=60)
    document_id = models.CharField("mã chứng từ", max_length=64)
    description = models.CharField("diễn giải", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set by the service before the hash is computed (auto_now_add would set it later).
    created_at = models.DateTimeField("ghi lúc", default=timezone.now, editable=False)
    hash = models.CharField(
        "mã băm chuỗi (SHA-256)",
        max_length=64,
        editable=False,
        help_text="sha256(mã băm bút toán trước + nội dung bút toán), nối theo số thứ tự.",
    )

    class Meta:
        verbose_name = "bút toán sổ quỹ"
        verbose_name_plural = "sổ quỹ"
        ordering = ["fund", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "sequence"], name="ledger_sequence_unique"),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["receipt", "transfer_in"], amount__gt=0)
                    | Q(kind__in=["void", "payment", "transfer_out"], amount__lt=0)
                ),
                name="ledger_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="receipt") | Q(donation__isnull=False, receipt__isnull=False),
                name="ledger_receipt_has_document",
            ),
            models.CheckConstraint(
                condition=~Q(kind="void") | Q(reverses__isnull=False),
                name="ledger_void_reverses",
            ),
            models.UniqueConstraint(
                fields=["receipt"], condition=Q(kind="receipt"), name="ledger_one_per_receipt"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "fund"], name="ledger_account_idx"),
            models.Index(fields=["document_type", "document_id"], name="ledger_document_idx"),
            models.Index(fields=["fund", "date"], name="ledger_fund_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} #{self.sequence} {self.get_kind_display()} {self.amount}"

    def chain_values(self) -> tuple:
        return tuple(getattr(self, name) for name in CHAIN_FIELDS)


class SignedChainHead(AppendOnlyModel):
    """A fund's chain head signed with LEDGER_SIGNING_KEY (which lives in the
    environment, never in the database): entries 1..sequence as they stood when signed.

    The chain alone is plain SHA-256: whoever can write the database can rewrite an
    entry and recompute every hash after it. They cannot sign the new head, and the
    signed heads (here, in the optional append-only file and on published reports) keep
    the old one, so the supervision check sees the rewrite. ``prefixes`` holds the first
    16 hex digits of the hash of each entry from ``first_sequence`` to ``sequence``
    (signed with the head), so the check names the first entry that differs."""

    fund = models.ForeignKey(
        Fund, verbose_name="quỹ", on_delete=models.PROTECT, related_name="signed_heads"
    )
    fund_code = models.CharField("mã quỹ", max_length=8)
    first_sequence = models.PositiveBigIntegerField("từ bút toán số")
    sequence = models.PositiveBigIntegerField("đến bút toán số")
    hash = models.CharField("mã băm bút toán cuối", max_length=64)
    day = models.DateField("ngày ký")
    signed_at = models.DateTimeField("ký lúc", default=timezone.now)
    prefixes = models.TextField("mã băm rút gọn của từng bút toán", blank=True, editable=False)
    signature = models.CharField("chữ ký HMAC-SHA256", max_length=64)

    class Meta:
        verbose_name = "mã kiểm tra sổ quỹ đã ký"
        verbose_name_plural = "mã kiểm tra sổ quỹ đã ký"
        ordering = ["fund", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "sequence"], name="signed_head_unique"),
            models.CheckConstraint(
                condition=Q(first_sequence__gte=1, sequence__gte=F("first_sequence")),
                name="signed_head_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund_code}-{self.sequence} ({self.day:%d/%m/%Y})"
