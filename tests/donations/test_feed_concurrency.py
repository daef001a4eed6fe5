"""A provider sending the same transaction several times at once (PostgreSQL, real
concurrent transactions): one delivery stored, one line, one donation; every request
answered 200. And the task worker recording a transfer does not hold up the storing of
the account's next one."""

import json
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
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


def _feed_and_donor():
    committee = get_user_model().objects.create(username="thuongtruc")
    fund = Fund.objects.create(code="VNN", name="Quỹ Vì người nghèo")
    account = Account.objects.create(name="TK Vietcombank", kind=Account.Kind.BANK)
    feed = feed_services.feed_create(
        actor=committee, account=account, provider="sepay", auth="hmac", fund=fund
    )
    donor = donor_create(actor=committee, source="individual", name="Trần Thị Bình")
    return feed, donor


def _signed(feed, id: int, note: str) -> tuple[bytes, dict]:
    data = sepay.payload(
        id=id, amount=300_000, content=note, when=timezone.localtime(),
        reference=f"FT2434{id}", account_number="0011",
    )  # fmt: skip
    body = json.dumps(data).encode()
    return body, sepay.sign(auth="hmac", secret=feed.secret, body=body, now=timezone.now())


def test_the_same_delivery_eight_times_at_once_is_stored_once():
    feed, donor = _feed_and_donor()
    body, headers = _signed(feed, 4242, donor_note(donor))
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


def test_a_transfer_is_stored_while_the_worker_records_another_of_the_account(settings):
    """The worker's locks (the line, its account) let the receiver's inserts through:
    their foreign-key checks on the account and the feed do not wait for its COMMIT."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    feed, donor = _feed_and_donor()
    url = reverse("feed_receiver:receive", args=["sepay", feed.token])

    def post(id, note):
        body, headers = _signed(feed, id, note)
        return Client().post(
            url, data=body, content_type="application/json",
            HTTP_X_SEPAY_SIGNATURE=headers["X-SePay-Signature"],
            HTTP_X_SEPAY_TIMESTAMP=headers["X-SePay-Timestamp"],
        )  # fmt: skip

    assert post(1, donor_note(donor)).status_code == 200
    first = FeedDelivery.objects.get(provider_id="1")
    recording, answered, outcome = threading.Event(), threading.Event(), []

    def record():
        try:
            with transaction.atomic():  # the recording's locks held until the answer
                outcome.append(feed_services.feed_process(first).status)
                recording.set()
                answered.wait(timeout=30)
        finally:
            connection.close()

    worker = threading.Thread(target=record)
    worker.start()
    try:
        assert recording.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # a wait fails the request
        assert post(2, "NGUYEN VAN AN chuyen tien").status_code == 200
    finally:
        answered.set()
        worker.join(timeout=60)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert outcome == [FeedDelivery.Status.RECORDED]
    assert StatementLine.objects.count() == 2
    assert Donation.objects.count() == 1
