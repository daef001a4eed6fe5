"""Bank statements: import (each line stored once), match, record, ignore."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from campaigns.models import BoardMember, Campaign
from donations.models import (
    Account,
    BankLayout,
    CollectionRound,
    Donation,
    Donor,
    Fund,
    StatementImport,
    StatementLine,
)
from donations.services.common import DonationError
from donations.services.receipts import donation_enter
from donations.statements import FileRefused, fingerprints, parse_statement, read_rows
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.models import MemberOrganisation, ResidentialGroup

STATEMENT_ACCOUNT_KINDS = (Account.Kind.BANK, Account.Kind.TREASURY)
BATCH = 2000


class StatementError(DonationError):
    """A statement file or a match refused (Vietnamese message)."""


@dataclass(frozen=True)
class ImportResult:
    statement_import: StatementImport | None
    line_count: int
    new_count: int

    @property
    def duplicate_count(self) -> int:
        return self.line_count - self.new_count


@transaction.atomic
def statement_import(
    *, actor, account: Account, layout: BankLayout, data: bytes, filename: str
) -> ImportResult:
    """Read a statement and store the lines not stored before for this account.

    Bad files raise StatementError and store nothing. Lines already stored (same
    fingerprint) are skipped, so importing a file twice, or two files covering
    overlapping periods, stores every line once. One query reads the fingerprints
    already stored for the file's period; the new lines go in with bulk inserts."""
    if account.kind not in STATEMENT_ACCOUNT_KINDS or not account.active:
        raise StatementError(
            "Hãy chọn tài khoản ngân hàng (hoặc Kho bạc) đang dùng.", code="account"
        )
    try:
        rows = read_rows(
            data,
            kind=None if layout.file_kind == "any" else layout.file_kind,
            delimiter=layout.csv_delimiter,
        )
        parsed = parse_statement(rows, layout)
    except FileRefused as refused:
        raise StatementError(refused.message, code="file") from None
    keys = fingerprints(parsed)
    first = min(line.date for line in parsed)
    last = max(line.date for line in parsed)
    # The account row lock serialises two imports into one account: the check below
    # then sees everything the other import stored.
    Account.objects.select_for_update().filter(pk=account.pk).first()
    stored = set(
        StatementLine.objects.filter(account=account, date__range=(first, last)).values_list(
            "fingerprint", flat=True
        )
    )
    fresh = []
    taken = set(stored)
    for line, key in zip(parsed, keys, strict=True):
        if key in taken:
            continue
        taken.add(key)
        fresh.append((line, key))
    if not fresh:
        return ImportResult(statement_import=None, line_count=len(parsed), new_count=0)
    batch = StatementImport.objects.create(
        account=account,
        layout=layout,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        line_count=len(parsed),
        new_count=len(fresh),
        first_date=first,
        last_date=last,
        imported_by=actor,
    )
    StatementLine.objects.bulk_create(
        [
            StatementLine(
                account=account,
                statement_import=batch,
                fingerprint=key,
                date=line.date,
                reference=line.reference,
                credit=line.credit,
                debit=line.debit,
                balance=line.balance,
                description=line.description,
                status=(
                    StatementLine.Status.UNMATCHED if line.credit else StatementLine.Status.IGNORED
                ),
            )
            for line, key in fresh
        ],
        batch_size=BATCH,
        # A line stored earlier under another date (a bank re-dating a reference) is
        # skipped here; the count below is what was really stored.
        ignore_conflicts=True,
    )
    stored_now = StatementLine.objects.filter(statement_import=batch).count()
    if stored_now == 0:
        batch.delete()
        return ImportResult(statement_import=None, line_count=len(parsed), new_count=0)
    if stored_now != len(fresh):
        batch.new_count = stored_now
        batch.save(update_fields=["new_count"])
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_IMPORT,
        obj=batch,
        after={
            "account": account.pk,
            "file": batch.filename,
            "sha256": batch.sha256,
            "lines": len(parsed),
            "new": stored_now,
            "from": first,
            "to": last,
        },
    )
    return ImportResult(statement_import=batch, line_count=len(parsed), new_count=stored_now)


def _lock_open_line(line: StatementLine) -> StatementLine:
    line = StatementLine.objects.select_for_update().select_related("account").get(pk=line.pk)
    if not line.is_credit:
        raise StatementError("Chỉ đối chiếu các dòng ghi có (tiền vào).", code="line")
    if line.status != StatementLine.Status.UNMATCHED:
        raise StatementError("Dòng sao kê này đã được xử lý (đã khớp hoặc đã bỏ qua).", code="line")
    return line


def _close(actor, line: StatementLine, status: str, **targets) -> StatementLine:
    line.status = status
    line.donation = targets.get("donation")
    line.round = targets.get("round")
    line.matched_by = actor
    line.matched_at = timezone.now()
    line.save(update_fields=["status", "donation", "round", "matched_by", "matched_at"])
    return line


@transaction.atomic
def statement_line_match(
    *,
    actor,
    line: StatementLine,
    donation: Donation | None = None,
    round: CollectionRound | None = None,
) -> StatementLine:
    """Confirm that a bank credit is a donation already recorded (or a posted round)."""
    if (donation is None) == (round is None):
        raise StatementError("Hãy chọn một khoản ủng hộ hoặc một đợt thu để khớp.", code="target")
    line = _lock_open_line(line)
    if donation is not None:
        donation = Donation.objects.select_for_update().get(pk=donation.pk)
        if donation.is_voided:
            raise StatementError("Khoản ủng hộ này đã bị hủy.", code="target")
        if donation.account_id != line.account_id:
            raise StatementError(
                "Khoản ủng hộ này không ghi vào tài khoản của dòng sao kê.", code="target"
            )
        if donation.amount != line.credit:
            raise StatementError(
                "Số tiền của khoản ủng hộ khác số tiền ghi có trên sao kê.", code="target"
            )
        if StatementLine.objects.filter(donation=donation).exists():
            raise StatementError("Khoản ủng hộ này đã khớp với dòng sao kê khác.", code="target")
        _close(actor, line, StatementLine.Status.MATCHED, donation=donation)
        target = {"donation": donation.pk}
    else:
        round = CollectionRound.objects.select_for_update().get(pk=round.pk)
        if not round.is_posted:
            raise StatementError(
                f"Đợt thu {round.code} chưa ghi sổ: hãy ghi sổ đợt thu trước.", code="target"
            )
        if round.account_id != line.account_id:
            raise StatementError(
                f"Đợt thu {round.code} không nộp vào tài khoản của dòng sao kê.", code="target"
            )
        total = sum(
            Donation.objects.filter(round_line__round=round).values_list("amount", flat=True)
        ) or (round.collective_donation.amount if round.collective_donation_id else 0)
        if total != line.credit:
            raise StatementError(
                f"Tổng đợt thu {round.code} khác số tiền ghi có trên sao kê.", code="target"
            )
        if StatementLine.objects.filter(round=round).exists():
            raise StatementError("Đợt thu này đã khớp với dòng sao kê khác.", code="target")
        _close(actor, line, StatementLine.Status.MATCHED, round=round)
        target = {"round": round.code}
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_MATCH,
        obj=line,
        after={"amount": line.credit, **target},
    )
    return line


@transaction.atomic
def statement_line_record(
    *,
    actor,
    line: StatementLine,
    fund: Fund,
    donor: Donor | None = None,
    new_donor: dict | None = None,
    allow_duplicate: bool = False,
    campaign: Campaign | None = None,
    credited_group: ResidentialGroup | None = None,
    credited_organisation: MemberOrganisation | None = None,
    credited_board_member: BoardMember | None = None,
    note: str = "",
    late_reason: str = "",
) -> StatementLine:
    """Record a donation from a bank credit and match it, in one step: the amount,
    date and account come from the line; the donor is picked or created. Late entry
    into an ended campaign follows the entry page's rule (``late_entry_reason``)."""
    line = _lock_open_line(line)
    donation = donation_enter(
        actor=actor,
        donor=donor,
        new_donor=new_donor,
        allow_duplicate=allow_duplicate,
        date=line.date,
        amount=line.credit,
        channel=Donation.Channel.BANK
        if line.account.kind == Account.Kind.BANK
        else Donation.Channel.TREASURY,
        fund=fund,
        account=line.account,
        campaign=campaign,
        credited_group=credited_group,
        credited_organisation=credited_organisation,
        credited_board_member=credited_board_member,
        note=note,
        late_reason=late_reason,
    )
    _close(actor, line, StatementLine.Status.MATCHED, donation=donation)
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_RECORD,
        obj=line,
        after={"amount": line.credit, "donation": donation.pk},
    )
    return line


@transaction.atomic
def statement_line_ignore(*, actor, line: StatementLine, reason: str) -> StatementLine:
    """Take a credit that is not a donation (interest, a refund) out of the queue."""
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise StatementError("Hãy ghi lý do (ví dụ: lãi tiền gửi, hoàn tiền).", code="reason")
    line = _lock_open_line(line)
    _close(actor, line, StatementLine.Status.IGNORED)
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_IGNORE,
        obj=line,
        after={"amount": line.credit},
        note=reason,
    )
    return line
