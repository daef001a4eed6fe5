"""The pledge pages × every persona: ward staff and the committee record, cancel and
count payments; the treasurer and the supervisors read; the level above (figures in
the reports only) and the group leaders open nothing (403)."""

import datetime

from donations import services
from donations.models import Pledge
from tests.factories import CampaignFactory, DonorFactory, FundFactory
from tests.permissions import Case, only

READERS = ("staff", "committee", "treasurer", "supervisor")
OFFICE = ("staff", "committee")


def make_pledge(world) -> Pledge:
    return services.pledge_create(
        actor=world.users["staff"],
        donor=DonorFactory(source="business", name="Công ty Cổ phần Hoa Sen"),
        campaign=CampaignFactory(),
        fund=FundFactory(),
        pledged_on=datetime.date(2024, 10, 17),
        amount=20_000_000,
        due_date=datetime.date(2024, 11, 15),
    )


def _pledge_kwargs(world):
    return {"pk": make_pledge(world).pk}


def _cancel_data(world):
    return {"reason": "Doanh nghiệp rút lại cam kết"}


CASES = [
    Case("donations:pledge_list", get=only(*READERS), post=only(*READERS, ok=405)),
    Case(
        "donations:pledge_detail",
        get=only(*READERS),
        post=only(*READERS, ok=405),
        kwargs=_pledge_kwargs,
    ),
    # An empty POST shows the form again with its messages.
    Case("donations:pledge_create", get=only(*OFFICE), post=only(*OFFICE)),
    Case("donations:pledge_quick", get=only(*OFFICE), post=only(*OFFICE)),
    Case(
        "donations:pledge_cancel",
        get=only(*OFFICE, ok=405),
        post=only(*OFFICE, ok=302),
        kwargs=_pledge_kwargs,
        post_data=_cancel_data,
    ),
    Case(
        "donations:pledge_link",
        get=only(*OFFICE, ok=405),
        post=only(*OFFICE, ok=302),  # no donation chosen: refused with a message
        kwargs=_pledge_kwargs,
    ),
]
