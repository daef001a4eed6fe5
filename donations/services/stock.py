"""Writes of the in-kind stock ledger (donations.models.stock).

Goods received in kind for the fund enter the stock in the transaction that records the
donation; a void of that donation takes them out again; supports in kind from the fund
take out the lines that name a stock item when they are handed over (direct support and
other programmes' goods never pass through the store); a stock count's difference
enters once the standing committee approves it with a reason.

Lock order: after the fund (the callers lock the fund first), the stock items in
primary-key order, so that two writers never deadlock.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from donations.models import Donation, StockCount, StockItem, StockMovement, item_key
from donations.models.stock import format_quantity
from donations.services.common import DonationError
from lddh.ward.access import access_for
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.roles import Role

DONATION_ITEM = "donations.donationitem"
STOCK_COUNT = "donations.stockcount"


@dataclass(frozen=True)
class GoodsOut:
    """One line of goods handed out: what, how many, in which unit, and its document."""

    description: str
    quantity: Decimal
    unit: str
    document_type: str
    document_id: str


def on_hand(item: StockItem, at: datetime.date | None = None) -> tuple[Decimal, int]:
    """Quantity and value of an item on hand (at the end of ``at``, or now)."""
    movements = StockMovement.objects.filter(item=item)
    if at is not None:
        movements = movements.filter(date__lte=at)
    sums = movements.aggregate(q=Sum("quantity"), v=Sum("value"))
    return Decimal(sums["q"] or 0), int(sums["v"] or 0)


def average_value(quantity: Decimal, item_quantity: Decimal, item_value: int) -> int:
    """The value of ``quantity`` at the average value on hand, rounded to the đồng."""
    if item_quantity <= 0:
        return 0
    share = Decimal(item_value) * Decimal(quantity) / item_quantity
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _lock(items) -> dict[int, StockItem]:
    pks = sorted({item.pk for item in items})
    return {
        i.pk: i for i in StockItem.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    }


def _item_for(name: str, unit: str) -> StockItem:
    name = " ".join((name or "").split())
    unit = " ".join((unit or "").split())
    item, _ = StockItem.objects.get_or_create(
        key=item_key(name, unit), defaults={"name": name, "unit": unit}
    )
    return item


def _short(item: StockItem, asked: Decimal, available: Decimal) -> DonationError:
    return DonationError(
        f"Trong kho chỉ còn {format_quantity(available)} {item.unit} {item.name}; "
        f"không xuất được {format_quantity(asked)} {item.unit}.",
        code="stock",
    )


def stock_receive(*, actor, donation: Donation) -> list[StockMovement]:
    """Goods of a donation in kind to the fund enter the stock at their valuation (the
    caller, donation_record, is atomic). A direct gift to a household never passes
    through the store and writes nothing."""
    if donation.channel != Donation.Channel.IN_KIND or donation.fund_id is None:
        return []
    lines = list(donation.items.all())
    items = {line.pk: _item_for(line.description, line.unit) for line in lines}
    _lock(items.values())
    return StockMovement.objects.bulk_create(
        StockMovement(
            item=items[line.pk],
            kind=StockMovement.Kind.RECEIPT,
            date=donation.date,
            quantity=line.quantity,
            value=line.valuation,
            document_type=DONATION_ITEM,
            document_id=str(line.pk),
            description=f"Nhận hiện vật: {donation.donor.name}"[:300],
            created_by=actor,
        )
        for line in lines
    )


def stock_reverse(*, actor, donation: Donation, date: datetime.date) -> list[StockMovement]:
    """A void of a donation in kind takes its goods out again, at the value they entered
    with. Refused, naming the item and what is left, when they were already handed out."""
    received = list(
        StockMovement.objects.filter(
            kind=StockMovement.Kind.RECEIPT,
            document_type=DONATION_ITEM,
            document_id__in=[str(pk) for pk in donation.items.values_list("pk", flat=True)],
        ).select_related("item")
    )
    if not received:
        return []
    _lock(m.item for m in received)
    needed: dict[int, Decimal] = {}
    for movement in received:
        needed[movement.item_id] = needed.get(movement.item_id, 0) + movement.quantity
    for movement in received:
        quantity, _ = on_hand(movement.item)
        if needed[movement.item_id] > quantity:
            raise DonationError(
                f"Không hủy được: hiện vật {movement.item.name} của khoản này đã xuất một "
                f"phần, trong kho chỉ còn {format_quantity(quantity)} {movement.item.unit} "
                f"(khoản này nhập {format_quantity(needed[movement.item_id])} "
                f"{movement.item.unit}).",
                code="stock",
            )
    return StockMovement.objects.bulk_create(
        StockMovement(
            item_id=m.item_id,
            kind=StockMovement.Kind.VOID,
            date=date,
            quantity=-m.quantity,
            value=-m.value,
            document_type=m.document_type,
            document_id=m.document_id,
            description=f"Hủy nhập theo biên nhận hủy: {m.description}"[:300],
            created_by=actor,
        )
        for m in received
    )


def _enough(lines: Sequence[GoodsOut]):
    """Lock the stock items the lines name and refuse when any is short; returns the
    (line, item) pairs that leave the store and the items' balances."""
    keyed = [(line, item_key(line.description, line.unit)) for line in lines]
    known = {i.key: i for i in StockItem.objects.filter(key__in={k for _, k in keyed})}
    wanted = [(line, known[key]) for line, key in keyed if key in known]
    if not wanted:
        return [], {}
    _lock(item for _, item in wanted)
    asked: dict[int, Decimal] = {}
    for line, item in wanted:
        asked[item.pk] = asked.get(item.pk, Decimal(0)) + Decimal(line.quantity)
    balances = {item.pk: on_hand(item) for _, item in wanted}
    for _, item in wanted:
        if asked[item.pk] > balances[item.pk][0]:
            raise _short(item, asked[item.pk], balances[item.pk][0])
    return wanted, balances


def stock_check_out(*, lines: Sequence[GoodsOut]) -> None:
    """Refuse, before anything is written, goods out that the store cannot give: the
    whole of a distribution round at once, naming the item, what the round needs and
    what is on hand (the caller is atomic; the items stay locked)."""
    _enough(lines)


def stock_take_out(
    *, actor, lines: Sequence[GoodsOut], date: datetime.date, description: str
) -> list[StockMovement]:
    """Goods handed out (the caller is atomic): each line naming a stock item (same
    normalised name and unit) leaves the stock at the average value on hand. A line
    naming goods the store never received was bought or given outside it and writes
    nothing; a line asking more than is on hand is refused, naming the item and what is
    left."""
    wanted, balances = _enough(lines)
    if not wanted:
        return []
    movements = []
    for line, item in wanted:
        quantity, value = balances[item.pk]
        taken = average_value(Decimal(line.quantity), quantity, value)
        balances[item.pk] = (quantity - Decimal(line.quantity), value - taken)
        movements.append(
            StockMovement(
                item=item,
                kind=StockMovement.Kind.OUT,
                date=date,
                quantity=-Decimal(line.quantity),
                value=-taken,
                document_type=line.document_type,
                document_id=line.document_id,
                description=description[:300],
                created_by=actor,
            )
        )
    return StockMovement.objects.bulk_create(movements)


def _parse_count(counted) -> Decimal:
    try:
        value = Decimal(str(counted).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DonationError(
            {"counted": ["Số đếm được phải là một số, ví dụ 950 hoặc 12,5."]}
        ) from None
    if not value.is_finite() or value < 0:
        raise DonationError({"counted": ["Số đếm được không được âm."]})
    if value != value.quantize(Decimal("0.01")):
        raise DonationError({"counted": ["Số đếm được ghi tối đa hai chữ số thập phân."]})
    return value


@transaction.atomic
def stock_count_record(
    *, actor, item: StockItem, date: datetime.date, counted, note: str = ""
) -> StockCount:
    """Record a stock count: what was counted and what the book said at that moment.
    Ward staff, the treasurer or the standing committee; nothing enters the stock yet."""
    access = access_for(actor)
    if not (access.is_office or access.has(Role.TREASURER)):
        raise PermissionDenied("Chỉ cán bộ, kế toán hoặc Ban Thường trực ghi kiểm kê kho.")
    counted = _parse_count(counted)
    if not isinstance(date, datetime.date) or date > timezone.localdate():
        raise DonationError({"date": ["Ngày kiểm kê không được sau hôm nay."]})
    item = _lock([item])[item.pk]
    book, _ = on_hand(item)
    count = StockCount.objects.create(
        item=item,
        date=date,
        counted=counted,
        book=book,
        note=" ".join((note or "").split())[:300],
        counted_by=actor,
    )
    log_event(
        actor=actor,
        action=AuditAction.STOCK_COUNT_RECORD,
        obj=count,
        after={"item": item.pk, "date": date, "counted": counted, "book": book},
        note=count.note,
    )
    return count


def _pending(actor, count: StockCount, reason: str) -> tuple[StockCount, str]:
    if not access_for(actor).is_committee:
        raise PermissionDenied("Chỉ Ban Thường trực duyệt kiểm kê kho.")
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise DonationError({"reason": ["Ghi lý do (ít nhất 5 ký tự)."]})
    count = StockCount.objects.select_for_update().get(pk=count.pk)
    if count.status != StockCount.Status.PENDING:
        raise DonationError(f"Kiểm kê này đã {count.get_status_display().lower()}.")
    return count, reason[:300]


@transaction.atomic
def stock_count_approve(*, actor, count: StockCount, reason: str) -> StockCount:
    """The standing committee approves a count: its difference (counted − book) becomes
    a movement at the average value on hand. Refused when the book changed since the
    count (count again)."""
    count, reason = _pending(actor, count, reason)
    item = _lock([count.item])[count.item_id]
    quantity, value = on_hand(item)
    if quantity != count.book:
        raise DonationError(
            f"Sổ kho {item.name} đã thay đổi sau khi kiểm kê (lúc kiểm kê "
            f"{format_quantity(count.book)} {item.unit}, nay {format_quantity(quantity)} "
            f"{item.unit}). Hãy từ chối và kiểm kê lại."
        )
    difference = count.counted - count.book
    if difference:
        count.movement = StockMovement.objects.create(
            item=item,
            kind=StockMovement.Kind.COUNT,
            date=count.date,
            quantity=difference,
            value=average_value(difference, quantity, value),
            document_type=STOCK_COUNT,
            document_id=str(count.pk),
            description=f"Chênh lệch kiểm kê ngày {count.date:%d/%m/%Y}: {reason}"[:300],
            created_by=actor,
        )
    count.status = StockCount.Status.APPROVED
    count.decided_by = actor
    count.decided_at = timezone.now()
    count.reason = reason
    count.save()
    log_event(
        actor=actor,
        action=AuditAction.STOCK_COUNT_APPROVE,
        obj=count,
        before={"status": StockCount.Status.PENDING},
        after={
            "status": count.status,
            "difference": difference,
            "movement": count.movement_id,
        },
        note=reason,
    )
    return count


@transaction.atomic
def stock_count_reject(*, actor, count: StockCount, reason: str) -> StockCount:
    """The standing committee rejects a count; the stock does not change."""
    count, reason = _pending(actor, count, reason)
    count.status = StockCount.Status.REJECTED
    count.decided_by = actor
    count.decided_at = timezone.now()
    count.reason = reason
    count.save()
    log_event(
        actor=actor,
        action=AuditAction.STOCK_COUNT_REJECT,
        obj=count,
        before={"status": StockCount.Status.PENDING},
        after={"status": count.status},
        note=reason,
    )
    return count
