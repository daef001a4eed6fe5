"""Public-page fixtures: a fresh cache per test (the figures are cached, the receipt
check counts attempts in the cache), a temporary media folder for published files, and
a campaign with money in and out whose private details must never be published."""

from __future__ import annotations

import datetime

import pytest

from donations import services as donation_services
from donations.models import Account, Donation
from households import services as household_services
from households.models import SupportCategory, SupportForm, SupportSource
from lddh.ward.vocab import DonorSource
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    DonorFactory,
    FundFactory,
    HouseholdFactory,
    MemberFactory,
    record_donation,
)

DAY = datetime.date(2024, 10, 20)
PHONE = "0912345678"
CCCD = "001085012345"
DONOR_ADDRESS = "Số 17 ngõ Quỳnh Mai"
HOUSEHOLD_ADDRESS = "Số 99 phố Tô Hiến Thành"
HEALTH = "Ung thư gan giai đoạn cuối"
NOTE = "Chuyển khoản MBVCB.123456789.ung ho quy"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Ward:
    """A 2024 campaign: fund donations in cash and by bank, an anonymous donor, a voided
    receipt, a direct support, two paid supports (one household consented)."""

    def __init__(self, world):
        self.world = world
        self.staff = world.users["staff"]
        self.campaign = CampaignFactory(target=10_000_000)
        self.fund = FundFactory()
        self.cash = AccountFactory(name="Két tiền mặt", kind=Account.Kind.CASH)
        self.bank = AccountFactory(name="Tài khoản ngân hàng", kind=Account.Kind.BANK)
        # Money in the fund before the campaign: the opening balance.
        self.before = record_donation(
            actor=self.staff,
            fund=self.fund,
            account=self.cash,
            amount=2_000_000,
            date=datetime.date(2024, 9, 1),
            campaign=None,
        )
        self.an = DonorFactory(
            name="Nguyễn Văn Ân",
            source=DonorSource.RESIDENTS,
            group=world.groups[3],
            phone=PHONE,
            address=DONOR_ADDRESS,
            tax_code="0101234567",
            note="Nhà có người ốm",
        )
        self.hidden = DonorFactory(
            name="Trần Thị Bích",
            anonymous=True,
            phone="0987654321",
            address="Số 5 Lê Đại Hành",
        )
        self.business = DonorFactory(
            name="Công ty TNHH Ánh Dương",
            source=DonorSource.BUSINESS,
            tax_code="0109998887",
            phone="+84 24 3976 1234",
            address="Số 1 phố Huế",
        )
        self.gift_an = self.give(self.an, 500_000, Donation.Channel.CASH, note=NOTE)
        self.gift_hidden = self.give(self.hidden, 1_000_000, Donation.Channel.BANK)
        self.gift_business = self.give(
            self.business, 3_000_000, Donation.Channel.BANK, date=datetime.date(2024, 10, 25)
        )
        self.voided = self.give(self.an, 700_000, Donation.Channel.CASH)
        void = donation_services.void_request(
            actor=self.staff, donation=self.voided, reason="Nhập trùng"
        )
        donation_services.void_approve(actor=world.users["committee"], void=void)
        self.direct = record_donation(
            actor=self.staff,
            donor=DonorFactory(name="Lê Văn Trực", phone="0903111222"),
            amount=800_000,
            purpose=Donation.Purpose.DIRECT,
            beneficiary="Hộ bà Đào Thị Hoa, tổ 2",
            campaign=self.campaign,
            date=DAY,
        )
        self.household = HouseholdFactory(
            group=world.groups[5],
            head_name="Nguyễn Thị Hồng",
            head_cccd=CCCD,
            address=HOUSEHOLD_ADDRESS,
            phone="0977000111",
            circumstances="Chồng mất, " + HEALTH,
        )
        MemberFactory(household=self.household, full_name="Phạm Văn Con", health_note=HEALTH)
        household_services.household_set_public_consent(
            actor=self.staff, household=self.household, consent=True, head_title="bà"
        )
        self.private = HouseholdFactory(
            group=world.groups[2], head_name="Đỗ Văn Kín", address="Số 3 ngõ Lò Đúc"
        )
        self.paid = [
            self.support(self.household, SupportCategory.HOUSE_REPAIR, 1_500_000),
            self.support(self.private, SupportCategory.MEDICAL, 600_000),
        ]

    def give(self, donor, amount, channel, *, date=DAY, note="") -> Donation:
        account = self.cash if channel == Donation.Channel.CASH else self.bank
        return record_donation(
            actor=self.staff,
            donor=donor,
            fund=self.fund,
            account=account,
            amount=amount,
            channel=channel,
            campaign=self.campaign,
            date=date,
            note=note,
        )

    def support(self, household, category, amount):
        support = household_services.support_propose(
            actor=self.staff,
            household=household,
            campaign=self.campaign,
            category=category,
            form=SupportForm.CASH,
            amount=amount,
            description="Hỗ trợ " + HEALTH,
            source=SupportSource.FUND,
            fund=self.fund,
            account=self.cash,
        )
        support = household_services.support_approve(
            actor=self.world.users["committee"],
            support=support,
            decision_number="15/QĐ-BVĐ",
            decision_date=datetime.date(2024, 11, 1),
            decision_signer="Trần Thanh Tuấn",
        )
        return household_services.support_pay(
            actor=self.world.users["treasurer"],
            support=support,
            handover_date=datetime.date(2024, 11, 2),
            receiver_name=household.head_name,
            witness_name="Lê Văn Chứng",
            note="Giao tại nhà " + HOUSEHOLD_ADDRESS,
        )


@pytest.fixture
def ward(world) -> Ward:
    return Ward(world)
