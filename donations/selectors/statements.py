"""Reads of bank statements and match suggestions (office and treasurer only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from donations.models import (
    DIRECT_SERIES,
    CollectionRound,
    Donation,
    Fund,
    Receipt,
    StatementImport,
    StatementLine,
)
from donations.statements.codes import receipt_numbers_in, round_codes_in
from lddh.ward.access import Access
from lddh.ward.roles import Role

STATEMENT_ROLES = (Role.STAFF, Role.COMMITTEE, Role.TREASURER)

__all__ = [
    "STATEMENT_ROLES",
    "Suggestion",
    "imports_for",
    "statement_import_for",
    "statement_line_for",
    "statement_lines_for",
    "suggestions_for",
    "unmatched_credits",
]


def statement_lines_for(access: Access) -> QuerySet[StatementLine]:
    """Bank lines carry private descriptions: the office and the treasurer only."""
    if access.has(*STATEMENT_ROLES):
        return StatementLine.objects.all()
    return StatementLine.objects.none()


def unmatched_credits(access: Access) -> QuerySet[StatementLine]:
    """Money in (from a statement file or a bank feed) not yet matched to a donation or a
    collection round, nor set aside: the bank lines' queue as it opens."""
    return statement_lines_for(access).filter(status=StatementLine.Status.UNMATCHED, credit__gt=0)


def imports_for(access: Access) -> QuerySet[StatementImport]:
    if access.has(*STATEMENT_ROLES):
        return StatementImport.objects.all()
    return StatementImport.objects.none()


@dataclass
class Suggestion:
    kind: str  # "receipt" | "round" | "amount"
    label: str
    donation: Donation | None = None
    round: CollectionRound | None = None
    usable: bool = True
    reason: str = ""


def statement_line_for(access: Access, pk: int) -> StatementLine:
    """One bank line, for the roles that work the statements; 404 for anyone else."""
    return get_object_or_404(
        statement_lines_for(access).select_related(
            "account",
            "statement_import",
            "donation__receipt",
            "donation__donor",
            "round",
            "matched_by",
        ),
        pk=pk,
    )


def statement_import_for(access: Access, pk: int) -> StatementImport:
    """One statement import, for the roles that work the statements; 404 for anyone else."""
    return get_object_or_404(
        imports_for(access).select_related("account", "layout", "imported_by", "accepted_by"),
        pk=pk,
    )


def _day_beside(day: datetime.date, days: int) -> datetime.date:
    """The day ``days`` away, or ``day`` itself at the calendar's edge (a line dated
    31/12/9999 by a typo must not stop the whole queue)."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return day


def _open_bank_donations(account_ids, dates, amounts) -> list[Donation]:
    if not account_ids or not dates or not amounts:
        return []
    return list(
        Donation.objects.filter(
            account__in=account_ids,
            status=Donation.Status.VALID,
            channel__in=[Donation.Channel.BANK, Donation.Channel.TREASURY],
            date__range=(_day_beside(min(dates), -1), _day_beside(max(dates), 1)),
            amount__in=sorted(amounts),
            bank_line__isnull=True,
        )
        .select_related("donor", "receipt")
        .only("date", "amount", "account_id", "donor__name", "receipt__number")
        .order_by("date", "pk")
    )


def suggestions_for(lines: list[StatementLine]) -> dict[int, list[Suggestion]]:
    """Match suggestions for open credit lines, in four queries whatever their number:
    codes found inside the description (receipt numbers, round codes), then the same
    amount within a day among the account's bank donations not yet matched."""
    open_lines = [
        line for line in lines if line.is_credit and line.status == StatementLine.Status.UNMATCHED
    ]
    result: dict[int, list[Suggestion]] = {line.pk: [] for line in open_lines}
    if not open_lines:
        return result
    fund_codes = list(Fund.objects.values_list("code", flat=True))
    series = [*fund_codes, DIRECT_SERIES]
    found_receipts = {line.pk: receipt_numbers_in(line.description, series) for line in open_lines}
    found_rounds = {line.pk: round_codes_in(line.description, fund_codes) for line in open_lines}
    numbers = set().union(*found_receipts.values())
    codes = set().union(*found_rounds.values())
    receipts = (
        {
            r.number: r
            for r in Receipt.objects.filter(number__in=sorted(numbers)).select_related(
                "donation", "donation__bank_line"
            )
        }
        if numbers
        else {}
    )
    rounds = (
        {
            r.code: r
            for r in CollectionRound.objects.filter(code__in=sorted(codes)).select_related(
                "bank_line", "group", "organisation", "collective_donation"
            )
        }
        if codes
        else {}
    )
    candidates = _open_bank_donations(
        {line.account_id for line in open_lines},
        [line.date for line in open_lines],
        {line.credit for line in open_lines},
    )
    for line in open_lines:
        out = result[line.pk]
        for number in sorted(found_receipts[line.pk]):
            receipt = receipts.get(number)
            if receipt is None:
                continue
            donation = receipt.donation
            problem = ""
            if donation.is_voided:
                problem = "khoản đã hủy"
            elif hasattr(donation, "bank_line"):
                problem = "đã khớp với dòng khác"
            elif donation.account_id != line.account_id:
                problem = "ghi vào tài khoản khác"
            elif donation.amount != line.credit:
                problem = f"số tiền khác ({donation.amount:,} đ)".replace(",", ".")
            out.append(
                Suggestion(
                    "receipt",
                    f"Biên nhận {number} ghi trong nội dung",
                    donation=donation,
                    usable=not problem,
                    reason=problem,
                )
            )
        for code in sorted(found_rounds[line.pk]):
            round = rounds.get(code)
            if round is None:
                continue
            problem = ""
            if not round.is_posted:
                problem = "đợt thu chưa ghi sổ"
            elif hasattr(round, "bank_line"):
                problem = "đã khớp với dòng khác"
            elif round.account_id != line.account_id:
                problem = "đợt thu nộp vào tài khoản khác"
            out.append(
                Suggestion(
                    "round",
                    f"Đợt thu {code} ({round.owner_name}) ghi trong nội dung",
                    round=round,
                    usable=not problem,
                    reason=problem,
                )
            )
        for donation in candidates:
            if (
                donation.account_id == line.account_id
                and donation.amount == line.credit
                and abs((donation.date - line.date).days) <= 1
                and not any(s.donation == donation for s in out)
            ):
                out.append(
                    Suggestion(
                        "amount",
                        f"Cùng số tiền, ngày {donation.date:%d/%m/%Y}: {donation.donor.name} "
                        f"(biên nhận {donation.receipt.number})",
                        donation=donation,
                    )
                )
    return result
