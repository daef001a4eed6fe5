"""Funds, the accounts money sits in, and the fund ledger over them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from donations.models.constants import DIRECT_SERIES
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

    class Meta:
        verbose_name = "quỹ"
        verbose_name_plural = "quỹ"
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z0-9]{1,8}$") & ~Q(code=DIRECT_SERIES),
                name="fund_code_format",
                violation_error_message="Mã quỹ gồm 1–8 chữ in hoa hoặc chữ số, khác HTTT.",
            )
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

    class Meta:
        verbose_name = "tài khoản / két"
        verbose_name_plural = "tài khoản / két"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class LedgerEntry(AppendOnlyModel):
    """One movement of money in a fund's books. Balances are sums over these rows.

    ``sequence`` is strictly increasing per fund, allocated under the fund's row lock, so
    entries of one fund have one order (room for a hash chain over them).
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
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    receipt = models.ForeignKey(
        "donations.Receipt", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
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
    created_at = models.DateTimeField("ghi lúc", auto_now_add=True)

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
