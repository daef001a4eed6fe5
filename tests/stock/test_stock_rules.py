"""Rules of the in-kind stock ledger: no self-approval of a count, a void never leaves a
negative value or value without goods, no count or goods out dated before the item's
latest movement, Vietnamese numbers in a count, the lock order funds → stock items,
and the minus sign of small quantities."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from donations import services as donation_services
from donations.models import StockCount, StockItem, StockMovement
from donations.models.stock import format_quantity
from donations.services.common import DonationError
from donations.services.stock import _parse_count, on_hand
from households.models import Support
from lddh.supervision.integrity import check_stock
from tests.stock.test_stock_services import DAY, Store, _households


@pytest.fixture
def store(world):
    return Store(world)


def _void(world, donation):
    users = world.users
    void = donation_services.void_request(
        actor=users["staff"], donation=donation, reason="Nhập nhầm biên nhận"
    )
    donation_services.void_approve(actor=users["committee"], void=void)


# Self-approval


def test_the_committee_member_who_counted_cannot_approve_the_count(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 200_000))
    rice = StockItem.objects.get()
    committee = world.users["committee"]
    count = donation_services.stock_count_record(actor=committee, item=rice, date=DAY, counted="9")
    with pytest.raises(DonationError, match="Người ghi kiểm kê không được tự duyệt."):
        donation_services.stock_count_approve(
            actor=committee, count=count, reason="Hao hụt do chuột"
        )
    count.refresh_from_db()
    assert count.status == StockCount.Status.PENDING
    assert on_hand(rice)[0] == Decimal(10)


# Void reversal


def test_a_void_leaving_no_goods_takes_out_exactly_the_value_on_hand(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 100_000))
    dear = store.receive(("Gạo tẻ", "10", "kg", 300_000))
    store.hand_over(store.round(_households(world, 1), quantity=10, amount=50_000))
    rice = StockItem.objects.get()
    assert on_hand(rice) == (Decimal(10), 200_000)  # 10 kg out at 20.000 đ/kg
    _void(world, dear)  # at its valuation it would leave 0 kg worth −100.000 đ
    assert on_hand(rice) == (Decimal(0), 0)
    assert StockMovement.objects.get(kind=StockMovement.Kind.VOID).value == -200_000
    assert check_stock() == []


def test_a_void_that_would_leave_a_negative_value_takes_out_at_the_average(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 100_000))
    dear = store.receive(("Gạo tẻ", "10", "kg", 500_000))
    store.hand_over(store.round(_households(world, 1), quantity=5, amount=50_000))
    rice = StockItem.objects.get()
    assert on_hand(rice) == (Decimal(15), 450_000)
    _void(world, dear)  # at its valuation: 5 kg worth −50.000 đ
    assert on_hand(rice) == (Decimal(5), 150_000)  # 450.000 × 10 ÷ 15 taken out
    assert check_stock() == []


def test_a_void_that_leaves_goods_and_value_keeps_the_original_valuation(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 300_000))
    cheap = store.receive(("Gạo tẻ", "10", "kg", 100_000))
    store.hand_over(store.round(_households(world, 1), quantity=5, amount=50_000))
    _void(world, cheap)
    assert on_hand(StockItem.objects.get()) == (Decimal(5), 400_000 - 100_000 - 100_000)


def test_the_check_finds_a_negative_value_and_value_without_goods(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 200_000), ("Mì tôm", "5", "thùng", 500_000))
    rice = StockItem.objects.get(name="Gạo tẻ")
    noodles = StockItem.objects.get(name="Mì tôm")
    for item, quantity, value in ((rice, 1, -300_000), (noodles, -5, 0)):
        StockMovement.objects.create(
            item=item,
            kind=StockMovement.Kind.COUNT,
            date=DAY,
            quantity=Decimal(quantity),
            value=value,
            document_type="donations.stockcount",
            document_id="0",
            description="Chênh lệch không chứng từ",
            created_by=world.users["staff"],
        )
    titles = {f.title: f.detail for f in check_stock()}
    assert "Trị giá tồn kho Gạo tẻ sai" in titles
    assert "trị giá -100.000\xa0đ" in titles["Trị giá tồn kho Gạo tẻ sai"]
    assert "Trị giá tồn kho Mì tôm sai" in titles
    assert "tồn 0 thùng, trị giá 500.000\xa0đ" in titles["Trị giá tồn kho Mì tôm sai"]


# Dates


def test_a_count_dated_before_the_latest_movement_is_refused(world, store):
    store.receive(("Gạo tẻ", "100", "kg", 2_000_000))
    store.hand_over(store.round(_households(world, 1), quantity=10, amount=50_000))
    rice = StockItem.objects.get()
    with pytest.raises(DonationError) as refused:
        donation_services.stock_count_record(
            actor=world.users["treasurer"],
            item=rice,
            date=DAY - datetime.timedelta(days=1),
            counted="100",
        )
    assert refused.value.message_dict["date"] == [
        "Kiểm kê Gạo tẻ phải ghi ngày từ 20/11/2024 trở đi: kho đã có nhập/xuất ngày đó."
    ]
    assert not StockCount.objects.exists()
    count = donation_services.stock_count_record(
        actor=world.users["treasurer"], item=rice, date=DAY, counted="90"
    )
    assert count.book == Decimal(90)  # the book at the end of the count's day


def test_goods_out_dated_before_the_latest_movement_are_refused(world, store):
    store.receive(("Gạo tẻ", "100", "kg", 2_000_000))
    rice = StockItem.objects.get()
    later = DAY + datetime.timedelta(days=3)
    count = donation_services.stock_count_record(
        actor=world.users["treasurer"], item=rice, date=later, counted="98"
    )
    donation_services.stock_count_approve(
        actor=world.users["committee"], count=count, reason="Hao hụt do bao rách"
    )
    round = store.round(_households(world, 2), quantity=10, amount=50_000)
    with pytest.raises(DonationError, match=r"Xuất kho Gạo tẻ phải ghi ngày từ 23/11/2024"):
        store.hand_over(round)  # handed over on 20/11, the count of 23/11 is in the book
    assert StockMovement.objects.count() == 2
    assert not Support.objects.filter(round=round, status=Support.Status.PAID).exists()
    store.hand_over(round, date=later)
    assert on_hand(rice)[0] == Decimal(78)


# Vietnamese numbers


@pytest.mark.parametrize(
    "typed, value",
    [
        ("1.000", Decimal(1000)),
        ("950", Decimal(950)),
        ("12,5", Decimal("12.5")),
        ("1.250,75", Decimal("1250.75")),
        ("12.345.678", Decimal(12345678)),
        (" 0 ", Decimal(0)),
    ],
)
def test_a_count_is_read_the_vietnamese_way(typed, value):
    assert _parse_count(typed) == value


@pytest.mark.parametrize(
    "typed, said",
    [
        ("1.5", "Số lượng đếm được “1.5” không rõ: dấu chấm chỉ dùng tách hàng nghìn"),
        ("1.50", "Số lẻ ghi bằng dấu phẩy: “1,50”"),
        ("1.0000", "không rõ"),
        ("1.000.5", "theo nhóm ba chữ số"),
        ("1,000.5", "theo nhóm ba chữ số"),
        ("-3", "Số lượng đếm được không được âm."),
        ("chín", "Số lượng đếm được phải là một số"),
        ("1e3", "Số lượng đếm được phải là một số"),
        ("12,345", "tối đa hai chữ số thập phân"),
    ],
)
def test_an_ambiguous_or_wrong_count_is_refused_naming_the_field(typed, said):
    with pytest.raises(DonationError) as refused:
        _parse_count(typed)
    (message,) = refused.value.message_dict["counted"]
    assert said in message


def test_one_point_five_is_refused_asking_for_a_comma(world, store):
    store.receive(("Gạo tẻ", "10", "kg", 200_000))
    with pytest.raises(DonationError, match="Số lẻ ghi bằng dấu phẩy: “1,5”"):
        donation_services.stock_count_record(
            actor=world.users["treasurer"], item=StockItem.objects.get(), date=DAY, counted="1.5"
        )
    assert not StockCount.objects.exists()


# Formatting


@pytest.mark.parametrize(
    "quantity, text",
    [
        ("-0.5", "-0,5"),
        ("-0.25", "-0,25"),
        ("-1.5", "-1,5"),
        ("-1000", "-1.000"),
        ("0", "0"),
        ("1234.5", "1.234,5"),
        ("12.50", "12,5"),
    ],
)
def test_format_quantity_keeps_the_sign(quantity, text):
    assert format_quantity(Decimal(quantity)) == text


# Lock order


@pytest.mark.postgres
def test_a_round_locks_its_fund_before_the_stock_items(world, store):
    store.receive(("Gạo tẻ", "100", "kg", 2_000_000))
    round = store.round(_households(world, 2), quantity=10, amount=50_000)
    with CaptureQueriesContext(connection) as queries:
        store.hand_over(round)
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    fund = next(i for i, sql in enumerate(locks) if '"donations_fund"' in sql.split("WHERE")[0])
    stock = next(
        i for i, sql in enumerate(locks) if '"donations_stockitem"' in sql.split("WHERE")[0]
    )
    assert fund < stock
