import datetime

import pytest

from campaigns.models import Campaign
from donations import services
from donations.models import Account, Donation, Fund
from tests.factories import CampaignFactory, DonorFactory

DAY = datetime.date(2024, 10, 20)


class Books:
    """Two funds, one account of each kind, the 2024 campaign, and the people."""

    def __init__(self, world):
        self.world = world
        self.vnn = Fund.objects.create(
            code="VNN", name="Quỹ “Vì người nghèo” phường Lê Đại Hành", order=1
        )
        self.ct = Fund.objects.create(code="CT", name="Quỹ Cứu trợ phường Lê Đại Hành", order=2)
        self.cash = Account.objects.create(name="Két tiền mặt", kind=Account.Kind.CASH, order=1)
        self.bank = Account.objects.create(name="TK Vietcombank", kind=Account.Kind.BANK, order=2)
        self.treasury = Account.objects.create(
            name="TK Kho bạc", kind=Account.Kind.TREASURY, order=3
        )
        self.goods = Account.objects.create(name="Hiện vật", kind=Account.Kind.GOODS, order=4)
        self.campaign = CampaignFactory(status=Campaign.Status.ACTIVE)
        self.staff = world.users["staff"]
        self.committee = world.users["committee"]
        self.treasurer = world.users["treasurer"]
        self.donor = DonorFactory(name="Nguyễn Văn An", phone="0912 345 678")

    def record(self, **kwargs):
        """A donation through the service: 500.000 đ in cash from the donor on 20/10/2024
        to the VNN fund and the campaign, unless told otherwise."""
        kwargs.setdefault("actor", self.staff)
        kwargs.setdefault("donor", self.donor)
        kwargs.setdefault("date", DAY)
        kwargs.setdefault("amount", 500_000)
        kwargs.setdefault("channel", Donation.Channel.CASH)
        if kwargs.get("purpose", Donation.Purpose.FUND) == Donation.Purpose.FUND:
            kwargs.setdefault("fund", self.vnn)
        kwargs.setdefault("campaign", self.campaign)
        return services.donation_record(**kwargs)


@pytest.fixture
def books(world):
    return Books(world)
