import pytest

from campaigns.models import Campaign
from donations.models import Account, Fund
from tests.factories import CampaignFactory, DonorFactory


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


@pytest.fixture
def books(world):
    return Books(world)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached counts and totals are keyed on the money records' fingerprint (maximum ids
    and times); a test database that reuses ids after a rollback must not see the figures
    of an earlier test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
