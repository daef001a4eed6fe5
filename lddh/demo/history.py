"""Demo history: the peak months of 2022 and 2023, so that a donor's history and yearly
statements show three years. Some of the 2024 demo's agencies, businesses and
individuals (not those who agreed to e-receipts in 2024: their earlier gifts would queue
messages) gave in those years too, in cash, through the real donation service (each
gift has its receipt of that year and its ledger entry).

The 2024 figures must not move: the fund's balance at 31/12/2023 (the 2024 opening
balance) stays 0 đ. Each earlier campaign's gifts are therefore spent within its own
year, from the same cash box they came into: one round of Tết gifts (quà Tết) in late
December, as many households × the same amount as the year's gifts add up to. Each
year nets to zero on the fund and on the account, the closing balance of 2023 is the
opening balance of 2024, and no 2024 figure changes.

The earlier campaigns are recorded while in draft (a closed campaign takes no gift, and
only one campaign, 2024's, may be active), then marked closed, as they were by 2024.

Idempotent: once the 2022 campaign exists nothing is added. Without the 2024 demo's
donors, its VNN fund and cash box, its households or its users, nothing is made."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from campaigns.models import Campaign
from donations import services as donation_services
from donations.models import Account, Donor, Fund
from households import services
from households.models import Household, SupportCategory, SupportForm, SupportSource
from lddh.demo.campaigns import CAMPAIGN
from lddh.ward.vocab import DonorSource

D = datetime.date
GIFT = 4_000_000  # đồng per household, the Tết gift of both years

# (donor name as in the 2024 demo, amount, day of the peak month)
GIFTS = {
    2022: [
        ("Công ty TNHH Thương mại Đại Hành Phát", 10_000_000, 18),
        ("Công ty CP Xây dựng Tăng Bạt Hổ", 15_000_000, 20),
        ("Công ty TNHH Dược phẩm Minh Tâm", 5_000_000, 25),
        ("Công ty CP Thực phẩm Hồng Hà Xanh", 10_000_000, 27),
        ("Công ty TNHH Điện máy Lê Đại Hành", 20_000_000, 31),
        ("Đảng ủy phường Lê Đại Hành", 3_000_000, 19),
        ("Ủy ban nhân dân phường Lê Đại Hành", 5_000_000, 19),
        ("Công an phường Lê Đại Hành", 2_000_000, 24),
        ("Bùi Thị Ngọc Anh", 5_000_000, 22),
        ("Lê Hoàng Nam", 3_000_000, 28),
        ("Vũ Đức Thắng", 2_000_000, 30),
    ],  # 80.000.000 đ: 20 households × 4.000.000 đ
    2023: [
        ("Công ty TNHH Thương mại Đại Hành Phát", 10_000_000, 17),
        ("Công ty CP Xây dựng Tăng Bạt Hổ", 20_000_000, 23),
        ("Công ty TNHH Dược phẩm Minh Tâm", 5_000_000, 26),
        ("Công ty CP Thực phẩm Hồng Hà Xanh", 10_000_000, 18),
        ("Công ty TNHH Điện máy Lê Đại Hành", 20_000_000, 30),
        ("Công ty CP Du lịch Hai Bà", 5_000_000, 21),
        ("Đảng ủy phường Lê Đại Hành", 3_000_000, 18),
        ("Ủy ban nhân dân phường Lê Đại Hành", 5_000_000, 18),
        ("Công an phường Lê Đại Hành", 2_000_000, 25),
        ("Trạm Y tế phường Lê Đại Hành", 2_000_000, 27),
        ("Bùi Thị Ngọc Anh", 5_000_000, 20),
        ("Lê Hoàng Nam", 5_000_000, 29),
        ("Vũ Đức Thắng", 3_000_000, 31),
        ("Hoàng Văn Phúc", 5_000_000, 24),
    ],  # 100.000.000 đ: 25 households × 4.000.000 đ
}
TARGETS = {2022: 100_000_000, 2023: 120_000_000}
PLANS = {2022: ("21/KH-MTTQ", D(2022, 9, 15)), 2023: ("23/KH-MTTQ", D(2023, 9, 18))}
ROUNDS = {
    2022: ("45/QĐ-BVĐ", D(2022, 12, 15), D(2022, 12, 28)),
    2023: ("48/QĐ-BVĐ", D(2023, 12, 18), D(2023, 12, 29)),
}


def _day(year: int, day: int) -> datetime.date:
    """Day ``day`` of the peak month counted from 17/10 (31 → 31/10, 1–18 → November)."""
    return D(year, 10, day) if day >= 17 else D(year, 11, day)


COPIED = ("name", "subtitle", "legal_basis", "signer_name", "signer_title", "signs_for",
          "recipients")  # fmt: skip
"""The 2024 plan's texts, with the year changed."""


def _campaign(year: int) -> Campaign:
    number, date = PLANS[year]
    values = {
        key: value.replace("2024", str(year)) if isinstance(value, str) else value
        for key, value in CAMPAIGN.items()
        if key in COPIED
    }
    return Campaign.objects.create(
        year=year,
        start_date=D(year, 10, 17),
        end_date=D(year, 11, 18),
        document_number=number,
        document_date=date,
        target=TARGETS[year],
        status=Campaign.Status.DRAFT,
        **values,
    )


def seed(*, stdout) -> None:
    if Campaign.objects.filter(year=2022).exists():
        stdout.write("Các năm trước: đã có chiến dịch 2022, không tạo thêm.")
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["canbo", "thuongtruc", "ketoan"])
    }
    fund = Fund.objects.filter(code="VNN").first()
    cash = Account.objects.filter(kind=Account.Kind.CASH, active=True).order_by("pk").first()
    names = {name for gifts in GIFTS.values() for name, _, _ in gifts}
    named = (DonorSource.AGENCY, DonorSource.BUSINESS, DonorSource.INDIVIDUAL)
    donors = {
        d.name: d for d in Donor.objects.filter(name__in=names, source__in=named).order_by("-pk")
    }
    households = list(Household.objects.active().order_by("group__number", "pk")[:25])
    if fund is None or cash is None or len(users) < 3 or set(donors) != names:
        stdout.write("Các năm trước: thiếu người ủng hộ, quỹ hoặc tài khoản demo, bỏ qua.")
        return
    if len(households) < 25:
        stdout.write("Các năm trước: chưa đủ hộ để trao quà Tết, bỏ qua.")
        return
    for year, gifts in GIFTS.items():
        campaign = _campaign(year)
        for name, amount, day in gifts:
            donation_services.donation_record(
                actor=users["canbo"],
                donor=donors[name],
                date=_day(year, day),
                amount=amount,
                channel="cash",
                fund=fund,
                account=cash,
                campaign=campaign,
            )
        total = sum(amount for _, amount, _ in gifts)
        assert total % GIFT == 0, f"{year}: {total} is not a whole number of gifts"
        number, decided, handed = ROUNDS[year]
        round = services.round_create(
            actor=users["canbo"],
            name=f"Trao quà Tết Nguyên đán {year + 1}",
            campaign=campaign,
            category=SupportCategory.GIFT,
            form=SupportForm.CASH,
            amount=GIFT,
            source=SupportSource.FUND,
            fund=fund,
            account=cash,
            households=households[: total // GIFT],
        )
        services.round_approve(
            actor=users["thuongtruc"],
            round=round,
            decision_number=number,
            decision_date=decided,
            decision_signer=CAMPAIGN["signer_name"],
        )
        services.round_pay(
            actor=users["ketoan"],
            round=round,
            handover_date=handed,
            witness_name="Đại diện các tổ dân phố",
        )
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
        stdout.write(
            f"Năm {year}: {len(gifts)} khoản ủng hộ, trao quà Tết cho {total // GIFT} hộ; "
            "chiến dịch đã kết thúc, số dư cuối năm không đổi."
        )
