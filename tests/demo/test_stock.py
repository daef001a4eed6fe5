import io
from decimal import Decimal

from django.core.management import call_command

from donations.models import StockCount, StockItem, StockMovement, item_key
from donations.services.stock import on_hand
from lddh.supervision.integrity import check_stock


def test_demo_stock_rice_in_out_and_one_approved_count(db):
    call_command("seed_demo", stdout=io.StringIO())
    rice = StockItem.objects.get(key=item_key("Gạo tẻ", "kg"))
    assert on_hand(rice) == (Decimal("877.5"), 15_795_000)  # 1000 − 12 × 10 − 2,5 kg
    kinds = set(StockMovement.objects.filter(item=rice).values_list("kind", flat=True))
    assert kinds == {"in", "out", "count"}
    count = StockCount.objects.get()
    assert count.status == StockCount.Status.APPROVED and count.movement.quantity == Decimal("-2.5")
    assert check_stock() == []
    movements = StockMovement.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert StockMovement.objects.count() == movements
