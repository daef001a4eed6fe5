"""The in-kind stock ledger equals its documents, item by item: goods received for the
fund (valid donations' item lines) minus goods handed out (in-kind lines of paid
supports from the fund naming a stock item) plus approved count differences; the value
entered equals the valuations of the receipts it entered with (a void reverses at the
rule of donations.services.stock, so its value is checked by the next two rules); no
item's stock is below zero; and no item's value on hand is below zero, nor above zero
when none of it is left."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse

from donations.models import Donation, DonationItem, StockCount, StockItem, StockMovement, item_key
from donations.models.stock import format_quantity
from households.models import Support, SupportForm, SupportItem, SupportSource
from lddh.supervision.integrity.base import ERROR, Finding, Link
from lddh.ward.money import format_dong


def _item_link(item: StockItem) -> Link:
    return Link(f"{item.name} ({item.unit})", reverse("donations:stock_item", args=[item.pk]))


def _q(value) -> str:
    return format_quantity(value)


def check_stock() -> list[Finding]:
    items = {i.pk: i for i in StockItem.objects.all()}
    by_key = {i.key: i.pk for i in items.values()}
    received_q: dict[int, Decimal] = defaultdict(Decimal)
    received_v: dict[int, int] = defaultdict(int)
    findings: list[Finding] = []
    unmatched = 0
    lines = DonationItem.objects.filter(
        donation__channel=Donation.Channel.IN_KIND,
        donation__fund__isnull=False,
    ).values_list("description", "unit", "quantity", "valuation", "donation__status")
    for description, unit, quantity, valuation, status in lines.iterator(chunk_size=5000):
        pk = by_key.get(item_key(description, unit))
        if pk is None:
            unmatched += status == Donation.Status.VALID
            continue
        received_v[pk] += valuation
        if status == Donation.Status.VALID:
            received_q[pk] += quantity
    if unmatched:
        findings.append(
            Finding(
                "stock",
                ERROR,
                f"{unmatched} dòng hiện vật đã nhận không có trong sổ kho",
                "Mỗi dòng hiện vật ủng hộ Quỹ phải được nhập kho khi lập biên nhận.",
            )
        )
    out_q: dict[int, Decimal] = defaultdict(Decimal)
    handed = SupportItem.objects.filter(
        support__status=Support.Status.PAID,
        support__form=SupportForm.IN_KIND,
        support__source=SupportSource.FUND,
    ).values_list("description", "unit", "quantity", "support__paid_at")
    for description, unit, quantity, handed_on in handed.iterator(chunk_size=5000):
        pk = by_key.get(item_key(description, unit))
        # Goods handed out before the store ever knew that item came from elsewhere.
        if pk is not None and handed_on >= items[pk].created_at:
            out_q[pk] += Decimal(quantity)
    counted: dict[int, Decimal] = defaultdict(Decimal)
    for count in StockCount.objects.filter(status=StockCount.Status.APPROVED).values(
        "item_id", "counted", "book"
    ):
        counted[count["item_id"]] += count["counted"] - count["book"]
    ledger = {
        row["item_id"]: row
        for row in StockMovement.objects.values("item_id").annotate(
            q=Sum("quantity"), v=Sum("value")
        )
    }
    received_ledger = {
        row["item_id"]: row["v"] or 0
        for row in StockMovement.objects.filter(kind=StockMovement.Kind.RECEIPT)
        .values("item_id")
        .annotate(v=Sum("value"))
    }
    for pk, item in items.items():
        expected = received_q[pk] - out_q[pk] + counted[pk]
        row = ledger.get(pk) or {"q": Decimal(0), "v": 0}
        book = row["q"] or Decimal(0)
        if book != expected:
            findings.append(
                Finding(
                    "stock",
                    ERROR,
                    f"Sổ kho {item.name} không khớp chứng từ",
                    f"Sổ kho: {_q(book)} {item.unit}; theo chứng từ: nhận {_q(received_q[pk])}"
                    f" − xuất {_q(out_q[pk])} + chênh lệch kiểm kê {_q(counted[pk])}"
                    f" = {_q(expected)} {item.unit}.",
                    [_item_link(item)],
                )
            )
        if received_ledger.get(pk, 0) != received_v[pk]:
            findings.append(
                Finding(
                    "stock",
                    ERROR,
                    f"Trị giá nhập kho {item.name} không khớp biên nhận",
                    f"Sổ kho: {received_ledger.get(pk, 0):,} đồng; các biên nhận đã lập: "
                    f"{received_v[pk]:,} đồng.".replace(",", "."),
                    [_item_link(item)],
                )
            )
        value = row["v"] or 0
        if value < 0 or (book == 0 and value != 0):
            findings.append(
                Finding(
                    "stock",
                    ERROR,
                    f"Trị giá tồn kho {item.name} sai",
                    f"Sổ kho ghi tồn {_q(book)} {item.unit}, trị giá "
                    f"{format_dong(value)}: trị giá tồn không được âm và phải bằng 0 khi hết"
                    " hàng.",
                    [_item_link(item)],
                )
            )
        if book < 0:
            findings.append(
                Finding(
                    "stock",
                    ERROR,
                    f"Tồn kho {item.name} âm",
                    f"Sổ kho ghi {_q(book)} {item.unit}.",
                    [_item_link(item)],
                )
            )
    return findings
