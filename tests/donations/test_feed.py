"""Bank feeds through HTTP, as the providers call them: raw bodies and headers through
the test client, the task run by the immediate backend (tests/conftest.py)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from donations.feeds import casso, sepay
from donations.models import (
    Account,
    BankFeed,
    BankLayout,
    Donation,
    FeedDelivery,
    StatementLine,
)
from donations.services import donor_create, statement_import
from donations.services import feeds as feed_services
from donations.statements.codes import campaign_note, donor_note
from lddh.ward.audit import AuditAction
from lddh.ward.models import AuditEvent
from lddh.ward.money import format_dong
from tests.factories import CampaignFactory, FundFactory, statement_csv

ACCOUNT_NUMBER = "0011004455667"


@pytest.fixture
def bank(world):
    today = timezone.localdate()
    campaign = CampaignFactory(
        year=today.year,
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=20),
    )
    account = Account.objects.create(name="TK Vietcombank Quỹ VNN", kind=Account.Kind.BANK)
    fund = FundFactory()
    committee = world.users["committee"]
    feed = feed_services.feed_create(
        actor=committee, account=account, provider="sepay", auth="hmac", fund=fund
    )
    donor = donor_create(actor=world.users["staff"], source="individual", name="Trần Thị Bình")
    return {"feed": feed, "account": account, "fund": fund, "campaign": campaign, "donor": donor}


def _sepay(client, feed, data, *, secret=None, headers=None, path_token=None):
    body = json.dumps(data).encode()
    sent = headers or sepay.sign(
        auth=feed.auth, secret=secret or feed.secret, body=body, now=timezone.now()
    )
    url = reverse("feed_receiver:receive", args=["sepay", path_token or feed.token])
    extra = {
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in sent.items() if k != "Content-Type"
    }
    return client.post(url, data=body, content_type="application/json", **extra), body, sent


def _transfer(n: int, amount: int, content: str, *, incoming=True, reference=None) -> dict:
    return sepay.payload(
        id=900_000 + n,
        amount=amount,
        content=content,
        when=timezone.localtime(),
        reference=reference or f"MBVCB.{3278907000 + n}",
        account_number=ACCOUNT_NUMBER,
        incoming=incoming,
    )


def test_casso_signature_matches_the_documented_sample():
    """The vector of Casso's published verification sample: key, header, body."""
    body = {
        "error": 0,
        "data": {
            "id": 0,
            "reference": "MA_GIAO_DICH_THU_NGHIEM",
            "description": "giao dich thu nghiem",
            "amount": 599000,
            "runningBalance": 25000000,
            "transactionDateTime": "2024-10-03 15:06:37",
            "accountNumber": "88888888",
            "bankName": "VPBank",
            "bankAbbreviation": "VPB",
            "virtualAccountNumber": "",
            "virtualAccountName": "",
            "counterAccountName": "NGUYEN VAN A",
            "counterAccountNumber": "8888888888",
            "counterAccountBankId": "970415",
            "counterAccountBankName": "VietinBank",
        },
    }
    key = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
    header = (
        "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde"
        "0868fc667faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3"
    )
    raw = json.dumps(body, indent=2).encode()  # whatever spacing: Casso signs sorted JSON
    now = timezone.now()
    assert (
        casso.verify(
            auth="hmac", keys=[key], headers={casso.SIGNATURE_HEADER: header}, body=raw, now=now
        )
        == ""
    )
    assert casso.verify(
        auth="hmac", keys=["x" * 64], headers={casso.SIGNATURE_HEADER: header}, body=raw, now=now
    )
    assert casso.parse(raw).test  # id 0: Casso's "send a test"


@pytest.mark.django_db
def test_signed_delivery_with_a_donor_code_becomes_a_numbered_receipt(world, bank, client):
    feed, donor = bank["feed"], bank["donor"]
    response, _, _ = _sepay(client, feed, _transfer(1, 1_234_000, f"IBFT {donor_note(donor)}"))
    assert response.status_code == 200
    assert response.json() == {"success": True}
    delivery = FeedDelivery.objects.get()
    assert delivery.status == FeedDelivery.Status.RECORDED, delivery.error
    line = StatementLine.objects.get()
    assert line.status == StatementLine.Status.MATCHED
    donation = line.donation
    assert donation.donor == donor and donation.amount == 1_234_000
    assert donation.channel == Donation.Channel.BANK and donation.campaign == bank["campaign"]
    assert donation.receipt.number.startswith(f"VNN-{timezone.localdate().year}-")
    event = AuditEvent.objects.get(action=AuditAction.FEED_RECORD)
    assert event.actor.username == feed_services.FEED_USERNAME
    assert event.after["receipt"] == donation.receipt.number
    assert not event.actor.is_active and not event.actor.has_usable_password()
    # the public page shows it, with no human in between
    page = client.get("/")
    assert format_dong(1_234_000) in page.content.decode()


@pytest.mark.django_db
def test_a_replay_adds_nothing(world, bank, client):
    feed, donor = bank["feed"], bank["donor"]
    data = _transfer(2, 500_000, donor_note(donor))
    first, _body, sent = _sepay(client, feed, data)
    again, _, _ = _sepay(client, feed, data, headers=sent)
    assert first.status_code == again.status_code == 200
    assert again.json() == {"success": True}
    assert StatementLine.objects.count() == 1 and Donation.objects.count() == 1
    repeat = FeedDelivery.objects.get(status=FeedDelivery.Status.DUPLICATE)
    assert repeat.duplicate_of.status == FeedDelivery.Status.RECORDED


@pytest.mark.django_db
def test_a_bad_signature_is_refused_logged_and_adds_nothing(world, bank, client):
    feed, donor = bank["feed"], bank["donor"]
    response, _, _ = _sepay(client, feed, _transfer(3, 500_000, donor_note(donor)), secret="k" * 40)
    assert response.status_code == 401
    delivery = FeedDelivery.objects.get()
    assert delivery.status == FeedDelivery.Status.REJECTED and not delivery.verified
    assert "HMAC" in delivery.error and delivery.body
    assert StatementLine.objects.count() == 0 and Donation.objects.count() == 0


@pytest.mark.django_db
def test_an_old_timestamp_is_refused(world, bank, client):
    feed = bank["feed"]
    body = json.dumps(_transfer(4, 500_000, "ung ho")).encode()
    old = sepay.sign(
        auth="hmac",
        secret=feed.secret,
        body=body,
        now=timezone.now() - datetime.timedelta(minutes=6),
    )
    response, _, _ = _sepay(client, feed, _transfer(4, 500_000, "ung ho"), headers=old)
    assert response.status_code == 401
    assert "5 phút" in FeedDelivery.objects.get().error


@pytest.mark.django_db
def test_a_wrong_account_token_is_404(world, bank, client):
    response, _, _ = _sepay(client, bank["feed"], _transfer(5, 500_000, "x"), path_token="khong-co")
    assert response.status_code == 404
    assert StatementLine.objects.count() == 0
    assert FeedDelivery.objects.get().feed is None


@pytest.mark.django_db
def test_malformed_json_is_400_and_logged(world, bank, client):
    feed = bank["feed"]
    body = b'{"id": 12, "transferType": "in", '
    headers = sepay.sign(auth="hmac", secret=feed.secret, body=body, now=timezone.now())
    url = reverse("feed_receiver:receive", args=["sepay", feed.token])
    response = client.post(
        url,
        data=body,
        content_type="application/json",
        HTTP_X_SEPAY_SIGNATURE=headers["X-SePay-Signature"],
        HTTP_X_SEPAY_TIMESTAMP=headers["X-SePay-Timestamp"],
    )
    assert response.status_code == 400
    delivery = FeedDelivery.objects.get()
    assert delivery.status == FeedDelivery.Status.ERROR and "JSON" in delivery.error
    assert bytes(delivery.body) == body


@pytest.mark.django_db
def test_an_outgoing_transfer_is_stored_not_recorded(world, bank, client):
    feed, donor = bank["feed"], bank["donor"]
    response, _, _ = _sepay(client, feed, _transfer(6, 300_000, donor_note(donor), incoming=False))
    assert response.status_code == 200
    line = StatementLine.objects.get()
    assert line.debit == 300_000 and line.status == StatementLine.Status.IGNORED
    assert Donation.objects.count() == 0
    assert FeedDelivery.objects.get().status == FeedDelivery.Status.STORED


@pytest.mark.django_db
def test_a_note_without_a_code_waits_with_the_payer_suggested(world, bank, client):
    note = "MBVCB.4530998360.029552.NGUYEN THE HUNG chuyen tien ung ho"
    response, _, _ = _sepay(client, bank["feed"], _transfer(7, 200_000, note))
    assert response.status_code == 200
    line = StatementLine.objects.get()
    assert line.status == StatementLine.Status.UNMATCHED and Donation.objects.count() == 0
    assert "Nguyen The Hung" in FeedDelivery.objects.get().error


@pytest.mark.django_db
def test_a_campaign_code_records_for_that_campaign_with_the_payer_name(world, bank, client):
    feed, campaign, fund = bank["feed"], bank["campaign"], bank["fund"]
    note = f"MBVCB.1.2.NGUYEN THE HUNG chuyen tien {campaign_note(campaign, fund)}"
    response, _, _ = _sepay(client, feed, _transfer(8, 700_000, note))
    assert response.status_code == 200
    donation = StatementLine.objects.get().donation
    assert donation.campaign == campaign and donation.donor.name == "Nguyen The Hung"


@pytest.mark.django_db
def test_rules_chosen_by_the_committee_stop_automatic_recording(world, bank, client):
    feed, donor = bank["feed"], bank["donor"]
    feed_services.feed_update_rules(
        actor=world.users["committee"], feed=feed, active=True, auto_donor_codes=False
    )
    _sepay(client, feed, _transfer(9, 500_000, donor_note(donor)))
    assert StatementLine.objects.get().status == StatementLine.Status.UNMATCHED
    assert Donation.objects.count() == 0
    # the committee allows it again; staff replays the delivery through the page
    feed_services.feed_update_rules(
        actor=world.users["committee"], feed=feed, active=True, auto_donor_codes=True
    )
    delivery = FeedDelivery.objects.get()
    staff = world.client("staff")
    response = staff.post(reverse("feeds:replay", args=[delivery.pk]))
    assert response.status_code == 302
    assert Donation.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.FEED_REPLAY).count() == 1
    staff.post(reverse("feeds:replay", args=[delivery.pk]))  # idempotent
    assert Donation.objects.count() == 1


@pytest.mark.django_db
def test_the_previous_key_works_until_its_grace_ends(world, bank, client):
    feed, donor = bank["feed"], bank["donor"]
    old = feed.secret
    feed = feed_services.feed_rotate_key(actor=world.users["committee"], feed=feed)
    assert feed.secret != old
    response, _, _ = _sepay(client, feed, _transfer(10, 100_000, donor_note(donor)), secret=old)
    assert response.status_code == 200
    BankFeed.objects.filter(pk=feed.pk).update(previous_valid_until=timezone.now())
    response, _, _ = _sepay(client, feed, _transfer(11, 100_000, donor_note(donor)), secret=old)
    assert response.status_code == 401


@pytest.mark.django_db
def test_sepay_api_key(world, bank, client):
    account = Account.objects.create(name="TK BIDV", kind=Account.Kind.BANK)
    feed = feed_services.feed_create(
        actor=world.users["committee"], account=account, provider="sepay", auth="api_key",
        fund=bank["fund"],
    )  # fmt: skip
    ok, _, _ = _sepay(client, feed, _transfer(12, 100_000, "ung ho"))
    bad, _, _ = _sepay(client, feed, _transfer(13, 100_000, "ung ho"), secret="z" * 43)
    assert (ok.status_code, bad.status_code) == (200, 401)
    assert "Authorization" not in FeedDelivery.objects.get(status="rejected").headers


@pytest.mark.django_db
def test_casso_delivery_with_a_donor_code(world, bank, client):
    account = Account.objects.create(name="TK VPBank", kind=Account.Kind.BANK)
    feed = feed_services.feed_create(
        actor=world.users["committee"], account=account, provider="casso", auth="hmac",
        fund=bank["fund"], secret="casso-checksum-key-0123456789",
    )  # fmt: skip
    data = casso.payload(
        id=5551, amount=250_000, content=f"{donor_note(bank['donor'])} Tran Thi Binh",
        when=timezone.localtime(), reference="FT2434100001", account_number="88888888",
    )  # fmt: skip
    body = json.dumps(data, ensure_ascii=False).encode()
    headers = casso.sign(auth="hmac", secret=feed.secret, body=body, now=timezone.now())
    url = reverse("feed_receiver:receive", args=["casso", feed.token])
    response = client.post(
        url, data=body, content_type="application/json",
        HTTP_X_CASSO_SIGNATURE=headers["X-Casso-Signature"],
    )  # fmt: skip
    assert response.status_code == 200
    assert StatementLine.objects.get().donation.donor == bank["donor"]


@pytest.mark.django_db
def test_a_feed_line_and_the_same_line_in_a_statement_are_one_line(world, bank, client):
    feed, donor = bank["feed"], bank["donor"]
    today = timezone.localdate()
    _sepay(client, feed, _transfer(14, 900_000, donor_note(donor), reference="FT24341555"))
    layout = BankLayout.objects.create(
        name="Mẫu có mã giao dịch",
        date_column="Ngày",
        reference_column="Số tham chiếu",
        transaction_id_column="Mã giao dịch",
        credit_column="Ghi có",
        debit_column="Ghi nợ",
        balance_column="Số dư",
        description_column="Nội dung",
    )
    header = ("Ngày", "Số tham chiếu", "Mã giao dịch", "Ghi nợ", "Ghi có", "Số dư", "Nội dung")
    rows = [
        (f"{today:%d/%m/%Y}", "FT24341555", "FT24341555", "", "900.000", "900.000", "UNG HO"),
        (f"{today:%d/%m/%Y}", "FT24341556", "FT24341556", "", "100.000", "1.000.000", "KHAC"),
    ]
    batch = statement_import(
        actor=world.users["staff"], account=bank["account"], layout=layout,
        data=statement_csv(rows, header=header), filename="sao-ke.csv",
    )  # fmt: skip
    assert (batch.new_count, batch.known_count) == (1, 1)
    assert StatementLine.objects.filter(account=bank["account"]).count() == 2
    assert Donation.objects.count() == 1
    # and the other way round: a line imported first is not stored again by the feed
    _sepay(client, feed, _transfer(15, 100_000, "KHAC", reference="FT24341556"))
    assert StatementLine.objects.filter(account=bank["account"]).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [10**30, "9" * 40, 10**15])
def test_a_huge_amount_is_400_not_a_server_error(world, bank, client, amount):
    response, _, _ = _sepay(client, bank["feed"], _transfer(40, amount, "ung ho"))
    assert response.status_code == 400
    assert FeedDelivery.objects.get().status == FeedDelivery.Status.ERROR
    assert StatementLine.objects.count() == 0


@pytest.mark.django_db
def test_a_transaction_of_another_account_is_refused(world, bank, client):
    from lddh.ward.models import OfficialAccount

    account = bank["account"]
    account.official_account = OfficialAccount.objects.create(
        ward=world.ward,
        account_name="UB MTTQ phường",
        account_number=ACCOUNT_NUMBER,
        bank_name="Vietcombank",
    )
    account.save()
    data = _transfer(41, 500_000, donor_note(bank["donor"]))
    data["accountNumber"] = "0999999999999"
    response, _, _ = _sepay(client, bank["feed"], data)
    assert response.status_code == 400
    assert "0999999999999" in FeedDelivery.objects.get().error
    assert StatementLine.objects.count() == 0 and Donation.objects.count() == 0
    ok, _, _ = _sepay(client, bank["feed"], _transfer(42, 500_000, donor_note(bank["donor"])))
    assert ok.status_code == 200 and Donation.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["9999-12-31 00:00:00", "1900-01-01 08:00:00"])
def test_a_transaction_day_far_from_today_is_refused(world, bank, client, day):
    data = _transfer(43, 500_000, "ung ho")
    data["transactionDate"] = day
    response, _, _ = _sepay(client, bank["feed"], data)
    assert response.status_code == 400
    assert StatementLine.objects.count() == 0


@pytest.mark.django_db
def test_a_replay_with_an_altered_body_stores_no_line_and_is_flagged(world, bank, client):
    feed, donor = bank["feed"], bank["donor"]
    data = _transfer(44, 500_000, donor_note(donor))
    first, _, _ = _sepay(client, feed, data)
    altered = {**data, "transferAmount": 9_990_000, "referenceCode": "MBVCB.KHAC"}
    again, _, _ = _sepay(client, feed, altered)
    assert first.status_code == again.status_code == 200
    line = StatementLine.objects.get()
    assert line.credit == 500_000
    assert Donation.objects.get().amount == 500_000
    repeat = FeedDelivery.objects.get(status=FeedDelivery.Status.DUPLICATE)
    assert repeat.line_id == line.pk and "KHÁC" in repeat.error


@pytest.mark.django_db
@pytest.mark.parametrize("provider", ["sepay", "casso"])
def test_a_deeply_nested_body_is_400_not_a_server_error(world, bank, client, provider):
    feed = feed_services.feed_create(
        actor=world.users["committee"],
        account=Account.objects.create(name="TK khác", kind=Account.Kind.BANK),
        provider=provider,
        auth="hmac",
        fund=bank["fund"],
    )
    body = b"[" * 30_000 + b"]" * 30_000
    extra = {}
    if provider == "sepay":
        sent = sepay.sign(auth="hmac", secret=feed.secret, body=body, now=timezone.now())
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in sent.items()}
    else:
        extra = {"HTTP_X_CASSO_SIGNATURE": "t=1700000000000,v1=" + "0" * 128}
    url = reverse("feed_receiver:receive", args=[provider, feed.token])
    response = client.post(url, data=body, content_type="application/json", **extra)
    assert response.status_code == 400
    assert StatementLine.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("provider_id", [{"a": 1}, [1], 1.5, True, "x" * 200])
def test_a_transaction_id_that_is_not_a_number_or_short_text_is_400(
    world, bank, client, provider_id
):
    data = {**_transfer(45, 500_000, "ung ho"), "id": provider_id}
    response, _, _ = _sepay(client, bank["feed"], data)
    assert response.status_code == 400
    assert StatementLine.objects.count() == 0


@pytest.mark.django_db
def test_a_request_to_no_feed_keeps_only_the_start_of_its_body(world, bank, client):
    data = _transfer(46, 500_000, "x" * 20_000)
    response, body, _ = _sepay(client, bank["feed"], data, path_token="khong-co")
    assert response.status_code == 404 and len(body) > 40_000
    delivery = FeedDelivery.objects.get()
    assert delivery.feed is None
    assert len(bytes(delivery.body)) == feed_services.UNKNOWN_BODY_KEPT


@pytest.mark.django_db
def test_a_replay_checks_the_account_and_day_again(world, bank, client):
    """A delivery refused after its signature was checked may be replayed by the office:
    the replay must not store what the receiver refused."""
    data = _transfer(47, 500_000, donor_note(bank["donor"]))
    data["transactionDate"] = "1900-01-01 08:00:00"
    response, _, _ = _sepay(client, bank["feed"], data)
    assert response.status_code == 400
    delivery = FeedDelivery.objects.get()
    assert delivery.verified and delivery.status == FeedDelivery.Status.ERROR
    again = feed_services.feed_replay(actor=world.users["staff"], delivery=delivery)
    assert again.status == FeedDelivery.Status.ERROR and "quá xa" in again.error
    assert StatementLine.objects.count() == 0 and Donation.objects.count() == 0


@pytest.mark.django_db
def test_a_body_refused_before_its_signature_is_checked_is_not_logged_as_verified(
    world, bank, client
):
    feed = feed_services.feed_create(
        actor=world.users["committee"],
        account=Account.objects.create(name="TK Casso", kind=Account.Kind.BANK),
        provider="casso",
        auth="hmac",
        fund=bank["fund"],
    )
    url = reverse("feed_receiver:receive", args=["casso", feed.token])
    response = client.post(
        url,
        data=b'{"data": ',
        content_type="application/json",
        HTTP_X_CASSO_SIGNATURE="t=1700000000000,v1=" + "0" * 128,
    )
    assert response.status_code == 400
    delivery = FeedDelivery.objects.get()
    assert delivery.status == FeedDelivery.Status.ERROR and not delivery.verified
    with pytest.raises(feed_services.FeedError):
        feed_services.feed_replay(actor=world.users["staff"], delivery=delivery)


DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("backend", "another_just_arrived", "rests"),
    [
        (DATABASE_BACKEND, True, True),
        (DATABASE_BACKEND, False, False),
        (IMMEDIATE_BACKEND, True, False),
    ],
)
def test_the_worker_rests_while_the_feed_keeps_delivering(
    world, bank, client, settings, monkeypatch, backend, another_just_arrived, rests
):
    """A burst of transfers leaves the CPU to the web server answering the provider: while
    deliveries keep arriving, the worker process rests after each one as long as it took;
    once they stop it works at full speed, and a task run inside a request never waits."""
    from donations import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _sepay(client, bank["feed"], _transfer(1, 50_000, f"IBFT {donor_note(bank['donor'])}"))
    if another_just_arrived:
        _sepay(client, bank["feed"], _transfer(2, 60_000, "NGUYEN VAN AN chuyen tien"))
    delivery = FeedDelivery.objects.get(provider_id="900001")
    FeedDelivery.objects.filter(pk=delivery.pk).update(
        received_at=timezone.now() - datetime.timedelta(minutes=5)  # queued behind a burst
    )
    assert delivery.status == FeedDelivery.Status.STORED  # queued, not worked on yet
    settings.TASKS = {"default": {"BACKEND": backend}}
    clock = iter([100.0, 100.25])  # the delivery takes a quarter of a second
    monkeypatch.setattr(tasks.time, "monotonic", lambda: next(clock))
    slept = []
    monkeypatch.setattr(tasks.time, "sleep", slept.append)
    assert tasks.process_feed_delivery.call(delivery.pk) == FeedDelivery.Status.RECORDED
    assert slept == ([0.25 * tasks.FEED_REST] if rests else [])
