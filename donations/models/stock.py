"""The in-kind stock: goods received in kind, handed out, and counted.

An item is a name and a unit ("Gạo tẻ" / "kg"); a donation line or a goods-out line
belongs to the item whose normalised name and unit equal its own (``item_key``).
Movements are append-only, like the fund ledger: a mistake is corrected by a new
movement (a void of the donation writes a reversing one), never by an edit.

Quantities are signed decimals in the item's unit (in > 0, out < 0). Values are signed
đồng: a receipt enters at the donation line's valuation; goods out and count
differences leave at the moving average value on hand (value on hand × quantity ÷
quantity on hand, rounded to the đồng), so taking out all that is left takes out all
its value.

A void of a donation reverses its goods at the value they entered with, unless that
would leave the item with no goods but some value (then it takes out exactly the value
on hand) or with a value below zero (then it takes them out at the moving average): the
value on hand is never negative and is zero when nothing is left.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from lddh.ward.models import AppendOnlyModel


def item_key(name: str, unit: str) -> str:
    """The matching key of free-text goods: Unicode NFC, whitespace collapsed, case
    folded, name and unit joined by “|”. “Gạo  tẻ”/“KG” and “gạo tẻ”/“kg” are one item."""

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()

    return f"{norm(name)}|{norm(unit)}"


def format_quantity(quantity: Decimal) -> str:
    """1000 → “1.000”, 12.5 → “12,5”, −0.5 → “-0,5” (Vietnamese digit grouping; the
    magnitude is formatted and the sign put in front, so no minus sign is lost)."""
    quantity = Decimal(quantity)
    magnitude = abs(quantity)
    whole = int(magnitude)
    text = f"{whole:,}".replace(",", ".")
    fraction = (magnitude - whole).normalize()
    if fraction:
        text += "," + f"{fraction:f}".split(".")[1]
    return "-" + text if quantity < 0 else text


class StockItem(models.Model):
    """One kind of goods in one unit. Made by the first receipt of it."""

    name = models.CharField("hiện vật", max_length=200)
    unit = models.CharField("đơn vị tính", max_length=30)
    key = models.CharField(max_length=240, unique=True, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "mặt hàng trong kho"
        verbose_name_plural = "mặt hàng trong kho"
        ordering = ["name", "unit"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class StockMovement(AppendOnlyModel):
    """One change of the stock of one item, written by the service that caused it."""

    class Kind(models.TextChoices):
        RECEIPT = "in", "Nhập (nhận hiện vật)"
        VOID = "void", "Hủy nhập (hủy biên nhận)"
        OUT = "out", "Xuất (trao hỗ trợ)"
        COUNT = "count", "Chênh lệch kiểm kê"

    item = models.ForeignKey(
        StockItem, verbose_name="hiện vật", on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    date = models.DateField("ngày")
    quantity = models.DecimalField("số lượng", max_digits=14, decimal_places=2)
    value = models.BigIntegerField("trị giá (đồng)")
    # What caused it: "donations.donationitem", "households.supportitem",
    # "donations.stockcount" and its primary key (plain values, like the fund ledger).
    document_type = models.CharField("loại chứng từ", max_length=40)
    document_id = models.CharField("số chứng từ", max_length=40)
    description = models.CharField("diễn giải", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("ghi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "nhập xuất kho"
        verbose_name_plural = "nhập xuất kho"
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["item", "date"], name="stock_item_date_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="stock_movement_nonzero"),
            models.CheckConstraint(
                condition=(Q(kind__in=["in"]) & Q(quantity__gt=0) & Q(value__gte=0))
                | (Q(kind__in=["void", "out"]) & Q(quantity__lt=0) & Q(value__lte=0))
                | Q(kind="count"),
                name="stock_movement_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity.normalize():f} {self.item}"


class StockCount(models.Model):
    """A stock count (kiểm kê) of one item: what was counted against what the book said.
    The difference enters the stock only when the standing committee approves it with a
    reason; a rejected count changes nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ duyệt"
        APPROVED = "approved", "Đã duyệt"
        REJECTED = "rejected", "Từ chối"

    item = models.ForeignKey(
        StockItem, verbose_name="hiện vật", on_delete=models.PROTECT, related_name="counts"
    )
    date = models.DateField("ngày kiểm kê")
    counted = models.DecimalField("số đếm được", max_digits=14, decimal_places=2)
    book = models.DecimalField("số trên sổ", max_digits=14, decimal_places=2)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người kiểm kê",
        on_delete=models.PROTECT,
        related_name="+",
    )
    counted_at = models.DateTimeField("ghi lúc", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người duyệt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    reason = models.CharField("lý do", max_length=300, blank=True)
    movement = models.OneToOneField(
        StockMovement,
        verbose_name="bút toán kho",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "kiểm kê kho"
        verbose_name_plural = "kiểm kê kho"
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(counted__gte=0), name="stock_count_nonnegative")
        ]

    def __str__(self) -> str:
        return f"Kiểm kê {self.item} ngày {self.date:%d/%m/%Y}"

    @property
    def difference(self):
        return self.counted - self.book
