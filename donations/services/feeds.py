"""Bank feeds: store each delivery once, record what a code makes certain, and the
committee's settings.

The rules:

- a delivery is stored before it is answered, in one transaction with its statement
  line and the queued task that works on it; a provider's transaction id is stored once
  per feed, so a retry or a replay is logged as a repeat and adds nothing;
- the line is a StatementLine with the identity rules of a statement import (its
  fingerprint is the bank's reference as transaction id), so the same transfer in a
  later statement file is "already stored", and a line imported first is not stored
  twice by the feed;
- the task records only what is certain, in this order, each when the committee's rule
  allows it: a receipt number matches that (already recorded) donation; a round's code
  matches the posted round; a donor's personal code or a campaign's code becomes a
  donation with its receipt at once, through the statement services. A note with a
  receipt number or a round code is never turned into a new donation (it would count the
  money twice); a note with two different codes of one kind is left to a person;
- whatever is not certain waits in the unmatched queue, where the payer's name is
  suggested from the note;
- everything the feed records is done, and audited, by the feed's own user (inactive,
  no password, no role): the audit log says "the feed did it", never a person.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from campaigns.models import Campaign
from donations.feeds.base import FeedMalformed, FeedTransaction
from donations.feeds.providers import AUTHS
from donations.models import (
    DIRECT_SERIES,
    Account,
    BankFeed,
    CollectionRound,
    Donor,
    FeedDelivery,
    Fund,
    Pledge,
    Receipt,
    StatementLine,
)
from donations.models.feeds import new_feed_secret
from donations.services.common import DonationError
from donations.statements.codes import (
    campaign_codes_in,
    donor_codes_in,
    pledge_codes_in,
    receipt_numbers_in,
    round_codes_in,
)
from donations.statements.parse import Fingerprints, ParsedLine
from lddh.ward.audit import AuditAction, log_event

FEED_USERNAME = "nguon-tien-tu-dong"
FEED_USER_NAME = "Nguồn tiền tự động"
KEY_GRACE = datetime.timedelta(days=3)
"""How long the key before a rotation is still accepted: time to paste the new one into
the provider's dashboard without losing a delivery."""

RULE_FIELDS = ("auto_receipts", "auto_rounds", "auto_donor_codes", "auto_campaign_codes")


class FeedError(DonationError):
    """A feed setting refused (Vietnamese message)."""


def feed_actor():
    """The feed's own user: what it records is entered and audited in its name."""
    User = get_user_model()
    user = User.objects.filter(username=FEED_USERNAME).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            user = User(username=FEED_USERNAME, first_name=FEED_USER_NAME, is_active=False)
            user.set_unusable_password()
            user.save()
    except IntegrityError:
        user = User.objects.get(username=FEED_USERNAME)
    return user


# --------------------------------------------------------------------------- settings


@transaction.atomic
def feed_create(
    *, actor, account: Account, provider: str, auth: str, fund: Fund, secret: str = ""
) -> BankFeed:
    """Set up a provider's feed of a bank account. The secret is generated unless one is
    given (a provider that shows its own key, like Casso's checksum key)."""
    if provider not in AUTHS:
        raise FeedError("Dịch vụ không hợp lệ.", code="provider")
    if auth not in AUTHS[provider]:
        raise FeedError("Dịch vụ này không xác thực theo cách đã chọn.", code="auth")
    if account.kind != Account.Kind.BANK or not account.active:
        raise FeedError("Hãy chọn tài khoản ngân hàng đang dùng.", code="account")
    if not fund.active:
        raise FeedError("Hãy chọn quỹ đang nhận ủng hộ.", code="fund")
    secret = (secret or "").strip()
    if secret and len(secret) < 16:
        raise FeedError("Khóa bí mật cần ít nhất 16 ký tự.", code="secret")
    if BankFeed.objects.filter(account=account, provider=provider).exists():
        raise FeedError("Tài khoản này đã có nguồn tiền của dịch vụ đó.", code="account")
    feed = BankFeed.objects.create(
        account=account,
        provider=provider,
        auth=auth,
        fund=fund,
        secret=secret or new_feed_secret(),
        created_by=actor,
    )
    log_event(
        actor=actor,
        action=AuditAction.FEED_CREATE,
        obj=feed,
        after={"account": account.pk, "provider": provider, "auth": auth, "fund": fund.code},
    )
    return feed


@transaction.atomic
def feed_update_rules(*, actor, feed: BankFeed, active: bool, **rules: bool) -> BankFeed:
    """The committee's choice of what the feed records without a person."""
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown feed rules: {sorted(unknown)}")
    feed = BankFeed.objects.select_for_update().get(pk=feed.pk)
    fields = ("active", *RULE_FIELDS)
    before = {name: getattr(feed, name) for name in fields}
    feed.active = bool(active)
    for name, value in rules.items():
        setattr(feed, name, bool(value))
    after = {name: getattr(feed, name) for name in fields}
    if after != before:
        feed.save(update_fields=[*fields, "updated_at"])
        log_event(actor=actor, action=AuditAction.FEED_RULES, obj=feed, before=before, after=after)
    return feed


@transaction.atomic
def feed_rotate_key(*, actor, feed: BankFeed, secret: str = "") -> BankFeed:
    """A new secret; the one before stays valid for KEY_GRACE. The audit event never
    holds a key, only that it changed."""
    secret = (secret or "").strip()
    if secret and len(secret) < 16:
        raise FeedError("Khóa bí mật cần ít nhất 16 ký tự.", code="secret")
    feed = BankFeed.objects.select_for_update().get(pk=feed.pk)
    now = timezone.now()
    feed.previous_secret = feed.secret
    feed.previous_valid_until = now + KEY_GRACE
    feed.secret = secret or new_feed_secret()
    feed.rotated_at = now
    feed.save(
        update_fields=[
            "secret", "previous_secret", "previous_valid_until", "rotated_at", "updated_at"
        ]
    )  # fmt: skip
    log_event(
        actor=actor,
        action=AuditAction.FEED_KEY_ROTATE,
        obj=feed,
        after={"previous_valid_until": feed.previous_valid_until, "given": bool(secret)},
    )
    return feed


# --------------------------------------------------------------------------- deliveries


LATEST_DAY = datetime.timedelta(days=1)
EARLIEST_DAY = datetime.timedelta(days=366)


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def feed_check_transaction(feed: BankFeed, tx: FeedTransaction, *, today: datetime.date) -> None:
    """A delivery is about the feed's own account and a day the bank could have booked:
    a transaction of another account (one provider key signing several accounts) is not
    this account's money, and a day far from today is not a transfer just booked.
    FeedMalformed (400) otherwise; a replay of a stored delivery checks it again."""
    official = feed.account.official_account
    expected = _digits(official.account_number) if official is not None else ""
    given = _digits(tx.account_number)
    if expected and given and given != expected:
        raise FeedMalformed(
            f"Số tài khoản {tx.account_number} không phải tài khoản của nguồn tiền này."
        )
    if not today - EARLIEST_DAY <= tx.date <= today + LATEST_DAY:
        raise FeedMalformed(f"Ngày giao dịch {tx.date:%d/%m/%Y} quá xa hôm nay.")


UNKNOWN_BODY_KEPT = 2048


def feed_log_refused(
    *, feed: BankFeed | None, provider: str, body: bytes, headers: dict, remote: str,
    reason: str, status: str = FeedDelivery.Status.REJECTED, verified: bool = False,
) -> FeedDelivery:  # fmt: skip
    """Keep a request that was not accepted, with why. A request to an address that is
    no feed keeps only the start of its body: anyone may send one, from many addresses,
    and the log must not become free storage."""
    if feed is None and len(body) > UNKNOWN_BODY_KEPT:
        body = body[:UNKNOWN_BODY_KEPT]
        reason = f"{reason} (chỉ giữ {UNKNOWN_BODY_KEPT} byte đầu của nội dung)"
    return FeedDelivery.objects.create(
        feed=feed,
        provider=provider,
        body=body,
        headers=headers,
        remote_address=remote[:45],
        verified=verified and status != FeedDelivery.Status.REJECTED,
        status=status,
        error=reason[:1000],
    )


_INSERTS: dict[tuple, tuple[str, list]] = {}
"""The statement and fields of each _insert_once shape, made once per process."""


def _insert_once(model, values: dict) -> int | None:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING id``: the new row's id, or None when a
    unique constraint says the row exists (also one a concurrent transaction has just
    committed: PostgreSQL waits for it). One statement where a savepoint, the insert and
    its release would be three; PostgreSQL and SQLite (3.35+) both speak it. No signal is
    sent: nothing listens to the models written this way (lines, deliveries)."""
    shape = (model, tuple(values), connection.vendor)
    made = _INSERTS.get(shape)
    if made is None:
        meta, ops = model._meta, connection.ops
        fields = [meta.get_field(name) for name in values]
        # Names from the model (quoted), values as parameters.
        sql = "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING RETURNING {}".format(  # noqa: S608
            ops.quote_name(meta.db_table),
            ", ".join(ops.quote_name(field.column) for field in fields),
            ", ".join(["%s"] * len(fields)),
            ops.quote_name(meta.pk.column),
        )
        made = _INSERTS[shape] = (sql, fields)
    sql, fields = made
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _line_for(feed: BankFeed, tx: FeedTransaction) -> tuple[StatementLine, bool]:
    """The feed's transaction as a statement line, stored once per account by the
    fingerprint a statement import gives it. Returns (line, created). The insert is tried
    first: a new transaction is the common case, and the unique fingerprint decides."""
    parsed = ParsedLine(
        row=0,
        date=tx.date,
        reference=tx.bank_reference,
        credit=tx.credit,
        debit=tx.debit,
        balance=None,
        description=tx.description,
        transaction_id=tx.transaction_id,
    )
    key = Fingerprints().key(parsed)
    values = {
        "account": feed.account_id,
        "fingerprint": key,
        "row": 0,
        "raw": f"{feed.get_provider_display()} #{tx.provider_id}",
        "date": tx.date,
        "reference": tx.bank_reference,
        "transaction_id": tx.transaction_id,
        "credit": tx.credit,
        "debit": tx.debit,
        # The running balance stays in the delivery: balance continuity is a property
        # of statement files, and feeds arrive in any order.
        "balance": None,
        "description": tx.description,
        "status": StatementLine.Status.UNMATCHED if tx.credit else StatementLine.Status.IGNORED,
    }
    pk = _insert_once(StatementLine, values)
    if pk is None:
        return StatementLine.objects.get(account_id=feed.account_id, fingerprint=key), False
    return StatementLine(pk=pk, account_id=feed.account_id, **{
        k: v for k, v in values.items() if k != "account"
    }), True  # fmt: skip


def _line_note(tx: FeedTransaction, created: bool) -> str:
    note = "" if created else "Dòng này đã có (từ sao kê hoặc lần nhận khác): không lưu thêm."
    if not tx.bank_reference:
        note += (
            " Ngân hàng không gửi số tham chiếu: dòng này sẽ không tự trùng với dòng của tệp "
            "sao kê."
        )
    return note.strip()


def _enqueue(delivery_id: int) -> None:
    from donations.tasks import process_feed_delivery

    # The database backend stores the task in this transaction: it exists exactly when
    # the delivery does. The immediate backend (tests) runs it here and now.
    process_feed_delivery.enqueue(delivery_id)


@transaction.atomic
def feed_receive(
    *, feed: BankFeed, tx: FeedTransaction, body: bytes, headers: dict, remote: str
) -> FeedDelivery:
    """Store an authenticated delivery: its line, the delivery once per provider id (a
    repeat is logged as one and adds nothing), and the task that matches and records it.
    A handful of statements in one transaction: the provider is answered within its
    timeout however busy the books are."""
    values = {
        "feed": feed,
        "provider": feed.provider,
        "body": body,
        "headers": headers,
        "remote_address": remote[:45],
        "verified": True,
        "provider_id": tx.provider_id,
    }
    line, note = None, "Giao dịch thử của dịch vụ: đã xác thực, không lưu."
    if not tx.test:
        line, created = _line_for(feed, tx)
        note = _line_note(tx, created)
    status = FeedDelivery.Status.VERIFIED if tx.test else FeedDelivery.Status.STORED
    pk = _insert_once(
        FeedDelivery,
        {
            **{k: v for k, v in values.items() if k != "feed"},
            "feed": feed.pk,
            "received_at": timezone.now(),
            "status": status,
            "line": line.pk if line is not None else None,
            "error": note,
            "replays": 0,
        },
    )
    if pk is None:
        # A repeat of a provider id stores nothing, even when its body differs from the
        # first one's (another reference, another amount): the line this request has just
        # inserted for it is nobody's, and would wait in the queue as money received.
        if line is not None and created:
            StatementLine.objects.filter(pk=line.pk).delete()
        first = FeedDelivery.objects.get(
            feed=feed, provider_id=tx.provider_id, verified=True, duplicate_of__isnull=True
        )
        changed = bytes(first.body) != body
        return FeedDelivery.objects.create(
            status=FeedDelivery.Status.DUPLICATE,
            duplicate_of=first,
            line_id=first.line_id,
            error=(
                f"Giao dịch {tx.provider_id} đã nhận lúc "
                f"{timezone.localtime(first.received_at):%H:%M:%S %d/%m/%Y}: không thêm gì."
                + (" Nội dung KHÁC lần nhận đầu: cần kiểm tra nguồn gửi." if changed else "")
            ),
            **values,
        )
    if line is not None:
        _enqueue(pk)
    return FeedDelivery(pk=pk, line=line, status=status, error=note, **values)


def _store_and_queue(delivery: FeedDelivery, feed: BankFeed, tx: FeedTransaction) -> None:
    """A stored delivery without its line (an error fixed since): store it now."""
    line, created = _line_for(feed, tx)
    delivery.line = line
    delivery.status = FeedDelivery.Status.STORED
    delivery.error = _line_note(tx, created)
    delivery.save(update_fields=["line", "status", "error"])
    _enqueue(delivery.pk)


# --------------------------------------------------------------------------- recording


def _default_campaign(date: datetime.date) -> Campaign | None:
    return (
        Campaign.objects.exclude(status=Campaign.Status.CLOSED)
        .filter(start_date__lte=date, end_date__gte=date)
        .order_by("-start_date")
        .first()
    )


def _automatic(feed: BankFeed, line: StatementLine, delivery_id: int) -> tuple[str, str]:
    """What the codes in a credit's note make certain. Returns (delivery status, note).
    Runs inside the caller's transaction, which holds the line's lock: what it writes is
    written in that transaction (no savepoint of its own: an error rolls the whole
    transaction back). The feed's user is read only when something is written."""
    stored = FeedDelivery.Status.STORED
    if not line.is_credit:
        return stored, "Tiền ra: chỉ lưu dòng sao kê."
    if line.status != StatementLine.Status.UNMATCHED:
        return "", "Dòng đã được xử lý trước đó: không làm gì thêm."
    from donations.services.statement_bulk import (
        UNKNOWN_PAYER,
        BulkEntry,
        statement_lines_record,
    )
    from donations.services.statements import statement_line_match, statement_line_record
    from donations.statements.payer import suggest_payer

    note = line.description
    fund_codes = list(Fund.objects.values_list("code", flat=True))
    receipts = receipt_numbers_in(note, [*fund_codes, DIRECT_SERIES])
    rounds = round_codes_in(note, fund_codes)
    where = f"{feed} (lần nhận số {delivery_id})"
    if receipts:
        if not feed.auto_receipts:
            return stored, "Có số biên nhận; quy tắc: không tự khớp."
        if len(receipts) > 1:
            return stored, "Có nhiều số biên nhận: chờ người đối chiếu."
        number = next(iter(receipts))
        receipt = Receipt.objects.select_related("donation").filter(number=number).first()
        if receipt is None:
            return stored, f"Số biên nhận {number} không có trong sổ: chờ người đối chiếu."
        actor = feed_actor()
        with transaction.atomic(savepoint=False):
            statement_line_match(actor=actor, line=line, donation=receipt.donation)
            log_event(
                actor=actor,
                action=AuditAction.FEED_MATCH,
                obj=line,
                after={"feed": feed.pk, "receipt": number, "amount": line.credit},
                note=where,
            )
        return FeedDelivery.Status.MATCHED, f"Khớp với biên nhận {number}."
    if rounds:
        if not feed.auto_rounds:
            return stored, "Có mã đợt thu; quy tắc: không tự khớp."
        if len(rounds) > 1:
            return stored, "Có nhiều mã đợt thu: chờ người đối chiếu."
        code = next(iter(rounds))
        round = CollectionRound.objects.filter(code=code).first()
        if round is None:
            return stored, f"Mã đợt thu {code} không có: chờ người đối chiếu."
        actor = feed_actor()
        with transaction.atomic(savepoint=False):
            statement_line_match(actor=actor, line=line, round=round)
            log_event(
                actor=actor,
                action=AuditAction.FEED_MATCH,
                obj=line,
                after={"feed": feed.pk, "round": code, "amount": line.credit},
                note=where,
            )
        return FeedDelivery.Status.MATCHED, f"Khớp với đợt thu {code}."
    pledges = pledge_codes_in(note, fund_codes)
    if pledges:
        return _record_pledge(feed, line, where, pledges)
    donors = donor_codes_in(note)
    campaigns = campaign_codes_in(note, fund_codes)
    if not donors and not campaigns:
        payer = suggest_payer(note)
        hint = f" Người chuyển (gợi ý): {payer.name}." if payer else ""
        return stored, "Nội dung không có mã: chờ đối chiếu." + hint
    if len(donors) > 1 or len(campaigns) > 1:
        return stored, "Nội dung có nhiều mã cùng loại: chờ người đối chiếu."
    if donors and not feed.auto_donor_codes:
        return stored, "Có mã người ủng hộ; quy tắc: không tự ghi."
    if campaigns and not feed.auto_campaign_codes:
        return stored, "Có mã chiến dịch; quy tắc: không tự ghi."
    donor = campaign = None
    fund = feed.fund
    if donors:
        code = next(iter(donors))
        donor = Donor.objects.filter(code=code).first()
        if donor is None:
            return stored, f"Mã người ủng hộ {code} không có: chờ đối chiếu."
    if campaigns:
        fund_code, number = next(iter(campaigns))
        campaign = Campaign.objects.filter(pk=number).first()
        fund = Fund.objects.filter(code=fund_code).first()
        if campaign is None or fund is None:
            return stored, f"Mã chiến dịch {fund_code} C{number:04d} không có: chờ đối chiếu."
    else:
        campaign = _default_campaign(line.date)
    codes = {"donor": donor.code if donor else None}
    if campaigns:
        codes["campaign"] = f"{fund.code} C{campaign.pk:04d}"
    actor = feed_actor()
    with transaction.atomic(savepoint=False):
        if donor is not None:
            # The donation as recorded, its receipt and donor with it: nothing to read back.
            donation = statement_line_record(
                actor=actor,
                line=line,
                fund=fund,
                donor=donor,
                campaign=campaign,
                note=f"Ghi tự động theo mã {donor.code} ({feed.get_provider_display()}).",
            ).donation
        else:
            payer = suggest_payer(note)
            statement_lines_record(
                actor=actor,
                entries=[BulkEntry(line=line, name=payer.name if payer else UNKNOWN_PAYER)],
                fund=fund,
                campaign=campaign,
            )
            line.refresh_from_db()
            donation = line.donation
        receipt = donation.receipt.number
        log_event(
            actor=actor,
            action=AuditAction.FEED_RECORD,
            obj=donation,
            after={"feed": feed.pk, "line": line.pk, "receipt": receipt, **codes},
            note=where,
        )
    return FeedDelivery.Status.RECORDED, f"Đã ghi khoản ủng hộ, biên nhận {receipt}."


def _record_pledge(feed, line, where: str, pledges) -> tuple[str, str]:
    """A pledge's code (VNN P0007) credits the pledge's donor and campaign and counts
    the payment against the pledge, under the committee's rule for donors' codes."""
    from donations.services.statements import statement_line_record

    stored = FeedDelivery.Status.STORED
    if len(pledges) > 1:
        return stored, "Nội dung có nhiều mã cam kết: chờ người đối chiếu."
    if not feed.auto_donor_codes:
        return stored, "Có mã cam kết; quy tắc: không tự ghi theo mã người ủng hộ."
    fund_code, number = next(iter(pledges))
    code = f"{fund_code} {Pledge.format_code(number)}"
    pledge = (
        Pledge.objects.select_related("donor", "campaign", "fund")
        .filter(pk=number, fund__code=fund_code)
        .first()
    )
    if pledge is None:
        return stored, f"Mã cam kết {code} không có: chờ đối chiếu."
    if pledge.is_cancelled:
        return stored, f"Cam kết {code} đã hủy: chờ người đối chiếu."
    actor = feed_actor()
    with transaction.atomic(savepoint=False):
        donation = statement_line_record(
            actor=actor,
            line=line,
            fund=pledge.fund,
            donor=pledge.donor,
            campaign=pledge.campaign,
            pledge=pledge,
            note=f"Ghi tự động theo mã cam kết {code} ({feed.get_provider_display()}).",
        ).donation
        receipt = donation.receipt.number
        log_event(
            actor=actor,
            action=AuditAction.FEED_RECORD,
            obj=donation,
            after={"feed": feed.pk, "line": line.pk, "receipt": receipt, "pledge": code},
            note=where,
        )
    return (
        FeedDelivery.Status.RECORDED,
        f"Đã ghi khoản nộp theo cam kết {code}, biên nhận {receipt}.",
    )


def _for_processing():
    # The feed's account too: the audit notes name the feed by it ("SePay – TK …").
    return FeedDelivery.objects.select_related("feed__fund", "feed__account")


def feed_process(delivery: FeedDelivery) -> FeedDelivery:
    """Match or record what the delivery's line makes certain (the task's work). Safe to
    run again: a line already matched, recorded or ignored is left as it is."""
    processed = _process(delivery.pk)
    if processed is None:
        raise FeedDelivery.DoesNotExist(f"no delivery {delivery.pk}")
    return processed


def feed_process_pk(delivery_id: int) -> FeedDelivery | None:
    """feed_process for the delivery of this id; None when there is none."""
    return _process(delivery_id)


def _process(delivery_id: int) -> FeedDelivery | None:
    try:
        with transaction.atomic():
            # The delivery, its feed and its line in one read, the line locked FOR NO
            # KEY UPDATE: a second worker on the line waits; a row that only refers to
            # it (a repeat of the delivery) waits only while the line is being written.
            delivery = next(
                iter(
                    _for_processing()
                    .select_related("line")
                    .select_for_update(no_key=True, of=("line",))
                    .filter(pk=delivery_id, line__isnull=False)
                    .exclude(status=FeedDelivery.Status.DUPLICATE)
                    .order_by()[:1]
                ),
                None,
            )
            if delivery is None:  # none, a duplicate, or no line stored: nothing to do
                return _for_processing().filter(pk=delivery_id).order_by().first()
            status, note = _automatic(delivery.feed, delivery.line, delivery.pk)
    except DonationError as error:
        status = FeedDelivery.Status.STORED
        note = "Không ghi tự động được: " + " ".join(error.messages) + " Chờ người đối chiếu."
    # The delivery's row changes only here; what is written is what it then holds.
    delivery.status = status or delivery.status
    delivery.error = note[:1000]
    delivery.processed_at = timezone.now()
    FeedDelivery.objects.filter(pk=delivery.pk).update(
        status=delivery.status, error=delivery.error, processed_at=delivery.processed_at
    )
    return delivery


@transaction.atomic
def feed_replay(*, actor, delivery: FeedDelivery) -> FeedDelivery:
    """Work on a stored delivery again (after a rule changed, or an error). Idempotent:
    the line is stored once, and a line already dealt with is left alone."""
    delivery = FeedDelivery.objects.select_for_update().get(pk=delivery.pk)
    if not delivery.verified or delivery.feed is None:
        raise FeedError(
            "Chỉ xử lý lại lần nhận đã xác thực được: yêu cầu bị từ chối không có giá trị.",
            code="delivery",
        )
    if delivery.status == FeedDelivery.Status.DUPLICATE:
        raise FeedError("Lần nhận này là gửi lại: hãy xử lý lại lần nhận đầu.", code="delivery")
    FeedDelivery.objects.filter(pk=delivery.pk).update(replays=delivery.replays + 1)
    log_event(
        actor=actor,
        action=AuditAction.FEED_REPLAY,
        obj=delivery,
        before={"status": delivery.status},
        after={"feed": delivery.feed_id, "provider_id": delivery.provider_id},
    )
    if delivery.line_id is None:
        from donations.feeds.providers import ADAPTERS

        try:
            tx = ADAPTERS[delivery.provider].parse(bytes(delivery.body))
            if not tx.test:
                feed_check_transaction(delivery.feed, tx, today=timezone.localdate())
        except FeedMalformed as error:
            delivery.status = FeedDelivery.Status.ERROR
            delivery.error = str(error)
            delivery.save(update_fields=["status", "error"])
            return delivery
        if tx.test:
            return delivery
        _store_and_queue(delivery, delivery.feed, tx)
    else:
        _enqueue(delivery.pk)
    delivery.refresh_from_db()
    return delivery
