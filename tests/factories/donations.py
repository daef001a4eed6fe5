import csv
import datetime
import io

import factory

from donations import services
from donations.models import Account, CollectionRound, Donation, Donor, Fund
from donations.services.common import CHANNEL_ACCOUNT_KIND
from lddh.ward.vocab import DonorSource

__all__ = [
    "AccountFactory",
    "DonorFactory",
    "FundFactory",
    "make_round",
    "record_donation",
    "statement_csv",
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


def make_round(*, actor, group=None, organisation=None, lines=(), **kwargs) -> CollectionRound:
    """A draft round through the real services; `lines` are (name, amount text) pairs or
    LineInputs. Expected figures default to what the lines add up to."""
    inputs = [
        line
        if isinstance(line, services.LineInput)
        else services.LineInput(*line[:1], amount_text=line[1])
        for line in lines
    ]
    kwargs.setdefault("fund", FundFactory())
    kwargs.setdefault("account", AccountFactory(name="Két tiền mặt", kind=Account.Kind.CASH))
    kwargs.setdefault("collector", "Vũ Văn Bình")
    kwargs.setdefault("date", datetime.date(2024, 10, 25))
    amounts = [services.rounds._amount_of(line.amount_text) or 0 for line in inputs]
    kwargs.setdefault("expected_count", sum(1 for a in amounts if a))
    kwargs.setdefault("expected_total", sum(amounts))
    round = services.round_create(actor=actor, group=group, organisation=organisation, **kwargs)
    if inputs:
        round = services.round_save_lines(actor=actor, round=round, lines=inputs)
    return round


def statement_csv(
    rows, header=("Ngày", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Nội dung")
) -> bytes:
    """A CSV in the generic layout: rows of (date text, reference, debit, credit, balance,
    description), amounts as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
