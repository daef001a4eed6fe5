"""Messages to donors × every persona: the list is for the roles that read every record
(the level above and group leaders get 403), "send again" and the donor card for the
office; the opt-out link is public (signed token, no login)."""

from donations.messaging.tokens import opt_out_token
from donations.models import ConsentHow, Message
from lddh.ward.vocab import DonorSource
from tests.factories import DonorFactory, record_donation
from tests.permissions import PERSONAS, Case, only

READERS = ("staff", "committee", "treasurer", "supervisor")
OFFICE = ("staff", "committee")


def _message(world) -> Message:
    donor = DonorFactory(
        source=DonorSource.RESIDENTS,
        group=world.groups[2],
        name="Bà Hai",
        email="ba.hai@example.vn",
        contact_consent=True,
        consent_how=ConsentHow.PAPER,
    )
    donation = record_donation(actor=world.users["staff"], donor=donor)
    return Message.objects.get(donation=donation)


def _message_kwargs(world):
    return {"pk": _message(world).pk}


def _donor_kwargs(world):
    return {"pk": DonorFactory(group=world.groups[2], source=DonorSource.RESIDENTS).pk}


def _token_kwargs(world):
    return {"token": opt_out_token(_message(world))}


CASES = [
    Case(
        "donations:message_list",
        get=only(*READERS),
        post=only(*READERS, ok=405),
    ),
    Case(
        "donations:message_resend",
        get=only(*OFFICE, ok=405),
        # The test's message still waits for its first try: refused with a message, 302.
        post=only(*OFFICE, ok=302),
        kwargs=_message_kwargs,
    ),
    Case(
        "donations:donor_card",
        get=only(*OFFICE),
        post=only(*OFFICE, ok=405),
        kwargs=_donor_kwargs,
    ),
    Case(
        "donations_public:opt_out",
        get=dict.fromkeys(PERSONAS, 200),
        post=dict.fromkeys(PERSONAS, 200),
        kwargs=_token_kwargs,
    ),
]
