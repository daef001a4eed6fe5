"""Opt-out links: one signed token per message, so the link needs no login and cannot be
guessed or turned into another donor's link.

A token never expires. Withdrawing consent must stay possible at any time (a donor who
finds a receipt mail from years ago can still stop the messages), and the token can do
nothing else: its salt makes it worthless anywhere but the opt-out page, that page
shows nothing about the donor (no name, amount or address) and its only action is the
opt-out itself, which nobody can undo through a link (only staff, with the donor's
consent). A token names a message and its donor; it is accepted only while that message
exists and is that donor's. A SECRET_KEY rotation keeps old links working when the old
key is kept in SECRET_KEY_FALLBACKS."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "donations.messaging.opt-out"


def opt_out_token(message) -> str:
    return signing.dumps([message.donor_id, message.pk], salt=SALT, compress=True)


def read_opt_out_token(token: str) -> tuple[int, int] | None:
    """(donor id, message id), or None for a token this app did not sign for an opt-out,
    or one whose message is not (or no longer) that donor's."""
    from donations.models import Message

    try:
        donor_id, message_id = signing.loads(token, salt=SALT)
        ids = int(donor_id), int(message_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not Message.objects.filter(pk=ids[1], donor_id=ids[0]).exists():
        return None
    return ids


def opt_out_url(message) -> str:
    path = reverse("donations_public:opt_out", kwargs={"token": opt_out_token(message)})
    return settings.SITE_URL + path
