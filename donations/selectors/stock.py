"""Reads of the in-kind stock: what is on hand per item at a date, an item's movements
with the running balance, the counts waiting for the standing committee. The stock is
ward-wide: every role that reads all reads it; the views check the role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.http import Http404

from donations.models import StockCount, StockItem, StockMovement
from donations.models.stock import format_quantity as q
from lddh.ward.access import Access

__all__ = [
    "MovementRow",
    "OnHand",
    "StockFlow",
    "stock_count_for_update",
    "stock_counts",
    "stock_flows",
    "stock_item_for",
    "stock_movements",
    "stock_on_hand",
]


@dataclass(frozen=True)
class OnHand:
    item: StockItem
    quantity: Decimal
    value: int
    received: Decimal
    handed_out: Decimal


def stock_on_hand(at: datetime.date | None = None) -> list[OnHand]:
    """Every item with its quantity and value at the end of ``at`` (or now), in one query."""
    dated = Q(movements__date__lte=at) if at is not None else Q()
    items = StockItem.objects.annotate(
        q=Sum("movements__quantity", filter=dated),
        v=Sum("movements__value", filter=dated),
        received=Sum(
            "movements__quantity",
            filter=dated
            & Q(movements__kind__in=[StockMovement.Kind.RECEIPT, StockMovement.Kind.VOID]),
        ),
        out=Sum("movements__quantity", filter=dated & Q(movements__kind=StockMovement.Kind.OUT)),
    ).order_by("name", "unit")
    return [
        OnHand(
            item=i,
            quantity=Decimal(i.q or 0),
            value=int(i.v or 0),
            received=Decimal(i.received or 0),
            handed_out=-Decimal(i.out or 0),
        )
        for i in items
    ]


def stock_item_for(access: Access, pk: int) -> StockItem:
    if not access.reads_all:
        raise Http404
    try:
        return StockItem.objects.get(pk=pk)
    except StockItem.DoesNotExist:
        raise Http404 from None


def stock_count_for_update(access: Access, pk: int) -> StockCount:
    if not access.reads_all:
        raise Http404
    try:
        return StockCount.objects.select_related("item").get(pk=pk)
    except StockCount.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class MovementRow:
    movement: StockMovement
    quantity: Decimal
    value: int


def stock_movements(item: StockItem) -> list[MovementRow]:
    """An item's movements in date order, each with the balance after it."""
    rows, quantity, value = [], Decimal(0), 0
    for movement in StockMovement.objects.filter(item=item).select_related("created_by"):
        quantity += movement.quantity
        value += movement.value
        rows.append(MovementRow(movement, quantity, value))
    return rows


def stock_counts(status: str | None = None):
    counts = StockCount.objects.select_related("item", "counted_by", "decided_by")
    if status:
        counts = counts.filter(status=status)
    return counts


@dataclass(frozen=True)
class StockFlow:
    """One item over a period: opening + received − handed out + count = closing."""

    item: StockItem
    opening: Decimal
    received: Decimal
    handed_out: Decimal
    counted: Decimal
    closing: Decimal
    closing_value: int

    @property
    def label(self) -> str:
        unit = self.item.unit
        text = (
            f"{self.item.name}: đầu kỳ {q(self.opening)} {unit}, nhận {q(self.received)}, "
            f"xuất {q(self.handed_out)}"
        )
        if self.counted:
            text += f", chênh lệch kiểm kê {q(self.counted)}"
        return f"{text}; cuối kỳ {q(self.closing)} {unit}"


def stock_flows(start: datetime.date, end: datetime.date) -> list[StockFlow]:
    """Every item that had stock or a movement in the period, in one query. Received is
    net of voids; the closing value is the ledger's value on hand at the end."""
    before = Q(movements__date__lt=start)
    within = Q(movements__date__gte=start, movements__date__lte=end)
    until = Q(movements__date__lte=end)
    kinds = StockMovement.Kind
    items = StockItem.objects.annotate(
        opening=Sum("movements__quantity", filter=before),
        received=Sum(
            "movements__quantity",
            filter=within & Q(movements__kind__in=[kinds.RECEIPT, kinds.VOID]),
        ),
        out=Sum("movements__quantity", filter=within & Q(movements__kind=kinds.OUT)),
        counted=Sum("movements__quantity", filter=within & Q(movements__kind=kinds.COUNT)),
        closing=Sum("movements__quantity", filter=until),
        closing_value=Sum("movements__value", filter=until),
        moved=Sum("movements__quantity", filter=within),
    ).order_by("name", "unit")
    flows = []
    for i in items:
        if not (i.opening or i.closing or i.received or i.out or i.counted):
            continue
        flows.append(
            StockFlow(
                item=i,
                opening=Decimal(i.opening or 0),
                received=Decimal(i.received or 0),
                handed_out=-Decimal(i.out or 0),
                counted=Decimal(i.counted or 0),
                closing=Decimal(i.closing or 0),
                closing_value=int(i.closing_value or 0),
            )
        )
    return flows
