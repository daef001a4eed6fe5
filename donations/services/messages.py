"""E-receipts to donors: queue, send (one try at a time), send again, opt out.

Rules:
- A message is queued only for a donor who agreed to be contacted and has not opted out
  (``Donor.contactable``), one per channel the donor has an address for: email, and SMS
  when a gateway is configured.
- Queuing happens inside the transaction that records the donation; the sending task is
  enqueued after commit, so saving never waits for a mail server or a gateway, and a
  refused donation sends nothing.
- Each try is logged (``MessageAttempt``). A failed try is retried after
  MESSAGE_RETRY_SECONDS, doubled each time, until MESSAGE_MAX_ATTEMPTS; a refusal that
  another try cannot fix (unknown address, wrong key) gives up at once.
- Consent is checked again at send time: an opt-out after queuing stops the message.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from email.utils import make_msgid
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from donations.messaging.gateways import SendResult, sms_gateway
from donations.models import Donation, Donor, Message, MessageAttempt
from donations.services.common import DonationError
from lddh.ward.audit import AuditAction, log_event

logger = logging.getLogger(__name__)

OPTED_OUT = "Người ủng hộ đã từ chối nhận tin."
NO_CONSENT = "Người ủng hộ chưa đồng ý nhận tin."
VOIDED = "Khoản ủng hộ đã hủy: không gửi biên nhận."


# --------------------------------------------------------------------------- consent


def donor_consent_check(donor: Donor, *, actor, was_consenting: bool) -> None:
    """Validate a donor's contact details and keep the consent's when and who: a consent
    given now (or given again after an opt-out) is stamped with the time and the person
    who entered it; a consent withdrawn clears them. Called by the donor services before
    they save."""
    donor.email = (donor.email or "").strip().lower()
    if donor.email:
        try:
            validate_email(donor.email)
        except ValidationError:
            raise DonationError("Địa chỉ email không hợp lệ.", code="email") from None
    if not donor.contact_consent:
        donor.consent_how, donor.consent_at, donor.consent_by = "", None, None
        return
    if not (donor.email or donor.phone):
        raise DonationError(
            "Đồng ý nhận biên nhận: hãy ghi email hoặc số điện thoại.", code="contact_consent"
        )
    if not donor.consent_how:
        raise DonationError(
            "Hãy ghi người ủng hộ đồng ý bằng cách nào (ký phiếu, nói trực tiếp…).",
            code="consent_how",
        )
    if not was_consenting or donor.consent_at is None:
        donor.consent_at = timezone.now()
        donor.consent_by = actor if getattr(actor, "is_authenticated", False) else None
        donor.opted_out_at = None


# --------------------------------------------------------------------------- queue


def _channels(donor: Donor) -> list[tuple[str, str]]:
    channels = []
    if donor.email:
        channels.append((Message.Channel.EMAIL, donor.email))
    if donor.phone and settings.SMS_PROVIDER != "none":
        channels.append((Message.Channel.SMS, donor.phone))
    return channels


def enqueue_send(message_id: int, run_after: datetime.datetime | None = None) -> None:
    """Hand a message to the task worker. A backend that cannot run a task later (the
    immediate one of the tests) leaves a retry to the next "Gửi lại" or worker sweep.
    Never raises: a broken queue must not undo the donation that asked for it."""
    from donations.tasks import send_message

    task = send_message
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    try:
        task.enqueue(message_id)
    except Exception:
        logger.exception("Message %s: could not enqueue the sending task", message_id)


def receipt_messages_queue(donation: Donation) -> list[Message]:
    """Queue the e-receipt of a donation just recorded (inside its transaction)."""
    donor = donation.donor
    if not donor.contactable:
        return []
    queued = [
        Message.objects.create(donation=donation, donor=donor, channel=channel, address=address)
        for channel, address in _channels(donor)
    ]
    for message in queued:
        transaction.on_commit(partial(enqueue_send, message.pk))
    return queued


# --------------------------------------------------------------------------- send


def _refusal(message: Message) -> str:
    donor = message.donor
    if donor.opted_out_at is not None:
        return OPTED_OUT
    if not donor.contact_consent:
        return NO_CONSENT
    if message.donation.status == Donation.Status.VOIDED:
        return VOIDED
    return ""


def _send_email(message: Message) -> SendResult:
    from donations.messaging.texts import receipt_email

    email = receipt_email(message)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    message_id = make_msgid(domain=domain)
    email.extra_headers["Message-ID"] = message_id
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        refused = "; ".join(f"{code} {reason!r}" for code, reason in error.recipients.values())
        return SendResult(error=f"Máy chủ thư từ chối địa chỉ: {refused}", permanent=True)
    except (smtplib.SMTPException, OSError) as error:
        return SendResult(error=f"Lỗi gửi thư: {type(error).__name__}: {error}")
    return SendResult(provider_id=message_id.strip("<>"))


def _send_sms(message: Message) -> SendResult:
    from donations.messaging.texts import sms_text

    try:
        gateway = sms_gateway()
    except ImproperlyConfigured as error:
        return SendResult(error=f"Cấu hình gửi SMS chưa đủ: {error}", permanent=True)
    if gateway is None:
        return SendResult(error="Chưa cấu hình gửi SMS (SMS_PROVIDER).", permanent=True)
    request_id = f"lddh-{message.pk}-{message.attempts + 1}"
    return gateway.send(message.address, sms_text(message), request_id=request_id)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Wait before the next try after ``attempts`` failed ones: doubling each time."""
    return datetime.timedelta(seconds=settings.MESSAGE_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def message_send(message_id: int) -> Message | None:
    """One try at sending a queued (or failed) message; what the task worker runs.

    The message is claimed first (queued/failed → sending in one UPDATE), so two workers
    never send it twice; the network call runs outside any transaction."""
    claimed = Message.objects.filter(
        pk=message_id, status__in=[Message.Status.QUEUED, Message.Status.FAILED]
    ).update(status=Message.Status.SENDING, updated_at=timezone.now())
    message = (
        Message.objects.select_related("donor", "donation__receipt").filter(pk=message_id).first()
    )
    if not claimed or message is None:
        return message
    refusal = _refusal(message)
    if refusal:
        return _finish(message, SendResult(error=refusal, permanent=True))
    try:
        if message.channel == Message.Channel.EMAIL:
            result = _send_email(message)
        elif message.channel == Message.Channel.SMS:
            result = _send_sms(message)
        else:
            result = SendResult(error="Chưa có cổng gửi tin Zalo.", permanent=True)
    except Exception as error:  # rendering the PDF, a broken gateway: log, retry later
        logger.exception("Message %s: sending failed", message_id)
        result = SendResult(error=f"{type(error).__name__}: {error}"[:500])
    return _finish(message, result)


@transaction.atomic
def _finish(message: Message, result: SendResult) -> Message:
    now = timezone.now()
    message.attempts += 1
    MessageAttempt.objects.create(
        message=message, ok=result.ok, error=result.error, provider_id=result.provider_id
    )
    message.next_attempt_at = None
    if result.ok:
        message.status, message.sent_at = Message.Status.SENT, now
        message.provider_id, message.last_error = result.provider_id, ""
    else:
        message.last_error = result.error
        if result.permanent or message.attempts >= settings.MESSAGE_MAX_ATTEMPTS:
            message.status = Message.Status.GAVE_UP
        else:
            message.status = Message.Status.FAILED
            message.next_attempt_at = now + retry_delay(message.attempts)
            transaction.on_commit(partial(enqueue_send, message.pk, message.next_attempt_at))
    message.save(
        update_fields=[
            "attempts",
            "status",
            "sent_at",
            "provider_id",
            "last_error",
            "next_attempt_at",
            "updated_at",
        ]
    )
    return message


STUCK_AFTER = datetime.timedelta(minutes=15)


def messages_send_due(now: datetime.datetime | None = None) -> int:
    """Hand to the worker again every message whose turn has come but whose task is not
    waiting: failed ones past their retry time, queued ones older than a minute (a
    backend that cannot defer, a lost task), and ones left "sending" by a worker that
    stopped mid-try. Returns how many. `manage.py send_messages` runs it."""
    now = now or timezone.now()
    stuck = Message.objects.filter(status=Message.Status.SENDING, updated_at__lte=now - STUCK_AFTER)
    keys = list(stuck.values_list("pk", flat=True))
    Message.objects.filter(pk__in=keys).update(status=Message.Status.QUEUED, updated_at=now)
    keys += (
        Message.objects.filter(
            Q(status=Message.Status.FAILED, next_attempt_at__lte=now)
            | Q(status=Message.Status.QUEUED, created_at__lte=now - datetime.timedelta(minutes=1))
        )
        .exclude(pk__in=keys)
        .values_list("pk", flat=True)
    )
    for pk in keys:
        enqueue_send(pk)
    return len(keys)


# --------------------------------------------------------------------------- staff, donor


@transaction.atomic
def message_resend(*, actor, message: Message) -> Message:
    """Send a donation's e-receipt again on the same channel, to the donor's current
    address (corrected since, perhaps): a new message with its own log."""
    donor = Donor.objects.select_for_update().get(pk=message.donor_id)
    donation = message.donation
    if donor.opted_out_at is not None:
        raise DonationError(OPTED_OUT + " Không gửi lại.", code="opt_out")
    if not donor.contact_consent:
        raise DonationError(NO_CONSENT + " Không gửi lại.", code="consent")
    if donation.status == Donation.Status.VOIDED:
        raise DonationError(VOIDED, code="voided")
    address = dict(_channels(donor)).get(message.channel)
    if not address:
        raise DonationError(
            f"Người ủng hộ không còn địa chỉ {message.get_channel_display()} để gửi.",
            code="address",
        )
    if Message.objects.filter(
        donation=donation,
        channel=message.channel,
        status__in=[Message.Status.QUEUED, Message.Status.SENDING],
    ).exists():
        raise DonationError("Tin này đang chờ gửi: hãy đợi kết quả.", code="pending")
    again = Message.objects.create(
        donation=donation,
        donor=donor,
        channel=message.channel,
        address=address,
        requested_by=actor,
    )
    log_event(
        actor=actor,
        action=AuditAction.MESSAGE_RESEND,
        obj=again,
        after={
            "donation": donation.pk,
            "channel": again.channel,
            "address": address,
            "previous": message.pk,
        },
    )
    transaction.on_commit(partial(enqueue_send, again.pk))
    return again


@transaction.atomic
def donor_opt_out(*, donor_id: int, message_id: int) -> Donor | None:
    """The donor's own "no more messages" through the link in a message: consent
    withdrawn, every message still waiting given up, audited (no signed-in actor)."""
    donor = Donor.objects.select_for_update().filter(pk=donor_id).first()
    if donor is None:
        return None
    if donor.opted_out_at is not None and not donor.contact_consent:
        return donor
    before = {"contact_consent": donor.contact_consent, "opted_out_at": None}
    donor.contact_consent, donor.opted_out_at = False, timezone.now()
    donor.save(update_fields=["contact_consent", "opted_out_at", "updated_at"])
    Message.objects.filter(
        donor=donor, status__in=[Message.Status.QUEUED, Message.Status.FAILED]
    ).update(
        status=Message.Status.GAVE_UP,
        last_error=OPTED_OUT,
        next_attempt_at=None,
        updated_at=timezone.now(),
    )
    log_event(
        actor=None,
        action=AuditAction.DONOR_OPT_OUT,
        obj=donor,
        before=before,
        after={"contact_consent": False, "opted_out_at": donor.opted_out_at},
        note=f"Đường dẫn từ chối trong tin số {message_id}",
    )
    return donor
