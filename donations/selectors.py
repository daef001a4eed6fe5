"""Reads of money in, scoped to the viewer (STYLE.md rule 6), for pages, exports, the
dashboard and reports. Fund totals exclude voided receipts and direct support."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from campaigns.models import Campaign
from donations.models import (
    DIRECT_SERIES,
    Account,
    CollectionRound,
    Donation,
    Donor,
    Fund,
    LedgerEntry,
    Receipt,
    StatementImport,
    StatementLine,
    VoidRequest,
)
from donations.statements.codes import receipt_numbers_in, round_codes_in
from lddh.ward.access import Access
from lddh.ward.roles import Role

STATEMENT_ROLES = (Role.STAFF, Role.COMMITTEE, Role.TREASURER)

__all__ = [
    "CampaignProgress",
    "account_balance",
    "campaign_progress",
    "donation_for",
    "donations_for",
    "donor_contributions",
    "donors_for",
    "fund_balance",
    "fund_balances",
    "receipt_by_token",
    "receipts_for",
    "reconciliation",
    "round_for",
    "rounds_for",
    "statement_lines_for",
    "suggestions_for",
    "void_requests_for",
]


def _group_scope(access: Access) -> Q | None:
    """None: everything; a Q: a leader's groups; Q(pk__in=[]) for nobody."""
    if access.reads_all:
        return None
    if access.is_leader and access.group_ids:
        ids = sorted(access.group_ids)
        return Q(credited_group__in=ids) | Q(donor__group__in=ids)
    return Q(pk__in=[])


def donations_for(access: Access) -> QuerySet[Donation]:
    """Donations a person may see: the office and readers all, a leader their groups'."""
    scope = _group_scope(access)
    qs = Donation.objects.all()
    return qs if scope is None else qs.filter(scope)


def donation_for(access: Access, pk: int) -> Donation:
    """One donation in the viewer's scope, or 404 (never reveal it exists)."""
    try:
        return (
            donations_for(access)
            .select_related(
                "donor",
                "donor__group",
                "donor__organisation",
                "campaign",
                "fund",
                "account",
                "credited_group",
                "credited_organisation",
                "credited_board_member",
                "receipt",
                "entered_by",
                "replaces__receipt",
            )
            .get(pk=pk)
        )
    except Donation.DoesNotExist:
        raise Http404 from None


def receipts_for(access: Access) -> QuerySet[Receipt]:
    scope = _group_scope(access)
    qs = Receipt.objects.all()
    if scope is None:
        return qs
    ids = sorted(access.group_ids)
    if not (access.is_leader and ids):
        return qs.none()
    return qs.filter(Q(donation__credited_group__in=ids) | Q(donation__donor__group__in=ids))


def donors_for(access: Access) -> QuerySet[Donor]:
    """The donor list is for the office and the readers who see every group."""
    return Donor.objects.all() if access.reads_all else Donor.objects.none()


def void_requests_for(access: Access) -> QuerySet[VoidRequest]:
    return VoidRequest.objects.all() if access.reads_all else VoidRequest.objects.none()


def receipt_by_token(token: str) -> Receipt | None:
    """The receipt behind a QR code; None for an unknown or malformed token."""
    if not token or len(token) > 40:
        return None
    return (
        Receipt.objects.select_related("donation__donor")
        .only(
            "number",
            "date",
            "amount",
            "fund_name",
            "donor_display_name",
            "status",
            "donation__id",
            "donation__donor__id",
            "donation__donor__anonymous",
        )
        .filter(token=token)
        .first()
    )


def donor_contributions(donor: Donor, campaign: Campaign | None) -> QuerySet[Donation]:
    """A donor's valid donations (to the fund and direct support), for the thank-you letter."""
    qs = donor.donations.filter(status=Donation.Status.VALID).select_related("receipt", "fund")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("date", "pk")


# --------------------------------------------------------------------------- balances


def fund_balance(fund: Fund, *, until: datetime.date | None = None) -> int:
    qs = LedgerEntry.objects.filter(fund=fund)
    if until is not None:
        qs = qs.filter(date__lte=until)
    return qs.aggregate(s=Coalesce(Sum("amount"), 0))["s"]


def account_balance(account: Account, *, fund: Fund | None = None) -> int:
    qs = LedgerEntry.objects.filter(account=account)
    if fund is not None:
        qs = qs.filter(fund=fund)
    return qs.aggregate(s=Coalesce(Sum("amount"), 0))["s"]


@dataclass
class FundBalances:
    fund: Fund
    total: int
    by_account: list[tuple[Account, int]]


def fund_balances() -> list[FundBalances]:
    """Every fund's balance and its split over accounts, in two queries."""
    funds = list(Fund.objects.all())
    accounts = {a.pk: a for a in Account.objects.all()}
    rows = LedgerEntry.objects.values("fund_id", "account_id").annotate(s=Sum("amount"))
    split: dict[int, list[tuple[Account, int]]] = defaultdict(list)
    for row in rows.order_by("fund_id", "account_id"):
        split[row["fund_id"]].append((accounts[row["account_id"]], row["s"]))
    return [
        FundBalances(fund=f, total=sum(s for _, s in split[f.pk]), by_account=split[f.pk])
        for f in funds
    ]


# --------------------------------------------------------------------------- progress


@dataclass
class CampaignProgress:
    """A campaign's money in: fund donations (valid receipts only) and, apart, direct
    support. Every ``by_*`` maps a key to whole đồng."""

    total: int = 0
    count: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_group: dict[int, int] = field(default_factory=dict)
    by_organisation: dict[int, int] = field(default_factory=dict)
    by_board_member: dict[int, int] = field(default_factory=dict)
    by_day: list[tuple[datetime.date, int]] = field(default_factory=list)
    direct_support_total: int = 0
    direct_support_count: int = 0


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """Four GROUP BY queries whatever the number of donations."""
    valid = Donation.objects.filter(campaign=campaign, status=Donation.Status.VALID)
    progress = CampaignProgress()
    by_day: dict[datetime.date, int] = defaultdict(int)
    rows = (
        valid.values("purpose", "donor__source", "channel", "date")
        .annotate(s=Sum("amount"), n=Count("pk"))
        .order_by()
    )
    for row in rows:
        if row["purpose"] == Donation.Purpose.DIRECT:
            progress.direct_support_total += row["s"]
            progress.direct_support_count += row["n"]
            continue
        progress.total += row["s"]
        progress.count += row["n"]
        source, channel = row["donor__source"], row["channel"]
        progress.by_source[source] = progress.by_source.get(source, 0) + row["s"]
        progress.by_channel[channel] = progress.by_channel.get(channel, 0) + row["s"]
        by_day[row["date"]] += row["s"]
    progress.by_day = sorted(by_day.items())
    fund_only = valid.filter(purpose=Donation.Purpose.FUND)
    for key, target in (
        ("credited_group", progress.by_group),
        ("credited_organisation", progress.by_organisation),
        ("credited_board_member", progress.by_board_member),
    ):
        for row in (
            fund_only.filter(**{f"{key}__isnull": False})
            .values(key)
            .annotate(s=Sum("amount"))
            .order_by()
        ):
            target[row[key]] = row["s"]
    return progress


# --------------------------------------------------------------------------- rounds


def rounds_for(access: Access) -> QuerySet[CollectionRound]:
    """Rounds a person may see: every round for the readers, a leader their groups'."""
    qs = CollectionRound.objects.all()
    if access.reads_all:
        return qs
    if access.is_leader and access.group_ids:
        return qs.filter(group__in=sorted(access.group_ids))
    return qs.none()


def round_for(access: Access, pk: int) -> CollectionRound:
    try:
        return (
            rounds_for(access)
            .select_related(
                "group",
                "organisation",
                "campaign",
                "fund",
                "account",
                "account__official_account",
                "created_by",
                "posted_by",
                "collective_donation__receipt",
            )
            .get(pk=pk)
        )
    except CollectionRound.DoesNotExist:
        raise Http404 from None


def round_totals(rounds: QuerySet[CollectionRound]) -> QuerySet[CollectionRound]:
    """Annotate entered line count and total (two subquery-free aggregates)."""
    return rounds.annotate(
        line_count=Count("lines"),
        line_total=Coalesce(Sum("lines__amount"), 0),
    )


def fund_bank_account(fund: Fund | None = None) -> Account | None:
    """The account residents transfer to: the first active bank account backed by an
    official account with a VietQR bank BIN."""
    return (
        Account.objects.filter(kind=Account.Kind.BANK, active=True, official_account__isnull=False)
        .exclude(official_account__bank_bin="")
        .select_related("official_account")
        .order_by("order", "pk")
        .first()
    )


# --------------------------------------------------------------------------- bank


def statement_lines_for(access: Access) -> QuerySet[StatementLine]:
    """Bank lines carry private descriptions: the office and the treasurer only."""
    if access.has(*STATEMENT_ROLES):
        return StatementLine.objects.all()
    return StatementLine.objects.none()


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


def _open_bank_donations(account_ids, dates, amounts) -> list[Donation]:
    if not account_ids or not dates or not amounts:
        return []
    return list(
        Donation.objects.filter(
            account__in=account_ids,
            status=Donation.Status.VALID,
            channel__in=[Donation.Channel.BANK, Donation.Channel.TREASURY],
            date__range=(
                min(dates) - datetime.timedelta(days=1),
                max(dates) + datetime.timedelta(days=1),
            ),
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


@dataclass
class Reconciliation:
    """Bank credits of a period against the donations recorded on that account."""

    account: Account
    start: datetime.date
    end: datetime.date
    credit_total: int = 0
    credit_count: int = 0
    matched_total: int = 0
    matched_count: int = 0
    unmatched_total: int = 0
    unmatched_count: int = 0
    ignored_total: int = 0
    ignored_count: int = 0
    debit_total: int = 0
    donation_total: int = 0
    donation_count: int = 0
    donation_matched_total: int = 0
    donation_unmatched_total: int = 0
    donation_unmatched_count: int = 0

    @property
    def donation_credits(self) -> int:
        """Bank credits that are (or may be) donations: all but the ignored ones."""
        return self.credit_total - self.ignored_total

    @property
    def difference(self) -> int:
        """Positive: the bank received more than was recorded as donations."""
        return self.donation_credits - self.donation_total


def matched_donations_q() -> Q:
    """Donations a bank line accounts for: matched directly, or through their round."""
    return (
        Q(bank_line__isnull=False)
        | Q(round_line__round__bank_line__isnull=False)
        | Q(collection_round__bank_line__isnull=False)
    )


def reconciliation(account: Account, start: datetime.date, end: datetime.date) -> Reconciliation:
    """Three GROUP BY queries for any period."""
    result = Reconciliation(account=account, start=start, end=end)
    lines = StatementLine.objects.filter(account=account, date__range=(start, end))
    for row in (
        lines.values("status")
        .annotate(
            c=Coalesce(Sum("credit"), 0),
            d=Coalesce(Sum("debit"), 0),
            n=Count("pk", filter=Q(credit__gt=0)),
        )
        .order_by()
    ):
        result.credit_total += row["c"]
        result.credit_count += row["n"]
        result.debit_total += row["d"]
        if row["status"] == StatementLine.Status.MATCHED:
            result.matched_total, result.matched_count = row["c"], row["n"]
        elif row["status"] == StatementLine.Status.UNMATCHED:
            result.unmatched_total, result.unmatched_count = row["c"], row["n"]
        else:
            result.ignored_total, result.ignored_count = row["c"], row["n"]
    donations = Donation.objects.filter(
        account=account, status=Donation.Status.VALID, date__range=(start, end)
    )
    totals = donations.aggregate(s=Coalesce(Sum("amount"), 0), n=Count("pk"))
    result.donation_total, result.donation_count = totals["s"], totals["n"]
    open_totals = unmatched_donations(account, start, end).aggregate(
        s=Coalesce(Sum("amount"), 0), n=Count("pk")
    )
    result.donation_unmatched_total = open_totals["s"]
    result.donation_unmatched_count = open_totals["n"]
    result.donation_matched_total = result.donation_total - result.donation_unmatched_total
    return result


def unmatched_donations(account: Account, start: datetime.date, end: datetime.date):
    return Donation.objects.filter(
        account=account, status=Donation.Status.VALID, date__range=(start, end)
    ).exclude(matched_donations_q())
