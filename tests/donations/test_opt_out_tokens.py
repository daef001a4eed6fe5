"""An opt-out link keeps working for ever (a donor must always be able to stop the
messages), also across a SECRET_KEY rotation, and does nothing but the opt-out."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from donations.messaging.tokens import SALT, opt_out_token, read_opt_out_token
from donations.models import Donor, Message
from tests.donations.test_messages import consenting, smtp  # noqa: F401 - fixtures

TEN_YEARS = 10 * 366 * 24 * 3600


def _message(books, django_capture_on_commit_callbacks) -> Message:
    with django_capture_on_commit_callbacks(execute=True):
        books.record()
    return Message.objects.get()


def _path(token: str) -> str:
    return reverse("donations_public:opt_out", kwargs={"token": token})


@pytest.mark.usefixtures("consenting", "smtp")
def test_an_opt_out_link_works_ten_years_later_and_after_a_key_rotation(
    books, client, settings, django_capture_on_commit_callbacks
):
    message = _message(books, django_capture_on_commit_callbacks)
    path = _path(opt_out_token(message))
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "rotated-" + "k" * 60
    assert client.get(path).status_code == 404  # the old key forgotten: the link is dead
    settings.SECRET_KEY_FALLBACKS = [old_key]
    later = time.time() + TEN_YEARS
    with mock.patch("time.time", return_value=later):
        assert client.get(path).status_code == 200
        assert client.post(path).status_code == 200
    assert not Donor.objects.get(pk=books.donor.pk).contactable


@pytest.mark.usefixtures("consenting", "smtp")
def test_an_opt_out_token_does_nothing_else(books, client, django_capture_on_commit_callbacks):
    message = _message(books, django_capture_on_commit_callbacks)
    token = opt_out_token(message)
    # Not a receipt's public link, nor anything another salt signs.
    assert client.get(reverse("donations_public:receipt_verify", args=[token])).status_code == 404
    unsalted = signing.dumps([message.donor_id, message.pk], compress=True)
    assert read_opt_out_token(unsalted) is None
    # Signed for an opt-out, but naming another donor's message, or none: refused.
    other = Donor.objects.exclude(pk=message.donor_id).first() or Donor.objects.create(
        name="Trần Văn Khác", source=message.donor.source
    )
    forged = signing.dumps([other.pk, message.pk], salt=SALT, compress=True)
    assert read_opt_out_token(forged) is None
    assert client.post(_path(forged)).status_code == 404
    gone = signing.dumps([message.donor_id, message.pk + 1000], salt=SALT, compress=True)
    assert read_opt_out_token(gone) is None
    assert Donor.objects.get(pk=books.donor.pk).contactable  # none of these opted anyone out
    assert read_opt_out_token(token) == (message.donor_id, message.pk)
