"""Demo in-kind stock, made through the real services: the rice, cooking oil and instant
noodles given in kind by the donations demo are in the store already (the donation
service wrote them); here a round hands 10 kg of rice to each of twelve households, and a
count finds 2,5 kg less than the book, a difference the standing committee approves with
its reason; a second round hands 2 cartons of noodles to each of twelve other households
before Tết in January 2025 (after the 2024 books, so no 2024 figure moves), with no count
difference.

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
NOODLES = ("Mì tôm", "thùng")
NOODLES_PER_HOUSEHOLD = 2
NOODLES_PRICE = 90_000  # đồng per carton, as the donor valued it


def seed(*, stdout) -> None:
    if StockCount.objects.exists() or StockMovement.objects.filter(kind="out").exists():
        stdout.write("Kho hiện vật: đã có dữ liệu, không tạo thêm.")
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["canbo", "thuongtruc", "ketoan"])
    }
    rice = StockItem.objects.filter(key=item_key(*RICE)).first()
    noodles = StockItem.objects.filter(key=item_key(*NOODLES)).first()
    campaign = Campaign.objects.filter(year=2024).order_by("start_date").first()
    fund = Fund.objects.filter(code="VNN").first()
    goods = Account.objects.filter(kind=Account.Kind.GOODS, active=True).first()
    missing = None in (rice, noodles, campaign, fund, goods)
    if missing or len(users) < 3:
        stdout.write("Kho hiện vật: thiếu gạo, mì đã nhận, quỹ hoặc tài khoản demo, bỏ qua.")
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
    later = list(
        Household.objects.active()
        .filter(~Exists(already_given))
        .order_by("group__number", "pk")[:12]
    )
    if later:
        round = services.round_create(
            actor=users["canbo"],
            name="Trao mì tôm dịp Tết Nguyên đán",
            campaign=campaign,
            category=SupportCategory.GIFT,
            form=SupportForm.IN_KIND,
            amount=NOODLES_PER_HOUSEHOLD * NOODLES_PRICE,
            item=noodles.name,
            item_quantity=NOODLES_PER_HOUSEHOLD,
            item_unit=noodles.unit,
            source=SupportSource.FUND,
            fund=fund,
            account=goods,
            households=later,
        )
        services.round_approve(
            actor=users["thuongtruc"],
            round=round,
            decision_number="02/QĐ-BVĐ",
            decision_date=D(2025, 1, 14),
            decision_signer="Trần Thanh Tuấn",
        )
        services.round_pay(
            actor=users["ketoan"],
            round=round,
            handover_date=D(2025, 1, 20),
            witness_name="Đại diện các tổ dân phố",
        )
    stdout.write(
        f"Kho hiện vật: trao {PER_HOUSEHOLD} kg gạo cho {len(chosen)} hộ, "
        "một lần kiểm kê có chênh lệch đã duyệt; "
        f"trao {NOODLES_PER_HOUSEHOLD} thùng mì tôm cho {len(later)} hộ."
    )
