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


def test_demo_stock_noodles_in_and_out_without_a_count(db):
    from donations.models import Donation
    from households.models import DistributionRound, Support

    call_command("seed_demo", stdout=io.StringIO())
    noodles = StockItem.objects.get(key=item_key("Mì tôm", "thùng"))
    assert on_hand(noodles) == (Decimal(1), 90_000)  # 25 − 12 × 2 thùng, 90.000 đ each
    kinds = set(StockMovement.objects.filter(item=noodles).values_list("kind", flat=True))
    assert kinds == {"in", "out"}
    assert not StockCount.objects.filter(item=noodles).exists()
    round = DistributionRound.objects.get(name="Trao mì tôm dịp Tết Nguyên đán")
    supports = Support.objects.filter(round=round)
    assert supports.count() == 12
    assert {s.status for s in supports} == {Support.Status.PAID}
    assert {s.handover_date.year for s in supports} == {2025}  # no 2024 figure moves
    # The noodles came with the rice and oil in one gift whose value did not change.
    gift = Donation.objects.get(donor__name="Công ty CP Thực phẩm Hồng Hà Xanh", channel="in_kind")
    assert gift.amount == 22_500_000
    assert check_stock() == []
