"""The in-kind stock ledger: goods in with the donation, out with a distribution round,
a count difference approved by the standing committee; refusals; append-only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from donations import services as donation_services
from donations.models import Account, Donation, StockCount, StockItem, StockMovement
from donations.services.common import DonationError, ItemLine
from donations.services.stock import on_hand
from households import services as household_services
from households.models import Support, SupportCategory, SupportForm, SupportSource
from lddh.supervision.integrity import check_stock
from lddh.ward.audit import AuditAction
from lddh.ward.models import AppendOnlyError, AuditEvent
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    DonorFactory,
    FundFactory,
    HouseholdFactory,
)

DAY = datetime.date(2024, 11, 20)
RECEIVED = datetime.date(2024, 10, 20)


class Store:
    def __init__(self, world):
        self.world = world
        self.fund = FundFactory()
        self.goods = AccountFactory(name="Hiện vật", kind=Account.Kind.GOODS)
        self.campaign = CampaignFactory()

    def receive(self, *lines, date=RECEIVED, purpose=Donation.Purpose.FUND):
        extra = (
            {"fund": self.fund, "account": self.goods}
            if purpose == Donation.Purpose.FUND
            else {"beneficiary": "Hộ bà Đào, tổ 2"}
        )
        return donation_services.donation_record(
            actor=self.world.users["staff"],
            donor=DonorFactory(),
            date=date,
            amount=None,
            channel=Donation.Channel.IN_KIND,
            purpose=purpose,
            campaign=self.campaign,
            items=[ItemLine(d, Decimal(q), u, v) for d, q, u, v in lines],
            **extra,
        )

    def round(self, households, *, quantity=10, item="Gạo tẻ", unit="kg", amount=200_000):
        users = self.world.users
        round = household_services.round_create(
            actor=users["staff"],
            name="Trao gạo Tết",
            campaign=self.campaign,
            category=SupportCategory.GIFT,
            form=SupportForm.IN_KIND,
            amount=amount,
            item=item,
            item_quantity=quantity,
            item_unit=unit,
            source=SupportSource.FUND,
            fund=self.fund,
            account=self.goods,
            households=households,
        )
        household_services.round_approve(
            actor=users["committee"],
            round=round,
            decision_number="15/QĐ-BVĐ",
            decision_date=DAY,
            decision_signer="Nguyễn Thị Thu Hà",
        )
        return round

    def hand_over(self, round, date=DAY):
        return household_services.round_pay(
            actor=self.world.users["treasurer"],
            round=round,
            handover_date=date,
            witness_name="Lê Văn Tổ Trưởng",
        )


@pytest.fixture
def store(world):
    return Store(world)


def _households(world, n):
    return [HouseholdFactory(group=world.groups[2]) for _ in range(n)]


def test_rice_after_receipts_a_round_and_a_count_equals_the_ledger(world, store):
    store.receive(("Gạo tẻ", "1000", "kg", 18_000_000), ("Mì tôm", "50", "thùng", 5_000_000))
    store.receive(("  gạo  TẺ ", "200", "KG", 3_000_000))  # the same item, typed otherwise
    rice = StockItem.objects.get(name="Gạo tẻ")
    assert StockItem.objects.count() == 2
    assert on_hand(rice) == (Decimal(1200), 21_000_000)

    store.hand_over(store.round(_households(world, 3), quantity=10))
    assert on_hand(rice) == (Decimal(1170), 21_000_000 - 525_000)  # 30 kg at 17.500 đ/kg

    count = donation_services.stock_count_record(
        actor=world.users["treasurer"], item=rice, date=DAY, counted="1165,5"
    )
    assert count.book == Decimal(1170)
    assert on_hand(rice)[0] == Decimal(1170)  # nothing yet: the committee approves
    donation_services.stock_count_approve(
        actor=world.users["committee"], count=count, reason="Hao hụt do chuột cắn bao"
    )
    count.refresh_from_db()
    assert count.status == StockCount.Status.APPROVED
    assert count.movement.quantity == Decimal("-4.5")
    assert on_hand(rice)[0] == Decimal("1165.5")
    quantity, value = on_hand(rice)
    assert sum(m.quantity for m in StockMovement.objects.filter(item=rice)) == quantity
    assert value == 21_000_000 - 525_000 - 78_750
    assert check_stock() == []
    assert AuditEvent.objects.filter(action=AuditAction.STOCK_COUNT_APPROVE).count() == 1
    # At a chosen date: before the receipts nothing was on hand.
    assert on_hand(rice, at=RECEIVED - datetime.timedelta(days=1)) == (Decimal(0), 0)


def test_a_direct_gift_in_kind_does_not_enter_the_store(world, store):
    store.receive(("Gạo tẻ", "100", "kg", 1_500_000), purpose=Donation.Purpose.DIRECT)
    assert not StockMovement.objects.exists()


def test_handing_out_more_than_on_hand_is_refused_naming_the_item(world, store):
    store.receive(("Gạo tẻ", "25", "kg", 500_000))
    round = store.round(_households(world, 3), quantity=10, amount=100_000)
    with pytest.raises(ValidationError) as refused:
        store.hand_over(round)
    assert "Trong kho chỉ còn 25 kg Gạo tẻ; không xuất được 30 kg." in str(refused.value)
    assert not Support.objects.filter(status=Support.Status.PAID).exists()
    assert StockMovement.objects.count() == 1


def test_an_item_handed_out_to_zero_is_refused_with_zero_left(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 200_000))
    store.hand_over(store.round(_households(world, 1), quantity=10, amount=100_000))
    assert on_hand(StockItem.objects.get()) == (Decimal(0), 0)
    round = store.round(_households(world, 1), quantity=1, amount=20_000)
    with pytest.raises(ValidationError, match="Trong kho chỉ còn 0 kg Gạo tẻ"):
        store.hand_over(round)


def test_goods_never_received_leave_the_store_alone(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 200_000))
    store.hand_over(
        store.round(
            _households(world, 2), item="Suất quà Tết", quantity=1, unit="suất", amount=50_000
        )
    )
    assert StockMovement.objects.count() == 1
    assert check_stock() == []


def test_a_void_reverses_the_goods_and_is_refused_once_they_left(world, store):
    kept = store.receive(("Gạo tẻ", "100", "kg", 2_000_000))
    gone = store.receive(("Gạo tẻ", "50", "kg", 1_000_000))
    users = world.users
    void = donation_services.void_request(
        actor=users["staff"], donation=kept, reason="Nhập nhầm người ủng hộ"
    )
    donation_services.void_approve(actor=users["committee"], void=void)
    rice = StockItem.objects.get()
    assert on_hand(rice) == (Decimal(50), 1_000_000)
    assert StockMovement.objects.filter(kind=StockMovement.Kind.VOID).count() == 1
    assert check_stock() == []

    # The void is dated the day it is approved: goods out come after it.
    store.hand_over(
        store.round(_households(world, 1), quantity=40, amount=100_000),
        date=timezone.localdate(),
    )
    void = donation_services.void_request(
        actor=users["staff"], donation=gone, reason="Nhập nhầm số lượng"
    )
    with pytest.raises(DonationError, match="trong kho chỉ còn 10 kg"):
        donation_services.void_approve(actor=users["committee"], void=void)
    gone.refresh_from_db()
    assert not gone.is_voided


def test_movements_are_append_only(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 200_000))
    movement = StockMovement.objects.get()
    movement.quantity = Decimal(1)
    with pytest.raises(AppendOnlyError):
        movement.save()
    with pytest.raises(AppendOnlyError):
        movement.delete()
    with pytest.raises(AppendOnlyError):
        StockMovement.objects.update(quantity=1)
    with pytest.raises(AppendOnlyError):
        StockMovement.objects.all().delete()


def test_count_rights_reason_and_a_changed_book(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 200_000))
    rice = StockItem.objects.get()
    users = world.users
    with pytest.raises(PermissionDenied):
        donation_services.stock_count_record(
            actor=users["leader2"], item=rice, date=DAY, counted="9"
        )
    with pytest.raises(DonationError, match="Số lượng đếm được phải là một số"):
        donation_services.stock_count_record(
            actor=users["treasurer"], item=rice, date=DAY, counted="chín"
        )
    count = donation_services.stock_count_record(
        actor=users["treasurer"], item=rice, date=DAY, counted="9"
    )
    with pytest.raises(PermissionDenied):
        donation_services.stock_count_approve(
            actor=users["treasurer"], count=count, reason="Hao hụt"
        )
    with pytest.raises(DonationError, match="lý do"):
        donation_services.stock_count_approve(actor=users["committee"], count=count, reason="")
    store.receive(("Gạo tẻ", "5", "kg", 100_000))
    with pytest.raises(DonationError, match="đã thay đổi sau khi kiểm kê"):
        donation_services.stock_count_approve(
            actor=users["committee"], count=count, reason="Hao hụt khi chia"
        )
    donation_services.stock_count_reject(
        actor=users["committee"], count=count, reason="Sổ đã thay đổi, kiểm kê lại"
    )
    assert on_hand(rice)[0] == Decimal(15)
    assert check_stock() == []


def test_the_check_finds_a_movement_without_its_document(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 200_000))
    rice = StockItem.objects.get()
    StockMovement.objects.create(
        item=rice,
        kind=StockMovement.Kind.OUT,
        date=DAY,
        quantity=Decimal(-3),
        value=-60_000,
        document_type="households.supportitem",
        document_id="0",
        description="Xuất không chứng từ",
        created_by=world.users["staff"],
    )
    findings = check_stock()
    assert [f.title for f in findings] == ["Sổ kho Gạo tẻ không khớp chứng từ"]
    assert "Sổ kho: 7 kg" in findings[0].detail


def test_goods_of_another_programme_leave_the_store_alone(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 200_000))
    users = world.users
    round = household_services.round_create(
        actor=users["staff"],
        name="Trao gạo của chương trình Ngân hàng Lương thực",
        campaign=store.campaign,
        category=SupportCategory.GIFT,
        form=SupportForm.IN_KIND,
        amount=200_000,
        item="Gạo tẻ",
        item_quantity=50,
        item_unit="kg",
        source=SupportSource.PROGRAMME,
        programme_name="Ngân hàng Lương thực",
        households=_households(world, 1),
    )
    household_services.round_approve(
        actor=users["committee"],
        round=round,
        decision_number="16/QĐ-BVĐ",
        decision_date=DAY,
        decision_signer="Nguyễn Thị Thu Hà",
    )
    store.hand_over(round)
    assert on_hand(StockItem.objects.get())[0] == Decimal(10)
    assert check_stock() == []
