"""Writes of the in-kind stock ledger (donations.models.stock).

Goods received in kind for the fund enter the stock in the transaction that records the
donation; a void of that donation takes them out again; supports in kind from the fund
take out the lines that name a stock item when they are handed over (direct support and
other programmes' goods never pass through the store); a stock count's difference
enters once the standing committee approves it with a reason (never by the person who
recorded it).

A void reverses the goods at their original valuation, except when that would leave the
item with zero quantity and some value (then it reverses exactly the value on hand) or
with a negative value (then it reverses at the moving average, rounded like goods out).

Dates: the book is read at a movement's date, so a count or goods out dated before the
item's latest movement is refused (the book figure of that day would not be the one the
later movements were written against).

Lock order, everywhere: the fund(s) first (in primary-key order), then the stock items
in primary-key order, so that two writers never deadlock. Every caller that touches a
fund locks it before calling in here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
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


def latest_movement_date(item: StockItem) -> datetime.date | None:
    """The date of the item's latest movement (None when it has none)."""
    return StockMovement.objects.filter(item=item).aggregate(d=Max("date"))["d"]


def _not_before_latest(
    item: StockItem, date: datetime.date, what: str, field: str = "date"
) -> None:
    latest = latest_movement_date(item)
    if latest is not None and date < latest:
        raise DonationError(
            {
                field: [
                    f"{what} {item.name} phải ghi ngày từ {latest:%d/%m/%Y} trở đi: "
                    "kho đã có nhập/xuất ngày đó."
                ]
            }
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
    with, unless that would leave the item with no goods but some value (then exactly the
    value on hand) or with a negative value (then at the average value on hand). Refused,
    naming the item and what is left, when they were already handed out."""
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
    balances = {m.item_id: on_hand(m.item) for m in received}
    movements = []
    for m in received:
        quantity, value = balances[m.item_id]
        taken = _reversed_value(m.quantity, m.value, quantity, value)
        balances[m.item_id] = (quantity - m.quantity, value - taken)
        movements.append(
            StockMovement(
                item_id=m.item_id,
                kind=StockMovement.Kind.VOID,
                date=date,
                quantity=-m.quantity,
                value=-taken,
                document_type=m.document_type,
                document_id=m.document_id,
                description=f"Hủy nhập theo biên nhận hủy: {m.description}"[:300],
                created_by=actor,
            )
        )
    return StockMovement.objects.bulk_create(movements)


def _reversed_value(quantity: Decimal, valuation: int, on_q: Decimal, on_v: int) -> int:
    """The value a void takes out with ``quantity`` goods that entered at ``valuation``,
    the item having ``on_q`` / ``on_v`` on hand (see the module docstring)."""
    if on_q - quantity == 0:
        taken = on_v  # nothing left: no value may stay behind
    elif on_v - valuation < 0:
        taken = average_value(quantity, on_q, on_v)
    else:
        taken = valuation
    return max(taken, 0)  # a void never adds value (the movement's sign rule)


def _enough(lines: Sequence[GoodsOut], date: datetime.date | None = None):
    """Lock the stock items the lines name and refuse when any is short or, given the
    date of the goods out, when an item has a movement after it; returns the (line,
    item) pairs that leave the store and the items' balances."""
    keyed = [(line, item_key(line.description, line.unit)) for line in lines]
    known = {i.key: i for i in StockItem.objects.filter(key__in={k for _, k in keyed})}
    wanted = [(line, known[key]) for line, key in keyed if key in known]
    if not wanted:
        return [], {}
    _lock(item for _, item in wanted)
    if isinstance(date, datetime.date):  # an unreadable date is refused by the caller
        for item in {item.pk: item for _, item in wanted}.values():
            _not_before_latest(item, date, "Xuất kho", "handover_date")
    asked: dict[int, Decimal] = {}
    for line, item in wanted:
        asked[item.pk] = asked.get(item.pk, Decimal(0)) + Decimal(line.quantity)
    balances = {item.pk: on_hand(item) for _, item in wanted}
    for _, item in wanted:
        if asked[item.pk] > balances[item.pk][0]:
            raise _short(item, asked[item.pk], balances[item.pk][0])
    return wanted, balances


def stock_check_out(*, lines: Sequence[GoodsOut], date: datetime.date | None = None) -> None:
    """Refuse, before anything is written, goods out that the store cannot give: the
    whole of a distribution round at once, naming the item, what the round needs and
    what is on hand, or a handover ``date`` before the item's latest movement (the
    caller is atomic and locked the fund(s) first; the items stay locked)."""
    _enough(lines, date)


def stock_take_out(
    *, actor, lines: Sequence[GoodsOut], date: datetime.date, description: str
) -> list[StockMovement]:
    """Goods handed out (the caller is atomic): each line naming a stock item (same
    normalised name and unit) leaves the stock at the average value on hand. A line
    naming goods the store never received was bought or given outside it and writes
    nothing; a line asking more than is on hand is refused, naming the item and what is
    left; goods out dated before the item's latest movement are refused."""
    wanted, balances = _enough(lines, date)
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


COUNT_FIELD = "Số lượng đếm được"
_PLAIN = re.compile(r"\d+(,\d+)?")
_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?")


def _parse_count(counted) -> Decimal:
    """A count typed the Vietnamese way: “,” is the decimal separator and “.” groups
    thousands (“1.000” is one thousand, “1.250,5” is 1250.5). A “.” that does not group
    exactly three digits (“1.5”, “1.50”) is ambiguous and refused, never guessed."""
    text = str(counted if counted is not None else "").strip()
    if _PLAIN.fullmatch(text):
        value = Decimal(text.replace(",", "."))
    elif _GROUPED.fullmatch(text):
        value = Decimal(text.replace(".", "").replace(",", "."))
    elif text.lstrip().startswith("-") and re.fullmatch(r"-\s*[\d.,]+", text):
        raise DonationError({"counted": [f"{COUNT_FIELD} không được âm."]})
    elif re.fullmatch(r"\d+\.\d+", text):
        whole, part = text.split(".")
        raise DonationError(
            {
                "counted": [
                    f"{COUNT_FIELD} “{text}” không rõ: dấu chấm chỉ dùng tách hàng nghìn "
                    f"(ví dụ 1.000). Số lẻ ghi bằng dấu phẩy: “{whole},{part}”."
                ]
            }
        )
    elif "." in text and re.fullmatch(r"[\d.,]+", text):
        raise DonationError(
            {
                "counted": [
                    f"{COUNT_FIELD} “{text}” không rõ: dấu chấm chỉ dùng tách hàng nghìn "
                    "theo nhóm ba chữ số (ví dụ 1.000), số lẻ ghi bằng dấu phẩy (ví dụ 12,5)."
                ]
            }
        )
    else:
        raise DonationError({"counted": [f"{COUNT_FIELD} phải là một số, ví dụ 950 hoặc 12,5."]})
    if value != value.quantize(Decimal("0.01")):
        raise DonationError({"counted": [f"{COUNT_FIELD} ghi tối đa hai chữ số thập phân."]})
    try:
        StockCount._meta.get_field("counted").clean(value, None)
    except ValidationError:
        raise DonationError({"counted": [f"{COUNT_FIELD} quá lớn."]}) from None
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
    _not_before_latest(item, date, "Kiểm kê")
    book, _ = on_hand(item, at=date)
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
        after={"item": item.pk, "date": date, "counted": _plain(counted), "book": _plain(book)},
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
    if actor.pk == count.counted_by_id:
        raise DonationError("Người ghi kiểm kê không được tự duyệt.", code="same_person")
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
            "difference": _plain(difference),
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


def _plain(quantity):
    """A quantity as the audit log keeps it, the same on every database: 100, 97.5."""
    return None if quantity is None else format(Decimal(quantity).normalize(), "f")
