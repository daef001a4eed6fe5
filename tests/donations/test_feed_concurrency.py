"""A provider sending the same transaction several times at once (PostgreSQL, real
concurrent transactions): one delivery stored, one line, one donation; every request
answered 200."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from donations.feeds import sepay
from donations.models import Account, Donation, FeedDelivery, Fund, StatementLine
from donations.services import donor_create
from donations.services import feeds as feed_services
from donations.statements.codes import donor_note
from tests.donations.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_delivery_eight_times_at_once_is_stored_once():
    committee = get_user_model().objects.create(username="thuongtruc")
    fund = Fund.objects.create(code="VNN", name="Quỹ Vì người nghèo")
    account = Account.objects.create(name="TK Vietcombank", kind=Account.Kind.BANK)
    feed = feed_services.feed_create(
        actor=committee, account=account, provider="sepay", auth="hmac", fund=fund
    )
    donor = donor_create(actor=committee, source="individual", name="Trần Thị Bình")
    data = sepay.payload(
        id=4242, amount=300_000, content=donor_note(donor), when=timezone.localtime(),
        reference="FT24342424", account_number="0011",
    )  # fmt: skip
    body = json.dumps(data).encode()
    headers = sepay.sign(auth="hmac", secret=feed.secret, body=body, now=timezone.now())
    url = reverse("feed_receiver:receive", args=["sepay", feed.token])

    def work(i):
        return Client().post(
            url, data=body, content_type="application/json",
            HTTP_X_SEPAY_SIGNATURE=headers["X-SePay-Signature"],
            HTTP_X_SEPAY_TIMESTAMP=headers["X-SePay-Timestamp"],
        ).status_code  # fmt: skip

    assert run_together(8, work) == [200] * 8
    assert StatementLine.objects.count() == 1
    assert Donation.objects.count() == 1
    assert FeedDelivery.objects.filter(duplicate_of=None).count() == 1
    assert FeedDelivery.objects.filter(status=FeedDelivery.Status.DUPLICATE).count() == 7
