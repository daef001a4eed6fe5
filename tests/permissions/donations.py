"""Every URL of the donations app × every persona. Objects belong to group 2, so the
leader of group 1 is outside their scope (404) and the leader of group 2 inside it."""

import datetime

from donations import services
from donations.models import Donation
from lddh.ward.vocab import DonorSource
from tests.factories import CampaignFactory, DonorFactory, record_donation
from tests.permissions import PERSONAS, Case, only, statuses

READERS = ("staff", "committee", "treasurer", "higher", "supervisor")
OFFICE = ("staff", "committee")


def _donation(world) -> Donation:
    campaign = CampaignFactory()
    donor = DonorFactory(source=DonorSource.RESIDENTS, group=world.groups[2], name="Bà Hai")
    return record_donation(
        actor=world.users["staff"], donor=donor, campaign=campaign, date=datetime.date(2024, 10, 20)
    )


def _donation_kwargs(world):
    return {"pk": _donation(world).pk}


def _receipt_kwargs(world):
    return {"pk": _donation(world).receipt.pk}


def _donor_kwargs(world):
    return {"pk": _donation(world).donor_id}


def _void_kwargs(world):
    donation = _donation(world)
    void = services.void_request(
        actor=world.users["staff"], donation=donation, reason="Nhập sai số tiền"
    )
    return {"pk": void.pk}


def _public_kwargs(world):
    return {"token": _donation(world).receipt.token}


CASES = [
    Case("donations:list", get=statuses(200), post=statuses(405)),
    Case("donations:create", get=only(*OFFICE), post=only(*OFFICE)),
    Case(
        "donations:detail",
        get=statuses(200, leader1=404),
        post=statuses(405),
        kwargs=_donation_kwargs,
    ),
    Case(
        "donations:void_request",
        get=only(*OFFICE),
        post=only(*OFFICE),  # an empty reason shows the form again
        kwargs=_donation_kwargs,
    ),
    Case(
        "donations:receipt_register",
        get=only(*READERS),
        post=only(*READERS, ok=405),
    ),
    Case(
        "donations:receipt_pdf",
        get=only(*OFFICE),
        post=only(*OFFICE, ok=405),
        kwargs=_receipt_kwargs,
    ),
    Case("donations:void_list", get=only(*READERS), post=only(*READERS, ok=405)),
    Case(
        "donations:void_approve",
        get=only("committee", ok=405),
        post=only("committee", ok=302),
        kwargs=_void_kwargs,
    ),
    Case(
        "donations:void_reject",
        get=only("committee", ok=405),
        post=only("committee", ok=302),  # no reason: refused with a message, redirected
        kwargs=_void_kwargs,
    ),
    Case("donations:donor_list", get=only(*READERS), post=only(*READERS, ok=405)),
    Case("donations:donor_search", get=only(*OFFICE), post=only(*OFFICE, ok=405)),
    Case("donations:donor_create", get=only(*OFFICE), post=only(*OFFICE)),
    Case(
        "donations:donor_detail",
        get=only(*READERS),
        post=only(*READERS, ok=405),
        kwargs=_donor_kwargs,
    ),
    Case(
        "donations:donor_update",
        get=only(*OFFICE),
        post=only(*OFFICE),
        kwargs=_donor_kwargs,
    ),
    Case(
        "donations:thank_you_pdf",
        get=only(*OFFICE),
        post=only(*OFFICE, ok=405),
        kwargs=_donor_kwargs,
    ),
    Case("donations:ledger", get=only(*READERS), post=only(*READERS, ok=405)),
    Case(
        "donations_public:receipt_verify",
        get=dict.fromkeys(PERSONAS, 200),
        post=dict.fromkeys(PERSONAS, 405),
        kwargs=_public_kwargs,
    ),
]
