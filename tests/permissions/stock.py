"""The in-kind stock pages × every persona: every role that reads all reads the stock;
staff, committee and treasurer record a count; only the standing committee decides one.
The level above and the group leaders open none (403)."""

import datetime
from decimal import Decimal

from donations import services
from donations.models import Account, Donation, StockItem
from donations.services.common import ItemLine
from tests.factories import AccountFactory, CampaignFactory, DonorFactory, FundFactory
from tests.permissions import Case, only

READERS = ("staff", "committee", "treasurer", "supervisor")
COUNTERS = ("staff", "committee", "treasurer")


def _rice(world) -> StockItem:
    services.donation_record(
        actor=world.users["staff"],
        donor=DonorFactory(),
        date=datetime.date(2024, 10, 20),
        amount=None,
        channel=Donation.Channel.IN_KIND,
        fund=FundFactory(),
        account=AccountFactory(name="Hiện vật", kind=Account.Kind.GOODS),
        campaign=CampaignFactory(),
        items=[ItemLine("Gạo tẻ", Decimal(100), "kg", 1_800_000)],
    )
    return StockItem.objects.get()


def _item_kwargs(world):
    return {"pk": _rice(world).pk}


def _count_kwargs(world):
    count = services.stock_count_record(
        actor=world.users["treasurer"],
        item=_rice(world),
        date=datetime.date(2024, 11, 20),
        counted="98",
    )
    return {"pk": count.pk}


CASES = [
    Case("donations:stock_list", get=only(*READERS), post=only(*READERS, ok=405)),
    Case(
        "donations:stock_item",
        get=only(*READERS),
        post=only(*READERS, ok=405),
        kwargs=_item_kwargs,
    ),
    # An empty POST shows the form with its messages.
    Case("donations:stock_count", get=only(*COUNTERS), post=only(*COUNTERS)),
    Case(
        "donations:stock_count_approve",
        get=only("committee", ok=405),
        post=only("committee", ok=302),  # no reason: refused with a message, redirected
        kwargs=_count_kwargs,
    ),
    Case(
        "donations:stock_count_reject",
        get=only("committee", ok=405),
        post=only("committee", ok=302),
        kwargs=_count_kwargs,
    ),
]
