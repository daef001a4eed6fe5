"""Demo in-kind stock, made through the real services: the rice and cooking oil given in
kind by the donations demo are in the store already (the donation service wrote them);
here a round hands 10 kg of rice to each of twelve households, and a count finds 2,5 kg
less than the book, a difference the standing committee approves with its reason.

Idempotent: when any goods left the store or any count exists, nothing is added.
Without the rice, the VNN fund, its goods account or the demo users, nothing is made."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from campaigns.models import Campaign
from donations import services as donation_services
from donations.models import Account, Fund, StockCount, StockItem, StockMovement, item_key
from donations.models.stock import format_quantity
from donations.services.stock import on_hand
from households import services
from households.models import Household, Support, SupportCategory, SupportForm, SupportSource

D = datetime.date
RICE = ("Gạo tẻ", "kg")
PER_HOUSEHOLD = 10
PRICE = 18_000  # đồng per kg, as the donor valued it


def seed(*, stdout) -> None:
    if StockCount.objects.exists() or StockMovement.objects.filter(kind="out").exists():
        stdout.write("Kho hiện vật: đã có dữ liệu, không tạo thêm.")
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["canbo", "thuongtruc", "ketoan"])
    }
    rice = StockItem.objects.filter(key=item_key(*RICE)).first()
    campaign = Campaign.objects.filter(year=2024).order_by("start_date").first()
    fund = Fund.objects.filter(code="VNN").first()
    goods = Account.objects.filter(kind=Account.Kind.GOODS, active=True).first()
    if rice is None or campaign is None or fund is None or goods is None or len(users) < 3:
        stdout.write("Kho hiện vật: thiếu gạo đã nhận, quỹ hoặc tài khoản demo, bỏ qua.")
        return
    already_given = Support.objects.filter(
        household=OuterRef("pk"), campaign=campaign, category=SupportCategory.GIFT
    )
    chosen = list(
        Household.objects.active()
        .filter(~Exists(already_given))
        .order_by("group__number", "pk")[:12]
    )
    if not chosen:
        stdout.write("Kho hiện vật: không còn hộ để trao gạo, bỏ qua.")
        return
    round = services.round_create(
        actor=users["canbo"],
        name="Trao gạo cứu đói giáp Tết",
        campaign=campaign,
        category=SupportCategory.GIFT,
        form=SupportForm.IN_KIND,
        amount=PER_HOUSEHOLD * PRICE,
        item=rice.name,
        item_quantity=PER_HOUSEHOLD,
        item_unit=rice.unit,
        source=SupportSource.FUND,
        fund=fund,
        account=goods,
        households=chosen,
    )
    services.round_approve(
        actor=users["thuongtruc"],
        round=round,
        decision_number="27/QĐ-BVĐ",
        decision_date=D(2024, 12, 20),
        decision_signer="Trần Thanh Tuấn",
    )
    services.round_pay(
        actor=users["ketoan"],
        round=round,
        handover_date=D(2024, 12, 28),
        witness_name="Đại diện các tổ dân phố",
    )
    book, _ = on_hand(rice)
    count = donation_services.stock_count_record(
        actor=users["ketoan"],
        item=rice,
        date=D(2025, 1, 6),
        counted=format_quantity(book - Decimal("2.5")),  # typed the Vietnamese way
        note="Kiểm kê cuối năm tại kho Ủy ban MTTQ phường",
    )
    donation_services.stock_count_approve(
        actor=users["thuongtruc"],
        count=count,
        reason="Hao hụt do bao rách khi vận chuyển về kho",
    )
    stdout.write(
        f"Kho hiện vật: trao {PER_HOUSEHOLD} kg gạo cho {len(chosen)} hộ, "
        "một lần kiểm kê có chênh lệch đã duyệt."
    )
