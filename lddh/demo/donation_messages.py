"""Demo: donors who agreed to receive e-receipts, and the messages sent to them, so the
message page and a donation's delivery log have something to show. Nothing is sent:
the rows are written as the worker would have left them."""

from __future__ import annotations

import datetime

from django.db import transaction

from donations.models import ConsentHow, Donor, Message, MessageAttempt
from donations.services.donors import donor_update
from donations.services.messages import donor_opt_out

# name, email, how they agreed, what became of their e-receipt
DEMO_CONTACTS = [
    ("Nguyễn Thị Thanh Xuân", "thanhxuan.nguyen@example.vn", ConsentHow.PAPER, "sent"),
    ("Trần Quốc Hưng", "hung.tranquoc@example.vn", ConsentHow.IN_PERSON, "retried"),
    ("Phạm Minh Châu", "minhchau.pham@khong-ton-tai.example.vn", ConsentHow.PHONE, "gave_up"),
    ("Đỗ Thị Kim Oanh", "kimoanh.do@example.vn", ConsentHow.WRITING, "opted_out"),
]


@transaction.atomic
def seed_messages(*, staff, stdout) -> None:
    if Message.objects.exists():
        return
    count = 0
    for name, email, how, outcome in DEMO_CONTACTS:
        donor = Donor.objects.filter(name=name).first()
        donation = donor and donor.donations.select_related("receipt").order_by("-date").first()
        if donation is None:
            continue
        donor = donor_update(
            actor=staff, donor=donor, email=email, contact_consent=True, consent_how=how
        )
        sent_at = datetime.datetime.combine(
            donation.date, datetime.time(9, 30), tzinfo=datetime.UTC
        )
        message = Message.objects.create(
            donation=donation, donor=donor, channel=Message.Channel.EMAIL, address=email
        )
        tries = {
            "sent": [""],
            "retried": ["Lỗi gửi thư: SMTPServerDisconnected: Connection unexpectedly closed", ""],
            "gave_up": ["Máy chủ thư từ chối địa chỉ: 550 'No such domain'"],
            "opted_out": [""],
        }[outcome]
        for index, error in enumerate(tries):
            attempt = MessageAttempt.objects.create(
                message=message,
                ok=not error,
                error=error,
                provider_id="" if error else f"demo-{message.pk}@lddh.example.vn",
            )
            MessageAttempt.objects.filter(pk=attempt.pk).update(
                at=sent_at + datetime.timedelta(minutes=index)
            )
        ok = not tries[-1]
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENT if ok else Message.Status.GAVE_UP,
            attempts=len(tries),
            last_error=tries[-1],
            provider_id=f"demo-{message.pk}@lddh.example.vn" if ok else "",
            sent_at=sent_at if ok else None,
        )
        if outcome == "opted_out":
            donor_opt_out(donor_id=donor.pk, message_id=message.pk)
        count += 1
    if count:
        stdout.write(f"Tin gửi người ủng hộ: {count} người đồng ý nhận biên nhận qua email.")
