"""Opt-out links: one signed token per message, so the link needs no login and cannot be
guessed or turned into another donor's link."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "donations.messaging.opt-out"


def opt_out_token(message) -> str:
    return signing.dumps([message.donor_id, message.pk], salt=SALT, compress=True)


def read_opt_out_token(token: str) -> tuple[int, int] | None:
    """(donor id, message id), or None for a token this app did not sign."""
    try:
        donor_id, message_id = signing.loads(token, salt=SALT)
        return int(donor_id), int(message_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def opt_out_url(message) -> str:
    path = reverse("donations_public:opt_out", kwargs={"token": opt_out_token(message)})
    return settings.SITE_URL + path
