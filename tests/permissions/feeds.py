"""The bank feeds: every statement role reads the feeds and their logs and may replay a
delivery; only the standing committee sets a feed up, chooses its rules and rotates its
key. The receivers are public (the provider cannot sign in): anyone may POST, and an
unsigned request is refused 401 whoever sends it; GET is not allowed."""

import json

from django.utils import timezone

from donations.feeds import sepay
from donations.models import Account, FeedDelivery
from donations.services import feeds as feed_services
from tests.factories import FundFactory
from tests.permissions import PERSONAS, Case, only

BANK = ("staff", "committee", "treasurer")


def _feed(world):
    account = Account.objects.create(name="TK Vietcombank", kind=Account.Kind.BANK)
    return feed_services.feed_create(
        actor=world.users["committee"],
        account=account,
        provider="sepay",
        auth="hmac",
        fund=FundFactory(),
    )


def _feed_kwargs(world):
    return {"pk": _feed(world).pk}


def _receiver_kwargs(world):
    return {"provider": "sepay", "token": _feed(world).token}


def _delivery_kwargs(world):
    feed = _feed(world)
    body = b'{"id": 1}'
    return {
        "pk": FeedDelivery.objects.create(
            feed=feed, provider="sepay", body=body, verified=False, status="rejected"
        ).pk
    }


def _stored_delivery_kwargs(world):
    feed = _feed(world)
    data = sepay.payload(
        id=77, amount=100_000, content="ung ho", when=timezone.localtime(), reference="FT1",
        account_number="1",
    )  # fmt: skip
    body = json.dumps(data).encode()
    tx = sepay.parse(body)
    delivery = feed_services.feed_receive(feed=feed, tx=tx, body=body, headers={}, remote="")
    return {"pk": delivery.pk}


CASES = [
    Case(
        "feed_receiver:receive",
        get=dict.fromkeys(PERSONAS, 405),
        post=dict.fromkeys(PERSONAS, 401),
        kwargs=_receiver_kwargs,
        note="public: the provider's signature decides, not a session",
    ),
    # the committee's empty form shows again (200); others may not set a feed up
    Case("feeds:list", get=only(*BANK), post=only("committee")),
    Case("feeds:detail", get=only(*BANK), post=only(*BANK, ok=405), kwargs=_feed_kwargs),
    Case(
        "feeds:rules",
        get=only("committee", ok=405),
        post=only("committee", ok=302),
        kwargs=_feed_kwargs,
    ),
    Case(
        "feeds:rotate",
        get=only("committee", ok=405),
        post=only("committee", ok=200),  # the page that shows the new key once
        kwargs=_feed_kwargs,
    ),
    Case(
        "feeds:delivery",
        get=only(*BANK),
        post=only(*BANK, ok=405),
        kwargs=_delivery_kwargs,
    ),
    Case(
        "feeds:replay",
        get=only(*BANK, ok=405),
        post=only(*BANK, ok=302),
        kwargs=_stored_delivery_kwargs,
    ),
]
