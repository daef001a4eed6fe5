import datetime

import factory

from donations import services
from donations.models import Account, Donation, Donor, Fund
from donations.services.common import CHANNEL_ACCOUNT_KIND
from lddh.ward.vocab import DonorSource

__all__ = [
    "AccountFactory",
    "DonorFactory",
    "FundFactory",
    "record_donation",
]


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ["code"]

    code = "VNN"
    name = "Quỹ “Vì người nghèo” phường Lê Đại Hành"
    short_name = "Quỹ Vì người nghèo"


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        django_get_or_create = ["name"]

    name = "Quỹ tiền mặt (két)"
    kind = Account.Kind.CASH


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donor

    source = DonorSource.INDIVIDUAL
    name = factory.Sequence(lambda n: f"Nguyễn Văn An {n}")


def record_donation(*, actor, donor=None, **kwargs) -> Donation:
    """A donation through the real service: cash to the VNN fund by default."""
    kwargs.setdefault("date", datetime.date(2024, 10, 20))
    kwargs.setdefault("amount", 500_000)
    kwargs.setdefault("channel", Donation.Channel.CASH)
    if kwargs.get("purpose", Donation.Purpose.FUND) == Donation.Purpose.FUND:
        kwargs.setdefault("fund", FundFactory())
        kind = CHANNEL_ACCOUNT_KIND[kwargs["channel"]]
        kwargs.setdefault(
            "account", AccountFactory(name=f"Tài khoản {Account.Kind(kind).label}", kind=kind)
        )
    return services.donation_record(actor=actor, donor=donor or DonorFactory(), **kwargs)
