"""E-receipts to donors: consent typed in the forms, the email through a real local SMTP
server (aiosmtpd), the SMS through a local server that answers as eSMS documents, retries,
the delivery log, "send again" and the opt-out link."""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from donations.models import ConsentHow, Donor, Message
from donations.services import messages as message_services
from donations.services.voids import void_approve, void_request
from lddh.ward.models import AuditEvent
from tests.donations.test_views import CREATE, form_data

ACCEPTED = {"CodeResult": "100", "CountRegenerate": 0, "SMSID": "d533459ee42b2b9525ba9eabf6a8156"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [
            email.message_from_bytes(e.original_content, policy=email.policy.default)
            for e in self.envelopes
        ]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 and the app's SMTP backend pointed at it."""
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "quy-vnn@lddh.example.vn"
    settings.SITE_URL = "https://quy.lddh.example.vn"
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """The SMTP backend pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2


class _Esms(BaseHTTPRequestHandler):
    answers: list  # (HTTP status, JSON body) per request, the last one repeated
    requests: list

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        type(self).requests.append(
            {"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)}
        )
        answers = type(self).answers
        status, body = answers.pop(0) if len(answers) > 1 else answers[0]
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def esms(settings):
    """A local HTTP server answering like eSMS's SendMultipleMessage_V4_post_json."""
    handler = type("Handler", (_Esms,), {"answers": [(200, ACCEPTED)], "requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_PROVIDER = "esms"
    settings.SMS_API_URL = f"http://127.0.0.1:{server.server_port}/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    settings.SMS_API_KEY, settings.SMS_SECRET_KEY = "KEY123", "SECRET456"
    settings.SMS_BRANDNAME, settings.SMS_ASCII = "QUYVNN_LDH", True
    settings.SITE_URL = "https://quy.lddh.example.vn"
    yield handler
    server.shutdown()
    server.server_close()


@pytest.fixture
def consenting(books):
    books.donor.email = "an.nguyen@example.vn"
    books.donor.contact_consent = True
    books.donor.consent_how = ConsentHow.PAPER
    books.donor.save()
    return books.donor


def _pdf_part(message):
    parts = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert len(parts) == 1
    return parts[0]


def _text(message) -> str:
    return (
        next(p for p in message.walk() if p.get_content_type() == "text/plain")
        .get_payload(decode=True)
        .decode()
    )


# --------------------------------------------------------------------------- email


def test_consent_typed_in_the_entry_form_sends_the_receipt_by_email(
    books, staff_client, smtp, django_capture_on_commit_callbacks
):
    data = form_data(
        staff_client,
        books,
        donor="",
        new_source="individual",
        new_name="Trần Thị Mai",
        new_email="Mai.Tran@Example.vn",
        new_contact_consent="on",
        new_consent_how="truc-tiep",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(CREATE, data)
    assert response.status_code == 302
    donor = Donor.objects.get(name="Trần Thị Mai")
    assert donor.email == "mai.tran@example.vn" and donor.contactable
    assert donor.consent_how == "truc-tiep" and donor.consent_by == books.staff
    assert donor.consent_at is not None

    [sent] = smtp.messages()
    receipt = donor.donations.get().receipt
    assert sent["To"] == "mai.tran@example.vn"
    assert receipt.number in sent["Subject"]
    body = _text(sent)
    assert f"https://quy.lddh.example.vn/bien-nhan/{receipt.token}/" in body
    assert "1.500.000\u00a0đ" in body and "Kính gửi Trần Thị Mai" in body
    assert "/tu-choi-nhan-tin/" in body and "/tu-choi-nhan-tin/" in sent["List-Unsubscribe"]
    pdf = _pdf_part(sent)
    assert pdf.get_filename() == f"bien-nhan-{receipt.number}.pdf"
    assert pdf.get_payload(decode=True).startswith(b"%PDF")

    message = Message.objects.get()
    assert message.status == Message.Status.SENT and message.attempts == 1
    assert message.provider_id and message.provider_id in sent["Message-ID"]
    assert [a.ok for a in message.log.all()] == [True]
    page = staff_client.get(reverse("donations:detail", args=[receipt.donation_id]))
    assert "Đã gửi" in page.content.decode() and "mai.tran@example.vn" in page.content.decode()


def test_no_consent_no_message(books, smtp, django_capture_on_commit_callbacks):
    books.donor.email = "an@example.vn"
    books.donor.save()
    with django_capture_on_commit_callbacks(execute=True):
        books.record()
    assert not Message.objects.exists() and smtp.envelopes == []


def test_consent_is_typed_in_the_donor_form_and_audited(books, staff_client):
    url = reverse("donations:donor_update", args=[books.donor.pk])
    base = {"source": "individual", "name": books.donor.name, "phone": books.donor.phone}
    refused = staff_client.post(url, {**base, "email": "an@example.vn", "contact_consent": "on"})
    assert refused.status_code == 200
    assert "đồng ý bằng cách nào" in refused.content.decode()
    bad = staff_client.post(url, {**base, "email": "khong-phai-email", "contact_consent": "on"})
    assert bad.status_code == 200 and not Donor.objects.get(pk=books.donor.pk).contactable

    response = staff_client.post(
        url,
        {**base, "email": "an@example.vn", "contact_consent": "on", "consent_how": "dien-thoai"},
    )
    assert response.status_code == 302
    donor = Donor.objects.get(pk=books.donor.pk)
    assert donor.contactable and donor.consent_by == books.staff
    event = AuditEvent.objects.filter(action="donor.update").latest("pk")
    assert event.after["contact_consent"] is True and event.after["email"] == "an@example.vn"
    page = staff_client.get(reverse("donations:donor_detail", args=[donor.pk])).content.decode()
    assert "Qua điện thoại" in page


def test_smtp_down_retries_with_backoff_then_gives_up(
    books, consenting, smtp_down, settings, django_capture_on_commit_callbacks
):
    settings.MESSAGE_MAX_ATTEMPTS = 3
    settings.MESSAGE_RETRY_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        donation = books.record()  # saving never waits for, nor fails with, the mail server
    assert donation.receipt.number
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED and message.attempts == 1
    assert "Lỗi gửi thư" in message.last_error
    first_wait = message.next_attempt_at - message.log.get().at
    assert 55 <= first_wait.total_seconds() <= 65
    message_services.message_send(message.pk)  # the worker's second try
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert 115 <= (message.next_attempt_at - message.log.last().at).total_seconds() <= 125
    message_services.message_send(message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.GAVE_UP and message.attempts == 3
    assert message.next_attempt_at is None
    assert message.log.filter(ok=False).count() == 3
    assert message_services.message_send(message.pk).attempts == 3  # given up: no more tries


def test_a_failed_try_is_queued_again_for_later_with_a_deferring_backend(
    books, consenting, smtp_down, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    with django_capture_on_commit_callbacks(execute=True):
        books.record()
    message = Message.objects.get()
    assert message.status == Message.Status.QUEUED  # stored for the worker, not sent
    [queued] = default_task_backend.results
    assert queued.args == [message.pk] and queued.task.run_after is None
    with django_capture_on_commit_callbacks(execute=True):
        message_services.message_send(message.pk)
    message.refresh_from_db()
    retry = default_task_backend.results[-1]
    assert retry.args == [message.pk] and retry.task.run_after == message.next_attempt_at


# --------------------------------------------------------------------------- opt-out


def test_opt_out_link_needs_no_login_asks_first_and_is_audited(
    books, consenting, smtp, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        books.record()
    link = re.search(
        r"https://quy\.lddh\.example\.vn(/tu-choi-nhan-tin/\S+/)", _text(smtp.messages()[0])
    )
    path = link.group(1)
    page = client.get(path)
    assert page.status_code == 200 and "Không nhận thêm tin" in page.content.decode()
    assert Donor.objects.get(pk=consenting.pk).contactable  # a link scanner's GET changes nothing
    done = client.post(path)
    assert done.status_code == 200 and "Đã ghi nhận" in done.content.decode()
    donor = Donor.objects.get(pk=consenting.pk)
    assert not donor.contactable and donor.opted_out_at is not None
    event = AuditEvent.objects.get(action="donor.opt_out")
    assert event.object_id == str(donor.pk) and event.actor is None
    again = client.get(path).content.decode()
    assert "đã từ chối nhận tin" in again and "Không nhận thêm tin" not in again
    assert client.post(path).status_code == 200  # twice: no error, no second event
    assert AuditEvent.objects.filter(action="donor.opt_out").count() == 1

    tampered = path.replace("/tu-choi-nhan-tin/", "/tu-choi-nhan-tin/x")
    assert client.get(tampered).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        books.record(donor=Donor.objects.get(pk=donor.pk))
    assert Message.objects.count() == 1 and len(smtp.envelopes) == 1  # nothing new sent


def test_opt_out_is_honoured_at_send_time(books, consenting, settings, smtp):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    books.record()
    message = Message.objects.get()
    Donor.objects.filter(pk=consenting.pk).update(contact_consent=False)  # withdrawn meanwhile
    message_services.message_send(message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.GAVE_UP
    assert message.last_error == message_services.NO_CONSENT and smtp.envelopes == []


def test_a_voided_donation_sends_nothing(books, consenting, settings, smtp):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    donation = books.record()
    void = void_request(actor=books.staff, donation=donation, reason="Nhập sai số tiền")
    void_approve(actor=books.committee, void=void)
    message_services.message_send(Message.objects.get().pk)
    assert Message.objects.get().last_error == message_services.VOIDED and smtp.envelopes == []


# --------------------------------------------------------------------------- send again


def test_send_again_button_sends_a_new_message_and_is_audited(
    books, consenting, smtp_down, settings, staff_client, treasurer_client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.MESSAGE_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        donation = books.record()
    failed = Message.objects.get()
    assert failed.status == Message.Status.GAVE_UP
    detail = reverse("donations:detail", args=[donation.pk])
    page = staff_client.get(detail).content.decode()
    assert "Gửi lại" in page and "Đã thôi gửi" in page

    resend = reverse("donations:message_resend", args=[failed.pk])
    assert treasurer_client.post(resend).status_code == 403
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        settings.EMAIL_PORT = controller.port
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(resend)
    finally:
        controller.stop()
    assert response.status_code == 302 and response["Location"] == detail
    again = Message.objects.exclude(pk=failed.pk).get()
    assert again.status == Message.Status.SENT and again.requested_by == books.staff
    assert len(inbox.envelopes) == 1
    event = AuditEvent.objects.get(action="message.resend")
    assert event.object_id == str(again.pk) and event.after["previous"] == failed.pk
    listing = staff_client.get(reverse("donations:message_list")).content.decode()
    assert donation.receipt.number in listing and "Đã gửi" in listing


def test_send_again_refused_after_opt_out(books, consenting, settings, staff_client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    books.record()
    message = Message.objects.get()
    message_services.donor_opt_out(donor_id=consenting.pk, message_id=message.pk)
    response = staff_client.post(
        reverse("donations:message_resend", args=[message.pk]), follow=True
    )
    assert "từ chối nhận tin" in response.content.decode()
    assert Message.objects.count() == 1


# --------------------------------------------------------------------------- SMS


def _sms_donor(books):
    books.donor.phone = "0912345678"
    books.donor.contact_consent = True
    books.donor.consent_how = ConsentHow.PHONE
    books.donor.save()


def test_sms_goes_through_esms_as_documented(books, esms, django_capture_on_commit_callbacks):
    _sms_donor(books)
    with django_capture_on_commit_callbacks(execute=True):
        donation = books.record(amount=1_500_000)
    [request] = esms.requests
    assert request["path"].endswith("/SendMultipleMessage_V4_post_json/")
    assert request["headers"]["Content-Type"] == "application/json"
    body = json.loads(request["body"])
    assert body["ApiKey"] == "KEY123" and body["SecretKey"] == "SECRET456"
    assert body["Phone"] == "0912345678" and body["Brandname"] == "QUYVNN_LDH"
    assert body["SmsType"] == "2" and body["IsUnicode"] == "0" and body["Sandbox"] == "0"
    assert body["RequestId"]
    text = body["Content"]
    assert text.isascii() and len(text) <= 160
    assert donation.receipt.number in text and "1.500.000 d" in text
    assert f"https://quy.lddh.example.vn/bien-nhan/{donation.receipt.token}/" in text
    message = Message.objects.get(channel=Message.Channel.SMS)
    assert message.status == Message.Status.SENT
    assert message.provider_id == ACCEPTED["SMSID"]


def test_sms_with_diacritics_when_not_ascii(
    books, esms, settings, django_capture_on_commit_callbacks
):
    settings.SMS_ASCII = False
    _sms_donor(books)
    with django_capture_on_commit_callbacks(execute=True):
        books.record(amount=1_500_000)
    body = json.loads(esms.requests[0]["body"])
    assert body["IsUnicode"] == "1" and "1.500.000 đ" in body["Content"]
    assert "biên nhận số" in body["Content"]


def test_esms_refusals_retry_or_give_up_by_code(
    books, esms, settings, django_capture_on_commit_callbacks
):
    settings.MESSAGE_MAX_ATTEMPTS = 5
    esms.answers[:] = [
        (200, {"CodeResult": "103", "ErrorMessage": "Balance not enough"}),
        (500, {}),
        (200, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}),
    ]
    _sms_donor(books)
    with django_capture_on_commit_callbacks(execute=True):
        books.record()
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED  # 103: top up the balance, then it passes
    assert "103" in message.last_error and "Balance not enough" in message.last_error
    message_services.message_send(message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and "HTTP 500" in message.last_error
    message_services.message_send(message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.GAVE_UP  # 101: wrong key, no use trying again
    assert message.attempts == 3 and "101" in message.last_error
    ids = [json.loads(r["body"])["RequestId"] for r in esms.requests]
    assert len(set(ids)) == 3


def test_gateway_unreachable_is_a_failure_not_an_exception(books, esms, settings):
    from donations.messaging.gateways import sms_gateway

    settings.SMS_API_URL = f"http://127.0.0.1:{_free_port()}/send"
    result = sms_gateway().send("0912345678", "thu")
    assert not result.ok and not result.permanent and "Không kết nối được eSMS" in result.error


def test_ascii_fold():
    from donations.messaging.texts import ascii_fold

    assert (
        ascii_fold("Đã nhận 1.500.000\u00a0đ – Lê Đại Hành") == "Da nhan 1.500.000 d ? Le Dai Hanh"
    )


# --------------------------------------------------------------------------- the bank feed


def test_a_feed_delivery_with_a_donor_code_ends_as_an_email_with_no_human_in_between(
    world, smtp, client, django_capture_on_commit_callbacks
):
    from donations.services.donors import donor_update
    from donations.statements.codes import donor_note
    from tests.donations.test_feed import _sepay, _transfer
    from tests.donations.test_feed import bank as make_bank

    bank = make_bank.__wrapped__(world)
    donor = donor_update(
        actor=world.users["staff"],
        donor=bank["donor"],
        email="binh.tran@example.vn",
        contact_consent=True,
        consent_how=ConsentHow.WRITING,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response, _, _ = _sepay(
            client, bank["feed"], _transfer(7, 2_000_000, f"IBFT {donor_note(donor)}")
        )
    assert response.status_code == 200
    donation = donor.donations.get()
    [sent] = smtp.messages()
    assert sent["To"] == "binh.tran@example.vn"
    assert f"/bien-nhan/{donation.receipt.token}/" in _text(sent)
    assert _pdf_part(sent).get_payload(decode=True).startswith(b"%PDF")
    assert Message.objects.get().status == Message.Status.SENT


def test_send_messages_command_hands_due_and_stuck_messages_to_the_worker(
    books, consenting, smtp, settings
):
    import datetime
    import io

    from django.core.management import call_command
    from django.utils import timezone

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    books.record()
    message = Message.objects.get()
    old = timezone.now() - datetime.timedelta(hours=1)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, updated_at=old)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = io.StringIO()
    call_command("send_messages", stdout=out)
    assert out.getvalue().startswith("1 tin")
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and len(smtp.envelopes) == 1
    call_command("send_messages", stdout=io.StringIO())
    assert len(smtp.envelopes) == 1  # sent: not again


def test_sms_without_keys_gives_up_at_once_with_the_reason(
    books, settings, django_capture_on_commit_callbacks
):
    settings.SMS_PROVIDER, settings.SMS_API_KEY = "esms", ""
    _sms_donor(books)
    with django_capture_on_commit_callbacks(execute=True):
        books.record()
    message = Message.objects.get()
    assert message.status == Message.Status.GAVE_UP and message.attempts == 1
    assert "SMS_API_KEY" in message.last_error
