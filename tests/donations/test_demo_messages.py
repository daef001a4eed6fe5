"""The demo's donors who agreed to e-receipts, and their messages."""

import io

from django.core.management import call_command

from donations.models import Donor, Message


def test_demo_has_donors_who_agreed_and_their_messages(db):
    call_command("seed_demo", stdout=io.StringIO())
    statuses = sorted(Message.objects.values_list("status", flat=True))
    assert statuses == ["gave_up", "sent", "sent", "sent"]
    consenting = Donor.objects.filter(contact_consent=True)
    assert consenting.count() == 3 and all(d.consent_by and d.email for d in consenting)
    assert Donor.objects.filter(opted_out_at__isnull=False).count() == 1
    assert Message.objects.filter(log__ok=False).exists()  # a retry shows in the log
    call_command("seed_demo", stdout=io.StringIO())
    assert Message.objects.count() == 4  # idempotent
