"""Reads of money in, scoped to the viewer (404 outside the scope), for pages, exports, the
dashboard and reports. Fund totals exclude voided receipts and direct support."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

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
    "cached",
    "campaign_progress",
    "campaign_progress_fast",
    "donation_for",
    "donations_for",
    "donor_contributions",
    "donor_totals",
    "donors_for",
    "fund_balance",
    "fund_balances",
    "list_totals",
    "money_fingerprint",
    "receipt_by_token",
    "receipt_series",
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


def donor_totals(donor_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Valid total and count of donations per donor, for one page of the donor list."""
    if not donor_ids:
        return {}
    rows = (
        Donation.objects.filter(donor__in=donor_ids, status=Donation.Status.VALID)
        .values("donor")
        .annotate(s=Sum("amount"), n=Count("pk"))
        .order_by()
    )
    return {row["donor"]: (row["s"], row["n"]) for row in rows}


def receipt_series() -> list[str]:
    """The series in use, for the register's filter (cache it: DISTINCT reads every row)."""
    return list(Receipt.objects.order_by("series").values_list("series", flat=True).distinct())


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


# --------------------------------------------------------------------------- caching

CACHE_TTL = 600  # seconds; the fingerprint, not the clock, is what keeps figures exact


def usual_gift(donor: Donor | None) -> int | None:
    """The median of a donor's recent valid gifts (the last 50), or None without any."""
    if donor is None or donor.pk is None:
        return None
    amounts = sorted(
        Donation.objects.filter(donor=donor, status=Donation.Status.VALID)
        .order_by("-date", "-pk")
        .values_list("amount", flat=True)[:50]
    )
    return amounts[len(amounts) // 2] if amounts else None


def money_fingerprint() -> str:
    """A value that changes whenever a figure derived from donations may change.

    Money records are append-only: a new donation, receipt or ledger entry raises a
    maximum id; a void is decided on a void request (its decision time) and adds a
    reversing ledger entry; a donor's edit (its source counts on the dashboard) moves
    ``updated_at``. Five index look-ups (about a millisecond at 1.000.000 rows), exact
    across processes and hosts, also for rows inserted in bulk without signals."""
    tables = [
        (Donation, "id"),
        (Receipt, "id"),
        (LedgerEntry, "id"),
        (VoidRequest, "decided_at"),
        (Donor, "updated_at"),
    ]
    qn = connection.ops.quote_name
    # Identifiers from the models' metadata, never from a request.
    maxima = [f"MAX({qn(c)}) FROM {qn(m._meta.db_table)}" for m, c in tables]
    sql = "SELECT " + ", ".join(f"(SELECT {one})" for one in maxima)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return "|".join("" if value is None else str(value) for value in row)


def cached(name: str, build, *, fingerprint: str | None = None):
    """``build()`` once per state of the money records (see ``money_fingerprint``)."""
    fingerprint = fingerprint if fingerprint is not None else money_fingerprint()
    digest = hashlib.sha256(f"{name}|{fingerprint}".encode()).hexdigest()
    return cache.get_or_set(f"money:{digest}", build, CACHE_TTL)


def list_totals(
    name: str, queryset: QuerySet, *, valid: Q | None = None, fingerprint: str | None = None
) -> dict:
    """Row count (and, with ``amount``, the sum over valid rows) of a filtered list in one
    aggregate, cached per filter (``name`` carries the filter and the viewer's scope) until
    money moves. Paging through a list of 1.000.000 rows counts them once, not per page."""

    def build() -> dict:
        aggregates = {"count": Count("pk")}
        if valid is not None:
            aggregates["total"] = Coalesce(Sum("amount", filter=valid), 0)
        return queryset.order_by().aggregate(**aggregates)

    return cached(f"list:{name}", build, fingerprint=fingerprint)


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


def _ledger_sums(entries: QuerySet[LedgerEntry]) -> dict[tuple[int, int], int]:
    rows = entries.values("fund_id", "account_id").annotate(s=Sum("amount")).order_by()
    return {(row["fund_id"], row["account_id"]): row["s"] for row in rows}


def fund_balances(*, incremental: bool = False) -> list[FundBalances]:
    """Every fund's balance and its split over accounts, in three queries.

    ``incremental``: the ledger is append-only, so the sums up to a settled entry are
    kept (cache) and only the entries after it are added (the dashboard at 1.000.000
    entries)."""
    funds = list(Fund.objects.all())
    accounts = {a.pk: a for a in Account.objects.all()}
    if incremental:
        base = cache.get("money:ledger-base")
        if base is None:
            upto = _settled_pk(LedgerEntry)
            base = (upto, _ledger_sums(LedgerEntry.objects.filter(pk__lte=upto)))
            cache.set("money:ledger-base", base, BASE_TTL)
        upto, sums = base
        sums = dict(sums)
        for key, amount in _ledger_sums(LedgerEntry.objects.filter(pk__gt=upto)).items():
            sums[key] = sums.get(key, 0) + amount
    else:
        sums = _ledger_sums(LedgerEntry.objects.all())
    split: dict[int, list[tuple[Account, int]]] = defaultdict(list)
    for (fund_id, account_id), amount in sorted(sums.items()):
        split[fund_id].append((accounts[account_id], amount))
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


def key_range(qs: QuerySet, after: int | None, upto: int | None) -> QuerySet:
    """The rows whose primary key is in (after, upto]; either bound may be left open."""
    if after is not None:
        qs = qs.filter(pk__gt=after)
    if upto is not None:
        qs = qs.filter(pk__lte=upto)
    return qs


def progress_of(valid: QuerySet) -> CampaignProgress:
    """Totals, sources, channels and days of these donations in one GROUP BY query
    (direct support apart); no credits per group, organisation or board member."""
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
    return progress


def campaign_progress(
    campaign: Campaign, *, pk_gt: int | None = None, pk_lte: int | None = None
) -> CampaignProgress:
    """Four GROUP BY queries whatever the number of donations (optionally only the
    donations with ids in (pk_gt, pk_lte], for the incremental dashboard)."""
    valid = key_range(
        Donation.objects.filter(campaign=campaign, status=Donation.Status.VALID), pk_gt, pk_lte
    )
    progress = progress_of(valid)
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


def merge_progress(*parts: CampaignProgress) -> CampaignProgress:
    """The figures of several disjoint sets of donations added up."""
    merged = CampaignProgress()
    by_day: dict[datetime.date, int] = defaultdict(int)
    for part in parts:
        merged.total += part.total
        merged.count += part.count
        merged.direct_support_total += part.direct_support_total
        merged.direct_support_count += part.direct_support_count
        for target, source in (
            (merged.by_source, part.by_source),
            (merged.by_channel, part.by_channel),
            (merged.by_group, part.by_group),
            (merged.by_organisation, part.by_organisation),
            (merged.by_board_member, part.by_board_member),
        ):
            for key, amount in source.items():
                target[key] = target.get(key, 0) + amount
        for day, amount in part.by_day:
            by_day[day] += amount
    merged.by_day = sorted(by_day.items())
    return merged


# Rows older than this are committed: no transaction of the app stays open for minutes,
# so ids up to the newest settled row can no longer gain a row committed late.
SETTLED_AFTER = datetime.timedelta(minutes=5)
BASE_TTL = 600  # seconds before a base is recomputed anyway (a donor's new source shows)


def _settled_pk(model) -> int:
    """The id of the newest row created before SETTLED_AFTER (a backward id scan)."""
    cutoff = timezone.now() - SETTLED_AFTER
    newest = model.objects.filter(created_at__lt=cutoff).order_by("-pk").values_list("pk")
    row = newest.first()
    return row[0] if row else 0


def campaign_progress_fast(campaign: Campaign, *, fingerprint: str | None = None):
    """``campaign_progress`` for the dashboard at 1.000.000 donations.

    A base (every settled donation, up to some id) is computed once and kept; each view
    adds the donations after it (an id range: a few rows). A void changes an old row, so
    a decided void request starts a new base. Exact at once for totals, channels, days,
    groups, organisations and board members; a donor moved to another source shows in
    the source breakdown when the base is recomputed (at most BASE_TTL)."""
    fingerprint = fingerprint if fingerprint is not None else money_fingerprint()
    void_stamp = hashlib.sha256(fingerprint.split("|")[3].encode()).hexdigest()[:16]

    def build() -> CampaignProgress:
        key = f"money:progress-base:{campaign.pk}:{void_stamp}"
        base = cache.get(key)
        if base is None:
            upto = _settled_pk(Donation)
            base = (upto, campaign_progress(campaign, pk_lte=upto))
            cache.set(key, base, BASE_TTL)
        upto, progress = base
        return merge_progress(progress, campaign_progress(campaign, pk_gt=upto))

    return cached(f"campaign-progress:{campaign.pk}", build, fingerprint=fingerprint)


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
