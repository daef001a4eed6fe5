"""Many bank credits recorded as donations at once, in one transaction.

The rules:

- every line must still be an open credit when the batch is written (the lines are
  locked first, in id order); one line recorded, matched or ignored meanwhile refuses the
  whole batch, naming that line;
- the donations are written in the lines' date order, so their receipts are consecutive
  in each year: the receipt counter stays locked until the batch commits;
- a donor per name: the name typed on the preview is reused only when it matches exactly
  one donor (the same name ignoring case, diacritics and spaces, the key of the
  duplicate warning); no match creates the donor; several matches refuse the line (the
  one-line form lets the office pick the right person). "Nhà hảo tâm" (a line whose
  payer is unknown) always gets a donor of its own: unknown payers are never merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from campaigns.models import Campaign
from donations.models import Donor, Fund, StatementLine
from donations.services.common import DonationError
from donations.services.donors import donor_create
from donations.services.receipts import donation_enter
from donations.services.statements import StatementError, close_line, line_channel
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.money import format_dong
from lddh.ward.text import clean_input, normalise
from lddh.ward.vocab import DonorSource

UNKNOWN_PAYER = "Nhà hảo tâm"
MAX_BATCH = 500
MAX_NAME = 200
BUSINESS_STARTS = ("cong ty ", "cty ", "tong cong ty ", "doanh nghiep ", "htx ", "dntn ")


@dataclass(frozen=True)
class BulkEntry:
    """One line of the batch and the payer's name as the preview sends it."""

    line: StatementLine
    name: str


def line_label(line: StatementLine) -> str:
    """How a line is named in a refusal: its date, amount and the start of its note."""
    note = " ".join(line.description.split())
    note = f" “{note[:40]}…”" if len(note) > 40 else (f" “{note}”" if note else "")
    return f"Dòng ngày {line.date:%d/%m/%Y}, {format_dong(line.credit or line.debit)}{note}"


def is_unknown_payer(name: str) -> bool:
    return normalise(name) in {normalise(UNKNOWN_PAYER), "nha hao tam giau ten", ""}


def _clean_name(entry: BulkEntry) -> str:
    name = " ".join(clean_input(entry.name or "").split())
    if not name:
        raise StatementError(
            f"{line_label(entry.line)}: hãy ghi tên người ủng hộ, hoặc “{UNKNOWN_PAYER}”.",
            code="name",
        )
    if len(name) > MAX_NAME:
        raise StatementError(
            f"{line_label(entry.line)}: tên dài quá {MAX_NAME} ký tự.", code="name"
        )
    return name


def _donor_for(*, actor, name: str, line: StatementLine) -> Donor:
    if is_unknown_payer(name):
        return donor_create(
            actor=actor,
            source=DonorSource.INDIVIDUAL,
            name=UNKNOWN_PAYER,
            note="Ghi từ sao kê ngân hàng: nội dung chuyển khoản không ghi tên người chuyển.",
            allow_duplicate=True,
        )
    matches = list(Donor.objects.filter(name_key=normalise(name)[:200]).order_by("pk")[:2])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise StatementError(
            f"{line_label(line)}: có nhiều người ủng hộ tên “{name}”. Hãy bỏ chọn dòng này "
            "và ghi riêng để chọn đúng người.",
            code="name",
        )
    return donor_create(actor=actor, source=donor_source_for(name), name=name)


def donor_source_for(name: str) -> str:
    """A company's name ("Cong Ty TNHH An Phat") is a business; any other, a person."""
    if normalise(name).startswith(BUSINESS_STARTS):
        return DonorSource.BUSINESS
    return DonorSource.INDIVIDUAL


@transaction.atomic
def statement_lines_record(
    *,
    actor,
    entries: Sequence[BulkEntry],
    fund: Fund,
    campaign: Campaign | None = None,
) -> list[StatementLine]:
    """Record each open credit as a donation with its receipt and match the line to it,
    all or nothing. Returns the lines, matched, in the order their receipts were issued."""
    if not entries:
        raise StatementError("Chưa chọn dòng sao kê nào.", code="lines")
    if len(entries) > MAX_BATCH:
        raise StatementError(f"Mỗi lần ghi tối đa {MAX_BATCH} dòng; hãy lọc bớt.", code="lines")
    ids = [entry.line.pk for entry in entries]
    if len(set(ids)) != len(ids):
        raise StatementError("Một dòng sao kê được chọn hai lần.", code="lines")
    names = {entry.line.pk: _clean_name(entry) for entry in entries}
    locked = {
        line.pk: line
        # FOR NO KEY UPDATE, as statements._lock_open_line: writers still wait for each
        # other; a feed storing the account's next transaction meanwhile does not.
        for line in StatementLine.objects.select_for_update(no_key=True)
        .select_related("account")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    for entry in entries:
        line = locked.get(entry.line.pk)
        if line is None:
            raise StatementError(f"{line_label(entry.line)}: không còn dòng này.", code="lines")
        if not line.is_credit:
            raise StatementError(
                f"{line_label(line)}: không phải tiền vào, không ghi ủng hộ được.", code="lines"
            )
        if line.status != StatementLine.Status.UNMATCHED:
            raise StatementError(
                f"{line_label(line)} vừa được người khác xử lý ({line.get_status_display()}"
                "). Không khoản nào được ghi; hãy tải lại danh sách và chọn lại.",
                code="lines",
            )
    ordered = sorted(locked.values(), key=lambda line: (line.date, line.pk))
    recorded = []
    for line in ordered:
        try:
            donor = _donor_for(actor=actor, name=names[line.pk], line=line)
            donation = donation_enter(
                actor=actor,
                donor=donor,
                date=line.date,
                amount=line.credit,
                channel=line_channel(line),
                fund=fund,
                account=line.account,
                campaign=campaign,
            )
        except StatementError:
            raise
        except DonationError as error:
            raise StatementError(
                f"{line_label(line)}: " + " ".join(error.messages), code="lines"
            ) from None
        close_line(actor, line, StatementLine.Status.MATCHED, donation=donation)
        log_event(
            actor=actor,
            action=AuditAction.STATEMENT_RECORD,
            obj=line,
            after={"amount": line.credit, "donation": donation.pk, "batch": True},
        )
        recorded.append((line, donation))
    receipts = [donation.receipt.number for _, donation in recorded]
    log_event(
        actor=actor,
        action=AuditAction.STATEMENT_BULK_RECORD,
        obj=fund,
        after={
            "lines": [line.pk for line, _ in recorded],
            "count": len(recorded),
            "total": sum(line.credit for line, _ in recorded),
            "receipts": receipts,
            "campaign": campaign.pk if campaign else None,
        },
    )
    return [line for line, _ in recorded]
